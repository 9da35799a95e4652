"""The letter's own number on its number line ('Số: 04/UBND-NCPC'), and the numbers on a page
that are not the letter's: the arrival stamp's ('ĐẾN Số: 1234 Ngày: …') and a copy block's
('SAO Y / Số: 15/SY-UBND / …, ngày …'), kept apart as the copy's own reference.

The number line may be written 'Số 445-KL/TƯ' (party, no colon), 'Nghị quyết số: 78/2025/…' or
'Luật số: 51/2024/QH15' (legal documents), with the number on the next line ('Số:' alone, as
text extraction from two-column headers gives it) or broken after a separator
('01/2022/TTLT-VKSNDTC-' / 'TANDTC-BCA').
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from typing import Any

from ingest.extract.dates import WORDS_DATE_RE, date_from_match
from ingest.extract.layout import Line
from ingest.extract.numbers import (
    TYPE_DISPLAY,
    Reference,
    find_references,
    is_copy_number,
    parse_reference,
)
from ingest.folding import FoldedText, fold

log = logging.getLogger(__name__)

# 'Số:', 'Số', 'So.' (OCR 'S6', 'Sd'), or a legal type word before it ('Nghị quyết số:').
_LEGAL_TYPES = r"(?:bo luat|luat|phap lenh|lenh|nghi quyet(?: lien tich)?|nghi dinh|quyet dinh|" \
               r"thong tu(?: lien tich)?|chi thi)"
# After a type word the colon is required: 'Thông tư số 09/2026/TT-BTC ngày …' opening a line
# is a mention (a consolidated text's list of amending documents), not a number line.
# On scans: '+' for the colon ('Số+2/…'), or a handwritten number before a party symbol with
# no colon at all ('Số ÍÄ3-CV/…').
_JUNK_PARTY = r"\s+(?=[^\s/]{1,4}\s*-\s*[a-z]{1,4}\s*/)"
_LABEL = re.compile(
    rf"^\s*(?:{_LEGAL_TYPES}\s+s[o06d]\s*:\s*|"
    rf"[s$][o06d](?:\s*[:;.+]\s*|\s*(?=[\d/|._-])|{_JUNK_PARTY}|\s*$))")
# The same, as an anchor of the letter's header: a number (or a blank one) follows, or the line
# is 'Số:' alone (the number on the next line); 'SỞ' alone (a wrapped 'SỞ / Y TẾ') is not one.
# A handwritten number OCR read as junk before its symbol ('Số: Z⁄⁄ /TTr-…') anchors it too.
_ANCHOR = re.compile(
    rf"^\s*(?:{_LEGAL_TYPES}\s+s[o06d]\s*:|"
    rf"[s$][o06d](?:\s*[:;.+]?\s*(?=[\d/|._-])|{_JUNK_PARTY}|\s*:\s*$|"
    rf"\s*:\s*\S{{1,6}}?\s*/\s*(?=[a-z]{{2}})|\s*:\s*[^\w\s]\s*(?=[a-z]{{2,}}\d*-)))")
# A label inside a line: the colon is required ('… Hạnh phúc Số: 12/…', OCR '$ố:').
_LABEL_INSIDE = re.compile(r"(?<!\S)[s$][o06d]\s*:\s*")
_NUMBER_TOKEN = re.compile(r"\s*(\d{1,5}(?:[.-]\d{1,4})?\s*/\s*[^\s,;]+(?:\s*[-/]\s*[^\s,;]+)*)")
_GLUED_TYPE = re.compile(r"\s*(\d{1,5})([A-ZĐ][A-Za-zĐ]{1,3})(-\S+)")
_UNREADABLE_NUMBER = re.compile(r"\s*(?:[^\s/]{1,4}\s*)?(/\s*[A-ZĐ]\S*(?:\s*-\s*\S+)*)")
_BLANK_NUMBER = re.compile(r"\s*[._]*\s*([/|-])\s*(\S+)")
# The arrival stamp of the receiving office: 'ĐẾN', 'CÔNG VĂN ĐẾN', 'ĐẾN Số: 1234'.
_ARRIVAL = re.compile(r"^\s*(?:cong van\s+|cv\s+)?den\b\s*(?::|s[o06]\b|$)")
_STAMP_NUMBERED = re.compile(r"\bs[o06d]\s*[:;.]?\s*\d")
# Copy blocks (Decree 30, Art. 25 and Appendix I): 'SAO Y', 'SAO Y BẢN CHÍNH', 'SAO LỤC',
# 'TRÍCH SAO'; their numbers carry the copy's type in the symbol (SY, SL, TrS: is_copy_number).
_COPY = re.compile(r"^\s*(sao y|sao luc|trich sao)(?:\s+ban\s+chinh)?\s*[.:]?\s*$")
_COPY_KINDS = {"sao y": "Sao y", "sao luc": "Sao lục", "trich sao": "Trích sao"}
_COPY_WINDOW = 6  # lines around the copy heading that hold its number and date
_NEXT_LINES = 2  # a number written on the line(s) after 'Số:'
_NUMBER_STUB = 6  # characters of a number's start left alone on the 'Số:' line
# A number OCR split by a space before its last digits ('257 1/VNPT-…'): one number.
_SPLIT_NUMBER = re.compile(r"^(\s*\d{1,4}) (\d{1,3}\s*/)")


@dataclass(frozen=True)
class NumberLine:
    reference: Reference
    line: Line  # the line the number is on
    label: Line  # the 'Số:' line (the same line unless the number is on the next one)
    unreadable: bool = False  # a number was written ('2X /TTr-…') but cannot be read: None


def is_number_line(line: Line) -> bool:
    """'Số: 04/UBND-VP', 'Số 445-KL/TƯ', 'Nghị quyết số: 78/…', 'Số:    /UBND', or 'Số:' alone."""
    return _ANCHOR.match(line.folded) is not None


def find_number_line(lines: list[Line], stop: int, start: int = 0) -> NumberLine | None:
    """The letter's own number in lines[start:stop]; None when no number line can be read.

    Skipped: the arrival stamp's number and a copy's number (SY/SL/TrS). A label inside a line
    ('Độc lập - Tự do - Hạnh phúc Số: 12/…', two OCR'd columns run together) counts when no
    line opens with one."""
    for label_re in (_LABEL, _LABEL_INSIDE):
        for position in range(start, min(stop, len(lines))):
            line = lines[position]
            label = label_re.search(line.folded)
            if not label or _after_arrival_stamp(lines, position):
                continue
            cut = FoldedText(line.text).to_original(label.end())
            found = _reference_after(lines, position, cut)
            if found is None or is_copy_number(found[0]):
                continue
            unreadable = found[0].number is None and _blank_reference(line.text[cut:]) is None
            return NumberLine(found[0], found[1], line, unreadable)
    return None


def _reference_after(lines: list[Line], position: int, cut: int) -> tuple[Reference, Line] | None:
    line = lines[position]
    rest = line.text[cut:]
    if not rest.strip():  # 'Số:' alone: the number opens one of the next lines
        for following in lines[position + 1: position + 1 + _NEXT_LINES]:
            if following.text.strip():
                found = next(iter(find_references(following.text)), None)
                if found and not following.text[: found[1]].strip():
                    return found[0], following
                break
        return None
    if re.search(r"[-/.]\s*$", rest) and position + 1 < len(lines):
        rest = f"{rest}\n{lines[position + 1].text}"  # a symbol broken after a separator
    rest = _SPLIT_NUMBER.sub(r"\1\2", rest)
    found = next(iter(find_references(rest)), None)
    if found and re.search(r"[^\s\d]$", rest[: found[1]]) and found[0].number:
        return replace(found[0], number=None), line  # 'c98⁄4 /TTr-SNV': junk glued to it
    reference = found[0] if found else _blank_reference(rest) or _ocr_number(rest)
    if reference is None and len(rest.strip()) <= _NUMBER_STUB and position + 1 < len(lines):
        # 'Số: 9' / 'É/GM-UBND Lâm Đông, ngày …': OCR broke the handwritten number's line
        reference = _junk_number(f"{rest}\n{lines[position + 1].text}")
    return (reference, line) if reference is not None else None


def _ocr_number(rest: str) -> Reference | None:
    """Number lines as OCR gives them, read only after a 'Số:' label: a police unit code
    ('2587 /C04-P6'), a dropped '/' ('01NQ-HĐQLQ'), a handwritten number read as garbage
    ('2X /TTr-CAT-PC06', 'Z⁄⁄ /TTr-…': number None, the symbol kept)."""
    token = _NUMBER_TOKEN.match(rest)
    reference = parse_reference(token.group(1)) if token else None
    if reference is not None and re.fullmatch(r"[A-ZĐ]{2}.*|[A-ZĐ]\d+", reference.groups[0]):
        return reference
    glued = _GLUED_TYPE.match(rest)
    if glued and fold(glued.group(2)) in TYPE_DISPLAY:
        return parse_reference(f"{glued.group(1)}/{glued.group(2)}{glued.group(3)}")
    unreadable = _UNREADABLE_NUMBER.match(rest)
    if unreadable:
        found = next(iter(find_references("0" + unreadable.group(1))), None)
        if found and found[1] == 0:
            return replace(found[0], number=None)
    return _junk_number(rest)


# Where a symbol may start after a handwritten number OCR'd as junk: after '/' or a party's
# '-' ('9 ếØ/GM-UBND', '+2/2/SNNMT-TCCB', 'ÍÄ3-CV/B&PTTH'), or right after a stray mark when
# the '/' was lost too ('%CAT-PA05').
_SYMBOL_START = re.compile(r"(?P<sep>[/-])\s*(?=[A-ZĐ]{2})|(?<=[^\w\s/])(?=[A-ZĐ]{2,}\d*-)")
_JUNK_REACH = 12  # characters of junk a handwritten number leaves before its symbol


def _junk_number(rest: str) -> Reference | None:
    """The symbol after a number that is not digits ('Só/42đ# /UBND-NC': the colon read as '/'
    too): number None, the symbol kept; a number (or a blank) is read elsewhere."""
    text = rest.lstrip()
    for start in _SYMBOL_START.finditer(text[: _JUNK_REACH + 3]):
        junk = text[: start.start()].strip(" /")
        if not junk or re.fullmatch(r"[\d.\s]+", junk) or len(junk) > _JUNK_REACH:
            continue
        symbol = text[start.end():].split(maxsplit=1)[0]
        if start.group("sep") == "-":  # the party shape: 'ÍÄ3-CV/B&PTTH'
            found = parse_reference(f"1-{symbol}")
            return replace(found, number=None) if found and found.party else None
        read = next(iter(find_references(f"0/{symbol}")), None)
        return replace(read[0], number=None) if read and read[1] == 0 else None
    return None


def _blank_reference(rest: str) -> Reference | None:
    """The symbol after a blank number ('   /UBND-TH', '……/UBND-TH', '-CV/ĐU'), number None."""
    match = _BLANK_NUMBER.match(rest.replace("…", "..."))
    if not match:
        return None
    separator, symbol = match.groups()
    if separator == "-":  # the party shape: the number goes before '-CV/ĐU'
        found = parse_reference("1-" + symbol)
        return replace(found, number=None) if found and found.party else None
    spaced = next(iter(find_references("0" + rest[match.start(1):].replace("|", "/"))), None)
    if spaced and spaced[1] == 0:  # '/TTr- CAT-PC04': OCR spaces inside the symbol
        return replace(spaced[0], number=None)
    return parse_reference("/" + symbol)


def _after_arrival_stamp(lines: list[Line], position: int) -> bool:
    """The 'Số' line is the arrival stamp's: on the stamp's 'ĐẾN' line or the one under it,
    unless the 'ĐẾN' line holds the stamp's number already ('ĐẾN Số: 4412 Ngày: …')."""
    if _ARRIVAL.match(lines[position].folded):
        return True
    above = next((ln for ln in reversed(lines[:position]) if ln.text.strip()), None)
    return (above is not None and _ARRIVAL.match(above.folded) is not None
            and not _STAMP_NUMBERED.search(above.folded))


def find_copy(lines: list[Line], own_key: str | None = None) -> dict[str, Any] | None:
    """The copy block of a 'SAO Y / SAO LỤC / TRÍCH SAO' page: {kind, reference, date}.

    The copy's number and date are the copying office's, kept apart from the document's: its
    number is the copy-typed one (…/SY-…) near the heading, else the nearest other number."""
    for position, line in enumerate(lines):
        heading = _COPY.match(line.folded)
        if not heading:
            continue
        first = max(0, position - _COPY_WINDOW)
        window = lines[first: position + _COPY_WINDOW + 1]
        return {"kind": _COPY_KINDS[heading.group(1)],
                "reference": _copy_reference(window, position - first, own_key),
                "date": _copy_date(window, position - first)}
    return None


def _copy_reference(window: list[Line], heading: int, own_key: str | None) -> str | None:
    found = []
    for position, line in enumerate(window):
        label = _LABEL.match(line.folded)
        if not label:
            continue
        after = _reference_after(window, position, FoldedText(line.text).to_original(label.end()))
        if after and after[0].number and after[0].key != own_key:
            found.append((not is_copy_number(after[0]), abs(position - heading), after[0]))
    return min(found, key=lambda item: item[:2])[2].display if found else None


def _copy_date(window: list[Line], heading: int) -> str | None:
    for position in sorted(range(len(window)), key=lambda position: abs(position - heading)):
        match = WORDS_DATE_RE.search(window[position].folded)
        if match:
            return date_from_match(match)[0]
    return None
