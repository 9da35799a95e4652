"""Pages listing the archive as a whole: cited documents still missing, tasks by assignee."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, render_template

from ingest import CatalogStore
from ingest.collation import sort_key
from ingest.folding import fold

from .auth import role_required
from .formatting import UNASSIGNED
from .params import text_arg
from .resources import get_catalog

log = logging.getLogger(__name__)

bp = Blueprint("lists", __name__)

MAX_UNARCHIVED = 500
MAX_ASSIGNEES = 60
TASKS_PER_ASSIGNEE = 5  # the most recent; a name filter shows more
TASKS_PER_FILTERED_ASSIGNEE = 25


@bp.get("/chua-luu-tru")
@role_required("reader")
def unarchived():
    rows = get_catalog().unarchived_citations()
    return render_template(
        "unarchived.html", rows=rows[:MAX_UNARCHIVED], total=len(rows), limit=MAX_UNARCHIVED
    )


@dataclass
class AssigneeGroup:
    """The spellings of one assignee that differ only in case and diacritics, with its tasks."""

    key: str  # folded name
    spellings: dict[str, int] = field(default_factory=dict)  # as written → tasks
    tasks: list[dict[str, Any]] = field(default_factory=list)
    unassigned: bool = False

    @property
    def count(self) -> int:
        return sum(self.spellings.values())

    @property
    def assignee(self) -> str:
        """The spelling most tasks use; on a tie the one with more diacritics, then capitals."""
        def weight(name: str) -> tuple[int, int, bool]:
            return self.spellings[name], sum(not c.isascii() for c in name), name[:1].isupper()

        return max(sorted(self.spellings, key=sort_key), key=weight) if self.spellings else ""


def group_key(name: str) -> str:
    """'Các sở, ngành Tỉnh', 'các sở ngành tỉnh' → 'cac so nganh tinh' (words only)."""
    return " ".join(re.findall(r"[^\W_]+", fold(name)))


def assignee_groups(counts: list[tuple[str, int]], name_filter: str) -> list[AssigneeGroup]:
    """The MAX_ASSIGNEES largest groups whose folded name holds the folded filter, in Vietnamese
    alphabetical order."""
    wanted = group_key(name_filter)
    groups: dict[str, AssigneeGroup] = {}
    for name, count in counts:
        key = group_key(name)
        if key and wanted in key:
            groups.setdefault(key, AssigneeGroup(key)).spellings[name] = count
    largest = sorted(groups.values(), key=lambda g: (-g.count, sort_key(g.assignee)))
    return sorted(largest[:MAX_ASSIGNEES], key=lambda g: sort_key(g.assignee))


def fill_latest_tasks(catalog: CatalogStore, groups: list[AssigneeGroup], limit: int) -> None:
    """Give each group its `limit` most recently archived tasks, in one walk of the archive
    from the newest letter that stops when every group has them."""
    by_spelling = {name: group for group in groups for name in group.spellings}
    picked: dict[str, list[tuple[str, int]]] = {group.key: [] for group in groups}
    wanted = {group.key: min(limit, group.count) for group in groups}
    unfilled = sum(1 for group in groups if wanted[group.key])
    assignments = catalog.assignments_newest_first()
    for assignee, document_id, position in assignments:
        if not unfilled:
            break
        group = by_spelling.get(assignee)
        if group is None or len(picked[group.key]) >= wanted[group.key]:
            continue
        keys = picked[group.key]
        if (document_id, position) not in keys:  # two spellings on one task
            keys.append((document_id, position))
            if len(keys) == wanted[group.key]:
                unfilled -= 1
    assignments.close()
    found = catalog.tasks_at([key for keys in picked.values() for key in keys])
    for group in groups:
        group.tasks = [found[key] for key in picked[group.key] if key in found]


@bp.get("/nhiem-vu")
@role_required("reader")
def tasks():
    catalog = get_catalog()
    name_filter = text_arg("don-vi", max_chars=200)
    limit = TASKS_PER_FILTERED_ASSIGNEE if name_filter else TASKS_PER_ASSIGNEE
    groups = assignee_groups(catalog.assignee_counts(), name_filter)
    fill_latest_tasks(catalog, groups, limit)
    if not name_filter:
        count, rows = catalog.unassigned_tasks(limit)
        if count:
            groups.append(AssigneeGroup("", {UNASSIGNED: count}, rows, unassigned=True))
    return render_template("tasks.html", groups=groups, name_filter=name_filter, per_assignee=limit)
