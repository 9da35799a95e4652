"""Decide what a file is from its first bytes (magic numbers), never from its name."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import filetype

from ingest.errors import EmptyFile, UnsupportedType

log = logging.getLogger(__name__)

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
IMAGE_TYPES = (PNG, JPEG, TIFF)

HEAD_BYTES = 8192
_SAVE_AS = "Save or scan it as PDF, DOCX, PNG, JPEG, TIFF or plain text and ingest that instead."
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
)
_KNOWN_OTHERS = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.doc/.xls, 97–2003)"),
    (b"{\\rtf", "an RTF document"),
    (b"GIF8", "a GIF image"),
    (b"BM", "a BMP image"),
)
_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1A}
_CONTROL_BYTES_STRING = bytes(sorted(_CONTROL_BYTES))


def detect_type(path: Path) -> str:
    """The media type of the file at `path`, or `UnsupportedType` naming what it looks like."""
    with path.open("rb") as stream:
        head = stream.read(HEAD_BYTES)
    if not head.strip() and len(head) < HEAD_BYTES:
        raise EmptyFile("the file is empty (0 bytes or only blanks); nothing to archive")
    if b"%PDF-" in head[:1024]:
        return PDF
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        raise UnsupportedType(f"this is a WebP image, which is not supported. {_SAVE_AS}")
    for magic, description in _KNOWN_OTHERS:
        if head.startswith(magic):
            raise UnsupportedType(f"this is {description}, which is not supported. {_SAVE_AS}")
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith((b"<!doctype html", b"<html")):
        raise UnsupportedType(
            "this is a web page (HTML); open it in a browser, print it to PDF and ingest the PDF"
        )
    if looks_like_text(head):
        return TEXT
    raise UnsupportedType(f"this is {_describe(head)}, not a letter we can read. {_SAVE_AS}")


def looks_like_text(head: bytes) -> bool:
    """Text: a Unicode BOM, UTF-16 without one, or bytes with almost no control codes (a stray
    NUL among them: text layers exported from PDFs carry some)."""
    if head.startswith(_TEXT_BOMS) or _looks_like_utf16(head):
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES_STRING))
    return controls <= len(head) // 200


def _looks_like_utf16(head: bytes) -> bool:
    """ASCII-heavy UTF-16 without BOM: one of the two byte lanes is almost all NUL."""
    if len(head) < 8:
        return False
    even = head[0::2].count(0) / len(head[0::2])
    odd = head[1::2].count(0) / len(head[1::2])
    return max(even, odd) > 0.4 and min(even, odd) < 0.05


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as error:
        raise UnsupportedType(
            f"this is a damaged or truncated ZIP container (perhaps a DOCX). {_SAVE_AS}"
        ) from error
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        kind = "an Excel workbook (XLSX)"
    elif "ppt/presentation.xml" in names:
        kind = "a PowerPoint presentation (PPTX)"
    elif "content.xml" in names:
        kind = "an OpenDocument file (ODT/ODS)"
    else:
        raise UnsupportedType("this is a ZIP archive: unpack it and ingest the files inside")
    raise UnsupportedType(f"this is {kind}, not a letter we can read. {_SAVE_AS}")


def _describe(head: bytes) -> str:
    kind = filetype.guess(head)
    if kind is None:
        return "binary data of an unknown kind"
    return f"a {kind.extension.upper()} file ({kind.mime})"
