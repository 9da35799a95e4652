"""Originals that are not text: a text-layer PDF shown inline, a scan shown as an image with
its OCR confidence (real Tesseract, so `slow`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.rendering import render_png, render_text_pdf
from index import rebuild_index
from ingest import Archive, ingest_paths, open_catalog
from webui import create_app

from .webui_archive import QD_874, UNICODE_TEXT, sha_id


def archive_of(root: Path, files: list[Path]) -> Archive:
    archive = Archive(root / "archive")
    report = ingest_paths(files, archive, jobs=1)
    assert report.summary()["failed"] == 0, report.as_json()
    with open_catalog(archive.catalog_path) as catalog:
        rebuild_index(catalog, archive.index_dir)
    return archive


def test_pdf_original_is_shown_inline_and_downloadable(tmp_path):
    pdf = tmp_path / "quyết định 874.pdf"
    render_text_pdf(QD_874, pdf)
    archive = archive_of(tmp_path, [pdf])
    client = create_app({"ARCHIVE": str(archive.root), "TESTING": True}).test_client()
    doc_id = sha_id(pdf.read_bytes())

    html = client.get(f"/van-ban/{doc_id}").get_data(as_text=True)
    assert f'<iframe class="original" src="/van-ban/{doc_id}/goc"' in html
    inline = client.get(f"/van-ban/{doc_id}/goc")
    assert inline.headers["Content-Type"] == "application/pdf"
    assert inline.headers["Content-Disposition"].startswith("inline;")
    assert inline.data == pdf.read_bytes()
    download = client.get(f"/van-ban/{doc_id}/goc?tai=1")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%20874.pdf" in (
        download.headers["Content-Disposition"]
    )


@pytest.mark.slow
def test_scanned_original_is_shown_as_an_image_with_ocr_confidence(tmp_path):
    scan = tmp_path / "scan.png"
    render_png(UNICODE_TEXT, scan, dpi=200)
    archive = archive_of(tmp_path, [scan])
    client = create_app({"ARCHIVE": str(archive.root), "TESTING": True}).test_client()
    doc_id = sha_id(scan.read_bytes())

    html = client.get(f"/van-ban/{doc_id}").get_data(as_text=True)
    assert f'<img class="original" src="/van-ban/{doc_id}/goc"' in html
    confidence = re.search(r'<meter min="0" max="100" value="([\d.]+)"></meter> (\d+) %', html)
    assert confidence and 50 <= float(confidence.group(1)) <= 100
    image = client.get(f"/van-ban/{doc_id}/goc")
    assert image.headers["Content-Type"] == "image/png"
    assert image.data == scan.read_bytes()
