"""Shared fixtures: paths to the seed letters, a fresh archive per test, each search engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import ENGINES
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


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    """Each search engine in turn (index.ENGINES): the same test runs on both."""
    return request.param


# -- the web archive (tests/webui_archive.py), once per engine for the web and API tests ------


@pytest.fixture(scope="session", params=ENGINES)
def built(tmp_path_factory: pytest.TempPathFactory, request) -> dict:
    from .webui_archive import build_web_archive

    return build_web_archive(tmp_path_factory.mktemp(f"web-{request.param}"), request.param)


@pytest.fixture(scope="session")
def ids(built: dict) -> dict[str, str]:
    return built["ids"]


@pytest.fixture(scope="session")
def client(built: dict):
    from webui.app import create_app

    app = create_app({"ARCHIVE": str(built["archive"].root), "ENGINE": built["engine"],
                      "TESTING": True})
    return app.test_client()
