"""Decode a plain-text letter: Unicode with or without BOM, legacy Vietnamese, other code pages."""

from __future__ import annotations

import codecs
import logging
import unicodedata

from charset_normalizer import from_bytes

from .errors import UndecodableText
from .legacy import TCVN3, VNI, decode_legacy, repair_text, vietnamese_share

log = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
MIN_VIETNAMESE_SHARE = 0.3  # of accented words that spell syllables, for a one-byte encoding
_UNDECODABLE = (
    "the text encoding could not be recognised; save the file as UTF-8 (in Notepad: "
    "File → Save as → Encoding: UTF-8) and ingest it again"
)


def decode_text(data: bytes) -> str:
    """Unicode NFC text of a text file, with legacy encodings and mojibake repaired."""
    text = _decode_unicode(data)
    text = repair_text(text) if text is not None else _decode_8bit(data)
    return unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")


def _decode_unicode(data: bytes) -> str | None:
    """The text if the bytes are UTF-8/16/32 (by BOM, by NUL pattern, or valid UTF-8)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data, codec)
    if b"\x00" in data:
        return _strict(data, _utf16_without_bom(data))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


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


def _strict(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise UndecodableText(
            f"the file says it is {codec.upper()} but is damaged at byte {error.start}; "
            "save it again as UTF-8"
        ) from error


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
