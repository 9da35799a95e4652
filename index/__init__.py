"""The search index: tantivy (default) or Whoosh behind one interface of our own,
`SearchBackend` (the only package importing either; each engine in its own subpackage,
imported only when named).

    idx = open_index(archive.index_dir, "tantivy")
    results = idx.search('dong thap', page=1, per_page=20, sort="relevance")
"""

from .abbreviations import ABBREVIATIONS
from .backend import FACET_LIMIT, Hit, SearchBackend, SearchResults
from .engines import (
    DEFAULT_ENGINE,
    ENGINES,
    check_index,
    engine_name,
    open_index,
    rebuild_index,
    sync_index,
)
from .errors import IndexOutdated, QueryError
from .follow import IndexFollower
from .intake import IndexUpdate, Intake, IntakeService, update_index
from .querylang import HELP as QUERY_HELP
from .querylang import filter_for, parse_query

__all__ = [
    "ABBREVIATIONS",
    "DEFAULT_ENGINE",
    "ENGINES",
    "FACET_LIMIT",
    "QUERY_HELP",
    "Hit",
    "IndexFollower",
    "IndexOutdated",
    "IndexUpdate",
    "Intake",
    "IntakeService",
    "QueryError",
    "SearchBackend",
    "SearchResults",
    "check_index",
    "engine_name",
    "filter_for",
    "open_index",
    "parse_query",
    "rebuild_index",
    "sync_index",
    "update_index",
]
