"""The catalog in a PostgreSQL database that several hosts share (issue 14): SqlCatalog
(catalog_sql.py, all the statements) on a psycopg 3 connection.

What PostgreSQL does its own way, all here:
- placeholders: the shared SQL's `?` become psycopg's `%s` (and a literal `%` is doubled);
- rows: read by position and by name, as sqlite3.Row (`_row`);
- transactions: the connection is in autocommit (each read sees the latest commits, as on
  SQLite) and a write is BEGIN … COMMIT behind one advisory lock (`_begin`), so writers queue
  as SQLite's BEGIN IMMEDIATE makes them;
- the migrations: REAL is read as DOUBLE PRECISION (PostgreSQL's REAL has 6 digits: an epoch
  time in seconds would lose minutes), BLOB as BYTEA, and TEXT with the "C" collation (ordering
  and comparing by code point as SQLite does, whatever the database's locale: ISO times compare
  as strings);
- tables are listed from information_schema; the engine checks itself (foreign keys always
  on, pages checksummed), so its own problems are none to report here;
- reads over the whole archive go through a server-side cursor, a batch at a time.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg
import psycopg.errors
from psycopg.conninfo import conninfo_to_dict

from ingest.errors import ArchiveWriteError
from ingest.store.catalog import MIGRATIONS, Migration
from ingest.store.catalog_sql import SqlCatalog

# The key of the catalog's write lock (pg_advisory_xact_lock): any number the database's other
# users (the job queue) do not take. "congvan" in ASCII.
WRITE_LOCK = 0x636F6E6776616E
STREAM_BATCH = 500


@functools.lru_cache(maxsize=1024)
def _placeholders(sql: str) -> str:
    """`?` → `%s` outside quoted literals, `%` → `%%` everywhere (psycopg's own syntax)."""
    out, quoted = [], False
    for char in sql:
        if char == "'":
            quoted = not quoted
        if char == "%":
            out.append("%%")
        elif char == "?" and not quoted:
            out.append("%s")
        else:
            out.append(char)
    return "".join(out)


def _migration_types(statement: str) -> str:
    """A migration's column types as PostgreSQL should read them (module docstring)."""
    statement = re.sub(r"\bREAL\b", "DOUBLE PRECISION", statement)
    statement = re.sub(r"\bBLOB\b", "BYTEA", statement)
    return re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', statement)


class _Row(tuple):
    """A row read by position or by column name, and `dict(row)`, like sqlite3.Row."""

    _index: dict[str, int]

    def __new__(cls, values: Sequence[Any], index: dict[str, int]) -> _Row:
        row = super().__new__(cls, values)
        row._index = index
        return row

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return super().__getitem__(self._index[key])
        return super().__getitem__(key)

    def keys(self) -> list[str]:
        return list(self._index)


def _row(cursor: Any) -> Any:
    """psycopg's row factory for _Row."""
    index = {column.name: i for i, column in enumerate(cursor.description or ())}
    return lambda values: _Row(values, index)


class _Connection:
    """A psycopg connection taking the shared SQL's `?` placeholders."""

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self.connection = connection

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if not params:
            return self.connection.execute(sql)
        return self.connection.execute(_placeholders(sql), params)

    def executemany(self, sql: str, rows: Any) -> Any:
        cursor = self.connection.cursor()
        rows = list(rows)
        if rows:
            cursor.executemany(_placeholders(sql), rows)
        return cursor


def _without_password(url: str) -> str:
    return re.sub(r"(://[^:/@]*):[^@]*@", r"\1@", url)


class PostgresCatalog(SqlCatalog):
    """The catalog in PostgreSQL, at a `postgresql://` URL (libpq's). See CatalogStore."""

    # Connection lost, disk full, lock or statement timeouts (all OperationalError), a
    # read-only server (a replica), a role that may not write.
    _CANNOT_WRITE = (psycopg.OperationalError, psycopg.errors.ReadOnlySqlTransaction,
                     psycopg.errors.InsufficientPrivilege)
    _INTEGRITY_ERROR = psycopg.errors.IntegrityError
    _ENGINE_ERROR = psycopg.Error

    _streams = itertools.count(1)

    def __init__(self, url: str, *, migrations: Sequence[Migration] = MIGRATIONS) -> None:
        self._where = _without_password(url)
        try:
            # A server that does not answer is an error in seconds, not a hang (unless the URL
            # sets its own connect_timeout).
            timeout = {} if "connect_timeout" in conninfo_to_dict(url) else {"connect_timeout": 10}
            connection = psycopg.connect(url, autocommit=True, row_factory=_row, **timeout)
        except psycopg.Error as error:
            raise ArchiveWriteError(f"cannot open the catalog {self._where}: {error}") from error
        self._connection = connection
        self._db = _Connection(connection)
        super().__init__(migrations)

    def close(self) -> None:
        self._connection.close()

    def _begin(self) -> None:
        """BEGIN, then wait for the catalog's write lock, held until COMMIT or ROLLBACK.

        One writer at a time, as on SQLite, for two reasons. The shared SQL computes ids as
        MAX + 1 (audit entries, arrival numbers, the change sequence). And the change sequence
        must become visible in order: with a sequence and concurrent writers, number 8 could
        commit before number 7, and a search node that had read up to 8 would never see 7. The
        lock is let go only after the commit is visible, so the next writer's number is higher
        than every number a reader can see. A letter's transaction takes milliseconds, against
        seconds of OCR per page: the queue of writers is not what limits an ingest.
        """
        self._db.execute("BEGIN")
        self._db.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,))

    def _rollback(self) -> None:
        if self._connection.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            self._db.execute("ROLLBACK")

    def _has_table(self, name: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_name = ?", (name,)).fetchone()
        return row is not None

    def _engine_problems(self) -> list[str]:
        return []  # foreign keys are always enforced; damaged pages fail the read that hits them

    def _migration_statement(self, statement: str) -> str:
        return _migration_types(statement)

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
        """A server-side cursor WITH HOLD: it outlives the autocommit transaction that opened
        it, and other statements can run on the connection between its batches."""
        name = f"congvan_stream_{next(self._streams)}"
        with self._connection.cursor(name=name, withhold=True) as cursor:
            cursor.itersize = STREAM_BATCH
            cursor.execute(_placeholders(sql) if params else sql, params or None)
            yield from cursor
