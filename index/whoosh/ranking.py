"""Ranking a result set: Whoosh scores for relevance, cached columns for dates.

Relevance: BM25F scores of every hit computed a posting block at a time (scoring.py), the hits
taken from the result bitmap (masks.py). An accented query
ranks the letters holding every accented word exactly as typed first, then the others.
Ranking every large result set in tiers (the number's own letter, exact accents, adjacent
words, newest months) was tried and measured slower on 20k letters (p50 150 ms against 78 ms).
"""

from __future__ import annotations

import logging

from whoosh import query as wq
from whoosh.searching import Searcher

from ..planning import HEADING_ALL_BOOST, HEADING_PAIR_BOOST, ISSUER_NAMED_BOOST
from .facets import GenerationCache
from .masks import mask_bits
from .queries import QueryPlan
from .scoring import scored_terms, top_hits

log = logging.getLogger(__name__)

Ranked = list[tuple[int, float]]


def rank(searcher: Searcher, cache: GenerationCache, plan: QueryPlan, mask: int, total: int,
         sort: str, stop: int) -> Ranked:
    """The first `stop` hits (document number, score) of the set `mask` in `sort` order."""
    reader = searcher.reader()
    if sort == "relevance" and not isinstance(plan.query, wq.Every):
        scorer = cache.scorer(reader)
        scores = scorer.scores(scored_terms(plan.query, reader))
        if plan.heading is not None:  # every word typed in the heading: a bonus
            scores[mask_bits(mask & cache.masks(reader).mask(plan.heading), scorer.size)] += (
                HEADING_ALL_BOOST)
        for pair in plan.heading_pairs:  # words side by side in the heading: a bonus each
            scores[mask_bits(mask & cache.masks(reader).mask(pair), scorer.size)] += (
                HEADING_PAIR_BOOST)
        if plan.issuer is not None:  # the letters of an issuer named: a bonus
            scores[mask_bits(mask & cache.masks(reader).mask(plan.issuer), scorer.size)] += (
                ISSUER_NAMED_BOOST)
        ranks = cache.newest_ranks(reader)  # equal scores: newest first
        if plan.accents is not None:
            # Letters with the words exactly as accented come first, then the others.
            exact = mask & cache.masks(reader).mask(plan.accents)
            ranked = top_hits(scores, exact, scorer.size, stop, ranks)
            if len(ranked) < stop:
                ranked += top_hits(scores, mask & ~exact, scorer.size, stop - len(ranked),
                                   ranks)
            return ranked
        return top_hits(scores, mask, scorer.size, stop, ranks)
    order = "newest" if sort == "relevance" else sort
    return [(d, 0.0) for d in cache.sorted_docnums(mask, total, order, stop, reader)]
