"""The tantivy schema, its Vietnamese analyzers, and a letter as a tantivy document.

Tokenizing and folding run in tantivy (Rust, on the writer's threads): Python only normalises
the text (NFC; abbreviations expanded as Whoosh's analyzer does, index.abbreviations; tone
placement for the accented field; the words side by side joined, analysis.pairs_text), so a
bulk build is not bound by Python per token. Text fields keep positions, so phrases are real
phrase queries; the text's words side by side are also terms of a `pairs` field (as in
Whoosh), which a pair typed is looked up in. Multi-valued fields get one value each: tantivy
leaves a gap between values, so a phrase never matches across two recipients. A hit reads two
stored fields: its display values (a small JSON) and the start of its text that snippets are
cut from (index.highlight), never a stored copy of the whole letter.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from functools import lru_cache
from itertools import filterfalse

import tantivy

from ..abbreviations import expand_abbreviations
from ..accents import normalize_tones
from ..analysis import pairs_text
from ..documents import IndexRecord, review_term
from ..highlight import SNIPPET_SOURCE_CHARS, snippet_source
from ..planning import date_key, newest_key, oldest_key

log = logging.getLogger(__name__)

# Bump whenever fields, analyzers or what goes into them change (forces a rebuild).
TANTIVY_SCHEMA_VERSION = 12  # 12: word pairs as terms (11: month facet, 10: validity)

FOLDED, EXACT, PAIRS = "vn_folded", "vn_exact", "vn_pairs"

# Facet name (the interface's key) → fast field holding its display value.
FACET_FIELDS = {
    "doc_type": "doc_type_f",
    "issuer": "issuer_f",
    "year": "year",
    "month": "month",
    "province": "province_f",
    "validity": "validity_f",
}


def folded_analyzer() -> tantivy.TextAnalyzer:
    """'Đồng Tháp' → ['dong', 'thap'] (lowercase, then tantivy's ASCII folding: đ → d).

    Words are runs of letters and digits (tantivy's simple tokenizer): its regex tokenizer
    took half the CPU of a bulk build (the regex crate's slowest engine, built without its
    DFAs). The same syllables as index.analysis for text whose stray combining marks `folded`
    has dropped, except that '_' separates words: a name glued to a blank line ('gửi:_____')
    is found by its words."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold()).build())


def exact_analyzer() -> tantivy.TextAnalyzer:
    """'hòa bình' → ['hòa', 'bình'] (input from `exact_text`: lower case, tones placed one
    way, only the words that carry a diacritic)."""
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).build()


def pairs_analyzer() -> tantivy.TextAnalyzer:
    """'Đồng_Tháp Tháp_Mới' → ['dong_thap', 'thap_moi'] (input from analysis.pairs_text: the
    pairs cut in Python, folded here as `folded_analyzer` folds a word)."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace())
            .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold()).build())


FOLD = folded_analyzer()
_MARKS = re.compile("[\u0300-\u036f]")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def folded(text: str, mode: str = "text") -> str:
    """Text as the folded fields take it: NFC, abbreviations expanded (`mode` as in
    index.abbreviations), stray combining marks dropped (OCR, NFD leftovers on consonants), as
    Whoosh's fold does; tantivy lower-cases and folds the rest."""
    return _without_marks(expand_abbreviations(nfc(text), mode))


def _without_marks(text: str) -> str:
    return _MARKS.sub("", text) if _MARKS.search(text) else text


# The marks of Vietnamese letters once decomposed (NFD): tones, circumflex, breve, horn.
_VIETNAMESE_MARKS = ("\u0300", "\u0301", "\u0302", "\u0303", "\u0306", "\u0309", "\u031b",
                     "\u0323")
# Punctuation outside ASCII that letters hold ('“', '…', '–'): a separator, as a space is.
_SEPARATORS = ("\u00a0\u00a1\u00a7\u00ab\u00ac\u00b0\u00b7\u00bb\u00bf\u00d7\u2013\u2014"
               "\u2018\u2019\u201c\u201d\u201e\u2022\u2026\u2039\u203a\u2044\u2264\u2265")


def ascii_folded(text: str) -> str:
    """`text` with the marks of its Vietnamese letters dropped ('Đồng Tháp' → 'Dong Thap') and
    its common punctuation made spaces, when nothing else in it is outside ASCII; else `text`.
    The folded fields' words are the same either way (tantivy folds what is left), but tantivy
    folds a word outside ASCII slowly: most words of a letter, in its text and pairs (~0.4 ms
    CPU a letter, 5,000 generated letters), where this is a few passes in C (~0.15 ms)."""
    if text.isascii():
        return text
    bare = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    for mark in _VIETNAMESE_MARKS:
        bare = bare.replace(mark, "")
    if not bare.isascii():
        for separator in _SEPARATORS:
            if separator in bare:
                bare = bare.replace(separator, " ")
    return bare if bare.isascii() else text


def exact_text(text: str, mode: str = "text") -> str:
    """Abbreviations expanded, lower case, tone placement normalised, only the words that carry
    a diacritic: a word without one is in the folded field already (as in Whoosh's exact
    field), and leaving such words out is a fifth less indexing work."""
    return _accented_words(expand_abbreviations(nfc(text), mode))


def _accented_words(text: str) -> str:
    """`exact_text` of a text in NFC with its abbreviations expanded: the pieces between
    spaces that hold a letter outside ASCII (a regex finding the words cost ten times more).
    A plain word glued to an accented one ('số:12') comes along: no query asks the accented
    field for a plain word, so it only lengthens the field a little."""
    return " ".join(filterfalse(str.isascii, normalize_tones(text.lower(), normalized=True)
                                .split()))


def _text_forms(text: str) -> tuple[str, str, str]:
    """The values of the content, pairs and accented fields for a text in NFC with its
    abbreviations expanded."""
    plain = ascii_folded(_without_marks(text))
    return plain, pairs_text(plain), _accented_words(text)


# A letter's type, issuer, signer, recipients… repeat from letter to letter: each value's
# forms are kept for the next letter that holds it (a rebuild's Python work is most of its
# CPU: ~3% of it, 20,000 generated letters).
@lru_cache(maxsize=4096)
def _heading_forms(value: str) -> tuple[str, str, str]:
    return _text_forms(expand_abbreviations(nfc(value)))


@lru_cache(maxsize=4096)
def _title(value: str) -> str:
    return folded(expand_abbreviations(nfc(value)), "none")


_folded = lru_cache(maxsize=4096)(folded)


def folded_tokens(text: str, mode: str = "text") -> list[str]:
    """The terms the folded fields hold for `text` (what a query's words must match with
    `mode` "query", a field filter's with "names")."""
    return FOLD.analyze(folded(text, mode))


def register_analyzers(index: tantivy.Index) -> None:
    """Tantivy does not store analyzers in the index: every opening registers them."""
    index.register_tokenizer(FOLDED, FOLD)
    index.register_tokenizer(EXACT, exact_analyzer())
    index.register_tokenizer(PAIRS, pairs_analyzer())


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()

    def raw(name: str, *, fast: bool = False) -> None:  # exact values: ids, keys, slugs
        builder.add_text_field(name, fast=fast, tokenizer_name="raw", index_option="basic")

    raw("id")
    raw("id_stamp")  # "id stamp": the live ones are read back to find stale entries
    builder.add_text_field("content", tokenizer_name=FOLDED, index_option="position")
    builder.add_text_field("exact", tokenizer_name=EXACT, index_option="freq")
    # Folded words side by side as one term ('hop_dong'), as Whoosh's pairs field: a pair
    # typed is a term lookup scored by its own idf (planning.PAIR_BOOST), where a phrase query
    # read the positions of two common words in most letters.
    builder.add_text_field("pairs", tokenizer_name=PAIRS, index_option="freq")
    builder.add_text_field("title", tokenizer_name=FOLDED, index_option="position")
    for name in ("issuer", "parent", "signer", "recipients", "assignees"):
        builder.add_text_field(name, tokenizer_name=FOLDED, index_option="position")
    for name in ("ref_key", "cites", "type_slug", "province", "needs_review", "validity"):
        raw(name)
    for name in ("reference", *FACET_FIELDS.values()):
        raw(name, fast=True)
    builder.add_unsigned_field("date_key", indexed=True, fast=True)  # 2024-05 → 20240500
    builder.add_unsigned_field("sort_new", fast=True)  # planning.newest_key
    builder.add_unsigned_field("sort_old", fast=True)  # planning.oldest_key
    builder.add_bytes_field("shown", stored=True)  # display values, JSON (no text)
    builder.add_bytes_field("snippet_text", stored=True)  # index.highlight.snippet_source
    return builder.build()


def to_document(record: IndexRecord) -> tantivy.Document:
    doc = tantivy.Document()
    add = doc.add_text
    add("id", record.id)
    add("id_stamp", f"{record.id} {record.stamp}")
    text = nfc(record.text)
    # NFC and abbreviations expanded once for the folded and accented fields.
    for plain, pairs, accented in (*map(_heading_forms, record.head),
                                   _text_forms(expand_abbreviations(text))):
        add("content", plain)
        add("pairs", pairs)
        add("exact", accented)
    for value in (*record.head, record.place):
        add("title", _title(value))
    for name in ("issuer", "parent"):
        if value := getattr(record, name):
            add(name, _folded(value))
    for name in ("signer", "recipients", "assignees"):
        for value in getattr(record, name):
            add(name, _folded(value))
    for name, value in (("ref_key", record.ref_key), ("type_slug", record.type_slug),
                        ("reference", record.reference), ("doc_type_f", record.doc_type),
                        ("issuer_f", record.issuer), ("province_f", record.province),
                        ("year", record.year), ("month", record.month)):
        if value:
            add(name, value)
    add("needs_review", review_term(record.needs_review))
    add("validity", record.validity)
    add("validity_f", record.validity_label)
    for key in record.cites:
        add("cites", key)
    for term in record.provinces:
        add("province", term)
    if record.date:
        doc.add_unsigned("date_key", date_key(record.date))
    doc.add_unsigned("sort_new", newest_key(record.date, record.id))
    doc.add_unsigned("sort_old", oldest_key(record.date, record.id))
    shown = {
        "id": record.id, "reference": record.reference, "symbol": record.symbol,
        "doc_type": record.doc_type,
        "issuer": record.issuer, "date": record.date, "subject": record.subject,
        "filename": record.filename, "needs_review": record.needs_review,
        "validity": record.validity,
    }
    doc.add_bytes("shown", json.dumps(shown, ensure_ascii=False).encode())
    # White space collapsed in twice the snippets' reach: all of it but in a letter of blanks.
    doc.add_bytes("snippet_text", snippet_source(text[:2 * SNIPPET_SOURCE_CHARS]).encode())
    return doc
