"""Shared fixtures: paths to the seed letters, a fresh archive per test, each search engine, a
real PostgreSQL server (tests/pgserver.py) and a fresh database on it per test."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from index import ENGINES
from ingest import Archive

from .pgserver import PostgresMissing, PostgresServer, reap_orphans

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEEDS = sorted(CORPUS.glob("0*.txt"))


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch, request):
    """Argon2 at its least cost in tests: many tests log in, and at the real cost (~0.1 s a
    hash, more under load) logins were a good part of the fast loop. The real cost is asserted
    by test_passwords.py, whose tests are marked `real_password_cost`."""
    if request.node.get_closest_marker("real_password_cost"):
        return
    from argon2 import PasswordHasher

    from webui import passwords

    monkeypatch.setattr(passwords, "hasher", PasswordHasher(time_cost=1, memory_cost=8,
                                                            parallelism=1))


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


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright (the browser tests: tests/browsing.py)."""
    from .browsing import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


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


# -- a real PostgreSQL (tests/pgserver.py): one server per run, a fresh database per test ------


@pytest.fixture(scope="session")
def postgres_instance(request) -> PostgresServer:
    """The run's PostgreSQL server, started on first use, stopped at the end of the session
    (and at exit, should the session not end cleanly). Missing binaries FAIL the test: CI
    must run these tests, never skip them."""
    try:
        reap_orphans()  # servers of runs killed before they could stop theirs
        server = PostgresServer()
    except PostgresMissing as missing:
        pytest.fail(str(missing), pytrace=False)
    request.addfinalizer(server.stop)
    server.start()
    return server


@pytest.fixture(scope="session")
def postgres_server(postgres_instance: PostgresServer) -> str:
    """The URL of the server's `postgres` database (postgresql://postgres@/postgres?host=…)."""
    return postgres_instance.url


@pytest.fixture
def postgres_url(postgres_instance: PostgresServer):
    """The URL of a new, empty database, dropped after the test."""
    url = postgres_instance.create_database()
    yield url
    postgres_instance.drop_database(url)


# -- the catalog on each engine: the same tests run on SQLite and PostgreSQL ------------------

CATALOG_BACKENDS = ("sqlite", "postgres")


@pytest.fixture(params=CATALOG_BACKENDS)
def catalog_backend(request) -> str:
    return request.param


@pytest.fixture
def catalog_location(request, catalog_backend: str, tmp_path: Path) -> Path | str:
    """A new, empty catalog's location on each engine in turn: a SQLite file's path, then a
    fresh PostgreSQL database's URL (what open_catalog and Archive(…, catalog=) take)."""
    if catalog_backend == "postgres":
        return request.getfixturevalue("postgres_url")
    return tmp_path / "catalog.sqlite3"


@pytest.fixture
def catalog_url(catalog_location: Path | str) -> str | None:
    """For Archive(root, catalog_url): the URL on PostgreSQL, None on SQLite (the folder's
    file)."""
    return catalog_location if isinstance(catalog_location, str) else None


def wait_for(condition, timeout: float, what: str):
    """condition()'s first true value, asked every 0.2 s; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def catalog_args(archive: Archive) -> list[str]:
    """The command's --catalog for an archive whose catalog is in PostgreSQL."""
    return ["--catalog", archive.catalog_url] if archive.catalog_url else []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that uses the PostgreSQL server carries the `postgres` marker
    (`-m "not postgres"` leaves them out on a machine without PostgreSQL)."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if ("postgres_instance" in getattr(item, "fixturenames", ())
                or params.get("catalog_backend") == "postgres"):
            item.add_marker(pytest.mark.postgres)
