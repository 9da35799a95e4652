"""Repair text in the pre-Unicode Vietnamese encodings (TCVN3/ABC, VNI) and UTF-8 mojibake.

Legacy letters reach us as bytes or glyph codes that a reader decoded as Windows-1252/Latin-1:
TCVN3 looks like `Céng hoµ x· héi chñ nghÜa ViÖt Nam`, VNI like `Coäng hoøa xaõ hoäi chuû nghóa
Vieät Nam`. `repair_text()` recognises them by converting the words that hold such characters
and checking that the result spells Vietnamese syllables, so ordinary Vietnamese, English or
French text is never touched. PDF readers can force an encoding from the font name
(`encoding_for_font`): `.VnTime*` → TCVN3, `VNI-*` → VNI.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Callable

import ftfy
from ftfy import badness

log = logging.getLogger(__name__)

TCVN3 = "tcvn3"
VNI = "vni"

# TCVN 5712:1993 (VN1, a superset of the TCVN3/ABC fonts), bytes 0x80–0xFF; checked against
# glibc's `iconv -f TCVN5712-1` in tests. 0xB0–0xB4 are combining tone marks.
_TCVN3_HIGH = (
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨ"  # 0x80
    "ÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"  # 0x90
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ"  # 0xA0
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"  # 0xB0
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # 0xC0
    "éẹềểễếệìỉỄẾỒĩíịò"  # 0xD0
    "Ổỏõóọồổỗốộờởỡớợù"  # 0xE0
    "ỖủũúụừửữứựỳỷỹýỵỐ"  # 0xF0
)

# VNI-Windows: a base letter followed by a modifier glyph. Modifiers become combining marks and
# NFC composes them with the letter before; a few letters are single glyphs.
_GRAVE, _ACUTE, _TILDE, _HOOK, _DOT = "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"
_CIRCUMFLEX, _BREVE = "\u0302", "\u0306"
_VNI_LOWER = {
    "ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "â": _CIRCUMFLEX, "á": _CIRCUMFLEX + _ACUTE, "à": _CIRCUMFLEX + _GRAVE,
    "å": _CIRCUMFLEX + _HOOK, "ã": _CIRCUMFLEX + _TILDE, "ä": _CIRCUMFLEX + _DOT,
    "ê": _BREVE, "é": _BREVE + _ACUTE, "è": _BREVE + _GRAVE,
    "ú": _BREVE + _HOOK, "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,
    "ô": "ơ", "ö": "ư", "ñ": "đ", "ó": "ĩ", "ò": "ị", "æ": "ỉ", "î": "ỵ",
}  # fmt: skip
_VNI = {**_VNI_LOWER, **{k.upper(): v.upper() for k, v in _VNI_LOWER.items()}}


def _latin_keys(byte: int) -> set[str]:
    """The characters a reader may have made of one byte: its Latin-1 and cp1252 readings."""
    cp1252 = bytes([byte]).decode("cp1252", errors="ignore")
    return {chr(byte), cp1252} - {""}


# VN1 also puts 12 capitals on control codes; the TCVN3 fonts never did, iconv still writes them
_TCVN3_CONTROLS = dict(zip(b"\x01\x02\x04\x05\x06\x11\x12\x13\x14\x15\x16\x17",
                           "ÚỤỪỬỮỨỰỲỶỸÝỴ", strict=True))
_TABLES = {
    TCVN3: {
        **{ord(k): ch for i, ch in enumerate(_TCVN3_HIGH) for k in _latin_keys(0x80 + i)},
        **_TCVN3_CONTROLS,
    },
    VNI: {ord(k): v for k, v in _VNI.items()},
}
_LEGACY_CHARS = frozenset(chr(b) for b in range(0x80, 0x100)) | frozenset(
    bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore")
)


def decode_legacy(text: str, encoding: str) -> str:
    """Convert text whose characters are TCVN3 or VNI codes read as cp1252/Latin-1 to NFC."""
    return unicodedata.normalize("NFC", text.translate(_TABLES[encoding]))


def encoding_for_font(fontname: str) -> str | None:
    """The legacy encoding a PDF font name announces (`ABCDEF+.VnTimeH` → TCVN3), if any."""
    name = fontname.split("+", 1)[-1].lower()
    if name.startswith(".vn") or (name.startswith("vn") and not name.startswith("vni")):
        return TCVN3
    if name.startswith("vni"):
        return VNI
    return None


# -- telling legacy text from real text ---------------------------------------------------------

_TONES = "\u0300\u0301\u0303\u0309\u0323"
_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
_NUCLEUS = (
    "iêu|yêu|oai|oay|oao|oeo|uây|uôi|ươi|ươu|uya|uyê|uyu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|ya|yê|"
    "a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
)
_SYLLABLE = re.compile(rf"{_ONSET}(?:{_NUCLEUS})(?:ch|ng|nh|[cmnpt])?")
_WORD_EDGES = re.compile(r"^\W+|\W+$")


def is_vietnamese_syllable(word: str) -> bool:
    """True for one spelled Vietnamese syllable (`Nghiêng`, `được`), at most one tone mark."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(decomposed.count(mark) for mark in _TONES)
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return tones <= 1 and _SYLLABLE.fullmatch(bare) is not None


def vietnamese_share(text: str) -> float:
    """Share of the words with non-ASCII letters that spell Vietnamese syllables (0 if none)."""
    words = [_WORD_EDGES.sub("", w) for w in text.split() if not w.isascii()]
    words = [w for w in words if w]
    if not words:
        return 0.0
    return sum(all(is_vietnamese_syllable(p) for p in w.split("-")) for w in words) / len(words)


_LEGACY_CHAR = re.compile("[" + re.escape("".join(sorted(_LEGACY_CHARS))) + "]")


def _legacy_words(text: str) -> list[str]:
    return [w for w in text.split() if _LEGACY_CHAR.search(w)]


class _RealVietnamese(dict[int, str | None]):
    """A `str.translate` table keeping the letters beyond Latin-1 that no legacy encoding
    writes (those of Unicode Vietnamese: ạ, ơ, ư, đ …), each character judged once."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        kept = self[code] = (char if code > 0xFF and char not in _LEGACY_CHARS
                             and char.isalpha() else None)
        return kept


_REAL_VIETNAMESE = _RealVietnamese()


class _OnlyLegacy(dict[int, str | None]):
    """A `str.translate` table keeping only the letters legacy encodings write."""

    def __missing__(self, code: int) -> str | None:
        kept = self[code] = chr(code) if chr(code) in _LEGACY_CHARS else None
        return kept


_ONLY_LEGACY = _OnlyLegacy()


def _real_vietnamese_chars(text: str) -> int:
    return len(text.translate(_REAL_VIETNAMESE))


def _syllable_share(words: list[str], encoding: str) -> float:
    good = 0
    for word in words:
        converted = _WORD_EDGES.sub("", decode_legacy(word, encoding))
        good += bool(converted) and all(is_vietnamese_syllable(p) for p in converted.split("-"))
    return good / len(words)


def detect_legacy(text: str, min_share: float = 0.6) -> str | None:
    """TCVN3 or VNI when the words holding Latin-1 letters decode to Vietnamese syllables."""
    real = _real_vietnamese_chars(text)
    if real > len(text.translate(_ONLY_LEGACY)):  # more than the words that can hold one
        return None  # (the look word by word below cost a Unicode letter ~1 ms)
    words = _legacy_words(text)
    if len(words) < 2 or real > len(words):
        return None
    shares = {enc: _syllable_share(words, enc) for enc in (TCVN3, VNI)}
    best = max(shares, key=lambda enc: shares[enc])
    return best if shares[best] >= min_share else None


# ftfy's mojibake test (`ftfy.badness.is_bad`, one regex of ~40 alternatives) was tried at every
# character of every text: ~1 ms of a letter's reading, 7% of its recipe. Every alternative
# needs a character outside ASCII; the same alternatives anchored on it (what comes before in a
# look-behind) start with a character class, which the regex engine skips to in C, so only
# those characters (~7% of a Vietnamese text) are tried. The same answer (tests compare them);
# should another ftfy change its pattern, its own test is used.
_FTFY_PATTERN_SHA256 = "9dcc0f2ac90d9ae3c85eb7b9b2c0b8a8e8126153847c2b30c91a0bb263f3b8c4"
_ANCHORED_BADNESS = r"""
    [{c1}{bad}{la}{ua}{box}{sp}{ep}{cur}{num}{law}{lc}{uc}{kao}Œœ°ÂÃÎÐ×ØÙà√≈‚вВГРСβΒΓΞΟā]
    (?:
    (?<=[{c1}])
    |
    (?<=[{bad}{la}{ua}{box}{sp}{ep}{cur}{num}{law}]) [{bad}]
    |
    (?<=[a-zA-Z][{lc}{uc}]) [{bad}]
    |
    (?<=[{bad}]) [{la}{ua}{box}{sp}{ep}{cur}{num}{law}]
    |
    (?<=[{la}{lc}{box}{ep}{cur}{num}]) [{ua}]
    |
    (?<=[{box}{ep}{cur}{num}]) [{la}]
    |
    (?<=[{la}{box}{ep}]) [{cur}]
    |
    (?<=\s[{ua}]) [{cur}]
    |
    (?<=[{ua}{box}]) [{num}{law}]
    |
    (?<=[{la}{ua}{box}{cur}{ep}]) [{sp}] [{num}]
    |
    (?<=[{la}{ua}{cur}{num}{box}{law}]) [{ep}] [{sp}]
    |
    (?<=[{cur}{num}{box}]) [{sp}]
    |
    (?<=[a-z][{ua}]) [{sp}{cur}]
    |
    (?<=[{box}]) [{kao}]
    |
    (?<=[{la}{ua}{cur}{num}{sp}{ep}{law}]) [{box}]
    |
    (?<=[{box}]) [{ep}]
    |
    (?<=[{la}{ua}]) [{sp}{ep}] \w
    |
    (?<=[Œœ]) [^A-Za-z]
    |
    (?<=[{ua}]) °
    |
    (?<=[ÂÃÎÐ]) [€œŠš¢£Ÿž\xa0\xad®©°·»{sp}{ep}–—´]
    |
    (?<=×) [²³]
    |
    (?<=[ØÙ]) [{common}{cur}{bad}{num}{sp}ŸŠ®°µ»]
      [ØÙ] [{common}{cur}{bad}{num}{sp}ŸŠ®°µ»]
    |
    (?<=à) [²µ¹¼½¾]
    |
    (?<=√) [±∂†≠®™´≤≥¥µø]
    |
    (?<=≈) [°¢]
    |
    (?<=‚) Ä[ìîïòôúùû†°¢π]
    |
    (?<=‚) [âó][àä°ê]
    |
    (?<=в) Ђ
    |
    (?<=[ВГРС]) [{c1}{bad}{sp}{ep}{cur}°µ][ВГРС]
    |
    (?<=Г) ўВЂВ.[A-Za-z ]
    |
    (?<=Ã) [\xa0¡]
    |
    (?<=[a-z][ÃÂ]) [ ]
    |
    (?<=[a-z]\s[ÃÂ]) [ ]
    |
    (?<=^[ÃÂ]) [ ]
    |
    (?<=[a-z.,?!{ep}]Â) [ {sp}{ep}]
    |
    (?<=β) €[™\xa0Ά\xad®°]
    |
    (?<=[ΒΓΞΟ]) [{c1}{bad}{sp}{ep}{cur}°][ΒΓΞΟ]
    |
    (?<=ā) €
    )
"""


def _badness_search() -> Callable[[str], object]:
    if hashlib.sha256(badness.BADNESS_RE.pattern.encode()).hexdigest() != _FTFY_PATTERN_SHA256:
        return badness.BADNESS_RE.search
    return re.compile(_ANCHORED_BADNESS.format(**_SHORT_NAMES), re.VERBOSE).search


_SHORT_NAMES = {short: badness.MOJIBAKE_CATEGORIES[name] for short, name in {
    "c1": "c1", "bad": "bad", "la": "lower_accented", "ua": "upper_accented", "box": "box",
    "sp": "start_punctuation", "ep": "end_punctuation", "cur": "currency", "num": "numeric",
    "law": "law", "lc": "lower_common", "uc": "upper_common", "kao": "kaomoji", "common": "common",
}.items()}
_BADNESS_SEARCH = _badness_search()


def looks_like_mojibake(text: str) -> bool:
    """`ftfy.badness.is_bad`, faster (see above): when it is False, ftfy leaves a text as is."""
    return _BADNESS_SEARCH(text) is not None


_LOST_D = re.compile(r"Ä\ufffd?(\w+)")  # `Đ` is UTF-8 C4 90; cp1252 has no 0x90 and drops it


def _restore_lost_d(match: re.Match[str]) -> str:
    word = "Đ" + match[1]
    return word if is_vietnamese_syllable(word) else match[0]


def repair_text(text: str) -> str:
    """Fix UTF-8-read-as-cp1252 mojibake and legacy encodings; return NFC text."""
    fixed = ftfy.fix_encoding(text) if looks_like_mojibake(text) else text
    if fixed != text:
        log.debug("repaired mojibake")
        fixed = _LOST_D.sub(_restore_lost_d, fixed)
    encoding = detect_legacy(fixed)
    if encoding is not None:
        log.debug("converted %s text to Unicode", encoding)
        fixed = "".join(  # a line holding real Vietnamese letters is Unicode already
            line if _real_vietnamese_chars(line) else decode_legacy(line, encoding)
            for line in fixed.splitlines(keepends=True)
        )
    return unicodedata.normalize("NFC", fixed)
