"""Ingest letters: read, OCR, clean, extract metadata, and archive them durably."""

from .archive import DEFAULT_ARCHIVE, Archive
from .catalog import Catalog
from .errors import CongvanError, ExitCode, exit_code_for
from .metadata import extract_metadata
from .pipeline import FileOutcome, IngestReport, ingest_paths

__all__ = [
    "DEFAULT_ARCHIVE",
    "Archive",
    "Catalog",
    "CongvanError",
    "ExitCode",
    "FileOutcome",
    "IngestReport",
    "exit_code_for",
    "extract_metadata",
    "ingest_paths",
]
