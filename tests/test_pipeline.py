"""The ingest batch end to end on text letters: dedup, failures, exit codes, kill and resume."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ingest import Archive, ingest_paths, open_catalog
from ingest.model import Page
from ingest.watch import FolderWatcher

from .conftest import SEEDS

CONGVAN = [sys.executable, "-c", "from congvan.cli import main; main()"]


def run_congvan(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CONGVAN, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def write_letters(folder: Path, count: int) -> list[Path]:
    """`count` distinct letters made from the seeds (a numbered line keeps their bytes unique)."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [seed.read_text(encoding="utf-8") for seed in SEEDS]
    paths = []
    for i in range(count):
        path = folder / f"letter_{i:04d}.txt"
        path.write_text(f"{texts[i % len(texts)]}\nBản sao số {i}\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_corpus_archives_five_then_none(archive: Archive, seed_paths: list[Path]) -> None:
    first = ingest_paths(seed_paths, archive, jobs=2)
    assert first.summary()["archived"] == 5
    # Only the letters whose header is missing are flagged for review, and say why: Lạng Sơn's
    # has no number, Mường Tè's issuer is inferred from the body (a weak field).
    flagged = sorted((f for f in first.files if f.review), key=lambda f: Path(f.path).name)
    assert first.summary()["needs_review"] == len(flagged) == 2
    assert "no-number" in flagged[0].review and "001" in Path(flagged[0].path).name
    assert flagged[1].review == ["weak-fields"] and "002" in Path(flagged[1].path).name
    second = ingest_paths(seed_paths, archive, jobs=2)
    assert second.summary()["archived"] == 0
    assert second.summary()["duplicate"] == 5
    assert {f.document_id for f in second.files} == {f.document_id for f in first.files}
    with open_catalog(archive.catalog_path) as catalog:
        assert catalog.stats()["documents"] == 5


def test_originals_are_kept_byte_for_byte(archive: Archive, seed_paths: list[Path]) -> None:
    report = ingest_paths(seed_paths, archive, jobs=1)
    for outcome in report.files:
        stored = archive.original_path(outcome.sha256 or "")
        assert stored.read_bytes() == Path(outcome.path).read_bytes()
    assert not any(archive.staging.iterdir())


def test_the_batch_opens_the_catalog_with_a_bigger_page_cache(
        archive: Archive, seed_paths: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import ingest.pipeline as pipeline
    from ingest.runners import InProcessRunner

    asked: list[dict[str, object]] = []

    def recording(location: object, **options: object) -> object:
        asked.append(options)
        return open_catalog(location, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "open_catalog", recording)
    report = ingest_paths(seed_paths[:1], archive, runner=InProcessRunner())
    assert report.summary()["archived"] == 1
    assert asked == [{"cache_mb": pipeline.CATALOG_CACHE_MB}]


def test_same_bytes_twice_in_one_batch(archive: Archive, tmp_path: Path) -> None:
    seed = SEEDS[2]
    copy = tmp_path / "copy-with-another-name.txt"
    copy.write_bytes(seed.read_bytes())
    report = ingest_paths([seed, copy], archive)
    outcomes = [f.outcome for f in report.files]
    assert outcomes == ["archived", "duplicate"]
    assert report.files[0].document_id == report.files[1].document_id


def test_bad_file_is_quarantined_and_batch_goes_on(archive: Archive, tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 40)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    report = ingest_paths([junk, SEEDS[0], empty, SEEDS[1]], archive)
    by_name = {Path(f.path).name: f for f in report.files}
    assert by_name["junk.txt"].outcome == "failed"
    assert by_name["junk.txt"].error
    assert (
        archive.quarantine_path(by_name["junk.txt"].sha256 or "").read_bytes() == junk.read_bytes()
    )
    assert by_name["empty.pdf"].outcome == "failed"
    assert by_name["empty.pdf"].reason == "empty-file"
    assert by_name[SEEDS[0].name].outcome == "archived"
    assert by_name[SEEDS[1].name].outcome == "archived"
    with open_catalog(archive.catalog_path) as catalog:
        assert catalog.stats()["failed"] == 2
        assert catalog.stats()["documents"] == 2


@pytest.mark.slow  # whole congvan processes: CI runs it, the fast loop does not
def test_cli_exit_codes_and_json(tmp_path: Path) -> None:
    archive_dir = tmp_path / "archive"
    good = run_congvan("ingest", *map(str, SEEDS), "--archive", str(archive_dir), "--json")
    assert good.returncode == 0, good.stderr
    result = json.loads(good.stdout)
    assert result["summary"]["archived"] == 5
    keys = {"path", "sha256", "outcome", "document_id", "pages", "ocr_pages", "seconds", "error"}
    assert keys <= set(result["files"][0])

    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n this is not really a pdf")
    some_failed = run_congvan("ingest", str(bad), str(SEEDS[0]), "--archive", str(archive_dir))
    assert some_failed.returncode == 1
    assert "bad.pdf" in some_failed.stderr

    usage = run_congvan("ingest", str(tmp_path / "missing"), "--archive", str(archive_dir))
    assert usage.returncode == 2
    assert run_congvan("ingest", "--jobs", "zero", str(SEEDS[0])).returncode == 2


@pytest.mark.slow  # whole congvan processes: CI runs it, the fast loop does not
def test_stats_show_export(tmp_path: Path) -> None:
    archive_dir = str(tmp_path / "archive")
    report = json.loads(
        run_congvan("ingest", *map(str, SEEDS), "--archive", archive_dir, "--json").stdout
    )
    stats = json.loads(run_congvan("stats", "--archive", archive_dir, "--json").stdout)
    assert stats["documents"] == 5 and stats["pages"] == 5 and stats["failed"] == 0
    document_id = report["files"][1]["document_id"]
    shown = json.loads(run_congvan("show", document_id, "--archive", archive_dir, "--json").stdout)
    assert shown["id"] == document_id and "Lạng Sơn" in shown["text"]
    assert run_congvan("show", "000000000000", "--archive", archive_dir).returncode == 2
    lines = run_congvan("export", "--archive", archive_dir, "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 5
    csv_rows = run_congvan(
        "export", "--archive", archive_dir, "--format", "csv"
    ).stdout.splitlines()
    assert len(csv_rows) == 6 and csv_rows[0].startswith("id,filename,sha256")


@pytest.mark.slow  # kills and races real processes: CI runs it, the fast loop does not
def test_kill_during_batch_then_resume(tmp_path: Path) -> None:
    """kill -9 the whole ingest mid-batch; the re-run completes it with nothing lost or doubled."""
    letters = write_letters(tmp_path / "in", 300)
    archive = Archive(tmp_path / "archive")
    command = [
        *CONGVAN,
        "ingest",
        str(tmp_path / "in"),
        "--archive",
        str(archive.root),
        "--jobs",
        "2",
    ]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _archived_count(archive) < 20:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    killed_at = _archived_count(archive)
    assert 0 < killed_at < len(letters), "the kill did not land mid-batch"

    rerun = run_congvan("ingest", str(tmp_path / "in"), "--archive", str(archive.root), "--json")
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)["summary"]
    assert summary["archived"] + summary["duplicate"] == len(letters)
    assert summary["duplicate"] >= killed_at
    with open_catalog(archive.catalog_path) as catalog:
        assert catalog.stats()["documents"] == len(letters)
        assert catalog.integrity_problems() == []  # letters without pages among them
        for document in catalog.iter_documents():
            assert archive.original_path(document["sha256"]).is_file()


def _archived_count(archive: Archive) -> int:
    if not archive.catalog_path.exists():
        return 0
    try:
        with sqlite3.connect(archive.catalog_path, timeout=1) as db:
            return db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_watch_moves_files_to_done_and_failed(archive: Archive, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "letter.txt").write_bytes(SEEDS[3].read_bytes())
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    watcher = FolderWatcher(inbox, archive, settle=0.2)
    assert watcher.poll() == []  # seen once: not yet known to have stopped growing
    time.sleep(0.3)
    outcomes = {Path(o.path).name: o.outcome for o in watcher.poll()}
    assert outcomes == {"letter.txt": "archived", "broken.pdf": "failed"}
    assert (inbox / "done" / "letter.txt").is_file()
    assert (inbox / "failed" / "broken.pdf").is_file()
    assert sorted(p.name for p in inbox.iterdir()) == ["done", "failed"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only folders")
def test_read_only_archive_is_a_clear_error(tmp_path: Path) -> None:
    archive_dir = tmp_path / "archive"
    run_congvan("ingest", str(SEEDS[0]), "--archive", str(archive_dir))
    for folder in [archive_dir, *archive_dir.rglob("*")]:
        if folder.is_dir():
            folder.chmod(0o555)
    try:
        result = run_congvan("ingest", str(SEEDS[1]), "--archive", str(archive_dir))
        assert result.returncode == 3
        assert "congvan:" in result.stderr
    finally:
        for folder in [archive_dir, *archive_dir.rglob("*")]:
            if folder.is_dir():
                folder.chmod(0o755)


@pytest.mark.slow  # kills and races real processes: CI runs it, the fast loop does not
def test_two_ingests_at_once_of_the_same_folder(tmp_path: Path) -> None:
    letters = write_letters(tmp_path / "in", 120)
    archive_dir = str(tmp_path / "archive")
    command = [*CONGVAN, "ingest", str(tmp_path / "in"), "--archive", archive_dir, "--json"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    summaries = [json.loads(run.communicate(timeout=300)[0])["summary"] for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert sum(s["archived"] for s in summaries) == len(letters)
    assert all(s["archived"] + s["duplicate"] == len(letters) for s in summaries)
    with open_catalog(Archive(archive_dir).catalog_path) as catalog:
        assert catalog.stats()["documents"] == len(letters)


def test_text_that_is_not_a_letter_is_archived_for_review(archive: Archive) -> None:
    readme = Path(__file__).resolve().parent.parent / "README.md"
    report = ingest_paths([readme], archive)
    assert (report.files[0].outcome, report.files[0].reason) == ("archived", None)
    with open_catalog(archive.catalog_path) as catalog:
        document = catalog.get_document(report.files[0].document_id or "")
        assert document is not None and document["needs_review"] == 1
        assert document["text"].startswith("# congvan")
        assert {"not-a-letter", "few-fields", "no-number"} <= set(
            document["metadata"].review)
        assert catalog.stats()["needs_review"] == 1


def test_a_letter_is_not_flagged_for_review(archive: Archive) -> None:
    report = ingest_paths([SEEDS[3]], archive)
    with open_catalog(archive.catalog_path) as catalog:
        document = catalog.get_document(report.files[0].document_id or "")
        assert document is not None and document["needs_review"] == 0
        assert document["metadata"].review == []


def test_a_note_of_one_line_is_archived_and_a_stray_byte_is_not(
    archive: Archive, tmp_path: Path
) -> None:
    """A few words are a readable document; a file with not one word is not."""
    note = tmp_path / "ghi-chu.txt"
    note.write_text("Họp giao ban sáng thứ Hai tại phòng 3.\n", encoding="utf-8")
    stray = tmp_path / "stray.txt"
    stray.write_bytes(b"\xe9")
    report = ingest_paths([note, stray], archive)
    assert [(f.outcome, f.reason) for f in report.files] == [
        ("archived", None), ("failed", "no-text-found")]


@pytest.mark.slow  # whole congvan processes: CI runs it, the fast loop does not
def test_utf8_letter_with_a_stray_byte_is_archived_with_a_warning(tmp_path: Path) -> None:
    data = SEEDS[2].read_bytes()
    middle = data.index("Kính gửi".encode())
    damaged = tmp_path / "damaged.txt"
    damaged.write_bytes(data[:middle] + b"\xff" + data[middle:])
    archive_dir = tmp_path / "archive"
    result = run_congvan("ingest", str(damaged), "--archive", str(archive_dir), "--json",
                         "--no-index")
    assert result.returncode == 0, result.stderr
    [outcome] = json.loads(result.stdout)["files"]
    assert outcome["outcome"] == "archived"
    assert len(outcome["warnings"]) == 1 and f"byte {middle}" in outcome["warnings"][0]
    assert [line for line in result.stderr.splitlines() if line.startswith("warning")] == [
        f"warning   {damaged}: {outcome['warnings'][0]}"]
    with open_catalog(Archive(archive_dir).catalog_path) as catalog:
        document = catalog.get_document(outcome["document_id"])
        assert document is not None
        assert "\ufffdKính gửi" in document["text"]
        assert "damaged-text" in document["metadata"].review
        [logged] = catalog.ingest_log()
        assert json.loads(logged["warnings"]) == outcome["warnings"]


def test_reading_that_runs_too_long_is_abandoned() -> None:
    from ingest.errors import ReadTimeout
    from ingest.recipe import within_time_limit as _within

    def endless_parse() -> None:
        while True:
            sum(range(1000))

    started = time.monotonic()
    with pytest.raises(ReadTimeout):
        _within(0.3, endless_parse)
    assert time.monotonic() - started < 5


def test_time_spent_waiting_is_not_work_but_the_clock_bounds_it() -> None:
    """The limit counts CPU: a worker paused (or waiting on a loaded machine) keeps its letter;
    a read that only waits is stopped at WALL_CLOCK_FACTOR times the limit."""
    from ingest.errors import ReadTimeout
    from ingest.recipe import WALL_CLOCK_FACTOR
    from ingest.recipe import within_time_limit as _within

    assert _within(0.1, lambda: time.sleep(0.3) or "read") == "read"
    started = time.monotonic()
    with pytest.raises(ReadTimeout):
        _within(0.03, time.sleep, 0.03 * WALL_CLOCK_FACTOR + 5)
    assert time.monotonic() - started < 0.03 * WALL_CLOCK_FACTOR + 3


def crawling_clean(text: str) -> str:
    """A cleaning step that works far longer than the read time limits below."""
    done = time.process_time() + 5
    while time.process_time() < done:
        sum(range(1000))
    return text


def test_read_time_limit_is_not_swallowed_by_the_extractor(monkeypatch, caplog) -> None:
    from ingest.errors import ReadTimeout
    from ingest.extract.metadata import extract_metadata
    from ingest.recipe import within_time_limit as _within

    monkeypatch.setattr("ingest.extract.metadata.clean_text", crawling_clean)
    started = time.monotonic()
    with pytest.raises(ReadTimeout):
        _within(0.3, extract_metadata, SEEDS[2].read_text(encoding="utf-8"))
    assert time.monotonic() - started < 3
    assert not [r for r in caplog.records if r.exc_info], "a timeout is not an error to trace"


def recognised_at_once(path: Path, media_type: str, number: int, lang: str = "vie",
                       timeout: float = 180.0) -> Page:
    """Stands in for Tesseract (the workers are forked, so they see this patch)."""
    return Page(number, SEEDS[2].read_text(encoding="utf-8"), ocr=True, confidence=90.0)


@pytest.mark.parametrize("kind", ["text", "scan"])
def test_read_time_limit_covers_the_whole_file(
    archive: Archive, tmp_path: Path, monkeypatch, kind: str
) -> None:
    """Reading, cleaning and extraction of a text, and extraction after OCR, in a worker under
    the file's time limit (not in the batch's process, where nothing bounds it)."""
    from PIL import Image

    from ingest.pipeline import IngestBatch

    if kind == "text":
        path = SEEDS[2]
    else:
        path = tmp_path / "scan.png"
        Image.new("L", (64, 64), 255).save(path)
        monkeypatch.setattr("ingest.recipe.ocr_page", recognised_at_once)
    monkeypatch.setattr("ingest.extract.metadata.clean_text", crawling_clean)
    report = IngestBatch(archive, jobs=1, read_timeout=0.5).run([path])
    [outcome] = report.files
    assert (outcome.outcome, outcome.reason) == ("failed", "read-timeout"), outcome.error
    assert outcome.seconds < 4


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 4 MiB tmpfs, so an archive on it runs out of space (needs root and mount rights)."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.mark.slow  # whole congvan processes: CI runs it, the fast loop does not
def test_disk_full_is_a_clear_error_and_corrupts_nothing(tiny_disk: Path, tmp_path: Path) -> None:
    # ~6 MiB of letters: more than the disk holds. The letters stored within a second are
    # committed together (pipeline.GROUP_SECONDS): the disk must hold more than the first
    # second's letters, or a fast machine fills it inside the first group and stores none
    # (on 1 MiB, CI stored 0 of 200 once the recipe got faster).
    write_letters(tmp_path / "in", 1000)
    archive = Archive(tiny_disk / "archive")
    result = run_congvan("ingest", str(tmp_path / "in"), "--archive", str(archive.root))
    assert result.returncode == 3, result.stderr[-1000:]
    message = result.stderr.splitlines()[-1]
    assert message.startswith("congvan: ") and ("full" in message or "space" in message)
    with open_catalog(archive.catalog_path) as catalog:
        assert catalog.integrity_problems() == []
        stored = list(catalog.iter_documents())
        assert 0 < len(stored) < 1000
        for document in stored:
            original = archive.original_path(document["sha256"])
            assert original.is_file() and original.stat().st_size > 0


@pytest.mark.slow  # whole congvan processes: CI runs it, the fast loop does not
def test_read_only_mounted_archive_is_a_clear_error(tiny_disk: Path) -> None:
    archive = Archive(tiny_disk / "archive")
    assert run_congvan("ingest", str(SEEDS[2]), "--archive", str(archive.root)).returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    result = run_congvan("ingest", str(SEEDS[3]), "--archive", str(archive.root))
    assert result.returncode == 3, result.stderr[-1000:]
    assert result.stderr.splitlines()[-1].startswith("congvan: ")
    subprocess.run(["mount", "-o", "remount,rw", str(tiny_disk)], check=True)
    with open_catalog(archive.catalog_path) as catalog:
        assert catalog.stats()["documents"] == 1
        assert catalog.integrity_problems() == []


def _children(pid: int) -> list[int]:
    kids = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat_file.parent.name))
    return kids


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie has stopped running


@pytest.mark.slow  # kills real processes: CI runs it, the fast loop does not
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_workers_die_with_a_killed_ingest_and_its_staging_is_swept(tmp_path: Path) -> None:
    """kill -9 of the ingest alone (not its group): its workers go too, and the next run
    removes the staged copies it left at once (not a day later)."""
    write_letters(tmp_path / "in", 300)
    archive = Archive(tmp_path / "archive")
    command = [*CONGVAN, "ingest", str(tmp_path / "in"), "--archive", str(archive.root),
               "--jobs", "2", "--no-index"]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (
            len(_children(process.pid)) < 2 or _archived_count(archive) < 5
        ):
            time.sleep(0.05)
        workers = _children(process.pid)
        assert len(workers) >= 2 and process.poll() is None, "the kill did not land mid-batch"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(map(_running, workers)):
            time.sleep(0.1)
        assert not [pid for pid in workers if _running(pid)], "workers outlived their ingest"
    finally:
        with contextlib.suppress(ProcessLookupError):  # what is left of its group
            os.killpg(process.pid, signal.SIGKILL)

    assert any(archive.staging.iterdir()), "the killed run left nothing in staging"
    rerun = run_congvan("ingest", str(SEEDS[0]), "--archive", str(archive.root), "--no-index")
    assert rerun.returncode == 0, rerun.stderr
    assert list(archive.staging.iterdir()) == []


def test_staging_left_by_a_dead_process_is_swept_at_once(archive: Archive) -> None:
    import re
    import socket

    from ingest.store.staging import sweep_stale_staging

    dead = subprocess.Popen(["true"])
    dead.wait()  # its pid now names no process
    host = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())  # as staged names carry it
    leftovers = {
        "dead": archive.staging / f"{host}.{dead.pid}.0123abcd.part",
        "dead-upload": archive.staging / f"upload_{host}.{dead.pid}.k2j4_x9",
        "alive": archive.staging / f"{host}.1.0123abcd.part",  # pid 1 always runs
        "mine": archive.staging / f"{host}.{os.getpid()}.0123abcd.part",
        "other-host": archive.staging / f"not-{socket.gethostname()}x.{dead.pid}.ab.part",
        "old-style": archive.staging / "0123456789abcdef0123456789abcdef.part",
    }
    for name, path in leftovers.items():
        if name == "dead-upload":
            path.mkdir()
            (path / "scan.pdf").write_bytes(b"%PDF")
        else:
            path.write_bytes(b"half a letter")
    assert sweep_stale_staging(archive) == 2
    assert sorted(p.name for p in archive.staging.iterdir()) == sorted(
        leftovers[name].name for name in ("alive", "mine", "other-host", "old-style")
    )
    assert sweep_stale_staging(archive, max_age=-1) == 4  # the day-old rule for the rest


def test_a_new_catalog_waits_for_another_process_switching_it_to_wal(tmp_path: Path) -> None:
    # Two ingests that open a new archive together: the first holds the write lock while it sets
    # the catalog up, and the second must wait for it, not stop with "database is locked".
    path = tmp_path / "catalog.sqlite3"
    first = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    first.execute("CREATE TABLE setup (x)")
    first.execute("BEGIN IMMEDIATE")
    first.execute("INSERT INTO setup VALUES (1)")
    release = threading.Timer(0.3, lambda: first.execute("COMMIT"))
    release.start()
    try:
        open_catalog(path).close()
    finally:
        release.join()
        first.close()
