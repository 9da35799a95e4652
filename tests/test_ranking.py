"""Known-item ranking on both engines (issue 15): the letter a clerk has in mind comes first
when its number is typed loosely, its words typed without diacritics, a word mistyped.

Each test writes a few letters of its own (tests/test_search.py's helpers) and asks for the
order they come in; bench/knownitem.py measures the same on real letters.
"""

from __future__ import annotations

import pytest

from index import rebuild_index
from index.planning import corrected_word, loosely_same, with_words_replaced
from tests.test_search import found, write_catalog

# (id, type, number, issuer, parent, place, date, signer, recipients, assignees, cites, text)
NUMBERED = [
    ("n1", "Nghị định", "112/2021/NĐ-CP", "Chính phủ", None, "Hà Nội", "2021-12-10", "A", [],
     [], [], "Quy định về người lao động Việt Nam đi làm việc ở nước ngoài."),
    ("n2", "Công văn", "45/SLĐTBXH-VL", "Sở Lao động tỉnh Gia Lai", None, "Gia Lai",
     "2022-03-01", "B", [], [], ["112/2021/nd-cp"],
     "Thực hiện Nghị định số 112/2021/NĐ-CP về người lao động đi làm việc ở nước ngoài."),
    ("n3", "Công văn", "123/UBND-VX", "Ủy ban nhân dân tỉnh Gia Lai", None, "Gia Lai",
     "2023-05-02", "C", [], [], [], "Về việc tổ chức khai giảng năm học mới."),
    ("n4", "Báo cáo", "7/BC-UBND", "Ủy ban nhân dân huyện Chư Sê", None, "Gia Lai",
     "2023-06-01", "D", [], [], [],
     "Năm 2021 có 112 lao động đi làm việc ở nước ngoài; 123 hồ sơ UBND đã nhận; NĐ CP."),
]


@pytest.fixture
def numbered(tmp_path, engine):
    archive, catalog = write_catalog(tmp_path / "archive", NUMBERED)
    idx = rebuild_index(catalog, archive.index_dir, engine=engine)
    yield idx
    catalog.close()


@pytest.mark.parametrize(("typed", "indexed", "same"), [
    ("112/nd-cp", "112/2021/nd-cp", True),  # the year left out
    ("112/nd", "112/2021/nd-cp", True),  # and the symbol's last part
    ("123/ubnd", "123/ubnd-vx", True),
    ("112/2021/nd-cp", "112/2021/nd-cp", False),  # the same key: the exact match's own boost
    ("112/2020/nd-cp", "112/2021/nd-cp", False),  # another year
    ("112/cp", "112/2021/nd-cp", False),  # the symbol's parts from its start only
    ("12/nd-cp", "112/2021/nd-cp", False),
    ("123/ubnd-vx-tt", "123/ubnd-vx", False),
])
def test_a_number_typed_loosely_may_mean_an_indexed_one(typed, indexed, same):
    assert loosely_same(typed, indexed) is same


@pytest.mark.parametrize("query", ["112/nd-cp", "112 nd cp", "so 112 nd-cp", "112/nd",
                                   "112/2021/nd-cp"])
def test_a_number_typed_without_its_year_finds_the_letter_first_then_its_citers(numbered,
                                                                                  query):
    assert found(numbered, query)[:2] == ["n1", "n2"]


@pytest.mark.parametrize("query", ["123/ubnd", "so 123 ubnd", "123 ubnd"])
def test_a_number_typed_with_the_symbol_s_first_part_finds_the_letter_first(numbered, query):
    assert found(numbered, query)[0] == "n3"


# -- words side by side -------------------------------------------------------------------------

SIDE_BY_SIDE = [
    ("p1", "Công văn", "3/SLĐ-BH", "Sở Lao động tỉnh Gia Lai", None, "Gia Lai", "2024-01-02",
     "A", [], [], [], "Về chế độ bảo hiểm xã hội và trợ cấp thất nghiệp cho người lao động."),
    ("p2", "Công văn", "4/SLĐ-VP", "Sở Lao động tỉnh Gia Lai", None, "Gia Lai", "2024-01-03",
     "B", [], [], [], "Về bảo vệ rừng. Hiểm họa thiên tai. Thất thoát tài sản. Nghiệp vụ. "
     "Bảo đảm an toàn; nguy hiểm; tổn thất; doanh nghiệp."),
    ("d1", "Công văn", "5/UBND-VX", "Ủy ban nhân dân tỉnh Đồng Tháp", None, "Đồng Tháp",
     "2024-01-04", "C", [], [], [], "Kế hoạch năm học mới."),
    ("d2", "Công văn", "6/UBND-VX", "Ủy ban nhân dân tỉnh Gia Lai", None, "Gia Lai",
     "2024-01-05", "D", [], [], [], "Hoạt động, vận động, lao động. Tổng hợp, thu thập, "
     "tập hợp, thập phân; động viên, thập kỷ."),
]


@pytest.fixture
def side_by_side(tmp_path, engine):
    archive, catalog = write_catalog(tmp_path / "archive", SIDE_BY_SIDE)
    idx = rebuild_index(catalog, archive.index_dir, engine=engine)
    yield idx
    catalog.close()


def test_each_pair_of_words_side_by_side_raises_a_letter(side_by_side):
    """'bảo hiểm … thất nghiệp': two pairs side by side, though not all four words in a row,
    rank the letter above one holding the four words apart more often."""
    assert found(side_by_side, "bao hiem that nghiep")[0] == "p1"


def test_dong_thap_ranks_the_place_above_its_words_far_apart(side_by_side):
    hits = side_by_side.search("dong thap").hits
    assert [h.id for h in hits] == ["d1", "d2"]
    assert hits[0].score > 1.5 * hits[1].score


# -- the heading -----------------------------------------------------------------------------------

HEADINGS = [
    ("h1", "Công văn", "8/SYT-NVY", "Sở Y tế tỉnh Gia Lai", None, "Gia Lai", "2024-01-02", "A",
     [], [], [], "Kiểm tra an toàn thực phẩm dịp Tết Nguyên đán. "
     + "Các đơn vị báo cáo kết quả về Sở để tổng hợp, báo cáo Ủy ban nhân dân tỉnh. " * 12),
    ("h2", "Báo cáo", "9/BC-SYT", "Sở Y tế tỉnh Gia Lai", None, "Gia Lai", "2024-01-03", "B",
     [], [], [], "Tổng kết công tác an toàn năm 2024 của ngành y tế tỉnh. "
     + "Kiểm tra an toàn thực phẩm tại các bếp ăn tập thể. " * 3),
    # Letters with some of the words in their heading: those words say little there.
    *((f"f{n}", "Công văn", f"{10 + n}/SYT-NVY", "Sở Y tế tỉnh Gia Lai", None, "Gia Lai",
       "2024-02-01", "C", [], [], [], subject) for n, subject in enumerate((
           "Kiểm tra công tác tiêm chủng mở rộng.", "Kiểm tra an toàn bức xạ tại bệnh viện.",
           "Thực phẩm chức năng bán trên mạng.", "An toàn lao động trong bệnh viện."))),
]


@pytest.fixture
def headings(tmp_path, engine):
    archive, catalog = write_catalog(tmp_path / "archive", HEADINGS)
    idx = rebuild_index(catalog, archive.index_dir, engine=engine)
    yield idx
    catalog.close()


@pytest.mark.parametrize("query", ["kiem tra an toan thuc pham", "an toan thuc pham",
                                   "kiem tra thuc pham"])
def test_the_letter_whose_heading_holds_every_word_comes_first(headings, query):
    """h2, a short letter, holds the words more often, in its text; h1, a long one, holds them
    all in its subject (the words a clerk remembers), so h1 is the letter meant."""
    assert found(headings, query)[:2] == ["h1", "h2"]


# -- mistyped words: fuzzy search and 'did you mean' -----------------------------------------------

TYPED = [
    *((f"t{n}", "Công văn", f"{20 + n}/UBND-VX", "Ủy ban nhân dân tỉnh Gia Lai", None, "Gia Lai",
       "2024-03-01", "A", [], [], [], f"Về việc thực hiện kế hoạch số {n} năm 2024.")
      for n in range(4)),
    # The same words as OCR damaged them on a scan.
    ("o1", "Công văn", "30/UBND-VX", "Ủy ban nhân dân tỉnh Gia Lai", None, "Gia Lai",
     "2024-03-02", "B", [], [], [], "Về việc thực hein kế hoạch phòng chống thiên tai."),
]


@pytest.fixture(scope="module", params=["whoosh", "tantivy"])
def typed(tmp_path_factory, request):
    archive, catalog = write_catalog(tmp_path_factory.mktemp("typed") / "archive", TYPED)
    idx = rebuild_index(catalog, archive.index_dir, engine=request.param)
    yield idx
    catalog.close()


def test_a_fuzzy_word_finds_the_word_with_two_letters_swapped(typed):
    """'hein~' is one edit from 'hiện' (a swap of neighbours, as a typing slip makes)."""
    results = typed.search("thuc hein~")
    assert {hit.id for hit in results.hits} == {"t0", "t1", "t2", "t3", "o1"}
    marked = {hit.id: hit.snippet_html for hit in results.hits}
    assert "<mark>hiện</mark>" in marked["t0"] and "<mark>hein</mark>" in marked["o1"]


def test_a_mistyped_word_with_few_hits_gets_a_suggestion(typed):
    """'thuc hein' finds the one letter OCR damaged; 'thực hiện' is what was meant."""
    results = typed.search("thuc hein")
    assert results.total == 1 and results.suggestion == "thuc hien"
    assert typed.search("thuc hien").suggestion is None  # found in many letters


@pytest.mark.parametrize(("query", "meant"), [
    ("thuc hinee", "thuc hien"),  # two edits from any indexed word
    ("thuc hinee~", "thuc hien"),  # a fuzzy word that finds nothing: the word meant, searched
    ("ke hoahc", "ke hoach"),
])
def test_a_query_finding_nothing_gets_the_words_meant(typed, query, meant):
    results = typed.search(query)
    assert results.total == 0 and results.suggestion == meant


def test_a_word_is_corrected_only_when_rare_beside_a_common_neighbour():
    counts = {"hien": 40, "hen": 3, "hein": 1, "123": 1, "124": 50}

    def neighbours(word, distance):
        return [(t, n) for t, n in counts.items() if t[0] == word[0] and t != word]

    assert corrected_word("hein", 1, neighbours) == "hien"
    assert corrected_word("hien", 40, neighbours) is None  # a word, not a slip
    assert corrected_word("hen", 3, neighbours) == "hien"
    assert corrected_word("123", 1, neighbours) is None  # numbers are typed as meant
    assert with_words_replaced("Thuc hein~ -zalo", {"hein": "hien"}) == "Thuc hien -zalo"
