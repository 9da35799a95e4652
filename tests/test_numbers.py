"""Document numbers: every spelling of reference/number-examples.tsv, query spellings, text."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.extract.numbers import find_references, parse_reference, reference_key

TSV = Path(__file__).parent / "data" / "number-examples.tsv"


def _rows() -> list[tuple[str, str, str, str]]:
    """Rows of the TSV; one 'as_found' value spans two lines (a broken 'V/v' line)."""
    rows, pending = [], ""
    for line in TSV.read_text(encoding="utf-8").split("\n"):
        if line.startswith(("#", "as_found\t")) or not (pending or line):
            continue
        line = f"{pending}\n{line}" if pending else line
        if "\t" not in line:
            pending = line
            continue
        pending = ""
        as_found, kind, display, key = line.split("\t")
        rows.append((as_found, kind, display, key))
    return rows


ROWS = _rows()
NUMBERS = [row for row in ROWS if row[1] != "not-a-number"]
NOT_NUMBERS = [row[0] for row in ROWS if row[1] == "not-a-number"]


def test_the_table_is_all_there() -> None:
    assert len(NUMBERS) == 78
    assert len(NOT_NUMBERS) == 17


@pytest.mark.parametrize(("as_found", "kind", "display", "key"), NUMBERS)
def test_display_form(as_found: str, kind: str, display: str, key: str) -> None:
    reference = parse_reference(as_found)
    assert reference is not None
    assert reference.display == display


def test_keys_identify_exactly_the_table_identities() -> None:
    ours_by_table: dict[str, set[str | None]] = {}
    for as_found, _, _, key in NUMBERS:
        ours_by_table.setdefault(key, set()).add(reference_key(as_found))
    assert all(len(keys) == 1 and None not in keys for keys in ours_by_table.values())
    distinct = {next(iter(keys)) for keys in ours_by_table.values()}
    assert len(distinct) == len(ours_by_table)


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_not_a_number(text: str) -> None:
    assert reference_key(text) is None
    assert list(find_references(text)) == []


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("30/2020/NĐ-CP", "30/2020/nd-cp"),
        ("85-QĐ/TW", "85/qd-tw"),
        ("874/QĐ-BTTTT", "874/qd-btttt"),
        ("139 cd ttg", "139/cd-ttg"),
        ("139/cđ-ttg", "139/cd-ttg"),
        ("139/CD-TTg", "139/cd-ttg"),
        ("Số: 04 /JUBND-NCPC", "4/ubnd-ncpc"),
        ("số 139/CĐ-TTg", "139/cd-ttg"),
    ],
)
def test_key_of_query_and_ocr_spellings(text: str, key: str) -> None:
    assert reference_key(text) == key


def test_hd_and_da_are_never_repaired() -> None:
    assert parse_reference("36-HD/VPTW").display == "36-HD/VPTW"
    assert parse_reference("12/DA-UBND").display == "12/DA-UBND"
    assert parse_reference("12/ĐA-UBND").display == "12/ĐA-UBND"


def test_blank_number_keeps_the_symbol_without_a_key() -> None:
    reference = parse_reference("Số:          /STTTT-TTBCXB")
    assert reference is not None
    assert (reference.number, reference.symbol, reference.key) == (None, "STTTT-TTBCXB", None)


def test_type_abbreviation() -> None:
    assert parse_reference("139/CD-TTg").doc_type_abbr == "CĐ"
    assert parse_reference("04/UBND-NCPC").doc_type_abbr is None


def test_find_references_in_ocr_text_with_spans() -> None:
    text = (
        "trong tâm la Quy dinh 85-\nQb/TW, ngay 07/10/2022; QuyM dinh s6 874/QD-BTTTT ngay "
        "17/6/2021 và KM hoach s6 50/KH-\nUBND ngay 17/02/2022, tháng 4/2020, 24/7."
    )
    found = [(ref.display, ref.key, text[start:end]) for ref, start, end in find_references(text)]
    assert found == [
        ("85-QĐ/TW", "85/qd-tw", "85-\nQb/TW"),
        ("874/QĐ-BTTTT", "874/qd-btttt", "874/QD-BTTTT"),
        ("50/KH-UBND", "50/kh-ubnd", "50/KH-\nUBND"),
    ]


def test_ocr_confused_letter_in_a_known_issuer_repaired() -> None:
    assert parse_reference("Số: /STTTI-TTBCXB").symbol == "STTTT-TTBCXB"
    assert parse_reference("12/UBND-VX").symbol == "UBND-VX"


def test_regression_table_cells_and_word_starts_are_not_references() -> None:
    """A table row '15 | Không chia sẻ' once gave the reference '15/KH'."""
    text = "Trước ngày 15/7/2015\n15 | Không chia sẻ | Công an tỉnh\n24 | Kho bạc | Thường xuyên"
    assert list(find_references(text)) == []


def test_regression_ocr_bar_for_slash_still_read() -> None:
    assert [ref.display for ref, _, _ in find_references("Số: 04 |UBND-NCPC")] == ["04/UBND-NCPC"]


def test_regression_inspection_unit_keeps_its_spelling() -> None:
    """'TTr' after the issuer is an inspection unit, not the type 'Tờ trình' to re-case."""
    assert parse_reference("933/SGTVT-TTr").display == "933/SGTVT-TTr"


def test_old_dashed_shape_parses_and_keeps_its_dash() -> None:
    reference = parse_reference("111-HĐBT")
    assert reference is not None
    assert (reference.number, reference.symbol, reference.display, reference.key) == (
        "111", "HĐBT", "111-HĐBT", "111-hdbt")
    assert reference_key("Số: 130-CP") == "130-cp"
    assert [parse_reference(text) for text in ("2-3", "10-ngày", "2021-2025", "3-A")] == [None] * 4
