"""Writing the index: one writer at a time, every write commits whole or cancels.

The index is derived from the catalog. `sync_index` brings it up to date (adds, updates,
deletes), `rebuild_index` builds a fresh copy beside it and swaps it in, `check_index` reports
what disagrees. The lock file sits beside the index directory, so it survives the swap.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout
from whoosh import index as windex
from whoosh.writing import IndexWriter

from ingest.errors import ArchiveBusy
from ingest.store.archive import owner_only_files
from ingest.store.catalog import Catalog

from .documents import catalog_row, document_fields, pending_changes, stamped_rows
from .engine import SearchIndex, create_index, open_index

log = logging.getLogger(__name__)

WRITER_MEMORY_MB = 256
LOCK_TIMEOUT = 10.0


def lock_path(index_dir: Path) -> Path:
    return index_dir.parent / f".{index_dir.name}.write.lock"


@contextmanager
def write_lock(index_dir: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the index's write lock, or raise ArchiveBusy after `timeout` seconds."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path(index_dir)), mode=0o600)
    try:
        lock.acquire(timeout=timeout)
    except Timeout as error:
        raise ArchiveBusy(
            f"Chỉ mục {index_dir} đang được một tiến trình khác ghi; hãy thử lại sau"
        ) from error
    try:
        with owner_only_files():  # the engines' files, like the rest of the archive
            yield
    finally:
        lock.release()


@contextmanager
def open_writer(index_dir: Path, *, bulk: bool = False) -> Iterator[IndexWriter]:
    """A Whoosh writer that is committed when the block ends and cancelled if it raises."""
    writer = windex.open_dir(str(index_dir)).writer(limitmb=WRITER_MEMORY_MB, procs=1, timeout=5.0)
    try:
        yield writer
    except BaseException:
        writer.cancel()
        raise
    writer.commit(merge=not bulk, optimize=bulk)


def indexed_stamps(idx: SearchIndex) -> dict[str, str]:
    searcher = idx.searcher()
    reader = searcher.reader()
    if not reader.doc_count_all():
        return {}
    ids = list(reader.column_reader("id"))
    stamps = list(reader.column_reader("stamp"))
    return {ids[d]: stamps[d] for d in reader.all_doc_ids()}


def sync_index(catalog: Catalog, idx: SearchIndex, *, timeout: float = LOCK_TIMEOUT) -> dict:
    """Add letters missing from the index, update stale ones, delete those gone from the
    catalog. Returns the counts; rebuilds instead when the schema version changed. Nothing to
    do opens no writer (an empty Whoosh writer leaves files behind)."""
    if idx.needs_rebuild:
        rebuild_index(catalog, idx.index_dir, timeout=timeout)
        return {"rebuilt": True, "added": len(catalog.document_ids()), "updated": 0, "deleted": 0}
    counts = {"rebuilt": False, "added": 0, "updated": 0, "deleted": 0}
    with write_lock(idx.index_dir, timeout):
        changes = pending_changes(catalog, indexed_stamps(idx))
        if changes:
            with open_writer(idx.index_dir) as writer:
                for doc_id in changes.missing + changes.stale:
                    row = catalog_row(catalog, doc_id)
                    if row is None:
                        continue
                    fields = document_fields(row, changes.stamps[doc_id])
                    if doc_id in changes.missing:
                        writer.add_document(**fields)
                        counts["added"] += 1
                    else:
                        writer.update_document(**fields)
                        counts["updated"] += 1
                for doc_id in changes.extra:
                    writer.delete_by_term("id", doc_id)
                    counts["deleted"] += 1
    log.info("index: %(added)d added, %(updated)d updated, %(deleted)d deleted", counts)
    return counts


def rebuild_index(catalog: Catalog, index_dir: Path, *, timeout: float = LOCK_TIMEOUT
                  ) -> SearchIndex:
    """Build the whole index from the catalog in a fresh directory, then swap it in."""

    def fill(fresh: Path) -> int:
        create_index(fresh)
        count = 0
        with open_writer(fresh, bulk=True) as writer:
            for row, stamp in stamped_rows(catalog):
                writer.add_document(**document_fields(row, stamp))
                count += 1
        return count

    rebuild_beside(Path(index_dir), fill, timeout)
    return open_index(index_dir)


def rebuild_beside(index_dir: Path, fill: Callable[[Path], int], timeout: float) -> None:
    """Under the write lock, `fill` builds a whole index in a fresh directory (returning the
    number of letters), which then replaces `index_dir`; a failure leaves the old one as it was."""
    with write_lock(index_dir, timeout):
        fresh = fresh_dir(index_dir)
        try:
            count = fill(fresh)
            swap_in(fresh, index_dir)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
    log.info("index rebuilt: %d letters", count)


def fresh_dir(index_dir: Path) -> Path:
    """Where a rebuild writes before swapping in (leftovers of a killed rebuild removed)."""
    for leftover in index_dir.parent.glob(f".{index_dir.name}.[no][el][wd]-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    return index_dir.with_name(f".{index_dir.name}.new-{os.getpid()}")


def swap_in(fresh: Path, index_dir: Path) -> None:
    old = index_dir.with_name(f".{index_dir.name}.old-{os.getpid()}")
    if index_dir.exists():
        os.replace(index_dir, old)
    os.replace(fresh, index_dir)
    shutil.rmtree(old, ignore_errors=True)
