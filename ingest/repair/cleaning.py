"""Clean a letter's text before parsing: pure str → str steps, applied by `clean_text`.

Order matters: NFC first (decomposed marks break every later step), then control characters,
markdown, page furniture, the interleaved two-column header, and finally line re-joining.
Tone marks follow the modern placement on the main vowel ('hoà' → 'hòa', 'thuỷ' → 'thủy',
'khoẻ' → 'khỏe'), as Decree 30's own templates mostly write `CỘNG HÒA`.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from ingest.extract.layout import join_broken_lines, split_header_columns

log = logging.getLogger(__name__)

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
# Open syllables whose tone moves to the first vowel in the modern style: oa, oe, uy (not quy).
_OLD_TONE_RE = re.compile(
    r"(?<![^\W\d_])([^\W\d_]*?)(?<![qQ])([oOuU])([àáãảạÀÁÃẢẠèéẽẻẹÈÉẼẺẸỳýỹỷỵỲÝỸỶỴ])(?![^\W\d_])"
)
# The two letters every match of _OLD_TONE_RE ends with, and no letter after them.
_OLD_TONE_PAIR = re.compile(r"[oOuU][àáãảạÀÁÃẢẠèéẽẻẹÈÉẼẺẸỳýỹỷỵỲÝỸỶỴ](?![^\W\d_])")
_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}
_INVISIBLE = frozenset(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


class _Controls(dict[int, str | None]):
    """A `str.translate` table that drops invisible characters and those of Unicode category C
    (control, format, unassigned) but line ends and form feeds, and makes tabs and no-break
    spaces spaces: each character judged once, the text read once."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        if code in _INVISIBLE:
            kept = None
        elif char in "\t\u00a0":
            kept = " "
        else:
            kept = (char if char in "\n\f" or not unicodedata.category(char).startswith("C")
                    else None)
        self[code] = kept
        return kept


_CONTROLS = _Controls()


def to_nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _move_tone(match: re.Match[str]) -> str:
    head, first, second = match.groups()
    decomposed = unicodedata.normalize("NFD", second)
    base, marks = decomposed[0], decomposed[1:]
    if (first.lower(), base.lower()) not in _PAIRS or not set(marks) <= _TONES:
        return match.group(0)
    return head + unicodedata.normalize("NFC", first + marks) + base


def normalize_tone_marks(text: str) -> str:
    """One tone placement: 'hoà' → 'hòa', 'Uỷ ban' → 'Ủy ban', 'HOÀ' → 'HÒA'; 'quý' stays."""
    text = to_nfc(text)
    if not _OLD_TONE_PAIR.search(text):  # a quick look first: many texts have none
        return text
    # Line by line, and only the lines holding a pair: _OLD_TONE_RE is tried at every
    # character it is run over (0.4 ms of a letter run over all). A match is one word, and a
    # line end is not a letter, as the text's ends are not: the same matches.
    return "\n".join(_OLD_TONE_RE.sub(_move_tone, line) if _OLD_TONE_PAIR.search(line) else line
                     for line in text.split("\n"))


def remove_control_chars(text: str) -> str:
    """Unify line ends, form feeds to page breaks, tabs to spaces, drop controls and invisibles."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n\f\n\n")
    return text.translate(_CONTROLS)


def strip_markdown(text: str) -> str:
    """Markdown bold/italic markers and <autolinks> from converted documents."""
    return _AUTOLINK.sub(r"\1", _BOLD_ITALIC.sub("", text))


_BOLD_ITALIC = re.compile(r"\*\*|__")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")


_PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:[-–]\s*)?(?:trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*[-–])?\s*$", re.IGNORECASE
)


def drop_page_furniture(text: str) -> str:
    """Drop page-number lines and running headers repeated at the top of later pages."""
    pages = text.split("\f")
    tops: dict[str, int] = {}
    for page in pages[1:]:
        first = next((ln.strip() for ln in page.split("\n")
                      if ln.strip() and not _PAGE_NUMBER_RE.match(ln)), "")
        tops[first] = tops.get(first, 0) + 1
    running = {line for line, count in tops.items() if count >= 2 and len(line) > 3}
    kept = []
    for index, page in enumerate(pages):
        for line in page.split("\n"):
            if index and (_PAGE_NUMBER_RE.match(line) or line.strip() in running):
                continue
            kept.append(line)
        kept.append("")
    return "\n".join(kept[:-1])


def drop_bare_page_numbers(text: str) -> str:
    """Page numbers standing alone between blank lines, even without page breaks."""
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        alone = (i == 0 or not lines[i - 1].strip()) and (
            i + 1 == len(lines) or not lines[i + 1].strip()
        )
        if alone and re.fullmatch(r"\s*(?:-\s*)?\d{1,2}(?:\s*-)?\s*", line):
            continue
        out.append(line)
    return "\n".join(out)


def repair_ocr_apostrophes(text: str) -> str:
    """Tesseract puts apostrophes into capital runs and before capitals: "T'Tg" → "TTg",
    "Mường 'Tè" → "Mường Tè". Names like "K' Điểu" (apostrophe then a space) are kept."""
    if "'" not in text and "’" not in text:  # most texts: the two searches below cost 0.2 ms
        return text
    text = re.sub(r"(?<=[A-ZĐ])['’](?=[A-ZĐ])", "", text)
    return re.sub(r"(?<![^\s(])['’](?=[A-ZĐÀ-Ỹ][^\W\d_])", "", text)


def collapse_spaces(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def correct_ocr_page(text: str) -> str:
    """One OCR'd page with the marks OCR misread mended ('tĩnh Lâm Đông' → 'tỉnh Lâm Đồng', see
    ocr_marks.py); run on OCR'd pages only, before `clean_text`: a typed page is kept as
    its author typed it. Should the model fail to load, the page is kept as read."""
    try:
        from ingest.repair.ocr_marks import correct_ocr_marks

        return correct_ocr_marks(text)
    except Exception as error:  # the correction only improves: never lose a page to it
        log.warning("OCR mark correction failed: %s", error)
        return to_nfc(text)


def clean_text(text: str) -> str:
    """The full cleaning recipe; the result is what `extract_metadata` stores as "text"."""
    text = remove_control_chars(to_nfc(text))
    text = normalize_tone_marks(repair_ocr_apostrophes(strip_markdown(text)))
    text = drop_bare_page_numbers(drop_page_furniture(text))
    lines = split_header_columns([line.rstrip() for line in text.split("\n")])
    return collapse_spaces("\n".join(join_broken_lines(lines)))
