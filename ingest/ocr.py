"""Optical character recognition with Tesseract: the only module that imports pytesseract.

Every call runs Tesseract single-threaded (`OMP_THREAD_LIMIT=1`): measured on this project, its
own OpenMP threads make it about 5× slower on a loaded machine; we parallelise across pages with
processes instead. Tesseract's failures become our errors: a missing program or language is a
`MachineError` (`OcrUnavailable`, naming the Debian package), a page too slow is an `OcrTimeout`.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pytesseract
from PIL import Image, ImageOps

from .deskew import deskew
from .errors import OcrTimeout, OcrUnavailable

log = logging.getLogger(__name__)

PAGE_SEGMENTATION = 3  # Tesseract's default: automatic page segmentation, no OSD
# Measured: upright rendered seed pages read at ~95 mean confidence, upside-down or sideways
# ones at ~43; below this we ask Tesseract's orientation detection (costs about one more OCR).
REORIENT_BELOW = 60.0
MIN_WORDS_TO_REORIENT = 10
_INSTALL = "install it with: sudo apt-get install tesseract-ocr tesseract-ocr-vie"


@dataclass
class OcrResult:
    text: str
    confidence: float | None  # mean confidence of recognised words, 0–100; None: no words
    words: int


def recognise(image: Image.Image, lang: str = "vie", timeout: float = 180.0) -> OcrResult:
    """Recognise the text of one page image, keeping Tesseract's line and paragraph breaks.

    A page read with low confidence may be scanned sideways or upside down: Tesseract's
    orientation detection is asked, and the turned page is kept if it reads better."""
    _check_languages(lang)
    os.environ["OMP_THREAD_LIMIT"] = "1"  # inherited by the tesseract subprocess
    prepared = prepare_image(image)
    result = _run(pytesseract.image_to_data, prepared, lang, timeout)
    if result.words >= MIN_WORDS_TO_REORIENT and (result.confidence or 0) < REORIENT_BELOW:
        turned = _upright(prepared, timeout)
        if turned is not None:
            second = _run(pytesseract.image_to_data, turned, lang, timeout)
            if (second.confidence or 0) > (result.confidence or 0):
                result = second
    return result


def _run(function: Any, image: Image.Image, lang: str, timeout: float) -> OcrResult:
    try:
        data = function(
            image,
            lang=lang,
            config=f"--psm {PAGE_SEGMENTATION}",
            output_type=pytesseract.Output.DICT,
            timeout=timeout,
        )
    except pytesseract.TesseractNotFoundError as error:
        raise OcrUnavailable(f"Tesseract OCR is not installed; {_INSTALL}") from error
    except RuntimeError as error:  # pytesseract signals its timeout with a bare RuntimeError
        if "timeout" in str(error).lower():
            raise OcrTimeout(
                f"OCR of this page took longer than {timeout:.0f} s; scan it again at 300 dpi "
                "or split the file, then ingest it again"
            ) from error
        raise OcrUnavailable(f"Tesseract failed: {error}") from error
    return _result_from_data(data)


def _upright(image: Image.Image, timeout: float) -> Image.Image | None:
    """The page turned upright per Tesseract's orientation detection, or None if upright or
    undecidable."""
    try:
        osd = pytesseract.image_to_osd(
            image, output_type=pytesseract.Output.DICT, timeout=timeout
        )
    except (pytesseract.TesseractError, RuntimeError) as error:  # too few letters, timeout
        log.debug("orientation detection failed: %s", error)
        return None
    degrees = int(osd.get("rotate", 0))
    if degrees % 360 == 0:
        return None
    log.debug("page turned %d° per orientation detection", degrees)
    return image.rotate(-degrees, expand=True, fillcolor=255)  # OSD counts clockwise


def prepare_image(image: Image.Image) -> Image.Image:
    """Grayscale on white (transparent backgrounds become white, not black), straightened when
    tilted more than 1.5°."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, "white")
        image = Image.alpha_composite(background, rgba)
    if image.mode in ("I;16", "I", "F"):
        image = ImageOps.autocontrast(image.convert("I").point(lambda v: v / 256).convert("L"))
    return deskew(image.convert("L"))


def _result_from_data(data: dict[str, list[Any]]) -> OcrResult:
    """Text with one line per Tesseract line and a blank line between paragraphs."""
    paragraphs: dict[tuple[int, int], dict[int, list[str]]] = {}
    confidences: list[float] = []
    for i, word in enumerate(data["text"]):
        word = (word or "").strip()
        confidence = float(data["conf"][i])
        if not word or confidence < 0:
            continue
        confidences.append(confidence)
        paragraph = paragraphs.setdefault((data["block_num"][i], data["par_num"][i]), {})
        paragraph.setdefault(data["line_num"][i], []).append(word)
    text = "\n\n".join(
        "\n".join(" ".join(words) for _, words in sorted(lines.items()))
        for _, lines in sorted(paragraphs.items())
    )
    mean = round(sum(confidences) / len(confidences), 2) if confidences else None
    return OcrResult(text, mean, len(confidences))


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
