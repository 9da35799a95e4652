"""Cleaning steps, each a pure str → str function, on real fragments of the seed letters."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from ingest.extract.layout import join_broken_lines, split_header_columns
from ingest.repair.cleaning import (
    clean_text,
    drop_bare_page_numbers,
    drop_page_furniture,
    normalize_tone_marks,
    remove_control_chars,
    repair_ocr_apostrophes,
    strip_markdown,
    to_nfc,
)

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_nfc_composes_decomposed_marks() -> None:
    decomposed = unicodedata.normalize("NFD", "Quyết định")
    assert len(decomposed) > len("Quyết định")
    assert to_nfc(decomposed) == "Quyết định"


@pytest.mark.parametrize(
    ("old", "new"),
    [("hoà", "hòa"), ("Uỷ ban", "Ủy ban"), ("khoẻ", "khỏe"), ("thuỷ", "thủy"),
     ("CỘNG HOÀ", "CỘNG HÒA"), ("đồi truỵ", "đồi trụy"), ("khoá", "khóa")],
)
def test_tone_marks_move_to_the_main_vowel(old: str, new: str) -> None:
    assert normalize_tone_marks(old) == new


@pytest.mark.parametrize("word", ["quý", "hoàn", "toán", "thuyền", "hòa", "của", "quà", "người"])
def test_tone_marks_left_alone_where_both_styles_agree(word: str) -> None:
    assert normalize_tone_marks(word) == word


def test_tone_marks_normalise_decomposed_input() -> None:
    assert normalize_tone_marks(unicodedata.normalize("NFD", "Uỷ ban")) == "Ủy ban"


def test_control_characters_and_invisibles_removed() -> None:
    dirty = "Số:\x00 04\u200b/UBND\x07-NCPC\r\nngày\tx\ufeff"
    assert remove_control_chars(dirty) == "Số: 04/UBND-NCPC\nngày x"


def test_markdown_bold_markers_removed() -> None:
    assert strip_markdown("**KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH**") == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    assert strip_markdown("(<https://khonggianmang.vn/>)") == "(https://khonggianmang.vn/)"


def test_page_numbers_and_running_headers_dropped() -> None:
    pages = [
        "Số: 04/UBND-NCPC\nnội dung trang một",
        "2\nCÔNG VĂN SỐ 04/UBND-NCPC\nnội dung trang hai",
        "3\nCÔNG VĂN SỐ 04/UBND-NCPC\nnội dung trang ba",
    ]
    cleaned = drop_page_furniture("\f".join(pages))
    assert "CÔNG VĂN SỐ" not in cleaned
    assert "\n2\n" not in cleaned and "\n3\n" not in cleaned
    assert "nội dung trang ba" in cleaned
    assert drop_bare_page_numbers("đoạn một\n\n2\n\nđoạn hai") == "đoạn một\n\n\nđoạn hai"


def test_interleaved_header_columns_separated() -> None:
    lines = [
        "UY BAN NHAN DAN CONG HOA XA HQI CHU NGHIA VIET NAM",
        "TINH PONG THAP Poc 1ap - Tu do - Hanh phic",
        "So: 04 /JUBND-NCPC Pong Thap, ngay 06 thang 01 ndm 2025",
        "Noi nhan: TM. UY BAN NHAN DAN",
        "- Nhu trén; CHU TICH",
    ]
    assert split_header_columns(lines) == [
        "UY BAN NHAN DAN", "CONG HOA XA HQI CHU NGHIA VIET NAM",
        "TINH PONG THAP", "Poc 1ap - Tu do - Hanh phic",
        "So: 04 /JUBND-NCPC", "Pong Thap, ngay 06 thang 01 ndm 2025",
        "Noi nhan:", "TM. UY BAN NHAN DAN",
        "- Nhu trén;", "CHU TICH",
    ]


def test_lines_broken_mid_sentence_are_rejoined() -> None:
    lines = ["V/v tăng cường tuyên truyền phòng ngừa", "tội phạm sử dụng công nghệ cao", "",
             "Kính gửi:", "- Các sở, ban, ngành trong tỉnh;", "- Ủy ban nhân dân các huyện."]
    assert join_broken_lines(lines) == [
        "V/v tăng cường tuyên truyền phòng ngừa tội phạm sử dụng công nghệ cao", "",
        "Kính gửi:", "- Các sở, ban, ngành trong tỉnh;", "- Ủy ban nhân dân các huyện.",
    ]


def test_hyphenated_break_joined_without_space() -> None:
    assert join_broken_lines(["trong tâm là Quy định 85-", "QĐ/TW, ngày 07/10/2022"]) == [
        "trong tâm là Quy định 85-QĐ/TW, ngày 07/10/2022"
    ]


def test_double_spaced_letter_rejoined() -> None:
    """The Lạng Sơn seed puts a blank line after every printed line, even mid-sentence."""
    cleaned = clean_text((CORPUS / "001_8ef3beeffcf9e116.txt").read_text(encoding="utf-8"))
    assert "Công an tỉnh Lạng Sơn thông báo đến các cơ quan" in cleaned
    assert "\n- Như trên;\n- Thường trực Tỉnh ủy\n" in cleaned
    assert "GIÁM ĐỐC\n\nĐại tá Vũ Như Hà" in cleaned


def test_separate_paragraphs_stay_apart() -> None:
    lines = ["Đắk Nông, ngày tháng 01 năm 2025", "", "Kính gửi:", "",
             "- Thành viên Tổ xử lý tin giả tỉnh Đắk Nông", "",
             "Tình hình tội phạm sử dụng công nghệ cao có diễn biến phức tạp."]
    assert join_broken_lines(lines) == [
        "Đắk Nông, ngày tháng 01 năm 2025", "", "Kính gửi:", "",
        "- Thành viên Tổ xử lý tin giả tỉnh Đắk Nông", "",
        "Tình hình tội phạm sử dụng công nghệ cao có diễn biến phức tạp.",
    ]


def test_clean_text_is_idempotent_on_every_seed() -> None:
    for seed in sorted(CORPUS.glob("0*.txt")):
        once = clean_text(seed.read_text(encoding="utf-8"))
        assert clean_text(once) == once, seed.name
        assert unicodedata.is_normalized("NFC", once)


def test_ocr_apostrophes_in_capital_runs_removed() -> None:
    assert repair_ocr_apostrophes("Mường 'Tè, số 139/CĐ-T'Tg") == "Mường Tè, số 139/CĐ-TTg"
    assert repair_ocr_apostrophes("Chủ tịch K' Điểu") == "Chủ tịch K' Điểu"


def test_two_columns_split_by_word_positions() -> None:
    """A header line as word boxes (points on an A4 page): the wide gap parts the columns,
    a line of prose with ordinary spaces stays whole."""
    from ingest.reading.columns import WordBox, split_row

    def row(left: str, right: str = "") -> list[WordBox]:
        words, x = [], 60.0
        for text in left.split():
            words.append(WordBox(x, 90, x + 6 * len(text), 102, text))
            x += 6 * len(text) + 4
        x = 300.0
        for text in right.split():
            words.append(WordBox(x, 91, x + 6 * len(text), 103, text))
            x += 6 * len(text) + 4
        return words

    assert split_row(row("Số: 04/UBND-NCPC", "Đồng Tháp, ngày 06 tháng 01 năm 2025"), 595) == (
        "Số: 04/UBND-NCPC", "Đồng Tháp, ngày 06 tháng 01 năm 2025")
    assert split_row(row("Kính gửi: Các sở, ngành Tỉnh và Ủy ban nhân dân các huyện."), 595) is None
