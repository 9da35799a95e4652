"""The directive items of a letter's body (tasks), with assignees and deadline.

Items are the numbered paragraphs ('1.', '2.', 'Điều 1.') with their '-' sub-points; a letter
without numbered items but with '-' items after a lead-in ending in ':' gets those. Assignees
come from each item's lead phrase (ingest.assignees); a deadline from 'trước ngày 30/6/2025'.
Each task carries its text's offset under START until the extractor is done with it.
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

# Key of a task's offset in the text while the letter is extracted (the diacritic restorer's
# text is word for word the same, so a task's words can be read again from it); not stored.
START = "_start"

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


_ARTICLE = re.compile(r"^\s*(Điều\s+\d{1,3})\.\s*(\S.*)$")
_SECTION = re.compile(r"^\s*[IVX]{1,4}\.\s+(\S.*)$")
_DIRECTIVE_SECTION = re.compile(r"to chuc thuc hien|phuong huong|nhiem vu .*(?:toi|tiep theo)")


def find_tasks(lines: list[Line], start: int, stop: int) -> list[dict[str, Any]]:
    """The directive items: a decision's articles (numbered points inside an article belong to
    it); else the numbered items, and when the numbering restarts under Roman sections (a plan's
    'I. MỤC ĐÍCH' … 'III. TỔ CHỨC THỰC HIỆN') the list of the section that assigns the work."""
    articles = any(_ARTICLE.match(lines[i].text) for i in range(start, stop))
    pattern = _ARTICLE if articles else _TASK
    runs: list[tuple[str, list[dict[str, Any]]]] = []
    section = ""
    index = start
    while index < stop:
        text = lines[index].text
        match = pattern.match(text)
        if not match:
            heading = _SECTION.match(text)
            section = heading.group(1) if heading else section
            index += 1
            continue
        end = _item_end(lines, index, stop, pattern)
        label, group = (match.group(1), 2) if articles else (match.group(1) or match.group(2), 3)
        if not runs or (label == "1" and runs[-1][1]):
            runs.append((section, []))
        offset = lines[index].start + match.start(group)
        runs[-1][1].append(_task(lines, index, end, label, match.group(group).strip(), offset))
        index = end
    return _directive_run(runs) or _dash_tasks(lines, start, stop)


def _directive_run(runs: list[tuple[str, list[dict[str, Any]]]]) -> list[dict[str, Any]]:
    if len(runs) <= 1:
        return runs[0][1] if runs else []
    for section, tasks in runs:
        if _DIRECTIVE_SECTION.search(fold(section)):
            return tasks
    return runs[-1][1]


def _task(lines: list[Line], index: int, end: int, label: str, first: str,
          start: int) -> dict[str, Any]:
    rest = [ln.text for ln in lines[index + 1: end] if ln.text.strip()]
    has_points = any(_ITEM.match(t) for t in rest[:1])
    text = "\n".join([first, *rest])
    return {"label": label, "assignees": split_assignees(lead_phrase(first, has_points)),
            "text": text, "deadline": find_deadline(text), START: start}


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
                          "text": text, "deadline": find_deadline(text),
                          START: item.start + match.start(1)})
        return tasks
    return []


def _item_end(lines: list[Line], index: int, stop: int, pattern: re.Pattern[str] = _TASK) -> int:
    """Sub-points ('-', '+', 'a)', inside an article '1.') and direct continuations belong to
    the item."""
    gap = False
    for following in lines[index + 1: stop]:
        text = following.text.strip()
        if not text:
            gap = True
            continue
        if pattern.match(text) or _SECTION.match(text):
            return following.index
        inner = pattern is _ARTICLE and _TASK.match(text)
        if gap and not (_ITEM.match(text) or re.match(r"^[a-zđ]\)\s", text) or inner):
            return following.index
        gap = False
    return stop
