"""A sync reads only the letters changed since the index's mark (index.marks), on both engines:
at a million letters, comparing every letter's stamp at each `serve` start and after each
correction made through the web app read the whole catalog and held two maps of a million ids
in the server. A catalog whose history contradicts the mark is compared letter by letter."""

from __future__ import annotations

from dataclasses import replace

import pytest

from index import IndexFollower, check_index, open_index, rebuild_index, sync_index
from index.marks import MARK_FILE, read_mark
from ingest import open_catalog
from tests.test_search import LETTERS, found, letter, write_catalog


@pytest.fixture
def stamp_reads(monkeypatch):
    """The `ids` of every CatalogStore.index_stamps call (None: every letter)."""
    calls: list[list[str] | None] = []
    from ingest.store import catalog_sql

    original = catalog_sql.SqlCatalog.index_stamps

    def noting(self, ids=None):
        calls.append(None if ids is None else sorted(ids))
        return original(self, ids)

    monkeypatch.setattr(catalog_sql.SqlCatalog, "index_stamps", noting)
    return calls


def test_a_sync_reads_only_the_letters_changed_since_the_last(tmp_path, engine, stamp_reads):
    archive, catalog = write_catalog(tmp_path / "archive", LETTERS[:3])
    idx = open_index(archive.index_dir, engine)
    assert sync_index(catalog, idx)["added"] == 3
    stamp_reads.clear()
    assert sync_index(catalog, idx)["added"] == 0
    assert stamp_reads == []  # nothing changed: no letter read
    catalog.add_document(letter(LETTERS[3]))
    row = catalog.get_document("a1")
    catalog.replace_metadata("a1", replace(row["metadata"], subject="Kế hoạch mới về bão"))
    catalog.trash_document("a2", "tester")
    counts = sync_index(catalog, idx)
    assert (counts["added"], counts["updated"], counts["deleted"]) == (1, 1, 1)
    assert stamp_reads == [["a1", "a2", "a4"]]
    assert check_index(catalog, idx) == {"missing": [], "stale": [], "extra": []}
    assert found(idx, "ke hoach moi") == ["a1"]


def test_a_rebuild_marks_where_the_catalog_stood(tmp_path, engine, stamp_reads):
    archive, catalog = write_catalog(tmp_path / "archive", LETTERS[:2])
    idx = rebuild_index(catalog, archive.index_dir, engine=engine)
    assert read_mark(idx.index_dir).seq == catalog.last_change()
    catalog.add_document(letter(LETTERS[2]))
    stamp_reads.clear()
    assert sync_index(catalog, idx)["added"] == 1
    assert stamp_reads == [["a3"]]


def test_another_catalog_is_compared_letter_by_letter(tmp_path, engine):
    # Its change sequence runs past the index's mark, but it is another history: trusting the
    # numbers would write only its last letter and keep the first catalog's letters.
    archive, first = write_catalog(tmp_path / "first", LETTERS[:2])
    idx = open_index(archive.index_dir, engine)
    sync_index(first, idx)
    _other, second = write_catalog(tmp_path / "second", LETTERS[1:])
    assert second.last_change() > read_mark(idx.index_dir).seq
    counts = sync_index(second, idx)
    assert (counts["added"], counts["deleted"]) == (2, 1)
    assert sorted(found(idx, "")) == ["a2", "a3", "a4"]
    assert check_index(second, idx) == {"missing": [], "stale": [], "extra": []}


def test_a_history_the_mark_cannot_recognise_means_a_whole_comparison(tmp_path, engine,
                                                                      stamp_reads):
    # Every change the mark recorded has moved on (each letter changed again): nothing left
    # below the mark shows that this is the same catalog.
    archive, catalog = write_catalog(tmp_path / "archive", LETTERS[:1])
    idx = open_index(archive.index_dir, engine)
    sync_index(catalog, idx)
    row = catalog.get_document("a1")
    catalog.replace_metadata("a1", replace(row["metadata"], subject="Kế hoạch mới về bão"))
    stamp_reads.clear()
    assert sync_index(catalog, idx)["updated"] == 1
    assert stamp_reads == [None]


def test_a_lost_or_damaged_mark_means_a_whole_comparison(tmp_path, engine, stamp_reads):
    archive, catalog = write_catalog(tmp_path / "archive", LETTERS[:2])
    idx = open_index(archive.index_dir, engine)
    sync_index(catalog, idx)
    (idx.index_dir / MARK_FILE).write_text("{not json")
    catalog.add_document(letter(LETTERS[2]))
    stamp_reads.clear()
    assert sync_index(catalog, idx)["added"] == 1
    assert stamp_reads == [None]
    assert read_mark(idx.index_dir).seq == catalog.last_change()


def test_a_node_that_restarts_catches_up_from_its_mark(tmp_path, engine, stamp_reads):
    archive, catalog = write_catalog(tmp_path / "archive", LETTERS[:2])
    node = open_index(tmp_path / "node-index", engine)
    follower = IndexFollower(node, lambda: open_catalog(archive.catalog_path))
    follower.catch_up(catalog)
    catalog.add_document(letter(LETTERS[2]))
    assert follower.step(catalog) == 1
    assert read_mark(node.index_dir).seq == catalog.last_change()
    catalog.add_document(letter(LETTERS[3]))
    stamp_reads.clear()
    restarted = IndexFollower(open_index(tmp_path / "node-index", engine),
                              lambda: open_catalog(archive.catalog_path))
    assert restarted.catch_up(catalog)["added"] == 1
    assert stamp_reads == [["a4"]]
