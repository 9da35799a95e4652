"""How the catalog keeps a letter's text once (issue 15): zlib, with the text as the preset
dictionary of everything that repeats it.

A letter's text is compressed on its own. Its metadata record (the text left out) and its pages'
texts are compressed with the letter's text as zlib's preset dictionary, so what they repeat of
it costs a few bytes: a page is the text as read, before cleaning; the subject, the tasks and
the names are pieces of the text. A letter stored so took 34–36 KB of catalog (its text three
times over, plain); about a third of that now. The originals stay byte for byte in the archive.

Only the catalog module (catalog_sql.py) calls these, and it keeps one rule: whatever is packed
with a letter's text is packed again whenever that text changes.
"""

from __future__ import annotations

import hashlib
import zlib

LEVEL = 6  # zlib's default: on generated letters level 9 saved 0.1%, level 1 cost 14% more


def pack_text(text: str) -> bytes:
    return zlib.compress(text.encode(), LEVEL)


def unpack_text(packed: bytes) -> str:
    return zlib.decompress(packed).decode()


def pack_with(value: str, letter_text: str) -> bytes:
    """`value` compressed with the letter's text as the preset dictionary (zlib uses its last
    32 KB)."""
    packer = zlib.compressobj(LEVEL, zdict=letter_text.encode())
    return packer.compress(value.encode()) + packer.flush()


def unpack_with(packed: bytes, letter_text: str) -> str:
    unpacker = zlib.decompressobj(zdict=letter_text.encode())
    return (unpacker.decompress(packed) + unpacker.flush()).decode()


def packed_stamp(*packed: bytes) -> str:
    """A digest of stored bytes: it changes when any of them does."""
    digest = hashlib.blake2b(digest_size=12)
    for part in packed:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()
