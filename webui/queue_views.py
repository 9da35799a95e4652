"""The job queue in the web app (`ingest.jobqueue`, app config QUEUE: a PostgreSQL URL).

With a queue, an upload's files are staged and queued for `congvan worker`s on any host, and
its page reads the batch from the queue; "Hàng đợi" (/hang-doi) shows every batch's counts
and failures to clerks. Without one, uploads are archived by the server's own thread, as
before (`webui.upload_jobs`)."""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Flask, current_app, jsonify, render_template

from index.intake import DEFERRED

from .auth import role_required
from .reasons import reason_vi
from .resources import get_archive, get_catalog, refresh_index

if TYPE_CHECKING:
    from ingest.jobqueue import BatchState, JobQueue

    from .upload_jobs import UploadJob

bp = Blueprint("queue", __name__)

SHOWN_BATCHES = 50  # the newest batches on the page
_SYNC_LOCK = threading.Lock()



def queue_url() -> str | None:
    return current_app.config.get("QUEUE") or None


def open_queue() -> JobQueue:
    from ingest.jobqueue import JobQueue

    url = queue_url()
    assert url
    return JobQueue(url)


# -- uploads on the queue ----------------------------------------------------------------------


def enqueue_upload(job: UploadJob) -> str | None:
    """Queue an upload's staged files as one batch (their staging folder is then removed: the
    bytes wait in the archive's incoming/), audit it, and return the batch id (None: no file
    could be queued, all empty or unreadable)."""
    archive = get_archive()
    try:
        with open_queue() as queue:
            result = queue.enqueue(archive, [Path(path) for path in job.names],
                                   username=job.username)
    finally:
        shutil.rmtree(job.folder, ignore_errors=True)
    get_catalog().audit("upload", job.username, result.batch, {
        "queue": result.batch,
        "files": [{"filename": job.names.get(f.path, Path(f.path).name), "outcome": f.outcome,
                   "sha256": f.sha256} for f in result.files]}, address=job.address)
    return result.batch if any(f.job_id is not None for f in result.files) else None


@dataclass
class QueuedUpload:
    """An upload batch on the queue, with what its page (upload_job.html) and JSON need."""

    id: str
    status: str
    names: list[str]
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    index_deferred: bool = False
    error: str | None = None
    on_queue: bool = True
    done_count: int = 0

    @property
    def finished(self) -> bool:
        return self.status == "done"

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "files": self.outcomes,
                "index": "deferred" if self.index_deferred else None, "error": self.error}


def queued_upload(batch_id: str, username: str | None) -> QueuedUpload | None:
    """The batch as its uploader's page shows it; None if it is not `username`'s."""
    with open_queue() as queue:
        state = queue.batch(batch_id, get_archive().catalog_location)
    if state is None or any(job.username != username for job in state.jobs):
        return None
    counts = state.counts
    status = ("done" if state.finished
              else "queued" if counts["queued"] == state.total else "running")
    upload = QueuedUpload(batch_id, status, [job.name for job in state.jobs],
                          done_count=counts["done"] + counts["failed"])
    if not state.finished:
        return upload
    for job in state.jobs:
        summary = get_catalog().get_document(job.document_id) if job.document_id else None
        upload.outcomes.append({
            "filename": job.name,
            "outcome": (job.outcome or "archived") if job.status == "done" else "failed",
            "document_id": job.document_id,
            "pages": (summary or {}).get("page_count"),
            "needs_review": bool((summary or {}).get("needs_review")),
            "error": reason_vi(job.reason) if job.status == "failed" else None,
        })
    upload.index_deferred = _sync_index_once(batch_id)
    return upload


def _sync_index_once(batch_id: str) -> bool:
    """Bring this server's index up to date with the catalog once per finished batch, so its
    letters can be searched here; True if the index was busy (left to the next sync)."""
    synced: set[str] = current_app.extensions.setdefault("congvan_synced_batches", set())
    with _SYNC_LOCK:
        if batch_id in synced:
            return False
        deferred = refresh_index() == DEFERRED
        if not deferred:
            synced.add(batch_id)
        return deferred


# -- Hàng đợi ----------------------------------------------------------------------------------


def _batches() -> list[BatchState]:
    """The newest batches, with their jobs where some failed (for their reasons)."""
    with open_queue() as queue:
        catalog = get_archive().catalog_location
        return [
            (queue.batch(state.batch, catalog) or state) if state.counts["failed"] else state
            for state in queue.batches()[:SHOWN_BATCHES]
        ]


@bp.get("/hang-doi")
@role_required("clerk")
def queue_page() -> Any:
    batches = _batches() if queue_url() else []
    return render_template("queue.html", configured=bool(queue_url()), batches=batches,
                           reason_vi=reason_vi)


@bp.get("/api/hang-doi")
@role_required("clerk")
def queue_api() -> Any:
    """Each batch's counts (queued, running, done, failed, total) and failures with reasons."""
    if not queue_url():
        return jsonify({"queue": False, "batches": []})
    return jsonify({"queue": True, "batches": [state.as_json() for state in _batches()]})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
