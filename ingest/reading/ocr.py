"""Optical character recognition with Tesseract: the only module that imports pytesseract.

Pages are read by a Tesseract engine kept loaded in each worker process (`ocr_engine`), one
recognition per page giving both the text and the word confidences (Tesseract's TSV). The
program itself (through pytesseract) is asked only which languages are installed and, for the
rare page that reads badly, which way up it is.

Every engine runs single-threaded (`OMP_THREAD_LIMIT=1`): measured on this project, Tesseract's
own OpenMP threads make it about 5× slower on a loaded machine; we parallelise across pages with
processes instead. Tesseract's failures become our errors: a missing program, library or
language is a `MachineError` (`OcrUnavailable`, naming the Debian package), a page too slow is
an `OcrTimeout`.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

import pytesseract
from PIL import Image, ImageChops, ImageOps

from ingest.errors import OcrTimeout, OcrUnavailable
from ingest.reading.columns import WordBox, split_row
from ingest.reading.deskew import deskew
from ingest.reading.illumination import flatten
from ingest.reading.ocr_engine import DeadlinePassed, engine_for
from ingest.reading.zones import Zone, find_zones, inside, real_words

log = logging.getLogger(__name__)

PAGE_SEGMENTATION = 3  # Tesseract's default: automatic page segmentation, no OSD
ZONE_SEGMENTATION = 6  # one column of the foot: a single uniform block of text
# Measured: upright rendered seed pages read at ~95 mean confidence, upside-down or sideways
# ones at ~43; below this we ask Tesseract's orientation detection (costs about one more OCR).
REORIENT_BELOW = 60.0
MIN_WORDS_TO_REORIENT = 10
# A stated resolution below this is a default (72 or 96 dpi on photos), not a measure: Tesseract
# then estimates it from the letters' size.
MIN_CREDIBLE_DPI = 100
# How much redder than green and blue a pixel must be to count as a seal's ink (0–255).
RED_INK = 40
_INSTALL = "install it with: sudo apt-get install tesseract-ocr tesseract-ocr-vie"
_TOO_SLOW = (
    "OCR of this page took longer than {timeout:.0f} s; scan it again at 300 dpi or split the "
    "file, then ingest it again"
)


@dataclass
class OcrResult:
    text: str
    confidence: float | None  # mean confidence of recognised words, 0–100; None: no words
    words: int
    # each word as read with its confidence (0–100), in reading order: ingest.extract.confidence
    word_confidences: list[tuple[str, float]] = field(default_factory=list)


def recognise(image: Image.Image, lang: str = "vie", timeout: float = 180.0) -> OcrResult:
    """Recognise the text of one page image, keeping Tesseract's line and paragraph breaks.

    The resolution the image states (`image.info["dpi"]`, set by `render_page` for PDF pages)
    is passed on. A page read with low confidence may be scanned sideways or upside down:
    Tesseract's orientation detection is asked, and the turned page is kept if it reads better.
    """
    _check_languages(lang)
    os.environ["OMP_THREAD_LIMIT"] = "1"  # read when the library (and its OpenMP) is loaded
    dpi = stated_dpi(image)
    prepared = prepare_image(image)
    result = _read(prepared, lang, dpi, timeout)
    if result.words < MIN_WORDS_TO_REORIENT or (result.confidence or 0) >= REORIENT_BELOW:
        return result
    degrees = _orientation(prepared, dpi, timeout)
    if degrees % 360 == 0:
        return result
    log.debug("page turned %d° per orientation detection", degrees)
    turned = prepared.rotate(-degrees, expand=True, fillcolor=255)  # OSD counts clockwise
    second = _read(turned, lang, dpi, timeout)
    return second if (second.confidence or 0) > (result.confidence or 0) else result


def stated_dpi(image: Image.Image) -> int | None:
    """The horizontal resolution the image states, if credible."""
    try:
        dpi = round(float(image.info.get("dpi", (0, 0))[0]))
    except (TypeError, ValueError, IndexError):
        return None
    return dpi if dpi >= MIN_CREDIBLE_DPI else None


def prepare_image(image: Image.Image) -> Image.Image:
    """Grayscale on white (transparent backgrounds become white, not black), straightened when
    tilted more than 1.5°. Black-and-white pages (fax, Group 4 TIFF) stay 1-bit unless turned:
    Tesseract reads them without thresholding them again."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, "white")
        image = Image.alpha_composite(background, rgba)
    if image.mode in ("I;16", "I", "F"):
        image = ImageOps.autocontrast(image.convert("I").point(lambda v: v / 256).convert("L"))
    gray = without_red_ink(image) if image.mode == "RGB" else image
    gray = gray if gray.mode == "L" else gray.convert("L")
    straightened = deskew(gray)
    return image if image.mode == "1" and straightened is gray else straightened


def without_red_ink(image: Image.Image, min_redness: int = RED_INK) -> Image.Image:
    """The page in gray with red ink made white: the red seal stamped over the signing block
    (and over the signer's name and title) otherwise makes Tesseract drop those lines. Black
    and blue ink under the seal stay. Office seals are stamped in red ink;
    a red urgency mark ("HỎA TỐC") is lost from the OCR text with it."""
    red, green, blue = image.split()
    redness = ImageChops.subtract(red, ImageChops.lighter(green, blue))
    mask = redness.point(lambda value: 255 if value > min_redness else 0, mode="1")
    gray = image.convert("L")
    gray.paste(255, mask=mask)
    gray.info.update(image.info)
    return gray


@dataclass
class _Lines:
    """One Tesseract reading: its text lines (word boxes and confidences, keyed by block,
    paragraph and line), in Tesseract's order, and the width of what it read."""

    width: float
    boxes: dict[tuple[int, int, int], list[WordBox]]
    confidences: dict[tuple[int, int, int], list[float]]


def _read(page: Image.Image, lang: str, dpi: int | None, timeout: float) -> OcrResult:
    """The page read whole, then its foot (`zones`) read again column by column, its lighting
    evened out; of each column, the reading with more real words is kept (the first one's
    words are taken apart at the same split)."""
    whole = _tesseract(page, lang, PAGE_SEGMENTATION, dpi, timeout)
    zones = find_zones([whole.boxes[key] for key in sorted(whole.boxes)], page)
    if not whole.width or not zones:
        return _result(whole)
    foot = zones[0]
    above = _Lines(whole.width, *_within(whole, foot, inverse=True, before=True))
    below = _Lines(whole.width, *_within(whole, foot, inverse=True, before=False))
    again = [_result(_tesseract(_evened(page.crop(box)), lang, ZONE_SEGMENTATION, dpi, timeout))
             for box in ((0, foot.top, foot.split, foot.bottom),
                         (foot.split, foot.top, page.width, foot.bottom))]
    first = [_result(column) for column in _split(_Lines(whole.width, *_within(whole, foot)),
                                                  foot.split)]
    columns = [second if real_words(second.text) >= real_words(one.text) else one
               for one, second in zip(first, again, strict=True)]
    parts = [result for result in (_result(above), *columns, _result(below)) if result.words]
    words = [word for result in parts for word in result.word_confidences]
    mean = round(sum(conf for _, conf in words) / len(words), 2) if words else None
    return OcrResult("\n\n".join(result.text for result in parts), mean, len(words), words)


def _above(line: list[WordBox], zone: Zone) -> bool:
    return (min(w.top for w in line) + max(w.bottom for w in line)) / 2 < zone.top


def _split(reading: _Lines, x: float) -> tuple[_Lines, _Lines]:
    """The reading's words left of x and right of it (by each word's middle), line by line."""
    halves = (_Lines(reading.width, {}, {}), _Lines(reading.width, {}, {}))
    for key, boxes in reading.boxes.items():
        for box, confidence in zip(boxes, reading.confidences[key], strict=True):
            half = halves[(box.x0 + box.x1) / 2 >= x]
            half.boxes.setdefault(key, []).append(box)
            half.confidences.setdefault(key, []).append(confidence)
    return halves


def _evened(column: Image.Image) -> Image.Image:
    """A zone's column with its lighting evened out (a 1-bit page is already thresholded)."""
    return column if column.mode == "1" else flatten(column)


def _within(reading: _Lines, zone: Zone, inverse: bool = False, before: bool | None = None
            ) -> tuple[dict[tuple[int, int, int], list[WordBox]],
                       dict[tuple[int, int, int], list[float]]]:
    """The boxes and confidences of the reading's lines inside the zone (or outside it: those
    above it when `before`, those below it when not `before`)."""
    keys = [key for key in sorted(reading.boxes) if inside(reading.boxes[key], zone) != inverse
            and (before is None or _above(reading.boxes[key], zone) == before)]
    return ({key: reading.boxes[key] for key in keys},
            {key: reading.confidences[key] for key in keys})


def _tesseract(page: Image.Image, lang: str, segmentation: int, dpi: int | None,
               timeout: float) -> _Lines:
    try:
        tsv = engine_for(lang, segmentation).read_tsv(page, dpi, timeout)
    except DeadlinePassed as error:
        raise OcrTimeout(_TOO_SLOW.format(timeout=timeout)) from error
    return _lines_from_tsv(tsv)


def _lines_from_tsv(tsv: str) -> _Lines:
    """TSV columns: level, page, block, paragraph, line, word, left, top, width, height,
    confidence, text; word rows have a confidence ≥ 0."""
    reading = _Lines(0.0, {}, {})
    for row in tsv.splitlines():
        cells = row.split("\t", 11)
        if len(cells) < 12 or not cells[0].isdigit():
            continue
        left, top, width, height = (float(cell) for cell in cells[6:10])
        if cells[0] == "1":  # the page row
            reading.width = width
        if not cells[11].strip() or float(cells[10]) < 0:
            continue
        key = (int(cells[2]), int(cells[3]), int(cells[4]))
        box = WordBox(left, top, left + width, top + height, cells[11].strip())
        reading.boxes.setdefault(key, []).append(box)
        reading.confidences.setdefault(key, []).append(float(cells[10]))
    return reading


def _result_from_tsv(tsv: str) -> OcrResult:
    return _result(_lines_from_tsv(tsv))


def _result(reading: _Lines) -> OcrResult:
    """Text with one line per Tesseract line and a blank line between paragraphs.

    Where Tesseract ran two columns into one line (the header's issuer and motto columns, the
    foot's 'Nơi nhận' and signing block, common on real scans), the line is split at its wide
    gap and a run of such lines gives the left column's lines, then the right column's."""
    read = [(word.text, conf) for key in sorted(reading.boxes)
            for word, conf in zip(reading.boxes[key], reading.confidences[key], strict=True)]
    text = "\n".join(_column_lines(reading.boxes, reading.width))
    mean = round(sum(conf for _, conf in read) / len(read), 2) if read else None
    return OcrResult(text, mean, len(read), read)


def _column_lines(lines: dict[tuple[int, int, int], list[WordBox]], page_width: float
                  ) -> list[str]:
    """The text lines, a blank one between paragraphs, two-column bands split (see above)."""
    out: list[str] = []
    band: list[tuple[str, str]] = []
    paragraph: tuple[int, int] | None = None
    for (block, par, _), words in sorted(lines.items()):
        split = split_row(words, page_width) if page_width else None
        if split:
            band.append(split)
            continue
        out.extend(_left_then_right(band))
        band = []
        if paragraph is not None and paragraph != (block, par):
            out.append("")
        paragraph = (block, par)
        out.append(" ".join(word.text for word in words))
    out.extend(_left_then_right(band))
    return out


def _left_then_right(band: list[tuple[str, str]]) -> list[str]:
    """A band of split lines read as a person reads it: the left column down, then the right."""
    return [left for left, _ in band] + [right for _, right in band]


def _orientation(page: Image.Image, dpi: int | None, timeout: float) -> int:
    """Degrees clockwise the page must turn per Tesseract's orientation detection (the program:
    rare enough not to keep an engine for it); 0 if upright or undecidable."""
    with _page_file(page, dpi) as path:
        try:
            osd = pytesseract.image_to_osd(
                path, output_type=pytesseract.Output.DICT, timeout=timeout
            )
        except pytesseract.TesseractNotFoundError as error:
            raise OcrUnavailable(f"Tesseract OCR is not installed; {_INSTALL}") from error
        except (pytesseract.TesseractError, RuntimeError) as error:  # too few letters, timeout
            log.debug("orientation detection failed: %s", error)
            return 0
    return int(osd.get("rotate", 0))


@contextmanager
def _page_file(image: Image.Image, dpi: int | None) -> Iterator[str]:
    """The page as an uncompressed TIFF (written in milliseconds), deleted afterwards."""
    with tempfile.NamedTemporaryFile(prefix="congvan-page-", suffix=".tif") as file:
        image.save(file, format="TIFF", compression="raw", **({"dpi": (dpi, dpi)} if dpi else {}))
        file.flush()
        yield file.name


@lru_cache(maxsize=8)
def _check_languages(lang: str) -> None:
    try:
        available = set(pytesseract.get_languages(config=""))
    except pytesseract.TesseractNotFoundError as error:
        raise OcrUnavailable(f"Tesseract OCR is not installed; {_INSTALL}") from error
    missing = [code for code in lang.split("+") if code not in available]
    if missing:
        packages = " ".join(f"tesseract-ocr-{code.lower().replace('_', '-')}" for code in missing)
        raise OcrUnavailable(
            f"Tesseract has no language data for {', '.join(missing)}; "
            f"install it with: sudo apt-get install {packages}"
        )
