"""Do Whoosh and tantivy put the same letter first? The engine-agreement table of issue 15.

    python -m bench.agreement --archive bench/work/w20k/archive \
        --expected bench/work/w20k/expected --queries 500 --seed 15

A fixed, reproducible query set: `--queries` generated queries of bench/queries.py's kinds
(drawn with `--seed` from the corpus's expected records) and the hand-written ones of
bench/parity.py (every filter, OR, exclusion, fuzzy, dates, numbers in every spelling), each
searched once by relevance, first page. Per kind: how often both engines return the same top
hit (both none counts as the same), the same total and the same facets. Then why the top hits
differ where they do: a tie one engine broke (it scores both letters the same), the scores
(each engine ranks its own letter higher), or the other's letter missing from its first 100.
Last, number lookups: for `--cited` letters that other letters cite, is the letter itself
first when its number is typed bare (as written, and spaced in lower case without accents)?
Both indexes of the archive must be built (`congvan --engine E reindex`).
"""

from __future__ import annotations

import argparse
import os
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.leaveout import FIELDS, leave_out
from bench.parity import HAND, hand_numbers
from bench.queries import load_expected, make_queries
from index import QueryError, open_index
from ingest import Archive, CatalogStore, open_catalog
from ingest.folding import fold

DEPTH = 100  # hits read per query, to find where the other engine's first letter is


@dataclass
class Answer:
    total: int = 0
    facets: dict[str, list[tuple[str, int]]] | None = None
    scores: dict[str, float] | None = None  # id → score, best first (first DEPTH hits)
    error: str | None = None

    @property
    def top(self) -> str | None:
        return next(iter(self.scores), None) if self.scores else None


def answer(idx: Any, query: str) -> Answer:
    try:
        found = idx.search(query, per_page=DEPTH, highlight=False)
    except QueryError as exc:
        return Answer(error=str(exc))
    return Answer(found.total, {k: list(map(tuple, v)) for k, v in found.facets.items()},
                  {hit.id: hit.score for hit in found.hits})


def why(a: Answer, b: Answer) -> str:
    """Why the engines' first letters differ (a: Whoosh, b: tantivy)."""
    if a.error or b.error:
        return "error"
    if not a.scores or not b.scores:
        return "no hits on one"
    a_top, b_top = a.top, b.top
    if b_top not in a.scores or a_top not in b.scores:
        return "not in the other's first 100"
    if a.scores[b_top] == a.scores[a_top]:
        return "tie broken by Whoosh"
    if b.scores[a_top] == b.scores[b_top]:
        return "tie broken by tantivy"
    return "scores rank them apart"


def fixed_set(records: list[dict], count: int, seed: int) -> list[tuple[str, str]]:
    """(kind, query): the generated queries of `seed`, then the hand-written ones."""
    return (make_queries(records, count, seed) + [("hand", q) for q in HAND]
            + [("hand number", q) for q in hand_numbers(records)])


def compare_all(left: Any, right: Any, queries: list[tuple[str, str]]) -> tuple[
        dict[str, Counter], list[tuple[str, str, str, Answer, Answer]]]:
    """Per kind: counts of queries, same top hit, same total, same facets; and each top-hit
    disagreement (kind, query, why, Whoosh's answer, tantivy's)."""
    table: dict[str, Counter] = defaultdict(Counter)
    differ = []
    for kind, query in queries:
        a, b = answer(left, query), answer(right, query)
        row = table[kind]
        row["queries"] += 1
        if a.error or b.error:
            same = a.error == b.error
            row["top"] += same
            row["total"] += same
            row["facets"] += same
            if not same:
                differ.append((kind, query, "error", a, b))
            continue
        row["top"] += a.top == b.top
        row["total"] += a.total == b.total
        row["facets"] += a.facets == b.facets
        if a.top != b.top:
            differ.append((kind, query, why(a, b), a, b))
    return table, differ


def _share(count: int, total: int) -> str:
    return f"{count} ({100 * count / total:.1f}%)" if total else "—"


def print_table(table: dict[str, Counter], differ: list, details: int) -> None:
    print("| kind | queries | same top hit | same total | same facets |")
    print("|---|---:|---:|---:|---:|")
    everything: Counter = Counter()
    for kind, row in table.items():
        everything.update(row)
        n = row["queries"]
        print(f"| {kind} | {n} | {_share(row['top'], n)} | {_share(row['total'], n)} | "
              f"{_share(row['facets'], n)} |")
    n = everything["queries"]
    print(f"| **all** | {n} | **{_share(everything['top'], n)}** | "
          f"{_share(everything['total'], n)} | {_share(everything['facets'], n)} |")
    causes = Counter(cause for _kind, _query, cause, _a, _b in differ)
    if causes:
        print("\nWhy the top hits differ: " + ", ".join(f"{cause} {count}"
                                                       for cause, count in causes.most_common()))
    for kind, query, cause, a, b in differ[:details]:
        def show(mine: Answer, other: Answer) -> str:
            if mine.error or not mine.scores:
                return mine.error or "no hits"
            rank = list(mine.scores).index(other.top) + 1 if other.top in mine.scores else None
            return (f"first {mine.top} {mine.scores[mine.top]:.3f}; the other's first "
                    + (f"at {rank}, {mine.scores[other.top]:.3f}" if rank else "not in 100")
                    + f"; total {mine.total}")
        print(f"- [{kind}] {query!r}: {cause}. Whoosh: {show(a, b)}. tantivy: {show(b, a)}.")


def cited_letters(records: list[dict], count: int, seed: int) -> list[dict]:
    """`count` records (seeded) whose number other letters of the corpus cite."""
    cited = {c["key"] for r in records for c in r.get("citations") or [] if c.get("key")}
    chosen = [r for r in records if r.get("key") in cited]
    return random.Random(seed).sample(chosen, min(count, len(chosen)))


def own_number_first(idx: Any, catalog: CatalogStore, cited: list[dict]) -> dict[str, int]:
    """How often the letter with the number typed comes first, per spelling."""
    counts: Counter = Counter()
    for record in cited:
        own = set(catalog.documents_with_key(record["key"]))
        reference = record["reference"]
        spaced = fold(" ".join(reference.replace("/", " ").replace("-", " ").split())).lower()
        for spelling, query in (("as written", reference), ("spaced", spaced)):
            hits = idx.search(query, per_page=1, facets=False, highlight=False).hits
            counts[spelling] += bool(hits) and hits[0].id in own
    return counts


def print_numbers(engines: dict[str, Any], catalog: CatalogStore, cited: list[dict]) -> None:
    n = len(cited)
    print("\n| engine | cited letters | own letter first, number as written | "
          "own letter first, spaced ('12 kh ubnd') |")
    print("|---|---:|---:|---:|")
    for name, idx in engines.items():
        counts = own_number_first(idx, catalog, cited)
        print(f"| {name} | {n} | {_share(counts['as written'], n)} | "
              f"{_share(counts['spaced'], n)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--expected", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=500, help="generated queries")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--details", type=int, default=20, help="disagreements shown")
    parser.add_argument("--cited", type=int, default=300, help="cited letters looked up")
    parser.add_argument("--leave-out", default="", help=f"index fields left out of ranking "
                        f"on both engines ({', '.join(FIELDS)}; bench/leaveout.py)")
    args = parser.parse_args()
    leave_out([name.strip() for name in args.leave_out.split(",") if name.strip()])

    archive = Archive(args.archive)
    left, right = (open_index(archive.index_dir, e) for e in ("whoosh", "tantivy"))
    records = load_expected(args.expected)
    queries = fixed_set(records, args.queries, args.seed)
    table, differ = compare_all(left, right, queries)
    print(f"Whoosh and tantivy on {args.archive}: {len(queries)} queries ({args.queries} "
          f"generated, seed {args.seed}, and the hand-written ones of bench/parity.py), "
          f"relevance, first page; load {os.getloadavg()[0]:.2f} at the end.\n")
    print_table(table, differ, args.details)
    with open_catalog(archive.catalog_location) as catalog:
        print_numbers({"Whoosh": left, "tantivy": right}, catalog,
                      cited_letters(records, args.cited, args.seed))
    print(f"(load {os.getloadavg()[0]:.2f} at the end)")


if __name__ == "__main__":
    main()
