"""The trash: a letter deleted by an admin waits there, hidden from search, lists and the API,
until it is restored or purged. A purge removes its catalog rows and its original file; an index
drops it at its next sync (the catalog no longer feeds it). Letters in the trash longer than the
retention (`Settings.trash_days`) are purged by `congvan trash purge-expired` and at serve's
start.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ingest.store.archive import Archive
from ingest.store.catalog import CatalogStore


def purge(archive: Archive, catalog: CatalogStore, document_id: str) -> None:
    """Delete a letter in the trash for good: its rows first, then its original (a file left
    by a crash between the two is bytes no row points to, never a row without its file).
    LookupError if it is not in the trash."""
    for sha256 in catalog.purge_document(document_id):
        archive.original_path(sha256).unlink(missing_ok=True)


def expired(catalog: CatalogStore, days: int, now: datetime | None = None) -> list[str]:
    """The ids of the letters in the trash for more than `days` days."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    return [row["id"] for row in
            catalog.trashed_documents(before=cutoff.isoformat(timespec="seconds"))]


def purge_expired(archive: Archive, catalog: CatalogStore, days: int,
                  now: datetime | None = None) -> list[str]:
    """Purge the letters in the trash for more than `days` days; their ids."""
    purged = expired(catalog, days, now)
    for document_id in purged:
        purge(archive, catalog, document_id)
    return purged
