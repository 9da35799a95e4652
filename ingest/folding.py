"""A folded shadow of a text (ASCII, lower case) with a map back to the original offsets.

OCR without Vietnamese diacritics ("Pong Thap, ngay 06 thang 01 ndm 2025") and clean text
("Đồng Tháp, ngày 06 tháng 01 năm 2025") look alike once both are folded, so the extractor
matches patterns on the fold and reports spans in the original text.

>>> shadow = FoldedText("Số: 04/UBND")
>>> shadow.folded
'so: 04/ubnd'
>>> shadow.span(0, 2)
(0, 2)
"""

from __future__ import annotations

import codecs
import logging
import unicodedata
from collections.abc import Callable, Mapping
from functools import cached_property, lru_cache

import numpy as np
from unidecode import unidecode

log = logging.getLogger(__name__)

# OCR and legacy converters write these for Đ/đ; unidecode would turn some into "D"/"d" anyway,
# but not all of them.
class KeepOthers(dict[int, str | int | None]):
    """A `str.translate` table that keeps the characters it does not name, each remembered as
    met. With a plain dict, `translate` raises and catches a KeyError for every character the
    table leaves alone: a text mostly left alone took nearly twice as long."""

    def __init__(self, table: Mapping[int, str | int | None]) -> None:
        super().__init__(table)
        self.named = len(table)

    def __missing__(self, code: int) -> str:
        if len(self) > self.named + _KEPT_CHARACTERS:  # a hostile text of every character
            for other in [key for key, value in self.items() if value == chr(key)]:
                del self[other]
        kept = self[code] = chr(code)
        return kept


_KEPT_CHARACTERS = 50_000

_D_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ", "Ɖ": "Đ", "ɖ": "đ"})


@lru_cache(maxsize=4096)
def _fold_char(char: str, lower: bool = True) -> str:
    if char.isascii():
        return char.lower() if lower else char
    if unicodedata.category(char).startswith("Z"):
        return " "
    folded = unidecode(char.translate(_D_LOOKALIKES))
    return folded.lower() if lower else folded


def _marks_table() -> dict[int, str]:
    """Latin letters with marks (Latin-1 to Latin Extended Additional) → their base letter."""
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and base.isascii():
            table[code] = base
    return table


_MARKS_TABLE = _marks_table()
_KEEP_MARKS_TABLE = KeepOthers(_MARKS_TABLE)


def strip_marks(text: str) -> str:
    """Drop every Vietnamese mark and map đ to d, keeping the case and the length (NFC in):
    offsets into the result are offsets into the text. 'Đồng Tháp' → 'Dong Thap'."""
    return text.translate(_KEEP_MARKS_TABLE)


def _fold_table() -> dict[int, str]:
    """Capitals and Latin letters with marks → their lower-case ASCII base letter."""
    table: dict[int, str] = {}
    ranges = [range(0x41, 0x5B), range(0xC0, 0x250), range(0x1E00, 0x1F00)]
    for code in (c for r in ranges for c in r):
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFD", char.lower()) if not unicodedata.combining(c)
        )
        base = {"đ": "d", "ð": "d", "ɖ": "d"}.get(base, base)
        if len(base) == 1 and base.isascii() and base != char:
            table[code] = base
    return table


# The search index builds its character classes from it (a folded letter and its forms).
FOLD_TABLE = _fold_table()
_KEEP_FOLD_TABLE = KeepOthers(FOLD_TABLE)


def fold(text: str) -> str:
    """Fold a text to lower-case ASCII: 'Đồng Tháp' → 'dong thap'. The one fold of the house:
    the extractor matches on it and the search index stores and looks up its words.

    A `str.translate` table for Vietnamese (2.7× faster than unidecode); what it leaves
    non-ASCII is folded character by character. The extractor folds each line of a letter
    many times over (every rule folds what it looks at): a line's fold is remembered."""
    if len(text) <= _REMEMBERED_LENGTH:
        return _fold_line(text)
    return _fold(text)


_REMEMBERED_LENGTH = 400  # a line, not a whole text: the cache stays small


@lru_cache(maxsize=8192)
def _fold_line(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    if len(text) >= LONG_TEXT and (folded := _FOLD_LOOKUP.map(text)) is not None:
        return folded
    folded = text.translate(_KEEP_FOLD_TABLE)
    return folded if folded.isascii() else "".join(_fold_char(c) for c in folded)


class CharMap:
    """A character → character map applied to a long text at once in numpy: `str.translate`
    looks each character up in a dict, ~30 ns apiece (a letter's whole text folded took
    0.35 ms, in numpy 0.03 ms). Filled from `one` as characters come; None (the caller's plain
    way) when a character maps to other than exactly one, or lies outside the BMP."""

    _UNKNOWN, _NOT_ONE = 0xFFFFFFFF, 0xFFFFFFFE

    def __init__(self, one: Callable[[str], str]) -> None:
        self.one = one
        self.table = np.full(0x10000, self._UNKNOWN, dtype="<u4")

    def map(self, text: str) -> str | None:
        try:
            codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
        except UnicodeEncodeError:  # a lone surrogate
            return None
        if codes.max(initial=0) > 0xFFFF:
            return None
        mapped = self.table[codes]
        if (unknown := mapped == self._UNKNOWN).any():
            for code in np.unique(codes[unknown]).tolist():
                value = self.one(chr(code))
                self.table[code] = ord(value) if len(value) == 1 else self._NOT_ONE
            mapped = self.table[codes]
        if (mapped == self._NOT_ONE).any():
            return None
        if mapped.max(initial=0) < 0x80:  # folds are ASCII: by bytes (utf-32's decoder is slow)
            return mapped.astype(np.uint8).tobytes().decode("ascii")
        return codecs.utf_32_le_decode(mapped.tobytes())[0]


LONG_TEXT = 256  # shorter texts: translate costs no more than numpy's calls


def _fold_one(char: str) -> str:
    """What `_fold` makes of one character of an NFC text."""
    if ord(char) in FOLD_TABLE:
        return FOLD_TABLE[ord(char)]
    return char if char.isascii() else _fold_char(char)


_FOLD_LOOKUP = CharMap(_fold_one)


class _CharFolds(dict[int, str]):
    """A `str.translate` table: each character → `_fold_char` of it, filled as characters come."""

    def __init__(self, lower: bool) -> None:
        super().__init__()
        self.lower = lower

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code), self.lower)
        if len(folded) != 1:
            _NOT_ONE_CHAR[code] = chr(code)
        return folded


# Characters whose fold is not exactly one character (unidecode gives "" or several): a text
# without any keeps its offsets one for one. A table that keeps only those (for `translate`).
_NOT_ONE_CHAR: dict[int, str] = {}


class _OnlyNotOneChar(dict[int, str | None]):
    """Asked only of characters `_CharFolds` has folded already, so its answer is final."""

    def __missing__(self, code: int) -> str | None:
        kept = self[code] = _NOT_ONE_CHAR.get(code)
        return kept


_CHAR_FOLDS = {True: _CharFolds(True), False: _CharFolds(False)}
_CHAR_LOOKUPS = {lower: CharMap(lambda char, folds=folds: folds[ord(char)])
                 for lower, folds in _CHAR_FOLDS.items()}
_ONLY_NOT_ONE_CHAR = _OnlyNotOneChar()


class FoldedText:
    """`folded` is `fold(original)`; `offsets[i]` is the index in `original` of folded char i.

    With `lower=False` the fold keeps letter case ('Đồng Tháp' → 'Dong Thap').
    """

    def __init__(self, original: str, *, lower: bool = True) -> None:
        self.original = original
        self.lower = lower
        # A long text in numpy; None when some character folds to other than one
        folded = _CHAR_LOOKUPS[lower].map(original) if len(original) >= LONG_TEXT else None
        self._one_to_one = folded is not None
        self.folded = (  # translate fills _NOT_ONE_CHAR as it goes, as _CHAR_LOOKUPS do
            folded if folded is not None else original.translate(_CHAR_FOLDS[lower]))

    @cached_property
    def offsets(self) -> list[int]:
        """Made when first asked for: most lines are folded only to be matched, never mapped."""
        if self._one_to_one or not self.original.translate(_ONLY_NOT_ONE_CHAR):  # 1:1
            return list(range(len(self.original)))
        offsets: list[int] = []
        for index, char in enumerate(self.original):
            offsets.extend([index] * len(_fold_char(char, self.lower)))
        return offsets

    def to_original(self, position: int) -> int:
        """The original index of folded position `position` (end positions map past the char)."""
        if position <= 0 or not self.offsets:
            return 0
        if position >= len(self.offsets):
            return len(self.original)
        return self.offsets[position]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded [start, end) span to the original text."""
        if end <= start:
            begin = self.to_original(start)
            return begin, begin
        last = self.offsets[min(end, len(self.offsets)) - 1] if self.offsets else 0
        return self.to_original(start), last + 1

    def slice(self, start: int, end: int) -> str:
        """The original text under a folded span."""
        begin, finish = self.span(start, end)
        return self.original[begin:finish]


@lru_cache(maxsize=256)  # asked of the same whole text by several readers of one letter
def few_diacritics(text: str) -> bool:
    """Text written (or OCR'd) without Vietnamese marks: under 5% non-ASCII letters."""
    kinds = _LETTER_KINDS.map(text) if len(text) >= LONG_TEXT else None
    if kinds is not None:  # a whole text: each character's kind at once, then counted
        letters, marked = len(kinds) - kinds.count(" "), kinds.count("n")
        return bool(letters) and marked < 0.05 * letters
    letters = list(filter(str.isalpha, text))  # asked of whole texts: no Python loop
    return bool(letters) and len(letters) - sum(map(str.isascii, letters)) < 0.05 * len(letters)


def _letter_kind(char: str) -> str:
    """'a' an ASCII letter, 'n' another letter, ' ' not a letter."""
    if not char.isalpha():
        return " "
    return "a" if char.isascii() else "n"


_LETTER_KINDS = CharMap(_letter_kind)
