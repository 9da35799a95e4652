"""The `congvan` command package: light to import, runnable as `python -m congvan`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ingest.store.archive import Archive
from ingest.store.catalog import Catalog

HEAVY = ("flask", "whoosh", "tantivy", "pdfplumber")

# Runs a light command in a fresh interpreter, then prints which heavy libraries it loaded.
PROBE = """
import json, sys
from congvan.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(name for name in {heavy!r} if name in sys.modules)))
"""


def _loaded_by(*args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_import_and_help_load_no_web_search_or_pdf_library() -> None:
    assert _loaded_by("--help") == []
    assert _loaded_by("stats", "--help") == []


def test_stats_on_an_archive_loads_only_the_catalog(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    archive.create()
    Catalog(archive.catalog_path).close()
    assert _loaded_by("stats", "--json", "--archive", str(archive.root)) == []


def test_python_dash_m_congvan_runs_the_command(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "congvan", "stats", "--archive",
                           str(tmp_path / "none")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "no archive at" in done.stderr
