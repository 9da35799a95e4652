"""The archive on disk: originals, the catalog (all SQL) and staging of new files.

`open_catalog` lives here, above the catalog's interface (catalog.py) and its implementations
(catalog_sql.py for both engines, catalog_sqlite.py and catalog_postgres.py), which import the
interface.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import UsageError
from ingest.store.archive import is_catalog_url

if TYPE_CHECKING:
    from ingest.store.catalog import CatalogStore


def open_catalog(location: Path | str, *, cache_mb: int | None = None) -> CatalogStore:
    """The catalog at `location`, created and brought to the latest schema as needed: a
    PostgreSQL database at a `postgresql://` (or `postgres://`) URL, else a SQLite file's path.
    `cache_mb`: a SQLite connection's page cache, for a long writer (PostgreSQL's is the
    server's).
    """
    text = str(location)
    if is_catalog_url(text):
        from ingest.store.catalog_postgres import PostgresCatalog  # psycopg loads only here

        return PostgresCatalog(text)
    if "://" in text:
        raise UsageError(f"a catalog is a SQLite file's path or a postgresql:// URL, not {text}")
    from ingest.store.catalog_sqlite import SqliteCatalog  # loaded when a catalog is opened

    return SqliteCatalog(location, cache_mb=cache_mb)
