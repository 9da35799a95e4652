"""'Did you mean' on Whoosh: the shared rule (index.planning.suggestion) over this index's
words and counts."""

from __future__ import annotations

import logging

from whoosh.searching import Searcher

from ..planning import suggestion
from ..querylang import parse_query
from .facets import GenerationCache
from .queries import build_plan, reader_lexicon, terms_within

log = logging.getLogger(__name__)


def suggest(searcher: Searcher, cache: GenerationCache, raw: str, free_text: str,
            found: int = 0) -> str | None:
    """The query with its mistyped words corrected, if that finds more than `found` letters."""
    reader = searcher.reader()

    def letters(word: str) -> int:
        return searcher.doc_frequency("content", word)

    def neighbours(word: str, distance: int) -> list[tuple[str, int]]:
        return [(t, letters(t)) for t in terms_within(reader, "content", word, distance)]

    def total(query: str) -> int:
        plan = build_plan(parse_query(query), reader_lexicon(reader))
        return cache.result(repr(plan.query), plan.query, False, reader)[1]

    return suggestion(raw, free_text, found, letters, neighbours, total)
