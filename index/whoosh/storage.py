"""Whoosh's compound segments read through one shared memory map each, without copies.

Whoosh 2.7 opens a compound segment (`.seg`) by mapping it, then copies every file inside it
into a `BytesIO` (`BufferFile`), and does so for every reader. With one searcher per server
thread, 8 threads held 8 private copies of the whole index (158 MB each at 10k letters) on top
of 8 maps of it: 2.6 GB of the server's 2.9 GB. Here each `.seg` file is mapped once per
process, and every reader reads its inner files through memoryviews of that one map, each
with its own position. The map goes when the last reader of the segment does.
"""

from __future__ import annotations

import logging
import mmap
import os
import threading
import weakref
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile
from whoosh.index import FileIndex

log = logging.getLogger(__name__)

COMPOUND_EXT = ".seg"
PEEK_BYTES = 512  # Whoosh's pickles (posting block headers) are tens of bytes

_maps: weakref.WeakValueDictionary[tuple[str, int, int, int], mmap.mmap] = (
    weakref.WeakValueDictionary())
_maps_lock = threading.Lock()


class ViewReader:
    """A read-only file over a memoryview: its own position, the bytes not copied."""

    __slots__ = ("_position", "_view")

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._position = 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._position
        end = len(self._view) if size is None or size < 0 else min(start + size,
                                                                     len(self._view))
        self._position = max(start, end)
        return self._view[start:end].tobytes()

    def peek(self, size: int = 1) -> bytes:
        """Bytes ahead, the position kept: pickle reads ahead this way, then takes what it
        used in one read (else it calls read() once per opcode). At most PEEK_BYTES."""
        start = self._position
        return self._view[start : start + min(max(size, 1), PEEK_BYTES)].tobytes()

    def readline(self, size: int | None = -1) -> bytes:
        """Up to and with the next newline (pickle asks for it; its binary protocols rarely
        use it)."""
        end = len(self._view) if size is None or size < 0 else self._position + size
        position = self._position
        while position < min(end, len(self._view)):
            chunk = self._view[position : min(position + 4096, end)].tobytes()
            newline = chunk.find(b"\n")
            if newline >= 0:
                return self.read(position + newline + 1 - self._position)
            position += len(chunk)
        return self.read(end - self._position)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._position, os.SEEK_END: len(self._view)}
        self._position = max(0, base[whence] + offset)
        return self._position

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        """Nothing to release: the map is shared and goes with its last view."""


class MappedFile(BufferFile):
    """Whoosh's `BufferFile` without its copy of the buffer (and without copying subsets)."""

    def __init__(self, buf: memoryview, name: str | None = None, onclose: Any = None) -> None:
        self._buf = buf
        self._name = name
        self.file = ViewReader(buf)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    def subset(self, position: int, length: int, name: str | None = None) -> MappedFile:
        return MappedFile(self._buf[position : position + length], name=name or self._name)


class MappedStorage(FileStorage):
    """A directory of Whoosh files whose compound segments are read through shared maps."""

    def __init__(self, path: str) -> None:
        # Without mmap, Whoosh's CompoundStorage reads its inner files via our subset().
        super().__init__(path, supports_mmap=False, readonly=True)

    def open_file(self, name: str, **kwargs: Any) -> Any:
        path = self._fpath(name)
        if not name.endswith(COMPOUND_EXT) or not os.path.getsize(path):
            return super().open_file(name, **kwargs)
        return MappedFile(memoryview(shared_map(path)), name=name)


def shared_map(path: str) -> mmap.mmap:
    """The process's read-only map of the file at `path` (segment files never change; the
    key holds the inode, size and time all the same)."""
    stat = os.stat(path)
    key = (path, stat.st_ino, stat.st_size, stat.st_mtime_ns)
    with _maps_lock:
        found = _maps.get(key)
        if found is None:
            with open(path, "rb") as file:
                found = _maps[key] = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        return found


def open_mapped_index(index_dir: str) -> FileIndex:
    """The Whoosh index in `index_dir`, for reading, its segments mapped once per process."""
    return MappedStorage(index_dir).open_index()
