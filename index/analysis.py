"""Vietnamese analysis for the index: NFC → syllable tokenizer → lowercase → fold (or tone fix).

Whoosh pickles analyzers into the index, so every class here must stay importable under this
module path (`index.analysis`); renaming one means bumping `SCHEMA_VERSION` in index.schema.

>>> [t.text for t in folded_analyzer()("Đồng Tháp, ngày 06")]
['dong', 'thap', 'ngay', '06']
>>> [t.text for t in exact_analyzer()("Cộng Hoà xã hội")]
['cộng', 'hòa', 'xã', 'hội']
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator

from unidecode import unidecode
from whoosh.analysis import Analyzer, Filter, LowercaseFilter, Token, Tokenizer

log = logging.getLogger(__name__)

# Separates the values of a multi-valued text field; tokens on either side are VALUE_GAP
# positions apart so a phrase never matches across two values.
VALUE_SEPARATOR = "\u001e"
VALUE_GAP = 100

_TOKEN_RE = re.compile(r"[\w\u0300-\u036f]+|\u001e")
_TONES = "\u0300\u0301\u0303\u0309\u0323"
# Old-style tone placement on the second vowel of an open oa/oe/uy ("hoà", "thuỷ") moved to the
# first one ("hòa", "thủy"); with a final consonant both styles agree ("hoàng").
_TONE_RE = re.compile(rf"(?<!q)(o)([ae])([{_TONES}])$|(?<!q)(u)(y)([{_TONES}])$")


def _build_fold_table() -> dict[int, str]:
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


FOLD_TABLE = _build_fold_table()


def fold_text(text: str) -> str:
    """Lower-case ASCII fold of Vietnamese text: 'Đồng Tháp' → 'dong thap'.

    A `str.translate` table (2.7× faster than unidecode); anything it leaves non-ASCII goes
    through unidecode.
    """
    folded = unicodedata.normalize("NFC", text).translate(FOLD_TABLE)
    return folded if folded.isascii() else unidecode(folded).lower()


def fold_same_length(text: str) -> str:
    """Fold character by character, keeping offsets (for highlighting); needs NFC input."""
    folded = text.translate(FOLD_TABLE).lower()
    if len(folded) == len(text):
        return folded
    return "".join(c.lower()[:1] for c in text.translate(FOLD_TABLE))


def normalize_tones(word: str) -> str:
    """Put the tone mark of an open oa/oe/uy on its first vowel: 'hoà' → 'hòa', 'thuỷ' → 'thủy'."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    fixed = _TONE_RE.sub(lambda m: _move_tone(m), decomposed)
    return unicodedata.normalize("NFC", fixed) if fixed != decomposed else word


def _move_tone(match: re.Match[str]) -> str:
    if match.group(1):
        return match.group(1) + match.group(3) + match.group(2)
    return match.group(4) + match.group(6) + match.group(5)


def exact_form(word: str) -> str:
    """The accent-preserving form of one word as the exact field stores it."""
    return normalize_tones(unicodedata.normalize("NFC", word).lower())


class SyllableTokenizer(Tokenizer):
    """NFC, then one token per syllable (a run of letters and digits)."""

    def __eq__(self, other: object) -> bool:
        return self.__class__ is other.__class__

    def __hash__(self) -> int:
        return hash(self.__class__.__name__)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        value = unicodedata.normalize("NFC", value)
        pieces = _TOKEN_RE.finditer(value) if tokenize else [re.match(r".*", value, re.S)]
        pos = start_pos
        for match in pieces:
            text = match.group(0)
            if text == VALUE_SEPARATOR:
                pos += VALUE_GAP
                continue
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            pos += 1
            yield token


class FoldFilter(Filter):
    """Lower-case ASCII folding with đ → d (after LowercaseFilter)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            text = token.text.translate(FOLD_TABLE)
            token.text = text if text.isascii() else unidecode(text).lower()
            yield token


class ToneFilter(Filter):
    """Normalise tone placement so 'hoà' and 'hòa' are one term (accents otherwise kept)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = normalize_tones(token.text)
            yield token


def folded_analyzer() -> Analyzer:
    """Analyzer of the folded fields: 'Đồng Tháp' → ['dong', 'thap']."""
    return SyllableTokenizer() | LowercaseFilter() | FoldFilter()


def exact_analyzer() -> Analyzer:
    """Analyzer of the accent-preserving field: 'Hoà Bình' → ['hòa', 'bình']."""
    return SyllableTokenizer() | LowercaseFilter() | ToneFilter()


def folded_words(text: str) -> list[str]:
    """The folded terms a text yields (what a query word must match)."""
    return [token.text for token in folded_analyzer()(text)]


def exact_words(text: str) -> list[str]:
    return [token.text for token in exact_analyzer()(text)]
