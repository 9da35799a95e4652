"""Read a file into pages of text, deciding its type by content (magic bytes), not its name.

`read_document()` returns the pages that carry text and marks the ones that must be OCR'd;
`ocr_page()` renders one such page and recognises it. Both run in worker processes, so they
take a path and return plain picklable records.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import EmptyFile, UnsupportedType
from .model import Page


@dataclass
class PageSource:
    number: int  # 1-based
    text: str | None  # None: the page has no usable text layer and must be OCR'd


@dataclass
class SourceDocument:
    media_type: str
    pages: list[PageSource]

    @property
    def needs_ocr(self) -> list[int]:
        return [page.number for page in self.pages if page.text is None]


def read_document(path: Path) -> SourceDocument:
    data = path.read_bytes()
    if not data.strip():
        raise EmptyFile("the file is empty")
    try:
        return SourceDocument("text/plain", [PageSource(1, data.decode("utf-8"))])
    except UnicodeDecodeError as error:
        raise UnsupportedType("not a supported type (text, PDF, image, DOCX)") from error


def ocr_page(path: Path, media_type: str, number: int, lang: str = "vie") -> Page:
    raise UnsupportedType(f"OCR of {media_type} is not supported yet")
