"""The tests' own PostgreSQL server (tests/pgserver.py): reachable on its socket only, a fresh
database per test, and gone once stopped."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

from .pgserver import PostgresMissing, PostgresServer, _alive, find_binaries, reap_orphans

ROOT = Path(__file__).resolve().parents[1]


def test_a_server_answers_on_its_socket_and_is_gone_once_stopped() -> None:
    server = PostgresServer().start()
    try:
        with psycopg.connect(server.url) as connection:
            assert connection.execute("SELECT 1").fetchone() == (1,)
            assert connection.execute("SHOW listen_addresses").fetchone() == ("",)
            assert connection.execute("SHOW fsync").fetchone() == ("off",)
        pid = server.pid()
        assert pid is not None
        assert _alive(pid)
    finally:
        server.stop()
    assert not _alive(pid)
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


def test_the_server_of_a_run_killed_with_sigkill_is_stopped_by_the_next() -> None:
    """A run killed with SIGKILL runs neither its finalizer nor atexit: the next run stops
    the server it left. A run still going keeps its own."""
    start = ("import sys, time; sys.path.insert(0, sys.argv[1]); from tests.pgserver import "
             "PostgresServer; s = PostgresServer(root=__import__('pathlib').Path(sys.argv[2]))"
             ".start(); print(s.pid(), flush=True); time.sleep(600)")
    folder = Path(tempfile.mkdtemp(prefix="congvan-pgtest-"))  # not pytest's: owner-only
    os.chmod(folder, 0o755)  # the postgres user walks into it when the run is root's
    root = folder / "congvan-pg-orphan"
    root.mkdir()
    run = subprocess.Popen([sys.executable, "-c", start, str(ROOT), str(root)],
                           stdout=subprocess.PIPE, text=True)
    try:
        pid = int(run.stdout.readline())
        assert _alive(pid)
        assert reap_orphans(folder) == []  # its run is alive: not an orphan
        run.kill()
        run.wait()
        assert reap_orphans(folder) == [root]
        assert not _alive(pid) and not root.exists()
    finally:
        run.kill()
        run.stdout.close()
        reap_orphans(folder)
        shutil.rmtree(folder, ignore_errors=True)
