"""Ingest letters: read, OCR, clean, extract metadata, and archive them durably.

The names below load on first use (PEP 562): `import ingest.store.catalog` runs this file first,
and `congvan stats` or `congvan user add` need the catalog without the PDF and image readers.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ingest.errors import CongvanError, ExitCode, exit_code_for
    from ingest.extract.metadata import extract_metadata
    from ingest.pipeline import FileOutcome, IngestReport, ingest_paths
    from ingest.store import open_catalog
    from ingest.store.archive import DEFAULT_ARCHIVE, Archive
    from ingest.store.catalog import CatalogStore

_HOMES = {
    "CongvanError": "ingest.errors",
    "ExitCode": "ingest.errors",
    "exit_code_for": "ingest.errors",
    "extract_metadata": "ingest.extract.metadata",
    "FileOutcome": "ingest.pipeline",
    "IngestReport": "ingest.pipeline",
    "ingest_paths": "ingest.pipeline",
    "DEFAULT_ARCHIVE": "ingest.store.archive",
    "Archive": "ingest.store.archive",
    "CatalogStore": "ingest.store.catalog",
    "open_catalog": "ingest.store",
}

__all__ = [
    "DEFAULT_ARCHIVE",
    "Archive",
    "CatalogStore",
    "CongvanError",
    "ExitCode",
    "FileOutcome",
    "IngestReport",
    "exit_code_for",
    "extract_metadata",
    "ingest_paths",
    "open_catalog",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'ingest' has no attribute {name!r}")
    value = getattr(import_module(_HOMES[name]), name)
    globals()[name] = value  # once loaded, a plain attribute
    return value
