"""`congvan extract FILE`: read one letter (OCR'ing pages without text) and print its metadata."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import click

from ingest.printable import printable

log = logging.getLogger(__name__)

SUMMARY_FIELDS = (
    ("doc_type", "Loại văn bản"), ("reference", "Số, ký hiệu"), ("issuer", "Cơ quan ban hành"),
    ("parent_issuer", "Cơ quan chủ quản"), ("place", "Địa danh"), ("date", "Ngày ban hành"),
    ("subject", "Trích yếu"), ("urgency", "Độ khẩn"), ("secrecy", "Độ mật"),
)


def extract_file(path: Path, lang: str = "vie") -> dict[str, Any]:
    """The metadata record of one file, read and extracted as ingest does (ingest.recipe: its
    text pages, OCR for the pages that have none), without archiving it."""
    from ingest.recipe import RecipeSettings, extract_pages, read_pages

    _media_type, pages, _warnings = read_pages(path, RecipeSettings(lang=lang))
    return extract_pages(pages).to_dict()


# The confidence fields (ingest.extract.confidence) each summary row shows.
WEAK_ROWS = {"reference": ("number", "symbol")}
WEAK_MARK = "  [Độ tin cậy thấp — cần kiểm tra]"


def _weak(names: tuple[str, ...], weak: set[str]) -> str:
    return WEAK_MARK if weak.intersection(names) else ""


def _summary(record: dict[str, Any]) -> list[str]:
    from ingest.extract.confidence import FIELD_NAMES, weak_fields
    from webui.formatting import reference_label, signing_block

    shown = {**record, "reference": reference_label(record["reference"], record["symbol"])}
    weak = set(weak_fields(record.get("confidence") or {}, FIELD_NAMES))
    lines = [f"{label:<18}{shown[name] or '—'}{_weak(WEAK_ROWS.get(name, (name,)), weak)}"
             for name, label in SUMMARY_FIELDS]
    signer = record.get("signer") or {}
    signed = " · ".join(filter(None, [signer.get("name"), signing_block(signer)]))
    lines.append(f"{'Người ký':<18}{signed or '—'}{_weak(('signer.name', 'signer.title'), weak)}")
    for citation in record["citations"]:
        lines.append(_citation_line(citation))
    for task in record["tasks"]:
        lines.append(f"{'Nhiệm vụ ' + task['label']:<18}{', '.join(task['assignees']) or '—'}")
    lines.extend(f"{'Cảnh báo':<18}{warning}" for warning in record["warnings"])
    return lines


def _citation_line(citation: dict[str, Any]) -> str:
    """'Thay thế          Quyết định 1480/QĐ-TTg', 'Bãi bỏ            Nghị định 128/2018/NĐ-CP
    (Điều 3)': the letter's relation to a document it cites, and the part when written."""
    from ingest.extract.relations import relation_of

    label = relation_of(citation.get("relation")).forward
    scope = f" ({citation['scope']})" if citation.get("scope") else ""
    cited = " ".join(filter(None, [citation["doc_type"], citation["reference"]]))
    return f"{label[0].upper() + label[1:]:<18}{cited}{scope}"


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the whole record as JSON.")
@click.option("--lang", default="vie", show_default=True, help="Tesseract language.")
def extract(file: Path, as_json: bool, lang: str) -> None:
    """Extract the metadata of one letter FILE (text, PDF, image or DOCX)."""
    record = extract_file(file, lang=lang)
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        click.echo(printable("\n".join(_summary(record)), keep="\n"))
