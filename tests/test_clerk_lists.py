"""The catalog's lists behind /nhiem-vu and the home page, the Vietnamese sort and the assignee
groups, on a catalog written here (invented letters)."""

from __future__ import annotations

from typing import Any

import pytest

import ingest.store.catalog_sql
from ingest import CatalogStore, open_catalog
from ingest.collation import sort_key
from ingest.model import DocumentRecord, LetterMetadata, Page
from webui.list_views import assignee_groups, fill_latest_tasks


def task(text: str, *assignees: str, as_read: str | None = None) -> dict[str, Any]:
    found = {"label": "1", "text": text, "deadline": None, "assignees": list(assignees)}
    return {**found, "text_as_read": as_read} if as_read else found


def add(catalog: CatalogStore, number: int, tasks: list[dict[str, Any]], symbol: str = "UBND-VP",
        blank: bool = False) -> str:
    doc_id = f"{number:012x}"
    metadata = {"text": f"Thư số {number}", "doc_type": "Công văn", "symbol": symbol,
                "number": None if blank else str(number),
                "reference": None if blank else f"{number}/{symbol}",
                "subject": f"việc số {number}", "tasks": tasks}
    record = DocumentRecord(doc_id, f"{number:064x}", f"thu-{number}.txt", "text/plain", 10,
                            [Page(1, metadata["text"])], LetterMetadata.from_dict(metadata))
    assert catalog.add_document(record)
    return doc_id


@pytest.fixture
def catalog(catalog_location, monkeypatch: pytest.MonkeyPatch) -> CatalogStore:
    """Letters 1, 2, 3 archived a minute apart, in that order."""
    clock = iter(f"2025-03-0{day}T08:00:00+00:00" for day in range(1, 10))
    monkeypatch.setattr(ingest.store.catalog_sql, "now_iso", lambda: next(clock))
    catalog = open_catalog(catalog_location)
    add(catalog, 1, [task("Các sở, ngành tỉnh rà soát.", "Các sở, ngành tỉnh"),
                     task("Tổng hợp chung.")])
    add(catalog, 2, [task("Các sở, ngành Tỉnh báo cáo.", "Các sở, ngành Tỉnh",
                          as_read="Cac so, nganh Tinh bao cao.")], blank=True)
    add(catalog, 3, [task("Ủy ban nhân dân các xã kiểm tra.", "Ủy ban nhân dân các xã",
                          "các sở, ngành tỉnh")])
    yield catalog
    catalog.close()


def test_each_group_gets_its_latest_tasks_from_all_its_spellings(catalog: CatalogStore) -> None:
    groups = assignee_groups(catalog.assignee_counts(), "")
    fill_latest_tasks(catalog, groups, 5)
    departments, committee = groups
    assert [row["id"] for row in departments.tasks] == [f"{n:012x}" for n in (3, 2, 1)]
    assert departments.tasks[1]["text_as_read"] == "Cac so, nganh Tinh bao cao."
    assert (departments.tasks[1]["reference"], departments.tasks[1]["symbol"]) == (None, "UBND-VP")
    assert [row["text"] for row in committee.tasks] == ["Ủy ban nhân dân các xã kiểm tra."]
    fill_latest_tasks(catalog, groups, 2)
    assert [row["id"] for row in departments.tasks] == [f"{n:012x}" for n in (3, 2)]


def test_unassigned_tasks_are_listed(catalog: CatalogStore) -> None:
    count, rows = catalog.unassigned_tasks(5)
    assert count == 1
    assert [(row["id"], row["text"]) for row in rows] == [(f"{1:012x}", "Tổng hợp chung.")]


def test_latest_documents_newest_first(catalog: CatalogStore) -> None:
    rows = catalog.latest_documents(2)
    assert [row["id"] for row in rows] == [f"{3:012x}", f"{2:012x}"]
    assert rows[1]["symbol"] == "UBND-VP" and rows[1]["reference"] is None


def test_assignees_group_without_case_and_diacritics(catalog: CatalogStore) -> None:
    groups = assignee_groups(catalog.assignee_counts(), "")
    assert [(g.assignee, g.count) for g in groups] == [
        ("Các sở, ngành tỉnh", 3), ("Ủy ban nhân dân các xã", 1)]
    assert set(groups[0].spellings) == {"Các sở, ngành tỉnh", "Các sở, ngành Tỉnh",
                                        "các sở, ngành tỉnh"}
    assert [g.assignee for g in assignee_groups(catalog.assignee_counts(), "uy ban")] == [
        "Ủy ban nhân dân các xã"]


def test_vietnamese_alphabetical_order() -> None:
    names = ["Ủy ban nhân dân", "Công an tỉnh", "các sở, ngành", "Đài Phát thanh", "Dân tộc",
             "Ban Tuyên giáo", "ăn", "an", "Bộ", "Bỏ", "Bó", "Bò", "Bo", "UBND các xã", "2 xã"]
    assert sorted(names, key=sort_key) == [
        "2 xã", "an", "ăn", "Ban Tuyên giáo", "Bo", "Bò", "Bỏ", "Bó", "Bộ", "các sở, ngành",
        "Công an tỉnh", "Dân tộc", "Đài Phát thanh", "UBND các xã", "Ủy ban nhân dân"]
