"""Restore the diacritics of Vietnamese text read without them (OCR with the English model).

>>> restore_diacritics("UY BAN NHAN DAN TINH")
'ỦY BAN NHÂN DÂN TỈNH'

Each folded syllable gets its candidate diacritised forms from a syllable trigram model
(``ingest/data/diacritics-trigram.json.gz``); a beam search picks the likeliest sequence and the
original capitalisation is put back letter by letter. Numbers, punctuation, URLs and document
numbers (``04/UBND-NCPC``) are never touched. A syllable that already carries marks is kept
when it is a known Vietnamese syllable; one with stray OCR marks (``viéc``) is treated as
folded. Use it only on pages that :func:`has_few_diacritics` flags.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .diacritics_model import BOS, MODEL_PATH, NgramModel, fold, iter_tokens, model_token

log = logging.getLogger(__name__)

BEAM_WIDTH = 12
FEW_DIACRITICS_SHARE = 0.02
_CHUNK_RE = re.compile(r"\S+")
_PROTECTED_RE = re.compile(r"\d|@|_|\w[./\-:]\w")
_LETTER_RE = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class _Slot:
    """One token of the text: where it is and the model tokens it may become."""

    start: int
    end: int
    options: tuple[str, ...]
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
    marked = sum(1 for c in letters if ord(c) > 0xFF and fold(c) != c)
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
    best = _decode(slots, model)
    pieces, cursor = [], 0
    for slot, choice in zip(slots, best, strict=True):
        if not slot.editable or choice == model_token(text[slot.start : slot.end]):
            continue
        original = text[slot.start : slot.end]
        pieces += [text[cursor : slot.start], _apply_case(original, choice)]
        cursor = slot.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _protected_spans(text: str) -> list[tuple[int, int]]:
    """Chunks between spaces that hold a number, URL, address or document symbol."""
    return [m.span() for m in _CHUNK_RE.finditer(text) if _PROTECTED_RE.search(m.group())]


def _slots(text: str, model: NgramModel) -> list[_Slot]:
    protected = _protected_spans(text)
    slots, index = [], 0
    for match in iter_tokens(text):
        start, end = match.span()
        while index < len(protected) and protected[index][1] <= start:
            index += 1
        inside = index < len(protected) and protected[index][0] <= start
        token = model_token(match.group())
        options = (token,) if inside else _options(match.group(), token, model)
        slots.append(_Slot(start, end, options, len(options) > 1 or options[0] != token))
    return slots


def _options(raw: str, token: str, model: NgramModel) -> tuple[str, ...]:
    """Model tokens a raw token may stand for: itself if marked and known, else its forms."""
    if not raw[0].isalpha():
        return (token,)
    folded = fold(token)
    forms = model.forms(folded)
    if token != folded and token in forms:
        return (token,)
    if not forms:
        return (token,)
    return tuple(forms)


def _decode(slots: list[_Slot], model: NgramModel) -> list[str]:
    """Beam search over trigram states; returns the chosen model token of every slot."""
    State = tuple[str, str]
    beam: dict[State, float] = {(BOS, BOS): 0.0}
    history: list[dict[State, State]] = []
    for slot in slots:
        scores: dict[State, float] = {}
        back: dict[State, State] = {}
        for (a, b), score in beam.items():
            for c in slot.options:
                total = score + model.logscore(a, b, c)
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


def _apply_case(original: str, restored: str) -> str:
    """Copy the capitalisation of ``original`` onto ``restored`` letter by letter."""
    if len(original) != len(restored):
        return original
    return "".join(
        new.upper() if old.isupper() else new for old, new in zip(original, restored, strict=True)
    )
