"""Whom a directive item is addressed to, from its lead phrase.

The words before the item's first verb name the assignees ('Công an Tỉnh triển khai …' →
'Công an Tỉnh'); a lead ending in ':' names them whole ('Các sở, ngành Tỉnh và Ủy ban nhân dân
các huyện, thành phố:'); clauses without a verb share the next clause's ('Chánh Văn phòng …;
Giám đốc …; Thủ trưởng các đơn vị liên quan chịu trách nhiệm thi hành'). Leads are split at ';'
and at 'và'/',' before another body or post. Verbs are matched on folded text, OCR-tolerant
for letters read without diacritics.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from rapidfuzz import fuzz

from ingest.folding import FoldedText, fold

log = logging.getLogger(__name__)

_ADVERBS = re.compile(r"\s+(?:kịp thời|khẩn trương|chủ động|tiếp tục|thường xuyên)$")
_VERBS = (
    "chu dong", "tham muu", "trien khai", "phoi hop", "chu tri", "thuc hien", "tiep tuc",
    "chi dao", "huong dan", "co trach nhiem", "chiu trach nhiem", "khan truong", "theo doi",
    "to chuc", "ra soat", "bao cao", "tang cuong", "day manh", "kiem tra", "quan triet",
    "tuyen truyen", "nghien cuu", "cung cap", "tap trung", "lanh dao", "bo tri",
    "hoan thanh", "chuan bi", "don doc", "giam sat", "khuyen cao", "nang cao", "phe duyet",
    "ban hanh", "xu ly", "lap", "can", "bao dam", "dam bao", "xay dung", "san sang",
    "kiem soat", "tuan tra", "trich xuat", "lua chon", "mo", "ho tro", "tong hop", "cap nhat",
    "van dong", "chuan bi", "uu tien", "thong tin", "de nghi", "dang tai", "niem yet",
    "chan chinh", "dua", "bo sung", "tiep nhan", "gui",
    "phan cong", "kien toan", "cong khai", "lam ro", "dinh chi", "yeu cau", "ca the hoa",
    "danh gia", "de xuat", "phat hien", "ngan chan", "xu phat", "tham dinh", "tham gia",
    "duy tri", "su dung", "ket noi", "kiem dem", "phun", "tham hoi", "van hanh", "dieu tra",
    "giai quyet", "khac phuc", "tong kiem tra", "tam dung", "in an", "hoan thien",
    "kien quyet", "nghiem cam", "han che", "huy dong", "lam tot", "co nhiem vu",
)
# Verbs whose folded form is other words too ('cử' and 'cũ', 'thông báo' and 'Truyền thông
# bảo đảm'): matched as written, not in a noun ('bầu cử', 'ứng cử', 'cử tri').
_WRITTEN_VERBS = ("cử ", "thông báo ")
_WRITTEN_VERB_LENGTH = max(map(len, _WRITTEN_VERBS))
_NOT_WRITTEN_VERB = re.compile(r"(?:\b(?:bau|ung|de)\s+cu\b|\bcu\s+tri\b)")
_ROLE = re.compile(r"^(.{3,150}?)\s+là\s+(?:đơn vị|cơ quan)\b")
_REQUEST = re.compile(r"^(?:de nghi|yeu cau|giao|chi dao|dong y)\s+")
# A request after a lead clause: 'Căn cứ Kế hoạch này, đề nghị các đơn vị …'.
_LATER_REQUEST = re.compile(r"^(?:can cu|de|nham|tren co so|thuc hien)\b[^;:]{0,150}?,\s*"
                            r"(?:de nghi|yeu cau|giao)\s+")
_CONDITION = re.compile(r"^(?:khi|truong hop|doi voi|neu|trong|de|ve|tu|sau|truoc)\b")
_STARTERS = (
    "uy ban", "ubnd", "hoi dong", "so ", "bo ", "ban ", "cong an", "phong ", "van phong",
    "trung tam", "cuc ", "chi cuc", "tong cuc", "chu tich", "giam doc", "thu truong", "truong ",
    "cac ", "dai ", "bao ", "thanh tra", "vien ", "bo truong", "doan ", "hoi ", "tinh uy",
    "doi ", "hat ", "cang ", "kho bac", "bao hiem", "ngan hang", "cong ty", "nguoi ",
    "ban can su", "lien doan", "tram ", "chi nhanh",
)
_PEOPLE = (
    "dong chi", "cong chuc", "thanh vien", "lanh dao", "to ", "tieu ban", "nguoi dung dau",
    "benh vien", "hiep hoi", "doanh nghiep", "truong ", "pho ", "chanh ", "can bo",
)
_BODY_NOUNS = re.compile(
    r"\b(?:bo|so|uy ban|ubnd|ban|cong an|phong|van phong|trung tam|cuc|bao|dai)\s"
)
_VERBS_BY_SIZE = {
    size: frozenset(v for v in _VERBS if len(v.split()) == size) for size in (1, 2, 3)}


def _verb_at(folded: str, original: str) -> int | None:
    """Folded index of the first verb of a lead phrase (OCR-tolerant), or None."""
    return next(_verbs(folded, original), None)


def _verbs(folded: str, original: str) -> Iterator[int]:
    """Folded indexes of the verbs of a clause, in order."""
    words = list(re.finditer(r"[a-z0-9]+", folded))
    texts = [word.group(0) for word in words]
    ocr = len(original) - sum(map(str.isascii, original)) < 0.05 * max(1, len(original))
    for i, word in enumerate(words):
        if i and not original[word.start():word.start() + 1].islower():
            continue
        previous = words[i - 1].group(0) if i else ""
        written = original[words[i - 1].start():words[i - 1].end()].lower() if i else ""
        noun = folded.startswith("xay dung", word.start()) and words[i - 2].group(0) == "dau" and (
            original[words[i - 2].start()].islower()) if i > 1 else False
        if previous == "tu" and written == "tư" and not noun:
            previous = ""  # 'Sở … Đầu tư phối hợp': 'tư', not 'từ'; 'đầu tư xây dựng' is a noun
        if folded.startswith("dieu tra", word.start()) and previous == "sat":
            continue  # 'Cục Cảnh sát điều tra tội phạm về ma túy' is a name
        if previous in ("cac", "nhung", "cua", "mot", "moi", "tu", "duoc", "to", "doi", "nhom"):
            continue  # a noun ('các tổ chức') or part of a name ('Tổ xử lý tin giả')
        # only as much of the clause as the longest verb: a clause's every word looked at
        if original[word.start():word.start() + _WRITTEN_VERB_LENGTH].lower().startswith(
                _WRITTEN_VERBS) and not (
                _NOT_WRITTEN_VERB.search(folded, max(0, word.start() - 4), word.end() + 4)):
            yield word.start()
            continue
        for size in (3, 2, 1):
            chunk = " ".join(texts[i:i + size])
            # 'thông tin' is a verb only in a run of verbs: 'thông tin, quán triệt'
            if chunk == "thong tin" and not re.match(
                r",\s*(?:quan triet|tuyen truyen|pho bien)", folded[word.start() + len(chunk):]
            ):
                continue
            if chunk in _VERBS_BY_SIZE[size] or (ocr and size > 1 and any(
                    _near(chunk, verb) for verb in _VERBS_BY_SIZE[size])):
                yield word.start()
                break


def _near(chunk: str, verb: str) -> bool:
    """OCR-damaged verb ('phdi hop' for 'phoi hop'): close, same initials, same word count."""
    words, verb_words = chunk.split(), verb.split()
    if len(words) != len(verb_words) or any(a[0] != b[0] for a, b in zip(words, verb_words,
                                                                           strict=True)):
        return False
    return fuzz.ratio(chunk, verb) >= 87


_COLON_LEAD = re.compile(r"([^:]{3,200}):\s*(?=[a-zđà-ỹ]|$)")
_PASSIVE = re.compile(r"\s+được\s+")
_BY_OR_WHEN = re.compile(r"\s+(?:theo|khi)\s+")
_UNDER = re.compile(r"(?<!trực)\s+thuộc\s+(?=[A-ZĐÀ-Ỹ])")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])")


def _clause_lead(clause: str) -> str:
    """The subject of one clause: the words before its verb, when they name a body or post."""
    shadow = FoldedText(clause)
    folded = shadow.folded
    request = _REQUEST.match(folded) or _LATER_REQUEST.match(folded)
    begin = request.end() if request else 0
    colon = _COLON_LEAD.match(clause[shadow.to_original(begin):])
    if colon and not _CONDITION.match(fold(colon.group(1))) and _names_a_body(
            colon.group(1), requested=bool(request)) and _verb_at(
            fold(colon.group(1)), colon.group(1)) is None:
        return colon.group(1).strip()  # 'Sở Y tế: chủ trì …' (not 'các Bộ: Giao thông …')
    verb = _verb_at(folded[begin:], clause[shadow.to_original(begin):])
    if not verb:
        role = _ROLE.match(clause[shadow.to_original(begin):])  # 'Trung tâm Y tế là đơn vị …'
        return role.group(1) if role and _names_a_body(role.group(1)) else ""
    if _CONDITION.match(folded[begin:]):
        for position in _verbs(folded[begin:], clause[shadow.to_original(begin):]):
            subject = _subject_after_condition(
                clause[shadow.to_original(begin): shadow.to_original(begin + position)])
            if subject:
                return _ADVERBS.sub("", subject)
        return ""
    before = folded[begin: begin + verb].split()
    if before and before[-1] in ("duoc", "se", "da", "bi", "can", "phai"):
        return ""
    lead = clause[shadow.to_original(begin): shadow.to_original(begin + verb)].strip(" ,:")
    lead = _PASSIVE.split(lead)[0]  # '… giá đất được lựa chọn'
    lead = _BY_OR_WHEN.split(lead)[0]  # '… theo chức năng', '… khi nhận'
    if not fold(lead).startswith("cac "):  # a named body, not a kind ('Các đơn vị thuộc Sở')
        lead = _UNDER.split(lead)[0]  # '… thuộc Công an huyện'
    lead = _ADVERBS.sub("", lead)
    return lead if _names_a_body(lead, requested=bool(request)) else ""


def _subject_after_condition(text: str) -> str:
    """'Khi phát sinh …, các cơ, ban, ngành huyện và UBND các xã' → the part after the last
    comma that starts a body ('các …', 'UBND …'), i.e. the subject of the main clause."""
    pieces = list(re.finditer(r",\s+", text))
    for comma in reversed(pieces):
        tail = text[comma.end():].strip(" ,")
        if _names_a_body(tail) and not fold(tail).startswith(("lanh dao", "can bo")):
            return tail
    return ""


def _names_a_body(lead: str, requested: bool = False) -> bool:
    folded = fold(lead)
    if not folded.startswith(_STARTERS + _PEOPLE) or _CONDITION.match(folded):
        return False  # 'Đối với …' folds like 'Đội …' but names a case
    return requested or lead[:1].isupper() or folded.startswith("cac ")


def lead_phrase(first: str, has_points: bool) -> str:
    """Assignee phrase(s) of an item's first paragraph, joined by ';'."""
    leads: list[str] = []
    for sentence in _SENTENCE_BREAK.split(first):
        if leads:
            break  # the item's subject is in its first sentence that names one
        pending: list[str] = []  # verbless clauses sharing the next clause's verb
        for position, clause in enumerate(c.strip() for c in sentence.split(";")):
            # '…; chỉ đạo Công an các xã …': those the subject directs, not assignees
            lead = "" if position and fold(clause).startswith("chi dao ") else _clause_lead(clause)
            if lead:
                leads.extend([*pending, lead])
                pending = []
            elif _verb_at(fold(clause), clause) is None and _names_a_body(clause):
                pending.append(clause)
            else:
                pending = []
    if leads:
        return "; ".join(leads)
    shadow = FoldedText(first)
    request = _REQUEST.match(shadow.folded)
    begin = shadow.to_original(request.end()) if request else 0
    colon = first.rfind(":")
    if first.rstrip().endswith(":") and _names_a_body(first[begin:colon]) and not (
            _CONDITION.match(fold(first[begin:colon]))):  # 'Đối với các xã …:' is a case
        return first[begin:colon].strip()
    if has_points and len(first) < 200 and not first.rstrip().endswith("."):
        return first[begin:].strip() if _names_a_body(first[begin:]) else ""
    return ""


def split_assignees(lead: str) -> list[str]:
    """'A; B' and 'A và B' / 'A, B' where B starts another body or post."""
    parts: list[str] = []
    for chunk in lead.split(";"):
        if len(chunk) <= 200:
            parts.extend(_split_chunk(chunk.strip()))
    return [p for p in (p.strip(" ,.") for p in parts) if p]


def _split_chunk(chunk: str) -> list[str]:
    pieces = re.split(r"(\s+và\s+|\s+va\s+|,\s+)", chunk)
    out = [pieces[0]]
    for sep, piece in zip(pieces[1::2], pieces[2::2], strict=False):
        starts = fold(piece).startswith((*_STARTERS, "cong chuc")) and piece[:1].isupper()
        if sep.strip() == "," and fold(piece).startswith(("cac ", "he thong ")):
            starts = len(out[-1].split()) >= 3 and (
                fold(out[-1]).startswith("cac ") or _names_a_body(out[-1]))
        if sep.strip() in ("và", "va"):
            starts = starts or fold(piece).startswith(("cac ", "uy ban", "ubnd")) or (
                fold(piece).startswith(_PEOPLE) and piece[:1].isupper())
            left_last = out[-1].split()[-1] if out[-1].split() else ""
            if left_last.isupper() and piece.split()[0].isupper():
                starts = False  # 'HĐND và UBND tỉnh' is one name
        elif starts:
            left = fold(out[-1])
            starts = len(out[-1].split()) > 2 and (bool(_BODY_NOUNS.search(left + " ")) or (
                left.startswith(("cac ", "cong chuc", *_STARTERS))))
        if fold(piece).startswith("bao ve"):
            starts = False  # 'Chi cục Trồng trọt và Bảo vệ thực vật' is one name
        if starts:
            out.append(piece)
        else:
            out[-1] += sep + piece
    return out
