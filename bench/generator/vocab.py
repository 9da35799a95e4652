"""The generator's vocabulary: JSON lists under ingest/data/generator/, loaded once.

Also the two date-dependent rewrites every sentence goes through: `usable` (a template that names
a year is not used before that year) and `modernize` (agency names after the 2025 mergers).
"""

from __future__ import annotations

import json
import logging
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import ingest

log = logging.getLogger(__name__)

# The word lists sit with ingest's data: the diacritics model is trained on them too.
DATA_DIR = Path(ingest.__file__).resolve().parent / "data" / "generator"
MINISTRY_MERGER = date(2025, 3, 1)  # ministries and provincial departments merged
PROVINCE_MERGER = date(2025, 7, 1)  # 34 provinces, no district People's Committees

_RENAMED_MARCH_2025 = (
    ("Bộ Thông tin và Truyền thông", "Bộ Khoa học và Công nghệ"),
    ("Bộ Tài nguyên và Môi trường", "Bộ Nông nghiệp và Môi trường"),
    ("Bộ Nông nghiệp và Phát triển nông thôn", "Bộ Nông nghiệp và Môi trường"),
    ("Bộ Kế hoạch và Đầu tư", "Bộ Tài chính"),
    ("Bộ Giao thông vận tải", "Bộ Xây dựng"),
    ("Bộ Lao động - Thương binh và Xã hội", "Bộ Nội vụ"),
    ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"),
    ("Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Môi trường"),
    ("Sở Nông nghiệp và Phát triển nông thôn", "Sở Nông nghiệp và Môi trường"),
    ("Sở Kế hoạch và Đầu tư", "Sở Tài chính"),
    ("Sở Giao thông vận tải", "Sở Xây dựng"),
    ("Sở Lao động - Thương binh và Xã hội", "Sở Nội vụ"),
    ("Tổng cục Du lịch", "Cục Du lịch Quốc gia Việt Nam"),
)
_RENAMED_JULY_2025 = (
    ("các huyện, thị xã, thành phố", "các xã, phường, đặc khu"),
    ("các huyện, thành phố", "các xã, phường"),
    ("/63 tỉnh", "/34 tỉnh"),
)
_YEAR_RE = re.compile(r"(?<![\d{])(?:19|20)\d\d(?![\d}])")


@cache
def _load(name: str) -> Any:
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)


def places() -> dict[str, Any]:
    return _load("places.json")


def bodies() -> dict[str, Any]:
    return _load("bodies.json")


def phrases() -> dict[str, Any]:
    return _load("phrases.json")


def laws() -> list[list[Any]]:
    return _load("laws.json")


@cache
def topics() -> dict[str, dict[str, Any]]:
    """Every topic, from topics_*.json, in a fixed order."""
    merged: dict[str, dict[str, Any]] = {}
    for path in sorted(DATA_DIR.glob("topics_*.json")):
        merged.update(_load(path.name))
    return merged


@cache
def first_year(template: str) -> int:
    """The earliest year a template names outright (0 if none): 'Luật Đất đai năm 2024' → 2024."""
    years = [int(y) for y in _YEAR_RE.findall(template)]
    return min(years) if years else 0


def usable(template: str, day: date) -> bool:
    return first_year(template) <= day.year


@cache
def _modern(text: str, stage: int) -> str:
    for old, new in _RENAMED_MARCH_2025:
        text = text.replace(old, new)
    if stage >= 2:
        for old, new in _RENAMED_JULY_2025:
            text = text.replace(old, new)
    return text


def modernize(text: str, day: date) -> str:
    """Agency names as they were on `day` (the 2025 mergers renamed many)."""
    if day < MINISTRY_MERGER:
        return text
    return _modern(text, 2 if day >= PROVINCE_MERGER else 1)
