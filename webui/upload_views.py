"""The upload page: clerks add scanned letters through the same intake as the CLI.

The request saves the files and returns at once with the job's page; a thread of the app
archives and indexes them (`webui.upload_jobs`, `index.intake.IntakeService`), or, when the app
has a job queue, `congvan worker`s do (`webui.queue_views`)."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from index import IntakeService
from index.intake import DEFERRED
from ingest.store.archive import Archive
from ingest.store.staging import new_staging_folder

from . import queue_views
from .auth import current_user, role_required
from .reasons import reason_vi
from .resources import get_archive, get_catalog, get_index
from .upload_jobs import MAX_WAITING, UploadJob, UploadQueue

bp = Blueprint("upload", __name__)

MAX_FILES_PER_UPLOAD = 50
MAX_UPLOAD_BYTES = 200 << 20
MAX_NAME_CHARS = 100



@bp.route("/tai-len", methods=["GET", "POST"])
@role_required("clerk")
def upload() -> Any:
    """Save the files, queue them for the background thread, and answer at once with the
    job's page (303); archiving and indexing go on there (`webui.upload_jobs`)."""
    if request.method == "GET":
        return render_template("upload.html", error=None)
    files = [f for f in request.files.getlist("files") if f.filename]
    if not files:
        return render_template("upload.html", error="Chưa chọn tệp nào."), 400
    if len(files) > MAX_FILES_PER_UPLOAD:
        message = f"Mỗi lần tải lên tối đa {MAX_FILES_PER_UPLOAD} tệp."
        return render_template("upload.html", error=message), 400
    job = _stage_uploads(files, get_archive())
    if queue_views.queue_url():  # for `congvan worker`s: the batch's page reads the queue
        batch = queue_views.enqueue_upload(job)
        if batch is None:
            message = "Không tệp nào lưu trữ được (tệp rỗng hoặc không đọc được)."
            return render_template("upload.html", error=message), 400
        return redirect(url_for("upload.job_page", job_id=batch), code=303)
    if not _uploads().submit(job):
        message = "Hệ thống đang xử lý nhiều lượt tải lên; hãy thử lại sau ít phút."
        return render_template("upload.html", error=message), 503
    return redirect(url_for("upload.job_page", job_id=job.id), code=303)


@bp.get("/tai-len/<job_id>")
@role_required("clerk")
def job_page(job_id: str) -> Any:
    job = _own_job(job_id)
    if job is None:
        abort(404)
    return render_template("upload_job.html", job=job)


@bp.get("/api/tai-len/<job_id>")
@role_required("clerk")
def job_status(job_id: str) -> Any:
    """The job as JSON: status queued | running | done | failed, and each file's outcome."""
    job = _own_job(job_id)
    if job is None:
        return jsonify({"error": "Không có lượt tải lên này."}), 404
    return jsonify(job.as_json())


def _own_job(job_id: str) -> UploadJob | queue_views.QueuedUpload | None:
    """The job, if the signed-in user uploaded it (others' batches stay private)."""
    if queue_views.queue_url():
        return queue_views.queued_upload(job_id, current_user())
    job = _uploads().get(job_id)
    return job if job is not None and job.username == current_user() else None


def upload_name(filename: str | None) -> str:
    """The sender's file name, kept for the archive (Vietnamese included) but made harmless:
    base name only, no control characters, no leading dots, at most 100 characters."""
    base = re.split(r"[/\\]", filename or "")[-1]
    cleaned = "".join(c for c in unicodedata.normalize("NFC", base) if c.isprintable())
    cleaned = cleaned.strip().lstrip(".")
    if len(cleaned) > MAX_NAME_CHARS:
        stem, dot, suffix = cleaned.rpartition(".")
        keep = suffix[:10] if dot else ""
        cleaned = (stem if dot else cleaned)[: MAX_NAME_CHARS - len(keep) - 1] + dot + keep
    return cleaned or "tep"


def _stage_uploads(files: list[Any], archive: Archive) -> UploadJob:
    """Save the uploads under names we choose in a new staging folder (swept if this server
    dies before the job ends), keeping the sender's names for the report."""
    archive.create()
    folder = new_staging_folder(archive, "upload")
    names = {}
    try:
        for position, upload in enumerate(files):
            path = folder / f"{position:03d}" / upload_name(upload.filename)
            path.parent.mkdir()
            upload.save(path)
            names[str(path)] = upload.filename
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return UploadJob(username=current_user() or "", folder=folder, names=names,
                     address=request.remote_addr)


def _archive_job(app: Flask, job: UploadJob) -> None:
    """In the upload thread: archive and index the job's files (index.intake), and report per
    file, and whether the index was busy (the letters become searchable at the next sync)."""
    with app.app_context():
        service = IntakeService(get_archive(), engine=app.config["ENGINE"], idx=get_index(),
                                jobs=1, make_runner=app.config.get("UPLOAD_RUNNER"))
    try:
        intake = service.archive_and_index(list(job.names))
    except BaseException as error:
        _audit_upload(app, job, {"error": str(error)})
        raise
    job.outcomes = [
        {
            "filename": job.names.get(outcome.path, Path(outcome.path).name),
            "outcome": outcome.outcome,
            "document_id": outcome.document_id,
            "pages": outcome.pages,
            "needs_review": bool(outcome.review),
            "error": reason_vi(outcome.reason)
            if outcome.outcome in ("failed", "skipped")
            else None,
        }
        for outcome in intake.report.files
    ]
    job.index_deferred = intake.index.status == DEFERRED
    _audit_upload(app, job, {"files": [
        {key: outcome[key] for key in ("filename", "outcome", "document_id")}
        for outcome in job.outcomes]})


def _audit_upload(app: Flask, job: UploadJob, detail: dict[str, Any]) -> None:
    """The audit entry of an upload, once its batch is done: who sent which files, and the
    letters they became (or why the batch failed)."""
    with app.app_context():
        get_catalog().audit("upload", job.username, job.id, detail, address=job.address)


def _uploads() -> UploadQueue:
    return current_app.extensions["congvan_uploads"]


def init_app(app: Flask) -> None:
    """Register the pages and the app's upload queue (`UPLOAD_QUEUE_SIZE` batches may wait;
    `UPLOAD_RUNNER`, a callable making a runner per batch, says where the recipe runs:
    by default a local pool of one worker process)."""
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default is None: unbounded
        app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD_BYTES  # larger: 413 before reading
    waiting = app.config.get("UPLOAD_QUEUE_SIZE", MAX_WAITING)
    app.extensions["congvan_uploads"] = UploadQueue(lambda job: _archive_job(app, job), waiting)
    app.register_blueprint(bp)
    queue_views.init_app(app)
