"""The tests' own PostgreSQL server (tests/pgserver.py): reachable on its socket only, a fresh
database per test, and gone once stopped."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from .pgserver import PostgresMissing, PostgresServer, find_binaries


def alive(pid: int) -> bool:
    """The process runs (a zombie waiting for a parent to reap it does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_server_answers_on_its_socket_and_is_gone_once_stopped() -> None:
    server = PostgresServer().start()
    try:
        with psycopg.connect(server.url) as connection:
            assert connection.execute("SELECT 1").fetchone() == (1,)
            assert connection.execute("SHOW listen_addresses").fetchone() == ("",)
            assert connection.execute("SHOW fsync").fetchone() == ("off",)
        pid = server.pid()
        assert pid is not None
        assert alive(pid)
    finally:
        server.stop()
    assert not alive(pid)
    assert not server.root.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(server.url, connect_timeout=2)
    server.stop()  # twice is harmless (the finalizer and atexit both call it)


def test_each_test_gets_an_empty_database_of_its_own(postgres_server: str,
                                                     postgres_url: str) -> None:
    assert postgres_url != postgres_server
    with psycopg.connect(postgres_url) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
        assert tables == (0,)
        connection.execute("CREATE TABLE t (x integer)")


def test_missing_binaries_are_a_clear_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tests.pgserver.BINARIES", "/nonexistent/postgresql/*/bin")
    with pytest.raises(PostgresMissing, match="postgresql"):
        find_binaries()
