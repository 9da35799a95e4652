"""Plain records passed between the ingest stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Page:
    """One page of a letter: its text and how we got it."""

    number: int  # 1-based
    text: str
    ocr: bool = False
    confidence: float | None = None  # Tesseract's mean word confidence, 0–100
    # OCR'd pages: each word with Tesseract's confidence, for the fields' confidence (not
    # stored in the catalog: the record keeps the scores)
    words: list[tuple[str, float]] | None = None


@dataclass
class DocumentRecord:
    """Everything the catalog stores for one archived letter, written in one transaction."""

    id: str
    sha256: str
    filename: str
    media_type: str
    size_bytes: int
    pages: list[Page]
    metadata: dict[str, Any] = field(default_factory=dict)  # extract_metadata()'s record

    @property
    def raw_text(self) -> str:
        return "\n\n".join(page.text for page in self.pages)

    @property
    def ocr_pages(self) -> int:
        return sum(page.ocr for page in self.pages)
