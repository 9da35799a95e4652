"""Shared fixtures: paths to the seed letters and a fresh archive per test."""

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
