"""Read the text of a DOCX letter: paragraphs and tables in document order."""

from __future__ import annotations

import logging
import unicodedata
from pathlib import Path
from typing import Any

import docx
from docx.table import Table

from ingest.errors import CorruptDocx
from ingest.repair.legacy import repair_text

log = logging.getLogger(__name__)


def read_docx(path: Path) -> str:
    """All text of the document body; a table row becomes one line, cells split by ` | `."""
    try:
        document = docx.Document(str(path))
        blocks = [_block_text(block) for block in document.iter_inner_content()]
    except Exception as error:  # python-docx and lxml raise many kinds on damaged files
        raise CorruptDocx(
            "the DOCX file is damaged and cannot be opened; open it in Word or LibreOffice, "
            "save it again and ingest the new copy"
        ) from error
    text = "\n".join(block for block in blocks if block.strip())
    return unicodedata.normalize("NFC", repair_text(text))


def _block_text(block: Any) -> str:
    if isinstance(block, Table):
        return _table_text(block)
    return block.text


def _table_text(table: Table) -> str:
    """One line per row; a merged cell repeated across columns is written once."""
    lines = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = "\n".join(
                _block_text(inner) for inner in cell.iter_inner_content()
            ).strip()
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            lines.append(" | ".join(cells))
    return "\n".join(lines)
