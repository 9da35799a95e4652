"""Tesseract kept loaded in each process: libtesseract's C API through ctypes.

Running the `tesseract` program for each page loads the language model every time (~65 ms of
CPU a page here) and needs the page written to a file and the result read back from one. The
library behind that program, with the same model and settings, gives the same words (checked
word for word on the benchmark's pages) and keeps the model between pages: one engine per
process and language, created on first use. Only `ingest/reading/ocr.py` uses this module.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import logging
import os
import threading
import time
from functools import lru_cache

from PIL import Image

from ingest.errors import OcrUnavailable

log = logging.getLogger(__name__)

_INSTALL = "install it with: sudo apt-get install tesseract-ocr tesseract-ocr-vie"
_VOID, _INT, _TEXT = ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p
_SIGNATURES = {  # name: (result, arguments), from tesseract/capi.h
    "TessBaseAPICreate": (_VOID, []),
    "TessBaseAPIDelete": (None, [_VOID]),
    "TessBaseAPIEnd": (None, [_VOID]),
    "TessBaseAPISetVariable": (_INT, [_VOID, _TEXT, _TEXT]),
    "TessBaseAPIInit3": (_INT, [_VOID, _TEXT, _TEXT]),
    "TessBaseAPISetPageSegMode": (None, [_VOID, _INT]),
    "TessBaseAPISetImage": (None, [_VOID, _TEXT, _INT, _INT, _INT, _INT]),
    "TessBaseAPISetSourceResolution": (None, [_VOID, _INT]),
    "TessBaseAPIRecognize": (_INT, [_VOID, _VOID]),
    "TessBaseAPIGetTsvText": (_VOID, [_VOID, _INT]),
    "TessBaseAPIClear": (None, [_VOID]),
    "TessDeleteText": (None, [_VOID]),
    "TessMonitorCreate": (_VOID, []),
    "TessMonitorSetDeadlineMSecs": (None, [_VOID, _INT]),
    "TessMonitorDelete": (None, [_VOID]),
}


class DeadlinePassed(Exception):
    """Recognition was stopped at its deadline."""


@lru_cache(maxsize=1)
def _library() -> ctypes.CDLL:
    name = ctypes.util.find_library("tesseract") or "libtesseract.so.5"
    try:
        library = ctypes.CDLL(name)
        for function, (result, arguments) in _SIGNATURES.items():
            getattr(library, function).restype = result
            getattr(library, function).argtypes = arguments
    except OSError as error:
        raise OcrUnavailable(f"the Tesseract OCR library is not installed; {_INSTALL}") from error
    except AttributeError as error:  # a function of capi.h missing: Tesseract older than 4
        message = f"the Tesseract OCR library is too old ({error}); {_INSTALL}"
        raise OcrUnavailable(message) from error
    return library


class Engine:
    """One loaded Tesseract: pages go in as Pillow images, Tesseract's TSV comes out."""

    def __init__(self, lang: str, page_segmentation: int) -> None:
        self._lib = _library()
        self._api: int | None = self._lib.TessBaseAPICreate()
        self._lock = threading.Lock()  # one page at a time per engine
        # Tesseract's own messages ("Estimating resolution as …") would go to our stderr.
        self._lib.TessBaseAPISetVariable(self._api, b"debug_file", os.devnull.encode())
        if self._lib.TessBaseAPIInit3(self._api, None, lang.encode()) != 0:
            self.close()
            raise OcrUnavailable(f"Tesseract could not load its {lang} language data; {_INSTALL}")
        self._lib.TessBaseAPISetPageSegMode(self._api, page_segmentation)

    def read_tsv(self, image: Image.Image, dpi: int | None, timeout: float) -> str:
        """Tesseract's TSV (one row per block, paragraph, line and word) for an 8-bit gray or
        1-bit page; with no `dpi` Tesseract estimates it, as its program does."""
        if image.mode not in ("L", "1"):
            raise ValueError(f"pages go to Tesseract as L or 1 images, not {image.mode}")
        binary = image.mode == "1"  # Pillow packs 1 = white, MSB first: what Tesseract takes
        stride = (image.width + 7) // 8 if binary else image.width
        pixels = image.tobytes()
        with self._lock:
            lib, api = self._lib, self._api
            lib.TessBaseAPISetImage(api, pixels, image.width, image.height, 0 if binary else 1,
                                    stride)
            if dpi:
                lib.TessBaseAPISetSourceResolution(api, dpi)
            try:
                self._recognise(timeout)
                tsv = lib.TessBaseAPIGetTsvText(api, 0)
                try:
                    return ctypes.string_at(tsv).decode("utf-8", errors="replace")
                finally:
                    lib.TessDeleteText(tsv)
            finally:
                lib.TessBaseAPIClear(api)  # forget this page's image and results

    def _recognise(self, timeout: float) -> None:
        """Recognise the page set; the deadline bounds the recognition of words (the layout
        analysis before it is bounded by the page's size)."""
        monitor = self._lib.TessMonitorCreate()
        started = time.monotonic()
        try:
            self._lib.TessMonitorSetDeadlineMSecs(monitor, max(1, int(timeout * 1000)))
            failed = self._lib.TessBaseAPIRecognize(self._api, monitor) != 0
        finally:
            self._lib.TessMonitorDelete(monitor)
        if failed and time.monotonic() - started >= timeout:
            raise DeadlinePassed(f"recognition stopped after {timeout:.0f} s")
        if failed:  # no text lines found: the program calls this an empty page
            log.warning("Tesseract found no text lines on a page")

    def close(self) -> None:
        if self._api:
            self._lib.TessBaseAPIEnd(self._api)
            self._lib.TessBaseAPIDelete(self._api)
            self._api = None


@lru_cache(maxsize=8)
def _engine(lang: str, page_segmentation: int, pid: int) -> Engine:
    engine = Engine(lang, page_segmentation)
    atexit.register(engine.close)  # else libtesseract reports "LEAK!" for its model at exit
    return engine


def engine_for(lang: str, page_segmentation: int) -> Engine:
    """This process's engine for `lang` (a forked child makes its own, not its parent's)."""
    return _engine(lang, page_segmentation, os.getpid())
