"""The registers of letters received and sent (sổ đến / sổ đi): arrival numbers per office and
year from the catalog, the clerk's input checked, the export with Appendix IV's columns."""

from __future__ import annotations

import csv
import io
import threading

import pytest

from ingest.curation.registers import (
    INCOMING_COLUMNS,
    OUTGOING_COLUMNS,
    parse_register_input,
    write_register_csv,
)
from ingest.model import DocumentRecord, LetterMetadata, Page
from ingest.store import open_catalog
from ingest.store.catalog import INCOMING, OUTGOING, ArrivalNumberTaken, CatalogStore


def letter(doc_id: str, *, date: str | None = "2025-03-05", subject: str = "Báo cáo quý I",
           reference: str = "215/SNV-VP") -> DocumentRecord:
    metadata = LetterMetadata.from_dict({
        "text": f"Số: {reference}\nV/v {subject}", "doc_type": "Công văn", "reference": reference,
        "issuer": "Sở Nội vụ tỉnh Lai Châu", "date": date, "subject": subject,
        "signer": {"name": "Lò Văn Tính", "title": "GIÁM ĐỐC"},
        "distribution": ["Như trên", "Lưu: VT, VP"]})
    return DocumentRecord(id=doc_id, sha256=doc_id * 32, filename=f"{doc_id}.txt",
                          media_type="text/plain", size_bytes=10,
                          pages=[Page(1, metadata.text)], metadata=metadata)


@pytest.fixture
def catalog(catalog_location):
    with open_catalog(catalog_location) as store:
        for doc_id in ("a1", "b2", "c3", "d4"):
            store.add_document(letter(doc_id))
        yield store


def test_arrival_numbers_count_from_one_per_office_and_year(catalog: CatalogStore) -> None:
    first = catalog.register_letter("a1", INCOMING, "vanthu", entry_date="2025-03-12")
    second = catalog.register_letter("b2", INCOMING, "vanthu", entry_date="2025-03-13")
    next_year = catalog.register_letter("c3", INCOMING, "vanthu", entry_date="2026-01-02")
    other_office = catalog.register_letter("d4", INCOMING, "vanthu", office="VP",
                                           entry_date="2025-03-13")
    assert [(e.year, e.arrival_number) for e in (first, second, next_year, other_office)] == [
        (2025, 1), (2025, 2), (2026, 1), (2025, 1)]
    assert catalog.register_entry("a1") == first
    assert catalog.register_years(INCOMING) == [2026, 2025]


def test_an_edited_entry_keeps_its_number_and_a_taken_number_is_refused(
        catalog: CatalogStore) -> None:
    catalog.register_letter("a1", INCOMING, "an", entry_date="2025-03-12")
    catalog.register_letter("b2", INCOMING, "an", entry_date="2025-03-12", arrival_number=4412)
    edited = catalog.register_letter("a1", INCOMING, "binh", entry_date="2025-03-14",
                                     unit="Phòng Tổng hợp")
    assert (edited.arrival_number, edited.unit, edited.registered_by, edited.updated_by) == (
        1, "Phòng Tổng hợp", "an", "binh")
    with pytest.raises(ArrivalNumberTaken):
        catalog.register_letter("a1", INCOMING, "an", entry_date="2025-03-12",
                                arrival_number=4412)
    assert catalog.register_entry("a1") == edited  # nothing changed
    # the next number follows the highest, a number entered by hand included
    assert catalog.register_letter("c3", INCOMING, "an", entry_date="2025-05-01"
                                   ).arrival_number == 4413


def test_two_clerks_at_once_never_get_the_same_arrival_number(catalog_location) -> None:
    path = catalog_location
    ids = [f"{n:02d}" for n in range(24)]
    with open_catalog(path) as store:
        for doc_id in ids:
            store.add_document(letter(doc_id))
    failures: list[BaseException] = []

    def clerk(mine: list[str]) -> None:
        try:
            with open_catalog(path) as own:  # each clerk's request has its own connection
                for doc_id in mine:
                    own.register_letter(doc_id, INCOMING, "vanthu", entry_date="2025-06-01")
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=clerk, args=(ids[i::3],)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with open_catalog(path) as store:
        total, rows = store.register_rows(INCOMING, 2025)
    assert total == 24
    assert [row["arrival_number"] for row in rows] == list(range(1, 25))


def test_an_outgoing_letter_is_registered_by_its_own_date_without_an_arrival_number(
        catalog: CatalogStore) -> None:
    entry = catalog.register_letter("a1", OUTGOING, "an", entry_date="2026-01-03",
                                    arrival_number=7, unit="Văn phòng")
    assert (entry.year, entry.arrival_number, entry.entry_date) == (2025, None, "2026-01-03")
    incoming = catalog.register_letter("a1", INCOMING, "an", entry_date="2025-03-12")
    assert incoming.arrival_number == 1  # turned round: numbered now
    with pytest.raises(LookupError):
        catalog.register_letter("zz", INCOMING, "an")
    with pytest.raises(ValueError):
        catalog.register_letter("a1", "sideways", "an")


def test_a_letter_in_the_trash_leaves_the_register_and_a_purge_removes_its_entry(
        catalog: CatalogStore) -> None:
    catalog.register_letter("a1", INCOMING, "an", entry_date="2025-03-12")
    catalog.register_letter("b2", INCOMING, "an", entry_date="2025-03-12")
    catalog.trash_document("a1", "admin")
    assert [row["document_id"] for row in catalog.register_rows(INCOMING, 2025)[1]] == ["b2"]
    catalog.purge_document("a1")
    assert catalog.register_entry("a1") is None
    assert catalog.integrity_problems() == []


def test_register_rows_are_paged(catalog: CatalogStore) -> None:
    for doc_id in ("a1", "b2", "c3"):
        catalog.register_letter(doc_id, INCOMING, "an", entry_date="2025-03-12")
    total, rows = catalog.register_rows(INCOMING, 2025, limit=2, offset=2)
    assert (total, [row["arrival_number"] for row in rows]) == (3, [3])
    assert rows[0]["distribution"] == ["Như trên", "Lưu: VT, VP"]


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"direction": "den", "entry_date": "12/3/2025", "arrival_number": " 4412 "}, set()),
        ({"direction": "ra"}, {"direction"}),
        ({"direction": "den", "entry_date": "31/02/2025"}, {"entry_date"}),
        ({"direction": "den", "arrival_number": "12a"}, {"arrival_number"}),
        ({"direction": "den", "arrival_number": "0"}, {"arrival_number"}),
        ({"direction": "di", "unit": "x" * 201}, {"unit"}),
    ],
)
def test_the_clerks_input_is_checked(values: dict, errors: set) -> None:
    entry, found = parse_register_input(values)
    assert set(found) == errors
    assert (entry is None) == bool(errors)
    if entry is not None:
        assert (entry.entry_date, entry.arrival_number) == ("2025-03-12", 4412)


def test_the_export_has_the_decrees_columns_and_no_formula(catalog: CatalogStore) -> None:
    catalog.register_letter("a1", INCOMING, "an", entry_date="2025-03-12",
                            unit="=HYPERLINK(\"http://x\")")
    out = io.StringIO()
    write_register_csv(out, INCOMING, catalog.register_rows(INCOMING, 2025)[1])
    header, row = list(csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert tuple(header) == INCOMING_COLUMNS
    assert row[:5] == ["12/03/2025", "1", "Sở Nội vụ tỉnh Lai Châu", "215/SNV-VP", "05/03/2025"]
    assert row[5] == "Công văn - Báo cáo quý I"
    assert not row[6].startswith("=")

    catalog.register_letter("b2", OUTGOING, "an", entry_date="2025-03-06")
    out = io.StringIO()
    write_register_csv(out, OUTGOING, catalog.register_rows(OUTGOING, 2025)[1])
    header, row = list(csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert tuple(header) == OUTGOING_COLUMNS
    assert row[:5] == ["215/SNV-VP", "05/03/2025", "Công văn - Báo cáo quý I",
                       "GIÁM ĐỐC Lò Văn Tính", "Như trên; Lưu: VT, VP"]
    assert row[7] == "06/03/2025"
