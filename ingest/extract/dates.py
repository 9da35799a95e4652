"""Dates as letters write them, validated: 'ngày 06 tháng 01 năm 2025', '17/6/2021', '01-10-1997'.

Patterns run on folded text (see ingest.folding), so OCR without diacritics works too
('ngay 06 thang 01 ndm 2025'). A blank day gives month precision, a blank month year precision.

>>> parse_date_words("Đồng Tháp, ngày 06 tháng 01 năm 2025")
('2025-01-06', 'day')
>>> parse_date_words("Quảng Ninh, ngày    tháng 4 năm 2024")
('2024-04', 'month')
>>> parse_numeric_date("19/92/2025") is None
True
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from ingest.folding import FoldedText, fold

log = logging.getLogger(__name__)

# On folded text: 'ngay 06 thang 01 nam 2025', OCR 'ndm', blanks for day or month. A footnote
# mark glued to a year ('năm 20264': 2026, note 4) is left out of it.
WORDS_DATE_RE = re.compile(
    r"ng\w{0,2}y\s*(?P<day>\d{1,2})?\s*[,.]?\s*th\w{0,3}ng\s*(?P<month>\d{1,2})?\s*[,.]?\s*"
    r"n\w{0,2}m\s*(?P<year>\d{4})(?:(?<=19\d\d|20\d\d)\d{1,2})?\b"
)
# The letter's own date line as OCR reads a scan: a handwritten day (or month) comes out as junk
# ('ngày ( tháng', 'ngày‹k# tháng', 'ngày 4 Gtháng') or glued to the words ('ngày24tháng'). What
# stands between the words is read by header_date (never guessed); no run of three letters, so
# words ('ngày ký tháng …') are never taken for a day.
HEADER_DATE_RE = re.compile(
    r"(?<![a-z])ng\w{0,2}y(?P<day>[^\n]{0,8}?)th\w{0,3}ng(?P<month>[^\n]{0,6}?)n\w{0,2}m\s*"
    r"(?P<year>\d{4})(?:(?<=19\d\d|20\d\d)\d{1,2})?\b"
)
# OCR reads digits as letters in a date's digit context: 'tháng I0', 'tháng l2', 'ngày 2O'
# (on folded text: I, Ì, l, | → 1; O, o → 0).
_DIGIT_LOOKALIKES = str.maketrans({"i": "1", "l": "1", "|": "1", "o": "0"})
NUMERIC_DATE_RE = re.compile(r"(?<![\d/.-])(\d{1,2})\s?([/.-])\s?(\d{1,2})\s?\2\s?(\d{4})(?![\d/])")


def iso_date(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """ISO string at the precision given, or None if the date does not exist."""
    if not 1900 <= year <= 2100:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def precision_of(iso: str | None) -> str | None:
    return {10: "day", 7: "month", 4: "year"}.get(len(iso)) if iso else None


def date_from_match(match: re.Match[str]) -> tuple[str | None, str | None]:
    """(iso, precision) from a WORDS_DATE_RE match; a blank month with a day is invalid."""
    day, month = match.group("day"), match.group("month")
    if day and not month:
        return None, None
    iso = iso_date(int(match.group("year")), int(month) if month else None,
                   int(day) if day else None)
    return iso, precision_of(iso)


def parse_date_words(text: str) -> tuple[str | None, str | None]:
    """The first 'ngày … tháng … năm …' date in `text`: (iso, precision) or (None, None)."""
    match = WORDS_DATE_RE.search(fold(text))
    return date_from_match(match) if match else (None, None)


def parse_numeric_date(text: str) -> str | None:
    """'17/6/2021', '01-10-1997', '08.4.2024' → ISO; None when invalid or absent."""
    match = NUMERIC_DATE_RE.search(text)
    if not match:
        return None
    return iso_date(int(match.group(4)), int(match.group(3)), int(match.group(1)))


def find_dates(text: str) -> list[tuple[str, int, int]]:
    """Every valid full date in `text` (either form) with its span in `text`, in order."""
    shadow = FoldedText(text)
    found = []
    for match in WORDS_DATE_RE.finditer(shadow.folded):
        iso, precision = date_from_match(match)
        if iso and precision == "day":
            found.append((iso, *shadow.span(match.start(), match.end())))
    for match in NUMERIC_DATE_RE.finditer(shadow.folded):
        iso = iso_date(int(match.group(4)), int(match.group(3)), int(match.group(1)))
        if iso:
            found.append((iso, *shadow.span(match.start(), match.end())))
    return sorted(found, key=lambda item: item[1])


@dataclass(frozen=True)
class HeaderDate:
    """A header's date as read: `iso` at `precision`; `unread` names the part OCR left
    unreadable ('day', or 'month' when the month could not be read, nor the day then); `iso`
    None without `unread`: digits that make no date ('ngày 19 tháng 92')."""

    iso: str | None
    precision: str | None
    unread: str | None = None


def _date_part(written: str, low: int, high: int) -> int | str | None:
    """A day's or month's digits: the number, None when blank, 'invalid' for digits out of
    range, 'unread' when not digits ('(', '9£', 'A0')."""
    text = written.strip(" ,.")
    if not text:
        return None
    if not re.fullmatch(r"[\dilo|]{1,2}", text):
        return "unread"
    value = int(text.translate(_DIGIT_LOOKALIKES))
    return value if low <= value <= high else "invalid"


def header_date(match: re.Match[str]) -> HeaderDate | None:
    """The date of a HEADER_DATE_RE match (None: words, not a date line). A part that cannot be
    read lowers the precision (month, or year) and is named in `unread`, so the caller can
    warn: never a guessed day."""
    if re.search(r"[a-z]{3}", match.group("day") + " " + match.group("month")):
        return None
    year = int(match.group("year"))
    day = _date_part(match.group("day"), 1, 31)
    month = _date_part(match.group("month"), 1, 12)
    if month == "invalid":
        return HeaderDate(None, None)
    if month == "unread" or (month is None and day is not None):
        iso = iso_date(year)
        return HeaderDate(iso, precision_of(iso), "month" if iso else None)
    # a handwritten day read as digits that make no day ('ngày 40 tháng 9'): not read either
    if day in ("unread", "invalid") or iso_date(year, month, day) is None:
        iso = iso_date(year, month)
        return HeaderDate(iso, precision_of(iso), "day" if iso else None)
    iso = iso_date(year, month, day)
    return HeaderDate(iso, precision_of(iso))
