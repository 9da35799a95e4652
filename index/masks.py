"""Document sets as Python int bitmaps: exact counts, facets and date sorts at C speed.

Whoosh walks every matching posting in Python to count a result set; on common words that is
most of a query's time. Here each term's documents become one bitmap (built once per reader
generation and cached), and a query's set is the `&`, `|` and `& ~` of its terms' bitmaps:
counting is `int.bit_count()`, a facet value's count is `(result & value).bit_count()`.
Only the hits shown are scored by Whoosh.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from functools import reduce
from operator import and_, or_
from typing import Any

import numpy as np
from whoosh import query as wq

log = logging.getLogger(__name__)

TERM_CACHE_SIZE = 1024  # bitmaps of 12.5 KB each at 100k letters, per thread
_NONZERO = re.compile(rb"[^\x00]")
_BITS = [tuple(i for i in range(8) if byte >> i & 1) for byte in range(256)]


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


def docnums_of(mask: int) -> Iterator[int]:
    """The document numbers in a bitmap, ascending."""
    data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    for match in _NONZERO.finditer(data):
        base = match.start() * 8
        for bit in _BITS[data[match.start()]]:
            yield base + bit


class MaskEvaluator:
    """Bitmaps of queries over one reader generation (thread-safe, term bitmaps cached)."""

    def __init__(self, reader: Any, postings: Callable[[str, str], Any] | None = None) -> None:
        """`postings(field, text)` may give a term's document numbers as an array (faster
        than walking Whoosh's matcher)."""
        self.reader = reader
        self._postings_of = postings
        self.size = reader.doc_count_all()
        self.live = bitmap(reader.all_doc_ids(), self.size) if self.size else 0
        self._lock = threading.Lock()
        self._terms: OrderedDict[tuple[str, Any], int] = OrderedDict()

    def mask(self, query: wq.Query) -> int:
        return self._mask(query) & self.live

    def _mask(self, query: wq.Query) -> int:
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

    def term(self, fieldname: str, text: str | bytes) -> int:
        return self._cached((fieldname, text), lambda: self._postings(fieldname, text))

    def _cached(self, key: tuple[str, Any], build) -> int:
        with self._lock:
            found = self._terms.get(key)
            if found is not None:
                self._terms.move_to_end(key)
                return found
        found = build()
        with self._lock:
            self._terms[key] = found
            while len(self._terms) > TERM_CACHE_SIZE:
                self._terms.popitem(last=False)
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


def value_masks(values: list[str], size: int) -> dict[str, int]:
    """One bitmap per distinct value of a column (document number → value)."""
    arrays: dict[str, bytearray] = {}
    nbytes = (size + 7) // 8
    for docnum, value in enumerate(values):
        if value:
            array = arrays.get(value)
            if array is None:
                array = arrays[value] = bytearray(nbytes)
            array[docnum >> 3] |= 1 << (docnum & 7)
    return {value: int.from_bytes(array, "little") for value, array in arrays.items()}
