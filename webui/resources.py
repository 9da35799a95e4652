"""Per-request catalog connections and the per-process search index."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from flask import Flask, current_app, g

from index import SearchBackend, open_index, update_index
from index.intake import DEFERRED, SYNCED
from ingest import Archive, CatalogStore, open_catalog
from ingest.errors import MachineError

log = logging.getLogger(__name__)

_INDEX_LOCK = threading.Lock()


class ArchiveMissing(MachineError):
    """The configured archive has no catalog yet."""


def get_archive() -> Archive:
    """The configured archive; its catalog in PostgreSQL when CATALOG holds a URL."""
    return Archive(Path(current_app.config["ARCHIVE"]), current_app.config.get("CATALOG"),
                   current_app.config.get("INDEX_DIR"))


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
    follower = current_app.config.get("INDEX_FOLLOWER")
    if follower is not None:  # a search node: the index its follower keeps
        return follower.index
    cached = current_app.extensions.get("congvan_index")
    if cached is not None:
        return cached
    with _INDEX_LOCK:
        cached = current_app.extensions.get("congvan_index")
        if cached is None:
            cached = open_index(existing_archive().index_dir, current_app.config["ENGINE"])
            current_app.extensions["congvan_index"] = cached
    return cached


FOLLOW_WAIT_SECONDS = 2.0


def refresh_index() -> str:
    """After a write to the catalog (a correction, the trash, a batch done): make the change
    searchable before answering. A search node waits for its follower to reach the catalog's
    latest change (the web app never writes a node's index itself); otherwise the index is
    synced now. "synced", or why not ("deferred": busy, it catches up at the next sync)."""
    follower = current_app.config.get("INDEX_FOLLOWER")
    if follower is not None:
        caught_up = follower.wait_for(get_catalog().last_change(), FOLLOW_WAIT_SECONDS)
        return SYNCED if caught_up else DEFERRED
    return update_index(get_archive(), get_index()).status


def _close_catalog(_error: BaseException | None = None) -> None:
    catalog = g.pop("catalog", None)
    if catalog is not None:
        catalog.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_close_catalog)
