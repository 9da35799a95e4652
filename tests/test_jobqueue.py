"""Ingest on a job queue (issue 14): `ingest --queue` stages and enqueues, `worker` archives,
`jobs` reports; idempotent jobs, poison files, stalled jobs. On a real PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import shutil
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path
from types import SimpleNamespace

import pytest

import ingest.runners
from congvan.cli import main
from ingest import Archive, open_catalog
from ingest.jobqueue import WORKER_DIED, JobQueue, Worker, WorkerOptions
from ingest.runners import InProcessRunner
from ingest.store.archive import document_id_for

from .conftest import wait_for

POISON = "Công văn về việc kiểm tra (tệp độc)\n".encode()


def run_cli(capsys, *args: str) -> object:
    capsys.readouterr()
    main([str(arg) for arg in args])
    return json.loads(capsys.readouterr().out)


def in_process_worker(url: str, archive: Archive, **options) -> Worker:
    """A worker whose recipe runs in its own threads (no pool): quick, and patchable."""
    settings = {"heartbeat": 0.1, "retry_wait": 0, **options}
    return Worker(url, archive, WorkerOptions(**settings), runner=InProcessRunner())


def staged(archive: Archive) -> list[Path]:
    return sorted(p for p in archive.incoming.rglob("*") if p.is_file())


def documents(archive: Archive) -> list[str]:
    with open_catalog(archive.catalog_location) as catalog:
        return catalog.document_ids()


def test_ingest_queue_only_stages_and_enqueues_and_a_worker_archives_the_batch(
        tmp_path, capsys, postgres_url, seed_paths):
    archive = Archive(tmp_path / "archive")
    queued = run_cli(capsys, "ingest", "--queue", postgres_url, "--archive", archive.root,
                     "--json", *seed_paths)
    batch = queued["batch"]
    assert queued["queued"] == len(seed_paths)
    assert [f["outcome"] for f in queued["files"]] == ["queued"] * len(seed_paths)
    assert not archive.catalog_path.exists()  # nothing read yet: no OCR, no extraction
    assert len(staged(archive)) == len(seed_paths)
    [state] = run_cli(capsys, "jobs", batch, "--queue", postgres_url, "--archive", archive.root,
                      "--json")
    assert (state["queued"], state["done"], state["total"]) == (len(seed_paths), 0,
                                                                len(seed_paths))

    in_process_worker(postgres_url, archive).run(once=True)

    shas = [f["sha256"] for f in queued["files"]]
    assert sorted(documents(archive)) == sorted(document_id_for(sha) for sha in shas)
    assert staged(archive) == []
    [state] = run_cli(capsys, "jobs", "--queue", postgres_url, "--archive", archive.root,
                      "--json")
    assert (state["batch"], state["done"], state["failed"], state["queued"]) == (
        batch, len(seed_paths), 0, 0)


def test_the_same_bytes_twice_and_a_job_run_twice_archive_the_letter_once(
        tmp_path, postgres_url, seed_paths):
    archive = Archive(tmp_path / "archive")
    copy = tmp_path / "ban-sao.txt"
    shutil.copy(seed_paths[0], copy)
    with JobQueue(postgres_url) as queue:
        result = queue.enqueue(archive, [seed_paths[0], copy, seed_paths[0]])
    assert [f.outcome for f in result.files] == ["queued"] * 3
    worker = in_process_worker(postgres_url, archive)
    worker.run(once=True)
    sha = result.files[0].sha256
    assert documents(archive) == [document_id_for(sha)]
    with JobQueue(postgres_url) as queue:
        state = queue.batch(result.batch, archive.catalog_path)
    assert state is not None and state.counts["done"] == 3

    # The same job again: once its staged copy is gone, and once it is still there (a worker
    # killed after storing, before it said the job was done).
    context = SimpleNamespace(job=SimpleNamespace(id=1, attempts=0))
    job = {"batch": result.batch, "sha256": sha, "name": seed_paths[0].name}
    assert asyncio.run(worker.run_job(context, **job)) == "duplicate"
    target = archive.incoming_path(sha, seed_paths[0].name)
    target.parent.mkdir(parents=True)
    shutil.copy(seed_paths[0], target)
    worker.runner = InProcessRunner()
    assert asyncio.run(worker.run_job(context, **job)) == "duplicate"
    assert documents(archive) == [document_id_for(sha)]
    with open_catalog(archive.catalog_path) as catalog:
        archived = [e for e in catalog.ingest_log() if e["outcome"] == "archived"]
    assert [e["sha256"] for e in archived] == [sha]


def test_a_poison_file_fails_after_max_attempts_with_its_reason_never_looping(
        tmp_path, capsys, monkeypatch, postgres_url, seed_paths):
    archive = Archive(tmp_path / "archive")
    poison = tmp_path / "poison.txt"
    poison.write_bytes(POISON)
    wordless = tmp_path / "dots.txt"
    wordless.write_text(". . . ! ?\n", encoding="utf-8")
    tries: list[str] = []
    real = ingest.runners.ingest_file

    def crashing(path, settings):  # the recipe meets a bug on the poison file only
        if path.read_bytes() == POISON:
            tries.append(path.name)
            raise RuntimeError("boom while reading")
        return real(path, settings)

    monkeypatch.setattr(ingest.runners, "ingest_file", crashing)
    with JobQueue(postgres_url) as queue:
        result = queue.enqueue(archive, [poison, wordless, seed_paths[1]])
    in_process_worker(postgres_url, archive, max_attempts=3).run(once=True)

    assert len(tries) == 3  # three tries, then no more
    [state] = run_cli(capsys, "jobs", result.batch, "--queue", postgres_url, "--archive",
                      archive.root, "--json")
    assert (state["done"], state["failed"], state["queued"], state["running"]) == (1, 2, 0, 0)
    failures = {f["name"]: f for f in state["failures"]}
    assert failures["poison.txt"]["attempts"] == 3
    assert failures["poison.txt"]["reason"] == "internal-error"
    assert "boom while reading" in failures["poison.txt"]["error"]
    assert failures["dots.txt"]["attempts"] == 1  # its own fault: reading it again is no use
    assert failures["dots.txt"]["reason"] == "no-text-found"
    assert staged(archive) == []
    assert archive.quarantine_path(failures["poison.txt"]["sha256"]).is_file()


def test_a_stalled_job_goes_back_to_the_queue_then_fails_when_out_of_tries(
        tmp_path, capsys, postgres_url, seed_paths):
    archive = Archive(tmp_path / "archive")
    with JobQueue(postgres_url) as queue:
        result = queue.enqueue(archive, [seed_paths[0]])
    worker = in_process_worker(postgres_url, archive, heartbeat=0.1, max_attempts=2)

    async def take_and_die() -> None:
        """A worker that fetches the job and then beats no more (as kill -9 leaves it)."""
        app = worker.app()
        async with app.open_async():
            dead = await app.job_manager.register_worker()
            job = await app.job_manager.fetch_job(queues=None, worker_id=dead)
            assert job is not None
            await asyncio.sleep(0.5)  # over 3 heartbeats of silence
            await worker.recover_stalled_jobs(app)

    asyncio.run(take_and_die())
    with JobQueue(postgres_url) as queue:
        [job] = queue.batch(result.batch).jobs
    assert (job.status, job.attempts) == ("queued", 1)  # back for another worker

    asyncio.run(take_and_die())  # the second try's worker dies too: out of tries
    [state] = run_cli(capsys, "jobs", result.batch, "--queue", postgres_url, "--archive",
                      archive.root, "--json")
    assert (state["failed"], state["queued"]) == (1, 0)
    [failure] = state["failures"]
    assert failure["reason"] == WORKER_DIED and "2 times" in failure["error"]
    assert staged(archive) == []
    assert archive.quarantine_path(result.files[0].sha256).is_file()


def test_a_try_that_failed_before_one_that_stored_leaves_the_job_archived(
        tmp_path, monkeypatch, postgres_url, seed_paths):
    """The ingest log orders entries of one second in no set order: a failed first try and
    the archiving second try of one file must still read as archived, without a reason."""
    archive = Archive(tmp_path / "archive")
    real, calls = ingest.runners.ingest_file, []

    def fails_once(path, settings):
        calls.append(path)
        if len(calls) == 1:
            raise RuntimeError("a passing hiccup")
        return real(path, settings)

    monkeypatch.setattr(ingest.runners, "ingest_file", fails_once)
    with JobQueue(postgres_url) as queue:
        result = queue.enqueue(archive, [seed_paths[2]])
    in_process_worker(postgres_url, archive).run(once=True)
    with JobQueue(postgres_url) as queue:
        [job] = queue.batch(result.batch, archive.catalog_location).jobs
    assert (job.status, job.attempts, job.outcome, job.reason) == ("done", 2, "archived", None)


@pytest.mark.timeout(60)
def test_a_one_shot_worker_stops_even_when_its_stalled_job_check_misses_a_cancellation(
        tmp_path, monkeypatch, postgres_url):
    """A cancellation that lands while a task waits for a pooled connection can be lost: the
    worker must not wait on its stalled-job check for good (a one-shot worker hung in CI)."""
    async def deaf(self, app):  # as a check that swallowed the cancellation sent to it
        with suppress(asyncio.CancelledError):
            await asyncio.sleep(0.2)

    monkeypatch.setattr(Worker, "recover_stalled_jobs", deaf)
    archive = Archive(tmp_path / "archive")
    started = time.monotonic()
    in_process_worker(postgres_url, archive, heartbeat=0.01).run(once=True)
    assert time.monotonic() - started < 30


def test_worker_and_jobs_find_the_queue_in_a_postgresql_catalogs_database(
        tmp_path, capsys, postgres_url, seed_paths):
    root = str(tmp_path / "archive")
    queued = run_cli(capsys, "ingest", "--queue", postgres_url, "--catalog", postgres_url,
                     "--archive", root, "--json", seed_paths[0])
    [state] = run_cli(capsys, "jobs", "--catalog", postgres_url, "--archive", root, "--json")
    assert (state["batch"], state["queued"]) == (queued["batch"], 1)
    with pytest.raises(SystemExit) as exit_info:
        main(["jobs", "--archive", root])  # neither a queue nor a PostgreSQL catalog
    assert exit_info.value.code == 2
    assert "no job queue" in capsys.readouterr().err


def test_finished_jobs_are_forgotten_on_request_and_waiting_ones_kept(
        tmp_path, capsys, postgres_url, seed_paths):
    archive = Archive(tmp_path / "archive")
    with JobQueue(postgres_url) as queue:
        done = queue.enqueue(archive, seed_paths[:2])
    in_process_worker(postgres_url, archive).run(once=True)
    with JobQueue(postgres_url) as queue:
        waiting = queue.enqueue(archive, seed_paths[2:3])
    main(["jobs", "--queue", postgres_url, "--archive", str(archive.root),
          "--forget-older-than", "1"])  # finished a moment ago: kept
    assert "0 finished jobs forgotten" in capsys.readouterr().err
    main(["jobs", "--queue", postgres_url, "--archive", str(archive.root),
          "--forget-older-than", "0"])
    assert "2 finished jobs forgotten" in capsys.readouterr().err
    with JobQueue(postgres_url) as queue:
        assert [state.batch for state in queue.batches()] == [waiting.batch]
        assert queue.batch(done.batch) is None
    assert len(documents(archive)) == 2  # the letters stay


def test_the_queue_must_be_a_postgresql_url(tmp_path, capsys, seed_paths):
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest", "--queue", "redis://localhost", "--archive", str(tmp_path / "a"),
              str(seed_paths[0])])
    assert exit_info.value.code == 2
    assert "PostgreSQL URL" in capsys.readouterr().err


# -- two worker processes, one killed mid-OCR --------------------------------------------------


def _children(pid: int) -> list[int]:
    return [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()]


@pytest.mark.slow
@pytest.mark.parametrize("catalog", ["sqlite", "postgresql"])
def test_a_worker_killed_mid_ocr_has_its_job_done_by_the_other_and_each_letter_archived_once(
        tmp_path, postgres_url, seed_paths, catalog):
    from bench.rendering import render_tiff

    # The catalog in the archive's SQLite file, or in the queue's PostgreSQL database.
    archive = Archive(tmp_path / "archive", postgres_url if catalog == "postgresql" else None)
    where = ["--catalog", postgres_url] if catalog == "postgresql" else []
    scan = tmp_path / "scan.tiff"
    render_tiff(seed_paths[0].read_text(encoding="utf-8"), scan, dpi=300, max_pages=2)
    with JobQueue(postgres_url) as queue:  # the scan first: a worker takes it at once
        result = queue.enqueue(archive, [scan, *seed_paths[1:]])
    scan_job = result.files[0].job_id
    logs = [tmp_path / f"worker{n}.log" for n in (1, 2)]
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "congvan", "worker", "--queue", postgres_url, "--archive",
             str(archive.root), *where, "--heartbeat", "0.5", "--retry-wait", "0"],
            stdout=subprocess.DEVNULL, stderr=log.open("w"))
        for log in logs
    ]
    try:
        def taker() -> int | None:  # the worker that started the scan's job
            for n, log in enumerate(logs):
                if f"job {scan_job}: scan.tiff" in log.read_text():
                    return n + 1
            return None

        victim = wait_for(taker, 60, "a worker to take the scan") - 1
        time.sleep(1.0)  # into the OCR of its first page
        recipe_processes = _children(workers[victim].pid)
        assert recipe_processes  # its kept pool, OCRing the scan
        workers[victim].send_signal(signal.SIGKILL)
        workers[victim].wait(10)
        with JobQueue(postgres_url) as queue:
            [killed] = [job for job in queue.batch(result.batch).jobs if job.id == scan_job]
        # It was mid-job: not done (running, or already put back by the other worker).
        assert killed.status in ("running", "queued")
        wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in recipe_processes),
                  10, "the killed worker's recipe process to die with it")

        def finished():
            with JobQueue(postgres_url) as queue:
                state = queue.batch(result.batch)
            return state if state.finished else None

        state = wait_for(finished, 180, "the batch to finish")
    finally:
        for process in workers:
            if process.poll() is None:
                process.terminate()
                process.wait(30)

    assert (state.counts["done"], state.counts["failed"]) == (len(result.files), 0)
    [rerun] = [job for job in state.jobs if job.id == scan_job]
    assert rerun.attempts == 2  # two tries: the killed worker's, then the other's
    survivor = logs[1 - victim].read_text()
    assert f"job {scan_job}: scan.tiff (batch {result.batch}, try 2)" in survivor
    shas = [f.sha256 for f in result.files]
    assert sorted(documents(archive)) == sorted(document_id_for(sha) for sha in shas)
    assert archive.catalog_path.exists() == (catalog == "sqlite")
    with open_catalog(archive.catalog_location) as catalog_store:
        archived = [e["sha256"] for e in catalog_store.ingest_log() if e["outcome"] == "archived"]
        scan_record = catalog_store.get_document(document_id_for(shas[0]))
    assert sorted(archived) == sorted(shas)  # each letter archived exactly once
    assert scan_record["ocr_pages"] == 2
