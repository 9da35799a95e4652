"""The catalog's SQL, shared by both engines: `SqlCatalog` implements CatalogStore (see
catalog.py) over a small seam that each engine's module fills in (catalog_sqlite.py,
catalog_postgres.py): connecting, beginning a transaction (and how writers queue), rolling
back, listing tables, the engine's own checks, and which of its errors mean "cannot write".

Statements are written once, with `?` placeholders, in SQL that SQLite and PostgreSQL both
accept (no AUTOINCREMENT, no INSERT OR IGNORE, no instr() or rowid, ids we compute ourselves;
ON CONFLICT … DO UPDATE for an upsert); the PostgreSQL module turns `?` into psycopg's `%s`.
Rows are read by position or by column name on both (sqlite3.Row; a row of the same shape on
PostgreSQL). A document is written in a single transaction, so it is either fully there or not
at all. Writers queue for one write lock (SQLite's BEGIN IMMEDIATE, a PostgreSQL advisory
lock): ids computed as MAX + 1 and the change sequence (`_record_change`) rely on it.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar, Protocol

from ingest.curation.corrections import field_value, overlay, same_value
from ingest.errors import ArchiveWriteError, MachineError, UsageError
from ingest.extract.relations import IN_FORCE, VALIDITY_ORDER, VALIDITY_RELATIONS, validity_of
from ingest.model import DocumentRecord, LetterMetadata, Signer, deadline_dict
from ingest.store.catalog import (
    DEFAULT_ROLE,
    DIRECTIONS,
    EXTRACTOR_VERSION,
    INCOMING,
    MIGRATIONS,
    POSSIBLE_DUPLICATE,
    TASK_DONE,
    TASK_OPEN,
    ArrivalNumberTaken,
    AuditEntry,
    CatalogStore,
    Correction,
    DuplicateFlag,
    FieldChange,
    LoginFailures,
    Migration,
    NoteRecord,
    RegisterEntry,
    SessionRecord,
    TaskStatus,
    UserRecord,
    check_role,
    moved_task_keys,
    now_iso,
    now_precise,
)
from ingest.store.packing import pack_text, pack_with, packed_stamp, unpack_text, unpack_with

# Child tables of a document, in the order they are deleted (children before parents).
_CHILD_TABLES = ("task_assignees", "tasks", "citations", "distribution", "recipients", "pages")
# Every other table with a letter's rows, deleted with it when it is purged from the trash.
_PURGED_TABLES = ("task_status", "text_bands", "text_signatures", "document_versions",
                  "corrections", "document_history", "notes", "register_entries", "files")

# A letter not in the trash (the condition on `documents`, bare or after an alias and a dot);
# rows of a letter's child table that belong to one not in the trash.
_KEPT = "deleted_at IS NULL"
_OF_KEPT = ("JOIN documents kept ON kept.id = {0}.document_id WHERE kept.deleted_at IS NULL")

def _tables() -> list[str]:
    """The catalog's tables in the order the migrations create them (schema_version apart)."""
    return [name for migration in MIGRATIONS
            for name in re.findall(r"CREATE TABLE (\w+)", migration.sql)]


# Columns declared BOOLEAN by the migrations, whatever their table.
_BOOLEAN_COLUMNS = frozenset(name for migration in MIGRATIONS
                             for name in re.findall(r"(\w+) BOOLEAN", migration.sql))


# What a change to a letter was (the `changes` table's `kind`, see CatalogStore.changes_since).
ADDED, CHANGED, TRASHED, RESTORED, PURGED = "added", "changed", "trashed", "restored", "purged"


class Row(Protocol):
    """A row of either engine: by position, by column name, and `dict(row)`."""

    def __getitem__(self, key: int | str) -> Any: ...

    def keys(self) -> list[str]: ...


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """What the shared SQL needs of a connection (sqlite3's, or the PostgreSQL module's
    adapter): statements with `?` placeholders."""

    def execute(self, sql: str, params: Sequence[Any] = ..., /) -> Cursor: ...

    def executemany(self, sql: str, rows: Any, /) -> Any: ...


class SqlCatalog:
    """CatalogStore in SQL. A subclass connects to its engine (`_db`) and fills in the seam
    below; `migrations` are the schema it brings the catalog to: all of them, except in the
    tests of an upgrade, which make a catalog of an older version with the first few.
    """

    # The engine's errors: those that mean the catalog cannot be written (disk full,
    # read-only, connection lost), a broken constraint, and any error of the engine.
    _CANNOT_WRITE: ClassVar[tuple[type[BaseException], ...]] = ()
    _INTEGRITY_ERROR: ClassVar[type[BaseException]] = Exception
    _ENGINE_ERROR: ClassVar[type[BaseException]] = Exception

    _db: Connection
    _where: str  # the catalog's location for messages (no password)

    def __init__(self, migrations: Sequence[Migration]) -> None:
        self._grouped = False  # inside begin_group … commit_group: writes are savepoints
        self._migrate(migrations)
        # Only the tests of an upgrade open a catalog of a version before the change sequence,
        # or before texts were packed (they write letters as the release before did).
        self._follows_changes = self._has_table("changes")
        self._packs_text = self.schema_version() >= _PACKED_TEXT
        self._types_citations = self.schema_version() >= _TYPED_CITATIONS
        self._tracks_deadlines = self.schema_version() >= _TASK_TRACKING

    # -- the seam: what each engine does its own way -----------------------------------------

    def _begin(self) -> None:
        """Begin a write transaction, queued behind any other writer of the catalog."""
        raise NotImplementedError

    def _rollback(self) -> None:
        """Roll back the transaction, if the engine has not already."""
        raise NotImplementedError

    def _has_table(self, name: str) -> bool:
        raise NotImplementedError

    def _engine_problems(self) -> list[str]:
        """What the engine's own checks find wrong."""
        raise NotImplementedError

    def _migration_statement(self, statement: str) -> str:
        """A migration's statement as this engine takes it (the migrations are portable SQL;
        an engine translates the few words it spells another way)."""
        return statement

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
        """The rows of a query over the whole archive, read a batch at a time (not all held in
        memory), while the catalog is still used for other queries in between."""
        yield from self._db.execute(sql, params)

    def close(self) -> None:
        raise NotImplementedError

    # -- shared -------------------------------------------------------------------------------

    def __enter__(self) -> SqlCatalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """Commit everything inside or nothing (inside a group: keep it, to commit with the
        group, or undo it alone)."""
        if self._grouped:
            with self._savepoint() as db:
                yield db
            return
        try:
            self._begin()
        except self._CANNOT_WRITE as error:
            self._rollback()  # PostgreSQL: BEGIN done, waiting for the lock failed
            raise ArchiveWriteError(f"the catalog cannot be written: {error}") from error
        try:
            yield self._db
        except self._CANNOT_WRITE as error:  # disk full, read-only, I/O error
            self._rollback()
            raise ArchiveWriteError(f"the catalog cannot be written: {error}") from error
        except BaseException:
            self._rollback()
            raise
        try:
            self._db.execute("COMMIT")
        except self._ENGINE_ERROR as error:
            self._rollback()
            raise ArchiveWriteError(f"the catalog cannot be written: {error}") from error

    @contextmanager
    def _savepoint(self) -> Iterator[Connection]:
        self._db.execute("SAVEPOINT congvan_write")
        try:
            yield self._db
        except self._CANNOT_WRITE as error:  # the engine may have undone the whole transaction
            self.rollback_group()
            raise ArchiveWriteError(f"the catalog cannot be written: {error}") from error
        except BaseException:
            self._db.execute("ROLLBACK TO SAVEPOINT congvan_write")
            self._db.execute("RELEASE SAVEPOINT congvan_write")
            raise
        self._db.execute("RELEASE SAVEPOINT congvan_write")

    def begin_group(self) -> None:
        if self._grouped:
            raise RuntimeError("a group of writes is already open")
        try:
            self._begin()
        except self._CANNOT_WRITE as error:
            self._rollback()
            raise ArchiveWriteError(f"the catalog cannot be written: {error}") from error
        self._grouped = True

    def commit_group(self) -> None:
        if not self._grouped:
            return
        self._grouped = False
        try:
            self._db.execute("COMMIT")
        except self._ENGINE_ERROR as error:
            self._rollback()
            raise ArchiveWriteError(f"the catalog cannot be written: {error}") from error

    def rollback_group(self) -> None:
        if self._grouped:
            self._grouped = False
            self._rollback()

    # -- moving up: the whole catalog into another ---------------------------------------------

    def copy_into(self, target: CatalogStore, *,
                  on_table: Callable[[str, int], None] | None = None) -> dict[str, int]:
        """Copy every row of this catalog into `target`, an empty catalog of the same schema
        version (another engine, say: `congvan migrate`), in one transaction of the target's;
        rows copied per table. The tables go in the order the migrations made them, so a
        letter's rows follow the letter."""
        if not isinstance(target, SqlCatalog):
            raise UsageError(f"cannot copy a catalog into {type(target).__name__}")
        if self.schema_version() != target.schema_version():
            raise UsageError(f"the catalogs' schema versions differ: {self.schema_version()} "
                             f"here, {target.schema_version()} at {target._where}")
        tables = _tables()
        filled = [t for t in tables if target._db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone()]
        if filled:
            raise UsageError(f"the catalog at {target._where} is not empty "
                             f"(rows in {', '.join(filled)}): congvan copies only into an "
                             "empty one")
        counts: dict[str, int] = {}
        with target._transaction() as db:
            for table in tables:
                counts[table] = 0
                batch: list[tuple[Any, ...]] = []
                insert = ""
                for row in self._stream(f"SELECT * FROM {table}"):
                    if not insert:
                        columns = list(row.keys())
                        flags = [column in _BOOLEAN_COLUMNS for column in columns]
                        insert = (f"INSERT INTO {table} ({', '.join(columns)}) "
                                  f"VALUES ({', '.join('?' * len(columns))})")
                    # SQLite keeps booleans as 0 and 1; PostgreSQL wants them as booleans.
                    batch.append(tuple(bool(v) if flag and v is not None else v
                                       for v, flag in zip(row, flags, strict=True)))
                    if len(batch) == 1000:
                        db.executemany(insert, batch)
                        counts[table] += len(batch)
                        batch.clear()
                if batch:
                    db.executemany(insert, batch)
                    counts[table] += len(batch)
                if on_table:
                    on_table(table, counts[table])
        return counts

    def table_counts(self) -> dict[str, int]:
        """Rows per table (what `congvan migrate` compares after copying)."""
        return {table: int(self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
                for table in _tables()}

    # -- schema -------------------------------------------------------------------------------

    def schema_version(self) -> int:
        if not self._has_table("schema_version"):
            return 0
        row = self._db.execute("SELECT version FROM schema_version").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self, migrations: Sequence[Migration]) -> None:
        """Apply, in order and in one transaction, the migrations the catalog has not had."""
        latest = migrations[-1].number if migrations else 0
        if self.schema_version() == latest:  # the usual case: nothing to write
            return
        with self._transaction() as db:
            db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            current = self.schema_version()  # again: another process may have migrated it
            if current > latest:  # never write an older version number over a newer schema
                raise MachineError(
                    f"the catalog {self._where} has schema version {current}, newer than this "
                    f"congvan knows ({latest}): update congvan"
                )
            for migration in migrations:
                if migration.number > current:
                    for statement in migration.statements():
                        db.execute(self._migration_statement(statement))
            db.execute("DELETE FROM schema_version")
            db.execute("INSERT INTO schema_version (version) VALUES (?)", (latest,))

    def integrity_problems(self) -> list[str]:
        problems = self._engine_problems()
        orphans = {
            "letters without a file": "SELECT COUNT(*) FROM documents d WHERE NOT EXISTS "
            "(SELECT 1 FROM files f WHERE f.document_id = d.id)",
            "letters without pages": "SELECT COUNT(*) FROM documents d WHERE NOT EXISTS "
            "(SELECT 1 FROM pages p WHERE p.document_id = d.id)",
        }
        for what, sql in orphans.items():
            count = self._db.execute(sql).fetchone()[0]
            if count:
                problems.append(f"{what}: {count}")
        return problems

    # -- writes -------------------------------------------------------------------------------

    def add_document(self, record: DocumentRecord,
                     duplicates: Sequence[DuplicateFlag] = ()) -> bool:
        try:
            with self._transaction() as db:
                _insert_document(db, record, packed=self._packs_text,
                                 typed=self._types_citations, tracked=self._tracks_deadlines)
                if duplicates:
                    db.executemany(
                        "INSERT INTO possible_duplicates (document_id, other_id, reason, "
                        "similarity, found_at) VALUES (?, ?, ?, ?, ?)",
                        [(record.id, flag.other_id, flag.reason, flag.similarity, now_iso())
                         for flag in duplicates],
                    )
                    db.execute("UPDATE documents SET needs_review = TRUE WHERE id = ?",
                               (record.id,))
                self._record_change(db, record.id, ADDED)
                self._record_cited_changes(db, record.id)
        except self._INTEGRITY_ERROR:
            if self.document_for_sha256(record.sha256) is None:
                raise
            return False
        return True

    def replace_metadata(self, document_id: str, metadata: LetterMetadata) -> None:
        with self._transaction() as db:
            corrected = _corrected_values(db, document_id)
            before = self._validity_targets(db, document_id)
            _write_metadata(db, document_id, overlay(metadata, corrected),
                            machine=metadata if corrected else None,
                            typed=self._types_citations, tracked=self._tracks_deadlines)
            self._record_change(db, document_id, CHANGED)
            self._record_cited_changes(db, document_id, before)

    def correct_metadata(self, document_id: str, values: dict[str, Any],
                         actor: str) -> list[FieldChange]:
        changes: list[FieldChange] = []
        with self._transaction() as db:
            row = db.execute(
                f"SELECT {_RECORD_COLUMNS}, machine_json, extractor_version FROM documents "
                "WHERE id = ?", (document_id,)
            ).fetchone()
            if row is None:
                raise LookupError(document_id)
            machine = _machine_metadata(row)
            corrected = _corrected_values(db, document_id)
            effective = overlay(machine, corrected)
            at = now_precise()
            for name, new in values.items():
                old = field_value(effective, name)
                if same_value(name, old, new):
                    continue
                changes.append(FieldChange(name, old, new, actor, at))
                corrected[name] = new
                db.execute("DELETE FROM corrections WHERE document_id = ? AND field = ?",
                           (document_id, name))
                db.execute(
                    "INSERT INTO corrections (document_id, field, value_json, actor, at) "
                    "VALUES (?, ?, ?, ?, ?)", (document_id, name, _json(new), actor, at))
                _add_history(db, document_id, changes[-1])
            if changes:
                before = self._validity_targets(db, document_id)
                _write_metadata(db, document_id, overlay(machine, corrected), machine=machine,
                                version=row["extractor_version"], typed=self._types_citations,
                                tracked=self._tracks_deadlines)
                self._record_change(db, document_id, CHANGED)
                self._record_cited_changes(db, document_id, before)
        return changes

    def add_note(self, document_id: str, text: str, actor: str) -> NoteRecord:
        note = NoteRecord(uuid.uuid4().hex, document_id, text, actor, now_precise())
        with self._transaction() as db:
            found = db.execute("SELECT 1 FROM documents WHERE id = ?", (document_id,))
            if found.fetchone() is None:
                raise LookupError(document_id)
            db.execute("INSERT INTO notes (id, document_id, text, actor, at) "
                       "VALUES (?, ?, ?, ?, ?)",
                       (note.id, document_id, text, actor, note.at))
            texts = [r[0] for r in db.execute(
                "SELECT text FROM notes WHERE document_id = ? ORDER BY at, id", (document_id,))]
            db.execute("UPDATE documents SET notes_text = ? WHERE id = ?",
                       ("\n\n".join(texts), document_id))
            _add_history(db, document_id, FieldChange("note", None, text, actor, note.at))
            self._record_change(db, document_id, CHANGED)
        return note

    def log_ingest(self, entry: dict[str, Any]) -> None:
        columns = list(entry)
        with self._transaction() as db:
            db.execute(
                f"INSERT INTO ingest_log ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})",
                [entry[c] for c in columns],
            )

    # -- reads --------------------------------------------------------------------------------

    def document_for_sha256(self, sha256: str) -> str | None:
        row = self._db.execute(
            "SELECT document_id FROM files WHERE sha256 = ?", (sha256,)
        ).fetchone()
        return row[0] if row else None

    def document_ids(self) -> list[str]:
        return [row[0] for row in self._db.execute(
            f"SELECT id FROM documents WHERE {_KEPT} ORDER BY id")]

    def get_document(self, document_id: str) -> dict[str, Any] | None:
        row = self._db.execute(
            f"SELECT d.*, v.strength AS validity FROM documents d {_validity_join('AND t.id = ?')} "
            "WHERE d.id = ?", (document_id, document_id)).fetchone()
        if row is None:
            return None
        document = _document(row)
        document["files"] = self._rows("SELECT * FROM files WHERE document_id = ?", document_id)
        document["pages"] = self._rows(
            "SELECT page_no, text, text_z, ocr, ocr_confidence FROM pages WHERE document_id = ? "
            "ORDER BY page_no",
            document_id,
        )
        for page in document["pages"]:
            packed = page.pop("text_z")
            if packed is not None:
                page["text"] = unpack_with(packed, document["text"])
        return document

    def iter_documents(self) -> Iterator[dict[str, Any]]:
        for row in self._stream(
            "SELECT d.*, f.original_name, f.sha256, f.media_type, v.strength AS validity "
            f"FROM documents d JOIN files f ON f.document_id = d.id {_validity_join()} "
            f"WHERE d.{_KEPT} ORDER BY d.id"
        ):
            yield _document(row)

    def index_stamps(self, ids: Sequence[str] | None = None
                     ) -> Iterator[tuple[str, tuple[Any, ...]]]:
        select = ("SELECT d.id, d.metadata_json, d.text_z, d.metadata_z, d.filename, "
                  "d.extractor_version, f.original_name, d.notes_text, d.flag_changed_at, "
                  "v.strength FROM documents d JOIN files f ON f.document_id = d.id {validity} "
                  f"WHERE d.{_KEPT}")
        if ids is None:
            for row in self._stream(select.format(validity=_validity_join())):
                yield row[0], _stamp_values(row)
            return
        ids = list(ids)
        for start in range(0, len(ids), 400):  # under every engine's limit of parameters
            chunk = ids[start:start + 400]
            marks = ", ".join("?" * len(chunk))
            sql = select.format(validity=_validity_join(f"AND t.id IN ({marks})"))
            for row in self._db.execute(f"{sql} AND d.id IN ({marks})",
                                        [*chunk, *chunk]).fetchall():
                yield row[0], _stamp_values(row)

    def iter_documents_unordered(self) -> Iterator[dict[str, Any]]:
        for row in self._stream(
            "SELECT d.*, f.original_name, f.sha256, f.media_type, v.strength AS validity "
            f"FROM documents d JOIN files f ON f.document_id = d.id {_validity_join()} "
            f"WHERE d.{_KEPT}"
        ):
            document = dict(row)
            text = _stored_text(row)
            document.update(text=text, metadata_json=_stored_record(row, text),
                            record_stamp=_record_stamp(row),
                            validity=_validity(row["validity"]),
                            validity_stamp=_validity_stamp(row["validity"]))
            for column in ("machine_json", "text_z", "metadata_z"):
                del document[column]
            yield document

    def corrections(self, document_id: str) -> dict[str, Correction]:
        return {
            row["field"]: Correction(row["field"], json.loads(row["value_json"]), row["actor"],
                                     row["at"])
            for row in self._rows(
                "SELECT field, value_json, actor, at FROM corrections WHERE document_id = ?",
                document_id)
        }

    def machine_metadata(self, document_id: str) -> LetterMetadata | None:
        row = self._db.execute(
            f"SELECT {_RECORD_COLUMNS}, machine_json FROM documents WHERE id = ?", (document_id,)
        ).fetchone()
        return _machine_metadata(row) if row else None

    def document_history(self, document_id: str) -> list[FieldChange]:
        return [
            FieldChange(row["field"], _unjson(row["old_json"]), _unjson(row["new_json"]),
                        row["actor"], row["at"])
            for row in self._rows(
                "SELECT field, old_json, new_json, actor, at FROM document_history "
                "WHERE document_id = ? ORDER BY at DESC, id", document_id)
        ]

    def notes(self, document_id: str) -> list[NoteRecord]:
        return [NoteRecord(**row) for row in self._rows(
            "SELECT id, document_id, text, actor, at FROM notes WHERE document_id = ? "
            "ORDER BY at, id", document_id)]

    def cited_keys(self, document_id: str) -> list[tuple[str, str, str | None]]:
        relation = "MIN(relation)" if self._types_citations else "NULL"
        rows = self._db.execute(
            f"SELECT cited_key, MIN(reference), {relation} FROM citations WHERE document_id = ? "
            "GROUP BY cited_key ORDER BY MIN(position)",
            (document_id,),
        )
        return [(row[0], row[1], row[2]) for row in rows]

    def relations_from(self, document_id: str, relations: Sequence[str] | None = None
                       ) -> list[dict[str, Any]]:
        return self._relations("s.id = ?", document_id, relations, other="t")

    def relations_to(self, document_id: str, relations: Sequence[str] | None = None
                     ) -> list[dict[str, Any]]:
        return self._relations("t.id = ?", document_id, relations, other="s")

    def _relations(self, where: str, document_id: str, relations: Sequence[str] | None, *,
                   other: str) -> list[dict[str, Any]]:
        """Citations between archived letters: `s` cites `t` (by its number); the columns of
        `other` (the letter at the far end) with the citation's relation and scope."""
        if not self._types_citations:
            return []
        chosen = ""
        if relations is not None:
            if not relations:
                return []
            chosen = f" AND c.relation IN ({', '.join('?' * len(relations))})"
        o = other
        return self._rows(
            f"SELECT DISTINCT {o}.id, {o}.reference, {o}.symbol, {o}.doc_type, {o}.issuer, "
            f"{o}.issued_date, {o}.subject, {o}.ref_key, c.relation, c.scope "
            "FROM citations c JOIN documents s ON s.id = c.document_id "
            "JOIN documents t ON t.ref_key = c.cited_key "
            f"WHERE {where} AND s.id <> t.id AND s.{_KEPT} AND t.{_KEPT}{chosen} "
            f"ORDER BY {o}.issued_date, {o}.id",
            document_id, *(relations or ()))

    def document_summary(self, document_id: str) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT id, reference, doc_type, issuer, issued_date, subject, ref_key, deleted_at "
            "FROM documents WHERE id = ?",
            (document_id,),
        ).fetchone()
        return dict(row) if row else None

    def citing(self, cited_key: str) -> list[dict[str, Any]]:
        typed = "c.relation, c.scope" if self._types_citations else "NULL AS relation, " \
            "NULL AS scope"
        return self._rows(
            "SELECT DISTINCT d.id, d.reference, d.symbol, d.doc_type, d.issuer, d.issued_date, "
            f"d.subject, {typed} FROM citations c JOIN documents d ON d.id = c.document_id "
            f"WHERE c.cited_key = ? AND d.{_KEPT} ORDER BY d.issued_date DESC",
            cited_key,
        )

    def documents_with_key(self, ref_key: str) -> list[str]:
        return [
            row[0]
            for row in self._db.execute(
                f"SELECT id FROM documents WHERE ref_key = ? AND {_KEPT}", (ref_key,))
        ]

    def unarchived_citations(self) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT c.cited_key, MIN(c.reference) AS reference, MIN(c.doc_type) AS doc_type, "
            "MIN(c.issuer) AS issuer, MIN(c.cited_date) AS cited_date, "
            "COUNT(DISTINCT c.document_id) AS citing_count FROM citations c "
            "JOIN documents citing ON citing.id = c.document_id "
            f"WHERE citing.{_KEPT} AND NOT EXISTS "
            f"(SELECT 1 FROM documents d WHERE d.ref_key = c.cited_key AND d.{_KEPT}) "
            "GROUP BY c.cited_key ORDER BY citing_count DESC, c.cited_key"
        )

    def assignee_counts(self) -> list[tuple[str, int]]:
        rows = self._db.execute(
            "SELECT a.assignee, COUNT(*) FROM task_assignees a "
            f"JOIN documents d ON d.id = a.document_id WHERE d.{_KEPT} GROUP BY a.assignee"
        )
        return [(row[0], row[1]) for row in rows]

    def assignments_newest_first(self) -> Generator[tuple[str, str, int], None, None]:
        # CROSS JOIN keeps SQLite walking the letters in archive order (no sort of everything).
        for row in self._stream(
            "SELECT a.assignee, a.document_id, a.task_position "
            "FROM documents d CROSS JOIN task_assignees a WHERE a.document_id = d.id "
            f"AND d.{_KEPT} ORDER BY d.ingested_at DESC, d.id, a.task_position"
        ):
            yield row[0], row[1], row[2]

    def tasks_at(self, keys: list[tuple[str, int]]) -> dict[tuple[str, int], dict[str, Any]]:
        found: dict[tuple[str, int], dict[str, Any]] = {}
        for start in range(0, len(keys), 400):  # keep under SQLite's limit of parameters
            batch = keys[start : start + 400]
            where = " OR ".join("(t.document_id = ? AND t.position = ?)" for _ in batch)
            for row in self._rows(
                "SELECT d.id, d.reference, d.symbol, d.doc_type, d.issuer, d.issued_date, "
                "d.date_precision, d.ref_key, t.position, t.label, t.text, t.text_as_read, "
                "t.deadline, t.deadlines_json, d.metadata_z IS NOT NULL AS packed "
                f"FROM tasks t JOIN documents d ON d.id = t.document_id WHERE {where}",
                *(value for key in batch for value in key),
            ):
                found[(row["id"], row["position"])] = {**row, "assignees": []}
            where = " OR ".join("(document_id = ? AND task_position = ?)" for _ in batch)
            for name, document_id, position in self._db.execute(
                "SELECT assignee, document_id, task_position FROM task_assignees "
                f"WHERE {where} ORDER BY position", [v for key in batch for v in key]
            ):
                if (document_id, position) in found:
                    found[(document_id, position)]["assignees"].append(name)
        records: dict[str, LetterMetadata] = {}  # a task's text is its letter's record's
        for (document_id, position), row in found.items():
            if row.pop("packed"):
                if document_id not in records:
                    records[document_id] = _stored_metadata(self._db.execute(
                        f"SELECT {_RECORD_COLUMNS} FROM documents WHERE id = ?",
                        (document_id,)).fetchone())
                task = records[document_id].tasks[position]
                row.update(text=task.text, text_as_read=task.text_as_read)
        return found

    def unassigned_tasks(self, limit: int) -> tuple[int, list[dict[str, Any]]]:
        count = self._db.execute(
            f"SELECT COUNT(*) FROM tasks t JOIN documents d ON d.id = t.document_id "
            f"WHERE d.{_KEPT}"
        ).fetchone()[0] - self._db.execute(
            "SELECT COUNT(*) FROM (SELECT DISTINCT a.document_id, a.task_position "
            f"FROM task_assignees a JOIN documents d ON d.id = a.document_id "
            f"WHERE d.{_KEPT}) assigned"
        ).fetchone()[0]
        keys = [
            (row[0], row[1])
            for row in self._db.execute(
                "SELECT t.document_id, t.position FROM documents d CROSS JOIN tasks t "
                f"WHERE t.document_id = d.id AND d.{_KEPT} AND NOT EXISTS "
                "(SELECT 1 FROM task_assignees a "
                "WHERE a.document_id = t.document_id AND a.task_position = t.position) "
                "ORDER BY d.ingested_at DESC, d.id, t.position LIMIT ?",
                (limit,),
            )
        ]
        found = self.tasks_at(keys)
        return int(count), [found[key] for key in keys]

    def task_keys(self, *, assignees: Sequence[str] | None = None,
                  issuers: Sequence[str] | None = None) -> list[tuple[str, int]]:
        order = "ORDER BY d.issued_date DESC, d.id, t.position"
        if assignees is None and issuers is None:
            return [(row[0], row[1]) for row in self._db.execute(
                "SELECT t.document_id, t.position FROM tasks t JOIN documents d "
                f"ON d.id = t.document_id WHERE d.{_KEPT} {order}")]
        keys: list[tuple[str, int]] = []
        names = list(assignees or [])
        for start in range(0, len(names), 400):
            batch = names[start:start + 400]
            keys.extend((row[0], row[1]) for row in self._db.execute(
                "SELECT DISTINCT t.document_id, t.position, d.issued_date, d.id FROM tasks t "
                "JOIN documents d ON d.id = t.document_id JOIN task_assignees a ON "
                "a.document_id = t.document_id AND a.task_position = t.position "
                f"WHERE d.{_KEPT} AND a.assignee IN ({', '.join('?' for _ in batch)}) "
                f"{order}", batch))
        bodies = list(issuers or [])
        for start in range(0, len(bodies), 400):
            batch = bodies[start:start + 400]
            keys.extend((row[0], row[1]) for row in self._db.execute(
                "SELECT t.document_id, t.position FROM tasks t JOIN documents d "
                f"ON d.id = t.document_id WHERE d.{_KEPT} AND d.issuer IN "
                f"({', '.join('?' for _ in batch)}) {order}", batch))
        return list(dict.fromkeys(keys))

    def assignee_issuers(self) -> list[tuple[str, str | None, int]]:
        return [(row[0], row[1], row[2]) for row in self._db.execute(
            "SELECT a.assignee, d.issuer, COUNT(*) FROM task_assignees a "
            f"JOIN documents d ON d.id = a.document_id WHERE d.{_KEPT} "
            "GROUP BY a.assignee, d.issuer")]

    def issuer_task_counts(self) -> list[tuple[str, int]]:
        return [(row[0], row[1]) for row in self._db.execute(
            "SELECT d.issuer, COUNT(*) FROM tasks t JOIN documents d ON d.id = t.document_id "
            f"WHERE d.{_KEPT} AND d.issuer IS NOT NULL GROUP BY d.issuer")]

    def letters_citing(self, keys: Sequence[str]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        wanted = list(dict.fromkeys(keys))
        for start in range(0, len(wanted), 400):
            batch = wanted[start:start + 400]
            rows.extend(self._rows(
                "SELECT DISTINCT c.cited_key, c.relation, d.id, d.reference, d.doc_type, "
                "d.issuer, d.issued_date, d.subject FROM citations c JOIN documents d "
                f"ON d.id = c.document_id WHERE d.{_KEPT} AND c.cited_key IN "
                f"({', '.join('?' for _ in batch)}) ORDER BY d.issued_date, d.id", *batch))
        return rows

    def task_statuses(self, document_ids: Sequence[str]) -> dict[tuple[str, str], TaskStatus]:
        found: dict[tuple[str, str], TaskStatus] = {}
        wanted = list(dict.fromkeys(document_ids))
        for start in range(0, len(wanted), 400):
            batch = wanted[start:start + 400]
            for row in self._rows(
                "SELECT document_id, task_key, status, note, actor, at FROM task_status "
                f"WHERE document_id IN ({', '.join('?' for _ in batch)})", *batch
            ):
                found[(row["document_id"], row["task_key"])] = TaskStatus(**row)
        return found

    def set_task_status(self, document_id: str, task_key: str, status: str, note: str | None,
                        actor: str, *, label: str = "") -> TaskStatus:
        if status not in (TASK_DONE, TASK_OPEN):
            raise ValueError(f"unknown task status {status!r}")
        record = TaskStatus(document_id, task_key, status, note, actor, now_precise())
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM documents WHERE id = ?",
                          (document_id,)).fetchone() is None:
                raise LookupError(document_id)
            old = db.execute("SELECT status FROM task_status WHERE document_id = ? AND "
                             "task_key = ?", (document_id, task_key)).fetchone()
            db.execute("DELETE FROM task_status WHERE document_id = ? AND task_key = ?",
                       (document_id, task_key))
            db.execute("INSERT INTO task_status (document_id, task_key, status, note, actor, at) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       (document_id, task_key, status, note, actor, record.at))
            _add_history(db, document_id, FieldChange(
                "task", {"task": label, "status": old[0] if old else None},
                {"task": label, "status": status, "note": note}, actor, record.at))
        return record

    def latest_documents(self, limit: int) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT id, reference, symbol, doc_type, issuer, issued_date, date_precision, "
            f"subject, filename, ingested_at FROM documents WHERE {_KEPT} "
            "ORDER BY ingested_at DESC, id LIMIT ?",
            limit,
        )

    def stats(self) -> dict[str, int]:
        def count(sql: str) -> int:
            return int(self._db.execute(sql).fetchone()[0] or 0)

        return {
            "documents": count(f"SELECT COUNT(*) FROM documents WHERE {_KEPT}"),
            "pages": count(f"SELECT COUNT(*) FROM pages p {_OF_KEPT.format('p')}"),
            "ocr_pages": count(f"SELECT COUNT(*) FROM pages p {_OF_KEPT.format('p')} AND p.ocr"),
            "citations": count(f"SELECT COUNT(*) FROM citations c {_OF_KEPT.format('c')}"),
            "needs_review": count(
                f"SELECT COUNT(*) FROM documents WHERE needs_review AND {_KEPT}"),
            "trashed": count("SELECT COUNT(*) FROM documents WHERE deleted_at IS NOT NULL"),
            "failed": count(
                "SELECT COUNT(DISTINCT COALESCE(sha256, path)) FROM ingest_log l "
                "WHERE outcome = 'failed' AND NOT EXISTS "
                "(SELECT 1 FROM files f WHERE f.sha256 = l.sha256)"
            ),
        }

    def ingest_log(self, batch_id: str | None = None) -> list[dict[str, Any]]:
        if batch_id is not None:
            return self._rows("SELECT * FROM ingest_log WHERE batch_id = ? "
                              "ORDER BY logged_at, id", batch_id)
        return self._rows("SELECT * FROM ingest_log ORDER BY logged_at, id")

    # -- accounts -------------------------------------------------------------------------------

    def set_user(self, username: str, password_hash: str, role: str = DEFAULT_ROLE) -> None:
        check_role(role)
        with self._transaction() as db:
            db.execute(
                "INSERT INTO users (username, password_hash, created_at, role) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, "
                "created_at = excluded.created_at",
                (username, password_hash, now_iso(), role),
            )

    def password_hash(self, username: str) -> str | None:
        row = self._db.execute(
            "SELECT password_hash FROM users WHERE username = ?", (username,)
        ).fetchone()
        return row[0] if row else None

    def get_user(self, username: str) -> UserRecord | None:
        row = self._db.execute(
            f"SELECT {_USER_COLUMNS} FROM users WHERE username = ?", (username,)
        ).fetchone()
        return _user(row) if row else None

    def list_users(self) -> list[UserRecord]:
        return [
            _user(row)
            for row in self._db.execute(f"SELECT {_USER_COLUMNS} FROM users ORDER BY username")
        ]

    def set_role(self, username: str, role: str) -> bool:
        check_role(role)
        with self._transaction() as db:
            return db.execute(
                "UPDATE users SET role = ? WHERE username = ?", (role, username)
            ).rowcount > 0

    def set_enabled(self, username: str, enabled: bool) -> bool:
        with self._transaction() as db:
            found = db.execute(
                "UPDATE users SET enabled = ? WHERE username = ?", (enabled, username)
            ).rowcount > 0
            if found and not enabled:
                db.execute("DELETE FROM sessions WHERE username = ?", (username,))
            return found

    def record_login(self, username: str, at: str) -> None:
        with self._transaction() as db:
            db.execute("UPDATE users SET last_login = ? WHERE username = ?", (at, username))

    # -- API tokens -----------------------------------------------------------------------------

    def add_api_token(self, token_hash: str, username: str, created_at: str) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO api_tokens (token_hash, username, created_at) VALUES (?, ?, ?)",
                (token_hash, username, created_at),
            )

    def api_token_user(self, token_hash: str, used_at: str) -> str | None:
        row = self._db.execute(
            "SELECT username, last_used FROM api_tokens WHERE token_hash = ?", (token_hash,)
        ).fetchone()
        if row is None:
            return None
        if (row[1] or "")[:16] != used_at[:16]:  # written at most once a minute
            try:
                with self._transaction() as db:
                    db.execute("UPDATE api_tokens SET last_used = ? WHERE token_hash = ?",
                               (used_at, token_hash))
            except ArchiveWriteError:
                pass  # a busy or read-only catalog must not stop a script from reading
        return str(row[0])

    def revoke_api_tokens(self, username: str) -> int:
        with self._transaction() as db:
            return db.execute("DELETE FROM api_tokens WHERE username = ?", (username,)).rowcount

    # -- the audit log --------------------------------------------------------------------------

    def audit(
        self,
        action: str,
        actor: str | None,
        target: str | None = None,
        detail: dict[str, Any] | None = None,
        *,
        address: str | None = None,
    ) -> None:
        detail_json = json.dumps(detail, ensure_ascii=False, default=str) if detail else None
        with self._transaction() as db:
            # Ids we compute (no AUTOINCREMENT): writers queue for the write lock, so max + 1
            # is free; they also order the entries of one second.
            next_id = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM audit_log").fetchone()[0]
            db.execute(
                "INSERT INTO audit_log (id, at, actor, action, target, detail_json, address) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (next_id, now_iso(), actor, action, target, detail_json, address),
            )

    def audit_entries(
        self, *, action: str | None = None, actor: str | None = None, limit: int = 50,
        offset: int = 0,
    ) -> tuple[int, list[AuditEntry]]:
        where, params = _audit_filter(action, actor)
        total = self._db.execute(f"SELECT COUNT(*) FROM audit_log{where}", params).fetchone()[0]
        rows = self._db.execute(
            f"SELECT * FROM audit_log{where} ORDER BY id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return int(total), [_audit_entry(row) for row in rows]

    def iter_audit(
        self, *, action: str | None = None, actor: str | None = None
    ) -> Iterator[AuditEntry]:
        where, params = _audit_filter(action, actor)
        for row in self._db.execute(f"SELECT * FROM audit_log{where} ORDER BY id DESC", params):
            yield _audit_entry(row)

    def prune_audit(self, before: str) -> int:
        with self._transaction() as db:
            return db.execute("DELETE FROM audit_log WHERE at < ?", (before,)).rowcount

    # -- sessions and login failures -----------------------------------------------------------
    # A session is known by the SHA-256 of its cookie token, so a copy of the catalog does not
    # hand out live sessions; deleting the row ends the session wherever its cookie is.

    def add_session(self, record: SessionRecord) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO sessions (token_hash, username, address, created_at, last_seen, "
                "expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                (record.token_hash, record.username, record.address, record.created_at,
                 record.last_seen, record.expires_at),
            )

    def get_session(self, token_hash: str) -> SessionRecord | None:
        row = self._db.execute(
            "SELECT token_hash, username, address, created_at, last_seen, expires_at "
            "FROM sessions WHERE token_hash = ?",
            (token_hash,),
        ).fetchone()
        return SessionRecord(**dict(row)) if row else None

    def touch_session(self, token_hash: str, last_seen: float) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE sessions SET last_seen = ? WHERE token_hash = ?", (last_seen, token_hash)
            )

    def delete_session(self, token_hash: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))

    def delete_user_sessions(self, username: str) -> int:
        with self._transaction() as db:
            return db.execute("DELETE FROM sessions WHERE username = ?", (username,)).rowcount

    def prune_sessions(self, now: float, idle_before: float) -> int:
        with self._transaction() as db:
            return db.execute(
                "DELETE FROM sessions WHERE expires_at <= ? OR last_seen < ?", (now, idle_before)
            ).rowcount

    def add_login_failure(
        self, address: str, username: str, failed_at: float, forget_before: float
    ) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM login_failures WHERE failed_at < ?", (forget_before,))
            db.execute(
                "INSERT INTO login_failures (address, username, failed_at) VALUES (?, ?, ?)",
                (address, username, failed_at),
            )

    def login_failures_since(self, since: float, *, address: str, username: str) -> LoginFailures:
        by_address = self._db.execute(
            "SELECT COUNT(*) FROM login_failures WHERE address = ? AND failed_at >= ?",
            (address, since),
        ).fetchone()[0]
        by_account = self._db.execute(
            "SELECT COUNT(*) FROM login_failures WHERE username = ? AND failed_at >= ?",
            (username, since),
        ).fetchone()[0]
        return LoginFailures(by_address=int(by_address), by_account=int(by_account))

    def clear_login_failures(self, username: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM login_failures WHERE username = ?", (username,))

    # -- the review queue ------------------------------------------------------------------------

    def review_queue(self, limit: int, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        total = self._db.execute(
            f"SELECT COUNT(*) FROM documents WHERE needs_review AND {_KEPT}"
        ).fetchone()[0]
        rows = self._rows(
            "SELECT id, reference, symbol, doc_type, issuer, issued_date, date_precision, "
            f"subject, filename, ingested_at, {_RECORD_COLUMNS} FROM documents "
            f"WHERE needs_review AND {_KEPT} ORDER BY ingested_at, id LIMIT ? OFFSET ?",
            limit, offset,
        )
        for row in rows:
            record = json.loads(_stored_record(row, _stored_text(row)))
            for column in _RECORD_COLUMNS.split(", "):
                del row[column]
            row["review"] = list(record.get("review") or [])
            if self._db.execute("SELECT 1 FROM possible_duplicates WHERE document_id = ?",
                                (row["id"],)).fetchone():
                row["review"].append(POSSIBLE_DUPLICATE)
        return int(total), rows

    def mark_reviewed(self, document_id: str, actor: str) -> None:
        with self._transaction() as db:
            row = db.execute("SELECT text, text_z FROM documents WHERE id = ?",
                             (document_id,)).fetchone()
            if row is None:
                raise LookupError(document_id)
            db.execute(
                "UPDATE documents SET reviewed_by = ?, reviewed_at = ?, reviewed_text_hash = ? "
                "WHERE id = ?",
                (actor, now_iso(), _text_hash(_stored_text(row)), document_id),
            )
            db.execute("DELETE FROM possible_duplicates WHERE document_id = ?", (document_id,))
            _settle_review(db, document_id)
            self._record_change(db, document_id, CHANGED)

    # -- possible duplicates and versions -------------------------------------------------------

    def store_signatures(self, signatures: Sequence[tuple[str, str, Sequence[str]]]) -> None:
        with self._transaction() as db:
            for document_id, minhash, buckets in signatures:
                db.execute("DELETE FROM text_bands WHERE document_id = ?", (document_id,))
                db.execute("DELETE FROM text_signatures WHERE document_id = ?", (document_id,))
                db.execute("INSERT INTO text_signatures (document_id, minhash) VALUES (?, ?)",
                           (document_id, minhash))
                db.executemany(
                    "INSERT INTO text_bands (document_id, band, bucket) VALUES (?, ?, ?)",
                    [(document_id, band, bucket) for band, bucket in enumerate(buckets)],
                )

    def unsigned_texts(self, limit: int) -> list[tuple[str, str]]:
        # Every batch asks. Counted on the indexes first (a signature belongs to one letter),
        # then looked for on them: the letters' own rows, 100,000 of them, are not read.
        letters, signed = self._db.execute(
            "SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM text_signatures)"
        ).fetchone()
        if letters == signed:
            return []
        ids = [row[0] for row in self._db.execute(
            "SELECT d.id FROM documents d WHERE NOT EXISTS "
            "(SELECT 1 FROM text_signatures s WHERE s.document_id = d.id) ORDER BY d.id LIMIT ?",
            (limit,))]
        texts = []
        for start in range(0, len(ids), 400):  # under SQLite's limit of parameters
            batch = ids[start : start + 400]
            texts += [(row[0], _stored_text(row)) for row in self._db.execute(
                "SELECT id, text, text_z FROM documents WHERE id IN "
                f"({', '.join('?' for _ in batch)}) ORDER BY id", batch)]
        return texts

    def signatures_sharing_bands(self, buckets: Sequence[str], at_least: int = 1
                                 ) -> dict[str, str]:
        # A bucket's size is counted on its index alone; the letters of all but the largest
        # `at_least - 1` buckets are read, and each one found is then looked up, by its key, in
        # the largest buckets (in a templated archive those hold a good share of all letters).
        sizes = [self._db.execute(
            "SELECT COUNT(*) FROM text_bands WHERE band = ? AND bucket = ?", (band, bucket)
        ).fetchone()[0] for band, bucket in enumerate(buckets)]
        by_size = sorted(range(len(buckets)), key=sizes.__getitem__)
        cut = len(buckets) - at_least + 1
        read, looked_up = by_size[:cut], by_size[cut:]
        shared: dict[str, int] = {}
        for band in read:
            if sizes[band]:
                for row in self._db.execute(
                    "SELECT document_id FROM text_bands WHERE band = ? AND bucket = ?",
                    (band, buckets[band]),
                ):
                    shared[row[0]] = shared.get(row[0], 0) + 1
        for position, band in enumerate(looked_up):
            left = len(looked_up) - position  # buckets still to look in, this one included
            maybe = [d for d, count in shared.items() if at_least > count >= at_least - left]
            for start in range(0, len(maybe), 400):  # under SQLite's limit of parameters
                batch = maybe[start : start + 400]
                # `bucket || ''`: found by the letter's key, not by scanning the bucket's index
                for row in self._db.execute(
                    "SELECT document_id FROM text_bands WHERE band = ? AND bucket || '' = ? "
                    f"AND document_id IN ({', '.join('?' for _ in batch)})",
                    (band, buckets[band], *batch),
                ):
                    shared[row[0]] += 1
        return self.signatures_of([d for d, count in shared.items() if count >= at_least])

    def signatures_of(self, ids: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(ids), 400):
            batch = list(ids[start : start + 400])
            for row in self._db.execute(
                "SELECT s.document_id, s.minhash FROM text_signatures s "
                f"{_OF_KEPT.format('s')} AND s.document_id IN "
                f"({', '.join('?' for _ in batch)})",
                batch,
            ):
                found[row[0]] = row[1]
        return found

    def possible_duplicates(self, document_id: str) -> list[dict[str, Any]]:
        rows = self._rows(
            "SELECT p.other_id AS other, p.reason, p.similarity, p.found_at "
            "FROM possible_duplicates p WHERE p.document_id = ? "
            "UNION SELECT p.document_id AS other, p.reason, p.similarity, p.found_at "
            "FROM possible_duplicates p WHERE p.other_id = ?",
            document_id, document_id,
        )
        found = []
        for row in rows:
            summary = self.document_summary(row["other"])
            if summary is not None and not summary.get("deleted_at"):
                found.append({**summary, "reason": row["reason"],
                              "similarity": row["similarity"]})
        return found

    def link_versions(self, issued_id: str, other_id: str, actor: str) -> None:
        if issued_id == other_id:
            raise ValueError("a letter is not a version of itself")
        with self._transaction() as db:
            for document_id in (issued_id, other_id):
                if db.execute(f"SELECT 1 FROM documents WHERE id = ? AND {_KEPT}",
                              (document_id,)).fetchone() is None:
                    raise LookupError(document_id)
            members: list[str] = []
            for document_id in (issued_id, other_id):
                members += [row[0] for row in db.execute(
                    "SELECT v.document_id FROM document_versions v WHERE v.group_id IN "
                    "(SELECT group_id FROM document_versions WHERE document_id = ?) "
                    "ORDER BY v.position", (document_id,))]
            ordered = [issued_id] + [m for m in dict.fromkeys([*members, other_id])
                                     if m != issued_id]
            db.execute(
                f"DELETE FROM document_versions WHERE document_id IN "
                f"({', '.join('?' for _ in ordered)})", ordered)
            at = now_iso()
            db.executemany(
                "INSERT INTO document_versions (document_id, group_id, position, linked_by, "
                "linked_at) VALUES (?, ?, ?, ?, ?)",
                [(member, issued_id, position, actor, at)
                 for position, member in enumerate(ordered)],
            )
            db.execute(
                "DELETE FROM possible_duplicates WHERE (document_id = ? AND other_id = ?) "
                "OR (document_id = ? AND other_id = ?)",
                (issued_id, other_id, other_id, issued_id),
            )
            for document_id in (issued_id, other_id):
                _settle_review(db, document_id)
                self._record_change(db, document_id, CHANGED)

    def versions(self, document_id: str) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT d.id, d.reference, d.doc_type, d.issuer, d.issued_date, d.subject, "
            "d.filename, v.position, v.linked_by, v.linked_at FROM document_versions v "
            "JOIN documents d ON d.id = v.document_id WHERE v.group_id IN "
            "(SELECT group_id FROM document_versions WHERE document_id = ?) "
            f"AND d.{_KEPT} ORDER BY v.position",
            document_id,
        )

    # -- the trash ------------------------------------------------------------------------------

    def trash_document(self, document_id: str, actor: str) -> bool:
        with self._transaction() as db:
            moved = db.execute(
                f"UPDATE documents SET deleted_at = ?, deleted_by = ? WHERE id = ? AND {_KEPT}",
                (now_iso(), actor, document_id),
            ).rowcount > 0
            if moved:
                self._record_change(db, document_id, TRASHED)
                self._record_cited_changes(db, document_id)
            return moved

    def restore_document(self, document_id: str) -> bool:
        with self._transaction() as db:
            restored = db.execute(
                "UPDATE documents SET deleted_at = NULL, deleted_by = NULL "
                "WHERE id = ? AND deleted_at IS NOT NULL",
                (document_id,),
            ).rowcount > 0
            if restored:
                self._record_change(db, document_id, RESTORED)
                self._record_cited_changes(db, document_id)
            return restored

    def trashed_documents(self, before: str | None = None) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT id, reference, symbol, doc_type, issuer, issued_date, date_precision, "
            "subject, filename, ingested_at, deleted_at, deleted_by FROM documents "
            "WHERE deleted_at IS NOT NULL AND deleted_at < ? ORDER BY deleted_at, id",
            before or "9999",
        )

    def purge_document(self, document_id: str) -> list[str]:
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM documents WHERE id = ? AND deleted_at IS NOT NULL",
                          (document_id,)).fetchone() is None:
                raise LookupError(document_id)
            sha256s = [row[0] for row in db.execute(
                "SELECT sha256 FROM files WHERE document_id = ?", (document_id,))]
            targets = self._validity_targets(db, document_id)
            db.execute("DELETE FROM possible_duplicates WHERE document_id = ? OR other_id = ?",
                       (document_id, document_id))
            for table in (*_CHILD_TABLES, *_PURGED_TABLES):
                db.execute(f"DELETE FROM {table} WHERE document_id = ?", (document_id,))
            db.execute("DELETE FROM documents WHERE id = ?", (document_id,))
            self._record_change(db, document_id, PURGED)
            self._record_cited_changes(db, document_id, targets)
        return sha256s

    # -- the change sequence ---------------------------------------------------------------------

    def last_change(self) -> int:
        row = self._db.execute("SELECT MAX(seq) FROM changes").fetchone()
        return int(row[0] or 0)

    def changes_since(self, seq: int, limit: int = 1000) -> list[tuple[int, str]]:
        return [(int(row[0]), row[1]) for row in self._db.execute(
            "SELECT seq, document_id FROM changes WHERE seq > ? ORDER BY seq LIMIT ?",
            (seq, limit))]

    # -- the registers ---------------------------------------------------------------------------

    def register_letter(
        self, document_id: str, direction: str, actor: str, *, office: str = "",
        entry_date: str | None = None, arrival_number: int | None = None,
        unit: str | None = None, note: str | None = None,
    ) -> RegisterEntry:
        if direction not in DIRECTIONS:
            raise ValueError(f"a register is one of {DIRECTIONS}, not {direction!r}")
        at = now_iso()
        with self._transaction() as db:
            letter = db.execute(f"SELECT issued_date FROM documents WHERE id = ? AND {_KEPT}",
                                (document_id,)).fetchone()
            if letter is None:
                raise LookupError(document_id)
            before = _register_entry(db, document_id)
            if direction == INCOMING:
                entry_date = entry_date or at[:10]
                year = int(entry_date[:4])
            else:
                year = int((letter[0] or entry_date or at)[:4])
            if direction != INCOMING:
                arrival_number = None
            elif arrival_number is None:
                kept = before is not None and before.direction == INCOMING and (
                    before.office, before.year) == (office, year)
                arrival_number = before.arrival_number if kept else None
                if arrival_number is None:  # writers queue for the lock: max + 1 is free
                    arrival_number = int(db.execute(
                        "SELECT COALESCE(MAX(arrival_number), 0) + 1 FROM register_entries "
                        "WHERE office = ? AND year = ?", (office, year)).fetchone()[0])
            else:
                holder = db.execute(
                    "SELECT document_id FROM register_entries WHERE office = ? AND year = ? "
                    "AND arrival_number = ? AND document_id <> ?",
                    (office, year, arrival_number, document_id)).fetchone()
                if holder is not None:
                    raise ArrivalNumberTaken(arrival_number, holder[0])
            values = (direction, office, year, arrival_number, entry_date, unit, note, actor, at)
            if before is None:
                db.execute(
                    "INSERT INTO register_entries (direction, office, year, arrival_number, "
                    "entry_date, unit, note, updated_by, updated_at, document_id, "
                    "registered_by, registered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*values, document_id, actor, at))
            else:
                db.execute(
                    "UPDATE register_entries SET direction = ?, office = ?, year = ?, "
                    "arrival_number = ?, entry_date = ?, unit = ?, note = ?, updated_by = ?, "
                    "updated_at = ? WHERE document_id = ?", (*values, document_id))
            entry = _register_entry(db, document_id)
        assert entry is not None
        return entry

    def register_entry(self, document_id: str) -> RegisterEntry | None:
        return _register_entry(self._db, document_id)

    def register_rows(
        self, direction: str, year: int, *, office: str = "", limit: int | None = None,
        offset: int = 0,
    ) -> tuple[int, list[dict[str, Any]]]:
        where = ("FROM register_entries r JOIN documents d ON d.id = r.document_id "
                 f"WHERE r.direction = ? AND r.office = ? AND r.year = ? AND d.{_KEPT}")
        params = (direction, office, year)
        total = int(self._db.execute(f"SELECT COUNT(*) {where}", params).fetchone()[0])
        order = ("r.arrival_number, r.entry_date, d.id" if direction == INCOMING
                 else "d.issued_date, d.number, d.id")
        page = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
        rows = self._rows(
            "SELECT r.document_id, r.direction, r.office, r.year, r.arrival_number, "
            "r.entry_date, r.unit, r.note, r.registered_by, r.updated_at, d.reference, "
            "d.doc_type, d.issuer, d.issued_date, d.subject, d.signer_name, d.signer_title "
            f"{where} ORDER BY {order}{page}", *params)
        for row in rows:
            row["distribution"] = [name for (name,) in self._db.execute(
                "SELECT name FROM distribution WHERE document_id = ? ORDER BY position",
                (row["document_id"],))]
        return total, rows

    def register_years(self, direction: str, *, office: str = "") -> list[int]:
        return [int(row[0]) for row in self._db.execute(
            "SELECT DISTINCT year FROM register_entries WHERE direction = ? AND office = ? "
            "ORDER BY year DESC", (direction, office))]

    def _record_change(self, db: Connection, document_id: str, kind: str) -> None:
        """Give the letter the next number of the change sequence (CatalogStore.changes_since),
        in the transaction that changes it. Writers queue for the catalog's write lock (the
        module's docstring), so MAX + 1 is free and numbers become visible in the order they
        were given: a follower that has read up to N never sees a number below N appear."""
        if not self._follows_changes:
            return
        seq = int(db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM changes").fetchone()[0])
        db.execute(
            "INSERT INTO changes (document_id, seq, kind, at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (document_id) DO UPDATE SET seq = excluded.seq, kind = excluded.kind, "
            "at = excluded.at",
            (document_id, seq, kind, now_precise()))

    def _validity_targets(self, db: Connection, document_id: str) -> set[str]:
        """The archived letters whose validity the letter's citations decide (those it
        replaces, repeals or amends): their index entries change when it does."""
        if not self._types_citations:
            return set()
        return {row[0] for row in db.execute(
            "SELECT DISTINCT t.id FROM citations c JOIN documents t ON t.ref_key = c.cited_key "
            f"WHERE c.document_id = ? AND c.relation IN ({_VALIDITY_SOURCES}) AND t.id <> ?",
            (document_id, document_id))}

    def _record_cited_changes(self, db: Connection, document_id: str,
                              before: set[str] | None = None) -> None:
        """A change for each letter whose validity the write may have changed: those the letter
        replaces, repeals or amends now, and those it did `before` the write."""
        for target in sorted(self._validity_targets(db, document_id) | (before or set())):
            self._record_change(db, target, CHANGED)

    def _rows(self, sql: str, *params: Any) -> list[dict[str, Any]]:
        return [dict(row) for row in self._db.execute(sql, params)]


# The migration from which a letter's text is stored packed (see packing.py).
_PACKED_TEXT = next(m.number for m in MIGRATIONS if m.name == "text_stored_once")
# The migration from which citations keep their relation and scope.
_TYPED_CITATIONS = next(m.number for m in MIGRATIONS if m.name == "citation_relations")
# The migration from which a task's deadlines are stored with their forms.
_TASK_TRACKING = next(m.number for m in MIGRATIONS if m.name == "task_tracking")

# Columns of `documents` filled from the metadata record, in one place for insert and update.
_META_COLUMNS = [
    "text",
    "doc_type",
    "reference",
    "number",
    "symbol",
    "ref_key",
    "issuer",
    "parent_issuer",
    "place",
    "issued_date",
    "date_precision",
    "subject",
    "signer_name",
    "signer_title",
    "urgency",
    "secrecy",
    "metadata_json",
    "extractor_version",
    "needs_review",
    "text_z",
    "metadata_z",
]


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _settle_review(db: Connection, document_id: str, before: bool | None = None) -> None:
    """Set a letter's review flag from its reasons: the extraction's (`metadata.review`) and
    open possible duplicates, unless staff reviewed this very text; a new text forgets the
    review. A flag that changes (from `before`, if the caller rewrote the row) bumps
    `flag_changed_at`, which the index's stamp takes."""
    row = db.execute(
        f"SELECT {_RECORD_COLUMNS}, needs_review, reviewed_text_hash FROM documents "
        "WHERE id = ?", (document_id,)
    ).fetchone()
    if row is None:
        return
    text = _stored_text(row)
    reviewed = row["reviewed_text_hash"]
    if reviewed is not None and reviewed != _text_hash(text):
        db.execute("UPDATE documents SET reviewed_by = NULL, reviewed_at = NULL, "
                   "reviewed_text_hash = NULL WHERE id = ?", (document_id,))
        reviewed = None
    flagged = reviewed is None and bool(
        json.loads(_stored_record(row, text)).get("review")
        or db.execute("SELECT 1 FROM possible_duplicates WHERE document_id = ?",
                      (document_id,)).fetchone()
    )
    if flagged != (bool(row["needs_review"]) if before is None else before):
        db.execute("UPDATE documents SET needs_review = ?, flag_changed_at = ? WHERE id = ?",
                   (flagged, now_precise(), document_id))
    elif flagged != bool(row["needs_review"]):
        db.execute("UPDATE documents SET needs_review = ? WHERE id = ?", (flagged, document_id))


def _metadata(stored: str) -> LetterMetadata:
    return LetterMetadata.from_dict(json.loads(stored))


# -- a letter's text and record as stored: packed once (migration 0010), or plain before ------

_RECORD_COLUMNS = "text, text_z, metadata_json, metadata_z"


def _stored_text(row: Row) -> str:
    packed = row["text_z"]
    return unpack_text(packed) if packed is not None else row["text"]


def _stored_record(row: Row, text: str) -> str:
    """The letter's metadata record as JSON (its `text` left out when packed)."""
    packed = row["metadata_z"]
    return unpack_with(packed, text) if packed is not None else row["metadata_json"]


def _stored_metadata(row: Row, text: str | None = None) -> LetterMetadata:
    text = _stored_text(row) if text is None else text
    metadata = _metadata(_stored_record(row, text))
    if row["metadata_z"] is not None:
        metadata.text = text
    return metadata


def _machine_metadata(row: Row) -> LetterMetadata:
    """The extractor's record: kept apart while fields are corrected, else the record."""
    return _metadata(row["machine_json"]) if row["machine_json"] else _stored_metadata(row)


def _stamp_values(row: Row) -> tuple[Any, ...]:
    """The values of INDEX_STAMP_COLUMNS from a row of `index_stamps`' query."""
    return (_record_stamp(row), *row[4:9], _validity_stamp(row[9]))


# -- a letter's validity: derived from the citations of later letters, never stored -----------
# Each status a later letter's citation may give (validity_of) has a strength, the strongest
# first (VALIDITY_ORDER); a letter takes the strongest any later letter not in the trash gives
# it. 'Later': not dated before it (either date unknown counts).
_STRENGTH = "CASE {} END".format(" ".join(
    f"WHEN c.relation = '{relation}' AND c.scope IS {'NOT ' if scoped else ''}NULL "
    f"THEN {VALIDITY_ORDER.index(validity_of(relation, 'x' if scoped else None)) + 1}"
    for relation in VALIDITY_RELATIONS for scoped in (False, True)))
_VALIDITY_SOURCES = ", ".join(f"'{relation}'" for relation in VALIDITY_RELATIONS)


def _validity_join(condition: str = "") -> str:
    """A LEFT JOIN giving each letter `d` the strength (v.strength) of what later letters did
    to it, NULL when none did; `condition` narrows the letters `t` it is computed for."""
    return (
        f"LEFT JOIN (SELECT t.id AS target, MIN({_STRENGTH}) AS strength FROM documents t "
        "JOIN citations c ON c.cited_key = t.ref_key JOIN documents s ON s.id = c.document_id "
        f"WHERE c.relation IN ({_VALIDITY_SOURCES}) AND s.deleted_at IS NULL AND s.id <> t.id "
        "AND (s.issued_date IS NULL OR t.issued_date IS NULL OR s.issued_date >= t.issued_date) "
        f"{condition} GROUP BY t.id) v ON v.target = d.id")


def _validity(strength: int | None) -> str:
    """The status code of a strength from _validity_join (IN_FORCE for NULL)."""
    return VALIDITY_ORDER[int(strength) - 1] if strength else IN_FORCE


def _validity_stamp(strength: int | None) -> str | None:
    """What a letter's validity adds to its index stamp: nothing while it is in force (so that
    adding it changed no letter's stamp), else its status."""
    return _validity(strength) if strength else None


def _record_stamp(row: Row) -> str:
    """What stands for the record and text in a letter's index stamp: the record's JSON, which
    held the text, for a letter stored plain (so its stamp stays what it was); a digest of the
    packed bytes, which change whenever either does, for one stored packed."""
    if row["metadata_z"] is None:
        return str(row["metadata_json"])
    return packed_stamp(row["text_z"], row["metadata_z"])


def _document(row: Row) -> dict[str, Any]:
    """A document row as `get_document` and `iter_documents` give it (see CatalogStore)."""
    document = dict(row)
    document["text"] = _stored_text(row)
    document["metadata"] = _stored_metadata(row, document["text"])
    for column in ("machine_json", "metadata_json", "text_z", "metadata_z"):
        del document[column]
    if "validity" in document:
        document["validity"] = _validity(document["validity"])
    return document


def _packed_record(meta: LetterMetadata) -> tuple[bytes, bytes]:
    """The text packed, and the record without it packed against it (see packing.py)."""
    record = meta.to_dict()
    del record["text"]
    return pack_text(meta.text), pack_with(_json(record), meta.text)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _unjson(stored: str | None) -> Any:
    return None if stored is None else json.loads(stored)


def _corrected_values(db: Connection, document_id: str) -> dict[str, Any]:
    """field → corrected value of a letter, in the order they were first corrected."""
    return {row[0]: json.loads(row[1]) for row in db.execute(
        "SELECT field, value_json FROM corrections WHERE document_id = ? ORDER BY at",
        (document_id,))}


def _add_history(db: Connection, document_id: str, change: FieldChange) -> None:
    db.execute(
        "INSERT INTO document_history (id, document_id, field, old_json, new_json, actor, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (uuid.uuid4().hex, document_id, change.field, _json(change.old), _json(change.new),
         change.actor, change.at))


def _write_metadata(db: Connection, document_id: str, effective: LetterMetadata, *,
                    machine: LetterMetadata | None, version: int = EXTRACTOR_VERSION,
                    typed: bool = True, tracked: bool = True) -> None:
    """A letter's columns and child rows from its effective record; `machine` is kept beside it
    while fields are corrected (None: the effective record is the machine's)."""
    if tracked:
        _carry_task_statuses(db, document_id, effective)
    for table in _CHILD_TABLES[:-1]:
        db.execute(f"DELETE FROM {table} WHERE document_id = ?", (document_id,))
    flagged = db.execute("SELECT needs_review, text, text_z FROM documents WHERE id = ?",
                         (document_id,)).fetchone()
    before = _stored_text(flagged) if flagged is not None else None
    if before is not None and before != effective.text:  # signed again at the next ingest
        for table in ("text_bands", "text_signatures"):
            db.execute(f"DELETE FROM {table} WHERE document_id = ?", (document_id,))
        _repack_pages(db, document_id, before, effective.text)
    db.execute(
        f"UPDATE documents SET {', '.join(f'{c} = ?' for c in _META_COLUMNS)}, "
        "machine_json = ? WHERE id = ?",
        (*_metadata_values(effective, version),
         _json(machine.to_dict()) if machine is not None else None, document_id),
    )
    _insert_children(db, document_id, effective, typed=typed, tracked=tracked)
    if flagged is not None:
        _settle_review(db, document_id, before=bool(flagged[0]))


def _carry_task_statuses(db: Connection, document_id: str, effective: LetterMetadata) -> None:
    """Statuses staff gave tasks whose text the new record changes follow them to their new
    text (catalog.moved_task_keys); most letters have none, and this reads one index then."""
    kept = {row[0] for row in db.execute(
        "SELECT task_key FROM task_status WHERE document_id = ?", (document_id,))}
    if not kept:
        return
    row = db.execute(f"SELECT {_RECORD_COLUMNS} FROM documents WHERE id = ?",
                     (document_id,)).fetchone()
    before = [task.text for task in _stored_metadata(row).tasks] if row is not None else []
    for old, new in moved_task_keys(before, [task.text for task in effective.tasks],
                                    kept).items():
        if new not in kept:
            db.execute("UPDATE task_status SET task_key = ? WHERE document_id = ? AND "
                       "task_key = ?", (new, document_id, old))


def _repack_pages(db: Connection, document_id: str, before: str, text: str) -> None:
    """Pages packed against the letter's text (`before`), packed against its new text."""
    pages = db.execute("SELECT page_no, text_z FROM pages WHERE document_id = ? AND "
                       "text_z IS NOT NULL", (document_id,)).fetchall()
    for number, packed in pages:
        db.execute("UPDATE pages SET text_z = ? WHERE document_id = ? AND page_no = ?",
                   (pack_with(unpack_with(packed, before), text), document_id, number))


def _metadata_values(meta: LetterMetadata, version: int = EXTRACTOR_VERSION, *,
                     packed: bool = True) -> tuple[Any, ...]:
    """The values of _META_COLUMNS: the text and record packed (`text` and `metadata_json`
    empty), or plain, without the packed columns (a catalog before migration 0010)."""
    signer = meta.signer or Signer()
    if packed:
        text, record, blobs = "", "", _packed_record(meta)
    else:
        text, record, blobs = meta.text, _json(meta.to_dict()), ()
    return (
        text,
        meta.doc_type,
        meta.reference,
        meta.number,
        meta.symbol,
        meta.key,
        meta.issuer,
        meta.parent_issuer,
        meta.place,
        meta.date,
        meta.date_precision,
        meta.subject,
        signer.name,
        signer.title,
        meta.urgency,
        meta.secrecy,
        record,
        version,
        bool(meta.review),  # the reasons stay in the record
        *blobs,
    )


def _insert_document(db: Connection, record: DocumentRecord, *, packed: bool = True,
                     typed: bool = True, tracked: bool = True) -> None:
    if not packed:  # a catalog of a version before 0010 (tests of an upgrade)
        return _insert_plain_document(db, record)
    columns = ["id", "filename", "ingested_at", "page_count", "ocr_pages", *_META_COLUMNS]
    values = (
        record.id,
        record.filename,
        now_iso(),
        len(record.pages),
        record.ocr_pages,
        *_metadata_values(record.metadata),
    )
    db.execute(
        f"INSERT INTO documents ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        values,
    )
    db.execute(
        "INSERT INTO files (sha256, document_id, original_name, media_type, size_bytes, stored_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            record.sha256,
            record.id,
            record.filename,
            record.media_type,
            record.size_bytes,
            now_iso(),
        ),
    )
    text = record.metadata.text
    db.executemany(
        "INSERT INTO pages (document_id, page_no, text, text_z, ocr, ocr_confidence) "
        "VALUES (?, ?, '', ?, ?, ?)",
        [(record.id, p.number, pack_with(p.text, text), p.ocr, p.confidence)
         for p in record.pages],
    )
    _insert_children(db, record.id, record.metadata, typed=typed, tracked=tracked)


def _insert_plain_document(db: Connection, record: DocumentRecord) -> None:
    """A letter as the releases before 0010 stored it: the text plain in each place."""
    columns = ["id", "filename", "ingested_at", "page_count", "ocr_pages", *_META_COLUMNS[:-2]]
    db.execute(
        f"INSERT INTO documents ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        (record.id, record.filename, now_iso(), len(record.pages), record.ocr_pages,
         *_metadata_values(record.metadata, packed=False)))
    db.execute(
        "INSERT INTO files (sha256, document_id, original_name, media_type, size_bytes, stored_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (record.sha256, record.id, record.filename, record.media_type, record.size_bytes,
         now_iso()))
    db.executemany(
        "INSERT INTO pages (document_id, page_no, text, ocr, ocr_confidence) "
        "VALUES (?, ?, ?, ?, ?)",
        [(record.id, p.number, p.text, p.ocr, p.confidence) for p in record.pages])
    _insert_children(db, record.id, record.metadata, packed=False, typed=False)


def _insert_children(db: Connection, document_id: str, meta: LetterMetadata, *,
                     packed: bool = True, typed: bool = True, tracked: bool = True) -> None:
    """A letter's child rows; `packed`, `typed`, `tracked`: the catalog stores texts packed
    (0010), a citation's relation and scope (0011), a task's deadlines (0012); the tests of an
    upgrade write older catalogs."""
    for table, names in (("recipients", meta.recipients), ("distribution", meta.distribution)):
        db.executemany(
            f"INSERT INTO {table} (document_id, position, name) VALUES (?, ?, ?)",
            [(document_id, i, name) for i, name in enumerate(names)],
        )
    # One statement for all tasks and one for all assignees (a letter has ten tasks or so):
    # a statement each cost more than the rows.
    if packed and tracked:
        db.executemany(
            "INSERT INTO tasks (document_id, position, label, text, deadline, deadlines_json) "
            "VALUES (?, ?, ?, '', ?, ?)",  # the text is the record's (see tasks_at)
            [(document_id, i, task.label, task.deadline,
              _json([deadline_dict(item) for item in task.deadlines]))
             for i, task in enumerate(meta.tasks)],
        )
    elif packed:  # a catalog of a version before 0012
        db.executemany(
            "INSERT INTO tasks (document_id, position, label, text, deadline) "
            "VALUES (?, ?, ?, '', ?)",
            [(document_id, i, task.label, task.deadline) for i, task in enumerate(meta.tasks)])
    else:  # a catalog of the releases before 0010
        db.executemany(
            "INSERT INTO tasks (document_id, position, label, text, deadline, text_as_read) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(document_id, i, task.label, task.text, task.deadline, task.text_as_read)
             for i, task in enumerate(meta.tasks)],
        )
    db.executemany(
        "INSERT INTO task_assignees (document_id, task_position, position, assignee) "
        "VALUES (?, ?, ?, ?)",
        [(document_id, i, j, name) for i, task in enumerate(meta.tasks)
         for j, name in enumerate(task.assignees)],
    )
    if not typed:
        db.executemany(
            "INSERT INTO citations (document_id, position, cited_key, reference, doc_type, "
            "cited_date, issuer) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(document_id, i, c.key, c.reference, c.doc_type, c.date, c.issuer)
             for i, c in enumerate(meta.citations)])
        return
    db.executemany(
        "INSERT INTO citations (document_id, position, cited_key, reference, doc_type, "
        "cited_date, issuer, relation, scope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (document_id, i, c.key, c.reference, c.doc_type, c.date, c.issuer, c.relation,
             c.scope)
            for i, c in enumerate(meta.citations)
        ],
    )


def _register_entry(db: Connection, document_id: str) -> RegisterEntry | None:
    row = db.execute(
        "SELECT document_id, direction, office, year, arrival_number, entry_date, unit, note, "
        "registered_by, registered_at, updated_by, updated_at FROM register_entries "
        "WHERE document_id = ?", (document_id,)).fetchone()
    return RegisterEntry(**dict(row)) if row else None


# -- rows of the accounts and audit sections -------------------------------------------------

_USER_COLUMNS = "username, role, enabled, created_at, last_login"


def _user(row: Row) -> UserRecord:
    return UserRecord(username=row[0], role=row[1], enabled=bool(row[2]), created_at=row[3],
                      last_login=row[4])


def _audit_entry(row: Row) -> AuditEntry:
    return AuditEntry(id=int(row["id"]), at=row["at"], actor=row["actor"], action=row["action"],
                      target=row["target"],
                      detail=json.loads(row["detail_json"]) if row["detail_json"] else {},
                      address=row["address"])


def _audit_filter(action: str | None, actor: str | None) -> tuple[str, tuple[Any, ...]]:
    clauses, params = [], []
    if action:
        clauses.append("action = ?")
        params.append(action)
    if actor:
        clauses.append("actor = ?")
        params.append(actor)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)
