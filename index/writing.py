"""Writing an index, whatever its engine: one writer at a time, and rebuilds that swap a
whole fresh copy in.

The lock file sits beside the index directory, so it survives the swap; a rebuild writes
into a fresh directory beside the index and replaces it only once the copy is whole.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from ingest.errors import ArchiveBusy
from ingest.store.archive import owner_only_files

log = logging.getLogger(__name__)

LOCK_TIMEOUT = 10.0


def lock_path(index_dir: Path) -> Path:
    return index_dir.parent / f".{index_dir.name}.write.lock"


@contextmanager
def write_lock(index_dir: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the index's write lock, or raise ArchiveBusy after `timeout` seconds."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path(index_dir)), mode=0o600)
    try:
        lock.acquire(timeout=timeout)
    except Timeout as error:
        raise ArchiveBusy(
            f"Chỉ mục {index_dir} đang được một tiến trình khác ghi; hãy thử lại sau"
        ) from error
    try:
        with owner_only_files():  # the engines' files, like the rest of the archive
            yield
    finally:
        lock.release()


def rebuild_beside(index_dir: Path, fill: Callable[[Path], int], timeout: float) -> None:
    """Under the write lock, `fill` builds a whole index in a fresh directory (returning the
    number of letters), which then replaces `index_dir`; a failure leaves the old one as it was."""
    with write_lock(index_dir, timeout):
        fresh = fresh_dir(index_dir)
        try:
            count = fill(fresh)
            swap_in(fresh, index_dir)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
    log.info("index rebuilt: %d letters", count)


def create_once(index_dir: Path, create: Callable[[Path], object],
                is_whole: Callable[[Path], bool]) -> None:
    """Make a new index in `index_dir` unless it is whole already. Several processes may open a
    new archive at once: one creates the index, beside and under the write lock, and swaps it in
    whole, so that no process ever opens one half made (a schema without its version file)."""
    if is_whole(index_dir):
        return
    with write_lock(index_dir):
        if is_whole(index_dir):
            return
        fresh = fresh_dir(index_dir)
        try:
            create(fresh)
            swap_in(fresh, index_dir)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise


def fresh_dir(index_dir: Path) -> Path:
    """Where a rebuild writes before swapping in (leftovers of a killed rebuild removed)."""
    for leftover in index_dir.parent.glob(f".{index_dir.name}.[no][el][wd]-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    return index_dir.with_name(f".{index_dir.name}.new-{os.getpid()}")


def swap_in(fresh: Path, index_dir: Path) -> None:
    old = index_dir.with_name(f".{index_dir.name}.old-{os.getpid()}")
    if index_dir.exists():
        os.replace(index_dir, old)
    os.replace(fresh, index_dir)
    shutil.rmtree(old, ignore_errors=True)
