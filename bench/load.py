"""Bounded load test: N concurrent clients against `congvan serve` on 127.0.0.1 for S seconds.

    .venv/bin/python -m bench.load --archive WORK/archive --expected WORK/expected --engine tantivy

Starts the server on a free port (or uses --port), then each client thread loops over a mix of
staff-style queries (bench/queries.py kinds: words with and without diacritics, phrases,
filters, number lookups) on its own keep-alive connection, each request a top-10 page with
facets and highlights from /api/search. Prints requests/s, errors, p50/p95/p99 (markdown).
"""

from __future__ import annotations

import http.client
import os
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import click

from index import DEFAULT_ENGINE, ENGINES

from .queries import load_expected, make_queries
from .server import Server, get, search_path
from .stats import percentiles


class HttpAsker:
    """One client's keep-alive connection to the server: ask(query) → an error or None."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def ask(self, query: str) -> str | None:
        try:
            status, _ = get(self.port, search_path(query), connection=self.conn)
        except (OSError, http.client.HTTPException) as error:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            return f"{type(error).__name__}: {error}"
        return None if status == 200 else f"HTTP {status} for {query!r}"

    def close(self) -> None:
        self.conn.close()


class Client(Protocol):
    """One load-test client: ask(query) answers an error message or None."""

    def ask(self, query: str) -> str | None: ...

    def close(self) -> None: ...


Asker = Callable[[], Client]  # makes one client, in the thread that uses it


def _client(make_asker: Asker, queries: list[str], seed: int, until: float, out: dict) -> None:
    rng = random.Random(seed)
    asker = make_asker()
    latencies, errors = [], []
    while time.monotonic() < until:
        query = rng.choice(queries)
        started = time.perf_counter()
        error = asker.ask(query)
        if error:
            errors.append(error)
        else:
            latencies.append((time.perf_counter() - started) * 1000)
    asker.close()
    with out["lock"]:
        out["latencies"] += latencies
        out["errors"] += errors


def run_load(port: int | Asker, queries: list[str], clients: int, seconds: float) -> dict:
    """`clients` threads asking random queries for `seconds`: of a server on `port` over HTTP,
    or of whatever `port` makes when it is a function (bench.fts in process, say)."""
    make_asker = port if callable(port) else (lambda: HttpAsker(port))
    out: dict = {"lock": threading.Lock(), "latencies": [], "errors": []}
    started = time.monotonic()
    until = started + seconds
    threads = [threading.Thread(target=_client, args=(make_asker, queries, i, until, out))
               for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out["seconds"] = time.monotonic() - started
    return out


def report(out: dict, clients: int, queries: int, load: float, memory: dict | None,
           engine: str = "") -> str:
    done = len(out["latencies"])
    p = percentiles(out["latencies"])
    rss = (f"; server peak RSS {memory['main_mb']:.0f} MB (anonymous memory at most "
           f"{memory['main_anon_mb']:.0f} MB, the rest mapped files: libraries and the index)."
           if memory else ".")
    named = f" ({engine})" if engine else ""
    lines = [f"Load{named}: {clients} concurrent clients for {out['seconds']:.0f} s (until the "
             f"last answer), {queries} distinct queries; load average {load:.1f} at start"
             + rss, "",
             "| requests | requests/s | errors | p50 ms | p95 ms | p99 ms | max ms |",
             "|---:|---:|---:|---:|---:|---:|---:|",
             f"| {done:,} | {done / out['seconds']:.1f} | {len(out['errors'])} | "
             f"{p['p50']:.0f} | {p['p95']:.0f} | {p['p99']:.0f} | "
             f"{max(out['latencies'], default=0):.0f} |"]
    if out["errors"]:
        lines.append("\nFirst errors: " + "; ".join(sorted(set(out["errors"]))[:5]))
    return "\n".join(lines)


@click.command()
@click.option("--archive", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Start `congvan serve` on this archive (else --port).")
@click.option("--port", type=click.IntRange(1, 65535), default=None)
@click.option("--expected", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The generator's sidecars, to draw queries from.")
@click.option("--clients", type=click.IntRange(1, 500), default=50, show_default=True)
@click.option("--seconds", type=click.FloatRange(1, 600), default=60, show_default=True)
@click.option("--queries", "query_count", type=click.IntRange(10), default=500, show_default=True)
@click.option("--threads", type=click.IntRange(1, 256), default=8, show_default=True,
              help="Server worker threads (with --archive).")
@click.option("--engine", type=click.Choice(ENGINES), default=DEFAULT_ENGINE, show_default=True,
              help="Search engine of the server (with --archive).")
def main(archive: Path | None, port: int | None, expected: Path, clients: int, seconds: float,
         query_count: int, threads: int, engine: str) -> None:
    """Run the load test and print a markdown table."""
    if (archive is None) == (port is None):
        raise click.UsageError("give exactly one of --archive and --port")
    queries = [q for _kind, q in make_queries(load_expected(expected), query_count, seed=7)]
    server = Server(archive, threads=threads, engine=engine) if archive else None
    load = os.getloadavg()[0]
    try:
        out = run_load(server.port if server else port, queries, clients, seconds)
    finally:
        memory = server.stop() if server else None
    click.echo(report(out, clients, len(queries), load, memory, engine if archive else ""))
    if server:
        click.echo(f"\nServer log: {server.queue_warnings} waitress 'Task queue depth' warnings.")


if __name__ == "__main__":
    main()
