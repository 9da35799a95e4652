"""The scale-out on one machine, every part a real process: a PostgreSQL catalog and queue, two
`congvan worker`s, two search nodes (`congvan serve --follow`, each with its own index). 300
generated letters and a few scans are queued; one worker is killed with SIGKILL mid-batch. Then
every letter is archived once, both nodes answer the same for a set of queries, and
`check-index` is clean on both."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from index import open_index
from ingest import Archive, open_catalog
from ingest.jobqueue import JobQueue

from .conftest import SEEDS, wait_for

pytestmark = pytest.mark.slow

LETTERS = 300
QUERIES = ["ubnd", "ke hoach", "dong thap", "quyet dinh", "so y te", "bao cao ket qua",
           "tinh", "phong chong"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _congvan(*args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "congvan", *args], **popen)


def _get(port: int, path: str) -> dict | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as answer:
            return json.load(answer)
    except OSError:
        return None


def _answers(port: int) -> dict[str, dict]:
    """Per query: the total, the facets and the first page's ids, as the node answers them."""
    answers = {}
    for query in QUERIES:
        body = _get(port, f"/api/search?q={urllib.parse.quote(query)}&per_page=20")
        assert body is not None, f"node on {port} did not answer {query!r}"
        answers[query] = {"total": body["total"], "facets": body["facets"],
                          "ids": [hit["id"] for hit in body["hits"]]}
    return answers


def test_two_workers_two_nodes_one_worker_killed(tmp_path, postgres_url):
    from bench.rendering import render_tiff

    letters = tmp_path / "letters"
    subprocess.run([sys.executable, "-m", "congvan", "generate", "--count", str(LETTERS),
                    "--out", str(letters), "--seed", "14"], check=True,
                   stdout=subprocess.DEVNULL)
    scans = []
    for n, seed in enumerate(SEEDS[:3]):
        scans.append(tmp_path / "scans" / f"scan{n}.tiff")
        scans[-1].parent.mkdir(exist_ok=True)
        render_tiff(seed.read_text(encoding="utf-8"), scans[-1], dpi=200, max_pages=1)
    archive = Archive(tmp_path / "archive", postgres_url)
    archive.create()
    common = ["--catalog", postgres_url, "--engine", "tantivy"]

    # Two search nodes first: they start on an empty catalog and must follow it.
    ports = [_free_port(), _free_port()]
    logs = {name: (tmp_path / f"{name}.log").open("w")
            for name in ("node1", "node2", "worker1", "worker2")}
    nodes = [
        _congvan(*common, "--index-dir", str(tmp_path / f"node{n + 1}-index"), "serve",
                 "--archive", str(archive.root), "--port", str(port), "--threads", "4",
                 stdout=subprocess.DEVNULL, stderr=logs[f"node{n + 1}"])
        for n, port in enumerate(ports)
    ]
    processes = list(nodes)
    try:
        for port in ports:
            wait_for(lambda port=port: _get(port, "/api/search?q=ubnd"), 60, "a node to serve")

        enqueued = subprocess.run(
            [sys.executable, "-m", "congvan", *common, "ingest", "--archive", str(archive.root),
             "--queue", postgres_url, "--json", *map(str, scans),
             *map(str, sorted(letters.glob("*.txt")))],
            check=True, capture_output=True, text=True)
        batch = json.loads(enqueued.stdout)["batch"]
        workers = [
            _congvan(*common, "worker", "--archive", str(archive.root), "--heartbeat", "0.5",
                     "--retry-wait", "0", stdout=subprocess.DEVNULL, stderr=logs[f"worker{n}"])
            for n in (1, 2)
        ]
        processes += workers

        def state():
            with JobQueue(postgres_url) as queue:
                return queue.batch(batch)

        total_files = state().total
        assert total_files == LETTERS + len(scans)
        wait_for(lambda: state().counts.get("done", 0) >= total_files // 3, 300,
                  "a third of the batch")
        in_flight = {job.id for job in state().jobs if job.status == "running"}
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(10)
        final = wait_for(lambda: (s := state()).finished and s, 600, "the batch to finish")
        finished_at = time.monotonic()

        # Every file archived once, none failed; the jobs running at the kill were done.
        assert final.counts.get("failed", 0) == 0
        assert final.counts["done"] == total_files
        assert all(job.status == "done" for job in final.jobs if job.id in in_flight)
        with open_catalog(postgres_url) as catalog:
            documents = catalog.stats()["documents"]
            archived = [entry["sha256"] for entry in catalog.ingest_log()
                        if entry["outcome"] == "archived"]
        assert len(archived) == len(set(archived)) == documents

        # Both nodes follow the catalog: each answers as an index built from it now would,
        # the same totals, facets and first pages.
        reference = open_index(tmp_path / "reference-index", "tantivy")
        with open_catalog(postgres_url) as catalog:
            reference.sync(catalog)
        expected = {query: (r.total, [hit.id for hit in r.hits])
                    for query in QUERIES if (r := reference.search(query, per_page=20))}

        def caught_up(port: int) -> bool:
            answers = _answers(port)
            return all((answers[q]["total"], answers[q]["ids"]) == expected[q] for q in QUERIES)

        wait_for(lambda: all(caught_up(port) for port in ports), 30,
                  "both nodes to answer as the catalog says")
        lag = time.monotonic() - finished_at
        assert _answers(ports[0]) == _answers(ports[1])
        assert lag < 30
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                process.wait(30)
        for log in logs.values():
            log.close()

    for n in (1, 2):
        check = subprocess.run(
            [sys.executable, "-m", "congvan", *common, "--index-dir",
             str(tmp_path / f"node{n}-index"), "check-index", "--archive", str(archive.root),
             "--json"], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
