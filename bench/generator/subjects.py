"""What a letter is: its type, topic, trích yếu (subject) and the title line under the type."""

from __future__ import annotations

import logging
import random
from datetime import date

from bench.generator import vocab
from bench.generator.issuers import CENTRAL, Issuer

log = logging.getLogger(__name__)

TYPE_NAMES = {
    "CV": "Công văn", "KH": "Kế hoạch", "QĐ": "Quyết định", "CĐ": "Công điện",
    "TB": "Thông báo", "CT": "Chỉ thị", "BC": "Báo cáo",
}
TYPE_WEIGHTS = {  # by kind of issuer: CV KH QĐ CĐ TB CT BC
    "province": (45, 14, 14, 4, 8, 5, 10), "department": (60, 12, 8, 0, 7, 0, 13),
    "ministry": (65, 5, 12, 1, 5, 3, 9), "pm": (20, 0, 25, 35, 0, 20, 0),
    "govoffice": (70, 0, 0, 0, 30, 0, 0), "police": (60, 20, 0, 0, 10, 0, 10),
    "party": (40, 15, 10, 0, 15, 10, 10), "party_board": (55, 20, 0, 0, 10, 0, 15),
    "district": (55, 15, 12, 3, 7, 0, 8), "commune": (60, 15, 10, 2, 5, 0, 8),
}


def choose_type(rng: random.Random, issuer: Issuer) -> str:
    return rng.choices(tuple(TYPE_NAMES), TYPE_WEIGHTS[issuer.kind])[0]


def _in_window(topic: dict, day: date) -> bool:
    windows = topic.get("windows") or ([topic["window"]] if "window" in topic else [])
    iso = day.isoformat()
    return not windows or any(start <= iso <= end for start, end in windows)


def choose_topic(rng: random.Random, issuer: Issuer, abbr: str, day: date) -> tuple[str, str]:
    """(topic, abbr): a topic of this issuer open on `day`; Công điện only on urgent topics."""
    everything = vocab.topics()
    allowed = [t for t in (issuer.topics or everything) if _in_window(everything[t], day)]
    if abbr == "CĐ":
        urgent = [t for t in allowed if everything[t]["urgent"]]
        if urgent:
            return rng.choice(urgent), abbr
        abbr = "CV"
    if not allowed:
        allowed = [t for t in everything if _in_window(everything[t], day)]
    return rng.choice(allowed), abbr


def _core(rng: random.Random, topic: dict, day: date) -> str:
    subjects = [s for s in topic["subjects"] if vocab.usable(s, day)] or topic["area"]
    phrase = rng.choice(subjects).format(
        year=day.year, next_year=day.year + 1, storm=rng.randint(1, 9))
    return vocab.modernize(phrase, day)


def _report_title(rng: random.Random, area: str, day: date) -> str:
    year = day.year if day.month >= 6 else day.year - 1
    forms = (
        f"Kết quả thực hiện công tác {area} năm {year}",
        f"Tình hình thực hiện công tác {area} {rng.choice((3, 6, 9))} tháng đầu năm {day.year}",
        f"Sơ kết công tác {area} 6 tháng đầu năm {day.year}, phương hướng, nhiệm vụ "
        "6 tháng cuối năm",
        f"Tổng kết công tác {area} năm {year} và phương hướng, nhiệm vụ năm {year + 1}",
    )
    return rng.choice(forms)


def subject_and_title(
    rng: random.Random, issuer: Issuer, abbr: str, topic_key: str, day: date
) -> tuple[str, str, str | None]:
    """(doc_type, subject, title line); the subject drops "V/v", "Về việc", "Về"."""
    topic = vocab.topics()[topic_key]
    core, area = _core(rng, topic, day), rng.choice(topic["area"])
    if abbr == "CV":
        return TYPE_NAMES[abbr], core, None
    if abbr in ("CĐ", "CT"):
        lead = rng.choice(("Về việc ", "Về ")) if abbr == "CT" else "Về việc "
        return TYPE_NAMES[abbr], core, lead + core
    if abbr == "QĐ":
        where = "" if issuer.kind in CENTRAL else f" {issuer.scope}"
        subject = rng.choice((
            f"ban hành Kế hoạch {core}", f"phê duyệt Kế hoạch {core}",
            f"thành lập Tổ công tác liên ngành về {area}",
            f"kiện toàn Ban Chỉ đạo {area}{where}",
            f"ban hành Quy chế phối hợp trong công tác {area}"))
        return TYPE_NAMES[abbr], subject, "Về việc " + subject
    if abbr == "KH":
        title = core[0].upper() + core[1:]
        if str(day.year) not in title and rng.random() < 0.6:
            title += f" năm {day.year}"
        return TYPE_NAMES[abbr], title, title
    if abbr == "TB":
        title = rng.choice((
            f"Kết luận của {issuer.head} tại cuộc họp về {area}",
            f"Ý kiến chỉ đạo của lãnh đạo {issuer.short} về {core}",
            f"Kết luận của {issuer.head} tại buổi làm việc về {core}"))
        return TYPE_NAMES[abbr], title, title
    title = _report_title(rng, area, day)
    return TYPE_NAMES[abbr], title, title
