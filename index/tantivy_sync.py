"""Writing the tantivy index: the same contract as index.sync (one writer at a time under
the same lock file, a write commits whole or rolls back, rebuilds swap a fresh directory in)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import tantivy

from ingest.store.catalog import Catalog

from .documents import catalog_row, index_record, pending_changes, stamped_rows
from .sync import LOCK_TIMEOUT, rebuild_beside, write_lock
from .tantivy_engine import TantivyIndex, create_tantivy, open_tantivy_index
from .tantivy_schema import to_document

log = logging.getLogger(__name__)

SYNC_HEAP = 64 << 20
BULK_HEAP = 512 << 20  # split between the writer's threads; fewer, larger segments


def open_tantivy(index_dir: Path) -> TantivyIndex:
    """Open (or create) the tantivy index in `index_dir`."""
    index_dir = Path(index_dir)
    if not (index_dir / "meta.json").exists():
        create_tantivy(index_dir)
    return TantivyIndex(index_dir)


def indexed_stamps(idx: TantivyIndex) -> dict[str, str]:
    """id → stamp of every live letter in the index (deleted ones are filtered out)."""
    searcher = idx.generation().searcher
    pairs = searcher.terms_with_prefix("id_stamp", "", filter_query=tantivy.Query.all_query())
    return dict(term.split(" ", 1) for term, count in pairs if count)


def sync_tantivy(catalog: Catalog, idx: TantivyIndex, *, timeout: float = LOCK_TIMEOUT) -> dict:
    """Add letters missing from the index, update stale ones, delete those gone."""
    if idx.needs_rebuild:
        rebuild_tantivy(catalog, idx.index_dir, timeout=timeout)
        return {"rebuilt": True, "added": len(catalog.document_ids()), "updated": 0, "deleted": 0}
    counts = {"rebuilt": False, "added": 0, "updated": 0, "deleted": 0}
    with write_lock(idx.index_dir, timeout):
        changes = pending_changes(catalog, indexed_stamps(idx))
        if not changes:
            return counts
        writer = open_tantivy_index(idx.index_dir).writer(heap_size=SYNC_HEAP, num_threads=1)
        try:
            for doc_id in changes.missing + changes.stale:
                row = catalog_row(catalog, doc_id)
                if row is None:
                    continue
                if doc_id in changes.stale:  # replaced: tantivy has no update
                    writer.delete_documents_by_term("id", doc_id)
                    counts["updated"] += 1
                else:
                    counts["added"] += 1
                writer.add_document(to_document(index_record(row, changes.stamps[doc_id])))
            for doc_id in changes.extra:
                writer.delete_documents_by_term("id", doc_id)
                counts["deleted"] += 1
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
    log.info("index: %(added)d added, %(updated)d updated, %(deleted)d deleted", counts)
    return counts


def rebuild_tantivy(catalog: Catalog, index_dir: Path, *, timeout: float = LOCK_TIMEOUT
                    ) -> TantivyIndex:
    """Build the whole index from the catalog in a fresh directory, then swap it in."""

    def fill(fresh: Path) -> int:
        create_tantivy(fresh)
        writer = open_tantivy_index(fresh).writer(heap_size=BULK_HEAP,
                                                  num_threads=min(4, os.cpu_count() or 1))
        count = 0
        for row, stamp in stamped_rows(catalog):
            writer.add_document(to_document(index_record(row, stamp)))
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        return count

    rebuild_beside(Path(index_dir), fill, timeout)
    return open_tantivy(index_dir)
