"""The catalog's interface (issue 12): what the rest of congvan may ask of it, and nothing more."""

from __future__ import annotations

import configparser
import fnmatch
import hashlib
import inspect
import sqlite3
from pathlib import Path

import pytest

from ingest.errors import ArchiveWriteError, MachineError, UsageError
from ingest.model import DocumentRecord, LetterMetadata, Page
from ingest.store import open_catalog
from ingest.store.catalog import (
    MIGRATIONS,
    CatalogStore,
    Migration,
    load_migrations,
)
from ingest.store.catalog_postgres import PostgresCatalog
from ingest.store.catalog_sqlite import SqliteCatalog


def interface_members() -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(CatalogStore).items()
        if inspect.isfunction(member) and (not name.startswith("_") or name in
                                           ("__enter__", "__exit__"))
    }


def letter(doc_id: str = "a1") -> DocumentRecord:
    metadata = {"text": "Kính gửi: Sở Tài chính.", "doc_type": "Công văn", "key": "12/ubnd-vp",
                "tasks": [{"text": "Báo cáo.", "assignees": ["Sở Tài chính"]}]}
    return DocumentRecord(id=doc_id, sha256=doc_id * 32, filename=f"{doc_id}.txt",
                          media_type="text/plain", size_bytes=10,
                          pages=[Page(1, metadata["text"])],
                          metadata=LetterMetadata.from_dict(metadata))


@pytest.mark.parametrize("implementation", [SqliteCatalog, PostgresCatalog])
def test_each_catalog_implements_every_method_of_the_interface(implementation) -> None:
    members = interface_members()
    assert len(members) > 30  # the protocol's methods were found
    for name, signature in members.items():
        implemented = inspect.signature(getattr(implementation, name))
        assert list(implemented.parameters.values()) == list(signature.parameters.values()), name
        if name != "__enter__":  # returns its own class
            assert implemented.return_annotation == signature.return_annotation, name


def test_a_catalog_shows_nothing_beyond_the_interface(catalog_location) -> None:
    # A caller that reached the connection (`catalog.db`) or a transaction would tie its
    # package to one engine: each implements the interface alone.
    with open_catalog(catalog_location) as catalog:
        public = {name for name in dir(catalog) if not name.startswith("_")}
        assert public <= set(interface_members())
        assert not hasattr(catalog, "db") and not hasattr(catalog, "transaction")


def test_open_catalog_refuses_an_address_it_cannot_open(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        open_catalog("mysql://catalog.example/congvan")
    with pytest.raises(ArchiveWriteError, match="cannot open the catalog"):
        open_catalog(f"postgresql://congvan:secret@/congvan?host={tmp_path}")
    assert list(tmp_path.iterdir()) == []


def test_a_catalog_url_opens_postgresql(postgres_url: str) -> None:
    with open_catalog(postgres_url) as catalog:
        assert isinstance(catalog, PostgresCatalog)
        assert catalog.schema_version() == len(MIGRATIONS)


def test_rows_are_plain_values(catalog_location) -> None:
    with open_catalog(catalog_location) as catalog:
        assert catalog.add_document(letter())
        assert type(catalog.get_document("a1")) is dict
        assert all(type(row) is dict for row in catalog.iter_documents())
        assert all(type(row) is dict for row in catalog.iter_documents_unordered())
        assignments = catalog.assignments_newest_first()
        assert list(assignments) == [("Sở Tài chính", "a1", 0)]
        assert all(type(value) is tuple for _, value in catalog.index_stamps())
        assert all(type(row) is dict for row in catalog.tasks_at([("a1", 0)]).values())


def test_integrity_problems_name_a_letter_without_pages_or_file(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite3"
    with open_catalog(path) as catalog:
        catalog.add_document(letter("a1"))
        catalog.add_document(letter("b2"))
        assert catalog.integrity_problems() == []
    with sqlite3.connect(path) as db:  # what a broken write would have left
        db.execute("DELETE FROM pages WHERE document_id = 'a1'")
        db.execute("DELETE FROM files WHERE document_id = 'b2'")
    db.close()
    with open_catalog(path) as catalog:
        assert catalog.integrity_problems() == [
            "letters without a file: 1", "letters without pages: 1"]


def test_the_ingest_log_reads_back_what_was_logged(catalog_location) -> None:
    entry = {"id": "e1", "batch_id": "b1", "logged_at": "2025-03-01T08:00:00+00:00",
             "username": "vanthu", "host": "may-1", "path": "/thu/a.txt", "sha256": None,
             "outcome": "failed", "reason": "empty-file", "error": "Tệp rỗng",
             "document_id": None, "seconds": 0.5, "warnings": None}
    with open_catalog(catalog_location) as catalog:
        catalog.log_ingest(entry)
        assert catalog.ingest_log() == [entry]


def test_the_ingest_log_of_one_batch_leaves_out_the_others(catalog_location) -> None:
    """A queue's batch reads its own entries (congvan jobs), not the whole log."""
    def entry(number: int, batch: str) -> dict:
        return {"id": f"e{number}", "batch_id": batch, "logged_at": f"2025-03-01T08:00:0{number}",
                "username": "worker", "host": "may-1", "path": f"/thu/{number}.txt",
                "sha256": f"{number}" * 64, "outcome": "archived", "reason": None,
                "error": None, "document_id": f"{number}" * 12, "seconds": 0.5, "warnings": None}

    with open_catalog(catalog_location) as catalog:
        for number, batch in enumerate(["b1", "b2", "b1"]):
            catalog.log_ingest(entry(number, batch))
        assert [e["id"] for e in catalog.ingest_log("b1")] == ["e0", "e2"]
        assert [e["id"] for e in catalog.ingest_log("b2")] == ["e1"]
        assert len(catalog.ingest_log()) == 3


def test_setting_a_users_password_again_replaces_it(catalog_location) -> None:
    with open_catalog(catalog_location) as catalog:
        catalog.set_user("vanthu", "hash-1")
        catalog.set_user("vanthu", "hash-2")
        assert catalog.password_hash("vanthu") == "hash-2"
        assert catalog.password_hash("khac") is None


# -- numbered migrations ---------------------------------------------------------------------

# Released migrations, each pinned by a digest of its statements (whitespace aside): archives
# made with them must open unchanged, so a change to the schema is a new migration, never an
# edit. Migrations 1-4 are the statements of the list catalog.py held before they were files.
RELEASED = {
    1: "5f75bd408b923390fe83e96f9fcc57f20363a3d149a8d8813813a1f8d88df673",
    2: "04e377c3e9d97b69bfd393a5c428c838d5cd1a789177fb1cb15ba92ba4b19dca",
    3: "8618b9268b473940e68f66ba883e0c74ea00b4088fa6f548d77f7882445c28e8",
    4: "e9c33e243bda3a38b2daa9de9e1ee98a3cad8f89a496c33819bd29fced7750e1",
}


def digest(migration: Migration) -> str:
    text = "\n".join(" ".join(statement.split()) for statement in migration.statements())
    return hashlib.sha256(text.encode()).hexdigest()


def schema(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        found = [tuple(row) for row in rows]
    db.close()
    return found


def test_released_migrations_are_numbered_in_order_and_unchanged() -> None:
    assert [m.number for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert {m.number: digest(m) for m in MIGRATIONS if m.number in RELEASED} == RELEASED


def test_a_catalog_of_every_older_version_is_brought_up_to_date(tmp_path: Path) -> None:
    latest = len(MIGRATIONS)
    with open_catalog(tmp_path / "fresh.sqlite3") as fresh:
        assert fresh.schema_version() == latest
    for version in range(latest):
        path = tmp_path / f"v{version}.sqlite3"
        with SqliteCatalog(path, migrations=MIGRATIONS[:version]) as old:
            assert old.schema_version() == version
        with open_catalog(path) as upgraded:
            assert upgraded.schema_version() == latest
        assert schema(path) == schema(tmp_path / "fresh.sqlite3"), version


def test_an_upgrade_keeps_the_letters_already_archived(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite3"
    SqliteCatalog(path, migrations=MIGRATIONS[:-1]).close()
    with sqlite3.connect(path) as db:  # rows as the previous version wrote them
        db.execute("INSERT INTO documents (id, filename, ingested_at, page_count, ocr_pages, "
                   "text, ref_key, subject, metadata_json, extractor_version) VALUES "
                   "('a1', 'a1.txt', '2025-03-01T08:00:00+00:00', 1, 0, 'Kính gửi', "
                   "'12/ubnd-vp', 'Về việc phòng chống bão', '{}', 1)")
        db.execute("INSERT INTO files VALUES ('ab' , 'a1', 'a1.txt', 'text/plain', 8, "
                   "'2025-03-01T08:00:00+00:00')")
        db.execute("INSERT INTO pages (document_id, page_no, text, ocr, ocr_confidence) "
                   "VALUES ('a1', 1, 'Kính gửi', FALSE, NULL)")
        db.execute("INSERT INTO tasks (document_id, position, label, text) "
                   "VALUES ('a1', 0, '1.', 'Báo cáo trước ngày 5')")
    db.close()
    with open_catalog(path) as catalog:
        assert catalog.schema_version() == len(MIGRATIONS)
        assert catalog.document_ids() == ["a1"]
        document = catalog.get_document("a1")
        assert document is not None and document["subject"] == "Về việc phòng chống bão"
        assert [page["text"] for page in document["pages"]] == ["Kính gửi"]
        assert catalog.document_for_sha256("ab") == "a1"
        [task] = catalog.tasks_at([("a1", 0)]).values()
        assert task["text"] == "Báo cáo trước ngày 5" and task["text_as_read"] is None
        assert catalog.integrity_problems() == []


def test_a_catalog_newer_than_this_congvan_is_refused_not_relabelled(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite3"
    open_catalog(path).close()
    with pytest.raises(MachineError, match="newer"):
        SqliteCatalog(path, migrations=MIGRATIONS[:-1])
    with open_catalog(path) as catalog:
        assert catalog.schema_version() == len(MIGRATIONS)


def test_migrations_with_a_gap_in_their_numbers_are_refused(tmp_path: Path) -> None:
    (tmp_path / "0001_initial.sql").write_text("CREATE TABLE a (x TEXT);\n", encoding="utf-8")
    assert [m.name for m in load_migrations(tmp_path)] == ["initial"]
    (tmp_path / "0003_later.sql").write_text("CREATE TABLE c (x TEXT);\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="numbered"):
        load_migrations(tmp_path)


def test_a_migrations_comments_are_not_run() -> None:
    migration = Migration(9, "x", "-- a comment; with a semicolon\nCREATE TABLE a (x TEXT);\n"
                                  "CREATE INDEX a_x ON a (x);\n")
    assert migration.statements() == ["CREATE TABLE a (x TEXT)", "CREATE INDEX a_x ON a (x)"]


def test_the_migrations_ship_with_the_package() -> None:
    config = configparser.ConfigParser()
    config.read(Path(__file__).resolve().parents[1] / "setup.cfg", encoding="utf-8")
    patterns = [p.strip() for p in config["options.package_data"]["ingest"].split(",")]
    shipped = [f"store/migrations/{m.number:04d}_{m.name}.sql" for m in MIGRATIONS]
    assert all(any(fnmatch.fnmatch(name, p) for p in patterns) for name in shipped)


def test_a_sqlite_connection_keeps_the_page_cache_asked_for(tmp_path: Path) -> None:
    # An ingest batch asks more than SQLite's 2 MB (see SqliteCatalog); others keep SQLite's.
    from ingest.store.catalog_sqlite import _connect

    plain, bigger = _connect(tmp_path / "plain.sqlite3"), _connect(tmp_path / "big.sqlite3", 64)
    assert plain.execute("PRAGMA cache_size").fetchone()[0] == -2000
    assert bigger.execute("PRAGMA cache_size").fetchone()[0] == -64 * 1024
