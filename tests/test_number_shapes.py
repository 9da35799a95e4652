"""Number shapes of real letters the parser once missed (issue 11), on synthetic letters: a unit
in brackets, sub-numbers, party 'TƯ', a glued 'V/v', the year outside the symbol (Decree 30),
'Nghị quyết số:' headers, the number on the line after 'Số:', footnote marks, court case numbers,
the arrival stamp and the copy block ('SAO Y') of a scan."""

from __future__ import annotations

import pytest

from ingest.extract.citations import find_citations
from ingest.extract.dates import parse_date_words
from ingest.extract.metadata import extract_metadata
from ingest.extract.numbers import find_references, is_court_case, parse_reference, reference_key

# A fictional letter; {number} is the number line(s), {own} how the body names the letter itself.
LETTER = """{before}ỦY BAN NHÂN DÂN
TỈNH SƠN LA
{number}
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Sơn La, ngày 12 tháng 3 năm {year}
V/v tăng cường phòng cháy rừng
Kính gửi: Sở Nông nghiệp và Môi trường.

Thực hiện Công văn số 88/BNNMT-LN ngày 01/3/2025 của Bộ Nông nghiệp và Môi trường, Ủy ban
nhân dân tỉnh đề nghị Sở rà soát các vùng rừng có nguy cơ cháy cao; báo cáo kết quả thực hiện
Công văn số {own} trước ngày 30/3/2025.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Lường Văn Khánh
{after}"""


def letter(number: str, own: str = "125/UBND-KT", *, year: str = "2025", before: str = "",
           after: str = "") -> dict:
    return extract_metadata(LETTER.format(number=number, own=own, year=year, before=before,
                                          after=after))


def cited(record: dict) -> list[str]:
    return [citation["reference"] for citation in record["citations"]]


@pytest.mark.parametrize(
    ("written", "display", "number", "symbol", "key"),
    [
        ("409/TTr-CAT(PC04)", "409/TTr-CAT(PC04)", "409", "TTr-CAT(PC04)", "409/ttr-cat-pc04"),
        ("11-01/26/PT-NC", "11-01/26/PT-NC", "11-01", "PT-NC", "11-1/26/pt-nc"),
        ("Số 445-KL/TƯ", "445-KL/TƯ", "445", "KL/TƯ", "445/kl-tu"),
        ("Số: 158/2025/NĐ-CP", "158/2025/NĐ-CP", "158", "NĐ-CP", "158/2025/nd-cp"),
        ("78/2025/UBTVQH15", "78/2025/UBTVQH15", "78", "UBTVQH15", "78/2025/ubtvqh15"),
        ("66.16/2026/NQ-CP", "66.16/2026/NQ-CP", "66.16", "NQ-CP", "66.16/2026/nq-cp"),
        ("126/2024/NĐ-CP1", "126/2024/NĐ-CP", "126", "NĐ-CP", "126/2024/nd-cp"),
        ("51/2024/QH151", "51/2024/QH15", "51", "QH15", "51/2024/qh15"),
    ],
)
def test_shapes_parse_with_the_year_outside_the_symbol(
    written: str, display: str, number: str, symbol: str, key: str
) -> None:
    reference = parse_reference(written)
    assert reference is not None
    assert (reference.display, reference.number, reference.symbol, reference.key) == (
        display, number, symbol, key)


def test_shapes_found_in_running_text() -> None:
    text = ("theo Tờ trình số 409/TTr-CAT(PC04) ngày 02/3/2025, Phiếu trình 11-01/26/PT-NC, "
            "Kết luận số 445-KL/TƯ và Nghị quyết số 66.16/2026/NQ-CP của Chính phủ")
    assert [ref.display for ref, _, _ in find_references(text)] == [
        "409/TTr-CAT(PC04)", "11-01/26/PT-NC", "445-KL/TƯ", "66.16/2026/NQ-CP"]


def test_a_footnote_digit_stays_on_unknown_groups() -> None:
    """Digits belong to police units and legislatures ('PC08', 'QH15'): only a known issuer
    group ('CP', 'UBND') loses digits glued to it."""
    assert parse_reference("12/CAT-PC08").symbol == "CAT-PC08"
    assert parse_reference("36/2024/QH15").symbol == "QH15"
    assert parse_reference("12/KH-UBND2").symbol == "KH-UBND"


def test_year_inside_a_two_digit_office_numbering_is_not_a_date() -> None:
    assert list(find_references("ngày 11-01/26 và 24/7")) == []


def test_glued_vv_is_cut_from_the_symbol() -> None:
    for text in ("Số: 12/UBND-VXV/v tăng cường phòng cháy", "Số: 12/UBND-VXV/V tăng cường"):
        found = [(ref.display, text[start:end]) for ref, start, end in find_references(text)]
        assert found == [("12/UBND-VX", "12/UBND-VX")]
    assert [ref.symbol for ref, _, _ in find_references("Số: 15/SNV-CCVC và")] == ["SNV-CCVC"]


def test_glued_vv_in_a_letter_flattened_from_the_web() -> None:
    record = letter("Số: 12/UBND-VXV/v tăng cường phòng cháy rừng", own="12/UBND-VX")
    assert (record["reference"], record["symbol"]) == ("12/UBND-VX", "UBND-VX")
    assert cited(record) == ["88/BNNMT-LN"]


@pytest.mark.parametrize(
    ("number", "own", "reference", "symbol"),
    [
        ("Số 445-KL/TƯ", "445-KL/TƯ", "445-KL/TƯ", "KL/TƯ"),
        ("Nghị quyết số: 78/2025/NQ-HĐND", "78/2025/NQ-HĐND", "78/2025/NQ-HĐND", "NQ-HĐND"),
        ("Số: 66.16/2026/NQ-CP", "66.16/2026/NQ-CP", "66.16/2026/NQ-CP", "NQ-CP"),
        ("Số: 409/TTr-CAT(PC04)", "409/TTr-CAT(PC04)", "409/TTr-CAT(PC04)", "TTr-CAT(PC04)"),
        ("Số: 11-01/26/PT-NC", "11-01/26/PT-NC", "11-01/26/PT-NC", "PT-NC"),
        ("Số: 158/2025/QĐ-UBND", "158/2025/QĐ-UBND", "158/2025/QĐ-UBND", "QĐ-UBND"),
    ],
)
def test_number_lines_of_real_shapes(number: str, own: str, reference: str, symbol: str) -> None:
    record = letter(number, own=own)
    assert (record["reference"], record["symbol"]) == (reference, symbol)
    assert own not in cited(record)


@pytest.mark.parametrize(
    "number", ["Số:\n125/UBND-KT", "Số:\n\n125/UBND-KT", "Số:  \n 125/UBND-KT"])
def test_number_on_the_line_after_so(number: str) -> None:
    record = letter(number)
    assert (record["number"], record["symbol"], record["key"]) == ("125", "UBND-KT", "125/ubnd-kt")
    assert cited(record) == ["88/BNNMT-LN"]  # the letter's own number is never a citation


def test_so_alone_before_the_subject_is_a_blank_number_not_the_next_line() -> None:
    record = letter("Số:\nV/v đăng ký khoản vay")
    assert record["number"] is None and record["symbol"] is None


def test_symbol_broken_after_a_separator_is_read_whole() -> None:
    record = letter("Số: 01/2022/TTLT-BCA-\nBQP-BTC", own="01/2022/TTLT-BCA-BQP-BTC")
    assert (record["reference"], record["symbol"]) == (
        "01/2022/TTLT-BCA-BQP-BTC", "TTLT-BCA-BQP-BTC")


def test_a_footnote_mark_glued_to_the_year_of_a_date() -> None:
    assert parse_date_words("Hà Nội, ngày 17 tháng 5 năm 20264") == ("2026-05-17", "day")
    assert parse_date_words("ngày 17 tháng 5 năm 12345") == (None, None)
    assert letter("Số: 125/UBND-KT", year="20254")["date"] == "2025-03-12"


@pytest.mark.parametrize(
    "written", ["29/2025/TLST-HC", "15/2024/HSST", "05/2023/DSPT", "7/2024/HS-ST",
                "8/2024/QĐXXST-HC", "3/2025/KDTM-PT", "12/2024/QĐST-DS"])
def test_court_case_numbers_are_not_cited_documents(written: str) -> None:
    assert is_court_case(parse_reference(written))
    text = (f"Căn cứ Thông báo số {written} ngày 03/3/2025 của Tòa án nhân dân tỉnh và Nghị "
            "quyết số 02/2025/NQ-HĐND ngày 05/3/2025 của Hội đồng nhân dân tỉnh.")
    assert [c["key"] for c in find_citations(text)] == ["2/2025/nq-hdnd"]


def test_administrative_symbols_are_not_court_cases() -> None:
    for written in ("30/2020/NĐ-CP", "12/2024/TT-BTC", "04/UBND-NCPC", "5/2024/QĐ-UBND"):
        assert not is_court_case(parse_reference(written))


def test_a_footnote_digit_glued_to_a_citation() -> None:
    text = "Căn cứ Nghị định số 126/2024/NĐ-CP1 ngày 08/10/2024 của Chính phủ quy định …"
    assert find_citations(text) == [{
        "doc_type": "Nghị định", "reference": "126/2024/NĐ-CP", "key": reference_key(
            "126/2024/NĐ-CP"), "date": "2024-10-08", "issuer": "Chính phủ",
        "relation": "can_cu", "scope": None}]


def test_the_arrival_stamp_number_is_not_the_letters() -> None:
    record = letter("Số: 125/UBND-KT", before="CÔNG VĂN ĐẾN\nSố: 1234/VP\nNgày: 20/3/2025\n")
    assert record["reference"] == "125/UBND-KT"
    assert cited(record) == ["88/BNNMT-LN"]


def test_an_arrival_stamp_on_one_line_gives_no_citation() -> None:
    text = "ĐẾN Số: 1234/VP Ngày: 20/3/2025\nThực hiện Công văn số 88/BNNMT-LN của Bộ."
    assert [c["reference"] for c in find_citations(text)] == ["88/BNNMT-LN"]


COPY_BLOCK = """
SAO Y
ỦY BAN NHÂN DÂN HUYỆN MAI SƠN
Số: 15/SY-UBND
Mai Sơn, ngày 20 tháng 3 năm 2025
Nơi nhận:
- Các xã, thị trấn;
- Lưu: VT.
"""


def test_copy_block_after_the_letter_is_kept_apart() -> None:
    record = letter("Số: 125/UBND-KT", after=COPY_BLOCK)
    assert (record["reference"], record["date"]) == ("125/UBND-KT", "2025-03-12")
    assert record["copy"] == {"kind": "Sao y", "reference": "15/SY-UBND", "date": "2025-03-20"}
    assert cited(record) == ["88/BNNMT-LN"]


def test_copy_number_read_first_is_not_the_letters() -> None:
    before = "ỦY BAN NHÂN DÂN HUYỆN MAI SƠN\nSố: 15/TrS-UBND\nTRÍCH SAO\n\n"
    record = letter("Số: 125/UBND-KT", before=before)
    assert record["reference"] == "125/UBND-KT"
    assert record["copy"]["kind"] == "Trích sao"
    assert record["copy"]["reference"] == "15/TrS-UBND"
    assert cited(record) == ["88/BNNMT-LN"]


def test_no_copy_block_no_copy_key() -> None:
    assert "copy" not in letter("Số: 125/UBND-KT")


@pytest.mark.parametrize(
    ("number", "reference", "symbol"),
    [
        ("Số: 2587 /C04-P6", "2587/C04-P6", "C04-P6"),  # a police department code
        ("Số: 01NQ-HĐQLQ", "01/NQ-HĐQLQ", "NQ-HĐQLQ"),  # OCR dropped the '/'
        ("Số: 2X /TTr-CAT-PC06", None, "TTr-CAT-PC06"),  # a handwritten number read as garbage
        ("Số /TTr- CAT-PC04", None, "TTr-CAT-PC04"),  # blank, OCR spaces inside the symbol
    ],
)
def test_scanned_number_lines(number: str, reference: str | None, symbol: str) -> None:
    record = letter(number, own="999/UBND-KT")
    assert (record["reference"], record["symbol"]) == (reference, symbol)


def test_an_unreadable_number_is_not_called_blank() -> None:
    unreadable = letter("Số: 2X /TTr-CAT-PC06", own="999/UBND-KT")["warnings"]
    assert any("Không đọc được số" in w for w in unreadable)
    assert not any("để trống" in w for w in unreadable)
    blank = letter("Số:      /TTr-CAT-PC06", own="999/UBND-KT")["warnings"]
    assert any("để trống" in w for w in blank)


def test_number_label_inside_the_motto_line() -> None:
    """Two OCR'd columns run together: the label follows the motto on one line ('$' for 'S')."""
    text = LETTER.format(number="", own="999/UBND-KT", year="2025", before="", after="").replace(
        "Độc lập - Tự do - Hạnh phúc", "Độc lập - Tự do - Hạnh phúc $ố:1710 /CAT-PA05")
    record = extract_metadata(text)
    assert (record["reference"], record["symbol"]) == ("1710/CAT-PA05", "CAT-PA05")


def test_an_ocr_number_line_needs_an_abbreviation() -> None:
    assert letter("Số: 100/Ban chỉ đạo", own="999/UBND-KT")["reference"] is None


def test_a_cited_issuer_ends_before_the_verb_or_the_next_document() -> None:
    text = ("Căn cứ Nghị định số 06/2024/NĐ-CP ngày 25/01/2024 của Chính phủ sửa đổi, bổ sung một "
            "số điều; Quyết định số 1480/QĐ-TTg ngày 03/7/2025 của Thủ tướng Chính phủ kiện toàn "
            "Ban Chỉ đạo; xét Tờ trình số 263/TTr-CP ngày 08/8/2022 của Chính phủ và Báo cáo thẩm "
            "tra số 12/BC-UBXH; Quyết định số 7/QĐ-BVHTTDL của Bộ Văn hóa, Thể thao và Du lịch; "
            "Nghị quyết số 71/2006/QH11 của Quốc hội phê chuẩn Nghị định thư.")
    assert [(c["reference"], c["issuer"]) for c in find_citations(text)] == [
        ("06/2024/NĐ-CP", "Chính phủ"), ("1480/QĐ-TTg", "Thủ tướng Chính phủ"),
        ("263/TTr-CP", "Chính phủ"), ("12/BC-UBXH", None),
        ("7/QĐ-BVHTTDL", "Bộ Văn hóa, Thể thao và Du lịch"), ("71/2006/QH11", "Quốc hội")]
