"""One name per assignee, however a letter writes it, and the names bodies took in 2025.

'Sở Tài chính', 'Sở TC', 'STC', 'SỞ TÀI CHÍNH' in a letter of the Ủy ban nhân dân tỉnh Lâm Đồng
and 'Sở Tài chính tỉnh Lâm Đồng' anywhere are one assignee, 'Sở Tài chính tỉnh Lâm Đồng': short
forms are spelled out (the department codes of ingest/data/bodies-2025.json, the gazetteer's
abbreviations), the name is made canonical as an issuer's is (ingest.extract.issuers), and a
department named without its province belongs to the province of the letter that names it.
Groups ('Các sở, ban, ngành', 'UBND các huyện') stay groups: one name per way of grouping.

The 2025 reorganisation (63 → 34 provinces, ministries and departments merged; the tables and
their sources in ingest/data/bodies-2025.json) gives a body named before it the name(s) it has
since: `successors('Sở Kế hoạch và Đầu tư tỉnh Bình Thuận')` is 'Sở Tài chính tỉnh Lâm Đồng'. A
page of the new body lists the tasks given under the old names too, and says so.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ingest.extract import gazetteer
from ingest.extract.issuers import canonical_body, province_of
from ingest.folding import fold

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parents[1] / "data" / "bodies-2025.json"


@cache
def data() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class AssigneeName:
    """An assignee's canonical name; `group` for a kind of bodies ('Các sở, ban, ngành')."""

    name: str
    group: bool = False

    @property
    def key(self) -> str:
        return name_key(self.name)


def name_key(name: str) -> str:
    """'Sở Tài chính tỉnh Lâm Đồng' → 'so tai chinh tinh lam dong' (words only)."""
    return " ".join(re.findall(r"[^\W_]+", fold(name)))


# A name that groups bodies: 'các …', 'UBND các huyện', 'Thủ trưởng các sở'.
_GROUP = re.compile(r"(?:^|\s)cac\s")
# 'tỉnh' or 'Tỉnh' at the end: the province of the letter ('Công an Tỉnh', 'UBND tỉnh').
_BARE_PROVINCE = re.compile(r"\s+(?:tỉnh|Tỉnh|TỈNH)$")
# Bodies of a province named without it: a department, the province's police, its office.
_PROVINCIAL = ("so ", "cong an tinh", "uy ban nhan dan tinh", "van phong uy ban nhan dan tinh",
               "bo chi huy quan su tinh", "thanh tra tinh", "hoi dong nhan dan tinh")
_DEPARTMENT_CODE = re.compile(r"^(?:Sở|SỞ|sở)\s+(?P<code>[\w&-]+)$")
_LETTER_CODE = re.compile(r"^S(?P<code>[A-ZĐ&-]{2,})$")


def normalise(name: str, province: str | None = None) -> AssigneeName:
    """The canonical name of an assignee as written; `province`: the province of the letter
    (from its issuer), given to a provincial body named without one."""
    written = " ".join(name.split()).strip(" .,;:-")
    if not written:
        return AssigneeName("")
    if _GROUP.search(fold(written)):
        return AssigneeName(_group_name(written), group=True)
    expanded = _spelled_out(written)
    bare = _BARE_PROVINCE.search(expanded)
    if bare:
        expanded = expanded[:bare.start()] + " tỉnh"
    canonical = canonical_body(expanded)
    if bare or (province and not province_of(canonical) and fold(canonical + " ").startswith(
            _PROVINCIAL) and not _has_locality(canonical)):
        base = re.sub(r"\s+tỉnh$", "", canonical)
        canonical = f"{base} {_locality(province)}" if province else canonical
    return AssigneeName(canonical)


def _has_locality(name: str) -> bool:
    return bool(re.search(r"\b(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường) \S", name))


def _locality(province: str) -> str:
    """'Lâm Đồng' → 'tỉnh Lâm Đồng'; a centrally-run city → 'thành phố Hải Phòng'."""
    if province == "Thành phố Hồ Chí Minh":
        return "Thành phố Hồ Chí Minh"
    kind = "thành phố" if province in data()["cities"] else "tỉnh"
    return f"{kind} {province}"


def _spelled_out(name: str) -> str:
    """'Sở TC', 'STC', 'Sở KH&ĐT' → 'Sở Tài chính', 'Sở Kế hoạch và Đầu tư'; 'BTC' → 'Bộ Tài
    chính'; 'UBND …' → 'Ủy ban nhân dân …'."""
    codes = {key.upper(): value for key, value in data()["department_abbreviations"].items()}
    head, _, rest = name.partition(" tỉnh ")
    tail = f" tỉnh {rest}" if rest else ""
    department = _DEPARTMENT_CODE.match(head) or _LETTER_CODE.match(head)
    if department and department.group("code").upper() in codes:
        return f"Sở {codes[department.group('code').upper()]}{tail}"
    if " " not in head:
        known = gazetteer.abbreviation(head)
        if known:
            return known + tail
    return re.sub(r"^UBND\b", "Ủy ban nhân dân", re.sub(r"^HĐND\b", "Hội đồng nhân dân", name))


def _group_name(name: str) -> str:
    """A group as one name: abbreviations spelled out, the first letter a capital, the
    letter's province left out ('Các sở, ban, ngành tỉnh' is 'Các sở, ban, ngành')."""
    text = re.sub(r"\bUBND\b", "Ủy ban nhân dân", name)
    text = re.sub(r"\bHĐND\b", "Hội đồng nhân dân", text)
    text = re.sub(r"\s+(?:tỉnh|Tỉnh|TỈNH)$", "", text)
    return text[:1].upper() + text[1:]


# -- the 2025 reorganisation ---------------------------------------------------------------------


@cache
def _renamed_bodies() -> dict[str, list[str]]:
    return {name_key(old): new for old, new in data()["bodies"].items()}


@cache
def _renamed_provinces() -> dict[str, str]:
    return {name_key(old): new for old, new in data()["provinces"].items()}


def successors(name: str) -> list[str]:
    """The names a body named before the 2025 reorganisation has since (its main successor
    first; a department whose duties were split has several); [] when its name stands."""
    if _GROUP.search(fold(name)):
        return []
    body, locality = _split_locality(name)
    bodies = _renamed_bodies().get(name_key(body), [])
    place = None
    if locality:
        province = province_of(name)
        new_province = _renamed_provinces().get(name_key(province or ""))
        place = _locality(new_province) if new_province else None
    if not bodies and not place:
        return []
    return [f"{new} {place or locality}".strip() for new in bodies or [body]]


def _split_locality(name: str) -> tuple[str, str]:
    """'Sở Tài chính tỉnh Bình Thuận' → ('Sở Tài chính', 'tỉnh Bình Thuận')."""
    match = re.search(r"\s((?:tỉnh|thành phố|Thành phố) .+)$", name)
    if match is None:
        return name, ""
    return name[:match.start()], match.group(1)


def same_body(name: str, other: str) -> bool:
    """Whether two canonical names are one body, up to the 2025 names ('Sở Kế hoạch và Đầu tư
    tỉnh Bình Thuận' and 'Sở Tài chính tỉnh Lâm Đồng')."""
    keys = {name_key(name), *(name_key(new) for new in successors(name))}
    return name_key(other) in keys or bool(
        keys & {name_key(new) for new in successors(other)})
