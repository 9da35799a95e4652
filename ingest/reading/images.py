"""Open page images (PNG, JPEG, TIFF with several frames) safely: size limits, damaged files."""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageOps

from ingest.errors import CorruptImage, ImageTooLarge, TooManyPages

log = logging.getLogger(__name__)

MAX_PIXELS = 100_000_000  # per page: an A4 page at 600 dpi is 35 megapixels
MAX_PAGES = 300

# Pillow refuses images above twice this before decoding them (decompression bombs) and warns
# above it; `open_image()` turns both into ImageTooLarge.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_DAMAGED = (
    "the image is damaged or truncated and cannot be decoded; scan the letter again or export "
    "it again as PNG, JPEG or TIFF"
)


@contextmanager
def open_image(path: Path, max_pixels: int = MAX_PIXELS) -> Iterator[Image.Image]:
    """An opened image whose first frame passed the size check; errors become FileErrors."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                check_size(image, 1, max_pixels)
                yield image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        pixels = re.search(r"\((\d+) pixels\)", str(error))
        raise ImageTooLarge(
            _too_large_message(int(pixels[1]) if pixels else None, max_pixels)
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        # UnidentifiedImageError is an OSError; damaged PNG chunks raise SyntaxError
        raise CorruptImage(_DAMAGED) from error


def count_frames(path: Path, max_pages: int = MAX_PAGES, max_pixels: int = MAX_PIXELS) -> int:
    """Number of pages (frames) in the image, after decoding each one to prove it is whole."""
    with open_image(path, max_pixels) as image:
        frames = getattr(image, "n_frames", 1)
        if frames > max_pages:
            raise TooManyPages(
                f"the image has {frames} pages; at most {max_pages} are accepted in one file. "
                "Split it into several files"
            )
        for index in range(frames):
            image.seek(index)
            check_size(image, index + 1, max_pixels)
            image.load()
    return frames


def load_frame(path: Path, number: int, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Page `number` (1-based) of the image, decoded, upright (EXIF orientation applied)."""
    with open_image(path, max_pixels) as image:
        image.seek(number - 1)
        check_size(image, number, max_pixels)
        frame = ImageOps.exif_transpose(image)
        frame.load()
        return frame.copy()


def check_size(image: Image.Image, number: int, max_pixels: int = MAX_PIXELS) -> None:
    width, height = image.size
    if width * height > max_pixels:
        raise ImageTooLarge(_too_large_message(width * height, max_pixels, number))


def _too_large_message(pixels: int | None, max_pixels: int, number: int = 1) -> str:
    what = f"page {number} of the image has {pixels / 1e6:.0f} megapixels" if pixels else (
        "the image is too large"
    )
    return (
        f"{what}; at most {max_pixels / 1e6:.0f} are accepted. Scan it again at 300 dpi "
        "(an A4 page is then 9 megapixels)"
    )
