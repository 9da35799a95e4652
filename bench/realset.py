"""The extractor and the OCR on real documents: per-field accuracy against hand-read truth, and
character error rate against Tesseract alone.

Three parts, each printed as Markdown tables (pasted into bench/RESULTS.md):

- text: every tests/data/realset/gazette/SLUG.json against the record congvan makes of
  REALSET/gazette/SLUG.txt (read and extracted as `congvan ingest` does);
- scans: every tests/data/realset/scans/STEM.json against the record congvan makes of
  REALSET/scans/STEM.pdf through ingest's reading path (text layer where usable, else
  Tesseract `vie` OCR of the page as ingest renders it), then the same extraction;
- cer: REALSET/ocr-synthetic (and its v1/): the character error rate of raw
  `tesseract PAGE - -l vie` on the page image congvan OCRs (same renderer, same dpi) and of the
  text congvan stores (its OCR, then cleaning and extraction: the record's `text`) against the
  ground-truth text, both after NFC and collapsing whitespace, with congvan's OCR before
  cleaning beside them (what the image preparation gives, apart from what the cleaning gives).
  CER = Levenshtein distance / length of the truth, averaged over documents.

Fields are scored by bench.extract's rules (`same`); a field the truth leaves out is not
scored. Extra rows: signer.name / .title / .authority / .on_behalf_of each on its own,
recipients, distribution and citations also as set F1 (averaged over documents), and the task
count; per citation (the citations found whose key the truth has, each scored once): its
relation (can_cu, thay_the …: ingest.extract.relations) and its scope; per task the one due day
(`deadline`) and every deadline with its form (`deadlines`: date, precision, time, recurrence,
relative, report back and to whom). Page texts (congvan's OCR and Tesseract's) are cached in
WORK, keyed by the file's SHA-256 and by the source of the reading modules (Tesseract alone: the
renderer's) and Tesseract's version, so a rerun only extracts again; `--fresh` reads everything
again.

    .venv/bin/python -m bench.realset --jobs 2 [--parts text,scans,cer] [--limit N]
        [--split dev|check|all] [--show-misses]

`--split` keeps half of the truth files (text and scans), chosen by a stable hash of the file
name: rules are written looking at the misses of `dev` only, and `check` says whether they
carry to letters they were not written on.

`--show-misses` prints each wrong field, got against wanted: real names, for the terminal only;
never commit that output.
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from rapidfuzz.distance import Levenshtein

from bench.extract import citation_set, same, set_f1
from ingest.extract.confidence import FIELD_NAMES, WEAK
from ingest.folding import fold
from ingest.model import Page, deadline_dict
from ingest.reading.pdf import check_pdf, render_page
from ingest.reading.reading import ocr_page, read_document
from ingest.recipe import extract_pages  # the extraction ingest runs on pages

ROOT = Path(__file__).resolve().parents[1]
TRUTH = ROOT / "tests" / "data" / "realset"
REALSET = Path(os.environ.get("CONGVAN_REALSET", ROOT.parent / "shared" / "realset"))
PARTS = ("text", "scans", "cer")
SPLITS = ("dev", "check", "all")
# The reading stage (ingest/reading/) lies between a file's bytes and its page texts: a change to
# any of its modules makes the cached OCR stale (cleaning and extraction run on every run anyway).
READING = ROOT / "ingest" / "reading"
READING_MODULES = tuple(sorted(path.stem for path in READING.glob("*.py")))
CER_NORMALISATION = ("NFC, every run of whitespace one space, ends stripped; case and "
                     "punctuation kept")


# -- scoring -----------------------------------------------------------------------------------

# A score per document, or per task of it (a list: the deadline rows), None: not scored.
Scorer = Callable[[dict[str, Any], dict[str, Any]], "float | list[float] | None"]
SIGNER_PARTS = ("name", "title", "authority", "on_behalf_of")


def _exact(name: str) -> Scorer:
    def score(got: dict[str, Any], want: dict[str, Any]) -> float | None:
        return float(same(name, got.get(name), want[name])) if name in want else None
    return score


def _signer_part(part: str) -> Scorer:
    def score(got: dict[str, Any], want: dict[str, Any]) -> float | None:
        if "signer" not in want:
            return None
        theirs, ours = want["signer"] or {}, got.get("signer") or {}
        if want["signer"] is not None and part not in theirs:
            return None
        return float(same(f"signer.{part}", ours.get(part), theirs.get(part)))
    return score


def _f1(name: str, as_set: Callable[[list[Any]], set[Any]] = set) -> Scorer:
    def score(got: dict[str, Any], want: dict[str, Any]) -> float | None:
        if name not in want:
            return None
        return set_f1(as_set(got.get(name) or []), as_set(want[name] or []))
    return score


def _paired_tasks(got: dict[str, Any], want: dict[str, Any]
                  ) -> list[tuple[dict[str, Any] | None, dict[str, Any]]]:
    """Each task of the truth with ours: by position when both have as many, else the first
    of ours with its label not paired yet (None: we found no such task)."""
    ours, theirs = got.get("tasks") or [], want.get("tasks") or []
    if len(ours) == len(theirs):
        return list(zip(ours, theirs, strict=True))
    left = list(ours)
    pairs: list[tuple[dict[str, Any] | None, dict[str, Any]]] = []
    for task in theirs:
        match = next((mine for mine in left if mine.get("label") == task.get("label")), None)
        if match is not None:
            left.remove(match)
        pairs.append((match, task))
    return pairs


def _comparable(deadlines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Deadlines as their JSON shape, whom a report goes to folded (OCR's marks aside)."""
    shaped = [deadline_dict(item) for item in deadlines]
    for item in shaped:
        if item.get("report_to"):
            item["report_to"] = " ".join(fold(item["report_to"]).split())
    return shaped


def _task_deadline(got: dict[str, Any], want: dict[str, Any]) -> list[float] | None:
    """Per task of the truth: the one due day (`deadline`) read right."""
    if "tasks" not in want:
        return None
    return [float(ours is not None and ours.get("deadline") == theirs.get("deadline"))
            for ours, theirs in _paired_tasks(got, want)]


def _task_deadlines(got: dict[str, Any], want: dict[str, Any]) -> list[float] | None:
    """Per task whose truth gives its deadlines' forms: all of them read right (date,
    precision, time, recurrence, relative, kind and whom a report goes to)."""
    if "tasks" not in want:
        return None
    return [float(ours is not None and _comparable(ours.get("deadlines") or [])
                  == _comparable(theirs["deadlines"]))
            for ours, theirs in _paired_tasks(got, want) if "deadlines" in theirs]


def _task_count(got: dict[str, Any], want: dict[str, Any]) -> float | None:
    if "tasks" not in want:
        return None
    return float(len(got.get("tasks") or []) == len(want["tasks"] or []))


ROWS: tuple[tuple[str, Scorer], ...] = (
    *((name, _exact(name)) for name in ("number", "symbol", "reference", "key", "doc_type",
                                        "date", "date_precision", "issuer", "parent_issuer",
                                        "place", "subject", "signer")),
    *((f"signer.{part}", _signer_part(part)) for part in SIGNER_PARTS),
    ("recipients", _exact("recipients")),
    ("recipients (F1)", _f1("recipients")),
    ("distribution", _exact("distribution")),
    ("distribution (F1)", _f1("distribution")),
    ("citations", _exact("citations")),
    ("citations (F1)", _f1("citations", citation_set)),
    ("tasks", _exact("tasks")),
    ("task count", _task_count),
    ("task deadline (per task)", _task_deadline),
    ("task deadlines, every form (per task)", _task_deadlines),
    ("urgency", _exact("urgency")),
    ("secrecy", _exact("secrecy")),
)


# Rows scored per citation: (row, part of a citation compared).
PER_CITATION = (("relation (per citation)", "relation"), ("scope (per citation)", "scope"))


def per_citation(got: dict[str, Any], want: dict[str, Any], part: str
                 ) -> list[tuple[str, Any, Any]]:
    """(key, ours, theirs) of each citation the truth annotates `part` of and the extractor
    found (matched by key)."""
    found = {c.get("key"): c for c in got.get("citations") or []}
    return [(c["key"], found[c["key"]].get(part), c[part])
            for c in want.get("citations") or [] if part in c and c.get("key") in found]


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(item) for item in value]
    if isinstance(value, dict):
        return {key: _nfc(item) for key, item in value.items()}
    return value


@dataclass
class Scores:
    documents: int = 0
    fields: dict[str, list[float]] = field(default_factory=dict)  # row → score per document or task
    misses: list[tuple[str, str, Any, Any]] = field(default_factory=list)

    def add(self, name: str, got: dict[str, Any], want: dict[str, Any]) -> None:
        got, want = _nfc(got), _nfc(want)
        self.documents += 1
        for row, scorer in ROWS:
            score = scorer(got, want)
            if score is None:
                continue
            values = score if isinstance(score, list) else [score]
            self.fields.setdefault(row, []).extend(values)
            if any(value < 1 for value in values):
                key = "tasks" if row.startswith("task deadline") else row.split(" ")[0]
                head, _, part = key.partition(".")
                ours = got.get(head)
                theirs = want.get(head)
                if part:
                    ours, theirs = (ours or {}).get(part), (theirs or {}).get(part)
                self.misses.append((name, row, ours, theirs))
        for row, part in PER_CITATION:
            for key, ours, theirs in per_citation(got, want, part):
                self.fields.setdefault(row, []).append(float(ours == theirs))
                if ours != theirs:
                    self.misses.append((name, f"{row} {key}", ours, theirs))

    def table(self) -> list[str]:
        lines = ["| field | scored | right | % |", "|---|---:|---:|---:|"]
        for row in [name for name, _ in ROWS] + [name for name, _ in PER_CITATION]:
            values = self.fields.get(row)
            if not values:
                continue
            right = sum(values)
            shown = f"{right:.0f}" if right == int(right) else f"{right:.1f}"
            lines.append(f"| {row} | {len(values)} | {shown} | {100 * right / len(values):.1f} |")
        return lines


# -- reading as ingest reads -------------------------------------------------------------------


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _reading_fingerprint(modules: tuple[str, ...] = READING_MODULES) -> str:
    digest = hashlib.sha256()
    for module in modules:
        source = READING / f"{module}.py"
        if source.exists():
            digest.update(source.read_bytes())
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True)
    digest.update((version.stdout + version.stderr).encode())
    return digest.hexdigest()[:16]


def _read(path: Path) -> tuple[str, list[int], list[str | None]]:
    """(media type, page numbers, texts) with None where ingest would OCR the page."""
    source = read_document(path)
    return source.media_type, [p.number for p in source.pages], [p.text for p in source.pages]


def _ocr(path: Path, media_type: str, number: int) -> dict[str, Any]:
    page = ocr_page(path, media_type, number)
    return {"number": page.number, "text": page.text, "ocr": True,
            "confidence": page.confidence, "words": page.words}


def _tesseract_alone(path: Path, number: int) -> str:
    """`tesseract PAGE - -l vie` on the image ingest renders for OCR (same pixels, same dpi)."""
    image = render_page(path, number)
    with tempfile.NamedTemporaryFile(prefix="congvan-realset-", suffix=".png") as file:
        image.save(file.name, dpi=image.info["dpi"])
        done = subprocess.run(["tesseract", file.name, "-", "-l", "vie"], capture_output=True,
                              text=True, check=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    return done.stdout


class PageReader:
    """Page texts of files as ingest gets them, cached in WORK, `jobs` processes at a time."""

    def __init__(self, work: Path, jobs: int, fresh: bool) -> None:
        self.work, self.jobs, self.fresh = work, jobs, fresh
        self.fingerprint = _reading_fingerprint()
        self.alone_fingerprint = _reading_fingerprint(("pdf",))  # the renderer, and Tesseract
        self.read_seconds = 0.0
        self.ocr_pages = 0  # pages congvan OCR'd in this run (not from the cache)
        self.alone_pages = 0  # pages Tesseract alone read in this run

    def _cache(self, kind: str, sha: str) -> Path:
        return self.work / kind / f"{sha[:24]}.json"  # by content: names may repeat

    def _cached(self, kind: str, sha: str, fingerprint: str) -> Any:
        cache = self._cache(kind, sha)
        if self.fresh or not cache.exists():
            return None
        stored = json.loads(cache.read_text(encoding="utf-8"))
        return stored["value"] if stored.get("fingerprint") == fingerprint else None

    def _store(self, kind: str, sha: str, fingerprint: str, value: Any) -> None:
        cache = self._cache(kind, sha)
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_name(f"{cache.name}.{os.getpid()}.part")  # runs may share WORK
        partial.write_text(json.dumps({"fingerprint": fingerprint, "value": value},
                                      ensure_ascii=False), encoding="utf-8")
        partial.replace(cache)

    def congvan_pages(self, paths: list[Path]) -> dict[Path, list[Page]]:
        """Each file's pages as ingest reads them: text layer, else congvan's OCR."""
        started = time.perf_counter()
        shas = {path: _sha256(path) for path in paths}
        found = {path: self._cached("congvan", shas[path], self.fingerprint) for path in paths}
        missing = [path for path in paths if found[path] is None]
        with ProcessPoolExecutor(self.jobs) as pool:
            read = dict(zip(missing, pool.map(_read, missing), strict=True))
            jobs = {(path, number): pool.submit(_ocr, path, media, number)
                    for path, (media, numbers, texts) in read.items()
                    for number, text in zip(numbers, texts, strict=True) if text is None}
            for path, (_media, numbers, texts) in read.items():
                pages = [jobs[path, number].result() if text is None
                         else {"number": number, "text": text, "ocr": False, "confidence": None}
                         for number, text in zip(numbers, texts, strict=True)]
                self._store("congvan", shas[path], self.fingerprint, pages)
                found[path] = pages
        self.ocr_pages += len(jobs)
        self.read_seconds += time.perf_counter() - started
        return {path: [Page(**page) for page in found[path]] for path in paths}

    def tesseract_pages(self, paths: list[Path]) -> dict[Path, list[str]]:
        """Tesseract alone on every page of each PDF (raw text; cached)."""
        shas = {path: _sha256(path) for path in paths}
        found = {path: self._cached("tesseract", shas[path], self.alone_fingerprint)
                 for path in paths}
        missing = [path for path in paths if found[path] is None]
        with ProcessPoolExecutor(self.jobs) as pool:
            jobs = {path: [pool.submit(_tesseract_alone, path, n)
                           for n in range(1, check_pdf(path) + 1)] for path in missing}
            for path, pending in jobs.items():
                found[path] = [job.result() for job in pending]
                self.alone_pages += len(pending)
                self._store("tesseract", shas[path], self.alone_fingerprint, found[path])
        return {path: found[path] for path in paths}


def _records(pages: dict[Path, list[Page]], jobs: int) -> dict[Path, dict[str, Any]]:
    """Each file's record in its published JSON shape, the shape the truth files are written in."""
    with ProcessPoolExecutor(jobs) as pool:
        records = pool.map(extract_pages, pages.values())
        return {path: record.to_dict() for path, record in zip(pages, records, strict=True)}


# -- the parts ---------------------------------------------------------------------------------


def split_of(stem: str) -> str:
    """'dev' or 'check': the half a truth file falls in, by a hash of its name (stable across
    machines and runs, unlike Python's own string hash)."""
    return "dev" if hashlib.sha256(stem.encode()).digest()[0] % 2 == 0 else "check"


def _truths(folder: Path, documents: Path, suffix: str,
            split: str = "all") -> list[tuple[Path, Path]]:
    pairs = []
    for truth in sorted(folder.glob("*.json")):
        document = documents / f"{truth.stem}{suffix}"
        if document.exists() and split in ("all", split_of(truth.stem)):
            pairs.append((truth, document))
    return pairs


def _score(pairs: list[tuple[Path, Path]], records: dict[Path, dict[str, Any]]) -> Scores:
    scores = Scores()
    for truth, document in pairs:
        want = json.loads(truth.read_text(encoding="utf-8"))
        want.pop("annotation", None)
        scores.add(document.name, records[document], want)
    return scores


def calibration(pairs: list[tuple[Path, Path]], records: dict[Path, dict[str, Any]],
                threshold: float = WEAK) -> list[str]:
    """Per field, how often values scored ≥ `threshold` and < it are right (confidence):
    a useful confidence has the high ones right far more often than the low ones."""
    scorers = dict(ROWS)
    buckets: dict[str, dict[str, list[float]]] = {
        name: {"high": [], "low": [], "empty": []} for name in FIELD_NAMES}
    for truth, document in pairs:
        want = _nfc(json.loads(truth.read_text(encoding="utf-8")))
        got = _nfc(records[document])
        confidence = got.get("confidence") or {}
        for name in FIELD_NAMES:
            right = scorers[name](got, want)
            if right is None:
                continue
            entry = confidence.get(name)
            bucket = ("empty" if entry is None
                      else "high" if entry["score"] >= threshold else "low")
            buckets[name][bucket].append(right)

    def cell(values: list[float]) -> str:
        return f"{len(values)} | {100 * sum(values) / len(values):.0f}" if values else "0 | —"

    lines = [f"Confidence calibration (threshold {threshold}): how many values score ≥ and < "
             "it, and the % of them that are right; 'empty': fields left null.", "",
             f"| field | ≥ {threshold} | right % | < {threshold} | right % | empty | right % |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, found in buckets.items():
        if any(found.values()):
            lines.append(f"| {name} | {cell(found['high'])} | {cell(found['low'])} | "
                         f"{cell(found['empty'])} |")
    every = {bucket: [value for found in buckets.values() for value in found[bucket]]
             for bucket in ("high", "low", "empty")}
    lines.append(f"| all fields | {cell(every['high'])} | {cell(every['low'])} | "
                 f"{cell(every['empty'])} |")
    return lines


def _half(split: str) -> str:
    return "" if split == "all" else f", the {split} half"


def _load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def text_part(reader: PageReader, realset: Path, truth: Path,
              limit: int | None, split: str = "all") -> tuple[list[str], Scores]:
    pairs = _truths(truth / "gazette", realset / "gazette", ".txt", split)[:limit]
    load = _load()
    started = time.perf_counter()
    records = _records(reader.congvan_pages([document for _, document in pairs]), reader.jobs)
    scores = _score(pairs, records)
    head = [f"### Text: official-gazette documents ({scores.documents} with truth{_half(split)}; "
            f"{time.perf_counter() - started:.1f} s, {load})", ""]
    return [*head, *scores.table(), "", *calibration(pairs, records)], scores


def scans_part(reader: PageReader, realset: Path, truth: Path,
               limit: int | None, split: str = "all") -> tuple[list[str], Scores]:
    pairs = _truths(truth / "scans", realset / "scans", ".pdf", split)
    if limit is not None:  # the shortest scans first: a sample that OCRs quickly
        pairs = sorted(pairs, key=lambda pair: (check_pdf(pair[1]), pair[1].name))[:limit]
    started, before, load = time.perf_counter(), reader.ocr_pages, _load()
    pages = reader.congvan_pages([document for _, document in pairs])
    records = _records(pages, reader.jobs)
    scores = _score(pairs, records)
    total = sum(len(p) for p in pages.values())
    ocr = sum(page.ocr for p in pages.values() for page in p)
    head = [f"### Scans: real office scans ({scores.documents} with truth{_half(split)}, "
            f"{total} pages, "
            f"{ocr} of them OCR'd, {reader.ocr_pages - before} by this run, the others from the "
            f"cache; {time.perf_counter() - started:.1f} s, {load})", ""]
    return [*head, *scores.table(), "", *calibration(pairs, records)], scores


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def cer(hypothesis: str, truth: str) -> float:
    truth, hypothesis = _normalised(truth), _normalised(hypothesis)
    return Levenshtein.distance(hypothesis, truth) / max(len(truth), 1)


@dataclass
class CerRow:
    doc_id: str
    category: str
    style: str
    pages: int
    alone: float
    read: float  # congvan's OCR as read, before cleaning
    congvan: float  # the text the catalog stores


def _ground_truth(realset: Path) -> list[tuple[dict[str, Any], Path]]:
    rows = []
    synthetic = realset / "ocr-synthetic"
    for folder, prefix in ((synthetic, ""), (synthetic / "v1", "v1 ")):
        listing = folder / "ground-truth.jsonl"
        if not listing.exists():
            continue
        for line in listing.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                item["category"] = prefix + item["category"]
                rows.append((item, folder / item["file"]))
    return rows


def _sample(items: list[Any], limit: int | None) -> list[Any]:
    """`limit` items spread evenly over the list (so over categories and styles), or all."""
    if limit is None or limit >= len(items):
        return items
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def _style(gen_method: str) -> str:
    """'render_dejavu+scan_artifacts:office_scan' → 'office_scan'; v1 → 'v1 clean'."""
    return gen_method.rsplit(":", 1)[1] if ":" in gen_method else "v1 clean"


def _cer_table(head: str, groups: dict[str, list[CerRow]]) -> list[str]:
    lines = [f"| {head} | documents | pages | Tesseract alone CER % | congvan OCR before "
             "cleaning CER % | congvan CER % | congvan / alone |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, rows in groups.items():
        alone = statistics.fmean(row.alone for row in rows)
        read = statistics.fmean(row.read for row in rows)
        ours = statistics.fmean(row.congvan for row in rows)
        ratio = f"{ours / alone:.2f}" if alone else "—"
        lines.append(f"| {name} | {len(rows)} | {sum(r.pages for r in rows)} | "
                     f"{100 * alone:.1f} | {100 * read:.1f} | {100 * ours:.1f} | {ratio} |")
    return lines


def _grouped(rows: list[CerRow], key: Callable[[CerRow], str]) -> dict[str, list[CerRow]]:
    groups: dict[str, list[CerRow]] = {}
    for row in sorted(rows, key=key):
        groups.setdefault(key(row), []).append(row)
    return groups


def cer_part(reader: PageReader, realset: Path, limit: int | None) -> tuple[list[str],
                                                                           list[CerRow]]:
    items = _sample(_ground_truth(realset), limit)
    started, load = time.perf_counter(), _load()
    before = reader.ocr_pages, reader.alone_pages
    paths = [path for _, path in items]
    pages = reader.congvan_pages(paths)
    alone = reader.tesseract_pages(paths)
    records = _records(pages, reader.jobs)
    rows = []
    text_layers = 0
    for item, path in items:
        text_layers += sum(not page.ocr for page in pages[path])
        rows.append(CerRow(item["doc_id"], item["category"], _style(item["gen_method"]),
                           len(pages[path]), cer("\n\n".join(alone[path]), item["text"]),
                           cer("\n\n".join(page.text for page in pages[path]), item["text"]),
                           cer(records[path]["text"], item["text"])))
    lines = [f"### OCR: character error rate on ocr-synthetic ({len(rows)} documents, "
             f"{sum(r.pages for r in rows)} pages, read in this run by congvan "
             f"{reader.ocr_pages - before[0]} and Tesseract alone {reader.alone_pages - before[1]}"
             f", the others from the cache; {time.perf_counter() - started:.1f} s, {load})", "",
             "Tesseract alone: `tesseract PAGE - -l vie` on the page image congvan renders for "
             "OCR (same renderer, same dpi). congvan OCR before cleaning: the page texts as "
             "congvan's OCR reads them (its image preparation, then Tesseract). congvan: the "
             "text the catalog stores (that OCR, then cleaning and extraction). CER: "
             "Levenshtein distance over the ground truth's length after normalising both "
             f"({CER_NORMALISATION}), mean over documents."
             + (f" {text_layers} pages had a text layer that congvan used instead of OCR."
                if text_layers else ""), ""]
    lines += [*_cer_table("category", _grouped(rows, lambda r: r.category)), ""]
    lines += [*_cer_table("scan style (gen_method)", _grouped(rows, lambda r: r.style)), ""]
    lines += _cer_table("overall", {"all": rows}) if rows else ["(no documents)"]
    return lines, rows


def _print_misses(scores: Scores, title: str) -> None:
    click.echo(f"\n#### Misses: {title} (for the terminal only: real names, never commit)")
    for name, row, got, want in scores.misses:
        click.echo(f"\n{name} {row}\n  got:  {got!r}\n  want: {want!r}")


def run(parts: Iterable[str], work: Path, jobs: int, limit: int | None, scan_limit: int | None,
        realset: Path, truth: Path, show_misses: bool, fresh: bool,
        split: str = "all") -> list[str]:
    """Print each part's tables as it ends; return every printed line."""
    reader = PageReader(work, jobs, fresh)
    printed: list[str] = []

    def say(lines: list[str]) -> None:
        printed.extend([*lines, ""])
        click.echo("\n".join(lines) + "\n")

    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    say([f"## congvan on real documents ({stamp})", "",
         f"Machine: {_machine()}. Documents: {realset}; truth: {_shown(truth)} "
         f"({len(list((truth / 'gazette').glob('*.json')))} gazette, "
         f"{len(list((truth / 'scans').glob('*.json')))} scan truth files).",
         f"Command: `{_command()}` at commit {_commit()}."])
    for part in parts:
        if part == "text":
            lines, scores = text_part(reader, realset, truth, limit, split)
        elif part == "scans":
            lines, scores = scans_part(reader, realset, truth, scan_limit or limit, split)
        else:
            lines, rows = cer_part(reader, realset, limit)
            say(lines)
            if show_misses:
                click.echo("#### Per document (CER %: Tesseract alone, congvan before "
                           "cleaning, congvan), largest differences first")
                for row in sorted(rows, key=lambda r: abs(r.alone - r.congvan), reverse=True):
                    click.echo(f"{row.doc_id} ({row.style}): {100 * row.alone:.1f} "
                               f"{100 * row.read:.1f} {100 * row.congvan:.1f}")
            continue
        say(lines)
        if show_misses:
            _print_misses(scores, part)
    return printed


def _commit() -> str:
    done = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                          capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _command() -> str:
    return " ".join([".venv/bin/python -m bench.realset", *sys.argv[1:]])


def _machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (f"{os.cpu_count()} cores, {memory:.1f} GiB RAM, Python {sys.version.split()[0]}, "
            f"load average {load} at start")


def _parts(_ctx: Any, _param: Any, value: str) -> list[str]:
    chosen = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [part for part in chosen if part not in PARTS]
    if unknown or not chosen:
        raise click.BadParameter(f"choose from {', '.join(PARTS)}")
    return chosen


@click.command(help=__doc__.split("\n\n")[0])
@click.option("--parts", default=",".join(PARTS), show_default=True, callback=_parts,
              help="Which parts to run, comma-separated.")
@click.option("--work", type=click.Path(file_okay=False, path_type=Path),
              default=Path(tempfile.gettempdir()) / "congvan-realset", show_default=True,
              help="Cache of page texts (OCR), so that reruns only extract again.")
@click.option("--jobs", type=click.IntRange(1), default=2, show_default=True)
@click.option("--limit", type=click.IntRange(1), default=None,
              help="At most N documents per part (a sample spread over ocr-synthetic; the "
                   "smallest scans).")
@click.option("--scan-limit", type=click.IntRange(1), default=None,
              help="At most N scans (default: --limit).")
@click.option("--realset", type=click.Path(file_okay=False, path_type=Path), default=REALSET,
              show_default=True, help="The real documents (env CONGVAN_REALSET).")
@click.option("--truth", type=click.Path(file_okay=False, path_type=Path), default=TRUTH,
              show_default=True, help="Truth files: TRUTH/gazette/*.json, TRUTH/scans/*.json.")
@click.option("--split", type=click.Choice(SPLITS), default="all", show_default=True,
              help="Half of the truth files by a hash of their names: dev (rules are written "
                   "on its misses), check (held apart), or all.")
@click.option("--show-misses", is_flag=True,
              help="Print every wrong field, got against wanted (terminal only: never commit).")
@click.option("--fresh", is_flag=True, help="Ignore the cache: read and OCR everything again.")
def main(parts: list[str], work: Path, jobs: int, limit: int | None, scan_limit: int | None,
         realset: Path, truth: Path, split: str, show_misses: bool, fresh: bool) -> None:
    if not realset.is_dir():
        raise click.UsageError(f"{realset} is absent: the real documents are not on this machine")
    run(parts, work, jobs, limit, scan_limit, realset, truth.resolve(), show_misses, fresh,
        split)


if __name__ == "__main__":
    main()
