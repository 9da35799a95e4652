"""Citations: type, reference, key, date and issuer as the text gives them."""

from __future__ import annotations

from ingest.extract.citations import find_citations
from ingest.extract.numbers import reference_key


def test_first_mention_gives_type_date_and_issuer() -> None:
    text = ("Căn cứ Công văn số 1077/CAT-ANCTNB ngày 19/02/2025 của Công an tỉnh Lai Châu về việc "
            "cảnh báo thủ đoạn cắt, ghép hình ảnh.")
    assert find_citations(text) == [{
        "doc_type": "Công văn", "reference": "1077/CAT-ANCTNB", "key": "1077/cat-anctnb",
        "date": "2025-02-19", "issuer": "Công an tỉnh Lai Châu", "relation": "can_cu",
        "scope": None,
    }]


def test_later_mentions_resolve_to_the_first() -> None:
    text = ("Thực hiện Quyết định số 874/QĐ-BTTTT ngày 17/6/2021 của Bộ Thông tin và Truyền thông "
            "về ban hành Bộ quy tắc ứng xử. Các đơn vị quán triệt Quyết định số 874/QD-BTTTT.")
    citations = find_citations(text)
    assert len(citations) == 1
    assert citations[0]["date"] == "2021-06-17"
    assert citations[0]["issuer"] == "Bộ Thông tin và Truyền thông"


def test_own_reference_excluded() -> None:
    text = "(Kèm theo Công văn số 04/UBND-NCPC ngày 06/01/2025 của Ủy ban nhân dân Tỉnh)"
    assert find_citations(text, own_key=reference_key("04/UBND-NCPC")) == []


def test_citation_key_equals_the_documents_own_key() -> None:
    text = "Thực hiện Công điện số 139/CD-T'Tg ngày 23/12/2024 của Thủ tướng Chính phủ về …"
    assert find_citations(text)[0]["key"] == reference_key("139/CĐ-TTg") == "139/cd-ttg"
    assert find_citations(text)[0]["reference"] == "139/CĐ-TTg"


def test_party_document_with_issuer_before_number() -> None:
    text = "Thực hiện Quyết định của Bộ Chính trị số 31-QĐ/TW, ngày 01-10-1997 về quản lý cán bộ."
    citation = find_citations(text)[0]
    assert (citation["doc_type"], citation["reference"], citation["key"]) == (
        "Quyết định", "31-QĐ/TW", "31/qd-tw")
    assert (citation["date"], citation["issuer"]) == ("1997-10-01", "Bộ Chính trị")


def test_ocr_damaged_citations_of_the_dong_thap_seed() -> None:
    text = (
        "trong tdm la Quy dinh 85-Qb/TW, ngay 07/10/2022 cta Ban Bi thu quy dinh vé viéc; "
        "Quyét dinh s6 874/QD-BTTTT ngay 17/6/2021 caa Bo Thdng tin va Truyén thdng vé ban hanh"
    )
    assert find_citations(text) == [
        {"doc_type": "Quy định", "reference": "85-QĐ/TW", "key": "85/qd-tw",
         "date": "2022-10-07", "issuer": "Ban Bí thư", "relation": "tham_chieu", "scope": None},
        {"doc_type": "Quyết định", "reference": "874/QĐ-BTTTT", "key": "874/qd-btttt",
         "date": "2021-06-17", "issuer": "Bộ Thông tin và Truyền thông",
         "relation": "tham_chieu", "scope": None},
    ]


def test_laws_and_decrees() -> None:
    text = ("Căn cứ Luật Tổ chức chính quyền địa phương số 77/2015/QH13 ngày 19/6/2015; Căn cứ "
            "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;")
    assert [(c["doc_type"], c["key"], c["date"], c["issuer"]) for c in find_citations(text)] == [
        ("Luật", "77/2015/qh13", "2015-06-19", None),
        ("Nghị định", "30/2020/nd-cp", "2020-03-05", "Chính phủ"),
    ]


def test_not_numbers_are_not_citations() -> None:
    text = "Từ tháng 4/2020, đường dây 24/7, tiêu chuẩn TCVN 6909:2001, tỷ lệ 100/Ban chỉ đạo."
    assert find_citations(text) == []


def test_date_and_issuer_come_from_the_first_mention_only() -> None:
    text = ("Căn cứ Nghị định số 45/2023/NĐ-CP và các văn bản hướng dẫn; đối tượng quy định tại "
            "Điều 3 Nghị định số 45/2023/NĐ-CP ngày 12 tháng 5 năm 2023 của Chính phủ được hưởng.")
    assert find_citations(text) == [{
        "doc_type": "Nghị định", "reference": "45/2023/NĐ-CP", "key": "45/2023/nd-cp",
        "date": None, "issuer": None, "relation": "can_cu", "scope": None,
    }]


def _cited(text: str) -> list[tuple[str | None, ...]]:
    return [(c["doc_type"], c["reference"], c["key"], c["date"], c["issuer"])
            for c in find_citations(text)]


def test_old_number_shapes_without_a_slash() -> None:
    text = ("Cán bộ xã hưởng trợ cấp theo Quyết định số 150-CP ngày 12 tháng 7 năm 1976 của Hội "
            "đồng Chính phủ và Quyết định số 123-HĐBT ngày 05 tháng 11 năm 1982 của Hội đồng Bộ "
            "trưởng về việc sửa đổi chế độ; Nghị định 47-CP quy định chi tiết.")
    assert _cited(text) == [
        ("Quyết định", "150-CP", "150-cp", "1976-07-12", "Hội đồng Chính phủ"),
        ("Quyết định", "123-HĐBT", "123-hdbt", "1982-11-05", "Hội đồng Bộ trưởng"),
        ("Nghị định", "47-CP", "47-cp", None, None),
    ]


def test_dashed_numbers_that_are_not_documents() -> None:
    text = ("Kèm theo Mẫu số 02-TK và Biểu số 05-LĐ; từ 2-3 ngày, giai đoạn 2021-2025, "
            "lúc 10-CP đến.")
    assert find_citations(text) == []


def test_citation_variants_of_a_directive() -> None:
    assert _cited("Thực hiện Chỉ thị số12/CT-TTg ngày 05/3/2024 của Thủ tướng Chính phủ về …") == [
        ("Chỉ thị", "12/CT-TTg", "12/ct-ttg", "2024-03-05", "Thủ tướng Chính phủ")]
    assert _cited("theo Thông tư số 08/2023/TT-BLĐTBXH2 ngày 29/8/2023 của Bộ trưởng") == [
        ("Thông tư", "08/2023/TT-BLĐTBXH", "8/2023/tt-bldtbxh", "2023-08-29", "Bộ trưởng")]
    # Cyrillic look-alike capitals typed into a symbol ('BТС' with Cyrillic Т and С)
    assert _cited("Thông tư số 17/2022/TT-B\u0422\u0421 ngày 08/3/2022;") == [
        ("Thông tư", "17/2022/TT-BTC", "17/2022/tt-btc", "2022-03-08", None)]


def test_listed_documents_share_the_issuer_named_before_the_list() -> None:
    text = ("Xét đề nghị của Bộ trưởng Bộ Nội vụ tại các văn bản: Số 310/TTr-BNV ngày 02 tháng 4 "
            "năm 2025, số 295/BC-BNV ngày 28 tháng 3 năm 2025; của Chủ tịch Ủy ban nhân dân tỉnh "
            "Nam Định tại Tờ trình số 41/TTr-UBND ngày 10 tháng 3 năm 2025;")
    assert _cited(text) == [
        ("Tờ trình", "310/TTr-BNV", "310/ttr-bnv", "2025-04-02", "Bộ trưởng Bộ Nội vụ"),
        ("Báo cáo", "295/BC-BNV", "295/bc-bnv", "2025-03-28", "Bộ trưởng Bộ Nội vụ"),
        ("Tờ trình", "41/TTr-UBND", "41/ttr-ubnd", "2025-03-10",
         "Chủ tịch Ủy ban nhân dân tỉnh Nam Định"),
    ]


def test_a_body_named_for_an_earlier_document_is_not_the_next_ones() -> None:
    text = ("Căn cứ Nghị định số 25/2025/NĐ-CP ngày 21 tháng 02 năm 2025 của Chính phủ quy định "
            "chức năng của Bộ Nội vụ được sửa đổi, bổ sung bởi Nghị định số 170/2025/NĐ-CP ngày "
            "30 tháng 6 năm 2025;")
    assert _cited(text)[1] == ("Nghị định", "170/2025/NĐ-CP", "170/2025/nd-cp", "2025-06-30",
                               None)


def test_issuer_names_with_van_tai_and_on_their_own_line() -> None:
    text = ("Bãi bỏ Thông tư liên tịch số 15/2012/TTLT-BTC-BGTVT ngày 20 tháng 3 năm 2012 của Bộ "
            "trưởng Bộ Tài chính và Bộ trưởng Bộ Giao thông vận tải hướng dẫn thu phí.")
    assert _cited(text)[0][4] == "Bộ trưởng Bộ Tài chính và Bộ trưởng Bộ Giao thông vận tải"
    title = ("NGHỊ QUYẾT\nKéo dài thời gian thực hiện Nghị quyết số 07/2022/UBTVQH15 ngày 10 "
             "tháng 5 năm 2022\ncủa Ủy ban Thường vụ Quốc hội\n\nỦY BAN THƯỜNG VỤ QUỐC HỘI\n\n"
             "Căn cứ Hiến pháp;")
    assert _cited(title)[0][4] == "Ủy ban Thường vụ Quốc hội"


def test_standards_and_court_judgments_are_not_citations() -> None:
    text = ("Thiết bị theo QCVN 07:2016/BLĐTBXH và QCVN: 03/2019/BLĐTBXH; Bản án hành chính sơ "
            "thẩm số 12/2024/QĐ-PT ngày 03/5/2024 của Tòa án nhân dân tỉnh; Thông báo thụ lý vụ "
            "án số 29/2025/TB-TLVA.")
    assert find_citations(text) == []
