"""A document's page, its original file and its citation graph."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, render_template, request, send_file
from werkzeug.exceptions import NotFound

from ingest.curation import links
from ingest.curation.corrections import FIELDS, field_value
from ingest.extract import gazetteer
from ingest.extract.confidence import FIELD_NAMES, REASONS, weak_fields
from ingest.model import Assignment, LetterMetadata

from . import citation_views
from .auth import has_role, role_required
from .correction_forms import AUTHORITIES, form_values
from .graph import citation_graph_svg
from .markup import mark_spans, restored_words
from .params import document_id
from .resources import get_archive, get_catalog, get_index

log = logging.getLogger(__name__)

bp = Blueprint("documents", __name__, url_prefix="/van-ban")

MAX_TEXT_SNIFF = 8 * 1024 * 1024
INLINE_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp")


def load_document(raw_id: str) -> dict[str, Any]:
    """The catalog's record for a well-formed id, or 404 (a letter in the trash too, but for
    an admin)."""
    document = get_catalog().get_document(document_id(raw_id))
    # A letter in the trash is gone for everyone but admins, who may restore it.
    if document is None or (document.get("deleted_at") and not has_role("admin")):
        raise NotFound("Không có văn bản này trong kho.")
    return document


def tasks_by_assignee(metadata: LetterMetadata) -> list[tuple[str | None, list[Assignment]]]:
    """(assignee, its tasks) in the letter's order; None for the tasks without one, last."""
    groups: dict[str | None, list[Assignment]] = {}
    for task in metadata.tasks:
        for assignee in task.assignees:
            groups.setdefault(assignee, []).append(task)
    unassigned = [task for task in metadata.tasks if not task.assignees]
    return [*groups.items(), *([(None, unassigned)] if unassigned else [])]


def weak_marks(metadata: LetterMetadata) -> dict[str, str]:
    """Field → why its confidence is low (Vietnamese), for the fields the page marks weak."""
    confidence = metadata.confidence
    return {name: "; ".join(REASONS.get(code, code) for code in confidence[name]["factors"])
            for name in weak_fields(confidence, FIELD_NAMES)}


def similar_letters(doc_id: str) -> list[Any]:
    try:
        return get_index().more_like_this(doc_id, limit=5)
    except LookupError:  # not in the index yet
        return []


@bp.get("/<raw_id>")
@role_required("reader")
def document_page(raw_id: str, errors: dict[str, str] | None = None,
                  form: dict[str, Any] | None = None):
    """The letter's page; `errors` and `form` when a correction was refused (the clerk's values
    shown again beside the messages)."""
    document = load_document(raw_id)
    catalog = get_catalog()
    metadata = document["metadata"]
    corrections = catalog.corrections(document["id"])
    machine = catalog.machine_metadata(document["id"]) if corrections else metadata
    text = metadata.text or document["text"]
    extracted = text == metadata.text
    as_read = metadata.text_as_read if extracted else None
    return render_template(
        "document.html",
        doc=document,
        meta=metadata,
        file=document["files"][0] if document["files"] else None,
        marked_text=mark_spans(text, metadata.spans if extracted else {},
                               restored_words(as_read, text) if as_read else []),
        as_read=as_read,
        cites=citation_views.cites(catalog, document),
        cited_by=citation_views.cited_by(catalog, document),
        validity=links.validity(catalog, document),
        thread=links.reply_thread(catalog, document),
        tasks=tasks_by_assignee(metadata),
        similar=similar_letters(document["id"]),
        inline_types=INLINE_TYPES,
        weak=weak_marks(metadata),
        corrections=corrections,
        machine_values={name: field_value(machine, name) for name in corrections
                        if name in FIELDS},
        history=catalog.document_history(document["id"]),
        notes=catalog.notes(document["id"]),
        form=form or form_values(metadata),
        errors=errors or {},
        doc_types=list(gazetteer.data()["doc_types"]),
        authorities=AUTHORITIES,
        duplicates=catalog.possible_duplicates(document["id"]),
        versions=catalog.versions(document["id"]),
    )


@bp.get("/<raw_id>/goc")
@role_required("reader")
def original(raw_id: str):
    """The original file, found only through the catalog's sha256 (no request path is used)."""
    document = load_document(raw_id)
    if not document["files"]:
        raise NotFound("Không tìm thấy tệp gốc.")
    stored = document["files"][0]
    path = get_archive().original_path(stored["sha256"])
    if not path.is_file():
        raise NotFound("Tệp gốc không còn trong kho.")
    media_type = stored["media_type"] or "application/octet-stream"
    download = request.args.get("tai") == "1"
    if media_type.startswith("text/"):
        media_type = text_media_type(path)
    elif media_type not in INLINE_TYPES:
        download = True
    response = send_file(
        path,
        mimetype=media_type,
        as_attachment=download,
        download_name=safe_filename(stored["original_name"], document["id"]),
        conditional=True,
        max_age=3600,
    )
    response.headers["Content-Type"] = media_type  # as decided above, no charset added
    if not media_type.startswith(("image/", "application/pdf")):
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def safe_filename(name: str | None, fallback: str) -> str:
    """The original file's base name without control characters (werkzeug quotes the rest)."""
    base = re.split(r"[/\\]", name or "")[-1]
    cleaned = "".join(c if c.isprintable() else "_" for c in base).strip()
    return cleaned[:200] or fallback


def text_media_type(path: Path) -> str:
    """Plain text, declared UTF-8 when it decodes as UTF-8 (legacy encodings are left unnamed)."""
    if path.stat().st_size <= MAX_TEXT_SNIFF:
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            return "text/plain"
    return "text/plain; charset=utf-8"


@bp.get("/<raw_id>/do-thi.svg")
@role_required("reader")
def graph(raw_id: str):
    document = load_document(raw_id)
    svg = citation_graph_svg(get_catalog(), document)
    return Response(svg, mimetype="image/svg+xml")
