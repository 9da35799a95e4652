"""Ingest on a job queue: `congvan ingest --queue` stages and enqueues, `congvan worker`s on any
host run the recipe and store, `congvan jobs` and the "Hàng đợi" page show each batch.

Why Procrastinate on PostgreSQL rather than RQ on Redis: the queue lives in the PostgreSQL that
a catalog of many hosts needs anyway (one server fewer to run, back up and watch; any other
PostgreSQL URL does too); jobs are rows, a batch's deferred in one statement, so it is queued
whole or not at all; and Procrastinate 3 keeps worker heartbeats, so the job of a worker that
died (kill -9, a lost host) is found stalled and run again, where RQ needs a reaper of our own.

How it fits together:
- `enqueue` stages each file (copy + hash + fsync, `ingest.store.staging`) and renames it into
  `archive/incoming/ab/SHA/NAME`, on the disk every host mounts, then defers one job per file
  with the batch id, its hash and name. A batch is a Procrastinate queue named by its id (time
  first, so ids sort by age): its counts are one query, and workers listen to every queue.
- A job's lock is the file's hash: two jobs of the same bytes never run at once, and the later
  one finds the letter archived. Jobs are idempotent: each runs the pipeline's batch
  (`IngestBatch`: dedupe by content hash, recipe, store) on its staged file, so a job run twice
  archives its letter once.
- Tries: a file's own fault (corrupt, no text: `FileError`) fails at once with its reason, since
  reading it again gives the same; anything else (an internal error, a machine problem, a worker
  that died on it) is tried again, `max_attempts` tries in all, then fails with its last
  reason. Reasons are written to the catalog's ingest log with the batch id.
- Each worker keeps a pool of `concurrency` recipe processes (`KeptRunner`: Tesseract loaded
  once per process), beats every `heartbeat` seconds, and every `heartbeat` seconds puts back
  the jobs of workers silent for `STALLED_BEATS` beats (or fails them when out of tries).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import procrastinate
import psycopg

from ingest.errors import CongvanError, FileError, MachineError, UsageError
from ingest.pipeline import (
    SKIP_MESSAGES,
    SKIP_SYMLINK,
    FileOutcome,
    IngestBatch,
    iter_input_files,
)
from ingest.printable import printable
from ingest.runners import KeptRunner, LocalPoolRunner, Runner
from ingest.store import open_catalog
from ingest.store.archive import Archive, document_id_for
from ingest.store.catalog import now_iso
from ingest.store.staging import LinkNotFollowed, StagedFile, stage_file

log = logging.getLogger(__name__)

INGEST_TASK = "congvan.ingest_file"
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
# Procrastinate's job statuses as a batch's page counts them.
STATUS_OF = {"todo": QUEUED, "doing": RUNNING, "succeeded": DONE, "failed": FAILED,
             "cancelled": FAILED, "aborted": FAILED}
DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_HEARTBEAT = 10.0
STALLED_BEATS = 3  # a worker silent this many heartbeats is taken for dead
WORKER_DIED = "worker-died"
INTERNAL_ERROR = "internal-error"
MISSING = "missing"


class QueueError(MachineError):
    """The queue's database cannot be reached or used."""


@dataclass
class QueuedFile:
    """One input of `enqueue`: queued (with its job), or skipped or failed with a reason."""

    path: str
    outcome: str = QUEUED  # queued | skipped | failed
    sha256: str | None = None
    job_id: int | None = None
    reason: str | None = None
    error: str | None = None


@dataclass
class Enqueued:
    batch: str
    files: list[QueuedFile] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"batch": self.batch, "files": [asdict(f) for f in self.files],
                "queued": sum(f.outcome == QUEUED for f in self.files)}


@dataclass
class JobState:
    """One job of a batch, as people see it."""

    id: int
    name: str
    sha256: str
    status: str  # queued | running | done | failed
    attempts: int  # tries finished so far (a running job's current try not counted)
    username: str = ""
    outcome: str | None = None  # when done: archived or duplicate (from the ingest log)
    reason: str | None = None  # why it failed (or why its last try failed)
    error: str | None = None

    @property
    def document_id(self) -> str | None:
        return document_id_for(self.sha256) if self.status == DONE else None

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "document_id": self.document_id}


@dataclass
class BatchState:
    """A batch's counts per status and, when asked for, its jobs (failures with reasons)."""

    batch: str
    counts: dict[str, int]
    jobs: list[JobState] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def finished(self) -> bool:
        return self.counts[QUEUED] == 0 and self.counts[RUNNING] == 0

    @property
    def failures(self) -> list[JobState]:
        return [job for job in self.jobs if job.status == FAILED]

    def as_json(self) -> dict[str, Any]:
        return {"batch": self.batch, **self.counts, "total": self.total,
                "failures": [job.as_json() for job in self.failures]}


def new_batch_id() -> str:
    """Time first, so batch ids sort by age: 20261206-171500-1a2b3c4d."""
    return f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}"


def _check_url(url: str) -> str:
    if not url.startswith(("postgresql://", "postgres://")):
        raise UsageError(f"the queue must be a PostgreSQL URL (postgresql://…), not {url!r}")
    return url


class JobQueue:
    """The queue at a PostgreSQL URL, used synchronously: to enqueue (the command, the web
    app's uploads) and to read batches. A context manager: its connection pool is open inside;
    the queue's tables are created on first use."""

    def __init__(self, url: str) -> None:
        self.url = _check_url(url)
        connector = procrastinate.SyncPsycopgConnector(conninfo=url, min_size=1, max_size=4)
        self.app = procrastinate.App(connector=connector)

    def __enter__(self) -> JobQueue:
        try:
            self.app.open()
        except Exception as error:
            raise QueueError(f"cannot reach the job queue: {error}") from error
        try:
            ensure_schema(self.app)
        except BaseException:
            self.app.close()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.app.close()

    def enqueue(self, archive: Archive, paths: Iterable[Path], *, username: str = "",
                ) -> Enqueued:
        """Stage each file into `archive/incoming/` and defer one job per file, in one new
        batch; each is archived under its own name. `username`: who queued it (an upload's
        page is its uploader's only)."""
        archive.create()
        result = Enqueued(new_batch_id())
        to_defer: list[tuple[QueuedFile, procrastinate.jobs.Job]] = []
        for entry in iter_input_files(paths):
            item = QueuedFile(str(entry.path))
            result.files.append(item)
            if entry.skip:
                item.outcome, item.reason = "skipped", entry.skip
                item.error = SKIP_MESSAGES[entry.skip]
                continue
            name = entry.path.name
            try:
                staged = stage_file(entry.path, archive)
            except LinkNotFollowed:
                item.outcome, item.reason = "skipped", SKIP_SYMLINK
                item.error = SKIP_MESSAGES[SKIP_SYMLINK]
                continue
            except FileError as error:
                item.outcome, item.reason, item.error = FAILED, error.reason, str(error)
                continue
            item.sha256 = staged.sha256
            _commit_incoming(staged, archive, name)
            to_defer.append((item, procrastinate.jobs.Job(
                queue=result.batch, lock=staged.sha256, queueing_lock=None,
                task_name=INGEST_TASK, task_kwargs={
                    "batch": result.batch, "sha256": staged.sha256, "name": name,
                    "username": username})))
        if to_defer:  # one statement: a batch is queued whole or not at all
            deferred = self.app.job_manager.batch_defer_jobs([job for _, job in to_defer])
            for (item, _), job in zip(to_defer, deferred, strict=True):
                item.job_id = job.id
        return result

    def batches(self) -> list[BatchState]:
        """Every batch with its counts, the newest first."""
        rows = self.app.job_manager.list_queues(task=INGEST_TASK)
        states = [BatchState(row["name"], _counts(row)) for row in rows]
        return sorted(states, key=lambda state: state.batch, reverse=True)

    def batch(self, batch_id: str, catalog_location: Path | str | None = None
              ) -> BatchState | None:
        """One batch with its jobs; failures carry their reasons from the catalog's ingest
        log (at `catalog_location`, when given). None: no such batch."""
        jobs = self.app.job_manager.list_jobs(queue=batch_id, task=INGEST_TASK)
        if not jobs:
            return None
        logged = batch_outcomes(catalog_location, batch_id) if catalog_location else {}
        states = []
        for job in sorted(jobs, key=lambda job: job.id or 0):
            args = job.task_kwargs
            state = JobState(job.id or 0, str(args.get("name", "")), str(args.get("sha256", "")),
                             STATUS_OF.get(job.status or "", FAILED), job.attempts,
                             str(args.get("username", "")))
            stored, failure = logged.get(state.sha256, ("", None))
            if state.status == DONE:
                state.outcome = stored or None
            elif failure is not None:
                state.reason, state.error = failure["reason"], failure["error"]
            states.append(state)
        counts = dict.fromkeys((QUEUED, RUNNING, DONE, FAILED), 0)
        for state in states:
            counts[state.status] += 1
        return BatchState(batch_id, counts, states)


def forget_finished_jobs(url: str, days: float) -> int:
    """Forget the jobs that finished (done or failed) over `days` days ago, so the queue's
    tables do not grow with every file ever archived; their letters and their ingest log
    entries stay. Returns how many were forgotten."""
    async def forget() -> int:
        app = procrastinate.App(connector=procrastinate.PsycopgConnector(
            conninfo=_check_url(url), min_size=1, max_size=1))
        async with app.open_async():
            before = len(await app.job_manager.list_jobs_async(task=INGEST_TASK))
            await app.job_manager.delete_old_jobs(
                nb_hours=round(days * 24), include_failed=True, include_cancelled=True,
                include_aborted=True)
            return before - len(await app.job_manager.list_jobs_async(task=INGEST_TASK))

    with JobQueue(url):  # the queue's tables, if this is the first use
        pass
    return asyncio.run(forget())


def _counts(row: dict[str, Any]) -> dict[str, int]:
    return {QUEUED: row["todo"], RUNNING: row["doing"], DONE: row["succeeded"],
            FAILED: row["failed"] + row["cancelled"] + row["aborted"]}


def _commit_incoming(staged: StagedFile, archive: Archive, name: str) -> None:
    """Rename the staged copy (fsynced) to its place in incoming/: content-addressed, so two
    hosts staging the same bytes under the same name write the same file."""
    staged.commit_to(archive.incoming_path(staged.sha256, name))


def batch_outcomes(catalog_location: Path | str, batch_id: str
                   ) -> dict[str, tuple[str, dict[str, Any] | None]]:
    """Per file hash of a batch, from the ingest log: what its job archived (archived or
    duplicate) and its last failure (its reason and message), if any."""
    if "://" not in str(catalog_location) and not Path(catalog_location).is_file():
        return {}
    with open_catalog(catalog_location) as catalog:
        entries = catalog.ingest_log(batch_id)
    found: dict[str, tuple[str, dict[str, Any] | None]] = {}
    for entry in entries:  # oldest first; a try that stored wins over one that failed
        stored, failure = found.get(entry["sha256"], ("", None))
        if entry["outcome"] == FAILED:
            failure = entry
        elif stored != "archived":
            stored = entry["outcome"]
        found[entry["sha256"]] = (stored, failure)
    return found


def ensure_schema(app: Any) -> None:
    """Create Procrastinate's tables on first use. Two processes starting together on a new
    database: the loser's error is ignored once the tables are there."""
    if _has_schema(app):
        return
    try:
        app.schema_manager.apply_schema()
    except Exception:
        if not _has_schema(app):
            raise
    log.info("job queue: created its tables")


def _has_schema(app: Any) -> bool:
    try:
        app.job_manager.list_queues(queue="-")
    except procrastinate.exceptions.ConnectorException as error:
        if isinstance(error.__cause__, psycopg.errors.UndefinedObject | psycopg.errors.
                      UndefinedTable | psycopg.errors.UndefinedFunction):
            return False
        raise QueueError(f"cannot use the job queue: {error.__cause__ or error}") from error
    return True


# -- the worker --------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerOptions:
    """How a worker runs: jobs at once, tries per file, heartbeat and retry pause (seconds)."""

    concurrency: int = 1
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    heartbeat: float = DEFAULT_HEARTBEAT
    retry_wait: float = 5.0  # before a job's next try, times the tries so far
    lang: str = "vie"


class TryAgain(Exception):
    """This try failed for a reason that may pass (an internal error, a machine problem)."""


class JobFailed(Exception):
    """The job is over and its file not archived; the reason is in the ingest log."""


class _ExpectedFailures(logging.Filter):
    """A job that fails for a reason we named (logged by the pipeline) needs no traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], JobFailed | TryAgain):
            record.exc_info, record.exc_text = None, None
        return True


WORKER_NAME = "congvan-worker"
logging.getLogger(f"procrastinate.worker.{WORKER_NAME}").addFilter(_ExpectedFailures())


class Worker:
    """Runs ingest jobs from the queue at `url` into `archive` (and its catalog, SQLite or
    PostgreSQL) until stopped (SIGINT/SIGTERM: the jobs
    running are finished first), or with `once` until no job is left. `runner`: where the
    recipe runs (default: a kept pool of `concurrency` processes; tests give one in-process)."""

    def __init__(self, url: str, archive: Archive, options: WorkerOptions = WorkerOptions(),
                 *, runner: Runner | None = None) -> None:
        self.url = _check_url(url)
        self.archive = archive
        self.options = options
        self.catalog_location = archive.catalog_location
        self._given_runner = runner

    def run(self, *, once: bool = False) -> None:
        with JobQueue(self.url):  # the queue's tables, before any worker listens
            pass
        self.archive.create()
        kept = None
        if self._given_runner is None:
            kept = KeptRunner(LocalPoolRunner(self.options.concurrency))
            kept.pool.start()  # in this, the main thread: the recipe processes die with it
        self.runner: Runner = self._given_runner or kept  # type: ignore[assignment]
        try:
            asyncio.run(self._main(once))
        finally:
            if kept is not None:
                kept.close()

    def app(self) -> procrastinate.App:
        """A Procrastinate app on the queue with the ingest task (opened by the caller)."""
        app = procrastinate.App(connector=procrastinate.PsycopgConnector(
            conninfo=self.url, min_size=1, max_size=self.options.concurrency + 3))
        app.task(name=INGEST_TASK, pass_context=True, retry=_Retries(self.options))(
            self.run_job)
        return app

    async def _main(self, once: bool) -> None:
        beat = self.options.heartbeat
        app = self.app()
        async with app.open_async():
            # Stopped by an event, not by cancelling it: a cancellation that lands while the
            # task waits for a pooled connection can be lost (psycopg_pool), and awaiting a
            # task that never saw it hangs the worker for good (a one-shot worker did, in CI).
            stop = asyncio.Event()
            recovery = asyncio.create_task(self._recover_stalled_jobs(app, stop))
            try:
                await app.run_worker_async(
                    concurrency=self.options.concurrency, update_heartbeat_interval=beat,
                    stalled_worker_timeout=beat * STALLED_BEATS, wait=not once,
                    fetch_job_polling_interval=beat, name=WORKER_NAME)
            finally:
                stop.set()
                await recovery

    async def run_job(self, context: Any, batch: str, sha256: str, name: str,
                      username: str = "") -> str:
        """One file: the pipeline's batch on its staged copy. Returns its outcome (archived or
        duplicate); raises TryAgain or JobFailed."""
        tries = context.job.attempts + 1
        last_try = tries >= self.options.max_attempts
        path = self.archive.incoming_path(sha256, name)
        log.info("job %s: %s (batch %s, try %d)", context.job.id, printable(name), batch, tries)
        try:
            outcome = await asyncio.to_thread(self._archive, path, batch, sha256)
        except Exception as error:  # a machine problem (disk full, Tesseract gone)
            reason = getattr(error, "reason", None) or INTERNAL_ERROR
            if not last_try:
                raise TryAgain(str(error)) from error
            await asyncio.to_thread(self._give_up, batch, sha256, name, reason, str(error))
            raise JobFailed(str(error)) from error
        if outcome.outcome in ("archived", "duplicate"):
            _remove_incoming(path)
            return outcome.outcome
        if outcome.reason == INTERNAL_ERROR and not last_try:
            raise TryAgain(outcome.error or "")
        _remove_incoming(path)  # the batch keeps failed bytes in quarantine/
        raise JobFailed(f"{outcome.reason}: {outcome.error}")

    def _archive(self, path: Path, batch: str, sha256: str) -> FileOutcome:
        if not path.is_file():  # an earlier run of this job finished, or the bytes are gone
            with open_catalog(self.catalog_location) as catalog:
                document_id = catalog.document_for_sha256(sha256)
            if document_id is not None:
                return FileOutcome(str(path), sha256, "duplicate", document_id)
            self._log(batch, path, sha256, MISSING, "the file's staged copy is gone")
            return FileOutcome(str(path), sha256, FAILED, reason=MISSING)
        batch_run = IngestBatch(self.archive, runner=self.runner, lang=self.options.lang,
                                batch_id=batch)
        return batch_run.run([path]).files[0]

    def _give_up(self, batch: str, sha256: str, name: str, reason: str, error: str) -> None:
        """Fail a file for good outside the pipeline (a worker died on it, a machine problem
        on the last try): say why in the ingest log, keep its bytes in quarantine/."""
        path = self.archive.incoming_path(sha256, name)
        self._log(batch, path, sha256, reason, error)
        if path.is_file():
            with suppress(OSError, CongvanError):
                StagedFile(path, sha256, 0).commit_to(self.archive.quarantine_path(sha256))
            _remove_incoming(path)

    def _log(self, batch: str, path: Path, sha256: str, reason: str, error: str) -> None:
        try:
            with open_catalog(self.catalog_location) as catalog:
                catalog.log_ingest({
                    "id": uuid.uuid4().hex, "batch_id": batch, "logged_at": now_iso(),
                    "username": "worker", "host": _host(), "path": str(path),
                    "sha256": sha256, "outcome": FAILED, "reason": reason, "error": error,
                })
        except CongvanError as problem:
            log.warning("failure of %s not written to the ingest log: %s", printable(str(path)),
                        problem)

    async def _recover_stalled_jobs(self, app: procrastinate.App, stop: asyncio.Event
                                    ) -> None:
        """Every heartbeat, `recover_stalled_jobs`, until `stop` is set."""
        while not stop.is_set():
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.options.heartbeat)
                return
            try:
                await self.recover_stalled_jobs(app)
            except procrastinate.exceptions.ConnectorException as error:
                log.warning("job queue: cannot look for stalled jobs: %s", error)

    async def recover_stalled_jobs(self, app: procrastinate.App) -> None:
        """Jobs held by workers silent for STALLED_BEATS heartbeats (killed, or their host
        lost) go back to the queue for another worker, or fail when that was their last try."""
        silent = self.options.heartbeat * STALLED_BEATS
        for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=silent):
            if job.task_name != INGEST_TASK:
                continue
            args, tries = job.task_kwargs, job.attempts + 1
            try:
                if tries >= self.options.max_attempts:
                    await app.job_manager.finish_job(
                        job, procrastinate.jobs.Status.FAILED, delete_job=False)
                    await asyncio.to_thread(
                        self._give_up, args["batch"], args["sha256"], args["name"], WORKER_DIED,
                        f"a worker stopped (killed, or out of memory) on this file {tries} "
                        "times; it is not tried again")
                    log.warning("job %s failed: its worker died %d times", job.id, tries)
                else:
                    await app.job_manager.retry_job(job)
                    log.warning("job %s put back in the queue: its worker stopped", job.id)
            except procrastinate.exceptions.ConnectorException:
                pass  # another worker put it back first


class _Retries(procrastinate.BaseRetryStrategy):
    """Procrastinate's retry strategy for ingest jobs: TryAgain is tried again, up to
    `max_attempts` tries in all, after `retry_wait` seconds times the tries so far."""

    def __init__(self, options: WorkerOptions) -> None:
        self.options = options

    def get_retry_decision(self, *, exception: BaseException, job: Any
                           ) -> procrastinate.RetryDecision | None:
        if not isinstance(exception, TryAgain):
            return None
        if job.attempts + 1 >= self.options.max_attempts:
            return None
        wait = self.options.retry_wait * (job.attempts + 1)
        return procrastinate.RetryDecision(retry_in={"seconds": int(wait)})


def _remove_incoming(path: Path) -> None:
    """Remove a job's staged file and its hash's folder once empty (another name of the same
    bytes may still wait there)."""
    path.unlink(missing_ok=True)
    with suppress(OSError):
        path.parent.rmdir()
        path.parent.parent.rmdir()


def _host() -> str:
    import socket

    return socket.gethostname()
