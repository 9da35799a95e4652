"""`congvan ingest --queue`, `congvan worker` and `congvan jobs`: ingest on a job queue
(`ingest.jobqueue`, Procrastinate on PostgreSQL)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ingest.errors import UsageError
from ingest.printable import printable

from .options import archive_at, archive_option, catalog_url, json_option
from .settings import Settings, command_settings

if TYPE_CHECKING:
    from ingest.jobqueue import BatchState, Enqueued

log = logging.getLogger(__name__)

queue_url_option = click.option(
    "--queue", envvar="CONGVAN_QUEUE", default=None, metavar="URL",
    help="The job queue, a PostgreSQL URL (env CONGVAN_QUEUE; default: the database of a "
    "PostgreSQL --catalog).",
)


def queue_of(queue: str | None) -> str:
    """The command's queue: --queue, else the PostgreSQL catalog's own database."""
    url = queue or catalog_url()
    if not url:
        raise UsageError("no job queue: give --queue postgresql://… (env CONGVAN_QUEUE), or a "
                         "PostgreSQL --catalog, whose database then holds the queue too")
    return url


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def enqueue(paths: list[Path], settings: Settings, username: str) -> Enqueued:
    """Stage the files and queue one job per file (what `ingest --queue` does)."""
    from ingest.jobqueue import JobQueue

    assert settings.queue
    with JobQueue(settings.queue) as queue:
        return queue.enqueue(settings.archive_store(), paths, username=username)


def enqueued_line(result: Enqueued) -> str:
    counts = {kind: sum(f.outcome == kind for f in result.files)
              for kind in ("queued", "skipped", "failed")}
    return (f"batch {result.batch}: {counts['queued']} queued, {counts['skipped']} skipped, "
            f"{counts['failed']} failed (`congvan jobs {result.batch}` shows its progress)")


@click.command()
@archive_option
@queue_url_option
@click.option("--concurrency", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Jobs run at once, each in its own recipe process.")
@click.option("--max-attempts", type=click.IntRange(1, 100), default=3, show_default=True,
              help="Tries of a file before it fails for good (a file's own fault, such as a "
              "corrupt PDF, fails at once).")
@click.option("--heartbeat", type=click.FloatRange(0.1), default=10.0, show_default=True,
              help="Seconds between the worker's heartbeats; a worker silent for 3 is taken "
              "for dead and its job given to another (give every worker of a queue the same).")
@click.option("--retry-wait", type=click.FloatRange(0), default=5.0, show_default=True,
              help="Seconds before a failed try is tried again (times the tries so far).")
@click.option("--lang", default="vie", show_default=True, help="Tesseract language.")
@click.option("--once", is_flag=True, help="Run the jobs waiting, then exit.")
def worker(archive_dir: Path, queue: str | None, concurrency: int, max_attempts: int,
           heartbeat: float, retry_wait: float, lang: str, once: bool) -> None:
    """Run ingest jobs from the queue (OCR, extract, store) until stopped."""
    from ingest.jobqueue import Worker, WorkerOptions

    settings = command_settings(archive_dir, queue=queue_of(queue), lang=lang)
    options = WorkerOptions(concurrency=concurrency, max_attempts=max_attempts,
                            heartbeat=heartbeat, retry_wait=retry_wait, lang=settings.lang)
    log.info("worker: %d at once, archive %s", concurrency, settings.archive)
    assert settings.queue
    Worker(settings.queue, settings.archive_store(), options).run(once=once)


@click.command()
@click.argument("batch", required=False)
@archive_option
@queue_url_option
@click.option("--forget-older-than", "forget_days", type=click.FloatRange(0), default=None,
              metavar="DAYS", help="Forget the jobs that finished over DAYS days ago (their "
              "letters and ingest log entries stay), instead of listing.")
@json_option
def jobs(batch: str | None, archive_dir: Path, queue: str | None, forget_days: float | None,
         as_json: bool) -> None:
    """Each batch's counts (queued, running, done, failed), or one BATCH with its failures."""
    from ingest.jobqueue import JobQueue, forget_finished_jobs

    if forget_days is not None:
        forgotten = forget_finished_jobs(queue_of(queue), forget_days)
        click.echo(f"{forgotten} finished jobs forgotten", err=True)
        return

    archive = archive_at(archive_dir)
    with JobQueue(queue_of(queue)) as job_queue:
        if batch is None:  # the jobs of batches with failures, for their reasons
            states = [job_queue.batch(s.batch, archive.catalog_location) if s.counts["failed"]
                      else s for s in job_queue.batches()]
        else:
            state = job_queue.batch(batch, archive.catalog_location)
            if state is None:
                raise UsageError(f"no batch {batch!r} in the queue")
            states = [state]
    shown = [state for state in states if state is not None]
    if as_json:
        _print_json([state.as_json() for state in shown])
        return
    if not shown:
        click.echo("no batches in the queue")
    for state in shown:
        click.echo(batch_line(state))
        for job in state.failures:
            click.echo(f"  failed  {printable(job.name)} ({job.sha256[:12]}, {job.attempts} "
                       f"tries): {job.reason or 'unknown'}: {printable(job.error or '')}")


def batch_line(state: BatchState) -> str:
    counts = state.counts
    return (f"{state.batch}: {state.total} files: {counts['queued']} queued, "
            f"{counts['running']} running, {counts['done']} done, {counts['failed']} failed")
