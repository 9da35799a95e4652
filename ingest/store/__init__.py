"""The archive on disk: originals, the catalog (all SQL) and staging of new files.

`open_catalog` lives here, above the catalog's interface (catalog.py) and its implementations
(catalog_sqlite.py), which import the interface.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import UsageError

if TYPE_CHECKING:
    from ingest.store.catalog import CatalogStore


def open_catalog(location: Path | str) -> CatalogStore:
    """The catalog at `location`, created and brought to the latest schema as needed.

    Today a SQLite file's path; a PostgreSQL catalog will be chosen here by its URL.
    """
    if "://" in str(location):
        raise UsageError(f"only a SQLite catalog (a file path) is supported, not {location}")
    from ingest.store.catalog_sqlite import SqliteCatalog  # loaded when a catalog is opened

    return SqliteCatalog(location)
