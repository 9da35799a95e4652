"""The archive directory: content-addressed originals, quarantined failures, the catalog.

Layout::

    archive/
      originals/ab/abcdef…   every ingested file, named by its SHA-256, never modified
      quarantine/ab/abcdef…  bytes of files that failed, kept for a later look
      staging/               copies being processed (renamed into one of the above)
      catalog.sqlite3        the source of truth (see catalog.py)
      index/                 the search index, derived and rebuildable
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import ArchiveWriteError

DEFAULT_ARCHIVE = Path("archive")


def document_id_for(sha256: str) -> str:
    """A short, stable id derived from the content: the same bytes get the same id anywhere."""
    return sha256[:12]


class Archive:
    """Where everything lives inside one archive directory."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.originals = self.root / "originals"
        self.quarantine = self.root / "quarantine"
        self.staging = self.root / "staging"
        self.catalog_path = self.root / "catalog.sqlite3"
        self.index_dir = self.root / "index"

    def create(self) -> None:
        try:
            for folder in (self.root, self.originals, self.quarantine, self.staging):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ArchiveWriteError(f"cannot create the archive at {self.root}: {error}") from error

    def original_path(self, sha256: str) -> Path:
        return self.originals / sha256[:2] / sha256

    def quarantine_path(self, sha256: str) -> Path:
        return self.quarantine / sha256[:2] / sha256


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
