"""The Whoosh engine: open its index, search it (index.backend.SearchBackend).

One `WhooshIndex` per process. Each thread keeps its own Whoosh searcher (a Whoosh reader
serves one thread at a time; the segment files under it are one map shared by all threads,
storage.py), reopened when a commit makes a new generation; a rebuild swaps the directory,
which is noticed by its inode changing. What is derived from a generation (columns, bitmaps,
scores: facets.GenerationCache) is shared by all threads; when a new generation comes, the old
cache goes with its last search, and idle threads' old searchers are let go, so an old
generation's memory does not linger.
"""

from __future__ import annotations

import logging
import os
import threading
import weakref
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh import query as wq
from whoosh.searching import Searcher

from ingest.extract.relations import IN_FORCE
from ingest.store.catalog import CatalogStore

from ..backend import Hit, SearchBackend, SearchResults, check_page
from ..completion import complete, completed_field
from ..documents import Changes
from ..errors import IndexOutdated
from ..highlight import snippet_html
from ..planning import FEW_HITS
from ..querylang import parse_query
from ..writing import create_once
from . import sync
from .facets import GenerationCache
from .queries import QueryPlan, build_plan, reader_lexicon
from .ranking import rank
from .schema import SCHEMA_VERSION, unpack_body
from .storage import open_mapped_index
from .suggest import suggest

log = logging.getLogger(__name__)

Token = tuple[int, int]  # a generation: (inode of the index directory, generation number)


class _ThreadSearcher:
    """One thread's Whoosh index and searcher, and the generation it reads."""

    __slots__ = ("__weakref__", "ix", "searcher", "token")

    def __init__(self) -> None:
        self.ix: windex.Index | None = None
        self.searcher: Searcher | None = None
        self.token: Token = (-1, -1)


class WhooshIndex(SearchBackend):
    engine = "whoosh"

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._threads: weakref.WeakSet[_ThreadSearcher] = weakref.WeakSet()
        self._caches: weakref.WeakValueDictionary[Token, GenerationCache] = (
            weakref.WeakValueDictionary())
        self._current: GenerationCache | None = None  # the newest generation's, kept

    @classmethod
    def open(cls, index_dir: Path) -> WhooshIndex:
        index_dir = Path(index_dir)
        # Whoosh's exists_in() unpickles the schema: one pickled from classes since moved
        # (an older schema version) would fail here instead of being rebuilt by sync.
        create_once(index_dir, sync.create_index,
                    lambda where: any(where.glob("_MAIN_*.toc")))
        return cls(index_dir)

    @property
    def needs_rebuild(self) -> bool:
        return sync.stored_version(self.index_dir) != SCHEMA_VERSION

    def is_empty(self) -> bool:
        return windex.open_dir(str(self.index_dir)).is_empty()

    def close(self) -> None:
        mine = getattr(self._local, "mine", None)
        if mine is not None and mine.searcher is not None:
            mine.searcher.close()
            mine.searcher = None

    # -- searchers ------------------------------------------------------------------------

    def searcher(self) -> Searcher:
        """This thread's searcher for the latest commit (reopened after a commit or a rebuild).

        Not `Searcher.refresh()`: Whoosh 2.7 reuses the reader of a segment that only gained
        deletions, so an updated letter showed twice (old and new copy) after a refresh.
        """
        return self._searcher()[0]

    def _searcher(self) -> tuple[Searcher, Token]:
        inode = os.stat(self.index_dir).st_ino
        mine = self._mine()
        with self._lock:  # another thread may let go of an old one meanwhile
            searcher, ix, token = mine.searcher, mine.ix, mine.token
        if (searcher is not None and ix is not None and token[0] == inode
                and ix.latest_generation() == token[1]):
            return searcher, token
        if self.needs_rebuild:
            raise IndexOutdated(
                "Chỉ mục tìm kiếm đã cũ (phiên bản khác); hãy chạy `congvan reindex`"
            )
        # The old searcher is not closed here: a search in flight may still read through it;
        # it closes when the last reference goes.
        ix = open_mapped_index(str(self.index_dir))
        searcher = ix.searcher()
        token = (inode, searcher.reader().generation())
        with self._lock:
            mine.ix, mine.searcher, mine.token = ix, searcher, token
        return searcher, token

    def _mine(self) -> _ThreadSearcher:
        mine = getattr(self._local, "mine", None)
        if mine is None:
            mine = self._local.mine = _ThreadSearcher()
            with self._lock:
                self._threads.add(mine)
        return mine

    def generation_cache(self, searcher: Searcher) -> GenerationCache:
        """The cache of the generation of `searcher` (this thread's), shared by all threads."""
        return self._cache((self._mine().token[0], searcher.reader().generation()),
                           searcher.reader())

    def _cache(self, token: Token, reader: Any) -> GenerationCache:
        current = self._current
        if current is not None and current.token == token:
            return current
        with self._lock:
            cache = self._caches.get(token)
            if cache is None:
                cache = self._caches[token] = GenerationCache(token, reader)
                if self._current is None or _newer(token, self._current.token):
                    self._current = cache
                    self._let_go_of_searchers_before(token)
        return cache

    def _let_go_of_searchers_before(self, token: Token) -> None:
        """Drop idle threads' searchers of older generations (their files and maps go with the
        last reference); a thread in a search keeps its own until it asks again."""
        for mine in list(self._threads):
            if mine.searcher is not None and mine.token != token:
                mine.ix = mine.searcher = None

    # -- search ---------------------------------------------------------------------------

    def search(
        self, query: str, *, page: int = 1, per_page: int = 20, sort: str = "relevance",
        facets: bool = True, highlight: bool = True,
    ) -> SearchResults:
        check_page(page, per_page, sort)
        parsed = parse_query(query)
        searcher, token = self._searcher()
        reader = searcher.reader()
        cache = self._cache(token, reader)
        plan = build_plan(parsed, reader_lexicon(reader), cache.issuers(reader).named)
        mask, total, counts = cache.result(repr(plan.query), plan.query, facets,
                                           searcher.reader())
        results = SearchResults(total, page, per_page, facets=counts or {},
                                notice=parsed.notice or plan.notice, searched=parsed.searched)
        if total:
            terms = self._highlight_terms(searcher, plan) if highlight else None
            ranked = rank(searcher, cache, plan, mask, total, sort, page * per_page)
            results.hits = [self._hit(searcher, docnum, score, terms)
                            for docnum, score in ranked[(page - 1) * per_page :]]
        if parsed.free_text and total <= FEW_HITS:
            results.suggestion = suggest(searcher, cache, parsed.raw, parsed.free_text, total)
        return results

    def _hit(self, searcher: Searcher, docnum: int, score: float, terms: set[str] | None) -> Hit:
        stored: dict[str, Any] = searcher.stored_fields(docnum)
        snippet = snippet_html(unpack_body(stored.get("body")), terms) if terms is not None else ""
        return Hit(
            id=stored["id"], reference=stored.get("reference", ""),
            doc_type=stored.get("doc_type", ""), issuer=stored.get("issuer", ""),
            date=stored.get("date", ""), subject=stored.get("subject", ""),
            filename=stored.get("filename", ""), score=float(score), snippet_html=snippet,
            symbol=stored.get("symbol", ""),
            needs_review=stored.get("needs_review") == "co",
            validity=stored.get("validity") or IN_FORCE,
        )

    def _highlight_terms(self, searcher: Searcher, plan: QueryPlan) -> set[str]:
        terms = set(plan.highlight)
        reader = searcher.reader()
        for fuzzy in plan.fuzzy:
            terms.update(text for _f, text in fuzzy.existing_terms(reader, expand=True))
        return {t.decode() if isinstance(t, bytes) else t for t in terms}

    # -- more like this, autocomplete -------------------------------------------------------

    def more_like_this(self, doc_id: str, limit: int = 5) -> list[Hit]:
        searcher = self.searcher()
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            return []
        body = unpack_body(searcher.stored_fields(docnum).get("body"))
        keys = searcher.key_terms_from_text("content", body, numterms=15)
        if not keys:
            return []
        query = wq.AndNot(wq.Or([wq.Term("content", word) for word, _w in keys]),
                          wq.Term("id", doc_id))
        results = searcher.search(query, limit=limit, terms=False)
        return [self._hit(searcher, hit.docnum, hit.score or 0.0, None) for hit in results]

    def autocomplete(self, prefix: str, field: str = "issuer", limit: int = 10) -> list[str]:
        fieldname = completed_field(field)
        searcher = self.searcher()
        cache = self.generation_cache(searcher)
        vocabulary = cache.vocabulary(fieldname, searcher.reader())
        return complete(vocabulary, prefix, reference=field == "reference", limit=limit)


    # -- writing (index.backend: sync, rebuild, check) -------------------------------------

    def indexed_stamps(self) -> dict[str, str]:
        reader = self.searcher().reader()
        if not reader.doc_count_all():
            return {}
        ids = list(reader.column_reader("id"))
        stamps = list(reader.column_reader("stamp"))
        return {ids[d]: stamps[d] for d in reader.all_doc_ids()}

    @classmethod
    def fill(cls, catalog: CatalogStore, fresh: Path) -> int:
        return sync.fill(catalog, fresh)

    def write_changes(self, catalog: CatalogStore, changes: Changes) -> dict[str, int]:
        return sync.write_changes(self.index_dir, catalog, changes)


def _newer(token: Token, than: Token) -> bool:
    """Whether generation `token` comes after `than` (another directory: a rebuild, newer)."""
    return token[0] != than[0] or token[1] > than[1]
