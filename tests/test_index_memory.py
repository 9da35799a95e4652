"""The Whoosh index's memory: caches within their byte budgets, shared by threads, let go of
when a commit or a rebuild makes a new generation; segment files mapped once, not copied."""

from __future__ import annotations

import gc
import io
import os
import pickle
import sys
import threading
import weakref

import pytest

from index import open_index, rebuild_index, sync_index
from index.whoosh import facets
from index.whoosh.lru import ByteLRU
from index.whoosh.storage import ViewReader, shared_map
from tests.test_search import LETTERS, letter, write_catalog

WORDS = ["ke hoach", "thien tai", "hoa", "cong an", "phong chong", "dich benh", "bao", "nhan dan",
         "so y te", "lam dong", "binh thuan", "dak nong", "mua mua", "benh vien", "nam 2024"]


@pytest.fixture
def indexed(tmp_path):
    archive, catalog = write_catalog(tmp_path / "archive", LETTERS[:3])
    idx = open_index(archive.index_dir, "whoosh")
    sync_index(catalog, idx)
    yield archive, catalog, idx
    catalog.close()


def in_thread(work):
    """Run `work` in a new thread and return what it returned."""
    out = []
    thread = threading.Thread(target=lambda: out.append(work()))
    thread.start()
    thread.join()
    return out[0]


def test_byte_lru_keeps_to_its_budget_dropping_the_least_recent():
    cache: ByteLRU[bytes] = ByteLRU(100, len)
    for key in "abcd":
        cache.put(key, b"x" * 30)
    assert cache.nbytes == 90 and len(cache) == 3 and cache.get("a") is None
    cache.get("b")  # now the most recent
    cache.put("e", b"y" * 40)
    assert cache.get("c") is None and cache.get("b") == b"x" * 30
    assert cache.nbytes == sum(len(cache.get(k) or b"") for k in "bde") <= 100
    cache.put("big", b"z" * 101)  # heavier than the whole budget: returned, not kept
    assert cache.get("big") is None and cache.nbytes <= 100
    cache.put("b", b"")  # replacing an entry gives its bytes back
    assert cache.nbytes == 70 and cache.get("b") == b""


def test_search_caches_stay_within_their_byte_budgets(indexed, monkeypatch):
    _archive, _catalog, idx = indexed
    monkeypatch.setattr(facets, "RESULT_BYTES", 3000)
    monkeypatch.setattr(facets, "TERM_MASK_BYTES", 400)
    monkeypatch.setattr(facets, "TERM_SCORE_BYTES", 300)
    totals = {}
    for sort in ("relevance", "newest"):
        for word in WORDS:
            totals[word, sort] = idx.search(word, sort=sort).total
    cache = idx.generation_cache(idx.searcher())
    for part in (cache.results, cache.term_masks, cache.scores.terms):
        assert 0 < part.nbytes <= part.max_bytes
    assert len(cache.results) < len(WORDS)  # some results were dropped to keep the budget
    kept = [cache.results.get(key) for key in list(cache.results._entries)]
    assert cache.results.nbytes >= sum(sys.getsizeof(mask) for mask, _total, _f in kept)
    # What was dropped is computed again, the same.
    assert {k: idx.search(k[0], sort=k[1]).total for k in totals} == totals


def segment_maps(searcher) -> list:
    """The maps the searcher's segments are read through."""
    return [leaf._storage.a._file._buf.obj for leaf, _offset in searcher.reader().leaf_readers()]


def test_threads_share_one_cache_and_one_map_per_generation(indexed):
    _archive, _catalog, idx = indexed
    idx.search("thien tai")
    mine = idx.generation_cache(idx.searcher())

    def theirs():
        idx.search("thien tai")
        searcher = idx.searcher()
        return idx.generation_cache(searcher), searcher

    cache, searcher = in_thread(theirs)
    assert cache is mine and searcher is not idx.searcher()  # own searcher, shared cache
    assert cache.memory()["results"] > 0
    maps = segment_maps(searcher)
    assert maps and segment_maps(idx.searcher()) == maps  # the same map objects
    segments = sorted(n for n in os.listdir(idx.index_dir) if n.endswith(".seg"))
    assert [shared_map(str(idx.index_dir / n)) for n in segments] == maps


@pytest.mark.parametrize("change", ["commit", "rebuild"])
def test_a_commit_or_a_rebuild_lets_go_of_the_old_generation_s_cache(indexed, change):
    archive, catalog, idx = indexed
    before = idx.search("").total
    old_cache = weakref.ref(idx.generation_cache(idx.searcher()))
    catalog.add_document(letter(LETTERS[3]))
    if change == "commit":
        sync_index(catalog, idx)
    else:
        rebuild_index(catalog, archive.index_dir, engine="whoosh")
    assert idx.search("").total == before + 1
    gc.collect()
    assert old_cache() is None
    assert idx.generation_cache(idx.searcher()).memory()["results"] > 0


def test_idle_threads_old_searchers_are_let_go_when_a_new_generation_comes(indexed):
    _archive, catalog, idx = indexed
    searched, release = threading.Event(), threading.Event()
    held = {}

    def idle_server_thread():
        idx.search("hoa")
        held["searcher"] = weakref.ref(idx.searcher())
        searched.set()
        release.wait(30)  # alive and idle, like a waitress thread between requests

    thread = threading.Thread(target=idle_server_thread)
    thread.start()
    try:
        searched.wait(30)
        catalog.add_document(letter(LETTERS[3]))
        sync_index(catalog, idx)
        idx.search("hoa")  # this thread meets the new generation first
        gc.collect()
        assert held["searcher"]() is None
    finally:
        release.set()
        thread.join()


@pytest.mark.parametrize("ops", [
    [("read", 2), ("seek", 1), ("read", -1), ("seek", 0), ("read", 100), ("read", 1)],
    [("seek", -3, 2), ("read", 2), ("seek", 20), ("read", 3), ("seek", -15, 1), ("read", 1)],
    [("readline",), ("readline", 1), ("readline", 5), ("readline",), ("readline",), ("tell",)],
])
def test_view_reader_reads_like_bytesio(ops):
    data = b"ab\ncd\nlast line"
    ours, theirs = ViewReader(memoryview(data)), io.BytesIO(data)
    for name, *args in ops:
        assert getattr(ours, name)(*args) == getattr(theirs, name)(*args)
        assert ours.tell() == theirs.tell()


def test_facets_and_date_sorts_hold_when_a_segment_lacks_a_column(indexed):
    # a4 has no date: its own segment has no year or sort_new column at all, which Whoosh's
    # MultiReader.column_reader skips (the cached columns are read segment by segment).
    _archive, catalog, idx = indexed
    catalog.add_document(letter(LETTERS[3]))
    sync_index(catalog, idx)
    assert len(idx.searcher().reader().leaf_readers()) == 2
    results = idx.search("")
    assert results.total == 4 and dict(results.facets["year"]) == {"2024": 2, "2025": 1}
    assert [h.id for h in idx.search("", sort="newest").hits] == ["a3", "a2", "a1", "a4"]
    assert [h.id for h in idx.search("", sort="oldest").hits] == ["a1", "a2", "a3", "a4"]


def test_view_reader_peeks_without_moving_and_serves_pickle():
    data = pickle.dumps([(1, 2.5, "ba"), None]) + pickle.dumps({"k": 1}, 0) + b"rest"
    reader = ViewReader(memoryview(data))
    assert reader.peek(3) == data[:3] and reader.tell() == 0
    assert pickle.load(reader) == [(1, 2.5, "ba"), None]  # read ahead by peek
    assert pickle.load(reader) == {"k": 1}  # protocol 0: by readline
    assert reader.read() == b"rest" and reader.peek() == b""
