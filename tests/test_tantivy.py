"""The tantivy engine's own pieces: its analyzers agree with Whoosh's, date keys keep the order
of the dates they encode. (Search behaviour runs on both engines in test_search.py.)"""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.analysis import (
    exact_words,
    folded_word_list,
    folded_words,
    lettered_pair_count,
    lettered_pairs,
    pairs_text,
)
from index.documents import IndexRecord
from index.planning import date_key
from index.tantivy import schema
from index.tantivy.schema import (
    FOLD,
    ascii_folded,
    exact_analyzer,
    exact_text,
    folded,
    folded_tokens,
    pairs_analyzer,
)
from tests.conftest import SEEDS


def test_folded_tokens_are_whoosh_s_folded_words_on_every_seed():
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        assert folded_tokens(text) == folded_words(text), seed.name


def accented(tokens: list[str]) -> list[str]:
    """The accented field's words a query may ask for: a plain word glued to an accented one
    ('số:12') is indexed too, but no query asks that field for a plain word."""
    return [token for token in tokens if not token.isascii()]


def test_exact_tokens_are_whoosh_s_accented_words():
    analyzer = exact_analyzer()
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        assert accented(analyzer.analyze(exact_text(text))) == exact_words(text), seed.name
    assert analyzer.analyze(exact_text("Số:12 về PCCC, (Hoà Bình) ngày 5")) == [
        "số", "12", "về", "hòa", "bình", "ngày"]


@pytest.mark.parametrize("text", [
    *(seed.read_text(encoding="utf-8") for seed in SEEDS),
    "Kính gửi:_____ Sở Y tế; so_hieu ĐỒNG THÁP (Đắk Lắk) — 2/3 ½ x² Ⅻ “trích dẫn” Ꞵ ǅ",
    "UBND tỉnh; NĐ-CP số 04/2024", "một", "", "  ;; ",
])
def test_pairs_are_the_folded_words_side_by_side(text):
    """The pairs field holds the words of the folded text side by side, cut in Python
    (analysis.pairs_text) and folded by tantivy, as its folded analyzer cuts and folds the
    text's words (those of letters only); both engines count them alike."""
    words = FOLD.analyze(folded(text))
    for plain in (folded(text), ascii_folded(folded(text))):  # to_document gives the second
        assert FOLD.analyze(plain) == words
        pairs = pairs_analyzer().analyze(pairs_text(plain))
        assert pairs == list(lettered_pairs(words))
        assert len(pairs) == lettered_pair_count(folded_word_list(text))


def test_text_folded_to_ascii_in_python_holds_the_words_tantivy_folds():
    """to_document drops the marks of Vietnamese letters and common punctuation in Python (in
    C: tantivy folding a word outside ASCII was slow); the words indexed must not change."""
    marks = {"\u0300", "\u0301", "\u0302", "\u0303", "\u0306", "\u0309", "\u031b", "\u0323"}
    letters = [chr(c) for c in range(0x80, 0x3000)
               if unicodedata.normalize("NFD", chr(c))[0].isascii()
               and set(unicodedata.normalize("NFD", chr(c))[1:]) <= marks] + ["đ", "Đ"]
    vietnamese = {unicodedata.normalize("NFC", c + t) for c in "aăâeêioôơuưy"
                  for t in ("", *sorted(marks - {"\u0302", "\u0306", "\u031b"}))} - set("aeiouy")
    assert vietnamese | {c.upper() for c in vietnamese} <= set(letters)  # and more
    text = " ".join(f"x{c}y {c}{c.upper()}" for c in letters)
    assert ascii_folded(text).isascii()
    assert FOLD.analyze(ascii_folded(text)) == FOLD.analyze(text)
    glued = "“Đồng–Tháp”…số°12 «Hà»·Nội\u00a0×≤ ‘tỉnh’ — ¿¡§¬• ‹a› 1⁄2 ≥ „b"
    assert ascii_folded(glued).isascii()
    assert FOLD.analyze(ascii_folded(glued)) == FOLD.analyze(glued)
    for other in ("Ångström", "Søren", "Hàn Quốc 한국", "x² ½", "ǅ", "Ⓐb", "ê\u0308"):
        assert ascii_folded(other) == other  # left for tantivy to fold


def test_a_rebuild_folds_a_heading_value_once(monkeypatch):
    """A letter's type, issuer, signer and recipients repeat from letter to letter: a rebuild
    folds each such value once (the Python work is most of a build's CPU), and a second letter
    with the same heading has only its text folded."""
    for cached in (schema._heading_forms, schema._title, schema._folded):
        cached.cache_clear()  # as in a new process: other tests may have indexed these values
    calls = []
    monkeypatch.setattr(schema, "ascii_folded", lambda text: calls.append(text) or text)
    text = "Ủy ban nhân dân tỉnh Đồng Tháp đề nghị các sở, ngành phối hợp thực hiện"
    first = schema.to_document(_record("a", text))
    assert len(calls) > 1
    calls.clear()
    second = schema.to_document(_record("b", text))
    assert calls == [text]
    for name in ("content", "pairs", "exact", "title", "issuer", "signer", "recipients"):
        assert second.get_all(name) == first.get_all(name)


def _record(doc_id: str, text: str) -> IndexRecord:
    return IndexRecord(
        id=doc_id, stamp="s", head=["Công văn", "Ủy ban nhân dân tỉnh Đồng Tháp"], text=text,
        reference="", symbol="", doc_type="Công văn", issuer="Ủy ban nhân dân tỉnh Đồng Tháp",
        subject="", filename="", date="", place="Đồng Tháp", province="", ref_key="",
        type_slug="", parent="", signer=["Nguyễn Văn A"], recipients=["Sở Y tế"], assignees=[],
        cites=[], provinces=[], needs_review=False)


def test_folding_of_every_vietnamese_letter():
    letters = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    tones = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
    import unicodedata

    words = [unicodedata.normalize("NFC", c + t) for c in letters for t in tones]
    words += [w.upper() for w in words]
    assert folded_tokens(" ".join(words)) == folded_words(" ".join(words))


dates = st.dates(date(1900, 1, 1), date(2099, 12, 31)).map(lambda d: d.isoformat())
prefixes = st.one_of(dates, dates.map(lambda d: d[:7]), dates.map(lambda d: d[:4]),
                     dates.map(lambda d: d[:7] + "-99"), dates.map(lambda d: d[:4] + "-99"))


@given(prefixes, prefixes)
def test_date_keys_order_as_the_date_strings_do(a, b):
    # the query language's bounds ('2024', '2024-06', '2024-06-99') compare as strings
    assert (a < b) == (date_key(a) < date_key(b))
    assert (a == b) == (date_key(a) == date_key(b))


def test_a_word_glued_to_a_blank_line_is_a_word_of_its_own():
    # The regex tokenizer kept '_' in words: 'gửi:_____' indexed 'gui_____', never 'gui'.
    assert folded_tokens("Kính gửi:_____ Sở Y tế; so_hieu") == [
        "kinh", "gui", "so", "y", "te", "so", "hieu"]


def test_accented_words_rank_exact_letters_first_without_rounding_their_scores(tmp_path):
    """The exact-accent tier was a constant 1e6 added to the score: tantivy's float32 scores
    were then 1/16 apart, so letters a word apart in length tied (and Whoosh, which ranks the
    tiers apart, did not)."""
    from index import rebuild_index
    from tests.test_search import write_catalog

    text = "Báo cáo tình hình kinh tế xã hội " * 4 + "hòa bình"
    longer, shorter = (
        (f"h{n}", "Công văn", f"{n}/UBND-VX", "UBND tỉnh Huế", None, "Huế", f"2024-01-0{n}", "A",
         [], [], [], text + extra) for n, extra in ((1, " tháng"), (2, "")))
    flowers = ("h3", "Công văn", "5/UBND-VX", "UBND tỉnh Huế", None, "Huế", "2024-01-09", "B",
               [], [], [], "hoa binh hoa binh")
    archive, catalog = write_catalog(tmp_path / "archive", [longer, shorter, flowers])
    idx = rebuild_index(catalog, archive.index_dir, engine="tantivy")
    plain = {h.id: h.score for h in idx.search("hoa binh").hits}
    accented = idx.search("hòa bình").hits
    assert [h.id for h in accented] == ["h2", "h1", "h3"]
    assert accented[0].score > accented[1].score
    assert plain["h2"] > plain["h1"]
    catalog.close()


# -- how much work a search asks of tantivy (issue 15: latency at 100k) ---------------------

class CountingSearcher:
    """A tantivy searcher that keeps what it was asked: each search scores every letter the
    query matches, and at 100k a phrase of common words takes tens of ms each time."""

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self.searches: list[str] = []
        self.aggregated: list[str] = []

    def search(self, query, **options):
        self.searches.append(repr(query))
        return self.searcher.search(query, **options)

    def aggregate(self, query, aggregations):
        self.aggregated.append(repr(query))
        return self.searcher.aggregate(query, aggregations)

    def __getattr__(self, name):
        return getattr(self.searcher, name)


@pytest.fixture
def peace(tmp_path):
    """Seven letters holding 'bình' 1 to 7 times (distinct scores), 'hòa bình' in the first
    four, 'hoa binh' without marks in the others."""
    from index import rebuild_index
    from tests.test_search import write_catalog

    specs = [(f"p{n}", "Công văn", f"{n}/UBND-VX", "UBND tỉnh Huế", None, "Huế",
              f"2024-02-0{n}", "A", [], [], [],
              "Báo cáo tình hình kinh tế. " + ("hòa bình " if n <= 4 else "hoa binh ")
              + "bình " * (n - 1)) for n in range(1, 8)]
    archive, catalog = write_catalog(tmp_path / "archive", specs)
    idx = rebuild_index(catalog, archive.index_dir, engine="tantivy")
    counting = CountingSearcher(idx.generation().searcher)
    idx.generation().searcher = counting
    yield idx, counting
    catalog.close()


@pytest.mark.parametrize("query", ["binh", "hòa bình"])
def test_a_page_whose_last_score_is_not_tied_takes_one_search(peace, query):
    """The first search asked for exactly a page, so its last hit could never show that no
    letter after it tied: every page was searched twice (and an accented query's first tier
    counted once more)."""
    idx, counting = peace
    ranked = [h.id for h in idx.search(query, per_page=20, facets=False).hits]
    assert len(ranked) == 7
    counting.searches.clear()
    assert [h.id for h in idx.search(query, per_page=2, facets=False).hits] == ranked[:2]
    assert len(counting.searches) == 1
    pages = [h.id for page in (1, 2, 3, 4)
             for h in idx.search(query, page=page, per_page=2, facets=False).hits]
    assert pages == ranked  # pages across the accented tiers too


def test_totals_and_facets_are_counted_without_the_clauses_that_only_rank(peace):
    """Optional clauses (accented words, the heading, pairs) decide no match, yet tantivy
    evaluated them on every matching letter while counting totals and facets."""
    idx, counting = peace
    results = idx.search("hòa bình kinh")
    assert results.total == 7 and results.facets["year"] == [("2024", 7)]
    assert counting.aggregated and not any("Should" in q for q in counting.aggregated)


def test_a_phrase_reads_positions_only_where_its_pairs_stand():
    """A phrase of common words read their positions in every letter holding both; its pairs
    of words are terms of the pairs field (the same words side by side,
    test_pairs_are_the_folded_words_side_by_side), so the rarest leads the intersection."""
    from tantivy import Query

    from index.querylang import parse_query
    from index.tantivy.queries import build_plan
    from index.tantivy.schema import build_schema

    schema = build_schema()
    plan = build_plan(parse_query('"hợp đồng lao động" -"so 12 ab"'), schema, lambda w, d: [w])
    pairs = [Query.term_query(schema, "pairs", p) for p in ("hop_dong", "dong_lao", "lao_dong")]
    assert all(repr(p).removeprefix("Query(").rstrip(")") in repr(plan.matching) for p in pairs)
    assert "so_12" not in repr(plan.matching) and "12_ab" not in repr(plan.matching)


def test_a_phrase_of_two_words_is_counted_as_its_pair():
    """Counting needs no positions when two words are one term of the pairs field; the
    phrase still scores the letters ranked (as Whoosh scores it)."""
    from index.querylang import parse_query
    from index.tantivy.queries import build_plan
    from index.tantivy.schema import build_schema

    plan = build_plan(parse_query('"hợp đồng" -"lao động"'), build_schema(), lambda w, d: [w])
    assert "PhraseQuery" not in repr(plan.matching)
    assert '"hop_dong"' in repr(plan.matching) and '"lao_dong"' in repr(plan.matching)
    assert "PhraseQuery" in repr(plan.query)


def test_phrases_find_the_letters_a_phrase_query_finds(tmp_path):
    """The pairs a phrase requires never lose a letter holding it (seed letters, every
    window of two and three words)."""
    from tantivy import Query

    from index import rebuild_index
    from tests.test_search import write_catalog

    texts = [seed.read_text(encoding="utf-8") for seed in SEEDS]
    texts.append("Kính gửi:_____ Sở Y tế; ĐỒNG THÁP (Đắk Lắk) — 2/3 ½ x² Ⅻ “trích dẫn” ǅ")
    specs = [(f"s{n}", "Công văn", f"{n}/UBND", "UBND tỉnh Huế", None, "Huế", "2024-01-01",
              "A", [], [], [], text) for n, text in enumerate(texts)]
    archive, catalog = write_catalog(tmp_path / "archive", specs)
    idx = rebuild_index(catalog, archive.index_dir, engine="tantivy")
    searcher, schema = idx.generation().searcher, idx.generation().schema
    windows = {tuple(words[i:i + size]) for words in map(folded_tokens, texts)
               for size in (2, 3) for i in range(0, len(words) - size, 7)}
    assert len(windows) > 100
    held = 0
    for window in sorted(windows):
        typed = " ".join(window)
        words = folded_tokens(typed, "query")  # abbreviations expanded: 'ubnd' → 4 words
        phrase = Query.phrase_query(schema, "content", words)
        expected = searcher.search(phrase, limit=1, count=True).count
        assert idx.search(f'"{typed}"', facets=False).total == expected, window
        held += expected > 0
    assert held > 100
    catalog.close()


def test_the_page_is_ranked_while_the_total_and_facets_are_counted(peace, monkeypatch):
    """Two passes over the index that need nothing of each other: tantivy lets go of the GIL,
    so one runs on a second core while the other does (a search took their sum)."""
    import threading

    from index.tantivy import engine

    idx, _counting = peace
    expected = idx.search("hòa bình", per_page=3)
    idx.generation()._results.clear()  # counted again, not read from the cache
    ranked = threading.Event()
    seen = []
    rank, count = engine._ranked, engine._Generation.counted

    def ranking(*args):
        found = rank(*args)
        ranked.set()
        return found

    def counting(self, *args):
        seen.append(ranked.wait(timeout=2))  # the page is ranked meanwhile
        return count(self, *args)

    monkeypatch.setattr(engine, "_ranked", ranking)
    monkeypatch.setattr(engine._Generation, "counted", counting)
    results = idx.search("hòa bình", per_page=3)
    assert seen == [True]
    assert results == expected
