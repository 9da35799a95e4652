"""The catalog's interface (issue 12): what the rest of congvan may ask of it, and nothing more."""

from __future__ import annotations

import inspect
import sqlite3
from pathlib import Path

import pytest

from ingest.errors import UsageError
from ingest.model import DocumentRecord, LetterMetadata, Page
from ingest.store.catalog import CatalogStore, SqliteCatalog, open_catalog


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


def test_the_sqlite_catalog_implements_every_method_of_the_interface() -> None:
    members = interface_members()
    assert len(members) > 30  # the protocol's methods were found
    for name, signature in members.items():
        implemented = inspect.signature(getattr(SqliteCatalog, name))
        assert list(implemented.parameters.values()) == list(signature.parameters.values()), name
        if name != "__enter__":  # returns its own class
            assert implemented.return_annotation == signature.return_annotation, name


def test_the_sqlite_catalog_shows_nothing_beyond_the_interface(tmp_path: Path) -> None:
    # A caller that reached the connection (`catalog.db`) or a transaction would tie its
    # package to SQLite: issue 14's PostgreSQL catalog implements the interface alone.
    with open_catalog(tmp_path / "catalog.sqlite3") as catalog:
        public = {name for name in dir(catalog) if not name.startswith("_")}
        assert public <= set(interface_members())
        assert not hasattr(catalog, "db") and not hasattr(catalog, "transaction")


def test_open_catalog_refuses_an_address_it_cannot_open(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        open_catalog("postgresql://catalog.example/congvan")
    assert list(tmp_path.iterdir()) == []


def test_rows_are_plain_values(tmp_path: Path) -> None:
    with open_catalog(tmp_path / "catalog.sqlite3") as catalog:
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


def test_the_ingest_log_reads_back_what_was_logged(tmp_path: Path) -> None:
    entry = {"id": "e1", "batch_id": "b1", "logged_at": "2025-03-01T08:00:00+00:00",
             "username": "vanthu", "host": "may-1", "path": "/thu/a.txt", "sha256": None,
             "outcome": "failed", "reason": "empty-file", "error": "Tệp rỗng",
             "document_id": None, "seconds": 0.5, "warnings": None}
    with open_catalog(tmp_path / "catalog.sqlite3") as catalog:
        catalog.log_ingest(entry)
        assert catalog.ingest_log() == [entry]


def test_setting_a_users_password_again_replaces_it(tmp_path: Path) -> None:
    with open_catalog(tmp_path / "catalog.sqlite3") as catalog:
        catalog.set_user("vanthu", "hash-1")
        catalog.set_user("vanthu", "hash-2")
        assert catalog.password_hash("vanthu") == "hash-2"
        assert catalog.password_hash("khac") is None
