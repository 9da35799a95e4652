"""Correct the marks Tesseract's Vietnamese model reads wrong on scanned pages.

On real scans the letters of a syllable are mostly right while its marks are not: 'đôi' for
'đổi', 'tĩnh' for 'tỉnh', 'Lâm Đông' for 'Lâm Đồng', 'Uy ban' for 'Ủy ban', 'Qũy' for 'Quỹ',
'Ð' (U+00D0, Icelandic eth) for 'Đ', 'rn' for 'm'. Every syllable may become any known syllable
with the same letters (the trigram model of :mod:`ingest.diacritics`); a noisy channel charges
each mark changed, so the beam search keeps what OCR read unless the context prefers another
form by a wide margin, and a change that only the other form's frequency supports (no bigram
with a neighbour) is undone: a rare but correct syllable stays.

Document numbers and symbols (``QĐ-UBND``), Roman numerals, one-letter list labels and personal
names (three or more capitalised words after a surname) are never touched. Meant for OCR'd pages
only: typed text is what its author typed. A page with few marks is the restorer's job
(:func:`ingest.diacritics.restore_diacritics`), so it is left as it is here.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator

from .diacritics import Slot, apply_case, decode, has_few_diacritics, load_model
from .diacritics_model import BOS, NgramModel, fold, model_token, split_tone
from .layout import _SURNAMES

# The log-price of one mark changed (a tone, or a vowel's hat, breve or horn, or đ's bar) on
# a syllable OCR read as a known one: the other form must be ~100 times likelier in context.
MARK_CHANGE = math.log(1 / 100)
# A capitalised word inside a sentence is mostly a name ('huyện Thới Bình', 'sông Thạch Hãn'):
# only a name the model knows well in that context ('tỉnh Lâm Đông' → 'Lâm Đồng') is changed.
NAME_CHANGE = math.log(1 / 1000)
RN_CHANGE = math.log(1 / 20)  # 'rn' read for 'm' ('ngưòi' aside, r is only ever initial)
MIN_NAME_WORDS = 3
_ETH = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ", "\u0189": "Đ", "\u0256": "đ"})
_CHUNK_RE = re.compile(r"\S+")
_TOKEN_RE = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)*|[^\w\s]")
_PARAGRAPH_RE = re.compile(r"\n[ \t]*\n")
_PROTECTED_RE = re.compile(r"\d|@|_|&|\w[./\-:]\w")
_ROMAN_RE = re.compile(r"[IVXLCM]+")


def correct_ocr_marks(text: str, model: NgramModel | None = None) -> str:
    """NFC ``text`` (one OCR'd page) with the marks the context strongly contradicts mended."""
    text = unicodedata.normalize("NFC", text).translate(_ETH)
    if has_few_diacritics(text):
        return text
    model = model or load_model()
    slots = _slots(text, model)
    chosen = decode(slots, model)
    pieces, cursor = [], 0
    for index, (slot, choice) in enumerate(zip(slots, chosen, strict=True)):
        seen = slot.options[0][0]
        if not slot.editable or choice == seen:
            continue
        if seen in model.forms(fold(seen)) and not _supported(model, chosen, index):
            continue
        pieces += [text[cursor : slot.start], apply_case(text[slot.start : slot.end], choice)]
        cursor = slot.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _supported(model: NgramModel, chosen: list[str], index: int) -> bool:
    """True when the chosen form makes a known bigram with a neighbour (context, not just its
    own frequency, speaks for it)."""
    before = chosen[index - 1] if index else BOS
    after = chosen[index + 1] if index + 1 < len(chosen) else None
    word = chosen[index]
    return f"{before} {word}" in model.bigrams or (
        after is not None and f"{word} {after}" in model.bigrams
    )


def _tokens(text: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, protected) of the raw tokens, paragraph breaks included; protected: inside
    a chunk between spaces that holds a number, address or symbol."""
    for chunk in _CHUNK_RE.finditer(text):
        protected = _PROTECTED_RE.search(chunk.group()) is not None
        for match in _TOKEN_RE.finditer(chunk.group()):
            yield chunk.start() + match.start(), chunk.start() + match.end(), protected
        paragraph = _PARAGRAPH_RE.match(text, chunk.end())
        if paragraph:
            yield paragraph.start(), paragraph.end(), True


def _name_words(text: str, tokens: list[tuple[int, int, bool]]) -> set[int]:
    """Indexes of tokens inside a personal name: a run of capitalised words, on one line and
    apart only by spaces, at least MIN_NAME_WORDS long and led by a surname."""
    protected: set[int] = set()
    run: list[int] = []

    def close() -> None:
        if len(run) >= MIN_NAME_WORDS and fold(text[slice(*tokens[run[0]][:2])]).lower() in (
            _SURNAMES
        ):
            protected.update(run)
        run.clear()

    for index, (start, end, _) in enumerate(tokens):
        word = text[start:end]
        joined = run and text[tokens[run[-1]][1] : start] in (" ", "")
        if word[0].isalpha() and word[0].isupper() and (not run or joined):
            run.append(index)
            continue
        close()
        if word[0].isalpha() and word[0].isupper():
            run.append(index)
    close()
    return protected


def _slots(text: str, model: NgramModel) -> list[Slot]:
    tokens = list(_tokens(text))
    names = _name_words(text, tokens)
    slots = []
    for index, (start, end, protected) in enumerate(tokens):
        raw = text[start:end]
        token = model_token(raw)
        fixed = protected or index in names or not raw[0].isalpha()
        fixed = fixed or _ROMAN_RE.fullmatch(raw) is not None or (len(raw) == 1 and raw.isascii())
        price = NAME_CHANGE if _inside_sentence(text, start) and raw.istitle() else MARK_CHANGE
        options = ((token, 0.0),) if fixed else _options(token, model, price)
        slots.append(Slot(start, end, options, len(options) > 1))
    return slots


def _inside_sentence(text: str, start: int) -> bool:
    """True when the word at ``start`` follows another on its line, not a sentence's end."""
    before = text[:start].rsplit("\n", 1)[-1].rstrip()
    return bool(before) and before[-1] not in ".:;!?-–•+*)"


def _options(seen: str, model: NgramModel, price: float) -> tuple[tuple[str, float], ...]:
    """(form, channel log-price) pairs for a lower-case syllable as OCR read it, itself first."""
    forms = model.forms(fold(seen))
    extra = 0.0
    if not forms and "rn" in seen:
        forms, extra = model.forms(fold(seen.replace("rn", "m"))), RN_CHANGE
    others = [form for form in forms if form != seen]
    return ((seen, 0.0), *((form, extra + price * _marks_changed(seen, form)) for form in others))


def _marks_changed(seen: str, form: str) -> int:
    """How many marks differ between two syllables of the same letters: the tone, and each
    vowel's hat, breve or horn and d's bar. Forms of other letters ('rn' → 'm') count their
    tone only, over and above their own price."""
    seen_bare, seen_tone = split_tone(seen)
    form_bare, form_tone = split_tone(form)
    quality = 0
    if len(seen_bare) == len(form_bare):
        quality = sum(a != b for a, b in zip(seen_bare, form_bare, strict=True))
    return quality + (seen_tone != form_tone)
