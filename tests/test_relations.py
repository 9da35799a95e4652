"""How a letter relates to each document it cites (issue 16): every relation form, the scope
written, the words that do not make a relation (passive, a description, an amendment's quoted
wording), OCR'd text without marks, and both directions' Vietnamese names."""

from __future__ import annotations

import pytest

from ingest.extract.citations import find_citations
from ingest.extract.relations import (
    AMENDED,
    IN_FORCE,
    RELATIONS,
    REPEALED,
    REPLACED,
    VALIDITY_LABELS,
    relation_of,
    validity_of,
)


def relations(text: str) -> dict[str, tuple[str, str | None]]:
    """reference → (relation, scope) of each document the text cites."""
    return {c["reference"]: (c["relation"], c["scope"]) for c in find_citations(text)}


@pytest.mark.parametrize(("text", "reference", "relation", "scope"), [
    # căn cứ: the preamble, and everything its item names
    ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;",
     "30/2020/NĐ-CP", "can_cu", None),
    ("Căn cứ Luật Quy hoạch số 21/2017/QH14 được sửa đổi, bổ sung bởi Luật số 28/2018/QH14;",
     "28/2018/QH14", "can_cu", None),
    ("Căn cứ khoản 3 Điều 12 Quyết định số 45/2021/QĐ-UBND ngày 02/8/2021 của UBND tỉnh;",
     "45/2021/QĐ-UBND", "can_cu", "khoản 3 Điều 12"),
    ("Sở Tài chính căn cứ vào Kế hoạch số 88/KH-UBND để phân bổ kinh phí.",
     "88/KH-UBND", "can_cu", None),
    # thực hiện, triển khai
    ("Thực hiện Công văn số 1520/UBND-VX ngày 12/3/2025 của Ủy ban nhân dân tỉnh về việc phòng "
     "chống dịch, Sở Y tế đề nghị các đơn vị:", "1520/UBND-VX", "thuc_hien", None),
    ("Triển khai Kế hoạch số 45/KH-UBND ngày 02/4/2025 của Ủy ban nhân dân huyện, Phòng Giáo "
     "dục yêu cầu các trường:", "45/KH-UBND", "thuc_hien", None),
    ("Thực hiện ý kiến chỉ đạo của Chủ tịch Ủy ban nhân dân tỉnh tại Công văn số 77/VP-TH ngày "
     "3/5/2025, Sở Nội vụ đề nghị:", "77/VP-TH", "thuc_hien", None),
    # hướng dẫn
    ("Thông tư này hướng dẫn thi hành Nghị định số 15/2024/NĐ-CP ngày 10/02/2024 của Chính phủ.",
     "15/2024/NĐ-CP", "huong_dan", None),
    ("Sở Tài chính hướng dẫn thực hiện Thông tư số 12/2024/TT-BTC như sau:",
     "12/2024/TT-BTC", "huong_dan", None),
    # sửa đổi, bổ sung
    ("Điều 1. Sửa đổi, bổ sung khoản 2 Điều 8 Quyết định số 15/2023/QĐ-UBND ngày 20/6/2023 "
     "của Ủy ban nhân dân tỉnh như sau:", "15/2023/QĐ-UBND", "sua_doi", "khoản 2 Điều 8"),
    ("QUYẾT ĐỊNH\nSửa đổi một số điều của Quy định ban hành kèm theo Quyết định số "
     "07/2022/QĐ-UBND ngày 14/3/2022", "07/2022/QĐ-UBND", "sua_doi", "một số điều"),
    ("Điều 2. Bổ sung điểm đ khoản 1 Điều 4 Thông tư số 19/2020/TT-BYT như sau:",
     "19/2020/TT-BYT", "sua_doi", "điểm đ khoản 1 Điều 4"),
    # thay thế
    ("Điều 3. Quyết định này có hiệu lực kể từ ngày ký và thay thế Quyết định số 1480/QĐ-UBND "
     "ngày 03/7/2024 của Chủ tịch Ủy ban nhân dân tỉnh.", "1480/QĐ-UBND", "thay_the", None),
    ("Kế hoạch này thay thế cho Kế hoạch số 21/KH-SYT ngày 11/01/2024 của Sở Y tế.",
     "21/KH-SYT", "thay_the", None),
    # bãi bỏ, hết hiệu lực
    ("Điều 2. Bãi bỏ điểm a khoản 1 Điều 5 Thông tư số 05/2019/TT-BTC ngày 28/01/2019 của Bộ "
     "trưởng Bộ Tài chính.", "05/2019/TT-BTC", "bai_bo", "điểm a khoản 1 Điều 5"),
    ("Bãi bỏ toàn bộ Quyết định số 33/2018/QĐ-UBND ngày 09/10/2018 của Ủy ban nhân dân tỉnh.",
     "33/2018/QĐ-UBND", "bai_bo", None),
    ("2. Thông tư số 36/2021/TT-BLĐTBXH ngày 31/12/2021 của Bộ trưởng quy định mức điều chỉnh "
     "tiền lương hết hiệu lực kể từ ngày Thông tư này có hiệu lực.", "36/2021/TT-BLĐTBXH",
     "bai_bo", None),
    # đính chính
    ("Điều 1. Đính chính lỗi kỹ thuật tại Quyết định số 152/QĐ-UBND ngày 05/01/2025 như sau:",
     "152/QĐ-UBND", "dinh_chinh", None),
    # trả lời, phúc đáp; the report that answers a directive
    ("V/v trả lời Công văn số 245/SYT-NVY ngày 10/3/2025 của Sở Y tế", "245/SYT-NVY", "tra_loi",
     None),
    ("Trả lời Công văn số 12/STC-NS ngày 02/4/2025 của Sở Tài chính về việc dự toán, Ủy ban nhân "
     "dân huyện có ý kiến như sau:", "12/STC-NS", "tra_loi", None),
    ("Phúc đáp Công văn số 903/CAT-PV01 ngày 19/5/2025 của Công an tỉnh, Sở Tư pháp cung cấp "
     "thông tin như sau:", "903/CAT-PV01", "tra_loi", None),
    ("BÁO CÁO\nKết quả thực hiện Công văn số 45/UBND-VX ngày 02/6/2025 của Ủy ban nhân dân tỉnh",
     "45/UBND-VX", "tra_loi", None),
    ("V/v báo cáo kết quả thực hiện Kế hoạch số 130/KH-UBND", "130/KH-UBND", "tra_loi", None),
    # theo đề nghị
    ("Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 123/TTr-SNV ngày 15/4/2025.",
     "123/TTr-SNV", "de_nghi", None),
    ("Xét Tờ trình số 56/TTr-STNMT ngày 08/8/2025 của Sở Tài nguyên và Môi trường;",
     "56/TTr-STNMT", "de_nghi", None),
    # plain references
    ("Các đơn vị lưu trữ hồ sơ theo quy định tại Điều 5 Nghị định số 30/2020/NĐ-CP.",
     "30/2020/NĐ-CP", "tham_chieu", "Điều 5"),
    ("Tiếp theo Công văn số 85/UBND-KT ngày 05/9/2024, Ủy ban nhân dân tỉnh yêu cầu:",
     "85/UBND-KT", "tham_chieu", None),
    ("Hồ sơ gồm các mẫu ban hành kèm theo Thông tư số 01/2024/TT-BNV.", "01/2024/TT-BNV",
     "tham_chieu", None),
])
def test_each_relation_form(text: str, reference: str, relation: str,
                            scope: str | None) -> None:
    assert relations(text)[reference] == (relation, scope)


def test_documents_listed_after_a_verb_take_it() -> None:
    text = ("Quyết định này thay thế Quyết định số 11/QĐ-UBND ngày 02/01/2023 và Quyết định số "
            "12/QĐ-UBND ngày 03/01/2023 của Ủy ban nhân dân huyện.")
    assert relations(text) == {"11/QĐ-UBND": ("thay_the", None),
                               "12/QĐ-UBND": ("thay_the", None)}


def test_a_lists_items_take_the_verb_of_its_heading() -> None:
    text = ("Điều 5. Hiệu lực thi hành\n"
            "1. Quyết định này có hiệu lực từ ngày 01 tháng 7 năm 2025.\n"
            "2. Các văn bản sau hết hiệu lực kể từ ngày Quyết định này có hiệu lực thi hành:\n"
            "a) Quyết định số 20/2019/QĐ-UBND ngày 05/6/2019 của Ủy ban nhân dân tỉnh;\n"
            "b) Quyết định số 08/2021/QĐ-UBND ngày 11/3/2021 của Ủy ban nhân dân tỉnh sửa đổi, "
            "bổ sung một số điều của Quyết định số 02/2018/QĐ-UBND.\n"
            "3. Bãi bỏ các quy định sau:\n"
            "a) Điều 3 Quyết định số 31/2020/QĐ-UBND ngày 10/9/2020;\n")
    assert relations(text) == {
        "20/2019/QĐ-UBND": ("bai_bo", None), "08/2021/QĐ-UBND": ("bai_bo", None),
        "02/2018/QĐ-UBND": ("tham_chieu", None),  # what 08/2021 amended, described
        "31/2020/QĐ-UBND": ("bai_bo", "Điều 3"),
    }


def test_passive_and_described_documents_are_plain_references() -> None:
    text = ("Điều 1. Bãi bỏ Thông tư số 01/2019/TT-BTC ngày 02/01/2019 của Bộ trưởng Bộ Tài chính "
            "hướng dẫn Nghị định số 02/2018/NĐ-CP. Việc chi trả thực hiện theo Nghị định số "
            "11/2020/NĐ-CP đã được sửa đổi, bổ sung bởi Nghị định số 12/2021/NĐ-CP.")
    assert relations(text) == {
        "01/2019/TT-BTC": ("bai_bo", None), "02/2018/NĐ-CP": ("tham_chieu", None),
        "11/2020/NĐ-CP": ("tham_chieu", None), "12/2021/NĐ-CP": ("tham_chieu", None),
    }


def test_an_amendments_quoted_wording_is_not_the_letters_own() -> None:
    text = ("Điều 1. Sửa đổi Điều 3 Quy định ban hành kèm theo Quyết định số 04/2024/QĐ-UBND như "
            "sau:\n“Điều 3. Mức chi thực hiện theo Quyết định số 99/QĐ-UBND; văn bản này thay thế "
            "Quyết định số 98/QĐ-UBND.”")
    found = relations(text)
    assert found["99/QĐ-UBND"] == ("tham_chieu", None)
    assert found["98/QĐ-UBND"] == ("tham_chieu", None)


def test_the_strongest_mention_wins_with_its_scope() -> None:
    text = ("Căn cứ Quyết định số 5/2020/QĐ-UBND ngày 01/02/2020 của Ủy ban nhân dân tỉnh;\n"
            "QUYẾT ĐỊNH:\n"
            "Điều 1. Bãi bỏ khoản 2 Điều 4 Quyết định số 5/2020/QĐ-UBND.")
    assert relations(text) == {"5/2020/QĐ-UBND": ("bai_bo", "khoản 2 Điều 4")}


def test_ocr_text_without_marks_reads_the_same() -> None:
    text = ("Can cu Nghi dinh so 30/2020/ND-CP ngay 05/3/2020 cua Chinh phu;\n"
            "Dieu 3. Quyet dinh nay thay the Quyet dinh so 1480/QD-UBND ngay 03/7/2024.\n"
            "V/v tra loi Cong van so 245/SYT-NVY")
    assert relations(text) == {"30/2020/NĐ-CP": ("can_cu", None),
                               "1480/QĐ-UBND": ("thay_the", None),
                               "245/SYT-NVY": ("tra_loi", None)}


def test_a_paragraph_running_on_over_a_page_break_keeps_its_description() -> None:
    text = ("d) Cấp văn bằng theo quy định tại Thông tư số 10/2017/TT-BLĐTBXH và Thông tư số "
            "24/2020/TT-BLĐTBXH ngày 30/12/2020 của Bộ trưởng Bộ Lao động - Thương\n\n"
            "CÔNG BÁO/Số 303/Ngày 18-4-2022\n7\n\n"
            "binh và Xã hội sửa đổi, bổ sung một số điều của Thông tư số 10/2017/TT-BLĐTBXH;\n")
    assert relations(text)["10/2017/TT-BLĐTBXH"] == ("tham_chieu", None)


# -- the names of the relations, both ways, and validity ---------------------------------------

def test_every_relation_is_named_both_ways_in_vietnamese() -> None:
    named = {code: (r.forward, r.backward) for code, r in RELATIONS.items()}
    assert named["can_cu"] == ("căn cứ", "là căn cứ của")
    assert named["huong_dan"] == ("hướng dẫn", "được hướng dẫn bởi")
    assert named["thay_the"] == ("thay thế", "bị thay thế bởi")
    assert named["sua_doi"] == ("sửa đổi, bổ sung", "bị sửa đổi, bổ sung bởi")
    assert named["bai_bo"] == ("bãi bỏ", "bị bãi bỏ bởi")
    assert named["tra_loi"] == ("trả lời", "được trả lời bởi")
    assert named["thuc_hien"] == ("thực hiện", "được thực hiện bởi")
    assert named["dinh_chinh"] == ("đính chính", "được đính chính bởi")
    assert set(named) == {"can_cu", "thuc_hien", "huong_dan", "sua_doi", "thay_the", "bai_bo",
                          "dinh_chinh", "tra_loi", "de_nghi", "tham_chieu"}
    assert all(code.isascii() and forward and backward != forward
               for code, (forward, backward) in named.items())
    assert relation_of(None) == relation_of("không-có") == RELATIONS["tham_chieu"]


def test_what_a_later_letter_does_gives_the_validity() -> None:
    assert validity_of("thay_the", None) == REPLACED
    assert validity_of("bai_bo", None) == REPEALED
    assert validity_of("sua_doi", None) == AMENDED
    assert validity_of("bai_bo", "khoản 2 Điều 8") == AMENDED  # a part: the rest stands
    assert validity_of("thay_the", "Điều 3") == AMENDED
    assert validity_of("can_cu", None) == IN_FORCE
    assert VALIDITY_LABELS == {IN_FORCE: "Còn hiệu lực", AMENDED: "Bị sửa đổi",
                               REPLACED: "Bị thay thế", REPEALED: "Bị bãi bỏ"}


def test_a_list_after_a_verb_goes_on_after_semicolons_and_lines() -> None:
    text = ("Điều 3. Quyết định này thay thế Quyết định số 518/QĐ-UBND ngày 02/3/2023 của Ủy ban "
            "nhân dân tỉnh về quy chế A; Quyết định số 1996/QĐ-UBND ngày 05/9/2023 về quy chế B; "
            "Quyết định số 1220/QĐ-UBND ngày 03/4/2024 về quy chế C.\n\n"
            "Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15 ngày 18 tháng 02 năm 2025;\n"
            "Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025;\n"
            "Theo đề nghị của Sở Nội vụ tại Tờ trình số 381/TTr-SNV.\n")
    assert relations(text) == {
        "518/QĐ-UBND": ("thay_the", None), "1996/QĐ-UBND": ("thay_the", None),
        "1220/QĐ-UBND": ("thay_the", None), "63/2025/QH15": ("can_cu", None),
        "72/2025/QH15": ("can_cu", None), "381/TTr-SNV": ("de_nghi", None),
    }


def test_an_opening_verb_takes_only_the_document_it_governs() -> None:
    text = ("Thực hiện chủ trương của Chính phủ về chương trình mục tiêu quốc gia, Bộ Tài chính đã "
            "có Tờ trình số 221/TTr-BTC ngày 02/02/2026 trình Thủ tướng Chính phủ.\n"
            "- Tiếp tục triển khai thực hiện nghiêm túc, hiệu quả Kế hoạch số 50/KH-UBND ngày "
            "17/02/2022 của Ủy ban nhân dân tỉnh.\n")
    assert relations(text) == {"221/TTr-BTC": ("tham_chieu", None),
                               "50/KH-UBND": ("thuc_hien", None)}


def test_a_word_in_quotes_is_not_an_amendments_wording() -> None:
    text = ("Căn cứ Kế hoạch số 2126/KH-UBND về xây dựng xã “không ma túy” giai đoạn 2025 - 2030;\n"
            "Căn cứ Quyết định số 28/2025/QĐ-TTg ngày 12/8/2025 của Thủ tướng Chính phủ;\n")
    assert relations(text) == {"2126/KH-UBND": ("can_cu", None),
                               "28/2025/QĐ-TTg": ("can_cu", None)}
