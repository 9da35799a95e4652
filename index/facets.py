"""Per-generation caches: result bitmaps and counts per query, facet columns, date orders,
autocomplete vocabularies.

Everything here is derived from one reader generation; a new generation (a commit or a
rebuild) gets a fresh `GenerationCache`, so nothing stale is ever served. Builds are serialised
by a lock (a Whoosh reader is not shared between threads while it reads).
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable
from typing import Any

from .analysis import fold_text
from .masks import MaskEvaluator, docnums_of, value_masks
from .schema import FACET_FIELDS
from .scoring import BulkScorer

log = logging.getLogger(__name__)

FACET_LIMIT = 30
COUNT_CACHE_SIZE = 512
SMALL_RESULT = 2000  # below this many hits, count and sort by walking the hits
SORT_COLUMNS = {"newest": ("sort_new", True), "oldest": ("sort_old", False)}

Facets = dict[str, list[tuple[str, int]]]


def _alnum(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold_text(text))


class GenerationCache:
    """What one reader generation answers often, computed once."""

    def __init__(self, token: Any, reader: Any) -> None:
        self.token = token
        self.reader = reader
        self.lock = threading.RLock()
        self._scorer: BulkScorer | None = None
        self.masks = MaskEvaluator(reader, lambda f, t: self.scorer().term_scores(f, t)[0])
        self._columns: dict[str, list[str]] = {}
        self._value_masks: dict[str, dict[str, int]] = {}
        self._orders: dict[str, list[int]] = {}
        self._results: OrderedDict[str, tuple[int, int, Facets | None]] = OrderedDict()
        self._vocab: dict[str, list[tuple[str, str, int]]] = {}

    # -- results ------------------------------------------------------------------------

    def result(self, key: str, query: Any, facets: bool) -> tuple[int, int, Facets | None]:
        """(bitmap, total, facets or None) of a query, cached by `key`."""
        with self.lock:
            found = self._results.get(key)
            if found is None or (facets and found[2] is None):
                mask = found[0] if found else self.masks.mask(query)
                total = mask.bit_count()
                found = (mask, total, self.facet_counts(mask, total) if facets else None)
                self._results[key] = found
                while len(self._results) > COUNT_CACHE_SIZE:
                    self._results.popitem(last=False)
            self._results.move_to_end(key)
            return found

    def facet_counts(self, mask: int, total: int) -> Facets:
        """Counts per facet value over the hits, most frequent first (years newest first)."""
        facets: Facets = {}
        for name, fieldname in FACET_FIELDS.items():
            if not total:
                counts: Counter[str] = Counter()
            elif total <= SMALL_RESULT:
                values = self.column(fieldname)
                counts = Counter(values[d] for d in docnums_of(mask))
            else:
                counts = Counter({v: (mask & m).bit_count()
                                  for v, m in self.value_masks(fieldname).items()})
            counts.pop("", None)
            if name == "year":
                ordered = sorted(((v, n) for v, n in counts.items() if n), reverse=True)
            else:
                ordered = sorted(((v, n) for v, n in counts.items() if n),
                                 key=lambda kv: (-kv[1], kv[0]))
            facets[name] = ordered[:FACET_LIMIT]
        return facets

    def sorted_docnums(self, mask: int, total: int, sort: str, stop: int) -> list[int]:
        """The first `stop` hits by date (undated last)."""
        fieldname, newest = SORT_COLUMNS[sort]
        if total <= SMALL_RESULT:
            values = self.column(fieldname)
            return sorted(docnums_of(mask), key=lambda d: values[d], reverse=newest)[:stop]
        data = mask.to_bytes((self.masks.size + 7) // 8, "little")
        found = []
        for docnum in self.order(fieldname, newest):
            if data[docnum >> 3] >> (docnum & 7) & 1:
                found.append(docnum)
                if len(found) >= stop:
                    break
        return found

    def scorer(self) -> BulkScorer:
        with self.lock:
            if self._scorer is None:
                self._scorer = BulkScorer(self.reader)
            return self._scorer

    # -- per-generation columns -----------------------------------------------------------

    def column(self, fieldname: str) -> list[str]:
        with self.lock:
            values = self._columns.get(fieldname)
            if values is None:
                if not self.masks.size:
                    return []
                values = [v if isinstance(v, str) else v.decode()
                          for v in self.reader.column_reader(fieldname)]
                self._columns[fieldname] = values
            return values

    def value_masks(self, fieldname: str) -> dict[str, int]:
        with self.lock:
            if fieldname not in self._value_masks:
                self._value_masks[fieldname] = value_masks(self.column(fieldname),
                                                           self.masks.size)
            return self._value_masks[fieldname]

    def order(self, fieldname: str, reverse: bool) -> list[int]:
        with self.lock:
            if fieldname not in self._orders:
                values = self.column(fieldname)
                self._orders[fieldname] = sorted(range(len(values)), key=values.__getitem__,
                                                 reverse=reverse)
            return self._orders[fieldname]

    def vocabulary(self, fieldname: str) -> list[tuple[str, str, int]]:
        """(value, folded value, number of letters) of a column, most frequent first."""
        with self.lock:
            found = self._vocab.get(fieldname)
            if found is None:
                values = self.column(fieldname)
                counts = Counter(values[d] for d in docnums_of(self.masks.live))
                counts.pop("", None)
                key = _alnum if fieldname == "reference" else fold_text
                found = [(v, key(v), n) for v, n in sorted(counts.items(), key=lambda kv: -kv[1])]
                self._vocab[fieldname] = found
            return found


def complete(vocabulary: Iterable[tuple[str, str, int]], prefix: str, *, reference: bool,
             limit: int) -> list[str]:
    """Values whose folded form (or one of its words) starts with the folded prefix."""
    wanted = _alnum(prefix) if reference else fold_text(prefix).strip()
    if not wanted:
        return []
    starts, inside = [], []
    for value, folded, _count in vocabulary:
        if folded.startswith(wanted):
            starts.append(value)
        elif not reference and f" {wanted}" in f" {folded}":
            inside.append(value)
        if len(starts) >= limit:
            break
    return (starts + inside)[:limit]
