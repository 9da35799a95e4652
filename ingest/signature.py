"""The foot of a letter: the signature block (authority, title, name) and 'Nơi nhận'.

Authority prefixes stack (`TM. ỦY BAN NHÂN DÂN` / `KT. CHỦ TỊCH` / `PHÓ CHỦ TỊCH` / name): the
signer's authority is the last prefix, `on_behalf_of` the body or post named by the first one;
`authority_lines` keeps every prefix line as the letter has it ('TM. Ủy ban nhân dân', 'KT. Chủ
tịch') so the block can be shown whole.
OCR often interleaves the signature column with 'Nơi nhận' (`- Như trên; CHỦ TỊCH`); the cleaning
step splits such lines, and here distribution items skip the signature lines between them.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from . import gazetteer
from .bodies import canonical_body, capitalize_org
from .folding import fold
from .layout import Line, is_caps_line

log = logging.getLogger(__name__)

_AUTHORITY_RE = re.compile(r"^\s*(TM|KT|TL|TUQ|Q|T/M|K/T|T/L)\s*\.?\s+(\S.*)$")
_RECIPIENTS_HEAD = re.compile(r"^\s*n\w{1,2}i\s+nh\w{1,2}n\s*:?\s*$")
_ITEM_RE = re.compile(r"^\s*[-–—+•]\s*(.*)$")
_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][a-zà-ỹđ']*$|^[A-ZĐ]'$")
_SIGNED_NOTE = re.compile(r"^\s*\(?\s*(?:đã ký|da ky|ký|ky|chữ ký số|\(?ký tên)", re.IGNORECASE)


@dataclass
class Foot:
    signer: dict[str, Any] | None = None
    distribution: list[str] = field(default_factory=list)
    spans: dict[str, list[int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    start: int | None = None  # index of the first line of the foot (Nơi nhận or signature)


def _authority(line: Line) -> tuple[str, str] | None:
    match = _AUTHORITY_RE.match(line.text)
    if not match or not is_caps_line(match.group(2)):
        return None
    prefix = match.group(1).replace("/", "") + "."
    return prefix, match.group(2).strip()


def _post_or_body(text: str) -> str:
    return gazetteer.title(text) or canonical_body(text)


def _title(text: str) -> str | None:
    text = text.strip(" *")
    if not is_caps_line(text) or len(text) > 70:
        return None
    known = gazetteer.title(text)
    if known:
        return known
    words = fold(text).split()
    posts = ("chu tich", "giam doc", "truong", "bi thu", "thu tuong", "cuc truong", "chanh")
    if any(p in " ".join(words) for p in posts):
        return _capitalize_title(text)
    return None


def _capitalize_title(text: str) -> str:
    """'CỤC TRƯỞNG CỤC Y TẾ DỰ PHÒNG' → 'Cục trưởng Cục Y tế dự phòng'; 'PHÓ BÍ THƯ THƯỜNG
    TRỰC' → 'Phó Bí thư Thường trực'."""
    words = text.split()
    for size in (3, 2, 1):
        head = gazetteer.title(" ".join(words[:size])) if len(words) >= size else None
        if head:
            rest = " ".join(words[size:])
            if not rest:
                return head
            if fold(rest) in ("tinh", "huyen", "xa", "thanh pho", "quan", "phuong"):
                return f"{head} {rest.lower()}"
            body = gazetteer.body_name(rest) or gazetteer.title(rest) or capitalize_org(rest)
            return f"{head} {body}"
    return capitalize_org(text)


def _is_name(text: str) -> bool:
    words = text.strip().split()
    if not 2 <= len(words) <= 7 or is_caps_line(text):
        return False
    _rank, rest = gazetteer.split_rank(text.strip())
    return all(_NAME_WORD.match(w) for w in rest.split()) and len(rest.split()) >= 2


def find_signer(lines: list[Line], start: int) -> tuple[dict[str, Any] | None, list[int]]:
    """Signer from lines[start:]; also the span of the block."""
    authorities: list[tuple[str, str]] = []
    title = name = None
    first = last = None
    for line in lines[start:]:
        text = line.text.strip()
        found = _authority(line) if name is None and title is None else None
        if found:
            authorities.append(found)
            first = first if first is not None else line.start
            continue
        if title is None and _title(text):
            title = _title(text)
            first = first if first is not None else line.start
            last = line.end
            continue
        if (title is not None or authorities) and name is None and _is_name(text):
            name = gazetteer.split_rank(text)[1]
            last = line.end
        if title and is_caps_line(text) and not _title(text) and name is None:
            break
    if not authorities and title is None:
        return None, []
    behalf = _post_or_body(authorities[0][1]) if authorities else None
    if authorities and authorities[-1][0] == "Q." and title is None:
        title, behalf = _post_or_body(authorities[-1][1]), None  # 'Q. GIÁM ĐỐC': acting director
        if len(authorities) > 1:
            behalf = _post_or_body(authorities[0][1])
    lines = [f"{prefix} {_post_or_body(text)}" for prefix, text in authorities]
    signer = {"name": name, "title": title,
              "authority": authorities[-1][0] if authorities else None, "on_behalf_of": behalf,
              "authority_lines": lines}
    return signer, [first or 0, last or first or 0]


def _clean_item(text: str) -> str:
    text = " ".join(text.split())
    if re.match(r"^l\w{1,2}u\b", fold(text)):
        return re.split(r"\.(?:\s|$)", text)[0].strip(" ;,.")
    head, _, tail = text.partition(";")
    tail = tail.strip()
    if tail.startswith("(") and tail.endswith(")"):
        head = f"{head.strip()} {tail}"
    return head.strip(" ;,.")


def find_distribution(lines: list[Line], head: int) -> tuple[list[str], list[int]]:
    """Items of 'Nơi nhận:' starting at line `head`, skipping interleaved signature lines."""
    items: list[str] = []
    span = [lines[head].start, lines[head].end]
    for line in lines[head + 1:]:
        text = line.text.strip()
        match = _ITEM_RE.match(text)
        if match:
            item = _clean_item(match.group(1))
            if item:
                items.append(item)
                span[1] = line.end
            if re.match(r"^l\w{1,2}u\b", fold(item)):
                break
            continue
        if not text or _authority(line) or _title(text) or _is_name(text) or len(text) < 12:
            continue
        break
    return items, span


def parse_foot(lines: list[Line], body_start: int) -> Foot:
    foot = Foot()
    head = next((ln.index for ln in lines[body_start:] if _RECIPIENTS_HEAD.match(ln.folded)),
                None)
    if head is not None:
        foot.distribution, foot.spans["distribution"] = find_distribution(lines, head)
        foot.start = head
    else:
        foot.warnings.append("Không tìm thấy phần nơi nhận.")
    search_from = _signature_search_start(lines, body_start, head)
    foot.signer, span = find_signer(lines, search_from)
    if foot.signer is None:
        foot.warnings.append("Không tìm thấy chữ ký (chức vụ, người ký).")
    else:
        foot.spans["signer"] = span
        if foot.signer["name"] is None:
            foot.warnings.append("Không đọc được tên người ký.")
    if foot.start is None and span:
        foot.start = next((ln.index for ln in lines if ln.start >= span[0]), None)
    return foot


def _signature_search_start(lines: list[Line], body_start: int, head: int | None) -> int:
    """The signature sits beside or just before 'Nơi nhận'; search from the body's last lines."""
    if head is None:
        return max(body_start, len(lines) - 25)
    back = head
    while back > body_start and head - back < 6:
        text = lines[back - 1].text.strip()
        if text and not (is_caps_line(text) or _is_name(text)):
            break
        back -= 1
    return back
