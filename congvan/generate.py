"""`congvan generate`: write a corpus of realistic generated letters for tests and benchmarks."""

from __future__ import annotations

import logging
from pathlib import Path

import click

log = logging.getLogger(__name__)


@click.command()
@click.option("--count", type=click.IntRange(1, 10_000_000), required=True,
              help="Number of letters to write.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Folder for the letters (<name>.txt).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Same seed and count give byte-identical files.")
@click.option("--expected", "expected_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Folder for the metadata sidecars <name>.json "
              "(default: beside the letters; use another folder to ingest --out as is).")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes (the output does not depend on it).")
def generate(
    count: int, out_dir: Path, seed: int, expected_dir: Path | None, jobs: int
) -> None:
    """Write COUNT generated letters (UTF-8 .txt) with their expected metadata (.json)."""
    from bench.generator import write_corpus

    stats = write_corpus(out_dir, count, seed=seed, expected_dir=expected_dir, jobs=jobs)
    click.echo(
        f"{stats['letters']} letters ({stats['bytes'] / 1e6:.1f} MB) in {stats['seconds']:.1f} s "
        f"({stats['letters_per_second']:.0f} letters/s) → {out_dir}",
        err=True,
    )
