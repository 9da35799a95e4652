"""Dates in the forms letters write them, validated."""

from __future__ import annotations

import pytest

from ingest.extract.dates import find_dates, iso_date, parse_date_words, parse_numeric_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đồng Tháp, ngày 06 tháng 01 năm 2025", ("2025-01-06", "day")),
        ("Hà Nội, ngày 29 tháng 6 năm 2019", ("2019-06-29", "day")),
        ("Pong Thap, ngay 06 thang 01 ndm 2025", ("2025-01-06", "day")),  # English-model OCR
        ("Mường Tè, ngày      tháng 02 năm 2025", ("2025-02", "month")),
        ("Quảng Ninh, ngày          tháng 4 năm 2024", ("2024-04", "month")),
        ("ngày    tháng    năm 2025", ("2025", "year")),
        ("Hà Nội, ngày 19 tháng 92 năm 2025", (None, None)),
        ("ngày 31 tháng 02 năm 2024", (None, None)),
        ("ngày 29 tháng 02 năm 2024", ("2024-02-29", "day")),
        ("không có ngày nào ở đây", (None, None)),
    ],
)
def test_words_date(text: str, expected: tuple[str | None, str | None]) -> None:
    assert parse_date_words(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ngày 19/02/2025", "2025-02-19"),
        ("ngày 17/6/2021", "2021-06-17"),
        ("ngày 01-10-1997", "1997-10-01"),
        ("ngày 08.4.2024", "2024-04-08"),
        ("19/92/2025", None),
        ("21/0/1973", None),
        ("24/7", None),
        ("tháng 4/2020", None),
    ],
)
def test_numeric_date(text: str, expected: str | None) -> None:
    assert parse_numeric_date(text) == expected


def test_iso_date_validates() -> None:
    assert iso_date(2025, 2, 30) is None
    assert iso_date(2025, 13) is None
    assert iso_date(2025, 1, 6) == "2025-01-06"


def test_find_dates_spans_index_the_original_text() -> None:
    text = ("Căn cứ Công văn số 1077/CAT-ANCTNB ngày 19/02/2025 và Kế hoạch "
            "ngày 05 tháng 01 năm 2020")
    found = find_dates(text)
    assert [iso for iso, _, _ in found] == ["2025-02-19", "2020-01-05"]
    assert [text[start:end] for _, start, end in found] == [
        "19/02/2025", "ngày 05 tháng 01 năm 2020"
    ]
