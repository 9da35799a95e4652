"""Scanned pages: render a share of the generated letters' first pages as scan-like PNGs
(tests/rendering.py: A4, Liberation Serif, 300 dpi, slight rotation, blur, noise), then time
`congvan ingest` on them with --jobs 1 and 2 against Tesseract alone on the same pages with as
many processes (`tesseract page.png stdout -l vie --psm 3`, single-threaded like ingest/ocr.py).
"""

from __future__ import annotations

import os
import random
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.rendering import render_png

from . import stages


def render_scans(work: Path, count: int, seed: int) -> list[Path]:
    letters = sorted((work / "letters").glob("*.txt"))
    chosen = random.Random(seed).sample(letters, min(count, len(letters)))
    out = work / "scans"
    out.mkdir(exist_ok=True)
    pages = []
    for letter in sorted(chosen):
        page = out / f"{letter.stem}.png"
        render_png(letter.read_text(encoding="utf-8"), page, dpi=300, scan=True)
        pages.append(page)
    return pages


def _tesseract(page: Path) -> None:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    subprocess.run(["tesseract", str(page), "stdout", "-l", "vie", "--psm", "3"], env=env,
                   capture_output=True, check=True)


def tesseract_alone(pages: list[Path], jobs: int) -> float:
    """Seconds for Tesseract alone to read every page with `jobs` processes at a time."""
    started = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(_tesseract, pages))
    return time.perf_counter() - started


def scan_rows(work: Path, count: int, seed: int) -> list[str]:
    started = time.perf_counter()
    pages = render_scans(work, count, seed)
    rendered = time.perf_counter() - started
    rows = [f"Scanned pages: {len(pages)} first pages rendered in {rendered:.1f} s.", "",
            "| scanned pages | pages | seconds | pages/s | Tesseract alone p/s | ratio | notes |",
            "|---|---:|---:|---:|---:|---:|---|"]
    for jobs in (1, 2):
        load = stages.load_average()
        ingested = stages.ingest(work, jobs, folder="scans", archive=f"scan-archive-{jobs}")
        alone = tesseract_alone(pages, jobs)
        rate, alone_rate = len(pages) / ingested["seconds"], len(pages) / alone
        rows.append(f"| `congvan ingest --jobs {jobs}` | {len(pages)} | "
                    f"{ingested['seconds']:.1f} | {rate:.2f} | {alone_rate:.2f} | "
                    f"{rate / alone_rate:.2f} | {ingested['summary']['ocr_pages']} OCR pages; "
                    f"peak RSS {ingested['peak_rss_mb']:.0f} MB; {load} |")
    return rows
