"""Shared fixtures: paths to the seed letters, a fresh archive per test, each search engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import Archive

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEEDS = sorted(CORPUS.glob("0*.txt"))


@pytest.fixture
def seed_paths() -> list[Path]:
    return list(SEEDS)


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    archive = Archive(tmp_path / "archive")
    archive.create()
    return archive


@pytest.fixture(params=["whoosh", "tantivy"])
def engine(request) -> str:
    """Each search engine in turn (index.ENGINES): the same test runs on both."""
    return request.param
