"""BM25 over whole posting blocks with numpy: tantivy's scores, without Whoosh's per-hit Python.

Whoosh scores a hit through a tree of matcher objects, several Python calls per posting; on a
common word that is most of a query's time (20k letters: p50 65 ms, most of it scoring). Here
each query term's postings are read a block at a time (arrays of ids and weights) and its
BM25 contribution added to a dense score array; the result bitmap picks the hits, and
`argpartition` the top. The formula is tantivy's (index.planning: its idf, a field's length
rounded to tantivy's byte, float32, a phrase weighing its count by the sum of its words'
idfs; a pair typed side by side a term of the pairs field, as on tantivy), so both engines put
the same letter first (bench/agreement.py); Whoosh's own BM25F (another idf, a phrase as its
word pairs' terms) ranked near ties apart. The lengths of the text, accented, heading and pairs
fields are the words (pairs) tantivy counts (index.whoosh.schema's WORD_COUNTS columns:
Whoosh's own byte of 4% steps parted near ties); other fields' are Whoosh's byte taken to
tantivy's.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching import FilterMatcher
from whoosh.util.numeric import byte_to_length

from ..planning import FIELDNORMS, bm25, bm25_idf
from .lru import ByteLRU
from .masks import mask_array
from .positions import phrase_counts
from .queries import TextPhrase
from .schema import WORD_COUNTS

log = logging.getLogger(__name__)

CACHE_BYTES = 64 << 20  # per-term scores kept per reader generation (shared by threads)
_FIELDNORMS = np.array(FIELDNORMS, dtype=np.float32)


def _tantivy_lengths() -> np.ndarray:
    """Whoosh's length byte → the length tantivy keeps (rounded down to one of its
    FIELDNORMS). Byte b holds the lengths above byte b-1's up to its own: the middle of that
    span is taken, so a tantivy step inside it is missed by half as often as from its top."""
    tops = [byte_to_length(b) for b in range(256)]
    middles = [top if b == 0 else (tops[b - 1] + 1 + top) // 2 for b, top in enumerate(tops)]
    return _FIELDNORMS[np.searchsorted(_FIELDNORMS, middles, side="right") - 1]


_BYTE_LENGTHS = _tantivy_lengths()
PAIRS = "pairs"  # the text's words side by side: a term of its own, or a typed phrase's pairs
# The fields tantivy keeps frequencies for; in the others (numbers, filters) a term counts once.
FREQUENCIES = {"content", "exact", "title", "issuer", "parent", "signer", "recipients",
               "assignees", PAIRS}

Text = str | tuple[str, ...]  # a term, or a phrase's words
Terms = list[tuple[str, Text, float]]  # (field, text, boost)
TermScores = tuple[np.ndarray, np.ndarray]  # (document numbers int32, scores float32)


def _nbytes(scores: TermScores) -> int:
    return scores[0].nbytes + scores[1].nbytes


def scored_terms(query: wq.Query, reader: Any, boost: float = 1.0) -> Terms:
    """The terms that add to a hit's score, with their boosts (exclusions score nothing)."""
    boost *= query.boost
    if isinstance(query, TextPhrase):  # a phrase of two words typed, as tantivy scores it
        return [(query.fieldname, (query.text,), boost)]
    if isinstance(query, wq.Term):
        return [(query.fieldname, query.text, boost)]
    if isinstance(query, wq.FuzzyTerm):
        return [(query.fieldname, t.decode() if isinstance(t, bytes) else t, boost)
                for t in query._btexts(reader)]
    if isinstance(query, wq.Phrase):  # one phrase, as tantivy scores it
        return [(query.fieldname, tuple(query.words), boost)]
    if isinstance(query, wq.AndNot):
        return scored_terms(query.a, reader, boost)
    if isinstance(query, wq.AndMaybe | wq.And | wq.Or):
        children = [query.a, query.b] if isinstance(query, wq.AndMaybe) else query.subqueries
        return [t for child in children for t in scored_terms(child, reader, boost)]
    return []  # Every, TermRange (date filters) add nothing, as in Whoosh's own scores


class ScoreCache:
    """What BM25F scoring derives from one reader generation, shared by every thread on it:
    field lengths (one float32 array per field) and recent terms' scores (LRU by bytes)."""

    def __init__(self, max_bytes: int = CACHE_BYTES) -> None:
        self.lengths: dict[str, np.ndarray | None] = {}
        self.averages: dict[str, float] = {}  # a field's words in all, over the letters
        self.terms: ByteLRU[TermScores] = ByteLRU(max_bytes, _nbytes)
        self.lock = threading.Lock()  # one thread reads a field's lengths, the others wait

    @property
    def lengths_nbytes(self) -> int:
        return sum(a.nbytes for a in list(self.lengths.values()) if a is not None)


class BulkScorer:
    """Dense BM25F scores read through one reader (one thread's), kept in a `ScoreCache`
    (the generation's shared one, or a private one)."""

    def __init__(self, reader: Any, cache: ScoreCache | None = None) -> None:
        self.reader = reader
        self.size = reader.doc_count_all()
        self.leaves = list(reader.leaf_readers())
        self.cache = cache if cache is not None else ScoreCache()

    def scores(self, terms: Terms) -> np.ndarray:
        total = np.zeros(self.size, dtype=np.float32)
        for fieldname, text, boost in terms:
            ids, contributions = self.term_scores(fieldname, text)
            total[ids] += boost * contributions
        return total

    def term_scores(self, fieldname: str, text: Text) -> TermScores:
        """(document numbers, BM25 score) of one term or phrase, cached (LRU, CACHE_BYTES in
        all)."""
        found = self.cache.terms.get((fieldname, text))
        if found is None:  # read outside the lock: two threads may score the same term
            found = self.cache.terms.put((fieldname, text), self._term_scores(fieldname, text))
        return found

    def lengths(self, fieldname: str) -> np.ndarray | None:
        """Each document's length in `fieldname` (None for a field without lengths)."""
        lengths = self.cache.lengths
        if fieldname not in lengths:
            with self.cache.lock:
                if fieldname not in lengths:
                    lengths[fieldname] = self._read_lengths(fieldname)
        return lengths[fieldname]

    def average(self, fieldname: str) -> float:
        """A field's average length in words (tantivy's: every letter's words over the live
        letters)."""
        if self.lengths(fieldname) is not None and fieldname in self.cache.averages:
            return self.cache.averages[fieldname]
        return self.reader.field_length(fieldname) / (self.letters or 1) or 1

    def _read_lengths(self, fieldname: str) -> np.ndarray | None:
        counts = WORD_COUNTS.get(fieldname)
        if counts in self.reader.schema:
            words = np.zeros(self.size, dtype=np.float64)
            for leaf, offset in self.leaves:
                column = np.fromiter(leaf.column_reader(counts), dtype=np.float64,
                                     count=leaf.doc_count_all())
                words[offset : offset + len(column)] = column
            self.cache.averages[fieldname] = float(words.sum()) / (self.letters or 1) or 1
            return _FIELDNORMS[np.searchsorted(_FIELDNORMS, words, side="right") - 1]
        lengths = np.zeros(self.size, dtype=np.float32)
        found = False
        for leaf, offset in self.leaves:
            column = leaf._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if column is not None:
                codes = np.fromiter(column, dtype=np.uint8, count=leaf.doc_count_all())
                lengths[offset : offset + len(codes)] = _BYTE_LENGTHS[codes]
                found = True
        return lengths if found else None

    def _term_scores(self, fieldname: str, text: Text) -> TermScores:
        if isinstance(text, tuple):
            return self._phrase_scores(fieldname, text)
        blocks = list(self._postings(fieldname, text))
        if not blocks:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        ids = np.concatenate([b[0] for b in blocks]).astype(np.int32)
        weights = np.concatenate([b[1] for b in blocks])
        if fieldname not in FREQUENCIES:
            weights = np.ones(len(ids), dtype=np.float32)
        idf = bm25_idf(self.reader.doc_frequency(fieldname, text), self.letters)
        return ids, self._bm25(fieldname, idf, ids, weights)

    @property
    def letters(self) -> int:
        return self.reader.doc_count()

    def _phrase_scores(self, fieldname: str, words: tuple[str, ...]) -> TermScores:
        """A phrase as tantivy scores it: its count in a letter, weighed by the sum of its
        words' idfs, the length of the field it is in. A phrase of the text is its pairs side
        by side (`pairs` field): its words and length are the text's, and a single pair's count
        is its frequency."""
        if fieldname == PAIRS:
            field = "content"
            split = [pair.split("_", 1) for pair in words]
            texts = [split[0][0]] + [parts[-1] for parts in split]
            if len(words) == 1:
                blocks = list(self._postings(PAIRS, words[0]))
                ids = (np.concatenate([b[0] for b in blocks]) if blocks
                       else np.zeros(0, dtype=np.int64))
                counts = (np.concatenate([b[1] for b in blocks]) if blocks
                          else np.zeros(0, dtype=np.float32))
            else:
                ids, counts = phrase_counts(self.reader, PAIRS, list(words),
                                            self._holding(PAIRS, words))
        else:
            field, texts = fieldname, list(words)
            ids, counts = phrase_counts(self.reader, fieldname, texts,
                                        self._holding(fieldname, words))
        if not len(ids):
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        ids = ids.astype(np.int32)
        idf = sum(bm25_idf(self.reader.doc_frequency(field, w), self.letters) for w in texts)
        return ids, self._bm25(field, idf, ids, counts.astype(np.float32))

    def _holding(self, fieldname: str, words: tuple[str, ...]) -> np.ndarray:
        """The letters holding every word (a bool array by letter number): only their
        positions are matched."""
        held = np.ones(self.size, dtype=bool)
        for word in dict.fromkeys(words):
            mine = np.zeros(self.size, dtype=bool)
            mine[self.term_scores(fieldname, word)[0]] = True
            held &= mine
        return held

    def _bm25(self, fieldname: str, idf: float, ids: np.ndarray,
              frequencies: np.ndarray) -> np.ndarray:
        """tantivy's BM25 (planning.bm25) of `frequencies` in the letters `ids`."""
        lengths = self.lengths(fieldname)
        if lengths is None:  # no lengths kept (a filter's field): one value a letter
            return bm25(idf, frequencies, 1.0, 1.0)
        return bm25(idf, frequencies, lengths[ids], self.average(fieldname))

    def _postings(self, fieldname: str, text: str) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for leaf, offset in self.leaves:
            if (fieldname, text) not in leaf:
                continue
            matcher = leaf.postings(fieldname, text)
            while isinstance(matcher, FilterMatcher):  # deleted documents: the bitmap drops them
                matcher = matcher.child
            yield from _blocks(matcher, offset)


def _blocks(matcher: Any, offset: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(ids, weights) arrays of a posting list, a block at a time when Whoosh allows it."""
    if not isinstance(matcher, W3LeafMatcher):
        pairs = []
        while matcher.is_active():
            pairs.append((matcher.id(), matcher.weight()))
            matcher.next()
        if pairs:
            ids, weights = zip(*pairs, strict=True)
            yield np.array(ids, dtype=np.int64) + offset, np.array(weights, dtype=np.float32)
        return
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        ids, weights = matcher._data[0], matcher._data[1]
        count = matcher._blocklength
        ids = np.array(ids, dtype=np.int64)
        if not matcher._byteids:
            ids = np.cumsum(ids)  # Whoosh stores a block's ids as deltas
        if weights is None:
            weights = np.ones(count, dtype=np.float32)
        elif isinstance(weights, float):
            weights = np.full(count, weights, dtype=np.float32)
        else:
            weights = np.array(weights, dtype=np.float32)
        start = matcher._i
        yield ids[start:] + offset, weights[start:]
        matcher._next_block()


def top_hits(scores: np.ndarray, mask: int, size: int, stop: int,
             ranks: np.ndarray) -> list[tuple[int, float]]:
    """The `stop` best-scored documents of the bitmap, best first; equal scores by `ranks`
    (each document's place in the newest-first order), least first."""
    candidates = mask_array(mask, size)
    if not len(candidates):
        return []
    chosen = scores[candidates]
    if len(candidates) > stop:  # all those scoring at least the stop-th, ties included
        keep = chosen >= np.partition(chosen, len(chosen) - stop)[len(chosen) - stop]
        candidates, chosen = candidates[keep], chosen[keep]
    order = np.lexsort((ranks[candidates], -chosen))[:stop]
    return [(int(candidates[i]), float(chosen[i])) for i in order]
