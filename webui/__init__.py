"""The web UI (Vietnamese) and JSON API over the archive's catalog and search index."""

from .app import create_app

__all__ = ["create_app"]
