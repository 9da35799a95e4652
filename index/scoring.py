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
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching import FilterMatcher
from whoosh.util.numeric import byte_to_length

log = logging.getLogger(__name__)

B, K1 = 0.75, 1.2  # whoosh.scoring.BM25F defaults
CACHE_BYTES = 48 << 20  # per-term scores kept per reader generation and thread
_BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)

Terms = list[tuple[str, str, float]]  # (field, text, boost)


def scored_terms(query: wq.Query, reader: Any, boost: float = 1.0) -> Terms:
    """The terms that add to a hit's score, with their boosts (exclusions score nothing)."""
    boost *= query.boost
    if isinstance(query, wq.Term):
        return [(query.fieldname, query.text, boost)]
    if isinstance(query, wq.FuzzyTerm):
        return [(query.fieldname, t.decode() if isinstance(t, bytes) else t, boost)
                for t in query._btexts(reader)]
    if isinstance(query, wq.Phrase):
        return [(query.fieldname, word, boost) for word in query.words]
    if isinstance(query, wq.AndNot):
        return scored_terms(query.a, reader, boost)
    if isinstance(query, wq.AndMaybe | wq.And | wq.Or):
        children = [query.a, query.b] if isinstance(query, wq.AndMaybe) else query.subqueries
        return [t for child in children for t in scored_terms(child, reader, boost)]
    return []  # Every, TermRange (date filters) add nothing, as in Whoosh's own scores


class BulkScorer:
    """Dense BM25F scores over one reader generation (field lengths cached)."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self.size = reader.doc_count_all()
        self.leaves = list(reader.leaf_readers())
        self._lengths: dict[str, np.ndarray | None] = {}
        self._terms: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._bytes = 0

    def scores(self, terms: Terms) -> np.ndarray:
        total = np.zeros(self.size, dtype=np.float32)
        for fieldname, text, boost in terms:
            ids, contributions = self.term_scores(fieldname, text)
            total[ids] += boost * contributions
        return total

    def term_scores(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, BM25F score) of one term, cached (LRU, CACHE_BYTES in all)."""
        key = (fieldname, text)
        found = self._terms.get(key)
        if found is not None:
            self._terms.move_to_end(key)
            return found
        found = self._term_scores(fieldname, text)
        self._terms[key] = found
        self._bytes += found[0].nbytes + found[1].nbytes
        while self._bytes > CACHE_BYTES and len(self._terms) > 1:
            _key, (ids, values) = self._terms.popitem(last=False)
            self._bytes -= ids.nbytes + values.nbytes
        return found

    def lengths(self, fieldname: str) -> np.ndarray | None:
        """Each document's length in `fieldname` (None for a field without lengths)."""
        if fieldname not in self._lengths:
            lengths = np.zeros(self.size, dtype=np.float32)
            found = False
            for leaf, offset in self.leaves:
                column = leaf._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
                if column is not None:
                    codes = np.fromiter(column, dtype=np.uint8, count=leaf.doc_count_all())
                    lengths[offset : offset + len(codes)] = _BYTE_LENGTHS[codes]
                    found = True
            self._lengths[fieldname] = lengths if found else None
        return self._lengths[fieldname]

    def _term_scores(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
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


def top_hits(scores: np.ndarray, mask: int, size: int, stop: int) -> list[tuple[int, float]]:
    """The `stop` best-scored documents of the bitmap, best first (ties: lower number first)."""
    bits = np.unpackbits(np.frombuffer(mask.to_bytes((size + 7) // 8, "little"),
                                       dtype=np.uint8), bitorder="little")[:size].astype(bool)
    candidates = np.flatnonzero(bits)
    if not len(candidates):
        return []
    chosen = scores[candidates]
    if len(candidates) > stop:
        keep = np.argpartition(-chosen, stop - 1)[:stop]
        candidates, chosen = candidates[keep], chosen[keep]
    order = np.lexsort((candidates, -chosen))
    return [(int(candidates[i]), float(chosen[i])) for i in order]
