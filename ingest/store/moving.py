"""Moving an archive up: its catalog into an empty PostgreSQL one (or any other engine), its
originals into the folder every host of a cluster mounts (`congvan migrate`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import ArchiveWriteError
from ingest.store import open_catalog
from ingest.store.archive import Archive
from ingest.store.staging import stage_file


@dataclass
class Moved:
    """What a move copied, and what the copy holds (compared with the source)."""

    rows: dict[str, int] = field(default_factory=dict)  # rows copied per table
    target_rows: dict[str, int] = field(default_factory=dict)  # rows in the target after
    originals: int = 0  # files copied (those already at the target are kept)
    originals_kept: int = 0

    @property
    def whole(self) -> bool:
        return self.rows == self.target_rows

    def as_json(self) -> dict:
        return {"tables": self.rows, "whole": self.whole, "originals_copied": self.originals,
                "originals_already_there": self.originals_kept}


def move_archive(source: Archive, target: Archive, *,
                 on_table: Callable[[str, int], None] | None = None) -> Moved:
    """Copy `source`'s catalog into `target`'s (which must be empty), then its originals and
    quarantined files into `target`'s folder unless it is the same folder. The source is left
    as it was: it stays the truth until the move is checked."""
    moved = Moved()
    with open_catalog(source.catalog_location) as here, \
            open_catalog(target.catalog_location) as there:
        moved.rows = here.copy_into(there, on_table=on_table)
        moved.target_rows = there.table_counts()
    if source.root.resolve() != target.root.resolve():
        target.create()
        for folder, home in ((source.originals, target.original_path),
                             (source.quarantine, target.quarantine_path)):
            copied, kept = _copy_content_addressed(folder, target, home)
            moved.originals += copied
            moved.originals_kept += kept
    return moved


def _copy_content_addressed(folder: Path, target: Archive,
                            home: Callable[[str], Path]) -> tuple[int, int]:
    """Copy each file of a content-addressed folder (named by its SHA-256) through the target's
    staging (temp file, fsync, rename), checking its bytes still hash to its name."""
    copied = kept = 0
    for path in sorted(folder.glob("??/*")):
        if path.is_symlink() or not path.is_file():
            continue  # never followed; nothing congvan wrote
        destination = home(path.name)
        if destination.exists():
            kept += 1
            continue
        staged = stage_file(path, target)
        if staged.sha256 != path.name:
            staged.discard()
            raise ArchiveWriteError(f"{path} no longer holds the bytes it was archived with "
                                    f"(SHA-256 {staged.sha256}): the move stops here")
        staged.commit_to(destination)
        copied += 1
    return copied, kept
