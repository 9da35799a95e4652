"""Tasks tracked to their deadline: a page per assignee and per issuer (open, due soon, overdue,
done), marking a task done or open again (clerks, CSRF as every form), the JSON API, and the
exports (CSV, iCalendar) filtered as the page is. What counts as due, answered or done is
ingest.curation.task_tracking's; this module only shows it."""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import Any

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for
from werkzeug.exceptions import BadRequest, NotFound

from ingest.curation.task_exports import tasks_calendar, write_tasks_csv
from ingest.curation.task_tracking import (
    DUE_SOON_DAYS,
    STATE_LABELS,
    STATES,
    TaskList,
    TrackedTask,
    assignee_directory,
    assignee_tasks,
    describe_deadline,
    filtered,
    issuer_tasks,
    mark_task,
)
from ingest.errors import UsageError
from ingest.store.catalog import TASK_DONE, TASK_OPEN

from .auth import audit, current_user, role_required
from .params import document_id, int_arg, text_arg
from .resources import get_catalog
from .security import public_url

log = logging.getLogger(__name__)

bp = Blueprint("tasks", __name__)

NOTE_MAX = 2000
# The states as the pages and the API name them (?trang-thai=qua-han …).
STATE_PARAMS = {"qua-han": "overdue", "sap-den-han": "due-soon", "dang-thuc-hien": "open",
                "da-xong": "done"}
KINDS = {"don-vi": "assignee", "co-quan": "issuer"}


def today() -> dt.date:
    """Today, as the server's clock has it (a test sets app config TODAY)."""
    from flask import current_app

    fixed = current_app.config.get("TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


def _states() -> list[str]:
    raw = request.args.getlist("trang-thai")
    states = [STATE_PARAMS.get(value) for value in raw if value]
    if any(state is None for state in states):
        raise UsageError("trang-thai là qua-han, sap-den-han, dang-thuc-hien hoặc da-xong.")
    return [state for state in states if state]


def _task_list(kind: str) -> TaskList:
    name = text_arg("ten", max_chars=300)
    if not name:
        raise UsageError("Thiếu tên đơn vị (tham số ten).")
    return _tasks_of(kind, name, int_arg("han", DUE_SOON_DAYS, 0, 365))


def _tasks_of(kind: str, name: str, soon: int) -> TaskList:
    """The tasks given to an assignee (its name in any spelling, old or new) or by an issuer;
    404 for an assignee no task names."""
    catalog = get_catalog()
    if kind == "assignee":
        directory = assignee_directory(catalog)
        canonical = directory.resolve(name)
        if canonical is None:
            raise NotFound("Không có nhiệm vụ nào giao cho đơn vị này.")
        return assignee_tasks(catalog, canonical, today=today(), soon_days=soon,
                              directory=directory)
    return issuer_tasks(catalog, name, today=today(), soon_days=soon)


def _kind(raw: str) -> str:
    if raw not in KINDS:
        raise NotFound("Không có trang này.")
    return KINDS[raw]


@bp.get("/nhiem-vu/<raw_kind>")
@role_required("reader")
def task_page(raw_kind: str):
    kind = _kind(raw_kind)
    tasks = _task_list(kind)
    states = _states()
    shown = filtered(tasks.tasks, states)
    return render_template(
        "task_list.html", kind=kind, raw_kind=raw_kind, tasks=tasks, shown=shown,
        states=STATES, state_labels=STATE_LABELS, chosen=states, today=today(),
        soon=int_arg("han", DUE_SOON_DAYS, 0, 365),
        params={value: key for key, value in STATE_PARAMS.items()})


def _export_name(tasks: TaskList, suffix: str) -> str:
    return f"nhiem-vu-{tasks.name or 'tat-ca'}.{suffix}"


@bp.get("/nhiem-vu/<raw_kind>.csv")
@role_required("reader")
def task_csv(raw_kind: str):
    tasks = _task_list(_kind(raw_kind))
    shown = filtered(tasks.tasks, _states())
    out = io.StringIO()
    count = write_tasks_csv(out, shown)
    audit("export", detail={"format": "csv", "what": "tasks", raw_kind: tasks.name,
                            "rows": count})
    response = Response(out.getvalue(), content_type="text/csv; charset=utf-8")
    response.headers.set("Content-Disposition", "attachment",
                         filename=_export_name(tasks, "csv"))
    return response


@bp.get("/nhiem-vu/<raw_kind>.ics")
@role_required("reader")
def task_ics(raw_kind: str):
    tasks = _task_list(_kind(raw_kind))
    shown = filtered(tasks.tasks, _states())
    body = tasks_calendar(shown, name=tasks.name, today=today(),
                          link=lambda task: public_url("documents.document_page",
                                                       raw_id=task.document_id))
    audit("export", detail={"format": "ics", "what": "tasks", raw_kind: tasks.name,
                            "rows": len(shown)})
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers.set("Content-Disposition", "attachment",
                         filename=_export_name(tasks, "ics"))
    return response


def _position(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise NotFound("Không có nhiệm vụ này.") from None


def _mark(raw_id: str, raw_position: str, status: Any, note: Any) -> Any:
    if status not in (TASK_DONE, TASK_OPEN):
        raise UsageError("Trạng thái là done (đã xong) hoặc open (mở lại).")
    if note is not None and not isinstance(note, str):
        raise UsageError("Ghi chú phải là chữ.")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise BadRequest(f"Ghi chú quá dài (tối đa {NOTE_MAX} ký tự).")
    doc_id = document_id(raw_id)
    position = _position(raw_position)
    try:
        saved = mark_task(get_catalog(), doc_id, position, status, note or None,
                          current_user() or "?")
    except LookupError:
        raise NotFound("Không có nhiệm vụ này.") from None
    audit("task", doc_id, {"position": position, "status": status, "note": note or None})
    return saved


@bp.post("/van-ban/<raw_id>/nhiem-vu/<raw_position>/trang-thai")
@role_required("clerk")
def mark(raw_id: str, raw_position: str):
    _mark(raw_id, raw_position, request.form.get("status"), request.form.get("note"))
    back = request.form.get("next", "")
    if not back.startswith("/") or back.startswith("//"):
        back = url_for("documents.document_page", raw_id=raw_id) + "#nhiem-vu"
    return redirect(back, 303)


def task_json(task: TrackedTask) -> dict[str, Any]:
    return {
        "document": task.document_id, "position": task.position, "label": task.label,
        "text": task.text, "assignees": task.assignees, "deadline": task.deadline,
        "deadlines": [{**describe(d), "text": describe_deadline(d)} for d in task.deadlines],
        "due": task.due.isoformat() if task.due else None, "state": task.state,
        "recurring": task.recurring, "old_names": task.old_names,
        "status": None if task.status is None else {
            "status": task.status.status, "note": task.status.note, "by": task.status.actor,
            "at": task.status.at},
        "answered_by": [{"id": row["id"], "reference": row["reference"],
                         "date": row["issued_date"]} for row in task.answered_by],
        "letter": {**task.letter, "url": public_url("documents.document_page",
                                                    raw_id=task.document_id)},
    }


def describe(deadline: Any) -> dict[str, Any]:
    from ingest.model import deadline_dict

    return deadline_dict(deadline)


@bp.get("/api/nhiem-vu")
@role_required("reader")
def tasks_api():
    """Tasks of an assignee (`don-vi=`) or an issuer (`co-quan=`), filtered by `trang-thai`
    (qua-han, sap-den-han, dang-thuc-hien, da-xong), `han` days counting as due soon."""
    if request.args.get("don-vi"):
        kind, name = "assignee", text_arg("don-vi", max_chars=300)
    elif request.args.get("co-quan"):
        kind, name = "issuer", text_arg("co-quan", max_chars=300)
    else:
        raise UsageError("Cần tham số don-vi (đơn vị được giao) hoặc co-quan (cơ quan giao).")
    soon = int_arg("han", DUE_SOON_DAYS, 0, 365)
    tasks = _tasks_of(kind, name, soon)
    shown = filtered(tasks.tasks, _states())
    return jsonify({"name": tasks.name, "kind": kind, "today": today().isoformat(),
                    "due_soon_days": soon, "old_names": tasks.old_names,
                    "renamed_to": tasks.renamed_to, "counts": tasks.counts(),
                    "tasks": [task_json(task) for task in shown]})


@bp.post("/api/documents/<raw_id>/tasks/<raw_position>/status")
@role_required("clerk")
def mark_api(raw_id: str, raw_position: str):
    """Mark a task done or open again: JSON {"status": "done"|"open", "note": "…"}."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise UsageError("Cần một đối tượng JSON: status (done hoặc open), note.")
    saved = _mark(raw_id, raw_position, data.get("status"), data.get("note"))
    return jsonify({"document": saved.document_id, "position": _position(raw_position),
                    "status": saved.status, "note": saved.note, "by": saved.actor,
                    "at": saved.at})


def init_app(app: Any) -> None:
    app.jinja_env.filters.update(han=describe_deadline)
    app.jinja_env.globals.update(task_kinds={v: k for k, v in KINDS.items()})
    app.register_blueprint(bp)
