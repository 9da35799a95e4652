"""The registers of letters received and sent (sổ đăng ký văn bản đến / đi, Decree 30/2020,
Appendix IV): a clerk enters a letter on its page (or by the API), with the arrival stamp read
at ingest proposed; the registers per year, paged, and their CSV export.

Who may do what: entering a letter is a clerk's (`register`); reading a register and exporting
it is a reader's, like every other page that only reads (the register shows what the letters'
pages show, plus the unit each was passed to).
"""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.exceptions import NotFound

from ingest.curation.registers import (
    DIRECTION_LABELS,
    REGISTER_TITLES,
    RegisterInput,
    display_date,
    parse_register_input,
    register_cells,
    register_columns,
    write_register_csv,
)
from ingest.errors import UsageError
from ingest.store.catalog import DIRECTIONS, INCOMING, ArrivalNumberTaken, RegisterEntry

from .auth import audit, current_user, role_required
from .document_views import document_page, load_document
from .params import int_arg
from .resources import get_catalog

log = logging.getLogger(__name__)

bp = Blueprint("registers", __name__)

REGISTER_PAGE = 50
TAKEN_MESSAGE = "Số đến {number} năm {year} đã cấp cho văn bản khác."


def office() -> str:
    """The office whose registers this server keeps (app config OFFICE, serve --office)."""
    return str(current_app.config.get("OFFICE") or "")


def save_entry(document_id: str, entry: RegisterInput) -> RegisterEntry:
    """Enter the letter in its register and audit it; ArrivalNumberTaken for a number another
    letter holds."""
    try:
        saved = get_catalog().register_letter(
            document_id, entry.direction, current_user() or "?", office=office(),
            entry_date=entry.entry_date, arrival_number=entry.arrival_number, unit=entry.unit,
            note=entry.note)
    except LookupError:
        raise NotFound("Không có văn bản này trong kho.") from None
    audit("register", document_id, {
        "direction": saved.direction, "office": saved.office, "year": saved.year,
        "arrival_number": saved.arrival_number, "entry_date": saved.entry_date,
        "unit": saved.unit, "note": saved.note})
    return saved


def entry_json(entry: RegisterEntry | None) -> dict[str, Any] | None:
    return None if entry is None else {
        "direction": entry.direction, "office": entry.office, "year": entry.year,
        "arrival_number": entry.arrival_number, "entry_date": entry.entry_date,
        "unit": entry.unit, "note": entry.note, "registered_by": entry.registered_by,
        "registered_at": entry.registered_at, "updated_by": entry.updated_by,
        "updated_at": entry.updated_at}


def register_panel(document: dict[str, Any]) -> dict[str, Any]:
    """What the letter's page shows of its register entry: the entry, the arrival stamp read
    at ingest, and the form's values (the clerk's again after a refusal, else the entry's, else
    the stamp's proposal)."""
    entry = get_catalog().register_entry(document["id"])
    stamp = document["metadata"].arrival_stamp
    form = g.get("register_form")
    if form is None:
        if entry is not None:
            form = {"direction": entry.direction, "entry_date": display_date(entry.entry_date),
                    "arrival_number": entry.arrival_number or "", "unit": entry.unit or "",
                    "note": entry.note or ""}
        else:
            form = {"direction": INCOMING if stamp else "",
                    "entry_date": display_date(stamp.date) if stamp else "",
                    "arrival_number": (stamp.number or "") if stamp else "",
                    "unit": (stamp.unit or "") if stamp else "", "note": ""}
    return {"entry": entry, "stamp": stamp, "form": form,
            "errors": g.get("register_errors") or {}, "labels": DIRECTION_LABELS}


@bp.post("/van-ban/<raw_id>/so-dang-ky")
@role_required("clerk")
def register(raw_id: str):
    document = load_document(raw_id)
    entry, errors = parse_register_input(request.form)
    if entry is not None:
        try:
            save_entry(document["id"], entry)
        except ArrivalNumberTaken as taken:
            year = (entry.entry_date or "")[:4] or datetime.now(UTC).year
            errors = {"arrival_number": TAKEN_MESSAGE.format(number=taken.number, year=year)}
    if errors:
        g.register_errors = errors
        g.register_form = {name: request.form.get(name, "") for name in (
            "direction", "entry_date", "arrival_number", "unit", "note")}
        return document_page(raw_id), 400
    return redirect(url_for("documents.document_page", raw_id=document["id"]) + "#so-dang-ky",
                    303)


@bp.get("/api/documents/<raw_id>/register")
@role_required("reader")
def register_json(raw_id: str):
    document = load_document(raw_id)
    stamp = document["metadata"].arrival_stamp
    return jsonify({"id": document["id"],
                    "register": entry_json(get_catalog().register_entry(document["id"])),
                    "arrival_stamp": None if stamp is None else stamp.__dict__})


@bp.route("/api/documents/<raw_id>/register", methods=["PUT", "PATCH"])
@role_required("clerk")
def register_api(raw_id: str):
    """Enter a letter in a register: a JSON object {direction: "den"|"di", entry_date,
    arrival_number (incoming; none: the next free one), unit, note}; 400 with a message per
    field that does not pass, 409 for an arrival number another letter holds."""
    document = load_document(raw_id)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise UsageError("Cần một đối tượng JSON: direction, entry_date, arrival_number, "
                         "unit, note.")
    entry, errors = parse_register_input(data)
    if entry is None:
        return jsonify({"error": "Thông tin chưa hợp lệ, chưa lưu gì.", "status": 400,
                        "errors": errors}), 400
    try:
        saved = save_entry(document["id"], entry)
    except ArrivalNumberTaken as taken:
        return jsonify({"error": f"Số đến {taken.number} đã cấp cho văn bản khác.",
                        "status": 409, "holder": taken.holder}), 409
    return jsonify({"id": document["id"], "register": entry_json(saved)})


def _direction(raw: str) -> str:
    if raw not in DIRECTIONS:
        raise NotFound("Không có sổ này.")
    return raw


def _year(direction: str) -> int:
    years = get_catalog().register_years(direction, office=office())
    default = years[0] if years else datetime.now(UTC).year
    return int_arg("nam", default, 1900, 2999)


@bp.get("/so-van-ban/<raw_direction>")
@role_required("reader")
def register_page(raw_direction: str):
    direction = _direction(raw_direction)
    year = _year(direction)
    page = int_arg("trang", 1, 1, 100_000)
    total, rows = get_catalog().register_rows(direction, year, office=office(),
                                              limit=REGISTER_PAGE,
                                              offset=(page - 1) * REGISTER_PAGE)
    return render_template(
        "register.html", direction=direction, year=year, page=page, total=total,
        pages=max(1, -(-total // REGISTER_PAGE)), columns=register_columns(direction),
        rows=[(row, register_cells(row)) for row in rows], title=REGISTER_TITLES[direction],
        years=get_catalog().register_years(direction, office=office()),
        other=next(d for d in DIRECTIONS if d != direction), titles=REGISTER_TITLES)


@bp.get("/so-van-ban/<raw_direction>.csv")
@role_required("reader")
def register_csv(raw_direction: str):
    direction = _direction(raw_direction)
    year = _year(direction)
    out = io.StringIO()
    _total, rows = get_catalog().register_rows(direction, year, office=office())
    count = write_register_csv(out, direction, rows)
    audit("export", detail={"format": "csv", "what": "register", "direction": direction,
                            "year": year, "office": office(), "rows": count})
    response = Response(out.getvalue(), content_type="text/csv; charset=utf-8")
    response.headers.set("Content-Disposition", "attachment",
                         filename=f"so-van-ban-{direction}-{year}.csv")
    return response


def init_app(app: Any) -> None:
    app.jinja_env.globals.update(register_panel=register_panel)
    app.register_blueprint(bp)
