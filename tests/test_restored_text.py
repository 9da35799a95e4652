"""A letter OCR'd without diacritics reads as Vietnamese, and its spans still fit its text."""

from __future__ import annotations

from ingest.extract.metadata import _word_offset_map, extract_metadata

from .conftest import SEEDS


def test_dong_thap_letter_reads_as_vietnamese_with_spans_on_the_restored_text() -> None:
    record = extract_metadata(SEEDS[0].read_text(encoding="utf-8"))
    text, spans = record["text"], record["spans"]
    assert "ngày 06 tháng 01 năm 2025" in text
    assert text[spans["date"][0] : spans["date"][1]] == "ngày 06 tháng 01 năm 2025"
    assert text[spans["place"][0] : spans["place"][1]] == "Đồng Tháp"
    assert record["subject"].startswith("tăng cường công tác phòng ngừa")
    assert record["subject"].endswith("tội phạm trên không gian mạng")


def test_offsets_move_word_by_word() -> None:
    remap = _word_offset_map("ngtra va  x", "ngừa và  x")
    assert remap is not None
    assert [remap(i) for i in (0, 5, 6, 8, 10, 11)] == [0, 4, 5, 7, 9, 10]
    assert _word_offset_map("a b", "a  b") is None  # blanks differ: no word-for-word map
