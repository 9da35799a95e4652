"""The header of an OCR'd scan (issue 11): the number and date columns on one line, handwritten
days and numbers read as junk, OCR's letters for digits, damaged labels and subject markers.
Every letter here is invented for the test; the OCR damage imitates the kinds real scans show.
A field that cannot be read is null (or less precise) with a warning, never a guess."""

from __future__ import annotations

import pytest

from ingest.metadata import extract_metadata

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


def test_digits_that_make_no_date_are_invalid_not_unread() -> None:
    record = scan("Số: 12 /TTr-CAT-PC06 Gia Lai, ngày 40 tháng 9 năm 2025")
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
