"""Lay a composed letter out as plain text the way typed letters and PDF text layers read.

Variants seen in the archive: the two-column header stacked (issuer, then motto) or side by side
on shared lines; paragraphs on one line or hard-wrapped at 70–86 columns; "Nơi nhận" before or
beside the signature; the older tone-mark placement ("hoà", "Uỷ ban") in some letters.
"""

from __future__ import annotations

import logging
import random
import re
from datetime import date

from bench.generator.doctypes import Composition
from bench.generator.plan import LetterPlan
from bench.generator.references import long_date
from bench.generator.signatures import block_lines

log = logging.getLogger(__name__)

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
PARTY_MOTTO = ("ĐẢNG CỘNG SẢN VIỆT NAM",)
_OLD_TONES = {
    "òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "òe": "oè", "óe": "oé",
    "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ", "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ",
    "ụy": "uỵ", "Ủy": "Uỷ", "ÒA": "OÀ", "ỦY": "UỶ",
}
_OLD_TONES_RE = re.compile(rf"({'|'.join(_OLD_TONES)})(?![^\W\d_])")


def old_tones(text: str) -> str:
    """'Ủy ban … hòa' → 'Uỷ ban … hoà' (tone on the first vowel of open oa/oe/uy)."""
    return _OLD_TONES_RE.sub(lambda m: _OLD_TONES[m.group(1)], text)


def wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, current]


def date_line(rng: random.Random, plan: LetterPlan) -> str:
    day: date = plan.day
    if plan.blank_day:
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        return f"{plan.issuer.place}, ngày{' ' * rng.randint(4, 9)}tháng {month} năm {day.year}"
    return f"{plan.issuer.place}, {long_date(day)}"


def number_line(rng: random.Random, plan: LetterPlan) -> str:
    prefix = "Số " if plan.issuer.party else "Số: "
    if plan.number is None:
        return prefix + " " * rng.randint(4, 10) + plan.reference
    return prefix + plan.reference


def header(rng: random.Random, plan: LetterPlan) -> list[str]:
    issuer = plan.issuer
    left = list(issuer.header)
    if left[0].startswith("UBND ") and rng.random() < 0.4:
        left[0] = "ỦY BAN NHÂN DÂN " + left[0][5:]
    right = list(PARTY_MOTTO if issuer.party else MOTTO)
    marks = [m for m in (plan.urgency, plan.secrecy) if m]
    subject = ["V/v " + plan.subject] if plan.abbr == "CV" else []
    subject_lines = wrap(subject[0], rng.randint(34, 48)) if subject else []
    if rng.random() < 0.3:  # side by side, as pdftotext -layout prints it
        rows = max(len(left), len(right))
        left += [""] * (rows - len(left))
        right += [""] * (rows - len(right))
        number = number_line(rng, plan)
        width = max(rng.randint(36, 44), 2 + max(len(a) for a in [*left, number]))
        lines = [f"{a:<{width}}{b}".rstrip() for a, b in zip(left, right, strict=True)]
        lines += [*marks, f"{number:<{width}}{date_line(rng, plan)}"]
        return lines + subject_lines
    lines = [*left, "", *right, "", *marks, number_line(rng, plan), *subject_lines]
    return [*lines, "", date_line(rng, plan)]


def title_block(plan: LetterPlan) -> list[str]:
    if plan.title is None:
        return []
    return ["", plan.doc_type.upper(), *wrap(plan.title, 64)]


def recipients_block(comp: Composition, plan: LetterPlan) -> list[str]:
    if not comp.recipients or plan.abbr == "CĐ":
        return []
    if len(comp.recipients) == 1:
        return ["", f"Kính gửi: {comp.recipients[0]}."]
    items = [f"- {r};" for r in comp.recipients[:-1]] + [f"- {comp.recipients[-1]}."]
    return ["", "Kính gửi:", *items]


def body_block(rng: random.Random, comp: Composition, plan: LetterPlan) -> list[str]:
    paragraphs = list(comp.preamble)
    if plan.abbr == "CĐ":
        paragraphs += [f"- {r};" for r in comp.recipients[:-1]] + [f"- {comp.recipients[-1]}."]
    paragraphs += comp.body
    width = rng.randint(70, 86) if rng.random() < 0.45 else 0
    gap = [""] if rng.random() < 0.6 else []
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += gap + (wrap(paragraph, width) if width else [paragraph])
    return ["", *lines]


def signature_block(rng: random.Random, comp: Composition, plan: LetterPlan) -> list[str]:
    name, rank = plan.signer
    signed = [*block_lines(plan.block), "", "", f"{rank} {name}" if rank else name]
    places = [f"- {d};" for d in comp.distribution[:-1]] + [f"- {comp.distribution[-1]}."]
    places = ["Nơi nhận:", *places]
    if rng.random() < 0.35:
        width = max(rng.randint(40, 50), 2 + max(map(len, places)))
        rows = max(len(places), len(signed))
        places += [""] * (rows - len(places))
        signed += [""] * (rows - len(signed))
        return ["", *(f"{a:<{width}}{b}".rstrip() for a, b in zip(places, signed, strict=True))]
    return ["", *places, "", *signed]


def render(rng: random.Random, plan: LetterPlan, comp: Composition, tones_old: bool) -> str:
    lines = header(rng, plan) + title_block(plan) + recipients_block(comp, plan)
    lines += body_block(rng, comp, plan) + signature_block(rng, comp, plan)
    if comp.annex:
        lines += ["", "", *comp.annex]
    text = "\n".join(lines) + "\n"
    return old_tones(text) if tones_old else text
