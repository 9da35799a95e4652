"""BM25F over whole posting blocks with numpy: Whoosh's own scores, without its per-hit Python.

Whoosh scores a hit through a tree of matcher objects, several Python calls per posting; on a
common word that is most of a query's time (20k letters: p50 65 ms, most of it scoring). Here
each query term's postings are read a block at a time (arrays of ids and weights) and its
BM25F contribution added to a dense score array; the result bitmap picks the hits, and
`argpartition` the top. Same formula and statistics as `whoosh.scoring.BM25F` (idf, average
field length, byte-encoded field lengths), compared with Whoosh in tests/test_search.py.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching import FilterMatcher
from whoosh.util.numeric import byte_to_length

from .lru import ByteLRU
from .masks import mask_array

log = logging.getLogger(__name__)

B, K1 = 0.75, 1.2  # whoosh.scoring.BM25F defaults
CACHE_BYTES = 64 << 20  # per-term scores kept per reader generation (shared by threads)
_BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)

Terms = list[tuple[str, str, float]]  # (field, text, boost)
TermScores = tuple[np.ndarray, np.ndarray]  # (document numbers int32, scores float32)


def _nbytes(scores: TermScores) -> int:
    return scores[0].nbytes + scores[1].nbytes


def scored_terms(query: wq.Query, reader: Any, boost: float = 1.0) -> Terms:
    """The terms that add to a hit's score, with their boosts (exclusions score nothing)."""
    boost *= query.boost
    if isinstance(query, wq.Term):
        return [(query.fieldname, query.text, boost)]
    if isinstance(query, wq.FuzzyTerm):
        return [(query.fieldname, t.decode() if isinstance(t, bytes) else t, boost)
                for t in query._btexts(reader)]
    if isinstance(query, wq.Phrase):  # a word repeated in the phrase counts once
        return [(query.fieldname, word, boost) for word in dict.fromkeys(query.words)]
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

    def term_scores(self, fieldname: str, text: str) -> TermScores:
        """(document numbers, BM25F score) of one term, cached (LRU, CACHE_BYTES in all)."""
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

    def _read_lengths(self, fieldname: str) -> np.ndarray | None:
        lengths = np.zeros(self.size, dtype=np.float32)
        found = False
        for leaf, offset in self.leaves:
            column = leaf._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if column is not None:
                codes = np.fromiter(column, dtype=np.uint8, count=leaf.doc_count_all())
                lengths[offset : offset + len(codes)] = _BYTE_LENGTHS[codes]
                found = True
        return lengths if found else None

    def _term_scores(self, fieldname: str, text: str) -> TermScores:
        blocks = list(self._postings(fieldname, text))
        if not blocks:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        ids = np.concatenate([b[0] for b in blocks]).astype(np.int32)
        weights = np.concatenate([b[1] for b in blocks])
        if not self.reader.schema[fieldname].scorable:  # Whoosh: a constant weight
            return ids, np.ones(len(ids), dtype=np.float32)
        frequency = self.reader.doc_frequency(fieldname, text)
        idf = math.log(self.size / (frequency + 1)) + 1
        average = self.reader.field_length(fieldname) / (self.size or 1) or 1
        lengths = self.lengths(fieldname)
        length = lengths[ids] if lengths is not None else 1.0  # Whoosh's default length
        norm = (1 - B) + B * length / average
        return ids, (idf * (weights * (K1 + 1)) / (weights + K1 * norm)).astype(np.float32)

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
