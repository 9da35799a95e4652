"""Vietnamese analysis shared by both engines: NFC → abbreviations expanded → syllables →
lower case → folded (or tones placed one way), as the indexes read a text and a query.

Each engine tokenizes with its own library (index.whoosh.analysis, index.tantivy.schema); both
give the words these functions give (tests/test_analysis.py, tests/test_tantivy.py).

>>> folded_words("Đồng Tháp, ngày 06")
['dong', 'thap', 'ngay', '06']
>>> exact_words("Cộng Hoà xã hội")
['cộng', 'hòa', 'xã', 'hội']
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from itertools import compress, pairwise
from operator import and_

from unidecode import unidecode

from .abbreviations import expand_abbreviations
from .accents import FOLD_TABLE, normalize_tones

log = logging.getLogger(__name__)

# Separates the values of a multi-valued text field; tokens on either side are VALUE_GAP
# positions apart so a phrase never matches across two values.
VALUE_SEPARATOR = "\u001e"
VALUE_GAP = 100

TOKEN_RE = re.compile(r"[\w\u0300-\u036f]+|\u001e")  # a syllable, or a value separator


def folded_text(text: str, mode: str = "text") -> str:
    """The text folded as a whole, abbreviations expanded in `mode` (index.abbreviations);
    what the fold table does not know is left for unidecode, word by word."""
    return expand_abbreviations(unicodedata.normalize("NFC", text), mode).translate(FOLD_TABLE)


def exact_text(text: str, mode: str = "text") -> str:
    """The text in lower case with its tones placed one way, abbreviations expanded."""
    return normalize_tones(expand_abbreviations(unicodedata.normalize("NFC", text), mode).lower())


def folded_words(text: str, mode: str = "text") -> list[str]:
    """The folded terms a text yields (what a query's words must match with `mode` "query", a
    field filter's with "names")."""
    return [word if word.isascii() else unidecode(word).lower()
            for word in TOKEN_RE.findall(folded_text(text, mode)) if word != VALUE_SEPARATOR]


def exact_words(text: str, mode: str = "text") -> list[str]:
    """The accented terms a text yields: only the words that carry a diacritic (an ASCII
    word's exact form is its folded form)."""
    return [word for word in TOKEN_RE.findall(exact_text(text, mode))
            if word != VALUE_SEPARATOR and not word.isascii()]


# A word as tantivy's simple tokenizer cuts one: a run of letters and digits ('_' separates).
WORD_RE = re.compile(r"[^\W_]+")


def folded_word_list(text: str, mode: str = "text") -> list[str]:
    """The words the folded fields hold for `text`, as tantivy cuts them (before it folds what
    `folded_text` leaves outside ASCII)."""
    return WORD_RE.findall(folded_text(text, mode))


def folded_word_count(text: str, mode: str = "text") -> int:
    """The words the folded fields hold for `text`, as tantivy counts them (a field's length,
    which BM25 weighs: both engines must count alike)."""
    return len(folded_word_list(text, mode))


def exact_word_count(text: str) -> int:
    """The words the accented field holds for `text`, as tantivy counts them: the words of
    the pieces between spaces that carry a letter outside ASCII (index.tantivy.schema)."""
    return len(WORD_RE.findall(" ".join(
        piece for piece in exact_text(text).split() if not piece.isascii())))


def word_pairs(words: list[str]) -> list[str]:
    """The pair terms of consecutive folded words: ['dong', 'thap', 'moi'] → ['dong_thap',
    'thap_moi']."""
    return list(map("_".join, pairwise(words)))


def lettered_pairs(words: list[str]) -> Iterator[str]:
    """The pair terms of consecutive words made of letters only, as the pairs fields hold them
    for words typed side by side: ['ngay', '15', 'thang', 'tu'] → ['thang_tu']. A pair with a
    number ('so_12', '15_thang') says little of what a letter is about (a number typed is
    looked up as one), and such pairs were a sixth of the pairs of 5,000 generated letters but
    nine in ten of the distinct ones: left out, a tantivy build writes a tenth of the terms."""
    lettered = list(map(str.isalpha, words))
    return map("_".join, compress(pairwise(words), map(and_, lettered, lettered[1:])))


def lettered_pair_count(words: list[str]) -> int:
    """How many `lettered_pairs` the words hold: a value's length in the pairs fields, which
    BM25 weighs (both engines count it alike)."""
    lettered = list(map(str.isalpha, words))
    return sum(map(and_, lettered, lettered[1:]))


# An ASCII text's separators as spaces (str.translate has a fast path for ASCII).
_ASCII_WORDS = str.maketrans({chr(c): chr(c) if chr(c).isalnum() else " " for c in range(128)})


def pairs_text(text: str) -> str:
    """The `lettered_pairs` of `text`, as the pairs field of tantivy takes them: 'Dong Thap
    moi' → 'Dong_Thap Thap_moi' (tantivy lower-cases and folds each pair: 'dong_thap'). Words
    are cut as tantivy cuts them (WORD_RE), in C: a bulk build runs this on every letter."""
    words = (text.translate(_ASCII_WORDS).split() if text.isascii()  # a tenth of a regex's time
             else WORD_RE.findall(text))
    return " ".join(lettered_pairs(words))
