"""One function archives files and then brings the search index up to date (index.intake):
`watch` makes letters searchable, a busy index defers the sync instead of failing the batch,
`watch --once` takes a finished file by its own age."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock

from index import IntakeService, check_index, open_index, sync_index
from ingest import Archive, ingest_paths, open_catalog
from ingest.store.archive import document_id_for
from ingest.watch import FolderWatcher

from .conftest import SEEDS
from .test_pipeline import run_congvan


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def _archive_one_letter(archive_dir: Path, engine: str) -> None:
    """An archive with one letter, indexed (so nothing later builds the index as a whole)."""
    archive = Archive(archive_dir)
    assert ingest_paths([SEEDS[0]], archive, jobs=1).summary()["archived"] == 1
    with open_catalog(archive.catalog_path) as catalog:
        sync_index(catalog, open_index(archive.index_dir, engine))


def _found(archive_dir: Path, document_id: str, engine: str) -> bool:
    """Whether a search finds the document by words of its own subject (or text)."""
    archive = Archive(archive_dir)
    with open_catalog(archive.catalog_path) as catalog:
        document = catalog.get_document(document_id)
    words = " ".join(re.findall(r"\w+", document["subject"] or document["text"])[:8])
    results = open_index(archive.index_dir, engine).search(words, page=1, per_page=100)
    return document_id in {hit.id for hit in results.hits}


@pytest.mark.slow  # whole congvan processes: CI runs it, the fast loop does not
def test_watch_once_takes_finished_files_and_makes_them_searchable(tmp_path: Path,
                                                                    engine: str) -> None:
    archive_dir = tmp_path / "archive"
    _archive_one_letter(archive_dir, engine)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    finished, fresh = inbox / "scan-finished.txt", inbox / "scan-still-writing.txt"
    finished.write_bytes(SEEDS[1].read_bytes())
    _age(finished, 600)
    fresh.write_bytes(SEEDS[2].read_bytes())

    # settle 60 s, not the default 3: a loaded machine can take seconds to start the command
    watched = run_congvan("--engine", engine, "watch", str(inbox), "--once", "--settle", "60",
                          "--archive", str(archive_dir))
    assert watched.returncode == 0, watched.stderr
    assert (inbox / "done" / finished.name).is_file()
    assert fresh.is_file(), "a file written just now may still be growing"
    assert _found(archive_dir, document_id_for(_sha256(SEEDS[1])), engine)
    with open_catalog(Archive(archive_dir).catalog_path) as catalog:
        assert not any(check_index(catalog, open_index(archive_dir / "index", engine)).values())


@pytest.mark.slow  # whole congvan processes: CI runs it, the fast loop does not
def test_watch_makes_searchable_what_an_ingest_left_unindexed(tmp_path: Path, engine: str
                                                              ) -> None:
    """Letters archived with --no-index (or while the index was busy) are indexed by the next
    `watch`, even when its folder holds nothing new."""
    archive_dir = tmp_path / "archive"
    _archive_one_letter(archive_dir, engine)
    assert ingest_paths([SEEDS[1]], Archive(archive_dir), jobs=1).summary()["archived"] == 1
    late = document_id_for(_sha256(SEEDS[1]))
    assert not _found(archive_dir, late, engine)
    inbox = tmp_path / "inbox"
    inbox.mkdir()

    watched = run_congvan("--engine", engine, "watch", str(inbox), "--once",
                          "--archive", str(archive_dir))
    assert watched.returncode == 0, watched.stderr
    assert _found(archive_dir, late, engine)


def test_a_folder_watcher_of_the_intake_service_indexes_what_it_archives(
    archive: Archive, tmp_path: Path, engine: str
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "letter.txt").write_bytes(SEEDS[3].read_bytes())
    _age(inbox / "letter.txt", 60)
    watcher = IntakeService(archive, engine=engine, jobs=1).folder_watcher(inbox, settle=1.0)
    assert [o.outcome for o in watcher.poll()] == ["archived"]
    assert _found(archive.root, document_id_for(_sha256(SEEDS[3])), engine)


def test_watch_waits_while_a_file_changes_between_polls(archive: Archive, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    scan = inbox / "scan.txt"
    text = SEEDS[3].read_bytes()
    scan.write_bytes(text[: len(text) // 2])
    watcher = FolderWatcher(inbox, archive, settle=1.0, jobs=1)
    assert watcher.poll() == []  # just written
    scan.write_bytes(text)  # still growing; a scanner may also set an old mtime
    _age(scan, 60)
    assert watcher.poll() == []  # old, but changed since the last poll
    assert [o.outcome for o in watcher.poll()] == ["archived"]  # old and unchanged
    assert (inbox / "done" / "scan.txt").read_bytes() == text


# The wait for a busy index, shortened in the child process (the default is 10 s).
SHORT_WAIT = ["-c", "import index.intake as i; i.INDEX_WAIT_SECONDS = 0.5; "
              "from congvan.cli import main; main()"]


def _index_lock(archive_dir: Path, engine: str) -> FileLock:
    from index.engines import engine_dir
    from index.writing import lock_path

    return FileLock(str(lock_path(engine_dir(Archive(archive_dir).index_dir, engine))))


def _ingest_with_the_index_locked(tmp_path: Path, engine: str, command: list[str]) -> None:
    import subprocess

    archive_dir = tmp_path / "archive"
    _archive_one_letter(archive_dir, engine)
    with _index_lock(archive_dir, engine):  # another process writing the index, for long
        busy = subprocess.run(
            [*command, "--engine", engine, "ingest", *map(str, SEEDS[1:3]),
             "--archive", str(archive_dir), "--json"],
            capture_output=True, text=True, timeout=300,
        )
    assert busy.returncode == 0, busy.stderr
    report = json.loads(busy.stdout)
    assert report["summary"]["archived"] == 2 and report["index"] == "deferred"
    assert "search index is busy" in busy.stderr
    late = document_id_for(_sha256(SEEDS[1]))
    assert not _found(archive_dir, late, engine)

    from index import update_index  # what every command runs after its ingest

    assert update_index(Archive(archive_dir), open_index(archive_dir / "index", engine)
                        ).status == "synced"  # the next run catches up
    assert _found(archive_dir, late, engine)


@pytest.mark.slow  # whole congvan processes: CI runs it, the fast loop does not
def test_ingest_while_the_index_is_locked_reports_and_defers(tmp_path: Path, engine: str
                                                             ) -> None:
    _ingest_with_the_index_locked(tmp_path, engine, [sys.executable, *SHORT_WAIT])


@pytest.mark.slow  # waits the default 10 s for the lock
def test_ingest_waits_a_bounded_time_for_a_busy_index(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "from congvan.cli import main; main()"]
    started = time.monotonic()
    _ingest_with_the_index_locked(tmp_path, "whoosh", command)
    assert time.monotonic() - started < 60
