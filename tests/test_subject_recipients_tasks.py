"""Subject, recipients and task count on real-world layouts (issue 11), with invented letters:
subjects under a type heading, after 'Vấn đề trình:' / 'Trích yếu:' / 'Về:', in capitals or
wrapped over lines, never running into the body; recipients of a one-line 'Kính gửi' and of a
Công điện; no tasks in papers that give no orders."""

from __future__ import annotations

import pytest

from ingest.extract.metadata import extract_metadata

from .letters import MOTTO
from .letters import provincial_letter as _letter


def test_a_plan_heading_with_its_subject_on_the_same_line() -> None:
    record = extract_metadata(_letter("45/KH-UBND", (
        "KẾ HOẠCH Triển khai thí điểm mô hình chợ an toàn thực phẩm năm 2026\n"
        "I. MỤC ĐÍCH\n1. Nâng cao nhận thức của người dân.\n")))
    assert record["doc_type"] == "Kế hoạch"
    assert record["subject"] == "Triển khai thí điểm mô hình chợ an toàn thực phẩm năm 2026"


def test_a_wire_subject_does_not_swallow_its_recipients_head() -> None:
    record = extract_metadata(_letter("07/CĐ-UBND", (
        "CÔNG ĐIỆN\nVề việc chủ động ứng phó với mưa lũ, sạt lở đất\n"
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện:\n- Chủ tịch Ủy ban nhân dân các xã, phường;\n"
        "- Giám đốc các sở, ban, ngành tỉnh.\n"
        "Trong những ngày qua, trên địa bàn tỉnh đã xảy ra mưa lớn kéo dài.\n"
        "1. Ủy ban nhân dân các xã, phường rà soát các khu dân cư.\n")))
    assert record["subject"] == "chủ động ứng phó với mưa lũ, sạt lở đất"
    assert record["recipients"] == ["Chủ tịch Ủy ban nhân dân các xã, phường",
                                    "Giám đốc các sở, ban, ngành tỉnh"]


@pytest.mark.parametrize("label", ["Vấn đề trình:", "Trích yếu:", "Về:"])
def test_a_subject_introduced_by_a_label(label: str) -> None:
    record = extract_metadata(_letter("15/PTr-VP", (
        f"PHIẾU TRÌNH\n{label} Ban hành kế hoạch kiểm tra công tác cải cách hành chính\n\n"
        "1. Nội dung chính: Sở Nội vụ đề nghị ban hành kế hoạch.\n")))
    assert record["subject"] == "Ban hành kế hoạch kiểm tra công tác cải cách hành chính"


def test_a_subject_in_capitals_under_the_title_in_sentence_case() -> None:
    record = extract_metadata(_letter("88/TB-UBND", (
        "THÔNG BÁO\nKẾT LUẬN CỦA CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\n"
        "TẠI BUỔI LÀM VIỆC VỚI HUYỆN PHONG THỔ\n\n"
        "Ngày 05 tháng 6 năm 2026, Chủ tịch Ủy ban nhân dân tỉnh làm việc với huyện.\n")))
    assert record["subject"] == ("Kết luận của chủ tịch Ủy ban nhân dân tỉnh tại buổi làm việc"
                                 " với huyện phong thổ")


def test_a_law_title_in_capitals_keeps_the_name_of_the_law() -> None:
    record = extract_metadata(
        MOTTO + "\nQUỐC HỘI\n\nLuật số: 140/2025/QH15\n\nLUẬT\n"
        "SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA LUẬT THỦY LỢI\n\n"
        "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\nĐiều 1. Sửa đổi.\n")
    assert record["subject"] == "Sửa đổi, bổ sung một số điều của Luật Thủy lợi"


def test_a_subject_wrapped_over_lines_is_read_whole() -> None:
    record = extract_metadata(
        "CHÍNH PHỦ\n" + MOTTO + "Số: 90/2026/NĐ-CP\nHà Nội, ngày 04 tháng 5 năm 2026\n\nNGHỊ ĐỊNH\n"
        "Sửa đổi, bổ sung một số điều của Nghị định số 12/2024/NĐ-CP và Nghị định\n"
        "số 34/2025/NĐ-CP về quản lý vườn quốc gia\n\n"
        "Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15;\nĐiều 1. Sửa đổi.\n")
    assert record["subject"] == ("Sửa đổi, bổ sung một số điều của Nghị định số 12/2024/NĐ-CP và"
                                 " Nghị định số 34/2025/NĐ-CP về quản lý vườn quốc gia")


def test_subject_and_recipient_do_not_run_into_the_body_without_a_blank_line() -> None:
    record = extract_metadata(_letter("1203/UBND-KT", (
        "V/v tăng cường quản lý giá các mặt hàng thiết yếu\n"
        "Thực hiện chỉ đạo của Chính phủ về quản lý giá, Ủy ban nhân dân tỉnh yêu cầu\n"
        "Kính gửi: Sở Công Thương.\n"
        "Ủy ban nhân dân tỉnh yêu cầu Sở Công Thương kiểm tra giá cả thị trường trên địa bàn\n"
        "các huyện, thành phố.\n")))
    assert record["subject"] == "tăng cường quản lý giá các mặt hàng thiết yếu"
    assert record["recipients"] == ["Sở Công Thương"]


def test_a_kinh_gui_in_an_annexed_form_is_not_the_documents_recipient() -> None:
    body = "".join(f"Điều {i}. Nội dung điều {i} của nghị định.\n" for i in range(1, 12))
    record = extract_metadata(
        "CHÍNH PHỦ\n" + MOTTO + "Số: 91/2026/NĐ-CP\nHà Nội, ngày 04 tháng 5 năm 2026\n\nNGHỊ ĐỊNH\n"
        "Quy định về đăng ký tàu cá\n\nCăn cứ Luật Thủy sản số 18/2017/QH14;\n" + body
        + "\nMẫu số 01\nĐƠN ĐỀ NGHỊ ĐĂNG KÝ TÀU CÁ\nKính gửi: Sở Nông nghiệp và Môi trường\n")
    assert record["recipients"] == []


@pytest.mark.parametrize(("heading", "symbol"), [
    ("TỜ TRÌNH", "TTr"), ("PHIẾU TRÌNH", "PTr"), ("BÁO CÁO", "BC"), ("GIẤY MỜI", "GM"),
    ("BIÊN BẢN", "BB"),
])
def test_papers_that_give_no_orders_have_no_tasks(heading: str, symbol: str) -> None:
    record = extract_metadata(_letter(f"12/{symbol}-UBND", (
        f"{heading}\nVề công tác phòng, chống thiên tai năm 2026\n\n"
        "1. Ủy ban nhân dân các xã đã rà soát 120 hộ dân trong vùng nguy cơ sạt lở.\n"
        "2. Sở Xây dựng kiểm tra 14 công trình hồ chứa.\n"
        "3. Đề nghị Ủy ban nhân dân tỉnh bố trí kinh phí di dời.\n")))
    assert record["tasks"] == []


def test_a_conclusion_notice_gives_its_orders() -> None:
    record = extract_metadata(_letter("88/TB-UBND", (
        "THÔNG BÁO\nKết luận của Chủ tịch Ủy ban nhân dân tỉnh về công tác phòng, chống thiên tai"
        "\n\nChủ tịch Ủy ban nhân dân tỉnh kết luận như sau:\n"
        "1. Sở Xây dựng kiểm tra các công trình hồ chứa trước ngày 30/7/2026.\n"
        "2. Sở Tài chính bố trí kinh phí di dời.\n"
        "3. Ủy ban nhân dân các xã phối hợp thực hiện.\n")))
    assert [task["label"] for task in record["tasks"]] == ["1", "2", "3"]
    assert record["tasks"][0]["assignees"] == ["Sở Xây dựng"]


def test_a_title_wrapped_before_a_capitalised_name_is_read_whole() -> None:
    record = extract_metadata(
        "BỘ NỘI VỤ\n" + MOTTO + "Số: 05/2026/TT-BNV\nHà Nội, ngày 04 tháng 5 năm 2026\n\n"
        "THÔNG TƯ\nHướng dẫn giám sát, đánh giá thực hiện\n"
        "Chương trình mục tiêu quốc gia xây dựng nông thôn mới\ngiai đoạn 2026 - 2030\n\n"
        "Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15;\nĐiều 1. Phạm vi điều chỉnh.\n")
    assert record["subject"] == ("Hướng dẫn giám sát, đánh giá thực hiện Chương trình mục tiêu"
                                 " quốc gia xây dựng nông thôn mới giai đoạn 2026 - 2030")


def test_a_subject_in_capitals_on_the_headings_own_line() -> None:
    record = extract_metadata(_letter("04/BC-HH", (
        "BÁO CÁO HOẠT ĐỘNG CỦA BAN KIỂM TRA\nHIỆP HỘI DU LỊCH TỈNH LAI CHÂU\n"
        "NHIỆM KỲ IV (2021-2026)\n\nBan Kiểm tra báo cáo kết quả hoạt động như sau:\n")))
    assert record["doc_type"] == "Báo cáo"
    # organs and associations keep their capitals (Decree 30, Appendix II)
    assert record["subject"] == ("Hoạt động của Ban Kiểm tra Hiệp hội Du lịch tỉnh Lai Châu"
                                 " nhiệm kỳ IV (2021-2026)")
