"""Snippets: the best window of a letter's text with the matched words marked.

The folded query words become patterns of every letter that folds to theirs (`d` → `[dDđĐ]`),
run on the stored text itself, so `dong thap` marks `Đồng Tháp`; where a long form's words are
all marked, its abbreviation is too (`ubnd` finds `UBND` as `Ủy ban nhân dân`, and marks it).
Only the hits of the page shown are highlighted.

>>> snippet_html("Kính gửi UBND tỉnh Đồng Tháp <b>", {"dong", "thap"})
'Kính gửi UBND tỉnh <mark>Đồng</mark> <mark>Tháp</mark> &lt;b&gt;'
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from html import escape

from .abbreviations import marked_spellings
from .accents import FOLD_TABLE, fold_text

log = logging.getLogger(__name__)

SNIPPET_CHARS = 240
MAX_MATCHES = 400


def _variants() -> dict[str, str]:
    """Each ASCII letter → a regex class of every letter that folds to it ('d' → '[dDđĐ]')."""
    variants: dict[str, set[str]] = {}
    for code, base in FOLD_TABLE.items():
        variants.setdefault(base, {base, base.upper()}).add(chr(code))
    return {base: "[" + "".join(sorted(chars)) + "]" for base, chars in variants.items()}


_VARIANTS = _variants()


@lru_cache(maxsize=256)
def _pattern(terms: frozenset[str]) -> re.Pattern[str] | None:
    """A regex finding the folded `terms` in the original (NFC) text, accents and all."""
    words = sorted((t for t in terms if t), key=len, reverse=True)
    if not words:
        return None
    alternatives = ["".join(_VARIANTS.get(c, re.escape(c)) for c in word) for word in words]
    return re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])")


def _best_window(spans: list[tuple[int, int, str]], width: int) -> int:
    """Start offset of the window of `width` chars holding the most distinct terms."""
    best, best_start = (0, 0), spans[0][0]
    right = 0
    for left, (start, _end, _term) in enumerate(spans):
        right = max(right, left)
        while right + 1 < len(spans) and spans[right + 1][1] - start <= width:
            right += 1
        inside = spans[left : right + 1]
        score = (len({t for _, _, t in inside}), len(inside))
        if score > best:
            best, best_start = score, start
    return best_start


def _bounds(text: str, anchor: int, width: int) -> tuple[int, int]:
    start = max(0, anchor - width // 6)
    if start > 0:
        space = text.rfind(" ", max(0, start - 20), anchor)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.find(" ", end, end + 20)
        end = space if space >= 0 else end
    return start, end


def snippet_html(text: str, terms: set[str], width: int = SNIPPET_CHARS) -> str:
    """HTML-escaped excerpt of `text` around the folded `terms`, each match in <mark>."""
    pattern = _pattern(frozenset(terms | marked_spellings(terms)))
    spans = []
    if pattern is not None:
        for match in pattern.finditer(text):
            spans.append((match.start(), match.end(), fold_text(match.group(0))))
            if len(spans) >= MAX_MATCHES:
                break
    start, end = _bounds(text, _best_window(spans, width) if spans else 0, width)
    pieces = ["…"] if start > 0 else []
    cursor = start
    for span_start, span_end, _term in spans:
        if span_start < start or span_end > end:
            continue
        pieces.append(escape(text[cursor:span_start], quote=False))
        pieces.append(f"<mark>{escape(text[span_start:span_end], quote=False)}</mark>")
        cursor = span_end
    pieces.append(escape(text[cursor:end], quote=False))
    if end < len(text):
        pieces.append("…")
    return "".join(pieces)
