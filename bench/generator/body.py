"""Sentences of a letter's body: slot filling, numbered tasks with assignees and deadlines.

`Writer` holds one letter's plan, its random stream and what it has cited so far; the type
modules (`doctypes`) call it to say things. Every vocabulary sentence is used at most once per
letter, so long letters do not repeat themselves.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta
from typing import Any

from bench.generator import references, vocab
from bench.generator.plan import LetterPlan

log = logging.getLogger(__name__)

COMMUNE_ASSIGNEES = ["Công an xã", "Ban Chỉ huy Quân sự xã", "Công chức Văn hóa - Xã hội xã",
                     "Công chức Địa chính - Xây dựng xã", "Trưởng các thôn, tổ dân phố"]
LEVEL_ASSIGNEES = {
    "central": ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
                "Các cơ quan, đơn vị thuộc Bộ"],
    "province": ["Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các huyện, thị xã, thành phố"],
    "district": ["Các cơ quan, ban, ngành huyện", "Ủy ban nhân dân các xã, thị trấn"],
    "commune": COMMUNE_ASSIGNEES,
}


def _mid_sentence(names: list[str]) -> list[str]:
    """'Các sở, ban, ngành' reads 'các sở, ban, ngành' inside a sentence."""
    return [n[0].lower() + n[1:] if n.startswith("Các ") else n for n in names]


def _as_written(names: list[str], sentence: str) -> list[str]:
    """The assignees as the sentence writes them: 'Giao các sở, ban, ngành …' keeps 'các',
    a sentence that starts with them capitalizes the first."""
    written = _mid_sentence(names)
    first = written[0][0].upper() + written[0][1:]
    if sentence.startswith(first):
        written[0] = first
    return written


class Slots(dict):
    """Fixed slots ({locality}, {year} …) plus fresh numbers on every use ({n2}, {pct} …)."""

    def __init__(self, rng: random.Random, **fixed: Any) -> None:
        super().__init__(**fixed)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        r = self.rng
        makers = {
            "n1": lambda: str(r.randint(2, 15)), "n2": lambda: str(r.randint(10, 99)),
            "n3": lambda: str(r.randint(100, 950)),
            "big": lambda: f"{r.randint(1000, 98000):,}".replace(",", "."),
            "ha": lambda: f"{r.randint(120, 9800):,}".replace(",", "."),
            "pct": lambda: f"{r.randint(12, 98)},{r.randint(1, 9)}",
            "money": lambda: f"{r.randint(1, 950)},{r.randint(1, 9)}",
            "storm": lambda: str(r.randint(1, 9)),
        }
        if key not in makers:
            raise KeyError(key)
        return makers[key]()


class Writer:
    def __init__(self, plan: LetterPlan, rng: random.Random) -> None:
        self.plan, self.rng, self.day = plan, rng, plan.day
        self.topic = vocab.topics()[plan.topic]
        issuer = plan.issuer
        self.slots = Slots(
            rng, locality=issuer.locality, scope=issuer.scope, year=plan.day.year,
            prev_year=plan.day.year - 1, next_year=plan.day.year + 1, month=plan.day.month,
            area=rng.choice(self.topic["area"]), province=issuer.province or "",
            dept_short=issuer.dept_short, reporter=self.reporter(), actor=issuer.short,
            Actor=issuer.short)
        self.cited: list[dict[str, Any]] = []
        self._used: set[str] = set()
        self.tasks: list[dict[str, Any]] = []
        self._assignees: list[str] | None = None

    def reporter(self) -> str:
        issuer = self.plan.issuer
        if issuer.kind in ("department", "police", "ministry", "party_board"):
            return issuer.short
        return self.rng.choice(self.topic["agencies"].get(issuer.level, [issuer.short])
                               or [issuer.short])

    def say(self, template: str) -> str:
        text = vocab.modernize(template, self.day).format_map(self.slots)
        return text[0].upper() + text[1:]

    def take(self, pool: list[str], count: int = 1) -> list[str]:
        """Up to `count` unused templates from `pool` that fit the letter's date, said."""
        fresh = [t for t in pool if t not in self._used and vocab.usable(t, self.day)]
        chosen = self.rng.sample(fresh, min(count, len(fresh)))
        self._used.update(chosen)
        return [self.say(t) for t in chosen]

    def cite_all(self) -> list[str]:
        """First mentions of the plan's letters and laws (recorded as citations)."""
        letters, laws = [], []
        for cited in self.plan.cites:
            mention, issuer_words = references.cite_letter(self.rng, self.plan, cited)
            letters.append(mention)
            self.cited.append(references.letter_record(cited, issuer_words))
        for law in self.plan.laws:
            laws.append(references.cite_law(self.rng, law))
            self.cited.append(references.law_record(law))
        return laws + letters if self.plan.abbr == "QĐ" else letters + laws

    def assignees(self, count: int = 1) -> list[str]:
        if self._assignees is None:
            level = self.plan.issuer.level
            pool = list(self.topic["agencies"].get(level, [])) + LEVEL_ASSIGNEES[level]
            if level == "commune":
                pool = LEVEL_ASSIGNEES["commune"]
            pool = [vocab.modernize(who, self.day) for who in pool]
            self._assignees = [w for w in dict.fromkeys(pool) if w != self.plan.issuer.short]
        return self.rng.sample(self._assignees, min(count, len(self._assignees)))

    def deadline(self) -> tuple[str, str | None]:
        if self.rng.random() > 0.3:
            return "", None
        due = self.day + timedelta(days=self.rng.randint(7, 90))
        form = self.rng.choice(vocab.phrases()["deadline_forms"])
        text = form.format(deadline=references.short_date(self.rng, due), reporter=self.reporter())
        return text, due.isoformat()

    def task_item(self, label: str, pool: list[str]) -> list[str]:
        """One numbered task: '2. Sở Y tế: chủ trì …' or a heading with '-' sub-points."""
        templates = [t for t in pool if t not in self._used]
        if not templates:
            return []
        who = self.assignees(self.rng.choice((1, 1, 1, 2)))
        if self.rng.random() < 0.3:
            bullets = [t[0].upper() + t[1:] for t in self.take(templates, self.rng.randint(2, 3))]
            heading = ", ".join(_mid_sentence(who))
            heading = f"{heading[0].upper()}{heading[1:]}:"
            points = [f"- {b}." for b in bullets]
            self.tasks.append({"label": label, "assignees": _as_written(who, heading),
                               "text": "\n".join([heading, *points]), "deadline": None})
            return [f"{label}. {heading}", *points]
        task = self.take(templates)[0]
        task = task[0].lower() + task[1:]
        tail, due = self.deadline()
        form = self.rng.choice(vocab.phrases()["assign_forms"])
        names = " và ".join(_mid_sentence(who))
        sentence = form.format(who=names, Who=names, task=task + tail)
        sentence = sentence[0].upper() + sentence[1:]
        self.tasks.append({"label": label, "assignees": _as_written(who, sentence),
                           "text": sentence, "deadline": due})
        lines = [f"{label}. {sentence}"]
        if self.rng.random() < 0.35:
            lines += [f"- {b}" for b in self.take(self.topic["bullets"], self.rng.randint(1, 3))]
        return lines

    def task_list(self, budget: int, first: int = 1) -> list[str]:
        """Numbered tasks until about `budget` characters are said (at least two)."""
        pool = self.topic["tasks"] + vocab.phrases()["generic_tasks"]
        lines: list[str] = []
        label = first
        while label < first + 2 or sum(map(len, lines)) < budget:
            item = self.task_item(str(label), pool)
            if not item:
                break
            lines += item
            label += 1
        return lines

    def closing(self) -> str:
        text = self.say(self.rng.choice(vocab.phrases()["closings"]))
        return text.replace("Công văn này", f"{self.plan.doc_type} này")
