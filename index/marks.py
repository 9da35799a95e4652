"""Where an index stands in the catalog's change sequence (`CatalogStore.changes_since`), kept
in a file beside the engine's own, so that a sync reads only the letters changed since its last
one instead of comparing every letter's stamp: at a million letters that comparison reads the
whole catalog and holds two maps of a million ids, at every start of `congvan serve` and after
every correction made through the web app.

The mark names the last change the index holds and the changes the catalog listed just below it
then (`RECENT` of them). A catalog's changes only ever move up (a letter changed again takes a
new number), so the catalog is trusted while the changes it lists at or below the mark are all
among those recorded, one at least still there. A mark ahead of the catalog, or one the catalog
now contradicts (another catalog, or one restored from a backup), is not trusted: the sync
compares every letter, as it always did without a mark.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest.store.catalog import CatalogStore

log = logging.getLogger(__name__)

MARK_FILE = "congvan-synced-change"
RECENT = 16  # changes recorded below the mark, to recognise the catalog's history
PAGE = 5_000  # letters read and written per commit when catching up on many changes


@dataclass(frozen=True)
class SyncMark:
    seq: int  # the last change the index holds
    recent: tuple[tuple[int, str], ...] = field(default=())  # (number, id) at or below it


def catalog_mark(catalog: CatalogStore, seq: int | None = None) -> SyncMark:
    """The mark of the catalog as it stands at change `seq` (default: its latest)."""
    seq = catalog.last_change() if seq is None else seq
    return SyncMark(seq, _listed_below(catalog, seq))


def _listed_below(catalog: CatalogStore, seq: int) -> tuple[tuple[int, str], ...]:
    start = max(0, seq - RECENT)
    return tuple((n, i) for n, i in catalog.changes_since(start, RECENT) if n <= seq)


def read_mark(index_dir: Path) -> SyncMark | None:
    try:
        found = json.loads((Path(index_dir) / MARK_FILE).read_text())
        return SyncMark(int(found["seq"]), tuple((int(n), str(i)) for n, i in found["recent"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_mark(index_dir: Path, mark: SyncMark) -> None:
    """Replace the mark whole (a sync killed before this line only replays some changes)."""
    if read_mark(index_dir) == mark:
        return
    path = Path(index_dir) / MARK_FILE
    temporary = path.with_name(f".{MARK_FILE}.{os.getpid()}")
    temporary.write_text(json.dumps({"seq": mark.seq, "recent": mark.recent}))
    os.replace(temporary, path)


def trusted(catalog: CatalogStore, mark: SyncMark | None, latest: int) -> bool:
    """Whether the changes after `mark` are all the index misses of the catalog at `latest`."""
    if mark is None or mark.seq == 0 or mark.seq > latest:
        return False  # at 0, letters archived before the sequence existed may be missing
    listed = _listed_below(catalog, mark.seq)
    return bool(listed) and set(listed) <= set(mark.recent)


def changed_pages(catalog: CatalogStore, mark: SyncMark, latest: int
                  ) -> Iterator[tuple[list[str], int]]:
    """The ids of the letters changed after `mark` up to change `latest`, a page at a time, each
    with the number of its last change."""
    seq = mark.seq
    while seq < latest:
        page = [(n, i) for n, i in catalog.changes_since(seq, PAGE) if n <= latest]
        if not page:
            return
        seq = page[-1][0]
        yield sorted({i for _n, i in page}), seq
