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
from itertools import pairwise

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


def folded_word_count(text: str, mode: str = "text") -> int:
    """The words the folded fields hold for `text`, as tantivy counts them (a field's length,
    which BM25 weighs: both engines must count alike)."""
    return len(WORD_RE.findall(folded_text(text, mode)))


def exact_word_count(text: str) -> int:
    """The words the accented field holds for `text`, as tantivy counts them: the words of
    the pieces between spaces that carry a letter outside ASCII (index.tantivy.schema)."""
    return len(WORD_RE.findall(" ".join(
        piece for piece in exact_text(text).split() if not piece.isascii())))


def word_pairs(words: list[str]) -> list[str]:
    """The pair terms of consecutive folded words: ['dong', 'thap', 'moi'] → ['dong_thap',
    'thap_moi']."""
    return list(map("_".join, pairwise(words)))


def pairs_text(text: str) -> str:
    """The words of `text` side by side, as the pairs field of tantivy takes them: 'Đồng Tháp
    mới' → 'Đồng_Tháp Tháp_Mới' (tantivy lower-cases and folds each pair: 'dong_thap').
    Words are cut as tantivy cuts them (WORD_RE), in C: a bulk build runs this on every
    letter, where tantivy's own tokenizer called from Python cost ~1.5× as much."""
    return " ".join(map("_".join, pairwise(WORD_RE.findall(text))))


def pair_count(words: int) -> int:
    """The word pairs a value of `words` words holds: the length of the pairs field, which
    BM25 weighs (both engines count it alike)."""
    return max(words - 1, 0)
