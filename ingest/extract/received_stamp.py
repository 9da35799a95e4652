"""The receiving office's arrival stamp on a scanned letter (Decree 30/2020, Appendix IV):

    ĐẾN  Số: 4412
         Ngày: 12/3/2025
         Chuyển: Phòng Tổng hợp

Its number is the arrival number (số đến) of the office that received the letter, not the
letter's own number (number_line skips it); its date the arrival date, 'Chuyển' the unit or
person the letter was passed to. Read as a proposal that a clerk confirms when registering the
letter. Stamps are often stamped askew and half read by OCR: a field that cannot be read is
None, and a stamp with neither a number nor a date is no proposal at all.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ingest.extract.layout import Line
from ingest.folding import FoldedText

# The stamp's heading on the folded text: 'ĐẾN' alone, 'ĐẾN:' (OCR 'ĐẾN;'), 'ĐẾN Số: 12', also
# 'CÔNG VĂN ĐẾN'; at a line's start, or inside one in capitals (cleaning or OCR glued the stamp to
# the motto beside it); 'ĐẾN Ngày: 12/3' in capitals only ('đến ngày 30/3' is prose). Prose
# 'đến Sở …' has no colon and is not one.
_HEADING = re.compile(
    r"(?:^|(?<=\s))(?:cong van\s+|cv\s+)?den\b\s*(?:$|[:;]|(?=[s$][o06d]\s*[:;.]\s*\d)|"
    r"(?=(?P<dated>\S{0,2}\s*ngay\s*[:;.]?\s*\d)))")
# The arrival number is digits alone: a number with a symbol ('215/SNV-VP') is a letter's.
_NUMBER = re.compile(r"(?<![a-z])[s$][o06d]\s*[:;.]?\s*(\d{1,6})(?![\d/])(?!\s*/)")
# 'Ngày:' opening the line, or after the number (the stamp's fields run on one line): never a
# letter's own date line ('Lai Châu, ngày 05 tháng 3 năm 2025').
_DATE = re.compile(
    r"(?:^\s*|\d\s+|[s$][o06d]\s*[:;.]?[\s._]*)ngay\s*[:;.]?\s*"
    r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})\b")
_UNIT = re.compile(r"\bchuyen\s*[:;.]\s*")
# Where the unit ends: the stamp's other fields, or the motto OCR read on the same line.
_UNIT_END = re.compile(
    r"\s+(?:luu ho so|so va ky hieu|ky hieu hs|cong hoa xa hoi|doc lap\s*-)\b.*$")
_BLANK = " .…_-:;"

SEARCH_LINES = 60  # the stamp sits on the first page's top
NUMBER_LINES = 2  # the number: on the heading's line or the next line with text
STAMP_LINES = 4  # the lines with text the stamp's fields may be on, heading included


def find_arrival_stamp(lines: list[Line]) -> dict[str, Any] | None:
    """{number, date (ISO), unit} of the first arrival stamp near the top with a readable
    number or date; None when there is none."""
    for position, line in enumerate(lines[:SEARCH_LINES]):
        start = _heading_end(line)
        if start is None:
            continue
        following = [ln.text for ln in lines[position + 1: position + 1 + 2 * STAMP_LINES]
                     if ln.text.strip()]
        stamp = _read_stamp([line.text[start:], *following[: STAMP_LINES - 1]])
        if stamp is not None:
            return stamp
    return None


def _heading_end(line: Line) -> int | None:
    """Where the stamp's text starts after its heading on this line, or None."""
    folded = line.shadow
    for found in _HEADING.finditer(folded.folded):
        begin, end = folded.span(found.start(), found.end())
        word = line.text[begin:end]
        at_start = found.start() == len(folded.folded) - len(folded.folded.lstrip())
        if (at_start and not found["dated"]) or word.split()[0].isupper():
            return end
    return None


def _read_stamp(texts: list[str]) -> dict[str, Any] | None:
    """The stamp's fields from its lines, the first being what follows the heading."""
    folded = [FoldedText(text).folded for text in texts]
    number = next((found[1] for text in folded[:NUMBER_LINES]
                   if (found := _NUMBER.search(text))), None)
    arrived = next((value for text in folded
                    if (value := _date(_DATE.search(text))) is not None), None)
    if number is None and arrived is None:
        return None
    unit = next((value for text in texts if (value := _unit(text)) is not None), None)
    return {"number": str(int(number)) if number else None, "date": arrived, "unit": unit}


def _date(found: re.Match[str] | None) -> str | None:
    """A real date (no 31/2), the year in full; None otherwise."""
    if found is None:
        return None
    day, month, year = (int(part) for part in found.groups())
    if year < 100:
        year += 2000
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _unit(text: str) -> str | None:
    """What follows 'Chuyển:' on the line, in its own spelling; None when left blank."""
    folded = FoldedText(text)
    found = _UNIT.search(folded.folded)
    if found is None:
        return None
    end = len(folded.folded)
    if cut := _UNIT_END.search(folded.folded, found.end()):
        end = cut.start()
    unit = folded.slice(found.end(), end).strip(_BLANK).strip()
    return unit or None
