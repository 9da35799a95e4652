"""Tasks tracked to their deadline: per assignee and per issuer, open, due soon, overdue, done.

A task's due day is the earliest of its deadlines' (ingest.extract.deadlines.due_on: a month's
last day, a recurring deadline's next occurrence, a day counted from the letter); one without a
deadline is open until done. A task is done when staff marked it so (who, when, a note: the
catalog's task_status, also in the letter's history), or when a later archived letter from its
assignee answers the directive (`answering_letters`); staff may open it again, which wins over
the answer. A recurring task is never done for good: it shows its next due day.

Assignees are grouped by their canonical name, old names with the new (ingest.curation.
assignee_names): the page of 'Sở Tài chính tỉnh Lâm Đồng' lists the tasks given to 'Sở Kế
hoạch và Đầu tư tỉnh Bình Thuận' too, and says so.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ingest.collation import sort_key
from ingest.curation.assignee_names import AssigneeName, name_key, normalise, successors
from ingest.curation.links import is_report
from ingest.extract.deadlines import due_on
from ingest.extract.issuers import province_of
from ingest.extract.relations import REPLY_RELATIONS, REPORT_RELATIONS
from ingest.folding import fold
from ingest.model import Deadline
from ingest.store.catalog import TASK_DONE, TASK_OPEN, CatalogStore, TaskStatus, task_key

log = logging.getLogger(__name__)

DUE_SOON_DAYS = 7
# The states of a task on a page, in the order the page shows them.
OVERDUE, DUE_SOON, OPEN, DONE = "overdue", "due-soon", "open", "done"
STATES = (OVERDUE, DUE_SOON, OPEN, DONE)
STATE_LABELS = {OVERDUE: "Quá hạn", DUE_SOON: "Sắp đến hạn", OPEN: "Đang thực hiện",
                DONE: "Đã xong"}


@dataclass
class TrackedTask:
    """One task with its letter, deadlines, due day and state."""

    document_id: str
    position: int
    label: str | None
    text: str
    assignees: list[str]
    deadline: str | None
    deadlines: list[Deadline]
    letter: dict[str, Any]  # reference, symbol, doc_type, issuer, issued_date, date_precision …
    key: str
    due: dt.date | None = None
    state: str = OPEN
    status: TaskStatus | None = None  # what staff said, if anything
    answered_by: list[dict[str, Any]] = field(default_factory=list)
    old_names: list[str] = field(default_factory=list)  # assignees named as before 2025

    @property
    def recurring(self) -> bool:
        return any(d.recurrence for d in self.deadlines)

    @property
    def done(self) -> bool:
        return self.state == DONE


@dataclass
class TaskList:
    """The tasks of one assignee or issuer, by state, with the old names it took in."""

    name: str
    tasks: list[TrackedTask]
    old_names: list[str] = field(default_factory=list)  # names before 2025 included
    renamed_to: list[str] = field(default_factory=list)  # the name's own successors
    spellings: list[str] = field(default_factory=list)  # as letters wrote it

    def by_state(self, state: str) -> list[TrackedTask]:
        return [task for task in self.tasks if task.state == state]

    def counts(self) -> dict[str, int]:
        return {state: len(self.by_state(state)) for state in STATES}


# -- reading tasks ---------------------------------------------------------------------------------


def deadlines_of(row: dict[str, Any]) -> list[Deadline]:
    """A task row's deadlines: its forms, or for a letter archived before them its day."""
    stored = row.get("deadlines_json")
    if stored:
        return [Deadline(**item) for item in json.loads(stored)]
    return [Deadline(date=row["deadline"], precision="day")] if row.get("deadline") else []


def load_tasks(catalog: CatalogStore, keys: Sequence[tuple[str, int]], *,
               today: dt.date, soon_days: int = DUE_SOON_DAYS) -> list[TrackedTask]:
    """The tasks at these keys with their state on `today`, the earliest due first."""
    rows = catalog.tasks_at(list(keys))
    tasks = [_tracked(rows[key]) for key in keys if key in rows]
    statuses = catalog.task_statuses([task.document_id for task in tasks])
    answers = answering_letters(catalog, tasks)
    for task in tasks:
        task.status = statuses.get((task.document_id, task.key))
        task.answered_by = answers.get((task.document_id, task.position), [])
        task.due = _due(task, today)
        task.state = _state(task, today, soon_days)
    return sorted(tasks, key=_order)


def _tracked(row: dict[str, Any]) -> TrackedTask:
    letter = {name: row.get(name) for name in (
        "reference", "symbol", "doc_type", "issuer", "issued_date", "date_precision", "ref_key")}
    return TrackedTask(document_id=row["id"], position=row["position"], label=row.get("label"),
                       text=row.get("text") or "", assignees=list(row.get("assignees") or []),
                       deadline=row.get("deadline"), deadlines=deadlines_of(row),
                       letter={**letter, "id": row["id"]}, key=task_key(row.get("text") or ""))


def _due(task: TrackedTask, today: dt.date) -> dt.date | None:
    """The earliest due day of the task's deadlines; a recurring task's next one."""
    recurring = [due_on(d, today) for d in task.deadlines if d.recurrence]
    days = recurring or [due_on(d, today) for d in task.deadlines]
    return min((day for day in days if day is not None), default=None)


def _state(task: TrackedTask, today: dt.date, soon_days: int) -> str:
    said = task.status.status if task.status else None
    if said == TASK_DONE or (said != TASK_OPEN and task.answered_by and not task.recurring):
        return DONE
    if task.due is None:
        return OPEN
    if task.due < today:
        return OVERDUE
    return DUE_SOON if task.due <= today + dt.timedelta(days=soon_days) else OPEN


def _order(task: TrackedTask) -> tuple[Any, ...]:
    return (task.due is None, task.due or dt.date.max,
            task.letter.get("issued_date") or "", task.document_id, task.position)


# -- answered by a later letter ----------------------------------------------------------------

# Words of a letter that answers or reports on another, for citations read before they had a
# relation: 'Trả lời Công văn số …', 'Báo cáo kết quả thực hiện Công văn số …', 'Phúc đáp …'.
_ANSWERS = re.compile(r"\b(?:tra loi|phuc dap|bao cao|thuc hien|trien khai)\b")


def answering_letters(catalog: CatalogStore, tasks: Iterable[TrackedTask]
                      ) -> dict[tuple[str, int], list[dict[str, Any]]]:
    """For each task, the later archived letters from its assignee that answer its letter: their
    issuer is the assignee (or its successor after 2025), they are dated on or after it, and
    they are in its reply thread: they cite it as a reply ('Trả lời Công văn số …', relation
    tra_loi) or as a report on carrying it out (thuc_hien, from a Báo cáo or a letter whose
    subject reports); a citation read before relations were counts when the letter is a Báo
    cáo or its subject answers or reports. The one place that decides what answers a
    directive."""
    tasks = list(tasks)
    keys = {task.letter["ref_key"] for task in tasks if task.letter.get("ref_key")}
    citing: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in catalog.letters_citing(sorted(keys)):
        citing[row["cited_key"]].append(row)
    found: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for task in tasks:
        letters = citing.get(task.letter.get("ref_key") or "", [])
        if not letters or not task.assignees:
            continue
        province = province_of(task.letter.get("issuer"))
        names = {_current_key(normalise(name, province)) for name in task.assignees}
        answers = [letter for letter in letters if letter["id"] != task.document_id
                   and (letter["issued_date"] or "") >= (task.letter.get("issued_date") or "")
                   and _answers(letter)
                   and _current_key(normalise(letter["issuer"] or "")) in names]
        if answers:
            found[(task.document_id, task.position)] = answers
    return found


def _answers(letter: dict[str, Any]) -> bool:
    """Whether a letter citing a directive answers it: as its reply thread reads the citation
    (ingest.curation.links: a reply, or a report on carrying it out), or for a citation read
    before relations, by its type and subject."""
    relation = letter.get("relation")
    if relation is None:
        return letter.get("doc_type") == "Báo cáo" or bool(
            _ANSWERS.search(fold(letter.get("subject") or "")))
    return relation in REPLY_RELATIONS or (relation in REPORT_RELATIONS and is_report(letter))


def _current_key(name: AssigneeName) -> str:
    """The key of a body's name after the 2025 reorganisation (its main successor's)."""
    after = successors(name.name)
    return name_key(after[0] if after else name.name)


# -- lists per assignee and per issuer -------------------------------------------------------------


@dataclass
class Directory:
    """Every assignee of the archive by its canonical name: the spellings and issuers of the
    letters that name it, and the old names each current name takes in."""

    spellings: dict[str, set[tuple[str, str | None]]]  # canonical → {(as written, issuer)}
    counts: dict[str, int]  # canonical → tasks
    groups: set[str]  # canonical names of groups of bodies

    def current(self, name: str) -> str:
        after = successors(name)
        return after[0] if after else name

    def members(self, name: str) -> tuple[list[str], list[str]]:
        """(canonical names whose tasks the page of `name` lists, the old ones among them):
        itself, and every name whose successors include it."""
        wanted = name_key(name)
        names, old = [], []
        for canonical in self.spellings:
            if name_key(canonical) == wanted:
                names.append(canonical)
            elif wanted in {name_key(after) for after in successors(canonical)}:
                names.append(canonical)
                old.append(canonical)
        return names, sorted(old, key=sort_key)

    def resolve(self, typed: str) -> str | None:
        """The canonical name a typed name stands for ('Sở TC tỉnh Lâm Đồng', 'so tai chinh
        tinh lam dong'), or None when the archive has no such assignee."""
        key = name_key(normalise(typed).name)
        for canonical in self.spellings:
            if name_key(canonical) == key:
                return canonical
        for canonical in self.spellings:  # a new name no letter used yet: its old ones'
            if key in {name_key(after) for after in successors(canonical)}:
                return self.current(canonical)
        # a department typed without its province ('Sở Tài chính'): the one with most tasks
        local = [name for name in self.spellings if name_key(name).startswith(key + " ")]
        return max(local, key=lambda name: (self.counts[name], name)) if local else None


def assignee_directory(catalog: CatalogStore) -> Directory:
    spellings: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    groups: set[str] = set()
    for written, issuer, count in catalog.assignee_issuers():
        name = normalise(written, province_of(issuer))
        if not name.name:
            continue
        spellings[name.name].add((written, issuer))
        counts[name.name] += count
        if name.group:
            groups.add(name.name)
    return Directory(dict(spellings), dict(counts), groups)


def assignee_tasks(catalog: CatalogStore, name: str, *, today: dt.date,
                   soon_days: int = DUE_SOON_DAYS,
                   directory: Directory | None = None) -> TaskList:
    """The tasks given to the assignee `name` (canonical) and to its names before 2025."""
    directory = directory or assignee_directory(catalog)
    names, old = directory.members(name)
    written = sorted({spelling for member in names for spelling, _ in directory.spellings[member]})
    keys = catalog.task_keys(assignees=written)
    wanted = {name_key(member) for member in names}
    tasks = []
    for task in load_tasks(catalog, keys, today=today, soon_days=soon_days):
        province = province_of(task.letter.get("issuer"))
        mine = [w for w in task.assignees if normalise(w, province).key in wanted]
        if not mine:
            continue  # a spelling shared with another province's body
        task.old_names = sorted({normalise(w, province).name for w in mine
                                 if name_key(normalise(w, province).name) in
                                 {name_key(o) for o in old}}, key=sort_key)
        tasks.append(task)
    return TaskList(name=name, tasks=tasks, old_names=old, renamed_to=successors(name),
                    spellings=written)


def issuer_tasks(catalog: CatalogStore, issuer: str, *, today: dt.date,
                 soon_days: int = DUE_SOON_DAYS) -> TaskList:
    """The tasks the letters of `issuer` give (its names before 2025 too)."""
    wanted = name_key(issuer)
    issuers = [name for name, _ in catalog.issuer_task_counts()
               if name_key(name) == wanted or wanted in {name_key(a) for a in successors(name)}]
    old = sorted({name for name in issuers if name_key(name) != wanted}, key=sort_key)
    keys = catalog.task_keys(issuers=issuers)
    return TaskList(name=issuer, tasks=load_tasks(catalog, keys, today=today,
                                                   soon_days=soon_days),
                    old_names=old, renamed_to=successors(issuer), spellings=issuers)


def all_tasks(catalog: CatalogStore, *, today: dt.date,
              soon_days: int = DUE_SOON_DAYS) -> TaskList:
    return TaskList(name="", tasks=load_tasks(catalog, catalog.task_keys(), today=today,
                                              soon_days=soon_days))


def filtered(tasks: Iterable[TrackedTask], states: Sequence[str] | None) -> list[TrackedTask]:
    """The tasks in any of `states` (all when None or empty)."""
    return [task for task in tasks if not states or task.state in states]


# -- marking -----------------------------------------------------------------------------------


def mark_task(catalog: CatalogStore, document_id: str, position: int, status: str,
              note: str | None, actor: str) -> TaskStatus:
    """Mark the task at `position` of a letter done (TASK_DONE) or open again (TASK_OPEN).
    LookupError when the letter or the task is not there; ValueError for another status."""
    if status not in (TASK_DONE, TASK_OPEN):
        raise ValueError(status)
    rows = catalog.tasks_at([(document_id, position)])
    row = rows.get((document_id, position))
    if row is None:
        raise LookupError((document_id, position))
    label = " ".join(part for part in (row.get("label") or "", (row.get("text") or "")[:80])
                     if part)
    return catalog.set_task_status(document_id, task_key(row.get("text") or ""), status,
                                   note or None, actor, label=label)


# -- words -------------------------------------------------------------------------------------

_PERIOD_WORDS = {"daily": "Hằng ngày", "weekly": "Hằng tuần", "monthly": "Hằng tháng",
                 "quarterly": "Hằng quý", "half-yearly": "6 tháng một lần", "yearly": "Hằng năm"}
_WEEKDAY_WORDS = {1: "thứ Hai", 2: "thứ Ba", 3: "thứ Tư", 4: "thứ Năm", 5: "thứ Sáu",
                  6: "thứ Bảy", 7: "Chủ nhật"}
_FROM_WORDS = {"signing": "kể từ ngày ký", "issue": "kể từ ngày văn bản", "receipt":
               "kể từ ngày nhận (tính từ ngày văn bản)", "event": "kể từ sự việc văn bản nêu"}


def day_text(iso: str | None) -> str:
    """'2026-06-30' → '30/06/2026'; '2026-03' → '03/2026'."""
    if not iso:
        return ""
    parts = iso.split("-")
    return "/".join(reversed(parts))


def describe_deadline(deadline: Deadline | dict[str, Any]) -> str:
    """A deadline in Vietnamese as a page shows it: 'Trước 15:00 ngày 30/06/2026', 'Trong
    tháng 03/2026', 'Hằng tháng, trước ngày 20', 'Ngay (10/06/2026)', '10 ngày làm việc kể từ
    ngày ký (24/06/2026)', 'Báo cáo về Sở Nội vụ: trước ngày 15/07/2026'."""
    d = deadline if isinstance(deadline, Deadline) else Deadline(**deadline)
    at = f"{d.time} " if d.time else ""
    if d.recurrence:
        words = _PERIOD_WORDS.get(d.recurrence, d.recurrence)
        if d.recurrence == "weekly" and d.day:
            words += f", trước {at}{_WEEKDAY_WORDS.get(d.day, '')}"
        elif d.day and d.month:
            words += f", trước {at}ngày {d.day:02d}/{d.month:02d}"
        elif d.day:
            words += f", trước {at}ngày {d.day}" + (
                " của tháng cuối quý" if d.recurrence == "quarterly" else "")
        elif d.time:
            words += f", trước {d.time}"
    elif d.immediate:
        words = f"Ngay ({day_text(d.date)})" if d.date else "Ngay"
    elif d.within_days:
        kind = "ngày làm việc" if d.working_days else "ngày"
        words = f"{d.within_days} {kind} {_FROM_WORDS.get(d.counted_from or 'issue', '')}"
        words += f" ({day_text(d.date)})" if d.date else ""
    elif d.precision == "month":
        words = f"Trong tháng {day_text(d.date)}"
    else:
        words = f"Trước {at}ngày {day_text(d.date)}" if d.time else day_text(d.date)
    if d.kind == "report":
        to = f" về {d.report_to}" if d.report_to else ""
        return f"Báo cáo{to}: {words[:1].lower() + words[1:]}"
    return words
