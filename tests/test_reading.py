"""read_document() on every supported kind of file, built from the seed letters (no OCR here)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pypdf
import pytest
from pypdf.generic import NameObject
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from bench.rendering import FONT_PATH, render_image_pdf, render_images, render_text_pdf, render_tiff
from ingest.reading import detect
from ingest.reading.pdf import usable_text
from ingest.reading.reading import read_document
from tests.conftest import SEEDS

MUONG_TE = next(path for path in SEEDS if path.name.startswith("002_"))


def words(text: str | None) -> list[str]:
    assert text is not None
    return text.split()


@pytest.fixture(scope="module")
def seed() -> str:
    return MUONG_TE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "utf-16-le", "utf-32"]
)
def test_unicode_text_files(tmp_path: Path, seed: str, codec: str) -> None:
    if codec == "utf-16-be-bom":
        data = "\ufeff".encode("utf-16-be") + seed.encode("utf-16-be")
    else:
        data = seed.encode(codec)
    path = tmp_path / "letter"
    path.write_bytes(data)
    source = read_document(path)
    assert source.media_type == detect.TEXT
    assert [page.text for page in source.pages] == [seed]


def test_windows_line_endings_become_newlines(tmp_path: Path, seed: str) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(seed.replace("\n", "\r\n").encode("utf-8"))
    assert read_document(path).pages[0].text == seed


@pytest.mark.parametrize("seed_path", SEEDS, ids=lambda p: p.name[:3])
def test_text_layer_pdf_round_trips_each_page(tmp_path: Path, seed_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    page_texts = render_text_pdf(seed_path.read_text(encoding="utf-8"), path)
    source = read_document(path)
    assert source.media_type == detect.PDF
    assert source.needs_ocr == []
    assert [words(page.text) for page in source.pages] == [words(t) for t in page_texts]


def test_pdf_without_unicode_map_is_sent_to_ocr(tmp_path: Path, seed: str) -> None:
    """Vietnamese glyphs of a font without ToUnicode come out as (cid:NN): OCR those pages."""
    with_map = tmp_path / "with-map.pdf"
    render_text_pdf(seed, with_map)
    writer = pypdf.PdfWriter(clone_from=str(with_map))
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            font.get_object().pop(NameObject("/ToUnicode"), None)
    without_map = tmp_path / "without-map.pdf"
    writer.write(without_map)
    source = read_document(without_map)
    assert source.needs_ocr == [1, 2]


def test_usable_text_rules() -> None:
    assert usable_text("") is None
    assert usable_text("   12   ") is None
    garbage = "S(cid:1): /UBND-TH M(cid:2)(cid:3)ng T(cid:4), ng(cid:5)y th(cid:6)ng"
    assert usable_text(garbage) is None
    line = "Căn cứ Công văn số 1077/CAT-ANCTNB ngày 19/02/2025 (cid:7)"
    assert usable_text(line) == line


def pdf_with_renamed_font(tmp_path: Path, legacy_line: str, font_name: str,
                          unicode_line: str) -> Path:
    """A page mixing a legacy-named font and a Unicode font, as old letter templates do."""
    sans = FONT_PATH.with_name("LiberationSans-Regular.ttf")
    pdfmetrics.registerFont(TTFont("LegacySerif", str(FONT_PATH)))
    pdfmetrics.registerFont(TTFont("UnicodeSans", str(sans)))
    drawn = tmp_path / "drawn.pdf"
    pdf = canvas.Canvas(str(drawn))
    pdf.setFont("LegacySerif", 13)
    pdf.drawString(72, 700, legacy_line)
    pdf.setFont("UnicodeSans", 13)
    pdf.drawString(72, 650, unicode_line)
    pdf.save()
    writer = pypdf.PdfWriter(clone_from=str(drawn))
    for font in writer.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        if "Serif" in font["/BaseFont"]:  # pdfminer reads the descriptor's name
            font[NameObject("/BaseFont")] = NameObject(f"/ABCDEF+{font_name}")
            descriptor = font["/FontDescriptor"].get_object()
            descriptor[NameObject("/FontName")] = NameObject(f"/ABCDEF+{font_name}")
    renamed = tmp_path / "renamed.pdf"
    writer.write(renamed)
    return renamed


@pytest.mark.parametrize(
    ("legacy_line", "font_name", "expected"),
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", ".VnTime", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("céng hoµ x· héi chñ nghÜa viÖt nam", ".VnTimeH", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "VNI-Times",
         "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ],
)
def test_legacy_fonts_in_pdf_are_converted_and_unicode_font_is_not(
    tmp_path: Path, legacy_line: str, font_name: str, expected: str
) -> None:
    unicode_line = "Đồng Tháp, ngày 06 tháng 01 năm 2025 là ngày làm việc"
    path = pdf_with_renamed_font(tmp_path, legacy_line, font_name, unicode_line)
    assert words(read_document(path).pages[0].text) == words(f"{expected}\n{unicode_line}")


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG THÁP\nSố: 04/UBND-NCPC"
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    document.add_paragraph("Kính gửi: Các sở, ban, ngành tỉnh")
    document.add_paragraph("")
    document.add_paragraph("Nơi nhận: Như trên")
    path = tmp_path / "letter.docx"
    document.save(str(path))
    source = read_document(path)
    assert source.media_type == detect.DOCX
    assert source.pages[0].text == (
        "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG THÁP\nSố: 04/UBND-NCPC | "
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Kính gửi: Các sở, ban, ngành tỉnh\nNơi nhận: Như trên"
    )


def test_multipage_tiff_gives_one_page_per_frame(tmp_path: Path) -> None:
    path = tmp_path / "scan.tif"
    page_texts = render_tiff(SEEDS[4].read_text(encoding="utf-8"), path, dpi=150)
    source = read_document(path)
    assert source.media_type == detect.TIFF
    assert len(page_texts) >= 3
    assert source.needs_ocr == list(range(1, len(page_texts) + 1))


@pytest.mark.parametrize(("fmt", "media_type"), [("PNG", detect.PNG), ("JPEG", detect.JPEG)])
def test_single_images_are_one_page_to_ocr(tmp_path: Path, fmt: str, media_type: str) -> None:
    path = tmp_path / "scan.bin"
    render_images("Kính gửi: UBND các xã", dpi=100)[0].image.save(path, format=fmt)
    source = read_document(path)
    assert (source.media_type, source.needs_ocr) == (media_type, [1])


def test_password_free_encrypted_pdf_is_read(tmp_path: Path, seed: str) -> None:
    """Encrypted with an owner password only (printing restrictions): readable as is."""
    plain = tmp_path / "plain.pdf"
    page_texts = render_text_pdf(seed, plain, max_pages=1)
    writer = pypdf.PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password="", owner_password="owner-secret", algorithm="AES-128")
    locked = tmp_path / "restricted.pdf"
    writer.write(locked)
    assert words(read_document(locked).pages[0].text) == words(page_texts[0])


def test_tcvn3_text_file_via_glibc(tmp_path: Path, seed: str) -> None:
    path = tmp_path / "tcvn3.txt"
    encoded = subprocess.run(
        ["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=seed.encode(), capture_output=True,
        check=True,
    ).stdout
    path.write_bytes(encoded)
    assert read_document(path).pages[0].text == seed


def test_image_only_pdf_pages_are_sent_to_ocr(tmp_path: Path, seed: str) -> None:
    path = tmp_path / "scan.pdf"
    page_texts = render_image_pdf(seed, path, dpi=100)
    source = read_document(path)
    assert source.media_type == detect.PDF
    assert source.needs_ocr == list(range(1, len(page_texts) + 1))


def test_short_last_page_of_a_text_pdf_is_kept_as_text(tmp_path: Path) -> None:
    path = tmp_path / "short.pdf"
    render_text_pdf("Lê Ngọc Hân", path)
    assert read_document(path).pages[0].text == "Lê Ngọc Hân"


def scan_with_text_layer(tmp_path: Path, layer: str) -> Path:
    """A scanned page (one image over the whole page) under an invisible text layer, as
    scanners with built-in OCR and signing tools write them."""
    from reportlab.lib.utils import ImageReader

    image = render_images("Kính gửi: UBND các xã", dpi=100)[0].image
    pdfmetrics.registerFont(TTFont("LayerSerif", str(FONT_PATH)))
    path = tmp_path / "scan-with-layer.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(595, 842))
    pdf.drawImage(ImageReader(image), 0, 0, width=595, height=842)
    text = pdf.beginText(40, 800)
    text.setTextRenderMode(3)  # invisible, as OCR layers are
    text.setFont("LayerSerif", 11)
    for line in layer.splitlines():
        text.textLine(line)
    pdf.drawText(text)
    pdf.save()
    return path


# A scanner's OCR without the Vietnamese model, of an invented letter (digits for marks).
ENGLISH_OCR_LAYER = "\n".join(
    ["UY BAN NHAN DAN ceNG HoA xA Hor cHU NGHIA VIET NAM",
     "s6: l2/UBND-VX Ldm D6ng, ngdy 05 thdng 9 ndm 2025",
     "V/v t6 chuc hQi nghi tong k6t cong tdc ndm"]
    + ["Uy ban nhdn ddn tinh nh4n duoc C6ng vin s6 99/SNV ngdy 01/9/2025 cua Sd NQi vu."] * 8
)
VIETNAMESE_LAYER = "\n".join(
    ["ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
     "Số: 12/UBND-VX Lâm Đồng, ngày 05 tháng 9 năm 2025"]
    + ["Ủy ban nhân dân tỉnh nhận được Công văn số 99/SNV ngày 01/9/2025 của Sở Nội vụ."] * 8
)


@pytest.mark.parametrize(
    ("layer", "ocr"),
    [(ENGLISH_OCR_LAYER, True),
     ("KÝ SỐ; ỦY BAN NHÂN DÂN TỈNH; 06/01/2026; 16:42:26; +07:00", True),
     (VIETNAMESE_LAYER, False)],
    ids=["ocr-without-vietnamese", "signing-stamp-only", "vietnamese-ocr-layer"],
)
def test_scan_text_layer_is_replaced_by_ocr_only_when_it_cannot_stand_for_the_page(
    tmp_path: Path, layer: str, ocr: bool
) -> None:
    source = read_document(scan_with_text_layer(tmp_path, layer))
    assert source.needs_ocr == ([1] if ocr else [])


def test_unmarked_text_of_a_born_digital_page_is_kept(tmp_path: Path) -> None:
    """Typed without marks but no scan underneath: the text is the letter's own."""
    path = tmp_path / "unmarked.pdf"
    render_text_pdf(ENGLISH_OCR_LAYER, path)
    assert read_document(path).needs_ocr == []
