"""The recipe for one file, as a plain function: detect → read → OCR → clean → extract.

`ingest_file` reads a file and returns what the archive will keep of it (its pages and metadata
record); it never touches the archive or the catalog: staging, deduplication and storing are
the batch's work (`ingest.pipeline`), and *where* the recipe runs is a runner's (`ingest.runners`:
a local pool of worker processes today). A file that cannot be read at all raises a
`FileError` naming why; anything with a word in it is read, however unlike a letter.

    >>> reading = ingest_file(Path("letter.pdf"))      # doctest: +SKIP
    >>> reading.media_type, len(reading.pages), reading.metadata.reference  # doctest: +SKIP
    ('application/pdf', 2, '139/CĐ-TTg')
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.curation.duplicates import TextSignature, text_signature
from ingest.errors import Deadline, NoTextFound, ReadTimeout
from ingest.extract.confidence import OcrEvidence
from ingest.extract.metadata import extract_record
from ingest.model import LetterMetadata, Page
from ingest.reading.reading import ocr_page, read_document
from ingest.repair.cleaning import correct_ocr_page


@dataclass(frozen=True)
class RecipeSettings:
    """How a file is read: Tesseract's language and the time limits (seconds)."""

    lang: str = "vie"
    ocr_timeout: float = 180.0  # per OCR'd page (Tesseract's own timeout)
    read_timeout: float = 60.0  # reading the file, and cleaning + extraction, each


@dataclass
class Reading:
    """What the recipe made of one file: its pages in order, its metadata record and the
    signature its text is compared to others' by (possible duplicates; None: too short)."""

    media_type: str
    pages: list[Page]
    metadata: LetterMetadata
    warnings: list[str] = field(default_factory=list)  # read, but something was amiss
    signature: TextSignature | None = None

    @property
    def ocr_pages(self) -> int:
        return sum(page.ocr for page in self.pages)


def ingest_file(path: Path, settings: RecipeSettings = RecipeSettings()) -> Reading:
    """Read one file into pages and extract its metadata record (see the module docstring)."""
    media_type, pages, warnings = read_pages(path, settings)  # detect + read + OCR
    if not has_text(pages):
        raise NoTextFound(
            "no text found: not one word on any page, even by OCR"
            if any(page.ocr for page in pages)
            else "no text found: the file holds not one word"
        )
    metadata = within_time_limit(settings.read_timeout, extract_pages, pages)  # clean + extract
    # Signed here, in the worker, not where the batch stores letters one after another.
    return Reading(media_type, pages, metadata, warnings, text_signature(metadata.text))


def read_pages(path: Path, settings: RecipeSettings = RecipeSettings()
               ) -> tuple[str, list[Page], list[str]]:
    """The file's type, its pages in order (the text layer where it can stand, else OCR), and
    what was amiss while reading."""
    source = within_time_limit(settings.read_timeout, read_document, path)
    pages = [Page(page.number, page.text) for page in source.pages if page.text is not None]
    for number in source.needs_ocr:
        pages.append(ocr_page(path, source.media_type, number, settings.lang,
                              settings.ocr_timeout))
    pages.sort(key=lambda page: page.number)
    return source.media_type, pages, list(source.warnings)


def extract_pages(pages: list[Page]) -> LetterMetadata:
    """The metadata record of a file's pages (OCR'd pages mended first); never refuses a text
    (see `review_reasons`)."""
    raw = "\n\n".join(correct_ocr_page(page.text) if page.ocr else page.text for page in pages)
    return extract_record(raw, pages=len(pages), ocr=any(page.ocr for page in pages),
                          evidence=OcrEvidence.of(pages))


# Text, as opposed to none: one word of two letters or digits. A blank scan's OCR, or a file
# of one stray byte, has none and cannot be read; anything with a word is archived.
_WORD_RE = re.compile(r"\w{2,}")


def has_text(pages: list[Page]) -> bool:
    return any(_WORD_RE.search(page.text) for page in pages)


# A read that waits rather than works (a stalled network share) is stopped by the clock after
# this many times the limit; the limit itself counts CPU time (see within_time_limit).
WALL_CLOCK_FACTOR = 10


def within_time_limit(seconds: float, work: Callable[..., Any], *args: Any) -> Any:
    """Run `work`, giving up with ReadTimeout once it has used `seconds` of CPU time (or
    WALL_CLOCK_FACTOR times that on the clock).

    Pure-Python parsers (pdfminer) can spend hours on a hostile file, and cleaning or
    extraction may meet a text that makes them crawl; one file must not hold a worker that
    long. The limit counts the worker's CPU, not the clock: on a machine that is loaded, or
    paused (a VM suspended, a job stopped), a good letter used to run out of time (a 65 s
    SIGSTOP of `congvan ingest --jobs 2` failed the two letters in flight). The timers raise
    `Deadline`, which no catch-all inside `work` stops (it is not an Exception). Tesseract has
    its own timeout inside `ocr_page`. A timer can only be handled on a process's main thread,
    as in the local pool's workers; elsewhere (`InProcessRunner` on a server's thread) `work`
    runs without a limit.
    """
    if threading.current_thread() is not threading.main_thread():
        return work(*args)
    armed = True

    def give_up(signum: int, frame: Any) -> None:
        if armed:  # a timer that fired as `work` returned is let go once the timers are off
            raise Deadline

    previous = {number: signal.signal(number, give_up)
                for number in (signal.SIGPROF, signal.SIGALRM)}
    signal.setitimer(signal.ITIMER_PROF, seconds)
    signal.setitimer(signal.ITIMER_REAL, seconds * WALL_CLOCK_FACTOR)
    try:
        try:
            return work(*args)
        finally:
            armed = False
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.setitimer(signal.ITIMER_REAL, 0)
    except Deadline:  # also when it fired just as `work` returned: never let it out
        raise ReadTimeout(f"reading this file took over {seconds:g} s of work; it was "
                          "abandoned") from None
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
