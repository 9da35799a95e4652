"""bench/scale.py: the replayed readings go through the batch's real storing path, and the
whole script runs end to end at a tiny size on a real PostgreSQL (its figures are not checked:
speed is measured by running it, never in tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.generator import write_corpus
from bench.scale import read_all, store_and_read
from ingest import Archive, open_catalog
from tests.conftest import ROOT


def test_replayed_readings_are_stored_as_the_batch_stores_them(tmp_path: Path) -> None:
    write_corpus(tmp_path / "letters", 4, seed=3, expected_dir=tmp_path / "expected")
    letters = sorted((tmp_path / "letters").glob("*.txt"))
    read_all(letters, tmp_path / "readings", 1, tmp_path / "expected")
    archive = Archive(tmp_path / "archive")
    result = store_and_read(archive, tmp_path / "letters", tmp_path / "readings")
    assert (result["archived"], result["failed"], result["read"]) == (len(letters), 0,
                                                                     len(letters))
    with open_catalog(archive.catalog_location) as catalog:
        stored = {row["original_name"]: row for row in catalog.iter_documents()}
    first = stored[letters[0].name]
    assert first["text"] == letters[0].read_text(encoding="utf-8")
    assert len(list(archive.originals.rglob("*"))) >= len(letters)  # originals kept too


@pytest.mark.slow
@pytest.mark.postgres
def test_scale_bench_prints_its_four_parts(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.scale", "--count", "30", "--extra", "10", "--rate", "20",
         "--queue-letters", "6", "--scan-pages", "0", "--queries", "10", "--records", "truth",
         "--engines", "tantivy", "--work", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=900, cwd=ROOT, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    table = done.stdout
    for part in ("### 1. Catalog", "| PostgreSQL (fsync on) | 30 |", "### 2. Queue ingest",
                 "| text letters | queue, 2 workers | 6 |", "| node catch-up, tantivy",
                 "Totals differ on 0 queries", "| 10 |"):
        assert part in table, part
    assert "fsync on, synchronous_commit on, full_page_writes on" in table
