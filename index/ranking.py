"""Ranking a result set: Whoosh scores for relevance, cached columns for dates.

Whoosh reads every matching posting in Python (its block skipping does not prune on letters
this alike), so its cost grows with the hits. A set larger than SCORE_LIMIT is ranked in tiers,
each small enough to score: the plan's layers in order (a number's own letter, then the letters
citing it, exact accents, words side by side, all words in the heading, any of them), then the
rest; a tier still larger than the limit is cut to its newest letters (whole months).
"""

from __future__ import annotations

import logging

from whoosh import query as wq
from whoosh.searching import Searcher

from .facets import GenerationCache
from .queries import QueryPlan

log = logging.getLogger(__name__)

SCORE_LIMIT = 1500  # hits Whoosh scores at most per tier

Ranked = list[tuple[int, float]]


def rank(searcher: Searcher, cache: GenerationCache, plan: QueryPlan, mask: int, total: int,
         sort: str, stop: int) -> Ranked:
    """The first `stop` hits (document number, score) of the set `mask` in `sort` order."""
    if sort == "relevance" and not isinstance(plan.query, wq.Every):
        if total > SCORE_LIMIT:
            return _rank_in_tiers(searcher, cache, plan, mask, stop)
        results = searcher.search(plan.query, limit=stop, terms=False)
        return [(results.docnum(n), results.score(n) or 0.0)
                for n in range(results.scored_length())]
    order = "newest" if sort == "relevance" else sort
    return [(d, 0.0) for d in cache.sorted_docnums(mask, total, order, stop)]


def _rank_in_tiers(searcher: Searcher, cache: GenerationCache, plan: QueryPlan, mask: int,
                   stop: int) -> Ranked:
    ranked: Ranked = []
    taken = 0
    cut = max(SCORE_LIMIT, stop)
    for layer in [*plan.layers, None]:
        tier = mask & ~taken
        if layer is not None:
            tier &= cache.masks.mask(layer)
        count = tier.bit_count()
        if not count:
            continue
        restrict = [layer] if layer is not None else []
        if count > cut:
            restrict.append(_newest_months(cache, tier, count, cut))
        query = wq.And([plan.query, *restrict]) if restrict else plan.query
        data = tier.to_bytes((cache.masks.size + 7) // 8, "little")
        results = searcher.search(query, limit=stop + len(ranked), terms=False)
        for n in range(results.scored_length()):
            docnum = results.docnum(n)
            if data[docnum >> 3] >> (docnum & 7) & 1:
                ranked.append((docnum, results.score(n) or 0.0))
                taken |= 1 << docnum
                if len(ranked) >= stop:
                    return ranked
    return ranked


def _newest_months(cache: GenerationCache, mask: int, count: int, cut: int) -> wq.Query:
    """A filter on the months of the newest `cut` letters of a set."""
    newest = cache.sorted_docnums(mask, count, "newest", cut)
    dates = cache.column("sort_new")
    months = sorted({dates[d][:7] for d in newest if dates[d]})
    return wq.Or([wq.Term("month", m) for m in months]) if months else wq.Every()
