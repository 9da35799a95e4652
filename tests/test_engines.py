"""The search engine is named by its caller: the `index` package reads no environment, and a
run on one engine loads that engine's library alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from index import ENGINES, open_index, rebuild_index
from ingest import Archive, ingest_paths, open_catalog

from .conftest import ROOT, SEEDS

TANTIVY_ONLY = """
import json, sys
from pathlib import Path
from index import ENGINES, open_index, rebuild_index
from ingest import Archive, open_catalog
archive = Archive(Path(sys.argv[1]))
idx = open_index(archive.index_dir, "tantivy")
with open_catalog(archive.catalog_path) as catalog:
    counts = idx.sync(catalog)
results = idx.search("dong thap")
print(json.dumps({"added": counts["added"], "total": results.total,
                  "loaded": sorted(m for m in sys.modules if m.split(".")[0] == "whoosh")}))
"""


@pytest.fixture
def seeded(archive: Archive) -> Archive:
    assert ingest_paths(SEEDS, archive, jobs=1).summary()["archived"] == len(SEEDS)
    return archive


@pytest.mark.slow  # worker processes or a second of CPU: CI runs it, the fast loop does not
def test_a_tantivy_only_run_never_imports_whoosh(seeded: Archive) -> None:
    """Importing `index`, opening a tantivy index, syncing it and searching load tantivy
    alone: Whoosh (and its patch) come with the Whoosh engine only."""
    run = subprocess.run([sys.executable, "-c", TANTIVY_ONLY, str(seeded.root)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    found = json.loads(run.stdout)
    assert found["added"] == len(SEEDS) and found["total"] > 0
    assert found["loaded"] == []


def test_the_index_takes_the_engine_it_is_given_not_the_environment(
        archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONGVAN_ENGINE", "whoosh")
    assert open_index(archive.index_dir).engine == "tantivy"  # the default, whatever the env
    assert open_index(archive.index_dir, "whoosh").engine == "whoosh"


def test_the_command_passes_its_engine_on_without_writing_the_environment(
        seeded: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    from congvan.cli import cli

    monkeypatch.delenv("CONGVAN_ENGINE", raising=False)
    cli.main(args=["--engine", "whoosh", "reindex", "--archive", str(seeded.root)],
             standalone_mode=False)
    assert "CONGVAN_ENGINE" not in os.environ
    assert seeded.index_dir.is_dir()
    assert not (seeded.root / "index-tantivy").exists()  # no index of the default engine


def _open_and_search(where: tuple[str, str]) -> str:
    index_dir, engine = where
    open_index(Path(index_dir), engine).search("dong thap")
    return "ok"


@pytest.mark.slow
@pytest.mark.parametrize("engine_name", ENGINES)
def test_processes_opening_a_new_index_together_all_succeed(tmp_path: Path,
                                                            engine_name: str) -> None:
    # CI once saw "File '_MAIN_0.toc' exists": two ingests created one new index at once.
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(6) as pool:
        for round_ in range(8):
            index_dir = str(tmp_path / f"a{round_}" / "index")
            assert pool.map(_open_and_search, [(index_dir, engine_name)] * 6) == ["ok"] * 6


def test_a_process_forked_after_a_search_can_search(seeded: Archive) -> None:
    """tantivy counts on a pool of threads: a child forked after the parent searched (a worker
    pool, a test's) has none of them, and once waited for its count forever."""
    import multiprocessing

    with open_catalog(seeded.catalog_path) as catalog:
        rebuild_index(catalog, seeded.index_dir, engine="tantivy")
    where = (str(seeded.index_dir), "tantivy")
    assert _open_and_search(where) == "ok"  # the parent's pool of threads is made here
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply_async(_open_and_search, (where,)).get(timeout=60) == "ok"
