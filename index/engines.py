"""Which search engine serves an archive: Whoosh (the default) or tantivy, chosen by config.

Both sit behind the same interface (`open_index`, `sync_index`, `rebuild_index`,
`check_index`, and the index's `search`, `more_like_this`, `autocomplete`), keep their own
directory beside each other, and are derived from the catalog alike. Choose with the
`CONGVAN_ENGINE` environment variable or `congvan --engine`; tantivy is imported only when
chosen.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ingest.store.catalog import Catalog

from . import engine as whoosh_engine
from . import sync as whoosh_sync
from .documents import pending_changes

ENGINES = ("whoosh", "tantivy")
DEFAULT_ENGINE = "whoosh"
ENGINE_ENV = "CONGVAN_ENGINE"


def engine_name(engine: str | None = None) -> str:
    """The engine asked for, else the one `CONGVAN_ENGINE` names, else Whoosh."""
    name = (engine or os.environ.get(ENGINE_ENV) or DEFAULT_ENGINE).strip().lower()
    if name not in ENGINES:
        raise ValueError(f"unknown search engine {name!r} (one of: {', '.join(ENGINES)})")
    return name


def engine_dir(index_dir: Path, engine: str | None = None) -> Path:
    """The engine's own directory: `index/` for Whoosh, `index-tantivy/` beside it."""
    index_dir = Path(index_dir)
    name = engine_name(engine)
    return index_dir if name == "whoosh" else index_dir.with_name(f"{index_dir.name}-{name}")


def open_index(index_dir: Path, engine: str | None = None) -> Any:
    """Open (or create) the archive's index of the chosen engine. `index_dir` is the
    archive's index directory (Archive.index_dir) whatever the engine."""
    if engine_name(engine) == "tantivy":
        from .tantivy_sync import open_tantivy

        return open_tantivy(engine_dir(index_dir, "tantivy"))
    return whoosh_engine.open_index(index_dir)


def rebuild_index(catalog: Catalog, index_dir: Path, *, engine: str | None = None,
                  timeout: float = whoosh_sync.LOCK_TIMEOUT) -> Any:
    if engine_name(engine) == "tantivy":
        from .tantivy_sync import rebuild_tantivy

        return rebuild_tantivy(catalog, engine_dir(index_dir, "tantivy"), timeout=timeout)
    return whoosh_sync.rebuild_index(catalog, index_dir, timeout=timeout)


def sync_index(catalog: Catalog, idx: Any, *, timeout: float = whoosh_sync.LOCK_TIMEOUT) -> dict:
    if getattr(idx, "engine", "whoosh") == "tantivy":
        from .tantivy_sync import sync_tantivy

        return sync_tantivy(catalog, idx, timeout=timeout)
    return whoosh_sync.sync_index(catalog, idx, timeout=timeout)


def check_index(catalog: Catalog, idx: Any) -> dict[str, Any]:
    """Ids missing from the index, stale in it (the catalog row changed), and extra in it."""
    if getattr(idx, "engine", "whoosh") == "tantivy":
        from .tantivy_sync import indexed_stamps

        indexed = indexed_stamps(idx)
    else:
        indexed = whoosh_sync.indexed_stamps(idx)
    changes = pending_changes(catalog, indexed)
    return {"missing": changes.missing, "stale": changes.stale, "extra": changes.extra}
