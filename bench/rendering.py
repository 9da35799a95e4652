"""Render seed letters into the files offices send us: PNG/TIFF scans, text-layer PDFs,
image-only PDFs, and scan-like pages (slight rotation, blur, noise).

Layout: A4, Liberation Serif (metric-compatible with Times New Roman, as in the real letters)
at 13 pt, margins 30/20/20/20 mm, each line of the text wrapped to the width. Every renderer
returns the text it put on each page, so a test can compare a page's OCR with what is on it.
Plain functions with parameters: benchmarks import them too.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from rapidfuzz.distance import Levenshtein

# fonts-liberation2 (Liberation 2.x) draws Vietnamese; the 1.x files of fonts-liberation do not
# (every ư, ố … comes out as the same empty box), so they are only a last resort.
FONT_PATH = next(
    (path for path in (
        Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
        Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"),
    ) if path.exists()),
    Path("LiberationSerif-Regular.ttf"),
)
A4_POINTS = (595.28, 841.89)
MARGINS_POINTS = (85.0, 57.0, 57.0, 57.0)  # left, top, right, bottom (30 / 20 mm)
FONT_SIZE = 13.0
LINE_SPACING = 1.3


@dataclass
class RenderedPage:
    image: Image.Image
    text: str  # the lines drawn on this page, joined by newlines


@lru_cache(maxsize=16)
def _font(size_px: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), size=max(1, round(size_px)))


def _width_points(line: str, font_size: float) -> float:
    return _font(font_size * 10).getlength(line) / 10  # measured at 10× for precision


def wrap_text(text: str, font_size: float = FONT_SIZE) -> list[str]:
    """The text's lines, each wrapped at word boundaries to the A4 text width."""
    width = A4_POINTS[0] - MARGINS_POINTS[0] - MARGINS_POINTS[2]
    lines: list[str] = []
    for source_line in text.splitlines():
        current = ""
        for word in source_line.split():
            candidate = f"{current} {word}" if current else word
            if current and _width_points(candidate, font_size) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
    return lines


def paginate(text: str, font_size: float = FONT_SIZE, max_pages: int | None = None
             ) -> list[list[str]]:
    """Wrapped lines split into A4 pages (blank lines at the top of a page are dropped)."""
    usable = A4_POINTS[1] - MARGINS_POINTS[1] - MARGINS_POINTS[3]
    per_page = int(usable // (font_size * LINE_SPACING))
    pages: list[list[str]] = [[]]
    for line in wrap_text(text, font_size):
        if len(pages[-1]) == per_page:
            pages.append([])
        if line or pages[-1]:
            pages[-1].append(line)
    return [page for page in pages if any(page)][:max_pages]


def render_images(text: str, dpi: int = 300, font_size: float = FONT_SIZE,
                  max_pages: int | None = None) -> list[RenderedPage]:
    """Each page drawn black on white, 8-bit grayscale, at `dpi`."""
    scale = dpi / 72
    size = (round(A4_POINTS[0] * scale), round(A4_POINTS[1] * scale))
    font = _font(font_size * scale)
    rendered = []
    for lines in paginate(text, font_size, max_pages):
        image = Image.new("L", size, 255)
        draw = ImageDraw.Draw(image)
        for index, line in enumerate(lines):
            y = (MARGINS_POINTS[1] + index * font_size * LINE_SPACING) * scale
            draw.text((MARGINS_POINTS[0] * scale, y), line, font=font, fill=0)
        rendered.append(RenderedPage(image, "\n".join(lines)))
    return rendered


def scan_like(image: Image.Image, angle: float = 0.8, blur: float = 0.7, noise: float = 0.03,
              seed: int = 0) -> Image.Image:
    """A photocopy-like version: rotated by `angle` degrees, blurred, salt-and-pepper noise."""
    rotated = image.convert("L").rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    blurred = rotated.filter(ImageFilter.GaussianBlur(blur))
    rng = random.Random(seed)
    pixels = blurred.load()
    width, height = blurred.size
    for _ in range(int(width * height * noise / 100)):
        x, y = rng.randrange(width), rng.randrange(height)
        pixels[x, y] = rng.choice((0, 255))
    return blurred


def render_png(text: str, out_path: Path, dpi: int = 300, page: int = 1,
               scan: bool = False) -> str:
    """Page `page` of the text as a PNG; returns the text drawn on it."""
    rendered = render_images(text, dpi, max_pages=page)[page - 1]
    image = scan_like(rendered.image) if scan else rendered.image
    image.save(out_path, format="PNG", dpi=(dpi, dpi))
    return rendered.text


def render_tiff(text: str, out_path: Path, dpi: int = 300, max_pages: int | None = None
                ) -> list[str]:
    """A multi-page TIFF (one frame per page, Group 4 like office scanners); page texts."""
    pages = render_images(text, dpi, max_pages=max_pages)
    frames = [page.image.convert("1", dither=Image.Dither.NONE) for page in pages]
    frames[0].save(out_path, format="TIFF", save_all=True, append_images=frames[1:],
                   compression="group4", dpi=(dpi, dpi))
    return [page.text for page in pages]


def render_image_pdf(text: str, out_path: Path, dpi: int = 300, max_pages: int | None = None,
                     scan: bool = False) -> list[str]:
    """A PDF whose pages are only images (no text layer), as a scanner makes; page texts."""
    pages = render_images(text, dpi, max_pages=max_pages)
    images = [scan_like(p.image, seed=i) if scan else p.image for i, p in enumerate(pages)]
    images[0].save(out_path, format="PDF", save_all=True, append_images=images[1:],
                   resolution=dpi)
    return [page.text for page in pages]


def render_text_pdf(text: str, out_path: Path, font_size: float = FONT_SIZE,
                    max_pages: int | None = None, font_name: str = "LiberationSerif"
                    ) -> list[str]:
    """A PDF with a real text layer (reportlab, embedded Liberation Serif); page texts."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if font_name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(font_name, str(FONT_PATH)))
    pdf = canvas.Canvas(str(out_path), pagesize=A4_POINTS)
    pages = paginate(text, font_size, max_pages)
    for lines in pages:
        pdf.setFont(font_name, font_size)
        for index, line in enumerate(lines):
            baseline = MARGINS_POINTS[1] + index * font_size * LINE_SPACING + font_size
            pdf.drawString(MARGINS_POINTS[0], A4_POINTS[1] - baseline, line)
        pdf.showPage()
    pdf.save()
    return ["\n".join(lines) for lines in pages]


def character_error_rate(recognised: str, expected: str) -> float:
    """Edit distance between the two texts over the expected length, whitespace normalised."""
    got, want = " ".join(recognised.split()), " ".join(expected.split())
    return Levenshtein.distance(got, want) / max(1, len(want))
