"""Scanned pages: `congvan ingest` against Tesseract alone on the same pages.

Generated letters are rendered as the files offices scan (bench/rendering.py: A4, Liberation
Serif, 300 dpi): two in four as image-only PDFs of all their pages (slight rotation, blur, noise,
JPEG inside, as a scanner makes them), one as a PNG of its first page (scan-like), one as a
multi-page Group 4 TIFF; letters are added until there are at least `min_pages` pages.

Tesseract alone reads the same page images at the same 300 dpi: the PNGs as they are, each TIFF
frame, and each PDF page rasterised beforehand (not timed), one `tesseract PAGE - -l vie --psm 3`
per page with `jobs` processes at a time, single-threaded (`OMP_THREAD_LIMIT=1`, as congvan's
engines run). For each jobs value the runs go Tesseract alone → congvan → Tesseract alone, and
the two Tesseract runs are averaged, so that a change of machine load hits both sides alike.
CPU seconds (user + system of every process, from getrusage) are printed beside the wall clock:
they depend less on the machine's load.

    .venv/bin/python -m bench.scans --work bench/work/scans --letters 16
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import pypdfium2
from PIL import Image

from bench.rendering import render_image_pdf, render_png, render_tiff

from . import stages

DPI = 300
MIN_PAGES = 50
KINDS = ("pdf", "png", "pdf", "tiff")  # cycled over the chosen letters


@dataclass
class ScanSet:
    files: dict[str, int]  # kind → number of files in work/scans
    pages: list[Path]  # every page as an image, for Tesseract alone


def render_scans(work: Path, count: int, seed: int, min_pages: int = MIN_PAGES) -> ScanSet:
    """At least `count` letters and `min_pages` pages as scans in work/scans."""
    letters = sorted((work / "letters").glob("*.txt"))
    order = random.Random(seed).sample(letters, len(letters))
    folder, page_folder = work / "scans", work / "scan-pages"
    for path in (folder, page_folder):
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
    scans = ScanSet(dict.fromkeys(KINDS, 0), [])
    for number, letter in enumerate(order):
        if number >= count and len(scans.pages) >= min_pages:
            break
        kind = KINDS[number % len(KINDS)]
        text = letter.read_text(encoding="utf-8")
        scans.pages += _RENDERERS[kind](text, folder / f"{letter.stem}.{kind}", page_folder)
        scans.files[kind] += 1
    return scans


def _scanned_pdf(text: str, path: Path, page_folder: Path) -> list[Path]:
    render_image_pdf(text, path, dpi=DPI, scan=True)
    pages = []
    with pypdfium2.PdfDocument(path) as pdf:
        for index in range(len(pdf)):
            image = pdf[index].render(scale=DPI / 72, grayscale=True).to_pil()
            pages.append(page_folder / f"{path.stem}-{index + 1}.png")
            image.save(pages[-1], dpi=(DPI, DPI))
    return pages


def _scanned_png(text: str, path: Path, page_folder: Path) -> list[Path]:
    render_png(text, path, dpi=DPI, scan=True)
    return [path]


def _faxed_tiff(text: str, path: Path, page_folder: Path) -> list[Path]:
    render_tiff(text, path, dpi=DPI)
    pages = []
    with Image.open(path) as tiff:
        for index in range(tiff.n_frames):
            tiff.seek(index)
            pages.append(page_folder / f"{path.stem}-{index + 1}.tif")
            tiff.save(pages[-1], compression="group4", dpi=(DPI, DPI))
    return pages


_RENDERERS: dict[str, Callable[[str, Path, Path], list[Path]]] = {
    "pdf": _scanned_pdf, "png": _scanned_png, "tiff": _faxed_tiff,
}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _tesseract(page: Path) -> None:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    subprocess.run(["tesseract", str(page), "-", "-l", "vie", "--psm", "3"], env=env,
                   capture_output=True, check=True)


def tesseract_alone(pages: list[Path], jobs: int) -> dict[str, Any]:
    """Wall and CPU seconds for Tesseract alone to read every page, `jobs` at a time."""
    load, cpu, started = stages.load_average(), _children_cpu(), time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(_tesseract, pages))
    return {"seconds": time.perf_counter() - started, "cpu": _children_cpu() - cpu, "load": load}


def congvan_ingest(work: Path, jobs: int, index: bool = True) -> dict[str, Any]:
    """`congvan ingest --jobs N` of work/scans into a new archive: stages.ingest + CPU seconds."""
    archive = f"scan-archive-{jobs}"
    shutil.rmtree(work / archive, ignore_errors=True)
    load, cpu = stages.load_average(), _children_cpu()
    result = stages.ingest(work, jobs, folder="scans", archive=archive, index=index)
    return {**result, "cpu": _children_cpu() - cpu, "load": load}


def compare(work: Path, pages: list[Path], jobs: int, index: bool = True) -> dict[str, Any]:
    """Tesseract alone, congvan, Tesseract alone again: both sides under the same load."""
    before = tesseract_alone(pages, jobs)
    ingested = congvan_ingest(work, jobs, index)
    after = tesseract_alone(pages, jobs)
    alone = {key: (before[key] + after[key]) / 2 for key in ("seconds", "cpu")}
    return {"congvan": ingested, "alone": alone, "alone_runs": (before, after)}


def _row(jobs: int, pages: int, result: dict[str, Any], index: bool) -> str:
    ingested, alone = result["congvan"], result["alone"]
    rate, alone_rate = pages / ingested["seconds"], pages / alone["seconds"]
    summary = ingested["summary"]
    runs = " / ".join(f"{run['seconds']:.1f} s ({run['load']})" for run in result["alone_runs"])
    return (f"| `congvan ingest --jobs {jobs}{'' if index else ' --no-index'}` | {pages} | "
            f"{ingested['seconds']:.1f} | {rate:.3f} | {alone_rate:.3f} | "
            f"**{rate / alone_rate:.2f}** | {alone['cpu'] / ingested['cpu']:.2f} | "
            f"{summary['ocr_pages']} OCR pages, {summary['failed']} failed; CPU "
            f"{ingested['cpu']:.0f} s vs {alone['cpu']:.0f} s; peak RSS "
            f"{ingested['peak_rss_mb']:.0f} MB; {ingested['load']}; Tesseract alone {runs} |")


def scan_rows(work: Path, count: int, seed: int, min_pages: int = MIN_PAGES,
              index: bool = True) -> list[str]:
    started = time.perf_counter()
    scans = render_scans(work, count, seed, min_pages)
    rendered = time.perf_counter() - started
    kinds = ", ".join(f"{n} {kind.upper()}" for kind, n in scans.files.items())
    rows = [f"Scanned pages: {sum(scans.files.values())} letters ({kinds}), "
            f"{len(scans.pages)} pages, rendered in {rendered:.1f} s. Ratio = congvan pages/s "
            "over Tesseract alone pages/s (wall clock); CPU ratio = Tesseract alone CPU seconds "
            "over congvan's.", "",
            "| scanned pages | pages | seconds | pages/s | Tesseract alone p/s | ratio | "
            "CPU ratio | notes |", "|---|---:|---:|---:|---:|---:|---:|---|"]
    for jobs in (1, 2):
        rows.append(_row(jobs, len(scans.pages), compare(work, scans.pages, jobs, index), index))
    return rows


@click.command()
@click.option("--work", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Work folder; generated letters are written to WORK/letters if missing.")
@click.option("--letters", type=click.IntRange(1), default=12, show_default=True,
              help="At least this many letters rendered as scans.")
@click.option("--min-pages", type=click.IntRange(1), default=MIN_PAGES, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--no-index", "skip_index", is_flag=True, help="Time `congvan ingest --no-index`.")
def main(work: Path, letters: int, min_pages: int, seed: int, skip_index: bool) -> None:
    """Print the scanned-pages table on its own (bench.run prints it after the other stages)."""
    if not (work / "letters").is_dir():
        stages.generate(work, max(200, letters), seed, jobs=1)
    click.echo(f"Machine: {stages.machine()}.\n")
    for row in scan_rows(work, letters, seed, min_pages, index=not skip_index):
        click.echo(row)


if __name__ == "__main__":
    main()
