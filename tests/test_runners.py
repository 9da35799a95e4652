"""The recipe as a plain function (ingest.recipe) and the runners that run it (ingest.runners)."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from ingest import Archive, ingest_paths, open_catalog
from ingest.errors import FileError, NoTextFound
from ingest.recipe import RecipeSettings, ingest_file
from ingest.runners import InProcessRunner, KeptRunner, LocalPoolRunner

from .conftest import SEEDS


def test_the_recipe_reads_a_letter_without_an_archive(tmp_path: Path) -> None:
    reading = ingest_file(SEEDS[1])
    assert reading.media_type.startswith("text/")
    assert [page.number for page in reading.pages] == [1]
    assert "Lạng Sơn" in reading.pages[0].text
    assert reading.metadata.doc_type and reading.metadata.issuer
    assert not list(tmp_path.iterdir())  # nothing written anywhere


def test_the_recipe_refuses_a_file_without_a_word(tmp_path: Path) -> None:
    stray = tmp_path / "stray.txt"
    stray.write_bytes(b"\xe9")
    with pytest.raises(NoTextFound):
        ingest_file(stray)


def _records(archive: Archive) -> dict[str, dict]:
    with open_catalog(archive.catalog_path) as catalog:
        return {doc["id"]: doc["metadata"] for doc in catalog.iter_documents()}


@pytest.mark.slow  # worker processes or a second of CPU: CI runs it, the fast loop does not
def test_the_batch_stores_the_same_letters_whichever_runner_reads_them(tmp_path: Path) -> None:
    pooled, in_process = Archive(tmp_path / "pooled"), Archive(tmp_path / "in-process")
    first = ingest_paths(SEEDS, pooled, runner=LocalPoolRunner(2))
    second = ingest_paths(SEEDS, in_process, runner=InProcessRunner())
    assert first.summary()["archived"] == second.summary()["archived"] == len(SEEDS)
    assert _records(pooled) == _records(in_process)


def _dies_on_poison(path: Path):
    """Stands in for read_document: the worker dies on a file named poison (forked workers
    see this patch)."""
    if path.name.startswith("poison"):
        os._exit(9)
    from ingest.reading.reading import read_document

    return read_document(path)


def test_a_dead_worker_fails_its_file_and_the_next_file_gets_a_fresh_pool(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr("ingest.recipe.read_document", _dies_on_poison)
    poison = tmp_path / "poison.txt"
    poison.write_text("poison", encoding="utf-8")
    with LocalPoolRunner(1) as runner:
        with pytest.raises(FileError, match="worker process died"):
            runner.submit(poison, RecipeSettings()).result(timeout=60)
        reading = runner.submit(SEEDS[3], RecipeSettings()).result(timeout=60)
    assert reading.metadata.doc_type


def test_a_kept_runner_starts_its_processes_at_once_and_keeps_them_between_batches(
        tmp_path: Path) -> None:
    """A queue worker's recipe processes are forked by its main thread when it starts (they
    die with the thread that forked them) and keep their loaded engine from job to job."""
    archive = Archive(tmp_path / "archive")
    kept = KeptRunner(LocalPoolRunner(1))
    kept.pool.start()
    started = {child.pid for child in multiprocessing.active_children()}
    assert len(started) == 1
    for seed in SEEDS[:2]:  # two batches of one file, as two jobs
        assert ingest_paths([seed], archive, runner=kept).summary()["archived"] == 1
    assert {child.pid for child in multiprocessing.active_children()} == started
    kept.close()
    assert multiprocessing.active_children() == []
