"""Pages listing the archive as a whole: cited documents still missing, tasks by assignee."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, render_template

from ingest import Catalog

from .params import text_arg
from .resources import get_catalog

log = logging.getLogger(__name__)

bp = Blueprint("lists", __name__)

MAX_UNARCHIVED = 500
MAX_ASSIGNEES = 60
TASKS_PER_ASSIGNEE = 5  # the most recent; a name filter shows more
TASKS_PER_FILTERED_ASSIGNEE = 25


@bp.get("/chua-luu-tru")
def unarchived():
    rows = get_catalog().unarchived_citations()
    return render_template(
        "unarchived.html", rows=rows[:MAX_UNARCHIVED], total=len(rows), limit=MAX_UNARCHIVED
    )


def assignee_counts(catalog: Catalog, name_filter: str) -> list[tuple[str, int]]:
    """Assignees with their number of tasks, most first (only names containing `name_filter`)."""
    rows = catalog.db.execute(
        "SELECT assignee, COUNT(*) AS n FROM task_assignees "
        "WHERE instr(lower(assignee), lower(?)) > 0 "
        "GROUP BY assignee ORDER BY n DESC, assignee LIMIT ?",
        (name_filter, MAX_ASSIGNEES),
    )
    return [(row[0], row[1]) for row in rows]


def tasks_of(catalog: Catalog, assignee: str, limit: int) -> list[dict[str, Any]]:
    """The tasks most recently archived for one assignee, with the letter that gives them
    (archive order keeps this an index walk of `limit` rows, whatever the archive's size)."""
    rows = catalog.db.execute(
        "SELECT d.id, d.reference, d.doc_type, d.issuer, d.issued_date, d.date_precision, "
        "t.label, t.text, t.deadline FROM task_assignees a "
        "JOIN tasks t ON t.document_id = a.document_id AND t.position = a.task_position "
        "JOIN documents d ON d.id = a.document_id WHERE a.assignee = ? "
        "ORDER BY a.rowid DESC LIMIT ?",
        (assignee, limit),
    )
    return [dict(row) for row in rows]


@bp.get("/nhiem-vu")
def tasks():
    catalog = get_catalog()
    name_filter = text_arg("don-vi", max_chars=200)
    limit = TASKS_PER_FILTERED_ASSIGNEE if name_filter else TASKS_PER_ASSIGNEE
    groups = [
        {"assignee": name, "count": count, "tasks": tasks_of(catalog, name, limit)}
        for name, count in assignee_counts(catalog, name_filter)
    ]
    return render_template("tasks.html", groups=groups, name_filter=name_filter, per_assignee=limit)
