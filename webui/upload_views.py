"""The upload page: signed-in staff add scanned letters through the same pipeline as the CLI."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, current_app, render_template, request

from index import archive_and_index
from index.intake import DEFERRED
from ingest import Archive
from ingest.store.staging import new_staging_folder

from .auth import login_required
from .resources import get_index

bp = Blueprint("upload", __name__)

MAX_FILES_PER_UPLOAD = 50
MAX_UPLOAD_BYTES = 200 << 20
MAX_NAME_CHARS = 100

# What each failure reason (ingest.errors) means, for the people reading the upload page.
REASONS_VI = {
    "empty-file": "Tệp rỗng, không có nội dung.",
    "unsupported-type": "Không phải loại tệp được hỗ trợ (văn bản, PDF, ảnh, DOCX).",
    "corrupt-file": "Tệp bị hỏng, không đọc được.",
    "corrupt-pdf": "Tệp PDF bị hỏng, không đọc được.",
    "encrypted-pdf": "Tệp PDF có mật khẩu; hãy gỡ mật khẩu rồi tải lên lại.",
    "image-too-large": "Ảnh quá lớn; hãy quét lại ở độ phân giải 300 dpi.",
    "too-many-pages": "Tệp có quá nhiều trang.",
    "undecodable-text": "Không nhận ra bảng mã của tệp văn bản; hãy lưu lại dạng UTF-8.",
    "no-text-found": "Không tìm thấy chữ nào trong tệp, kể cả khi nhận dạng (OCR).",
    "ocr-timeout": "Nhận dạng chữ (OCR) quá lâu; hãy tách tệp thành nhiều phần.",
    "read-timeout": "Đọc tệp quá lâu; tệp có thể bị hỏng hoặc được tạo để gây hại.",
    "file-too-large": "Tệp quá lớn.",
}


@bp.route("/tai-len", methods=["GET", "POST"])
@login_required
def upload() -> Any:
    if request.method == "GET":
        return render_template("upload.html", outcomes=None, error=None)
    files = [f for f in request.files.getlist("files") if f.filename]
    if not files:
        return render_template("upload.html", outcomes=None, error="Chưa chọn tệp nào."), 400
    if len(files) > MAX_FILES_PER_UPLOAD:
        message = f"Mỗi lần tải lên tối đa {MAX_FILES_PER_UPLOAD} tệp."
        return render_template("upload.html", outcomes=None, error=message), 400
    archive = Archive(current_app.config["ARCHIVE"])
    outcomes, index_deferred = _ingest_uploads(files, archive)
    return render_template("upload.html", outcomes=outcomes, error=None,
                           index_deferred=index_deferred)


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


def _ingest_uploads(files: list[Any], archive: Archive) -> tuple[list[dict[str, Any]], bool]:
    """Save the uploads under names we choose, archive and index them (index.intake); report
    per file, and whether the index was busy (the letters become searchable at the next sync)."""
    archive.create()
    folder = new_staging_folder(archive, "upload")
    try:
        saved = []
        for position, upload in enumerate(files):
            path = folder / f"{position:03d}" / upload_name(upload.filename)
            path.parent.mkdir()
            upload.save(path)
            saved.append((path, upload.filename))
        intake = archive_and_index([path for path, _ in saved], archive, jobs=1, idx=get_index())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report = intake.report
    shown_names = {str(path): original for path, original in saved}
    outcomes = [
        {
            "filename": shown_names.get(outcome.path, Path(outcome.path).name),
            "outcome": outcome.outcome,
            "document_id": outcome.document_id,
            "pages": outcome.pages,
            "needs_review": bool(outcome.review),
            "error": REASONS_VI.get(outcome.reason or "", "Không lưu trữ được tệp này.")
            if outcome.outcome in ("failed", "skipped")
            else None,
        }
        for outcome in report.files
    ]
    return outcomes, intake.index.status == DEFERRED


def init_app(app: Flask) -> None:
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default is None: unbounded
        app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD_BYTES  # larger: 413 before reading
    app.register_blueprint(bp)
