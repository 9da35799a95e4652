"""The Whoosh schema: what each field holds and why, and the version that forces a rebuild.

Text is indexed three ways, none with positions (Whoosh reads positions in Python, per hit):
folded words (`content`), folded word pairs (`pairs`: phrases are ANDs of pairs, adjacency
raises scores) and accented words (`exact`, only ranks exact-accent matches first). It is stored
once, compressed, in `body` for highlighting. Filters are their own small fields; facets and
sort keys are columns. Abbreviations are indexed as their long forms (index.abbreviations).
"""

from __future__ import annotations

import logging

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from .analysis import exact_analyzer, folded_analyzer, pairs_analyzer

log = logging.getLogger(__name__)

# Bump whenever fields, analyzers or what goes into them change: an index with another version
# is rebuilt from the catalog.
SCHEMA_VERSION = 8  # 8: abbreviations expanded to their long forms

# Facet name (the interface's key) → column field holding its display value.
FACET_FIELDS = {
    "doc_type": "doc_type_f",
    "issuer": "issuer_f",
    "year": "year",
    "province": "province_f",
}


def build_schema() -> Schema:
    folded = folded_analyzer()
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        stamp=ID(sortable=True),  # fingerprint of the catalog row, to find stale entries
        content=TEXT(analyzer=folded, phrase=False),
        pairs=TEXT(analyzer=pairs_analyzer(), phrase=False),  # phrases without positions
        exact=TEXT(analyzer=exact_analyzer(), phrase=False),
        title=TEXT(analyzer=folded, phrase=False),  # type, number, issuers, place, subject
        body=STORED(),  # zlib-compressed compact text for snippets
        reference=ID(stored=True, sortable=True),
        symbol=STORED(),
        doc_type=STORED(),
        issuer=TEXT(analyzer=folded, phrase=True, stored=True),
        subject=STORED(),
        filename=STORED(),
        date=ID(stored=True),
        ref_key=ID(),
        cites=KEYWORD(scorable=True),
        type_slug=ID(),
        doc_type_f=ID(sortable=True),
        issuer_f=ID(sortable=True),
        parent=TEXT(analyzer=folded, phrase=True),
        province=KEYWORD(),
        province_f=ID(sortable=True),
        year=ID(sortable=True),
        sort_new=ID(sortable=True),  # date, "" when unknown (last when newest first)
        sort_old=ID(sortable=True),  # date, "~" when unknown (last when oldest first)
        signer=TEXT(analyzer=folded, phrase=True),
        recipients=TEXT(analyzer=folded, phrase=True),
        assignees=TEXT(analyzer=folded, phrase=True),
        needs_review=ID(stored=True),  # "co" | "khong" (documents.review_term)
    )
