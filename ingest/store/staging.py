"""Stage an input file inside the archive before anything reads it.

The bytes are copied once, hashed while copying and fsynced (or, for a batch that syncs many at
once, later: `StagedFile.sync`); every later stage reads the staged copy, so what we archive is
exactly what we processed even if the source changes meanwhile. The staged copy, synced, is then
renamed into `originals/` (archived) or `quarantine/` (failed).

A staged name carries its owner, `HOST.PID.RANDOM.part`, so the next run on this host can sweep
what a killed run left as soon as that process is gone; copies from other hosts (an archive on a
shared disk), and from before names carried their owner, are swept after a day.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import socket
import stat
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ingest.errors import ArchiveWriteError, EmptyFile, FileError, UnsupportedType
from ingest.store.archive import PRIVATE_DIR, PRIVATE_FILE, Archive, fsync_dir

MAX_FILE_BYTES = 512 << 20
STALE_STAGING_SECONDS = 24 * 3600


class FileTooLarge(FileError):
    reason = "file-too-large"


class LinkNotFollowed(FileError):
    """The path is a symbolic link: never followed, wherever it points."""

    reason = "symlink"


@dataclass
class StagedFile:
    path: Path
    sha256: str
    size: int

    def sync(self) -> None:
        """Make the staged bytes durable (staged with `sync=False`), before they are moved."""
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as error:
            raise ArchiveWriteError(f"cannot write to the archive: {error.strerror}") from error

    def commit_to(self, target: Path, *, sync: bool = True) -> None:
        """Move the staged bytes, synced, to their content-addressed home (kept if already
        there). `sync=False` leaves the folder's fsync, which makes the move itself durable, to
        the caller (once per folder for a group of letters, before their catalog rows commit)."""
        try:
            if target.exists():
                self.path.unlink(missing_ok=True)
                return
            target.parent.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
            os.replace(self.path, target)
            if sync:
                fsync_dir(target.parent)
        except OSError as error:
            raise ArchiveWriteError(f"cannot write {target}: {error}") from error

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def stage_file(source: Path, archive: Archive, max_bytes: int = MAX_FILE_BYTES, *,
               sync: bool = True) -> StagedFile:
    """Copy `source` into staging (`sync=False`: not synced yet, see StagedFile.sync). A link
    is refused (LinkNotFollowed), not followed: the file is opened with O_NOFOLLOW and checked
    on the open descriptor, so a link swapped in after the folder was listed is caught too.
    Non-blocking open: a FIFO must not hang the batch."""
    try:
        fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        if error.errno == errno.ELOOP or source.is_symlink():
            raise LinkNotFollowed("a symbolic link: congvan never follows links") from error
        raise FileError(f"cannot read the file: {error.strerror or error}") from error
    with os.fdopen(fd, "rb") as source_stream:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsupportedType("not a regular file")
        if info.st_size == 0:
            raise EmptyFile("the file is empty (0 bytes)")
        if info.st_size > max_bytes:
            raise FileTooLarge(
                f"the file is {info.st_size >> 20} MiB; the limit is {max_bytes >> 20} MiB"
            )
        os.set_blocking(fd, True)
        target, digest, size = _copy_hashing(source_stream, archive, max_bytes, sync)
    if size == 0:
        target.unlink(missing_ok=True)
        raise EmptyFile("the file is empty (0 bytes)")
    return StagedFile(target, digest.hexdigest(), size)


def _copy_hashing(src: BinaryIO, archive: Archive, max_bytes: int,
                  sync: bool = True) -> tuple[Path, Any, int]:
    """Copy into a new staging file while hashing; read and write failures raise differently."""
    target = archive.staging / f"{_owner_tag()}.{uuid.uuid4().hex}.part"
    digest, size = hashlib.sha256(), 0
    try:
        archive.staging.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        out = os.fdopen(os.open(target, flags, PRIVATE_FILE), "wb")
    except OSError as error:
        raise ArchiveWriteError(f"cannot write to the archive: {error.strerror}") from error
    try:
        with out:
            while True:
                try:
                    block = src.read(1 << 20)
                except OSError as error:
                    raise FileError(f"cannot read the file: {error.strerror or error}") from error
                if not block:
                    break
                digest.update(block)
                size += len(block)
                if size > max_bytes:
                    raise FileTooLarge(f"the file grew past the {max_bytes >> 20} MiB limit")
                _write(out, block)
            _write(out, b"", sync=sync)
        os.chmod(target, 0o400)  # written once: read-only, for its owner only
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target, digest, size


def _write(out: BinaryIO, block: bytes, sync: bool = False) -> None:
    try:
        out.write(block)
        if sync:
            out.flush()
            os.fsync(out.fileno())
    except OSError as error:  # disk full, read-only, quota: the machine's problem, not the file's
        raise ArchiveWriteError(f"cannot write to the archive: {error.strerror}") from error


def new_staging_folder(archive: Archive, purpose: str) -> Path:
    """A private folder in staging (e.g. for uploads being saved), swept like staged copies."""
    archive.staging.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{purpose}_{_owner_tag()}.", dir=archive.staging))


def _owner_tag() -> str:
    return f"{_host()}.{os.getpid()}"


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname()) or "host"


def sweep_stale_staging(archive: Archive, max_age: float = STALE_STAGING_SECONDS) -> int:
    """Remove what runs that were killed left in staging: at once when its owner process on
    this host is gone, after `max_age` otherwise. Returns how many were removed."""
    removed = 0
    if not archive.staging.is_dir():
        return removed
    limit = time.time() - max_age
    for leftover in archive.staging.iterdir():
        try:
            if _owner_gone(leftover.name) or leftover.lstat().st_mtime < limit:
                if leftover.is_dir() and not leftover.is_symlink():
                    shutil.rmtree(leftover)
                else:
                    leftover.unlink()
                removed += 1
        except FileNotFoundError:
            pass  # another run swept it first
    return removed


def _owner_gone(name: str) -> bool:
    """Whether `name` (HOST.PID.RANDOM.part, or PURPOSE_HOST.PID.RANDOM) names a process of
    this host that no longer runs. This process counts as running: its other threads may be
    staging (uploads in the server)."""
    match = re.fullmatch(r"(?:[a-z]+_)?([A-Za-z0-9-]+)\.(\d+)\.[^.]+(?:\.part)?", name)
    if match is None or match[1] != _host():
        return False
    pid = int(match[2])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # EPERM: alive, another user's
        return False
    return False
