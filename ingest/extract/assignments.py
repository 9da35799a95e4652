"""The assignments of a letter: the directive items of its body, with assignees and deadline
(published as the record's `tasks`; a queue's jobs are another thing).

Items are the numbered paragraphs ('1.', '2.', 'Điều 1.', else '(1)', '(2)') with their '-'
sub-points ('2.1.' is one of them, not an item); a letter without numbered items but with '-'
items after a lead-in that asks for them ('… đề nghị các đơn vị thực hiện các nội dung sau:')
gets those; a letter that orders in prose ('Chủ tịch Ủy ban nhân dân tỉnh giao Sở Nội vụ …')
gets one task per body it orders. Assignees come from each item's lead phrase
(ingest.extract.assignees); its deadlines in every form offices write them
(ingest.extract.deadlines: 'trước ngày 30/6/2025', 'trong tháng 3/2025', 'định kỳ hằng tháng',
'ngay', 'trong thời hạn 10 ngày kể từ ngày ký', the report back), and `deadline` the one due
day they name.
Each task carries its text's offset under START until the extractor is done with it.
Whether the paper gives orders at all (a Tờ trình, an Đơn do not) is decided by the caller.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from ingest.extract.assignees import lead_phrase, split_assignees
from ingest.extract.deadlines import find_deadlines, single_due_date
from ingest.extract.layout import Line
from ingest.folding import FoldedText, fold
from ingest.model import deadline_dict

log = logging.getLogger(__name__)

# Key of a task's offset in the text while the letter is extracted (the diacritic restorer's
# text is word for word the same, so a task's words can be read again from it); not stored.
START = "_start"

_ITEM = re.compile(r"^\s*[-–—+•]\s*(.*)$")
# '1.' (never '2.1.', a sub-point) and, in letters without those, '(1)'.
_TASK = re.compile(r"^\s*(\d{1,2})\.(?!\d)\s*(\S.*)$")
_PARENTHESISED = re.compile(r"^\s*(\(\d{1,2}\))\s*(\S.*)$")


def find_deadline(text: str, letter_date: str | None = None) -> str | None:
    """The one due day the text gives; None when it gives none or several (a report due
    'trước ngày 20/6' and another 'trước ngày 20/12' has no single deadline)."""
    return single_due_date(find_deadlines(text, letter_date))


def _with_deadlines(task: dict[str, Any], text: str, letter_date: str | None) -> dict[str, Any]:
    """`task` with `deadline` and `deadlines` read from `text`."""
    deadlines = find_deadlines(text, letter_date)
    task["deadline"] = single_due_date(deadlines)
    task["deadlines"] = [deadline_dict(item) for item in deadlines]
    return task


_ARTICLE = re.compile(r"^\s*(Điều\s+\d{1,3})\.\s*(\S.*)$")
_SECTION = re.compile(r"^\s*[IVX]{1,4}\.\s+(\S.*)$")
_DIRECTIVE_SECTION = re.compile(r"to chuc thuc hien|phuong huong|nhiem vu .*(?:toi|tiep theo)")


def find_assignments(lines: list[Line], start: int, stop: int, issuer: str | None = None,
                     letter_date: str | None = None) -> list[dict[str, Any]]:
    """The directive items: a decision's articles (numbered points inside an article belong to
    it); else the numbered items, and when the numbering restarts under Roman sections (a plan's
    'I. MỤC ĐÍCH' … 'III. TỔ CHỨC THỰC HIỆN') the list of the section that assigns the work;
    else '-' items asked for, else orders given in prose. Deadlines are dated from
    `letter_date` (ISO) where they count from the letter."""
    tasks = _directive_items(lines, start, stop, issuer)
    for task in tasks:
        _with_deadlines(task, task.pop(_SAID, task["text"]), letter_date)
    return tasks


# Key of the words a task's deadlines are read from, when not its text (an order given in prose
# and repeated: every sentence giving it); not stored.
_SAID = "_said"


def _directive_items(lines: list[Line], start: int, stop: int,
                     issuer: str | None) -> list[dict[str, Any]]:
    if any(_ARTICLE.match(lines[i].text) for i in range(start, stop)):
        return _numbered(lines, start, stop, _ARTICLE)
    items = _numbered(lines, start, stop, _TASK) or _numbered(lines, start, stop, _PARENTHESISED)
    if items:
        return [] if _reported(lines, start, items) else items
    return _dash_assignments(lines, start, stop) or _prose_tasks(lines, start, stop, issuer)


# A lead-in that reports or answers ('Sở Y tế báo cáo kết quả như sau:', 'Sở Tư pháp có ý kiến
# như sau:') rather than asks, or asks for an opinion: its numbered points are findings or
# opinions, or the points to give one on, unless one of them orders someone ('1. Giao Sở Tài
# chính …', '2. Sở Xây dựng kiểm tra …').
_REPORTS = re.compile(r"\b(?:bao cao|co y kien|gop y|tham gia y kien|de xuat|kien nghi|xin)\b")
# Asking for an opinion ('… đề nghị các sở góp ý dự thảo, cụ thể:'): a consultation, no tasks.
_OPINION = re.compile(r"\b(?:tham gia y kien|cho y kien|gop y)\b")
_ORDER_START = re.compile(r"^\W*(?:giao|yeu cau|de nghi|chi dao)\b")


def _reported(lines: list[Line], start: int, items: list[dict[str, Any]]) -> bool:
    first = items[0][START]
    before = [line for line in lines[start:] if line.end <= first and line.text.strip()]
    if not before:
        return False
    lead = fold(_sentence_before(before, len(before) - 1))
    if not lead.rstrip().endswith(":"):
        return False
    if not _OPINION.search(lead) and (_ASKS.search(lead) or not _REPORTS.search(lead)):
        return False
    return not any(task["assignees"] or _ORDER_START.match(fold(task["text"])) for task in items)


def _numbered(lines: list[Line], start: int, stop: int,
              pattern: re.Pattern[str]) -> list[dict[str, Any]]:
    runs: list[tuple[str, list[dict[str, Any]]]] = []
    section = ""
    index = start
    while index < stop:
        text = lines[index].text
        match = pattern.match(text)
        if not match or not _readable(match.group(2)):  # not an item, or OCR of handwriting
            heading = _SECTION.match(text)
            section = heading.group(1) if heading else section
            index += 1
            continue
        end = _item_end(lines, index, stop, pattern)
        label = match.group(1)
        if not runs or (label in ("1", "(1)") and runs[-1][1]):
            runs.append((section, []))
        offset = lines[index].start + match.start(2)
        runs[-1][1].append(_task(lines, index, end, label, match.group(2).strip(), offset))
        index = end
    return _directive_run(runs)


def _readable(first: str) -> bool:
    """An item's first line has words ('2⁄42 2 8v.' is a handwritten line OCR could not read)."""
    words = re.findall(r"[^\W\d_]{2,}", first)
    return len(words) >= 2 or any(len(word) >= 3 for word in words)  # 'Điều 104. Thưởng'


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
            "text": text, "deadline": None, START: start}


# A lead-in that asks for the '-' items below it ('… đề nghị các đơn vị thực hiện các nội dung
# sau:'), unlike one that lists facts ('… thông tin cụ thể như sau:', 'Trang thiết bị gồm có:').
_ASKS = re.compile(r"\b(?:de nghi|yeu cau|giao|chi dao|trien khai|luu y|khan truong|quan tam"
                   r"|thuc hien (?:cac|mot so|nhung|tot))\b")


def _dash_assignments(lines: list[Line], start: int, stop: int) -> list[dict[str, Any]]:
    """No numbered items: the '-' items after a lead-in that asks for them, ending in ':'."""
    body = [line for line in lines[start:stop] if line.text.strip()]
    for position, line in enumerate(body[:-1]):
        if not line.text.rstrip().endswith(":") or not _ITEM.match(body[position + 1].text):
            continue
        if not _ASKS.search(fold(_sentence_before(body, position))):
            return []
        tasks = []
        for item in body[position + 1:]:
            match = _ITEM.match(item.text)
            if re.fullmatch(r"\s*https?://\S+\s*", item.text):
                continue  # a link standing alone between items
            if not match:
                break
            text = match.group(1).strip()
            tasks.append({"label": "-", "assignees": split_assignees(lead_phrase(text, False)),
                          "text": text, "deadline": None,
                          START: item.start + match.start(1)})
        return tasks
    return []


def _sentence_before(body: list[Line], position: int) -> str:
    """The sentence that ends with line `position`'s ':' (up to three lines back): in '… đề
    nghị các đơn vị cử cán bộ. Cụ thể:' only 'Cụ thể:', whose items are a quota, not tasks."""
    text = body[position].text
    for line in reversed(body[max(0, position - 3):position]):
        if re.search(r"[.:;]\s*$", line.text) or _ITEM.match(line.text):
            break
        text = line.text + " " + text
    return re.split(r"[.!?;]\s+", text)[-1]


# Orders given in prose: 'giao', 'yêu cầu', '(kính) đề nghị' followed by the bodies that act.
_ORDER = re.compile(r"\b(?:giao|yeu cau|de nghi)\s+")
# Not an order: reported ('đã giao', 'về việc đề nghị'), or asking the addressee to consider,
# decide, approve or give an opinion (a petition or a consultation, not a task).
_REPORTED = re.compile(r"(?:\bda|\bduoc|\bse|\bviec|\btai|\btheo|\bcua|\bva)\s*$")
_NOT_ASKED_TO_ACT = re.compile(
    r"^\W*(?:xem xet|cho y kien|tham gia y kien|gop y|phe duyet|cho phep|chap thuan|quyet dinh"
    r"|cong nhan)\b")
_CONSULTS = re.compile(
    r"\by kien\b|\bgop y\b|\btrinh\b.{0,120}?\b(?:xem xet|quyet dinh|phe duyet)\b")
# Where the sentence giving an order starts: after a full stop, a blank line, or a lead-in's
# colon ('Chủ tịch Ủy ban nhân dân tỉnh có ý kiến như sau:' / 'Giao Sở Tài chính …').
_SENTENCE_STARTS = (". ", ".\n", "\n\n", ":\n", ";\n")
_SHORT_BODIES = {"ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "cat": "cong an tinh"}
# The addressees named by a pronoun: the same task as the request before.
_ADDRESSEES = ("cac dong chi", "dong chi", "quy co quan", "quy don vi", "quy vi")
# Posts before the body in an order's subject: 'Chủ tịch Ủy ban nhân dân tỉnh giao …'.
_POSTS = re.compile(r"^(?:kinh |tran trong |xin )*(?:chu tich|pho chu tich|giam doc|thu truong"
                    r"|ban thuong vu|thuong truc|lanh dao|ban chap hanh|cuc truong)?\s*")


def _prose_tasks(lines: list[Line], start: int, stop: int,
                 issuer: str | None = None) -> list[dict[str, Any]]:
    """One task per body the letter orders in prose (its own orders, not the ones it reports):
    the sentence that gives the order, its deadline from any sentence giving the same order."""
    if start >= stop:
        return []
    base = lines[start].start
    text = "\n".join(line.text for line in lines[start:stop])
    shadow = FoldedText(text)
    folded = shadow.folded
    tasks: list[dict[str, Any]] = []
    sentences: list[list[str]] = []
    for match in _ORDER.finditer(folded):
        begin = max(folded.rfind(mark, 0, match.start()) for mark in _SENTENCE_STARTS)
        begin = begin + 2 if begin >= 0 else 0
        end = re.compile(r"[.!?](?=\s|$)").search(folded, match.end())
        end_at = end.end() if end else len(folded)
        before = folded[begin:match.start()]
        if _REPORTED.search(before) or not _issuer_speaks(before, issuer):
            continue
        sentence = text[shadow.to_original(begin):shadow.to_original(end_at)]
        request = text[shadow.to_original(match.start()):shadow.to_original(end_at)]
        assignees = split_assignees(lead_phrase(" ".join(request.split()), False))
        if not assignees:
            continue
        asked = folded[match.end():end_at]
        named = asked.find(fold(" ".join(assignees[-1].split())))
        after = asked[named + len(fold(assignees[-1])):] if named >= 0 else asked
        if _NOT_ASKED_TO_ACT.match(after.strip()) or _CONSULTS.search(asked):
            continue
        key = fold(assignees[0])
        same = next((i for i, task in enumerate(tasks) if key in _ADDRESSEES
                     or key.startswith(fold(task["assignees"][0]))
                     or fold(task["assignees"][0]).startswith(key)), None)
        if same is not None:
            sentences[same].append(sentence)
            continue
        tasks.append({"label": "-", "assignees": assignees, "text": sentence.strip(),
                      "deadline": None, START: base + shadow.to_original(begin)})
        sentences.append([sentence])
    for task, said in zip(tasks, sentences, strict=True):
        task[_SAID] = " ".join(said)
    return tasks


def _issuer_speaks(before: str, issuer: str | None) -> bool:
    """The words before an order name no one, or the issuing body (or its head): 'Chủ tịch Ủy
    ban nhân dân tỉnh giao …' from the Ủy ban, not 'Chính phủ giao Bộ Công an …' it reports."""
    subject = _POSTS.sub("", before.rsplit(",", 1)[-1].strip() + " ", count=1).strip()
    if not subject:
        return True
    subject, body = _expanded(subject), _expanded(fold(issuer or ""))
    return bool(body) and (body.startswith(subject) or subject.startswith(body))


def _expanded(folded: str) -> str:
    """'ubnd tinh' → 'uy ban nhan dan tinh', as an issuer is written in full."""
    for short, full in _SHORT_BODIES.items():
        folded = re.sub(rf"\b{short}\b", full, folded)
    return folded


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


# The type headings of papers that give no orders, as the header may miss them: an 'ĐƠN ĐỀ
# NGHỊ' behind a stamp's text, or a heading a scan's noise hides from the header.
_NO_ORDERS_HEADING = re.compile(
    r"(?:^|\s)(?:d\w{1,2}n (?:d\w ngh\w|xin)|to trinh|phieu trinh|bien ban|giay moi"
    r"|giay xac nhan|bao cao(?: de xuat)?)(?:\s|$)")  # OCR: 'ĐƠỢN ĐÈ NGHỊ'


def no_orders_heading(lines: list[Line]) -> bool:
    """A heading in capitals before the body names a paper that gives no orders."""
    for line in lines:
        words = [w for w in line.text.split() if any(c.isalpha() for c in w)]
        caps = [w for w in words if w.isupper()]
        if len(caps) >= 2 and _NO_ORDERS_HEADING.search(fold(" ".join(caps))):
            return True
    return False
