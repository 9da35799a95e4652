"""Peak resident memory of a child process and its descendants, read from /proc (Linux); and
the search index's memory in this process, by cache:

    .venv/bin/python -m bench.memory --archive WORK/archive --expected WORK/expected
"""

from __future__ import annotations

import os
import random
import threading
import time
from pathlib import Path

import click


def _status_kb(pid: int | str, keys: tuple[str, ...]) -> dict[str, int]:
    """Fields of /proc/PID/status in KiB (VmHWM: peak resident set; RssAnon: resident
    anonymous memory; RssFile: resident file maps); empty if the process is gone."""
    found = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in keys:
                found[key] = int(value.split()[0])
    except (OSError, ValueError):
        pass
    return found


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def descendants(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += _children(current)
    return tree


class PeakRss:
    """Samples the process tree under `pid` every `interval` s until stop(); peaks in MiB (and
    the peak of the main process's anonymous memory: its RSS less the pages of files it maps,
    which the kernel can drop and reread)."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid, self.interval = pid, interval
        self.peaks: dict[int, int] = {}
        self.anon_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        for pid in descendants(self.pid):
            status = _status_kb(pid, ("VmHWM", "RssAnon"))
            self.peaks[pid] = max(self.peaks.get(pid, 0), status.get("VmHWM", 0))
            if pid == self.pid:
                self.anon_peak = max(self.anon_peak, status.get("RssAnon", 0))

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        main = self.peaks.get(self.pid, 0)
        largest = max(self.peaks.values(), default=0)
        return {"main_mb": main / 1024, "largest_mb": largest / 1024,
                "main_anon_mb": self.anon_peak / 1024, "processes": len(self.peaks)}


# -- the search index's memory, in process ------------------------------------------------------

def own_memory_mb() -> dict[str, float]:
    """This process's peak and current resident memory, and its anonymous and file parts (MiB)."""
    wanted = {"VmHWM": "peak", "VmRSS": "rss", "RssAnon": "anon", "RssFile": "file"}
    status = _status_kb("self", tuple(wanted))
    return {name: status.get(key, 0) / 1024 for key, name in wanted.items()}


def search_from_threads(idx, queries: list[str], threads: int, rounds: int) -> list[float]:
    """Each thread runs every query `rounds` times in its own order (top 10, facets, snippets,
    as the JSON API asks); the latencies in ms."""
    latencies: list[float] = []

    def run(seed: int) -> None:
        mine, order = [], list(queries)
        rng = random.Random(seed)
        for _ in range(rounds):
            rng.shuffle(order)
            for query in order:
                started = time.perf_counter()
                idx.search(query, per_page=10)
                mine.append((time.perf_counter() - started) * 1000)
        latencies.extend(mine)

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return latencies


@click.command()
@click.option("--archive", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--expected", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The generator's sidecars, to draw queries from.")
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True)
@click.option("--queries", "query_count", type=click.IntRange(10), default=500, show_default=True)
@click.option("--rounds", type=click.IntRange(1), default=1, show_default=True)
def main(archive: Path, expected: Path, threads: int, query_count: int, rounds: int) -> None:
    """Search the archive's (Whoosh) index from threads in this process; print its memory and
    the bytes of each part of the shared generation cache (markdown)."""
    from index import open_index

    from .queries import load_expected, make_queries
    from .stats import percentiles

    queries = [q for _kind, q in make_queries(load_expected(expected), query_count, seed=7)]
    idx = open_index(archive / "index", "whoosh")
    before = own_memory_mb()
    latencies = search_from_threads(idx, queries, threads, rounds)
    for sort in ("newest", "oldest"):  # the date orders, and the vocabularies, fill once
        idx.search("", sort=sort)
    for field in ("issuer", "reference"):
        idx.autocomplete("1", field=field)
    after = own_memory_mb()
    p = percentiles(latencies)
    load = os.getloadavg()[0]
    click.echo(f"{len(latencies):,} searches from {threads} threads, p50 {p['p50']:.1f} ms, "
               f"p95 {p['p95']:.1f} ms (load average {load:.1f}). Resident MiB: peak "
               f"{after['peak']:.0f}, anonymous {before['anon']:.0f} → {after['anon']:.0f}, "
               f"file maps {before['file']:.0f} → {after['file']:.0f}.\n")
    cache = idx.generation_cache(idx.searcher())
    budgets = {"results": cache.results.max_bytes, "term_masks": cache.term_masks.max_bytes,
               "term_scores": cache.scores.terms.max_bytes}
    click.echo("| cache part | MiB | budget MiB |\n|---|---:|---:|")
    for part, size in cache.memory().items():
        budget = f"{budgets[part] / 2**20:.0f}" if part in budgets else "–"
        click.echo(f"| {part} | {size / 2**20:.2f} | {budget} |")


if __name__ == "__main__":
    main()
