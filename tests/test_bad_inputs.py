"""Each kind of bad input raises its own FileError with a message for the user; files named
with the wrong extension are read by what they contain."""

from __future__ import annotations

import codecs
import io
import random
import zipfile
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from bench.rendering import render_images, render_text_pdf
from ingest import errors
from ingest.reading import detect
from ingest.reading.reading import ocr_page, read_document
from tests.conftest import SEEDS

MUONG_TE = next(path for path in SEEDS if path.name.startswith("002_"))


@pytest.fixture(scope="module")
def text_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "letter.pdf"
    render_text_pdf(MUONG_TE.read_text(encoding="utf-8"), path)
    return path


@pytest.fixture(scope="module")
def page_png() -> bytes:
    buffer = io.BytesIO()
    render_images(MUONG_TE.read_text(encoding="utf-8"), dpi=100)[0].image.save(buffer, "PNG")
    return buffer.getvalue()


def refused(path: Path, kind: type[errors.FileError]) -> str:
    with pytest.raises(kind) as caught:
        read_document(path)
    message = str(caught.value)
    assert len(message) > 20, "the user needs to be told what is wrong"
    return message


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t  "])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    assert "empty" in refused(write(tmp_path, "empty.txt", data), errors.EmptyFile)


def test_docx_without_text_is_empty(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))
    refused(path, errors.EmptyFile)


@pytest.mark.parametrize("fraction", [0.2, 0.6, 0.95])
def test_truncated_pdf(tmp_path: Path, text_pdf: Path, fraction: float) -> None:
    data = text_pdf.read_bytes()
    path = write(tmp_path, "cut.pdf", data[: int(len(data) * fraction)])
    assert "damaged" in refused(path, errors.CorruptPdf)


def test_pdf_header_then_garbage(tmp_path: Path) -> None:
    junk = random.Random(1).randbytes(20_000)
    refused(write(tmp_path, "fake.pdf", b"%PDF-1.7\n" + junk), errors.CorruptPdf)


def test_encrypted_pdf(tmp_path: Path, text_pdf: Path) -> None:
    writer = pypdf.PdfWriter(clone_from=str(text_pdf))
    writer.encrypt(user_password="mat-khau", algorithm="AES-256")
    path = tmp_path / "locked.pdf"
    writer.write(path)
    assert "password" in refused(path, errors.EncryptedPdf)


def test_pdf_with_too_many_pages(tmp_path: Path) -> None:
    writer = pypdf.PdfWriter()
    for _ in range(301):
        writer.add_blank_page(width=595, height=842)
    path = tmp_path / "long.pdf"
    writer.write(path)
    assert "301" in refused(path, errors.TooManyPages)


@pytest.mark.slow  # worker processes or a second of CPU: CI runs it, the fast loop does not
def test_decompression_bomb_png(tmp_path: Path) -> None:
    """20,000 × 20,000 pixels of one colour: a few tens of kilobytes on disk, 400 megapixels."""
    path = tmp_path / "bomb.png"
    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        Image.new("1", (20_000, 20_000), 1).save(path)
    finally:
        Image.MAX_IMAGE_PIXELS = limit
    assert path.stat().st_size < 200_000
    assert "megapixels" in refused(path, errors.ImageTooLarge)
    with pytest.raises(errors.ImageTooLarge):
        ocr_page(path, detect.PNG, 1)


def test_image_just_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "wide.png"
    Image.new("1", (12_000, 9_000), 1).save(path)  # 108 megapixels: warned, not a bomb
    refused(path, errors.ImageTooLarge)


def test_png_with_corrupt_data(tmp_path: Path, page_png: bytes) -> None:
    damaged = bytearray(page_png)
    start = page_png.index(b"IDAT") + 200
    for offset in range(start, start + 300):
        damaged[offset] ^= 0x5A
    refused(write(tmp_path, "damaged.png", bytes(damaged)), errors.CorruptImage)


def test_truncated_png(tmp_path: Path, page_png: bytes) -> None:
    refused(write(tmp_path, "cut.png", page_png[: len(page_png) // 2]), errors.CorruptImage)


def test_tiff_with_too_many_pages(tmp_path: Path) -> None:
    frames = [Image.new("1", (8, 8), 1) for _ in range(301)]
    path = tmp_path / "long.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    assert "301" in refused(path, errors.TooManyPages)


def test_random_binary_junk(tmp_path: Path) -> None:
    path = write(tmp_path, "letter.txt", random.Random(2).randbytes(50_000))
    assert "unknown" in refused(path, errors.UnsupportedType)


def test_high_bytes_that_spell_nothing(tmp_path: Path) -> None:
    """No control bytes (so it passes for text) but no encoding makes words of it."""
    junk = bytes(random.Random(3).randrange(0x80, 0x100) for _ in range(4000))
    refused(write(tmp_path, "letter.txt", junk), errors.UndecodableText)


@pytest.mark.parametrize(
    ("encoding", "damage"),
    [
        ("utf-8", lambda data: data.replace("Kính gửi".encode(), b"K\xc3nh g\xe1i", 1)),
        ("utf-8-sig", lambda data: data + b"\xe1\xba"),  # last character cut off
        ("utf-16", lambda data: data + b"\x00"),  # odd length
        ("utf-16-le", lambda data: data[:400] + b"\x00\xdc" + data[400:]),  # lone surrogate
    ],
)
def test_unicode_letter_with_damaged_bytes_is_read(tmp_path: Path, encoding: str, damage) -> None:
    text = MUONG_TE.read_text(encoding="utf-8")
    source = read_document(write(tmp_path, "letter.txt", damage(text.encode(encoding))))
    read = source.pages[0].text or ""
    assert read.count("\ufffd") in (1, 2) and len(source.warnings) == 1
    assert "U+FFFD" in source.warnings[0]
    assert read.replace("\ufffd", "").split()[-5:] == text.split()[-5:]


def test_a_few_nul_bytes_in_utf8_text_are_dropped_not_read_as_utf16(tmp_path: Path) -> None:
    """Text layers exported from PDFs carry stray NULs; they do not make a file UTF-16."""
    text = MUONG_TE.read_text(encoding="utf-8")
    middle = len(text) // 2
    data = (text[:middle] + "\x00 " + text[middle:] + "\n\x00").encode("utf-8")
    source = read_document(write(tmp_path, "letter.txt", data))
    assert (source.pages[0].text or "").split() == (text[:middle] + " " + text[middle:]).split()
    assert len(source.warnings) == 1 and "2 NUL" in source.warnings[0]


def test_one_byte_text_is_not_read_as_damaged_utf8(tmp_path: Path) -> None:
    """A one-byte code page's few high bytes are not 'UTF-8 with damage': no U+FFFD."""
    data = "Kinh gui: cac phong ban. Ve viec “kiem tra” ho so – han 30/6.\n".encode("cp1252")
    source = read_document(write(tmp_path, "note.txt", data * 3))
    assert "\ufffd" not in (source.pages[0].text or "") and not source.warnings


def test_unicode_that_is_mostly_damage_is_refused(tmp_path: Path) -> None:
    junk = bytes(random.Random(4).randrange(0x80, 0x100) for _ in range(3000))
    path = write(tmp_path, "letter.txt", codecs.BOM_UTF8 + junk)
    assert "damaged" in refused(path, errors.UndecodableText)


@pytest.mark.parametrize(
    ("head", "named"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "97–2003"),
        (b"GIF89a" + bytes(600), "GIF"),
        (b"{\\rtf1\\ansi Kinh gui}", "RTF"),
        (b"\x1f\x8b\x08\x00" + bytes(600), "gz"),
        (b"\n<!DOCTYPE html><html><body>C\xc3\xb4ng v\xc4\x83n</body></html>", "HTML"),
    ],
)
def test_other_formats_are_named(tmp_path: Path, head: bytes, named: str) -> None:
    message = refused(write(tmp_path, "letter.pdf", head), errors.UnsupportedType)
    assert named.lower() in message.lower()


def test_zip_that_is_not_docx(tmp_path: Path) -> None:
    path = tmp_path / "letters.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("letter.txt", "Kính gửi")
    assert "ZIP" in refused(path, errors.UnsupportedType)


def test_docx_with_broken_xml(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "<w:document")
    refused(path, errors.CorruptDocx)


def test_text_named_pdf_is_read_as_text(tmp_path: Path) -> None:
    text = MUONG_TE.read_text(encoding="utf-8")
    source = read_document(write(tmp_path, "letter.pdf", text.encode("utf-8")))
    assert (source.media_type, source.pages[0].text) == (detect.TEXT, text)


def test_pdf_named_txt_is_read_as_pdf(tmp_path: Path, text_pdf: Path) -> None:
    source = read_document(write(tmp_path, "letter.txt", text_pdf.read_bytes()))
    assert source.media_type == detect.PDF
    assert source.pages[0].text is not None and "Mường Tè" in source.pages[0].text


def test_png_named_docx_is_an_image(tmp_path: Path, page_png: bytes) -> None:
    source = read_document(write(tmp_path, "letter.docx", page_png))
    assert (source.media_type, source.needs_ocr) == (detect.PNG, [1])


def test_every_refusal_is_a_file_error() -> None:
    """The batch goes on after a FileError only: our specific kinds must all be FileErrors."""
    kinds = [errors.EmptyFile, errors.UnsupportedType, errors.CorruptPdf, errors.EncryptedPdf,
             errors.ImageTooLarge, errors.TooManyPages, errors.UndecodableText,
             errors.CorruptImage, errors.CorruptDocx, errors.OcrTimeout]
    assert all(issubclass(kind, errors.FileError) for kind in kinds)
    assert len({kind.reason for kind in kinds}) == len(kinds)
