"""The deadlines a task states, in the forms offices write them.

- by a date: 'trước ngày 30/6/2025', 'chậm nhất ngày 15/7', 'hạn chót 20/8/2025', 'trước 15 giờ
  ngày 30/6/2025' (the time kept), 'trước ngày 30 tháng 6 năm 2025'; a date written without its
  year ('trước ngày 20/6') is the next such day from the letter's date;
- within a month: 'trong tháng 3/2025' (month precision);
- again and again: 'định kỳ hằng tháng', 'hằng quý', 'hằng năm', 'hằng tuần', 'hằng ngày', 'định
  kỳ 6 tháng', with the day when
  written ('trước ngày 20 hằng tháng', 'trước ngày 15/12 hằng năm', 'thứ Sáu hằng tuần');
- at once: 'ngay', 'khẩn trương' (due the letter's date), when no date is given;
- within days: 'trong thời hạn 10 ngày kể từ ngày ký / nhận', 'trong vòng 05 ngày làm việc',
  counted from the letter's date (the day a letter was received is not in it); working days
  skip Saturdays, Sundays and public holidays (`add_working_days`);
- the duty to report back ('báo cáo kết quả về Sở Nội vụ trước ngày …'): a deadline of kind
  "report", with to whom.

Patterns run on the folded text, so a letter read without its marks is read alike; 'ngay' (at
once) is told from 'ngày' (day) by its marks where the text has them, else by the words
around it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import replace

import holidays

from ingest.extract.dates import NUMERIC_DATE_RE, WORDS_DATE_RE, date_from_match, iso_date
from ingest.folding import FoldedText, few_diacritics
from ingest.model import Deadline

log = logging.getLogger(__name__)

RECURRENCES = ("daily", "weekly", "monthly", "quarterly", "half-yearly", "yearly")
_PERIODS = {"ngay": "daily", "tuan": "weekly", "thang": "monthly", "quy": "quarterly",
            "nam": "yearly", "6 thang": "half-yearly", "sau thang": "half-yearly"}

# 'trước', 'chậm nhất (là) (vào)', 'hạn chót (là)', 'không muộn hơn', then a time ('15 giờ',
# '15 giờ 30', '16h00', '8 giờ 30 phút') and the date.
_BY = re.compile(
    r"\b(?:truoc|cham nhat(?: la)?(?: vao)?|han chot(?: la)?(?: vao)?(?: ngay)?"
    r"|han cuoi(?: la)?|khong muon hon|khong cham hon)\s*:?\s*"
    r"(?:(?P<hour>\d{1,2})\s*(?:gio|h)\s*(?P<minute>\d{1,2})?\s*(?:phut)?\s*,?\s*"
    r"(?:(?:sang|chieu)\s+)?)?"
)
_SHORT_DATE = re.compile(r"(?:ngay\s*)?(\d{1,2})\s?[/.-]\s?(\d{1,2})(?![\d/.-]|\s?[/.-]\s?\d)")
_MONTH = re.compile(
    r"\btrong (?:thoi gian )?thang\s*(?P<month>\d{1,2})\s*(?:[/-]\s*|\s+nam\s+)(?P<year>\d{4})\b")
_MONTH_NO_YEAR = re.compile(r"\btrong thang\s*(?P<month>\d{1,2})(?![\d/-]|\s+nam\b)")
# 'trong thời hạn 10 ngày', 'trong vòng 05 ngày làm việc', 'chậm nhất không quá 10 ngày làm
# việc', then what it is counted from.
_WITHIN = re.compile(
    r"\b(?:trong (?:thoi han|vong|khoang|thoi gian)?|cham nhat(?: khong qua| la)?|khong qua|"
    r"sau)\s*(?P<days>\d{1,3})\s*(?:\(\s*[a-z ]+\)\s*)?ngay(?P<working>\s+lam viec)?"
    r"(?P<from>\s*,?\s*(?:ke tu|tinh tu|sau khi|sau|tu)\s+(?:ngay\s+|khi\s+)?[a-z ]{0,40})?")
_BEFORE_EVENT = re.compile(r"\s*(?:lam viec\s+)?truoc\b")
_FROM = (("ky", "signing"), ("ban hanh", "issue"), ("nhan", "receipt"), ("van ban", "issue"),
         ("cong van", "issue"))
_RECURRING = re.compile(
    r"\b(?:dinh ky\s+(?:(?:hang|moi)\s+)?|(?:hang|moi)\s+)(?P<period>6 thang|sau thang|ngay"
    r"|tuan|thang|quy|nam)\b(?!\s*\d)")
# A recurrence stated as a duty, not a description ('Chỉ số … hằng năm'): 'định kỳ …', or a
# report, a sending, an update in the words before it.
_DUTY_BEFORE = re.compile(r"\b(?:bao cao|gui|cap nhat|tong hop|dinh ky|truoc)\b")
_DAY_OF_PERIOD = re.compile(
    r"\b(?:truoc|vao|cham nhat(?: la)?(?: vao)?)\s+(?:(?P<hour>\d{1,2})\s*(?:gio|h)\s*"
    r"(?P<minute>\d{1,2})?\s*(?:phut)?\s*,?\s*)?(?:ngay\s*(?P<day>\d{1,2})"
    r"(?:\s*[/.-]\s*(?P<month>\d{1,2}))?(?![\d/.-])|thu\s+(?P<weekday>hai|ba|tu|nam|sau|bay)"
    r"|chu nhat)")
_PERIOD_AGAIN = re.compile(r"\s*(?:cua\s+)?(?:hang|moi)\s+(?:tuan|thang|quy|nam)\b")
_TIME_BEFORE = re.compile(r"\b(?:truoc|vao|cham nhat(?: la)?)\s+(?P<hour>\d{1,2})\s*(?:gio|h)\s*"
                          r"(?P<minute>\d{1,2})?\s*(?:phut)?\s*$")
_WEEKDAYS = {"hai": 1, "ba": 2, "tu": 3, "nam": 4, "sau": 5, "bay": 6}
# At once: 'triển khai ngay', 'báo cáo ngay', 'ngay sau khi nhận', 'ngay trong ngày'.
_AT_ONCE = re.compile(
    r"\b(?:(?:thuc hien|trien khai|bao cao|xu ly|khac phuc|to chuc|kiem tra|ra soat|gui|cung cap"
    r"|tham muu|chi dao|di doi|so tan|dung|tam dung|bo sung|cap nhat|thong bao|co mat)\s+"
    r"(?P<after_verb>ngay)\b(?!\s*(?:\d|thang|ky|nhan|lam|ban|tu|den|cang|nay|hom|mai|khi"
    r"|sau\s+\d))"
    r"|\b(?P<lead>ngay)\s+(?:sau khi|khi nhan|trong ngay|lap tuc|tu bay gio))")
_URGENT = re.compile(r"\bkhan truong\b")
_REPORT = re.compile(r"\bbao cao\b")
# Whom a report goes to: 'về Sở Nội vụ', 'cho Ủy ban nhân dân tỉnh', 'gửi Cục …'.
_REPORT_TO = re.compile(
    r"(?:\bbao cao(?:\s+ket qua)?|\b(?:gui ve|ve|cho|gui|den|toi))\s+"
    r"(?=(?:so|ubnd|uy ban|bo|cuc|cong an|van phong|ban|phong|chi cuc|tong cuc|trung tam"
    r"|thuong truc|chu tich|tinh uy|hoi dong|thanh tra|kho bac|ngan hang|dai|vien|bo chi huy"
    r"|lien doan|hoi)\b)")
_REPORT_TO_END = re.compile(
    r"\s*(?:\(|,|;|\.(?:\s|$)|\btruoc\b|\bde\b|\bqua\b|\btrong\b|\bcham nhat\b|\btheo\b"
    r"|\bdong thoi\b|\bthong qua\b|\bvao\b|\bhan chot\b|\bdinh ky\b|\bhang\b|\bva\b|\bbang\b"
    r"|\bkem theo\b|\btruc tiep\b|$)")


def find_deadlines(text: str, letter_date: str | None = None) -> list[Deadline]:
    """Every deadline `text` (one task's words) states, in the order written, each once;
    `letter_date` (ISO) dates the relative and immediate ones and gives a yearless date its
    year."""
    shadow = FoldedText(text)
    folded = shadow.folded
    letter = _day(letter_date)
    found: list[tuple[int, Deadline]] = []
    taken: list[tuple[int, int]] = []  # folded spans read already

    def add(start: int, end: int, deadline: Deadline) -> None:
        taken.append((start, end))
        found.append((start, _as_report(folded, shadow, start, deadline)))

    for match in _RECURRING.finditer(folded):
        if not _inside(match.start(), taken) and _recurring_duty(folded, match.start()):
            start, end, deadline = _recurring(folded, match)
            add(start, end, deadline)
    for match in _BY.finditer(folded):
        if _inside(match.start(), taken):
            continue
        read = _date_after(folded, match.end(), letter)
        if read is None:
            continue
        iso, end = read
        time = _time(match.group("hour"), match.group("minute"))
        add(match.start(), end, Deadline(date=iso, precision="day", time=time))
    for match in _MONTH.finditer(folded):
        iso = iso_date(int(match.group("year")), int(match.group("month")))
        if iso and not _inside(match.start(), taken):
            add(match.start(), match.end(), Deadline(date=iso, precision="month"))
    for match in _MONTH_NO_YEAR.finditer(folded):
        month = int(match.group("month"))
        if letter and 1 <= month <= 12 and not _inside(match.start(), taken):
            year = letter.year + (month < letter.month)
            add(match.start(), match.end(),
                Deadline(date=iso_date(year, month), precision="month"))
    for match in _WITHIN.finditer(folded):
        if _inside(match.start(), taken):
            continue
        deadline = _relative(match, letter)
        if deadline is not None:
            add(match.start(), match.end(), deadline)
    if not any(d.date or d.recurrence for _, d in found):
        at_once = _at_once(shadow)
        if at_once is not None:
            add(at_once, at_once + 4, Deadline(
                date=letter.isoformat() if letter else None,
                precision="day" if letter else None, immediate=True))
    found.sort(key=lambda item: item[0])
    return _unique(deadline for _, deadline in found)


def single_due_date(deadlines: Iterable[Deadline]) -> str | None:
    """The one day a task's words set as its deadline (its `deadline`, as readers have always
    had it): the day its written dates all name, None when they name none or several (a
    report due 'trước ngày 20/6' and another 'trước ngày 20/12' has no single deadline). A day
    counted from the letter (at once, within days) is not written: it stays in `deadlines`.
    The work's own day comes before its report's ('triển khai trước ngày 30/6, báo cáo kết
    quả trước ngày 15/7': 30/6)."""
    written = [d for d in deadlines if d.date and d.precision == "day" and not (
        d.recurrence or d.immediate or d.within_days)]
    work = {d.date for d in written if d.kind == "task"}  # the work's own day, else the report's
    days = work or {d.date for d in written}
    return days.pop() if len(days) == 1 else None


# -- working days and due dates ----------------------------------------------------------------


# Vietnam's public holidays as the `holidays` package keeps them: Tết and Giỗ Tổ by the lunar
# calendar, the days off moved by the government's yearly decisions, and the Saturdays worked
# in exchange (`is_working_day` knows both); a move decided after the package's release is not
# known until it is updated.
_CALENDAR = holidays.country_holidays("VN")


def add_working_days(start: dt.date, days: int) -> dt.date:
    """`days` working days after `start`: Saturdays, Sundays and public holidays skipped, a
    Saturday worked in exchange for a day off counted."""
    current = start
    left = days
    while left > 0:
        current += dt.timedelta(days=1)
        if _CALENDAR.is_working_day(current):
            left -= 1
    return current


def due_on(deadline: Deadline, today: dt.date | None = None) -> dt.date | None:
    """The day a deadline falls due: its date (a month's last day for month precision); for a
    recurring one the next due day on or after `today` (the end of the period when no day is
    written; a week's Friday)."""
    if deadline.recurrence:
        return next_occurrence(deadline, today or dt.date.today())
    if not deadline.date:
        return None
    if deadline.precision == "month" or len(deadline.date) == 7:
        year, month = (int(part) for part in deadline.date.split("-")[:2])
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    try:
        return dt.date.fromisoformat(deadline.date[:10])
    except ValueError:
        return None


def next_occurrence(deadline: Deadline, today: dt.date) -> dt.date:
    """The next due day of a recurring deadline on or after `today`."""
    for candidate in _occurrences(deadline, today):
        if candidate >= today:
            return candidate
    raise AssertionError("an occurrence always follows")  # pragma: no cover


def _occurrences(deadline: Deadline, today: dt.date) -> Iterable[dt.date]:
    kind = deadline.recurrence
    if kind == "daily":
        yield today
        return
    if kind == "weekly":
        weekday = (deadline.day or 5) - 1  # Friday unless written
        monday = today - dt.timedelta(days=today.weekday())
        for week in range(2):
            yield monday + dt.timedelta(days=7 * week + weekday)
        return
    if kind == "yearly":
        for year in (today.year, today.year + 1):
            month = deadline.month or 12
            yield _clamped(year, month, deadline.day or 31)
        return
    step = {"monthly": 1, "quarterly": 3, "half-yearly": 6}[kind or "monthly"]
    for offset in range(0, 13):
        month_index = today.year * 12 + today.month - 1 + offset
        year, month = divmod(month_index, 12)
        month += 1
        if month % step:
            continue  # a quarter's or a half-year's last month
        yield _clamped(year, month, deadline.day or 31)


def _clamped(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


# -- reading ---------------------------------------------------------------------------------


def _day(iso: str | None) -> dt.date | None:
    if not iso or len(iso) != 10:
        return None
    try:
        return dt.date.fromisoformat(iso)
    except ValueError:
        return None


def _time(hour: str | None, minute: str | None) -> str | None:
    if hour is None:
        return None
    h, m = int(hour), int(minute or 0)
    return f"{h:02d}:{m:02d}" if h < 24 and m < 60 else None


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _date_after(folded: str, at: int, letter: dt.date | None) -> tuple[str, int] | None:
    """The full date written at `at` ('ngày 30/6/2025', '30-6-2025', 'ngày 30 tháng 6 năm
    2025', or '30/6' given its year by the letter's date): (iso, end) or None."""
    rest = folded[at:at + 48]
    lead = re.match(r"(?:ngay\s*)?", rest)
    skip = lead.end() if lead else 0
    numeric = NUMERIC_DATE_RE.match(rest, skip)
    if numeric:
        iso = iso_date(int(numeric.group(4)), int(numeric.group(3)), int(numeric.group(1)))
        return (iso, at + numeric.end()) if iso else None
    words = WORDS_DATE_RE.match("ngay " + rest[skip:])
    if words:
        iso, precision = date_from_match(words)
        if iso and precision == "day":
            return iso, at + skip + words.end() - 5
        return None
    short = _SHORT_DATE.match(rest)
    if short and letter is not None and not re.match(r"\s*(?:hang|moi)\b", rest[short.end():]):
        day, month = int(short.group(1)), int(short.group(2))
        for year in (letter.year, letter.year + 1):
            iso = iso_date(year, month, day)
            if iso and dt.date.fromisoformat(iso) >= letter - dt.timedelta(days=31):
                return iso, at + short.end()
    return None


def _recurring_duty(folded: str, start: int) -> bool:
    before = folded[max(0, start - 80):start]
    clause = re.split(r"[.;:]\s", before)[-1]
    return folded.startswith("dinh ky", start) or bool(_DUTY_BEFORE.search(clause))


def _recurring(folded: str, match: re.Match[str]) -> tuple[int, int, Deadline]:
    """A recurring deadline and the span it covers: the day of the period written just
    before ('trước ngày 20 hằng tháng') or in the same clause after ('định kỳ hằng quý báo
    cáo trước ngày 20 của tháng cuối quý')."""
    period = _PERIODS[match.group("period")]
    start, end = match.start(), match.end()
    clause_start, clause_end = _clause(folded, start, end)
    before = list(_DAY_OF_PERIOD.finditer(folded, max(clause_start, start - 40), start))
    after = _DAY_OF_PERIOD.search(folded, end, min(clause_end, end + 120))
    day = before[-1] if before else after
    deadline = Deadline(recurrence=period)
    if day is None:  # 'trước 15 giờ hằng ngày'
        hour = _TIME_BEFORE.search(folded, max(clause_start, start - 30), start)
        if hour is not None:
            deadline.time = _time(hour.group("hour"), hour.group("minute"))
            start = hour.start()
    if day is not None:
        start, end = min(start, day.start()), max(end, day.end())
        if day.group("weekday") or folded.startswith("chu nhat", day.end() - 8):
            if period == "weekly":
                deadline.day = _WEEKDAYS.get(day.group("weekday") or "", 7)
        elif day.group("day"):
            deadline.day = int(day.group("day"))
            if day.group("month") and period == "yearly":
                deadline.month = int(day.group("month"))
            if deadline.day > 31 or (deadline.month or 1) > 12:
                deadline.day = deadline.month = None
        deadline.time = _time(day.group("hour"), day.group("minute"))
        again = _PERIOD_AGAIN.match(folded, end)  # '… trước ngày 20 hằng tháng' said twice
        end = again.end() if again else end
    return start, end, deadline


def _relative(match: re.Match[str], letter: dt.date | None) -> Deadline | None:
    days = int(match.group("days"))
    if not 0 < days <= 365 or _BEFORE_EVENT.match(match.string, match.end()):
        return None  # '15 ngày trước ngày bầu cử': before an event the letter does not date
    written = match.group("from") or ""
    counted = None
    if written:
        words = re.sub(r"^\s*,?\s*(?:ke tu|tinh tu|sau khi|sau|tu)\s+(?:ngay\s+|khi\s+)?", "",
                       written)
        words = re.sub(r"^(?:duoc\s+|co\s+)", "", words)
        counted = next((name for lead, name in _FROM if words.startswith(lead)), "event")
    elif match.group(0).startswith("sau"):
        return None  # 'sau 10 ngày' alone is a delay, not a deadline
    deadline = Deadline(within_days=days, working_days=bool(match.group("working")),
                        counted_from=counted or "issue")
    if letter is not None and deadline.counted_from != "event":
        due = (add_working_days(letter, days) if deadline.working_days
               else letter + dt.timedelta(days=days))
        deadline.date, deadline.precision = due.isoformat(), "day"
    return deadline


def _at_once(shadow: FoldedText) -> int | None:
    """Where the task asks for the work at once, or None."""
    text, folded = shadow.original, shadow.folded
    marked = not few_diacritics(text)
    for match in _AT_ONCE.finditer(folded):
        word = match.start("after_verb") if match.group("after_verb") else match.start("lead")
        written = shadow.slice(word, word + 4)
        if marked and written.lower() != "ngay":
            continue  # 'ngày' (a day), not 'ngay' (at once)
        return word
    urgent = _URGENT.search(folded)
    return urgent.start() if urgent else None


def _as_report(folded: str, shadow: FoldedText, start: int, deadline: Deadline) -> Deadline:
    """A deadline in a clause that reports back ('báo cáo kết quả về Sở Nội vụ trước ngày …')
    is the report's, with to whom when the clause names it."""
    clause_start, clause_end = _clause(folded, start, start)
    # a recurring duty names its report anywhere in its clause ('định kỳ hằng tháng báo cáo …')
    before = folded[clause_start:clause_end if deadline.recurrence else start]
    reports = list(_REPORT.finditer(before))
    if not reports:
        return deadline
    report_at = clause_start + reports[-1].start()
    to = _REPORT_TO.search(folded, report_at, clause_end)
    report_to = None
    if to is not None:
        end = _REPORT_TO_END.search(folded, to.end() + 3)
        stop = end.start() if end else clause_end
        report_to = " ".join(shadow.slice(to.end(), min(stop, clause_end)).split()) or None
    return replace(deadline, kind="report", report_to=report_to)


# Where a clause ends: a full stop or a semicolon, or a line that starts a point ('- …',
# 'a) …'); a line broken inside a sentence (as a scan's lines are) does not end it.
_CLAUSE_END = re.compile(r"[.;:](?:\s|$)|\n(?=\s*(?:[-+•–]|[a-zđ]\)|\d{1,2}[.)]\s|\n))")


def _clause(folded: str, start: int, end: int) -> tuple[int, int]:
    """The clause around folded [start, end)."""
    begin = 0
    for mark in _CLAUSE_END.finditer(folded, 0, start):
        begin = mark.end()
    after = _CLAUSE_END.search(folded, end)
    return begin, after.start() if after else len(folded)


def _unique(deadlines: Iterable[Deadline]) -> list[Deadline]:
    seen: list[Deadline] = []
    for deadline in deadlines:
        if deadline not in seen:
            seen.append(deadline)
    return seen
