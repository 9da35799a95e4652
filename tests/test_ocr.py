"""Real Tesseract on rendered seed pages (about eight pages of OCR in all), and the page path
before it: PDF rendering, skew estimation."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from bench.rendering import (
    character_error_rate,
    render_image_pdf,
    render_images,
    render_png,
    render_tiff,
    scan_like,
)
from ingest.errors import OcrTimeout, OcrUnavailable, UnsupportedType
from ingest.model import Page
from ingest.reading import detect, ocr_engine
from ingest.reading.deskew import estimate_skew
from ingest.reading.ocr import (
    PAGE_SEGMENTATION,
    _check_languages,
    recognise,
    stated_dpi,
    without_red_ink,
)
from ingest.reading.ocr_engine import engine_for
from ingest.reading.pdf import render_page
from ingest.reading.reading import ocr_page, read_document
from tests.conftest import SEEDS

MAX_CER = 0.02
MUONG_TE = next(path for path in SEEDS if path.name.startswith("002_"))
DAK_NONG = next(path for path in SEEDS if path.name.startswith("004_"))


def seed_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def assert_recognised(page: Page, number: int, expected: str) -> None:
    assert (page.number, page.ocr) == (number, True)
    assert page.confidence is not None and 0 < page.confidence <= 100
    assert character_error_rate(page.text, expected) <= MAX_CER
    # each word read with its confidence, for the fields' confidence (ingest.extract.confidence)
    assert page.words and len(page.words) == len(page.text.split())
    assert all(0 <= confidence <= 100 for _, confidence in page.words)


@pytest.mark.slow
def test_png_page_of_muong_te_seed(tmp_path: Path) -> None:
    path = tmp_path / "page.png"
    expected = render_png(seed_text(MUONG_TE), path, dpi=300)
    source = read_document(path)
    page = ocr_page(path, source.media_type, 1, "vie", 120.0)
    assert_recognised(page, 1, expected)
    assert os.environ["OMP_THREAD_LIMIT"] == "1"
    assert "\n" in page.text, "line structure is kept"


@pytest.mark.slow
def test_scan_like_image_only_pdf_page(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    page_texts = render_image_pdf(seed_text(MUONG_TE), path, dpi=300, scan=True)
    source = read_document(path)
    assert source.needs_ocr == [1, 2]
    page = ocr_page(path, source.media_type, 2)  # the signature page: rendered via pypdfium2
    assert_recognised(page, 2, page_texts[1])


@pytest.mark.slow
def test_third_frame_of_a_multipage_tiff(tmp_path: Path) -> None:
    path = tmp_path / "scan.tif"
    page_texts = render_tiff(seed_text(DAK_NONG), path, dpi=300, max_pages=3)
    source = read_document(path)
    assert source.needs_ocr == [1, 2, 3]
    page = ocr_page(path, detect.TIFF, 3)
    assert_recognised(page, 3, page_texts[2])


@pytest.mark.slow
def test_transparent_png_is_read_on_white(tmp_path: Path) -> None:
    """Black text on a transparent background: flattening alpha naively gives black on black."""
    rendered = render_images("Kính gửi: Ủy ban nhân dân các xã, thị trấn.\nSố: 04/UBND-NCPC")[0]
    top = rendered.image.crop((0, 0, rendered.image.width, 500))
    transparent = Image.new("RGBA", top.size, (0, 0, 0, 0))
    transparent.putalpha(top.point(lambda v: 255 - v))
    path = tmp_path / "transparent.png"
    transparent.save(path)
    page = ocr_page(path, detect.PNG, 1)
    assert character_error_rate(page.text, rendered.text) <= MAX_CER


@pytest.mark.slow
def test_timeout_becomes_ocr_timeout() -> None:
    image = render_images(seed_text(MUONG_TE), dpi=300, max_pages=1)[0].image
    with pytest.raises(OcrTimeout):
        recognise(image, lang="vie", timeout=0.05)


def test_missing_language_names_the_debian_package() -> None:
    with pytest.raises(OcrUnavailable, match="tesseract-ocr-xyz"):
        recognise(Image.new("L", (10, 10), 255), lang="vie+xyz")


@pytest.mark.slow
def test_page_tilted_seven_degrees_is_straightened_first(tmp_path: Path) -> None:
    """Measured: at 7° Tesseract alone loses most lines (59% character errors)."""
    rendered = render_images(seed_text(MUONG_TE), dpi=300, max_pages=1)[0]
    path = tmp_path / "tilted.png"
    scan_like(rendered.image, angle=7.0, blur=1.0, noise=0.05).save(path)
    assert_recognised(ocr_page(path, detect.PNG, 1), 1, rendered.text)


def test_missing_tesseract_program_names_the_debian_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no tesseract on the PATH
    _check_languages.cache_clear()  # the program is asked once per process and language
    try:
        with pytest.raises(OcrUnavailable, match="apt-get install tesseract-ocr"):
            recognise(Image.new("L", (10, 10), 255), lang="vie")
    finally:
        _check_languages.cache_clear()


def test_missing_tesseract_library_names_the_debian_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ocr_engine.ctypes.util, "find_library", lambda name: "libtesseract-gone.so")
    ocr_engine._engine.cache_clear()  # this process's engine would not load the library again
    ocr_engine._library.cache_clear()
    try:
        with pytest.raises(OcrUnavailable, match="apt-get install tesseract-ocr"):
            recognise(Image.new("L", (10, 10), 255), lang="vie")
    finally:
        ocr_engine._library.cache_clear()


@pytest.mark.slow
def test_engine_reads_the_same_words_as_the_tesseract_program(tmp_path: Path) -> None:
    """The engine kept loaded between pages is the program's library with its settings: on a
    scan-like page (and its 1-bit copy) it must read word for word what `tesseract` reads."""
    page = scan_like(render_images(seed_text(DAK_NONG), dpi=300, max_pages=1)[0].image)
    for image in (page, page.convert("1")):
        path = tmp_path / "page.tif"
        image.save(path, dpi=(300, 300), compression="raw")
        program = subprocess.run(
            ["tesseract", str(path), "-", "-l", "vie", "--psm", "3", "tsv"],
            capture_output=True, text=True, check=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        ).stdout
        engine = engine_for("vie", PAGE_SEGMENTATION).read_tsv(image, 300, timeout=120.0)
        assert _words(engine) == _words(program) and len(_words(engine)) > 100


def _words(tsv: str) -> list[str]:
    return [row.split("\t")[11] for row in tsv.splitlines() if row.count("\t") == 11
            and row.split("\t")[10] not in ("-1", "conf")]


def test_docx_pages_cannot_be_ocred(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedType):
        ocr_page(tmp_path / "letter.docx", detect.DOCX, 1)


@pytest.mark.slow
def test_upside_down_scan_is_turned_and_read(tmp_path: Path) -> None:
    """Read upside down, the page scores ~43 confidence and 80% errors; turned, it reads well."""
    head = "\n".join(seed_text(MUONG_TE).splitlines()[:14])
    rendered = render_images(head, dpi=300, max_pages=1)[0]
    path = tmp_path / "upside-down.png"
    rendered.image.rotate(180).save(path)
    assert_recognised(ocr_page(path, detect.PNG, 1), 1, rendered.text)


def test_pdf_page_is_rendered_at_its_resolution(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    render_image_pdf(seed_text(MUONG_TE), path, dpi=150, max_pages=1)
    image = render_page(path, 1)
    assert (image.mode, image.info["dpi"]) == ("RGB", (300, 300))
    assert abs(image.width - 2480) <= 1 and abs(image.height - 3508) <= 1
    assert stated_dpi(image) == 300
    lowered = render_page(path, 1, max_pixels=4_000_000)  # fits by lowering the resolution
    assert lowered.info["dpi"][0] < 300 and lowered.width * lowered.height <= 4_000_000


@pytest.mark.parametrize("angle", [-4.0, 2.5, 6.0])
def test_skew_of_a_300_dpi_scan_is_found_on_its_reduced_copy(angle: float) -> None:
    page = render_images(seed_text(DAK_NONG), dpi=300, max_pages=1)[0].image
    assert estimate_skew(scan_like(page, angle=angle, seed=3)) == pytest.approx(angle, abs=0.2)


def test_red_seal_ink_is_lifted_and_black_and_blue_ink_stay() -> None:
    page = Image.new("RGB", (4, 1), "white")
    for x, colour in enumerate([(200, 30, 40), (20, 20, 20), (30, 50, 170), (240, 240, 240)]):
        page.putpixel((x, 0), colour)  # seal red, typed black, signature blue, paper
    gray = without_red_ink(page)
    assert gray.mode == "L"
    assert gray.getpixel((0, 0)) == 255
    assert gray.getpixel((1, 0)) < 40 and gray.getpixel((2, 0)) < 100
    assert gray.getpixel((3, 0)) > 200


def signing_block_under_a_seal(name: str) -> Image.Image:
    """A signing block at 300 dpi with a red seal stamped over the title and the name: a thick
    ring and rows of text, its ink laid over the black print (multiplied, as ink on paper)."""
    from PIL import ImageChops, ImageDraw, ImageFont

    from bench.rendering import FONT_PATH

    page = Image.new("RGB", (1400, 700), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT_PATH), 46)
    draw.text((420, 60), "KT. GIÁM ĐỐC", font=font, fill="black")
    draw.text((400, 130), "PHÓ GIÁM ĐỐC", font=font, fill="black")
    draw.text((330, 520), name, font=font, fill="black")
    seal = Image.new("RGB", page.size, "white")
    ink = ImageDraw.Draw(seal)
    red = (200, 45, 45)
    ink.ellipse((120, 60, 700, 640), outline=red, width=28)
    ink.ellipse((200, 140, 620, 560), outline=red, width=10)
    small = ImageFont.truetype(str(FONT_PATH), 40)
    for row in range(6):
        ink.text((230, 200 + row * 55), "SỞ NỘI VỤ TỈNH LÂM ĐỒNG", font=small, fill=red)
    stamped = ImageChops.multiply(page, seal)
    stamped.info["dpi"] = (300, 300)
    return stamped


def test_name_under_a_red_seal_is_read() -> None:
    name = "Đại tá Trần Minh Khôi"
    text = recognise(signing_block_under_a_seal(name)).text
    assert name in text
    assert "PHÓ GIÁM ĐỐC" in text


def tsv_of(rows: list[tuple[int, int, int, list[tuple[int, str]]]], width: int = 2480) -> str:
    """Tesseract TSV for word rows (block, paragraph, line, [(left, word)]), 40 px high."""
    out = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight"
           "\tconf\ttext", f"1\t1\t0\t0\t0\t0\t0\t0\t{width}\t3508\t-1\t"]
    for block, par, line, words in rows:
        top = 100 * (block * 10 + line)
        for number, (left, word) in enumerate(words, 1):
            out.append(f"5\t1\t{block}\t{par}\t{line}\t{number}\t{left}\t{top}\t{22 * len(word)}"
                       f"\t40\t91.5\t{word}")
    return "\n".join(out)


def words_at(left: int, text: str) -> list[tuple[int, str]]:
    placed = []
    for word in text.split():
        placed.append((left, word))
        left += 22 * len(word) + 18
    return placed


def test_two_columns_run_into_one_ocr_line_come_apart() -> None:
    """Tesseract read the issuer and motto columns (and number and date) as single lines."""
    from ingest.reading.ocr import _result_from_tsv

    tsv = tsv_of([
        (1, 1, 1, words_at(200, "ỦY BAN NHÂN DÂN") + words_at(1100, "CỘNG HÒA XÃ HỘI")),
        (1, 1, 2, words_at(200, "Số: 12/UBND-VP") + words_at(1100, "Hà Nội, ngày 3 tháng 3")),
        (2, 1, 1, words_at(200, "Kính gửi: Các sở, ngành")),
        (3, 1, 1, words_at(200, "Ủy ban nhân dân đề nghị các sở kiểm tra")),
    ])
    result = _result_from_tsv(tsv)
    assert result.text.splitlines() == [
        "ỦY BAN NHÂN DÂN", "Số: 12/UBND-VP", "CỘNG HÒA XÃ HỘI", "Hà Nội, ngày 3 tháng 3",
        "Kính gửi: Các sở, ngành", "", "Ủy ban nhân dân đề nghị các sở kiểm tra"]
    assert (result.words, result.confidence) == (31, 91.5)
