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

from .folding import FoldedText, fold

log = logging.getLogger(__name__)

# On folded text: 'ngay 06 thang 01 nam 2025', OCR 'ndm', blanks for day or month. A footnote
# mark glued to a year ('năm 20264': 2026, note 4) is left out of it.
WORDS_DATE_RE = re.compile(
    r"ng\w{0,2}y\s*(?P<day>\d{1,2})?\s*[,.]?\s*th\w{0,3}ng\s*(?P<month>\d{1,2})?\s*[,.]?\s*"
    r"n\w{0,2}m\s*(?P<year>\d{4})(?:(?<=19\d\d|20\d\d)\d{1,2})?\b"
)
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
