"""The search index: open it, search it, and the result types the web UI and CLI read.

One `SearchIndex` per process. Each thread keeps its own Whoosh searcher (a Whoosh reader
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh import query as wq
from whoosh.searching import Searcher

from ingest.store.archive import owner_only_files

from .documents import unpack_body
from .errors import IndexOutdated, QueryError
from .facets import GenerationCache, complete
from .highlight import snippet_html
from .queries import QueryPlan, build_plan
from .querylang import parse_query
from .ranking import rank
from .schema import SCHEMA_VERSION, build_schema
from .storage import open_mapped_index
from .suggest import suggest

log = logging.getLogger(__name__)

VERSION_FILE = "congvan-schema-version"
MAX_PER_PAGE = 100
MAX_RESULTS = 10_000
SORTS = ("relevance", "newest", "oldest")


@dataclass
class Hit:
    id: str
    reference: str
    doc_type: str
    issuer: str
    date: str
    subject: str
    filename: str
    score: float
    snippet_html: str = ""
    symbol: str = ""  # 'UBND-TH': shown as '…/UBND-TH (chưa điền số)' when the number is blank
    needs_review: bool = False  # kept though it does not look like a letter or has few fields


@dataclass
class SearchResults:
    total: int
    page: int
    per_page: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None
    notice: str | None = None  # how the query was read leniently (querylang), in Vietnamese
    searched: str = ""  # the query as searched (a quote left open closed)


def stored_version(index_dir: Path) -> int | None:
    try:
        return int((index_dir / VERSION_FILE).read_text().strip())
    except (OSError, ValueError):
        return None


def create_index(index_dir: Path) -> windex.Index:
    """An empty index of the current schema version in `index_dir`."""
    with owner_only_files():  # like the rest of the archive
        index_dir.mkdir(parents=True, exist_ok=True)
        ix = windex.create_in(str(index_dir), build_schema())
        (index_dir / VERSION_FILE).write_text(f"{SCHEMA_VERSION}\n")
    return ix


def open_index(index_dir: Path) -> SearchIndex:
    """Open (or create) the index in `index_dir`; an index of another schema version opens
    with `needs_rebuild` set, searches raise IndexOutdated, and sync_index rebuilds it."""
    index_dir = Path(index_dir)
    if not windex.exists_in(str(index_dir)):
        create_index(index_dir)
    return SearchIndex(index_dir)


Token = tuple[int, int]  # a generation: (inode of the index directory, generation number)


class _ThreadSearcher:
    """One thread's Whoosh index and searcher, and the generation it reads."""

    __slots__ = ("__weakref__", "ix", "searcher", "token")

    def __init__(self) -> None:
        self.ix: windex.Index | None = None
        self.searcher: Searcher | None = None
        self.token: Token = (-1, -1)


class SearchIndex:
    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._threads: weakref.WeakSet[_ThreadSearcher] = weakref.WeakSet()
        self._caches: weakref.WeakValueDictionary[Token, GenerationCache] = (
            weakref.WeakValueDictionary())
        self._current: GenerationCache | None = None  # the newest generation's, kept

    @property
    def needs_rebuild(self) -> bool:
        return stored_version(self.index_dir) != SCHEMA_VERSION

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
        plan = build_plan(parsed)
        searcher, token = self._searcher()
        cache = self._cache(token, searcher.reader())
        mask, total, counts = cache.result(repr(plan.query), plan.query, facets,
                                           searcher.reader())
        results = SearchResults(total, page, per_page, facets=counts or {},
                                notice=parsed.notice, searched=parsed.searched)
        if total:
            terms = self._highlight_terms(searcher, plan) if highlight else None
            ranked = rank(searcher, cache, plan, mask, total, sort, page * per_page)
            results.hits = [self._hit(searcher, docnum, score, terms)
                            for docnum, score in ranked[(page - 1) * per_page :]]
        elif parsed.free_text:
            results.suggestion = suggest(searcher, cache, parsed.raw, parsed.free_text)
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
        columns = {"issuer": "issuer_f", "reference": "reference"}
        if field not in columns:
            raise QueryError(f"Không gợi ý được cho trường “{field}”")
        searcher = self.searcher()
        cache = self.generation_cache(searcher)
        vocabulary = cache.vocabulary(columns[field], searcher.reader())
        return complete(vocabulary, prefix, reference=field == "reference", limit=limit)


def _newer(token: Token, than: Token) -> bool:
    """Whether generation `token` comes after `than` (another directory: a rebuild, newer)."""
    return token[0] != than[0] or token[1] > than[1]


def check_page(page: int, per_page: int, sort: str) -> None:
    if sort not in SORTS:
        raise QueryError(f"Cách sắp xếp “{sort}” không hợp lệ (relevance, newest, oldest)")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise QueryError(f"Số kết quả mỗi trang phải từ 1 đến {MAX_PER_PAGE}")
    if page < 1 or page * per_page > MAX_RESULTS:
        raise QueryError(f"Trang {page} không hợp lệ (chỉ xem được {MAX_RESULTS} kết quả đầu)")
