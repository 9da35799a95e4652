"""Vietnamese analysis: folding, đ, tone placement, NFC, highlighting offsets, pickling."""

from __future__ import annotations

import pickle
import unicodedata

import pytest

from index.abbreviations import MODES
from index.accents import fold_text, normalize_tones
from index.analysis import VALUE_SEPARATOR, exact_words, folded_words, word_pairs
from index.highlight import snippet_html
from index.provinces import ALL_NAMES, province_of, province_terms, slug
from index.whoosh.analysis import exact_analyzer, folded_analyzer, pairs_analyzer

from .conftest import SEEDS


def test_folding_removes_tones_and_marks_and_folds_d():
    assert folded_words("Đồng Tháp, ĐẮK NÔNG; đường") == ["dong", "thap", "dak", "nong", "duong"]


def test_folding_matches_unidecode_on_vietnamese_letters():
    from unidecode import unidecode

    sample = "Ủy ban nhân dân tỉnh Quảng Ngãi ỨNG PHÓ BÃO LŨ Thừa Thiên Huế ỹ ự ở ẫ"
    assert fold_text(sample) == unidecode(sample).lower()


def test_words_outside_the_fold_table_go_through_unidecode():
    assert folded_words("Ωmega Œuvre") == ["omega", "oeuvre"]


def test_decomposed_input_is_composed_before_tokenizing():
    decomposed = unicodedata.normalize("NFD", "Quyết định Nghị định")
    assert folded_words(decomposed) == ["quyet", "dinh", "nghi", "dinh"]
    assert exact_words(decomposed) == ["quyết", "định", "nghị", "định"]


@pytest.mark.parametrize(
    ("old_style", "new_style"),
    [("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("Uỷ", "ủy"), ("Hoá", "hóa")],
)
def test_tone_placement_is_normalised(old_style, new_style):
    assert exact_words(old_style) == exact_words(new_style) == [new_style]


@pytest.mark.parametrize("word", ["hoàng", "quý", "quỳnh", "thuyết", "hòa", "hoa"])
def test_tone_normalisation_leaves_other_syllables(word):
    assert normalize_tones(word) == word


def test_exact_field_keeps_accents_apart_and_skips_ascii_words():
    # An ASCII word's exact form is its folded form, already in the folded field.
    assert exact_words("hòa hoa hóa NCPC") == ["hòa", "hóa"]
    assert folded_words("hòa hoa hóa") == ["hoa", "hoa", "hoa"]


def test_analyzers_survive_pickling():
    # Whoosh pickles the analyzers into the index's table of contents.
    for analyzer in (folded_analyzer(), exact_analyzer()):
        again = pickle.loads(pickle.dumps(analyzer))
        text = "Công điện Hoà"
        assert [t.text for t in again(text)] == [t.text for t in analyzer(text)]


def test_snippet_marks_upper_case_and_d_variants():
    html = snippet_html("UBND TỈNH ĐẮK NÔNG và Đắk Nông", {"dak", "nong"})
    assert html.count("<mark>") == 4 and "<mark>ĐẮK</mark>" in html


def test_snippet_marks_accented_words_for_a_folded_query_and_escapes_html():
    html = snippet_html("Gửi <script>alert(1)</script> UBND tỉnh Đồng Tháp.", {"dong", "thap"})
    assert "<mark>Đồng</mark> <mark>Tháp</mark>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_snippet_picks_the_window_with_the_matches():
    text = "mở đầu " * 200 + "cảnh báo cắt ghép hình ảnh để tống tiền" + " kết thúc" * 200
    html = snippet_html(text, {"cat", "ghep", "tong", "tien"})
    assert html.startswith("…") and html.endswith("…")
    assert html.count("<mark>") == 4


def test_snippet_without_matches_shows_the_beginning():
    assert snippet_html("Kính gửi các sở", {"zalo"}) == "Kính gửi các sở"


def test_provinces_list_has_the_63_former_units():
    assert len(ALL_NAMES) == 63


@pytest.mark.parametrize(
    ("issuer", "parent", "place", "expected"),
    [
        ("Sở Thông tin và Truyền thông", "UBND tỉnh Đắk Nông", None, "Đắk Nông"),
        ("Công an Thành phố Hồ Chí Minh", None, None, "Hồ Chí Minh"),
        ("UBND tỉnh Thừa Thiên Huế", None, None, "Huế"),
        ("Bộ Công an", None, "Hà Nội", None),
        ("UBND huyện Mường Tè", None, "Mường Tè", None),
        ("UBND tỉnh Hà Nam", None, None, "Hà Nam"),
        ("UBND tỉnh Quảng Nam", None, None, "Quảng Nam"),
    ],
)
def test_province_of_issuer(issuer, parent, place, expected):
    assert province_of(issuer, parent, place) == expected


def test_province_terms_keep_old_and_new_names():
    assert province_terms("Đắk Nông") == {"dak-nong", "lam-dong"}
    assert province_terms("Hà Nội") == {"ha-noi"}
    assert slug("Bà Rịa - Vũng Tàu") == "ba-ria-vung-tau"


@pytest.mark.parametrize("mode", MODES)
def test_whoosh_s_analyzers_give_the_shared_words_on_every_seed(mode):
    """The words both engines must index alike (index.analysis; tantivy's are held against
    them in test_tantivy.py) are the ones Whoosh's tokenizer yields, value gaps included."""
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        text = f"{text} {VALUE_SEPARATOR} UBND tỉnh Hoà Bình"
        assert [t.text for t in folded_analyzer(mode)(text)] == folded_words(text, mode)
        assert [t.text for t in exact_analyzer(mode)(text)] == exact_words(text, mode)
    assert [t.text for t in pairs_analyzer()("Đồng Tháp mới")] == word_pairs(
        folded_words("Đồng Tháp mới"))
