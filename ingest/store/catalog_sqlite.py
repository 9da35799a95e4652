"""The catalog in one SQLite file, the embedded default: SqlCatalog (catalog_sql.py, all the
statements) on a SQLite connection. What only SQLite needs (PRAGMAs, BEGIN IMMEDIATE,
sqlite_master) is in the functions tests/test_house_rules.py names as SQLite-only.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path

from ingest.errors import ArchiveWriteError
from ingest.store.catalog import MIGRATIONS, Migration
from ingest.store.catalog_sql import SqlCatalog


def _connect(path: Path, cache_mb: int | None = None) -> sqlite3.Connection:
    """A connection in WAL mode that waits up to 60 s for another writer and syncs each commit;
    `cache_mb`: its page cache, when not SQLite's 2 MB (see SqliteCatalog)."""
    if not path.exists():  # owner-only from the start; its WAL and SHM take its mode
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    db = sqlite3.connect(path, timeout=60, isolation_level=None)
    db.row_factory = sqlite3.Row
    _enter_wal(db)
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = ON")
    if cache_mb:
        db.execute(f"PRAGMA cache_size = {-1024 * int(cache_mb)}")  # negative: in KiB
    return db


def _enter_wal(db: sqlite3.Connection, patience: float = 60.0) -> None:
    """Switch a catalog to WAL, waiting while another process does the same.

    Changing the journal mode needs the database to itself and SQLite answers "database is
    locked" at once, without its busy handler, when two processes open a new catalog together.
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _begin(db: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE takes the write lock at once, so that writers queue, not deadlock."""
    db.execute("BEGIN IMMEDIATE")


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    row = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return row is not None


def _engine_problems(db: sqlite3.Connection) -> list[str]:
    """What SQLite's own checks find: damaged pages or indexes, rows pointing nowhere."""
    problems = [f"SQLite integrity check: {row[0]}"
                for row in db.execute("PRAGMA integrity_check") if row[0] != "ok"]
    return problems + [f"foreign key check: a row of {row[0]} points to a missing {row[2]}"
                       for row in db.execute("PRAGMA foreign_key_check")]


class SqliteCatalog(SqlCatalog):
    """The catalog in one SQLite file (WAL, synchronous writes). See CatalogStore.

    `cache_mb`: the connection's page cache, for a long writer (an ingest batch): each letter
    writes rows keyed by its random id into a dozen indexes and its 16 band buckets into
    another, pages all over a catalog of thousands of letters that SQLite's 2 MB did not keep
    and read again from the file at every letter."""

    _CANNOT_WRITE = (sqlite3.OperationalError,)
    _INTEGRITY_ERROR = sqlite3.IntegrityError
    _ENGINE_ERROR = sqlite3.Error

    def __init__(self, path: Path | str, *, migrations: Sequence[Migration] = MIGRATIONS,
                 cache_mb: int | None = None) -> None:
        self._path = Path(path)
        self._where = str(self._path)
        try:
            self._db = _connect(self._path, cache_mb)
        except sqlite3.Error as error:
            raise ArchiveWriteError(f"cannot open the catalog {self._path}: {error}") from error
        super().__init__(migrations)

    def close(self) -> None:
        self._db.close()

    def _begin(self) -> None:
        _begin(self._db)

    def _rollback(self) -> None:
        if self._db.in_transaction:  # SQLite may already have rolled back (e.g. disk full)
            self._db.execute("ROLLBACK")

    def _has_table(self, name: str) -> bool:
        return _has_table(self._db, name)

    def _engine_problems(self) -> list[str]:
        return _engine_problems(self._db)
