"""What Tesseract's English model writes for Vietnamese letters: a small confusion channel.

Measured on rendered letters OCR'd with ``-l eng`` (the way the Đồng Tháp seed was made): marks
are mostly dropped (``đ → d``, ``ạ → a``), and the rest come out as a handful of stand-ins:
``é`` for any ê-family vowel and often ô/ơ (``viéc``, ``khéng``), ``6`` for ố/ổ/ộ (``c6``,
``t6 chuc``), ``d``/``b``/``g`` for ơ-family vowels (``ngudi``, ``dbi``, ``dugc``), ``w``/``t``/
``v``/``i`` for ư (``phwong``, ``tht``), ``1`` for l (``1a``), ``P`` for a word-initial Đ
(``Pong Thap``). :func:`variants` lists the folded syllables an OCR'd token may stand for, each
with the number of such substitutions, so the language model can weigh them.
"""

from __future__ import annotations

import itertools

from ingest.folding import strip_marks

# OCR character → folded letters it may stand for, besides itself.
CONFUSIONS: dict[str, str] = {
    "é": "o",
    "6": "o",
    "d": "oa",
    "b": "o",
    "g": "o",
    "w": "u",
    "t": "u",
    "v": "u",
    "i": "ua",
    "q": "o",
    "1": "l",
    "4": "a",
    "8": "e",
}
# Two OCR characters for one ư (chifc, nhitng, ngtra, thirc, lttra): never word-initial.
PAIR_STANDINS = ("if", "it", "ir", "iv", "tr", "tt", "tv", "tf")
DIGIT_STANDINS = "1468"
# What a stand-in digit may be in the restored syllable: 6 is an o with a hat or acute, never
# a plain o or ơ; 8 is an ê.
DIGIT_LETTERS = {"6": "óôốồổỗộ", "8": "êếềểễệ"}


def fits_digits(token: str, form: str) -> bool:
    """True when ``form`` has, at each stand-in digit of ``token``, a letter it may stand for."""
    return len(token) == len(form) and all(
        form[i] in DIGIT_LETTERS[c] for i, c in enumerate(token) if c in DIGIT_LETTERS
    )
MAX_SUBSTITUTIONS = 2


def is_mixed_word(chunk: str) -> bool:
    """True for a chunk like ``c6`` or ``kh6ng``: 2–6 characters, one stand-in digit, letters."""
    digits = [c for c in chunk if c.isdigit()]
    return (
        2 <= len(chunk) <= 6
        and len(digits) == 1
        and digits[0] in DIGIT_STANDINS
        and all(c.isalpha() or c.isdigit() for c in chunk)
    )


def variants(token: str) -> list[tuple[str, int]]:
    """Folded lower-case syllables ``token`` may stand for, with their substitution counts.

    A digit must be substituted; letters keep their folding or take one of their stand-ins,
    at most :data:`MAX_SUBSTITUTIONS` substitutions in all. Fewest substitutions first.
    """
    lowered = token.lower()
    base = [strip_marks(c) for c in lowered]
    alternatives = {i: CONFUSIONS.get(c, "") for i, c in enumerate(lowered)}
    if lowered[:1] == "p" and lowered[1:2] != "h":
        alternatives[0] += "d"
    forced = [i for i, c in enumerate(lowered) if c.isdigit()]
    optional = [i for i, alts in alternatives.items() if alts and i not in forced]
    found: dict[str, int] = {}
    for size in range(MAX_SUBSTITUTIONS + 1 - len(forced)):
        for chosen in itertools.combinations(optional, size):
            positions = [*forced, *chosen]
            for letters in itertools.product(*(alternatives[i] for i in positions)):
                candidate = list(base)
                for i, letter in zip(positions, letters, strict=True):
                    candidate[i] = letter
                found.setdefault("".join(candidate), len(positions))
    for index in range(1, len(lowered) - 1):
        if lowered[index : index + 2] in PAIR_STANDINS and not forced:
            found.setdefault("".join([*base[:index], "u", *base[index + 2 :]]), 1)
    return sorted(found.items(), key=lambda item: item[1])
