"""What a parsed query asks of an index, whatever its engine: the index field each filter
searches, how much each kind of match weighs, and when the words typed are a document number.

Both engines' plans (index.whoosh.queries, index.tantivy.queries) read these, so a query means
the same on either.
"""

from __future__ import annotations

import logging

from ingest.extract.numbers import reference_key

from .querylang import ParsedQuery

log = logging.getLogger(__name__)

OWN_NUMBER_BOOST = 1000.0
CITED_NUMBER_BOOST = 100.0
EXACT_ACCENT_BOOST = 0.5
TITLE_BOOST = 1.0
PAIR_BOOST = 1.0

# Query field name → index field; text fields are matched as folded phrases.
TEXT_FILTERS = {
    "coquan": "issuer", "capcha": "parent", "nguoiky": "signer", "nhan": "recipients",
    "giao": "assignees",
}
TERM_FILTERS = {
    "so": "ref_key", "trichdan": "cites", "loai": "type_slug", "tinh": "province", "nam": "year",
    "kiemtra": "needs_review",
}


def words_mode(parsed: ParsedQuery) -> str:
    """How the words typed expand abbreviations: not at all when they are a document number
    ('12 kh ubnd' is 12/KH-UBND, whose symbol the index keeps as written)."""
    return "none" if whole_number(parsed) else "query"


def whole_number(parsed: ParsedQuery) -> str | None:
    """The key when the words typed are one document number ('139 cd ttg')."""
    if not parsed.is_plain or len(parsed.groups) < 2 or len(parsed.groups) > 6:
        return None
    text = parsed.free_text
    return reference_key(text) if any(c.isdigit() for c in text) else None
