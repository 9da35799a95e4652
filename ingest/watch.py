"""Watch a folder that office scanners save into, and ingest each letter once it is complete.

A scanner writes a file over several seconds; a file is taken once it is `settle` seconds old
(by its own mtime) and, if it was seen before, its size and mtime have not changed since. After
ingest it moves to `done/` or `failed/` beside it, so the folder itself only ever holds letters
still to do. Links are never followed: each is reported as skipped and moved to `failed/`.
Hidden files (partial uploads, .DS_Store) are left where they are and reported once.
"""

from __future__ import annotations

import logging
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

from ingest.pipeline import SKIP_HIDDEN, SKIP_MESSAGES, FileOutcome, IngestReport, ingest_paths
from ingest.printable import printable
from ingest.store.archive import Archive

log = logging.getLogger(__name__)

DONE, FAILED = "done", "failed"


class FolderWatcher:
    """`archive_files` archives a list of settled files and returns the batch's report; by
    default `ingest_paths`. `before_poll` runs at the start of each poll. The command line gets
    its watcher from `index.intake.IntakeService.folder_watcher`, whose letters also become
    searchable (this package cannot import the index)."""

    def __init__(
        self,
        folder: Path,
        archive: Archive,
        *,
        settle: float = 3.0,
        jobs: int | None = None,
        lang: str = "vie",
        on_file_done: Callable[[FileOutcome], None] | None = None,
        archive_files: Callable[[list[Path]], IngestReport] | None = None,
        before_poll: Callable[[], None] | None = None,
    ) -> None:
        self.folder = folder
        self.archive = archive
        self.settle = settle
        self.on_file_done = on_file_done
        self.archive_files = archive_files or (
            lambda paths: ingest_paths(paths, archive, jobs=jobs, lang=lang)
        )
        self.before_poll = before_poll
        self._seen: dict[Path, tuple[int, int, float]] = {}  # path -> (size, mtime_ns, since)
        self._hidden_reported: set[Path] = set()

    def poll(self) -> list[FileOutcome]:
        """Ingest the files that have settled; returns their outcomes (and new skipped ones)."""
        if self.before_poll:
            self.before_poll()
        ready, hidden = self._scan()
        outcomes = [
            FileOutcome(str(path), outcome="skipped", reason=SKIP_HIDDEN,
                        error=SKIP_MESSAGES[SKIP_HIDDEN])
            for path in hidden
        ]
        if ready:
            report = self.archive_files(ready)
            for outcome in report.files:
                taken = outcome.outcome in ("archived", "duplicate")
                self._move_away(Path(outcome.path), DONE if taken else FAILED)
            outcomes += report.files
        for outcome in outcomes:
            if outcome.reason == SKIP_HIDDEN:
                log.info("skipped   %s: %s", printable(outcome.path), outcome.error)
            if self.on_file_done:
                self.on_file_done(outcome)
        return outcomes

    def run_forever(self, interval: float = 2.0) -> None:
        log.info("watching %s (Ctrl+C to stop)", printable(str(self.folder)))
        while True:
            self.poll()
            time.sleep(interval)

    def _scan(self) -> tuple[list[Path], list[Path]]:
        """Settled files and links (the batch reports links as skipped), and hidden entries
        not reported yet."""
        now, clock = time.time(), time.monotonic()
        current: dict[Path, tuple[int, int, float]] = {}
        ready, hidden = [], []
        for path in sorted(self.folder.iterdir()):
            try:
                info = path.lstat()
            except FileNotFoundError:
                continue  # moved away meanwhile
            if stat.S_ISLNK(info.st_mode):
                ready.append(path)  # never read: reported as skipped, moved to failed/
            elif path.name.startswith("."):
                if path not in self._hidden_reported:
                    hidden.append(path)
            elif stat.S_ISREG(info.st_mode):  # done/, failed/ and other folders stay
                size_mtime = (info.st_size, info.st_mtime_ns)
                previous = self._seen.get(path)
                unchanged = previous is not None and previous[:2] == size_mtime
                since = previous[2] if unchanged and previous else clock
                current[path] = (*size_mtime, since)
                old_enough = now - info.st_mtime >= self.settle
                # Its own age counts, so one poll (--once) takes a finished file; a file seen
                # before must also be unchanged, and one whose mtime is in the future (clock
                # skew) settles by our own clock.
                if (old_enough and (previous is None or unchanged)) or clock - since >= self.settle:
                    ready.append(path)
        self._seen = {p: v for p, v in current.items() if p not in ready}
        still_there = {p for p in self._hidden_reported if os.path.lexists(p)}
        self._hidden_reported = still_there | set(hidden)
        return ready, hidden

    def _move_away(self, path: Path, subfolder: str) -> None:
        target_dir = self.folder / subfolder
        target_dir.mkdir(exist_ok=True)
        target = target_dir / path.name
        counter = 1
        while target.exists() or target.is_symlink():
            target = target_dir / f"{path.stem}.{counter}{path.suffix}"
            counter += 1
        try:
            path.rename(target)
        except OSError as error:
            log.warning("could not move %s to %s: %s", printable(str(path)),
                        printable(str(target_dir)), error)
