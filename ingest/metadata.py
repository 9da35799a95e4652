"""Extract a letter's metadata record (placeholder until the Decree 30 extractor lands)."""

from __future__ import annotations

import unicodedata
from typing import Any


def extract_metadata(raw_text: str, *, pages: int = 1, ocr: bool = False) -> dict[str, Any]:
    text = unicodedata.normalize("NFC", raw_text)
    return {
        "doc_type": None, "reference": None, "key": None, "number": None, "symbol": None,
        "issuer": None, "parent_issuer": None, "place": None, "date": None,
        "date_precision": None, "subject": None, "recipients": [], "tasks": [],
        "signer": None, "distribution": [], "citations": [], "urgency": None, "secrecy": None,
        "pages": pages, "ocr": ocr, "warnings": [], "spans": {}, "text": text,
    }
