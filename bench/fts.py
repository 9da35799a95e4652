"""The peer baseline: SQLite FTS5 over pre-folded text, answering the same queries.

Each search does what the Whoosh search does for a page of results: match (AND of the words,
phrases kept), filters (nam:, loai:, so:), the total, facet counts by type, year and issuer, and
the top 10 by bm25 with a snippet.
"""

from __future__ import annotations

import re
import shlex
import sqlite3
import time
from pathlib import Path
from typing import Any

from ingest.extract.numbers import reference_key
from ingest.folding import fold
from ingest.store.catalog import CatalogStore

SCHEMA = """
CREATE TABLE docs (id INTEGER PRIMARY KEY, doc_id TEXT, type_slug TEXT, doc_type TEXT,
                   year TEXT, issuer TEXT, ref_key TEXT);
CREATE INDEX docs_ref_key ON docs (ref_key);
CREATE VIRTUAL TABLE fts USING fts5(subject, body, tokenize='unicode61');
"""


def _slug(text: str | None) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", fold(text or "")))


def build_fts(catalog: CatalogStore, db_path: Path) -> dict[str, Any]:
    """Index every catalog document (folded subject and text); returns count and seconds."""
    started = time.perf_counter()
    db_path.unlink(missing_ok=True)
    db = sqlite3.connect(db_path)
    db.executescript(SCHEMA)
    count = 0
    with db:
        for row in catalog.iter_documents():
            count += 1
            year = (row.get("issued_date") or "")[:4]
            db.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (count, row["id"], _slug(row.get("doc_type")), row.get("doc_type"),
                        year, row.get("issuer"), row.get("ref_key")))
            db.execute("INSERT INTO fts (rowid, subject, body) VALUES (?, ?, ?)",
                       (count, fold(row.get("subject") or ""), fold(row["text"])))
    db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
    db.commit()
    db.close()
    return {"letters": count, "seconds": time.perf_counter() - started,
            "bytes": db_path.stat().st_size}


FACETS = ("doc_type", "year", "issuer")


class FtsSearch:
    def __init__(self, db_path: Path) -> None:
        self.db = sqlite3.connect(db_path)

    def search(self, query: str) -> dict[str, Any]:
        match, where, params = self._translate(query)
        if match:
            base = "SELECT rowid FROM fts WHERE fts MATCH ?"
            where.append(f"d.id IN ({base})")
            params.append(match)
        clause = " AND ".join(where) or "1"
        total = self.db.execute(f"SELECT count(*) FROM docs d WHERE {clause}", params).fetchone()
        facets = {name: self.db.execute(
            f"SELECT {name}, count(*) c FROM docs d WHERE {clause} GROUP BY {name} "
            "ORDER BY c DESC LIMIT 10", params).fetchall() for name in FACETS}
        if match:
            hits = self.db.execute(
                "SELECT d.doc_id, snippet(fts, 1, '<mark>', '</mark>', '…', 24) FROM fts "
                f"JOIN docs d ON d.id = fts.rowid WHERE fts MATCH ? AND {clause} "
                "ORDER BY bm25(fts) LIMIT 10", [match, *params]).fetchall()
        else:
            hits = self.db.execute(f"SELECT d.doc_id FROM docs d WHERE {clause} LIMIT 10",
                                   params).fetchall()
        return {"total": total[0], "facets": facets, "hits": hits}

    def ranked(self, query: str, limit: int = 10) -> list[str]:
        """The ids of the first `limit` letters by bm25, nothing else (no total, facets or
        snippets): what a relevance evaluation needs."""
        match, where, params = self._translate(query)
        clause = " AND ".join(where) or "1"
        if not match:
            return [row[0] for row in self.db.execute(
                f"SELECT d.doc_id FROM docs d WHERE {clause} LIMIT ?", [*params, limit])]
        return [row[0] for row in self.db.execute(
            "SELECT d.doc_id FROM fts JOIN docs d ON d.id = fts.rowid "
            f"WHERE fts MATCH ? AND {clause} ORDER BY bm25(fts) LIMIT ?",
            [match, *params, limit])]

    def ask(self, query: str) -> str | None:
        """bench.load's client interface: the search, or what went wrong."""
        try:
            self.search(query)
        except sqlite3.Error as error:
            return f"{type(error).__name__}: {error}"
        return None

    def close(self) -> None:
        self.db.close()

    @staticmethod
    def _translate(query: str) -> tuple[str, list[str], list[Any]]:
        """FTS5 MATCH text (AND of folded words and phrases) and SQL filters."""
        terms, where, params = [], [], []
        for token in shlex.split(query.replace("'", " ")):
            name, _, value = token.partition(":")
            if value and name in ("nam", "loai", "so"):
                column = {"nam": "d.year", "loai": "d.type_slug", "so": "d.ref_key"}[name]
                where.append(f"{column} = ?")
                params.append(reference_key(value) if name == "so" else value)
            elif "/" in token:
                where.append("d.ref_key = ?")
                params.append(reference_key(token))
            else:
                words = re.findall(r"[a-z0-9]+", fold(token))
                if words:
                    terms.append('"' + " ".join(words) + '"')
        return " AND ".join(terms), where, params
