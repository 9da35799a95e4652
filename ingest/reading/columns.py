"""Two columns read on one line, split by the x position of each word.

Tesseract's word boxes (`image_to_data`) tell where a line has a wide gap: the header's issuer
and motto columns, and the foot's 'Nơi nhận' and signature columns, then come apart instead of
running together (ingest.reading.ocr puts a band's left column first).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True)
class WordBox:
    """One word with its box, as pdfplumber's extract_words or Tesseract's image_to_data give."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str


def split_row(row: list[WordBox], page_width: float) -> tuple[str, str] | None:
    """(left, right) when the row has a wide gap: two columns read on one line."""
    gaps = [(b.x0 - a.x1, i) for i, (a, b) in enumerate(pairwise(row), 1)]
    if not gaps:
        return None
    width, at = max(gaps)
    if width < 0.04 * page_width:
        return None
    return " ".join(w.text for w in row[:at]), " ".join(w.text for w in row[at:])
