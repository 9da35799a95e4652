"""Benchmark stages: each runs one thing on the work folder and returns what it measured."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.generator import write_corpus
from index import QueryError, rebuild_index
from index.engines import engine_dir
from ingest import Archive, open_catalog

from .fts import FtsSearch, build_fts
from .memory import PeakRss


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def generate(work: Path, count: int, seed: int, jobs: int) -> dict[str, Any]:
    return write_corpus(work / "letters", count, seed=seed, expected_dir=work / "expected",
                        jobs=jobs, resume=True)  # a work folder is emptied unless --reuse


def ingest(work: Path, jobs: int, folder: str = "letters", archive: str = "archive",
           index: bool = True) -> dict[str, Any]:
    """`congvan ingest` in a child process: seconds, summary, peak RSS (main, largest process).
    With `index=False` the index sync is left out (`--no-index`), to time it separately."""
    command = [sys.executable, "-m", "congvan", "ingest", str(work / folder),
               "--archive", str(work / archive), "--jobs", str(jobs), "--json",
               *([] if index else ["--no-index"])]
    out = work / f"{archive}-ingest.json"
    started = time.perf_counter()
    with out.open("w") as stdout:
        process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE, text=True)
        peak = PeakRss(process.pid)
        _, stderr = process.communicate()
        memory = peak.stop()
    seconds = time.perf_counter() - started
    if process.returncode not in (0, 1):
        raise RuntimeError(f"congvan ingest failed ({process.returncode}): {stderr[-2000:]}")
    summary = json.loads(out.read_text())["summary"]
    return {"seconds": seconds, "summary": summary, "peak_rss_mb": memory["largest_mb"],
            "main_rss_mb": memory["main_mb"]}


def letter_parts(work: Path, part_size: int) -> list[list[str]]:
    """The generated letters' file names, `part_size` at a time, in name order."""
    letters = sorted(path.name for path in (work / "letters").iterdir()
                     if path.suffix == ".txt")
    return [letters[start:start + part_size] for start in range(0, len(letters), part_size)]


def part_folder(work: Path, number: int, names: list[str]) -> str:
    """A part's letters as a folder `congvan ingest` is given (relative to `work`): hard links
    in work/parts/NNN (a symbolic link out of the folder given would be refused, rightly)."""
    folder = work / "parts" / f"{number:03d}"
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        if not (folder / name).exists():
            os.link(work / "letters" / name, folder / name)
    return str(folder.relative_to(work))


def drop_part_folder(work: Path, folder: str) -> None:
    """A part's hard links, once its ingest is saved (the letters stay in work/letters)."""
    shutil.rmtree(work / folder, ignore_errors=True)


def catalog_bytes(work: Path, archive: str = "archive") -> int:
    """The SQLite catalog's size on disk, its write-ahead log included."""
    path = Archive(work / archive).catalog_path
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())


def build_index(work: Path, engine: str) -> dict[str, Any]:
    """`rebuild_index` of one engine from the work archive's catalog: letters, seconds, bytes."""
    archive = Archive(work / "archive")
    with open_catalog(archive.catalog_location) as catalog:
        count = catalog.stats().get("documents", 0)
        started = time.perf_counter()
        rebuild_index(catalog, archive.index_dir, engine=engine)
        seconds = time.perf_counter() - started
    folder = engine_dir(archive.index_dir, engine)
    return {"letters": count, "seconds": seconds, "bytes": folder_bytes(folder)}


def build_baseline(work: Path) -> dict[str, Any]:
    with open_catalog(Archive(work / "archive").catalog_location) as catalog:
        return build_fts(catalog, work / "fts.sqlite")


def _time_queries(search, queries: list[tuple[str, str]]) -> dict[str, Any]:
    """Latency (ms) of each query, by kind; queries that raise count as errors."""
    by_kind: dict[str, list[float]] = {}
    empty = errors = 0
    for kind, query in queries:
        started = time.perf_counter()
        try:
            total = search(query)
        except QueryError:
            errors += 1
            continue
        by_kind.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
        empty += total == 0
    return {"by_kind": by_kind, "empty": empty, "errors": errors}


def query_fts(work: Path, queries: list[tuple[str, str]]) -> dict[str, Any]:
    fts = FtsSearch(work / "fts.sqlite")
    fts.search("warmup")
    return _time_queries(lambda query: fts.search(query)["total"], queries)


def extraction_agreement(work: Path) -> dict[str, float]:
    """Share of ingested letters whose extracted field equals the generator's record."""
    fields = {"doc_type": "doc_type", "ref_key": "key", "issued_date": "date", "issuer": "issuer"}
    hits = dict.fromkeys(fields, 0)
    total = 0
    with open_catalog(Archive(work / "archive").catalog_location) as catalog:
        for row in catalog.iter_documents():
            sidecar = work / "expected" / (Path(row["original_name"]).stem + ".json")
            if not sidecar.exists():
                continue
            expected = json.loads(sidecar.read_text(encoding="utf-8"))
            total += 1
            for column, key in fields.items():
                hits[column] += row.get(column) == expected[key]
    return {column: 100 * hits[column] / total if total else 0.0 for column in fields}


def code_version() -> str:
    """The commit the benchmark runs (`+` if the checkout has changes): a run in sittings may
    span several commits, and each saved stage names its own."""
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root,
                                capture_output=True, text=True, check=True).stdout.strip()
        changed = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                                 cwd=root, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+" if changed.strip() else "")


def machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()[0]
    return (f"{model}, {os.cpu_count()} cores, {memory:.1f} GiB RAM, Python "
            f"{sys.version.split()[0]}, load average {load:.1f} at start")


def render_pdfs(work: Path, count: int, seed: int) -> dict[str, Any]:
    """`count` of the generated letters as text PDFs (reportlab, embedded font) in work/pdfs."""
    from bench.rendering import render_text_pdf

    letters = sorted((work / "letters").glob("*.txt"))
    chosen = random.Random(seed).sample(letters, min(count, len(letters)))
    out = work / "pdfs"
    out.mkdir(exist_ok=True)
    pages = 0
    for letter in chosen:
        pages += len(render_text_pdf(letter.read_text(encoding="utf-8"),
                                     out / f"{letter.stem}.pdf"))
    return {"letters": len(chosen), "pages": pages}


def load_average() -> str:
    return f"load {os.getloadavg()[0]:.1f}"
