"""Compile a parsed query into a tantivy query, with the terms to highlight.

The same meaning as index.whoosh.queries (index.planning): words are ANDed on the folded text, a
phrase is a real phrase query, a document number matches the letter itself (boosted most), then
letters citing it; accented words rank the letters holding them exactly as typed first (the
engine ranks those, then the others, as Whoosh does: a constant score above any text score
left tantivy's float32 scores 1/16 apart, and near scores tied); words of the heading and
words side by side raise a score. Fuzzy words are expanded against the index's own words (same
first letter, as Whoosh's prefixlength=1), so the snippets can mark what matched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

from tantivy import FieldType, Occur, Query, Schema

from ingest.extract.numbers import reference_key

from ..analysis import exact_words, lettered_pairs
from ..errors import QueryError
from ..planning import (
    EXACT_ACCENT_BOOST,
    HEADING_ALL_BOOST,
    HEADING_PAIR_BOOST,
    ISSUER_NAMED_BOOST,
    PAIR_BOOST,
    TERM_FILTERS,
    TEXT_FILTERS,
    TITLE_BOOST,
    NamedIssuers,
    date_key,
    no_issuers,
    number_notice,
    number_terms,
    whole_number,
    words_mode,
)
from ..planning import Lexicon as Prefixed
from ..querylang import Clause, ParsedQuery
from .schema import folded_tokens

log = logging.getLogger(__name__)

TEXT_FIELDS = {**TEXT_FILTERS, "": "content"}

# fuzzy word, edit distance → the indexed words within that distance
Lexicon = Callable[[str, int], list[str]]


@dataclass
class TantivyPlan:
    query: Query  # what a letter must match, with what raises its score
    # The letters it matches, scoring nothing: the query without its optional clauses (they
    # raise scores, never decide a match), for totals and facets, which tantivy counts
    # without scores but with every clause it is given evaluated on every letter.
    matching: Query = field(default_factory=Query.all_query)
    highlight: set[str] = field(default_factory=set)  # folded terms to mark in snippets
    matches_all: bool = True  # no words and no filters: every letter, newest first
    accents: Query | None = None  # every accented word typed, with its accents: ranked first
    notice: str | None = None  # how the query was answered, for the user (Vietnamese)


def _any(queries: list[Query]) -> Query:
    return queries[0] if len(queries) == 1 else Query.boolean_query(
        [(Occur.Should, q) for q in queries])


def _all(queries: list[Query]) -> Query:
    return queries[0] if len(queries) == 1 else Query.boolean_query(
        [(Occur.Must, q) for q in queries])


def _no_prefixed(_fieldname: str, _prefix: str) -> list[str]:
    return []


class _Compiler:
    def __init__(self, schema: Schema, lexicon: Lexicon, mode: str,
                 prefixed: Prefixed = _no_prefixed, scored: bool = True) -> None:
        self.schema = schema
        self.scored = scored  # False: the letters matching only, their scores unused
        self.lexicon = lexicon
        self.prefixed = prefixed
        self.mode = mode  # how the words typed expand abbreviations (queries.words_mode)
        self.highlight: set[str] = set()
        self.notice: str | None = None  # a number typed found letters not showing it

    def term(self, fieldname: str, text: str, boost: float = 1.0) -> Query:
        query = Query.term_query(self.schema, fieldname, text)
        return query if boost == 1.0 else Query.boost_query(query, boost)

    def text(self, fieldname: str, text: str, mode: str) -> Query | None:
        words = folded_tokens(text, mode)
        if not words:
            return None
        if len(words) == 1:
            return self.term(fieldname, words[0])
        phrase = Query.phrase_query(self.schema, fieldname, words)
        pairs = list(dict.fromkeys(lettered_pairs(words))) if fieldname == "content" else []
        if not pairs:
            return phrase
        # The letters holding the phrase hold each of its pairs of words as a term of the
        # pairs field (cut from the same words, schema.to_document; a word Python and
        # tantivy cut apart, as 'Ⓐb', is cut as Whoosh cuts it): the rarest pair leads
        # tantivy's intersection, so the phrase reads the positions of its common words in
        # those letters only, not in every letter holding both words (at 100k, a phrase of
        # two common words read them in ~90,000 letters). Two words are their pair: when
        # only the letters matching count, the term alone. A const score of 0 adds nothing:
        # the phrase's own score ranks, as on Whoosh.
        if len(pairs) == 1 and len(words) == 2 and not self.scored:
            return self.term("pairs", pairs[0])
        return Query.boolean_query([(Occur.Must, phrase)] + [
            (Occur.Must, Query.const_score_query(self.term("pairs", pair), 0.0))
            for pair in pairs])

    def number(self, key: str) -> Query:
        """The letter with number `key` first, then letters citing it, then the others it
        may mean (planning.number_terms)."""
        terms = number_terms(key, self.prefixed)
        self.notice = self.notice or number_notice(key, terms)
        return _any([self.term(fieldname, k, boost) for fieldname, k, boost in terms])

    def clause(self, clause: Clause) -> Query | None:
        if clause.kind == "field":
            assert clause.field is not None
            if clause.field in ("so", "trichdan") and not clause.negated:
                self.highlight.update(folded_tokens(clause.text, "none"))
            if clause.field in TERM_FILTERS:
                return self.term(TERM_FILTERS[clause.field], clause.text)
            return self.text(TEXT_FILTERS[clause.field], clause.text, "names")
        if clause.kind == "fuzzy":
            return self.fuzzy(clause)
        found = self.text("content", clause.text, self.mode)
        if found is not None and not clause.negated:
            self.highlight.update(folded_tokens(clause.text, self.mode))
            key = reference_key(clause.text) if clause.kind == "word" else None
            if key and any(c.isdigit() for c in clause.text) and len(
                    folded_tokens(clause.text, "none")) > 1:
                found = _any([self.number(key), found])
        return found

    def fuzzy(self, clause: Clause) -> Query | None:
        words = folded_tokens(clause.text, "none")
        if not words:
            return None
        per_word = []
        for word in words:
            near = self.lexicon(word, clause.fuzz) or [word]
            if not clause.negated:
                self.highlight.update(near)
            per_word.append(_any([self.term("content", w) for w in near]))
        return _all(per_word)


def build_plan(parsed: ParsedQuery, schema: Schema, lexicon: Lexicon,
               prefixed: Prefixed = _no_prefixed,
               issuers: NamedIssuers = no_issuers) -> TantivyPlan:
    """The tantivy query of a parsed query: `lexicon` gives the words near a fuzzy one,
    `prefixed` the indexed values of a field with a prefix (numbers typed loosely), `issuers`
    the issuers the words typed name."""
    lexicon, prefixed = cache(lexicon), cache(prefixed)  # the query is compiled twice
    compiler = _Compiler(schema, lexicon, words_mode(parsed), prefixed)
    required = _required(parsed, compiler)
    plan = TantivyPlan(query=Query.all_query() if required is None else required,
                       matches_all=required is None)
    # The same query compiled for counting (a phrase of two words as its pair term alone).
    counter = _Compiler(schema, lexicon, words_mode(parsed), prefixed, scored=False)
    plan.matching = _required(parsed, counter) or plan.query
    accents = _accent_queries(parsed, compiler)
    if accents:
        plan.accents = _all(accents)
    optional = accents + _heading_queries(parsed, compiler, issuers)
    excluded = [q for q in (counter.clause(c) for c in parsed.negatives) if q is not None]
    if optional or excluded:
        plan.query = Query.boolean_query(
            [(Occur.Must, plan.query)] + [(Occur.Should, q) for q in optional]
            + [(Occur.MustNot, q) for q in excluded])
        plan.matches_all = plan.matches_all and not excluded
    if excluded:
        plan.matching = Query.boolean_query(
            [(Occur.Must, plan.matching)] + [(Occur.MustNot, q) for q in excluded])
    plan.highlight = compiler.highlight
    plan.notice = compiler.notice
    return plan


def _required(parsed: ParsedQuery, compiler: _Compiler) -> Query | None:
    """What a letter must match (every group of words and filters, the dates; or the number
    typed), None for anything."""
    required: list[Query] = []
    for group in parsed.groups:
        alternatives = [q for q in (compiler.clause(c) for c in group) if q is not None]
        if len(alternatives) != len(group) and group[0].kind != "word":
            raise QueryError("Một phần của câu tìm kiếm không có từ nào để tìm")
        if alternatives:
            required.append(_any(alternatives))
    if parsed.groups and not required:
        raise QueryError("Câu tìm kiếm không có từ nào để tìm")
    if parsed.date_from or parsed.date_to:
        required.append(Query.range_query(
            compiler.schema, "date_key", FieldType.Unsigned,
            date_key(parsed.date_from) if parsed.date_from else None,
            date_key(parsed.date_to) if parsed.date_to else None))
    if not required:
        return None
    number = whole_number(parsed)
    return _any([compiler.number(number), _all(required)]) if number else _all(required)


def _accent_queries(parsed: ParsedQuery, compiler: _Compiler) -> list[Query]:
    words = []
    for group in parsed.groups:
        for clause in group:
            if clause.kind in ("word", "phrase") and not clause.text.isascii():
                words += [w for w in exact_words(clause.text, compiler.mode) if not w.isascii()]
    if not words:
        return []
    return [compiler.term("exact", w, EXACT_ACCENT_BOOST) for w in dict.fromkeys(words)]


def _heading_queries(parsed: ParsedQuery, compiler: _Compiler,
                     issuers: NamedIssuers = no_issuers) -> list[Query]:
    """Optional: the words in the heading (issuer, subject …), the words side by side (in the
    text and in the heading), the issuer named."""
    words = [w for g in parsed.groups for c in g if c.kind in ("word", "phrase")
             for w in folded_tokens(c.text, compiler.mode)]
    queries = [compiler.term("title", w, TITLE_BOOST) for w in dict.fromkeys(words)]
    if len(set(words)) > 1:  # every word in the heading: a bonus (planning.HEADING_ALL_BOOST)
        queries.append(Query.const_score_query(
            _all([compiler.term("title", w) for w in dict.fromkeys(words)]), HEADING_ALL_BOOST))
    if parsed.is_plain:  # each pair of words side by side: a term of the pairs field
        queries += [compiler.term("pairs", pair, PAIR_BOOST)
                    for pair in dict.fromkeys(lettered_pairs(words))]
        queries += [Query.const_score_query(  # side by side in the heading
            Query.phrase_query(compiler.schema, "title", list(pair)), HEADING_PAIR_BOOST)
            for pair in dict.fromkeys(pairwise(words))]
        named = issuers(words)
        if named:  # the letters of an issuer named (planning.ISSUER_NAMED_BOOST)
            queries.append(Query.const_score_query(
                _any([compiler.term("issuer_f", value) for value in named]), ISSUER_NAMED_BOOST))
    return queries

