"""Do Whoosh and tantivy give the same answers? Runs the same queries on both indexes of one
archive and prints how many agree, per kind of query and per thing compared, then the first
disagreements in detail.

    python -m bench.parity --archive bench/work/w10k/archive --expected bench/work/w10k/expected \
        --queries 1000 --seeds 1 2 3

Compared: the total, the facets (equal dicts), the ids of page 1 for the date sorts (as sets:
letters of one day may come in either order), and for relevance the first hit when the query
is a document number or has accents. Scores differ between engines, so "first hit" asks
whether each engine's first letter is one that must come first, judged from the catalog: the
letter with that number, or a letter holding every accented word as typed; `same first` counts
the queries where both engines put the very same letter first (ties may go either way).
Both indexes must be built already (`congvan reindex`, `rebuild_index(..., engine=...)`).
"""

from __future__ import annotations

import argparse
import json
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.queries import load_expected, make_queries
from index import QueryError, open_index
from index.analysis import exact_words
from index.documents import index_record
from index.planning import whole_number
from index.querylang import parse_query
from ingest import Archive, CatalogStore, open_catalog
from ingest.extract.numbers import reference_key
from ingest.folding import fold

PER_PAGE = 20
INFORMATIONAL = ("same first",)  # shown, not required to agree
# Hand-written queries: every filter of querylang.HELP, OR, exclusion, fuzziness, dates,
# accented phrases, numbers in every spelling, the empty query; run in each sort and on page 2.
HAND = [
    "", "dong thap", "đồng tháp", '"cắt ghép"', '"phòng chống"', "lừa đảo -zalo",
    "deepfake OR zalo", "phong chong OR thien tai", '"cháy rừng" OR "bão lũ"',
    "tong tein~", "phong chng~", "chong~2 lu", "khan~ cap", "-thong bao",
    "bao cao -nam:2024", "ke hoach -loai:ke-hoach", "nam:2024", "nam:2023 loai:cong-van",
    "loai:ke-hoach", "loai:quyet-dinh", "loai:thong-bao", "loai:bao-cao",
    'coquan:"cong an"', 'coquan:"ủy ban nhân dân"', 'coquan:ubnd', 'capcha:"ubnd tinh"',
    "capcha:bo", 'tinh:"lam dong"', "tinh:hanoi", 'tinh:"ha noi"', "tinh:hue",
    'tinh:"ho chi minh"', "tinh:dong-thap", 'nguoiky:"vu nhu ha"', "nguoiky:nguyen",
    'nhan:"cac so"', "nhan:ubnd", 'giao:"cong an tinh"', "giao:so",
    "tu:2024-01-01 den:2024-06-30", "tu:2024-01-01", "den:30/06/2023", "tu:2024-03 den:2024-05",
    "tu:2023 den:2023", "tu:3/2024", "den:2022", "tu:01.02.2024 den:29.02.2024",
    "phong chong tu:2024", "bao cao den:2023-12", '"thiên tai" tu:2024-01 den:2024-12',
    '"thực hiện"', '"ủy ban nhân dân tỉnh"', "tăng cường công tác", "hòa bình", "hoà bình",
    "khẩn cấp", "Khẩn Cấp", "phòng chống dịch", "tuyên truyền", "an toàn giao thông",
]


def hand_numbers(records: list[dict], count: int = 10) -> list[str]:
    """Document numbers of the archive in every spelling: as written, lower case, spaced,
    without diacritics, with so: and trichdan:."""
    out: list[str] = []
    for record in [r for r in records if r.get("number") is not None][:count]:
        reference = record["reference"]
        spaced = " ".join(reference.replace("/", " ").replace("-", " ").split())
        out += [reference, reference.lower(), fold(reference), spaced, fold(spaced).upper(),
                f"so:{reference}", f"trichdan:{reference}", f"so:{fold(reference).lower()}"]
    return out


def _answer(idx: Any, query: str, sort: str, page: int) -> dict[str, Any]:
    try:
        results = idx.search(query, page=page, per_page=PER_PAGE, sort=sort, highlight=False)
    except QueryError as exc:
        return {"error": str(exc)}
    return {"total": results.total, "facets": {k: list(map(tuple, v))
                                               for k, v in results.facets.items()},
            "ids": [h.id for h in results.hits], "dates": [h.date for h in results.hits]}


class FirstRule:
    """Which letters a relevance query must put first: the one with the number typed, else
    those holding every accented word exactly; None when the query decides no such letter."""

    def __init__(self, catalog: CatalogStore) -> None:
        self.catalog = catalog

    def needs(self, query: str) -> tuple[str, object] | None:
        try:
            parsed = parse_query(query)
        except QueryError:
            return None
        number = whole_number(parsed) or next(
            (c.text for g in parsed.groups for c in g if c.kind == "field" and c.field == "so"),
            None)
        if number:
            return "number", number
        accented = {w for g in parsed.groups for c in g if c.kind in ("word", "phrase")
                    for w in exact_words(c.text) if not w.isascii()}
        return ("accents", accented) if accented else None

    def holds(self, doc_id: str, rule: tuple[str, object]) -> bool:
        row = self.catalog.get_document(doc_id) or {}
        record = index_record(row, "")
        if rule[0] == "number":
            return record.ref_key == rule[1] or reference_key(record.reference) == rule[1]
        words = set(exact_words("\n".join([*record.head, record.text])))
        return set(rule[1]) <= words  # type: ignore[arg-type]


def _date_page_agrees(a: dict, b: dict) -> bool:
    """The same dates, and the same letters except those of the page's first and last date
    (letters of one day are equally placed: the page ends may cut them in either order)."""
    if a["dates"] != b["dates"] or len(a["ids"]) != len(b["ids"]):
        return False
    ends = {a["dates"][0], a["dates"][-1]} if a["dates"] else set()
    keep = [i for i, d in enumerate(a["dates"]) if d not in ends]
    return {a["ids"][i] for i in keep} == {b["ids"][i] for i in keep}


def compare(left: Any, right: Any, rule: FirstRule, kind: str, query: str, sort: str,
            page: int) -> list[tuple[str, str, str]]:
    """(check, verdict, detail) for one query in one sort and page."""
    a, b = _answer(left, query, sort, page), _answer(right, query, sort, page)
    if "error" in a or "error" in b:
        same = a.get("error") == b.get("error")
        return [("error", "agree" if same else "differ", f"{a.get('error')} | {b.get('error')}")]
    checks = [("total", a["total"] == b["total"], f"{a['total']} vs {b['total']}")]
    if page == 1 and sort == "relevance":
        diff = {k: (dict(a["facets"].get(k, [])), dict(b["facets"].get(k, [])))
                for k in set(a["facets"]) | set(b["facets"])}
        diff = {k: _dict_diff(*v) for k, v in diff.items() if v[0] != v[1]}
        checks.append(("facets", not diff, json.dumps(diff, ensure_ascii=False)[:400]))
    if sort != "relevance":
        checks.append(("date page", _date_page_agrees(a, b),
                       f"{list(zip(a['ids'], a['dates'], strict=True))[:6]} vs "
                       f"{list(zip(b['ids'], b['dates'], strict=True))[:6]}"))
    elif page == 1 and a["ids"] and b["ids"] and (needs := rule.needs(query)):
        right_first = (rule.holds(a["ids"][0], needs), rule.holds(b["ids"][0], needs))
        checks.append(("first hit", right_first[0] == right_first[1],
                       f"first is right: {right_first}; {a['ids'][:3]} vs {b['ids'][:3]}"))
        checks.append(("same first", a["ids"][0] == b["ids"][0],
                       f"{a['ids'][:3]} vs {b['ids'][:3]}"))
    return [(name, "agree" if ok else "differ", detail) for name, ok, detail in checks]


def _dict_diff(a: dict, b: dict) -> dict:
    return {k: (a.get(k), b.get(k)) for k in sorted(set(a) | set(b), key=str)
            if a.get(k) != b.get(k)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--expected", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=1000, help="generated queries per seed")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--details", type=int, default=15, help="disagreements shown")
    args = parser.parse_args()

    archive = Archive(args.archive)
    index_dir = archive.index_dir
    rule = FirstRule(open_catalog(archive.catalog_location))
    left, right = open_index(index_dir, "whoosh"), open_index(index_dir, "tantivy")
    records = load_expected(args.expected)
    runs: list[tuple[str, str, str, int]] = []
    for seed in args.seeds:
        runs += [(kind, q, "relevance", 1) for kind, q in make_queries(records, args.queries,
                                                                         seed)]
    hand = [("hand", q) for q in HAND] + [("hand number", q) for q in hand_numbers(records)]
    for kind, q in hand:
        runs += [(kind, q, sort, page) for sort in ("relevance", "newest", "oldest")
                 for page in (1, 2)]
    table: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    shown: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    for kind, query, sort, page in runs:
        for check, verdict, detail in compare(left, right, rule, kind, query, sort, page):
            table[(kind, check)][verdict] += 1
            key = (kind, check, query)
            if (verdict == "differ" and check not in INFORMATIONAL
                    and len(shown) < args.details and key not in seen):
                seen.add(key)
                shown.append(f"[{kind} / {check}] {query!r} sort={sort} page={page}: {detail}")
    print(f"whoosh vs tantivy on {args.archive} (load {os.getloadavg()[0]:.2f})")
    print(f"{'kind':<14}{'check':<12}{'agree':>8}{'differ':>8}")
    for (kind, check), counts in sorted(table.items()):
        print(f"{kind:<14}{check:<12}{counts['agree']:>8}{counts['differ']:>8}")
    required = [c for (_kind, check), c in table.items() if check not in INFORMATIONAL]
    agree, differ = (sum(c[v] for c in required) for v in ("agree", "differ"))
    print(f"{'all required':<26}{agree:>8}{differ:>8}   ({', '.join(INFORMATIONAL)}: "
          "scores differ, so ties may go either way)")
    if shown:
        print("\nfirst disagreements (whoosh | tantivy):")
        print("\n".join(shown))


if __name__ == "__main__":
    main()
