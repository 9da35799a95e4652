"""What every search engine offers (`SearchBackend`) and what its searches answer (`Hit`,
`SearchResults`).

An engine (index.whoosh, index.tantivy) keeps its own index of the archive in its own
directory; both are derived from the catalog the same way, so syncing and checking are written
here once: an engine says which letters it holds (`indexed_stamps`), how to write the changes
(`write_changes`) and how to build a whole index (`fill`); the lock and the swap of a rebuild
are index.writing's.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Self

from ingest.extract.relations import IN_FORCE
from ingest.store.catalog import CatalogStore

from .documents import Changes, letters_changes, pending_changes
from .errors import QueryError
from .marks import catalog_mark, changed_pages, read_mark, trusted, write_mark
from .writing import LOCK_TIMEOUT, rebuild_beside, write_lock

log = logging.getLogger(__name__)

VERSION_FILE = "congvan-schema-version"  # in each engine's directory: its schema version
MAX_PER_PAGE = 100
MAX_RESULTS = 10_000
SORTS = ("relevance", "newest", "oldest")
FACET_LIMIT = 30  # values per facet
# Facets of periods: their newest FACET_LIMIT values, newest first (the others: the most held).
TIME_FACETS = ("year", "month")


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
    validity: str = IN_FORCE  # what later letters did to it ('bi-thay-the' …: index.documents)


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


def check_page(page: int, per_page: int, sort: str) -> None:
    if sort not in SORTS:
        raise QueryError(f"Cách sắp xếp “{sort}” không hợp lệ (relevance, newest, oldest)")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise QueryError(f"Số kết quả mỗi trang phải từ 1 đến {MAX_PER_PAGE}")
    if page < 1 or page * per_page > MAX_RESULTS:
        raise QueryError(f"Trang {page} không hợp lệ (chỉ xem được {MAX_RESULTS} kết quả đầu)")


class SearchBackend(ABC):
    """One engine's index of an archive, opened once per process and shared by its threads."""

    engine: ClassVar[str]  # its name, as `--engine` takes it
    index_dir: Path

    # -- opening ----------------------------------------------------------------------------

    @classmethod
    @abstractmethod
    def open(cls, index_dir: Path) -> Self:
        """Open the index in `index_dir`, created empty if there is none; an index of another
        schema version opens with `needs_rebuild` set (searches raise IndexOutdated)."""

    @property
    @abstractmethod
    def needs_rebuild(self) -> bool: ...

    @abstractmethod
    def is_empty(self) -> bool: ...

    @abstractmethod
    def close(self) -> None:
        """Let go of this thread's searcher (the next search opens a fresh one)."""

    # -- reading ----------------------------------------------------------------------------

    @abstractmethod
    def search(self, query: str, *, page: int = 1, per_page: int = 20, sort: str = "relevance",
               facets: bool = True, highlight: bool = True) -> SearchResults:
        """One page of the letters matching `query` (index.querylang), with facet counts and
        highlighted snippets unless told not to; a query without hits may get a suggestion."""

    @abstractmethod
    def more_like_this(self, doc_id: str, limit: int = 5) -> list[Hit]:
        """Letters whose text is most like that of `doc_id` (not itself)."""

    @abstractmethod
    def autocomplete(self, prefix: str, field: str = "issuer", limit: int = 10) -> list[str]:
        """Values of `field` (index.completion.COMPLETED_FIELDS) that `prefix` begins."""

    @abstractmethod
    def indexed_stamps(self) -> dict[str, str]:
        """id → stamp (index.documents) of every letter in the index."""

    def indexed_stamps_of(self, ids: Sequence[str]) -> dict[str, str]:
        """id → stamp of those of `ids` the index holds (an engine that can look a letter up
        says so; this reads them all)."""
        wanted = set(ids)
        return {i: stamp for i, stamp in self.indexed_stamps().items() if i in wanted}

    # -- writing: derived from the catalog ----------------------------------------------------

    @classmethod
    @abstractmethod
    def fill(cls, catalog: CatalogStore, fresh: Path) -> int:
        """Build a whole index of the catalog's letters in the empty directory `fresh`; return
        how many letters it holds."""

    @abstractmethod
    def write_changes(self, catalog: CatalogStore, changes: Changes) -> dict[str, int]:
        """Write `changes` in one commit (nothing of them if it fails): counts of the letters
        added, updated and deleted. Called under the write lock."""

    @classmethod
    def rebuild(cls, catalog: CatalogStore, index_dir: Path, *,
                timeout: float = LOCK_TIMEOUT) -> Self:
        """Build the whole index from the catalog in a fresh directory, then swap it in. The
        change sequence is read first: a change committed during the build is synced later."""
        mark = catalog_mark(catalog)

        def fill(fresh: Path) -> int:
            count = cls.fill(catalog, fresh)
            write_mark(fresh, mark)
            return count

        rebuild_beside(Path(index_dir), fill, timeout)
        return cls.open(index_dir)

    def sync(self, catalog: CatalogStore, *, timeout: float = LOCK_TIMEOUT) -> dict:
        """Add letters missing from the index, update stale ones, delete those gone from the
        catalog. Returns the counts; rebuilds instead when the schema version changed. Nothing
        to do opens no writer. Only the letters changed since the index's mark (index.marks)
        are compared, or every letter when the catalog's history cannot be trusted."""
        if self.needs_rebuild:
            self.rebuild(catalog, self.index_dir, timeout=timeout)
            return {"rebuilt": True, "added": len(catalog.document_ids()), "updated": 0,
                    "deleted": 0}
        counts = {"rebuilt": False, "added": 0, "updated": 0, "deleted": 0}
        with write_lock(self.index_dir, timeout):
            latest = catalog.last_change()  # first: a later change is synced the next time
            mark = read_mark(self.index_dir)
            if trusted(catalog, mark, latest):
                assert mark is not None
                for ids, seq in changed_pages(catalog, mark, latest):
                    self._write(catalog, pending_changes(catalog, self.indexed_stamps_of(ids),
                                                         ids), counts)
                    write_mark(self.index_dir, catalog_mark(catalog, seq))
            else:
                self._write(catalog, pending_changes(catalog, self.indexed_stamps()), counts)
            write_mark(self.index_dir, catalog_mark(catalog, latest))
        log.info("index: %(added)d added, %(updated)d updated, %(deleted)d deleted", counts)
        return counts

    def _write(self, catalog: CatalogStore, changes: Changes, counts: dict) -> None:
        if changes:
            for name, n in self.write_changes(catalog, changes).items():
                counts[name] += n

    def sync_letters(self, catalog: CatalogStore, ids: Sequence[str], *,
                     timeout: float = LOCK_TIMEOUT, through: int | None = None) -> dict:
        """Write the letters `ids` again as the catalog has them now, deleting those gone or
        in the trash (a search node following the change sequence: it reads neither the whole
        catalog nor the whole index), and mark the index as holding change `through` when
        given. Rebuilds instead when the schema version changed."""
        if self.needs_rebuild:
            return self.sync(catalog, timeout=timeout)
        with write_lock(self.index_dir, timeout):
            counts = self.write_changes(catalog, letters_changes(catalog, ids))
            if through is not None and trusted(catalog, read_mark(self.index_dir), through):
                write_mark(self.index_dir, catalog_mark(catalog, through))
        log.debug("index: %(updated)d letters written, %(deleted)d deleted", counts)
        return counts

    def check(self, catalog: CatalogStore) -> dict[str, list[str]]:
        """Ids missing from the index, stale in it (the catalog row changed), and extra in it."""
        changes = pending_changes(catalog, self.indexed_stamps())
        return {"missing": changes.missing, "stale": changes.stale, "extra": changes.extra}
