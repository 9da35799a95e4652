"""Document sets as Python int bitmaps: exact counts, facets and date sorts at C speed.

Whoosh walks every matching posting in Python to count a result set; on common words that is
most of a query's time. Here each term's documents become one bitmap (built once per reader
generation and cached), and a query's set is the `&`, `|` and `& ~` of its terms' bitmaps:
counting is `int.bit_count()`, facets count the hits' column codes with numpy.
Only the hits shown are scored by Whoosh.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable
from functools import reduce
from operator import and_, or_
from typing import Any

import numpy as np
from whoosh import query as wq

from .lru import ByteLRU
from .positions import has_packed_positions, phrase_letters

log = logging.getLogger(__name__)

TermMasks = ByteLRU[int]  # (field, text) or ("", repr(query)) → bitmap, shared by threads


def term_masks(max_bytes: int) -> TermMasks:
    return ByteLRU(max_bytes, sys.getsizeof)


def bitmap(docnums: Iterable[int], size: int) -> int:
    """The bitmap with the bits of `docnums` set."""
    array = bytearray((size + 7) // 8)
    for docnum in docnums:
        array[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(array, "little")


def array_bitmap(docnums: np.ndarray, size: int) -> int:
    """The bitmap of an array of document numbers (numpy, no Python loop)."""
    bits = np.zeros(((size + 7) // 8) * 8, dtype=bool)
    bits[docnums] = True
    return int.from_bytes(np.packbits(bits, bitorder="little").tobytes(), "little")


def mask_bits(mask: int, size: int) -> np.ndarray:
    """A bitmap as a bool array indexed by document number (numpy, no Python loop)."""
    data = np.frombuffer(mask.to_bytes((size + 7) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(data, bitorder="little")[:size].view(bool)


def mask_array(mask: int, size: int) -> np.ndarray:
    """The document numbers of a bitmap as an ascending int64 array."""
    return np.flatnonzero(mask_bits(mask, size))


class MaskEvaluator:
    """Bitmaps of queries read through one reader (one thread's), term bitmaps kept in a cache
    that all threads on the same generation share."""

    def __init__(self, reader: Any, live: int, terms: TermMasks,
                 postings: Callable[[str, str], Any] | None = None) -> None:
        """`live`: the bitmap of the generation's live documents; `postings(field, text)` may
        give a term's document numbers as an array (faster than walking Whoosh's matcher)."""
        self.reader = reader
        self.size = reader.doc_count_all()
        self.live = live
        self._terms = terms
        self._postings_of = postings

    def mask(self, query: wq.Query) -> int:
        return self._mask(query) & self.live

    def _mask(self, query: wq.Query) -> int:
        if (isinstance(query, wq.Phrase) and query.slop == 1
                and has_packed_positions(self.reader, query.fieldname)):
            return self._cached(("", repr(query)), lambda: self._phrase(query))
        if isinstance(query, wq.And):
            return reduce(and_, (self._mask(q) for q in query.subqueries), self.live)
        if isinstance(query, wq.Or):
            return reduce(or_, (self._mask(q) for q in query.subqueries), 0)
        if isinstance(query, wq.AndNot):
            return self._mask(query.a) & ~self._mask(query.b)
        if isinstance(query, wq.AndMaybe):
            return self._mask(query.a)
        if isinstance(query, wq.Every):
            return self.live
        if isinstance(query, wq.Term):
            return self.term(query.fieldname, query.text)
        if isinstance(query, wq.FuzzyTerm):
            words = query._btexts(self.reader)
            return reduce(or_, (self.term(query.fieldname, w) for w in words), 0)
        return self._cached(("", repr(query)), lambda: self._whoosh_docs(query))

    def _phrase(self, query: wq.Phrase) -> int:
        """The letters holding every word, then those with the words side by side."""
        candidates = reduce(and_, (self.term(query.fieldname, w) for w in query.words),
                            self.live)
        if not candidates:
            return 0
        found = phrase_letters(self.reader, query.fieldname, query.words,
                               mask_bits(candidates, self.size))
        return array_bitmap(found, self.size)

    def term(self, fieldname: str, text: str | bytes) -> int:
        return self._cached((fieldname, text), lambda: self._postings(fieldname, text))

    def _cached(self, key: tuple[str, Any], build: Callable[[], int]) -> int:
        found = self._terms.get(key)
        if found is None:  # built outside the lock: two threads may build the same bitmap
            found = self._terms.put(key, build())
        return found

    def _postings(self, fieldname: str, text: str | bytes) -> int:
        if not self.size or (fieldname, text) not in self.reader:
            return 0
        if self._postings_of is not None and isinstance(text, str):
            return array_bitmap(self._postings_of(fieldname, text), self.size)
        return bitmap(self.reader.postings(fieldname, text).all_ids(), self.size)

    def _whoosh_docs(self, query: wq.Query) -> int:
        from whoosh.searching import Searcher

        return bitmap(Searcher(self.reader, closereader=False).docs_for_query(query), self.size)
