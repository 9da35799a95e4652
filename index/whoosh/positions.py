"""Word positions Whoosh can keep, and phrases read from them with numpy.

Whoosh checks a phrase one letter at a time in Python, unpickling each posting's positions; a
phrase of common words took seconds at 100k letters. Here positions are kept as packed uint32
(`PackedPositions`), so a term's postings become two arrays (letter, position) a posting block
at a time, and a phrase is the intersection of its words' (letter, position - offset) keys:
array operations, whatever the number of letters holding the words.

Whoosh pickles formats into the index with the schema: `PackedPositions` must stay importable
under this module path (`index.whoosh.positions`); changing it means bumping `SCHEMA_VERSION`
in index.whoosh.schema.
"""

from __future__ import annotations

import logging
import sys
from array import array
from collections.abc import Iterator
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.formats import Positions
from whoosh.matching import FilterMatcher

log = logging.getLogger(__name__)

_POSITION = np.dtype("<u4")
_SHIFT = 32  # a key is (letter number << 32) | position


class PackedPositions(Positions):
    """Whoosh's `Positions`, each posting's positions packed as little-endian uint32 (its
    frequency is the length / 4) instead of a pickled list of deltas."""

    def encode(self, poslist: list[int]) -> bytes:
        packed = array("I", poslist)  # 4 bytes wherever numpy runs
        if sys.byteorder == "big":
            packed.byteswap()
        return packed.tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return np.frombuffer(valuestring, dtype=_POSITION).tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 4

    def decode_weight(self, valuestring: bytes) -> float:
        return self.decode_frequency(valuestring) * self.field_boost


def has_packed_positions(reader: Any, fieldname: str) -> bool:
    return isinstance(reader.schema[fieldname].format, PackedPositions)


def term_positions(reader: Any, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """(letter numbers, positions) of every posting of a term, one entry per occurrence, as
    int64 arrays (letters ascending). Deleted letters are left in: the caller's live bitmap
    drops them."""
    parts = [block for leaf, offset in reader.leaf_readers()
             if (fieldname, text) in leaf
             for block in _blocks(_unfiltered(leaf.postings(fieldname, text)), offset)]
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]))


def phrase_letters(reader: Any, fieldname: str, words: list[str],
                   candidates: np.ndarray) -> np.ndarray:
    """The letters among `candidates` (a bool array by letter number: those holding every
    word) where `words` follow each other, positions one apart."""
    return phrase_counts(reader, fieldname, words, candidates)[0]


def phrase_counts(reader: Any, fieldname: str, words: list[str],
                  candidates: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(letters, how many times in each) where `words` follow each other, positions one
    apart, among `candidates` (a bool array by letter number; None: every letter)."""
    starts: np.ndarray | None = None
    for offset, word in enumerate(words):
        letters, positions = term_positions(reader, fieldname, word)
        keep = positions >= offset
        if candidates is not None:
            keep &= candidates[letters]
        keys = np.unique((letters[keep] << _SHIFT) | (positions[keep] - offset))
        starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
        if not len(starts):
            break
    if starts is None or not len(starts):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.unique(starts >> _SHIFT, return_counts=True)


def _unfiltered(matcher: Any) -> Any:
    while isinstance(matcher, FilterMatcher):  # deleted documents: the live bitmap drops them
        matcher = matcher.child
    return matcher


def _blocks(matcher: Any, offset: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(letters, positions) of a posting list, a block at a time when Whoosh allows it."""
    if not isinstance(matcher, W3LeafMatcher):
        letters: list[int] = []
        positions: list[int] = []
        while matcher.is_active():
            found = matcher.value_as("positions")
            letters += [matcher.id()] * len(found)
            positions += found
            matcher.next()
        yield (np.array(letters, dtype=np.int64) + offset, np.array(positions, dtype=np.int64))
        return
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        ids = np.array(matcher._data[0], dtype=np.int64)
        if not matcher._byteids:
            ids = np.cumsum(ids)  # Whoosh stores a block's ids as deltas
        values = matcher._data[2]  # one packed bytes value per posting
        start = matcher._i
        values = values[start:] if start else values
        counts = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) // 4
        positions = np.frombuffer(b"".join(values), dtype=_POSITION).astype(np.int64)
        yield np.repeat(ids[start:] + offset, counts), positions
        matcher._next_block()
