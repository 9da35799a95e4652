"""Benchmark congvan on a generated corpus and print the issue-5 table (markdown).

    .venv/bin/python -m bench.run --count 2000            # quick run
    .venv/bin/python -m bench.run --count 100000 --work bench/work/w100k --keep

Stages: generate N letters → `congvan ingest --no-index` of the text letters (letters/s, peak
RSS) → a sample rendered as text PDFs and ingested → index build with each engine (Whoosh,
tantivy: letters/s, size) → SQLite FTS5 build → ≥ 300 staff-style queries, top 10 with facets
and highlights, over HTTP against `congvan serve` with each engine (peak RSS of the server) →
the same queries on SQLite FTS5 in process → 50 concurrent clients for 60 s against each
engine's server and FTS5 → scanned pages OCR'd with --jobs 1 and 2 against Tesseract alone
(scans.py). `--until STEP` stops after a step: a long run goes in parts with `--reuse`.
Timings are wall-clock, one run; each stage notes the 1-minute load average at its start.
Each stage saves what it measured in WORK/results/STAGE.json: a run that stopped resumes with
`--reuse`, which prints the saved stages (marked "saved") and runs only the missing ones.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from index import ENGINES

from . import stages, stats
from .fts import FtsSearch
from .load import run_load
from .queries import KINDS, load_expected, make_queries
from .server import Server, query_http

ENGINE_NAMES = {"whoosh": "Whoosh", "tantivy": "tantivy"}
QUERY_SOURCES = 100_000  # letters whose records the queries are drawn from, at most
STEPS = ("generate", "ingest", "index", "queries", "load", "scans")


def _stage(work: Path, name: str, run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A stage's measurements: saved ones if this work folder has them, else run and saved."""
    saved = work / "results" / f"{name}.json"
    if saved.exists():
        return {**json.loads(saved.read_text()), "saved": True}
    load = stages.load_average()
    result = {**run(), "load": load, "code": stages.code_version()}
    saved.parent.mkdir(exist_ok=True)
    saved.write_text(json.dumps(result, default=str, indent=1))
    return result


def _note(result: dict[str, Any]) -> str:
    code = f", code {result['code']}" if "code" in result else ""
    return result["load"] + code + ("; saved by an earlier run of this work folder"
                                    if result.get("saved") else "")


def _rate(count: float, seconds: float) -> str:
    return f"{count / seconds:,.1f}" if seconds else "—"


def _ingest_row(label: str, ingested: dict) -> str:
    summary = ingested["summary"]
    size = ingested.get("catalog_bytes")
    letters = ingested.get("catalog_letters", summary["archived"])
    catalog = (f"catalog {size / 1e6:,.0f} MB, {size / 1024 / max(letters, 1):.1f} "
               "KB per letter; " if size else "")
    return (f"| {label} | {summary['archived']:,} | {ingested['seconds']:.1f} | "
            f"{_rate(summary['archived'], ingested['seconds'])} | {summary['failed']} failed; "
            f"{catalog}peak RSS main {ingested['main_rss_mb']:.0f} MB, largest process "
            f"{ingested['peak_rss_mb']:.0f} MB; {_note(ingested)} |")


def _ingest_text(work: Path, jobs: int) -> dict[str, Any]:
    return {**stages.ingest(work, jobs, index=False), "catalog_bytes": stages.catalog_bytes(work)}


def _ingest_in_parts(work: Path, jobs: int, part_size: int) -> dict[str, Any]:
    """The text letters ingested `part_size` at a time, each part a stage of its own (a run
    stopped between parts goes on with --reuse: a long ingest spans several sittings), a row
    printed as each part ends (the rate as the archive grows); the whole ingest's sums.
    A part stopped half way is ingested again: the letters it had archived are found by their
    hash and count as duplicates, their time is lost with the stopped run."""
    parts = []
    for number, names in enumerate(stages.letter_parts(work, part_size)):
        before = sum(part["summary"]["archived"] for part in parts)

        def ingest_part(number: int = number, names: list[str] = names) -> dict[str, Any]:
            folder = stages.part_folder(work, number, names)
            found = stages.ingest(work, jobs, folder=folder, index=False)
            stages.drop_part_folder(work, folder)
            return found

        part = _stage(work, f"ingest-part-{number:03d}", ingest_part)
        parts.append(part)
        again = part["summary"]["duplicate"]
        _show([_ingest_row(f"ingest part {number + 1} into an archive of {before:,} letters"
                           + (f" ({again:,} found archived by a run stopped in this part)"
                              if again else ""), part)])
    summary = {key: sum(part["summary"][key] for part in parts)
               for key in ("files", "archived", "duplicate", "failed", "skipped")}
    return {"seconds": sum(part["seconds"] for part in parts), "summary": summary,
            "peak_rss_mb": max(part["peak_rss_mb"] for part in parts),
            "main_rss_mb": max(part["main_rss_mb"] for part in parts),
            "catalog_bytes": stages.catalog_bytes(work),
            "catalog_letters": summary["archived"] + summary["duplicate"],
            "load": "load " + ", ".join(part["load"].removeprefix("load ") for part in parts),
            "code": " and ".join(dict.fromkeys(part.get("code", "unknown") for part in parts))}


def ingest_rows(work: Path, count: int, seed: int, jobs: int, pdfs: int,
                ingest: bool = True, part_size: int = 0) -> list[str]:
    made = _stage(work, "generate", lambda: stages.generate(work, count, seed, jobs))
    kept = made.get("kept", 0)  # written by a run stopped before: their time is not counted
    rows = [f"| generate (`congvan generate`, jobs {jobs}) | {made['letters']:,} | "
            f"{made['seconds']:.1f} | {_rate(made['letters'] - kept, made['seconds'])} | "
            f"{made['bytes'] / 1e6:.1f} MB of text; "
            + (f"{kept:,} written by a run stopped before, the rate is of the rest; " if kept
               else "") + f"{_note(made)} |"]
    if not ingest:
        return rows
    label = f"ingest text letters (`congvan ingest --jobs {jobs} --no-index`)"
    if part_size and part_size < made["letters"]:
        _show(rows)
        rows = []
        ingested = _ingest_in_parts(work, jobs, part_size)
        label += ", the parts together"
    else:
        ingested = _stage(work, "ingest", lambda: _ingest_text(work, jobs))
    rows.append(_ingest_row(label, ingested))
    if pdfs:
        def render_and_ingest() -> dict[str, Any]:
            rendered = stages.render_pdfs(work, pdfs, seed)
            found = stages.ingest(work, jobs, folder="pdfs", archive="pdf-archive", index=False)
            return {**found, "pages": rendered["pages"]}

        ingested = _stage(work, "ingest-pdfs", render_and_ingest)
        rows.append(_ingest_row(f"ingest text PDFs (`--jobs {jobs} --no-index`, "
                                f"{ingested['pages']} pages)", ingested))
    return rows


def index_rows(work: Path, engines: tuple[str, ...]) -> list[str]:
    rows = []
    for engine in engines:
        built = _stage(work, f"index-{engine}", lambda e=engine: stages.build_index(work, e))
        rows.append(f"| index build ({ENGINE_NAMES[engine]}, `congvan --engine {engine} "
                    f"reindex`) | {built['letters']:,} | {built['seconds']:.1f} | "
                    f"{_rate(built['letters'], built['seconds'])} | index "
                    f"{built['bytes'] / 1e6:.1f} MB; {_note(built)} |")
    baseline = _stage(work, "index-fts5", lambda: stages.build_baseline(work))
    rows.append(f"| index build (SQLite FTS5, pre-folded) | {baseline['letters']:,} | "
                f"{baseline['seconds']:.1f} | {_rate(baseline['letters'], baseline['seconds'])} "
                f"| database {baseline['bytes'] / 1e6:.1f} MB; {_note(baseline)} |")
    return rows


def _latency_row(label: str, values: list[float], empty: str = "", errors: str = "") -> str:
    p = stats.percentiles(values)
    return (f"| {label} | {len(values)} | {p['p50']:.1f} | {p['p95']:.1f} | {p['p99']:.1f} | "
            f"{p['mean']:.1f} | {empty} | {errors} |")


def _serve_queries(work: Path, engine: str, queries: list[tuple[str, str]]) -> dict[str, Any]:
    """The queries over HTTP against `congvan serve` with `engine` (started and stopped here)."""
    server = Server(work / "archive", engine=engine)
    try:
        result = query_http(server.port, queries)
    finally:
        memory = server.stop()
    return {**result, "startup_seconds": server.startup_seconds, "server_mb": memory["main_mb"],
            "server_anon_mb": memory["main_anon_mb"]}


def _anon(result: dict[str, Any]) -> str:
    """The anonymous part of a server's peak RSS: the rest is mapped files (libraries, the
    index), pages the kernel drops and reads again, which grow with the index. Stages saved
    before it was recorded have none."""
    anon = result.get("server_anon_mb")
    return f" (anonymous memory at most {anon:.0f} MB)" if anon is not None else ""


def _all_latencies(result: dict[str, Any]) -> list[float]:
    return [ms for values in result["by_kind"].values() for ms in values]


def _queries(work: Path, count: int, seed: int) -> list[tuple[str, str]]:
    return make_queries(load_expected(work / "expected", limit=QUERY_SOURCES), count, seed)


def query_rows(work: Path, count: int, seed: int, engines: tuple[str, ...]) -> list[str]:
    queries = _queries(work, count, seed)
    results = {}
    notes = []
    for engine in engines:
        found = _stage(work, f"queries-{engine}",
                       lambda e=engine: _serve_queries(work, e, queries))
        label = f"{ENGINE_NAMES[engine]} over HTTP (`congvan --engine {engine} serve`)"
        results[label] = found
        notes.append(f"{ENGINE_NAMES[engine]}: server started in "
                     f"{found['startup_seconds']:.1f} s, peak RSS of the server "
                     f"{found['server_mb']:.0f} MB{_anon(found)}, {_note(found)}.")
    fts = _stage(work, "queries-fts5", lambda: stages.query_fts(work, queries))
    results["SQLite FTS5 in process"] = fts
    notes.append(f"FTS5: {_note(fts)}.")
    rows = [f"Queries: {len(queries)}, top 10 with facets and highlights. " + " ".join(notes),
            "", "| queries | n | p50 ms | p95 ms | p99 ms | mean ms | no hits | errors |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for label, result in results.items():
        rows.append(_latency_row(f"**{label}, all kinds**", _all_latencies(result),
                                 str(result["empty"]), str(result["errors"])))
        for kind in KINDS:
            rows.append(_latency_row(f"{label.split()[0]}: {kind}",
                                     result["by_kind"].get(kind, [])))
    p_fts = stats.percentiles(_all_latencies(fts))
    for label, result in list(results.items())[:-1]:
        p = stats.percentiles(_all_latencies(result))
        rows.append(f"\n{label.split()[0]} over HTTP / FTS5 in process latency ratio: p50 "
                    f"{p['p50'] / p_fts['p50']:.1f}×, p95 {p['p95'] / p_fts['p95']:.1f}×.")
    return rows


def _load_http(work: Path, engine: str, queries: list[str], clients: int,
               seconds: float) -> dict[str, Any]:
    server = Server(work / "archive", engine=engine)
    try:
        out = run_load(server.port, queries, clients, seconds)
    finally:
        memory = server.stop()
    return {"latencies": out["latencies"], "errors": out["errors"], "seconds": out["seconds"],
            "server_mb": memory["main_mb"], "server_anon_mb": memory["main_anon_mb"],
            "queue_warnings": server.queue_warnings}


def _load_fts(work: Path, queries: list[str], clients: int, seconds: float) -> dict[str, Any]:
    out = run_load(lambda: FtsSearch(work / "fts.sqlite"), queries, clients, seconds)
    return {"latencies": out["latencies"], "errors": out["errors"], "seconds": out["seconds"]}


def load_rows(work: Path, seed: int, engines: tuple[str, ...], clients: int,
              seconds: float) -> list[str]:
    """`clients` concurrent clients for `seconds` against each engine's server (each request
    a top-10 page with facets and highlights), and as many threads on FTS5 in process."""
    queries = [query for _kind, query in _queries(work, 500, seed + 6)]
    rows = [f"Load: {clients} concurrent clients for {seconds:.0f} s, {len(queries)} distinct "
            "queries drawn at random; each client its own keep-alive connection (FTS5: its own "
            "database connection in a thread of this process).", "",
            "| load | requests | requests/s | errors | p50 ms | p95 ms | p99 ms | max ms | "
            "notes |", "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    found = {f"{ENGINE_NAMES[e]} over HTTP": _stage(
        work, f"load-{e}", lambda e=e: _load_http(work, e, queries, clients, seconds))
        for e in engines}
    found["SQLite FTS5 in process"] = _stage(
        work, "load-fts5", lambda: _load_fts(work, queries, clients, seconds))
    for label, out in found.items():
        p = stats.percentiles(out["latencies"])
        done = len(out["latencies"])
        server = (f"server peak RSS {out['server_mb']:.0f} MB{_anon(out)}, "
                  f"{out['queue_warnings']} queue "
                  "warnings logged; " if "server_mb" in out else "")
        rows.append(f"| {label} | {done:,} | {done / out['seconds']:.1f} | "
                    f"{len(out['errors'])} | {p['p50']:.1f} | {p['p95']:.1f} | {p['p99']:.1f} | "
                    f"{max(out['latencies'], default=0):.0f} | {server}{_note(out)} |")
    errors = sorted({e for out in found.values() for e in out["errors"]})
    if errors:
        rows.append("\nFirst errors: " + "; ".join(errors[:5]))
    return rows


def _show(lines: list[str]) -> None:
    """Print a finished part of the table at once, so a long run shows its progress."""
    click.echo("\n".join(lines))
    sys.stdout.flush()


@click.command()
@click.option("--count", type=click.IntRange(10), default=2000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--jobs", type=click.IntRange(1, 64), default=2, show_default=True)
@click.option("--queries", "query_count", type=click.IntRange(10), default=350, show_default=True)
@click.option("--work", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Work folder (default /tmp/congvan-bench-COUNT); emptied first.")
@click.option("--engines", default=",".join(ENGINES), show_default=True,
              help="Search engines to measure, comma-separated.")
@click.option("--pdfs", type=click.IntRange(0), default=200, show_default=True,
              help="Letters rendered as text PDFs and ingested.")
@click.option("--scans", type=click.IntRange(0), default=12, show_default=True,
              help="Letters rendered as scans (several pages each) and OCR'd.")
@click.option("--clients", type=click.IntRange(0, 500), default=50, show_default=True,
              help="Concurrent clients of the load step (0: no load step).")
@click.option("--load-seconds", type=click.FloatRange(1, 3600), default=60, show_default=True)
@click.option("--until", type=click.Choice(STEPS), default="scans", show_default=True,
              help="Stop after this step (a long run can be done in parts with --reuse).")
@click.option("--ingest-part", "part_size", type=click.IntRange(0), default=0,
              help="Ingest the letters this many at a time, each part saved as it ends (0: all "
              "at once). With --reuse a run stopped between parts goes on where it was.")
@click.option("--reuse", is_flag=True,
              help="Keep the work folder: saved stages are printed, missing ones run.")
@click.option("--keep", is_flag=True, help="Keep the work folder afterwards.")
def main(count: int, seed: int, jobs: int, query_count: int, work: Path | None, engines: str,
         pdfs: int, scans: int, clients: int, load_seconds: float, until: str, part_size: int,
         reuse: bool, keep: bool) -> None:
    """Run the benchmark and print a markdown table."""
    logging.basicConfig(level=logging.WARNING)
    chosen = tuple(e.strip() for e in engines.split(",") if e.strip())
    if not set(chosen) <= set(ENGINES):
        raise click.BadParameter(f"engines are {', '.join(ENGINES)}", param_hint="--engines")
    work = work or Path(f"/tmp/congvan-bench-{count}")
    if not reuse:
        shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    _show([f"## congvan benchmark: {count:,} generated letters (seed {seed})", "",
           f"Machine: {stages.machine()}.", "",
           "| stage | letters | seconds | letters/s | notes |", "|---|---:|---:|---:|---|"])
    last = STEPS.index(until)
    _show(ingest_rows(work, count, seed, jobs, pdfs, ingest=last >= STEPS.index("ingest"),
                      part_size=part_size))
    if last >= STEPS.index("index"):
        _show([*index_rows(work, chosen), ""])
    if last >= STEPS.index("queries"):
        _show([*query_rows(work, query_count, seed, chosen), ""])
    if last >= STEPS.index("load") and clients:
        _show([*load_rows(work, seed, chosen, clients, load_seconds), ""])
    if last >= STEPS.index("scans") and scans:
        from .scans import scan_rows

        _show([*scan_rows(work, scans, seed), ""])
    _show([f"Total benchmark time {time.perf_counter() - started:.0f} s (this run; saved "
           "stages count nothing)."])
    if not keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
