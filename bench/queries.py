"""Queries of the kinds staff type, drawn from a generated corpus's expected metadata.

Kinds: 1–4 words without diacritics ("chay rung"), with diacritics ("cháy rừng"), a quoted phrase,
words with a filter (nam:2023, loai:cong-van), and a number lookup (so:1234/UBND-VX or the bare
reference). Words are consecutive in some letter's subject, so most queries have answers.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from ingest.folding import fold

KINDS = ("plain", "diacritics", "phrase", "filter", "number")
_WORD = re.compile(r"[^\W\d_]{2,}")


def load_expected(expected_dir: Path, limit: int | None = None) -> list[dict]:
    """The generator's records; at most `limit` of them, evenly spread over the corpus (a
    million sidecars would take minutes and gigabytes to read for a few hundred queries)."""
    paths = sorted(expected_dir.glob("*.json"))
    if limit and len(paths) > limit:
        paths = paths[::-(-len(paths) // limit)]
    return [json.loads(path.read_text(encoding="utf-8")) for path in paths]


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", fold(text)))


def _words(rng: random.Random, record: dict, low: int, high: int) -> list[str]:
    words = _WORD.findall(record["subject"])
    size = min(len(words), rng.randint(low, high))
    start = rng.randrange(len(words) - size + 1)
    return [w.lower() for w in words[start:start + size]]


def make_query(rng: random.Random, kind: str, record: dict) -> str:
    if kind == "plain":
        return fold(" ".join(_words(rng, record, 1, 4)))
    if kind == "diacritics":
        return " ".join(_words(rng, record, 1, 4))
    if kind == "phrase":
        return '"' + " ".join(_words(rng, record, 2, 3)) + '"'
    if kind == "filter":
        words = fold(" ".join(_words(rng, record, 1, 2)))
        if rng.random() < 0.5:
            return f"{words} nam:{record['date'][:4]}"
        return f"{words} loai:{_slug(record['doc_type'])}"
    reference = record["reference"]
    return rng.choice((f"so:{reference}", reference, reference.lower()))


def make_queries(records: list[dict], count: int, seed: int = 0) -> list[tuple[str, str]]:
    """(kind, query) pairs, the kinds in equal shares, no query twice."""
    rng = random.Random(seed)
    numbered = [r for r in records if r["number"] is not None]
    queries: dict[str, str] = {}
    attempts = 0
    while len(queries) < count and attempts < count * 20:
        kind = KINDS[attempts % len(KINDS)]
        attempts += 1
        record = rng.choice(numbered if kind == "number" else records)
        query = make_query(rng, kind, record)
        if query.strip('" ') and query not in queries:
            queries[query] = kind
    return [(kind, query) for query, kind in queries.items()]
