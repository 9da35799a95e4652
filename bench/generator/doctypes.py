"""Bodies of the short types: Công văn, Công điện, Chỉ thị, Thông báo (Decree 30 layouts).

Each returns a `Composition`; the long types (Kế hoạch, Quyết định, Báo cáo) are in `longforms`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from bench.generator import vocab
from bench.generator.body import Writer
from bench.generator.references import long_date
from bench.generator.signatures import Names

log = logging.getLogger(__name__)


@dataclass
class Composition:
    recipients: list[str] = field(default_factory=list)  # "Kính gửi" / Công điện addressees
    preamble: list[str] = field(default_factory=list)  # lines between the title and the body
    body: list[str] = field(default_factory=list)  # paragraphs, items "1. …", points "- …"
    distribution: list[str] = field(default_factory=list)  # "Nơi nhận", without "- " and ";"
    annex: list[str] = field(default_factory=list)  # after the signature


def recipients(w: Writer, low: int, high: int) -> list[str]:
    level = "party" if w.plan.issuer.party else w.plan.issuer.level
    pool = vocab.phrases()["recipients"][level]
    if not w.slots["dept_short"]:  # no 'Sở … các tỉnh' under the Government Office
        pool = [r for r in pool if "{dept_short}" not in r]
    chosen = w.rng.sample(pool, min(len(pool), w.rng.randint(low, high)))
    if level != "party" and w.rng.random() < 0.5:
        chosen += [a for a in w.assignees(1) if a not in chosen]
    said = [vocab.modernize(r, w.day).format_map(w.slots) for r in chosen]
    return list(dict.fromkeys(said))


def distribution(w: Writer, first: str | None) -> list[str]:
    issuer = w.plan.issuer
    kind = "party" if issuer.party else issuer.kind
    pools = vocab.phrases()["distribution"]
    pool = pools.get(kind) or pools[issuer.level]
    chosen = [vocab.modernize(d, w.day) for d in w.rng.sample(pool, w.rng.randint(1, 3))]
    unit = w.plan.symbol.split("-")[-1] if w.plan.abbr == "CV" and not issuer.party else (
        w.rng.choice(issuer.units))
    return ([first] if first else []) + chosen + [f"Lưu: VT, {unit}"]


def lead_in(w: Writer, ask: str | None = None) -> str:
    """'Thực hiện Công văn số … ; để …, Sở Y tế đề nghị:' (or without citations)."""
    mentions = w.cite_all()
    purpose = w.say(w.rng.choice(vocab.phrases()["purpose"]))
    ask = ask or w.rng.choice(vocab.phrases()["ask_verb"]).rstrip(":")
    actor = w.plan.issuer.short
    if mentions:
        lead = w.rng.choice(vocab.phrases()["cite_lead"])
        purpose = purpose[0].lower() + purpose[1:]
        return f"{lead} {'; '.join(mentions)}; {purpose}, {actor} {ask}:"
    return f"{purpose}, {actor} {ask}:"


def context(w: Writer, count: int) -> list[str]:
    sentences = w.take(w.topic["context"], count)
    if w.rng.random() < 0.4:
        sentences += w.take(w.topic["results"], 1)
    half = max(1, len(sentences) // 2) if len(sentences) > 2 else len(sentences)
    return [p for p in (" ".join(sentences[:half]), " ".join(sentences[half:])) if p]


def compose_cong_van(w: Writer, budget: int) -> Composition:
    body = context(w, w.rng.randint(1, 3))
    body.append(lead_in(w))
    body += w.task_list(budget - sum(map(len, body)))
    body.append(w.closing())
    return Composition(recipients(w, 1, 5), [], body, distribution(w, "Như trên"))


def speaker(w: Writer) -> str:
    issuer = w.plan.issuer
    if issuer.kind in ("province", "district", "commune"):
        return f"Chủ tịch {issuer.name}"
    if issuer.kind == "ministry":
        return f"Bộ trưởng {issuer.name}"
    if issuer.kind == "party":
        return f"Ban Thường vụ {issuer.name}"
    return issuer.name


def compose_cong_dien(w: Writer, budget: int) -> Composition:
    who = speaker(w)
    preamble = [f"{who.upper()} điện:"]
    body = context(w, w.rng.randint(1, 2))
    body.append(lead_in(w, f"yêu cầu{'' if w.rng.random() < 0.5 else ' Thủ trưởng các cơ quan'}"))
    body[-1] = body[-1].replace(f", {w.plan.issuer.short} yêu cầu", f", {who} yêu cầu")
    body += w.task_list(budget - sum(map(len, body)))
    body.append(w.closing())
    return Composition(recipients(w, 2, 5), preamble, body, distribution(w, "Như trên"))


def compose_chi_thi(w: Writer, budget: int) -> Composition:
    body = context(w, w.rng.randint(2, 4))
    body.append(lead_in(w, "chỉ thị").replace(f", {w.plan.issuer.short} chỉ thị",
                                                f", {w.plan.issuer.head} chỉ thị"))
    body += w.task_list(budget - sum(map(len, body)))
    body.append(vocab.phrases()["directive_close"])
    return Composition([], [], body, distribution(w, None))


def compose_thong_bao(w: Writer, budget: int) -> Composition:
    issuer, phrases = w.plan.issuer, vocab.phrases()
    chair = w.rng.choice(("Chủ tịch", "Phó Chủ tịch")) if issuer.level != "central" else (
        "Thứ trưởng" if issuer.kind == "ministry" else "Phó Thủ tướng")
    if issuer.kind not in ("province", "district", "commune", "ministry", "pm", "govoffice"):
        chair = "Giám đốc" if issuer.kind in ("department", "police") else "Phó Bí thư"
    if "Chủ tịch" in (w.plan.title or "") and issuer.level != "central":
        chair = "Chủ tịch"
    meeting = w.day - timedelta(days=w.rng.randint(1, 10))
    names = {"meeting_date": long_date(meeting).removeprefix("ngày "), "venue": issuer.name,
             "chair_title": chair, "chair_name": Names(w.rng).person()}
    body = [w.say(w.rng.choice(phrases["meeting"]).format_map({**w.slots, **names}))]
    mentions = w.cite_all()
    if mentions:
        lead = w.rng.choice(phrases["cite_lead"])
        body.insert(0, f"{lead} {'; '.join(mentions)}, {issuer.short} đã tổ chức họp để "
                    "triển khai thực hiện.")
    body.append(w.rng.choice(phrases["meeting_after"]).format(chair_title=chair))
    results = " ".join(w.take(w.topic["results"], 2))
    results = results or "Đánh giá cao sự chủ động của các cơ quan."
    body.append(f"1. {results}")
    w.tasks.append({"label": "1", "assignees": [], "text": results, "deadline": None})
    body += w.task_list(budget - sum(map(len, body)), first=2)
    office = f"Văn phòng {issuer.short}" if issuer.kind in ("province", "ministry") else (
        issuer.short)
    body.append(phrases["notice_close"].format(office=office))
    return Composition([], [], body, distribution(w, None))
