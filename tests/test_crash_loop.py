"""Abuse of the ingest: kill -9 at random points many times over, and searches during an ingest.

After a loop of SIGKILLs (the whole process group, each kill followed by nothing) and one final
complete run, the catalog and the search index agree exactly and no letter is lost or doubled.
While an ingest writes, searches in another process keep answering. Both on each engine.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from index import check_index, open_index
from ingest import Archive, open_catalog
from webui import create_app

from .test_pipeline import CONGVAN, _archived_count, run_congvan

# Whole processes killed and raced for minutes: CI runs these, the fast loop does not.
pytestmark = pytest.mark.slow

KILLS = 20
LETTERS = 200


def _generate(tmp_path: Path, count: int, seed: int) -> list[Path]:
    """Generated letters in tmp_path/in, their JSON sidecars kept apart in tmp_path/expected."""
    made = run_congvan("generate", "--count", str(count), "--out", str(tmp_path / "in"),
                       "--expected", str(tmp_path / "expected"), "--seed", str(seed))
    assert made.returncode == 0, made.stderr
    letters = sorted((tmp_path / "in").iterdir())
    assert len(letters) == count and all(p.suffix == ".txt" for p in letters)
    return letters


def _ingest_command(folder: Path, archive: Archive) -> list[str]:
    return [*CONGVAN, "ingest", str(folder), "--archive", str(archive.root), "--jobs", "2"]


def _kill_after(command: list[str], delay: float, archive: Archive | None = None,
                more: int = 0) -> int | None:
    """Start the ingest in its own session; SIGKILL the whole group after `delay` seconds, or,
    with `archive`, once it has archived `more` letters (so that a loaded machine, slow to
    start an ingest, still sees kills mid-batch; `delay` then bounds the wait).

    Returns the exit code if the run ended by itself before the kill.
    """
    target = _archived_count(archive) + more if archive is not None else None
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + delay
    try:
        while True:
            try:
                return process.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                pass
            if time.monotonic() >= deadline or (
                    target is not None and _archived_count(archive) >= target):
                break
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return None


def _assert_consistent(archive: Archive, letters: list[Path], engine: str) -> None:
    hashes = {hashlib.sha256(p.read_bytes()).hexdigest() for p in letters}
    with open_catalog(archive.catalog_path) as catalog:
        assert catalog.integrity_problems() == []  # letters without a file among them
        assert catalog.stats()["documents"] == len(hashes)
        stored = list(catalog.iter_documents())
        stored_hashes = [row["sha256"] for row in stored]
        assert sorted(stored_hashes) == sorted(hashes), "a letter is missing, doubled or foreign"
        assert len({row["id"] for row in stored}) == len(hashes)
        for sha256 in hashes:
            assert archive.original_path(sha256).read_bytes()
        disagreement = check_index(catalog, open_index(archive.index_dir, engine))
    assert disagreement == {"missing": [], "stale": [], "extra": []}


def test_kill_nine_in_a_loop_then_one_full_run(tmp_path: Path, engine: str, monkeypatch) -> None:
    monkeypatch.setenv("CONGVAN_ENGINE", engine)  # the ingest commands below use it
    letters = _generate(tmp_path, LETTERS, seed=11)
    archive = Archive(tmp_path / "archive")
    command = _ingest_command(tmp_path / "in", archive)
    rng = random.Random(2026)
    progress = []
    for kill in range(KILLS):
        if kill % 2:  # at a random moment, start-up included
            ended = _kill_after(command, rng.uniform(0.3, 3.5))
        else:  # a few letters into the batch, whatever the machine's speed
            ended = _kill_after(command, 120, archive, more=rng.randint(1, 12))
        assert ended in (None, 0), f"an interrupted ingest left a run that failed ({ended})"
        progress.append(_archived_count(archive))
    assert any(0 < count < len(letters) for count in progress), f"no kill mid-batch: {progress}"

    final = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr[-2000:]
    _assert_consistent(archive, letters, engine)
    # What the killed runs left in staging is swept by the next run, their processes gone.
    assert list(archive.staging.iterdir()) == []


def _search_loop(archive: Archive, engine: str, stop: threading.Event, outcome: dict) -> None:
    """open_index + search, over and over, and the JSON API through Flask's test client."""
    client = create_app({"ARCHIVE": str(archive.root), "ENGINE": engine,
                         "TESTING": True}).test_client()
    queries = ["ke hoach", "ủy ban nhân dân", '"phong chong"', "cong van nam:2024", "so:12/UBND"]
    while not stop.is_set():
        query = queries[outcome["searches"] % len(queries)]
        try:
            idx = open_index(archive.index_dir, engine)
            total = idx.search(query, page=1, per_page=10, facets=True, highlight=True).total
            response = client.get("/api/search", query_string={"q": query})
            if response.status_code != 200:
                raise RuntimeError(f"HTTP {response.status_code} for {query!r}")
            outcome["totals"].append(total)
        except Exception as error:  # every failure of a search counts
            outcome["errors"].append(f"{query!r}: {type(error).__name__}: {error}")
        outcome["searches"] += 1


def test_searches_keep_answering_while_an_ingest_writes(tmp_path: Path, engine: str,
                                                        monkeypatch) -> None:
    monkeypatch.setenv("CONGVAN_ENGINE", engine)
    letters = _generate(tmp_path, 120, seed=12)
    archive = Archive(tmp_path / "archive")
    first, rest = tmp_path / "first", tmp_path / "in"
    first.mkdir()
    for letter in letters[:30]:
        letter.rename(first / letter.name)
    done = subprocess.run(_ingest_command(first, archive), capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]

    outcome: dict = {"searches": 0, "errors": [], "totals": []}
    stop = threading.Event()
    searcher = threading.Thread(target=_search_loop, args=(archive, engine, stop, outcome))
    writer = subprocess.Popen(_ingest_command(rest, archive), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    searcher.start()
    try:
        _, stderr = writer.communicate(timeout=300)
    finally:
        stop.set()
        searcher.join(timeout=60)
    assert writer.returncode == 0, stderr[-2000:]
    assert outcome["errors"] == []
    assert outcome["searches"] >= 10, "too few searches ran during the ingest to tell"
    moved = sorted(first.iterdir()) + sorted(rest.iterdir())
    assert _archived_count(archive) == len(moved) == len(letters)
    _assert_consistent(archive, moved, engine)
