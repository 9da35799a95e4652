"""Phrase queries over HTTP, alone and under load, on each engine (issue 15: no query over 1 s).

    python -m bench.phrases --archive WORK/archive --expected WORK/expected \
        --queries 300 --clients 20 --seconds 60

The phrases: bench/queries.py's phrase kind (2–3 consecutive words of a letter's subject,
quoted), drawn with a fixed seed, and longer or very common ones that every archive holds
('"ủy ban nhân dân tỉnh"', `ubnd`, which means that phrase). Each engine's `congvan serve` is
started in turn; each phrase is asked once on one connection (the first ask of a phrase: no
cached result), then `--clients` clients ask them at random for `--seconds`. Every request is a
top-10 page with facets and highlights. Prints p50/p95/max per engine (markdown).
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import click

from index import ENGINES

from .load import run_load
from .queries import load_expected, make_query
from .server import Server, query_http
from .stats import percentiles

COMMON = ['"ủy ban nhân dân tỉnh"', '"uy ban nhan dan"', "ubnd", '"thực hiện"',
          '"các sở ban ngành"', '"phòng chống thiên tai"', '"trên địa bàn tỉnh"',
          '"ban chỉ huy phòng chống thiên tai và tìm kiếm cứu nạn"', '"đề nghị các đơn vị"',
          '"theo quy định của pháp luật"']


def phrases(records: list[dict], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    found: dict[str, None] = dict.fromkeys(COMMON)
    while len(found) < count + len(COMMON):
        found[make_query(rng, "phrase", rng.choice(records))] = None
    return list(found)


def _row(label: str, values: list[float]) -> str:
    p = percentiles(values)
    return (f"| {label} | {len(values)} | {p['p50']:.1f} | {p['p95']:.1f} | "
            f"{max(values, default=0):.1f} |")


@click.command()
@click.option("--archive", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--expected", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--queries", "count", type=click.IntRange(10), default=300, show_default=True)
@click.option("--seed", type=int, default=15, show_default=True)
@click.option("--clients", type=click.IntRange(0, 200), default=20, show_default=True)
@click.option("--seconds", type=click.FloatRange(1, 600), default=60, show_default=True)
@click.option("--engines", default=",".join(ENGINES), show_default=True)
def main(archive: Path, expected: Path, count: int, seed: int, clients: int, seconds: float,
         engines: str) -> None:
    """Time phrase queries on each engine and print a markdown table."""
    queries = phrases(load_expected(expected), count, seed)
    click.echo(f"Phrases: {len(queries)} ({count} drawn with seed {seed}, {len(COMMON)} common "
               "ones); top 10 with facets and highlights over HTTP.\n")
    click.echo("| engine, phrases | n | p50 ms | p95 ms | max ms |")
    click.echo("|---|---:|---:|---:|---:|")
    notes = []
    for engine in (e.strip() for e in engines.split(",") if e.strip()):
        server = Server(archive, engine=engine)
        try:
            load = os.getloadavg()[0]
            alone = query_http(server.port, [("phrase", q) for q in queries])
            click.echo(_row(f"{engine}, each asked once, one client (load {load:.1f})",
                            alone["by_kind"].get("phrase", [])))
            if clients:
                load = os.getloadavg()[0]
                out = run_load(server.port, queries, clients, seconds)
                click.echo(_row(f"{engine}, {clients} clients for {seconds:.0f} s "
                                f"(load {load:.1f})", out["latencies"]))
                notes.append(f"{engine}: {len(out['errors'])} errors under load, "
                             f"{alone['errors']} alone")
        finally:
            server.stop()
    if notes:
        click.echo("\n" + "; ".join(notes) + ".")


if __name__ == "__main__":
    main()
