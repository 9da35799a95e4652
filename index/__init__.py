"""The search index: Whoosh (default) or tantivy behind one small interface of our own (the only
package importing either; engines.py chooses).

    idx = open_index(archive.index_dir)
    results = idx.search('dong thap', page=1, per_page=20, sort="relevance")
"""

from . import whoosh_fixes
from .abbreviations import ABBREVIATIONS
from .engine import Hit, SearchIndex, SearchResults
from .engines import ENGINES, check_index, engine_name, open_index, rebuild_index, sync_index
from .errors import IndexOutdated, QueryError
from .intake import IndexUpdate, Intake, IntakeService, archive_and_index, update_index
from .querylang import HELP as QUERY_HELP
from .querylang import filter_for, parse_query

whoosh_fixes.apply()

__all__ = [
    "ABBREVIATIONS",
    "ENGINES",
    "QUERY_HELP",
    "Hit",
    "IndexOutdated",
    "IndexUpdate",
    "Intake",
    "IntakeService",
    "QueryError",
    "SearchIndex",
    "SearchResults",
    "archive_and_index",
    "check_index",
    "engine_name",
    "filter_for",
    "open_index",
    "parse_query",
    "rebuild_index",
    "sync_index",
    "update_index",
]
