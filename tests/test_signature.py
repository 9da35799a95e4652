"""The signing block as real letters print it: nested authorities, contact lines, OCR glyphs, seal
text, glued DOCX runs, approval boxes, ranks, the gazette's stamps and running heads, and the
authentication block of a consolidated text. Every letter here is written for these tests (invented
names and numbers)."""

from __future__ import annotations

import itertools

import pytest

from ingest.extract.metadata import extract_metadata
from ingest.extract.signature import _glue_points, _name, _title

HEAD = """ỦY BAN NHÂN DÂN XÃ SƯƠNG MAI THƯỢNG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 12/UBND-VP
Sương Mai Thượng, ngày 3 tháng 3 năm 2025
V/v kiểm tra đường làng

Kính gửi: Các thôn trong xã.

Ủy ban nhân dân xã đề nghị các thôn kiểm tra đường làng trước mùa mưa./.
"""

FOOT = """
Nơi nhận:
- Như trên;
- Lưu: VT.

{block}
"""


def signer_of(block: str, foot: str = FOOT) -> dict:
    return extract_metadata(HEAD + foot.format(block=block))["signer"]


@pytest.mark.parametrize(
    ("block", "authority", "own", "behalf", "title", "lines"),
    [
        ("TL. CHỦ TỊCH\nKT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG\n\nTrần Văn Bính",
         "TL.", "KT.", "Chủ tịch", "Phó Chánh Văn phòng", ["TL. Chủ tịch", "KT. Chánh Văn phòng"]),
        ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nTrần Văn Bính",
         "TM.", "KT.", "Ủy ban nhân dân", "Phó Chủ tịch", ["TM. Ủy ban nhân dân", "KT. Chủ tịch"]),
        ("T/M BAN THƯỜNG VỤ\nK/T BÍ THƯ\nPHÓ BÍ THƯ\n\nTrần Văn Bính",
         "TM.", "KT.", "Ban Thường vụ", "Phó Bí thư", ["TM. Ban Thường vụ", "KT. Bí thư"]),
        ("T/L BAN THƯỜNG VỤ\nCHÁNH VĂN PHÒNG\n\nTrần Văn Bính",
         "TL.", "TL.", "Ban Thường vụ", "Chánh Văn phòng", ["TL. Ban Thường vụ"]),
        ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nTrần Văn Bính",
         "KT.", "KT.", "Chủ tịch", "Phó Chủ tịch", ["KT. Chủ tịch"]),
        ("CHỦ TỊCH\n\nTrần Văn Bính", None, None, None, "Chủ tịch", []),
    ],
)
def test_the_signing_authority_is_the_outer_prefix_and_the_chain_is_kept(
    block: str, authority: str | None, own: str | None, behalf: str | None, title: str,
    lines: list[str],
) -> None:
    signer = signer_of(block)
    assert (signer["authority"], signer["own_authority"], signer["on_behalf_of"]) == (
        authority, own, behalf)
    assert (signer["title"], signer["name"], signer["authority_lines"]) == (
        title, "Trần Văn Bính", lines)


@pytest.mark.parametrize(
    "block",
    [
        # phone and e-mail lines under the title (some offices print the signer's contact)
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nĐT: 0912 345 678\nEmail: tvbinh@sm.gov.vn\n\nTrần Văn Bính",
        # stray OCR glyphs on lines of their own and stuck to the name
        "KT. CHỦ TỊCH\n|\nPHÓ CHỦ TỊCH\n~ ®\n\n| Trần Văn Bính ~",
        # the text of the round seal read between the title and the name
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nỦY BAN NHÂN DÂN\nXÃ SƯƠNG MAI THƯỢNG\n*\nTrần Văn Bính",
        # a digital signature note and the date it was signed
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\nThời gian ký: 03/3/2025 08:12\nTrần Văn Bính",
    ],
)
def test_lines_around_the_name_do_not_hide_it(block: str) -> None:
    signer = signer_of(block)
    assert (signer["name"], signer["title"], signer["authority"]) == (
        "Trần Văn Bính", "Phó Chủ tịch", "KT.")


def test_runs_glued_by_a_docx_reader_are_split() -> None:
    signer = signer_of("TM. ỦY BAN NHÂN DÂNCHỦ TỊCHTrần Văn Bính")
    assert signer == {"name": "Trần Văn Bính", "title": "Chủ tịch", "authority": "TM.",
                      "own_authority": "TM.", "on_behalf_of": "Ủy ban nhân dân",
                      "authority_lines": ["TM. Ủy ban nhân dân"]}


@pytest.mark.parametrize(
    ("word", "parts"),
    [("NHÂN DÂNCHỦ TỊCH", ["NHÂN DÂN", "CHỦ TỊCH"]), ("TỊCHTrần", ["TỊCH", "Trần"]),
     ("KT. CHUTICH", ["KT. CHUTICH"]), ("NGUYỄN", ["NGUYỄN"]), ("UBND", ["UBND"]),
     ("HĐND", ["HĐND"]), ("TRƯỜNG", ["TRƯỜNG"]), ("KHUYẾN", ["KHUYẾN"])],
)
def test_glue_points_split_only_what_cannot_be_one_word(word: str, parts: list[str]) -> None:
    cuts = [0, *_glue_points(word), len(word)]
    assert [word[a:b] for a, b in itertools.pairwise(cuts)] == parts


@pytest.mark.parametrize(
    "foot",
    [
        # an approval box before the signing block
        "\nDUYỆT\nTRƯỞNG PHÒNG\n\nLê Thị Hoa\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n{block}\n",
        "\nXÁC NHẬN CỦA TRƯỞNG THÔN\n\nLê Thị Hoa\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n{block}\n",
        # a box beside the block, flattened row by row: heads first, then the names
        "\nNgười lập biểu\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLê Thị Hoa\n{block}\n",
        "\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNGƯỜI DUYỆT\n\n{block}\nLê Thị Hoa\n",
        "\nDUYỆT\t\tKT. CHỦ TỊCH\n\t\tPHÓ CHỦ TỊCH\nLê Thị Hoa\t\t{block}\n",
    ],
)
def test_a_name_in_an_approval_box_is_not_the_signer(foot: str) -> None:
    signer = signer_of("Trần Văn Bính", foot=foot)
    assert (signer["name"], signer["title"], signer["authority"]) == (
        "Trần Văn Bính", "Phó Chủ tịch", "KT.")


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Đại tá Lò Văn Phương", "Lò Văn Phương"),
        ("Thượng tá Hà Minh Tú", "Hà Minh Tú"),
        ("Thiếu tướng Đinh Quang Vũ", "Đinh Quang Vũ"),
        ("ĐẠI TÁ LÒ VĂN PHƯƠNG", "Lò Văn Phương"),
        ("NGUYỄN THỊ KIM THOA", "Nguyễn Thị Kim Thoa"),
        ("K'Nhi Ka Dông", "K'Nhi Ka Dông"),
        ("ỦY BAN NHÂN DÂN", None),
        ("CHU TICH", None),  # 'CHỦ TỊCH' read without marks
        ("PHO GIAM DOC", None),
        ("Như trên", None),
        ("ĐT: 0912 345 678", None),
    ],
)
def test_names_are_read_without_rank_and_in_normal_capitals(line: str, name: str | None) -> None:
    assert _name(line) == name


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("PHÓ GIÁM ĐỐC", "Phó Giám đốc"),
        ("VỤ TRƯỞNG VỤ PHÁP CHẾ", "Vụ trưởng Vụ Pháp chế"),
        ("CHỦ TỊCH QUỐC HỘI", "Chủ tịch Quốc hội"),
        ("PHÓ THỐNG ĐỐC", "Phó Thống đốc"),
        ("PHÓ CHÁNH ÁN", "Phó Chánh án"),
        ("TẠI MỘT SỐ THỊ TRƯỜNG, NGÀNH, NGHỀ", None),
        ("ĐIỀU KHOẢN THI HÀNH", None),
    ],
)
def test_titles_are_posts_in_normal_capitals(line: str, title: str | None) -> None:
    assert _title(line) == title


GAZETTE = """CHÍNH PHỦ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 999/2026/NĐ-CP
Hà Nội, ngày 3 tháng 4 năm 2026

NGHỊ ĐỊNH
Quy định thí điểm về vườn ươm cây giống

Điều 1. Phạm vi điều chỉnh
Nghị định này quy định thí điểm về vườn ươm cây giống.
Ký bởi: CÔNG BÁO NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Cơ quan: VĂN PHÒNG CHÍNH PHỦ
Ngày ký: 2026-04-05 10:11:12 +07:00

CÔNG BÁO/Số 901/Ngày 06-04-2026
17

Điều 2. Hiệu lực thi hành
Nghị định này có hiệu lực từ ngày ký ban hành./.

TM. CHÍNH PHỦ
KT. THỦ TƯỚNG
PHÓ THỦ TƯỚNG

CÔNG BÁO/Số 901/Ngày 06-04-2026
18

Trần Văn Bính

Phụ lục
MẪU BÁO CÁO
(Kèm theo Nghị định số 999/2026/NĐ-CP)

ỦY BAN NHÂN DÂN TỈNH...
Số: .../BC-UBND
V/v báo cáo vườn ươm

Nơi nhận:
- Bộ Nông nghiệp và Môi trường;
- Lưu: VT.

CHỦ TỊCH
(Ký tên, đóng dấu)
"""


@pytest.mark.parametrize("closing", ["./.", "."])
def test_a_gazette_text_is_signed_before_its_appendix_not_in_it(closing: str) -> None:
    record = extract_metadata(GAZETTE.replace("ban hành./.", f"ban hành{closing}"))
    assert record["signer"] == {
        "name": "Trần Văn Bính", "title": "Phó Thủ tướng", "authority": "TM.",
        "own_authority": "KT.", "on_behalf_of": "Chính phủ",
        "authority_lines": ["TM. Chính phủ", "KT. Thủ tướng"]}
    assert record["distribution"] == []  # the form's 'Nơi nhận' is not the decree's


def test_a_signature_stamp_inside_the_block_is_passed_over() -> None:
    block = ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nKý bởi: CÔNG BÁO NƯỚC\n"
             "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nCơ quan: VĂN PHÒNG CHÍNH PHỦ\n"
             "Ngày ký: 2026-04-05 10:11:12 +07:00\n\nTrần Văn Bính")
    assert signer_of(block)["name"] == "Trần Văn Bính"
    stamp_only = "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nKý bởi: Trần Thị Hoa\nCơ quan: ỦY BAN NHÂN DÂN"
    assert signer_of(stamp_only)["name"] is None


CONSOLIDATED = """BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG

THÔNG TƯ
Quy định về vườn ươm cây giống

Điều 1. Phạm vi điều chỉnh
Thông tư này quy định về vườn ươm cây giống./.

BỘ TRƯỞNG

Nguyễn Văn Mạnh¹

¹ Thông tư số 99/2024/TT-BNNMT được ký ngày 3 tháng 4 năm 2024.

BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG
Số: 77/VBHN-BNNMT

XÁC THỰC VĂN BẢN HỢP NHẤT
Hà Nội, ngày 10 tháng 4 năm 2026
KT. BỘ TRƯỞNG
THỨ TRƯỞNG

Trần Văn Bính
"""


def test_a_consolidated_text_is_signed_in_its_authentication_block() -> None:
    signer = extract_metadata(CONSOLIDATED)["signer"]
    assert (signer["name"], signer["title"], signer["authority"], signer["on_behalf_of"]) == (
        "Trần Văn Bính", "Thứ trưởng", "KT.", "Bộ trưởng")


@pytest.mark.parametrize(
    "block",
    [
        "TM. CHÍNH PHỦ\nKT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\n[daky] Trần Văn Bính",
        "TM. CHÍNH PHỦ\nKT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG y]Trần Văn Bính",  # a scrap of the mark
    ],
)
def test_a_digital_signature_mark_beside_the_name_is_passed_over(block: str) -> None:
    signer = signer_of(block)
    assert (signer["name"], signer["title"], signer["authority"]) == (
        "Trần Văn Bính", "Phó Thủ tướng", "TM.")


def test_a_signing_block_read_before_the_header_is_found() -> None:
    """Text taken from a PDF out of order: the signature first, then the header and body."""
    block = "TM. CHÍNH PHỦ\nKT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\n\nTrần Văn Bính\n\n"
    body = GAZETTE.split("TM. CHÍNH PHỦ")[0]
    signer = extract_metadata(block + body)["signer"]
    assert (signer["name"], signer["title"], signer["authority"]) == (
        "Trần Văn Bính", "Phó Thủ tướng", "TM.")


@pytest.mark.parametrize(
    ("block", "authority"),
    [
        # the post line unreadable on the scan, the name (rank garbled) under the list
        ("Thiêu tướng Trần Văn Bính", None),
        ("C@ ;; X\n\nTrần Văn Bính", None),
        # 'KT.GIÁM ĐỐC' without its space
        ("KT.GIÁM ĐỐC\n\nTrần Văn Bính", "KT."),
    ],
)
def test_what_a_scan_leaves_of_the_block_is_read(block: str, authority: str | None) -> None:
    signer = signer_of(block)
    assert (signer["name"], signer["authority"]) == ("Trần Văn Bính", authority)


def test_a_post_read_into_the_distribution_list_is_the_signers() -> None:
    foot = "\nNơi nhận:\n- GIÁM ĐỐC\n- Như trên;\n- Lưu: VT.\n\n{block}\n"
    record = extract_metadata(HEAD + foot.format(block="Thiếu tướng Trần Văn Bính"))
    assert (record["signer"]["name"], record["signer"]["title"]) == ("Trần Văn Bính", "Giám đốc")
    assert record["distribution"] == ["Như trên", "Lưu: VT"]


@pytest.mark.parametrize(
    ("line", "behalf"),
    [
        ("TM. BAN CHÁP HÀNH", "Ban Chấp hành"),  # OCR: Á for Ấ
        ("TM. BAN N CHẬP HÀNH", "Ban Chấp hành"),  # a stray letter
        ("KT. GIAM ĐỌC", "Giám đốc"),  # marks lost or wrong
        ("TM. BAN KIÊM TRA", "Ban Kiểm tra"),
        ("TM. BAN CHỈ ĐẠO", "Ban Chỉ đạo"),  # an organ that is not in the list stays itself
    ],
)
def test_an_ocr_damaged_prefix_line_names_the_organ_or_post(line: str, behalf: str) -> None:
    signer = signer_of(f"{line}\nPHÓ CHỦ TỊCH\n\nTrần Văn Bính")
    assert signer["on_behalf_of"] == behalf


@pytest.mark.parametrize("head", ["Nơi nhận: KT. GIÁM ĐỐC", "NaG nhận: KT. GIÁM ĐỐC", "Nơi nhận:"])
def test_distribution_head_with_the_signing_column_run_into_it(head: str) -> None:
    """OCR reads the two foot columns as one line ('Nơi nhận: KT. GIÁM ĐỐC') and may garble
    the first word: the distribution list under it is still read."""
    letter = HEAD + f"\n{head}\n- Như trên;\n- Sở Tài chính (để biết);\n- Lưu: VT, KT.\n"
    assert extract_metadata(letter)["distribution"] == [
        "Như trên", "Sở Tài chính (để biết)", "Lưu: VT, KT"]


@pytest.mark.parametrize(
    ("block", "title"),
    [
        # the cleaning joined the junk OCR made of the signature and seal to the name under it
        ("GIÁM ĐỐC\n/ 2 UY se (E [sự 'A x Ko t /Ƒ ke) h Ñ@ nh a2 Ty Thiếu tướng Trần Văn Bính",
         "Giám đốc"),
        ("CHỦ TỊCH\nSo /⁄⁄\n..\n8 Trần Văn Bính", "Chủ tịch"),
        ("GIÁM ĐỐC\nNI suy N ' // Thiếu tướng Trần Văn Bính", "Giám đốc"),
        # a scrap after the name, a stroke read as a letter before it
        ("GIÁM ĐỐC\n`.\nThiếu tướng Trần Văn Bính :", "Giám đốc"),
        ("PHÓ CHỦ TỊCH THƯỜNG TRỰC\n“\n-\nTrần Văn Bính 3", "Phó Chủ tịch Thường trực"),
        ("GIÁM ĐỐC\nÁ Trần Văn Bính", "Giám đốc"),
        # the rank's first letters lost under the signature ('Thượng tá')
        ("GIÁM ĐỐC\n—\nương tá Trần Văn Bính", "Giám đốc"),
        # garbled seal text glued before the post
        ("NG: ¡;jGIÁM ĐỐC\nThiếu tướng Trần Văn Bính", "Giám đốc"),
        # scraps of the seal's rim before the post, and before a rank that lost its letters
        ("An TU GIÁM ĐỐC\nThiếu tướng Trần Văn Bính", "Giám đốc"),
        ("GIÁM ĐỐC\nA NT”\n: ty ương tá Trần Văn Bính", "Giám đốc"),
    ],
)
def test_the_name_and_post_are_read_out_of_the_junk_a_signature_leaves(block: str,
                                                                        title: str) -> None:
    signer = signer_of(block)
    assert (signer["name"], signer["title"]) == ("Trần Văn Bính", title)


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Phó chủ tịch Nguyễn Văn An", None),  # words, not junk, before it: not a bare name
        ("Y Bih Niê", "Y Bih Niê"),  # an Ede name keeps its 'Y'
    ],
)
def test_junk_rules_leave_words_and_names_alone(line: str, name: str | None) -> None:
    from ingest.extract.signature import _name, _name_after_junk

    assert (_name(line) or _name_after_junk(line)) == name


def test_a_deputy_post_read_without_its_pho_is_left_unread() -> None:
    """'KT. CHỦ TỊCH' is signed by a deputy; OCR that lost 'PHÓ' under the signature gives
    the principal's post, which the signer cannot hold: null (with the warning), not a guess."""
    signer = signer_of("KT. CHỦ TỊCH\n_ kUO CHỦ TỊCH\n\nTrần Văn Bính")
    assert (signer["name"], signer["title"], signer["authority"]) == ("Trần Văn Bính", None, "KT.")


def test_a_distribution_list_whose_heading_ocr_lost_is_read_up_to_its_filing_item() -> None:
    foot = ("\nChánh Văn phòng và các đơn vị có liên quan chịu trách nhiệm thi hành./.\n"
            "ệ “tác,\n- Như Điều 3;\n- Thường trực Huyện ủy;\nKT. CHỦ TỊCH\n¬ : “\n"
            "PHÓ CHỦ TỊCH\n\n- Thường trực HĐND huyện;\n- Lưu: VT, NC.\n\n{block}\n")
    record = extract_metadata(HEAD + foot.format(block="Trần Văn Bính"))
    assert record["distribution"] == ["Như Điều 3", "Thường trực Huyện ủy",
                                      "Thường trực HĐND huyện", "Lưu: VT, NC"]
    assert (record["signer"]["name"], record["signer"]["title"]) == ("Trần Văn Bính",
                                                                    "Phó Chủ tịch")
