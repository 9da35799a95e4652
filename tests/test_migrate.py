"""`congvan migrate --to postgresql://…`: an embedded archive (SQLite) moved up to a cluster's
PostgreSQL catalog, with its originals, users, history, notes and trash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from congvan.cli import main
from ingest import Archive, ingest_paths, open_catalog
from ingest.runners import InProcessRunner
from ingest.store.catalog_sql import SqlCatalog

from .conftest import SEEDS

PASSWORD = "mat-khau-du-dai"


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
    except SystemExit as done:
        code = done.code or 0
    else:
        code = 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def embedded(tmp_path: Path) -> tuple[Archive, list[str]]:
    """An embedded archive with letters, an account, a correction, a note and a letter in the
    trash."""
    archive = Archive(tmp_path / "embedded")
    report = ingest_paths(SEEDS, archive, runner=InProcessRunner())
    ids = [item.document_id for item in report.files if item.outcome == "archived"]
    main(["user", "add", "vanthu", "--archive", str(archive.root), "--password", PASSWORD])
    with open_catalog(archive.catalog_path) as catalog:
        catalog.correct_metadata(ids[0], {"issuer": "Sở Thủy văn Hư cấu"}, "vanthu")
        catalog.add_note(ids[1], "Đã chuyển phòng Tổng hợp", "vanthu")
        catalog.trash_document(ids[2], "vanthu")
    return archive, ids


def test_an_embedded_archive_moves_up_whole(tmp_path, capsys, embedded, postgres_url):
    archive, ids = embedded
    shared = tmp_path / "shared"
    code, out, _ = run(capsys, "migrate", "--archive", str(archive.root), "--to", postgres_url,
                       "--to-archive", str(shared), "--json")
    assert code == 0
    report = json.loads(out)
    assert report["whole"] and report["tables"]["documents"] == len(ids)
    assert report["originals_copied"] == len(ids)

    with open_catalog(archive.catalog_path) as here, open_catalog(postgres_url) as there:
        assert there.table_counts() == here.table_counts()
        for document_id in ids:
            mine, theirs = here.get_document(document_id), there.get_document(document_id)
            assert theirs["metadata"].to_dict() == mine["metadata"].to_dict()
            assert theirs["deleted_at"] == mine["deleted_at"]
        assert there.corrections(ids[0])["issuer"].value == "Sở Thủy văn Hư cấu"
        assert [n.text for n in there.notes(ids[1])] == ["Đã chuyển phòng Tổng hợp"]
        assert there.document_history(ids[0]) == here.document_history(ids[0])
        assert there.get_user("vanthu") == here.get_user("vanthu")
        assert there.last_change() == here.last_change()
        for document in here.iter_documents():  # the originals, byte for byte
            for file in here.get_document(document["id"])["files"]:
                sha = file["sha256"]
                assert (Archive(shared).original_path(sha).read_bytes()
                        == archive.original_path(sha).read_bytes())

    # The cluster works: a node's new index, built from the moved catalog, checks clean and
    # finds the corrected letter; the account logs in with its password.
    node = ["--catalog", postgres_url, "--index-dir", str(tmp_path / "node")]
    assert run(capsys, *node, "reindex", "--archive", str(shared))[0] == 0
    assert run(capsys, *node, "check-index", "--archive", str(shared))[0] == 0
    code, out, _ = run(capsys, *node, "search", "thuy van hu cau", "--archive", str(shared),
                    "--json")
    assert [hit["id"] for hit in json.loads(out)["hits"]] == [ids[0]]
    from webui.passwords import password_matches

    with open_catalog(postgres_url) as there:
        assert password_matches(there.password_hash("vanthu"), PASSWORD)


def test_a_catalog_that_is_not_empty_is_refused_and_left_alone(capsys, embedded, postgres_url):
    archive, _ = embedded
    code, _, err = run(capsys, "migrate", "--archive", str(archive.root), "--to", postgres_url)
    assert code == 0, err
    with open_catalog(postgres_url) as there:
        before = there.table_counts()
    code, _, err = run(capsys, "migrate", "--archive", str(archive.root), "--to", postgres_url)
    assert code == 2
    assert "is not empty" in err
    with open_catalog(postgres_url) as there:
        assert there.table_counts() == before


def test_the_target_must_be_a_postgresql_url(capsys, embedded, tmp_path):
    archive, _ = embedded
    code, _, _ = run(capsys, "migrate", "--archive", str(archive.root), "--to",
                     str(tmp_path / "other.sqlite3"))
    assert code == 2


def test_a_copy_between_two_sqlite_catalogs_converts_nothing_it_should_not(tmp_path, embedded):
    # The copy itself is engine-agnostic: SQLite to SQLite keeps every row as it was.
    archive, _ = embedded
    with open_catalog(archive.catalog_path) as here, \
            open_catalog(tmp_path / "copy.sqlite3") as there:
        assert isinstance(there, SqlCatalog)
        rows = here.copy_into(there)
        assert rows == here.table_counts() == there.table_counts()
        assert list(there.iter_documents()) == list(here.iter_documents())
