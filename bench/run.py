"""Benchmark congvan on a generated corpus and print a markdown table.

    .venv/bin/python -m bench.run --count 2000            # quick run
    .venv/bin/python -m bench.run --count 100000 --jobs 2 # the issue-5 size

Stages: generate N letters → `congvan ingest` (letters/s, peak RSS) → Whoosh index build
(letters/s, size) → ≥ 300 staff-style queries, top 10 with facets and highlights, through the
index package in this process → the same queries on SQLite FTS5 over pre-folded text.
Optionally (--scans F) a share of the letters rendered as page images and OCR'd (see scans.py).
Timings are wall-clock, one run; the machine line says how loaded the machine was.
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

import click

from . import stages
from .queries import KINDS, load_expected, make_queries

log = logging.getLogger(__name__)


def _rate(count: float, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds else "—"


def stage_rows(work: Path, count: int, seed: int, jobs: int) -> list[str]:
    rows = ["| stage | letters | seconds | letters/s | notes |", "|---|---:|---:|---:|---|"]
    made = stages.generate(work, count, seed, jobs)
    rows.append(f"| generate (`congvan generate`, jobs {jobs}) | {made['letters']:,} | "
                f"{made['seconds']:.1f} | {_rate(made['letters'], made['seconds'])} | "
                f"{made['bytes'] / 1e6:.1f} MB of text |")
    ingested = stages.ingest(work, jobs)
    summary = ingested["summary"]
    rows.append(f"| ingest text letters (`congvan ingest --jobs {jobs}`) | "
                f"{summary['archived']:,} | {ingested['seconds']:.1f} | "
                f"{_rate(summary['archived'], ingested['seconds'])} | {summary['failed']} failed; "
                f"peak RSS {ingested['peak_rss_mb']:.0f} MB (largest process) |")
    built = stages.build_index(work)
    rows.append(f"| index build (Whoosh `rebuild_index`) | {built['letters']:,} | "
                f"{built['seconds']:.1f} | {_rate(built['letters'], built['seconds'])} | "
                f"index {built['bytes'] / 1e6:.1f} MB |")
    baseline = stages.build_baseline(work)
    rows.append(f"| index build (SQLite FTS5, pre-folded) | {baseline['letters']:,} | "
                f"{baseline['seconds']:.1f} | {_rate(baseline['letters'], baseline['seconds'])} | "
                f"database {baseline['bytes'] / 1e6:.1f} MB |")
    return rows


def _latency_row(label: str, values: list[float], empty: str = "", errors: str = "") -> str:
    p = stages.percentiles(values)
    return (f"| {label} | {len(values)} | {p['p50']:.1f} | {p['p95']:.1f} | {p['p99']:.1f} | "
            f"{p['mean']:.1f} | {empty} | {errors} |")


def query_rows(work: Path, count: int, seed: int) -> list[str]:
    queries = make_queries(load_expected(work / "expected"), count, seed)
    rows = ["| queries: top 10 + facets + highlights | n | p50 ms | p95 ms | p99 ms | mean ms "
            "| no hits | errors |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    results = {"Whoosh": stages.query_whoosh(work, queries),
               "SQLite FTS5": stages.query_fts(work, queries)}
    for engine, result in results.items():
        everything = [ms for values in result["by_kind"].values() for ms in values]
        rows.append(_latency_row(f"**{engine}, all kinds**", everything, str(result["empty"]),
                                 str(result["errors"])))
        for kind in KINDS:
            rows.append(_latency_row(f"{engine}: {kind}", result["by_kind"].get(kind, [])))
    whoosh, fts = ([ms for v in results[e]["by_kind"].values() for ms in v] for e in results)
    p_w, p_f = stages.percentiles(whoosh), stages.percentiles(fts)
    rows.append(f"\nWhoosh / FTS5 latency ratio: p50 {p_w['p50'] / p_f['p50']:.1f}×, "
                f"p95 {p_w['p95'] / p_f['p95']:.1f}× (in-process; not yet over HTTP).")
    return rows


@click.command()
@click.option("--count", type=click.IntRange(10), default=2000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--jobs", type=click.IntRange(1, 64), default=2, show_default=True)
@click.option("--queries", "query_count", type=click.IntRange(10), default=350, show_default=True)
@click.option("--work", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Work folder (default /tmp/congvan-bench-COUNT); emptied first.")
@click.option("--scans", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Share of the letters also rendered as page images and OCR'd.")
@click.option("--keep", is_flag=True, help="Keep the work folder afterwards.")
def main(count: int, seed: int, jobs: int, query_count: int, work: Path | None, scans: float,
         keep: bool) -> None:
    """Run the benchmark and print a markdown table."""
    logging.basicConfig(level=logging.WARNING)
    work = work or Path(f"/tmp/congvan-bench-{count}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    started = time.perf_counter()
    lines = [f"## congvan benchmark: {count:,} generated letters (seed {seed})", "",
             f"Machine: {stages.machine()}.", ""]
    lines += [*stage_rows(work, count, seed, jobs), ""]
    lines += [*query_rows(work, query_count, seed), ""]
    agreement = stages.extraction_agreement(work)
    lines.append("Extraction vs the generator's records: " + ", ".join(
        f"{field} {share:.1f}%" for field, share in agreement.items()) + ".")
    if scans:
        from .scans import scan_rows

        lines += ["", *scan_rows(work, scans, seed)]
    lines.append(f"\nTotal benchmark time {time.perf_counter() - started:.0f} s.")
    click.echo("\n".join(lines))
    if not keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
