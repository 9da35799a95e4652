"""Benchmark congvan on a generated corpus and print the issue-5 table (markdown).

    .venv/bin/python -m bench.run --count 2000            # quick run
    .venv/bin/python -m bench.run --count 10000 --keep    # then: python -m bench.load --archive ...

Stages: generate N letters → `congvan ingest` of the text letters (letters/s, peak RSS) → a
sample rendered as text PDFs and ingested → Whoosh index build (letters/s, size) → SQLite FTS5
build → ≥ 300 staff-style queries, top 10 with facets and highlights, over HTTP against
`congvan serve` (peak RSS of the server) → the same queries on SQLite FTS5 in process → a few
scanned pages OCR'd with --jobs 1 and 2 against Tesseract alone (scans.py).
Timings are wall-clock, one run; each stage notes the 1-minute load average at its start.
With --reuse, an existing work folder's letters and archive are kept (generate and ingest
skipped), e.g. to measure the index and queries on an archive ingested separately.
"""

from __future__ import annotations

import logging
import shutil
import sys
import time
from pathlib import Path

import click

from . import stages
from .queries import KINDS, load_expected, make_queries
from .server import Server, query_http


def _rate(count: float, seconds: float) -> str:
    return f"{count / seconds:,.1f}" if seconds else "—"


def _ingest_row(label: str, ingested: dict, load: str, extra: str = "") -> str:
    summary = ingested["summary"]
    return (f"| {label} | {summary['archived']:,} | {ingested['seconds']:.1f} | "
            f"{_rate(summary['archived'], ingested['seconds'])} | {summary['failed']} failed; "
            f"peak RSS main {ingested['main_rss_mb']:.0f} MB, largest process "
            f"{ingested['peak_rss_mb']:.0f} MB{extra}; {load} |")


def ingest_rows(work: Path, count: int, seed: int, jobs: int, pdfs: int) -> list[str]:
    rows = []
    load = stages.load_average()
    made = stages.generate(work, count, seed, jobs)
    rows.append(f"| generate (`congvan generate`, jobs {jobs}) | {made['letters']:,} | "
                f"{made['seconds']:.1f} | {_rate(made['letters'], made['seconds'])} | "
                f"{made['bytes'] / 1e6:.1f} MB of text; {load} |")
    load = stages.load_average()
    ingested = stages.ingest(work, jobs)
    rows.append(_ingest_row(f"ingest text letters (`congvan ingest --jobs {jobs}`, "
                            "incl. its index sync)", ingested, load))
    if pdfs:
        rendered = stages.render_pdfs(work, pdfs, seed)
        load = stages.load_average()
        ingested = stages.ingest(work, jobs, folder="pdfs", archive="pdf-archive")
        rows.append(_ingest_row(f"ingest text PDFs (`--jobs {jobs}`, {rendered['pages']} pages)",
                                ingested, load))
    return rows


def index_rows(work: Path) -> list[str]:
    load = stages.load_average()
    built = stages.build_index(work)
    rows = [f"| index build (Whoosh `rebuild_index`) | {built['letters']:,} | "
            f"{built['seconds']:.1f} | {_rate(built['letters'], built['seconds'])} | "
            f"index {built['bytes'] / 1e6:.1f} MB; {load} |"]
    load = stages.load_average()
    baseline = stages.build_baseline(work)
    rows.append(f"| index build (SQLite FTS5, pre-folded) | {baseline['letters']:,} | "
                f"{baseline['seconds']:.1f} | {_rate(baseline['letters'], baseline['seconds'])} "
                f"| database {baseline['bytes'] / 1e6:.1f} MB; {load} |")
    return rows


def _latency_row(label: str, values: list[float], empty: str = "", errors: str = "") -> str:
    p = stages.percentiles(values)
    return (f"| {label} | {len(values)} | {p['p50']:.1f} | {p['p95']:.1f} | {p['p99']:.1f} | "
            f"{p['mean']:.1f} | {empty} | {errors} |")


def query_rows(work: Path, count: int, seed: int) -> list[str]:
    queries = make_queries(load_expected(work / "expected"), count, seed)
    load = stages.load_average()
    server = Server(work / "archive")
    try:
        http = query_http(server.port, queries)
    finally:
        memory = server.stop()
    fts_load = stages.load_average()
    results = {"Whoosh over HTTP (`congvan serve`)": http,
               "SQLite FTS5 in process": stages.query_fts(work, queries)}
    rows = [f"Queries: {len(queries)}, top 10 with facets and highlights. Server started in "
            f"{server.startup_seconds:.1f} s; peak RSS of the server {memory['main_mb']:.0f} MB. "
            f"Whoosh stage {load}; FTS5 stage {fts_load}.", "",
            "| queries | n | p50 ms | p95 ms | p99 ms | mean ms | no hits | errors |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for engine, result in results.items():
        everything = [ms for values in result["by_kind"].values() for ms in values]
        rows.append(_latency_row(f"**{engine}, all kinds**", everything, str(result["empty"]),
                                 str(result["errors"])))
        for kind in KINDS:
            rows.append(_latency_row(f"{engine.split()[0]}: {kind}",
                                     result["by_kind"].get(kind, [])))
    whoosh, fts = ([ms for v in results[e]["by_kind"].values() for ms in v] for e in results)
    p_w, p_f = stages.percentiles(whoosh), stages.percentiles(fts)
    rows.append(f"\nWhoosh over HTTP / FTS5 in process latency ratio: p50 "
                f"{p_w['p50'] / p_f['p50']:.1f}×, p95 {p_w['p95'] / p_f['p95']:.1f}×.")
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
@click.option("--pdfs", type=click.IntRange(0), default=200, show_default=True,
              help="Letters rendered as text PDFs and ingested.")
@click.option("--scans", type=click.IntRange(0), default=6, show_default=True,
              help="Letters whose first page is rendered as a scan and OCR'd.")
@click.option("--reuse", is_flag=True, help="Keep the work folder's letters and archive.")
@click.option("--keep", is_flag=True, help="Keep the work folder afterwards.")
def main(count: int, seed: int, jobs: int, query_count: int, work: Path | None, pdfs: int,
         scans: int, reuse: bool, keep: bool) -> None:
    """Run the benchmark and print a markdown table."""
    logging.basicConfig(level=logging.WARNING)
    work = work or Path(f"/tmp/congvan-bench-{count}")
    if not reuse:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    started = time.perf_counter()
    _show([f"## congvan benchmark: {count:,} generated letters (seed {seed})", "",
           f"Machine: {stages.machine()}.", "",
           "| stage | letters | seconds | letters/s | notes |", "|---|---:|---:|---:|---|"])
    if not reuse:
        _show(ingest_rows(work, count, seed, jobs, pdfs))
    _show([*index_rows(work), ""])
    _show([*query_rows(work, query_count, seed), ""])
    if scans:
        from .scans import scan_rows

        _show([*scan_rows(work, scans, seed), ""])
    _show([f"Total benchmark time {time.perf_counter() - started:.0f} s."])
    if not keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
