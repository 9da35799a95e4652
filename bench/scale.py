"""Scale-out benchmark (issue 14): the PostgreSQL catalog, the job queue and search nodes, in one
run on a throwaway PostgreSQL server (tests/pgserver.py), printing markdown tables.

    .venv/bin/python -m bench.scale --count 2000
    .venv/bin/python -m bench.scale --count 20000 --work /tmp/congvan-scale --keep

1. Catalog write rate: N generated letters archived through the batch's storing path
   (`IngestBatch`: stage the original, look for duplicates, write the letter, its signature and
   its log entry) into SQLite and into PostgreSQL, with PostgreSQL durable (fsync,
   synchronous_commit and full_page_writes on, as in production). The letters are read once
   beforehand (the recipe's `Reading`s pickled) and replayed to both, so only the storing is
   timed. Then a full read of each catalog (`iter_documents_unordered`).
2. Queue ingest: `congvan ingest --queue` then 1 and 2 `congvan worker --once` processes, against
   `congvan ingest --jobs 2` (the local process pool) on the same files and the same kind of
   catalog (PostgreSQL): text letters (letters/s) and rendered scans (pages/s of OCR).
3. Search nodes: `IndexFollower.catch_up` of an empty node index from the PostgreSQL catalog
   (each engine), then the lag of a following node (tantivy) while another process archives
   letters at a steady rate: from each letter's commit to the node's index commit that holds it.
4. Query latency: the same queries, top 10 with facets and highlights, in process on the node's
   index (kept by the follower from PostgreSQL) and on the embedded engine's (the SQLite
   archive's own index, `rebuild_index`), interleaved one by one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import pickle
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import click

from bench import stages, stats
from bench.generator import write_corpus
from bench.queries import make_queries
from index import open_index, rebuild_index
from index.engines import engine_dir
from ingest import Archive, open_catalog
from ingest.curation.duplicates import find_duplicates, signature_row, text_signature
from ingest.model import DocumentRecord, LetterMetadata, Page
from ingest.pipeline import IngestBatch
from ingest.recipe import Reading, RecipeSettings, ingest_file
from ingest.store.archive import document_id_for
from tests.pgserver import PostgresServer

# Production-like durability: the tests' cluster turns these off for speed.
DURABLE = {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}


def _show(lines: list[str]) -> None:
    click.echo("\n".join(lines))
    sys.stdout.flush()


def _load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def _rate(count: float, seconds: float) -> float:
    return count / seconds if seconds else 0.0


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# -- the PostgreSQL server ---------------------------------------------------------------------


def start_server() -> PostgresServer:
    """The tests' throwaway cluster, made durable (settings reloaded; fsync and
    full_page_writes take a reload) and given production-like shared buffers (a restart)."""
    import psycopg

    server = PostgresServer().start()
    with psycopg.connect(server.url, autocommit=True) as connection:
        for key, value in {**DURABLE, "shared_buffers": "256MB"}.items():
            connection.execute(f"ALTER SYSTEM SET {key} = '{value}'")
    server._run(server.bin / "pg_ctl", "-D", server.data, "-l", server.root / "server.log",
                "-w", "-t", "60", "restart")
    with psycopg.connect(server.url) as connection:
        shown = {key: connection.execute(f"SHOW {key}").fetchone()[0]
                 for key in (*DURABLE, "shared_buffers", "server_version")}
    server.settings = shown  # type: ignore[attr-defined]
    return server


def database_bytes(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute("SELECT pg_database_size(current_database())").fetchone()[0]


# -- reading the letters once -----------------------------------------------------------------


def _read_one(args: tuple[Path, Path, Path | None]) -> None:
    path, out, expected = args
    if expected is None:
        reading = ingest_file(path, RecipeSettings())
    else:  # the generator's own record stands for the extractor's
        text = path.read_text(encoding="utf-8")
        record = json.loads((expected / f"{path.stem}.json").read_text(encoding="utf-8"))
        metadata = LetterMetadata.from_dict({**record, "text": text})
        reading = Reading("text/plain", [Page(1, text)], metadata, [], text_signature(text))
    (out / f"{_sha(path)}.pkl").write_bytes(pickle.dumps(reading))


def read_all(letters: list[Path], out: Path, jobs: int, expected: Path | None) -> float:
    """Each letter's `Reading` (the recipe's, or with `expected` the generator's record),
    pickled under its content hash; seconds taken."""
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(_read_one, [(path, out, expected) for path in letters], chunksize=50))
    return time.perf_counter() - started


def load_reading(folder: Path, sha: str) -> Reading:
    return pickle.loads((folder / f"{sha}.pkl").read_bytes())


class ReplayRunner:
    """A `Runner` that hands the batch the `Reading` made beforehand for the staged bytes, so
    the batch's storing path is timed without the recipe."""

    slots = 2

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def submit(self, path: Path, settings: RecipeSettings) -> Future[Reading]:
        future: Future[Reading] = Future()
        future.set_result(load_reading(self.folder, _sha(path)))
        return future

    def __enter__(self) -> ReplayRunner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None


# -- 1. catalog write and read rates -----------------------------------------------------------


def store_and_read(archive: Archive, letters: Path, readings: Path) -> dict[str, Any]:
    started = time.perf_counter()
    report = IngestBatch(archive, runner=ReplayRunner(readings)).run([letters])
    store_seconds = time.perf_counter() - started
    summary = report.summary()
    with open_catalog(archive.catalog_location) as catalog:
        started = time.perf_counter()
        read = sum(1 for _ in catalog.iter_documents_unordered())
        read_seconds = time.perf_counter() - started
    return {"archived": summary["archived"], "failed": summary["failed"],
            "store_seconds": store_seconds, "read": read, "read_seconds": read_seconds}


def catalog_rows(results: dict[str, dict[str, Any]]) -> list[str]:
    rows = ["| catalog | letters | store s | store letters/s | full read s | read letters/s | "
            "size | bytes/letter | notes |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for label, r in results.items():
        rows.append(
            f"| {label} | {r['archived']:,} | {r['store_seconds']:.1f} | "
            f"{_rate(r['archived'], r['store_seconds']):,.1f} | {r['read_seconds']:.1f} | "
            f"{_rate(r['read'], r['read_seconds']):,.0f} | {r['bytes'] / 1e6:,.1f} MB | "
            f"{r['bytes'] / max(r['archived'], 1):,.0f} | {r['failed']} failed; {r['load']} |")
    sqlite, pg = results["SQLite (WAL, synchronous=FULL)"], results["PostgreSQL (fsync on)"]
    rows.append("")
    rows.append(
        f"PostgreSQL / SQLite: store rate "
        f"**{_rate(pg['archived'], pg['store_seconds']) / _rate(sqlite['archived'], sqlite['store_seconds']):.2f}×**"  # noqa: E501
        f", full read rate **{_rate(pg['read'], pg['read_seconds']) / _rate(sqlite['read'], sqlite['read_seconds']):.2f}×**.")  # noqa: E501
    return rows


# -- 2. queue ingest against the local pool ----------------------------------------------------


def _congvan(*args: str | Path, catalog: str) -> list[str]:
    return [sys.executable, "-m", "congvan", "--catalog", catalog, *map(str, args)]


def _quiet_run(command: list[str]) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command[2:5])} failed ({result.returncode}): "
                           f"{result.stderr[-2000:]}")
    return result


def local_pool(files: Path, work: Path, url: str) -> dict[str, Any]:
    archive = work / "archive"
    load = _load()
    started = time.perf_counter()
    result = _quiet_run(_congvan("ingest", files, "--archive", archive, "--jobs", "2",
                                 "--no-index", "--json", catalog=url))
    seconds = time.perf_counter() - started
    summary = json.loads(result.stdout)["summary"]
    return {"archived": summary["archived"], "failed": summary["failed"],
            "pages": summary.get("ocr_pages", 0), "seconds": seconds, "load": load}


def queue_ingest(files: Path, work: Path, url: str, workers: int) -> dict[str, Any]:
    from ingest.jobqueue import JobQueue

    archive = work / "archive"
    started = time.perf_counter()
    result = _quiet_run(_congvan("ingest", "--queue", url, files, "--archive", archive,
                                 "--json", catalog=url))
    enqueue_seconds = time.perf_counter() - started
    batch = json.loads(result.stdout)["batch"]
    load = _load()
    started = time.perf_counter()
    processes = [subprocess.Popen(_congvan("worker", "--queue", url, "--archive", archive,
                                           "--once", catalog=url),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for _ in range(workers)]
    errors = [process.communicate()[1] for process in processes]
    seconds = time.perf_counter() - started
    if any(process.returncode for process in processes):
        raise RuntimeError(f"a worker failed: {errors}")
    with JobQueue(url) as queue:
        state = queue.batch(batch)
    with open_catalog(url) as catalog:
        counted = catalog.stats()
    return {"archived": counted.get("documents", 0), "failed": state.counts["failed"],
            "done": state.counts["done"], "pages": counted.get("ocr_pages", 0),
            "seconds": seconds, "enqueue_seconds": enqueue_seconds, "load": load}


def queue_rows(server: PostgresServer, work: Path, text: Path, scans: Path,
               scan_pages: int) -> list[str]:
    rows = ["| files | run | letters | OCR pages | seconds | letters/s | pages/s | "
            "ratio to the pool | notes |",
            "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    sets = [("text letters", text)] + ([(f"scans ({scan_pages} pages)", scans)]
                                        if scan_pages else [])
    for kind, folder in sets:
        results = {}
        runs: list[tuple[str, Callable[..., dict[str, Any]], tuple]] = [
            ("`congvan ingest --jobs 2` (local pool)", local_pool, ()),
            ("queue, 1 worker", queue_ingest, (1,)),
            ("queue, 2 workers", queue_ingest, (2,)),
        ]
        for number, (label, run, extra) in enumerate(runs):
            place = work / f"queue-{kind.split()[0]}-{number}"
            url = server.create_database("bench_queue")
            results[label] = run(folder, place, url, *extra)
        pool = next(iter(results.values()))
        for label, r in results.items():
            per_second = _rate(r["archived"], r["seconds"])
            pages = _rate(r["pages"], r["seconds"])
            base = (_rate(pool["pages"], pool["seconds"]) if r["pages"]
                    else _rate(pool["archived"], pool["seconds"]))
            ratio = (pages if r["pages"] else per_second) / base if base else 0.0
            note = f"{r['failed']} failed; {r['load']}"
            if "enqueue_seconds" in r:
                note = f"enqueue {r['enqueue_seconds']:.1f} s (not counted); " + note
            rows.append(f"| {kind} | {label} | {r['archived']:,} | {r['pages']} | "
                        f"{r['seconds']:.1f} | {per_second:.1f} | "
                        f"{pages:.2f} | {ratio:.2f} | {note} |")
    return rows


# -- 3. search nodes: catch-up and lag ---------------------------------------------------------


def catch_up(url: str, index_dir: Path, engine: str) -> dict[str, Any]:
    from index.follow import IndexFollower

    index_dir.mkdir(parents=True, exist_ok=True)
    index = open_index(index_dir, engine)
    follower = IndexFollower(index, lambda: open_catalog(url))
    load = _load()
    with open_catalog(url) as catalog:
        letters = catalog.stats().get("documents", 0)
        started = time.perf_counter()
        follower.catch_up(catalog)
        seconds = time.perf_counter() - started
    index.close()
    return {"letters": letters, "seconds": seconds, "load": load,
            "bytes": folder_bytes(engine_dir(index_dir, engine))}


def _writer(url: str, readings: Path, shas: list[str], rate: float, out: Path) -> None:
    """Another process archiving letters at a steady `rate`: each letter's record is written
    as the batch writes it, and the wall-clock time its commit returned is noted."""
    records = []
    for sha in shas:
        reading = load_reading(readings, sha)
        records.append((DocumentRecord(id=document_id_for(sha), sha256=sha,
                                       filename=f"{sha[:12]}.txt", media_type=reading.media_type,
                                       size_bytes=0, pages=reading.pages,
                                       metadata=reading.metadata), reading.signature))
    with open_catalog(url) as catalog, out.open("w") as log:
        started = time.monotonic()
        for number, (record, signature) in enumerate(records):
            time.sleep(max(0.0, started + number / rate - time.monotonic()))
            duplicates = find_duplicates(catalog, record, signature)
            catalog.add_document(record, duplicates)
            log.write(json.dumps({"id": record.id, "committed": time.time()}) + "\n")
            catalog.store_signatures([signature_row(record.id, signature)])
            log.flush()


def lag(url: str, index_dir: Path, readings: Path, shas: list[str], rate: float
        ) -> dict[str, Any]:
    """A following tantivy node while a writer process archives `shas` at `rate`."""
    from index.follow import IndexFollower

    index = open_index(index_dir, "tantivy")
    found: dict[str, float] = {}
    sync_letters = index.sync_letters

    def noting(catalog: Any, document_ids: list[str], *args: Any, **kwargs: Any) -> Any:
        result = sync_letters(catalog, document_ids, *args, **kwargs)
        now = time.time()  # the index commit that holds them has returned
        for document_id in document_ids:
            found.setdefault(document_id, now)
        return result

    index.sync_letters = noting  # type: ignore[method-assign]
    follower = IndexFollower(index, lambda: open_catalog(url))
    follower.start()
    log = index_dir.parent / "writer.jsonl"
    load = _load()
    writer = multiprocessing.get_context("spawn").Process(
        target=_writer, args=(url, readings, shas, rate, log))
    started = time.perf_counter()
    writer.start()
    writer.join()
    seconds = time.perf_counter() - started
    deadline = time.monotonic() + 30
    committed = [json.loads(line) for line in log.read_text().splitlines()]
    while time.monotonic() < deadline and any(c["id"] not in found for c in committed):
        time.sleep(0.1)
    follower.stop()
    lags = [(found[c["id"]] - c["committed"]) * 1000 for c in committed if c["id"] in found]
    searchable = len(index.indexed_stamps())
    index.close()
    return {"letters": len(committed), "seconds": seconds, "lags": lags, "load": load,
            "missing": sum(c["id"] not in found for c in committed), "poll": follower.poll,
            "searchable": searchable}


# -- 4. query latency ----------------------------------------------------------------------------


def query_latency(node_dir: Path, embedded_dir: Path, queries: list[tuple[str, str]],
                  engine: str) -> dict[str, Any]:
    node, embedded = open_index(node_dir, engine), open_index(embedded_dir, engine)
    sides = {"node": node, "embedded": embedded}
    for index in sides.values():  # warm up: first searches load the readers
        for _, query in queries[:10]:
            index.search(query, per_page=10)
    times: dict[str, list[float]] = {side: [] for side in sides}
    differ = 0
    load = _load()
    for _, query in queries:
        totals = []
        for side, index in sides.items():
            started = time.perf_counter()
            totals.append(index.search(query, per_page=10).total)
            times[side].append((time.perf_counter() - started) * 1000)
        differ += totals[0] != totals[1]
    node.close()
    embedded.close()
    return {"times": times, "differ": differ, "load": load}


# -- the run -------------------------------------------------------------------------------------


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def split_letters(work: Path, count: int, extra: int, queue_letters: int) -> dict[str, Path]:
    """The generated letters in folders: `letters` (N, the catalogs), `extra` (the writer's),
    `queue` (copies of the first for the queue runs)."""
    letters = sorted((work / "letters").glob("*.txt"))
    folders = {"letters": work / "letters", "extra": work / "extra", "queue": work / "queue"}
    for name in ("extra", "queue"):
        folders[name].mkdir()
    for path in letters[count:count + extra]:
        path.rename(folders["extra"] / path.name)
    for path in letters[:queue_letters]:
        shutil.copyfile(path, folders["queue"] / path.name)
    return folders


def render_scans(work: Path, min_pages: int, seed: int) -> int:
    from bench.scans import render_scans as render

    scans = render(work, 0, seed, min_pages=min_pages)
    shutil.rmtree(work / "scan-pages", ignore_errors=True)
    return len(scans.pages)


@click.command()
@click.option("--count", type=click.IntRange(10), default=2000, show_default=True,
              help="Letters in each catalog (parts 1, 3, 4).")
@click.option("--extra", type=click.IntRange(1), default=600, show_default=True,
              help="Letters the steady writer archives during the lag measurement.")
@click.option("--rate", type=click.FloatRange(0.1), default=10.0, show_default=True,
              help="Letters per second of the steady writer.")
@click.option("--queue-letters", type=click.IntRange(1), default=500, show_default=True)
@click.option("--scan-pages", type=click.IntRange(0), default=12, show_default=True,
              help="At least this many rendered scan pages for the queue's OCR rate.")
@click.option("--queries", "query_count", type=click.IntRange(10), default=300,
              show_default=True)
@click.option("--engines", default="tantivy,whoosh", show_default=True,
              help="Engines of the catch-up measurement.")
@click.option("--records", type=click.Choice(["recipe", "truth"]), default="recipe",
              show_default=True, help="The letters' records: read by the recipe, or the "
              "generator's own (much faster to prepare; parts 1, 3, 4 store and index them).")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--work", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Work folder (default /tmp/congvan-scale-COUNT); emptied first.")
@click.option("--keep", is_flag=True, help="Keep the work folder afterwards.")
def main(count: int, extra: int, rate: float, queue_letters: int, scan_pages: int,
         query_count: int, engines: str, records: str, seed: int, work: Path | None,
         keep: bool) -> None:
    """Run the scale-out benchmark and print markdown tables."""
    logging.basicConfig(level=logging.WARNING)
    work = work or Path(f"/tmp/congvan-scale-{count}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    begun = time.perf_counter()
    server = start_server()
    try:
        settings = ", ".join(f"{k} {v}" for k, v in server.settings.items())  # type: ignore
        _show([f"## Scale-out benchmark (issue 14): {count:,} generated letters (seed {seed})",
               "", f"Machine: {stages.machine()}.", f"`uptime` at start: `{uptime()}`.",
               f"PostgreSQL (tests/pgserver.py's throwaway cluster, Unix socket, made durable "
               f"for this run): {settings}.", ""])
        made = write_corpus(work / "letters", count + extra, seed=seed,
                            expected_dir=work / "expected", jobs=2)
        folders = split_letters(work, count, extra, queue_letters)
        readings = work / "readings"
        read_seconds = read_all(sorted(folders["letters"].glob("*.txt"))
                                + sorted(folders["extra"].glob("*.txt")), readings, 2,
                                work / "expected" if records == "truth" else None)
        how = ("read once by the recipe (read, clean, extract, sign; 2 processes)"
               if records == "recipe" else
               "given the generator's own record as their metadata (the extractor not run: "
               "it is the slow part on this machine) and signed (2 processes)")
        _show([f"Prepared: {made['letters']:,} letters generated in {made['seconds']:.0f} s; "
               f"{how} in {read_seconds:.0f} s ({_rate(made['letters'], read_seconds):.0f} "
               "letters/s), not counted below.", ""])

        # 1. catalog write and read rates
        results = {}
        sqlite_archive = Archive(work / "sqlite-archive")
        pg_url = server.create_database("bench_catalog")
        pg_archive = Archive(work / "pg-archive", catalog=pg_url)
        for label, archive in (("SQLite (WAL, synchronous=FULL)", sqlite_archive),
                               ("PostgreSQL (fsync on)", pg_archive)):
            load = _load()
            result = store_and_read(archive, folders["letters"], readings)
            size = (database_bytes(pg_url) if archive.catalog_url else
                    sum(p.stat().st_size for p in archive.root.glob("catalog.sqlite3*")))
            results[label] = {**result, "bytes": size, "load": load}
        _show(["### 1. Catalog: storing path and full read", "",
               "Each letter through `IngestBatch`'s storing path (stage and fsync the original, "
               "look for duplicates, a transaction each for the letter, its signature and its "
               "log entry); the readings made beforehand replayed, so reading and extraction "
               "are not timed. "
               "Full read: `iter_documents_unordered`. Size: the catalog alone (SQLite files; "
               "`pg_database_size`).", "", *catalog_rows(results), ""])

        # 2. queue ingest
        if queue_letters or scan_pages:
            pages = render_scans(work, scan_pages, seed) if scan_pages else 0
            _show(["### 2. Queue ingest against the local process pool", "",
                   f"The same files each run, into a fresh PostgreSQL catalog: {queue_letters} "
                   f"text letters, then {pages} rendered scan pages (bench/rendering.py, 300 dpi)."
                   " Worker seconds: from starting the `congvan worker --once` processes to the "
                   "last one's exit (start-up and Tesseract loading included); the pool's: the "
                   "whole `congvan ingest --jobs 2 --no-index`. Ratio: letters/s (text) or "
                   "pages/s (scans) over the pool's.", "",
                   *queue_rows(server, work, folders["queue"], work / "scans", pages), ""])

        # 3. catch-up of a new node
        chosen = [engine.strip() for engine in engines.split(",") if engine.strip()]
        caught = {engine: catch_up(pg_url, work / "node" / engine, engine) for engine in chosen}
        embedded_load = _load()
        with open_catalog(sqlite_archive.catalog_location) as catalog:
            started = time.perf_counter()
            rebuild_index(catalog, sqlite_archive.index_dir, engine="tantivy")
            embedded_seconds = time.perf_counter() - started
        rows = ["### 3. A new search node catching up, and its lag under a steady ingest", "",
                "Catch-up: `IndexFollower.catch_up` of an empty node index from the PostgreSQL "
                "catalog (stamps compared, every letter written), against the embedded "
                "`rebuild_index` from the SQLite catalog.", "",
                "| index | letters | seconds | letters/s | index size | bytes/letter | notes |",
                "|---|---:|---:|---:|---:|---:|---|"]
        for engine, r in caught.items():
            rows.append(f"| node catch-up, {engine} (PostgreSQL) | {r['letters']:,} | "
                        f"{r['seconds']:.1f} | {_rate(r['letters'], r['seconds']):,.0f} | "
                        f"{r['bytes'] / 1e6:,.1f} MB | {r['bytes'] / max(r['letters'], 1):,.0f} "
                        f"| {r['load']} |")
        size = folder_bytes(engine_dir(sqlite_archive.index_dir, "tantivy"))
        rows.append(f"| embedded `rebuild_index`, tantivy (SQLite) | {count:,} | "
                    f"{embedded_seconds:.1f} | {_rate(count, embedded_seconds):,.0f} | "
                    f"{size / 1e6:,.1f} MB | {size / count:,.0f} | {embedded_load} |")
        _show([*rows, ""])

        # 4. query latency (before the lag run adds letters to the node)
        records = [json.loads((work / "expected" / f"{path.stem}.json").read_text("utf-8"))
                   for path in sorted(folders["letters"].glob("*.txt"))]
        queries = make_queries(records, query_count, seed)
        latency = query_latency(work / "node" / "tantivy", sqlite_archive.index_dir, queries,
                                "tantivy")
        p_node, p_emb = (stats.percentiles(latency["times"][s]) for s in ("node", "embedded"))
        _show(["### 4. Query latency: a node's index against the embedded engine's", "",
               f"{len(queries)} queries (bench/queries.py, the five kinds), top 10 with facets "
               "and highlights, in process, tantivy, node and embedded one after the other for "
               f"each query; {latency['load']}. Totals differ on {latency['differ']} queries.",
               "", "| index | n | p50 ms | p95 ms | p99 ms | mean ms |",
               "|---|---:|---:|---:|---:|---:|",
               *(f"| {label} | {len(latency['times'][side])} | {p['p50']:.1f} | "
                 f"{p['p95']:.1f} | {p['p99']:.1f} | {p['mean']:.1f} |"
                 for label, side, p in (("node (follower-kept, PostgreSQL)", "node", p_node),
                                        ("embedded (archive's own, SQLite)", "embedded",
                                         p_emb))),
               "", f"Node / embedded: p50 **{p_node['p50'] / p_emb['p50']:.2f}×**, "
               f"p95 **{p_node['p95'] / p_emb['p95']:.2f}×**.", ""])

        # 3b. lag under a steady ingest
        if "tantivy" in caught:
            shas = [_sha(path) for path in sorted(folders["extra"].glob("*.txt"))]
            followed = lag(pg_url, work / "node" / "tantivy", readings, shas, rate)
            p = stats.percentiles(followed["lags"])
            _show([f"Lag: another process archived {followed['letters']} letters at "
                   f"{rate:g} letters/s ({followed['seconds']:.0f} s) into the PostgreSQL "
                   f"catalog while a tantivy node followed it (poll {followed['poll']} s); "
                   "lag = the node's index commit holding the letter minus the writer's "
                   f"commit (wall clock, one machine); {followed['load']}.", "",
                   "| letters | p50 ms | p95 ms | max ms | not found in 30 s | node total |",
                   "|---:|---:|---:|---:|---:|---:|",
                   f"| {followed['letters']} | {p['p50']:.0f} | {p['p95']:.0f} | "
                   f"{max(followed['lags'], default=0):.0f} | {followed['missing']} | "
                   f"{followed['searchable']:,} |", ""])
        _show([f"`uptime` at the end: `{uptime()}`; total {time.perf_counter() - begun:.0f} s."])
    finally:
        server.stop()
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
