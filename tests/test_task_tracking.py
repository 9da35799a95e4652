"""Tasks tracked to their deadline (issue 16), on invented letters: assignee names made one
(abbreviations, the letter's province, groups, the 2025 reorganisation), the states of a task
(open, due soon, overdue, done by staff or by a later reply), the catalog's task status on both
engines, the pages per assignee and per issuer, marking done and reopening, the exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import icalendar
import pytest

from ingest import Archive, CatalogStore, open_catalog
from ingest.curation.assignee_names import normalise, same_body, successors
from ingest.curation.task_exports import CSV_COLUMNS, tasks_calendar, write_tasks_csv
from ingest.curation.task_tracking import (
    DONE,
    DUE_SOON,
    OPEN,
    OVERDUE,
    all_tasks,
    assignee_directory,
    assignee_tasks,
    issuer_tasks,
    mark_task,
    task_key,
)
from ingest.model import DocumentRecord, LetterMetadata, Page
from ingest.store.catalog import TASK_DONE, TASK_OPEN

from .test_roles import role_app, signed_in_client
from .test_upload import csrf_of

TODAY = dt.date(2025, 6, 20)
LAM_DONG = "Ủy ban nhân dân tỉnh Lâm Đồng"


# -- names -------------------------------------------------------------------------------------


def test_one_body_written_five_ways_is_one_assignee() -> None:
    names = {normalise(written, "Lâm Đồng").name for written in (
        "Sở Tài chính", "Sở TC", "STC", "SỞ TÀI CHÍNH", "Sở Tài chính tỉnh Lâm Đồng")}
    assert names == {"Sở Tài chính tỉnh Lâm Đồng"}
    assert normalise("Sở Tài chính", "Bình Thuận").name == "Sở Tài chính tỉnh Bình Thuận"
    assert normalise("Công an Tỉnh", "Lâm Đồng").name == "Công an tỉnh Lâm Đồng"
    assert normalise("Sở Y tế", "Hải Phòng").name == "Sở Y tế thành phố Hải Phòng"
    assert normalise("BTC").name == "Bộ Tài chính"


def test_groups_stay_groups() -> None:
    group = normalise("Các sở, ban, ngành tỉnh", "Lâm Đồng")
    assert (group.name, group.group) == ("Các sở, ban, ngành", True)
    assert normalise("UBND các huyện").name == "Ủy ban nhân dân các huyện"
    assert successors("Các sở, ban, ngành") == []


def test_bodies_renamed_or_merged_in_2025_find_their_new_names() -> None:
    assert successors("Sở Kế hoạch và Đầu tư tỉnh Bình Thuận") == ["Sở Tài chính tỉnh Lâm Đồng"]
    assert successors("Bộ Kế hoạch và Đầu tư") == ["Bộ Tài chính"]
    assert successors("Sở Giao thông vận tải tỉnh Lâm Đồng") == ["Sở Xây dựng tỉnh Lâm Đồng"]
    assert successors("Sở Tài nguyên và Môi trường tỉnh Hải Dương") == [
        "Sở Nông nghiệp và Môi trường thành phố Hải Phòng"]
    assert successors("Sở Lao động - Thương binh và Xã hội tỉnh Lâm Đồng")[:2] == [
        "Sở Nội vụ tỉnh Lâm Đồng", "Sở Y tế tỉnh Lâm Đồng"]
    assert successors("Sở Y tế tỉnh Lâm Đồng") == []  # unchanged
    assert same_body("Sở Kế hoạch và Đầu tư tỉnh Bình Thuận", "Sở Tài chính tỉnh Lâm Đồng")
    assert not same_body("Sở Tài chính tỉnh Lâm Đồng", "Sở Y tế tỉnh Lâm Đồng")


# -- an archive of letters -------------------------------------------------------------------


def _task(text: str, *assignees: str, deadline: str | None = None,
          deadlines: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"label": "1", "text": text, "assignees": list(assignees), "deadline": deadline,
            "deadlines": deadlines if deadlines is not None else (
                [{"kind": "task", "date": deadline, "precision": "day"}] if deadline else [])}


def add_letter(catalog: CatalogStore, number: int, tasks: list[dict[str, Any]], *,
               issuer: str = LAM_DONG, date: str = "2025-06-01", doc_type: str = "Công văn",
               subject: str = "", citations: list[str] = (),
               relation: str | None = None) -> str:
    doc_id = f"{number:012x}"
    metadata = {"text": f"Văn bản số {number}", "doc_type": doc_type, "number": str(number),
                "symbol": "UBND-KT", "reference": f"{number}/UBND-KT",
                "key": f"{number}/ubnd-kt", "issuer": issuer, "date": date,
                "date_precision": "day", "subject": subject or f"việc số {number}",
                "tasks": tasks,
                "citations": [{"reference": key.upper(), "key": key, "relation": relation}
                              for key in citations]}
    record = DocumentRecord(doc_id, f"{number:064x}", f"vb-{number}.txt", "text/plain", 10,
                            [Page(1, metadata["text"])], LetterMetadata.from_dict(metadata))
    assert catalog.add_document(record)
    return doc_id


def fill(catalog: CatalogStore) -> dict[str, str]:
    """Letters of Lâm Đồng and Bình Thuận (before 2025) giving tasks to its departments."""
    return {
        "overdue": add_letter(catalog, 1, [_task("Sở TC bố trí kinh phí.", "Sở TC",
                                                 deadline="2025-06-10")]),
        "soon": add_letter(catalog, 2, [_task("Sở Tài chính thẩm định.", "Sở Tài chính",
                                              deadline="2025-06-25")]),
        "later": add_letter(catalog, 3, [_task("Sở Tài chính tổng hợp.", "Sở Tài chính tỉnh "
                                               "Lâm Đồng", deadline="2025-09-30")]),
        "none": add_letter(catalog, 4, [_task("STC theo dõi.", "STC")]),
        "monthly": add_letter(catalog, 5, [_task(
            "Sở Tài chính báo cáo trước ngày 25 hằng tháng.", "Sở Tài chính", deadlines=[
                {"kind": "report", "recurrence": "monthly", "day": 25}])]),
        "old": add_letter(catalog, 6, [_task("Sở Kế hoạch và Đầu tư tham mưu.", "Sở Kế hoạch "
                                             "và Đầu tư", deadline="2025-02-28")],
                          issuer="Ủy ban nhân dân tỉnh Bình Thuận", date="2025-02-01"),
        "other": add_letter(catalog, 7, [_task("Sở Y tế kiểm tra.", "Sở Y tế",
                                               deadline="2025-06-05")]),
        "group": add_letter(catalog, 8, [_task("Các sở, ban, ngành rà soát.",
                                               "Các sở, ban, ngành tỉnh")]),
    }


@pytest.fixture
def catalog(catalog_location) -> CatalogStore:
    catalog = open_catalog(catalog_location)
    yield catalog
    catalog.close()


def test_the_tasks_of_an_assignee_by_state_old_names_included(catalog: CatalogStore) -> None:
    ids = fill(catalog)
    tasks = assignee_tasks(catalog, "Sở Tài chính tỉnh Lâm Đồng", today=TODAY)
    states = {task.document_id: task.state for task in tasks.tasks}
    assert states == {ids["overdue"]: OVERDUE, ids["soon"]: DUE_SOON, ids["later"]: OPEN,
                      ids["none"]: OPEN, ids["monthly"]: DUE_SOON, ids["old"]: OVERDUE}
    assert tasks.old_names == ["Sở Kế hoạch và Đầu tư tỉnh Bình Thuận"]
    monthly = next(task for task in tasks.tasks if task.document_id == ids["monthly"])
    assert (monthly.recurring, monthly.due) == (True, dt.date(2025, 6, 25))
    old = next(task for task in tasks.tasks if task.document_id == ids["old"])
    assert old.old_names == ["Sở Kế hoạch và Đầu tư tỉnh Bình Thuận"]
    # due soon is a parameter: 3 days leaves the 25th open
    later = assignee_tasks(catalog, "Sở Tài chính tỉnh Lâm Đồng", today=TODAY, soon_days=3)
    assert {t.document_id for t in later.tasks if t.state == DUE_SOON} == set()
    # the old name's own page says what it is called now
    old_page = assignee_tasks(catalog, "Sở Kế hoạch và Đầu tư tỉnh Bình Thuận", today=TODAY)
    assert old_page.renamed_to == ["Sở Tài chính tỉnh Lâm Đồng"]
    assert [t.document_id for t in old_page.tasks] == [ids["old"]]


def test_a_directory_resolves_typed_names_and_keeps_groups(catalog: CatalogStore) -> None:
    fill(catalog)
    directory = assignee_directory(catalog)
    assert directory.resolve("so tai chinh tinh lam dong") == "Sở Tài chính tỉnh Lâm Đồng"
    assert directory.resolve("Sở TC") == "Sở Tài chính tỉnh Lâm Đồng"
    assert directory.resolve("Các sở, ban, ngành") == "Các sở, ban, ngành"
    assert "Các sở, ban, ngành" in directory.groups
    assert directory.resolve("Sở Du lịch") is None


def test_staff_mark_done_and_reopen_with_who_when_and_a_note(catalog: CatalogStore) -> None:
    ids = fill(catalog)
    saved = mark_task(catalog, ids["overdue"], 0, TASK_DONE, "Đã bố trí", "vanthu")
    assert (saved.status, saved.actor, saved.note) == ("done", "vanthu", "Đã bố trí")
    tasks = assignee_tasks(catalog, "Sở Tài chính tỉnh Lâm Đồng", today=TODAY).tasks
    done = next(task for task in tasks if task.document_id == ids["overdue"])
    assert done.state == DONE and done.status.actor == "vanthu"
    history = catalog.document_history(ids["overdue"])
    assert history[0].field == "task" and history[0].new["status"] == "done"
    mark_task(catalog, ids["overdue"], 0, TASK_OPEN, None, "truongphong")
    again = assignee_tasks(catalog, "Sở Tài chính tỉnh Lâm Đồng", today=TODAY).tasks
    assert next(t for t in again if t.document_id == ids["overdue"]).state == OVERDUE
    with pytest.raises(LookupError):
        mark_task(catalog, ids["overdue"], 5, TASK_DONE, None, "vanthu")
    with pytest.raises(LookupError):
        mark_task(catalog, "ffffffffffff", 0, TASK_DONE, None, "vanthu")


def test_a_later_reply_from_the_assignee_answers_the_task(catalog: CatalogStore) -> None:
    ids = fill(catalog)
    # a letter of another body citing it answers nothing; the department's report does
    add_letter(catalog, 20, [], issuer="Sở Y tế tỉnh Lâm Đồng", date="2025-06-12",
               subject="Báo cáo kết quả thực hiện Công văn số 1/UBND-KT",
               citations=["1/ubnd-kt"])
    tasks = assignee_tasks(catalog, "Sở Tài chính tỉnh Lâm Đồng", today=TODAY).tasks
    assert next(t for t in tasks if t.document_id == ids["overdue"]).state == OVERDUE
    reply = add_letter(catalog, 21, [], issuer="Sở Tài chính tỉnh Lâm Đồng",
                       date="2025-06-12", doc_type="Báo cáo",
                       subject="Kết quả thực hiện Công văn số 1/UBND-KT",
                       citations=["1/ubnd-kt"])
    tasks = assignee_tasks(catalog, "Sở Tài chính tỉnh Lâm Đồng", today=TODAY).tasks
    answered = next(t for t in tasks if t.document_id == ids["overdue"])
    assert (answered.state, [row["id"] for row in answered.answered_by]) == (DONE, [reply])
    mark_task(catalog, ids["overdue"], 0, TASK_OPEN, "Báo cáo chưa đủ", "vanthu")  # staff win
    tasks = assignee_tasks(catalog, "Sở Tài chính tỉnh Lâm Đồng", today=TODAY).tasks
    assert next(t for t in tasks if t.document_id == ids["overdue"]).state == OVERDUE


def test_with_typed_citations_only_the_reply_thread_answers(catalog: CatalogStore) -> None:
    ids = fill(catalog)
    # a later letter of the department that only rests on the directive ('Căn cứ …') answers
    # nothing, even as a Báo cáo; its reply ('Trả lời Công văn số 2/UBND-KT') does
    add_letter(catalog, 22, [], issuer="Sở Tài chính tỉnh Lâm Đồng", date="2025-06-12",
               doc_type="Báo cáo", citations=["2/ubnd-kt"], relation="can_cu")
    # nor does its own letter carrying it out on to others: not a report, so not in its thread
    add_letter(catalog, 24, [], issuer="Sở Tài chính tỉnh Lâm Đồng", date="2025-06-12",
               subject="triển khai thực hiện Công văn số 2/UBND-KT", citations=["2/ubnd-kt"],
               relation="thuc_hien")
    tasks = assignee_tasks(catalog, "Sở Tài chính tỉnh Lâm Đồng", today=TODAY).tasks
    assert next(t for t in tasks if t.document_id == ids["soon"]).state == DUE_SOON
    reply = add_letter(catalog, 23, [], issuer="Sở Tài chính tỉnh Lâm Đồng", date="2025-06-13",
                       subject="góp ý dự thảo", citations=["2/ubnd-kt"], relation="tra_loi")
    tasks = assignee_tasks(catalog, "Sở Tài chính tỉnh Lâm Đồng", today=TODAY).tasks
    soon = next(t for t in tasks if t.document_id == ids["soon"])
    assert (soon.state, [row["id"] for row in soon.answered_by]) == (DONE, [reply])


def test_the_tasks_an_issuer_gives(catalog: CatalogStore) -> None:
    ids = fill(catalog)
    given = issuer_tasks(catalog, LAM_DONG, today=TODAY)
    assert ids["old"] in {t.document_id for t in given.tasks}  # Bình Thuận's, before 2025
    assert given.old_names == ["Ủy ban nhân dân tỉnh Bình Thuận"]
    assert len(all_tasks(catalog, today=TODAY).tasks) == 8


def test_a_status_follows_its_task_when_the_letter_is_corrected(catalog: CatalogStore) -> None:
    from ingest.curation.corrections import parse_changes

    ids = fill(catalog)
    mark_task(catalog, ids["overdue"], 0, TASK_DONE, None, "vanthu")
    catalog.correct_metadata(ids["overdue"], parse_changes({"tasks": [
        {"text": "Một việc mới thêm.", "assignees": ["Sở Y tế"]},
        {"text": "Sở TC bố trí kinh phí.", "assignees": ["Sở TC"], "deadline": "10/06/2025"}]}),
        "vanthu")
    statuses = catalog.task_statuses([ids["overdue"]])
    assert (ids["overdue"], task_key("Sở TC bố trí kinh phí.")) in statuses
    tasks = assignee_tasks(catalog, "Sở Tài chính tỉnh Lâm Đồng", today=TODAY).tasks
    moved = next(t for t in tasks if t.document_id == ids["overdue"])
    assert (moved.position, moved.state) == (1, DONE)


def test_a_status_follows_its_task_when_its_text_is_corrected(catalog: CatalogStore) -> None:
    from ingest.curation.corrections import parse_changes

    ids = fill(catalog)
    mark_task(catalog, ids["overdue"], 0, TASK_DONE, "đã bố trí", "vanthu")
    fixed = "Sở Tài chính bố trí kinh phí."  # the clerk writes the department's name out
    catalog.correct_metadata(ids["overdue"], parse_changes({"tasks": [
        {"text": fixed, "assignees": ["Sở TC"], "deadline": "10/06/2025"}]}), "vanthu")
    [status] = catalog.task_statuses([ids["overdue"]]).values()
    assert (status.task_key, status.status, status.note, status.actor) == (
        task_key(fixed), TASK_DONE, "đã bố trí", "vanthu")
    tasks = assignee_tasks(catalog, "Sở Tài chính tỉnh Lâm Đồng", today=TODAY).tasks
    assert next(t for t in tasks if t.document_id == ids["overdue"]).state == DONE


def test_a_status_stays_behind_when_its_task_is_replaced_by_another(
        catalog: CatalogStore) -> None:
    from ingest.curation.corrections import parse_changes

    ids = fill(catalog)
    mark_task(catalog, ids["overdue"], 0, TASK_DONE, None, "vanthu")
    catalog.correct_metadata(ids["overdue"], parse_changes({"tasks": [
        {"text": "Công an tỉnh tăng cường tuần tra ban đêm.", "assignees": ["Công an tỉnh"]}]}),
        "vanthu")
    [status] = catalog.task_statuses([ids["overdue"]]).values()
    assert status.task_key == task_key("Sở TC bố trí kinh phí.")  # not the new task's


def test_a_status_follows_its_task_when_the_letter_is_read_again(catalog: CatalogStore) -> None:
    ids = fill(catalog)
    mark_task(catalog, ids["overdue"], 0, TASK_DONE, None, "vanthu")
    record = catalog.machine_metadata(ids["overdue"])
    record.tasks[0].text = "Sở TC bố trí kinh phí thực hiện."  # a newer extractor reads more
    catalog.replace_metadata(ids["overdue"], record)
    [status] = catalog.task_statuses([ids["overdue"]]).values()
    assert status.task_key == task_key("Sở TC bố trí kinh phí thực hiện.")


def test_moved_task_keys_match_by_likeness_then_place() -> None:
    from ingest.store.catalog import moved_task_keys

    before = ["Sở Y tế kiểm tra.", "Sở TC bố trí kinh phí.", "Sở Xây dựng thẩm định."]
    after = ["Sở Xây dựng thẩm định.", "Sở Y tế kiểm tra kỹ.", "Sở Tài chính bố trí kinh phí."]
    kept = {task_key(text) for text in before}
    assert moved_task_keys(before, after, kept) == {
        task_key(before[0]): task_key(after[1]), task_key(before[1]): task_key(after[2])}
    assert moved_task_keys(before, after, {task_key(before[2])}) == {}  # unchanged
    assert moved_task_keys(before, before[:1], kept) == {}  # deleted tasks: nowhere to go


# -- exports -------------------------------------------------------------------------------------


def test_the_exports_parse_back_and_escape_the_letters_words(catalog: CatalogStore) -> None:
    ids = fill(catalog)
    add_letter(catalog, 30, [_task('=HYPERLINK("x");\nBEGIN:VEVENT, "trích dẫn"', "Sở Tài chính",
                                   deadline="2025-07-01",
                                   deadlines=[{"kind": "task", "date": "2025-07-01",
                                               "precision": "day", "time": "15:00"}])])
    tasks = assignee_tasks(catalog, "Sở Tài chính tỉnh Lâm Đồng", today=TODAY).tasks
    out = io.StringIO()
    assert write_tasks_csv(out, tasks) == len(tasks) == 7
    rows = list(csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    hostile = next(row for row in rows[1:] if "HYPERLINK" in row[4])
    assert hostile[4].startswith("'=")  # never a formula
    assert any(row[6] == "Báo cáo: hằng tháng, trước ngày 25" for row in rows[1:])
    feed = icalendar.Calendar.from_ical(tasks_calendar(tasks, name="Sở Tài chính",
                                                       today=TODAY))
    todos = {todo["uid"].split("-")[0]: todo for todo in feed.walk("VTODO")}
    assert len(todos) == 6  # the one without a deadline has no due day
    assert ids["none"] not in todos
    assert todos[ids["soon"]].decoded("due") == dt.date(2025, 6, 25)
    monthly = todos[ids["monthly"]]
    assert monthly["rrule"]["FREQ"] == ["MONTHLY"]
    assert monthly.decoded("due") == dt.date(2025, 6, 25)
    weird = todos[f"{30:012x}"]
    assert weird.decoded("due") == dt.datetime(2025, 7, 1, 15, 0)
    assert 'BEGIN:VEVENT, "trích dẫn"' in str(weird["summary"])  # one value, escaped
    assert len(list(feed.walk("VEVENT"))) == 0


# -- pages, marks and the API -----------------------------------------------------------------


@pytest.fixture
def app(tmp_path: Path):
    app = role_app(tmp_path, TODAY=TODAY.isoformat())
    with open_catalog(Archive(Path(app.config["ARCHIVE"])).catalog_path) as catalog:
        app.ids = fill(catalog)
    return app


def test_the_assignee_page_shows_each_state_and_the_old_names(app) -> None:
    client = signed_in_client(app, "reader")
    page = client.get("/nhiem-vu/don-vi?ten=Sở+TC")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Nhiệm vụ giao cho Sở Tài chính tỉnh Lâm Đồng" in html
    for heading in ("Quá hạn", "Sắp đến hạn", "Đang thực hiện", "Đã xong"):
        assert f"<h2>{heading}" in html
    assert "Gồm cả nhiệm vụ giao cho tên cũ" in html and "Sở Kế hoạch và Đầu tư tỉnh" in html
    assert "Hạn kế tiếp: 25/06/2025" in html  # the recurring report
    assert "Đánh dấu đã xong" not in html  # a reader sees no button
    overdue = client.get("/nhiem-vu/don-vi?ten=Sở+TC&trang-thai=qua-han").get_data(as_text=True)
    assert "Sở TC bố trí kinh phí" in overdue and "Sở Tài chính thẩm định" not in overdue
    old = client.get("/nhiem-vu/don-vi?ten=Sở+Kế+hoạch+và+Đầu+tư+tỉnh+Bình+Thuận")
    assert "Từ năm 2025, đơn vị này là" in old.get_data(as_text=True)
    assert client.get("/nhiem-vu/don-vi?ten=Sở+Du+lịch").status_code == 404
    assert client.get("/nhiem-vu/don-vi?ten=Sở+TC&trang-thai=sai").status_code == 400
    letter = client.get(f"/van-ban/{app.ids['monthly']}").get_data(as_text=True)
    assert "Hạn: Báo cáo: hằng tháng, trước ngày 25" in letter
    assert "/nhiem-vu/don-vi?ten=S%E1%BB%9F+T%C3%A0i+ch%C3%ADnh" in letter  # its tracking page
    issuer = client.get("/nhiem-vu/co-quan?ten=" + LAM_DONG).get_data(as_text=True)
    assert "Nhiệm vụ do Ủy ban nhân dân tỉnh Lâm Đồng" in issuer and "Sở Y tế kiểm tra" in issuer


def test_a_clerk_marks_a_task_done_with_csrf_and_the_audit_log_keeps_it(app) -> None:
    reader = signed_in_client(app, "reader")
    token = csrf_of(reader, "/nhiem-vu/don-vi?ten=Sở+TC")
    url = f"/van-ban/{app.ids['overdue']}/nhiem-vu/0/trang-thai"
    assert reader.post(url, data={"status": "done", "csrf_token": token}).status_code == 403
    clerk = signed_in_client(app, "clerk")
    assert clerk.post(url, data={"status": "done"}).status_code == 400  # no CSRF token
    token = csrf_of(clerk, "/nhiem-vu/don-vi?ten=Sở+TC")
    done = clerk.post(url, data={"status": "done", "note": "Đã có báo cáo", "csrf_token": token,
                                 "next": "/nhiem-vu/don-vi?ten=Sở+TC"})
    assert done.status_code == 303
    assert unquote(done.headers["Location"]) == "/nhiem-vu/don-vi?ten=Sở+TC"
    page = clerk.get("/nhiem-vu/don-vi?ten=Sở+TC&trang-thai=da-xong").get_data(as_text=True)
    assert "Sở TC bố trí kinh phí" in page and "bởi clerk" in page and "Đã có báo cáo" in page
    assert "Mở lại" in page
    with open_catalog(Archive(Path(app.config["ARCHIVE"])).catalog_path) as catalog:
        entries = catalog.audit_entries(action="task")[1]
    assert entries[0].actor == "clerk" and entries[0].detail["status"] == "done"
    bad = clerk.post(f"/van-ban/{app.ids['overdue']}/nhiem-vu/9/trang-thai",
                     data={"status": "done", "csrf_token": token})
    assert bad.status_code == 404
    elsewhere = clerk.post(url, data={"status": "done", "csrf_token": token,
                                      "next": "//evil.example/"})
    assert elsewhere.headers["Location"].endswith(f"/van-ban/{app.ids['overdue']}#nhiem-vu")


def test_the_api_lists_and_marks_tasks(app) -> None:
    reader = signed_in_client(app, "reader")
    answer = reader.get("/api/nhiem-vu?don-vi=Sở+Tài+chính+tỉnh+Lâm+Đồng&trang-thai=qua-han")
    data = answer.get_json()
    assert data["name"] == "Sở Tài chính tỉnh Lâm Đồng"
    assert data["counts"]["overdue"] == 2
    assert [t["state"] for t in data["tasks"]] == ["overdue", "overdue"]
    assert data["tasks"][0]["deadlines"][0]["date"] == "2025-02-28"
    assert reader.get("/api/nhiem-vu").status_code == 400
    clerk = signed_in_client(app, "clerk")
    token = csrf_of(clerk, "/nhiem-vu")
    url = f"/api/documents/{app.ids['soon']}/tasks/0/status"
    marked = clerk.post(url, json={"status": "done", "note": "xong"},
                        headers={"X-CSRF-Token": token})
    assert marked.status_code == 200 and marked.get_json()["by"] == "clerk"
    assert clerk.post(url, json={"status": "maybe"}, headers={"X-CSRF-Token": token}
                      ).status_code == 400
    after = reader.get("/api/nhiem-vu?don-vi=Sở+TC&trang-thai=da-xong").get_json()
    assert [t["document"] for t in after["tasks"]] == [app.ids["soon"]]


def test_the_page_exports_parse_back(app) -> None:
    client = signed_in_client(app, "reader")
    table = client.get("/nhiem-vu/don-vi.csv?ten=Sở+TC&trang-thai=qua-han")
    rows = list(csv.reader(io.StringIO(table.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 3 and rows[0][0] == "Văn bản"
    feed = client.get("/nhiem-vu/don-vi.ics?ten=Sở+TC")
    assert feed.headers["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(feed.get_data())
    assert len(list(calendar.walk("VTODO"))) == 5
    assert all(str(todo["url"]).startswith("/van-ban/") for todo in calendar.walk("VTODO"))


# -- the command ---------------------------------------------------------------------------------


def test_the_command_lists_and_exports_tasks(tmp_path: Path, capsys) -> None:
    from congvan.cli import main

    archive = Archive(tmp_path / "archive")
    archive.root.mkdir()
    with open_catalog(archive.catalog_path) as catalog:
        ids = fill(catalog)
    base = ["tasks", "--archive", str(archive.root), "--today", TODAY.isoformat()]
    main([*base, "--assignee", "Sở TC", "--overdue"])
    out, err = capsys.readouterr()
    assert [line.split()[0] for line in out.splitlines()] == ["Quá", "Quá"]
    assert "Sở TC bố trí kinh phí" in out and "Sở Kế hoạch và Đầu tư" in err
    main([*base, "--assignee", "Sở TC", "--json"])
    listed = {task["document"]: task["state"] for task in json.loads(capsys.readouterr()[0])}
    assert listed[ids["soon"]] == "due-soon" and ids["other"] not in listed
    main([*base, "--issuer", LAM_DONG, "--csv"])
    rows = list(csv.reader(io.StringIO(capsys.readouterr()[0].lstrip("\ufeff"))))
    assert len(rows) == 1 + 8  # Bình Thuận's letter too: Lâm Đồng since 2025
    main([*base, "--assignee", "Sở TC", "--ics"])
    feed = icalendar.Calendar.from_ical(capsys.readouterr()[0])
    assert len(list(feed.walk("VTODO"))) == 5
    with pytest.raises(SystemExit) as refused:
        main([*base, "--assignee", "Sở Du lịch"])
    assert refused.value.code == 2
