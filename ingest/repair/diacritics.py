"""Restore the diacritics of Vietnamese text read without them (OCR with the English model).

>>> restore_diacritics("UY BAN NHAN DAN TINH")
'ỦY BAN NHÂN DÂN TỈNH'

Each folded syllable gets its candidate diacritised forms from a syllable trigram model
(``ingest/data/diacritics-trigram.json.gz``); a beam search picks the likeliest sequence and the
original capitalisation is put back letter by letter. Numbers, punctuation, URLs and document
numbers (``04/UBND-NCPC``) are never touched. A syllable that already carries marks is kept
when it is a known Vietnamese syllable; one with stray OCR marks (``viéc``) is treated as
folded. Tokens that the English OCR model garbled in its usual ways (``c6``, ``khéng``,
``Pong``, ``chifc``) are read through a small confusion channel (``diacritics_channel``).
Meant for pages that :func:`has_few_diacritics` flags; other text is returned unchanged.
Benchmark: ``python -m bench.diacritics`` (results in ``bench/diacritics.md``).
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.folding import strip_marks
from ingest.repair.diacritics_channel import fits_digits, is_mixed_word, variants
from ingest.repair.diacritics_model import (
    BOS,
    MODEL_PATH,
    VOWELS,
    NgramModel,
    has_marks,
    iter_tokens,
    model_token,
)

log = logging.getLogger(__name__)

BEAM_WIDTH = 12
FEW_DIACRITICS_SHARE = 0.02
SUBSTITUTION_PENALTY = math.log(0.02)
_CHUNK_RE = re.compile(r"\S+")
_PARAGRAPH_RE = re.compile(r"\n[ \t]*\n")
_EDGE_PUNCTUATION = ".,;:!?()[]{}“”\"'‘’«»…"
_PROTECTED_RE = re.compile(r"\d|@|_|&|\w[./\-:]\w")
_ADDRESS_RE = re.compile(r"@|://|www\.", re.IGNORECASE)
_ROMAN_RE = re.compile(r"[IVXLC]+")
_OCR_SIGN_RE = re.compile(r"[\dé]|^P(?!h)", re.IGNORECASE)
_DIGIT_RE = re.compile(r"\d")
_LETTER_RE = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Slot:
    """One token of the text: where it is and the model tokens it may become."""

    start: int
    end: int
    options: tuple[tuple[str, float], ...]
    editable: bool


def has_few_diacritics(text: str, max_share: float = FEW_DIACRITICS_SHARE) -> bool:
    """True when fewer than ``max_share`` of the letters carry a Vietnamese-only mark.

    Vietnamese-only means outside Latin-1 (ă ơ ư đ ạ ả ế …): the English OCR model and Western
    code pages produce é, à, ô and the like as noise (the Đồng Tháp seed has 4.5% é), never
    these. Ordinary Vietnamese prose has about 15% of them. A text without letters gives False.
    """
    letters = _LETTER_RE.findall(unicodedata.normalize("NFC", text))
    if not letters:
        return False
    marked = sum(1 for c in letters if ord(c) > 0xFF and strip_marks(c) != c)
    return marked < max_share * len(letters)


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> NgramModel:
    """The trained model, read once per process."""
    log.debug("loading diacritics model %s", path)
    return NgramModel.load(path)


def restore_diacritics(text: str, model: NgramModel | None = None) -> str:
    """Return NFC ``text`` with the diacritics of its unmarked syllables restored.

    A text that does not have few diacritics (:func:`has_few_diacritics`) is returned as it
    is (in NFC): its unmarked syllables are taken to be unmarked on purpose.
    """
    text = unicodedata.normalize("NFC", text)
    if not has_few_diacritics(text):
        return text
    model = model or load_model()
    slots = _slots(text, model)
    best = decode(slots, model)
    pieces, cursor = [], 0
    for slot, choice in zip(slots, best, strict=True):
        if not slot.editable or choice == model_token(text[slot.start : slot.end]):
            continue
        original = text[slot.start : slot.end]
        pieces += [text[cursor : slot.start], apply_case(original, choice)]
        cursor = slot.end
    pieces.append(text[cursor:])
    return "".join(pieces)


WORD, SYMBOL, FIXED = "word", "symbol", "fixed"


def _tokens(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of the raw tokens; a chunk like ``c6`` is one word token.

    Inside a chunk between spaces that holds a number or symbol (``30/2020/ND-CP``,
    ``1524/Ngay``), a letter run is a SYMBOL: only its known forms may replace it (``NĐ``,
    ``Ngày``), never the OCR channel; a one-letter run there (``V/v``), any other token there,
    and everything in an address (``@``, ``://``, ``www.``) are FIXED.
    """
    for chunk in _CHUNK_RE.finditer(text):
        core = chunk.group().strip(_EDGE_PUNCTUATION)
        offset = chunk.start() + chunk.group().index(core) if core else chunk.start()
        mixed = is_mixed_word(core)
        protected = not mixed and _PROTECTED_RE.search(chunk.group()) is not None
        address = _ADDRESS_RE.search(chunk.group()) is not None
        for match in iter_tokens(chunk.group()):
            start, end = chunk.start() + match.start(), chunk.start() + match.end()
            if mixed and offset <= start < offset + len(core):
                if start == offset:
                    yield offset, offset + len(core), WORD
                continue
            letters = match.group()[0].isalpha() and end - start > 1
            kind = WORD if not protected else SYMBOL if letters and not address else FIXED
            yield start, end, kind
        if text[chunk.end() : chunk.end() + 1] == "\n":
            yield from _paragraph_break(text, chunk.end())


def _paragraph_break(text: str, position: int) -> Iterator[tuple[int, int, str]]:
    match = _PARAGRAPH_RE.match(text, position)
    if match:
        yield match.start(), match.end(), FIXED


def _slots(text: str, model: NgramModel) -> list[Slot]:
    slots = []
    for start, end, kind in _tokens(text):
        raw = text[start:end]
        token = model_token(raw)
        if kind == WORD:
            options = _options(raw, token, model)
        elif kind == SYMBOL and _symbol_forms(raw, token, model):
            options = tuple((form, 0.0) for form in _symbol_forms(raw, token, model))
        else:
            options = ((token, 0.0),)
        slots.append(Slot(start, end, options, len(options) > 1 or options[0][0] != token))
    return slots


def _symbol_forms(raw: str, token: str, model: NgramModel) -> list[str]:
    """Forms a letter run inside a number or symbol may take: a word written in it as a word
    (``1524/Ngay``, ``/So``), or the đ of an abbreviation in capitals (``ND``, ``HDND``,
    ``BLDTBXH``: known forms without a vowel); a capital run that spells a syllable is an
    abbreviation whose marks cannot be told (``CAT`` for Công an tỉnh, never ``CẮT``)."""
    if has_marks(token):
        return []
    forms = model.forms(token)
    if raw.isupper():
        return [form for form in forms if not VOWELS.intersection(strip_marks(form))]
    return forms


def _options(raw: str, token: str, model: NgramModel) -> tuple[tuple[str, float], ...]:
    """(model token, channel log-penalty) pairs a raw token may stand for.

    A syllable with marks other than the English model's stand-in ``é`` is kept when it is a
    known syllable; an unmarked one may be any known form of its folding. A token that folds
    to no syllable (``dbi``, ``ngudi``) or shows a sign of English OCR (a digit, ``é``, an
    initial ``P`` not in ``Ph``: ``c6``, ``vé``, ``Pang``) is read through the OCR channel.
    """
    if not raw[0].isalnum() or raw.isdigit() or _ROMAN_RE.fullmatch(raw):
        return ((token, 0.0),)
    if strip_marks(token) != token.replace("é", "e") and token in model.forms(strip_marks(token)):
        return ((token, 0.0),)
    forms = model.forms(strip_marks(token))
    if forms == [strip_marks(token)] and raw.isupper():
        return ((token, 0.0),)  # an abbreviation the model knows: TT, UBND
    if forms and forms != [strip_marks(token)] and not _OCR_SIGN_RE.search(raw):
        return tuple((form, 0.0) for form in forms)
    options = tuple(
        (form, edits * SUBSTITUTION_PENALTY)
        for folded, edits in variants(raw)
        for form in model.forms(folded)
        if fits_digits(raw, form) or not _DIGIT_RE.search(raw)
    )
    return options or ((token, 0.0),)


def decode(slots: list[Slot], model: NgramModel) -> list[str]:
    """Beam search over trigram states; returns the chosen model token of every slot."""
    State = tuple[str, str]
    beam: dict[State, float] = {(BOS, BOS): 0.0}
    history: list[dict[State, State]] = []
    for slot in slots:
        scores: dict[State, float] = {}
        back: dict[State, State] = {}
        for (a, b), score in beam.items():
            for c, penalty in slot.options:
                total = score + penalty + model.logscore(a, b, c)
                if total > scores.get((b, c), float("-inf")):
                    scores[(b, c)], back[(b, c)] = total, (a, b)
        beam = dict(sorted(scores.items(), key=lambda item: item[1], reverse=True)[:BEAM_WIDTH])
        history.append(back)
    if not slots:
        return []
    state = max(beam, key=beam.__getitem__)
    chosen = []
    for back in reversed(history):
        chosen.append(state[1])
        state = back[state]
    return chosen[::-1]


def apply_case(original: str, restored: str) -> str:
    """Copy the capitalisation of ``original`` onto ``restored`` letter by letter (or as a
    whole word when the OCR channel changed the length: ``Str`` → ``Sử``)."""
    if len(original) != len(restored):
        if original.isupper() and len(original) > 1:
            return restored.upper()
        return restored[0].upper() + restored[1:] if original[0].isupper() else restored
    return "".join(
        new.upper() if old.isupper() else new for old, new in zip(original, restored, strict=True)
    )
