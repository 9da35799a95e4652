"""Watch a folder that office scanners save into, and ingest each letter once it is complete.

A scanner writes a file over several seconds; a file is taken only when its size and mtime have
not changed for `settle` seconds. After ingest it moves to `done/` or `failed/` beside it, so the
folder itself only ever holds letters still to do.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from .archive import Archive
from .pipeline import FileOutcome, ingest_paths

log = logging.getLogger(__name__)

DONE, FAILED = "done", "failed"


class FolderWatcher:
    def __init__(
        self,
        folder: Path,
        archive: Archive,
        *,
        settle: float = 3.0,
        jobs: int | None = None,
        lang: str = "vie",
        on_file_done: Callable[[FileOutcome], None] | None = None,
    ) -> None:
        self.folder = folder
        self.archive = archive
        self.settle = settle
        self.jobs = jobs
        self.lang = lang
        self.on_file_done = on_file_done
        self._seen: dict[Path, tuple[int, int, float]] = {}  # path -> (size, mtime_ns, since)

    def poll(self) -> list[FileOutcome]:
        """Ingest the files that have stopped growing; returns their outcomes."""
        ready = self._stable_files()
        if not ready:
            return []
        report = ingest_paths(ready, self.archive, jobs=self.jobs, lang=self.lang)
        for outcome in report.files:
            self._move_away(Path(outcome.path), DONE if outcome.outcome != "failed" else FAILED)
            if self.on_file_done:
                self.on_file_done(outcome)
        return report.files

    def run_forever(self, interval: float = 2.0) -> None:
        log.info("watching %s (Ctrl+C to stop)", self.folder)
        while True:
            self.poll()
            time.sleep(interval)

    def _stable_files(self) -> list[Path]:
        now = time.monotonic()
        current: dict[Path, tuple[int, int, float]] = {}
        ready = []
        for path in sorted(self.folder.iterdir()):
            if path.name.startswith(".") or not path.is_file():
                continue  # done/ and failed/ are folders; dotfiles are partial uploads
            stat = path.stat()
            size, mtime, since = stat.st_size, stat.st_mtime_ns, now
            previous = self._seen.get(path)
            if previous and previous[:2] == (size, mtime):
                since = previous[2]
            current[path] = (size, mtime, since)
            if now - since >= self.settle:
                ready.append(path)
        self._seen = {p: v for p, v in current.items() if p not in ready}
        return ready

    def _move_away(self, path: Path, subfolder: str) -> None:
        target_dir = self.folder / subfolder
        target_dir.mkdir(exist_ok=True)
        target = target_dir / path.name
        counter = 1
        while target.exists():
            target = target_dir / f"{path.stem}.{counter}{path.suffix}"
            counter += 1
        try:
            path.rename(target)
        except OSError as error:
            log.warning("could not move %s to %s: %s", path, target_dir, error)
