"""Known-item search: does the letter a clerk has in mind come first? (issue 15)

Real letters (the gazette texts and the office scans of the annotated real set, whose truth is
in tests/data/realset/, and the 39 letters of tests/data/devset) are hidden among N generated
letters in one archive, indexed by each engine and by SQLite FTS5 over pre-folded text
(bench/fts.py). For each real letter, queries a clerk types from memory are made from its truth
record at run time, never from hand-picked strings:

- subject: 2–4 words of its subject (3–5 syllables from where a phrase starts, its opening
  formula 'Quy định chi tiết …' and function words left out), without diacritics;
- number: its number typed loosely ('123/ubnd', 'so 123 ubnd-vx', '123 ubnd vx', the year left
  out …);
- issuer: its issuer without diacritics ('Ủy ban nhân dân' typed 'ubnd' half the time) and two
  or three syllables of its subject.

Each engine answers the first 10 letters; reported per engine and kind: MRR@10 (1/rank of the
letter, 0 beyond 10), recall@1 and recall@10.

    .venv/bin/python -m bench.knownitem --hidden 5000 [--work DIR] [--reuse] [--seed 1] \
        [--half dev|check|all]

The real documents are read from ../shared/realset (or CONGVAN_REALSET) and never copied into
this repository; scans are read from bench.realset's page cache (`--pages`, any earlier
reading of the same file; a scan never read before is left out unless `--ocr`). `--show-misses`
prints the queries whose letter is not first (real text: the terminal only, never commit).

The real letters fall in two fixed halves by a hash of their file name, as bench/realset.py's
`--split` splits the truth files: rankings are tuned on the misses of `dev` and kept when
`check`, whose misses are not read, gains too. A table of each half is printed every run;
`--half` chooses the half of the main table and of `--show-misses` (every letter is in the
archive whichever half is asked).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import click

from bench.fts import FtsSearch, build_fts
from bench.generator import write_corpus
from bench.leaveout import FIELDS, leave_out
from bench.realset import SPLITS, split_of
from index import ENGINES, QueryError, open_index, rebuild_index, sync_index
from ingest import Archive, open_catalog
from ingest.folding import fold
from ingest.model import DocumentRecord, Page
from ingest.pipeline import ingest_paths
from ingest.recipe import extract_pages
from ingest.store.archive import document_id_for

ROOT = Path(__file__).resolve().parents[1]
TRUTH = ROOT / "tests" / "data" / "realset"
DEVSET = ROOT / "tests" / "data" / "devset"
REALSET = Path(os.environ.get("CONGVAN_REALSET", ROOT.parent / "shared" / "realset"))
PAGE_CACHE = Path(tempfile.gettempdir()) / "congvan-realset"
KINDS = ("subject", "number", "issuer")
DEPTH = 10
# Words a clerk leaves out when typing a subject from memory: they say nothing of the letter.
_FUNCTION_WORDS = ("của và về việc các cho một số những đối với trong tại theo từ đến là có được "
                   "này đó năm ngày tháng vv thì mà hoặc nhằm để do bị sẽ đã đang như trên "
                   "dưới tới")
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
# The formula a subject opens with, which every letter of its kind shares: a clerk remembers the
# topic after it ('Quy định chi tiết …', 'Về việc sửa đổi, bổ sung …').
FORMULAS = re.compile(r"\b(?:quy định(?: chi tiết)?|sửa đổi|bổ sung|ban hành|phê duyệt|"
                      r"hướng dẫn(?: thi hành)?|thi hành|triển khai|thực hiện|tăng cường|"
                      r"một số điều(?! kiện))\b")
_NUMBERED = re.compile(r"\S*\d\S*")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass
class RealLetter:
    name: str  # the source's file name (for --show-misses only)
    source: str  # gazette, devset, scans
    truth: dict[str, Any]
    doc_id: str = ""


@dataclass
class Query:
    kind: str
    text: str
    letter: RealLetter


# -- the letters -------------------------------------------------------------------------------


def _truth(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def text_letters(realset: Path) -> list[tuple[RealLetter, Path]]:
    """The gazette texts with truth and the devset letters, with their files."""
    found = []
    for truth in sorted((TRUTH / "gazette").glob("*.json")):
        text = realset / "gazette" / f"{truth.stem}.txt"
        if text.exists():
            found.append((RealLetter(text.name, "gazette", _truth(truth)), text))
    for truth in sorted(DEVSET.glob("*.json")):
        text = truth.with_suffix(".txt")
        if text.exists():
            found.append((RealLetter(text.name, "devset", _truth(truth)), text))
    return found


def _cached_pages(cache: Path, sha: str) -> list[dict[str, Any]] | None:
    """The pages bench.realset's PageReader stored for these bytes, whatever reading code read
    them (the text differs little from today's OCR; search does not need the latest)."""
    stored = cache / "congvan" / f"{sha[:24]}.json"
    if not stored.exists():
        return None
    return json.loads(stored.read_text(encoding="utf-8"))["value"]


def scan_records(realset: Path, cache: Path, ocr: bool) -> list[tuple[RealLetter,
                                                                      DocumentRecord]]:
    """The real scans as ingest archives them, from cached page texts (OCR'd now with
    `ocr`); a scan never read before is left out otherwise."""
    found = []
    missing = []
    for truth in sorted((TRUTH / "scans").glob("*.json")):
        pdf = realset / "scans" / f"{truth.stem}.pdf"
        if not pdf.exists():
            continue
        data = pdf.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        pages = _cached_pages(cache, sha)
        if pages is None:
            missing.append(pdf)
            continue
        found.append((pdf, sha, len(data), pages, truth))
    if missing and ocr:
        from bench.realset import PageReader

        read = PageReader(cache, 2, False).congvan_pages(missing)
        for pdf in missing:
            data = pdf.read_bytes()
            truth = TRUTH / "scans" / f"{pdf.stem}.json"
            found.append((pdf, hashlib.sha256(data).hexdigest(), len(data),
                          [vars(p) for p in read[pdf]], truth))
    elif missing:
        click.echo(f"{len(missing)} scans left out: never read into {cache} (use --ocr)",
                   err=True)
    records = []
    for pdf, sha, size, pages, truth in found:
        page_list = [Page(**page) for page in pages]
        record = DocumentRecord(document_id_for(sha), sha, pdf.name, "application/pdf", size,
                                page_list, extract_pages(page_list))
        records.append((RealLetter(pdf.name, "scans", _truth(truth), record.id), record))
    return records


# -- the queries -------------------------------------------------------------------------------


def _rng(letter: RealLetter, kind: str, variant: int) -> random.Random:
    """A generator of its own per letter, kind and variant: the queries do not move when
    letters are added or left out."""
    seed = hashlib.sha256(f"{letter.name}|{kind}|{variant}".encode()).digest()
    return random.Random(int.from_bytes(seed[:8], "big"))


def phrases(text: str | None, accented: bool = False) -> list[list[str]]:
    """The folded syllables of `text` (in lower case with their diacritics if `accented`) in
    runs, split at punctuation and function words: where a clerk's remembered words start (a
    window from a run's start cuts no word at its head)."""
    runs: list[list[str]] = [[]]
    text = FORMULAS.sub(" | ", unicodedata.normalize("NFC", text or "").lower())
    text = _NUMBERED.sub(" | ", text)  # a number cited in it ('Nghị định số 12/2022/NĐ-CP')
    for token in re.findall(r"[^\W\d_]+|\S", text):
        if _WORD.fullmatch(token) and token not in FUNCTION_WORDS:
            runs[-1].append(token if accented else fold(token))
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def remembered(rng: random.Random, text: str | None, low: int, high: int,
               accented: bool = False) -> list[str]:
    """`low`–`high` syllables of `text` from the start of one of its runs (of two syllables
    or more if there is one) on, across the function words that end it, or none."""
    runs = phrases(text, accented)
    starts = [i for i, run in enumerate(runs) if len(run) >= 2] or list(range(len(runs)))
    if not starts:
        return []
    first = rng.choice(starts)
    return [w for run in runs[first:] for w in run][:rng.randint(low, high)]


def subject_query(letter: RealLetter, rng: random.Random, accented: bool = False) -> str | None:
    """Two to four words of the subject, a word being one or two syllables: 3–5 syllables
    (with their diacritics if `accented`: the same words)."""
    words = remembered(rng, letter.truth.get("subject"), 3, 5, accented)
    return " ".join(words) if len(words) >= 2 else None


def number_query(letter: RealLetter, rng: random.Random) -> str | None:
    """The letter's number as a clerk types it: lower case, no diacritics, separators as they
    come, the year or the symbol's last part often left out."""
    number, symbol = letter.truth.get("number"), letter.truth.get("symbol")
    if not number or not symbol:
        return None
    groups = re.findall(r"[a-z0-9]+", fold(symbol))
    year = re.search(r"/((?:19|20)\d\d)/", letter.truth.get("reference") or "")
    shapes = [
        f"{number}/{'-'.join(groups)}",  # as written, folded
        f"{number} {' '.join(groups)}",  # spaces for separators
        f"so {number} {'-'.join(groups)}",  # 'số 123 ubnd-vx'
        f"{number}/{groups[0]}",  # the symbol's first part only
        f"so {number} {groups[0]}",
    ]
    if year:
        shapes.append(f"{number}/{year[1]}/{'-'.join(groups)}")
    return rng.choice(shapes)


def issuer_query(letter: RealLetter, rng: random.Random) -> str | None:
    issuer = letter.truth.get("issuer")
    words = remembered(rng, letter.truth.get("subject"), 2, 3)
    if not issuer or not words:
        return None
    typed = fold(issuer)
    typed = re.sub(r"[^a-z0-9]+", " ", typed).strip()
    if rng.random() < 0.5:
        typed = typed.replace("uy ban nhan dan", "ubnd").replace("hoi dong nhan dan", "hdnd")
    return f"{typed} {' '.join(words)}"


MAKERS: dict[str, Callable[[RealLetter, random.Random], str | None]] = {
    "subject": subject_query, "number": number_query, "issuer": issuer_query,
}


def in_half(letter: RealLetter, half: str) -> bool:
    """Whether the letter's queries are asked for `half` (dev, check, all): the half of its
    truth file (the same stem), as bench/realset.py splits them."""
    return half == "all" or split_of(Path(letter.name).stem) == half


def make_queries(letters: list[RealLetter], variants: int,
                 accented: bool = False) -> list[Query]:
    """Up to `variants` distinct queries of each kind per letter (subject words typed with
    their diacritics if `accented`)."""
    makers = {**MAKERS, "subject": partial(subject_query, accented=accented)}
    queries = []
    for letter in letters:
        for kind, maker in makers.items():
            made: list[str] = []
            for variant in range(variants * 3):
                if len(made) == variants:
                    break
                text = maker(letter, _rng(letter, kind, variant))
                if text and text not in made:
                    made.append(text)
            queries += [Query(kind, text, letter) for text in made]
    return queries


# -- scoring -----------------------------------------------------------------------------------


def rank_of(ids: list[str], wanted: str) -> int | None:
    return ids.index(wanted) + 1 if wanted in ids[:DEPTH] else None


@dataclass
class Scored:
    answered: list[tuple[Query, int | None]]  # each query, its letter's rank (None: not in 10)
    seconds: float

    def half(self, half: str) -> Scored:
        """The queries of one half of the real letters only (`in_half`)."""
        return Scored([(q, r) for q, r in self.answered if in_half(q.letter, half)],
                      self.seconds)

    def row(self, kinds: tuple[str, ...]) -> tuple[int, float, float, float]:
        ranks = [r for q, r in self.answered if q.kind in kinds]
        if not ranks:
            return 0, 0.0, 0.0, 0.0
        n = len(ranks)
        mrr = sum(1 / r for r in ranks if r) / n
        return n, mrr, sum(r == 1 for r in ranks) / n, sum(r is not None for r in ranks) / n


def evaluate(search: Callable[[str], list[str]], queries: list[Query],
             misses: list[tuple[Query, int | None, list[str]]] | None = None) -> Scored:
    answered = []
    started = time.perf_counter()
    for query in queries:
        try:
            ids = search(query.text)
        except QueryError:
            ids = []
        rank = rank_of(ids, query.letter.doc_id)
        answered.append((query, rank))
        if misses is not None and rank != 1:
            misses.append((query, rank, ids[:3]))
    return Scored(answered, time.perf_counter() - started)


def engine_search(idx: Any) -> Callable[[str], list[str]]:
    def search(text: str) -> list[str]:
        return [h.id for h in idx.search(text, per_page=DEPTH, facets=False,
                                         highlight=False).hits]
    return search


def fts_search(fts: FtsSearch) -> Callable[[str], list[str]]:
    def search(text: str) -> list[str]:
        return fts.ranked(text, DEPTH)
    return search


# -- the archive ---------------------------------------------------------------------------------


def build_archive(work: Path, hidden: int, seed: int, jobs: int, realset: Path, cache: Path,
                  ocr: bool) -> tuple[Archive, list[RealLetter], dict[str, Any]]:
    """Generated letters and the real ones in one archive (kept in WORK for --reuse)."""
    archive = Archive(work / "archive")
    saved = work / "real-letters.json"
    if saved.exists():
        letters = [RealLetter(**item) for item in json.loads(saved.read_text("utf-8"))]
        return archive, letters, json.loads((work / "built.json").read_text())
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    archive.create()
    started = time.perf_counter()
    write_corpus(work / "letters", hidden, seed=seed, expected_dir=work / "expected", jobs=jobs)
    texts = text_letters(realset)
    report = ingest_paths([work / "letters", *(path for _, path in texts)], archive, jobs=jobs)
    by_path = {Path(f.path).resolve(): f for f in report.files}
    letters = []
    for letter, path in texts:
        outcome = by_path[path.resolve()]
        if outcome.document_id:
            letter.doc_id = outcome.document_id
            letters.append(letter)
    with open_catalog(archive.catalog_location) as catalog:
        for letter, record in scan_records(realset, cache, ocr):
            if catalog.add_document(record) or catalog.get_document(record.id):
                letters.append(letter)
        count = catalog.stats().get("documents", 0)
    built = {"letters": count, "seconds": time.perf_counter() - started,
             "failed": report.summary()["failed"]}
    saved.write_text(json.dumps([vars(letter) for letter in letters], ensure_ascii=False),
                     "utf-8")
    (work / "built.json").write_text(json.dumps(built))
    return archive, letters, built


def ready_index(archive: Archive, engine: str) -> tuple[Any, float]:
    """The engine's index of the archive, built or brought up to date (seconds spent)."""
    started = time.perf_counter()
    with open_catalog(archive.catalog_location) as catalog:
        idx = open_index(archive.index_dir, engine)
        if idx.needs_rebuild or idx.is_empty():
            idx = rebuild_index(catalog, archive.index_dir, engine=engine)
        else:
            sync_index(catalog, idx)
    return idx, time.perf_counter() - started


def ready_fts(archive: Archive, work: Path) -> tuple[FtsSearch, float]:
    started = time.perf_counter()
    db = work / "fts.sqlite"
    if not db.exists():
        with open_catalog(archive.catalog_location) as catalog:
            build_fts(catalog, db)
    return FtsSearch(db), time.perf_counter() - started


# -- the report ----------------------------------------------------------------------------------


ENGINE_LABELS = {"whoosh": "Whoosh", "tantivy": "tantivy", "fts5": "SQLite FTS5 (pre-folded)"}


def table(results: dict[str, Scored]) -> list[str]:
    lines = ["| engine | queries | n | MRR@10 | R@1 | R@10 | seconds |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for name, scored in results.items():
        label = ENGINE_LABELS[name]
        for kinds, shown in [*(((k,), k) for k in KINDS), (KINDS, "**all**")]:
            n, mrr, r1, r10 = scored.row(kinds)
            seconds = f"{scored.seconds:.1f}" if len(kinds) > 1 else ""
            lines.append(f"| {label} | {shown} | {n} | {mrr:.3f} | {r1:.3f} | {r10:.3f} | "
                         f"{seconds} |")
    return lines


def summary_row(label: str, results: dict[str, Scored]) -> list[str]:
    """One row per change: MRR@10 of each engine by kind and overall."""
    head = ["| change | " + " | ".join(
        f"{ENGINE_LABELS[n].split()[0]} {k}" for n in results for k in (*KINDS, "all")) + " |",
        "|---|" + "---:|" * (len(results) * (len(KINDS) + 1))]
    cells = [f"{scored.row(kinds)[1]:.3f}" for scored in results.values()
             for kinds in (*((k,) for k in KINDS), KINDS)]
    return [*head, f"| {label} | " + " | ".join(cells) + " |"]


def halves_table(results: dict[str, Scored]) -> list[str]:
    """MRR@10 of each engine by kind on each half of the real letters (queries: n)."""
    lines = ["| engine | half | n | " + " | ".join(KINDS) + " | **all** |",
             "|---|---|---:|" + "---:|" * (len(KINDS) + 1)]
    for name, scored in results.items():
        for half in SPLITS:
            part = scored.half(half)
            cells = [f"{part.row(kinds)[1]:.3f}" for kinds in (*((k,) for k in KINDS), KINDS)]
            lines.append(f"| {ENGINE_LABELS[name]} | {half} | {part.row(KINDS)[0]} | "
                         + " | ".join(cells) + " |")
    return lines


def _commit() -> str:
    done = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                          capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def _load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def _sources(letters: list[RealLetter]) -> str:
    counts: dict[str, int] = {}
    for letter in letters:
        counts[letter.source] = counts.get(letter.source, 0) + 1
    return ", ".join(f"{n} {source}" for source, n in counts.items())


def run(work: Path, hidden: int, seed: int, jobs: int, engines: tuple[str, ...], variants: int,
        realset: Path, cache: Path, ocr: bool, label: str | None,
        show_misses: bool, half: str = "all", accented: bool = False) -> list[str]:
    archive, every, built = build_archive(work, hidden, seed, jobs, realset, cache, ocr)
    letters = [letter for letter in every if in_half(letter, half)]
    queries = make_queries(every, variants, accented)
    everywhere: dict[str, Scored] = {}
    notes = []
    misses: dict[str, list[tuple[Query, int | None, list[str]]]] = {}
    for engine in engines:
        idx, seconds = ready_index(archive, engine)
        notes.append(f"{ENGINE_LABELS[engine]} index ready in {seconds:.1f} s")
        misses[engine] = []
        everywhere[engine] = evaluate(engine_search(idx), queries, misses[engine])
        misses[engine] = [miss for miss in misses[engine] if in_half(miss[0].letter, half)]
    fts, seconds = ready_fts(archive, work)
    notes.append(f"FTS5 ready in {seconds:.1f} s")
    everywhere["fts5"] = evaluate(fts_search(fts), queries)
    results = {name: scored.half(half) for name, scored in everywhere.items()}
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    queries = [q for q in queries if in_half(q.letter, half)]
    by_kind = ", ".join(f"{sum(q.kind == k for q in queries)} {k}" for k in KINDS)
    asked = "" if half == "all" else f" ({half} half of {len(every)})"
    lines = [f"### Known-item search: {len(letters)} real letters{asked} among {hidden:,} "
             f"generated ({stamp})", "",
             f"Archive: {built['letters']:,} letters ({_sources(every)} real; seed {seed}). "
             f"Queries: {len(queries)} ({by_kind}; up to {variants} per letter and kind"
             f"{'; subject words with their diacritics' if accented else ''}), "
             f"top {DEPTH}. Commit {_commit()}; load average {_load()} at the end. "
             + "; ".join(notes) + ".", "",
             f"Command: `.venv/bin/python -m bench.knownitem {' '.join(sys.argv[1:])}`", "",
             *table(results), "", "MRR@10 by half of the real letters (split by a hash of "
             "their file names, as bench/realset.py's --split):", "", *halves_table(everywhere)]
    if label:
        lines += ["", *summary_row(label, results)]
    if show_misses:
        for engine, missed in misses.items():
            click.echo(f"\n#### {engine}: letter not first (terminal only: real text)", err=True)
            for query, rank, top in missed:
                click.echo(f"{query.kind:8} rank {rank or '-':>2} {query.text!r} "
                           f"({query.letter.name}) top: {top}", err=True)
    return lines


def _iter_engines(value: str) -> Iterator[str]:
    for name in value.split(","):
        if name.strip():
            yield name.strip()


@click.command(help=__doc__.split("\n\n")[0])
@click.option("--hidden", type=click.IntRange(0), default=5000, show_default=True,
              help="Generated letters the real ones hide among.")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--jobs", type=click.IntRange(1), default=2, show_default=True)
@click.option("--work", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Work folder (default /tmp/congvan-knownitem-HIDDEN).")
@click.option("--reuse", is_flag=True,
              help="Keep the work folder's archive (indexes are brought up to date).")
@click.option("--engines", default=",".join(ENGINES), show_default=True)
@click.option("--variants", type=click.IntRange(1), default=2, show_default=True,
              help="Queries per letter and kind (distinct).")
@click.option("--realset", type=click.Path(file_okay=False, path_type=Path), default=REALSET,
              show_default=True)
@click.option("--pages", type=click.Path(file_okay=False, path_type=Path), default=PAGE_CACHE,
              show_default=True, help="bench.realset's page cache (scans' OCR).")
@click.option("--ocr", is_flag=True, help="OCR the scans the page cache does not hold.")
@click.option("--half", type=click.Choice(SPLITS), default="all", show_default=True,
              help="The real letters of the main table and of --show-misses: the dev half "
                   "(misses read, rankings tuned), the check half (not read), or all.")
@click.option("--leave-out", "left_out", default="",
              help=f"Index fields left out of ranking on both engines ({', '.join(FIELDS)}; "
                   "bench/leaveout.py).")
@click.option("--accented", is_flag=True,
              help="Subject words typed with their diacritics (the same words): what the "
                   "accented field buys.")
@click.option("--label", default=None, help="Also print a one-row summary with this label.")
@click.option("--show-misses", is_flag=True,
              help="Print the queries whose letter is not first (stderr; real text: never commit).")
def main(hidden: int, seed: int, jobs: int, work: Path | None, reuse: bool, engines: str,
         variants: int, realset: Path, pages: Path, ocr: bool, half: str, left_out: str,
         accented: bool, label: str | None, show_misses: bool) -> None:
    chosen = tuple(_iter_engines(engines))
    if not set(chosen) <= set(ENGINES):
        raise click.BadParameter(f"engines are {', '.join(ENGINES)}", param_hint="--engines")
    if not realset.is_dir():
        raise click.UsageError(f"{realset} is absent: the real documents are not on this machine")
    leave_out([name.strip() for name in left_out.split(",") if name.strip()])
    work = work or Path(tempfile.gettempdir()) / f"congvan-knownitem-{hidden}"
    if not reuse:
        shutil.rmtree(work, ignore_errors=True)
    click.echo("\n".join(run(work, hidden, seed, jobs, chosen, variants, realset, pages, ocr,
                             label, show_misses, half, accented)))


if __name__ == "__main__":
    main()
