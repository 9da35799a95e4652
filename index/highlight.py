"""Snippets: the best window of a letter's text with the matched words marked.

The folded query words become patterns of every letter that folds to theirs (`d` → `[dDđĐ]`),
run on the stored text itself, so `dong thap` marks `Đồng Tháp`; where a long form's words are
all marked, its abbreviation is too (`ubnd` finds `UBND` as `Ủy ban nhân dân`, and marks it).
Only the hits of the page shown are highlighted, and only from the letter's first
SNIPPET_SOURCE_CHARS characters (`snippet_source`): an engine stores just that much of a letter
for its snippets, so a hit never reads (or parses) a stored copy of a whole long letter.

>>> snippet_html("Kính gửi UBND tỉnh Đồng Tháp <b>", {"dong", "thap"})
'Kính gửi UBND tỉnh <mark>Đồng</mark> <mark>Tháp</mark> &lt;b&gt;'
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from html import escape

from .abbreviations import marked_spellings
from .accents import FOLD_TABLE

log = logging.getLogger(__name__)

SNIPPET_CHARS = 240
MAX_MATCHES = 400
SNIPPET_SOURCE_CHARS = 20_000  # about six pages: most letters whole, an annex's start


def snippet_source(text: str) -> str:
    """What a snippet is cut from: the text with runs of white space collapsed, ended at the
    last space before SNIPPET_SOURCE_CHARS characters. An engine stores this (or the whole
    text, white space collapsed) and hands it to `snippet_html`; applying it again changes
    nothing."""
    return _cut(" ".join(text.split()))


def _cut(text: str) -> str:
    if len(text) <= SNIPPET_SOURCE_CHARS:
        return text
    space = text.rfind(" ", 0, SNIPPET_SOURCE_CHARS)
    return text[:space] if space > 0 else text[:SNIPPET_SOURCE_CHARS]


def _variants() -> dict[str, str]:
    """Each ASCII letter → a regex class of every letter that folds to it ('d' → '[dDđĐ]')."""
    variants: dict[str, set[str]] = {}
    for code, base in FOLD_TABLE.items():
        variants.setdefault(base, {base, base.upper()}).add(chr(code))
    return {base: "[" + "".join(sorted(chars)) + "]" for base, chars in variants.items()}


_VARIANTS = _variants()


@lru_cache(maxsize=4096)
def _term_pattern(term: str) -> re.Pattern[str]:
    """A regex finding the folded `term` as a word of the original (NFC) text, accents and
    all. Compiled once per term: a class of accented letters takes 0.1 ms to compile, and a
    query's terms, compiled together, cost 3 ms of each search. The word's left edge is
    checked behind its first letter, so the scan jumps from one such letter to the next (a
    look-behind first is tried at every character)."""
    letters = [_VARIANTS.get(c, re.escape(c)) for c in term]
    return re.compile(letters[0] + r"(?<!\w.)" + "".join(letters[1:]) + r"(?!\w)")


def _spans(text: str, terms: set[str]) -> list[tuple[int, int, str]]:
    """(start, end, term) of the first MAX_MATCHES matches of `terms` in `text`, in order; of
    two that overlap ('tt&tt', 'tt'), the first and longest."""
    found = []
    for term in terms:
        for n, match in enumerate(_term_pattern(term).finditer(text)):
            if n == MAX_MATCHES:
                break
            found.append((match.start(), match.end(), term))
    found.sort(key=lambda span: (span[0], -span[1]))
    spans: list[tuple[int, int, str]] = []
    for span in found:
        if not spans or span[0] >= spans[-1][1]:
            spans.append(span)
            if len(spans) == MAX_MATCHES:
                break
    return spans


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
    """HTML-escaped excerpt of `text` (white space collapsed, as `snippet_source` gives it;
    cut there) around the folded `terms`, each match in <mark>."""
    text = _cut(text)
    spans = _spans(text, {t for t in terms | marked_spellings(terms) if t})
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
