"""Vietnamese analysis for the index: NFC → abbreviations expanded → syllable tokenizer →
lowercase → fold (or tone fix).

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
from itertools import pairwise

from unidecode import unidecode
from whoosh.analysis import Analyzer, Token, Tokenizer

from .abbreviations import expand_abbreviations

log = logging.getLogger(__name__)

# Separates the values of a multi-valued text field; tokens on either side are VALUE_GAP
# positions apart so a phrase never matches across two values.
VALUE_SEPARATOR = "\u001e"
VALUE_GAP = 100

_TOKEN_RE = re.compile(r"[\w\u0300-\u036f]+|\u001e")
_TONES = "\u0300\u0301\u0303\u0309\u0323"


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


def normalize_tones(text: str) -> str:
    """Put the tone mark of an open oa/oe/uy on its first vowel: 'hoà' → 'hòa', 'thuỷ' → 'thủy'.

    Lower-case input (the analyzers lowercase first).
    """
    if text.isascii():
        return text
    return _OLD_TONES_RE.sub(lambda m: _OLD_TONES.get(m.group(0), m.group(0)),
                             unicodedata.normalize("NFC", text))


# Old-style tone placement on the second vowel of an open oa/oe/uy ("hoà", "thuỷ") moves to the
# first one ("hòa", "thủy"); with a final consonant both styles agree ("hoàng"); after "q" the
# "u" belongs to the onset ("quý").
def _old_style_table() -> dict[str, str]:
    """Every lower-case open 'oà', 'oé', 'uỷ' … → its normalised spelling ('òa', 'óe', 'ủy')."""
    table = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone in _TONES:
            old = unicodedata.normalize("NFC", first + second + tone)
            table[old] = unicodedata.normalize("NFC", first + tone + second)
    return table


_OLD_TONES = _old_style_table()
# A class of second vowels rather than an alternation of the 15 pairs: 2.3× faster on a letter;
# pairs outside the table ('uà') match and stay as they are.
_OLD_TONES_RE = re.compile(
    r"(?<!q)[ou][" + "".join(sorted({old[1] for old in _OLD_TONES})) + r"](?![\w\u0300-\u036f])"
)


class SyllableTokenizer(Tokenizer):
    """NFC, abbreviations expanded ('UBND' → 'Ủy ban nhân dân': index.abbreviations, in the
    mode `abbreviations`, "text", "query" or "names"), then one token per syllable (a run of
    letters and digits), in one of three forms.

    `form="fold"`: lower-case ASCII ('Đồng' → 'dong'); `form="pairs"`: adjacent folded syllables
    ('dong_thap'); `form="exact"`: lower case with accents
    and tone placement normalised ('Hoà' → 'hòa'), and only the words that carry a diacritic
    (an ASCII word's exact form is its folded form, already in the folded field). The whole text
    is transformed once with C-level `str.translate`/`re.sub` rather than by per-token filters:
    Whoosh's indexing time is mostly Python calls per token.
    """

    abbreviations = "text"  # what an analyzer pickled before abbreviations expanded reads

    def __init__(self, form: str = "fold", abbreviations: str = "text") -> None:
        self.form = form
        self.abbreviations = abbreviations

    def __eq__(self, other: object) -> bool:
        return (self.__class__ is other.__class__ and self.form == other.form  # type: ignore[attr-defined]
                and self.abbreviations == other.abbreviations)  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, self.form, self.abbreviations))

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
        if self.form == "pairs":
            yield from _pairs(self, value, Token(positions, chars, removestops=removestops,
                                                  mode=mode, **kwargs), start_pos)
            return
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        fold = self.form == "fold"
        value = (_folded_text(value, self.abbreviations) if fold
                 else _exact_text(value, self.abbreviations))
        pieces = _TOKEN_RE.finditer(value) if tokenize else [re.match(r".*", value, re.S)]
        pos = start_pos
        for match in pieces:
            text = match.group(0)
            if text == VALUE_SEPARATOR:
                pos += VALUE_GAP
                continue
            pos += 1
            if fold and not text.isascii():
                text = unidecode(text).lower()
            elif not fold and text.isascii():
                continue
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = pos - 1
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


def _pairs(tokenizer: SyllableTokenizer, value: str, token: Token,
           start_pos: int) -> Iterator[Token]:
    """Adjacent folded syllables joined by '_' ('dong_thap'): a phrase becomes an AND of pairs
    (no positions to read), and adjacency can raise a score cheaply."""
    previous = None
    pos = start_pos
    for match in _TOKEN_RE.finditer(_folded_text(value, tokenizer.abbreviations)):
        text = match.group(0)
        if text == VALUE_SEPARATOR:
            previous = None
            continue
        if not text.isascii():
            text = unidecode(text).lower()
        if previous is not None:
            token.text = f"{previous}_{text}"
            token.boost = 1.0
            token.stopped = False
            token.pos = pos
            pos += 1
            yield token
        previous = text


def _folded_text(text: str, mode: str = "text") -> str:
    return expand_abbreviations(unicodedata.normalize("NFC", text), mode).translate(FOLD_TABLE)


def _exact_text(text: str, mode: str = "text") -> str:
    return normalize_tones(expand_abbreviations(unicodedata.normalize("NFC", text), mode).lower())


def folded_analyzer(mode: str = "text") -> Analyzer:
    """Analyzer of the folded fields: 'Đồng Tháp' → ['dong', 'thap'] (abbreviations expanded
    in `mode`: "text" indexed, "query" or "names" typed)."""
    return SyllableTokenizer("fold", mode)


def pairs_analyzer() -> Analyzer:
    """Analyzer of the word-pair field: 'Đồng Tháp mới' → ['dong_thap', 'thap_moi']."""
    return SyllableTokenizer("pairs")


def word_pairs(words: list[str]) -> list[str]:
    """The pair terms of consecutive folded words."""
    return [f"{a}_{b}" for a, b in pairwise(words)]


def exact_analyzer(mode: str = "text") -> Analyzer:
    """Analyzer of the accent-preserving field: 'Hoà Bình ABC' → ['hòa', 'bình']."""
    return SyllableTokenizer("exact", mode)


def folded_words(text: str, mode: str = "text") -> list[str]:
    """The folded terms a text yields (what a query's words must match with `mode` "query", a
    field filter's with "names")."""
    return [token.text for token in folded_analyzer(mode)(text)]


def exact_words(text: str, mode: str = "text") -> list[str]:
    return [token.text for token in exact_analyzer(mode)(text)]
