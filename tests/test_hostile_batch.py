"""One batch of >= 100 hostile files mixed with good letters: nothing lost, every failure named."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from ingest import Archive, open_catalog

from .hostile import build_hostile_folder

PER_FILE_SECONDS = 120
MEMORY_LIMIT_BYTES = 3 << 30


@pytest.mark.slow
def test_hostile_batch(tmp_path: Path) -> None:
    cases = build_hostile_folder(tmp_path / "in")
    archive = Archive(tmp_path / "archive")
    command = [
        sys.executable,
        "-c",
        "from congvan.cli import main; main()",
        "ingest",
        str(tmp_path / "in"),
        "--archive",
        str(archive.root),
        "--json",
        "--jobs",
        "2",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 1, result.stderr[-2000:]
    report = json.loads(result.stdout)
    outcomes = {Path(f["path"]): f for f in report["files"]}

    for case in cases:
        got = outcomes.get(case.path)
        assert got is not None, f"{case.kind} ({case.path.name}) missing from the report"
        assert got["outcome"] in {case.expect, "duplicate" if case.expect == "archived" else ""}, (
            f"{case.kind} ({case.path.name}): {got['outcome']} — {got['error']}"
        )
        if case.expect == "failed":
            assert got["error"] and got["reason"], f"{case.kind} failed without a reason"
        assert got["seconds"] < PER_FILE_SECONDS, f"{case.kind} took {got['seconds']} s"

    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    assert peak < MEMORY_LIMIT_BYTES, f"peak memory {peak >> 20} MiB"
    with open_catalog(archive.catalog_path) as catalog:
        archived = sum(1 for c in cases if c.expect == "archived")
        assert catalog.stats()["documents"] == archived
    for failed in (f for f in report["files"] if f["outcome"] == "failed" and f["sha256"]):
        assert archive.quarantine_path(failed["sha256"]).is_file()
