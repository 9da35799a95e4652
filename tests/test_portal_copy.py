"""Letters as staff copy them from web portals (issue 11): the header's cells flattened, the
number glued to 'V/v', lists and the signing block joined on one line, the site around the
letter. Each letter here is written for the test."""

from __future__ import annotations

from typing import Any

import pytest

from bench.portal import VARIANTS
from ingest.extract.metadata import extract_metadata
from tests.test_header_layouts import LAW

LETTER = """ỦY BAN NHÂN DÂN TỈNH HÀ GIANG
SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 217/SNNMT-CCTY
V/v phòng, chống bệnh dịch tả lợn châu Phi
trên địa bàn tỉnh

Hà Giang, ngày 14 tháng 3 năm 2025

Kính gửi:
- Ủy ban nhân dân các huyện, thành phố;
- Chi cục Chăn nuôi - Thú y tỉnh;
- Trung tâm Khuyến nông tỉnh.

Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Sở Nông nghiệp và Môi trường đề nghị các đơn vị
tăng cường kiểm soát vận chuyển lợn, sản phẩm từ lợn ra, vào địa bàn.

Nơi nhận:
- Như trên;
- Lưu: VT, CCTY.

KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC

(Đã ký)

Hoàng Thị Mai Lan
"""
WANT = {
    "reference": "217/SNNMT-CCTY", "issuer": "Sở Nông nghiệp và Môi trường tỉnh Hà Giang",
    "date": "2025-03-14", "place": "Hà Giang",
    "subject": "phòng, chống bệnh dịch tả lợn châu Phi trên địa bàn tỉnh",
    "recipients": ["Ủy ban nhân dân các huyện, thành phố", "Chi cục Chăn nuôi - Thú y tỉnh",
                   "Trung tâm Khuyến nông tỉnh"],
    "signer": {"name": "Hoàng Thị Mai Lan", "title": "Phó Giám đốc", "authority": "KT.",
               "on_behalf_of": "Giám đốc"},
}
TRUTH = {"signer": {"name": "Hoàng Thị Mai Lan"}}


def _fields(text: str) -> dict[str, Any]:
    record = extract_metadata(text)
    signer = record["signer"] or {}
    return {**{name: record[name] for name in WANT if name != "signer"},
            "signer": {key: signer.get(key) for key in WANT["signer"]}}


def test_the_plain_letter_reads_whole() -> None:
    assert _fields(LETTER) == WANT


def test_number_glued_to_vv() -> None:
    text = VARIANTS["vv_glued"](LETTER, TRUTH)
    assert "CCTYV/v phòng" in text
    assert _fields(text) == WANT


def test_symbol_ending_in_digits_glued_to_vv() -> None:
    text = LETTER.replace("217/SNNMT-CCTY\nV/v", "217/CAT-PC08V/v").replace("VT, CCTY", "VT")
    fields = extract_metadata(text)
    assert (fields["reference"], fields["subject"]) == (
        "217/CAT-PC08", "phòng, chống bệnh dịch tả lợn châu Phi trên địa bàn tỉnh")


def test_vv_glued_to_the_year_of_a_number_and_date_line() -> None:
    text = LETTER.replace("Số: 217/SNNMT-CCTY\nV/v", "Số: 217/SNNMT-CCTY Hà Giang, ngày 14 "
                          "tháng 3 năm 2025V/v").replace("\nHà Giang, ngày 14 tháng 3 năm 2025\n",
                                                         "\n")
    assert _fields(text) == WANT


def test_subject_run_into_the_date_cell() -> None:
    """'… trên địa bàn tỉnh Hà Giang, ngày …': the place is the province the words end with."""
    text = LETTER.replace("V/v phòng, chống bệnh dịch tả lợn châu Phi\ntrên địa bàn tỉnh\n\n"
                          "Hà Giang, ngày", "V/v phòng, chống bệnh dịch tả lợn châu Phi trên "
                          "địa bàn tỉnh Hà Giang, ngày")
    assert _fields(text) == WANT
    covid = text.replace("lợn châu Phi trên địa bàn tỉnh", "COVID-19")
    assert extract_metadata(covid)["subject"] == "phòng, chống bệnh dịch tả COVID-19"


def test_header_rows_flattened_on_one_line() -> None:
    assert _fields(VARIANTS["header_one_line"](LETTER, TRUTH)) == WANT
    assert _fields(VARIANTS["header_interleaved"](LETTER, TRUTH)) == WANT


def test_recipients_listed_on_the_kinh_gui_line() -> None:
    text = VARIANTS["recipients_joined"](LETTER, TRUTH)
    assert "Kính gửi: - Ủy ban nhân dân các huyện, thành phố; - Chi cục" in text
    assert _fields(text) == WANT


def test_signing_block_on_one_line() -> None:
    text = VARIANTS["signing_joined"](LETTER, TRUTH)
    assert "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC (Đã ký) Hoàng Thị Mai Lan" in text
    assert _fields(text) == WANT


def test_nested_signing_chain_on_one_line() -> None:
    text = LETTER.replace("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\n(Đã ký)\n\nHoàng Thị Mai Lan",
                          "TL. CHỦ TỊCH KT. CHÁNH VĂN PHÒNG PHÓ CHÁNH VĂN PHÒNG Hoàng Thị Mai Lan")
    signer = extract_metadata(text)["signer"]
    assert (signer["name"], signer["title"], signer["authority"], signer["own_authority"],
            signer["on_behalf_of"]) == (
        "Hoàng Thị Mai Lan", "Phó Chánh Văn phòng", "TL.", "KT.", "Chủ tịch")
    text = LETTER.replace("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\n(Đã ký)\n\nHoàng Thị Mai Lan",
                          "KT. BỘ TRƯỞNG THỨ TRƯỞNG Hoàng Thị Mai Lan")
    signer = extract_metadata(text)["signer"]
    assert (signer["name"], signer["title"], signer["on_behalf_of"]) == (
        "Hoàng Thị Mai Lan", "Thứ trưởng", "Bộ trưởng")


def test_site_around_a_double_spaced_letter() -> None:
    """The site's footer after the signer's name is never read into the name, even in a letter
    whose every line is followed by a blank line (lines are joined across them)."""
    prose = ("Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Sở Nông nghiệp và Môi trường đề nghị "
             "các đơn vị tăng cường kiểm soát vận chuyển lợn, sản phẩm từ lợn ra, vào địa bàn; "
             "kiểm tra các cơ sở giết mổ, chợ đầu mối và xử lý nghiêm các trường hợp vi phạm theo "
             "quy định; báo cáo kết quả về Sở trước ngày 30 tháng 3 năm 2025 để tổng hợp trình Ủy "
             "ban nhân dân tỉnh; phối hợp với các cơ quan liên quan tuyên truyền cho người chăn "
             "nuôi biết và chủ động thực hiện các biện pháp phòng bệnh.")
    words = prose.split()
    body = "\n".join(" ".join(words[i: i + 6]) for i in range(0, len(words), 6))
    letter = LETTER.replace(LETTER[LETTER.index("Thực hiện"): LETTER.index("\n\nNơi nhận")], body)
    lines = [line for line in letter.splitlines() if line.strip()]
    spaced = "\n\n".join([*lines, "Tệp đính kèm: van-ban.pdf (Tải về)"])
    assert _fields(spaced) == WANT


def test_the_whole_portal_copy() -> None:
    text = VARIANTS["portal_copy"](LETTER, TRUTH)
    assert "Ngày đăng" in text and "\n\n" not in text
    assert _fields(text) == WANT


def test_variants_are_deterministic_and_each_changes_the_letter() -> None:
    for name, variant in VARIANTS.items():
        assert variant(LETTER, TRUTH) == variant(LETTER, TRUTH)
        assert (variant(LETTER, TRUTH) == LETTER) == (name == "plain"), name


def test_a_body_in_capitals_on_the_prefix_line_is_not_cut_as_a_name() -> None:
    """'TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI': 'VỤ QUỐC HỘI' starts like a surname (Vũ) but is the
    body's name, not the signer's."""
    text = LETTER.replace("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\n(Đã ký)\n\nHoàng Thị Mai Lan",
                          "TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI\nCHỦ TỊCH\n\nHoàng Thị Mai Lan")
    signer = extract_metadata(text)["signer"]
    assert (signer["name"], signer["title"], signer["on_behalf_of"]) == (
        "Hoàng Thị Mai Lan", "Chủ tịch", "Ủy ban Thường vụ Quốc hội")


def test_capitals_as_typed_in_the_pages_source() -> None:
    """A page's style sheet draws the header, the heading and the signing block in capitals;
    the copied text has them as typed: in title case, or in sentence case."""
    text = VARIANTS["as_typed"](LETTER, TRUTH)
    assert "Ủy Ban Nhân Dân Tỉnh Hà Giang\nSở Nông Nghiệp Và Môi Trường" in text
    assert "KT. Giám Đốc\nPhó Giám Đốc" in text
    assert _fields(text) == WANT
    typed = (LETTER.replace("ỦY BAN NHÂN DÂN TỈNH HÀ GIANG\nSỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
                            "Ủy ban nhân dân tỉnh Hà Giang\nSở Nông nghiệp và Môi trường")
             .replace("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "KT. Giám đốc\nPhó Giám đốc"))
    assert _fields(typed) == WANT


def test_a_type_heading_as_typed_has_its_subject_under_it() -> None:
    plan = LETTER.replace("217/SNNMT-CCTY\nV/v phòng, chống bệnh dịch tả lợn châu Phi\ntrên địa "
                          "bàn tỉnh\n\nHà Giang, ngày 14 tháng 3 năm 2025\n",
                          "217/KH-SNNMT\n\nHà Giang, ngày 14 tháng 3 năm 2025\n\n{heading}\n"
                          "Phòng, chống bệnh dịch tả lợn châu Phi năm 2025\n")
    for heading in ("Kế Hoạch", "Kế hoạch"):
        record = extract_metadata(plan.format(heading=heading))
        assert (record["doc_type"], record["subject"]) == (
            "Kế hoạch", "Phòng, chống bệnh dịch tả lợn châu Phi năm 2025"), heading


@pytest.mark.parametrize(("block", "signer"), [
    ("TM. Ủy Ban Nhân Dân KT. Chủ Tịch Phó Chủ Tịch Thường Trực Đoàn Văn Hải",
     ("Đoàn Văn Hải", "Phó Chủ tịch Thường trực", "TM.", "Ủy ban nhân dân")),
    ("TL. Bộ Trưởng Vụ Trưởng Vụ Ngân Sách Nhà Nước Trần Thị Thu Hà",
     ("Trần Thị Thu Hà", "Vụ trưởng Vụ Ngân sách nhà nước", "TL.", "Bộ trưởng")),
    ("KT. Giám Đốc Phó Giám Đốc Đại tá Lò Văn Phương",
     ("Lò Văn Phương", "Phó Giám đốc", "KT.", "Giám đốc")),
    ("Chủ Tịch Hồ Quốc Trung", ("Hồ Quốc Trung", "Chủ tịch", None, None)),
    ("TM. Ủy Ban Nhân Dân Chủ Tịch K' Điểu", ("K' Điểu", "Chủ tịch", "TM.", "Ủy ban nhân dân")),
])
def test_a_signing_block_typed_in_title_case_and_joined(
        block: str, signer: tuple[str | None, ...]) -> None:
    text = LETTER.replace("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\n(Đã ký)\n\nHoàng Thị Mai Lan", block)
    found = extract_metadata(text + "Tệp đính kèm: van-ban.pdf (Tải về)\n")["signer"]
    assert (found["name"], found["title"], found["authority"], found["on_behalf_of"]) == signer


def test_a_post_and_its_body_typed_on_one_line_are_no_name() -> None:
    text = LETTER.replace("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
                          "TL. Bộ trưởng\nCục Trưởng Cục Thú Y")
    signer = extract_metadata(text)["signer"]
    assert (signer["name"], signer["authority"]) == ("Hoàng Thị Mai Lan", "TL.")


def test_the_republic_named_in_a_wrapped_sentence_is_no_motto_line() -> None:
    """Header lines as typed never join a motto line; the Republic's name wrapped inside the
    closing sentence of a law is not one, and the sentence stays whole (its date is the law's)."""
    record = extract_metadata(LAW + (
        "Điều 2. Hiệu lực thi hành\nLuật này có hiệu lực từ ngày 01 tháng 7 năm 2026.\n\n"
        "Luật này được Quốc hội nước\nCộng hòa xã hội chủ\nnghĩa Việt Nam khóa XV, kỳ họp thứ 10"
        " thông qua ngày 10 tháng 12 năm 2025.\n\nCHỦ TỊCH QUỐC HỘI\n\nHoàng Minh Sơn\n"))
    assert record["date"] == "2025-12-10"


PORTAL_RECORD = """Trang chủ » Văn bản » Văn bản chỉ đạo điều hành
Số ký hiệu: 217/SNNMT-CCTY
Ngày ban hành: 14/03/2025
Ngày có hiệu lực: 14/03/2025
Loại văn bản: Công văn
Cơ quan ban hành: Sở Nông nghiệp và Môi trường tỉnh Hà Giang
Người ký: Hoàng Thị Mai Lan
Trích yếu: Về việc phòng, chống bệnh dịch tả lợn châu Phi trên địa bàn tỉnh
Lĩnh vực: Nông nghiệp
Kính gửi:
- Ủy ban nhân dân các huyện, thành phố;
- Trung tâm Khuyến nông tỉnh.
Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Sở Nông nghiệp và Môi trường đề nghị các đơn vị
tăng cường kiểm soát vận chuyển lợn, sản phẩm từ lợn ra, vào địa bàn./.
Tệp đính kèm: 217-snnmt.pdf (Tải về)
"""


def test_a_portals_record_gives_what_the_copied_text_leaves_out() -> None:
    """Copied from a page that shows the letter's header only as its record of the letter:
    'Số ký hiệu:', 'Ngày ban hành:', 'Cơ quan ban hành:', 'Người ký:', 'Trích yếu:'."""
    record = extract_metadata(PORTAL_RECORD)
    assert (record["reference"], record["date"], record["doc_type"], record["issuer"],
            record["subject"], record["signer"]["name"]) == (
        "217/SNNMT-CCTY", "2025-03-14", "Công văn", "Sở Nông nghiệp và Môi trường tỉnh Hà Giang",
        "phòng, chống bệnh dịch tả lợn châu Phi trên địa bàn tỉnh", "Hoàng Thị Mai Lan")
    assert any("trang web" in warning for warning in record["warnings"])
    assert extract_metadata(VARIANTS["portal_record"](LETTER, {**WANT, "doc_type": "Công văn"}))[
        "reference"] == "217/SNNMT-CCTY"


def test_the_letters_own_header_wins_over_the_portals_record() -> None:
    text = PORTAL_RECORD.replace("Số ký hiệu: 217/SNNMT-CCTY", "Số ký hiệu: 999/SNNMT-CCTY")
    record = extract_metadata(text.replace("Kính gửi:", LETTER[: LETTER.index("Kính gửi:")]
                                           + "Kính gửi:"))
    assert (record["reference"], record["subject"]) == (
        "217/SNNMT-CCTY", "phòng, chống bệnh dịch tả lợn châu Phi trên địa bàn tỉnh")


def test_one_labelled_line_alone_is_no_portal_record() -> None:
    text = LETTER.replace("Thực hiện chỉ đạo", "Người ký: Hoàng Thị Mai Lan\nThực hiện chỉ đạo")
    assert _fields(text) == WANT


DECREE = """CHÍNH PHỦ

Số: 88/2026/NĐ-CP
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Nội, ngày 02 tháng 4 năm 2026

NGHỊ ĐỊNH
Quy định về quản lý vườn ươm giống cây dược liệu

Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15;
Chính phủ ban hành Nghị định quy định về quản lý vườn ươm giống cây dược liệu.
Điều 1. Nghị định này có hiệu lực từ ngày 01 tháng 6 năm 2026.
Điều 2. Các Bộ trưởng, Chủ tịch Ủy ban nhân dân các tỉnh chịu trách nhiệm thi hành Nghị định
này./.

{block}
"""


@pytest.mark.parametrize("block", [
    "TM. CHÍNH PHỦ KT. THỦ TƯỚNG PHÓ THỦ TƯỚNG [daky] Trần Văn Hòa",
    "TM. Chính phủ\nKT. Thủ tướng\nPhó Thủ tướng [daky]\n\nTrần Văn Hòa",
])
def test_a_decrees_block_joined_or_typed_without_a_distribution_list(block: str) -> None:
    """A gazette decree has no 'Nơi nhận': its block is found by its prefix line, also when the
    block is joined on one line or typed; the gazette's '[daky]' mark is no part of the title."""
    signer = extract_metadata(DECREE.format(block=block))["signer"]
    assert (signer["name"], signer["title"], signer["authority"], signer["on_behalf_of"]) == (
        "Trần Văn Hòa", "Phó Thủ tướng", "TM.", "Chính phủ")
