"""Per-request catalog connections and the per-process search index."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from flask import Flask, current_app, g

from index import SearchBackend, open_index
from ingest import Archive, CatalogStore, open_catalog
from ingest.errors import MachineError

log = logging.getLogger(__name__)

_INDEX_LOCK = threading.Lock()


class ArchiveMissing(MachineError):
    """The configured archive has no catalog yet."""


def get_archive() -> Archive:
    """The configured archive; its catalog in PostgreSQL when CATALOG holds a URL."""
    return Archive(Path(current_app.config["ARCHIVE"]), current_app.config.get("CATALOG"))


def existing_archive() -> Archive:
    """The configured archive; an archive without a catalog is refused, never created here."""
    archive = get_archive()
    if not archive.has_catalog():
        raise ArchiveMissing("Chưa có kho lưu trữ: hãy nạp văn bản bằng `congvan ingest`.")
    return archive


def get_catalog() -> CatalogStore:
    """The request's catalog connection, opened on first use and closed on teardown."""
    if "catalog" not in g:
        g.catalog = open_catalog(existing_archive().catalog_location)
    return g.catalog


def get_index() -> SearchBackend:
    """The search index (of the engine the app's ENGINE names), opened once per process and
    shared by the server's threads."""
    cached = current_app.extensions.get("congvan_index")
    if cached is not None:
        return cached
    with _INDEX_LOCK:
        cached = current_app.extensions.get("congvan_index")
        if cached is None:
            cached = open_index(existing_archive().index_dir, current_app.config["ENGINE"])
            current_app.extensions["congvan_index"] = cached
    return cached


def _close_catalog(_error: BaseException | None = None) -> None:
    catalog = g.pop("catalog", None)
    if catalog is not None:
        catalog.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_close_catalog)
