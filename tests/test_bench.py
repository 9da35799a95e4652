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
    (work / "results" / "queries-tantivy.json").unlink()
    again = _bench(work, "--reuse")
    notes = next(line for line in again.splitlines() if line.startswith("Queries:"))
    whoosh_note, tantivy_note = notes.split("Whoosh:")[1].split("tantivy:")
    assert "saved by an earlier run" in whoosh_note
    assert "saved by an earlier run" not in tantivy_note.split("FTS5:")[0]  # run again
    assert "| index build (tantivy" in again and "**tantivy over HTTP" in again
    first = _bench(tmp_path / "parts", "--until", "ingest")
    assert "| ingest text letters" in first and "| index build" not in first
