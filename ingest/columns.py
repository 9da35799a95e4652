"""Two columns read on one line, split by the x position of each word.

pdfplumber (`extract_words`) and Tesseract (`image_to_data`) give word boxes; the header's issuer
and motto columns, and the foot's 'Nơi nhận' and signature columns, then come apart cleanly
instead of being interleaved as in plain text extraction (the Đồng Tháp seed).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from itertools import pairwise

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WordBox:
    """One word with its box, as pdfplumber's extract_words or Tesseract's image_to_data give."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str


def _rows(words: list[WordBox]) -> list[list[WordBox]]:
    rows: list[list[WordBox]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        middle = (word.top + word.bottom) / 2
        if rows and rows[-1][0].top <= middle <= rows[-1][0].bottom:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w.x0) for row in rows]


def split_row(row: list[WordBox], page_width: float) -> tuple[str, str] | None:
    """(left, right) when the row has a wide gap: two columns read on one line."""
    gaps = [(b.x0 - a.x1, i) for i, (a, b) in enumerate(pairwise(row), 1)]
    if not gaps:
        return None
    width, at = max(gaps)
    if width < 0.04 * page_width:
        return None
    return " ".join(w.text for w in row[:at]), " ".join(w.text for w in row[at:])


def lines_from_words(words: list[WordBox], page_width: float) -> list[str]:
    """The page's lines with two-column bands (header, signature) split by x position: the
    left column's lines of a band first, then the right column's."""
    out: list[str] = []
    left: list[str] = []
    right: list[str] = []
    for row in _rows(words):
        split = split_row(row, page_width)
        if split:
            left.append(split[0])
            right.append(split[1])
            continue
        out.extend(left + right)
        left, right = [], []
        out.append(" ".join(w.text for w in row))
    return out + left + right
