"""Names the extractor restores from OCR'd or caps text: provinces, bodies, titles, ranks.

Matching is on a folded form where the English OCR model's `P` for `Đ` is undone
(`Pong Thap` → `dong thap`), with rapidfuzz for the remaining damage.

>>> province("TINH PONG THAP".split(maxsplit=1)[1])
'Đồng Tháp'
>>> body_name("UY BAN NHAN DAN")
'Ủy ban nhân dân'
"""

from __future__ import annotations

import json
import logging
import re
from functools import cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from ingest.folding import fold

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parents[1] / "data" / "gazetteer.json"


@cache
def data() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def match_fold(text: str) -> str:
    """Fold for matching: lower ASCII, OCR's word-initial 'p' (not 'ph') back to 'd', spaces."""
    folded = _OCR_P.sub("d", fold(text))
    return " ".join(_NOT_A_NAME_CHAR.sub(" ", folded).split())


_OCR_P = re.compile(r"\bp(?!h)(?=[a-z])")
_NOT_A_NAME_CHAR = re.compile(r"[^a-z0-9&/]+")


def _names(kind: str) -> list[str]:
    table = data()
    return {
        "province": lambda: table["provinces"] + table["provinces_2025"],
        "body": lambda: table["local_bodies"] + list(table["central_bodies"]),
        "title": lambda: table["titles"],
        "rank": lambda: table["ranks"],
        "phrase": lambda: table["phrases"],
        "doc_type": lambda: list(table["doc_types"]),
    }[kind]()


@cache
def _index(kind: str) -> dict[str, str]:
    """Folded name → name; when two names fold alike (Thủ/Thứ trưởng) the first one wins."""
    index: dict[str, str] = {}
    for name in _names(kind):
        index.setdefault(match_fold(name), name)
    return index


@cache
def _exact_index(kind: str) -> dict[str, str]:
    return {name.lower(): name for name in _index(kind).values()} | {
        name.lower(): name for name in _names(kind)
    }


def lookup(kind: str, text: str, cutoff: float = 88.0) -> str | None:
    """The canonical name of `kind` closest to `text` (exact fold first, then fuzzy)."""
    key = match_fold(text)
    if not key:
        return None
    exact = _exact_index(kind).get(" ".join(text.lower().split()))
    if exact or cutoff >= 100:
        return exact  # only fuzzy when asked: 'Thạnh Hòa' is not 'Thanh Hóa'
    index = _index(kind)
    if key in index:
        return index[key]
    best = process.extractOne(key, list(index), scorer=fuzz.ratio, score_cutoff=cutoff)
    return index[best[0]] if best else None


def province(text: str, fuzzy: bool = True) -> str | None:
    """The province named by `text`; fuzzy (for OCR damage) or only up to case and marks."""
    return lookup("province", text, cutoff=85.0 if fuzzy else 100.0)


def province_unmarked(text: str) -> str | None:
    """The province `text` spells up to case and the marks of at most half its syllables (OCR's
    'Lâm Đông', 'Hà Nói'): places are a closed list, so such a name is that place. A commune
    whose every syllable differs ('Thạnh Hòa', not 'Thanh Hóa') keeps its own name."""
    name = _index("province").get(match_fold(text))
    if name is None:
        return None
    written, known = text.lower().split(), name.lower().split()
    if len(written) != len(known):
        return name if match_fold(text) == match_fold(name) and len(known) == 1 else None
    differ = sum(a != b for a, b in zip(written, known, strict=True))
    return name if differ <= len(known) // 2 else None


def body_names() -> list[str]:
    """Every known body name (local and central), as written."""
    return _names("body")


def body_name(text: str) -> str | None:
    return lookup("body", text, cutoff=90.0)


def title(text: str) -> str | None:
    return lookup("title", text, cutoff=90.0)


def phrase(text: str) -> str | None:
    return lookup("phrase", text, cutoff=90.0)


def doc_type_name(text: str) -> str | None:
    return lookup("doc_type", text, cutoff=92.0)


def split_rank(name: str) -> tuple[str | None, str]:
    """('Đại tá', 'Vũ Như Hà') from 'Đại tá Vũ Như Hà'; (None, name) without a rank."""
    words = name.split()
    for size in (2,):
        if len(words) > size:
            rank = lookup("rank", " ".join(words[:size]), cutoff=95.0)
            if rank:
                return rank, " ".join(words[size:])
    return None, name


def abbreviation(abbr: str) -> str | None:
    """'BTTTT' → 'Bộ Thông tin và Truyền thông', 'TTg' → 'Thủ tướng Chính phủ'."""
    table = data()["issuer_abbreviations"]
    folded = {fold(k): v for k, v in table.items()}
    for name, abbrs in data()["central_bodies"].items():
        for item in abbrs:
            folded.setdefault(fold(item), name)
    return folded.get(fold(abbr))


def doc_type_abbreviations() -> dict[str, str]:
    """Folded type abbreviation → type name ('qd' → 'Quyết định', 'cd' → 'Công điện')."""
    table = {fold(abbr): name for name, abbr in data()["doc_types"].items() if abbr}
    table["qb"] = "Quyết định"
    return table


def is_province(text: str) -> bool:
    return match_fold(text) in _index("province")
