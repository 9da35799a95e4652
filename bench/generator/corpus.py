"""Generate a corpus: plans → letters (text + the metadata record the generator knows) → files.

Same `count` and `seed` → byte-identical files: one random.Random for the plan, and one per
letter seeded with (seed, plan index) for its text.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.generator.body import Writer
from bench.generator.doctypes import (
    Composition,
    compose_chi_thi,
    compose_cong_dien,
    compose_cong_van,
    compose_thong_bao,
)
from bench.generator.layout import render
from bench.generator.longforms import compose_bao_cao, compose_ke_hoach, compose_quyet_dinh
from bench.generator.numbering import number_text
from bench.generator.plan import LetterPlan, plan_corpus
from bench.generator.signatures import signer_record

log = logging.getLogger(__name__)

COMPOSERS: dict[str, Callable[[Writer, int], Composition]] = {
    "CV": compose_cong_van, "CĐ": compose_cong_dien, "CT": compose_chi_thi,
    "TB": compose_thong_bao, "KH": compose_ke_hoach, "QĐ": compose_quyet_dinh,
    "BC": compose_bao_cao,
}
OLD_TONES_SHARE = 0.1


@dataclass
class GeneratedLetter:
    name: str  # file stem: "000042"
    text: str
    expected: dict[str, Any]


def generate_letters(count: int, seed: int = 0) -> Iterator[GeneratedLetter]:
    """The corpus's letters in date order (phantom plans are cited but not produced)."""
    plans = plan_corpus(count, seed)
    names = {p.index: f"{n:06d}" for n, p in enumerate(p for p in plans if not p.phantom)}
    for plan in plans:
        if not plan.phantom:
            yield write_letter(plan, seed, names)


def write_letter(plan: LetterPlan, seed: int, names: dict[int, str]) -> GeneratedLetter:
    rng = random.Random(f"{seed}:{plan.index}")
    writer = Writer(plan, rng)
    budget = plan.pages * rng.randint(2500, 3000) - 700
    composition = COMPOSERS[plan.abbr](writer, budget)
    tones_old = rng.random() < OLD_TONES_SHARE
    text = render(rng, plan, composition, tones_old)
    expected = expected_record(plan, composition, writer)
    expected["_generator"] = {
        "topic": plan.topic, "pages_target": plan.pages, "old_tones": tones_old,
        "cited_in_set": [names[c.index] for c in plan.cites if c.index in names],
        "cited_outside_set": [c.reference for c in plan.cites if c.index not in names],
    }
    return GeneratedLetter(names[plan.index], text, expected)


def expected_record(plan: LetterPlan, comp: Composition, writer: Writer) -> dict[str, Any]:
    """The metadata record (issue 3's shape) for the fields the generator knows."""
    day = plan.day
    cited: dict[str, dict[str, Any]] = {}
    for entry in writer.cited:
        cited.setdefault(entry["key"] or entry["reference"], entry)
    return {
        "doc_type": plan.doc_type,
        "reference": plan.reference if plan.number is not None else None,
        "number": number_text(plan.number) if plan.number is not None else None,
        "symbol": plan.symbol, "key": plan.key, "issuer": plan.issuer.name,
        "parent_issuer": plan.issuer.parent, "place": plan.issuer.place,
        "date": f"{day:%Y-%m}" if plan.blank_day else day.isoformat(),
        "date_precision": "month" if plan.blank_day else "day",
        "subject": _subject(plan), "recipients": comp.recipients, "tasks": writer.tasks,
        "signer": _signer(plan), "distribution": comp.distribution,
        "citations": list(cited.values()),
        "urgency": _mark(plan.urgency), "secrecy": _mark(plan.secrecy),
    }


def _subject(plan: LetterPlan) -> str:
    """Without a leading 'V/v' or 'Về việc' only: a title line 'Về tăng cường …' stays whole."""
    title = plan.title or ""
    return title if title.startswith("Về ") and not title.startswith("Về việc ") else plan.subject


def _mark(mark: str | None) -> str | None:
    """'HỎA TỐC' on the page → 'Hỏa tốc' in the record."""
    return mark.capitalize() if mark else None


def _signer(plan: LetterPlan) -> dict[str, Any]:
    return signer_record(plan.block, plan.signer[0])


def write_corpus(
    out: Path, count: int, seed: int = 0, expected_dir: Path | None = None, jobs: int = 1,
    resume: bool = False,
) -> dict[str, Any]:
    """Write `count` letters as `<name>.txt` (+ `<name>.json` in expected_dir, default `out`).

    With jobs > 1 the letters are written by forked worker processes; the files are the same.
    With `resume`, a letter whose record was written whole by a run that stopped is kept (its
    text is written before its record, so the record's presence vouches for both): the count of
    those is `kept`, the rest are written, and the seconds are this run's.
    """
    global _SHARED
    started = time.perf_counter()
    expected_dir = expected_dir or out
    for folder in (out, expected_dir):
        folder.mkdir(parents=True, exist_ok=True)
    plans = plan_corpus(count, seed)
    names = {p.index: f"{n:06d}" for n, p in enumerate(p for p in plans if not p.phantom)}
    _SHARED = (plans, seed, names, out, expected_dir, resume)
    chunks = [(start, min(start + 500, len(plans))) for start in range(0, len(plans), 500)]
    try:
        if jobs > 1:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                results = pool.map(_write_chunk, chunks)
        else:
            results = [_write_chunk(chunk) for chunk in chunks]
    finally:
        _SHARED = None
    written, size = sum(r[0] for r in results), sum(r[1] for r in results)
    kept = sum(r[2] for r in results)
    seconds = time.perf_counter() - started
    log.debug("generated %d letters (%.1f MB) in %.1f s", written, size / 1e6, seconds)
    return {"letters": written, "bytes": size, "seconds": seconds, "kept": kept,
            "letters_per_second": (written - kept) / seconds if seconds else 0.0}


_SHARED: tuple[list[LetterPlan], int, dict[int, str], Path, Path, bool] | None = None


def _whole_record(path: Path) -> bool:
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return True


def _write_chunk(bounds: tuple[int, int]) -> tuple[int, int, int]:
    """Write the letters of plans[start:stop] (plans inherited from the parent by fork)."""
    assert _SHARED is not None
    plans, seed, names, out, expected_dir, resume = _SHARED
    written = size = kept = 0
    for plan in plans[bounds[0]:bounds[1]]:
        if plan.phantom:
            continue
        name = names[plan.index]
        if resume and _whole_record(expected_dir / f"{name}.json"):
            written, size, kept = written + 1, size + (out / f"{name}.txt").stat().st_size, kept + 1
            continue
        letter = write_letter(plan, seed, names)
        data = letter.text.encode("utf-8")
        (out / f"{letter.name}.txt").write_bytes(data)
        # One line: json indents in Python but writes one line in C (0.2 ms a record less).
        (expected_dir / f"{letter.name}.json").write_text(
            json.dumps(letter.expected, ensure_ascii=False) + "\n", encoding="utf-8")
        written, size = written + 1, size + len(data)
    return written, size, kept
