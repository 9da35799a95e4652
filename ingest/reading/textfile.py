"""Decode a plain-text letter: Unicode with or without BOM, legacy Vietnamese, other code pages.

A letter in Unicode with a few damaged bytes (a stray byte from a bad copy, a cut-off last
character) is still read: the damaged bytes become U+FFFD and a warning says so. Bytes that no
encoding makes text of are refused as undecodable.
"""

from __future__ import annotations

import codecs
import logging
import unicodedata
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

from ingest.errors import UndecodableText
from ingest.repair.legacy import TCVN3, VNI, decode_legacy, repair_text, vietnamese_share

log = logging.getLogger(__name__)

_BOMS = (  # UTF-32 LE first: its BOM starts with UTF-16 LE's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
MIN_VIETNAMESE_SHARE = 0.3  # of accented words that spell syllables, for a one-byte encoding
# A file that says it is Unicode (BOM, UTF-16 NULs) may have this share of its characters
# damaged and still be read; more is not a letter with a few bad bytes.
MAX_DAMAGED_SHARE = 0.01
# UTF-16 without a BOM shows a NUL in the code unit of every ASCII character (a third of the bytes
# and more in Vietnamese text); a few NULs in UTF-8 text are stray bytes (seen in text layers
# exported from PDFs), not a hint of UTF-16.
MIN_UTF16_NUL_SHARE = 0.1
# UTF-8 without a BOM must prove itself: this many well-formed non-ASCII characters per damaged
# sequence (a Vietnamese letter has hundreds; text in a one-byte code page has almost none).
MIN_GOOD_PER_DAMAGED = 20
_UNDECODABLE = (
    "the text encoding could not be recognised; save the file as UTF-8 (in Notepad: "
    "File → Save as → Encoding: UTF-8) and ingest it again"
)


@dataclass
class DecodedText:
    text: str
    warnings: list[str] = field(default_factory=list)  # for the ingest report, in English


def decode_text(data: bytes) -> DecodedText:
    """Unicode NFC text of a text file, with legacy encodings and mojibake repaired."""
    decoded = _decode_unicode(data)
    if decoded is not None:
        decoded.text = repair_text(decoded.text)
    else:
        decoded = DecodedText(_decode_8bit(data))
    text = unicodedata.normalize("NFC", decoded.text)
    decoded.text = text.replace("\r\n", "\n").replace("\r", "\n")
    return decoded


def _decode_unicode(data: bytes) -> DecodedText | None:
    """The text if the bytes are UTF-8/16/32 (by BOM, by NUL pattern, or UTF-8 with at most a
    few damaged bytes among many good characters)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _declared(data, codec, len(bom))
    nuls = data.count(0)
    if nuls >= MIN_UTF16_NUL_SHARE * len(data):
        return _declared(data, _utf16_without_bom(data), 0)
    decoded = _decode_utf8(data)
    if decoded is not None and nuls:
        decoded.text = decoded.text.replace("\x00", "")
        decoded.warnings.append(f"{nuls} NUL byte(s) in the text were dropped")
    return decoded


def _decode_utf8(data: bytes) -> DecodedText | None:
    """UTF-8, or UTF-8 with at most a few damaged bytes among many good characters."""
    try:
        return DecodedText(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        first = error.start
    text, damaged = _replacing(data, "utf-8")
    good = sum(1 for c in text if not c.isascii()) - damaged
    if good < MIN_GOOD_PER_DAMAGED * damaged:
        return None  # not UTF-8 with a few bad bytes: try the one-byte encodings
    return DecodedText(text, [_damaged_warning(damaged, first, "UTF-8")])


def _declared(data: bytes, codec: str, start: int) -> DecodedText:
    """Text in the Unicode encoding the file declares; a few damaged bytes are replaced."""
    try:
        return DecodedText(data[start:].decode(codec))
    except UnicodeDecodeError as error:
        first = start + error.start
    text, damaged = _replacing(data[start:], codec)
    if damaged > max(1.0, MAX_DAMAGED_SHARE * len(text)):
        raise UndecodableText(
            f"the file says it is {codec.upper()} but is damaged at byte {first} and "
            f"{damaged - 1} other places; save it again as UTF-8"
        )
    return DecodedText(text, [_damaged_warning(damaged, first, codec.upper())])


def _replacing(data: bytes, codec: str) -> tuple[str, int]:
    """The text with each undecodable byte sequence as U+FFFD, and how many were replaced."""
    text = data.decode(codec, errors="replace")
    return text, text.count("\ufffd") - data.count("\ufffd".encode(codec))


def _damaged_warning(damaged: int, first: int, encoding: str) -> str:
    places = "1 place" if damaged == 1 else f"{damaged} places"
    return (
        f"the text is {encoding} with undecodable bytes in {places} (first at byte {first}); "
        "they were replaced by \ufffd (U+FFFD) and the rest was archived"
    )


def _decode_8bit(data: bytes) -> str:
    """A one-byte encoding: whichever of TCVN3, VNI and Windows-1258 spells Vietnamese best,
    else charset-normalizer's guess."""
    as_latin = _as_cp1252(data)
    candidates = [
        decode_legacy(as_latin, TCVN3),
        decode_legacy(as_latin, VNI),
        unicodedata.normalize("NFC", data.decode("cp1258", errors="replace")),
    ]
    best = max(candidates, key=vietnamese_share)
    if vietnamese_share(best) >= MIN_VIETNAMESE_SHARE:
        return best
    return _guess(data)


def _utf16_without_bom(data: bytes) -> str:
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    return "utf-16-be" if even_nuls > odd_nuls else "utf-16-le"


def _latin1_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("congvan-latin1", _latin1_fallback)


def _as_cp1252(data: bytes) -> str:
    """cp1252 where it defines a byte, Latin-1 for its five holes: never fails."""
    return data.decode("cp1252", errors="congvan-latin1")


def _guess(data: bytes) -> str:
    match = from_bytes(data).best()
    if match is None or match.chaos > 0.3 or match.coherence < 0.01:  # no language recognised
        raise UndecodableText(_UNDECODABLE)
    log.debug("decoded text as %s", match.encoding)
    return unicodedata.normalize("NFC", str(match))
