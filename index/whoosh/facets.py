"""Per-generation caches: result bitmaps and counts per query, facet columns, date orders,
autocomplete vocabularies, term bitmaps and scores.

Everything here is derived from one reader generation and shared by every thread searching
it; a new generation (a commit or a rebuild) gets a fresh `GenerationCache`, so nothing stale
is ever served, and the old one is freed with its last search. The cache holds no reader:
what it has to read, it reads through the calling thread's reader (a Whoosh reader serves one
thread at a time). Columns are numpy codes into their sorted distinct values, so facets and
date sorts are array operations; the growing caches are bounded by bytes.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..backend import FACET_LIMIT, TIME_FACETS
from ..completion import completion_key
from ..planning import TIE_BITS, IssuerNames, newest_key, oldest_key
from .lru import ByteLRU
from .masks import MaskEvaluator, bitmap, mask_array, mask_bits, term_masks
from .schema import FACET_FIELDS
from .scoring import CACHE_BYTES, BulkScorer, ScoreCache

log = logging.getLogger(__name__)

RESULT_BYTES = 24 << 20  # result bitmaps and facet counts, per generation
TERM_MASK_BYTES = 16 << 20  # term bitmaps, per generation
TERM_SCORE_BYTES = CACHE_BYTES  # terms' BM25F scores, per generation
SMALL_RESULT = 2000  # below this many hits, sort the hits themselves rather than walk an order
# sort → (column of dates, planning's key function, greatest first)
SORT_COLUMNS = {"newest": ("sort_new", newest_key, True), "oldest": ("sort_old", oldest_key, False)}

TIE_MASK = (1 << TIE_BITS) - 1  # the id's part of a sort key
Facets = dict[str, list[tuple[str, int]]]
Result = tuple[int, int, Facets | None]  # (bitmap, total, facets or None)


@dataclass(frozen=True)
class Column:
    """A column as codes: document number → index into its distinct values (sorted, so codes
    order like the values)."""

    values: list[str]
    codes: np.ndarray  # int32

    @classmethod
    def read(cls, reader: Any, fieldname: str) -> Column:
        # Segment by segment: Whoosh's MultiReader.column_reader skips a segment without the
        # column (its letters all lacked the value), shifting every later letter's value.
        strings = [v if isinstance(v, str) else v.decode()
                   for leaf, _offset in reader.leaf_readers()
                   for v in leaf.column_reader(fieldname)]
        values = sorted(set(strings))
        position = {value: i for i, value in enumerate(values)}
        codes = np.fromiter((position[s] for s in strings), dtype=np.int32, count=len(strings))
        return cls(values, codes)

    def counts(self, docnums: np.ndarray) -> np.ndarray:
        """How many of `docnums` hold each value (indexed like `values`)."""
        return np.bincount(self.codes[docnums], minlength=len(self.values))

    @property
    def nbytes(self) -> int:
        return self.codes.nbytes + sys.getsizeof(self.values) + sum(map(sys.getsizeof,
                                                                        self.values))


def _top_values(column: Column, docnums: np.ndarray, *, by_value: bool) -> list[tuple[str, int]]:
    """The FACET_LIMIT values held by most of `docnums` (ties by value), or the greatest values
    if `by_value`; with their counts, the empty value left out."""
    counts = column.counts(docnums)
    present = np.flatnonzero(counts)  # codes ascending, so values ascending
    if column.values and not column.values[0]:
        present = present[present != 0]  # "" sorts first
    chosen = present[::-1] if by_value else present[np.lexsort((present, -counts[present]))]
    return [(column.values[i], int(counts[i])) for i in chosen[:FACET_LIMIT].tolist()]


def _result_bytes(result: Result) -> int:
    """A result's weight: its bitmap and facet lists (their strings belong to the columns),
    and 200 bytes for the entry, its total and its key."""
    mask, _total, facets = result
    weight = sys.getsizeof(mask) + 200
    for pairs in (facets or {}).values():
        weight += sys.getsizeof(pairs) + sum(sys.getsizeof(p) + sys.getsizeof(p[1])
                                             for p in pairs)
    return weight


def _vocabulary_bytes(vocabulary: list[tuple[str, str, int]]) -> int:
    """A vocabulary's list, tuples, folded strings and counts (the values are the column's)."""
    return sys.getsizeof(vocabulary) + sum(sys.getsizeof(entry) + sys.getsizeof(entry[1])
                                           + sys.getsizeof(entry[2]) for entry in vocabulary)


class GenerationCache:
    """What one reader generation answers often, computed once for all threads."""

    def __init__(self, token: Any, reader: Any) -> None:
        self.token = token
        self.size = reader.doc_count_all()
        self.live = bitmap(reader.all_doc_ids(), self.size) if self.size else 0
        self.results: ByteLRU[Result] = ByteLRU(RESULT_BYTES, _result_bytes)
        self.term_masks = term_masks(TERM_MASK_BYTES)
        self.scores = ScoreCache(TERM_SCORE_BYTES)
        self._columns: dict[str, Column] = {}
        self._orders: dict[str, np.ndarray] = {}
        self._keys: dict[str, np.ndarray] = {}
        self._vocab: dict[str, list[tuple[str, str, int]]] = {}
        self._issuers: dict[str, IssuerNames] = {}
        self._lock = threading.RLock()  # one thread builds a column, order or vocabulary

    def scorer(self, reader: Any) -> BulkScorer:
        return BulkScorer(reader, self.scores)

    def masks(self, reader: Any) -> MaskEvaluator:
        scorer = self.scorer(reader)
        return MaskEvaluator(reader, self.live, self.term_masks,
                             lambda f, t: scorer.term_scores(f, t)[0])

    def memory(self) -> dict[str, int]:
        """Bytes held, by part (approximate: arrays, bitmaps, strings and their containers)."""
        return {
            "results": self.results.nbytes,
            "term_masks": self.term_masks.nbytes,
            "term_scores": self.scores.terms.nbytes,
            "lengths": self.scores.lengths_nbytes,
            "columns": sum(c.nbytes for c in list(self._columns.values())),
            "orders": sum(o.nbytes for o in list(self._orders.values())),
            "sort_keys": sum(k.nbytes for k in list(self._keys.values())),
            "vocabularies": sum(_vocabulary_bytes(v) for v in list(self._vocab.values())),
            "live": sys.getsizeof(self.live),
        }

    # -- results ------------------------------------------------------------------------

    def result(self, key: str, query: Any, facets: bool, reader: Any) -> Result:
        """(bitmap, total, facets or None) of a query, cached by `key`."""
        found = self.results.get(key)
        if found is None or (facets and found[2] is None):
            mask = found[0] if found else self.masks(reader).mask(query)
            total = mask.bit_count()
            counts = self.facet_counts(mask, total, reader) if facets else None
            found = self.results.put(key, (mask, total, counts))
        return found

    def facet_counts(self, mask: int, total: int, reader: Any) -> Facets:
        """Counts per facet value over the hits, most frequent first (years newest first)."""
        docnums = mask_array(mask, self.size) if total else None
        facets: Facets = {}
        for name, fieldname in FACET_FIELDS.items():
            facets[name] = [] if docnums is None else _top_values(
                self.column(fieldname, reader), docnums, by_value=name in TIME_FACETS)
        return facets

    def sorted_docnums(self, mask: int, total: int, sort: str, stop: int,
                       reader: Any) -> list[int]:
        """The first `stop` hits by date (undated last; equal dates in planning's fixed order
        of ids, as tantivy sorts them)."""
        if not total:
            return []
        if total <= SMALL_RESULT:
            docnums = mask_array(mask, self.size)
            found = docnums[np.argsort(self.sort_keys(sort, reader)[docnums])]
            if SORT_COLUMNS[sort][2]:
                found = found[::-1]
        else:
            order = self.order(sort, reader)
            found = order[mask_bits(mask, self.size)[order]]
        return found[:stop].tolist()

    def newest_ranks(self, reader: Any) -> np.ndarray:
        """Each letter's place in the newest-first order: relevance breaks equal scores with
        it (as tantivy does, with the same keys)."""
        def build() -> np.ndarray:
            order = self.order("newest", reader)
            ranks = np.empty(len(order), dtype=np.int32)
            ranks[order] = np.arange(len(order), dtype=np.int32)
            return ranks

        return self._once(self._orders, "newest ranks", build)

    # -- per-generation columns -----------------------------------------------------------

    def column(self, fieldname: str, reader: Any) -> Column:
        return self._once(self._columns, fieldname, lambda: Column.read(reader, fieldname))

    def sort_keys(self, sort: str, reader: Any) -> np.ndarray:
        """Each letter's sort key for `sort` (planning.newest_key or oldest_key), uint64."""
        fieldname, key, _greatest_first = SORT_COLUMNS[sort]

        def build() -> np.ndarray:
            dates, ids = self.column(fieldname, reader), self.column("id", reader)
            dated = np.array([key("" if v in ("", "~") else v, "") & ~TIE_MASK
                              for v in dates.values], dtype=np.uint64)
            ranks = np.array([key("", i) & TIE_MASK for i in ids.values], dtype=np.uint64)
            return dated[dates.codes] | ranks[ids.codes]

        return self._once(self._keys, sort, build)

    def order(self, sort: str, reader: Any) -> np.ndarray:
        """Document numbers in `sort` order (planning's keys: dates, then a fixed order)."""
        def build() -> np.ndarray:
            order = np.argsort(self.sort_keys(sort, reader)).astype(np.int32)
            return order[::-1].copy() if SORT_COLUMNS[sort][2] else order

        return self._once(self._orders, sort, build)

    def vocabulary(self, fieldname: str, reader: Any) -> list[tuple[str, str, int]]:
        """(value, folded value, number of letters) of a column, most frequent first (ties in
        order of their first letter)."""
        return self._once(self._vocab, fieldname, lambda: self._read_vocabulary(fieldname,
                                                                                 reader))

    def issuers(self, reader: Any) -> IssuerNames:
        """The issuers of this generation's letters by their folded words (what a query's words
        name, planning.IssuerNames)."""
        return self._once(self._issuers, "issuer_f",
                          lambda: IssuerNames(self.vocabulary("issuer_f", reader)))

    def _read_vocabulary(self, fieldname: str, reader: Any) -> list[tuple[str, str, int]]:
        if not self.size:
            return []
        column = Column.read(reader, fieldname)  # not kept: only the vocabulary needs it
        codes = column.codes[mask_array(self.live, self.size)]
        present, first, counts = np.unique(codes, return_index=True, return_counts=True)
        key = completion_key(fieldname)
        found = []
        for i in np.lexsort((first, -counts)):
            value = column.values[present[i]]
            if value:
                found.append((value, key(value), int(counts[i])))
        return found

    def _once(self, store: dict, key: str, build: Callable[[], Any]) -> Any:
        found = store.get(key)
        if found is None:
            with self._lock:
                found = store.get(key)
                if found is None:
                    found = store[key] = build()
        return found
