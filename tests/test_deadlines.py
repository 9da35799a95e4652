"""Deadlines in the forms offices write them (issue 16), on invented letters and task texts:
a date, a month, a time, recurring, at once, within days of the letter, the report back."""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.extract.deadlines import (
    add_working_days,
    due_on,
    find_deadlines,
    next_occurrence,
    single_due_date,
)
from ingest.extract.metadata import extract_metadata
from ingest.model import Deadline, LetterMetadata, deadline_dict

from .letters import provincial_letter

LETTER_DATE = "2026-06-10"  # the date of tests.letters' letters (a Wednesday)


def _read(text: str, date: str | None = LETTER_DATE) -> list[dict]:
    return [deadline_dict(item) for item in find_deadlines(text, date)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Sở Y tế triển khai, hoàn thành trước ngày 30/6/2026.",
     {"kind": "task", "date": "2026-06-30", "precision": "day"}),
    ("Các đơn vị gửi danh sách chậm nhất ngày 15/7/2026.",
     {"kind": "task", "date": "2026-07-15", "precision": "day"}),
    ("Hạn chót: 20/8/2026.", {"kind": "task", "date": "2026-08-20", "precision": "day"}),
    ("Hoàn thành trước ngày 30 tháng 9 năm 2026.",
     {"kind": "task", "date": "2026-09-30", "precision": "day"}),
    ("Gửi hồ sơ trước 15 giờ ngày 30/6/2026.",
     {"kind": "task", "date": "2026-06-30", "precision": "day", "time": "15:00"}),
    ("Gửi hồ sơ trước 16h30, ngày 01/7/2026.",
     {"kind": "task", "date": "2026-07-01", "precision": "day", "time": "16:30"}),
    ("Sở Tài chính tham mưu ban hành trong tháng 3/2027.",
     {"kind": "task", "date": "2027-03", "precision": "month"}),
    ("Sở Tài chính tham mưu ban hành trong tháng 8 năm 2026.",
     {"kind": "task", "date": "2026-08", "precision": "month"}),
])
def test_a_dated_deadline(text: str, expected: dict) -> None:
    assert _read(text) == [expected]


def test_a_date_without_its_year_takes_the_letters_next_one() -> None:
    assert _read("gửi trước ngày 20/7")[0]["date"] == "2026-07-20"
    assert _read("gửi trước ngày 15/01", "2026-12-05")[0]["date"] == "2027-01-15"
    assert _read("gửi trước ngày 20/7", None) == []  # no letter date: no year to give it


@pytest.mark.parametrize(("text", "recurrence", "day", "month", "time"), [
    ("Định kỳ hằng tháng, các đơn vị tổng hợp số liệu.", "monthly", None, None, None),
    ("Các đơn vị báo cáo trước ngày 20 hằng tháng.", "monthly", 20, None, None),
    ("Báo cáo định kỳ hằng quý, trước ngày 15 của tháng cuối quý.", "quarterly", 15, None, None),
    ("Gửi báo cáo trước ngày 15/12 hằng năm.", "yearly", 15, 12, None),
    ("Báo cáo trước 16 giờ thứ Sáu hằng tuần.", "weekly", 5, None, "16:00"),
    ("Tổng hợp tình hình, báo cáo trước 15 giờ hằng ngày.", "daily", None, None, "15:00"),
    ("Thực hiện chế độ báo cáo định kỳ 6 tháng.", "half-yearly", None, None, None),
])
def test_a_recurring_deadline(text: str, recurrence: str, day: int | None, month: int | None,
                              time: str | None) -> None:
    [found] = find_deadlines(text, LETTER_DATE)
    assert (found.recurrence, found.day, found.month, found.time, found.date) == (
        recurrence, day, month, time, None)
    assert single_due_date([found]) is None  # no one day


def test_a_period_described_is_no_recurring_deadline() -> None:
    assert _read("Công bố Chỉ số cải cách hành chính hằng năm của các cơ quan.") == []


@pytest.mark.parametrize("text", [
    "Công an tỉnh triển khai ngay các biện pháp bảo đảm an toàn.",
    "Các đơn vị khẩn trương rà soát, thống kê thiệt hại.",
    "Ngay sau khi nhận được văn bản này, các xã tổ chức sơ tán dân.",
    "cong an tinh trien khai ngay cac bien phap",  # read without marks
])
def test_at_once_is_due_the_letters_date(text: str) -> None:
    [found] = find_deadlines(text, LETTER_DATE)
    assert (found.immediate, found.date, found.precision) == (True, LETTER_DATE, "day")
    assert single_due_date([found]) is None  # not a day the letter writes


@pytest.mark.parametrize("text", [
    "Thực hiện ngày 15/6/2026 tại hội trường.",  # a day, not 'at once'
    "Xác minh và báo cáo ngay khi phát hiện vụ việc.",  # when something happens
    "Các đơn vị khẩn trương hoàn thành trước ngày 30/6/2026.",  # a date is given
])
def test_not_at_once(text: str) -> None:
    assert not any(d.immediate for d in find_deadlines(text, LETTER_DATE))


def test_within_days_counted_from_the_letters_date() -> None:
    [signed] = find_deadlines("Trong thời hạn 10 ngày kể từ ngày ký, Sở Tư pháp thẩm định.",
                              LETTER_DATE)
    assert (signed.within_days, signed.working_days, signed.counted_from, signed.date) == (
        10, False, "signing", "2026-06-20")
    [received] = find_deadlines("trong thời hạn 10 ngày kể từ ngày nhận được văn bản này",
                                LETTER_DATE)
    assert (received.counted_from, received.date) == ("receipt", "2026-06-20")
    # working days skip the weekend: Wednesday 10 June + 5 working days = Wednesday 17 June
    [working] = find_deadlines("Sở Xây dựng tham mưu trong vòng 05 ngày làm việc.", LETTER_DATE)
    assert (working.within_days, working.working_days, working.date) == (5, True, "2026-06-17")


def test_days_counted_from_an_event_the_letter_does_not_date_have_no_date() -> None:
    [event] = find_deadlines("phân bổ chậm nhất không quá 10 ngày làm việc kể từ ngày được Thủ "
                             "tướng Chính phủ giao bổ sung.", LETTER_DATE)
    assert (event.counted_from, event.within_days, event.date) == ("event", 10, None)
    assert find_deadlines("chậm nhất 15 ngày trước ngày bầu cử", LETTER_DATE) == []


def test_the_report_back_is_a_duty_of_its_own_with_whom_to() -> None:
    found = find_deadlines("Sở Y tế triển khai trước ngày 30/6/2026, báo cáo kết quả về Sở Nội "
                           "vụ trước ngày 15/7/2026 để tổng hợp.", LETTER_DATE)
    assert [(d.kind, d.date, d.report_to) for d in found] == [
        ("task", "2026-06-30", None), ("report", "2026-07-15", "Sở Nội vụ")]
    assert single_due_date(found) == "2026-06-30"  # the work's own day
    [direct] = find_deadlines("tổng hợp, báo cáo Ủy ban nhân dân tỉnh (qua Sở Nội vụ) trước "
                              "ngày 10/10/2026.", LETTER_DATE)
    assert (direct.kind, direct.report_to, direct.date) == (
        "report", "Ủy ban nhân dân tỉnh", "2026-10-10")
    [recurring] = find_deadlines("Định kỳ hằng tháng báo cáo kết quả về Sở Nội vụ trước ngày 20 "
                                 "hằng tháng.", LETTER_DATE)
    assert (recurring.kind, recurring.recurrence, recurring.day, recurring.report_to) == (
        "report", "monthly", 20, "Sở Nội vụ")


def test_two_dates_of_one_kind_give_no_single_deadline() -> None:
    found = find_deadlines("báo cáo 6 tháng trước ngày 20/6/2026 và cả năm trước ngày "
                           "20/12/2026", LETTER_DATE)
    assert [d.date for d in found] == ["2026-06-20", "2026-12-20"]
    assert single_due_date(found) is None


def test_a_letters_tasks_carry_their_deadlines_and_read_back() -> None:
    record = extract_metadata(provincial_letter("415/UBND-KT", (
        "V/v triển khai công tác phòng, chống thiên tai\n\nKính gửi: Các sở, ban, ngành tỉnh\n\n"
        "1. Sở Nông nghiệp và Môi trường triển khai ngay phương án ứng phó.\n"
        "2. Sở Tài chính bố trí kinh phí trong tháng 7/2026.\n"
        "3. Các sở, ban, ngành báo cáo kết quả về Sở Nội vụ trước ngày 20 hằng tháng.\n"
        "4. Sở Xây dựng hoàn thành trong thời hạn 10 ngày làm việc kể từ ngày ký.\n")))
    tasks = record["tasks"]
    assert [t["deadlines"] for t in tasks] == [
        [{"kind": "task", "date": "2026-06-10", "precision": "day", "immediate": True}],
        [{"kind": "task", "date": "2026-07", "precision": "month"}],
        [{"kind": "report", "recurrence": "monthly", "day": 20, "report_to": "Sở Nội vụ"}],
        [{"kind": "task", "date": "2026-06-24", "precision": "day", "within_days": 10,
          "working_days": True, "counted_from": "signing"}],
    ]
    assert [t["deadline"] for t in tasks] == [None, None, None, None]
    again = LetterMetadata.from_dict(record)
    assert again.tasks[3].deadlines[0] == Deadline(date="2026-06-24", precision="day",
                                                   within_days=10, working_days=True,
                                                   counted_from="signing")
    assert again.to_dict()["tasks"] == tasks


def test_a_record_of_an_older_extractor_reads_without_deadlines() -> None:
    record = LetterMetadata.from_dict({"tasks": [{"label": "1", "text": "x", "assignees": [],
                                                  "deadline": "2025-06-30"}]})
    assert record.tasks[0].deadlines == []
    assert record.to_dict()["tasks"][0]["deadline"] == "2025-06-30"


# -- due days ----------------------------------------------------------------------------------


def test_working_days_skip_saturdays_and_sundays() -> None:
    friday = dt.date(2026, 6, 12)
    assert add_working_days(friday, 1) == dt.date(2026, 6, 15)  # Monday
    assert add_working_days(friday, 5) == dt.date(2026, 6, 19)


def test_working_days_skip_public_holidays_and_count_saturdays_worked_in_exchange() -> None:
    # Tết Ất Tỵ: Monday 27 January to Saturday 1 February 2025 off; 5 working days from
    # Friday 24 January end on Friday 7 February, not on Friday 31 January.
    assert add_working_days(dt.date(2025, 1, 24), 5) == dt.date(2025, 2, 7)
    # 30/4 and 1/5 2025, and Friday 2 May off in exchange for Saturday 26 April worked.
    assert add_working_days(dt.date(2025, 4, 25), 1) == dt.date(2025, 4, 26)
    assert add_working_days(dt.date(2025, 4, 28), 2) == dt.date(2025, 5, 5)
    # Quốc khánh 2025: Monday 1 and Tuesday 2 September.
    assert add_working_days(dt.date(2025, 8, 29), 1) == dt.date(2025, 9, 3)


def test_a_deadline_in_working_days_across_tet_falls_after_it() -> None:
    [deadline] = find_deadlines("Sở Xây dựng báo cáo trong vòng 05 ngày làm việc.",
                                "2025-01-24")
    assert deadline.working_days and deadline.date == "2025-02-07"


def test_due_days() -> None:
    today = dt.date(2026, 6, 25)
    assert due_on(Deadline(date="2026-03", precision="month")) == dt.date(2026, 3, 31)
    assert due_on(Deadline(date="2026-06-30", precision="day")) == dt.date(2026, 6, 30)
    assert due_on(Deadline(recurrence="monthly", day=20), today) == dt.date(2026, 7, 20)
    assert due_on(Deadline(recurrence="monthly"), today) == dt.date(2026, 6, 30)
    assert next_occurrence(Deadline(recurrence="quarterly", day=15), today) == dt.date(2026, 9, 15)
    assert next_occurrence(Deadline(recurrence="yearly", day=15, month=12), today) == (
        dt.date(2026, 12, 15))
    assert next_occurrence(Deadline(recurrence="weekly"), today) == dt.date(2026, 6, 26)  # Fri
    assert next_occurrence(Deadline(recurrence="daily"), today) == today


def test_a_corrected_task_keeps_the_deadlines_read_unless_its_day_changed() -> None:
    from ingest.curation.corrections import apply_field

    record = LetterMetadata.from_dict({"tasks": [
        {"label": "1", "text": "Báo cáo hằng tháng", "assignees": [], "deadline": None,
         "deadlines": [{"kind": "report", "recurrence": "monthly", "day": 20}]},
        {"label": "2", "text": "Rà soát", "assignees": [], "deadline": "2026-06-30",
         "deadlines": [{"kind": "task", "date": "2026-06-30", "precision": "day"}]}]})
    fixed = apply_field(record, "tasks", [
        {"label": "1", "text": "Báo cáo hằng tháng", "assignees": ["Sở Y tế"], "deadline": None},
        {"label": "2", "text": "Rà soát", "assignees": [], "deadline": "2026-07-15"}])
    assert fixed.tasks[0].deadlines == record.tasks[0].deadlines
    assert fixed.tasks[1].deadlines == [Deadline(date="2026-07-15", precision="day")]
