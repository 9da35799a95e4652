"""Letters in the fields of Decree 30's Phụ lục VI (ingest.exchange): the record, the command's
export, and the JSON/CSV routes for one letter and for a search."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from congvan.cli import main
from ingest.exchange import EXCHANGE_COLUMNS, exchange_record, exchange_row
from ingest.model import ArrivalStamp, Assignment, LetterMetadata, Signer
from ingest.store.catalog import RegisterEntry


def letter(**fields) -> LetterMetadata:
    base = {
        "doc_type": "Công văn", "reference": "04/UBND-NCPC", "number": "04",
        "symbol": "UBND-NCPC", "issuer": "Ủy ban nhân dân tỉnh Đồng Tháp", "date": "2025-01-06",
        "subject": "Tăng cường phòng ngừa tội phạm", "pages": 2,
        "signer": Signer(name="Nguyễn Văn A", title="Phó Chủ tịch", authority="KT."),
        "distribution": ["Như trên;", "Thường trực Tỉnh ủy;", "Công an Tỉnh;", "Lưu: VT, NCPC."],
    }
    return LetterMetadata(**{**base, **fields})


def register(direction: str, number: int | None = 17) -> RegisterEntry:
    return RegisterEntry("d1", direction, "", 2025, number, "2025-01-08", "Phòng Tổng hợp",
                         None, "an", "t", "an", "t")


def test_number_and_symbol_are_separate_fields_and_the_signer_is_position_and_name():
    record = exchange_record("d1", letter())
    assert (record["CodeNumber"], record["CodeNotation"], record["TypeName"]) == (
        "04", "UBND-NCPC", "Công văn")
    assert (record["IssuedDate"], record["OrganName"], record["PageAmount"]) == (
        "2025-01-06", "Ủy ban nhân dân tỉnh Đồng Tháp", 2)
    assert record["SignerInfo"] == {"Position": "Phó Chủ tịch", "FullName": "Nguyễn Văn A",
                                    "Authority": "KT."}
    assert record["Identifier"] == "d1" and record["Language"] == "vi"
    assert list(record) == list(dict.fromkeys(c.split(".")[0] for c in EXCHANGE_COLUMNS))


def test_to_is_kinh_gui_else_noi_nhan_without_the_file_copy_and_nhu_tren():
    assert [o["OrganName"] for o in exchange_record("d1", letter())["To"]] == [
        "Thường trực Tỉnh ủy", "Công an Tỉnh"]
    addressed = letter(recipients=["Các sở, ngành tỉnh;", "UBND các huyện."])
    assert [o["OrganName"] for o in exchange_record("d1", addressed)["To"]] == [
        "Các sở, ngành tỉnh", "UBND các huyện"]


def test_due_date_is_the_earliest_task_deadline_and_priority_carries_urgency_and_secrecy():
    tasks = [Assignment(text="Báo cáo", deadline="2025-06-30"),
             Assignment(text="Rà soát", deadline="2025-03-15"), Assignment(text="Theo dõi")]
    record = exchange_record("d1", letter(tasks=tasks, urgency="Hỏa tốc", secrecy="Mật"))
    assert record["DueDate"] == "2025-03-15"
    assert record["Priority"] == {"Urgency": "Hỏa tốc", "Secrecy": "Mật"}
    assert exchange_record("d1", letter())["DueDate"] is None


def test_arrival_comes_from_the_register_over_the_stamp_read_on_the_scan():
    stamped = letter(arrival_stamp=ArrivalStamp(number="95", date="2025-01-07", unit="VP"))
    from_stamp = exchange_record("d1", stamped)
    assert (from_stamp["ArrivalNumber"], from_stamp["ArrivalDate"], from_stamp["ToPlaces"]) == (
        "95", "2025-01-07", ["VP"])
    registered = exchange_record("d1", stamped, register=register("den"))
    assert (registered["Direction"], registered["ArrivalNumber"], registered["ArrivalDate"],
            registered["ToPlaces"]) == ("den", "17", "2025-01-08", ["Phòng Tổng hợp"])
    sent = exchange_record("d1", letter(), register=register("di", None))
    assert (sent["Direction"], sent["ArrivalNumber"], sent["ToPlaces"]) == ("di", None, [])


def test_a_csv_row_flattens_nested_fields_and_lists():
    row = dict(zip(EXCHANGE_COLUMNS, exchange_row(exchange_record("d1", letter())),
                   strict=True))
    assert row["SignerInfo.FullName"] == "Nguyễn Văn A"
    assert row["To"] == "Thường trực Tỉnh ủy; Công an Tỉnh"
    assert row["ToPlaces"] == "" and row["OrganId"] is None


def test_the_command_exports_every_letter_in_phu_luc_vi_fields(tmp_path, capsys, seed_paths):
    archive = tmp_path / "archive"
    main(["ingest", "--archive", str(archive), *map(str, seed_paths)])
    capsys.readouterr()
    main(["export", "--archive", str(archive), "--fields", "phu-luc-vi", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == len(seed_paths)
    assert ("04", "UBND-NCPC") in {(r["CodeNumber"], r["CodeNotation"]) for r in rows}
    main(["export", "--archive", str(archive), "--fields", "phu-luc-vi"])
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["Identifier"] for r in records} == {r["Identifier"] for r in rows}


def test_a_letter_and_a_search_as_json_and_csv(client, ids):
    one = client.get(f"/api/documents/{ids['000']}/phu-luc-vi")
    assert one.status_code == 200
    record = one.get_json()
    assert (record["Identifier"], record["CodeNumber"], record["CodeNotation"]) == (
        ids["000"], "04", "UBND-NCPC")
    as_csv = client.get(f"/api/documents/{ids['000']}/phu-luc-vi.csv")
    [row] = csv.DictReader(io.StringIO(as_csv.get_data(as_text=True).lstrip("\ufeff")))
    assert (row["Identifier"], row["OrganName"]) == (ids["000"], record["OrganName"])

    found = client.get("/api/phu-luc-vi?q=dong+thap").get_json()
    searched = client.get("/api/search?q=dong+thap&per_page=100").get_json()
    assert found["count"] == searched["total"] >= 1
    assert [r["Identifier"] for r in found["records"]] == [h["id"] for h in searched["hits"]]
    assert client.get("/api/phu-luc-vi?q=dong+thap&limit=1").get_json()["count"] == 1
    listed = client.get("/api/phu-luc-vi.csv?q=dong+thap").get_data(as_text=True)
    assert len(list(csv.DictReader(io.StringIO(listed.lstrip("\ufeff"))))) == found["count"]
    assert client.get("/api/phu-luc-vi").status_code == 400  # no query


def test_cells_a_spreadsheet_would_run_are_quoted(tmp_path, capsys):
    text = (Path(__file__).parent.parent / "corpus").glob("000_*.txt").__next__().read_text(
        encoding="utf-8")
    hostile = tmp_path / "cong-thuc.txt"
    hostile.write_text(text.replace("Kinh gui: . .", "Kinh gui: =HYPERLINK(\"http://x\")"),
                       encoding="utf-8")
    archive = tmp_path / "archive"
    main(["ingest", "--archive", str(archive), str(hostile)])
    capsys.readouterr()
    main(["export", "--archive", str(archive), "--fields", "phu-luc-vi", "--format", "csv"])
    [row] = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert "HYPERLINK" in row["To"] and row["To"].startswith("'=")
