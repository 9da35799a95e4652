"""Rules of the house that code review would otherwise have to catch (issue 12)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SQL = re.compile(r"\b(?:SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b|\.execute\(")


def test_sql_lives_only_in_the_catalog() -> None:
    """A second catalog engine (PostgreSQL) must have one module to implement, not three
    packages to thread through: every statement on the catalog is in ingest/store/catalog.py."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in ("ingest", "index", "webui", "congvan")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != ROOT / "ingest" / "store" / "catalog.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SQL.search(line)
    ]
    assert offenders == []
