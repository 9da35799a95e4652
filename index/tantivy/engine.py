"""The tantivy engine: the same searches, results and facets as the Whoosh one
(index.backend.SearchBackend).

One `TantivyIndex` per process, shared by threads (tantivy's searchers are thread-safe and
release the GIL while they search). A commit changes meta.json and a rebuild swaps the
directory: both are noticed by a stat per search, which opens a fresh `_Generation` (searcher
and caches), so nothing stale is served.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections import Counter, OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import tantivy
from rapidfuzz.distance import OSA

from ingest.extract.relations import IN_FORCE
from ingest.store.catalog import CatalogStore

from ..backend import (
    FACET_LIMIT,
    TIME_FACETS,
    VERSION_FILE,
    Hit,
    SearchBackend,
    SearchResults,
    check_page,
)
from ..completion import complete, completed_field, completion_key
from ..documents import Changes
from ..errors import IndexOutdated
from ..highlight import snippet_html
from ..planning import FEW_HITS, IssuerNames, suggestion
from ..querylang import ParsedQuery, parse_query
from ..writing import create_once
from . import sync
from .queries import TantivyPlan, build_plan
from .schema import FACET_FIELDS, folded_tokens

log = logging.getLogger(__name__)

RESULT_CACHE_SIZE = 256  # (total, facets) of recent queries, per generation
# Threads counting totals and facets while the searching thread makes the page (as many as a
# server's threads, `congvan serve --threads`' default: none waits for another's count). Made
# on first use in each process: a pool's threads do not survive a fork, and a process forked
# after a search (a worker pool, a test's) would wait for its count forever.
COUNTING_THREADS = 8
_counting: ThreadPoolExecutor | None = None
_counting_lock = threading.Lock()


def _counting_pool() -> ThreadPoolExecutor:
    global _counting
    with _counting_lock:
        if _counting is None:
            _counting = ThreadPoolExecutor(max_workers=COUNTING_THREADS,
                                           thread_name_prefix="tantivy-count")
        return _counting


def _forget_counting_pool() -> None:
    global _counting, _counting_lock
    _counting, _counting_lock = None, threading.Lock()  # the parent's may be held


os.register_at_fork(after_in_child=_forget_counting_pool)
SORT_FIELDS = {
    "newest": ("sort_new", tantivy.Order.Desc),
    "oldest": ("sort_old", tantivy.Order.Asc),
}
MLT_TERMS = 15


class _Generation:
    """One committed state of the index: its searcher and what is derived from it."""

    def __init__(self, index: tantivy.Index, token: tuple) -> None:
        self.index = index
        self.token = token
        self.searcher = index.searcher()
        self.schema = index.schema
        self.lock = threading.Lock()
        self._results: OrderedDict[str, tuple[int, dict | None]] = OrderedDict()
        self._initials: dict[str, list[tuple[str, int]]] = {}
        self._vocab: dict[str, list[tuple[str, str, int]]] = {}
        self._issuers: IssuerNames | None = None

    def plan(self, parsed: ParsedQuery) -> TantivyPlan:
        """The query plan of a parsed query over this generation's words."""
        return build_plan(parsed, self.schema, self.near, self.prefixed, self.issuers)

    def letters(self, word: str) -> int:
        """The letters holding a folded word in their text."""
        return self.searcher.doc_freq("content", word)

    # -- counts and facets ------------------------------------------------------------------

    def counted(self, key: str, plan: TantivyPlan, facets: bool) -> tuple[int, dict | None]:
        """(total, facets or None) of a query, cached by `key` (its text)."""
        with self.lock:
            found = self._results.get(key)
            if found is not None and (found[1] is not None or not facets):
                self._results.move_to_end(key)
                return found
        if facets:
            found = self._facets(plan.matching)
        else:
            found = (self.searcher.search(plan.matching, limit=1, count=True).count, None)
        with self.lock:
            self._results[key] = found
            while len(self._results) > RESULT_CACHE_SIZE:
                self._results.popitem(last=False)
        return found

    def _facets(self, query: tantivy.Query) -> tuple[int, dict]:
        aggregations = {
            name: {"terms": {"field": fieldname, "size": FACET_LIMIT, "segment_size": 100_000,
                             **({"order": {"_key": "desc"}} if name in TIME_FACETS else {})}}
            for name, fieldname in FACET_FIELDS.items()
        }
        aggregations["total"] = {"value_count": {"field": "sort_new"}}
        found = self.searcher.aggregate(query, aggregations)
        counts = {}
        for name in FACET_FIELDS:
            pairs = [(b["key"], int(b["doc_count"])) for b in found[name]["buckets"]]
            counts[name] = pairs if name in TIME_FACETS else sorted(pairs, key=lambda kv: (-kv[1],
                                                                                      kv[0]))
        return int(found["total"]["value"]), counts

    # -- the words of the index -------------------------------------------------------------

    def near(self, word: str, distance: int) -> list[str]:
        """Indexed words within `distance` edits of `word` that start with its letter, the
        word itself included, most frequent first."""
        return [t for t, _n in self.near_counted(word, distance)]

    def near_counted(self, word: str, distance: int) -> list[tuple[str, int]]:
        """`near`'s words with the number of letters holding each. A swap of two letters next
        to each other is one edit ('hein' → 'hien'), as in Whoosh's fuzzy terms."""
        with self.lock:
            terms = self._initials.get(word[0])
        if terms is None:
            terms = self.searcher.terms_with_prefix("content", word[0])
            with self.lock:
                self._initials[word[0]] = terms
        return [(t, n) for t, n in terms
                if OSA.distance(word, t, score_cutoff=distance) <= distance]

    def prefixed(self, fieldname: str, prefix: str) -> list[str]:
        """The indexed values of a raw field (ref_key, cites) that start with `prefix`."""
        return [t for t, n in self.searcher.terms_with_prefix(fieldname, prefix) if n]

    def issuers(self, words: list[str]) -> list[str]:
        """The issuers the folded words typed name (planning.IssuerNames)."""
        if self._issuers is None:
            names = IssuerNames(self.vocabulary("issuer_f"))
            with self.lock:
                self._issuers = names
        return self._issuers.named(words)

    def vocabulary(self, fieldname: str) -> list[tuple[str, str, int]]:
        """(value, folded value, number of letters) of a field, most frequent first."""
        with self.lock:
            found = self._vocab.get(fieldname)
        if found is None:
            terms = self.searcher.terms_with_prefix(fieldname, "",
                                                    filter_query=tantivy.Query.all_query())
            key = completion_key(fieldname)
            found = [(value, key(value), n) for value, n in terms if n]
            with self.lock:
                self._vocab[fieldname] = found
        return found


def _by_score(searcher: tantivy.Searcher, query: tantivy.Query, start: int,
              count: int) -> tuple[list[tuple[float, Any]], int | None]:
    """Hits start..start+count by score, equal scores newest first (planning.newest_key, as
    Whoosh ranks them): every letter scoring as the last one wanted is read, so a tie across
    the page's end is broken by date, not by where tantivy happened to store the letters.
    With them, how many letters the query matches when fewer than start+count (all were
    read), else None.

    Each search scores every matching letter (a phrase or a required word leaves tantivy no
    block to skip): one more than wanted is asked first, so a page whose last score is not
    tied needs one search, not two."""
    want = start + count
    limit = want + 1
    while True:
        hits = searcher.search(query, limit=limit, count=False).hits
        if len(hits) < limit or hits[-1][0] < hits[want - 1][0]:
            break
        limit *= 4
    matched = len(hits) if len(hits) < want else None
    if matched is None:
        hits = [hit for hit in hits if hit[0] >= hits[want - 1][0]]
    keys = searcher.fast_field_values("sort_new", [address for _score, address in hits])
    order = sorted(range(len(hits)), key=lambda i: (-hits[i][0], -(keys[i] or 0)))
    return [hits[i] for i in order[start:want]], matched


def _ranked(searcher: tantivy.Searcher, plan: TantivyPlan, start: int,
            count: int) -> list[tuple[float, Any]]:
    """Hits start..start+count by relevance: with accented words typed, the letters holding
    every one exactly as typed first, then the others (as Whoosh ranks them)."""
    if plan.accents is None:
        return _by_score(searcher, plan.query, start, count)[0]
    Occur = tantivy.Occur
    # The accented words filter the first tier (scoring nothing more): plan.query already
    # holds their bonus, which a second scored clause counted twice (Whoosh counts it once).
    only = tantivy.Query.const_score_query(plan.accents, 0.0)
    exact = tantivy.Query.boolean_query([(Occur.Must, plan.query), (Occur.Must, only)])
    hits, exact_total = _by_score(searcher, exact, start, count)
    if exact_total is None:  # the first tier fills the page
        return hits
    others = tantivy.Query.boolean_query([(Occur.Must, plan.query),
                                          (Occur.MustNot, plan.accents)])
    return hits + _by_score(searcher, others, max(0, start - exact_total),
                            count - len(hits))[0]


class TantivyIndex(SearchBackend):
    engine = "tantivy"

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._generation: _Generation | None = None

    @classmethod
    def open(cls, index_dir: Path) -> TantivyIndex:
        index_dir = Path(index_dir)
        create_once(index_dir, sync.create_tantivy,
                    lambda where: (where / "meta.json").exists())
        return cls(index_dir)

    @property
    def needs_rebuild(self) -> bool:
        try:
            version = (self.index_dir / VERSION_FILE).read_text().strip()
        except OSError:
            return True
        return version != sync.VERSION or not tantivy.Index.is_compatible(str(self.index_dir))

    def is_empty(self) -> bool:
        return self.generation().searcher.num_docs == 0

    def close(self) -> None:
        with self._lock:
            self._generation = None

    def generation(self) -> _Generation:
        """The searcher and caches of the latest commit (reopened after a commit or a rebuild)."""
        try:
            meta = os.stat(self.index_dir / "meta.json")
            token = (os.stat(self.index_dir).st_ino, meta.st_ino, meta.st_mtime_ns, meta.st_size)
        except OSError:
            token = None
        with self._lock:
            current = self._generation
            if current is not None and current.token == token:
                return current
            if token is None or self.needs_rebuild:
                raise IndexOutdated(
                    "Chỉ mục tìm kiếm đã cũ (phiên bản khác); hãy chạy `congvan reindex`"
                )
            if current is not None and current.token[0] == token[0]:
                index = current.index
                index.reload()
            else:
                index = sync.open_tantivy_index(self.index_dir)
            self._generation = _Generation(index, token)
            return self._generation

    # -- search ---------------------------------------------------------------------------

    def search(
        self, query: str, *, page: int = 1, per_page: int = 20, sort: str = "relevance",
        facets: bool = True, highlight: bool = True,
    ) -> SearchResults:
        check_page(page, per_page, sort)
        parsed = parse_query(query)
        generation = self.generation()
        plan = generation.plan(parsed)
        # Counting (the total and facets: every matching letter) and the page (its letters
        # ranked, read and highlighted) are two passes over the index that need nothing of
        # each other: tantivy lets go of the GIL while it counts, so on a second core the
        # page is made meanwhile, and a search takes the longer of the two, not their sum.
        counting = _counting_pool().submit(generation.counted, query, plan, facets)
        hits = self._page(generation, plan, page, per_page, sort, highlight)
        total, counts = counting.result()
        results = SearchResults(total, page, per_page, facets=counts or {},
                                notice=parsed.notice or plan.notice, searched=parsed.searched)
        results.hits = hits if total else []
        if parsed.free_text and total <= FEW_HITS:
            results.suggestion = self._suggest(generation, parsed.raw, parsed.free_text, total)
        return results

    def _page(self, generation: _Generation, plan: TantivyPlan, page: int, per_page: int,
              sort: str, highlight: bool) -> list[Hit]:
        start = (page - 1) * per_page
        if sort == "relevance" and not plan.matches_all:
            found = _ranked(generation.searcher, plan, start, per_page)
        else:
            fieldname, order = SORT_FIELDS["newest" if sort == "relevance" else sort]
            found = generation.searcher.search(plan.query, limit=per_page, offset=start,
                                               count=False, order_by_field=fieldname,
                                               order=order).hits
        scored = sort == "relevance" and not plan.matches_all
        terms = plan.highlight if highlight else None
        return [self._hit(generation, address, score if scored else 0.0, terms)
                for score, address in found]

    @staticmethod
    def _snippet_text(generation: _Generation, address: Any) -> str:
        return generation.searcher.doc(address).get_first("snippet_text").decode()

    def _hit(self, generation: _Generation, address: Any, score: float,
             terms: set[str] | None) -> Hit:
        doc = generation.searcher.doc(address)
        shown = json.loads(doc.get_first("shown"))
        return Hit(
            id=shown["id"], reference=shown["reference"], doc_type=shown["doc_type"],
            issuer=shown["issuer"], date=shown["date"], subject=shown["subject"],
            filename=shown["filename"], score=float(score),
            snippet_html=(snippet_html(doc.get_first("snippet_text").decode(), terms)
                          if terms is not None else ""),
            symbol=shown["symbol"], needs_review=bool(shown["needs_review"]),
            validity=shown.get("validity") or IN_FORCE,
        )

    def _suggest(self, generation: _Generation, raw: str, free_text: str,
                 found: int) -> str | None:
        """'Did you mean': the shared rule (index.planning.suggestion) over this index's words
        and counts."""
        def total(query: str) -> int:
            plan = generation.plan(parse_query(query))
            return generation.counted(query, plan, False)[0]

        return suggestion(raw, free_text, found, generation.letters, generation.near_counted,
                          total)

    # -- more like this, autocomplete -------------------------------------------------------

    def more_like_this(self, doc_id: str, limit: int = 5) -> list[Hit]:
        generation = self.generation()
        searcher, schema = generation.searcher, generation.schema
        own = tantivy.Query.term_query(schema, "id", doc_id)
        found = searcher.search(own, limit=1).hits
        if not found:
            return []
        words = Counter(w for w in folded_tokens(self._snippet_text(generation, found[0][1]))
                        if len(w) > 1 and not w.isdigit())
        size = searcher.num_docs or 1
        weights = {w: n / (1 + searcher.doc_freq("content", w)) for w, n in
                   words.most_common(200)}
        keys = sorted(weights, key=weights.__getitem__, reverse=True)[:MLT_TERMS]
        if not keys or size < 2:
            return []
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "content", w)) for w in keys]
            + [(tantivy.Occur.MustNot, own)])
        return [self._hit(generation, address, score, None)
                for score, address in searcher.search(query, limit=limit).hits]

    def autocomplete(self, prefix: str, field: str = "issuer", limit: int = 10) -> list[str]:
        vocabulary = self.generation().vocabulary(completed_field(field))
        return complete(vocabulary, prefix, reference=field == "reference", limit=limit)

    # -- writing (index.backend: sync, rebuild, check) -------------------------------------

    def indexed_stamps(self) -> dict[str, str]:
        """id → stamp of every live letter in the index (deleted ones are filtered out)."""
        searcher = self.generation().searcher
        pairs = searcher.terms_with_prefix("id_stamp", "", filter_query=tantivy.Query.all_query())
        return dict(term.split(" ", 1) for term, count in pairs if count)

    def indexed_stamps_of(self, ids: Sequence[str]) -> dict[str, str]:
        """id → stamp of those of `ids` in the index, each looked up by its own terms."""
        searcher, live = self.generation().searcher, tantivy.Query.all_query()
        found = {}
        for doc_id in ids:
            for term, count in searcher.terms_with_prefix("id_stamp", f"{doc_id} ",
                                                          filter_query=live):
                if count:
                    found[doc_id] = term.split(" ", 1)[1]
        return found

    @classmethod
    def fill(cls, catalog: CatalogStore, fresh: Path) -> int:
        return sync.fill(catalog, fresh)

    def write_changes(self, catalog: CatalogStore, changes: Changes) -> dict[str, int]:
        return sync.write_changes(self.index_dir, catalog, changes)
