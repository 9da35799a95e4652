"""Per-generation caches: facet columns as lists, counts per query, autocomplete vocabularies.

Everything here is derived from one reader generation; a new generation (a commit or a
rebuild) gets a fresh `GenerationCache`, so nothing stale is ever served.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable
from typing import Any

from .analysis import fold_text
from .schema import FACET_FIELDS

log = logging.getLogger(__name__)

FACET_LIMIT = 30
COUNT_CACHE_SIZE = 512


def _alnum(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold_text(text))


class GenerationCache:
    """Column values and query counts of one searcher generation (thread-safe)."""

    def __init__(self, token: Any) -> None:
        self.token = token
        self._lock = threading.Lock()
        self._columns: dict[str, list[str]] = {}
        self._counts: OrderedDict[str, tuple[int, dict[str, list[tuple[str, int]]]]] = (
            OrderedDict()
        )
        self._vocab: dict[str, list[tuple[str, str, int]]] = {}

    def column(self, reader: Any, fieldname: str) -> list[str]:
        with self._lock:
            values = self._columns.get(fieldname)
        if values is None:
            values = [v if isinstance(v, str) else v.decode() for v in
                      reader.column_reader(fieldname)]
            with self._lock:
                self._columns[fieldname] = values
        return values

    def counted(self, key: str) -> tuple[int, dict[str, list[tuple[str, int]]]] | None:
        with self._lock:
            found = self._counts.get(key)
            if found is not None:
                self._counts.move_to_end(key)
            return found

    def remember(self, key: str, value: tuple[int, dict[str, list[tuple[str, int]]]]) -> None:
        with self._lock:
            self._counts[key] = value
            while len(self._counts) > COUNT_CACHE_SIZE:
                self._counts.popitem(last=False)

    def facet_counts(self, reader: Any, docnums: list[int]) -> dict[str, list[tuple[str, int]]]:
        """Counts per facet value over the matching documents, most frequent first."""
        facets: dict[str, list[tuple[str, int]]] = {name: [] for name in FACET_FIELDS}
        if not docnums:
            return facets
        for name, fieldname in FACET_FIELDS.items():
            values = self.column(reader, fieldname)
            counts = Counter(values[d] for d in docnums)
            counts.pop("", None)
            if name == "year":
                ordered = sorted(counts.items(), reverse=True)
            else:
                ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            facets[name] = ordered[:FACET_LIMIT]
        return facets

    def vocabulary(self, reader: Any, fieldname: str) -> list[tuple[str, str, int]]:
        """(value, folded value, number of letters) of a column, most frequent first."""
        with self._lock:
            found = self._vocab.get(fieldname)
        if found is None and not reader.doc_count_all():
            return []
        if found is None:
            values = self.column(reader, fieldname)
            counts = Counter(values[d] for d in reader.all_doc_ids())
            counts.pop("", None)
            key = _alnum if fieldname == "reference" else fold_text
            found = [(v, key(v), n) for v, n in sorted(counts.items(), key=lambda kv: -kv[1])]
            with self._lock:
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
