"""Ingest letters into the archive: the batch that runs the recipe over many files.

For each file: stage its bytes (copy + hash) → skip if already archived → have a runner read it
with the recipe (`ingest.recipe.ingest_file`: detect, read, OCR, clean, extract; in worker
processes) → write the catalog record and move the staged bytes into `originals/`. The records of
the letters stored within a second or so (at most `GROUP_LETTERS`) are committed together, after
their originals are synced to disk (the staged bytes, many at once, then moved, then their
folders): a letter is in the catalog only with its original safely stored, and a crash loses at
most the group not committed yet (the next run archives those letters again). Every readable file
is archived: one that does not look like a letter, or yields few fields, is kept with the fields
found and flagged `needs_review`. A file that cannot be read at all fails, named with its reason;
its bytes go to `quarantine/`, and the batch goes on.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import socket
import time
import traceback
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ingest.curation.duplicates import find_duplicates, sign_unsigned, signature_row
from ingest.errors import ArchiveWriteError, CongvanError, FileError, MachineError
from ingest.model import DocumentRecord
from ingest.printable import printable
from ingest.recipe import Reading, RecipeSettings
from ingest.runners import LocalPoolRunner, Runner
from ingest.store import open_catalog
from ingest.store.archive import Archive, document_id_for, fsync_dir
from ingest.store.catalog import POSSIBLE_DUPLICATE, now_iso
from ingest.store.staging import LinkNotFollowed, StagedFile, stage_file, sweep_stale_staging

log = logging.getLogger(__name__)

# Letters whose catalog writes are committed together (see the module docstring): one commit
# and one sync to disk per group instead of three per letter, which capped a bulk ingest.
GROUP_LETTERS = 500
GROUP_SECONDS = 1.0  # a group is committed this long after its first write at the latest
SYNC_THREADS = 8  # fsyncs at once: the file system commits its journal for many of them
# The batch's catalog connection keeps this much of the catalog (SQLite's page cache, 2 MB
# unless asked): into a copy of a 20,000-letter catalog, 240 → 61 reads of the file a letter.
CATALOG_CACHE_MB = 64


@dataclass
class FileOutcome:
    path: str
    sha256: str | None = None
    outcome: str = "failed"  # archived | duplicate | failed | skipped (not read: see reason)
    document_id: str | None = None
    pages: int = 0
    ocr_pages: int = 0
    seconds: float = 0.0
    error: str | None = None
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)  # archived, but something was amiss
    review: list[str] = field(default_factory=list)  # archived, flagged for staff to check

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class IngestReport:
    files: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        counts = {kind: 0 for kind in ("archived", "duplicate", "failed", "skipped")}
        for item in self.files:
            counts[item.outcome] += 1
        return {
            "files": len(self.files),
            **counts,
            "pages": sum(f.pages for f in self.files if f.outcome == "archived"),
            "ocr_pages": sum(f.ocr_pages for f in self.files if f.outcome == "archived"),
            "needs_review": sum(1 for f in self.files if f.outcome == "archived" and f.review),
            "seconds": round(self.seconds, 3),
        }

    def as_json(self) -> dict[str, Any]:
        return {"files": [f.as_json() for f in self.files], "summary": self.summary()}


# Why a file is passed over without being read (FileOutcome.reason of outcome "skipped").
SKIP_SYMLINK = "symlink"  # never followed: it could point anywhere (/etc/shadow, another folder)
SKIP_HIDDEN = "hidden"  # inside a folder: .DS_Store, editor and sync leftovers, partial uploads
SKIP_README = "readme"  # inside a folder: the folder's own description, not a letter
SKIP_MESSAGES = {
    SKIP_SYMLINK: "a symbolic link: congvan never follows links (archive the file itself)",
    SKIP_HIDDEN: "a hidden file or folder (its name starts with a dot)",
    SKIP_README: "a folder's README, not a letter",
}


@dataclass(frozen=True)
class InputFile:
    """One path to ingest, or to pass over with a reason (`skip`)."""

    path: Path
    skip: str | None = None


def iter_input_files(paths: Iterable[Path]) -> Iterator[InputFile]:
    """Files named, and files inside folders named (recursively, sorted).

    Links are never followed, whether named or found in a folder: each is reported as skipped.
    Inside folders, hidden entries and a folder's own README are reported as skipped too.
    """
    for path in paths:
        if path.is_symlink():
            yield InputFile(path, SKIP_SYMLINK)
        elif path.is_dir():
            yield from _walk_folder(path)
        else:
            yield InputFile(path)


def _walk_folder(root: Path) -> Iterator[InputFile]:
    for folder, subfolders, names in os.walk(root):  # os.walk never descends into links
        entries = []
        for name in subfolders:
            path = Path(folder) / name
            if path.is_symlink():
                entries.append(InputFile(path, SKIP_SYMLINK))
            elif name.startswith("."):
                entries.append(InputFile(path, SKIP_HIDDEN))  # one line for the whole folder
        for name in names:
            path = Path(folder) / name
            entries.append(InputFile(path, _skip_reason_in_folder(path)))
        yield from sorted(entries, key=lambda entry: entry.path.name)
        subfolders[:] = sorted(
            d for d in subfolders if not d.startswith(".") and not (Path(folder) / d).is_symlink()
        )


def _skip_reason_in_folder(path: Path) -> str | None:
    if path.is_symlink():
        return SKIP_SYMLINK
    if path.name.startswith("."):
        return SKIP_HIDDEN
    if path.name.lower().split(".")[0] == "readme":
        return SKIP_README
    return None


# -- the batch ---------------------------------------------------------------------------------


@dataclass
class _Item:
    """One input file on its way through the batch."""

    outcome: FileOutcome
    staged: StagedFile | None = None
    started: float = field(default_factory=time.monotonic)
    followers: list[_Item] = field(default_factory=list)  # same bytes, later in this batch


class IngestBatch:
    """Stages each file, skips bytes already archived, has the recipe (`ingest_file`) run by
    `runner` (default: a `LocalPoolRunner` of `jobs` worker processes, for this run), and
    stores what it read: the original and its catalog record, or the bytes in quarantine."""

    def __init__(
        self,
        archive: Archive,
        *,
        runner: Runner | None = None,
        jobs: int | None = None,
        lang: str = "vie",
        ocr_timeout: float = 180.0,
        read_timeout: float = 60.0,
        on_file_done: Callable[[FileOutcome], None] | None = None,
        batch_id: str | None = None,
    ) -> None:
        self.archive = archive
        self.runner = runner or LocalPoolRunner(jobs)
        self.settings = RecipeSettings(lang, ocr_timeout, read_timeout)
        self.on_file_done = on_file_done
        self.batch_id = batch_id or uuid.uuid4().hex  # the queue's batch, for its jobs' logs
        self.report = IngestReport()
        self._in_flight: dict[Future[Reading], _Item] = {}
        self._by_sha: dict[str, _Item] = {}
        self._group_started: float | None = None  # when the open group of writes began
        self._group_done: list[FileOutcome] = []  # reported to on_file_done at the commit
        self._group_originals: list[tuple[StagedFile, Path]] = []  # moved at the commit

    def run(self, paths: Iterable[Path]) -> IngestReport:
        started = time.monotonic()
        self.archive.create()
        sweep_stale_staging(self.archive)
        with (open_catalog(self.archive.catalog_location, cache_mb=CATALOG_CACHE_MB)
              as self.catalog, self.runner):
            sign_unsigned(self.catalog)  # letters archived before signatures, once
            try:
                self._run(iter_input_files(paths))
                self._commit_group()
            finally:
                self.catalog.rollback_group()  # after an error: what was not committed
        self.report.seconds = time.monotonic() - started
        return self.report

    def _run(self, files: Iterator[InputFile]) -> None:
        exhausted = False
        while True:
            while not exhausted and len(self._in_flight) < 2 * self.runner.slots:
                entry = next(files, None)
                if entry is None:
                    exhausted = True
                else:
                    self._start(entry)
                    self._commit_group_when_due()
            if not self._in_flight:
                return
            done, _ = wait(list(self._in_flight), timeout=self._group_time_left(),
                           return_when=FIRST_COMPLETED)
            for future in done:
                self._handle(future, self._in_flight.pop(future))
            self._commit_group_when_due()

    # -- the group of catalog writes committed together ---------------------------------------

    def _write(self) -> None:
        """Before a catalog write: open a group if none is open."""
        if self._group_started is None:
            self.catalog.begin_group()
            self._group_started = time.monotonic()

    def _group_time_left(self) -> float | None:
        if self._group_started is None:
            return None
        return max(0.0, self._group_started + GROUP_SECONDS - time.monotonic())

    def _commit_group_when_due(self) -> None:
        if self._group_started is not None and (
                len(self._group_done) >= GROUP_LETTERS or self._group_time_left() == 0):
            self._commit_group()

    def _commit_group(self) -> None:
        """The group's originals durable, then its rows committed, then its files reported."""
        if self._group_started is None:
            return
        originals, self._group_originals = self._group_originals, []
        with ThreadPoolExecutor(SYNC_THREADS) as pool:
            list(pool.map(lambda original: original[0].sync(), originals))
            for staged, target in originals:
                staged.commit_to(target, sync=False)
            list(pool.map(_sync_folder, sorted({target.parent for _, target in originals})))
        self.catalog.commit_group()
        self._group_started = None
        done, self._group_done = self._group_done, []
        if self.on_file_done:
            for outcome in done:
                self.on_file_done(outcome)

    def _start(self, entry: InputFile) -> None:
        item = _Item(FileOutcome(path=str(entry.path)))
        self.report.files.append(item.outcome)  # in input order; filled in when it finishes
        if entry.skip:
            self._skip(item, entry.skip)
            return
        try:
            item.staged = stage_file(entry.path, self.archive, sync=False)  # at the commit
        except LinkNotFollowed:  # it became a link after the folder was listed
            self._skip(item, SKIP_SYMLINK)
            return
        except FileError as error:
            self._fail(item, error)
            return
        sha = item.outcome.sha256 = item.staged.sha256
        existing = self.catalog.document_for_sha256(sha)  # in the open group too
        if existing is not None:
            item.staged.discard()
            self._finish(item, "duplicate", document_id=existing)
        elif sha in self._by_sha:
            item.staged.discard()
            self._by_sha[sha].followers.append(item)
        else:
            self._by_sha[sha] = item
            self._in_flight[self.runner.submit(item.staged.path, self.settings)] = item

    def _handle(self, future: Future[Reading], item: _Item) -> None:
        try:
            self._store(item, future.result())
        except MachineError:
            raise
        except Exception as error:  # one file's problem, expected or not: name it, go on
            self._fail(item, error)

    def _store(self, item: _Item, reading: Reading) -> None:
        assert item.staged is not None
        item.outcome.warnings.extend(reading.warnings)
        sha = item.staged.sha256
        record = DocumentRecord(
            id=document_id_for(sha),
            sha256=sha,
            filename=Path(item.outcome.path).name,
            media_type=reading.media_type,
            size_bytes=item.staged.size,
            pages=reading.pages,
            metadata=reading.metadata,
        )
        signature = reading.signature
        self._write()
        duplicates = find_duplicates(self.catalog, record, signature)  # the group's letters too
        # False: a concurrent ingest won the race
        added = self.catalog.add_document(record, duplicates)
        if added:  # the group moves the staged bytes into originals/ at its commit
            self._group_originals.append((item.staged, self.archive.original_path(sha)))
            item.staged = None
            self.catalog.store_signatures([signature_row(record.id, signature)])
        else:
            item.staged.discard()
        item.outcome.pages = len(reading.pages)
        item.outcome.ocr_pages = record.ocr_pages
        item.outcome.review = list(reading.metadata.review)
        if duplicates:
            item.outcome.review.append(POSSIBLE_DUPLICATE)
        self._finish(item, "archived" if added else "duplicate", document_id=record.id)

    def _fail(self, item: _Item, error: BaseException) -> None:
        if isinstance(error, CongvanError):
            message, reason = str(error), getattr(error, "reason", "error")
        else:
            log.debug("unexpected error on %s\n%s", printable(item.outcome.path),
                      traceback.format_exc())
            message, reason = f"internal error: {type(error).__name__}: {error}", "internal-error"
        item.outcome.error, item.outcome.reason = message, reason
        if item.staged is not None:
            try:
                item.staged.sync()
                item.staged.commit_to(self.archive.quarantine_path(item.staged.sha256))
            except CongvanError as quarantine_error:
                item.outcome.error += f" (not quarantined: {quarantine_error})"
        self._finish(item, "failed")

    def _skip(self, item: _Item, reason: str) -> None:
        item.outcome.reason, item.outcome.error = reason, SKIP_MESSAGES[reason]
        self._finish(item, "skipped")

    def _finish(self, item: _Item, outcome: str, document_id: str | None = None) -> None:
        result = item.outcome
        result.outcome, result.document_id = outcome, document_id
        result.seconds = round(time.monotonic() - item.started, 3)
        # Later copies of these bytes are found in the catalog (or, if this failed, retried).
        if result.sha256 and self._by_sha.get(result.sha256) is item:
            del self._by_sha[result.sha256]
        self._write()
        self.catalog.log_ingest(
            {
                "id": uuid.uuid4().hex,
                "batch_id": self.batch_id,
                "logged_at": now_iso(),
                "username": _username(),
                "host": socket.gethostname(),
                "path": result.path,
                "sha256": result.sha256,
                "outcome": outcome,
                "reason": result.reason,
                "error": result.error,
                "document_id": document_id,
                "seconds": result.seconds,
                "warnings": json.dumps(result.warnings, ensure_ascii=False)
                if result.warnings
                else None,
            }
        )
        shown = printable(result.path)  # a name may hold a newline or a terminal escape
        if outcome == "failed":
            log.warning("failed    %s: %s", shown, printable(result.error or ""))
        elif outcome == "skipped":
            log.info("skipped   %s: %s", shown, result.error)
        else:
            log.info("%-9s %s -> %s", outcome, shown, document_id)
        for warning in result.warnings:
            log.warning("warning   %s: %s", shown, warning)
        self._group_done.append(result)  # reported once its rows are committed
        for follower in item.followers:  # the same bytes again later in this batch
            follower.outcome.sha256 = result.sha256
            follower.outcome.reason = result.reason
            follower.outcome.error = result.error
            self._finish(follower, "duplicate" if document_id else "failed", document_id)


def _sync_folder(folder: Path) -> None:
    try:
        fsync_dir(folder)
    except OSError as error:
        raise ArchiveWriteError(f"cannot write {folder}: {error}") from error


def _username() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return str(os.getuid())


def ingest_paths(
    paths: Iterable[Path | str],
    archive: Archive,
    *,
    jobs: int | None = None,
    lang: str = "vie",
    on_file_done: Callable[[FileOutcome], None] | None = None,
    runner: Runner | None = None,
) -> IngestReport:
    """Ingest files and folders into `archive`; see `IngestBatch`."""
    batch = IngestBatch(archive, runner=runner, jobs=jobs, lang=lang, on_file_done=on_file_done)
    return batch.run(Path(p) for p in paths)
