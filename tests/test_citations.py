"""Citations: type, reference, key, date and issuer as the text gives them."""

from __future__ import annotations

from ingest.extract.citations import find_citations
from ingest.extract.numbers import reference_key


def test_first_mention_gives_type_date_and_issuer() -> None:
    text = ("Căn cứ Công văn số 1077/CAT-ANCTNB ngày 19/02/2025 của Công an tỉnh Lai Châu về việc "
            "cảnh báo thủ đoạn cắt, ghép hình ảnh.")
    assert find_citations(text) == [{
        "doc_type": "Công văn", "reference": "1077/CAT-ANCTNB", "key": "1077/cat-anctnb",
        "date": "2025-02-19", "issuer": "Công an tỉnh Lai Châu",
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
         "date": "2022-10-07", "issuer": "Ban Bí thư"},
        {"doc_type": "Quyết định", "reference": "874/QĐ-BTTTT", "key": "874/qd-btttt",
         "date": "2021-06-17", "issuer": "Bộ Thông tin và Truyền thông"},
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
