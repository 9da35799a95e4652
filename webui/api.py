"""The JSON API under /api/ and the CSV export of a result list."""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import asdict
from typing import Any

from flask import Blueprint, Response, jsonify, request

from index import Hit
from ingest.curation import links
from ingest.curation.corrections import CorrectionError
from ingest.errors import ArchiveWriteError, UsageError
from ingest.printable import csv_cell  # shared with `congvan export`

from . import citation_views
from .auth import audit, role_required
from .correction_views import save_corrections
from .document_views import load_document
from .params import int_arg, search_args
from .resources import get_catalog, get_index
from .security import public_url

log = logging.getLogger(__name__)

bp = Blueprint("api", __name__, url_prefix="/api")

CSV_MAX_ROWS = 1000  # the index pages from the top each time: keep the export quick
CSV_PAGE = 100
CSV_COLUMNS = ("id", "reference", "doc_type", "issuer", "date", "subject", "filename", "score")


def hit_json(hit: Hit) -> dict[str, Any]:
    return {**asdict(hit), "url": public_url("documents.document_page", raw_id=hit.id)}


def facets_json(facets: dict[str, list[tuple[str, int]]]) -> dict[str, list[dict[str, Any]]]:
    return {
        key: [{"value": value, "count": count} for value, count in values]
        for key, values in facets.items()
    }


def _required_query(args: dict[str, object]) -> str:
    query = str(args["query"])
    if not query:
        raise UsageError("Thiếu tham số q (câu truy vấn).")
    return query


@bp.get("/search")
@role_required("reader")
def search():
    args = search_args()
    results = get_index().search(
        _required_query(args),
        page=int(args["page"]),
        per_page=int(args["per_page"]),
        sort=str(args["sort"]),
    )
    return jsonify(
        {
            "query": args["query"],
            "total": results.total,
            "page": results.page,
            "per_page": results.per_page,
            "sort": args["sort"],
            "suggestion": results.suggestion,
            "notice": results.notice,
            "hits": [hit_json(hit) for hit in results.hits],
            "facets": facets_json(results.facets),
        }
    )


@bp.get("/facets")
@role_required("reader")
def facets():
    query = _required_query(search_args())
    results = get_index().search(query, per_page=1, highlight=False)
    return jsonify({"query": query, "total": results.total, "facets": facets_json(results.facets)})


def _document_json(document: dict[str, Any]) -> dict[str, Any]:
    body = {k: v for k, v in document.items() if k not in ("pages", "files", "notes_text")}
    body["metadata"] = document["metadata"].to_dict()
    body["files"] = [
        {k: f[k] for k in ("sha256", "original_name", "media_type", "size_bytes")}
        for f in document["files"]
    ]
    body["pages"] = [
        {"page_no": p["page_no"], "ocr": bool(p["ocr"]), "ocr_confidence": p["ocr_confidence"]}
        for p in document["pages"]
    ]
    body["original_url"] = public_url("documents.original", raw_id=document["id"])
    catalog = get_catalog()
    # which fields a person corrected (the others are as the machine read them)
    body["corrected"] = {
        name: {"value": c.value, "actor": c.actor, "at": c.at}
        for name, c in catalog.corrections(document["id"]).items()
    }
    body["notes"] = [{"text": n.text, "actor": n.actor, "at": n.at}
                     for n in catalog.notes(document["id"])]
    # letters it may duplicate, and the versions it was linked with (the issued one first)
    body["possible_duplicates"] = [
        {"id": d["id"], "reference": d["reference"], "reason": d["reason"],
         "similarity": d["similarity"]} for d in catalog.possible_duplicates(document["id"])]
    body["versions"] = [{"id": v["id"], "reference": v["reference"], "issued": v["position"] == 0}
                        for v in catalog.versions(document["id"])]
    # how it stands with the other letters (issue 16): its validity and the later letters that
    # decide it, its relations both ways (type, Vietnamese name, scope, direction), its reply
    # thread in date order
    body["validity"] = links.validity(catalog, document).as_json()
    body["relations"] = links.relations(catalog, document)
    body["thread"] = links.reply_thread(catalog, document)
    for row in (*body["validity"]["by"], *body["relations"]["cited_by"], *body["thread"]):
        row["url"] = public_url("documents.document_page", raw_id=row["id"])
    return body


@bp.get("/documents/<raw_id>")
@role_required("reader")
def document(raw_id: str):
    return jsonify(_document_json(load_document(raw_id)))


@bp.patch("/documents/<raw_id>")
@role_required("clerk")
def correct_document(raw_id: str):
    """Correct fields of a letter: a JSON object of field → value (ingest.curation.corrections); 400
    with a Vietnamese message per field that does not pass, nothing saved. Scripts send an API
    token; a browser's session sends its CSRF token in X-CSRF-Token."""
    document = load_document(raw_id)
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not data:
        raise UsageError("Cần một đối tượng JSON gồm các trường cần sửa.")
    try:
        changes = save_corrections(document["id"], data)
    except CorrectionError as error:
        return jsonify({"error": "Thông tin chưa hợp lệ, chưa lưu gì.", "status": 400,
                        "errors": error.errors}), 400
    body = _document_json(load_document(raw_id))
    body["changes"] = [{"field": c.field, "old": c.old, "new": c.new} for c in changes]
    return jsonify(body)


@bp.get("/documents/<raw_id>/citations")
@role_required("reader")
def document_citations(raw_id: str):
    doc = load_document(raw_id)
    catalog = get_catalog()
    return jsonify(
        {
            "id": doc["id"],
            "reference": doc["reference"],
            "key": doc["ref_key"],
            "cites": citation_views.cites(catalog, doc),
            "cited_by": citation_views.cited_by(catalog, doc),
        }
    )


@bp.get("/search.csv")
@role_required("reader")
def search_csv():
    args = search_args()
    query = _required_query(args)
    limit = int_arg("limit", CSV_MAX_ROWS, 1, CSV_MAX_ROWS)
    index = get_index()
    out = io.StringIO()
    out.write("\ufeff")  # spreadsheets then read the file as UTF-8
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    rows = 0
    for page in range(1, limit // CSV_PAGE + 2):
        results = index.search(
            query, page=page, per_page=CSV_PAGE, sort=str(args["sort"]), facets=False,
            highlight=False,
        )
        for hit in results.hits[: limit - rows]:
            writer.writerow([csv_cell(getattr(hit, column)) for column in CSV_COLUMNS])
            rows += 1
        if rows >= limit or page * CSV_PAGE >= results.total:
            break
    try:
        audit("export", target=None, detail={"format": "csv", "query": query, "rows": rows})
    except ArchiveWriteError as error:  # a read-only archive can still be read and exported
        log.warning("export not written to the audit log: %s", error)
    response = Response(out.getvalue(), content_type="text/csv; charset=utf-8")
    response.headers.set("Content-Disposition", "attachment", filename="ket-qua-tim-kiem.csv")
    return response
