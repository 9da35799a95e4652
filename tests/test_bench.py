"""The benchmark script runs end to end at a tiny size (its figures are not checked: speed is
measured by running it, never in tests), and a stopped run resumes from its saved stages."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _bench(work: Path, *extra: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--count", "30", "--queries", "12", "--pdfs", "2",
         "--scans", "0", "--clients", "3", "--load-seconds", "2", "--work", str(work), "--keep",
         *extra],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.slow
def test_bench_prints_both_engines_then_resumes_from_saved_stages(tmp_path):
    work = tmp_path / "bench"
    table = _bench(work)
    for row in ("| generate", "| ingest text letters", "| ingest text PDFs",
                "| index build (Whoosh", "| index build (tantivy", "| index build (SQLite FTS5",
                "**Whoosh over HTTP", "**tantivy over HTTP", "**SQLite FTS5 in process"):
        assert row in table, row
    for line in table.splitlines():
        if line.startswith("| **"):  # n, p50 … no hits, errors: no query failed
            assert line.rstrip(" |").endswith("| 0"), line
    assert "saved by an earlier run" not in table
    catalog = next(line for line in table.splitlines() if line.startswith("| ingest text let"))
    assert re.search(r"catalog \d+ MB, \d+\.\d KB per letter", catalog), catalog
    load = [line for line in table.splitlines() if line.startswith(
        ("| Whoosh over HTTP", "| tantivy over HTTP", "| SQLite FTS5 in process"))]
    assert len(load) == 3, table
    for line in load:  # requests answered, none failed
        requests, _rate, errors = (cell.strip() for cell in line.split("|")[2:5])
        assert int(requests.replace(",", "")) > 0 and errors == "0", line
    for line in load[:2]:  # a server's peak RSS, and its part not made of mapped files
        assert re.search(r"server peak RSS \d+ MB \(anonymous memory at most \d+ MB\)", line)
    (work / "results" / "queries-tantivy.json").unlink()
    again = _bench(work, "--reuse")
    notes = next(line for line in again.splitlines() if line.startswith("Queries:"))
    whoosh_note, tantivy_note = notes.split("Whoosh:")[1].split("tantivy:")
    assert "saved by an earlier run" in whoosh_note
    assert "saved by an earlier run" not in tantivy_note.split("FTS5:")[0]  # run again
    assert "| index build (tantivy" in again and "**tantivy over HTTP" in again
    first = _bench(tmp_path / "parts", "--until", "ingest")
    assert "| ingest text letters" in first and "| index build" not in first


@pytest.mark.slow
def test_a_long_ingest_goes_in_parts_and_a_stopped_part_is_ingested_again(tmp_path):
    work = tmp_path / "bench"
    table = _bench(work, "--until", "ingest", "--ingest-part", "12")
    parts = [line for line in table.splitlines() if line.startswith("| ingest part")]
    assert [line.split("|")[1].strip() for line in parts] == [
        "ingest part 1 into an archive of 0 letters", "ingest part 2 into an archive of 12 letters",
        "ingest part 3 into an archive of 24 letters"]
    assert [int(line.split("|")[2]) for line in parts] == [12, 12, 6]
    whole = next(line for line in table.splitlines() if "the parts together" in line)
    assert whole.split("|")[2].strip() == "30" and "0 failed" in whole
    assert not (work / "parts").exists() or not any((work / "parts").iterdir())
    # A run stopped in the last part: its saved result gone, its letters archived already.
    (work / "results" / "ingest-part-002.json").unlink()
    again = _bench(work, "--until", "ingest", "--ingest-part", "12", "--reuse")
    rows = [line for line in again.splitlines() if line.startswith("| ingest part")]
    assert "saved by an earlier run" in rows[0] and "saved by an earlier run" in rows[1]
    assert "(6 found archived by a run stopped in this part)" in rows[2]
    assert int(rows[2].split("|")[2]) == 0
    assert "archive of 24 letters" in rows[2]
