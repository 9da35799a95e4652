"""Clerks correct a letter's record and write notes on it (the document page's forms).

A correction is checked like the extractor's output (curation/corrections.py), stored by the catalog
apart from the machine's record with who and when, and the search index is brought up to date
at once, so a search and its facets show it on the next request. The JSON API's PATCH
(webui.api) goes through `save_corrections` too.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, redirect, request, url_for
from werkzeug.exceptions import BadRequest, NotFound

from ingest.curation.corrections import CorrectionError, field_value, parse_changes
from ingest.store.catalog import FieldChange

from .auth import audit, current_user, role_required
from .correction_forms import FIELD_LABELS, display_value, format_time, resubmitted_form, submitted
from .document_views import document_page, load_document
from .resources import get_catalog, refresh_index

log = logging.getLogger(__name__)

bp = Blueprint("corrections", __name__, url_prefix="/van-ban")

NOTE_MAX = 5000


def save_corrections(document_id: str, data: dict[str, Any]) -> list[FieldChange]:
    """Check and store the submitted fields of a letter (CorrectionError when any does not
    pass, nothing stored), audit them and sync the index. Returns the changes made."""
    catalog = get_catalog()
    signer = data.get("signer")
    if isinstance(signer, dict):  # the parts not sent (an API call's {"name": …}) stay
        document = catalog.get_document(document_id)
        if document is not None:
            data = {**data, "signer": {**field_value(document["metadata"], "signer"), **signer}}
    values = parse_changes(data)
    try:
        changes = catalog.correct_metadata(document_id, values, current_user() or "?")
    except LookupError:
        raise NotFound("Không có văn bản này trong kho.") from None
    if changes:
        audit("correct", document_id,
              {"fields": {c.field: {"old": c.old, "new": c.new} for c in changes}})
        sync_index()
    return changes


def sync_index() -> None:
    """Bring the search index up to date with the catalog now (a busy index catches up on the
    next sync, as after an ingest)."""
    status = refresh_index()
    if status != "synced":
        log.warning("search index %s after a correction", status)


@bp.post("/<raw_id>/sua")
@role_required("clerk")
def correct(raw_id: str):
    document = load_document(raw_id)
    try:
        save_corrections(document["id"], submitted())
    except CorrectionError as error:
        return document_page(raw_id, errors=error.errors, form=resubmitted_form()), 400
    return redirect(url_for("documents.document_page", raw_id=document["id"]) + "#lich-su", 303)


@bp.post("/<raw_id>/ghi-chu")
@role_required("clerk")
def add_note(raw_id: str):
    document = load_document(raw_id)
    text = request.form.get("text", "").strip()
    if not text:
        raise BadRequest("Ghi chú trống.")
    if len(text) > NOTE_MAX:
        raise BadRequest(f"Ghi chú quá dài (tối đa {NOTE_MAX} ký tự).")
    get_catalog().add_note(document["id"], text, current_user() or "?")
    audit("note", document["id"], {"text": text})
    sync_index()
    return redirect(url_for("documents.document_page", raw_id=document["id"]) + "#ghi-chu", 303)


def init_app(app: Any) -> None:
    app.jinja_env.globals.update(display_value=display_value, field_labels=FIELD_LABELS)
    app.jinja_env.filters.update(thoi_gian=format_time)
    app.register_blueprint(bp)
