"""The header of an OCR'd scan (issue 11): the number and date columns on one line, handwritten
days and numbers read as junk, OCR's letters for digits, damaged labels and subject markers.
Every letter here is invented for the test; the OCR damage imitates the kinds real scans show.
A field that cannot be read is null (or less precise) with a warning, never a guess."""

from __future__ import annotations

import pytest

from ingest.extract.metadata import extract_metadata

# An invented Tờ trình as OCR gives a scan: both header columns on each line.
SCAN = """BỘ CÔNG AN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
CÔNG AN TỈNH GIA LAI Độc lập - Tự do - Hạnh phúc

{number_line}

TỜ TRÌNH
{subject}

Kính gửi: Ủy ban nhân dân tỉnh Gia Lai.

Căn cứ Quyết định số 55/QĐ-UBND ngày 05 tháng 10 năm 2025 của Ủy ban nhân dân tỉnh về việc
kiểm tra phòng cháy, chữa cháy tại các chợ đầu mối, Công an tỉnh kính trình Ủy ban nhân dân
tỉnh xem xét, ban hành Kế hoạch kiểm tra năm 2026.

Nơi nhận:
- Như trên;
- Lưu: VT, PC07.
GIÁM ĐỐC

Đại tá Rơ Châm Hiếu
"""
SUBJECT = "Đề nghị ban hành Kế hoạch kiểm tra phòng cháy tại các chợ đầu mối năm 2026"


def scan(number_line: str, subject: str = SUBJECT) -> dict:
    return extract_metadata(SCAN.format(number_line=number_line, subject=subject))


def test_number_and_date_columns_on_one_line() -> None:
    record = scan("Số: 2X /TTr-CAT-PC06 Gia Lài, ngày9© tháng I0 năm 2025")
    assert record["place"] == "Gia Lai"  # not 'Số: 2X /TTr-CAT-PC06 Gia Lài'
    assert (record["number"], record["symbol"]) == (None, "TTr-CAT-PC06")
    # the handwritten day cannot be read: the month, with a warning, never the 'Căn cứ' date
    assert (record["date"], record["date_precision"]) == ("2025-10", "month")
    assert any("Không đọc được ngày ban hành" in w for w in record["warnings"])
    assert record["doc_type"] == "Tờ trình"
    assert record["subject"] == SUBJECT


@pytest.mark.parametrize(
    "day", ["( ", "‹k# ", " .)- ", " 4 G", ",#$ ", " A0 ", " 9£ ", " 2/ ", "Ú2", " .2.4. "])
def test_a_handwritten_day_read_as_junk_gives_the_month(day: str) -> None:
    record = scan(f"Số: 12 /TTr-CAT-PC06 Gia Lai, ngày{day}tháng 3 năm 2026")
    assert (record["date"], record["date_precision"]) == ("2026-03", "month")
    assert record["place"] == "Gia Lai"
    assert any("Không đọc được ngày ban hành" in w for w in record["warnings"])
    assert record["reference"] == "12/TTr-CAT-PC06"


def test_an_unreadable_month_gives_the_year_only() -> None:
    record = scan("Số: 12 /TTr-CAT-PC06 Gia Lai, ngày ( tháng {Ô năm 2025")
    assert (record["date"], record["date_precision"]) == ("2025", "year")
    assert any("Không đọc được ngày, tháng" in w for w in record["warnings"])


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("ngày 23 tháng l2 năm 2025", "2025-12-23"),
        ("ngày 09 tháng I0 năm 2025", "2025-10-09"),
        ("ngày 06 tháng I1 năm 2025", "2025-11-06"),
        ("ngày2Otháng 8 năm 2025", "2025-08-20"),
        ("ngày 1O tháng 8 năm 2025", "2025-08-10"),
        ("ngày24tháng 10 năm 2025", "2025-10-24"),
    ],
)
def test_letters_for_digits_in_a_date(written: str, date: str) -> None:
    record = scan(f"Số: 12 /TTr-CAT-PC06 Gia Lai, {written}")
    assert (record["date"], record["date_precision"]) == (date, "day")
    assert not any("đọc được ngày" in w for w in record["warnings"])


@pytest.mark.parametrize("day", ["40", "31"])  # 31 September: no such day either
def test_digits_that_make_no_day_are_a_day_not_read(day: str) -> None:
    record = scan(f"Số: 12 /TTr-CAT-PC06 Gia Lai, ngày {day} tháng 9 năm 2025")
    assert (record["date"], record["date_precision"], record["place"]) == (
        "2025-09", "month", "Gia Lai")
    assert any("Không đọc được ngày ban hành" in w for w in record["warnings"])


def test_a_month_that_is_no_month_is_an_invalid_date() -> None:
    record = scan("Số: 12 /TTr-CAT-PC06 Gia Lai, ngày 19 tháng 92 năm 2025")
    assert record["date"] is None and record["place"] == "Gia Lai"
    assert "Ngày ban hành không hợp lệ." in record["warnings"]


@pytest.mark.parametrize(
    "number_line",
    [
        "Số /TTr- CAT-PC04 Gia Lâi, ngày 24 tháng 10 năm 2025",
        "Số 52 -\nCV/HNDT Gia Lái, ngày 24 tháng 10 năm 2025",
        "Số: 16/ĐĐN-LĐBR\nBTh Gia Lai, ngày 24 tháng 10 năm 2025",
        "Só:#Ó6 /KH-TCTLNTW-C04 Gia Lai, ngày 24 tháng 10 năm 2025",
        "Số: 12 /TTr-CAT-PC06 Gia Lai. ngày 24 tháng 10 năm 2025",
    ],
)
def test_the_place_is_the_words_after_the_number(number_line: str) -> None:
    record = scan(number_line)
    assert (record["place"], record["date"]) == ("Gia Lai", "2025-10-24")


@pytest.mark.parametrize("place", ["P. Bình Thuận", "Xã Hòa Bình", "Quận 3", "Thạnh Hòa"])
def test_a_place_that_is_not_a_province_is_kept_as_written(place: str) -> None:
    record = scan(f"Số: 12/TTr-CAT\n{place}, ngày 24 tháng 10 năm 2025")
    assert record["place"] == place


@pytest.mark.parametrize(
    ("number_line", "symbol"),
    [
        ("Só/42đ# /UBND-NC", "UBND-NC"),  # the colon read as '/', the number as junk
        ("Số+2/2/SNNMT-TCCB", "SNNMT-TCCB"),  # '+' for the colon
        ("Số: 9 ếØ/GM-UBND", "GM-UBND"),
        ("Số ÍÄ3-CV/B&PTTH", "CV/B&PTTH"),  # party shape, no colon
        ("Độc lập - Tự do - Hạnh phúc Só:%CAT-PA05", "CAT-PA05"),  # the '/' lost as well
    ],
)
def test_a_handwritten_number_read_as_junk_keeps_the_symbol(number_line: str, symbol: str) -> None:
    record = scan(f"{number_line}\nGia Lai, ngày 24 tháng 10 năm 2025")
    assert (record["number"], record["reference"], record["symbol"]) == (None, None, symbol)
    assert "Không đọc được số văn bản (chỉ đọc được ký hiệu)." in record["warnings"]
    assert (record["place"], record["date"]) == ("Gia Lai", "2025-10-24")


def test_a_number_split_by_ocr_is_one_number() -> None:
    record = scan("Số: 257 1/VNPT-GL-NSTH\nGia Lai, ngày 24 tháng 10 năm 2025")
    assert (record["number"], record["symbol"]) == ("2571", "VNPT-GL-NSTH")


@pytest.mark.parametrize("number_line", ["Số: 12 /UBND-VP", "Số: 12/UBND-VP", "Số 445-KL/TƯ"])
def test_readable_numbers_are_read_as_before(number_line: str) -> None:
    record = scan(f"{number_line}\nGia Lai, ngày 24 tháng 10 năm 2025")
    assert record["number"] in ("12", "445")


NUMBER_AND_DATE = "Số: 12 /TTr-CAT-PC06 Gia Lai, ngày 24 tháng 10 năm 2025"


@pytest.mark.parametrize(
    "marker", ["V/v", "V/", "V/%", "VA'", "Và việc", "Về việc", "(V/v"])
def test_a_damaged_vv_still_introduces_the_subject(marker: str) -> None:
    closing = ")" if marker.startswith("(") else "."
    record = scan(NUMBER_AND_DATE, subject=f"{marker} kiểm tra phòng cháy tại chợ đầu mối{closing}")
    assert record["subject"] == "kiểm tra phòng cháy tại chợ đầu mối"


def test_a_vv_on_the_type_headings_line() -> None:
    text = SCAN.format(number_line=NUMBER_AND_DATE, subject="").replace(
        "TỜ TRÌNH\n", "TÒ TRÌNH và việc đề nghị ban hành Kế hoạch kiểm tra phòng cháy\n")
    record = extract_metadata(text)
    assert record["doc_type"] == "Tờ trình"
    assert record["subject"] == "đề nghị ban hành Kế hoạch kiểm tra phòng cháy"


@pytest.mark.parametrize(
    "heading", ["BÁO CÁO ĐỀ XUẤT", "NGHỊ QUYẾT CỦA HỘI ĐỒNG QUẢN LÝ QUỸ\nBẢO TRỢ TRẺ EM TỈNH"])
def test_a_vv_under_the_heading_is_the_subject_not_the_headings_words(heading: str) -> None:
    text = SCAN.format(number_line=NUMBER_AND_DATE,
                       subject="(V/v Phê duyệt thời gian tổ chức hội nghị sơ kết)").replace(
        "TỜ TRÌNH\n", heading + "\n")
    record = extract_metadata(text)
    assert record["subject"] == "Phê duyệt thời gian tổ chức hội nghị sơ kết"


def test_another_columns_line_glued_into_the_subject_is_left_out() -> None:
    subject = ("Đề nghị ban hành Báo cáo kết quả kiểm tra tháng 10/2025\n"
               "UBND TỈNH GIA LAI và nhiệm vụ thời gian tới")
    record = scan(NUMBER_AND_DATE, subject=subject)
    assert record["subject"] == (
        "Đề nghị ban hành Báo cáo kết quả kiểm tra tháng 10/2025 và nhiệm vụ thời gian tới")


def test_caps_words_of_the_subject_itself_are_kept() -> None:
    subject = "Báo cáo các chỉ số PAR INDEX, PAPI, SIPAS của tỉnh năm 2025"
    assert scan(NUMBER_AND_DATE, subject=subject)["subject"] == subject


APPLICATION = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

ĐƠN ĐỀ NGHỊ
Đổi tên Câu lạc bộ Cờ tướng tỉnh Kon Tum thành Câu lạc bộ Cờ tướng tỉnh Quảng Ngãi

Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi.

Câu lạc bộ Cờ tướng tỉnh Kon Tum kính đề nghị Ủy ban nhân dân tỉnh xem xét, cho phép đổi tên
Câu lạc bộ sau khi sắp xếp đơn vị hành chính.
"""


def test_an_application_is_a_don_with_its_subject_under_the_heading() -> None:
    record = extract_metadata(APPLICATION)
    assert record["doc_type"] == "Đơn"
    assert record["subject"] == (
        "Đổi tên Câu lạc bộ Cờ tướng tỉnh Kon Tum thành Câu lạc bộ Cờ tướng tỉnh Quảng Ngãi")
    assert record["issuer"] is None or "Đơn" not in record["issuer"]


def test_don_vi_is_no_application_heading() -> None:
    record = extract_metadata(APPLICATION.replace("ĐƠN ĐỀ NGHỊ", "ĐƠN VỊ THỰC HIỆN"))
    assert record["doc_type"] != "Đơn"


@pytest.mark.parametrize(
    "number_line",
    ["Số: 9\nÉ/GM-UBND Gia Lai, ngày 24 tháng 10 năm 2025",  # OCR broke the number's line
     "Số: c98⁄4 /GM-UBND\nGia Lai, ngày 24 tháng 10 năm 2025"],  # junk glued before a digit
)
def test_a_handwritten_number_broken_or_glued_is_not_read(number_line: str) -> None:
    record = scan(number_line)
    assert (record["number"], record["symbol"]) == (None, "GM-UBND")
    assert "Không đọc được số văn bản (chỉ đọc được ký hiệu)." in record["warnings"]


def header_of(top: str) -> dict:
    """The scan letter with its first two lines (both header columns) replaced by `top`."""
    body = SCAN.format(number_line=NUMBER_AND_DATE, subject=SUBJECT).split("\n", 2)[2]
    return extract_metadata(top + "\n" + body)


def test_a_certified_copys_stamp_with_a_colon_is_no_issuer_line() -> None:
    record = header_of("SAO Y; CÔNG AN TỈNH GIA LAI; 25/12/2025; 09:27:28: +07:00\n\n"
                       "BỘ CÔNG AN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nCÔNG AN TỈNH GIA LAI\n"
                       "Độc lập - Tự do - Hạnh phúc")
    assert (record["parent_issuer"], record["issuer"]) == ("Bộ Công an", "Công an tỉnh Gia Lai")


def test_the_motto_broken_over_lines_is_no_issuer_line() -> None:
    record = header_of("BỘ CÔNG AN\nCỘNG HÒA XÃ HỘI CHỦ\n_ NGHĨA VIỆT N\nCÔNG AN TỈNH GIA LAI\n"
                       "Độc lập - Tự do - Hạnh phúc")
    assert (record["parent_issuer"], record["issuer"]) == ("Bộ Công an", "Công an tỉnh Gia Lai")


def test_an_issuer_line_the_motto_was_read_into() -> None:
    record = header_of("UBND TỈNH GIA LAI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\n"
                       "HỘI CỜ TƯỚNG Độc lập — Tự do —- Hạnh phúc")
    assert record["parent_issuer"] == "Ủy ban nhân dân tỉnh Gia Lai"
    assert record["issuer"] == "Hội Cờ tướng tỉnh Gia Lai"


SIGNED = """
Quảng Ngãi, ngày 30 tháng 6 năm 2025
TM. BAN CHỦ NHIỆM
CHỦ NHIỆM

Trần Văn Bình
"""


def test_an_applications_date_line_stands_above_its_signature() -> None:
    record = extract_metadata(APPLICATION + SIGNED)
    assert (record["date"], record["date_precision"], record["place"]) == (
        "2025-06-30", "day", "Quảng Ngãi")
    assert "Không tìm thấy ngày ban hành." not in record["warnings"]


def test_a_certificate_is_a_giay_xac_nhan_dated_above_its_signature() -> None:
    text = APPLICATION.replace("ĐƠN ĐỀ NGHỊ", "GIẦY XÁC NHẬN") + SIGNED.replace(
        "\nQuảng Ngãi,", "\nNơi nhận:\nQuảng Ngãi,")
    record = extract_metadata(text)
    assert record["doc_type"] == "Giấy xác nhận"
    assert (record["date"], record["place"]) == ("2025-06-30", "Quảng Ngãi")


def test_no_date_from_the_body_or_from_the_foot_of_a_numbered_letter() -> None:
    body_date = APPLICATION.replace(
        "hành chính.", "hành chính theo Nghị quyết số 12/NQ-HĐND ngày 05 tháng 3 năm 2025.")
    assert extract_metadata(body_date + SIGNED.replace("Quảng Ngãi, ngày 30 tháng 6 năm 2025",
                                                       ""))["date"] is None
    # a letter with a number whose header date OCR lost: the foot's date is not taken for it
    numbered = SCAN.format(number_line="Số: 12 /TTr-CAT-PC06", subject=SUBJECT) + SIGNED
    record = extract_metadata(numbered)
    assert record["date"] is None and "Không tìm thấy ngày ban hành." in record["warnings"]


@pytest.mark.parametrize(
    ("top", "parent", "issuer"),
    [
        ("UBND TỈNH GIA LAI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHIỆP HỘI DOANH NGHIỆP\n"
         "Độc lập - Tự do - Hạnh phúc",
         "Ủy ban nhân dân tỉnh Gia Lai", "Hiệp hội Doanh nghiệp tỉnh Gia Lai"),
        ("UBND TỈNH GIA LAI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nLIÊN ĐOÀN BÓNG BÀN\n"
         "Độc lập - Tự do - Hạnh phúc",
         "Ủy ban nhân dân tỉnh Gia Lai", "Liên đoàn Bóng bàn tỉnh Gia Lai"),
        # a collective organ under its body; 'VIỆTNAM' glued by OCR
        ("LIÊN ĐOÀN KIẾN TRÚC SƯ VIỆTNAM\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nBAN THƯỜNG VỤ\n"
         "Độc lập - Tự do - Hạnh phúc",
         "Liên đoàn Kiến trúc sư Việt Nam", "Ban Thường vụ Liên đoàn Kiến trúc sư Việt Nam"),
        # one name wrapped before its province; a body named with its province keeps it alone
        ("HIỆP HỘI CÀ PHÊ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nGIA LAI\n"
         "Độc lập - Tự do - Hạnh phúc", None, "Hiệp hội Cà phê Gia Lai"),
        ("UBND TỈNH GIA LAI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nLIÊN ĐOÀN CỜ VUA KON TUM\n"
         "Độc lập - Tự do - Hạnh phúc", "Ủy ban nhân dân tỉnh Gia Lai", "Liên đoàn Cờ vua Kon Tum"),
        ("UBND TỈNH GIA LAI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
         "HỘI ĐỒNG QUẢN LÝ QUỸ HỖ TRỢ NÔNG DÂN\nĐộc lập - Tự do - Hạnh phúc",
         "Ủy ban nhân dân tỉnh Gia Lai", "Hội đồng quản lý Quỹ Hỗ trợ nông dân tỉnh Gia Lai"),
        # OCR dropped the spaces after a locality's or a party committee's word
        ("UBND TỈNHGIA LAI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ NỘI VỤ\n"
         "Độc lập - Tự do - Hạnh phúc", "Ủy ban nhân dân tỉnh Gia Lai", "Sở Nội vụ tỉnh Gia Lai"),
        ("TỈNHỦYGIA LAI\nĐẢNG CỘNG SẢN VIỆT NAM\nBAN TUYÊN GIÁO\n",
         "Tỉnh ủy Gia Lai", "Ban Tuyên giáo Tỉnh ủy Gia Lai"),
    ],
)
def test_names_of_associations_and_their_organs(top: str, parent: str | None, issuer: str) -> None:
    record = header_of(top)
    assert (record["parent_issuer"], record["issuer"]) == (parent, issuer)


def test_a_heading_after_a_stamps_digits_and_no_issuer_from_under_it() -> None:
    text = APPLICATION.replace("ĐƠN ĐỀ NGHỊ\n", "M3I ¬\n0464/96 —_ ĐƠN ĐỀ NGHỊ |\n").replace(
        "Đổi tên Câu lạc bộ", "CÔNG NHẬN BAN VẬN ĐỘNG THÀNH LẬP\nCÂU LẠC BỘ CỜ TƯỚNG\n\nĐổi tên"
        " Câu lạc bộ", 1)
    record = extract_metadata(text)
    assert record["doc_type"] == "Đơn"
    assert record["issuer"] is None  # never the heading's lines, nor a stamp's marks


# The same invented letter as OCR gives it once the columns come apart (ocr.py splits a line
# at its wide gap): the issuer column, then the motto column, each on lines of its own.
SPLIT = """BỘ CÔNG AN
CÔNG AN TỈNH GIA LAI
{number_line}
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Gia Lai, ngày 14 tháng 3 năm 2026
TỜ TRÌNH
{subject}

Kính gửi: Ủy ban nhân dân tỉnh Gia Lai.

Công an tỉnh kính trình Ủy ban nhân dân tỉnh xem xét, ban hành Kế hoạch kiểm tra năm 2026.
"""


@pytest.mark.parametrize(
    ("number_line", "number", "symbol"),
    [("Số: 12 /TTr-CAT-PC07", "12", "TTr-CAT-PC07"),
     ("Số: Z⁄⁄ /TTr-CAT(PC07)", None, "TTr-CAT(PC07)"),
     ("Số: c98⁄4 /TTr-CAT-PC07", None, "TTr-CAT-PC07"),
     ("$ố:4140 /CAT-PC07", "4140", "CAT-PC07"),
     ("Só:%CAT-PC07", None, "CAT-PC07")],
)
def test_a_number_line_on_its_own_line_anchors_the_header(
    number_line: str, number: str | None, symbol: str
) -> None:
    """A handwritten number read as junk, or '$' for 'S', still marks the number line: the
    issuer above it is the letter's, not lost above a header said to start at the motto."""
    record = extract_metadata(SPLIT.format(number_line=number_line, subject=SUBJECT))
    assert (record["number"], record["symbol"]) == (number, symbol)
    assert record["issuer"] == "Công an tỉnh Gia Lai"
    assert record["parent_issuer"] == "Bộ Công an"
    assert record["date"] == "2026-03-14"


def test_a_caps_subject_keeps_the_names_of_organs_and_associations() -> None:
    text = SCAN.format(number_line=NUMBER_AND_DATE, subject="").replace(
        "TỜ TRÌNH\n", "BÁO CÁO HOẠT ĐỘNG CỦA BAN CHẤP HÀNH HIỆP HỘI CÀ PHÊ TỈNH GIA LAI\n")
    assert extract_metadata(text)["subject"] == (
        "Hoạt động của Ban Chấp hành Hiệp hội Cà phê tỉnh Gia Lai")


@pytest.mark.parametrize(
    "subject", ["Ol[ 2 J.Q#6 Phối hợp kiểm tra chợ đầu mối năm 2026",
                "Phối hợp kiểm tra chợ đầu mối năm 2026 s* 4304..."])
def test_a_stamps_marks_at_the_ends_of_a_subject_are_left_out(subject: str) -> None:
    record = scan(NUMBER_AND_DATE, subject=subject)
    assert record["subject"] == "Phối hợp kiểm tra chợ đầu mối năm 2026"


def test_brackets_inside_a_subject_are_kept() -> None:
    subject = "Kiểm tra [mẫu] hồ sơ phòng cháy năm 2026"
    assert scan(NUMBER_AND_DATE, subject=subject)["subject"] == subject


def test_a_stamps_marks_between_the_issuer_and_the_motto_are_passed_over() -> None:
    record = header_of("HỘI CỜ TƯỚNG\nTỈNH GIA LAI\n._ :§0z40/H1CCV : p2 05/3/22Z\n—»..\n"
                       "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
    assert record["issuer"] == "Hội Cờ tướng tỉnh Gia Lai"


def test_a_web_pages_posting_date_still_ends_what_is_before_the_letter() -> None:
    record = header_of("TRANG CHỦ\n12/05/2026\nBỘ CÔNG AN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                       "CÔNG AN TỈNH GIA LAI\nĐộc lập - Tự do - Hạnh phúc")
    assert (record["parent_issuer"], record["issuer"]) == ("Bộ Công an", "Công an tỉnh Gia Lai")
