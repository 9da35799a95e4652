"""How one letter cites another: "Công văn số 1234/UBND-VX ngày 12/3/2021 của …" and its record."""

from __future__ import annotations

import logging
import random
from datetime import date
from typing import TYPE_CHECKING, Any

from bench.generator.numbering import make_key

if TYPE_CHECKING:
    from bench.generator.plan import LetterPlan

log = logging.getLogger(__name__)


def _month(month: int) -> str:
    return f"{month:02d}" if month < 3 else str(month)


def long_date(day: date) -> str:
    """'ngày 05 tháng 01 năm 2020', 'ngày 29 tháng 6 năm 2019' (Decree 30 padding)."""
    return f"ngày {day.day:02d} tháng {_month(day.month)} năm {day.year}"


def short_date(rng: random.Random, day: date, party: bool = False) -> str:
    """A date as citations write it: '19/02/2025', '17/6/2021', '17/06/2021', party '07-10-2022'."""
    style = rng.random()
    if party and style < 0.4:
        return f"{day.day:02d}-{day.month:02d}-{day.year}"
    if style < 0.55:
        return f"{day.day:02d}/{_month(day.month)}/{day.year}"
    if style < 0.8:
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{day.day}/{day.month}/{day.year}"


def any_date(rng: random.Random, day: date, party: bool = False) -> str:
    return long_date(day) if rng.random() < 0.15 else "ngày " + short_date(rng, day, party)


def record(doc_type: str, reference: str, day: date, issuer: str) -> dict[str, Any]:
    return {"doc_type": doc_type, "reference": reference, "key": make_key(reference),
            "date": day.isoformat(), "issuer": issuer}


def _about(cited: LetterPlan) -> str:
    if cited.abbr in ("KH", "BC", "TB"):
        return "về " + cited.subject[0].lower() + cited.subject[1:]
    return "về việc " + cited.subject


def _issuer_words(rng: random.Random, citing: LetterPlan, cited: LetterPlan) -> str:
    issuer = cited.issuer
    same_place = issuer.province is not None and issuer.province == citing.issuer.province
    if same_place and issuer.kind == "province" and rng.random() < 0.3:
        return rng.choice((issuer.short, f"UBND {issuer.scope}"))
    if issuer.kind == "party" and rng.random() < 0.4:
        return issuer.short
    return issuer.name


def cite_letter(rng: random.Random, citing: LetterPlan, cited: LetterPlan) -> tuple[str, str]:
    """First mention (type, number, date, issuer and mostly subject) and the issuer as written."""
    word = "văn bản" if cited.abbr == "CV" and rng.random() < 0.15 else cited.doc_type
    when = any_date(rng, cited.day, cited.issuer.party)
    comma = "," if cited.issuer.party and rng.random() < 0.5 else ""
    who = _issuer_words(rng, citing, cited)
    about = f" {_about(cited)}" if rng.random() < 0.8 else ""
    if rng.random() < 0.15:
        return f"{word} của {who} số {cited.reference}{comma} {when}{about}", who
    return f"{word} số {cited.reference}{comma} {when} của {who}{about}", who


def cite_law(rng: random.Random, law: list[Any]) -> str:
    """'Luật Đất đai số 31/2024/QH15 ngày 18/01/2024', 'Nghị định số 30/2020/NĐ-CP … về …'."""
    doc_type, reference, iso, issuer, words, _topics = law
    day = date.fromisoformat(iso)
    party = "/TW" in reference
    when = any_date(rng, day, party)
    if doc_type == "Luật":
        return f"{words} số {reference} {when}"
    comma = "," if party and rng.random() < 0.5 else ""
    return f"{doc_type} số {reference}{comma} {when} của {issuer} {words}"


def law_record(law: list[Any]) -> dict[str, Any]:
    """A law is cited without its issuer ('Luật Đất đai số …'): issuer null, as the text says."""
    entry = record(law[0], law[1], date.fromisoformat(law[2]), law[3])
    if law[0] == "Luật":
        entry["issuer"] = None
    return entry


def letter_record(cited: LetterPlan, issuer_words: str) -> dict[str, Any]:
    """The cited letter's record with its issuer as the citing text writes it."""
    return {"doc_type": cited.doc_type, "reference": cited.reference, "key": cited.key,
            "date": cited.day.isoformat(), "issuer": issuer_words}
