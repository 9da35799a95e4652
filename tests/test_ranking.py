"""Known-item ranking on both engines (issue 15): the letter a clerk has in mind comes first
when its number is typed loosely, its words typed without diacritics, a word mistyped.

Each test writes a few letters of its own (tests/test_search.py's helpers) and asks for the
order they come in; bench/knownitem.py measures the same on real letters.
"""

from __future__ import annotations

import pytest

from index import rebuild_index
from index.planning import (
    MISREAD_NOTICE,
    UNREAD_NOTICE,
    IssuerNames,
    corrected_word,
    loosely_same,
    misread_keys,
    number_terms,
    unread_key,
    with_words_replaced,
)
from ingest import Archive, open_catalog
from tests.test_search import found, letter, write_catalog

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
def index_of(tmp_path, engine):
    """A function building the index of a list of letters with the test's engine (the catalogs
    are closed after the test)."""
    catalogs = []

    def build(letters):
        archive, catalog = write_catalog(tmp_path / f"archive{len(catalogs)}", letters)
        catalogs.append(catalog)
        return rebuild_index(catalog, archive.index_dir, engine=engine)

    yield build
    for catalog in catalogs:
        catalog.close()


@pytest.fixture
def numbered(index_of):
    return index_of(NUMBERED)


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


# -- numbers not read ---------------------------------------------------------------------------

# A scan whose number is handwritten or stamped: OCR reads 'Số: Z⁄⁄ /TTr-CAT(PC04)', so the
# catalog holds its symbol and no number.
UNREAD_LETTERS = [
    ("u1", "Tờ trình", None, "Công an tỉnh Lâm Đồng", None, "Lâm Đồng", "2025-12-01", "A", [],
     [], [], "Số: Z⁄⁄ /TTr-CAT(PC04). Về việc đề nghị khen thưởng tập thể."),
    ("u2", "Tờ trình", None, "Công an tỉnh Lâm Đồng", None, "Lâm Đồng", "2025-11-01", "B", [],
     [], [], "Số: /TTr-CAT. Về việc đề nghị mua sắm trang thiết bị."),
    ("u3", "Công văn", None, "Ủy ban nhân dân tỉnh Lâm Đồng", None, "Lâm Đồng", "2025-10-01",
     "C", [], [], [], "Số: /UBND-VX. Về việc tổ chức khai giảng năm học mới."),
    ("c1", "Công văn", "14/CAT-PC04", "Công an tỉnh Lâm Đồng", None, "Lâm Đồng", "2026-01-05",
     "D", [], [], ["511/ttr-cat-pc04"], "Thực hiện Tờ trình số 511/TTr-CAT(PC04) về khen thưởng."),
]
SYMBOLS = {"u1": "TTr-CAT(PC04)", "u2": "TTr-CAT", "u3": "UBND-VX"}


def unread_catalog(root, specs):
    archive = Archive(root)
    archive.create()
    catalog = open_catalog(archive.catalog_path)
    for spec in specs:
        record = letter(spec)
        if spec[0] in SYMBOLS:  # the number not read: no reference, the symbol alone
            record.metadata.reference = None
            record.metadata.symbol = SYMBOLS[spec[0]]
        catalog.add_document(record)
    return archive, catalog


@pytest.fixture
def unread(tmp_path, engine):
    archive, catalog = unread_catalog(tmp_path / "archive", UNREAD_LETTERS)
    yield rebuild_index(catalog, archive.index_dir, engine=engine)
    catalog.close()


def test_a_number_not_read_is_keyed_by_its_symbol():
    assert unread_key("TTr-CAT(PC04)") == "?/ttr-cat-pc04"
    assert unread_key("QĐ-UBND") == "?/qd-ubnd"
    assert unread_key("") is None


@pytest.mark.parametrize("query", ["511/ttr-cat-pc04", "so 511 ttr-cat-pc04", "511 ttr cat pc04",
                                   "511/TTr-CAT(PC04)"])
def test_a_number_no_letter_holds_finds_the_letter_whose_number_was_not_read(unread, query):
    """Above the letter citing the number: the clerk asks for the letter itself; the page
    says why the letter found does not show the number typed."""
    results = unread.search(query)
    assert [hit.id for hit in results.hits] == ["u1", "c1"]
    assert results.notice == UNREAD_NOTICE
    assert results.hits[0].reference == "" and results.hits[0].symbol == "TTr-CAT(PC04)"


def test_the_symbol_typed_whole_comes_before_a_symbol_it_starts(unread):
    """'511/ttr-cat': u2's symbol is TTr-CAT, u1's only starts with it."""
    assert found(unread, "511/ttr-cat")[:2] == ["u2", "u1"]
    assert set(found(unread, "so 511 ttr")[:2]) == {"u1", "u2"}  # both only start with it


def test_a_number_a_letter_holds_does_not_bring_the_unread_ones(tmp_path, engine):
    held = ("k1", "Tờ trình", "511/TTr-CAT(PC04)", "Công an tỉnh Lâm Đồng", None, "Lâm Đồng",
            "2025-12-20", "E", [], [], [], "Về việc đề nghị khen thưởng cá nhân.")
    archive, catalog = unread_catalog(tmp_path / "archive", [*UNREAD_LETTERS, held])
    idx = rebuild_index(catalog, archive.index_dir, engine=engine)
    results = idx.search("511/ttr-cat-pc04")
    assert [hit.id for hit in results.hits] == ["k1", "c1"] and results.notice is None
    assert found(idx, "511/ttr") == ["k1", "c1"]  # typed loosely, held loosely
    catalog.close()


def test_a_number_whose_symbol_no_letter_has_finds_no_unread_letter(unread):
    results = unread.search("77/bc-ubnd")
    assert results.total == 0 and results.notice is None


def test_number_terms_fall_back_on_unread_letters_only_when_no_letter_holds_it():
    values = {"ref_key": ["511/ttr-cat-pc04", "?/ttr-cat-pc04", "?/ttr-cat", "?/ubnd-vx"],
              "cites": []}

    def lexicon(fieldname, prefix):
        return [v for v in values[fieldname] if v.startswith(prefix)]

    def keys(typed):
        return {(f, k) for f, k, _boost in number_terms(typed, lexicon) if k.startswith("?")}

    assert keys("511/ttr-cat-pc04") == set()
    assert keys("512/ttr-cat-pc04") == {("ref_key", "?/ttr-cat-pc04")}
    assert keys("512/ttr") == {("ref_key", "?/ttr-cat-pc04"), ("ref_key", "?/ttr-cat")}
    assert keys("512/2025/ttr-cat") == {("ref_key", "?/ttr-cat-pc04"), ("ref_key", "?/ttr-cat")}
    boosts = {(f, k): b for f, k, b in number_terms("512/ttr-cat", lexicon)}
    own, cited = boosts["ref_key", "512/ttr-cat"], boosts["cites", "512/ttr-cat"]
    assert own > boosts["ref_key", "?/ttr-cat"] > boosts["ref_key", "?/ttr-cat-pc04"]
    assert boosts["ref_key", "?/ttr-cat"] > cited


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
def side_by_side(index_of):
    return index_of(SIDE_BY_SIDE)


def test_each_pair_of_words_side_by_side_raises_a_letter(side_by_side):
    """'bảo hiểm … thất nghiệp': two pairs side by side, though not all four words in a row,
    rank the letter above one holding the four words apart more often."""
    assert found(side_by_side, "bao hiem that nghiep")[0] == "p1"


def test_dong_thap_ranks_the_place_above_its_words_far_apart(side_by_side):
    hits = side_by_side.search("dong thap").hits
    assert [h.id for h in hits] == ["d1", "d2"]
    assert hits[0].score > 1.5 * hits[1].score


# Common words, in every letter but apart: 'hợp đồng' side by side says what a letter is about.
COMMON_WORDS = [
    *((f"c{n}", "Công văn", f"{40 + n}/SNV-VP", "Sở Nội vụ tỉnh Gia Lai", None, "Gia Lai",
       "2024-04-01", "A", [], [], [], f"Kế hoạch số {n}: các đơn vị họp bàn, thống nhất và đồng "
       "ý với đề xuất; lao động được tuyển dụng theo quy định; hoạt động kiểm tra.")
      for n in range(12)),
    ("a1", "Công văn", "60/SNV-VP", "Sở Nội vụ tỉnh Gia Lai", None, "Gia Lai", "2024-04-02",
     "B", [], [], [], "Về việc rà soát nhân sự năm 2024. Các cơ quan ký hợp đồng với người "
     "lao động; gia hạn hợp đồng theo quy định; chấm dứt hợp đồng khi hết hạn."),
    ("b1", "Công văn", "61/HĐND-VP", "Hội đồng nhân dân tỉnh Gia Lai", None, "Gia Lai",
     "2024-04-03", "C", [], [], [], "Về việc tổ chức hội nghị tổng kết năm. Các đại biểu họp "
     "bàn và đồng ý; đồng thời thống nhất."),
]


def test_words_side_by_side_on_an_empty_index_find_nothing(index_of):
    assert index_of([]).search("hop dong").total == 0


def test_common_words_side_by_side_outweigh_one_of_them_in_the_heading(index_of):
    """'hop dong': a1 holds 'hợp đồng' three times; b1 holds 'đồng' in its issuer and the
    words apart. Tantivy weighed a phrase of two words in every letter by their idfs (near
    nothing), so b1's heading word won there; Whoosh weighs the pair by its own idf."""
    assert found(index_of(COMMON_WORDS), "hop dong")[:2] == ["a1", "b1"]


# -- a pair typed side by side: a term of its own --------------------------------------------------

# p1 holds 'hợp đồng' side by side once, in a long text; p2, a short one, holds 'hợp' and
# 'đồng' twice each, apart; the others hold neither word. Subjects (the text's first 40
# characters) hold neither word, and the values differ in number (a parent issuer or not), so
# a letter's length in pairs is not its length in words less a constant.
PAIRED = [
    ("p1", "Công văn", "90/SNV-VP", "Sở Nội vụ tỉnh Gia Lai", "Ủy ban nhân dân tỉnh Gia Lai",
     "Gia Lai", "2024-07-01", "A", [], [], [], "Về việc rà soát nhân sự năm 2024 của tỉnh. "
     + "Các đơn vị tổng hợp danh sách, báo cáo về Sở trước ngày 15. " * 3
     + "Cơ quan ký hợp đồng với người lao động theo quy định."),
    ("p2", "Công văn", "91/SNV-VP", "Sở Nội vụ tỉnh Gia Lai", None, "Gia Lai", "2024-07-02",
     "B", [], [], [], "Về việc tuyển dụng năm 2024. Hợp tác xã đồng ý; hội đồng hợp nhất."),
    *((f"p{n}", "Thông báo", f"{90 + n}/TB-SNV", "Sở Nội vụ tỉnh Gia Lai",
       None if n % 2 else "Ủy ban nhân dân tỉnh Gia Lai", "Gia Lai", "2024-05-01", "C", [], [],
       [], f"Kết luận cuộc họp số {n}: " + "các đơn vị thống nhất kế hoạch kiểm tra. " * n)
      for n in range(3, 8)),
]


def test_a_pair_typed_side_by_side_ranks_the_letter_holding_it_first(index_of):
    assert found(index_of(PAIRED), "hop dong")[:2] == ["p1", "p2"]


def pair_bonus(idx, doc_id: str, pair: str) -> float:
    """What the words typed side by side add to a letter's score: the same words typed the
    other way round ('dong hop', side by side nowhere) score the same words and heading."""
    first, second = pair.split()
    scores = [{h.id: h.score for h in idx.search(q).hits}[doc_id]
              for q in (f"{first} {second}", f"{second} {first}")]
    return scores[0] - scores[1]


def test_a_pair_weighs_by_the_letters_holding_it_side_by_side(index_of):
    """A pair typed side by side is a term of its own (the `pairs` field, planning.PAIR_BOOST):
    its weight is BM25 of the letters holding it side by side, whatever the letters holding its
    words apart. It was a phrase of the two words, weighed by an idf estimated from the rarer
    word's letters (planning.pair_boost): letters holding 'hợp' and 'đồng' apart lowered it."""
    apart = [(f"q{n}", "Thông báo", f"{100 + n}/TB-SNV", "Sở Nội vụ tỉnh Gia Lai", None,
              "Gia Lai", "2024-05-02", "D", [], [], [], f"Kết luận số {n}: hợp tác xã; đồng ruộng.")
             for n in range(6)]
    idx = index_of(PAIRED + apart)
    plain = index_of(PAIRED + [(*spec[:-1], f"Kết luận số {n}: kinh tế xã; vườn ruộng.")
                               for n, spec in enumerate(apart)])
    assert pair_bonus(idx, "p1", "hop dong") > 1
    assert pair_bonus(idx, "p1", "hop dong") == pytest.approx(
        pair_bonus(plain, "p1", "hop dong"), rel=1e-4)


@pytest.mark.parametrize("query", ["hop dong", "hợp đồng", "dong hop", "lao dong",
                                   "hop dong lao dong", "ky hop dong", "don vi kiem tra",
                                   "ke hoach kiem tra", '"hop dong"'])
def test_both_engines_score_words_side_by_side_alike(tmp_path, query):
    """The same letters in the same order with the same scores: Whoosh scores a pair typed side
    by side as tantivy scores a term of its pairs field (the pair's own idf, its count, the
    letter's length in pairs rounded as tantivy keeps it, tantivy's average length)."""
    archive, catalog = write_catalog(tmp_path / "archive", PAIRED)
    hits = {engine: rebuild_index(catalog, archive.index_dir, engine=engine).search(query).hits
            for engine in ("whoosh", "tantivy")}
    catalog.close()
    assert hits["whoosh"], query
    assert [h.id for h in hits["whoosh"]] == [h.id for h in hits["tantivy"]]
    assert [h.score for h in hits["whoosh"]] == pytest.approx(
        [h.score for h in hits["tantivy"]], rel=1e-5)


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
def headings(index_of):
    return index_of(HEADINGS)


@pytest.mark.parametrize("query", ["kiem tra an toan thuc pham", "an toan thuc pham",
                                   "kiem tra thuc pham"])
def test_the_letter_whose_heading_holds_every_word_comes_first(headings, query):
    """h2, a short letter, holds the words more often, in its text; h1, a long one, holds them
    all in its subject (the words a clerk remembers), so h1 is the letter meant."""
    assert found(headings, query)[:2] == ["h1", "h2"]


# s1's subject holds 'phòng chống dịch bệnh' as typed; s2's holds the same words apart, and its
# text holds them side by side more often.
HEADING_PAIRS = [
    ("s1", "Công văn", "70/SYT-NVY", "Sở Y tế tỉnh Gia Lai", None, "Gia Lai", "2024-05-02", "A",
     [], [], [], "Về việc phòng chống dịch bệnh sốt xuất huyết. "
     + "Các đơn vị tổ chức phun hóa chất, diệt lăng quăng tại khu dân cư. " * 6),
    ("s2", "Công văn", "71/SYT-NVY", "Sở Y tế tỉnh Gia Lai", None, "Gia Lai", "2024-05-03", "B",
     [], [], [], "Về việc chống sốt nắng, phòng bệnh dịch mùa hè. "
     + "Phòng chống dịch bệnh trong trường học; dịch bệnh sốt xuất huyết. " * 2),
]


def test_words_side_by_side_in_the_heading_come_first(index_of):
    idx = index_of(HEADING_PAIRS)
    assert found(idx, "phong chong dich benh") == ["s1", "s2"]
    assert found(idx, "dich benh sot xuat") == ["s1", "s2"]


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


# -- the same letter first on both engines (bench/agreement.py) ---------------------------------

# Letters holding the same words in different numbers, lengths and places (heading or text,
# side by side or apart, with or without their diacritics): the engines must weigh each alike.
AGREE = [
    ("g1", "Công văn", "80/SNV-VP", "Sở Nội vụ tỉnh Gia Lai", None, "Gia Lai", "2024-06-01",
     "A", [], [], [], "Về việc gia hạn hợp đồng lao động. Các cơ quan rà soát hợp đồng; "
     "người lao động đứng tên trong hợp đồng được thông báo."),
    ("g2", "Công văn", "81/SNV-VP", "Sở Nội vụ tỉnh Gia Lai", None, "Gia Lai", "2024-06-02",
     "B", [], [], [], "Về việc tuyển dụng công chức năm 2024. "
     + "Các đơn vị ký hợp đồng với người lao động theo quy định, họp bàn và đồng ý. " * 4),
    ("g3", "Báo cáo", "82/BC-SNV", "Sở Nội vụ tỉnh Gia Lai", None, "Gia Lai", "2024-06-03",
     "C", [], [], [], "Tổng kết công tác lao động, việc làm năm 2024. Hợp đồng lao động; "
     "lao động đứng máy; đồng hồ hợp lệ; thu hồi đồng phục. " * 2),
    ("g4", "Công văn", "83/UBND-VX", "Ủy ban nhân dân huyện Đak Đoa", None, "Gia Lai",
     "2024-06-04", "D", [], [], [], "Về việc hop dong lao dong (bản không dấu). Hop dong; "
     "dung ten; lao dong thoi vu."),
    *((f"g{n}", "Thông báo", f"{84 + n}/TB-SNV", "Sở Nội vụ tỉnh Gia Lai", None, "Gia Lai",
       "2024-05-01", "E", [], [], [], f"Kết luận cuộc họp số {n}: các đơn vị đồng ý, thống "
       "nhất; hoạt động kiểm tra; vận động người dân.") for n in range(5, 11)),
]


@pytest.mark.parametrize("query", ["hop dong", "hợp đồng", '"hop dong"', '"hợp đồng lao"',
                                   "lao dong", "đứng", "hop dong lao dong", "dong",
                                   '"lao động"', "hợp đồng đứng tên"])
def test_both_engines_put_the_same_letter_first(tmp_path, query):
    """Whoosh scores with tantivy's BM25 (index.whoosh.scoring): its idf, a phrase weighed by
    its count and the sum of its words' idfs, the accented words counted once (tantivy counted
    them twice among the letters holding every one)."""
    archive, catalog = write_catalog(tmp_path / "archive", AGREE)
    orders = {}
    for engine in ("whoosh", "tantivy"):
        idx = rebuild_index(catalog, archive.index_dir, engine=engine)
        orders[engine] = idx.search(query).hits
    catalog.close()
    whoosh, tantivy = orders["whoosh"], orders["tantivy"]
    assert whoosh, query
    assert [h.id for h in whoosh] == [h.id for h in tantivy]
    # The same scores: tantivy's BM25 with the same lengths (Whoosh's own byte of 4% steps
    # parted 'dong' on g1 and g4).
    assert [h.score for h in whoosh] == pytest.approx([h.score for h in tantivy], rel=1e-5)


# -- numbers misread --------------------------------------------------------------------------

# A scan whose stamped number OCR read wrong: '2388/C04-P6' archived as 2587/C04-P6.
MISREAD_LETTERS = [
    ("m1", "Công văn", "2587/C04-P6", "Cục Cảnh sát điều tra", None, "Hà Nội", "2026-04-10", "A",
     [], [], [], "Số: 2587 /C04-P6. Về việc tham mưu ban hành nghị quyết."),
    ("m2", "Công văn", "9999/C04-P6", "Cục Cảnh sát điều tra", None, "Hà Nội", "2026-04-12", "B",
     [], [], [], "Số: 9999/C04-P6. Về việc khác hẳn."),
    ("m3", "Công văn", "2388/UBND-VX", "Ủy ban nhân dân tỉnh Lâm Đồng", None, "Lâm Đồng",
     "2026-04-11", "C", [], [], [], "Số: 2388/UBND-VX. Về việc khác."),
]


@pytest.mark.parametrize("query", ["2388/c04-p6", "so 2388 c04-p6", "2388/C04-P6"])
def test_a_number_no_letter_holds_finds_a_letter_of_its_symbol_whose_number_was_misread(
        index_of, query):
    idx = index_of(MISREAD_LETTERS)
    results = idx.search(query)
    assert [hit.id for hit in results.hits] == ["m1"]  # not 9999, not another symbol's 2388
    assert results.notice == MISREAD_NOTICE


def test_a_number_a_letter_holds_brings_no_misread_ones(index_of):
    idx = index_of(MISREAD_LETTERS)
    results = idx.search("2587/c04-p6")
    assert [hit.id for hit in results.hits] == ["m1"] and results.notice is None


def test_misread_keys_are_the_symbols_numbers_a_digit_or_two_away():
    values = ["2587/c04-p6", "2388/c04", "2381/c04-p6-x", "9999/c04-p6", "2388/2026/c04-p6",
              "17/ubnd-vx", "71/ubnd-vx", "10/ubnd-vx"]

    def lexicon(_fieldname, prefix):
        return [v for v in values if v.startswith(prefix)]

    assert misread_keys("2388/c04-p6", lexicon) == ["2381/c04-p6-x", "2587/c04-p6"]
    assert misread_keys("2388/2025/c04-p6", lexicon) == []  # another year
    assert misread_keys("12/ubnd", lexicon) == ["10/ubnd-vx", "17/ubnd-vx"]  # one digit only
    assert misread_keys("7/ubnd", lexicon) == []  # one digit typed: too many to guess


# -- an issuer named ------------------------------------------------------------------------------

FILLER = " Các bộ, ngành và địa phương tổ chức thực hiện nghiêm túc nội dung này." * 30
ISSUERS = [
    ("g1", "Nghị định", "15/2024/NĐ-CP", "Chính phủ", None, "Hà Nội", "2024-02-01", "A", [], [],
     [], "Quy định chi tiết biện pháp thi hành Luật Việc làm." + FILLER),
    ("g2", "Quyết định", "20/QĐ-TTg", "Thủ tướng Chính phủ", None, "Hà Nội", "2024-03-01", "B",
     [], [], [], "Biện pháp cấp bách phòng, chống dịch."),
    ("g3", "Công văn", "30/VPCP-KGVX", "Văn phòng Chính phủ", None, "Hà Nội", "2024-04-01", "C",
     [], [], [], "Biện pháp bảo đảm trật tự dịp Tết."),
    ("g4", "Công văn", "40/BLĐTBXH-VL", "Bộ Lao động - Thương binh và Xã hội", None, "Hà Nội",
     "2024-05-01", "D", [], [], [], "Biện pháp thực hiện Nghị định của Chính phủ."),
]


def test_issuers_named_are_the_whole_names_typed_beside_other_words_the_longest_kept():
    names = IssuerNames([(name, "", 1) for name in
                         ("Chính phủ", "Thủ tướng Chính phủ", "UBND tỉnh Gia Lai")])
    assert names.named(["chinh", "phu", "bien", "phap"]) == ["Chính phủ"]
    assert names.named(["thu", "tuong", "chinh", "phu", "bien"]) == ["Thủ tướng Chính phủ"]
    typed = ["uy", "ban", "nhan", "dan", "tinh", "gia", "lai", "khai", "giang"]
    assert names.named(typed) == ["UBND tỉnh Gia Lai"]
    assert names.named(["chinh", "phu"]) == []  # the name alone: nothing beside it to rank
    assert names.named(["phu", "bien", "phap"]) == []


@pytest.mark.parametrize("query", ["chinh phu bien phap", "bien phap chinh phu"])
def test_the_letters_of_the_issuer_named_come_before_those_whose_issuer_holds_the_name(
        index_of, query):
    """Not Thủ tướng Chính phủ's or Văn phòng Chính phủ's, whose short letters weigh the words
    more, nor the ministry's letter that names the issuer in its text."""
    assert found(index_of(ISSUERS), query)[0] == "g1"


def test_an_issuer_named_alone_ranks_its_letters_as_any_words_do(index_of):
    idx = index_of(ISSUERS)
    assert found(idx, "chinh phu")[0] != "g1"
