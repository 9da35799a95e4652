"""The tantivy schema, its Vietnamese analyzers, and a letter as a tantivy document.

Tokenizing and folding run in tantivy (Rust, on the writer's threads): Python only normalises
the text (NFC; abbreviations expanded as Whoosh's analyzer does, index.abbreviations; tone
placement for the accented field), so a bulk build is not bound by Python per token.
Text fields keep positions, so phrases are real phrase queries (no word-pair field as in
Whoosh). Multi-valued fields get one value each: tantivy leaves a gap between values, so a
phrase never matches across two recipients. Display values travel in one stored JSON field.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata

import tantivy

from ..abbreviations import expand_abbreviations
from ..accents import normalize_tones
from ..documents import IndexRecord, review_term

log = logging.getLogger(__name__)

# Bump whenever fields, analyzers or what goes into them change (forces a rebuild).
TANTIVY_SCHEMA_VERSION = 5  # 5: abbreviations expanded to their long forms

# A syllable: letters, digits, combining marks (NFD leftovers), as index.analysis does.
_TOKEN = r"[\w\x{0300}-\x{036f}]+"
FOLDED, EXACT = "vn_folded", "vn_exact"

# Facet name (the interface's key) → fast field holding its display value.
FACET_FIELDS = {
    "doc_type": "doc_type_f",
    "issuer": "issuer_f",
    "year": "year",
    "province": "province_f",
}
UNDATED_OLD = 99_999_999  # sorts undated letters last when oldest come first


def folded_analyzer() -> tantivy.TextAnalyzer:
    """'Đồng Tháp' → ['dong', 'thap'] (lowercase, then tantivy's ASCII folding: đ → d)."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(_TOKEN))
            .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold()).build())


def exact_analyzer() -> tantivy.TextAnalyzer:
    """'hòa bình' → ['hòa', 'bình'] (input already lower-cased and tone-normalised)."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(_TOKEN))
            .filter(tantivy.Filter.lowercase()).build())


FOLD = folded_analyzer()
_MARKS = re.compile("[\u0300-\u036f]")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def folded(text: str, mode: str = "text") -> str:
    """Text as the folded fields take it: NFC, abbreviations expanded (`mode` as in
    index.abbreviations), stray combining marks dropped (OCR, NFD leftovers on consonants), as
    Whoosh's fold does; tantivy lower-cases and folds the rest."""
    text = expand_abbreviations(nfc(text), mode)
    return _MARKS.sub("", text) if _MARKS.search(text) else text


# A word without any diacritic: the folded field has it already (as in Whoosh's exact field).
_PLAIN_WORD = re.compile(r"(?<![\w\u0300-\u036f])[a-z0-9_]+(?![\w\u0300-\u036f])")


def exact_text(text: str, mode: str = "text") -> str:
    """Abbreviations expanded, lower case, tone placement normalised, only the words that carry
    a diacritic (about a tenth less indexing work than every word)."""
    text = expand_abbreviations(nfc(text), mode)
    return _PLAIN_WORD.sub(" ", normalize_tones(text.lower()))


def folded_tokens(text: str, mode: str = "text") -> list[str]:
    """The terms the folded fields hold for `text` (what a query's words must match with
    `mode` "query", a field filter's with "names")."""
    return FOLD.analyze(folded(text, mode))


def register_analyzers(index: tantivy.Index) -> None:
    """Tantivy does not store analyzers in the index: every opening registers them."""
    index.register_tokenizer(FOLDED, FOLD)
    index.register_tokenizer(EXACT, exact_analyzer())


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()

    def raw(name: str, *, fast: bool = False) -> None:  # exact values: ids, keys, slugs
        builder.add_text_field(name, fast=fast, tokenizer_name="raw", index_option="basic")

    raw("id", fast=True)
    raw("id_stamp", fast=True)  # "id stamp": the live ones are read back to find stale entries
    builder.add_text_field("content", tokenizer_name=FOLDED, index_option="position")
    builder.add_text_field("exact", tokenizer_name=EXACT, index_option="freq")
    builder.add_text_field("title", tokenizer_name=FOLDED, index_option="freq")
    for name in ("issuer", "parent", "signer", "recipients", "assignees"):
        builder.add_text_field(name, tokenizer_name=FOLDED, index_option="position")
    for name in ("ref_key", "cites", "type_slug", "province", "needs_review"):
        raw(name)
    for name in ("reference", *FACET_FIELDS.values()):
        raw(name, fast=True)
    builder.add_unsigned_field("date_key", indexed=True, fast=True)  # 2024-05 → 20240500
    builder.add_unsigned_field("sort_new", fast=True)  # date key, 0 when undated
    builder.add_unsigned_field("sort_old", fast=True)  # date key, UNDATED_OLD when undated
    builder.add_bytes_field("stored", stored=True)  # display values and text, JSON
    return builder.build()


def date_key(date: str) -> int:
    """'2024-05-06' → 20240506, '2024-05' → 20240500, '2024' → 20240000, '2024-99' →
    20249900: ordered as the strings are, so the query language's date bounds carry over."""
    parts = [int(p) for p in date.split("-")[:3]] + [0, 0]
    return parts[0] * 10_000 + parts[1] * 100 + parts[2]


def to_document(record: IndexRecord) -> tantivy.Document:
    doc = tantivy.Document()
    add = doc.add_text
    add("id", record.id)
    add("id_stamp", f"{record.id} {record.stamp}")
    text = nfc(record.text)
    # Abbreviations expanded once for the folded and accented fields ("none" after that).
    head = [expand_abbreviations(nfc(h)) for h in record.head]
    for value in (*head, expand_abbreviations(text)):
        add("content", folded(value, "none"))
        add("exact", exact_text(value, "none"))
    for value in (*head, expand_abbreviations(nfc(record.place))):
        add("title", folded(value, "none"))
    for name in ("issuer", "parent"):
        if value := getattr(record, name):
            add(name, folded(value))
    for name in ("signer", "recipients", "assignees"):
        for value in getattr(record, name):
            add(name, folded(value))
    for name, value in (("ref_key", record.ref_key), ("type_slug", record.type_slug),
                        ("reference", record.reference), ("doc_type_f", record.doc_type),
                        ("issuer_f", record.issuer), ("province_f", record.province),
                        ("year", record.year)):
        if value:
            add(name, value)
    add("needs_review", review_term(record.needs_review))
    for key in record.cites:
        add("cites", key)
    for term in record.provinces:
        add("province", term)
    if record.date:
        doc.add_unsigned("date_key", date_key(record.date))
    doc.add_unsigned("sort_new", date_key(record.date) if record.date else 0)
    doc.add_unsigned("sort_old", date_key(record.date) if record.date else UNDATED_OLD)
    stored = {
        "id": record.id, "reference": record.reference, "symbol": record.symbol,
        "doc_type": record.doc_type,
        "issuer": record.issuer, "date": record.date, "subject": record.subject,
        "filename": record.filename, "text": " ".join(text.split()),
        "needs_review": record.needs_review,
    }
    doc.add_bytes("stored", json.dumps(stored, ensure_ascii=False).encode())
    return doc
