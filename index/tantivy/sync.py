"""Writing the tantivy index: a new index, the changes of a sync in one commit (rolled back if
it fails) and the fill of a rebuild (the lock and the swap are index.writing's)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import tantivy

from ingest.store.archive import owner_only_files
from ingest.store.catalog import CatalogStore

from ..backend import VERSION_FILE
from ..documents import Changes, catalog_row, index_record, stamped_rows
from .schema import TANTIVY_SCHEMA_VERSION, build_schema, register_analyzers, to_document

log = logging.getLogger(__name__)

VERSION = f"tantivy {TANTIVY_SCHEMA_VERSION}"
SYNC_HEAP = 64 << 20
BULK_HEAP = 512 << 20  # split between the writer's threads; fewer, larger segments


def create_tantivy(index_dir: Path) -> None:
    """An empty index of the current schema version in `index_dir`."""
    with owner_only_files():  # like the rest of the archive
        index_dir.mkdir(parents=True, exist_ok=True)
        tantivy.Index(build_schema(), path=str(index_dir))
        (index_dir / VERSION_FILE).write_text(f"{VERSION}\n")


def open_tantivy_index(path: Path) -> tantivy.Index:
    index = tantivy.Index.open(str(path))
    register_analyzers(index)
    return index


def write_changes(index_dir: Path, catalog: CatalogStore, changes: Changes) -> dict[str, int]:
    """Add, replace and delete the letters of `changes` in one commit."""
    counts = {"added": 0, "updated": 0, "deleted": 0}
    writer = open_tantivy_index(index_dir).writer(heap_size=SYNC_HEAP, num_threads=1)
    stale = set(changes.stale)  # a list's `in` made a sync of n stale letters cost n²
    try:
        for doc_id in changes.missing + changes.stale:
            row = catalog_row(catalog, doc_id)
            if row is None:
                continue
            if doc_id in stale:  # replaced: tantivy has no update
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
    return counts


def fill(catalog: CatalogStore, fresh: Path) -> int:
    """A whole index of the catalog's letters in `fresh`; the number of letters."""
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
