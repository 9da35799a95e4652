"""Provinces before and after the 2025 reorganisation, and the province of a letter's issuer.

Letters keep the names they were issued under; a filter on a merged province (`tinh:lam dong`)
must also find letters of its former provinces (Đắk Nông, Bình Thuận). Source:
shared/reference/provinces-2025.md (Nghị quyết 202/2025/QH15).

>>> province_of("Sở Thông tin và Truyền thông tỉnh Đắk Nông")
'Đắk Nông'
>>> sorted(province_terms("Đắk Nông"))
['dak-nong', 'lam-dong']
"""

from __future__ import annotations

import logging
import re

from .accents import fold_text

log = logging.getLogger(__name__)

UNCHANGED = (
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Cao Bằng",
)
# New province ← former provinces (the new one keeps its own name among them).
MERGED: dict[str, tuple[str, ...]] = {
    "Tuyên Quang": ("Hà Giang", "Tuyên Quang"),
    "Lào Cai": ("Lào Cai", "Yên Bái"),
    "Thái Nguyên": ("Bắc Kạn", "Thái Nguyên"),
    "Phú Thọ": ("Vĩnh Phúc", "Phú Thọ", "Hòa Bình"),
    "Bắc Ninh": ("Bắc Giang", "Bắc Ninh"),
    "Hưng Yên": ("Thái Bình", "Hưng Yên"),
    "Hải Phòng": ("Hải Dương", "Hải Phòng"),
    "Ninh Bình": ("Hà Nam", "Ninh Bình", "Nam Định"),
    "Quảng Trị": ("Quảng Bình", "Quảng Trị"),
    "Đà Nẵng": ("Quảng Nam", "Đà Nẵng"),
    "Quảng Ngãi": ("Kon Tum", "Quảng Ngãi"),
    "Gia Lai": ("Gia Lai", "Bình Định"),
    "Khánh Hòa": ("Ninh Thuận", "Khánh Hòa"),
    "Lâm Đồng": ("Lâm Đồng", "Đắk Nông", "Bình Thuận"),
    "Đắk Lắk": ("Đắk Lắk", "Phú Yên"),
    "Hồ Chí Minh": ("Bà Rịa - Vũng Tàu", "Bình Dương", "Hồ Chí Minh"),
    "Đồng Nai": ("Đồng Nai", "Bình Phước"),
    "Tây Ninh": ("Tây Ninh", "Long An"),
    "Cần Thơ": ("Cần Thơ", "Sóc Trăng", "Hậu Giang"),
    "Vĩnh Long": ("Bến Tre", "Vĩnh Long", "Trà Vinh"),
    "Đồng Tháp": ("Tiền Giang", "Đồng Tháp"),
    "Cà Mau": ("Bạc Liêu", "Cà Mau"),
    "An Giang": ("Kiên Giang", "An Giang"),
}
# Other spellings found in letters → the name used here.
ALIASES = {
    "Thừa Thiên Huế": "Huế", "Thừa Thiên - Huế": "Huế", "Thành phố Hồ Chí Minh": "Hồ Chí Minh",
    "TP. Hồ Chí Minh": "Hồ Chí Minh", "TP Hồ Chí Minh": "Hồ Chí Minh", "Bà Rịa Vũng Tàu":
    "Bà Rịa - Vũng Tàu", "Thanh Hoá": "Thanh Hóa", "Khánh Hoà": "Khánh Hòa", "Hoà Bình":
    "Hòa Bình", "Đắc Nông": "Đắk Nông", "Đắc Lắc": "Đắk Lắk", "Đăk Nông": "Đắk Nông",
    "Đăk Lăk": "Đắk Lắk", "Bắc Cạn": "Bắc Kạn", "Kon Tom": "Kon Tum",
}

NEW_NAME = {old: new for new, olds in MERGED.items() for old in olds} | {
    name: name for name in UNCHANGED
}
ALL_NAMES = sorted(NEW_NAME)  # 63 former provinces (every current name is among them)

_BY_FOLDED = {fold_text(name): name for name in ALL_NAMES} | {
    fold_text(alias): name for alias, name in ALIASES.items()
}
_FOLDED_RE = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in sorted(_BY_FOLDED, key=len, reverse=True)) + r")\b"
)
_LOCAL_RE = re.compile(r"\b(tinh|thanh pho|tp|huyen|quan|thi xa|xa|phuong|ubnd|hdnd)\b")


def slug(text: str) -> str:
    """Folded, hyphen-joined form used as a filter term: 'Bà Rịa - Vũng Tàu' → 'ba-ria-vung-tau'."""
    return "-".join(re.findall(r"[a-z0-9]+", fold_text(text)))


def find_province(text: str | None) -> str | None:
    """The first province named in a text (longest name wins at a position), or None."""
    if not text:
        return None
    match = _FOLDED_RE.search(fold_text(text))
    return _BY_FOLDED[match.group(1)] if match else None


def province_of(
    issuer: str | None, parent: str | None = None, place: str | None = None
) -> str | None:
    """The province a letter belongs to: named in its issuer or parent issuer, else its place
    when the issuer is a local body (a ministry's letters dated 'Hà Nội' are not Hà Nội's)."""
    found = find_province(issuer) or find_province(parent)
    if found:
        return found
    local = _LOCAL_RE.search(fold_text(" ".join(filter(None, (issuer, parent)))))
    return find_province(place) if local else None


def province_terms(name: str | None) -> set[str]:
    """Filter terms of a province: its own slug and its post-2025 province's slug."""
    if not name:
        return set()
    return {slug(name), slug(NEW_NAME.get(name, name))}


def province_query_term(value: str) -> str:
    """The filter term for what a user typed after `tinh:` ('lam dong', 'TP. Hồ Chí Minh')."""
    name = find_province(value)
    return slug(name) if name else slug(value)
