"""A search node's own index follows the catalog's change sequence (index/follow.py): letters
archived, corrected, trashed, restored and purged by another process reach it, on SQLite and on
PostgreSQL, on both engines."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from index import IndexFollower, open_index
from ingest import Archive, ingest_paths, open_catalog
from ingest.runners import InProcessRunner

from .conftest import SEEDS

WAIT = 5.0  # seconds; the follower polls every 0.25 s


def _ingest(archive: Archive, paths: list[Path]) -> list[str]:
    report = ingest_paths(paths, archive, runner=InProcessRunner())
    return [item.document_id for item in report.files if item.outcome == "archived"]


def _ids(node, query: str) -> set[str]:
    return {hit.id for hit in node.search(query, per_page=50).hits}


@pytest.fixture
def archive(tmp_path: Path, catalog_url: str | None) -> Archive:
    archive = Archive(tmp_path / "archive", catalog_url)
    archive.create()
    return archive


@pytest.mark.slow  # a thread following several writes on each engine and catalog: ~5 s each
def test_a_node_follows_archiving_corrections_and_the_trash(tmp_path, archive, engine):
    first = _ingest(archive, SEEDS[:2])
    node = open_index(tmp_path / "node-index", engine)  # the node's own, not the archive's
    follower = IndexFollower(node, lambda: open_catalog(archive.catalog_location), poll=0.05)
    follower.start()
    try:
        assert {hit.id for hit in node.search("", per_page=50).hits} >= set(first)

        # Another process archives more letters: the node's index gets them by itself.
        later = _ingest(archive, SEEDS[2:])
        with open_catalog(archive.catalog_location) as catalog:
            assert follower.wait_for(catalog.last_change(), WAIT)
            total = catalog.stats()["documents"]
        assert node.search("", per_page=50).total == total == len(first) + len(later)

        # A correction, the trash, a restore and a purge each reach it.
        letter = later[0]
        with open_catalog(archive.catalog_location) as catalog:
            catalog.correct_metadata(letter, {"issuer": "Sở Thủy văn Hư cấu"}, "tester")
            assert follower.wait_for(catalog.last_change(), WAIT)
        assert _ids(node, "thuy van hu cau") == {letter}

        with open_catalog(archive.catalog_location) as catalog:
            catalog.trash_document(letter, "tester")
            assert follower.wait_for(catalog.last_change(), WAIT)
        assert letter not in _ids(node, "")
        with open_catalog(archive.catalog_location) as catalog:
            catalog.restore_document(letter)
            assert follower.wait_for(catalog.last_change(), WAIT)
        assert letter in _ids(node, "")
        with open_catalog(archive.catalog_location) as catalog:
            catalog.trash_document(letter, "tester")
            catalog.purge_document(letter)
            assert follower.wait_for(catalog.last_change(), WAIT)
            assert node.check(catalog) == {"missing": [], "stale": [], "extra": []}
        assert letter not in _ids(node, "")
    finally:
        follower.stop()


def test_a_new_node_builds_its_index_whole_then_follows(tmp_path, archive, engine):
    _ingest(archive, SEEDS)
    node = open_index(tmp_path / "node-index", engine)
    follower = IndexFollower(node, lambda: open_catalog(archive.catalog_location))
    with open_catalog(archive.catalog_location) as catalog:
        follower.catch_up(catalog)
        assert follower.seen == catalog.last_change() > 0
        assert node.check(catalog) == {"missing": [], "stale": [], "extra": []}
        # Nothing changed since: a step writes nothing.
        assert follower.step(catalog) == 0


def test_a_step_writes_only_the_changed_letters(tmp_path, archive, engine, monkeypatch):
    ids = _ingest(archive, SEEDS)
    node = open_index(tmp_path / "node-index", engine)
    follower = IndexFollower(node, lambda: open_catalog(archive.catalog_location))
    with open_catalog(archive.catalog_location) as catalog:
        follower.catch_up(catalog)
        catalog.add_note(ids[1], "ghi chú mới", "tester")
        written: list[list[str]] = []
        original = type(node).sync_letters
        monkeypatch.setattr(type(node), "sync_letters",
                            lambda self, cat, letters, **kw: written.append(list(letters))
                            or original(self, cat, letters, **kw))
        assert follower.step(catalog) == 1
    assert written == [[ids[1]]]


def test_a_writer_waits_for_the_node_and_is_told_when_it_does_not_catch_up(tmp_path, archive):
    _ingest(archive, SEEDS[:1])
    node = open_index(tmp_path / "node-index", "whoosh")
    follower = IndexFollower(node, lambda: open_catalog(archive.catalog_location))
    with open_catalog(archive.catalog_location) as catalog:
        follower.catch_up(catalog)
        seen = follower.seen
    assert follower.wait_for(seen, 0.01)
    assert not follower.wait_for(seen + 1, 0.05)  # not started: nothing follows


def test_a_follower_survives_failed_steps_and_an_unreachable_catalog(tmp_path, engine,
                                                                      monkeypatch):
    archive = Archive(tmp_path / "archive")
    archive.create()
    _ingest(archive, SEEDS[:1])
    node = open_index(tmp_path / "node-index", engine)
    failures = {"steps": 1, "opens": 2}

    def open_unless_down():
        if failures["opens"] and follower._thread is not None:
            failures["opens"] -= 1
            raise OSError("catalog host down")
        return open_catalog(archive.catalog_location)

    original = type(node).sync_letters

    def failing_once(self, catalog, ids, **kw):
        if failures["steps"]:
            failures["steps"] -= 1
            raise OSError("connection reset")
        return original(self, catalog, ids, **kw)

    monkeypatch.setattr(type(node), "sync_letters", failing_once)
    monkeypatch.setattr("index.follow.RETRY_SECONDS", 0.05)
    follower = IndexFollower(node, open_unless_down, poll=0.05)
    catch_ups: list[int] = []
    whole_sync = follower.catch_up
    monkeypatch.setattr(follower, "catch_up",
                        lambda catalog: (whole_sync(catalog), catch_ups.append(1))[0])
    follower.start()
    try:
        # Its thread cannot reach the catalog twice, then connects and catches up.
        deadline = time.monotonic() + WAIT
        while len(catch_ups) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert failures["opens"] == 0 and len(catch_ups) == 2
        # A step fails on the next letter: the follower reconnects and catches up.
        later = _ingest(archive, SEEDS[1:2])
        with open_catalog(archive.catalog_location) as catalog:
            assert follower.wait_for(catalog.last_change(), WAIT)
        assert set(later) <= _ids(node, "")
        assert failures == {"steps": 0, "opens": 0}
    finally:
        follower.stop()
