"""Leave an index field out of ranking, on both engines at once, to measure what it buys.

The schema is untouched (the field is still built); only the query plans stop asking it:

- `pairs`: the words typed side by side are not looked up as pair terms (planning.PAIR_BOOST
  taken as 0 on both engines; tantivy still uses a phrase's pairs to find the letters holding
  it, which scores nothing);
- `exact`: accented words typed do not raise or rank first the letters holding them exactly
  (the plans' accent terms left out).

Used by `bench.knownitem --leave-out` and `bench.agreement --leave-out`.
"""

from __future__ import annotations

from typing import Any

import index.tantivy.queries as tantivy_queries
import index.whoosh.queries as whoosh_queries

FIELDS = ("pairs", "exact")


def _no_accents(*_args: Any) -> list:
    return []


def leave_out(fields: list[str]) -> None:
    """Stop both engines' query plans from asking `fields` (for this process)."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"fields to leave out are {', '.join(FIELDS)}, not {sorted(unknown)}")
    if "pairs" in fields:
        tantivy_queries.PAIR_BOOST = whoosh_queries.PAIR_BOOST = 0.0
    if "exact" in fields:
        tantivy_queries._accent_queries = _no_accents
        whoosh_queries._accent_terms = _no_accents
