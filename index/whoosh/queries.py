"""Compile a parsed query into a Whoosh query plan, with the terms to highlight.

Words are ANDed on the folded field (so Whoosh can skip blocks); accented words add optional
exact-accent terms that only raise the score. A query that is a document number matches the
document itself (boosted most), then letters citing it, then the text. A phrase on the full
text is its word pairs side by side (a phrase on the `pairs` field, read from positions by
index.whoosh.positions), as tantivy's phrase queries are its words side by side. Abbreviations
expand as in the index (index.abbreviations): the words typed in "query" mode, field filters
on body names in "names" mode, a document number's words not at all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from whoosh import query as wq

from ingest.extract.numbers import reference_key

from ..accents import fold_text
from ..analysis import exact_words, folded_words, lettered_pairs, word_pairs
from ..errors import QueryError
from ..planning import (
    EXACT_ACCENT_BOOST,
    PAIR_BOOST,
    TERM_FILTERS,
    TEXT_FILTERS,
    TITLE_BOOST,
    Lexicon,
    NamedIssuers,
    no_issuers,
    number_notice,
    number_terms,
    swapped,
    whole_number,
    words_mode,
)
from ..querylang import Clause, ParsedQuery

log = logging.getLogger(__name__)


@dataclass
class QueryPlan:
    query: wq.Query
    highlight: set[str] = field(default_factory=set)  # folded terms to mark in snippets
    fuzzy: list[wq.Query] = field(default_factory=list)  # expanded against the lexicon later
    number_key: str | None = None
    accents: wq.Query | None = None  # every accented word typed, with its accents
    heading: wq.Query | None = None  # every word typed in the heading (a bonus, ranking.py)
    heading_pairs: list[wq.Query] = field(default_factory=list)  # side by side there (a bonus)
    issuer: wq.Query | None = None  # the letters of an issuer the words typed name (a bonus)
    notice: str | None = None  # how the query was answered, for the user (Vietnamese)


def terms_within(reader: Any, fieldname: str, word: str, distance: int) -> set[str]:
    """The indexed words within `distance` edits of `word` with its first letter, a swap of
    two letters next to each other counting as one edit ('hein' → 'hien'), as on tantivy:
    Whoosh's own automaton counts a swap as two."""
    found = {_text(t) for t in reader.terms_within(fieldname, word, distance, prefix=1)}
    for slip in swapped(word):
        if distance == 1:
            found.update([slip] if (fieldname, slip) in reader else [])
        else:
            found.update(_text(t) for t in reader.terms_within(fieldname, slip, distance - 1,
                                                                prefix=1))
    return found


def _text(term: str | bytes) -> str:
    return term.decode() if isinstance(term, bytes) else term


class SlipTerm(wq.FuzzyTerm):
    """Whoosh's fuzzy term, its words found by `terms_within` (a swap is one edit)."""

    def _btexts(self, ixreader: Any) -> list[str]:
        return sorted(terms_within(ixreader, self.fieldname, self.text, self.maxdist))


class TextPhrase(wq.Term):
    """A phrase of two words on the text: the one term of the pairs field it matches, scored
    as tantivy scores a phrase of the text (index.whoosh.scoring), where a plain term of the
    pairs field is a pair typed side by side, scored as a term of its own."""


def _text_query(fieldname: str, text: str, mode: str) -> wq.Query | None:
    """A word, or a phrase (abbreviations expanded in `mode`: one word may become a phrase,
    'ubnd'): on the full text its word pairs side by side, on small fields its words."""
    words = folded_words(text, mode)
    if not words:
        return None
    if len(words) == 1:
        return wq.Term(fieldname, words[0])
    if fieldname == "content":
        pairs = word_pairs(words)
        return TextPhrase("pairs", pairs[0]) if len(pairs) == 1 else wq.Phrase("pairs", pairs)
    return wq.Phrase(fieldname, words)


def _no_lexicon(_fieldname: str, _prefix: str) -> list[str]:
    return []


def reader_lexicon(reader: Any) -> Lexicon:
    """The indexed values of a field that start with a prefix, read from `reader`."""
    def lexicon(fieldname: str, prefix: str) -> list[str]:
        return [t.decode() if isinstance(t, bytes) else t
                for t in reader.expand_prefix(fieldname, prefix)]
    return lexicon


def _clause_query(clause: Clause, plan: QueryPlan, mode: str,
                  lexicon: Lexicon = _no_lexicon) -> wq.Query | None:
    if clause.kind == "field":
        assert clause.field is not None
        if clause.field in ("so", "trichdan") and not clause.negated:
            plan.highlight.update(folded_words(clause.text, "none"))  # the number in the text
        if clause.field in TERM_FILTERS:
            return wq.Term(TERM_FILTERS[clause.field], clause.text)
        return _text_query(TEXT_FILTERS[clause.field], clause.text, "names")
    if clause.kind == "fuzzy":
        words = folded_words(clause.text, "none")
        queries = [SlipTerm("content", w, maxdist=clause.fuzz, prefixlength=1) for w in words]
        if not clause.negated:
            plan.fuzzy.extend(queries)
            plan.highlight.update(words)
        return wq.And(queries) if len(queries) > 1 else (queries[0] if queries else None)
    found = _text_query("content", clause.text, mode)
    if found is not None and not clause.negated:
        plan.highlight.update(folded_words(clause.text, mode))
        key = reference_key(clause.text) if clause.kind == "word" else None
        if key and any(c.isdigit() for c in clause.text) and len(
                folded_words(clause.text, "none")) > 1:
            found = wq.Or([_number_query(key, plan, lexicon), found])
    return found


def _number_query(key: str, plan: QueryPlan, lexicon: Lexicon = _no_lexicon) -> wq.Query:
    """The letter with number `key` first, then letters citing it, then the others it may
    mean (planning.number_terms)."""
    terms = number_terms(key, lexicon)
    plan.notice = plan.notice or number_notice(key, terms)
    return wq.Or([wq.Term(fieldname, k, boost=boost) for fieldname, k, boost in terms])


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
    words, and those where the words typed stand side by side (each pair a term of its own,
    planning.PAIR_BOOST)."""
    words = [w for g in parsed.groups for c in g if c.kind in ("word", "phrase")
             for w in folded_words(c.text, mode)]
    terms: list[wq.Query] = [wq.Term("title", w, boost=TITLE_BOOST) for w in dict.fromkeys(words)]
    if parsed.is_plain:
        for pair in dict.fromkeys(lettered_pairs(words)):
            terms.append(wq.Term("pairs", pair, boost=PAIR_BOOST))
    return terms


def _heading_pairs(parsed: ParsedQuery, mode: str) -> list[wq.Query]:
    """Each pair of words typed side by side, as a phrase of the heading (a bonus, ranking.py)."""
    words = [w for g in parsed.groups for c in g for w in folded_words(c.text, mode)]
    return [wq.Phrase("title", list(pair)) for pair in dict.fromkeys(pairwise(words))]


def _date_query(parsed: ParsedQuery) -> wq.Query | None:
    if not parsed.date_from and not parsed.date_to:
        return None
    return wq.TermRange("date", parsed.date_from, parsed.date_to)


def build_plan(parsed: ParsedQuery, lexicon: Lexicon = _no_lexicon,
               issuers: NamedIssuers = no_issuers) -> QueryPlan:
    """The Whoosh query for a parsed query (Every() for an empty one); `lexicon` lists the
    index's numbers for those typed loosely (`reader_lexicon`), `issuers` the issuers the
    words typed name."""
    plan = QueryPlan(query=wq.Every())
    mode = words_mode(parsed)
    required: list[wq.Query] = []
    for group in parsed.groups:
        alternatives = [q for q in (_clause_query(c, plan, mode, lexicon) for c in group)
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
        query = wq.Or([_number_query(number, plan, lexicon), query])
    accents, headings = _accent_terms(parsed, mode), _title_terms(parsed, mode)
    words = {q.text for q in headings if q.fieldname == "title"}
    if len(words) > 1:
        plan.heading = wq.And([wq.Term("title", w) for w in sorted(words)])
    if parsed.is_plain:
        plan.heading_pairs = _heading_pairs(parsed, mode)
        named = issuers([w for g in parsed.groups for c in g if c.kind in ("word", "phrase")
                         for w in folded_words(c.text, mode)])
        if named:
            plan.issuer = wq.Or([wq.Term("issuer_f", value) for value in named])
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
