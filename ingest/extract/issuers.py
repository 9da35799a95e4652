"""Canonical names of issuing bodies from caps or OCR'd headers.

'UBND TỈNH QUẢNG NINH' → 'Ủy ban nhân dân tỉnh Quảng Ninh'; 'UY BAN NHAN DAN TINH PONG THAP' →
'Ủy ban nhân dân tỉnh Đồng Tháp'; 'SỞ THÔNG TIN VÀ TRUYỀN THÔNG' under 'UBND TỈNH QUẢNG NINH' →
'Sở Thông tin và Truyền thông tỉnh Quảng Ninh'. Known names come from the gazetteer (so OCR
damage and missing diacritics are repaired); unknown ones get Vietnamese capitalisation.
"""

from __future__ import annotations

import logging
import re
from functools import cache

from ingest.extract import gazetteer
from ingest.folding import FoldedText, fold

log = logging.getLogger(__name__)

_ABBREVIATIONS = [
    (re.compile(r"^UBND\b", re.IGNORECASE), "Ủy ban nhân dân"),
    (re.compile(r"^H[ĐD]ND\b", re.IGNORECASE), "Hội đồng nhân dân"),
    (re.compile(r"\bTP\.\s*", re.IGNORECASE), "thành phố "),
]
_LOCALITY_RE = re.compile(
    r"\b(tinh|thanh pho|huyen|quan|thi xa|xa|phuong|thi tran)\s+(?=\S)"
)
_LOCAL_TYPES = {
    "tinh": "tỉnh", "thanh pho": "thành phố", "huyen": "huyện", "quan": "quận",
    "thi xa": "thị xã", "xa": "xã", "phuong": "phường", "thi tran": "thị trấn",
}
_PARTY_RE = re.compile(r"^(tinh|huyen|thanh|thi|dang) uy\b\s*(.*)$")
_PARTY_NAMES = {"tinh": "Tỉnh ủy", "huyen": "Huyện ủy", "thanh": "Thành ủy", "thi": "Thị ủy",
                "dang": "Đảng ủy"}
_TYPE_WORDS = ("chi cục", "trung tâm", "văn phòng", "tổng cục", "hiệp hội", "liên đoàn", "sở",
               "bộ", "ban", "phòng", "cục", "vụ", "viện", "trường", "hội đồng", "hội")
# A type word whose next word is not the name's field: 'Hội đồng quản lý …', not 'Hội Đồng …'.
_PLAIN_TYPE_WORDS = ("hội đồng",)


def title_words(text: str) -> str:
    """'MƯỜNG TÈ' → 'Mường Tè' (proper names: every word capitalised)."""
    return " ".join(word[:1].upper() + word[1:].lower() for word in text.split())


def capitalize_org(text: str) -> str:
    """Vietnamese capitalisation of an unknown body: 'PHÒNG VĂN HÓA - THÔNG TIN' → 'Phòng
    Văn hóa - Thông tin' (type word, then each component of the field capitalised)."""
    lower = " ".join(text.lower().split())
    if not lower:
        return text
    for word in _TYPE_WORDS:
        if lower.startswith(word + " "):
            rest = lower[len(word) + 1:]
            if word not in _PLAIN_TYPE_WORDS:
                lower = word + " " + rest[:1].upper() + rest[1:]
            break
    lower = re.sub(r"((?:\bvà|,|\s-)\s+)(\w)", lambda m: m.group(1) + m.group(2).upper(), lower)
    # the body an organ manages: 'Hội đồng quản lý Quỹ Khuyến học …'
    lower = re.sub(r"(\bquản (?:lý|trị) )(quỹ|hội|hiệp hội|liên đoàn|câu lạc bộ)( \w)",
                   lambda m: m.group(1) + m.group(2).capitalize() + m.group(3).upper(), lower)
    lower = re.sub(r"\bviệt ?nam\b", "Việt Nam", lower)  # OCR glues it: 'VIỆTNAM'
    for name in _province_names():
        lower = re.sub(rf"(?<!\w){re.escape(name.lower())}(?!\w)", name, lower)
    return lower[:1].upper() + lower[1:]


@cache
def _province_names() -> tuple[str, ...]:
    table = gazetteer.data()
    return tuple(sorted(set(table["provinces"] + table["provinces_2025"]), key=len, reverse=True))


def _locality(kind: str, name: str) -> str:
    # a province's name is matched leniently even with its marks: OCR reads 'Lâm Đồng' as
    # 'Lâm Đông' or 'Lầm Đòng'; the list of provinces is short and their names far apart
    place = gazetteer.province(name, fuzzy=True) if kind in ("tinh", "thanh pho") else None
    if place in ("Hồ Chí Minh", "Thành phố Hồ Chí Minh"):
        return "Thành phố Hồ Chí Minh"  # the city's name includes 'Thành phố'

    if not place and not name.isupper():
        place = name.strip()
    return f"{_LOCAL_TYPES[kind]} {place or title_words(name)}"


# OCR drops the spaces of a caps header line ('UBND TỈNHLÂMĐỎNG', 'TỈNHỦYLÂMĐÔNG'): a locality's
# or a party committee's word glued to the capitals after it is a word of its own.
_GLUED_WORD = re.compile(r"(?:(?<!\S)|(?<=TỈNH)|(?<=THÀNH)|(?<=HUYỆN))(TỈNH|HUYỆN|ỦY)(?=\w)")


def _unglued(text: str) -> str:
    def cut(match: re.Match[str]) -> str:
        after = text[match.end()]
        return match.group(1) + " " if after.isupper() else match.group(1)

    return _GLUED_WORD.sub(cut, text)


def _expand(text: str) -> str:
    text = " ".join(_unglued(text).replace("*", " ").split()).strip(" .,;:-")
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def _body(text: str) -> str:
    return gazetteer.body_name(text) or (capitalize_org(text) if _mostly_caps(text) else text)


def _mostly_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def canonical_body(text: str) -> str:
    """The canonical name of one body written in a header, a citation or a body sentence."""
    text = _expand(text)
    if not text:
        return text
    known = gazetteer.body_name(text)
    if known:
        return known
    shadow = FoldedText(text)
    party = _PARTY_RE.match(shadow.folded)
    if party:
        name = text[shadow.to_original(party.start(2)):]
        place = gazetteer.province(name) if name else None
        return f"{_PARTY_NAMES[party.group(1)]} {place or title_words(name)}".strip()
    for match in _LOCALITY_RE.finditer(shadow.folded):
        if match.start() == 0:
            continue
        head = text[: shadow.to_original(match.start())].strip()
        name = text[shadow.to_original(match.end()):].strip()
        if match.group(1) in ("xa", "phuong") and fold(name).startswith(("hoi", "doi")):
            continue
        if match.group(1) == "quan" and re.match(r"(?:ly|tri)\b", fold(name)):
            continue  # 'HỘI ĐỒNG QUẢN LÝ …' folds like 'quận
        return f"{_body(head)} {_locality(match.group(1), name)}"
    return _body(text)


def locality_of(name: str) -> str | None:
    """'Ủy ban nhân dân tỉnh Quảng Ninh' → 'tỉnh Quảng Ninh'."""
    match = re.search(r"\b(tỉnh|[Tt]hành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s+\S.*$", name)
    return match.group(0) if match else None


def province_of(name: str | None) -> str | None:
    """The province named in a body's name ('… tỉnh Đắk Nông' → 'Đắk Nông')."""
    if not name:
        return None
    match = re.search(r"\b(?:tỉnh|thành phố|Tỉnh ủy|Thành ủy)\s+(.+)$", name)
    return gazetteer.province(match.group(1)) if match else None


# A collective organ of the body above it ('BAN THƯỜNG VỤ' under 'LIÊN ĐOÀN LUẬT SƯ VIỆT NAM'):
# its name is the organ's followed by the body's.
_ORGAN = re.compile(r"^(?:ban (?:chap hanh|thuong vu|thuong truc|kiem tra|sang lap|van dong)|"
                    r"hoi dong quan (?:ly|tri))$")


def combine_levels(parent: str, child: str) -> str:
    """The issuing body's full name from a two-level header (parent line, body line)."""
    if locality_of(child) or any(child.endswith(f" {name}") for name in _province_names()):
        return child  # 'Liên đoàn Bóng rổ Bình Thuận' names its own province
    folded = fold(child)
    if folded == "van phong" or _PARTY_RE.match(fold(parent)) or _ORGAN.match(folded):
        return f"{child} {parent}"
    locality = locality_of(parent)
    return f"{child} {locality}" if locality else child
