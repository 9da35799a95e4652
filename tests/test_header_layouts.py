"""The header block of real-world layouts (issue 11): gazette texts with their page furniture,
web page headers, broken or repeated issuer lines, form codes, laws, and dates that must never
come from the 'Căn cứ' preamble. Every letter here is invented for the test."""

from __future__ import annotations

from ingest.extract.layout import content_lines
from ingest.extract.metadata import extract_metadata

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"

GAZETTE_DECREE = """CÔNG BÁO/Số 271/Ngày 12-05-2026
14

VĂN BẢN QUY PHẠM PHÁP LUẬT

CHÍNH PHỦ

CHÍNH PHỦ
_________

Số: 77/2026/NĐ-CP
""" + MOTTO + """______________________
Hà Nội, ngày 04 tháng 5 năm 2026

NGHỊ ĐỊNH
Quy định về quản lý vườn ươm giống cây lâm nghiệp

Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15 ngày 18 tháng 02 năm 2025;
Căn cứ Luật Lâm nghiệp số 16/2017/QH14;
Theo đề nghị của Bộ trưởng Bộ Nông nghiệp và Môi trường;
Chính phủ ban hành Nghị định quy định về quản lý vườn ươm giống cây lâm nghiệp.
Ký bởi: CÔNG BÁO NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Cơ quan: VĂN PHÒNG CHÍNH PHỦ
Ngày ký: 2026-05-12 08:01:11 +07:00

CÔNG BÁO/Số 271/Ngày 12-05-2026
15

Điều 1. Phạm vi điều chỉnh
Nghị định này quy định về quản lý vườn ươm giống cây lâm nghiệp.
Điều 2. Hiệu lực thi hành
Nghị định này có hiệu lực từ ngày 01 tháng 7 năm 2026.

TM. CHÍNH PHỦ
KT. THỦ TƯỚNG
PHÓ THỦ TƯỚNG

Đoàn Minh Khải
"""


def test_gazette_furniture_does_not_hide_the_header() -> None:
    record = extract_metadata(GAZETTE_DECREE)
    assert record["issuer"] == "Chính phủ"
    assert record["parent_issuer"] is None  # the gazette's repeat of 'CHÍNH PHỦ' is not a parent
    assert record["doc_type"] == "Nghị định"
    assert record["reference"] == "77/2026/NĐ-CP"
    assert record["date"] == "2026-05-04"
    assert record["subject"] == "Quy định về quản lý vườn ươm giống cây lâm nghiệp"


def test_gazette_furniture_stays_in_the_stored_text_and_spans_point_into_it() -> None:
    record = extract_metadata(GAZETTE_DECREE)
    text = record["text"]
    assert "CÔNG BÁO/Số 271/Ngày 12-05-2026" in text and "Ký bởi:" in text
    start, end = record["spans"]["reference"]
    assert "77/2026/NĐ-CP" in text[start:end]
    start, end = record["spans"]["issuer"]
    assert text[start:end] == "CHÍNH PHỦ"


def test_content_lines_leave_out_running_heads_page_numbers_and_signature_stamps() -> None:
    record = extract_metadata(GAZETTE_DECREE)
    kept = [line.text for line in content_lines(record["text"])]
    assert not any("CÔNG BÁO/" in line or line.strip() in ("14", "15") for line in kept)
    assert not any(line.startswith(("Ký bởi", "Cơ quan:", "Ngày ký")) for line in kept)
    assert "VĂN BẢN QUY PHẠM PHÁP LUẬT" not in kept
    # a stamp glued under a paragraph broken by the page is not joined into it
    stamped = extract_metadata(GAZETTE_DECREE.replace(
        "lâm nghiệp.\nKý bởi", "lâm nghiệp và\nNgười ký: CỔNG THÔNG TIN ĐIỆN TỬ\nEmail: a@b.vn"
        "\nCơ quan: VĂN PHÒNG\nThời gian ký: 07.01.2026 16:32:41 +07:00\nKý bởi"))
    assert not any("Người ký" in line.text for line in content_lines(stamped["text"]))


LAW = """CÔNG BÁO/Số 1601 + 1602/Ngày 30-12-2025
5

""" + MOTTO + """
QUỐC HỘI

Luật số: 140/2025/QH15

LUẬT
THỦY LỢI NỘI ĐỒNG

Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;
Quốc hội ban hành Luật Thủy lợi nội đồng.
Điều 1. Phạm vi điều chỉnh
Luật này quy định về thủy lợi nội đồng.
"""


def test_a_law_with_the_motto_first_is_issued_by_the_national_assembly() -> None:
    record = extract_metadata(LAW)
    assert record["doc_type"] == "Luật"
    assert record["issuer"] == "Quốc hội"
    assert record["number"] == "140"
    assert record["reference"] == "140/2025/QH15"


def test_a_header_broken_over_lines_is_one_name() -> None:
    letter = ("ỦY\nBAN NHÂN DÂN\nTỈNH SƠN LA\n" + MOTTO + "Số: 1203/UBND-KT\n"
              "Sơn La, ngày 14 tháng 7 năm 2026\n"
              "V/v tăng cường quản lý giá các mặt hàng thiết yếu\n\nKính gửi: Sở Công Thương.\n\n"
              "Ủy ban nhân dân tỉnh yêu cầu Sở Công Thương kiểm tra giá cả thị trường.\n")
    record = extract_metadata(letter)
    assert record["issuer"] == "Ủy ban nhân dân tỉnh Sơn La"
    assert record["parent_issuer"] is None


def test_a_two_level_header_still_has_its_parent() -> None:
    letter = ("CÔNG AN TỈNH HÀ TĨNH\nCÔNG AN HUYỆN HƯƠNG SƠN\n" + MOTTO + "Số: 12/CAH-TH\n"
              "Hương Sơn, ngày 14 tháng 7 năm 2026\nV/v bảo đảm trật tự giao thông\n\n"
              "Kính gửi: Ủy ban nhân dân các xã.\n\nCông an huyện đề nghị các xã phối hợp.\n")
    record = extract_metadata(letter)
    assert record["parent_issuer"] == "Công an tỉnh Hà Tĩnh"
    assert record["issuer"] == "Công an huyện Hương Sơn"


def test_a_form_code_is_not_the_issuer() -> None:
    letter = ("Mẫu số M01/TB-XN\nSỞ TÀI CHÍNH TỈNH NINH BÌNH\n" + MOTTO + "Số: 45/TB-STC\n"
              "Ninh Bình, ngày 09 tháng 3 năm 2026\n\nTHÔNG BÁO\n"
              "Về việc tiếp nhận hồ sơ đăng ký\n\nSở Tài chính thông báo như sau.\n")
    record = extract_metadata(letter)
    assert record["issuer"] == "Sở Tài chính tỉnh Ninh Bình"
    letter = letter.replace("Mẫu số M01/TB-XN", "M01/TB-XN")
    assert extract_metadata(letter)["issuer"] == "Sở Tài chính tỉnh Ninh Bình"


WEB_PAGE = """Trang chủ
Giới thiệu
Tin tức - Sự kiện
Văn bản chỉ đạo điều hành
Trang chủ > Văn bản > Văn bản chỉ đạo điều hành của tỉnh, cập nhật hằng ngày cho cán bộ, \
công chức, viên chức và người dân trên địa bàn tỉnh theo quy định
Ngày đăng: 15/04/2026 08:30 | Lượt xem: 1204
ỦY BAN NHÂN DÂN TỈNH ĐIỆN BIÊN
""" + MOTTO + """Số: 1550/UBND-KGVX
Điện Biên, ngày 14 tháng 4 năm 2026
V/v tổ chức các hoạt động kỷ niệm Ngày Sách

Kính gửi: Sở Văn hóa, Thể thao và Du lịch.

Ủy ban nhân dân tỉnh giao Sở Văn hóa, Thể thao và Du lịch chủ trì tổ chức các hoạt động.
"""


def test_a_web_page_header_before_the_letter_does_not_hide_it() -> None:
    record = extract_metadata(WEB_PAGE)
    assert record["issuer"] == "Ủy ban nhân dân tỉnh Điện Biên"
    assert record["reference"] == "1550/UBND-KGVX"
    assert record["date"] == "2026-04-14"
    assert record["subject"] == "tổ chức các hoạt động kỷ niệm Ngày Sách"


def test_the_date_is_never_taken_from_a_preamble_line() -> None:
    letter = ("ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\n" + MOTTO + "Số: 88/QĐ-UBND\n"
              "Bắc Ninh, ngàv I5 thág 5 nam 2O26\n\nQUYẾT ĐỊNH\nVề việc thành lập Tổ công tác\n\n"
              "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;\n"
              "Căn cứ Quyết định số 12/QĐ-UBND ngày 03 tháng 01 năm 2026;\n"
              "Điều 1. Thành lập Tổ công tác.\n")
    record = extract_metadata(letter)
    assert record["date"] is None
    assert "Không tìm thấy ngày ban hành." in record["warnings"]


def test_a_laws_date_is_the_day_it_was_passed() -> None:
    record = extract_metadata(LAW + (
        "Điều 2. Hiệu lực thi hành\nLuật này có hiệu lực từ ngày 01 tháng 7 năm 2026.\n\n"
        "Luật này được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XV, kỳ họp thứ 10"
        " thông qua ngày 10 tháng 12 năm 2025.\n\nCHỦ TỊCH QUỐC HỘI\n\nHoàng Minh Sơn\n"))
    assert record["date"] == "2025-12-10"
    assert record["place"] is None
    assert "Không tìm thấy ngày ban hành." not in record["warnings"]


def test_a_date_inside_the_title_is_not_the_documents_date() -> None:
    record = extract_metadata(
        "ỦY BAN THƯỜNG VỤ QUỐC HỘI\n\nNghị quyết số: 31/2026/UBTVQH15\n" + MOTTO + "\nNGHỊ QUYẾT\n"
        "Tiếp tục thực hiện hỗ trợ theo Nghị quyết số 05/2025/UBTVQH15 ngày 14 tháng 3 năm 2025\n"
        "\nCăn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\nĐiều 1. Hỗ trợ.\n")
    assert record["date"] is None
    assert record["subject"] == ("Tiếp tục thực hiện hỗ trợ theo Nghị quyết số 05/2025/UBTVQH15"
                                 " ngày 14 tháng 3 năm 2025")


CONSOLIDATED = """CÔNG BÁO/Số 303/Ngày 02-06-2026
94

VĂN BẢN HỢP NHẤT - BỘ TÀI CHÍNH

""" + MOTTO + """
THÔNG TƯ
Hướng dẫn quản lý quỹ hỗ trợ nông dân

Thông tư số 21/2024/TT-BTC ngày 05 tháng 4 năm 2024 của Bộ trưởng Bộ Tài chính, có hiệu lực
kể từ ngày 20 tháng 5 năm 2024, được sửa đổi, bổ sung bởi:
Thông tư số 09/2026/TT-BTC ngày 12 tháng 01 năm 2026 của Bộ trưởng Bộ Tài chính.

Căn cứ Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015;
Điều 1. Phạm vi điều chỉnh
Thông tư này hướng dẫn quản lý quỹ hỗ trợ nông dân.

BỘ TÀI CHÍNH
Số: 14/VBHN-BTC

XÁC THỰC VĂN BẢN HỢP NHẤT
Hà Nội, ngày 20 tháng 4 năm 2026
KT. BỘ TRƯỞNG
THỨ TRƯỞNG

Lê Thị Thu Hà
"""


def test_a_consolidated_text_takes_its_own_number_date_and_issuer_from_its_block() -> None:
    record = extract_metadata(CONSOLIDATED)
    assert record["doc_type"] == "Văn bản hợp nhất"
    assert record["reference"] == "14/VBHN-BTC"
    assert record["date"] == "2026-04-20"
    assert record["issuer"] == "Bộ Tài chính"
    assert record["parent_issuer"] is None
    assert record["subject"] == "Hướng dẫn quản lý quỹ hỗ trợ nông dân"
    start, end = record["spans"]["reference"]
    assert "14/VBHN-BTC" in record["text"][start:end]


def test_two_header_lines_read_as_one_are_parent_and_issuer() -> None:
    letter = ("ỦY BAN NHÂN DÂN TỈNH SƠN LA SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\n" + MOTTO
              + "Số: 310/SNNMT-KL\nSơn La, ngày 02 tháng 3 năm 2026\n"
              "V/v phòng cháy, chữa cháy rừng mùa khô\n\nKính gửi: Ủy ban nhân dân các xã.\n\n"
              "Sở Nông nghiệp và Môi trường đề nghị các xã tăng cường tuần tra.\n")
    record = extract_metadata(letter)
    assert record["parent_issuer"] == "Ủy ban nhân dân tỉnh Sơn La"
    assert record["issuer"] == "Sở Nông nghiệp và Môi trường tỉnh Sơn La"


def test_a_joint_circular_names_every_issuer() -> None:
    letter = ("BỘ TÀI CHÍNH -\nBỘ CÔNG AN -\nBỘ LAO ĐỘNG - THƯƠNG BINH\nVÀ XÃ HỘI\n" + MOTTO
              + "Số: 02/2026/TTLT-BTC-BCA-BLĐTBXH\nHà Nội, ngày 18 tháng 02 năm 2026\n\n"
              "THÔNG TƯ LIÊN TỊCH\nHướng dẫn phối hợp quản lý quỹ\n\n"
              "Căn cứ Luật Ngân sách nhà nước số 83/2015/QH13;\nĐiều 1. Phạm vi.\n")
    record = extract_metadata(letter)
    assert record["doc_type"] == "Thông tư liên tịch"
    assert record["issuer"] == "Bộ Tài chính - Bộ Công an - Bộ Lao động - Thương binh và Xã hội"
    assert record["parent_issuer"] is None


def test_a_ministry_over_a_provincial_police_is_parent_and_issuer() -> None:
    letter = ("BỘ CÔNG AN\n" + "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nCÔNG AN TỈNH LÀO CAI\n"
              "Độc lập - Tự do - Hạnh phúc\n\n"
              "Số: 2X /TTr-CAT-PC06 Lào Cai, ngày9© tháng I0 năm 2026\n\n"
              "TỜ TRÌNH\nĐề nghị ban hành báo cáo kết quả tháng 10\n\n"
              "Kính gửi: Lãnh đạo Ủy ban nhân dân tỉnh Lào Cai.\n\n"
              "Công an tỉnh kính trình Ủy ban nhân dân tỉnh xem xét.\n")
    record = extract_metadata(letter)
    assert record["parent_issuer"] == "Bộ Công an"
    assert record["issuer"] == "Công an tỉnh Lào Cai"
    assert record["doc_type"] == "Tờ trình"  # 'CÔNG AN TỈNH …' is no 'Công văn' heading
    assert record["subject"] == "Đề nghị ban hành báo cáo kết quả tháng 10"


def test_a_signing_block_is_never_the_issuer() -> None:
    record = extract_metadata("CÔNG BÁO/Số 88/Ngày 06-02-2026\n100\n\n\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n"
                              "\nNguyễn Đức Chi\n")
    assert record["issuer"] is None
    assert record["parent_issuer"] is None


def test_a_certified_copys_stamp_and_a_misread_province_do_not_spoil_the_issuer() -> None:
    letter = ("SAO Y; CÔNG AN TỈNH LÂM ĐỒNG; 06/01/2026; 16:42:26; +07:00\n"
              "BỘ CÔNG AN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
              "CÔNG AN TỈNH LÂM ĐÔNG Độc lập - Tự do_— Hạnh phúc\n\n"
              "Số: 03/BC-CAT-PC04 Lâm Đồng, ngày 05 tháng 01 năm 2026\n\nBÁO CÁO\n"
              "Kết quả công tác phòng, chống ma túy năm 2025\n\n"
              "Công an tỉnh báo cáo kết quả như sau.\n")
    record = extract_metadata(letter)
    assert record["issuer"] == "Công an tỉnh Lâm Đồng"
    assert record["parent_issuer"] == "Bộ Công an"
    assert record["doc_type"] == "Báo cáo"
    assert "SAO Y; CÔNG AN TỈNH LÂM ĐỒNG" in record["text"]


def test_a_type_heading_is_not_the_issuer() -> None:
    record = extract_metadata("QUYẾT ĐỊNH\nVề việc thành lập Hội đồng thẩm định\n\n"
                              "Điều 1. Thành lập Hội đồng.\n")
    assert record["issuer"] is None
    assert record["doc_type"] == "Quyết định"
