"""What a parsed query asks of an index, whatever its engine: the index field each filter
searches, how much each kind of match weighs, when the words typed are a document number, and
the order of letters that score the same or share a date.

Both engines' plans (index.whoosh.queries, index.tantivy.queries) read these, so a query means
the same on either.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
from collections.abc import Callable, Iterable

import numpy as np

from ingest.extract.numbers import reference_key
from ingest.folding import fold

from .analysis import folded_words
from .errors import QueryError
from .querylang import ParsedQuery

log = logging.getLogger(__name__)

OWN_NUMBER_BOOST = 1000.0
CITED_NUMBER_BOOST = 100.0
# A number typed without its year or with the symbol's first parts only ('112/nd-cp' for
# 112/2021/NĐ-CP, '123/ubnd' for 123/UBND-VX): below the exact number, above any text.
LOOSE_NUMBER_SHARE = 0.5
# A letter whose number could not be read (handwritten or stamped on a scan: 'Số: Z⁄⁄
# /TTr-CAT(PC04)') is indexed under its symbol alone ('?/ttr-cat-pc04', `unread_key`); a number
# typed that no letter holds, exactly or loosely, finds those: below any letter holding it,
# above the letters citing it (the clerk asks for the letter itself).
UNREAD = "?"
UNREAD_NUMBER_SHARE = 0.25
UNREAD_NOTICE = ("Không có văn bản mang số này; xếp trước là các văn bản cùng ký hiệu chưa đọc "
                 "được số (số viết tay hoặc đóng dấu trên bản quét).")
# A number OCR misread (a stamped or handwritten '2388' read '2587'): when no letter holds the
# number typed and no letter of its symbol lacks one, the letters of that symbol (and year, if
# typed) whose number differs in one digit (two, for numbers of four digits and more) come
# first, with a notice; below them the letters citing it.
MISREAD_NUMBER_SHARE = 0.1
MISREAD_NOTICE = ("Không có văn bản mang số này; xếp trước là các văn bản cùng ký hiệu có số gần "
                  "giống (có thể máy đọc sai số trên bản quét).")
EXACT_ACCENT_BOOST = 0.5
# Restoring the diacritics of a query typed without any (ingest.repair.diacritics, the
# archive's n-gram model) to raise the letters holding the restored words exactly was
# measured and left out: bench/knownitem.py, tantivy, MRR@10 0.803 → 0.805 as a bonus per
# word (0.5 × BM25 on the accented field; a constant bonus: 0.803-0.804), 0.784-0.801 as
# restored pairs side by side; for ~100 MB more per server process and 1-3 s at the first query.
TITLE_BOOST = 1.0
# A letter whose heading (type, number, issuer, subject, place) holds every word typed is the
# one a clerk means far more often than one holding them in its text only: a bonus in score
# units (BM25 scores of a few words are 5-50), on both engines (bench/knownitem.py: MRR@10
# 0.745 → 0.774 on Whoosh, 0.732 → 0.768 on tantivy).
HEADING_ALL_BOOST = 25.0
# Each pair of words typed side by side is a term of its own: both engines index the folded
# words of a letter side by side ('hop_dong'; pairs with a number left out,
# analysis.lettered_pairs) in a `pairs` field, and score a pair typed as any term, by BM25
# with the pair's own idf, its count in the letter and the letter's length in pairs. A
# phrase of the two words weighed by the sum of their idfs was near nothing for common words
# ('hợp đồng', 'lao động': 0.02), and on tantivy it read the positions of both words in most
# letters (100k letters, in process: ranked p95 62 → 13 ms). bench/knownitem.py, tantivy, MRR@10
# by boost: 1.0 0.811, 1.5 0.814, 2.0 0.813 (the estimated pair idf before: 0.813).
PAIR_BOOST = 1.5
# Each pair of words typed side by side that stands side by side in the heading (the subject
# a clerk remembers, the issuer's name): a bonus in score units, on both engines
# (bench/knownitem.py, tantivy: MRR@10 0.803 → 0.814, issuer + topic 0.791 → 0.812).
HEADING_PAIR_BOOST = 10.0
# An issuer named whole in the words typed beside other words ('chinh phu bien phap'): the
# letters it issued are meant, not those whose issuer's name holds it ('Thủ tướng Chính phủ',
# 'Văn phòng Chính phủ') or whose text names it. A bonus in score units, on both engines, for
# the letters of the longest issuer names found (`IssuerNames`).
ISSUER_NAMED_BOOST = 10.0

# Scores are tantivy's BM25 on both engines (Whoosh's scorer computes it, index.whoosh.scoring):
# k1, b; idf = ln(1 + (N - n + 0.5) / (n + 0.5)); a field's length rounded down to one of
# FIELDNORMS (tantivy keeps it in a byte); a phrase weighs the sum of its words' idfs times
# its count's term factor.
BM25_K1, BM25_B = 1.2, 0.75


def _fieldnorms() -> list[int]:
    """tantivy's field lengths kept in a byte (Lucene's SmallFloat.byte4ToInt): exact below 40,
    then 8 steps per doubling."""
    table = []
    for code in range(256):
        if code < 24:
            table.append(code)
            continue
        i = code - 24
        bits, shift = i & 7, (i >> 3) - 1
        table.append(24 + (bits if shift < 0 else (bits | 8) << shift))
    return table


FIELDNORMS = _fieldnorms()


def bm25_idf(letters: int, total: int) -> float:
    """tantivy's idf (Lucene's BM25 idf) of a word in `letters` of `total` letters."""
    return math.log(1 + (total - letters + 0.5) / (letters + 0.5))


def bm25(idf: float, counts: np.ndarray, lengths: np.ndarray | float,
         average: float) -> np.ndarray:
    """tantivy's BM25 in float32 as it computes it: a term `counts` times in letters whose
    field is `lengths` words long (rounded to FIELDNORMS), the field's average length
    `average` (its words in all over the live letters)."""
    lengths = np.asarray(lengths, dtype=np.float32)
    counts = np.asarray(counts, dtype=np.float32)
    norm = np.float32(BM25_K1) * (np.float32(1 - BM25_B)
                                  + np.float32(BM25_B) * lengths / np.float32(average))
    weight = np.float32(idf) * np.float32(1 + BM25_K1)
    return (weight * (counts / (counts + norm))).astype(np.float32)


# Query field name → index field; text fields are matched as folded phrases.
TEXT_FILTERS = {
    "coquan": "issuer", "capcha": "parent", "nguoiky": "signer", "nhan": "recipients",
    "giao": "assignees",
}
TERM_FILTERS = {
    "so": "ref_key", "trichdan": "cites", "loai": "type_slug", "tinh": "province", "nam": "year",
    "kiemtra": "needs_review", "hieuluc": "validity",
}


# Letters of equal score come newest first, and letters of one date in a fixed order of their
# ids (a hash, so no engine's insertion order decides): a date key and 37 bits of the id's
# hash make one unsigned 64-bit sort key, the same in every engine.
TIE_BITS = 37
UNDATED_OLD = 99_999_999  # sorts undated letters last when oldest come first


def date_key(date: str) -> int:
    """'2024-05-06' → 20240506, '2024-05' → 20240500, '2024' → 20240000, '2024-99' →
    20249900: ordered as the strings are, so the query language's date bounds carry over."""
    parts = [int(p) for p in date.split("-")[:3]] + [0, 0]
    return parts[0] * 10_000 + parts[1] * 100 + parts[2]


def id_rank(doc_id: str) -> int:
    """The letter's fixed place among letters of the same date (TIE_BITS bits)."""
    digest = hashlib.blake2b(doc_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> (64 - TIE_BITS)


def newest_key(date: str, doc_id: str) -> int:
    """Sort key, greatest first: newest, undated last, ties by `id_rank` (greatest first).
    Relevance breaks equal scores with it too."""
    return ((date_key(date) if date else 0) << TIE_BITS) | id_rank(doc_id)


def oldest_key(date: str, doc_id: str) -> int:
    """Sort key, least first: oldest, undated last, ties by `id_rank` (least first)."""
    return ((date_key(date) if date else UNDATED_OLD) << TIE_BITS) | id_rank(doc_id)


def words_mode(parsed: ParsedQuery) -> str:
    """How the words typed expand abbreviations: not at all when they are a document number
    ('12 kh ubnd' is 12/KH-UBND, whose symbol the index keeps as written)."""
    return "none" if whole_number(parsed) else "query"


def whole_number(parsed: ParsedQuery) -> str | None:
    """The key when the words typed are one document number ('139 cd ttg')."""
    if not parsed.is_plain or len(parsed.groups) < 2 or len(parsed.groups) > 6:
        return None
    text = parsed.free_text
    return reference_key(text) if any(c.isdigit() for c in text) else None


class IssuerNames:
    """The issuers of an index's letters by their folded words (abbreviations expanded as in a
    text), to find those a query's words name."""

    def __init__(self, vocabulary: Iterable[tuple[str, str, int]]) -> None:
        self._values: dict[tuple[str, ...], list[str]] = {}
        for value, _folded, _count in vocabulary:
            words = tuple(folded_words(value))
            if words:
                self._values.setdefault(words, []).append(value)
        self._longest = max(map(len, self._values), default=0)

    def named(self, words: list[str]) -> list[str]:
        """The issuers (their indexed values) whose whole name the words typed hold beside
        other words, a name inside a longer one found there left out ('thu tuong chinh phu':
        Thủ tướng Chính phủ, not Chính phủ)."""
        spans = [(start, end) for start in range(len(words))
                 for end in range(start + 1, min(len(words), start + self._longest) + 1)
                 if end - start < len(words) and tuple(words[start:end]) in self._values]
        longest = [(a, b) for a, b in spans
                   if not any(c <= a and b <= d and (c, d) != (a, b) for c, d in spans)]
        return list(dict.fromkeys(v for a, b in longest for v in self._values[tuple(words[a:b])]))


def no_issuers(_words: list[str]) -> list[str]:
    return []


# The issuers a query's folded words name (`IssuerNames.named` of an index's generation).
NamedIssuers = Callable[[list[str]], list[str]]

# Lists the indexed values of a field that start with a prefix (each engine's own lexicon).
Lexicon = Callable[[str, str], Iterable[str]]

_KEY = re.compile(r"(?P<number>[^/]+)/(?:(?P<year>(?:19|20)\d\d)/)?(?P<symbol>.+)")


def _key_parts(key: str) -> tuple[str, str | None, list[str]] | None:
    match = _KEY.fullmatch(key)
    if match is None:
        return None
    return match["number"], match["year"], match["symbol"].split("-")


def loosely_same(typed: str, indexed: str) -> bool:
    """Whether the number typed ('112/nd-cp', '123/ubnd') may be the indexed one
    ('112/2021/nd-cp', '123/ubnd-vx'): the same number, the same year if one is typed, and the
    symbol's parts typed are the first parts of the indexed symbol. Not the same key."""
    mine, theirs = _key_parts(typed), _key_parts(indexed)
    if mine is None or theirs is None or typed == indexed:
        return False
    (number, year, groups), (their_number, their_year, their_groups) = mine, theirs
    return (number == their_number and year in (None, their_year)
            and their_groups[:len(groups)] == groups)


def loose_keys(key: str, fieldname: str, lexicon: Lexicon) -> list[str]:
    """The indexed numbers of `fieldname` (ref_key, cites) that the number typed may mean,
    besides itself (`loosely_same`)."""
    parts = _key_parts(key)
    if parts is None:
        return []
    return sorted(k for k in lexicon(fieldname, f"{parts[0]}/") if loosely_same(key, k))


def unread_key(symbol: str) -> str | None:
    """The key of a letter whose number could not be read, from its symbol alone:
    'TTr-CAT(PC04)' → '?/ttr-cat-pc04'; None when the symbol does not parse."""
    key = reference_key(f"0/{symbol}") if symbol else None
    return f"{UNREAD}/{key.split('/', 1)[1]}" if key else None


def number_terms(key: str, lexicon: Lexicon) -> list[tuple[str, str, float]]:
    """(field, key, boost) of what a number typed searches: the letter holding it first, then
    the letters citing it, then those it may mean typed loosely (`loose_keys`) and their
    citers; when no letter holds it, exactly or loosely, the letters whose number could not
    be read and whose symbol is the one typed (then those whose symbol starts with it)."""
    own = loose_keys(key, "ref_key", lexicon)
    terms = [("ref_key", key, OWN_NUMBER_BOOST), ("cites", key, CITED_NUMBER_BOOST)]
    terms += [("ref_key", k, OWN_NUMBER_BOOST * LOOSE_NUMBER_SHARE) for k in own]
    terms += [("cites", k, CITED_NUMBER_BOOST * LOOSE_NUMBER_SHARE)
              for k in loose_keys(key, "cites", lexicon)]
    if not own and not held(key, lexicon):
        boost = OWN_NUMBER_BOOST * UNREAD_NUMBER_SHARE
        parts = _key_parts(key)
        same = f"{UNREAD}/{'-'.join(parts[2])}" if parts else None
        unread = unread_keys(key, lexicon)
        terms += [("ref_key", k, boost if k == same else boost * LOOSE_NUMBER_SHARE)
                  for k in unread]
        if not unread:
            terms += [("ref_key", k, OWN_NUMBER_BOOST * MISREAD_NUMBER_SHARE)
                      for k in misread_keys(key, lexicon)]
    return terms


def number_notice(key: str, terms: list[tuple[str, str, float]]) -> str | None:
    """What the page says when `number_terms` fell back on letters that do not show the number
    typed: their number could not be read, or it may have been misread."""
    if any(k.startswith(f"{UNREAD}/") for _field, k, _boost in terms):
        return UNREAD_NOTICE
    parts = _key_parts(key)
    for field, k, _boost in terms:
        theirs = _key_parts(k) if field == "ref_key" else None
        if parts and theirs and theirs[0] != parts[0]:
            return MISREAD_NOTICE
    return None


def misread_keys(key: str, lexicon: Lexicon) -> list[str]:
    """The indexed numbers (`ref_key`) with the symbol typed, or one it starts, and its year if
    typed, whose number is the one typed with one digit changed (up to two for four digits and
    more), as OCR misreads a number stamped or written by hand ('2388/c04-p6' → '2587/c04-p6')."""
    parts = _key_parts(key)
    if parts is None or not parts[0].isdigit() or len(parts[0]) < 2:
        return []
    number, year, groups = parts
    found = []
    for candidate in sorted(_digit_changes(number, 2 if len(number) >= 4 else 1)):
        for indexed in lexicon("ref_key", f"{candidate}/"):
            theirs = _key_parts(indexed)
            if (theirs is not None and theirs[0] == candidate and year in (None, theirs[1])
                    and theirs[2][:len(groups)] == groups):
                found.append(indexed)
    return found


def _digit_changes(number: str, most: int) -> set[str]:
    """`number` with one to `most` of its digits changed."""
    found, frontier = set(), {number}
    for _ in range(most):
        frontier = {n[:i] + d + n[i + 1:] for n in frontier for i in range(len(n))
                    for d in "0123456789" if d != n[i]}
        found |= frontier
    found.discard(number)
    return found


def held(key: str, lexicon: Lexicon) -> bool:
    """Whether a letter holds the number `key` (its own, not one it cites)."""
    return key in lexicon("ref_key", key)


def unread_keys(key: str, lexicon: Lexicon) -> list[str]:
    """The `unread_key`s whose symbol is the one of the number typed, or starts with its
    parts ('511/ttr' → '?/ttr-cat-pc04'); a year typed is not compared (none was read)."""
    parts = _key_parts(key)
    if parts is None:
        return []
    groups = parts[2]
    found = []
    for unread in lexicon("ref_key", f"{UNREAD}/{groups[0]}"):
        theirs = _key_parts(unread)
        if theirs is not None and theirs[2][:len(groups)] == groups:
            found.append(unread)
    return sorted(found)


# 'Did you mean': a query finding this many letters or fewer is checked for mistyped words
# (OCR noise and typing slips are rare words beside a frequent one a letter or two away).
FEW_HITS = 3
COMMONER = 3  # a word is taken for a slip of a neighbour found in this many times more letters
RARE = 5  # words in more letters than this are words, not slips: not checked

# A word's neighbours in the index: (indexed word, letters holding it) within an edit
# distance, a swap of two letters next to each other counting as one edit ('hein' → 'hien').
Neighbours = Callable[[str, int], list[tuple[str, int]]]


def swapped(word: str) -> list[str]:
    """`word` with two letters next to each other swapped, the first letter kept (fuzzy words
    keep it): the slips one edit away for a distance that counts a swap as one edit."""
    return list(dict.fromkeys(word[:i] + word[i + 1] + word[i] + word[i + 2:]
                              for i in range(1, len(word) - 1) if word[i] != word[i + 1]))


def corrected_word(word: str, letters: int, neighbours: Neighbours) -> str | None:
    """The word a rare or unknown word typed likely stands for: its most frequent neighbour
    one edit away (two for an unknown word), when that one is in `COMMONER` times more
    letters; None for a word in more than `RARE` letters, or with a digit."""
    if letters > RARE or any(c.isdigit() for c in word):  # a number is typed as meant
        return None
    for distance in (1, 2) if not letters else (1,):
        found = sorted(((n, t) for t, n in neighbours(word, distance) if t != word),
                       key=lambda pair: (-pair[0], pair[1]))
        if found:
            count, best = found[0]
            return best if count >= COMMONER * max(letters, 1) else None
    return None


_FUZZY_MARK = re.compile(r"~[12]?$")


def with_words_replaced(raw: str, replacements: dict[str, str]) -> str:
    """The query typed with the words folding to a key of `replacements` replaced (a fuzzy
    word's '~' goes with it: the word meant is searched as it is)."""
    return " ".join(
        replacements.get(fold(_FUZZY_MARK.sub("", w)), w) for w in raw.split())


def suggestion(raw: str, free_text: str, found: int, letters: Callable[[str], int],
               neighbours: Neighbours, total: Callable[[str], int]) -> str | None:
    """'Did you mean': the query typed with each rare or unknown word replaced by the word it
    likely stands for (`corrected_word`), when that finds more letters than the `found` the
    query did. `letters(word)`: the letters holding an indexed word; `total(query)`: the
    letters a query finds."""
    replacements = {}
    for word in dict.fromkeys(folded_words(free_text, "query")):
        better = corrected_word(word, letters(word), neighbours)
        if better:
            replacements[word] = better
    corrected = with_words_replaced(raw, replacements) if replacements else raw
    if corrected == raw:
        return None
    try:
        return corrected if total(corrected) > found else None
    except QueryError:
        return None
