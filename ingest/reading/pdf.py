"""Read PDF letters: check them with pypdf, take each page's text layer with pdfplumber, and
render pages without usable text (scans, fonts without a Unicode map) for OCR with pdfium.

Legacy Vietnamese fonts are converted here, where the font name is known: `.VnTime*` glyphs are
TCVN3 (the `…H` fonts hold capitals on lower-case code points), `VNI-*` glyphs are VNI.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pdfplumber
import pypdf
import pypdfium2
import pypdfium2.raw
from PIL import Image

from ingest.errors import CorruptPdf, EncryptedPdf, FileError, ImageTooLarge, TooManyPages
from ingest.reading.images import MAX_PAGES, MAX_PIXELS
from ingest.repair.diacritics import has_few_diacritics
from ingest.repair.legacy import TCVN3, decode_legacy, encoding_for_font, repair_text

log = logging.getLogger(__name__)

OCR_DPI = 300
MIN_DPI = 100
MIN_LETTERS = 10  # fewer letters than this on a page: treat it as a scan and OCR it
MAX_CONTENT_BYTES = 64 << 20  # a letter's page draws in kilobytes; this is a bomb
MANY_CURVES = 200  # a page drawn with this many curves and no text may be outlined glyphs
SCAN_COVERAGE = 0.6  # one image over this share of the page: the page is a scan
STAMP_LETTERS = 200  # a scan's text layer shorter than this is a stamp, not the page's text
_CID = re.compile(r"\(cid:\d+\)")
_DAMAGED = (
    "the PDF is damaged or truncated ({detail}); download or export it again and ingest the "
    "new copy"
)


def check_pdf(path: Path, max_pages: int = MAX_PAGES) -> int:
    """The page count, after refusing encrypted, damaged and overlong PDFs."""
    try:
        reader = pypdf.PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise EncryptedPdf(
                "the PDF is protected by a password; open it with the password and save or "
                "print it to a new PDF without protection, then ingest that copy"
            )
        pages = len(reader.pages)
    except FileError:
        raise
    except Exception as error:  # pypdf raises many kinds on broken files
        raise CorruptPdf(_DAMAGED.format(detail=_detail(error))) from error
    if pages == 0:
        raise CorruptPdf(_DAMAGED.format(detail="it has no pages"))
    for number, page in enumerate(reader.pages, start=1):
        if _inflated_content_size(page) > MAX_CONTENT_BYTES:
            raise CorruptPdf(
                f"page {number} holds a drawing program that inflates past "
                f"{MAX_CONTENT_BYTES >> 20} MiB (a 'PDF bomb'); this is not a letter we can read"
            )
    if pages > max_pages:
        raise TooManyPages(
            f"the PDF has {pages} pages; at most {max_pages} are accepted in one file. "
            "Split it into several files"
        )
    return pages


def _inflated_content_size(page: Any) -> int:
    """Bytes the page's Flate content streams inflate to, counted without holding them.

    pdfminer parses a content stream token by token: a small stream inflating to a gigabyte
    would keep a worker busy for hours. Counting stops just past the limit.
    """
    try:
        contents = page.get("/Contents")
        streams = contents.get_object() if contents is not None else []
        if not isinstance(streams, list):
            streams = [streams]
        total = 0
        for stream in (s.get_object() for s in streams):
            if stream.get("/Filter") not in ("/FlateDecode", ["/FlateDecode"]):
                total += len(getattr(stream, "_data", b"") or b"")
                continue
            inflater = zlib.decompressobj()
            data = stream._data
            for start in range(0, len(data), 1 << 16):
                total += len(inflater.decompress(data[start : start + (1 << 16)], 1 << 24))
                while inflater.unconsumed_tail and total <= MAX_CONTENT_BYTES:
                    total += len(inflater.decompress(inflater.unconsumed_tail, 1 << 24))
                if total > MAX_CONTENT_BYTES:
                    return total
        return total
    except (zlib.error, AttributeError, TypeError, KeyError):
        return 0  # malformed streams are pdfplumber's to report as damage


def read_pdf_pages(path: Path, max_pages: int = MAX_PAGES) -> list[str | None]:
    """Each page's text, or None where the text layer is missing or unusable."""
    check_pdf(path, max_pages)
    with open_pdf(path) as pdf:
        return [_text_or_none(page) for page in pdf.pages]


def render_page(
    path: Path, number: int, dpi: int = OCR_DPI, max_pixels: int = MAX_PIXELS
) -> Image.Image:
    """Page `number` (1-based) as an RGB image at `dpi`, lowered for huge pages to fit
    max_pixels; `image.info["dpi"]` holds the resolution used.

    Rendered by pdfium directly (through pdfplumber, pdfminer parsed the whole file again for
    each page). In colour (~40 ms for a scanned A4 page at 300 dpi, against ~19 ms in gray):
    the OCR's image preparation needs the colours to lift red seals off the signer's name."""
    try:
        pdf = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError as error:
        raise CorruptPdf(_DAMAGED.format(detail=_detail(error))) from error
    try:
        page = pdf[number - 1]
        resolution = _resolution(number, *page.get_size(), dpi, max_pixels)
        bitmap = page.render(
            scale=resolution / 72,
            force_bitmap_format=pypdfium2.raw.FPDFBitmap_BGR,
            no_smoothtext=True,
            no_smoothpath=True,
            no_smoothimage=True,
        )
        image = bitmap.to_pil().copy()  # to_pil() shares pdfium's buffer, freed with the bitmap
    except FileError:
        raise
    except MemoryError as error:
        raise ImageTooLarge(
            f"page {number} needs more memory to render than this machine allows; "
            "print or export it to A4 at 300 dpi and ingest that copy"
        ) from error
    except Exception as error:
        raise CorruptPdf(_DAMAGED.format(detail=f"page {number}: {_detail(error)}")) from error
    finally:
        pdf.close()
    image.info["dpi"] = (resolution, resolution)
    return image


def _resolution(number: int, width: float, height: float, dpi: int, max_pixels: int) -> int:
    """`dpi`, or less for a page (size in points) that would exceed max_pixels."""
    area_inches = width * height / 72**2
    resolution = min(dpi, int(math.sqrt(max_pixels / max(area_inches, 1e-6))))
    if resolution < MIN_DPI:
        raise ImageTooLarge(
            f"page {number} is {width / 72 * 2.54:.0f} × {height / 72 * 2.54:.0f} "
            "cm, too large to recognise; print or export it to A4 and ingest that copy"
        )
    return resolution


@contextmanager
def open_pdf(path: Path) -> Iterator[Any]:
    try:
        with pdfplumber.open(path) as pdf:
            yield pdf
    except FileError:
        raise
    except Exception as error:  # pdfminer's parse errors have no common base class
        raise CorruptPdf(_DAMAGED.format(detail=_detail(error))) from error


def page_text(page: Any) -> str:
    """The text layer of one pdfplumber page, legacy-font glyphs converted to Unicode."""
    chars = page.chars
    fonts = {char["fontname"] for char in chars}
    legacy = {font: encoding_for_font(font) for font in fonts}
    if not any(legacy.values()):
        return repair_text(page.extract_text() or "")
    converted = [_convert_char(char, legacy[char["fontname"]]) for char in chars]
    text = pdfplumber.utils.extract_text(converted)
    return unicodedata.normalize("NFC", text)


def _convert_char(char: dict[str, Any], encoding: str | None) -> dict[str, Any]:
    if encoding is None:
        return char
    text = decode_legacy(char["text"], encoding)
    if encoding == TCVN3 and _is_caps_font(char["fontname"]):
        text = text.upper()
    return {**char, "text": text}


def _is_caps_font(fontname: str) -> bool:
    """`.VnTimeH`, `ABCDEF+.VnArialH,Bold`: TCVN3 capitals drawn on lower-case code points."""
    family = re.split(r"[,-]", fontname.split("+")[-1])[0].lower()
    return family.endswith("h")


def _text_or_none(page: Any) -> str | None:
    """The page's text, or None if it must be OCR'd: glyphs without a Unicode map, little
    text on a page drawn as images or outlines (a scan), or a scan whose hidden text layer is
    not the page's Vietnamese text. A short page of real text is kept."""
    text = page_text(page)
    if usable_text(text) is not None:
        return None if _poor_layer_over_scan(page, text) else text
    if _has_unmapped_glyphs(text) or page.images or len(page.curves) > MANY_CURVES:
        return None
    return text


def _poor_layer_over_scan(page: Any, text: str) -> bool:
    """A scanned page whose text layer cannot stand for it: a scanner's OCR without the
    Vietnamese model ("Ldm D6ng, ngdy" for "Lâm Đồng, ngày": no Vietnamese-only marks) or a
    signing tool's one-line stamp over an otherwise unread page. Tesseract `vie` does better."""
    area = float(page.width * page.height) or 1.0
    coverage = max((_image_area(image) / area for image in page.images), default=0.0)
    if coverage < SCAN_COVERAGE:
        return False
    letters = sum(c.isalpha() for c in text)
    return letters < STAMP_LETTERS or has_few_diacritics(text)


def _image_area(image: dict[str, Any]) -> float:
    return float(image["x1"] - image["x0"]) * float(image["bottom"] - image["top"])


def usable_text(text: str) -> str | None:
    """The text if it can stand for a page: enough letters, few unmapped glyphs (`(cid:12)`)."""
    letters = sum(c.isalpha() for c in _CID.sub("", text))
    if letters < MIN_LETTERS or _has_unmapped_glyphs(text):
        return None
    return text


def _has_unmapped_glyphs(text: str) -> bool:
    without_cid, cids = _CID.subn("", text)
    letters = sum(c.isalpha() for c in without_cid)
    return cids + without_cid.count("\ufffd") > max(3, letters // 50)


def _detail(error: BaseException) -> str:
    return str(error).strip().splitlines()[0][:120] if str(error).strip() else type(error).__name__
