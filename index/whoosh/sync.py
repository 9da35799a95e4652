"""Writing the Whoosh index: a new index, a writer that commits whole or cancels, the changes
of a sync and the fill of a rebuild (the lock and the swap are index.writing's)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as windex
from whoosh.writing import IndexWriter

from ingest.store.archive import owner_only_files
from ingest.store.catalog import CatalogStore

from ..backend import VERSION_FILE
from ..documents import Changes, catalog_row, stamped_rows
from .schema import SCHEMA_VERSION, build_schema, document_fields

log = logging.getLogger(__name__)

WRITER_MEMORY_MB = 256


def create_index(index_dir: Path) -> windex.Index:
    """An empty index of the current schema version in `index_dir`."""
    with owner_only_files():  # like the rest of the archive
        index_dir.mkdir(parents=True, exist_ok=True)
        ix = windex.create_in(str(index_dir), build_schema())
        (index_dir / VERSION_FILE).write_text(f"{SCHEMA_VERSION}\n")
    return ix


def stored_version(index_dir: Path) -> int | None:
    try:
        return int((index_dir / VERSION_FILE).read_text().strip())
    except (OSError, ValueError):
        return None


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


def write_changes(index_dir: Path, catalog: CatalogStore, changes: Changes) -> dict[str, int]:
    """Add, update and delete the letters of `changes` in one commit."""
    counts = {"added": 0, "updated": 0, "deleted": 0}
    missing = set(changes.missing)  # a list's `in` made a sync of n new letters cost n²
    with open_writer(index_dir) as writer:
        for doc_id in changes.missing + changes.stale:
            row = catalog_row(catalog, doc_id)
            if row is None:
                continue
            fields = document_fields(row, changes.stamps[doc_id])
            if doc_id in missing:
                writer.add_document(**fields)
                counts["added"] += 1
            else:
                writer.update_document(**fields)
                counts["updated"] += 1
        for doc_id in changes.extra:
            writer.delete_by_term("id", doc_id)
            counts["deleted"] += 1
    return counts


def fill(catalog: CatalogStore, fresh: Path) -> int:
    """A whole index of the catalog's letters in `fresh`; the number of letters."""
    create_index(fresh)
    count = 0
    with open_writer(fresh, bulk=True) as writer:
        for row, stamp in stamped_rows(catalog):
            writer.add_document(**document_fields(row, stamp))
            count += 1
    return count
