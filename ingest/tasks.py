"""The directive items of a letter's body (tasks), with assignees and deadline.

Items are the numbered paragraphs ('1.', '2.', 'Điều 1.') with their '-' sub-points; a letter
without numbered items but with '-' items after a lead-in ending in ':' gets those. Assignees
come from each item's lead phrase (ingest.assignees); a deadline from 'trước ngày 30/6/2025'.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from .assignees import lead_phrase, split_assignees
from .dates import NUMERIC_DATE_RE, WORDS_DATE_RE, date_from_match, iso_date
from .folding import fold
from .layout import Line

log = logging.getLogger(__name__)

_ITEM = re.compile(r"^\s*[-–—+•]\s*(.*)$")
_TASK = re.compile(r"^\s*(?:(\d{1,2})\.|(Điều\s+\d{1,3})\.)\s*(\S.*)$")
_DEADLINE = re.compile(
    r"(?:truoc|cham nhat(?: la)?|han chot)\s+"
    r"(?:\d{1,2}\s*gio(?:\s*\d{1,2}\s*phut)?\s*,?\s*)?"
)


def find_deadline(text: str) -> str | None:
    folded = fold(text)
    for match in _DEADLINE.finditer(folded):
        rest = folded[match.end(): match.end() + 40]
        rest = re.sub(r"^ngay\s+", "", rest)
        numeric = NUMERIC_DATE_RE.match(rest)
        if numeric:
            return iso_date(int(numeric.group(4)), int(numeric.group(3)), int(numeric.group(1)))
        words = WORDS_DATE_RE.match("ngay " + rest)
        if words:
            iso, precision = date_from_match(words)
            if precision == "day":
                return iso
    return None


def find_tasks(lines: list[Line], start: int, stop: int) -> list[dict[str, Any]]:
    tasks: list[dict[str, Any]] = []
    index = start
    while index < stop:
        match = _TASK.match(lines[index].text)
        if not match:
            index += 1
            continue
        end = _item_end(lines, index, stop)
        first = match.group(3).strip()
        rest = [ln.text for ln in lines[index + 1: end] if ln.text.strip()]
        has_points = any(_ITEM.match(t) for t in rest[:1])
        text = "\n".join([first, *rest])
        tasks.append({
            "label": match.group(1) or match.group(2),
            "assignees": split_assignees(lead_phrase(first, has_points)),
            "text": text,
            "deadline": find_deadline(text),
        })
        index = end
    return tasks or _dash_tasks(lines, start, stop)


def _dash_tasks(lines: list[Line], start: int, stop: int) -> list[dict[str, Any]]:
    """No numbered items: the '-' items after a lead-in ending in ':' ('… các nội dung sau:')."""
    body = [line for line in lines[start:stop] if line.text.strip()]
    for position, line in enumerate(body[:-1]):
        if not line.text.rstrip().endswith(":") or not _ITEM.match(body[position + 1].text):
            continue
        tasks = []
        for item in body[position + 1:]:
            match = _ITEM.match(item.text)
            if re.fullmatch(r"\s*https?://\S+\s*", item.text):
                continue  # a link standing alone between items
            if not match:
                break
            text = match.group(1).strip()
            tasks.append({"label": "-", "assignees": split_assignees(lead_phrase(text, False)),
                          "text": text, "deadline": find_deadline(text)})
        return tasks
    return []


def _item_end(lines: list[Line], index: int, stop: int) -> int:
    """Sub-points ('-', '+', 'a)') and direct continuations belong to the item."""
    gap = False
    for following in lines[index + 1: stop]:
        text = following.text.strip()
        if not text:
            gap = True
            continue
        if _TASK.match(text):
            return following.index
        if gap and not (_ITEM.match(text) or re.match(r"^[a-zđ]\)\s", text)):
            return following.index
        gap = False
    return stop
