"""Archive files, then bring the search index up to date: `IntakeService`, the one owner of both.

`congvan ingest` and `watch`, the upload page's background jobs, `serve`'s start-up and
`search`'s freshness check all go through it, so a letter archived by any of them becomes
searchable. It stages, dedupes and stores through the ingest batch, which has the recipe run by
a runner (`ingest.runners`: a local pool of worker processes unless another is given), and
then syncs the index. The index is derived from the catalog and any sync catches up every letter
missing from it; so when another process holds the index's write lock for longer than
`INDEX_WAIT_SECONDS`, the sync is left to the next run and the result says so (`index:
"deferred"`), instead of failing a batch that is already safely archived.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest import Archive, FileOutcome, IngestReport, ingest_paths, open_catalog
from ingest.errors import ArchiveBusy
from ingest.runners import LocalPoolRunner, Runner
from ingest.watch import FolderWatcher

from .backend import SearchBackend
from .engines import DEFAULT_ENGINE, open_index

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
    """One intake's result: the batch's report and what became of the index."""

    report: IngestReport
    index: IndexUpdate

    def as_json(self) -> dict[str, Any]:
        return {**self.report.as_json(), "index": self.index.status}


class IntakeService:
    """Archives files into `archive` and keeps its search index up to date.

    `engine`: the search engine's name; `idx`: an index already open (the
    server's, shared by its threads); `jobs`, `lang`: the batch's; `make_runner`: where the
    recipe runs, one runner per batch (default: a `LocalPoolRunner` of `jobs` processes, made
    by the thread that runs the batch); `wait`: how long a busy index is waited for.
    """

    def __init__(
        self,
        archive: Archive,
        *,
        engine: str = DEFAULT_ENGINE,
        idx: SearchBackend | None = None,
        jobs: int | None = None,
        lang: str = "vie",
        make_runner: Callable[[], Runner] | None = None,
        wait: float | None = None,
    ) -> None:
        self.archive = archive
        self.engine = engine
        self.jobs = jobs
        self.lang = lang
        self.make_runner = make_runner or (lambda: LocalPoolRunner(jobs))
        self.wait = wait
        self._idx = idx
        self._index_current = False  # synced by this service since the last batch

    def index(self) -> SearchBackend:
        """The archive's search index, opened on first use."""
        if self._idx is None:
            self._idx = open_index(self.archive.index_dir, self.engine)
        return self._idx

    def archive_and_index(
        self,
        paths: Iterable[Path | str],
        *,
        on_file_done: Callable[[FileOutcome], None] | None = None,
        index: bool = True,
    ) -> Intake:
        """Ingest `paths`, then bring the index up to date (unless `index` is False: bulk loads
        leave that to `reindex` or `serve`)."""
        report = ingest_paths(paths, self.archive, jobs=self.jobs, lang=self.lang,
                              on_file_done=on_file_done, runner=self.make_runner())
        self._index_current = False
        return Intake(report, self.update_index() if index else IndexUpdate(SKIPPED))

    def update_index(self) -> IndexUpdate:
        """Sync the index with the catalog; if it stays locked, leave it to the next run."""
        update = update_index(self.archive, self.index(), wait=self.wait)
        self._index_current = update.status == SYNCED
        return update

    def catch_up_index(self) -> None:
        """Sync the index unless this service already has since its last batch: letters that
        an ingest with --no-index, or a sync left to the next run, archived unindexed."""
        if not self._index_current and self.archive.has_catalog():
            self.update_index()

    def ready_index(self) -> SearchBackend:
        """The index, built first if it is missing, empty while the catalog is not, or of an
        older schema version (what `search` needs; `serve` syncs it whole)."""
        idx = self.index()
        with open_catalog(self.archive.catalog_location) as catalog:
            unbuilt = idx.needs_rebuild or (idx.is_empty() and catalog.stats()["documents"])
        if unbuilt:
            log.info("building the search index from the catalog")
            self.update_index()
        return idx

    def folder_watcher(self, folder: Path, *, settle: float = 3.0) -> FolderWatcher:
        """A watcher of `folder` whose letters are archived and made searchable; each poll
        first catches the index up (at start, and after a sync left to the next run)."""
        return FolderWatcher(
            folder, self.archive, settle=settle,
            archive_files=lambda paths: self.archive_and_index(paths).report,
            before_poll=self.catch_up_index,
        )


def update_index(archive: Archive, idx: SearchBackend | None = None, *,
                 engine: str = DEFAULT_ENGINE, wait: float | None = None) -> IndexUpdate:
    """Sync the archive's index (`idx`, else that of `engine`) with its catalog; if the index
    stays locked `wait` seconds (default INDEX_WAIT_SECONDS), leave it to the next run."""
    if idx is None:
        idx = open_index(archive.index_dir, engine)
    timeout = INDEX_WAIT_SECONDS if wait is None else wait
    try:
        with open_catalog(archive.catalog_location) as catalog:
            counts = idx.sync(catalog, timeout=timeout)
    except ArchiveBusy:
        log.warning(
            "warning: the search index is busy (another process is writing it); the new letters "
            "are archived and will be indexed by the next ingest, watch, serve or reindex"
        )
        return IndexUpdate(DEFERRED)
    log.debug("search index synced: %s", counts)
    return IndexUpdate(SYNCED, counts)

