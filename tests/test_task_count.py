"""Task count by document type and structure (issue 11), with invented letters: papers that give
no orders have none whatever they list; orders given in prose count once per body ordered;
'2.1.' and handwriting OCR'd as noise are no items; '(1)' items are."""

from __future__ import annotations

import pytest

from ingest.extract.assignments import find_deadline
from ingest.extract.metadata import extract_metadata

from .letters import MOTTO
from .letters import provincial_letter as _letter


def _tasks(text: str) -> list[dict]:
    return extract_metadata(text)["tasks"]


def test_an_order_in_prose_is_one_task_and_an_order_it_reports_is_none() -> None:
    tasks = _tasks(_letter("412/UBND-NC", (
        "V/v xem xét đề nghị của Hội Cựu chiến binh tỉnh\n\nKính gửi: Sở Nội vụ\n\n"
        "Thực hiện Nghị quyết số 12/NQ-CP ngày 02/3/2026 của Chính phủ. Trong đó, Chính phủ "
        "giao Bộ Nội vụ hướng dẫn sắp xếp các hội.\n\n"
        "Ủy ban nhân dân tỉnh nhận được Công văn số 27/CCB ngày 25/5/2026 của Hội Cựu chiến binh"
        " tỉnh về việc đề nghị công nhận chức danh.\n\n"
        "Chủ tịch Ủy ban nhân dân tỉnh giao Sở Nội vụ nghiên cứu, giải quyết đề nghị trên theo "
        "thẩm quyền, báo cáo kết quả trước ngày 30/6/2026./.\n")))
    assert [(t["label"], t["assignees"], t["deadline"]) for t in tasks] == [
        ("-", ["Sở Nội vụ"], "2026-06-30")]
    assert tasks[0]["text"].startswith("Chủ tịch Ủy ban nhân dân tỉnh giao Sở Nội vụ")


def test_prose_orders_to_other_bodies_are_tasks_apart_and_a_reminder_joins_its_request() -> None:
    tasks = _tasks(_letter("415/UBND-KT", (
        "V/v phòng, chống sạt lở đất mùa mưa năm 2026\n\nKính gửi:\n"
        "- Sở Nông nghiệp và Môi trường;\n- Ủy ban nhân dân các xã.\n\n"
        "Để chủ động ứng phó với mưa lớn, Ủy ban nhân dân tỉnh yêu cầu Sở Nông nghiệp và Môi "
        "trường rà soát các điểm có nguy cơ sạt lở.\n\n"
        "Giao Ủy ban nhân dân các xã bố trí lực lượng canh gác tại các ngầm tràn.\n\n"
        "Kết quả, đề nghị các đồng chí báo cáo về Ủy ban nhân dân tỉnh trước ngày 15/7/2026.\n")))
    assert [(t["assignees"], t["deadline"]) for t in tasks] == [
        (["Sở Nông nghiệp và Môi trường"], "2026-07-15"), (["Ủy ban nhân dân các xã"], None)]


@pytest.mark.parametrize("body", [
    # an order after 'có ý kiến như sau:' (an opinion the letter gives, not one it asks for)
    "Chủ tịch Ủy ban nhân dân tỉnh có ý kiến như sau:\nGiao Sở Tài chính chủ trì, kiểm tra, "
    "báo cáo Ủy ban nhân dân tỉnh trước ngày 15/7/2026./.",
    # the issuer abbreviated in its own order
    "UBND tỉnh đề nghị Sở Tài chính khẩn trương kiểm tra, báo cáo trước ngày 15/7/2026./.",
])
def test_an_order_after_a_lead_in_or_from_the_abbreviated_issuer(body: str) -> None:
    tasks = _tasks(_letter("440/UBND-KT", (
        "V/v kiểm tra dự án\n\nKính gửi: Sở Tài chính\n\n"
        "Ủy ban nhân dân tỉnh nhận được Báo cáo số 12/BC-STC ngày 02/6/2026.\n\n"
        f"{body}\n")))
    assert [(t["assignees"], t["deadline"]) for t in tasks] == [(["Sở Tài chính"], "2026-07-15")]


@pytest.mark.parametrize("request_line", [
    # a consultation: asked for an opinion on a draft, not given a task
    "Ủy ban nhân dân tỉnh đề nghị các sở, ngành tham gia ý kiến vào dự thảo Quy chế, gửi về "
    "Sở Tư pháp trước ngày 20/6/2026.",
    # a petition: a body asked to put the matter to the one that decides
    "Ủy ban nhân dân tỉnh đề nghị Sở Tư pháp phối hợp Sở Nội vụ trình Bộ Tư pháp xem xét, "
    "quyết định.",
])
def test_a_letter_that_consults_or_petitions_in_prose_gives_no_task(request_line: str) -> None:
    tasks = _tasks(_letter("417/UBND-NC", (
        "V/v dự thảo Quy chế phối hợp\n\nKính gửi: Các sở, ngành tỉnh\n\n"
        f"{request_line}\n\nTrân trọng./.\n")))
    assert tasks == []


@pytest.mark.parametrize(("heading", "symbol"), [
    ("ĐƠN ĐỀ NGHỊ", "ĐN"), ("GIẤY XÁC NHẬN", "GXN"), ("ĐỀ ÁN", "ĐA"),
])
def test_an_application_a_certificate_or_a_proposal_gives_no_orders(heading: str,
                                                                     symbol: str) -> None:
    tasks = _tasks(_letter(f"16/{symbol}-HBR", (
        f"{heading}\nĐổi tên Hội Bóng rổ tỉnh Lai Châu\n\n"
        "Kính gửi: Ủy ban nhân dân tỉnh Lai Châu\n\n"
        "Hội Bóng rổ tỉnh kính đề nghị Ủy ban nhân dân tỉnh xem xét, cho phép đổi tên với các "
        "nội dung như sau:\n"
        "1. Lý do đổi tên: Sở Văn hóa, Thể thao và Du lịch đề nghị sắp xếp các hội.\n"
        "2. Tên mới: Hội Bóng rổ tỉnh Lai Châu.\n"
        "3. Ban Thường vụ Hội tổ chức Đại hội trước ngày 30/9/2026.\n")))
    assert tasks == []


@pytest.mark.parametrize("heading", ["ĐƠN ĐỀ NGHỊ", "ĐƠỢN ĐÈ NGHỊ"])  # as written, as OCR'd
def test_a_heading_behind_an_arrival_stamp_still_marks_a_paper_without_orders(
        heading: str) -> None:
    """The header cannot read the heading (a stamp's text on the same line): the paper is still
    an application and its numbered particulars are no tasks."""
    text = (MOTTO + f"ĐẾN Số: 4412 Ký hiệu HS: {heading}\n"
            "Hợp nhất Quỹ Khuyến học hai xã\n\nKính gửi: Sở Nội vụ tỉnh Lai Châu\n\n"
            "1. Quỹ Khuyến học xã Mường Kim có 12 thành viên.\n"
            "2. Quỹ Khuyến học xã Tà Mung có 9 thành viên.\n\n"
            "Lai Châu, ngày 10 tháng 6 năm 2026\nTM. HỘI ĐỒNG QUẢN LÝ QUỸ\nCHỦ TỊCH\nLò Văn Pánh\n")
    assert _tasks(text) == []


def test_a_list_of_particulars_after_a_colon_is_no_task_list() -> None:
    tasks = _tasks(_letter("52/HND-VP", (
        "V/v cử đại diện tham gia Ban Vì sự tiến bộ của phụ nữ\n\nKính gửi: Sở Nội vụ\n\n"
        "Hội Nông dân tỉnh thống nhất cử 01 lãnh đạo tham gia Ban, thông tin cụ thể như sau:\n"
        "- Họ và tên: Lò Thị Xuân\n- Năm sinh: 1980\n"
        "- Chức vụ: Phó Chủ tịch Hội Nông dân tỉnh\n\n"
        "Hội Nông dân tỉnh kính gửi Sở Nội vụ tổng hợp./.\n")))
    assert tasks == []


def test_a_quota_after_a_request_in_prose_is_part_of_that_one_task() -> None:
    tasks = _tasks(_letter("177/UBND-KGVX", (
        "V/v cử thành viên Đội ứng cứu sự cố mạng\n\nKính gửi: Các sở, ban, ngành tỉnh\n\n"
        "Ủy ban nhân dân tỉnh đề nghị các cơ quan, đơn vị rà soát, cử nhân sự tham gia Đội ứng "
        "cứu sự cố mạng của tỉnh. Cụ thể:\n"
        "+ Văn phòng Tỉnh ủy: 01 đồng chí;\n+ Sở Nội vụ: 01 đồng chí;\n"
        "+ Sở Tư pháp: 01 đồng chí.\n\n"
        "Kết quả, kính đề nghị các đồng chí gửi về Sở Khoa học và Công nghệ trước ngày "
        "15/6/2026 để tổng hợp./.\n")))
    assert [(t["label"], t["assignees"], t["deadline"]) for t in tasks] == [
        ("-", ["các cơ quan, đơn vị"], "2026-06-15")]


def test_sub_numbered_points_and_unreadable_lines_are_not_items() -> None:
    tasks = _tasks(_letter("420/UBND-VX", (
        "V/v tổ chức Đại hội Hội Doanh nghiệp tỉnh\n\nKính gửi: Hội Doanh nghiệp tỉnh\n\n"
        "1. Hội Doanh nghiệp tỉnh chuẩn bị nhân sự Ban Chấp hành:\n"
        "1.1. Ban Chấp hành có 25 người.\n1.2. Ban Kiểm tra có 3 người.\n"
        "2. Sở Nội vụ hướng dẫn thủ tục Đại hội.\n"
        "3. 2⁄42 2 8v.\\ %2 72 /⁄4<\n")))
    assert [t["label"] for t in tasks] == ["1", "2"]


def test_items_numbered_in_parentheses_are_the_tasks() -> None:
    tasks = _tasks(_letter("425/UBND-KT", (
        "V/v phân bổ vốn thực hiện Chương trình\n\nKính gửi: Ủy ban nhân dân các xã\n\n"
        "Ủy ban nhân dân tỉnh đề nghị Ủy ban nhân dân các xã khẩn trương thực hiện:\n"
        "(1) Đối với các xã tự bảo đảm kinh phí: bố trí ngân sách xã.\n"
        "(2) Đối với các xã nhận hỗ trợ: lập dự toán gửi Sở Tài chính.\n")))
    assert [t["label"] for t in tasks] == ["(1)", "(2)"]


def test_an_item_with_two_deadlines_has_none() -> None:
    assert find_deadline("báo cáo 6 tháng trước ngày 20/6/2026 và cả năm trước ngày "
                         "20/12/2026") is None
    assert find_deadline("báo cáo trước ngày 20/6/2026, gửi trước ngày 20/6/2026") == (
        "2026-06-20")


@pytest.mark.parametrize(("item", "assignees"), [
    # 'cử' is a verb as written ('cũ' folds the same); 'thông báo' too, not 'Truyền thông bảo đảm'
    ("Các trường cao đẳng sư phạm cử cán bộ tham gia coi thi.", ["Các trường cao đẳng sư phạm"]),
    ("Văn phòng Tỉnh ủy thông báo lịch họp cho các đại biểu.", ["Văn phòng Tỉnh ủy"]),
    ("Sở Thông tin và Truyền thông bảo đảm thông tin liên lạc.",
     ["Sở Thông tin và Truyền thông"]),
    # the subject of a role ('là đơn vị thường trực') acts too
    ("Trung tâm Y tế huyện là đơn vị thường trực; phân bổ vắc xin cho các điểm tiêm.",
     ["Trung tâm Y tế huyện"]),
    # those the subject directs later in the item are not assignees
    ("Công an huyện bảo đảm an ninh tại các điểm tiêm; chỉ đạo Công an các xã hỗ trợ.",
     ["Công an huyện"]),
    # a case ('Đối với …:') names which bodies, not who acts
    ("Đối với các xã tự bảo đảm kinh phí:\n- tham mưu bố trí ngân sách xã.", []),
    # a body whose name holds a verb ('Cảnh sát điều tra')
    ("Giao Cục Cảnh sát điều tra tội phạm về ma túy chủ trì tổ chức thực hiện.",
     ["Cục Cảnh sát điều tra tội phạm về ma túy"]),
    # a named body ends before 'thuộc' its parent; a kind of body keeps it
    ("Đội Cảnh sát phòng cháy, chữa cháy thuộc Công an huyện hướng dẫn các hộ gia đình.",
     ["Đội Cảnh sát phòng cháy, chữa cháy"]),
    ("Các đơn vị trực thuộc Sở rà soát điều kiện vệ sinh.", ["Các đơn vị trực thuộc Sở"]),
    # a request after a lead clause
    ("Căn cứ Kế hoạch này, đề nghị các đơn vị, địa phương chủ động phối hợp.",
     ["các đơn vị, địa phương"]),
    # the subject is in the item's first sentence; later sentences describe
    ("Ban Chỉ đạo có nhiệm vụ giúp Ủy ban nhân dân tỉnh điều hành Chương trình. Sở Tài chính "
     "là cơ quan thường trực của Ban Chỉ đạo; Trưởng ban ban hành Quy chế.", ["Ban Chỉ đạo"]),
])
def test_assignees_of_an_item(item: str, assignees: list[str]) -> None:
    tasks = _tasks(_letter("430/UBND-VX", (
        "V/v triển khai nhiệm vụ\n\nKính gửi: Các sở, ngành tỉnh\n\n"
        f"1. {item}\n2. Sở Nội vụ hướng dẫn thủ tục.\n")))
    assert tasks[0]["assignees"] == assignees


def test_an_article_with_a_one_word_title_is_an_item() -> None:
    tasks = _tasks(_letter("36/QĐ-UBND", (
        "QUYẾT ĐỊNH\nBan hành Quy chế thi đua\n\nQUYẾT ĐỊNH:\n"
        "Điều 1. Ban hành kèm theo Quyết định này Quy chế thi đua.\n"
        "Điều 2. Thưởng\n1. Mức thưởng theo Nghị định số 152/2025/NĐ-CP.\n"
        "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh chịu trách nhiệm thi hành Quyết định này.\n"
    )))
    assert [t["label"] for t in tasks] == ["Điều 1", "Điều 2", "Điều 3"]


@pytest.mark.parametrize(("lead", "items", "labels"), [
    # a letter that reports: its points are findings
    ("Sở Y tế báo cáo kết quả tiêm chủng tháng 5 như sau:",
     "1. Kết quả: đã tiêm 12.000 mũi.\n2. Khó khăn: thiếu nhân lực tại các xã vùng cao.\n", []),
    # a reply with opinions on a draft: its points are opinions
    ("Sở Tư pháp có ý kiến như sau:",
     "1. Về sự cần thiết ban hành: thống nhất.\n2. Về bố cục: dự thảo phù hợp.\n", []),
    # a consultation: the points to give an opinion on
    ("Sở Tư pháp đề nghị các sở, ngành góp ý dự thảo Quy chế, tập trung vào các nội dung sau:",
     "1. Phạm vi điều chỉnh của Quy chế.\n2. Trách nhiệm phối hợp của các cơ quan.\n", []),
    # the same lead-in giving orders: they are tasks
    ("Chủ tịch Ủy ban nhân dân tỉnh có ý kiến như sau:",
     "1. Giao Sở Tài chính kiểm tra hồ sơ.\n2. Sở Xây dựng rà soát quy hoạch.\n", ["1", "2"]),
])
def test_numbered_points_of_a_letter_that_reports_or_answers_are_no_tasks(
        lead: str, items: str, labels: list[str]) -> None:
    tasks = _tasks(_letter("450/SYT-NV", (
        "V/v kết quả thực hiện\n\nKính gửi: Ủy ban nhân dân tỉnh\n\n"
        f"{lead}\n{items}")))
    assert [t["label"] for t in tasks] == labels
