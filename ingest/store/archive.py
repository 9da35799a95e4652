"""The archive directory: content-addressed originals, quarantined failures, the catalog.

Layout::

    archive/
      originals/ab/abcdef…   every ingested file, named by its SHA-256, never modified
      quarantine/ab/abcdef…  bytes of files that failed, kept for a later look
      staging/               copies being processed (renamed into one of the above)
      incoming/ab/abcdef…/NAME  files staged for the job queue, waiting for a worker
      catalog.sqlite3        the source of truth (see catalog.py), unless the catalog is
                             a PostgreSQL database (`catalog`, a postgresql:// URL)
      index/                 the search index, derived and rebuildable

Everything in it is readable by its owner only (folders 0700, files 0600, originals 0400): the
catalog holds password hashes and every letter's text, originals and quarantine hold the bytes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ingest.errors import ArchiveWriteError

DEFAULT_ARCHIVE = Path("archive")
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def document_id_for(sha256: str) -> str:
    """A short, stable id derived from the content: the same bytes get the same id anywhere."""
    return sha256[:12]


def is_catalog_url(location: Path | str | None) -> bool:
    """Whether `location` names a PostgreSQL catalog rather than a SQLite file."""
    return location is not None and str(location).startswith(POSTGRES_SCHEMES)


class Archive:
    """Where everything lives inside one archive directory; `catalog`, a postgresql:// URL,
    keeps the catalog in PostgreSQL instead of the folder's SQLite file (originals stay in the
    folder); `index_dir` puts the search index elsewhere (a search node's own)."""

    def __init__(self, root: Path | str, catalog: str | None = None,
                 index_dir: Path | str | None = None) -> None:
        self.root = Path(root)
        self.catalog_url = catalog or None
        self.originals = self.root / "originals"
        self.quarantine = self.root / "quarantine"
        self.staging = self.root / "staging"
        self.incoming = self.root / "incoming"
        self.catalog_path = self.root / "catalog.sqlite3"
        # A search node keeps its own index (its own disk) beside a shared archive folder.
        self.index_dir = Path(index_dir) if index_dir else self.root / "index"

    @property
    def catalog_location(self) -> Path | str:
        """What open_catalog takes: the PostgreSQL URL, or the SQLite file."""
        return self.catalog_url or self.catalog_path

    def has_catalog(self) -> bool:
        """Whether there is a catalog to read: always for PostgreSQL (the server has it, or
        opening it makes it), for SQLite when its file exists."""
        return self.catalog_url is not None or self.catalog_path.is_file()

    def create(self) -> None:
        """Create the archive's folders, owner-only; an archive made before that is tightened
        (group and other bits removed, an owner's read-only choice kept)."""
        try:
            self.root.parent.mkdir(parents=True, exist_ok=True)
            for folder in (self.root, self.originals, self.quarantine, self.staging):
                folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
            for path in (self.root, self.originals, self.quarantine, self.staging,
                         *self.root.glob(f"{self.catalog_path.name}*")):
                owner_only_mode(path)
        except OSError as error:
            raise ArchiveWriteError(f"cannot create the archive at {self.root}: {error}") from error

    def original_path(self, sha256: str) -> Path:
        return self.originals / sha256[:2] / sha256

    def quarantine_path(self, sha256: str) -> Path:
        return self.quarantine / sha256[:2] / sha256

    def incoming_path(self, sha256: str, name: str) -> Path:
        """Where a file queued for a worker waits (ingest.jobqueue): content-addressed like
        the originals, under the name it came with (its catalog record's filename)."""
        return self.incoming / sha256[:2] / sha256 / name


def owner_only_mode(path: Path) -> None:
    """Remove group and other permission bits of `path` (not following a link). A path gone
    meanwhile is no error: SQLite removes the catalog's -wal and -shm files when its last
    connection closes, in another thread or process, between a listing and this call."""
    try:
        mode = path.lstat().st_mode
        if mode & 0o077 and not os.path.islink(path):
            os.chmod(path, mode & 0o7700)
    except FileNotFoundError:
        pass


@contextmanager
def owner_only_files() -> Iterator[None]:
    """Files and folders created meanwhile (by a library: the search engines) are owner-only.

    The umask is process-wide: use it only around writes that are not nested across threads
    (the index's writes, one at a time under its lock)."""
    previous = os.umask(0o077)
    os.umask(previous | 0o077)
    try:
        yield
    finally:
        os.umask(previous)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
