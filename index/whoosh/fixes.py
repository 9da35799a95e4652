"""Two small corrections to Whoosh 2.7's posting reader, applied when the Whoosh engine is
loaded (index/whoosh/__init__.py).

`W3LeafMatcher.skip_to` walks a block's ids one Python call at a time; searching for common
words spends most of its time there. The replacement finds the position with `bisect` on the
block's id array (same result: the first id >= target). Tested in tests/test_search.py against
the original on real postings.
"""

from __future__ import annotations

import logging
from bisect import bisect_left

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import ReadTooFar

log = logging.getLogger(__name__)

original_skip_to = W3LeafMatcher.skip_to


def skip_to(self: W3LeafMatcher, targetid: int) -> None:
    """Move to the first posting whose id is >= targetid."""
    if not self.is_active():
        raise ReadTooFar
    if targetid <= self.id():
        return
    if targetid > self.block_max_id():
        self._skip_to_block(lambda: targetid > self.block_max_id())
        if not self.is_active():
            return
    if self._ids is None:
        self._read_ids()
    position = bisect_left(self._ids, targetid, self._i, self._blocklength)
    if position >= self._blocklength:
        self._next_block()
    else:
        self._i = position


def apply() -> None:
    W3LeafMatcher.skip_to = skip_to
