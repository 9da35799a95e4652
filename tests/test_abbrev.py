"""Abbreviations match their long forms both ways (UBND ~ Ủy ban nhân dân), on both engines, in
field filters, free text, phrases, autocomplete and snippets; symbols and numbers are left as
they are. And a quote left open is searched leniently, with a notice, in the UI and the API."""

from __future__ import annotations

import re

import pytest

from index import ENGINES, rebuild_index
from index.abbreviations import MODES, expand_abbreviations
from index.analysis import exact_words, folded_words
from index.querylang import UNCLOSED_QUOTE
from index.tantivy.schema import exact_analyzer, exact_text, folded_tokens
from tests.conftest import SEEDS
from tests.test_search import found, write_catalog
from tests.test_tantivy import accented

# -- the expansion itself ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expanded"), [
    ("UBND tỉnh Đồng Tháp", "Ủy ban nhân dân tỉnh Đồng Tháp"),
    ("HĐND và UBND các xã", "Hội đồng nhân dân và Ủy ban nhân dân các xã"),
    ("Sở TT&TT, Sở NN&PTNT, Sở GD-ĐT", "Sở Thông tin và Truyền thông, Sở Nông nghiệp và Phát "
     "triển nông thôn, Sở Giáo dục và Đào tạo"),
    ("Sở VH,TT&DL; Sở LĐTB&XH", "Sở Văn hóa, Thể thao và Du lịch; Sở Lao động - Thương binh "
     "và Xã hội"),
    ("VP HĐND-UBND huyện", "Văn phòng Hội đồng nhân dân-Ủy ban nhân dân huyện"),
    ("TP. Hồ Chí Minh, TP Huế, TX. Sơn Tây", "thành phố. Hồ Chí Minh, thành phố Huế, "
     "thị xã. Sơn Tây"),
    ("TT. Mường Tè", "thị trấn. Mường Tè"),
    ("CA tỉnh Lai Châu, CA các huyện", "Công an tỉnh Lai Châu, Công an các huyện"),
    ("Văn phòng CP; BCĐ 389; BCH Quân sự; MTTQ; BHXH; KBNN",
     "Văn phòng Chính phủ; Ban Chỉ đạo 389; Ban Chỉ huy Quân sự; Mặt trận Tổ quốc; "
     "Bảo hiểm xã hội; Kho bạc Nhà nước"),
    ("- UBND các xã; (UBND); -UBND", "- Ủy ban nhân dân các xã; (Ủy ban nhân dân); "
     "-Ủy ban nhân dân"),
])
def test_abbreviations_expand_to_their_long_forms(text, expanded):
    assert expand_abbreviations(text) == expanded


@pytest.mark.parametrize("text", [
    "Thông tư số 01/2024/TT-BTC",  # TT of a symbol is Thông tư
    "Số: 04/UBND-NCPC", "Quyết định số 85/QĐ-UBND", "QĐ-UBND", "UBND-TH",
    "Nghị định số 15/2020/NĐ-CP", "Nghị định 08/2022/NĐ- CP",  # OCR splits the symbol
    "Số TT Họ và tên", "TT Mảng công việc",  # số thứ tự
    "Công ty CP Xây dựng", "tổng phốt pho (TP)",
    "cá tính; ca sĩ; cả tỉnh; ca tinh",  # 'ca' in lower case is a word
    "HUBND STTTT BTTTT",  # inside other words
])
def test_symbols_numbers_and_words_are_left_alone(text):
    assert expand_abbreviations(text) == text


def test_queries_expand_in_any_case_but_lower_case_words_only_in_names():
    assert folded_words("ubnd tp hue", "query") == [
        "uy", "ban", "nhan", "dan", "thanh", "pho", "hue"]
    assert folded_words("ca tinh", "query") == ["ca", "tinh"]  # cả tỉnh, cá tính
    assert folded_words("CA tinh", "query") == ["cong", "an", "tinh"]
    assert folded_words("ca tinh lai chau", "names") == ["cong", "an", "tinh", "lai", "chau"]
    assert folded_words("12 kh ubnd", "none") == ["12", "kh", "ubnd"]
    assert folded_words("ubnd", "text") == ["ubnd"]  # a letter's text: capitals only


def test_both_engines_expand_alike_in_every_mode():
    texts = [seed.read_text(encoding="utf-8") for seed in SEEDS]
    texts += ["ubnd tinh dong thap", "CA tỉnh; ca tinh lai chau", "tp. hue", "12 kh ubnd",
              "Sở TT&TT, GD-ĐT, HĐND-UBND", "ß UBND"]
    exact = exact_analyzer()
    for text in texts:
        for mode in MODES:
            assert folded_tokens(text, mode) == folded_words(text, mode), (mode, text[:40])
            assert accented(exact.analyze(exact_text(text, mode))) == exact_words(text, mode)


# -- both engines ------------------------------------------------------------------------------

LETTERS = [
    # id, type, reference, issuer, parent, place, date, signer, recipients, assignees, cites, text
    ("dt", "Công văn", "04/TB-NCPC", "Ủy ban nhân dân tỉnh Đồng Tháp", None, "Đồng Tháp",
     "2025-01-06", "Trần Văn A", ["Công an tỉnh"], ["Công an tỉnh"], [],
     "Ủy ban nhân dân tỉnh Đồng Tháp đề nghị Hội đồng nhân dân tỉnh cho ý kiến."),
    ("qn", "Công văn", "7/STTTT-TTBCXB", "Sở Thông tin và Truyền thông tỉnh Quảng Ninh",
     "Ủy ban nhân dân tỉnh Quảng Ninh", "Quảng Ninh", "2024-04-02", "Lê Văn B",
     ["Các sở, ban, ngành"], [], [], "Tăng cường tuyên truyền phòng ngừa lừa đảo."),
    ("mt", "Công văn", "15/UBND-VP", "UBND huyện Mường Tè", "UBND tỉnh Lai Châu", "Mường Tè",
     "2025-02-20", "Nguyễn Văn C", ["CA tỉnh Lai Châu", "UBND các xã, TT. Mường Tè"],
     ["Phòng VH-TT", "Trung tâm Văn hóa, TT&TT huyện"], [],
     "Kính gửi UBND các xã, TT. Mường Tè. Trung tâm Văn hóa, TT&TT huyện tuyên truyền; "
     "CA tỉnh Lai Châu phối hợp."),
    ("tc", "Thông tư", "01/2024/TT-BTC", "Bộ Tài chính", None, "Hà Nội", "2024-01-05",
     "Phạm Văn D", ["UBND các tỉnh"], [], [],
     "Thông tư số 01/2024/TT-BTC. Bảng kê: Số TT Họ và tên. Công ty CP Xây dựng nộp thuế."),
    ("yt", "Công văn", "9/SYT-NVY", "Sở Y tế tỉnh An Giang", None, "An Giang", "2024-05-05",
     "Hồ Văn E", [], [], [], "Kính gửi UBND tỉnh Đồng Tháp; Hội nghị ngày 5/5."),
]


@pytest.fixture(scope="module", params=ENGINES)
def letters(tmp_path_factory, request):
    archive, catalog = write_catalog(tmp_path_factory.mktemp("abbrev") / "archive", LETTERS)
    idx = rebuild_index(catalog, archive.index_dir, engine=request.param)
    yield idx
    catalog.close()


@pytest.mark.parametrize(("query", "expected"), [
    # field filters, short query and long letter, and the other way round
    ('coquan:"ubnd tinh dong thap"', {"dt"}),
    ('coquan:"UBND tỉnh Đồng Tháp"', {"dt"}),
    ('capcha:"ubnd tinh quang ninh"', {"qn"}),  # the help page's example
    ('coquan:"uy ban nhan dan huyen muong te"', {"mt"}),
    ('capcha:"Ủy ban nhân dân tỉnh Lai Châu"', {"mt"}),
    ('nhan:"cong an tinh lai chau"', {"mt"}),
    ('nhan:"ca tinh lai chau"', {"mt"}),
    ('nhan:"thi tran muong te"', {"mt"}),
    ('giao:"thong tin va truyen thong"', {"mt"}),
    ('giao:"van hoa"', {"mt"}),  # 'VH-TT' is no listed abbreviation: not expanded
    # free text and phrases (the letter's text holding the short form only: yt)
    ("ubnd tinh dong thap", {"dt", "yt"}),
    ('"ubnd tinh dong thap"', {"dt", "yt"}),
    ('"uy ban nhan dan tinh dong thap"', {"dt", "yt"}),
    ('"Ủy ban nhân dân huyện Mường Tè"', {"mt"}),
    ('"dan tinh dong thap"', {"dt", "yt"}),  # the end of a long form only
    ('"kinh gui uy ban"', {"mt", "yt"}),  # and its beginning
    ('"hdnd tinh"', {"dt"}),
    ('"trung tam van hoa thong tin va truyen thong huyen"', {"mt"}),
    ('"tt&tt huyen"', {"mt"}),
    ('"cong an tinh lai chau"', {"mt"}),
    # symbols and the words around them are unchanged
    ("TT-BTC", {"tc"}),
    ('"thi tran"', {"mt"}),  # not 'Số TT' nor 'TT-BTC'
    ('"chinh phu"', set()),  # 'Công ty CP' is cổ phần
    ('"cong ty cp"', {"tc"}),
])
def test_abbreviations_match_their_long_forms(letters, query, expected):
    assert set(found(letters, query)) == expected


@pytest.mark.parametrize(("query", "first"), [
    ("01/2024/TT-BTC", "tc"), ("01 2024 tt btc", "tc"), ("so:01/2024/TT-BTC", "tc"),
    ("15/UBND-VP", "mt"), ("15 ubnd vp", "mt"), ("so:15/UBND-VP", "mt"), ("15/ubnd-vp", "mt"),
])
def test_number_lookups_are_unaffected(letters, query, first):
    assert found(letters, query)[0] == first


def test_autocomplete_knows_the_abbreviations_both_ways(letters):
    assert letters.autocomplete("ubnd tinh", "issuer") == ["Ủy ban nhân dân tỉnh Đồng Tháp"]
    assert letters.autocomplete("uy ban nhan dan huyen", "issuer") == ["UBND huyện Mường Tè"]
    assert letters.autocomplete("ubnd huyen m", "issuer") == ["UBND huyện Mường Tè"]
    assert letters.autocomplete("so thong tin va truyen", "issuer") == [
        "Sở Thông tin và Truyền thông tỉnh Quảng Ninh"]


def test_snippets_mark_the_abbreviation_a_long_form_matched(letters):
    hits = letters.search('"uy ban nhan dan tinh dong thap"').hits
    snippet = next(hit.snippet_html for hit in hits if hit.id == "yt")
    assert "<mark>UBND</mark> <mark>tỉnh</mark>" in snippet


# -- the web archive: the issue's own examples, and the lenient quote ----------------------------


def test_issue_examples_on_the_web_archive(client, ids):
    data = client.get('/api/search?q=coquan:"ubnd tinh dong thap"').get_json()
    assert [hit["id"] for hit in data["hits"]] == [ids["000"]]
    assert "Ủy ban nhân dân tỉnh Đồng Tháp" in client.get(
        "/api/goi-y?q=ubnd+tinh&field=issuer").get_json()
    quang_ninh = client.get('/api/search?q=capcha:"ubnd tinh quang ninh"').get_json()
    assert ids["003"] in {hit["id"] for hit in quang_ninh["hits"]}


def test_api_search_closes_an_open_quote_and_says_so(client):
    lenient = client.get("/api/search?q=%22dong+thap")
    assert lenient.status_code == 200
    data = lenient.get_json()
    closed = client.get("/api/search?q=%22dong+thap%22").get_json()
    assert data["notice"] == UNCLOSED_QUOTE
    assert data["total"] == closed["total"] > 0
    assert [h["id"] for h in data["hits"]] == [h["id"] for h in closed["hits"]]
    assert closed["notice"] is None
    field = client.get("/api/search?q=coquan:%22ubnd")
    assert field.status_code == 200 and field.get_json()["notice"] == UNCLOSED_QUOTE


def test_search_page_closes_an_open_quote_and_says_so(client, ids):
    response = client.get("/?q=%22dong+thap")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Thiếu dấu ngoặc kép đóng: đã tìm như thể có dấu đóng ở cuối." in html
    assert f"/van-ban/{ids['000']}" in html
    assert re.search(r'name="q" value="&#34;dong thap&#34;"', html)  # the box: as searched
    closed = client.get("/?q=%22dong+thap%22").get_data(as_text=True)
    assert "Thiếu dấu ngoặc kép" not in closed


def test_help_page_lists_the_abbreviations(client):
    html = client.get("/tro-giup").get_data(as_text=True)
    assert "<code>UBND</code>: Ủy ban nhân dân" in html
    assert "<code>TT&amp;TT, TTTT</code>: Thông tin và Truyền thông" in html
    example = re.search(r'href="(/\?q=coquan[^"]*ubnd[^"]*)"', html)
    assert example and client.get(example.group(1).replace("&amp;", "&")).status_code == 200
