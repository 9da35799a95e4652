"""Issuer of a letter without a header, inferred from its body and signature.

The Lạng Sơn seed starts at 'Kính gửi'; its body says 'Công an tỉnh Lạng Sơn thông báo …', it is
signed 'GIÁM ĐỐC / Đại tá Vũ Như Hà' and filed 'Lưu: VT, PA05' (a police unit).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from ingest.extract import gazetteer
from ingest.extract.issuers import canonical_body
from ingest.folding import FoldedText

log = logging.getLogger(__name__)

# On a case-keeping fold: the body's kind in any case, its place's name capitalised.
_SELF_NAMING = re.compile(
    r"\b((?i:cong an|uy ban nhan dan|ubnd|so [a-z ,-]{3,50}?|bo chi huy quan su|ban [a-z ]{3,30}?|"
    r"tinh uy|huyen uy|thanh uy)\s+(?i:tinh|thanh pho|huyen|quan|thi xa)?\s*[A-Z][a-z]*"
    r"(?:\s+[A-Z][a-z]*){0,3})\s+(?:thong bao|de nghi|yeu cau|chi dao|huong dan|tran trong|"
    r"kinh gui|bao cao|canh bao)\b"
)


def infer_issuer(text: str, signer: dict[str, Any] | None,
                 distribution: list[str]) -> tuple[str, list[int]] | None:
    """(issuer, span) from a body sentence in which the issuer names itself, or None."""
    shadow = FoldedText(text, lower=False)
    for match in _SELF_NAMING.finditer(shadow.folded):
        raw = shadow.slice(match.start(1), match.end(1))
        name = canonical_body(raw)
        if _consistent(name, signer):
            return name, list(shadow.span(match.start(1), match.end(1)))
    return None


def _consistent(name: str, signer: dict[str, Any] | None) -> bool:
    """A police body is signed by a Giám đốc/Trưởng, a People's Committee by a Chủ tịch."""
    title = (signer or {}).get("title") or ""
    if name.startswith("Công an"):
        return not title or "Giám đốc" in title or "Trưởng" in title
    if name.startswith("Ủy ban nhân dân"):
        return not title or "Chủ tịch" in title
    return True


def infer_from_symbol(symbol: str | None, place: str | None, text: str) -> str | None:
    """A People's Committee letter without its header: symbol 'UBND-…', the place of the date
    line and the level the body speaks of ('Chủ tịch UBND huyện …') give its issuer."""
    if not symbol or not place or not re.match(r"UBND\b", symbol):
        return None
    province = gazetteer.province(place)
    if province:
        return f"Ủy ban nhân dân tỉnh {province}"
    folded = FoldedText(text).folded
    for level, name in (("huyen", "huyện"), ("thi xa", "thị xã"), ("xa", "xã")):
        if re.search(rf"\b(?:ubnd|uy ban nhan dan)\s+{level}\b(?!\s+[a-z]*\s*,)", folded):
            return f"Ủy ban nhân dân {name} {place}"
    return None
