"""A search node: its own index, built from the catalog and then following the catalog's change
sequence (`CatalogStore.changes_since`), so that a letter committed on any host is searchable
on every node within a poll or two.

The catalog stays the truth: the follower never writes it, and a node's index can always be
thrown away and built again (`congvan reindex`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from ingest.store.catalog import CatalogStore

from .backend import SearchBackend

log = logging.getLogger(__name__)

POLL_SECONDS = 0.25  # a new letter is searchable about this long after its commit
BATCH = 1000  # changes written in one index commit
RETRY_SECONDS = 2.0  # after a failed step (catalog or index unreachable)


class IndexFollower:
    """Keeps `index` up to date with the catalog that `open_catalog` opens, in a thread of its
    own (`start`, `stop`), or step by step (`catch_up`, `step`) where a caller drives it."""

    def __init__(self, index: SearchBackend, open_catalog: Callable[[], CatalogStore], *,
                 poll: float = POLL_SECONDS, batch: int = BATCH) -> None:
        self.index = index
        self.open_catalog = open_catalog
        self.poll = poll
        self.batch = batch
        self.seen = 0  # the last number of the change sequence the index holds
        self._seen_changed = threading.Condition()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    # -- driven by a caller --------------------------------------------------------------------

    def catch_up(self, catalog: CatalogStore) -> dict:
        """Sync the whole index with the catalog (the letters changed since the index's mark,
        or every letter's stamp compared: index.marks): at start, when the changes since the
        last poll cannot be trusted. The sequence is read first, so
        a change committed during the sync is written again by the next step, never lost."""
        seq = catalog.last_change()
        counts = self.index.sync(catalog)
        self._advance(seq)
        return counts

    def step(self, catalog: CatalogStore) -> int:
        """Write the letters changed since the last step (at most `batch`); how many."""
        changes = catalog.changes_since(self.seen, self.batch)
        if not changes:
            return 0
        self.index.sync_letters(catalog, sorted({document_id for _, document_id in changes}),
                                through=changes[-1][0])
        self._advance(changes[-1][0])
        return len(changes)

    def wait_for(self, seq: int, timeout: float) -> bool:
        """Wait until the index holds change `seq` (a writer's read-your-writes); False if it
        does not within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._seen_changed:
            while self.seen < seq:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._seen_changed.wait(left)
        return True

    def _advance(self, seq: int) -> None:
        with self._seen_changed:
            self.seen = max(self.seen, seq)
            self._seen_changed.notify_all()

    # -- in a thread of its own ------------------------------------------------------------------

    def start(self) -> None:
        """Catch up now (in the caller, so a node serves only once its index is whole), then
        follow in a daemon thread."""
        with self.open_catalog() as catalog:
            counts = self.catch_up(catalog)
        log.info("index caught up with the catalog at change %d: %s", self.seen, counts)
        self._thread = threading.Thread(target=self._follow, name="index-follower", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _follow(self) -> None:
        catalog: CatalogStore | None = None
        while not self._stopping.is_set():
            try:
                if catalog is None:  # one connection, opened in this thread (SQLite's rule)
                    catalog = self.open_catalog()
                    self.catch_up(catalog)  # what changed while it was away
                while self.step(catalog) == self.batch:  # a backlog: no pause between batches
                    pass
                self._stopping.wait(self.poll)
            except Exception:  # a node keeps serving; it retries the catalog
                log.exception("index follower: step failed; retrying in %.0f s", RETRY_SECONDS)
                if catalog is not None:
                    _close_quietly(catalog)
                    catalog = None
                self._stopping.wait(RETRY_SECONDS)
        if catalog is not None:
            _close_quietly(catalog)


def _close_quietly(catalog: CatalogStore) -> None:
    try:
        catalog.close()
    except Exception:  # a connection already broken
        log.debug("closing a broken catalog connection failed", exc_info=True)
