"""Real Tesseract on rendered seed pages (about five pages of OCR in all)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from ingest import detect
from ingest.errors import OcrTimeout, OcrUnavailable, UnsupportedType
from ingest.model import Page
from ingest.ocr import recognise
from ingest.reading import ocr_page, read_document
from tests.conftest import SEEDS
from tests.rendering import (
    character_error_rate,
    render_image_pdf,
    render_images,
    render_png,
    render_tiff,
    scan_like,
)

MAX_CER = 0.02
MUONG_TE = next(path for path in SEEDS if path.name.startswith("002_"))
DAK_NONG = next(path for path in SEEDS if path.name.startswith("004_"))


def seed_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def assert_recognised(page: Page, number: int, expected: str) -> None:
    assert (page.number, page.ocr) == (number, True)
    assert page.confidence is not None and 0 < page.confidence <= 100
    assert character_error_rate(page.text, expected) <= MAX_CER


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
    with pytest.raises(OcrUnavailable, match="apt-get install tesseract-ocr"):
        recognise(Image.new("L", (10, 10), 255), lang="vie")


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
