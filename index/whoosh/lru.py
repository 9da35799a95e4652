"""A least-recently-used cache bounded by bytes, shared by threads.

The search caches hold bitmaps and arrays whose size grows with the archive (12.5 KB per
bitmap, 400 KB per dense array at 100k letters): a bound by entry count alone lets them grow
with it, so each cache here has a byte budget and each entry says what it weighs.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

V = TypeVar("V")


class ByteLRU(Generic[V]):
    """Entries up to `max_bytes` in all (as `weigh` counts them), least recently used dropped
    first; an entry heavier than the whole budget is not kept."""

    def __init__(self, max_bytes: int, weigh: Callable[[V], int]) -> None:
        self.max_bytes = max_bytes
        self._weigh = weigh
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.nbytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, value: V) -> V:
        """Keep `value` under `key` (replacing any entry there) and return it."""
        weight = self._weigh(value)
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.nbytes -= old[1]
            if weight <= self.max_bytes:
                self._entries[key] = (value, weight)
                self.nbytes += weight
            while self.nbytes > self.max_bytes:
                _key, (_value, dropped) = self._entries.popitem(last=False)
                self.nbytes -= dropped
        return value
