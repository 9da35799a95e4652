"""The foot of a page read again column by column (ingest/reading/zones.py and the zone pass of
ingest/reading/ocr.py), on invented pages: geometry on drawn images, the pass itself with a
stand-in for Tesseract that answers as real scans made it answer."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from bench.rendering import FONT_PATH
from ingest.reading import ocr
from ingest.reading.columns import WordBox
from ingest.reading.illumination import flatten
from ingest.reading.zones import column_split, find_zones, foot_band

WIDTH, HEIGHT = 2480, 3508


def line(top: int, *words: tuple[int, str]) -> list[WordBox]:
    """Words of one line, 40 px high, each 22 px a character wide."""
    return [WordBox(x, top, x + 22 * len(text), top + 40, text) for x, text in words]


def test_the_foot_starts_under_the_last_line_above_noi_nhan_and_runs_to_the_end() -> None:
    lines = [line(2000, (300, "Trân"), (420, "trọng./.")),
             line(2150, (1500, "GIÁM"), (1640, "ĐỐC")),  # the post stands a little higher
             line(2170, (300, "Nơi"), (400, "nhận:")),
             line(2230, (300, "-"), (340, "Như"), (440, "trên;"))]
    top, bottom = foot_band(lines, HEIGHT)
    assert 2040 <= top <= 2150 and bottom == HEIGHT
    assert foot_band(lines[:2], HEIGHT) is None  # no 'Nơi nhận': no foot


def test_ocr_damage_to_noi_nhan_still_marks_the_foot() -> None:
    assert foot_band([line(2170, (300, "NaG"), (400, "nhận:"))], HEIGHT) is not None
    assert foot_band([line(2170, (300, "Nơi"), (400, "nhận"), (520, "hồ"), (600, "sơ"))],
                     HEIGHT) is None  # prose, not the heading


def test_the_columns_part_where_no_word_is_cut() -> None:
    """A long distribution item runs close to the signing block: the split falls between them,
    not through the item, though a strip further right has less ink."""
    page = Image.new("L", (WIDTH, 1200), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT_PATH), 46)
    item = "- Ủy ban nhân dân các huyện (để phối hợp);"
    draw.text((250, 100), "Nơi nhận:", font=font, fill=0)
    draw.text((250, 160), item, font=font, fill=0)
    end = 250 + draw.textlength(item, font=font)
    draw.text((end + 60, 100), "Thiếu tướng Trần Minh Khôi", font=font, fill=0)
    words = [WordBox(250, 160, end, 210, "item"),
             WordBox(end + 60, 100, end + 700, 150, "name")]
    split = column_split(page, 0, 1200, words)
    assert end <= split <= end + 60


def test_flattening_whitens_shaded_paper_and_keeps_the_ink() -> None:
    y, x = np.mgrid[0:1200, 0:1600]
    paper = 230 - 120 * (x / 1600) * (y / 1200)  # a photo: darker towards a corner
    page = paper.copy()
    page[1000:1040, 1200:1500] = 30  # a stroke of ink in the dark corner
    flat = np.asarray(flatten(Image.fromarray(page.astype(np.uint8), mode="L")))
    assert flat[1100, 1550] >= 235 and flat[100, 100] >= 235  # paper, dark or light: white
    assert flat[1020, 1350] < 80  # the ink stays dark
    white = Image.new("L", (1600, 1200), 250)
    assert flatten(white) is white  # even paper: left as it is


def tsv(width: int, height: int, rows: list[list[WordBox]]) -> str:
    out = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight"
           "\tconf\ttext", f"1\t1\t0\t0\t0\t0\t0\t0\t{width}\t{height}\t-1\t"]
    for number, words in enumerate(rows, 1):
        for word in words:
            out.append(f"5\t1\t1\t1\t{number}\t1\t{int(word.x0)}\t{int(word.top)}\t"
                       f"{int(word.x1 - word.x0)}\t{int(word.bottom - word.top)}\t90\t{word.text}")
    return "\n".join(out)


class StandIn:
    """Answers as Tesseract did on real scans: the whole page with the signing column's name
    lost under the seal and its post run into the distribution list; each column of the foot,
    read alone, whole."""

    def __init__(self, columns: bool = True, left_junk: bool = False) -> None:
        self.columns, self.left_junk = columns, left_junk
        self.crops: list[tuple[int, int]] = []

    def read_tsv(self, image: Image.Image, dpi: int | None, timeout: float) -> str:
        if image.size == (WIDTH, HEIGHT):
            return tsv(WIDTH, HEIGHT, [
                line(300, (300, "Kính"), (420, "gửi:"), (540, "Các"), (640, "sở.")),
                line(2000, (300, "Trân"), (420, "trọng./.")),
                line(2170, (300, "Nơi"), (400, "nhận:")),
                line(2230, (300, "-"), (340, "Như"), (440, "trên;"), (1500, "GIÁM"),
                     (1640, "ĐỐC")),
                line(2290, (300, "-"), (340, "Lưu:"), (460, "VT.")),
                line(2700, (1400, "~"), (1500, "¬"))])
        self.crops.append(image.size)
        if not self.columns:
            return tsv(*image.size, [])
        if image.width < WIDTH / 2 and self.left_junk:
            return tsv(*image.size, [line(20, (300, "Nơi"), (400, "nhận:")),
                                     line(80, (300, "~"), (340, "Nhu"), (440, "t¡ên;"))])
        if image.width < WIDTH / 2:  # the left column
            return tsv(*image.size, [line(20, (300, "Nơi"), (400, "nhận:")),
                                     line(80, (300, "-"), (340, "Như"), (440, "trên;")),
                                     line(140, (300, "-"), (340, "Lưu:"), (460, "VT."))])
        return tsv(*image.size, [line(60, (300, "GIÁM"), (440, "ĐỐC")),
                                 line(560, (200, "Thiếu"), (330, "tướng"), (480, "Trần"),
                                      (590, "Minh"), (720, "Khôi"))])


@pytest.fixture
def page() -> Image.Image:
    image = Image.new("L", (WIDTH, HEIGHT), 255)
    image.info["dpi"] = (300, 300)
    return image


def test_the_foot_is_read_again_column_by_column(monkeypatch: pytest.MonkeyPatch,
                                                 page: Image.Image) -> None:
    engine = StandIn()
    monkeypatch.setattr(ocr, "engine_for", lambda lang, segmentation: engine)
    result = ocr.recognise(page)
    assert result.text.splitlines() == [
        "Kính gửi: Các sở.", "Trân trọng./.", "",
        "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "",
        "GIÁM ĐỐC", "Thiếu tướng Trần Minh Khôi"]
    assert len(engine.crops) == 2 and result.words == len(result.text.split())


def test_a_column_pass_that_reads_less_keeps_the_first_reading(
        monkeypatch: pytest.MonkeyPatch, page: Image.Image) -> None:
    engine = StandIn(columns=False)
    monkeypatch.setattr(ocr, "engine_for", lambda lang, segmentation: engine)
    text = ocr.recognise(page).text
    assert "Nơi nhận:" in text and "GIÁM ĐỐC" in text and "Lưu: VT." in text


def test_a_page_without_a_foot_is_read_once(monkeypatch: pytest.MonkeyPatch,
                                            page: Image.Image) -> None:
    lines = [line(300, (300, "Kính"), (420, "gửi:"))]
    assert find_zones(lines, page) == []


def _prose(top: int, words: int = 20, x: int = 300) -> list[WordBox]:
    """A line of running text across the page: words with the usual space between them."""
    return line(top, *[(x + 90 * n, "chữ") for n in range(words)])


def test_the_foot_ends_where_text_runs_across_the_page_again() -> None:
    # An annex printed after the signature: its lines run across both columns' split.
    blank = Image.new("L", (WIDTH, HEIGHT), 255)
    foot = [line(2170, (300, "Nơi"), (400, "nhận:")),
            line(2230, (300, "-"), (340, "Như"), (440, "trên;"), (1500, "KT."), (1600, "GIÁM"),
                 (1740, "ĐỐC")),
            line(2290, (300, "-"), (340, "Lưu:"), (460, "VT."), (1500, "Lê"), (1580, "Văn"),
                 (1680, "An"))]
    annex = [_prose(2500), _prose(2560), _prose(2620)]
    [zone] = find_zones(foot + annex, blank)
    assert 2290 + 40 <= zone.bottom < 2500
    # Without the annex, the foot runs to the page's end.
    [zone] = find_zones(foot, blank)
    assert zone.bottom == HEIGHT


def test_one_long_distribution_item_does_not_end_the_foot() -> None:
    blank = Image.new("L", (WIDTH, HEIGHT), 255)
    lines = [line(2170, (300, "Nơi"), (400, "nhận:")),
             _prose(2230, words=14),  # a long item reaching the signing column, once
             line(2290, (300, "-"), (340, "Lưu:"), (460, "VT."), (1500, "Lê"), (1580, "Văn"),
                  (1680, "An"))]
    [zone] = find_zones(lines, blank)
    assert zone.bottom == HEIGHT


def test_each_column_keeps_the_reading_with_more_real_words(
        monkeypatch: pytest.MonkeyPatch, page: Image.Image) -> None:
    engine = StandIn(left_junk=True)
    monkeypatch.setattr(ocr, "engine_for", lambda lang, segmentation: engine)
    lines = ocr.recognise(page).text.splitlines()
    assert lines[lines.index("Nơi nhận:"):] == [
        "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "",  # the first reading's left column
        "GIÁM ĐỐC", "Thiếu tướng Trần Minh Khôi"]  # the second reading's right one
