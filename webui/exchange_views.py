"""Letters in the fields of Decree 30's Phụ lục VI (ingest.exchange), as JSON and CSV: one
letter, or the letters a search finds (at most EXPORT_MAX_ROWS, best first). A reader's, like
the other exports; each export is written to the audit log."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Response, jsonify

from ingest.errors import ArchiveWriteError, UsageError
from ingest.exchange import EXCHANGE_COLUMNS, exchange_record, exchange_row
from ingest.printable import csv_cell

from .auth import audit, role_required
from .document_views import load_document
from .params import int_arg, search_args
from .resources import get_catalog, get_index

log = logging.getLogger(__name__)

bp = Blueprint("exchange", __name__, url_prefix="/api")

EXPORT_MAX_ROWS = 1000
PAGE = 100
SLUG = "phu-luc-vi"


def record_of(document: dict[str, Any]) -> dict[str, Any]:
    return exchange_record(document["id"], document["metadata"],
                           register=get_catalog().register_entry(document["id"]))


def _csv_response(records: list[dict[str, Any]], filename: str) -> Response:
    out = io.StringIO()
    out.write("\ufeff")  # spreadsheets then read the file as UTF-8
    writer = csv.writer(out)
    writer.writerow(EXCHANGE_COLUMNS)
    for record in records:
        writer.writerow([csv_cell(cell) for cell in exchange_row(record)])
    response = Response(out.getvalue(), content_type="text/csv; charset=utf-8")
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    return response


def _audit(detail: dict[str, Any], target: str | None = None) -> None:
    try:
        audit("export", target=target, detail={"fields": SLUG, **detail})
    except ArchiveWriteError as error:  # a read-only archive can still be exported
        log.warning("export not written to the audit log: %s", error)


def _searched() -> tuple[str, Iterator[dict[str, Any]]]:
    """The query and, best first, the records of the letters it finds (at most `limit`)."""
    args = search_args()
    query = str(args["query"])
    if not query:
        raise UsageError("Thiếu tham số q (câu truy vấn).")
    limit = int_arg("limit", EXPORT_MAX_ROWS, 1, EXPORT_MAX_ROWS)
    index, catalog = get_index(), get_catalog()

    def records() -> Iterator[dict[str, Any]]:
        given = 0
        for page in range(1, limit // PAGE + 2):
            results = index.search(query, page=page, per_page=PAGE, sort=str(args["sort"]),
                                   facets=False, highlight=False)
            for hit in results.hits:
                document = catalog.get_document(hit.id)
                if document is None or document.get("deleted_at"):
                    continue  # gone since the index last caught up
                yield record_of(document)
                given += 1
                if given >= limit:
                    return
            if page * PAGE >= results.total:
                return

    return query, records()


@bp.get(f"/documents/<raw_id>/{SLUG}")
@role_required("reader")
def document_record(raw_id: str):
    document = load_document(raw_id)
    _audit({"format": "json"}, target=document["id"])
    return jsonify(record_of(document))


@bp.get(f"/documents/<raw_id>/{SLUG}.csv")
@role_required("reader")
def document_csv(raw_id: str):
    document = load_document(raw_id)
    _audit({"format": "csv"}, target=document["id"])
    return _csv_response([record_of(document)], f"{SLUG}-{document['id']}.csv")


@bp.get(f"/{SLUG}")
@role_required("reader")
def search_records():
    query, records = _searched()
    found = list(records)
    _audit({"format": "json", "query": query, "rows": len(found)})
    return jsonify({"query": query, "count": len(found), "records": found})


@bp.get(f"/{SLUG}.csv")
@role_required("reader")
def search_csv():
    query, records = _searched()
    found = list(records)
    _audit({"format": "csv", "query": query, "rows": len(found)})
    return _csv_response(found, f"{SLUG}-ket-qua-tim-kiem.csv")
