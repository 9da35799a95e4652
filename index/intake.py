"""Archive files, then bring the search index up to date: the one function that does both.

`congvan ingest` and `watch`, the upload page, `serve` and `search` all go through here, so a
letter archived by any of them becomes searchable. The index is derived from the catalog and any
sync catches up every letter missing from it; so when another process holds the index's write
lock for longer than `INDEX_WAIT_SECONDS`, the sync is left to the next run and the result says
so (`index: "deferred"`), instead of failing a batch that is already safely archived.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest import Archive, Catalog, FileOutcome, IngestReport, ingest_paths
from ingest.errors import ArchiveBusy

from .engines import open_index, sync_index

log = logging.getLogger(__name__)

INDEX_WAIT_SECONDS = 10.0  # read at call time: tests shorten it

SYNCED, DEFERRED, SKIPPED = "synced", "deferred", "skipped"


@dataclass
class IndexUpdate:
    """What became of the index: synced (with counts), deferred (busy), or skipped (asked)."""

    status: str
    counts: dict[str, Any] = field(default_factory=dict)


@dataclass
class Intake:
    report: IngestReport
    index: IndexUpdate

    def as_json(self) -> dict[str, Any]:
        return {**self.report.as_json(), "index": self.index.status}


def update_index(archive: Archive, idx: Any = None, *, wait: float | None = None) -> IndexUpdate:
    """Sync the archive's index (`idx`, else the configured engine's) with its catalog; if the
    index stays locked `wait` seconds (default INDEX_WAIT_SECONDS), leave it to the next run."""
    if idx is None:
        idx = open_index(archive.index_dir)
    timeout = INDEX_WAIT_SECONDS if wait is None else wait
    try:
        with Catalog(archive.catalog_path) as catalog:
            counts = sync_index(catalog, idx, timeout=timeout)
    except ArchiveBusy:
        log.warning(
            "warning: the search index is busy (another process is writing it); the new letters "
            "are archived and will be indexed by the next ingest, watch, serve or reindex"
        )
        return IndexUpdate(DEFERRED)
    log.debug("search index synced: %s", counts)
    return IndexUpdate(SYNCED, counts)


def archive_and_index(
    paths: Iterable[Path | str],
    archive: Archive,
    *,
    jobs: int | None = None,
    lang: str = "vie",
    on_file_done: Callable[[FileOutcome], None] | None = None,
    index: bool = True,
    idx: Any = None,
    wait: float | None = None,
) -> Intake:
    """Ingest `paths` into `archive`, then bring the index up to date (unless `index` is False:
    bulk loads leave that to `reindex` or `serve`). `idx`: an index already open (the server's)."""
    report = ingest_paths(paths, archive, jobs=jobs, lang=lang, on_file_done=on_file_done)
    update = update_index(archive, idx, wait=wait) if index else IndexUpdate(SKIPPED)
    return Intake(report, update)
