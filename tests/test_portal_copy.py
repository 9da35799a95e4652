"""Letters as staff copy them from web portals (issue 11): the header's cells flattened, the
number glued to 'V/v', lists and the signing block joined on one line, the site around the
letter. Each letter here is written for the test."""

from __future__ import annotations

from typing import Any

from bench.portal import VARIANTS
from ingest.extract.metadata import extract_metadata

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
