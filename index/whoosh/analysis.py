"""Whoosh's analyzers of the Vietnamese fields: the shared analysis (index.analysis) as
Whoosh tokens, one per syllable, with positions and offsets.

Whoosh pickles analyzers into the index, so every class here must stay importable under this
module path (`index.whoosh.analysis`); renaming one means bumping `SCHEMA_VERSION` in
index.whoosh.schema.

>>> [t.text for t in folded_analyzer()("Đồng Tháp, ngày 06")]
['dong', 'thap', 'ngay', '06']
>>> [t.text for t in exact_analyzer()("Cộng Hoà xã hội")]
['cộng', 'hòa', 'xã', 'hội']
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from unidecode import unidecode
from whoosh.analysis import Analyzer, Token, Tokenizer

from ..analysis import TOKEN_RE, VALUE_GAP, VALUE_SEPARATOR, exact_text, folded_text

log = logging.getLogger(__name__)


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
        value = (folded_text(value, self.abbreviations) if fold
                 else exact_text(value, self.abbreviations))
        pieces = TOKEN_RE.finditer(value) if tokenize else [re.match(r".*", value, re.S)]
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
    """Adjacent folded syllables joined by '_' ('dong_thap'), pair i at position i: a phrase is
    its pairs side by side, and adjacency can raise a score cheaply. Values are VALUE_GAP
    positions apart, so pairs side by side never straddle two values."""
    previous = None
    pos = start_pos
    for match in TOKEN_RE.finditer(folded_text(value, tokenizer.abbreviations)):
        text = match.group(0)
        if text == VALUE_SEPARATOR:
            previous = None
            pos += VALUE_GAP
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


def folded_analyzer(mode: str = "text") -> Analyzer:
    """Analyzer of the folded fields: 'Đồng Tháp' → ['dong', 'thap'] (abbreviations expanded
    in `mode`: "text" indexed, "query" or "names" typed)."""
    return SyllableTokenizer("fold", mode)


def pairs_analyzer() -> Analyzer:
    """Analyzer of the word-pair field: 'Đồng Tháp mới' → ['dong_thap', 'thap_moi']."""
    return SyllableTokenizer("pairs")


def exact_analyzer(mode: str = "text") -> Analyzer:
    """Analyzer of the accent-preserving field: 'Hoà Bình ABC' → ['hòa', 'bình']."""
    return SyllableTokenizer("exact", mode)
