"""The Whoosh schema: what each field holds and why, the version that forces a rebuild, and a
letter as a Whoosh document.

Text is indexed three ways: folded words (`content`, no positions), folded word pairs (`pairs`,
with positions: a phrase is its pairs side by side, and adjacency raises scores) and accented
words (`exact`, only ranks exact-accent matches first). It is stored once, compressed, in `body`
for highlighting. Filters are their own small fields; facets and sort keys are columns.
Abbreviations are indexed as their long forms (index.abbreviations). Positions are packed
(index.whoosh.positions) so that phrases are read with numpy, not Whoosh's per-letter Python.
"""

from __future__ import annotations

import logging
import unicodedata
import zlib
from typing import Any

from whoosh import columns
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from ..analysis import (
    VALUE_SEPARATOR,
    exact_word_count,
    folded_word_count,
    folded_word_list,
    lettered_pair_count,
)
from ..documents import index_record, review_term
from .analysis import exact_analyzer, folded_analyzer, pairs_analyzer
from .positions import PackedPositions

log = logging.getLogger(__name__)

# Bump whenever fields, analyzers or what goes into them change: an index with another version
# is rebuilt from the catalog.
SCHEMA_VERSION = 17  # 17: pair counts (16: month facet, 15: validity)

# Facet name (the interface's key) → column field holding its display value.
FACET_FIELDS = {
    "doc_type": "doc_type_f",
    "issuer": "issuer_f",
    "year": "year",
    "month": "month",
    "province": "province_f",
    "validity": "validity_f",
}


# Each scored text field's number of words, as tantivy counts them: BM25 weighs a letter by
# its length, which Whoosh keeps in a byte of 4% steps; letters a step apart were ranked apart
# on the two engines (bench/agreement.py). Read by index.whoosh.scoring; the pairs field's
# length is its words side by side (analysis.lettered_pair_count).
WORD_COUNTS = {"content": "content_words", "exact": "exact_words", "title": "title_words",
               "pairs": "pairs_words"}


def _positional(analyzer: Any, **options: Any) -> TEXT:
    """A text field keeping its words' positions packed, for phrases (index.whoosh.positions)."""
    field = TEXT(analyzer=analyzer, phrase=True, **options)
    field.format = PackedPositions(field_boost=field.format.field_boost)
    return field


def build_schema() -> Schema:
    folded = folded_analyzer()
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        stamp=ID(sortable=True),  # fingerprint of the catalog row, to find stale entries
        content=TEXT(analyzer=folded, phrase=False),
        pairs=_positional(pairs_analyzer()),  # a phrase: its pairs side by side
        exact=TEXT(analyzer=exact_analyzer(), phrase=False),
        title=_positional(folded),  # type, number, issuers, place, subject
        body=STORED(),  # zlib-compressed compact text for snippets
        reference=ID(stored=True, sortable=True),
        symbol=STORED(),
        doc_type=STORED(),
        issuer=_positional(folded, stored=True),
        subject=STORED(),
        filename=STORED(),
        date=ID(stored=True),
        # Scored (BM25, as tantivy scores it): an unscored term weighs a flat 1, which a
        # letter citing the number (`cites`, scored) outweighed on a number lookup.
        ref_key=KEYWORD(scorable=True),
        cites=KEYWORD(scorable=True),
        type_slug=ID(),
        doc_type_f=ID(sortable=True),
        issuer_f=ID(sortable=True),
        parent=_positional(folded),
        province=KEYWORD(),
        province_f=ID(sortable=True),
        year=ID(sortable=True),
        month=ID(sortable=True),
        sort_new=ID(sortable=True),  # date, "" when unknown (last when newest first)
        sort_old=ID(sortable=True),  # date, "~" when unknown (last when oldest first)
        signer=_positional(folded),
        recipients=_positional(folded),
        assignees=_positional(folded),
        needs_review=ID(stored=True),  # "co" | "khong" (documents.review_term)
        validity=ID(stored=True),  # 'con-hieu-luc', 'bi-thay-the' … (hieuluc:)
        validity_f=ID(sortable=True),  # its label, the facet's value ('Bị thay thế')
        **{name: COLUMN(columns.NumericColumn("I")) for name in WORD_COUNTS.values()},
    )


def compact_text(text: str) -> str:
    """The text with runs of white space collapsed: what snippets are cut from."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def pack_body(text: str) -> bytes:
    return zlib.compress(compact_text(text).encode(), 1)


def unpack_body(body: bytes | None) -> str:
    return zlib.decompress(body).decode() if body else ""


def _joined(values: list[str | None]) -> str:
    return f" {VALUE_SEPARATOR} ".join(v for v in values if v)


def document_fields(row: dict[str, Any], stamp: str) -> dict[str, Any]:
    """The Whoosh document of one catalog row (`stamp` from `catalog_stamps`)."""
    record = index_record(row, stamp)
    date = record.date
    words = [folded_word_list(v) for v in [*record.head, record.text]]
    fields: dict[str, Any] = {
        "id": record.id,
        "stamp": stamp,
        "content": "\n".join([*record.head, record.text]),
        "exact": "\n".join([*record.head, record.text]),
        "pairs": _joined([*record.head, record.text]),
        "title": _joined([*record.head, record.place]),
        "body": pack_body(record.text),
        "reference": record.reference,
        "symbol": record.symbol,
        "doc_type": record.doc_type,
        "issuer": record.issuer,
        "subject": record.subject,
        "filename": record.filename,
        "date": date,
        "doc_type_f": record.doc_type,
        "issuer_f": record.issuer,
        "province_f": record.province,
        "year": record.year,
        "month": record.month,
        "sort_new": date,
        "sort_old": date or "~",
        "parent": record.parent,
        "signer": _joined(record.signer),
        "recipients": _joined(record.recipients),
        "assignees": _joined(record.assignees),
        "cites": " ".join(record.cites),
        "province": " ".join(record.provinces),
        "ref_key": record.ref_key,
        "type_slug": record.type_slug,
        "needs_review": review_term(record.needs_review),
        "validity": record.validity,
        "validity_f": record.validity_label,
        "content_words": sum(map(len, words)),
        "pairs_words": sum(map(lettered_pair_count, words)),
        "exact_words": sum(exact_word_count(v) for v in [*record.head, record.text]),
        "title_words": sum(folded_word_count(v) for v in [*record.head, record.place] if v),
    }
    return {name: value for name, value in fields.items() if value != ""}
