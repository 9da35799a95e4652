"""Ingest letters: read, OCR, clean, extract metadata, and archive them durably."""

from ingest.errors import CongvanError, ExitCode, exit_code_for
from ingest.extract.metadata import extract_metadata
from ingest.pipeline import FileOutcome, IngestReport, ingest_paths
from ingest.store.archive import DEFAULT_ARCHIVE, Archive
from ingest.store.catalog import Catalog

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
