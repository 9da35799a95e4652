"""Per-field accuracy of the metadata extractor over letters with expected records beside them.

    python -m bench.extract tests/data/devset [--show-misses] [--json]

Each `X.txt` with an `X.json` beside it counts; a field is right when it equals the expected value
(tasks: same labels, assignees and deadlines, and each expected text a prefix of ours after
folding; citations: the same set; signer: the keys the expected record has). Fields absent from an
expected record are not scored.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from ingest.extract.metadata import FIELDS, extract_metadata
from ingest.folding import fold

log = logging.getLogger(__name__)


def _same_tasks(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> bool:
    if len(got) != len(want):
        return False
    for ours, theirs in zip(got, want, strict=True):
        keys = ("label", "assignees", "deadline")
        if any(ours.get(k) != theirs.get(k) for k in keys):
            return False
        if not _squeezed(ours["text"]).startswith(_squeezed(theirs["text"])):
            return False
    return True


def _squeezed(text: str) -> str:
    return " ".join(fold(text).split())


def citation_set(items: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    keys = ("doc_type", "reference", "key", "date", "issuer")
    return {tuple(item.get(k) for k in keys) for item in items}


def set_f1(got: set[Any], want: set[Any]) -> float:
    """F1 of a found set against the expected one; two empty sets agree (1.0)."""
    if not got and not want:
        return 1.0
    found = len(got & want)
    return 2 * found / (len(got) + len(want))


def same(field: str, got: Any, want: Any) -> bool:
    if field == "tasks":
        return _same_tasks(got or [], want or [])
    if field == "citations":
        return citation_set(got or []) == citation_set(want or [])
    if field == "signer" and isinstance(got, dict) and isinstance(want, dict):
        return {key: got.get(key) for key in want} == want  # keys added later are not scored
    return got == want


def score(directory: Path) -> tuple[dict[str, list[int]], list[tuple[str, str, Any, Any]]]:
    """({field: [right, total]}, misses) over the letters of `directory`."""
    totals: dict[str, list[int]] = {field: [0, 0] for field in FIELDS}
    misses = []
    for expected_path in sorted(directory.glob("*.json")):
        letter = expected_path.with_suffix(".txt")
        if not letter.exists():
            continue
        want = json.loads(expected_path.read_text(encoding="utf-8"))
        got = extract_metadata(letter.read_text(encoding="utf-8"),
                               pages=want.get("pages", 1), ocr=want.get("ocr", False))
        for field in FIELDS:
            if field not in want:
                continue
            right = same(field, got.get(field), want[field])
            totals[field][0] += right
            totals[field][1] += 1
            if not right:
                misses.append((letter.name, field, got.get(field), want[field]))
    return totals, misses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--show-misses", action="store_true", help="print every wrong field")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    totals, misses = score(args.directory)
    letters = max((total for _, total in totals.values()), default=0)
    if args.json:
        json.dump({f: {"right": r, "total": t} for f, (r, t) in totals.items()}, sys.stdout,
                  ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    sys.stdout.write(f"{letters} letters in {args.directory}\n")
    for field, (right, total) in totals.items():
        if total:
            sys.stdout.write(f"{field:<16}{right:>4}/{total:<4}{100 * right / total:6.1f}%\n")
    if args.show_misses:
        for name, field, got, want in misses:
            sys.stdout.write(f"\n{name} {field}\n  got:  {got!r}\n  want: {want!r}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
