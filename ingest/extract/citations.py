"""Documents a letter cites: type, reference and key, date and issuer when the text gives them,
and how the letter relates to each (its relation and the scope written: ingest.extract.relations).

'Căn cứ Công văn số 1077/CAT-ANCTNB ngày 19/02/2025 của Công an tỉnh Lai Châu về việc …' gives
{doc_type: 'Công văn', reference: '1077/CAT-ANCTNB', key: '1077/cat-anctnb', date: '2025-02-19',
issuer: 'Công an tỉnh Lai Châu', relation: 'can_cu', scope: None}. A document is cited once, as
its first mention gives it: a date or issuer written only at a later mention is not taken (the
truth files' convention); its relation is the strongest of its mentions'. The letter's
own reference is never a citation, and neither is a court's case or judgment number
('29/2025/TLST-HC': a case, not a document the letter applies) or a copy's own number
('15/SY-UBND' of a 'SAO Y' block).
"""

from __future__ import annotations

import logging
import re
from functools import cache
from typing import Any

from ingest.extract import gazetteer
from ingest.extract.dates import NUMERIC_DATE_RE, WORDS_DATE_RE, date_from_match, iso_date
from ingest.extract.issuers import canonical_body
from ingest.extract.numbers import Reference, find_references, is_copy_number, is_court_case
from ingest.extract.relations import Mention, MentionReader, strongest
from ingest.folding import FoldedText, few_diacritics, fold

log = logging.getLogger(__name__)

_TYPE_WORDS = (
    "thong tu lien tich", "nghi quyet lien tich", "cong van", "cong dien", "quyet dinh", "ke hoach",
    "quy dinh", "nghi dinh", "thong tu", "chi thi", "nghi quyet", "van ban hop nhat", "van ban",
    "thong bao", "huong dan", "bao cao", "to trinh", "luat", "ket luan", "chuong trinh", "de an",
    "quy che", "phuong an", "giay moi", "phap lenh", "lenh",
)


def _ocr_tolerant(word: str) -> str:
    """'cong van' → a pattern that also matches the OCR'd 'cong vdn' (vowels may be damaged)."""
    return "".join("[a-z0-9]" if c in "aeiouy" else re.escape(c) for c in word)


_TYPE_ALTS = "|".join(_ocr_tolerant(w) for w in _TYPE_WORDS)
_TYPE_BEFORE = re.compile(
    r"\b(" + _TYPE_ALTS + r")\b(?:(?!\b(?:" + _TYPE_ALTS + r")\b)[^.;]){0,80}?$"
)
# On a case-keeping fold: the issuer ends at a lower-case verb or preposition ('… của Chính phủ
# sửa đổi …'), at 'và' before another document ('… của Chính phủ và Báo cáo thẩm tra số …'), or
# at punctuation.
_ISSUER_AFTER = re.compile(
    r"^\s*,?\s*(?:cua|c\w{1,2}a)\s+(.{3,120}?)(?=\s+(?:ve|quy dinh|ban hanh|huong dan|trien khai|"
    r"phe duyet|theo|dieu chinh|nham|de|sua doi|bo sung|kien toan|thanh lap|duoc|thong qua|"
    r"phe chuan|chap thuan|cho phep|yeu cau|chi dao|hop nhat|sap xep|thi hanh)\b"
    r"|(?<!\bvan)\s+(?:giao|va|tai)\s+[a-z]|\s+tai\s+[A-Z]|\s+va\s+(?i:" + _TYPE_ALTS + r")\b"
    r"|\s*[;,.(:]|\s+\d|$"
    # a line end before the preamble's next item ('Căn cứ …', 'Theo đề nghị …') or before a
    # blank line and a heading in capitals (a blank line alone may be a page break in the name)
    r"|[ \t]*\n\s*(?:Can cu|Theo de nghi|Xet)\b|[ \t]*\n\s*\n[ \t]*[A-Z][A-Z ,-]{5,}(?:\n|$))"
)
_ISSUER_BEFORE = re.compile(
    r"\b(?:cua|c\w{1,2}a)\s+((?:(?!\b(?:cua|c\w{1,2}a)\s)[^;]){3,80}?)\s+"
    r"(?:tai\s+(?:cac\s+)?(?:" + _TYPE_ALTS + r")(?:\s+\w+)?\s*:?\s+)?"
    r"s[o6]\s*$", re.IGNORECASE
)
# A body's name holds no verb: '… của Bộ Tài chính được sửa đổi, bổ sung bởi Nghị định số …' names
# the body of an earlier document, not of this one.
_VERB_INSIDE = re.compile(r"\b(?:duoc|boi|sua doi|bo sung|ban hanh|quy dinh|thay the)\b")
_ANOTHER_DOCUMENT = re.compile(r"\s+va\s+(?i:" + _TYPE_ALTS + r")\b")
_BODY_START = re.compile(
    r"^(?:bo|ban|uy ban|ubnd|chinh phu|thu tuong|quoc hoi|so|hoi dong|hdnd|tinh uy|thanh uy|"
    r"huyen uy|cong an|van phong|cuc|tong cuc|hoi nghi|phong|giam doc|chu tich|bo truong|"
    r"truong phong|chanh van phong)\b", re.IGNORECASE
)
# A number after a 'Số:' label that opens its line (or the line above) is the number of a block,
# not a mention: the letter's own number line, an arrival stamp's ('ĐẾN Số: 1234/VP'), a copy
# block's; a mention in running text reads '… Công văn số 12/UBND …'. On the case-keeping fold.
_LABEL_LINE_BEFORE = re.compile(
    r"(?:^|\n)[ \t]*(?:(?:CONG VAN[ \t]+)?DEN[ \t]*:?[ \t]*)?"
    r"(?:S[o06d][ \t]*:?|(?:Bo luat|Luat|Phap lenh|Nghi quyet|Nghi dinh|Quyet dinh|Thong tu|"
    r"Chi thi)(?: lien tich)?[ \t]+s[o06][ \t]*:)[ \t]*(?:\n[ \t]*)?$"
)
# Numbers that are not documents a letter applies: a technical standard's code ('QCVN
# 02:2019/BLĐTBXH', 'TCVN …'), a court's judgment or case ('Bản án số 12/2024/HS-ST', 'thụ lý số
# …', whatever shape its symbol has). On the case-keeping fold.
_NOT_A_DOCUMENT_BEFORE = re.compile(
    r"(?:\b(?:QCVN|TCVN|QCDP|ISO)\s*:?|\b(?i:ban an|thu ly|vu an|an le)(?:\s+[^\W\d]+){0,4}?"
    r"\s+(?i:so)\s*:?)\s*$")
_ARTICLE_NAMES = {"van ban": "Công văn", "luat": "Luật", "van ban hop nhat": "Văn bản hợp nhất"}


def _type_word(matched: str) -> str:
    """The type word an OCR-tolerant match stands for."""
    for word, pattern in _TYPE_WORD_PATTERNS:
        if pattern.fullmatch(matched):
            return word
    return matched


_TYPE_WORD_PATTERNS = tuple((word, re.compile(_ocr_tolerant(word))) for word in _TYPE_WORDS)


def _doc_type(before: str, reference: Reference) -> str | None:
    match = _TYPE_BEFORE.search(before[-100:])
    if match:
        word = _type_word(match.group(1))
        if word == "van ban":
            return "Công văn" if reference.doc_type_abbr is None else _from_abbr(reference)
        return _ARTICLE_NAMES.get(word) or gazetteer.doc_type_name(word)
    return _from_abbr(reference)


def _from_abbr(reference: Reference) -> str | None:
    group = reference.groups[0] if reference.groups else ""
    if re.fullmatch(r"QH\d*", group):
        return "Luật"
    names = {abbr.upper(): name for name, abbr in gazetteer.data()["doc_types"].items() if abbr}
    names["CV"] = "Công văn"
    return names.get(group.upper()) if reference.doc_type_abbr else None


def _date_after(shadow: FoldedText, end: int) -> tuple[str | None, int]:
    window = shadow.folded[end: end + 45].lower()
    match = re.match(r"^\s*,?\s*(?:ngay\s*)?", window)
    rest = window[match.end():] if match else window
    numeric = NUMERIC_DATE_RE.match(rest)
    if numeric:
        iso = iso_date(int(numeric.group(4)), int(numeric.group(3)), int(numeric.group(1)))
        return iso, end + (match.end() if match else 0) + numeric.end()
    words = WORDS_DATE_RE.match(window.lstrip(" ,"))
    if words:
        iso, precision = date_from_match(words)
        offset = len(window) - len(window.lstrip(" ,"))
        return (iso if precision == "day" else None), end + offset + words.end()
    return None, end


def _issuer_after(cased: FoldedText, end: int, province: str | None) -> str | None:
    match = _ISSUER_AFTER.match(cased.folded[end: end + 160])
    if not match:
        return None
    raw = cased.slice(end + match.start(1), end + match.end(1)).strip()
    if not _BODY_START.match(match.group(1)):
        return None
    start = cased.span(end + match.start(1), end + match.start(1))[0]
    return issuer_name(_whole_name(cased.original, start, raw), province)


@cache
def _long_names() -> list[str]:
    """Known body names with a comma or a stop word inside ('Bộ Văn hóa, Thể thao và Du lịch',
    'Bộ Giao thông vận tải'), longest first."""
    names = [n for n in gazetteer.body_names() if re.search(r",|\bvà\b|\btải\b", n)]
    return sorted(names, key=len, reverse=True)


def _whole_name(text: str, start: int, raw: str) -> str:
    """The issuer cut at a comma or stop word inside a known name, made whole again."""
    window = " ".join(text[start: start + 90].split()).lower()
    for name in _long_names():
        if len(name) > len(raw) and window.startswith(name.lower()):
            return name + _locality(text[start + len(name): start + len(name) + 60])
    return raw


def _locality(tail: str) -> str:
    """' tỉnh Bà Rịa - Vũng Tàu' after a body's name: the locality words (capitalized)."""
    match = re.match(r"\s+(tỉnh|thành phố|Thành phố|huyện|quận|thị xã)((?:\s+(?:-|[A-ZĐÀ-Ỹ]\w*))+)",
                     tail)
    return f" {match.group(1)}{match.group(2)}" if match else ""


def issuer_name(raw: str, province: str | None = None) -> str | None:
    """A cited issuer as written, repaired from the gazetteer when OCR damaged it."""
    raw = " ".join(raw.split()).strip(" ,")
    if not raw or len(raw.split()) > 14:
        return None
    if not few_diacritics(raw):
        return raw
    words = raw.split()
    if len(words) > 1 and fold(words[-1]) == "tinh":  # 'Uy ban nhan dan Tinh'
        tinh = "Tỉnh" if words[-1][0].isupper() else "tỉnh"
        return f"{canonical_body(' '.join(words[:-1]))} {tinh}"
    return gazetteer.body_name(raw) or canonical_body(raw)



def find_citations(text: str, own_key: str | None = None,
                   province: str | None = None) -> list[dict[str, Any]]:
    shadow = FoldedText(text, lower=False)
    by_key: dict[str, dict[str, Any]] = {}
    mentions: dict[str, list[Mention]] = {}
    reader = MentionReader(shadow)
    previous: tuple[int, dict[str, Any]] | None = None
    for reference, start, end in find_references(text):
        key = reference.key
        if key is None or key == own_key or is_court_case(reference) or is_copy_number(reference):
            continue
        at = _folded_index(shadow, start)
        if _LABEL_LINE_BEFORE.search(shadow.folded, max(0, at - 200), at):
            continue
        if _NOT_A_DOCUMENT_BEFORE.search(shadow.folded, max(0, at - 60), at):
            continue
        citation = _citation(shadow, reference, start, end, province)
        if citation["issuer"] is None and previous and _coordinated(text[previous[0]:start]):
            # '… của Sở X tại Tờ trình số … và Báo cáo số …': one issuer for both
            citation["issuer"] = previous[1]["issuer"]
        previous = (end, citation)
        by_key.setdefault(key, citation)
        mentions.setdefault(key, []).append(reader.read(at, _folded_index(shadow, end)))
    for key, citation in by_key.items():
        chosen = strongest(mentions[key])
        citation.update(relation=chosen.relation, scope=chosen.scope)
    return list(by_key.values())


def _coordinated(between: str) -> bool:
    """Two citations joined by 'và', or listed as '…, số …', with only a date between them
    share their issuer ('… tại các văn bản: số 12/TTr-X ngày …, số 13/BC-X ngày …')."""
    if re.fullmatch(r"\s*(?:,?\s*ngày[^,;:]{1,25})?\s*,\s*số\s*", between, re.IGNORECASE):
        return True
    return len(between) < 60 and re.search(r"\svà\s", between) is not None and not re.search(
        r"của|;", between)  # '…; Luật Phòng cháy và chữa cháy số …' is a new item


def _citation(shadow: FoldedText, reference: Reference, start: int, end: int,
              province: str | None) -> dict[str, Any]:
    fstart = _folded_index(shadow, start)
    fend = _folded_index(shadow, end)
    before = shadow.folded[max(0, fstart - 120): fstart]
    date, after = _date_after(shadow, fend)
    issuer = _issuer_after(shadow, after, province)
    if issuer is None:
        match = _ISSUER_BEFORE.search(before)
        # '… của Chính phủ và Báo cáo thẩm tra số 12/BC-UBXH': the body is another document's
        if match and _BODY_START.match(match.group(1)) and not _ANOTHER_DOCUMENT.search(
                match.group(1)) and not _VERB_INSIDE.search(match.group(1)):
            offset = fstart - len(before)
            issuer = issuer_name(shadow.slice(offset + match.start(1), offset + match.end(1)))
    return {"doc_type": _doc_type(before.lower(), reference), "reference": reference.display,
            "key": reference.key, "date": date, "issuer": issuer}


def _folded_index(shadow: FoldedText, original: int) -> int:
    """First folded position at or after an original index."""
    offsets = shadow.offsets
    lo, hi = 0, len(offsets)
    while lo < hi:
        mid = (lo + hi) // 2
        if offsets[mid] < original:
            lo = mid + 1
        else:
            hi = mid
    return lo
