"""The 'ĐẾN' arrival stamp read at ingest as the register's proposal (invented letters)."""

from __future__ import annotations

import pytest

from ingest.extract.layout import text_lines
from ingest.extract.metadata import extract_record
from ingest.extract.received_stamp import find_arrival_stamp
from ingest.model import ArrivalStamp, LetterMetadata

LETTER = """ỦY BAN NHÂN DÂN TỈNH LAI CHÂU
SỞ NỘI VỤ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
{stamp}
Số: 215/SNV-VP
Lai Châu, ngày 05 tháng 3 năm 2025
V/v báo cáo công tác văn thư quý I

Kính gửi: Ủy ban nhân dân các huyện

Sở Nội vụ đề nghị các huyện báo cáo công tác văn thư quý I trước ngày 20/3/2025.

Nơi nhận:
- Như trên;
- Lưu: VT, VP.
GIÁM ĐỐC
Lò Văn Tính
"""


def stamp_of(text: str) -> dict | None:
    return find_arrival_stamp(text_lines(text))


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("ĐẾN Số: 4412\nNgày: 12/3/2025\nChuyển: Phòng Tổng hợp",
         {"number": "4412", "date": "2025-03-12", "unit": "Phòng Tổng hợp"}),
        ("CÔNG VĂN ĐẾN\nSố: 0087\nNgày: 07/03/25\nChuyển: ........",
         {"number": "87", "date": "2025-03-07", "unit": None}),
        # as OCR reads a stamp stamped askew: marks lost, 'Số' read '$ố', a colon as ';'
        ("DEN S6; 1203 Ngay: 9/4/2025\nChuyên: đ/c Hà - Văn phòng",
         {"number": "1203", "date": "2025-04-09", "unit": "đ/c Hà - Văn phòng"}),
        ("ĐẾN $ố: 55 Ký hiệu HS: ĐƠN ĐỀ NGHỊ", {"number": "55", "date": None, "unit": None}),
        # the heading's colon read as ';', the unit's line run into the motto's
        ("ĐẾN; Ngày 13/03/2025.\nChuyển: Phòng Nội vụ_. CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
         {"number": None, "date": "2025-03-13", "unit": "Phòng Nội vụ"}),
        ("ĐẾN Ngày: 13/03/2025", {"number": None, "date": "2025-03-13", "unit": None}),
        # the number left unwritten: the date alone is still a proposal
        ("ĐẾN\nSố: ......\nNgày: 3/2/2026", {"number": None, "date": "2026-02-03", "unit": None}),
    ],
)
def test_the_stamp_gives_arrival_number_date_and_unit(stamp: str, expected: dict) -> None:
    assert stamp_of(LETTER.format(stamp=stamp)) == expected


@pytest.mark.parametrize(
    "text",
    [
        LETTER.format(stamp=""),
        # prose that opens a line with 'đến Sở …' is not a stamp
        LETTER.format(stamp="Báo cáo gửi về\nđến Sở Nội vụ số 5 trước ngày 20/3/2025"),
        LETTER.format(stamp="Thời gian từ ngày 01/3/2025\nđến ngày 30/3/2025 tại trụ sở"),
        # a stamp nothing could be read from, and an impossible date
        LETTER.format(stamp="ĐẾN\nSố: ___\nNgày: 31/2/2025"),
        # a ticket's 'Đến: Hà Nội' has no number nor date label
        "Khởi hành: Đà Nẵng\nĐến: Hà Nội (HAN)\nTổng cộng: 1.000.000 đồng\n",
    ],
)
def test_no_stamp_no_proposal(text: str) -> None:
    assert stamp_of(text) is None


def test_the_letter_keeps_its_own_number_and_date_beside_the_stamp() -> None:
    meta = extract_record(LETTER.format(stamp="ĐẾN Số: 4412\nNgày: 12/3/2025\nChuyển: Văn phòng"))
    assert meta.arrival_stamp == ArrivalStamp("4412", "2025-03-12", "Văn phòng")
    assert (meta.reference, meta.date) == ("215/SNV-VP", "2025-03-05")
    assert LetterMetadata.from_dict(meta.to_dict()) == meta


@pytest.mark.parametrize("stamp", [
    "ĐẾN Số: 4412\nNgày: 12/3/2025\nChuyển: Văn phòng\n",  # cleaning joins it on one line
    "ĐẾN Số: 4412 Ngày: 12/3/2025 Chuyển: Văn phòng\n",
])
def test_the_letters_number_under_a_stamp_with_its_own_number_is_the_letters(stamp: str) -> None:
    """A stamp that holds its number on its 'ĐẾN' line: the 'Số:' line under it is the
    letter's own (it was taken for the stamp's, and the letter had no number)."""
    meta = extract_record(LETTER.format(stamp=f"\n{stamp}"))
    assert (meta.reference, meta.arrival_stamp) == (
        "215/SNV-VP", ArrivalStamp("4412", "2025-03-12", "Văn phòng"))


def test_a_letter_without_a_stamp_publishes_no_stamp_key() -> None:
    meta = extract_record(LETTER.format(stamp=""))
    assert meta.arrival_stamp is None
    assert "arrival_stamp" not in meta.to_dict()
