"""`congvan tasks [--assignee X | --issuer Y] [--overdue] [--due-soon] [--csv | --ics | --json]`:
the tasks letters assign, tracked to their deadline, as the web pages /nhiem-vu/don-vi and
/nhiem-vu/co-quan show them (ingest/curation/task_tracking.py)."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

import click

from ingest.curation.task_tracking import (
    DONE,
    DUE_SOON,
    DUE_SOON_DAYS,
    OPEN,
    OVERDUE,
    STATE_LABELS,
    all_tasks,
    assignee_directory,
    assignee_tasks,
    describe_deadline,
    filtered,
    issuer_tasks,
)
from ingest.errors import UsageError
from ingest.model import deadline_dict
from ingest.printable import printable
from ingest.store import open_catalog

from .options import archive_at, archive_option, cli_actor


@click.command("tasks")
@click.option("--assignee", help="An assignee's name as letters write it ('Sở TC', 'Sở Tài "
              "chính tỉnh Lâm Đồng'); its names before the 2025 reorganisation count too.")
@click.option("--issuer", help="The issuing body whose letters gave the tasks.")
@click.option("--overdue", is_flag=True, help="Only tasks past their due day.")
@click.option("--due-soon", is_flag=True, help="Only tasks due within --days days.")
@click.option("--open", "still_open", is_flag=True, help="Only tasks open without a near due day.")
@click.option("--done", is_flag=True, help="Only tasks done (marked, or answered by a letter).")
@click.option("--days", type=click.IntRange(0, 365), default=DUE_SOON_DAYS, show_default=True,
              help="Days ahead that count as due soon.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Count from this day "
              "(YYYY-MM-DD) instead of today.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV (UTF-8 with BOM; no cell starts a "
              "formula).")
@click.option("--ics", "as_ics", is_flag=True, help="An iCalendar feed (one VTODO per task).")
@click.option("--json", "as_json", is_flag=True, help="JSON.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@archive_option
def tasks(assignee: str | None, issuer: str | None, overdue: bool, due_soon: bool,
          still_open: bool, done: bool, days: int, today: dt.datetime | None, as_csv: bool,
          as_ics: bool, as_json: bool, out_path: Path | None, archive_dir: Path) -> None:
    """The tasks letters assign with their deadlines and state: overdue, due soon, open,
    done (overdue first)."""
    if sum((as_csv, as_ics, as_json)) > 1:
        raise UsageError("choose one of --csv, --ics, --json")
    if assignee and issuer:
        raise UsageError("choose one of --assignee, --issuer")
    archive = archive_at(archive_dir)
    if not archive.has_catalog():
        raise UsageError(f"no archive at {archive_dir}")
    day = today.date() if today else dt.date.today()
    states = [state for state, wanted in ((OVERDUE, overdue), (DUE_SOON, due_soon),
                                          (OPEN, still_open), (DONE, done)) if wanted]
    with open_catalog(archive.catalog_location) as catalog:
        if assignee:
            directory = assignee_directory(catalog)
            name = directory.resolve(assignee)
            if name is None:
                raise UsageError(f"no task is given to {assignee!r}")
            found = assignee_tasks(catalog, name, today=day, soon_days=days,
                                   directory=directory)
        elif issuer:
            found = issuer_tasks(catalog, issuer, today=day, soon_days=days)
        else:
            found = all_tasks(catalog, today=day, soon_days=days)
        shown = filtered(found.tasks, states)
        text = _render(found.name, shown, day, as_csv=as_csv, as_ics=as_ics, as_json=as_json)
        if as_csv or as_ics:
            catalog.audit("export", cli_actor(), None, {
                "format": "ics" if as_ics else "csv", "what": "tasks",
                "assignee": assignee, "issuer": issuer, "rows": len(shown)})
    if out_path is None:
        sys.stdout.write(text)
    else:
        out_path.write_text(text, encoding="utf-8", newline="")
    if found.old_names and not (as_csv or as_ics or as_json):
        click.echo("including the names before 2025: " + "; ".join(found.old_names), err=True)
    click.echo(f"{len(shown)} tasks", err=True)


def _render(name: str, shown: list, day: dt.date, *, as_csv: bool, as_ics: bool,
            as_json: bool) -> str:
    if as_csv:
        from ingest.curation.task_exports import write_tasks_csv

        out = io.StringIO()
        write_tasks_csv(out, shown)
        return out.getvalue()
    if as_ics:
        from ingest.curation.task_exports import tasks_calendar

        return tasks_calendar(shown, name=name, today=day).decode("utf-8")
    if as_json:
        return json.dumps([{
            "document": task.document_id, "position": task.position, "label": task.label,
            "text": task.text, "assignees": task.assignees, "deadline": task.deadline,
            "deadlines": [deadline_dict(d) for d in task.deadlines],
            "due": task.due.isoformat() if task.due else None, "state": task.state,
            "reference": task.letter.get("reference"), "issuer": task.letter.get("issuer"),
            "date": task.letter.get("issued_date")} for task in shown],
            ensure_ascii=False, indent=2) + "\n"
    lines = []
    for task in shown:
        due = task.due.strftime("%d/%m/%Y") if task.due else "—"
        when = "; ".join(describe_deadline(d) for d in task.deadlines) or "không có hạn"
        lines.append(f"{STATE_LABELS[task.state]:<16} {due:<10}  "
                     f"{printable(task.letter.get('reference') or task.document_id)}  "
                     f"{printable(' '.join(task.text.split())[:90])}  ({printable(when)})")
    return "\n".join(lines) + ("\n" if lines else "")
