"""Skew estimation on rendered pages tilted by known angles (no OCR here)."""

from __future__ import annotations

import pytest
from PIL import Image

from bench.rendering import render_images, scan_like
from ingest.reading.deskew import deskew, estimate_skew
from tests.conftest import SEEDS

MUONG_TE = next(path for path in SEEDS if path.name.startswith("002_"))


@pytest.fixture(scope="module")
def page() -> Image.Image:
    text = MUONG_TE.read_text(encoding="utf-8")
    return render_images(text, dpi=150, max_pages=1)[0].image


@pytest.mark.parametrize("angle", [0.0, 0.7, -2.0, 3.5, -6.0, 9.0])
def test_estimated_skew_is_the_applied_tilt(page: Image.Image, angle: float) -> None:
    tilted = scan_like(page, angle=angle, blur=0.8, noise=0.05, seed=int(angle * 10))
    assert estimate_skew(tilted) == pytest.approx(angle, abs=0.2)


def test_small_tilts_are_left_alone(page: Image.Image) -> None:
    tilted = scan_like(page, angle=1.0)
    assert deskew(tilted) is tilted


def test_large_tilt_is_straightened(page: Image.Image) -> None:
    straightened = deskew(scan_like(page, angle=5.0))
    assert abs(estimate_skew(straightened)) <= 0.2


def test_blank_page_has_no_skew() -> None:
    assert estimate_skew(Image.new("L", (800, 1100), 255)) == 0.0
