"""The first page's header (Decree 30 layout): issuer, number and symbol, place and date,
type title, subject (V/v), urgency and secrecy. Works on cleaned lines (see layout.py)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from ingest.extract import gazetteer
from ingest.extract.dates import HEADER_DATE_RE, WORDS_DATE_RE, date_from_match, header_date
from ingest.extract.issuers import canonical_body, combine_levels, title_words
from ingest.extract.layout import (
    RECORD_LABEL_RE,
    Line,
    continues_heading,
    is_caps_line,
    is_header_name,
)
from ingest.extract.number_line import find_number_line, is_number_line
from ingest.extract.numbers import Reference
from ingest.folding import FoldedText, few_diacritics, fold

log = logging.getLogger(__name__)

# A number line OCR has damaged past reading ('Số: 2X /TTr…') still ends the issuer column.
_NUMBER_HEAD = re.compile(r"^\s*s[o06d]\s*[:;]")
_MOTTO = [
    re.compile(r"c\w?ng\s+h\w{1,2}a\s+x\w{1,2}\s+h\w{1,2}i"),
    re.compile(r"t\w{1,2}\s+d\w\s*[-–—_]+\s*h\w{2,3}h?\s+ph"),
    re.compile(r"^[dp]\w{1,2}ng\s+c\w{1,2}ng\s+s\w{1,2}n\s+vi\w{1,2}t\s+nam"),
    re.compile(r"^[\W_]*ngh\w{1,2}a\s+vi\w{1,2}t\s+n"),  # 'CỘNG HÒA XÃ HỘI CHỦ' / 'NGHĨA VIỆT N…'
]
# Where the motto starts on a line OCR ran the issuer column into ('LIÊN ĐOÀN KARATE Độc lập -
# Tự do - Hạnh phúc'): the words before it are the issuer's.
_MOTTO_START = re.compile(r"c\w?ng\s+h\w{1,2}a\s+x\w{1,2}\s+h\w{1,2}i|\bd\w{1,2}c\s+l\w{1,2}p\b")
# 'V/v', 'Về việc', and as OCR damages them on scans: 'V/ tham gia …', 'V/% tổng kết …', "VA' cử
# …", 'Và việc …'; in brackets under a heading ('(V/v Phê duyệt …)').
_SUBJECT_RE = re.compile(
    r"^\s*\(?\s*(?:v\s*[/&|]\s*v(?:iec)?\b|v\s*(?:[/&|][^\w\s]?|a['’`])(?=\s)|v[ea]\s+viec\b)"
    r"\s*[:.]?\s*")
_URGENCY = {"hoa toc": "Hỏa tốc", "thuong khan": "Thượng khẩn", "khan": "Khẩn"}
_SECRECY = {"tuyet mat": "Tuyệt mật", "toi mat": "Tối mật", "mat": "Mật"}
_NO_DATE = "Không tìm thấy ngày ban hành."
_HEADER_END = re.compile(
    r"^\s*(?:kinh gui|can cu|thuc hien|theo de nghi|\d{1,2}\.\s|dieu \d{1,3}\.\s)")


@dataclass
class Header:
    fields: dict[str, Any] = field(default_factory=dict)
    spans: dict[str, list[int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    end: int = 0  # index of the first line after the header zone
    reference: Reference | None = None  # the number line as parsed (its symbol names the type)

    def put(self, name: str, value: Any, line: Line | None = None,
            span: tuple[int, int] | None = None) -> None:
        self.fields[name] = value
        if span is not None:
            self.spans[name] = list(span)
        elif line is not None:
            self.spans[name] = [line.start, line.end]


_ANCHOR_SEARCH = 150  # lines a web page's menus and breadcrumbs may take before the letter
_HEADER_LINES = 40


def letter_start(lines: list[Line]) -> int:
    """Index of the first line of the letter's header: the issuer block above the first motto
    or 'Số:' line. Text before it (a web page's menus, breadcrumbs, posting dates) is not the
    letter's; a text without either anchor starts at 0."""
    anchor = next((line.index for line in lines[:_ANCHOR_SEARCH]
                   if is_motto(line) or is_number_line(line)), None)
    if anchor is None:
        return 0
    start = anchor
    for line in reversed(lines[:anchor]):
        text = line.text.strip(" *-_–")
        if text and not (is_header_name(text, typed=True) or is_caps_line(text) or is_motto(line)
                         or _stamp_marks(text)):
            break
        start = line.index
    return start


def _stamp_marks(text: str) -> bool:
    """A stamp's or a handwritten number's marks OCR'd between the issuer and the motto ('—»..',
    '._ :§0z40/H1CCV'): no word, and signs no date or number is written with."""
    return _no_word(text) and re.search(r"[^\w\s/.,:;()–-]", text) is not None


def header_end(lines: list[Line], start: int = 0) -> int:
    """Index of the first body line: 'Kính gửi', 'Căn cứ', a numbered item or long prose."""
    for line in lines[start: start + _HEADER_LINES]:
        folded = line.folded
        if _HEADER_END.match(folded) or (len(line.text) > 160 and not _SUBJECT_RE.match(folded)):
            return line.index
    return min(len(lines), start + _HEADER_LINES)


def is_motto(line: Line) -> bool:
    return any(p.search(line.folded) for p in _MOTTO)


def _reference(header: Header, lines: list[Line], start: int = 0) -> int | None:
    """Find 'Số: …' (see ingest.extract.number_line); returns the index of its line."""
    found = find_number_line(lines, header.end, start)
    if found is None:
        header.warnings.append("Không tìm thấy số, ký hiệu văn bản.")
        return None
    _store_reference(header, found.reference, found.line, unreadable=found.unreadable)
    return found.label.index


def _store_reference(header: Header, reference: Reference, line: Line, *,
                     unreadable: bool = False) -> None:
    header.put("number", reference.number, line)
    header.put("symbol", reference.symbol, line)
    header.put("key", reference.key)
    header.put("reference", reference.display if reference.number else None, line)
    header.reference = reference
    if reference.number is None:
        header.warnings.append("Không đọc được số văn bản (chỉ đọc được ký hiệu)." if unreadable
                               else "Số văn bản để trống (chưa ghi số).")


_BARE_DATE_WORDS_BEFORE = 5  # a place name written without its comma
# A law's or a National Assembly resolution's date is the day it was passed, in its closing
# sentence: 'Luật này được Quốc hội … khóa XV, kỳ họp thứ 8 thông qua ngày 27 tháng 11 năm 2024.'
def _place_like(before: str) -> bool:
    """Text before a date that may be its place ('Dong Thap ' read without the comma): a few
    words without digits, not a document's number ('Thông tư số 21/2024/TT-BTC ngày …')."""
    return len(before.split()) <= _BARE_DATE_WORDS_BEFORE and not re.search(r"\d", before)


_PASSED = re.compile(r"\bnay duoc\b.{0,300}?\bthong qua\s+(?=ngay\b)")
_PASSED_SEARCH = 80


def _date_passed(header: Header, lines: list[Line]) -> bool:
    for line in reversed(lines[-_PASSED_SEARCH:]):
        shadow = FoldedText(line.text)
        passed = _PASSED.search(shadow.folded)
        match = WORDS_DATE_RE.match(shadow.folded, passed.end()) if passed else None
        if not match:
            continue
        iso, precision = date_from_match(match)
        if iso is None:
            continue
        header.put("date", iso, span=tuple(
            x + line.start for x in shadow.span(match.start(), match.end())))
        header.put("date_precision", precision)
        header.warnings.remove(_NO_DATE)
        return True
    return False


def _date_line(lines: list[Line]) -> tuple[Line, FoldedText, re.Match[str]] | None:
    """The 'Place, ngày … tháng … năm …' line; a bare date line if none (never the subject).
    Read leniently (HEADER_DATE_RE): a handwritten day OCR'd as junk still marks the line."""
    found = []
    for line in lines:
        if _HEADER_END.match(line.folded):
            continue  # a 'Căn cứ' or body line: its date is another document's
        shadow = FoldedText(line.text)
        match = next((m for m in HEADER_DATE_RE.finditer(shadow.folded) if header_date(m)),
                     None)
        if match and not _SUBJECT_RE.match(shadow.folded):
            found.append((line, shadow, match))
    # 'Lâm Đồng, ngày …' ('.' for ',' on scans)
    placed = [item for item in found if re.search(r"[,.]\s*$", item[1].folded[: item[2].start()])]
    # a date without a place stands alone on its line, not at the end of a title or a sentence
    bare = [item for item in found if _place_like(item[1].folded[: item[2].start()])]
    return (placed or bare or [None])[0]


_UNREAD_DATE = {
    "day": "Không đọc được ngày ban hành (chỉ đọc được tháng, năm).",
    "month": "Không đọc được ngày, tháng ban hành (chỉ đọc được năm).",
}


def _date_and_place(header: Header, lines: list[Line], start: int = 0) -> int | None:
    found = _date_line(lines[start: header.end + 2])
    if found:
        _store_date(header, *found)
        return found[0].index
    header.put("date", None)
    header.put("date_precision", None)
    header.warnings.append(_NO_DATE)
    return None



def _store_date(header: Header, line: Line, shadow: FoldedText, match: re.Match[str]) -> None:
    date = header_date(match)
    assert date is not None  # only date lines come here
    header.put("date", date.iso, span=tuple(
        x + line.start for x in shadow.span(match.start(), match.end())))
    header.put("date_precision", date.precision)
    if date.unread:
        header.warnings.append(_UNREAD_DATE[date.unread])
    elif date.iso is None:
        header.warnings.append("Ngày ban hành không hợp lệ.")
    elif date.precision != "day":
        header.warnings.append("Ngày ban hành để trống.")
    _place(header, line, shadow.to_original(match.start()))


_FOOT_DATE_ABOVE, _FOOT_DATE_BELOW = 8, 5  # lines around the signing block's first line


def date_at_foot(header: Header, lines: list[Line], foot_start: int | None) -> None:
    """Papers that carry no number (an Đơn, a Giấy xác nhận) put their 'Place, ngày … tháng …
    năm …' line above the signature, not in the header: when the header has neither a number
    nor a date line, that line (alone on its line, by the signing block; the first one after
    the header when no signing block was found) is the paper's date line. Never a date from
    the body or the 'Căn cứ' preamble: those are not lines of their own."""
    if _NO_DATE not in header.warnings or header.fields.get("symbol"):
        return
    low, high = header.end, len(lines)
    if foot_start is not None:
        low, high = max(low, foot_start - _FOOT_DATE_ABOVE), foot_start + _FOOT_DATE_BELOW
    for line in lines[low:high]:
        shadow = FoldedText(line.text)
        match = HEADER_DATE_RE.search(shadow.folded)
        if not match or header_date(match) is None or shadow.folded[match.end():].strip(" .;:"):
            continue
        before = shadow.folded[: match.start()]
        if re.search(r"\S\s*,\s*$", before) and _place_like(before.rstrip(" ,")):
            header.warnings.remove(_NO_DATE)
            _store_date(header, line, shadow, match)
            return


# A locality's kind before its name ('P. Bình Thuận', 'Quận 3'): part of the place as written.
_LOCALITY_KIND = re.compile(
    r"^(?:p|tp|q|x|h|tx|tt|phuong|xa|quan|huyen|thi|tran|thanh|pho|tinh|khu)\.?$")


def _place_words(text: str) -> list[re.Match[str]]:
    """The words of the place before a date: on a scan the number and date columns come out
    on one line ('Số: 2X /TTr-CAT-PC06 Lâm Đông, ngày …', 'CV/HNDT Lâm Đông, ngày …'), so the
    place is only the words after the number's last token ('/', ':', digits with letters)."""
    words = list(re.finditer(r"\S+", text))
    keep = len(words)
    while keep:
        word = words[keep - 1].group()
        before = fold(words[keep - 2].group()) if keep > 1 else ""
        if re.search(r"[/:]", word) or (re.search(r"\d", word) and (
                re.search(r"\D", word) or not _LOCALITY_KIND.match(before))):
            break
        keep -= 1
    return words[keep:]


def _place(header: Header, line: Line, date_start: int) -> None:
    words = _place_words(line.text[:date_start].rstrip().rstrip(",.").rstrip())
    # 'BTh Lâm Đồng': a province's name after a stray word of the number line is the place
    # (places are a closed list), unless the word names the locality's kind ('P. Bình Thuận')
    for first in range(1, len(words)):
        tail = " ".join(word.group() for word in words[first:])
        if (gazetteer.province_unmarked(tail)
                and not gazetteer.province_unmarked(" ".join(w.group() for w in words))
                and not _LOCALITY_KIND.match(fold(words[first - 1].group()))):
            words = words[first:]
            break
    if not words or len(words) > 6:
        return
    raw = line.text[words[0].start(): words[-1].end()]
    place = gazetteer.province(raw, fuzzy=few_diacritics(raw)) or gazetteer.province_unmarked(raw)
    if place == "Hồ Chí Minh" and re.match(r"(?i)(?:tp\b|thành phố)", raw):
        place = "Thành phố Hồ Chí Minh"
    if place is None:
        place = title_words(raw) if raw.isupper() else raw
    header.put("place", place, span=(line.start + words[0].start(), line.start + words[-1].end()))


# A form's code printed in the corner ('Mẫu số M01/TB-XN', 'M01/…', 'Biểu số 02'): not a body.
_FORM_CODE = re.compile(
    r"^(?:(?:mau|bieu)(?:\s+so)?\s*:?\s*)?[a-z]{0,3}\d{1,3}[a-z]?\s*(?:[/-]\S*)?$")


_AUTHORITY_LINE = re.compile(r"^\s*(?:tm|kt|tl|tuq|q|t/m|k/t|t/l)\s*\.?\s")


def _no_word(text: str) -> bool:
    """A stamp's or a signature's marks OCR'd as a line ('M3I ¬'): no word of two letters."""
    return not any(re.fullmatch(r"[^\W\d_]{2,}[.,]?", token) for token in text.split())


def _issuer_lines(lines: list[Line], start: int, stop: int) -> list[Line]:
    """The caps lines of the left header column just above `stop` (the number, date or body
    line), over blanks, rules, the motto, urgency marks and marks that make no word; a form
    code is not one."""
    picked: list[Line] = []
    for line in reversed(lines[start:stop]):
        line = _before_motto(line)
        text = line.text.strip(" *-_–")
        if not text or is_motto(line) or _urgency_or_secrecy(line.folded) or _no_word(text):
            continue
        if _FORM_CODE.match(FoldedText(text).folded) or _CONSOLIDATED.match(line.folded):
            continue
        if (not (is_caps_line(text) or is_header_name(text, typed=True))
                or _AUTHORITY_LINE.match(line.folded) or _type_title(line)[0]):
            break
        picked.insert(0, line)
    return _without_repeat(picked)


def _before_motto(line: Line) -> Line:
    """The issuer's words of a line the motto was read into (the same line, cut before the
    motto), else the line itself."""
    if not is_motto(line):
        return line
    found = _MOTTO_START.search(line.folded)
    if not found or found.start() == 0:
        return line
    cut = FoldedText(line.text).to_original(found.start())
    head = line.text[:cut].rstrip()
    if not (is_caps_line(head.strip(" *-_–")) or is_header_name(head, typed=True)):
        return line
    return Line(line.index, line.start, line.start + len(head), head)


def _without_repeat(picked: list[Line]) -> list[Line]:
    """The gazette prints the issuer once more above the header ('CHÍNH PHỦ' / 'CHÍNH PHỦ',
    'BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI' / 'BỘ LAO ĐỘNG -' / 'THƯƠNG BINH VÀ XÃ HỘI'):
    when the block's words are the same run twice, keep the lines of the second."""
    words = [FoldedText(line.text.strip(" *-_–")).folded.replace("-", " ").split()
             for line in picked]
    for cut in range(1, len(picked)):
        head = [w for ws in words[:cut] for w in ws]
        tail = [w for ws in words[cut:] for w in ws]
        if head == tail:
            return picked[cut:]
    return picked


def _issuer_lines_from_top(lines: list[Line], start: int, stop: int) -> list[Line]:
    """When no number line marks the column's foot: the caps lines from the top down."""
    picked: list[Line] = []
    for line in lines[start:stop]:
        line = _before_motto(line)
        text = line.text.strip(" *-_–")
        if not text or is_motto(line) or _urgency_or_secrecy(line.folded) or _no_word(text):
            continue
        if _FORM_CODE.match(FoldedText(text).folded):
            continue
        if (not (is_caps_line(text) or is_header_name(text, typed=True))
                or _AUTHORITY_LINE.match(line.folded) or _type_title(line)[0]):
            break  # 'KT. BỘ TRƯỞNG' (a signing block), 'QUYẾT ĐỊNH' (a heading): no header
        picked.append(line)
    return _without_repeat(picked)


def _issuer(header: Header, lines: list[Line], start: int, stop: int) -> None:
    picked = _issuer_lines(lines, start, stop) or _issuer_lines_from_top(lines, start, stop)
    if not picked:
        return
    texts = [line.text.strip(" *-_") for line in picked]
    span = (picked[0].start, picked[-1].end)
    joint = _joint([line.text.strip(" *_") for line in picked])
    parent, issuer = (None, joint) if joint else _levels(_unmerged(texts))
    header.put("issuer", issuer, span=span)
    header.put("parent_issuer", parent)


_LOCALITY_END = re.compile(
    r"(?<!co )\b(?:tinh|thanh pho|tp|huyen|quan|thi xa|xa|phuong|thi tran)\.?\s+(?!hoi\b|doi\b)"
    r"[a-z]+(?:\s+(?:-\s+)?[a-z]+){0,4}$")
_BODY_WORD = re.compile(
    r"\b(?:so|ban|phong|chi cuc|trung tam|van phong|cong an|cuc|vu|vien|truong|hoi|uy ban|"
    r"bo chi huy|doan|dang uy|hoi dong)\b")


_BODY_START = re.compile(
    r"\s(?=(?:so|phong|ban|chi cuc|trung tam|van phong|cong an|bo chi huy|cuc|hoi dong|"
    r"thanh doan|huyen doan)\s)")


def _unmerged(texts: list[str]) -> list[str]:
    """Two header lines read as one ('UBND TỈNH SƠN LA SỞ Y TẾ', 'CÔNG AN TỈNH HÀ TĨNH CÔNG AN
    HUYỆN HƯƠNG SƠN'): cut where a body's name starts right after a known locality."""
    out: list[str] = []
    for text in texts:
        shadow = FoldedText(text)
        for match in _BODY_START.finditer(shadow.folded):
            head = shadow.folded[: match.start()]
            locality = _LOCALITY_END.search(head)
            if not locality or locality.start() == 0:
                continue
            written = text[shadow.to_original(locality.start()): shadow.to_original(match.start())]
            if not _known_locality(written):
                continue
            cut = shadow.to_original(match.end())
            out.extend([text[:cut].strip(), text[cut:].strip()])
            break
        else:
            out.append(text)
    return out


def _known_locality(written: str) -> bool:
    """'TỈNH SƠN LA' names a province; a district or commune name is taken as written."""
    words = written.split()
    kind = FoldedText(words[0]).folded if words else ""
    if kind in ("tinh", "thanh", "tp", "tp."):
        name = " ".join(words[2:] if kind == "thanh" else words[1:])
        return gazetteer.province(name, fuzzy=False) is not None
    return True


def _locality_split(texts: list[str]) -> int | None:
    """Lines that end with a locality ('UBND TỈNH QUẢNG NINH', 'ỦY' / 'BAN NHÂN DÂN' / 'TỈNH
    SƠN LA') close the name of one body: how many lines that name takes when more lines
    follow, 0 when every line is that one name, None when no line ends so."""
    for count in range(1, len(texts) + 1):
        folded = FoldedText(" ".join(texts[:count])).folded
        match = _LOCALITY_END.search(folded)
        if match and match.start() > 0 and not _BODY_WORD.search(folded[match.start():]):
            if count < len(texts):
                return count
            last = FoldedText(texts[-1]).folded
            # 'BỘ CÔNG AN' / 'CÔNG AN TỈNH LÂM ĐỒNG': the last line is a body of its own
            return len(texts) - 1 if _BODY_WORD.match(last) else 0
    return None


def _joint(texts: list[str]) -> str | None:
    """The issuers of a joint document ('VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO -' / 'TÒA ÁN NHÂN DÂN
    TỐI CAO -' / 'BỘ CÔNG AN - …'), ' - ' between them; None for one body. A dash inside a
    known name ('BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI') stays inside it."""
    if sum(text.rstrip().endswith(("-", "–")) for text in texts[:-1]) < 2:
        return None
    parts = [part for part in re.split(r"\s+[-–]\s*|\s*[-–]\s+", " ".join(texts)) if part]
    bodies: list[str] = []
    for part in parts:
        if bodies and gazetteer.body_name(bodies[-1]) is None:
            merged = f"{bodies[-1]} - {part}"
            if gazetteer.body_name(merged):
                bodies[-1] = merged
                continue
        bodies.append(part)
    return " - ".join(canonical_body(body) for body in bodies) if len(bodies) > 1 else None


def _levels(texts: list[str]) -> tuple[str | None, str]:
    """(parent, issuer) from the caps lines of the left header column."""
    if len(texts) == 1:
        return None, canonical_body(texts[0])
    split = _locality_split(texts)
    if split == 0:
        return None, canonical_body(" ".join(texts))
    if split:
        parent = canonical_body(" ".join(texts[:split]))
        return parent, combine_levels(parent, canonical_body(" ".join(texts[split:])))
    if _is_one_name(texts):
        if len(texts) == 2:
            return None, canonical_body(" ".join(texts))
        parent = canonical_body(" ".join(texts[:2]))
        return parent, combine_levels(parent, canonical_body(" ".join(texts[2:])))
    parent = canonical_body(texts[0])
    child = canonical_body(" ".join(texts[1:]))
    return parent, combine_levels(parent, child)


def _is_one_name(texts: list[str]) -> bool:
    """'ỦY BAN NHÂN DÂN' / 'TỈNH ĐỒNG THÁP' is one name wrapped, not parent and child."""
    second = FoldedText(texts[1]).folded
    if re.match(r"(?:va|-|,)\s", second) or gazetteer.body_name(" ".join(texts[:2])):
        return True
    if gazetteer.province_unmarked(title_words(texts[1].strip(" *-_–"))):
        return True  # 'HIỆP HỘI THANH LONG' / 'BÌNH THUẬN': a province's name ends the name
    if re.match(r"(tinh|thanh pho|huyen|quan|thi xa|xa|phuong|thi tran|tp)\b", second):
        return not re.search(r"\b(tinh|huyen|thanh pho|quan|xa)\b", FoldedText(texts[0]).folded)
    return FoldedText(texts[0]).folded.endswith((" va", " -", ","))


def _urgency_or_secrecy(folded: str) -> tuple[str, str] | None:
    text = re.sub(r"[^a-z ]", "", folded).strip()
    if text in _URGENCY:
        return "urgency", _URGENCY[text]
    if text in _SECRECY:
        return "secrecy", _SECRECY[text]
    return None


def _urgency(header: Header, lines: list[Line]) -> None:
    header.put("urgency", None)
    header.put("secrecy", None)
    for line in lines[: header.end + 3]:
        found = _urgency_or_secrecy(line.folded)
        if found:
            header.put(found[0], found[1], line)


# Other ways a subject is introduced: a Phiếu trình's 'Vấn đề trình:', 'Trích yếu:', 'Về:'.
_SUBJECT_LABEL = re.compile(r"^\s*(?:van de trinh|trich yeu(?: noi dung)?|ve)\s*:\s*(?=\S)")
_SUBJECT_STOP = re.compile(
    r"^\s*(?:kinh gui|can cu|thuc hien|theo de nghi|\d{1,2}\.\s|dieu \d|chuong [ivxl\d]|"
    r"noi nhan|[-+•]\s|\(?kem theo)")
_SUBJECT_LINES = 10
_MOTTO_LENGTH = 45
_SUBJECT_WRAP_WORDS = {
    "cua", "va", "cac", "voi", "tai", "ve", "cho", "de", "tu", "tren", "theo", "nhung", "duoc",
    "trong", "den", "nham", "thuoc", "hoac", "so", "mot", "giua", "doi", "nam", "ngay", "thang",
}


def _title_and_subject(header: Header, lines: list[Line], after: int) -> None:
    for line in lines[after: header.end + 2]:
        if "subject" not in header.fields:
            match = _SUBJECT_RE.match(line.folded) or _SUBJECT_LABEL.match(line.folded)
            if match:
                _subject(header, lines, line, match.end())
                continue
        if "title" in header.fields:
            continue
        name, rest = _type_title(line)
        if not name:
            continue
        header.put("title", name, line)
        following = next((ln for ln in lines[line.index + 1:] if ln.text.strip()), None)
        if _subject_line_under(lines, line):
            continue  # 'BÁO CÁO ĐỀ XUẤT' / '(V/v Phê duyệt …)': the V/v line is the subject
        if rest is not None:  # the subject on the heading's line: 'KẾ HOẠCH Triển khai …'
            if is_caps_line(line.text):
                _caps_subject(header, lines, line, rest)
            else:
                marker = _SUBJECT_RE.match(line.folded[rest:])
                _subject(header, lines, line, rest + (marker.end() if marker else 0))
            continue
        if following is None or "subject" in header.fields:
            continue
        if is_caps_line(following.text):
            _caps_subject(header, lines, following)
        else:
            sub = _SUBJECT_RE.match(following.folded) or _SUBJECT_LABEL.match(following.folded)
            _subject(header, lines, following, sub.end() if sub else 0)


_HEADING_CAPS_LINES = 3  # caps lines a heading may run over ('NGHỊ QUYẾT CỦA HỘI ĐỒNG …')


def _subject_line_under(lines: list[Line], heading: Line) -> bool:
    """Is there a V/v line right under the type heading and its caps lines? The heading's own
    words may name a kind ('BÁO CÁO ĐỀ XUẤT', 'NGHỊ QUYẾT CỦA HỘI ĐỒNG …'): the V/v is the
    subject."""
    following = [ln for ln in lines[heading.index + 1: heading.index + 8] if ln.text.strip()]
    for line in following[: _HEADING_CAPS_LINES + 1]:
        if not is_caps_line(line.text.strip()):
            return _SUBJECT_RE.match(line.folded) is not None
    return False


def _subject(header: Header, lines: list[Line], line: Line, cut: int) -> None:
    """The subject from `cut` on `line`, with the lines that carry on its phrase (a title
    wrapped by the page): up to a blank line, a body opener or a caps line."""
    if is_motto(line) and len(line.text) <= _MOTTO_LENGTH:
        return  # the motto's second line, never a subject (a title may name the Republic)
    shadow = FoldedText(line.text)
    marker = _SUBJECT_RE.match(shadow.folded[cut:]) if cut else None  # 'Trích yếu: Về việc …'
    cut += marker.end() if marker else 0
    start = shadow.to_original(cut) if cut else 0
    parts = [line.text[start:].strip()]
    last = line
    for following in lines[line.index + 1: line.index + _SUBJECT_LINES]:
        text = following.text.strip()
        if (not text.strip("_-–. ") or _SUBJECT_STOP.match(following.folded) or is_caps_line(text)
                or RECORD_LABEL_RE.match(following.folded)):
            break
        if not _carries_on(parts[-1], text):
            break
        parts.append(text)
        last = following
    text = _without_edge_marks(
        _without_glued_caps(" ".join(part for part in parts if part).rstrip(" _–-")))
    text = re.sub(r"(?<![.\s])(?<!\bv\.v)\.$", "", text)  # the sentence's full stop
    if line.text.lstrip().startswith("(") and text.endswith(")") and "(" not in text:
        text = text[:-1].rstrip()  # '(V/v Phê duyệt …)': the brackets are not the subject's
    if text:
        header.put("subject", text, span=(line.start + start, last.end))


# Marks no word holds: a stamp's or a signature's strokes OCR'd at a subject's ends ('Ol[ 2 J.Q#6
# Phối hợp …', '… thời gian tới s* 4304...').
_MARK = re.compile(r"[*#{}|¬~^<>@$£©®]")
_EDGE_WORDS = 4


def _without_edge_marks(text: str) -> str:
    words = text.split(" ")
    head = [i for i, word in enumerate(words[:_EDGE_WORDS]) if _MARK.search(word)]
    if head and head[-1] + 1 < len(words):
        words = words[head[-1] + 1:]
    tail = [i for i, word in enumerate(words) if i >= len(words) - _EDGE_WORDS + 1
            and _MARK.search(word)]
    if tail and tail[0] > 0:
        words = words[: tail[0]]
    return " ".join(words)


_GLUED_RUN = 3  # caps words in a row that make another column's header line, not the subject's


def _without_glued_caps(text: str) -> str:
    """A subject with a line of another column read into it ('… tháng 10/2025 UBND TỈNH LÂM
    ĐỒNG và nhiệm vụ …', an arrival stamp's heading): a run of caps words naming a province,
    between words in lower case, is left out."""
    words = text.split(" ")
    run: list[int] = []
    for index, word in enumerate([*words, ""]):
        if sum(c.isalpha() for c in word) >= 2 and word.isupper():
            run.append(index)
            continue
        if len(run) >= _GLUED_RUN and run[0] > 0 and word[:1].islower():
            tail = [" ".join(words[i] for i in run[k:]) for k in range(len(run) - 1)]
            if any(gazetteer.province_unmarked(title_words(name)) for name in tail):
                return " ".join(words[: run[0]] + words[run[-1] + 1:])
        run = []
    return text


def _carries_on(prev: str, nxt: str) -> bool:
    """Does `nxt` continue the phrase of `prev` (lower-case start, or `prev` stops mid-phrase)?"""
    if _date_shaped(nxt):
        return False
    words = FoldedText(prev).folded.split()
    return continues_heading(prev, nxt) or (bool(words) and words[-1] in _SUBJECT_WRAP_WORDS)


def _date_shaped(text: str) -> bool:
    return bool(WORDS_DATE_RE.search(FoldedText(text).folded)) and "," in text[:40]


def _caps_subject(header: Header, lines: list[Line], first: Line, cut: int = 0) -> None:
    """A subject in capitals under the title (a law's name, 'KẾT LUẬN CỦA …') or after it on
    its line (from folded offset `cut`), in sentence case; its wrapped caps lines with it."""
    start = FoldedText(first.text).to_original(cut) if cut else 0
    picked = [first]
    for following in lines[first.index + 1: first.index + 6]:
        text = following.text.strip()
        if not text or not is_caps_line(text) or _SUBJECT_STOP.match(following.folded):
            break
        if _type_title(following)[0] or re.match(r"^\s*(?:chuong|phan|muc)\b", following.folded):
            break
        picked.append(following)
    text = " ".join([first.text[start:].strip()] + [line.text.strip() for line in picked[1:]])
    header.put("subject", sentence_case(text), span=(first.start + start, picked[-1].end))


_ORDINAL = re.compile(r"\b((?:khóa|kỳ|thứ|chương|phần|mục)\s+)([ivxlc]+)\b")
# Names of organs and associations (Decree 30, Appendix II: the type word and the first word of
# the field capitalised): 'BAN CHẤP HÀNH HIỆP HỘI DOANH NGHIỆP' → 'Ban Chấp hành Hiệp hội Doanh …'.
_ORGAN_NAME = re.compile(
    r"(?<!\w)(ban|hiệp hội|liên đoàn)\s+(chấp|thường|kiểm|(?<=hội )\w+|(?<=đoàn )\w+)(?!\w)")
_NAMED_DOCUMENT = re.compile(r"\b(bộ luật|luật|pháp lệnh|hiến pháp)\s+(\w)")


def sentence_case(text: str) -> str:
    """'SỬA ĐỔI … CỦA LUẬT BẢO HIỂM Y TẾ' → 'Sửa đổi … của Luật Bảo hiểm y tế': lower case
    but for the first letter, known proper names (provinces, bodies, 'Việt Nam') and the name of
    a law after 'Luật'."""
    lower = " ".join(text.lower().split())
    for name in _proper_names():
        lower = re.sub(rf"(?<!\w){re.escape(name.lower())}(?!\w)", name, lower)
    lower = _NAMED_DOCUMENT.sub(lambda m: m.group(1).capitalize() + " " + m.group(2).upper(),
                                lower)
    lower = _ORGAN_NAME.sub(lambda m: m.group(1).capitalize() + " " + m.group(2).capitalize(),
                            lower)  # 'Ban Chấp hành', 'Hiệp hội Doanh nghiệp'
    lower = _ORDINAL.sub(lambda m: m.group(1) + m.group(2).upper(), lower)  # 'khóa IV
    return lower[:1].upper() + lower[1:]


def _proper_names() -> list[str]:
    table = gazetteer.data()
    names = [*table["provinces"], *table["provinces_2025"], *table["central_bodies"],
             *table["local_bodies"], "Việt Nam", "Nhà nước", "Quốc hội", "Chính phủ"]
    return sorted(set(names), key=len, reverse=True)


_APPLICATION_WORDS = 5  # 'ĐƠN ĐỀ NGHỊ', not a caps line that opens with 'ĐƠN VỊ …'
# A công văn (and a letter, thư) has no type heading (Decree 30): 'CÔNG AN TỈNH …' is not one.
_NO_HEADING = ("Thư", "Công văn")


def _type_title(line: Line) -> tuple[str | None, int | None]:
    """(doc type, None) for a caps type heading ('KẾ HOẠCH'); (doc type, offset of the subject
    in the folded line) when the subject follows on the same line ('KẾ HOẠCH Triển khai …')."""
    text = line.text.strip()
    if len(text) > 60 and not is_caps_line(text.split(" ", 3)[0]):
        return None, None
    if text.startswith(("TM", "KT", "TL")):
        return None, None
    words = text.split()
    # a stamp's digits or marks OCR'd before the heading ('0464/96 —_ ĐƠN ĐỀ NGHỊ'): not words
    while len(words) > 1 and not re.search(r"[^\W\d_]{2}", words[0]):
        words = words[1:]
    for size in (4, 3, 2, 1):  # the longest name first: 'THÔNG TƯ LIÊN TỊCH', not 'THÔNG TƯ'
        if len(words) < size:
            continue
        head = " ".join(words[:size])
        if not (is_caps_line(head) or all(word[:1].isupper() for word in words[:size])
                or (size == len(words) and head[:1].isupper())):
            continue  # 'KẾ HOẠCH', or 'Kế Hoạch', 'Kế hoạch' alone as a web page's source has it
        name = gazetteer.doc_type_name(head)
        if not name or name in _NO_HEADING:
            continue
        rest = " ".join(words[size:])
        if name == "Đơn":  # 'ĐƠN ĐỀ NGHỊ', 'ĐƠN XIN …': the kind of application, the subject under
            short = is_caps_line(text) and len(words) <= _APPLICATION_WORDS
            return (name, None) if short and not fold(rest).startswith("vi") else (None, None)
        if size == len(words) or (is_caps_line(text) and fold(rest).startswith("cua ")):
            return name, None  # 'QUYẾT ĐỊNH CỦA CHỦ TỊCH …': the subject follows
        # 'KẾ HOẠCH Triển khai …', 'BÁO CÁO HOẠT ĐỘNG CỦA …', 'TỜ TRÌNH về việc …' (a scan)
        if rest[:1].isupper() or _SUBJECT_RE.match(fold(rest)):
            return name, len(FoldedText(line.text[: line.text.index(words[size])]).folded)
        return None, None
    return None, None


# A consolidated text (VBHN) repeats the consolidated instrument's header at the top; its own
# number, date and issuer are in the authentication block at the end.
_CONSOLIDATED = re.compile(r"^\s*xac thuc van ban hop nhat\s*$")
_CONSOLIDATED_ABOVE, _CONSOLIDATED_BELOW = 8, 6
_OWN_FIELDS = ("number", "symbol", "key", "reference", "date", "date_precision", "place",
               "issuer", "parent_issuer")
_MISSING = ("Không tìm thấy số, ký hiệu văn bản.", _NO_DATE)


def _consolidated(header: Header, lines: list[Line]) -> None:
    marker = next((line.index for line in reversed(lines) if _CONSOLIDATED.match(line.folded)),
                  None)
    if marker is None:
        return
    low = max(0, marker - _CONSOLIDATED_ABOVE)
    window = [Line(i, line.start, line.end, line.text)
              for i, line in enumerate(lines[low: marker + _CONSOLIDATED_BELOW])]
    block = Header(end=len(window))
    number_at = _reference(block, window)
    date_at = _date_and_place(block, window)
    _issuer(block, window, 0, number_at if number_at is not None else marker - low)
    header.warnings = [w for w in header.warnings if w not in _MISSING]
    header.reference = block.reference
    for name in _OWN_FIELDS:
        header.fields[name] = block.fields.get(name)
        header.spans.pop(name, None)
        if name in block.spans:
            header.spans[name] = block.spans[name]
    header.warnings.extend(w for w in block.warnings if w not in header.warnings)
    header.put("title", "Văn bản hợp nhất", window[marker - low])
    if number_at is None or date_at is None:
        log.debug("consolidation block without %s", "number" if number_at is None else "date")


def parse_header(lines: list[Line]) -> Header:
    header = Header()
    start = letter_start(lines)
    header.end = header_end(lines, start)
    number_at = _reference(header, lines, start)
    date_at = _date_and_place(header, lines, start)
    unread = next((line.index for line in lines[start: header.end]
                   if _NUMBER_HEAD.match(line.folded)), None)  # 'Số: 2X /TTr…' (OCR)
    heading = None
    if number_at is None and date_at is None:  # a paper without either: the heading ends it
        heading = next((line.index for line in lines[start: header.end] if _type_title(line)[0]),
                       None)
    stops = [i for i in (number_at, date_at, unread, heading, header.end) if i is not None]
    _issuer(header, lines, start, min(stops) if stops else start)
    _urgency(header, lines)
    found = [i for i in (number_at, date_at) if i is not None]
    _title_and_subject(header, lines, min(found) if found else start)
    if header.fields.get("date") is None and date_at is None:
        _date_passed(header, lines)
    _consolidated(header, lines)
    return header
