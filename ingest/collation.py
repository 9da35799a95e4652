"""Vietnamese alphabetical order, as a dictionary sorts: letters first (a ă â b c d đ e ê …),
then tones (none, huyền, hỏi, ngã, sắc, nặng), then case; word by word, so a shorter name comes
before the longer ones it starts.

>>> sorted(["Ủy ban", "Công an", "các sở", "Đài", "Dân tộc", "ăn", "an"], key=sort_key)
['an', 'ăn', 'các sở', 'Công an', 'Dân tộc', 'Đài', 'Ủy ban']

Python compares code points (capitals first, 'Đ' and 'Ủ' after 'z'); PyICU would do this but
needs the ICU library installed, so this small key does it for Vietnamese names.
"""

from __future__ import annotations

import re
import unicodedata

from ingest.folding import fold

# Vietnamese letters in order, with the Latin letters Vietnamese does not use in their places.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
# Marks that make another letter (a + breve = ă), and the tones in dictionary order.
_SHAPES = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê",
           ("o", "\u0302"): "ô", ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_WORD = re.compile(r"[^\W_]+")

Key = tuple[tuple[tuple[int, ...], ...], tuple[int, ...], tuple[bool, ...], str]


def _letter(char: str) -> tuple[int, int]:
    """(rank, tone) of one character."""
    base, *marks = unicodedata.normalize("NFD", char.lower())
    for mark in marks:
        base = _SHAPES.get((base, mark), base)
    tone = next((_TONES[mark] for mark in marks if mark in _TONES), 0)
    if base.isdigit():
        return int(base) - 10, 0  # digits before letters
    if base not in _RANK:
        folded = fold(base)[:1]
        return _RANK.get(folded, len(_ALPHABET) + ord(base[0])), tone
    return _RANK[base], tone


def sort_key(text: str) -> Key:
    """A key that sorts `text` in Vietnamese alphabetical order (punctuation is ignored)."""
    words = _WORD.findall(unicodedata.normalize("NFC", text))
    letters = [[_letter(char) for char in word] for word in words]
    primary = tuple(tuple(rank for rank, _tone in word) for word in letters)
    tones = tuple(tone for word in letters for _rank, tone in word)
    cases = tuple(char.isupper() for word in words for char in word)
    return primary, tones, cases, text
