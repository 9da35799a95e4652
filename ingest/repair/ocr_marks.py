"""Correct the marks Tesseract's Vietnamese model reads wrong on scanned pages.

On real scans the letters of a syllable are mostly right while its marks are not: 'đôi' for
'đổi', 'tĩnh' for 'tỉnh', 'Lâm Đông' for 'Lâm Đồng', 'Uy ban' for 'Ủy ban', 'Qũy' for 'Quỹ',
'Ð' (U+00D0, Icelandic eth) for 'Đ', 'rn' for 'm'. Every syllable may become any known syllable
with the same letters (the trigram model of :mod:`diacritics`); a noisy channel charges
each mark changed, so the beam search keeps what OCR read unless the context prefers another
form by a wide margin, and a change that only the other form's frequency supports (no bigram
with a neighbouring word seen more often than OCR's form makes) is undone: a rare but correct
syllable stays.

Document numbers and symbols (``QĐ-UBND``), Roman numerals, one-letter list labels and personal
names (three or more capitalised words after a surname) are never touched. Meant for OCR'd pages
only: typed text is what its author typed. A page with few marks is the restorer's job
(:func:`ingest.repair.diacritics.restore_diacritics`), so it is left as it is here.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator

from ingest.extract.layout import SURNAMES
from ingest.folding import KeepOthers, strip_marks
from ingest.repair.diacritics import Slot, apply_case, decode, has_few_diacritics, load_model
from ingest.repair.diacritics_model import NgramModel, model_token, split_tone

# The log-price of one mark changed (a tone, or a vowel's hat, breve or horn, or đ's bar) on
# a syllable OCR read as a known one: the other form must be ~100 times likelier in context.
MARK_CHANGE = math.log(1 / 100)
RN_CHANGE = math.log(1 / 20)  # 'rn' read for 'm' ('ngưòi' aside, r is only ever initial)
# A change needs a neighbouring word whose bigram with the new form the model has seen this
# many times as often as with OCR's form ('lâm đồng' 452 times, 'lâm đông' never).
SUPPORT = 20
# A capitalised word inside a sentence is mostly a name ('huyện Thới Bình', 'sông Thạch Hãn'):
# only a name the model knows well ('Lâm Đông' → 'Lâm Đồng') is changed, on ten times the
# evidence, from the name's other words alone.
NAME_SUPPORT = 200
# OCR's form is kept when it makes a pair the model has seen this often with a neighbouring
# word ('công chứng số' stays, though 'công chúng' is more frequent).
ATTESTED = 2
STRICT = False
MIN_NAME_WORDS = 3
_ETH = KeepOthers(str.maketrans({"\u00d0": "Đ", "\u00f0": "đ", "\u0189": "Đ", "\u0256": "đ"}))
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
    slots, titled, inside = _slots(text, model)
    chosen = decode(slots, model)
    read = [model_token(text[slot.start : slot.end]) for slot in slots]  # as OCR read it
    changes = {}
    for index, (slot, choice) in enumerate(zip(slots, chosen, strict=True)):
        seen = read[index]
        if not slot.editable or choice == seen:
            continue
        known = seen in model.forms(strip_marks(seen))
        names = titled if index in inside else None
        if not known or _supported(model, read, index, choice, names):
            changes[index] = choice
    pieces, cursor = [], 0
    for index, choice in sorted(changes.items()):
        slot = slots[index]
        pieces += [text[cursor : slot.start], apply_case(text[slot.start : slot.end], choice)]
        cursor = slot.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _supported(
    model: NgramModel, read: list[str], index: int, word: str, names: set[int] | None
) -> bool:
    """True when the words around speak for the chosen form, not just its own frequency: with
    a neighbouring word (across a comma: 'phòng, chống'), it makes a bigram the model has seen
    SUPPORT times more often than the one OCR's form makes, no neighbour prefers OCR's form,
    OCR's form makes no pair seen ATTESTED times, and either every neighbouring word prefers
    the new form or a trigram around it does. Punctuation alone is no context (', quân'
    against ', quận'). A capitalised word inside a sentence is part of a name: only the
    name's other capitalised words (``names``) are its context, with NAME_SUPPORT ('Lâm Đông'
    → 'Lâm Đồng', never 'thành phố Đà' → 'Đá'). The neighbours are taken as OCR read them,
    so that two changes never vouch for each other ('Đà Lạt' → 'Đá Lát')."""
    seen = read[index]
    pairs = _neighbour_pairs(read, index, word, seen, names)
    ratios = [
        (model.bigrams.get(new, 0) + 0.5) / (model.bigrams.get(old, 0) + 0.5)
        for new, old in pairs
    ]
    if not ratios or min(ratios) < 1 or max(ratios) < (SUPPORT if names is None else NAME_SUPPORT):
        return False
    if any(model.bigrams.get(old, 0) >= ATTESTED for _, old in pairs):
        return False  # OCR's form makes a known pair with a neighbour: a plausible reading
    return min(ratios) > 1 or any(
        model.trigrams.get(new, 0) > model.trigrams.get(old, 0)
        for new, old in _trigram_pairs(read, index, word, seen)
    )


def _trigram_pairs(read: list[str], index: int, word: str, seen: str) -> list[tuple[str, str]]:
    """(trigram with the chosen form, the same with OCR's form) for each window holding it."""
    pairs = []
    for first in range(max(index - 2, 0), min(index, len(read) - 3) + 1):
        window = read[first : first + 3]
        window[index - first] = word
        new = " ".join(window)
        window[index - first] = seen
        pairs.append((new, " ".join(window)))
    return pairs


def _neighbour_pairs(
    read: list[str], index: int, word: str, seen: str, names: set[int] | None
) -> list[tuple[str, str]]:
    """(bigram with the new form, the same with OCR's form) for the words either side
    (only words of ``names``, when given)."""
    pairs = []
    before = index - 1 - (index > 1 and read[index - 1] == ",")
    after = index + 1 + (index + 2 < len(read) and read[index + 1] == ",")
    if names is not None:
        before = index - 1 if index - 1 in names else -1
        after = index + 1 if index + 1 in names else len(read)
    if before >= 0 and read[before][0].isalpha():
        pairs.append((f"{read[before]} {word}", f"{read[before]} {seen}"))
    if after < len(read) and read[after][0].isalpha():
        pairs.append((f"{word} {read[after]}", f"{seen} {read[after]}"))
    return pairs


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
        if len(run) >= MIN_NAME_WORDS and strip_marks(text[slice(*tokens[run[0]][:2])]).lower() in (
            SURNAMES
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


def _slots(text: str, model: NgramModel) -> tuple[list[Slot], set[int], set[int]]:
    """The slots to decode, the indexes of capitalised words, and of those inside a sentence
    (names)."""
    tokens = list(_tokens(text))
    names = _name_words(text, tokens)
    slots, titled, inside = [], set(), set()
    for index, (start, end, protected) in enumerate(tokens):
        raw = text[start:end]
        token = model_token(raw)
        fixed = protected or index in names or not raw[0].isalpha()
        fixed = fixed or _ROMAN_RE.fullmatch(raw) is not None or (len(raw) == 1 and raw.isascii())
        if raw.istitle():
            titled.add(index)
            if _inside_sentence(text, start):
                inside.add(index)
        options = ((token, 0.0),) if fixed else _options(token, model)
        slots.append(Slot(start, end, options, options != ((token, 0.0),)))
    return slots, titled, inside


def _inside_sentence(text: str, start: int) -> bool:
    """True when the word at ``start`` follows another on its line, not a sentence's end."""
    before = text[:start].rsplit("\n", 1)[-1].rstrip()
    return bool(before) and before[-1] not in ".:;!?-–•+*)"


def _options(seen: str, model: NgramModel) -> tuple[tuple[str, float], ...]:
    """(form, channel log-price) pairs for a lower-case syllable as OCR read it, itself first."""
    forms = model.forms(strip_marks(seen))
    extra = 0.0
    if not forms and "rn" in seen:
        forms, extra = model.forms(strip_marks(seen.replace("rn", "m"))), RN_CHANGE
    others = tuple(
        (form, extra + MARK_CHANGE * _marks_changed(seen, form)) for form in forms if form != seen
    )
    if others and seen not in forms and strip_marks(seen) != seen:
        # marks that make no syllable ('säc', 'qũy'): one of its forms is meant; a word
        # without marks may be foreign or a name ('Hit', 'Truyen'), it may stay
        return others
    return ((seen, 0.0), *others)


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
