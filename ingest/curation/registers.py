"""The registers of letters received and sent (sổ đăng ký văn bản đến / đi, Decree 30/2020/NĐ-CP,
Appendix IV): what a clerk may enter (checked the same way for the page's form, the API and the
command) and the register's columns for its export. The entries live in the catalog
(CatalogStore.register_letter)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from ingest.printable import csv_cell
from ingest.store.catalog import DIRECTIONS, INCOMING, OUTGOING

DIRECTION_LABELS = {INCOMING: "Văn bản đến", OUTGOING: "Văn bản đi"}
REGISTER_TITLES = {INCOMING: "Sổ đăng ký văn bản đến", OUTGOING: "Sổ đăng ký văn bản đi"}
MAX_ARRIVAL_NUMBER = 999_999
MAX_UNIT = 200
MAX_NOTE = 1000

# The columns of the two registers, as Appendix IV's forms head them.
INCOMING_COLUMNS = ("Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Ngày tháng",
                    "Tên loại và trích yếu nội dung", "Đơn vị hoặc người nhận", "Ký nhận",
                    "Ghi chú")
OUTGOING_COLUMNS = ("Số, ký hiệu văn bản", "Ngày tháng văn bản",
                    "Tên loại và trích yếu nội dung văn bản", "Người ký", "Nơi nhận văn bản",
                    "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ngày chuyển", "Ký nhận",
                    "Ghi chú")


@dataclass(frozen=True)
class RegisterInput:
    """What a clerk entered for a letter's register entry, checked."""

    direction: str
    entry_date: str | None = None  # ISO
    arrival_number: int | None = None  # None: the next free one (incoming)
    unit: str | None = None
    note: str | None = None


def parse_register_input(values: Mapping[str, Any]) -> tuple[RegisterInput | None, dict[str, str]]:
    """The entry a form or a JSON body asks for (`direction` "den" or "di", `entry_date`
    dd/mm/yyyy or ISO, `arrival_number`, `unit`, `note`), or field → why not (Vietnamese)."""
    errors: dict[str, str] = {}
    direction = str(values.get("direction") or "").strip()
    if direction not in DIRECTIONS:
        errors["direction"] = "Chọn văn bản đến hoặc văn bản đi."
    entry_date = parse_date(values.get("entry_date"))
    if entry_date is False:
        errors["entry_date"] = "Ngày không hợp lệ (dd/mm/yyyy)."
    number = _text(values.get("arrival_number"))
    arrival_number = None
    if number is not None:
        if not number.isdigit() or not 1 <= int(number) <= MAX_ARRIVAL_NUMBER:
            errors["arrival_number"] = f"Số đến là một số từ 1 đến {MAX_ARRIVAL_NUMBER}."
        else:
            arrival_number = int(number)
    unit, note = _text(values.get("unit")), _text(values.get("note"))
    if unit is not None and len(unit) > MAX_UNIT:
        errors["unit"] = f"Tối đa {MAX_UNIT} ký tự."
    if note is not None and len(note) > MAX_NOTE:
        errors["note"] = f"Tối đa {MAX_NOTE} ký tự."
    if errors:
        return None, errors
    return RegisterInput(direction, entry_date or None, arrival_number, unit, note), {}


def parse_date(value: Any) -> str | bool | None:
    """ISO date of 'dd/mm/yyyy' or 'yyyy-mm-dd'; None when empty, False when not a date."""
    text = _text(value)
    if text is None:
        return None
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return date(year, month, day).isoformat()
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return False


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def display_date(iso: str | None) -> str:
    """'2025-03-12' → '12/03/2025' as registers write dates ('' for None, a partial date as
    it is)."""
    if not iso or len(iso) != 10:
        return iso or ""
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def register_columns(direction: str) -> tuple[str, ...]:
    return INCOMING_COLUMNS if direction == INCOMING else OUTGOING_COLUMNS


def register_cells(row: Mapping[str, Any]) -> list[str]:
    """One register row (CatalogStore.register_rows) as the register's columns."""
    title = " - ".join(part for part in (row.get("doc_type"), row.get("subject")) if part)
    if row["direction"] == INCOMING:
        return [display_date(row["entry_date"]), str(row["arrival_number"] or ""),
                row.get("issuer") or "", row.get("reference") or "",
                display_date(row.get("issued_date")), title, row.get("unit") or "", "",
                row.get("note") or ""]
    signer = " ".join(part for part in (row.get("signer_title"), row.get("signer_name")) if part)
    return [row.get("reference") or "", display_date(row.get("issued_date")), title, signer,
            "; ".join(row.get("distribution") or []), row.get("unit") or "", "",
            display_date(row["entry_date"]), "", row.get("note") or ""]


def write_register_csv(out: IO[str], direction: str, rows: Iterable[Mapping[str, Any]]) -> int:
    """Write a register as CSV (a BOM so spreadsheets read UTF-8; no cell starts a formula);
    how many rows."""
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(register_columns(direction))
    count = 0
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in register_cells(row)])
        count += 1
    return count
