"""Read a file into pages of text, deciding its type by content (magic bytes), not its name.

`read_document()` returns the pages that carry text and marks the ones that must be OCR'd;
`ocr_page()` renders one such page and recognises it. Both run in worker processes, so they
take a path and return plain picklable records.

    >>> source = read_document(Path("letter.pdf"))       # doctest: +SKIP
    >>> source.media_type, source.needs_ocr               # doctest: +SKIP
    ('application/pdf', [2])
    >>> ocr_page(Path("letter.pdf"), source.media_type, 2)  # doctest: +SKIP
    Page(number=2, text='...', ocr=True, confidence=93.1)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import EmptyFile, UnsupportedType
from ingest.model import Page
from ingest.reading import detect
from ingest.reading.images import count_frames, load_frame
from ingest.reading.ocr import recognise
from ingest.reading.pdf import read_pdf_pages, render_page
from ingest.reading.textfile import decode_text
from ingest.reading.wordfile import read_docx

log = logging.getLogger(__name__)


@dataclass
class PageSource:
    number: int  # 1-based
    text: str | None  # None: the page has no usable text layer and must be OCR'd


@dataclass
class SourceDocument:
    media_type: str
    pages: list[PageSource]
    warnings: list[str] = field(default_factory=list)  # read, but something was amiss

    @property
    def needs_ocr(self) -> list[int]:
        return [page.number for page in self.pages if page.text is None]


def read_document(path: Path) -> SourceDocument:
    """The file's pages: text where the file has it, None where a page must be OCR'd."""
    media_type = detect.detect_type(path)
    warnings: list[str] = []
    if media_type == detect.TEXT:
        decoded = decode_text(path.read_bytes())
        texts: list[str | None] = [decoded.text]
        warnings = decoded.warnings
    elif media_type == detect.PDF:
        texts = read_pdf_pages(path)
    elif media_type in detect.IMAGE_TYPES:
        texts = [None] * count_frames(path)
    elif media_type == detect.DOCX:
        texts = [read_docx(path)]
    else:  # detect_type only returns the types above
        raise UnsupportedType(f"{media_type} files are not supported")
    if media_type in (detect.TEXT, detect.DOCX) and not (texts[0] or "").strip():
        raise EmptyFile("the file holds no text (only blanks or empty paragraphs)")
    log.debug("%s: %s, %d pages, %d to OCR", path, media_type, len(texts), texts.count(None))
    pages = [PageSource(i, t) for i, t in enumerate(texts, start=1)]
    return SourceDocument(media_type, pages, warnings)


def ocr_page(
    path: Path, media_type: str, number: int, lang: str = "vie", timeout: float = 180.0
) -> Page:
    """Render page `number` of the file and recognise it with Tesseract."""
    if media_type == detect.PDF:
        image = render_page(path, number)
    elif media_type in detect.IMAGE_TYPES:
        image = load_frame(path, number)
    else:
        raise UnsupportedType(f"pages of {media_type} files cannot be OCR'd")
    result = recognise(image, lang=lang, timeout=timeout)
    log.debug("%s page %d: %d words, confidence %s", path, number, result.words, result.confidence)
    return Page(number, result.text, ocr=True, confidence=result.confidence,
                words=result.word_confidences)
