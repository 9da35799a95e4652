"""Snippets are cut from the start of a letter (index.highlight.SNIPPET_SOURCE_CHARS), the same
on both engines, and a tantivy hit reads only a bounded start and the display values: it read
and parsed a stored JSON copy of the whole letter for each hit."""

from __future__ import annotations

import tantivy

from index import rebuild_index
from index.highlight import SNIPPET_SOURCE_CHARS, snippet_html, snippet_source
from tests.test_search import LETTERS, write_catalog

FILLER = "Các cơ quan, đơn vị tiếp tục thực hiện nghiêm các nội dung đã giao. "
LONG_TEXT = ("Về phòng chống bão lũ trên địa bàn tỉnh. " + FILLER * 1500
             + "Đề nghị liên hệ Trung tâm Zalo cuối văn bản.")


def _long_letter_archive(tmp_path, engine):
    spec = (*LETTERS[0][:-1], LONG_TEXT)
    archive, catalog = write_catalog(tmp_path / "archive", [spec])
    return catalog, rebuild_index(catalog, archive.index_dir, engine=engine)


def test_snippet_source_is_the_start_of_the_text_cut_at_a_space():
    source = snippet_source(LONG_TEXT)
    assert len(source) <= SNIPPET_SOURCE_CHARS < len(LONG_TEXT)
    assert LONG_TEXT.startswith(source) and LONG_TEXT[len(source)] == " "  # a whole word
    assert snippet_source(source) == source  # cut again: the same
    assert snippet_source("  Kính gửi:\n\n các sở  ") == "Kính gửi: các sở"


def test_a_word_past_the_snippet_source_is_found_but_not_shown(tmp_path, engine):
    _catalog, idx = _long_letter_archive(tmp_path, engine)
    far = idx.search("trung tam zalo").hits
    assert [h.id for h in far] == ["a1"]
    assert "<mark>" not in far[0].snippet_html
    assert far[0].snippet_html.startswith("Về phòng chống bão lũ")
    near = idx.search("bao lu").hits[0]
    assert "<mark>bão</mark> <mark>lũ</mark>" in near.snippet_html
    assert near.snippet_html == snippet_html(LONG_TEXT, {"bao", "lu"})


def test_a_tantivy_hit_reads_the_start_of_the_letter_only(tmp_path):
    _catalog, idx = _long_letter_archive(tmp_path, "tantivy")
    searcher = idx.generation().searcher
    address = searcher.search(tantivy.Query.all_query(), limit=1).hits[0][1]
    stored = searcher.doc(address).to_dict()
    size = sum(len(bytes(value).decode()) for values in stored.values() for value in values)
    assert size < SNIPPET_SOURCE_CHARS + 1000 < len(LONG_TEXT)

