"""Ingest letters into the archive: the recipe, and the batch that runs it over many files.

For each file: stage its bytes (copy + hash) → skip if already archived → read pages (text layer
or OCR, in worker processes) → clean and extract metadata → move the staged bytes into
`originals/` and write the catalog record in one transaction. Every readable file is archived:
one that does not look like a letter, or yields few fields, is kept with the fields found and
flagged `needs_review`. A file that cannot be read at all fails, named with its reason; its
bytes go to `quarantine/`, and the batch goes on.
"""

from __future__ import annotations

import ctypes
import getpass
import json
import logging
import os
import re
import resource
import signal
import socket
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ingest.errors import CongvanError, Deadline, FileError, MachineError, NoTextFound, ReadTimeout
from ingest.extract.confidence import OcrEvidence
from ingest.extract.metadata import extract_record
from ingest.model import DocumentRecord, LetterMetadata, Page
from ingest.printable import printable
from ingest.reading.reading import SourceDocument, ocr_page, read_document
from ingest.repair.cleaning import correct_ocr_page
from ingest.store.archive import Archive, document_id_for
from ingest.store.catalog import Catalog, now_iso
from ingest.store.staging import LinkNotFollowed, StagedFile, stage_file, sweep_stale_staging

log = logging.getLogger(__name__)

WORKER_MEMORY_BYTES = 3 << 30  # a decompression bomb fails with MemoryError, not the OOM killer


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


# -- work done in worker processes ------------------------------------------------------------


def _init_worker(parent_pid: int) -> None:
    _limit_worker_memory()
    _die_with_parent(parent_pid)


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _die_with_parent(parent_pid: int) -> None:
    """A worker must not outlive the batch: after kill -9 of the ingest it would wait forever
    for work (or finish a long OCR first). Linux kills it with its parent (PR_SET_PDEATHSIG; the
    pool is made by the thread that runs the batch, which lives as long as the pool); elsewhere
    a thread watches for the parent to go."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent_pid:  # the parent died before the signal was set
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    threading.Thread(target=_exit_when_orphaned, args=(parent_pid,), daemon=True).start()


def _exit_when_orphaned(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(1.0)
    os._exit(1)


def _limit_worker_memory() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > WORKER_MEMORY_BYTES:
        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_BYTES, hard))


def _within(seconds: float, work: Callable[..., Any], *args: Any) -> Any:
    """Run `work` in this worker, giving up with ReadTimeout after `seconds`.

    Pure-Python parsers (pdfminer) can spend hours on a hostile file, and cleaning or
    extraction may meet a text that makes them crawl; one file must not hold a worker that
    long. The alarm raises `Deadline`, which no catch-all inside `work` stops (it is not an
    Exception). Tesseract has its own timeout inside `ocr_page`.
    """

    def give_up(signum: int, frame: Any) -> None:
        raise Deadline

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        try:
            return work(*args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except Deadline:  # also when it fired just as `work` returned: never let it out
        raise ReadTimeout(f"reading this file took over {seconds:g} s; it was abandoned") from None
    finally:
        signal.signal(signal.SIGALRM, previous)


def _prepare(path: Path) -> tuple[SourceDocument, LetterMetadata | None]:
    """Read a staged file; if no page needs OCR, extract its metadata right away."""
    source = read_document(path)
    if source.needs_ocr:
        return source, None
    pages = [Page(p.number, p.text or "") for p in source.pages]
    return source, _extract(pages)


def _extract(pages: list[Page]) -> LetterMetadata:
    """The metadata record of a file's pages; never refuses (see `review_reasons`)."""
    raw = "\n\n".join(correct_ocr_page(page.text) if page.ocr else page.text for page in pages)
    return extract_record(raw, pages=len(pages), ocr=any(page.ocr for page in pages),
                          evidence=OcrEvidence.of(pages))


# Text, as opposed to none: one word of two letters or digits. A blank scan's OCR, or a file
# of one stray byte, has none and cannot be read; anything with a word is archived.
_WORD_RE = re.compile(r"\w{2,}")


def _has_text(pages: list[Page]) -> bool:
    return any(_WORD_RE.search(page.text) for page in pages)


# -- the batch ---------------------------------------------------------------------------------


@dataclass
class _Item:
    """One input file on its way through the batch."""

    outcome: FileOutcome
    staged: StagedFile | None = None
    source: SourceDocument | None = None
    pages: dict[int, Page] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)
    followers: list[_Item] = field(default_factory=list)  # same bytes, later in this batch


class IngestBatch:
    """Runs files through the pipeline with a pool of `jobs` worker processes."""

    def __init__(
        self,
        archive: Archive,
        *,
        jobs: int | None = None,
        lang: str = "vie",
        ocr_timeout: float = 180.0,
        read_timeout: float = 60.0,
        on_file_done: Callable[[FileOutcome], None] | None = None,
    ) -> None:
        self.archive = archive
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.lang = lang
        self.ocr_timeout = ocr_timeout
        self.read_timeout = read_timeout
        self.on_file_done = on_file_done
        self.batch_id = uuid.uuid4().hex
        self.report = IngestReport()
        self._pool: ProcessPoolExecutor | None = None
        self._in_flight: dict[Future[Any], tuple[str, _Item, int]] = {}
        self._by_sha: dict[str, _Item] = {}

    def run(self, paths: Iterable[Path]) -> IngestReport:
        started = time.monotonic()
        self.archive.create()
        sweep_stale_staging(self.archive)
        with Catalog(self.archive.catalog_path) as self.catalog:
            try:
                self._run(iter_input_files(paths))
            finally:
                if self._pool is not None:
                    self._pool.shutdown(cancel_futures=True)
        self.report.seconds = time.monotonic() - started
        return self.report

    def _run(self, files: Iterator[InputFile]) -> None:
        exhausted = False
        while True:
            while not exhausted and len(self._in_flight) < 2 * self.jobs:
                entry = next(files, None)
                if entry is None:
                    exhausted = True
                else:
                    self._start(entry)
            if not self._in_flight:
                return
            done, _ = wait(list(self._in_flight), return_when=FIRST_COMPLETED)
            for future in done:
                self._handle(future, *self._in_flight.pop(future))

    def _submit(
        self, kind: str, item: _Item, page: int, fn: Callable[..., Any], *args: Any
    ) -> None:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.jobs, initializer=_init_worker, initargs=(os.getpid(),)
            )
        self._in_flight[self._pool.submit(fn, *args)] = (kind, item, page)

    def _start(self, entry: InputFile) -> None:
        item = _Item(FileOutcome(path=str(entry.path)))
        self.report.files.append(item.outcome)  # in input order; filled in when it finishes
        if entry.skip:
            self._skip(item, entry.skip)
            return
        try:
            item.staged = stage_file(entry.path, self.archive)
        except LinkNotFollowed:  # it became a link after the folder was listed
            self._skip(item, SKIP_SYMLINK)
            return
        except FileError as error:
            self._fail(item, error)
            return
        sha = item.outcome.sha256 = item.staged.sha256
        existing = self.catalog.document_for_sha256(sha)
        if existing is not None:
            item.staged.discard()
            self._finish(item, "duplicate", document_id=existing)
        elif sha in self._by_sha:
            item.staged.discard()
            self._by_sha[sha].followers.append(item)
        else:
            self._by_sha[sha] = item
            self._submit("prepare", item, 0, _within, self.read_timeout, _prepare, item.staged.path)

    def _handle(self, future: Future[Any], kind: str, item: _Item, page: int) -> None:
        if item.outcome.error is not None:
            return  # another page of this file already failed it
        try:
            result = future.result()
        except BrokenProcessPool:
            self._pool = None  # a worker died (killed, out of memory): start a fresh pool
            self._fail(item, FileError("a worker process died while reading this file"))
            return
        except MachineError:
            raise
        except Exception as error:  # one file's problem, expected or not: name it, go on
            self._fail(item, error)
            return
        try:
            if kind == "prepare":
                self._prepared(item, *result)
            elif kind == "ocr":
                self._recognised(item, result)
            else:
                self._store(item, result)
        except MachineError:
            raise
        except Exception as error:
            self._fail(item, error)

    def _prepared(self, item: _Item, source: SourceDocument,
                  metadata: LetterMetadata | None) -> None:
        item.source = source
        item.outcome.warnings.extend(source.warnings)
        for page in source.pages:
            if page.text is not None:
                item.pages[page.number] = Page(page.number, page.text)
        if metadata is not None:
            self._store(item, metadata)
            return
        assert item.staged is not None
        for number in source.needs_ocr:
            self._submit(
                "ocr",
                item,
                number,
                ocr_page,
                item.staged.path,
                source.media_type,
                number,
                self.lang,
                self.ocr_timeout,
            )

    def _recognised(self, item: _Item, page: Page) -> None:
        item.pages[page.number] = page
        assert item.source is not None
        if len(item.pages) == len(item.source.pages):
            # In a worker, under the same time limit as reading: not in this process, where
            # a text that makes extraction crawl would hold the whole batch.
            pages = self._ordered_pages(item)
            self._submit("extract", item, 0, _within, self.read_timeout, _extract, pages)

    @staticmethod
    def _ordered_pages(item: _Item) -> list[Page]:
        return [item.pages[number] for number in sorted(item.pages)]

    def _store(self, item: _Item, metadata: LetterMetadata) -> None:
        assert item.staged is not None and item.source is not None
        pages = self._ordered_pages(item)
        if not _has_text(pages):
            raise NoTextFound(
                "no text found: not one word on any page, even by OCR"
                if any(page.ocr for page in pages)
                else "no text found: the file holds not one word"
            )
        sha = item.staged.sha256
        record = DocumentRecord(
            id=document_id_for(sha),
            sha256=sha,
            filename=Path(item.outcome.path).name,
            media_type=item.source.media_type,
            size_bytes=item.staged.size,
            pages=pages,
            metadata=metadata,
        )
        item.staged.commit_to(self.archive.original_path(sha))
        added = self.catalog.add_document(record)  # False: a concurrent ingest won the race
        item.outcome.pages = len(pages)
        item.outcome.ocr_pages = record.ocr_pages
        item.outcome.review = list(metadata.review)
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
        # Let go of the pages: a batch of 100k letters must not keep their texts in memory.
        # Later copies of these bytes are found in the catalog (or, if this failed, retried).
        item.pages, item.source = {}, None
        if result.sha256 and self._by_sha.get(result.sha256) is item:
            del self._by_sha[result.sha256]
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
        if self.on_file_done:
            self.on_file_done(result)
        for follower in item.followers:  # the same bytes again later in this batch
            follower.outcome.sha256 = result.sha256
            follower.outcome.reason = result.reason
            follower.outcome.error = result.error
            self._finish(follower, "duplicate" if document_id else "failed", document_id)


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
) -> IngestReport:
    """Ingest files and folders into `archive`; see `IngestBatch`."""
    batch = IngestBatch(archive, jobs=jobs, lang=lang, on_file_done=on_file_done)
    return batch.run(Path(p) for p in paths)
