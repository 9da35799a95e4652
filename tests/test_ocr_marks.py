"""OCR mark correction: an OCR'd page's misread marks are mended from context; typed text,
rare but right syllables, names and document numbers are kept. Letters and names invented."""

from __future__ import annotations

import pytest

from ingest.model import Page
from ingest.recipe import extract_pages as _extract
from ingest.repair.ocr_marks import correct_ocr_marks

# A clean letter body (written for this test): nothing in it may change.
CLEAN = (
    "Thực hiện Kế hoạch số 15/KH-UBND ngày 03/02/2025 của Ủy ban nhân dân tỉnh về tổ chức "
    "tổng kết công tác phòng, chống thiên tai, Sở Nông nghiệp và Môi trường đề nghị các đơn vị "
    "rà soát, thẩm định hồ sơ và báo cáo kết quả trước ngày 20/3/2025. Bà Phạm Thị Hường, "
    "Phó Giám đốc Sở, chủ trì cuộc họp. Cây lúa bị quỵ xuống sau mưa lớn."
)


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("Ủy ban nhân dân tĩnh Lâm Đông đề nghị các sở tô chức thực hiện.",
         "Ủy ban nhân dân tỉnh Lâm Đồng đề nghị các sở tổ chức thực hiện."),
        ("Uy ban nhân dân huyện đôi mới công tác quản lý.",
         "Ủy ban nhân dân huyện đổi mới công tác quản lý."),
        ("Để nghị các đơn vị tăng cường phòng, chồng tham nhũng.",
         "Đề nghị các đơn vị tăng cường phòng, chống tham nhũng."),
        ("Khắc phục sự cô mạng và nghiêm túc cháp hành pháp luật.",
         "Khắc phục sự cố mạng và nghiêm túc chấp hành pháp luật."),
        ("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐÔNG", "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG"),
    ],
)
def test_marks_the_context_contradicts_are_mended(read: str, meant: str) -> None:
    assert correct_ocr_marks(read) == meant


def test_ocr_letter_confusions_are_mended() -> None:
    read = "Ðảng ủy xã giao Qũy phát triển đất hướng dẫn ngưòi dân xây nhà rnáy."
    assert correct_ocr_marks(read) == (
        "Đảng ủy xã giao Quỹ phát triển đất hướng dẫn người dân xây nhà máy."
    )


def test_clean_text_rare_syllables_and_names_are_kept() -> None:
    assert correct_ocr_marks(CLEAN) == CLEAN


def test_numbers_symbols_and_labels_are_never_touched() -> None:
    read = "Căn cứ Quyết định số 12/2024/QĐ-UBND; Chương VI; a) Nội dung; V/v tô chức."
    assert correct_ocr_marks(read) == read.replace("tô chức", "tổ chức")


def test_text_with_few_marks_is_left_to_the_restorer() -> None:
    read = "Uy ban nhan dan tinh Lam Dong de nghi cac so to chuc thuc hien."
    assert correct_ocr_marks(read) == read


def test_only_ocr_pages_are_corrected_before_extraction() -> None:
    page = (
        "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐÔNG\n\nSố: 45/UBND-VP\n\n"
        "V/v tô chức hội nghị sơ kết công tác năm\n\n"
        "Kính gửi: Các sở, ban, ngành tĩnh.\n\nỦy ban nhân dân tĩnh Lâm Đông đề nghị các đơn vị "
        "tô chức thực hiện."
    )
    typed = _extract([Page(1, page, ocr=False)])
    scanned = _extract([Page(1, page, ocr=True)])
    assert "tĩnh Lâm Đông" in typed.text
    assert "tỉnh Lâm Đồng" in scanned.text and "TỈNH LÂM ĐỒNG" in scanned.text
    assert scanned.subject == "tổ chức hội nghị sơ kết công tác năm"


def test_a_plausible_reading_and_a_place_the_model_does_not_know_are_kept() -> None:
    read = "Hôm nay, tại Phòng công chứng số 5, chúng tôi gồm các bên. Phường Hoa Sen - Đà Lạt."
    assert correct_ocr_marks(read) == read


def test_marks_that_make_no_syllable_are_mended() -> None:
    read = "Nhóm thâm định hồ sơ; tuyên truyền về màu säc văn hóa; quyên và nghĩa vụ."
    assert correct_ocr_marks(read) == (
        "Nhóm thẩm định hồ sơ; tuyên truyền về màu sắc văn hóa; quyền và nghĩa vụ."
    )
