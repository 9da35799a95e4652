"""'Did you mean': a corrected query, offered only when it finds letters."""

from __future__ import annotations

import logging
from typing import Any

from whoosh.searching import Searcher

from ..accents import fold_text
from ..analysis import folded_words
from ..errors import QueryError
from ..querylang import parse_query
from .facets import GenerationCache
from .queries import build_plan, reader_lexicon

log = logging.getLogger(__name__)


def suggest(searcher: Searcher, cache: GenerationCache, raw: str, free_text: str) -> str | None:
    """The query with each unknown word replaced by its closest indexed word, if it has hits."""
    reader = searcher.reader()
    suggestion = raw
    for word in folded_words(free_text, "query"):
        if searcher.doc_frequency("content", word):
            continue
        found = _closest_term(reader, word)
        if found:
            suggestion = _replace_word(suggestion, word, found)
    if suggestion == raw:
        return None
    try:
        plan = build_plan(parse_query(suggestion), reader_lexicon(reader))
    except QueryError:
        return None
    _mask, total, _facets = cache.result(repr(plan.query), plan.query, False, reader)
    return suggestion if total else None


def _closest_term(reader: Any, word: str) -> str | None:
    """The most frequent indexed word at the smallest edit distance (1 or 2) from `word`."""
    for distance in (1, 2):
        candidates = [t for t in reader.terms_within("content", word, distance, prefix=1)
                      if t != word]
        if candidates:
            return max(candidates, key=lambda t: reader.doc_frequency("content", t))
    return None


def _replace_word(text: str, folded: str, replacement: str) -> str:
    return " ".join(replacement if fold_text(w) == folded else w for w in text.split())
