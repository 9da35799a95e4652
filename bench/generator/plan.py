"""Plan a corpus: who writes what, when, under which number, citing which earlier letters.

Planning is sequential and cheap (one random.Random for the whole set); writing each letter's
text afterwards needs only its plan and a per-letter random stream, so it can run in any order.
A share of planned letters are "phantoms": cited by others but not written, so some citations
point outside the set the way a real archive's do.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bench.generator import vocab
from bench.generator.issuers import Issuer, IssuerFactory
from bench.generator.numbering import Numbering, make_key, number_text
from bench.generator.signatures import Block, Names, choose_block
from bench.generator.subjects import choose_topic, choose_type, subject_and_title

log = logging.getLogger(__name__)

FIRST_DAY, LAST_DAY = date(2015, 1, 5), date(2026, 11, 20)
PHANTOM_SHARE = 0.15
_REPLACED_BY_2025_LAW = ("77/2015/QH13", "47/2019/QH14")  # by Luật 72/2025/QH15
PAGES = {  # target pages by type: (pages, weights)
    "CV": ((1, 2, 3), (55, 35, 10)), "CĐ": ((1, 2), (60, 40)), "TB": ((1, 2, 3), (40, 45, 15)),
    "CT": ((1, 2, 3), (20, 50, 30)), "KH": ((2, 3, 4, 5, 6), (25, 30, 20, 15, 10)),
    "QĐ": ((1, 2, 3, 4, 5), (40, 20, 20, 12, 8)), "BC": ((2, 3, 4, 5, 6), (25, 30, 20, 15, 10)),
}


@dataclass
class LetterPlan:
    index: int
    day: date
    issuer: Issuer
    abbr: str  # "CV" for a công văn, else the type abbreviation
    doc_type: str
    topic: str
    subject: str  # the trích yếu, without "V/v" / "Về việc"
    title: str | None  # the line under the type name (None for a công văn)
    symbol: str = ""
    number: int | None = None
    reference: str = ""
    key: str | None = None
    blank_day: bool = False
    urgency: str | None = None
    secrecy: str | None = None
    pages: int = 1
    phantom: bool = False
    block: Block = ()
    signer: tuple[str, str | None] = ("", None)
    cites: list[LetterPlan] = field(default_factory=list)
    laws: list[list[Any]] = field(default_factory=list)

    @property
    def citable(self) -> bool:
        return self.key is not None and not self.blank_day


def plan_corpus(count: int, seed: int) -> list[LetterPlan]:
    """Plans for `count` written letters (plus phantoms), in date order."""
    rng = random.Random(seed)
    issuers, names = IssuerFactory(rng), Names(rng)
    total = count + int(count * PHANTOM_SHARE / (1 - PHANTOM_SHARE))
    span = (LAST_DAY - FIRST_DAY).days
    days = sorted(FIRST_DAY + timedelta(days=rng.randrange(span + 1)) for _ in range(total))
    plans = [_plan_one(rng, issuers, names, i, day) for i, day in enumerate(days)]
    phantoms = set(rng.sample(range(total), total - count))
    numbering = Numbering(rng)
    registry: dict[tuple[str, str], list[LetterPlan]] = {}
    for plan in plans:
        plan.phantom = plan.index in phantoms
        _number(rng, numbering, plan)
        _choose_citations(rng, plan, registry)
    return plans


def _plan_one(
    rng: random.Random, issuers: IssuerFactory, names: Names, index: int, day: date
) -> LetterPlan:
    issuer = issuers.pick(day)
    abbr = choose_type(rng, issuer)
    topic, abbr = choose_topic(rng, issuer, abbr, day)
    doc_type, subject, title = subject_and_title(rng, issuer, abbr, topic, day)
    plan = LetterPlan(index, day, issuer, abbr, doc_type, topic, subject, title)
    pages, weights = PAGES[abbr]
    plan.pages = rng.choices(pages, weights)[0]
    plan.urgency, plan.secrecy = _marks(rng, issuer, abbr)
    plan.block = choose_block(rng, issuer, abbr)
    plan.signer = names.signer(issuer, plan.block[-1][1], day.year)
    return plan


def _marks(rng: random.Random, issuer: Issuer, abbr: str) -> tuple[str | None, str | None]:
    if abbr == "CĐ":
        urgency = rng.choices([None, "HỎA TỐC", "THƯỢNG KHẨN", "KHẨN"], [15, 50, 10, 25])[0]
    else:
        urgency = rng.choices([None, "KHẨN", "HỎA TỐC", "THƯỢNG KHẨN"], [93, 5, 1, 1])[0]
    secret_share = 0.06 if issuer.kind in ("party", "party_board", "police") else 0.015
    secrecy = None
    if rng.random() < secret_share:
        secrecy = "TỐI MẬT" if rng.random() < 0.15 else "MẬT"
    return urgency, secrecy


def _number(rng: random.Random, numbering: Numbering, plan: LetterPlan) -> None:
    issuer = plan.issuer
    if issuer.party:
        plan.symbol = f"{plan.abbr}/{issuer.abbr}"
    elif plan.abbr == "CV":
        unit = rng.choice(issuer.units)
        plan.symbol = issuer.abbr if issuer.kind == "commune" and rng.random() < 0.3 else (
            f"{issuer.abbr}-{unit}")
    else:
        plan.symbol = f"{plan.abbr}-{issuer.abbr}"
    number = numbering.allocate(issuer.name, issuer.kind, plan.abbr, plan.day, issuer.party)
    separator = "-" if issuer.party else "/"
    if rng.random() < 0.08:  # left blank on the template, written by hand after signing
        plan.reference = f"{separator}{plan.symbol}"
        plan.blank_day = rng.random() < 0.7
        return
    plan.number = number
    plan.reference = f"{number_text(number)}{separator}{plan.symbol}"
    plan.key = make_key(plan.reference)


def _choose_citations(
    rng: random.Random, plan: LetterPlan, registry: dict[tuple[str, str], list[LetterPlan]]
) -> None:
    """Earlier letters on the same topic, from central bodies and the same province."""
    pools = [registry.get((plan.topic, "central"), [])]
    if plan.issuer.province:
        pools.append(registry.get((plan.topic, plan.issuer.province), []))
    candidates = [c for pool in pools for c in pool[-30:] if c.day < plan.day]
    wanted = rng.choices((0, 1, 2, 3), (25, 40, 25, 10))[0]
    plan.cites = rng.sample(candidates, min(wanted, len(candidates)))
    plan.laws = _choose_laws(rng, plan)
    if plan.citable:
        scope = plan.issuer.province if plan.issuer.province else "central"
        registry.setdefault((plan.topic, scope), []).append(plan)


def _choose_laws(rng: random.Random, plan: LetterPlan) -> list[list[Any]]:
    day = plan.day.isoformat()
    replaced = _REPLACED_BY_2025_LAW if day >= "2025-07-01" else ()
    usable = [law for law in vocab.laws() if law[2] < day and law[1] not in replaced and (
        plan.topic in law[5] or ("*" in law[5] and plan.abbr == "QĐ" and not plan.issuer.party))]
    wanted = rng.choices((0, 1, 2), (40, 40, 20))[0] if plan.abbr != "QĐ" else 3
    chosen = rng.sample(usable, min(wanted, len(usable)))
    return sorted(chosen, key=lambda law: law[2])
