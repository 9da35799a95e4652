"""The search index (Whoosh behind a small interface of our own; the only package importing it).

    idx = open_index(archive.index_dir)
    results = idx.search('dong thap', page=1, per_page=20, sort="relevance")
"""

from . import whoosh_fixes
from .engine import Hit, SearchIndex, SearchResults, open_index
from .errors import IndexOutdated, QueryError
from .querylang import HELP as QUERY_HELP
from .querylang import filter_for, parse_query
from .sync import check_index, rebuild_index, sync_index

whoosh_fixes.apply()

__all__ = [
    "QUERY_HELP",
    "Hit",
    "IndexOutdated",
    "QueryError",
    "SearchIndex",
    "SearchResults",
    "check_index",
    "filter_for",
    "open_index",
    "parse_query",
    "rebuild_index",
    "sync_index",
]
