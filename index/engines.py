"""Which search engine serves an archive: tantivy (the default) or Whoosh, named by the caller.

Both are SearchBackends (index.backend), keep their own directory beside each other, and are
derived from the catalog alike. The command reads the name from its flag or environment and
passes it here; an engine's package (and its library) is imported only when it is named.
"""

from __future__ import annotations

from pathlib import Path

from ingest.store.catalog import CatalogStore

from .backend import SearchBackend
from .writing import LOCK_TIMEOUT

ENGINES = ("whoosh", "tantivy")
# tantivy: many times faster than Whoosh to build and to query at 100k letters, with less memory
# (bench/RESULTS.md), and ranks at least as well on the known-item evaluation (bench/knownitem.py).
DEFAULT_ENGINE = "tantivy"


def engine_name(engine: str | None = None) -> str:
    """The engine's name as given ("Whoosh " → "whoosh"), the default if none; ValueError if
    it names no engine."""
    name = (engine or DEFAULT_ENGINE).strip().lower()
    if name not in ENGINES:
        raise ValueError(f"unknown search engine {name!r} (one of: {', '.join(ENGINES)})")
    return name


def engine_dir(index_dir: Path, engine: str = DEFAULT_ENGINE) -> Path:
    """The engine's own directory: `index/` for Whoosh, `index-tantivy/` beside it."""
    index_dir = Path(index_dir)
    name = engine_name(engine)
    return index_dir if name == "whoosh" else index_dir.with_name(f"{index_dir.name}-{name}")


def backend_class(engine: str = DEFAULT_ENGINE) -> type[SearchBackend]:
    """The engine's SearchBackend, its package imported now."""
    if engine_name(engine) == "tantivy":
        from .tantivy import TantivyIndex

        return TantivyIndex
    from .whoosh import WhooshIndex

    return WhooshIndex


def open_index(index_dir: Path, engine: str = DEFAULT_ENGINE) -> SearchBackend:
    """Open (or create) the archive's index of `engine`. `index_dir` is the archive's index
    directory (Archive.index_dir) whatever the engine."""
    return backend_class(engine).open(engine_dir(index_dir, engine))


def rebuild_index(catalog: CatalogStore, index_dir: Path, *, engine: str = DEFAULT_ENGINE,
                  timeout: float = LOCK_TIMEOUT) -> SearchBackend:
    """Build the archive's index of `engine` afresh from the catalog, and open it."""
    return backend_class(engine).rebuild(catalog, engine_dir(index_dir, engine), timeout=timeout)


def sync_index(catalog: CatalogStore, idx: SearchBackend, *, timeout: float = LOCK_TIMEOUT) -> dict:
    """Bring `idx` up to date with the catalog (SearchBackend.sync)."""
    return idx.sync(catalog, timeout=timeout)


def check_index(catalog: CatalogStore, idx: SearchBackend) -> dict[str, list[str]]:
    """Ids missing from, stale in and extra in `idx` (SearchBackend.check)."""
    return idx.check(catalog)
