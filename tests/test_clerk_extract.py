"""What the extractor keeps for a clerk's eyes: a symbol whose number was left blank, the whole
signing block, task texts with restored diacritics beside what was read. The letters are written
for these tests (invented names), except the Đồng Tháp seed."""

from __future__ import annotations

import pytest

from ingest.extract.metadata import extract_metadata
from ingest.folding import few_diacritics, fold
from webui.formatting import signing_block

from .conftest import SEEDS

LETTER = """ỦY BAN NHÂN DÂN XÃ SƯƠNG MAI THƯỢNG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: {number}
Sương Mai Thượng, ngày   tháng 3 năm 2025
V/v kiểm tra đường làng

Kính gửi: Các thôn trong xã.

Ủy ban nhân dân xã đề nghị các thôn kiểm tra đường làng trước mùa mưa.

Nơi nhận:
- Như trên;
- Lưu: VT.

{block}

Trần Văn Bính
"""


def letter(number: str = "12/UBND-VP", block: str = "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH") -> str:
    return LETTER.format(number=number, block=block)


@pytest.mark.parametrize(
    ("written", "symbol"),
    [
        ("      /UBND-VP", "UBND-VP"),
        ("....../UBND-VP", "UBND-VP"),
        ("……/UBND-VP", "UBND-VP"),
        ("_____/UBND-VP", "UBND-VP"),
        ("     /2025/QĐ-UBND", "QĐ-UBND"),  # Decree 30: the year is not part of the symbol
        ("     -CV/ĐU", "CV/ĐU"),
    ],
)
def test_a_number_left_blank_keeps_its_symbol(written: str, symbol: str) -> None:
    record = extract_metadata(letter(number=written))
    assert (record["number"], record["reference"], record["key"]) == (None, None, None)
    assert record["symbol"] == symbol
    assert any("để trống" in warning for warning in record["warnings"])


@pytest.mark.parametrize(
    ("block", "lines", "shown"),
    [
        ("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", ["TM. Ủy ban nhân dân"],
         "TM. Ủy ban nhân dân / Chủ tịch"),
        ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", ["TM. Ủy ban nhân dân", "KT. Chủ tịch"],
         "TM. Ủy ban nhân dân / KT. Chủ tịch / Phó Chủ tịch"),
        ("TL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG", ["TL. Chủ tịch"], "TL. Chủ tịch / Chánh Văn phòng"),
        ("Q. CHỦ TỊCH", ["Q. Chủ tịch"], "Q. Chủ tịch"),
        ("CHỦ TỊCH", [], "Chủ tịch"),
    ],
)
def test_the_signing_block_is_kept_as_the_letter_has_it(
    block: str, lines: list[str], shown: str
) -> None:
    signer = extract_metadata(letter(block=block))["signer"]
    assert signer["authority_lines"] == lines
    assert signer["name"] == "Trần Văn Bính"
    assert signing_block(signer) == shown


UNACCENTED = """UY BAN NHAN DAN XA SUONG MAI THUONG
CONG HOA XA HOI CHU NGHIA VIET NAM
Doc lap - Tu do - Hanh phuc

So: 15/UBND-VP
Suong Mai Thuong, ngay 12 thang 3 nam 2025
V/v sua chua cau cong truoc mua mua

Kinh gui: Cac thon trong xa.

Uy ban nhan dan xa de nghi:

1. Cong chuc dia chinh xa phoi hop voi cac thon sua chua cau cong.
2. Giao vien cac truong hoc nhac nho hoc sinh di lai an toan.

Noi nhan:
- Nhu tren;
- Luu: VT.

TM. UY BAN NHAN DAN
CHU TICH

Tran Van Binh
"""


def test_tasks_read_without_diacritics_are_restored_and_keep_what_was_read() -> None:
    record = extract_metadata(UNACCENTED)
    assert "Cong chuc dia chinh xa phoi hop voi cac thon" in record["text_as_read"]
    first, second = record["tasks"]
    assert first["text_as_read"] == (
        "Cong chuc dia chinh xa phoi hop voi cac thon sua chua cau cong.")
    assert second["text_as_read"] == "Giao vien cac truong hoc nhac nho hoc sinh di lai an toan."
    for task in (first, second):
        assert fold(task["text"]) == fold(task["text_as_read"])
        assert not few_diacritics(task["text"]), task["text"]
        assert "_start" not in task  # the offset used while extracting is not stored
    assert first["assignees"] == ["Công chức địa chính xã"]


def test_the_dong_thap_letters_tasks_read_as_vietnamese() -> None:
    record = extract_metadata(SEEDS[0].read_text(encoding="utf-8"))
    tasks = record["tasks"]
    assert tasks[2]["text"].startswith("Công an Tỉnh triển khai quyết liệt các giải pháp")
    assert tasks[2]["text_as_read"].startswith("Cong an Tinh trién khai quyét liét cac giai phap")
    assert all(not few_diacritics(task["text"]) for task in tasks)
    assert record["text_as_read"] != record["text"]


def test_a_letter_with_its_own_diacritics_has_nothing_restored() -> None:
    record = extract_metadata(letter())
    assert "text_as_read" not in record
    assert all("text_as_read" not in task for task in record["tasks"])
