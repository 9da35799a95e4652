"""Staff's care of the archive: the review queue ("Cần kiểm tra"), possible duplicates linked as
versions, and the trash ("Thùng rác"). A clerk reviews and links; an admin deletes, restores and
purges. Every change is audited and reaches the search index at once (a sync of the catalog)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for

from ingest.curation.trash import purge

from .auth import audit, current_user, role_required
from .params import document_id, int_arg
from .resources import get_archive, get_catalog, refresh_index

log = logging.getLogger(__name__)

bp = Blueprint("review", __name__)
# The same for scripts (an API token, or a session with X-CSRF-Token), answering JSON.
api_bp = Blueprint("review_api", __name__, url_prefix="/api")

QUEUE_PAGE = 50
NOT_FOUND = "Không có văn bản này trong kho."
NOT_IN_TRASH = "Văn bản này không có trong thùng rác."


def _sync_index() -> None:
    """Make the change searchable (left to the next sync if the index is busy)."""
    refresh_index()


def _back(default: str) -> Any:
    """Back to a local page the form names (`next`), else to `default`."""
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = default
    return redirect(target, code=303)


@bp.get("/can-kiem-tra")
@role_required("clerk")
def queue():
    page = int_arg("trang", 1, 1, 100_000)
    total, rows = get_catalog().review_queue(QUEUE_PAGE, (page - 1) * QUEUE_PAGE)
    pages = max(1, -(-total // QUEUE_PAGE))
    return render_template("review.html", rows=rows, total=total, page=page, pages=pages,
                           first=(page - 1) * QUEUE_PAGE)


@bp.post("/van-ban/<raw_id>/da-kiem-tra")
@role_required("clerk")
def mark_reviewed(raw_id: str):
    _review(document_id(raw_id))
    return _back(url_for("review.queue"))


def _review(doc_id: str) -> None:
    try:
        get_catalog().mark_reviewed(doc_id, _actor())
    except LookupError:
        abort(404, description=NOT_FOUND)
    audit("review", doc_id)
    _sync_index()


@bp.post("/van-ban/<raw_id>/phien-ban")
@role_required("clerk")
def link_versions(raw_id: str):
    """Link this letter and `other` as versions of one letter; `issued` names the issued one."""
    doc_id = document_id(raw_id)
    _link(doc_id, request.form)
    return redirect(url_for("documents.document_page", raw_id=doc_id), code=303)


def _link(doc_id: str, form: Any) -> None:
    other = document_id(str(form.get("other", "")))
    issued = form.get("issued", doc_id)
    if issued not in (doc_id, other):
        abort(400, description="Hãy chọn văn bản nào là bản ban hành.")
    try:
        get_catalog().link_versions(issued, other if issued == doc_id else doc_id, _actor())
    except LookupError:
        abort(404, description=NOT_FOUND)
    except ValueError:
        abort(400, description="Một văn bản không thể là phiên bản của chính nó.")
    audit("link", doc_id, {"other": other, "issued": issued})
    _sync_index()


@bp.post("/van-ban/<raw_id>/xoa")
@role_required("admin")
def delete(raw_id: str):
    _delete(document_id(raw_id))
    return redirect(url_for("review.trash"), code=303)


def _delete(doc_id: str) -> None:
    if not get_catalog().trash_document(doc_id, _actor()):
        abort(404, description=NOT_FOUND)
    audit("delete", doc_id)
    _sync_index()


@bp.get("/thung-rac")
@role_required("admin")
def trash():
    return render_template("trash.html", rows=get_catalog().trashed_documents())


@bp.post("/thung-rac/<raw_id>/khoi-phuc")
@role_required("admin")
def restore(raw_id: str):
    doc_id = document_id(raw_id)
    _restore(doc_id)
    return redirect(url_for("documents.document_page", raw_id=doc_id), code=303)


def _restore(doc_id: str) -> None:
    if not get_catalog().restore_document(doc_id):
        abort(404, description=NOT_IN_TRASH)
    audit("restore", doc_id)
    _sync_index()


@bp.post("/thung-rac/<raw_id>/xoa-han")
@role_required("admin")
def purge_for_good(raw_id: str):
    _purge(document_id(raw_id))
    return redirect(url_for("review.trash"), code=303)


def _purge(doc_id: str) -> None:
    try:
        purge(get_archive(), get_catalog(), doc_id)
    except LookupError:
        abort(404, description=NOT_IN_TRASH)
    audit("purge", doc_id)
    _sync_index()


# -- the JSON API ----------------------------------------------------------------------------


@api_bp.get("/can-kiem-tra")
@role_required("clerk")
def api_queue():
    page = int_arg("page", 1, 1, 100_000)
    total, rows = get_catalog().review_queue(QUEUE_PAGE, (page - 1) * QUEUE_PAGE)
    return jsonify({"total": total, "page": page, "per_page": QUEUE_PAGE, "documents": rows})


@api_bp.post("/documents/<raw_id>/review")
@role_required("clerk")
def api_review(raw_id: str):
    doc_id = document_id(raw_id)
    _review(doc_id)
    row = get_catalog().get_document(doc_id) or {}
    return jsonify({"id": doc_id, "needs_review": bool(row.get("needs_review")),
                    "reviewed_by": row.get("reviewed_by"), "reviewed_at": row.get("reviewed_at")})


@api_bp.post("/documents/<raw_id>/versions")
@role_required("clerk")
def api_link(raw_id: str):
    """Body: {"other": id, "issued": id} (issued: this letter unless said)."""
    doc_id = document_id(raw_id)
    _link(doc_id, request.get_json(silent=True) or request.form)
    return jsonify({"id": doc_id, "versions": [
        {"id": v["id"], "issued": v["position"] == 0}
        for v in get_catalog().versions(doc_id)]})


@api_bp.delete("/documents/<raw_id>")
@role_required("admin")
def api_delete(raw_id: str):
    doc_id = document_id(raw_id)
    _delete(doc_id)
    return jsonify({"id": doc_id, "deleted": True})


@api_bp.get("/thung-rac")
@role_required("admin")
def api_trash():
    return jsonify({"documents": get_catalog().trashed_documents()})


@api_bp.post("/thung-rac/<raw_id>/restore")
@role_required("admin")
def api_restore(raw_id: str):
    doc_id = document_id(raw_id)
    _restore(doc_id)
    return jsonify({"id": doc_id, "deleted": False})


@api_bp.delete("/thung-rac/<raw_id>")
@role_required("admin")
def api_purge(raw_id: str):
    doc_id = document_id(raw_id)
    _purge(doc_id)
    return jsonify({"id": doc_id, "purged": True})


def _actor() -> str:
    return current_user() or "?"
