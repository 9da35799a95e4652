"""Compile a parsed query into a Whoosh query plan, with the terms to highlight.

Words are ANDed on the folded field (so Whoosh can skip blocks); accented words add optional
exact-accent terms that only raise the score. A query that is a document number matches the
document itself (boosted most), then letters citing it, then the text. A phrase on the full
text is the AND of its word pairs (the index has no positions); from three words on, the
letters found are checked for the words side by side (`ContentPhrase`), as tantivy's phrase
queries do. Abbreviations expand as in the index (index.abbreviations): the words typed in
"query" mode, field filters on body names in "names" mode, a document number's words not at all.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from unidecode import unidecode
from whoosh import query as wq

from ingest.extract.numbers import reference_key

from ..abbreviations import expand_abbreviations, may_expand_into
from ..accents import FOLD_TABLE, fold_text
from ..analysis import TOKEN_RE, exact_words, folded_text, folded_words, word_pairs
from ..errors import QueryError
from ..planning import (
    CITED_NUMBER_BOOST,
    EXACT_ACCENT_BOOST,
    OWN_NUMBER_BOOST,
    PAIR_BOOST,
    TERM_FILTERS,
    TEXT_FILTERS,
    TITLE_BOOST,
    whole_number,
    words_mode,
)
from ..querylang import Clause, ParsedQuery
from .schema import unpack_body

log = logging.getLogger(__name__)

@dataclass
class QueryPlan:
    query: wq.Query
    highlight: set[str] = field(default_factory=set)  # folded terms to mark in snippets
    fuzzy: list[wq.Query] = field(default_factory=list)  # expanded against the lexicon later
    number_key: str | None = None
    accents: wq.Query | None = None  # every accented word typed, with its accents


# Stored fields holding the full text's values (the parent issuer is not stored: its own field,
# which keeps positions, is searched for the phrase instead).
_STORED_HEAD = ("doc_type", "reference", "issuer", "subject")


def _fold_classes() -> dict[str, str]:
    """Each folded character → a regex class of the characters folding to it ('d' → [dDđĐ…])."""
    sources: dict[str, set[str]] = {}
    for code, base in FOLD_TABLE.items():
        sources.setdefault(base, set()).add(chr(code))
    return {base: "[" + re.escape(base + "".join(sorted(chars))) + "]"
            for base, chars in sources.items()}


_CLASSES = _fold_classes()
# A word character the fold table does not know (unidecode's, a combining mark): the fast
# match on the raw text cannot be trusted there. Without those, the analyzer's word characters
# are regex's \w, so \b marks where its words start and end.
_UNKNOWN = re.compile(r"[^\W\x00-\x7f" + re.escape("".join(map(chr, FOLD_TABLE)))
                      + r"]|[\u0300-\u036f]")


class ContentPhrase(wq.And):
    """A phrase of three or more words on the full text: the AND of its word pairs finds the
    candidates (a superset: 'tổ công' and 'công tác' apart match too), `side_by_side` keeps
    the letters where the words follow each other in one value (heading field or text)."""

    def __init__(self, words: list[str], boost: float = 1.0) -> None:
        super().__init__([wq.Term("pairs", p) for p in dict.fromkeys(word_pairs(words))],
                         boost=boost)
        self.words = list(words)
        # The words as they may be written (any accents, any case), apart, on the raw text:
        # folding a letter's whole text first took 0.4 s on 1,200 letters.
        spelled = ["".join(_CLASSES.get(c, re.escape(c)) for c in w) for w in words]
        self._pattern = re.compile(r"\b" + r"\W+".join(spelled) + r"\b")
        self._expand = may_expand_into(self.words)  # else the raw text answers alone

    def parent_phrase(self) -> wq.Query:
        return wq.Phrase("parent", self.words)

    def side_by_side(self, reader: Any, docnums: Iterable[int]) -> list[int]:
        """The letters of `docnums` holding the words side by side in the text or heading."""
        return [d for d in docnums if self._holds(reader.stored_fields(d))]

    def _holds(self, stored: dict[str, Any]) -> bool:
        values = [stored.get(name) or "" for name in _STORED_HEAD]
        return any(self._in(value) for value in (*values, unpack_body(stored.get("body"))))

    def _in(self, value: str) -> bool:
        # Abbreviations expanded as the index read them ('UBND' → 'Ủy ban nhân dân'), where
        # they may matter: a match on the raw text stays one (only whole words are replaced).
        if self._expand:
            value = expand_abbreviations(value)
        if self._pattern.search(value):  # a match on the raw text is a match
            return True
        if unicodedata.is_normalized("NFC", value) and not _UNKNOWN.search(value):
            return False  # and no match is none, unless the fold table is not enough
        # As the analyzer reads it: folded, unidecode for what the table does not know.
        tokens = [t if t.isascii() else unidecode(t).lower()
                  for t in TOKEN_RE.findall(folded_text(value, "none"))]
        return f" {' '.join(self.words)} " in f" {' '.join(tokens)} "


def _text_query(fieldname: str, text: str, mode: str, *, typed_phrase: bool = True
                ) -> wq.Query | None:
    """A word, or a phrase: on the full text an AND of word pairs, on small fields a Phrase
    (abbreviations expanded in `mode`: one word may become a phrase, 'ubnd')."""
    words = folded_words(text, mode)
    if not words:
        return None
    if len(words) == 1:
        return wq.Term(fieldname, words[0])
    if fieldname == "content":
        # A word standing for a long form ('ubnd') is its pairs' AND alone: a long form's pairs
        # are not found apart, and reading the text of every letter with 'Ủy ban nhân dân' to
        # check it would make each query with 'ubnd' a slow phrase (tantivy has positions).
        if len(words) > 2 and (typed_phrase or words == folded_words(text, "none")):
            return ContentPhrase(words)
        return wq.And([wq.Term("pairs", pair) for pair in dict.fromkeys(word_pairs(words))])
    return wq.Phrase(fieldname, words)


def _clause_query(clause: Clause, plan: QueryPlan, mode: str) -> wq.Query | None:
    if clause.kind == "field":
        assert clause.field is not None
        if clause.field in ("so", "trichdan") and not clause.negated:
            plan.highlight.update(folded_words(clause.text, "none"))  # the number in the text
        if clause.field in TERM_FILTERS:
            return wq.Term(TERM_FILTERS[clause.field], clause.text)
        return _text_query(TEXT_FILTERS[clause.field], clause.text, "names")
    if clause.kind == "fuzzy":
        words = folded_words(clause.text, "none")
        queries = [wq.FuzzyTerm("content", w, maxdist=clause.fuzz, prefixlength=1) for w in words]
        if not clause.negated:
            plan.fuzzy.extend(queries)
            plan.highlight.update(words)
        return wq.And(queries) if len(queries) > 1 else (queries[0] if queries else None)
    found = _text_query("content", clause.text, mode, typed_phrase=clause.kind == "phrase")
    if found is not None and not clause.negated:
        plan.highlight.update(folded_words(clause.text, mode))
        key = reference_key(clause.text) if clause.kind == "word" else None
        if key and any(c.isdigit() for c in clause.text) and len(
                folded_words(clause.text, "none")) > 1:
            found = wq.Or([_number_query(key), found])
    return found


def _number_query(key: str) -> wq.Query:
    return wq.Or([
        wq.Term("ref_key", key, boost=OWN_NUMBER_BOOST),
        wq.Term("cites", key, boost=CITED_NUMBER_BOOST),
    ])


def _accent_terms(parsed: ParsedQuery, mode: str) -> list[wq.Query]:
    terms = []
    for group in parsed.groups:
        for clause in group:
            if clause.kind in ("word", "phrase") and not clause.text.isascii():
                for word in exact_words(clause.text, mode):
                    if not word.isascii() and fold_text(word) != word:
                        terms.append(wq.Term("exact", word, boost=EXACT_ACCENT_BOOST))
    return terms


def _title_terms(parsed: ParsedQuery, mode: str) -> list[wq.Query]:
    """Optional terms that rank first the letters whose heading (issuer, subject …) has the
    words, and those where the words typed stand side by side."""
    words = [w for g in parsed.groups for c in g if c.kind in ("word", "phrase")
             for w in folded_words(c.text, mode)]
    terms: list[wq.Query] = [wq.Term("title", w, boost=TITLE_BOOST) for w in dict.fromkeys(words)]
    if parsed.is_plain:
        terms += [wq.Term("pairs", p, boost=PAIR_BOOST) for p in dict.fromkeys(word_pairs(words))]
    return terms


def _date_query(parsed: ParsedQuery) -> wq.Query | None:
    if not parsed.date_from and not parsed.date_to:
        return None
    return wq.TermRange("date", parsed.date_from, parsed.date_to)


def build_plan(parsed: ParsedQuery) -> QueryPlan:
    """The Whoosh query for a parsed query (Every() for an empty one)."""
    plan = QueryPlan(query=wq.Every())
    mode = words_mode(parsed)
    required: list[wq.Query] = []
    for group in parsed.groups:
        alternatives = [q for q in (_clause_query(c, plan, mode) for c in group)
                        if q is not None]
        if len(alternatives) != len(group) and group[0].kind != "word":
            raise QueryError("Một phần của câu tìm kiếm không có từ nào để tìm")
        if alternatives:
            required.append(alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives))
    if parsed.groups and not required:
        raise QueryError("Câu tìm kiếm không có từ nào để tìm")
    dates = _date_query(parsed)
    if dates is not None:
        required.append(dates)
    query: wq.Query = wq.And(required) if len(required) > 1 else (
        required[0] if required else wq.Every()
    )
    number = whole_number(parsed)
    if number:
        plan.number_key = number
        query = wq.Or([_number_query(number), query])
    accents, headings = _accent_terms(parsed, mode), _title_terms(parsed, mode)
    if accents:
        plan.accents = wq.And(accents) if len(accents) > 1 else accents[0]
    if accents or headings:
        query = wq.AndMaybe(query, wq.Or(accents + headings))
    excluded = [q for q in (_clause_query(c, plan, mode) for c in parsed.negatives)
                if q is not None]
    if excluded:
        query = wq.AndNot(query, wq.Or(excluded) if len(excluded) > 1 else excluded[0])
    plan.query = query
    return plan
