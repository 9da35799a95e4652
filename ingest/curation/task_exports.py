"""Tasks out of congvan: a CSV table (Vietnamese column names, UTF-8 with a BOM, no cell
starting a formula) and an iCalendar feed (RFC 5545, made by the `icalendar` package: it folds
lines and escapes commas, semicolons and line breaks, so a letter's words cannot break the
feed). One VTODO per task, due on its due day (at its time when written), a recurring task with
its RRULE; the letter's number, issuer and the task's words in the summary and description."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import IO, TYPE_CHECKING

from ingest.curation.task_tracking import (
    DONE,
    STATE_LABELS,
    TrackedTask,
    day_text,
    describe_deadline,
)
from ingest.model import Deadline
from ingest.printable import csv_cell

if TYPE_CHECKING:  # imported when a feed is made: the pages and the CSV need it not
    from icalendar import Todo, vRecur

CSV_COLUMNS = ("Văn bản", "Ngày văn bản", "Cơ quan ban hành", "Mục", "Nội dung",
               "Đơn vị thực hiện", "Thời hạn", "Hạn kế tiếp", "Trạng thái", "Người cập nhật",
               "Ghi chú", "Văn bản trả lời", "Mã văn bản")
PRODUCT_ID = "-//congvan//Nhiem vu theo han//VI"
_FREQUENCIES = {"daily": ("DAILY", 1), "weekly": ("WEEKLY", 1), "monthly": ("MONTHLY", 1),
                "quarterly": ("MONTHLY", 3), "half-yearly": ("MONTHLY", 6),
                "yearly": ("YEARLY", 1)}
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def task_cells(task: TrackedTask) -> list[str]:
    status = task.status
    return [task.letter.get("reference") or task.letter.get("symbol") or "",
            day_text(task.letter.get("issued_date")), task.letter.get("issuer") or "",
            task.label or "", task.text, "; ".join(task.assignees),
            "; ".join(describe_deadline(d) for d in task.deadlines),
            task.due.strftime("%d/%m/%Y") if task.due else "", STATE_LABELS[task.state],
            f"{status.actor} {status.at[:16].replace('T', ' ')}" if status else "",
            (status.note or "") if status else "",
            "; ".join(row.get("reference") or row["id"] for row in task.answered_by),
            task.document_id]


def write_tasks_csv(out: IO[str], tasks: Iterable[TrackedTask]) -> int:
    """Write the tasks as CSV; how many rows."""
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for task in tasks:
        writer.writerow([csv_cell(cell) for cell in task_cells(task)])
        count += 1
    return count


def tasks_calendar(tasks: Sequence[TrackedTask], *, name: str, today: dt.date,
                   link: Callable[[TrackedTask], str] | None = None) -> bytes:
    """The tasks as an iCalendar feed: one VTODO per task with a due day."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Nhiệm vụ: {name}" if name else "Nhiệm vụ")
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for task in tasks:
        if task.due is None:
            continue
        calendar.add_component(_todo(task, stamp, link))
    return calendar.to_ical()


def _todo(task: TrackedTask, stamp: dt.datetime,
          link: Callable[[TrackedTask], str] | None) -> Todo:
    from icalendar import Todo

    todo = Todo()
    todo.add("uid", f"{task.document_id}-{task.key}@congvan")
    todo.add("dtstamp", stamp)
    reference = task.letter.get("reference") or task.letter.get("symbol") or "Văn bản"
    words = " ".join(task.text.split())
    todo.add("summary", f"{reference}: {words[:120]}")
    lines = [f"{task.letter.get('doc_type') or 'Văn bản'} {reference}"
             f" ngày {day_text(task.letter.get('issued_date'))}"
             f" của {task.letter.get('issuer') or '?'}",
             f"Đơn vị thực hiện: {'; '.join(task.assignees) or 'chưa rõ'}",
             *(f"Thời hạn: {describe_deadline(d)}" for d in task.deadlines), "", task.text]
    todo.add("description", "\n".join(lines))
    if link is not None:
        todo.add("url", link(task))
    recurring = next((d for d in task.deadlines if d.recurrence), None)
    due = _due_time(task, recurring)
    if recurring is not None:  # a recurrence counts from DTSTART: the next due day
        todo.add("dtstart", due)
        todo.add("rrule", _rule(recurring))
    todo.add("due", due)
    todo.add("status", "COMPLETED" if task.state == DONE else "NEEDS-ACTION")
    if task.status is not None and task.status.note:
        todo.add("comment", task.status.note)
    return todo


def _due_time(task: TrackedTask, recurring: Deadline | None) -> dt.date | dt.datetime:
    """The due day, at the time a deadline writes ('15:00') when one does."""
    assert task.due is not None
    times = [d.time for d in task.deadlines if d.time and (recurring is None or d is recurring)]
    if not times:
        return task.due
    hour, minute = (int(part) for part in times[0].split(":"))
    return dt.datetime.combine(task.due, dt.time(hour, minute))


def _rule(deadline: Deadline) -> vRecur:
    from icalendar import vRecur

    frequency, interval = _FREQUENCIES[deadline.recurrence or "monthly"]
    rule: dict[str, object] = {"FREQ": frequency}
    if interval > 1:
        rule["INTERVAL"] = interval
    if deadline.recurrence == "weekly" and deadline.day:
        rule["BYDAY"] = _WEEKDAYS[deadline.day - 1]
    elif frequency == "MONTHLY" and not deadline.day:
        rule["BYMONTHDAY"] = -1  # the period's last day
    return vRecur(rule)
