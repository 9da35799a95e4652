"""What the extractor keeps for a clerk's eyes: a symbol whose number was left blank, the whole
signing block. The letters are written for these tests (invented names)."""

from __future__ import annotations

import pytest

from ingest.metadata import extract_metadata
from webui.formatting import signing_block

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
        ("     /2025/QĐ-UBND", "2025/QĐ-UBND"),
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
