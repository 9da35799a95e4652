"""The foot of a Decree 30 page, found on a first OCR of the whole page, to be read again.

A letter's foot is two columns side by side: 'Nơi nhận' and its list on the left, the signing
block on the right (prefix, post, the seal and signature, the signer's rank and name).
Tesseract's automatic page segmentation often reads that band badly on real scans: it drops
the lines beside a signature or under the lifted seal (most often the signer's name), runs the
columns into one line, or reorders them. The foot is therefore read again as two crops, each
a block of its own (`ingest.reading.ocr`), and its text is the left column's lines, then the
right column's: the order a person reads them in.

The foot starts at the 'Nơi nhận' line (OCR may garble its first word) and runs to the page's
end; the columns part at the emptiest vertical strip in the middle of the page that cuts no
word the first reading found. (The header, two columns as well, is left to the first reading:
read again the same way on the development scans, it lost as many fields as it mended.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from PIL import Image

from ingest.folding import fold
from ingest.reading.columns import WordBox

# The column split is looked for in this part of the width (Decree 30: the left column is about
# the left 40% of the text width; a distribution item may run a little further).
SPLIT_FROM, SPLIT_TO = 0.3, 0.65
_RECIPIENTS = re.compile(r"^\W*n\w{0,3}\s+nh\w{1,2}n\s*(?::|$)")
# A Vietnamese syllable, folded: initial consonants, one to three vowels, a final consonant.
_SYLLABLE = re.compile(
    r"^(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?$"
)


@dataclass(frozen=True)
class Zone:
    """A band of the page (pixel rows top..bottom) read as two columns split at x = `split`."""

    name: str  # 'header' or 'foot'
    top: int
    bottom: int
    split: int


Line = list[WordBox]


def _text(line: Line) -> str:
    return fold(" ".join(word.text for word in line))


def _top(line: Line) -> float:
    return min(word.top for word in line)


def _bottom(line: Line) -> float:
    return max(word.bottom for word in line)


def _height(line: Line) -> float:
    return float(np.median([word.bottom - word.top for word in line]))


def foot_band(lines: list[Line], height: float, below: int = 0) -> tuple[int, int] | None:
    """(top, bottom) of the foot: from just under the last line above 'Nơi nhận' (the signing
    block's first line may stand a little higher than 'Nơi nhận') to the page's end."""
    for line in lines:
        if _top(line) > below and _RECIPIENTS.match(_text(line)):
            top, size = _top(line), _height(line)
            above = [_bottom(other) for other in lines if _bottom(other) < top + 0.3 * size]
            start = max([below, top - 1.5 * size, *above])
            return int(min(start, top - 0.3 * size)), int(height)
    return None


def column_split(image: Image.Image, top: int, bottom: int, words: list[WordBox]) -> int:
    """The x where the band's two columns part: the middle of the widest strip between
    SPLIT_FROM and SPLIT_TO of the width that crosses the fewest words the first reading found
    in the band (a long distribution item is not cut) and then the least ink."""
    width = image.width
    band = np.asarray(image.crop((0, top, width, bottom)).convert("L")) < 128
    ink = band.sum(axis=0).astype(float)
    for word in words:
        if sum(char.isalnum() for char in word.text) >= 2:
            ink[max(int(word.x0), 0):max(int(word.x1), 0)] += band.shape[0]
    low, high = int(SPLIT_FROM * width), int(SPLIT_TO * width)
    middle = ink[low:high]
    quiet = middle <= middle.min() + 2
    best, run = (0, (low + high) // 2), 0
    for x, empty in enumerate(quiet):
        run = run + 1 if empty else 0
        if run > best[0]:
            best = (run, low + x - run // 2)
    return best[1]


def find_zones(lines: list[Line], image: Image.Image) -> list[Zone]:
    """The foot zone of a page, if it has one."""
    foot = foot_band(lines, image.height)
    if not foot or foot[1] <= foot[0]:
        return []
    top, bottom = foot
    split = column_split(image, top, bottom, _words_in(lines, top, bottom))
    # Text across the whole width below the signing block (an annex or a report printed
    # after the letter) is not the foot: the foot ends above it. Two such lines in a row, so
    # that one long distribution item reaching the signing column does not end it.
    band = sorted((line for line in lines if _top(line) > top), key=_top)
    across = [_top(line) for line, following in pairwise(band)
              if _runs_across(line, split) and _runs_across(following, split)]
    if across:
        bottom = int(min(across) - 0.3 * _height(lines[0]))
        if bottom <= top:
            return []
        split = column_split(image, top, bottom, _words_in(lines, top, bottom))
    return [Zone("foot", top, bottom, split)]


def _words_in(lines: list[Line], top: int, bottom: int) -> list[WordBox]:
    zone = Zone("foot", top, bottom, 0)
    return [word for line in lines if inside(line, zone) for word in line]


def _runs_across(line: Line, split: int) -> bool:
    """Is the line one text running across the split (words on both sides, the usual space
    between them), rather than two columns' lines side by side (a wide gap at the split)?"""
    left = [word for word in line if word.x1 <= split]
    right = [word for word in line if word.x0 >= split]
    if any(word.x0 < split < word.x1 for word in line):
        return len(line) >= 4
    if not left or not right or len(line) < 4:
        return False
    gap = min(word.x0 for word in right) - max(word.x1 for word in left)
    return gap < 1.5 * _height(line)


def real_words(text: str) -> int:
    """How many words of an OCR reading are Vietnamese syllables as print has them (small
    letters, a capital first, or all capitals; punctuation around them aside) or numbers: what
    a reading of a seal's or a signature's strokes has few of."""
    count = 0
    for word in text.split():
        word = word.strip(".,;:()\"“”'")
        if word.isdigit() or (word.isalpha() and (word.islower() or word.isupper()
                                                  or word.istitle())
                              and _SYLLABLE.match(fold(word).lower())):
            count += 1
    return count


def inside(line: Line, zone: Zone) -> bool:
    """Is the line's middle within the zone's rows?"""
    middle = (_top(line) + _bottom(line)) / 2
    return zone.top <= middle < zone.bottom
