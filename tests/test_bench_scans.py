"""The scanned-pages benchmark gives Tesseract alone exactly the pages congvan reads: one image
per page of every file, at 300 dpi (no OCR here; its speed is measured by running bench.scans)."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from PIL import Image

from bench.generator import write_corpus
from bench.scans import DPI, render_scans


@pytest.mark.slow  # renders a dozen pages at 300 dpi: CI runs it, the fast loop does not
def test_every_page_of_every_scan_is_given_to_tesseract_alone(tmp_path: Path) -> None:
    write_corpus(tmp_path / "letters", 12, seed=1, expected_dir=tmp_path / "expected")
    scans = render_scans(tmp_path, count=2, seed=1, min_pages=6)
    files = sorted((tmp_path / "scans").iterdir())
    assert len(scans.pages) >= 6 and sum(scans.files.values()) == len(files) >= 2
    expected = 0
    for path in files:
        if path.suffix == ".pdf":
            expected += len(pypdf.PdfReader(path).pages)
        else:
            with Image.open(path) as image:
                expected += getattr(image, "n_frames", 1)
    assert len(scans.pages) == expected
    for page in scans.pages:
        with Image.open(page) as image:
            assert image.mode in ("L", "1")
            assert round(image.info["dpi"][0]) == DPI
            assert abs(image.width - 2480) <= 1 and abs(image.height - 3508) <= 1
