"""Possible duplicates of a new letter among the archived ones, found at ingest.

The same bytes are never archived twice; this finds the other copies of one letter: a scan and
the signed PDF, a draft and the issued text. A letter is a possible duplicate of an archived one
when both carry the same number, symbol and issuer, or when their texts share at least
`SIMILAR` of their shingles (character 5-grams of the folded text, so that OCR's lost marks and
line breaks do not count). The share is estimated with MinHash (128 hash functions in numpy:
datasketch, the library for it, imports scipy and took a second to load in every ingest and
worker process, for twenty lines of arithmetic); each letter's
signature and its LSH band buckets are kept in the catalog, so a new letter's candidates are
found by a lookup of its buckets instead of reading the archive's texts again. Only the letters
sharing `MIN_SHARED_BANDS` of its buckets can be similar enough, and only those are read: in an
archive of letters written from a few templates, a bucket of boilerplate holds thousands.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass

import numpy as np

from ingest.folding import fold
from ingest.model import DocumentRecord
from ingest.store.catalog import SAME_REFERENCE, SIMILAR_TEXT, CatalogStore, DuplicateFlag

SIMILAR = 0.9  # the share of shingles two texts must have in common
NUM_PERM = 128
# 16 bands of 8 values: two texts sharing 90% of their shingles share a bucket with
# probability 0.9999, texts sharing half of them 6% of the time (then the estimate decides).
BANDS, ROWS = 16, 8
SHINGLE = 5
MIN_SHINGLES = 40  # a text shorter than this says too little to compare (a photo, a stamp)
# Two texts are SIMILAR when at least MIN_EQUAL of their values are equal. The values that differ
# spoil at most as many bands, so such texts share MIN_SHARED_BANDS whole bands at least (4 of
# 16): letters sharing fewer cannot be flagged, and are never read.
MIN_EQUAL = next(n for n in range(NUM_PERM + 1) if round(n / NUM_PERM, 3) >= SIMILAR)
MIN_SHARED_BANDS = max(1, BANDS - (NUM_PERM - MIN_EQUAL))
# The hash functions: multiply-add-shift of a shingle's 32-bit hash, ((a·x + b) mod 2**64) >> 32
# with a odd (a universal family for 32-bit keys; numpy's uint64 arithmetic wraps as it should);
# fixed seeds, so that every run and every host signs a text alike.
_SEEDS = np.random.default_rng(20261206)
_A = _SEEDS.integers(0, 2**63, NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _SEEDS.integers(0, 2**63, NUM_PERM, dtype=np.uint64)

_NOT_A_WORD = re.compile(r"[\W_]+")
_BLANK_NOT_A_WORD = bytes(c if chr(c).isascii() and chr(c).isalnum() else 32 for c in range(256))


@dataclass(frozen=True)
class TextSignature:
    """A text's MinHash values (hex of NUM_PERM little-endian uint32) and its band buckets."""

    minhash: str
    buckets: list[str]


def shingles(text: str) -> set[str]:
    """The character 5-grams of the text folded to ASCII lower case, words joined by a space."""
    words = _NOT_A_WORD.sub(" ", fold(text)).strip()
    count = max(len(words) - SHINGLE + 1, 0)
    # slices made by map, not a comprehension: a text has thousands of them
    return set(map(words.__getitem__, map(slice, range(count), range(SHINGLE, count + SHINGLE))))


def shingle_codes(text: str) -> list[int]:
    """The text's `shingles`, each as the integer its five ASCII bytes spell (big-endian), in
    order: made in numpy, as looping over a letter's thousands of positions in Python cost more
    than the rest of its signature."""
    return _shingle_array(text).tolist()


def _shingle_array(text: str) -> np.ndarray:
    """`shingle_codes` as a numpy array (uint64, sorted, each once)."""
    folded = fold(text)
    if not folded.isascii():  # the fold is ASCII; should it ever not be, the plain way
        return np.array(sorted(int.from_bytes(gram.encode(), "big") for gram in shingles(text)),
                        dtype=np.uint64)
    # what `shingles` does with a regex, on bytes: all but letters and digits are blanks
    data = b" ".join(folded.encode().translate(_BLANK_NOT_A_WORD).split())
    if len(data) < SHINGLE:
        return np.empty(0, dtype=np.uint64)
    letters = np.frombuffer(data, dtype=np.uint8).astype(np.uint64)
    codes = np.zeros(len(data) - SHINGLE + 1, dtype=np.uint64)
    for offset in range(SHINGLE):
        codes = (codes << np.uint64(8)) | letters[offset : offset + len(codes)]
    # Sorted, each once: by a sort, not np.unique (numpy 2's unique hashes first: 6x slower here)
    codes.sort()
    return codes[np.concatenate(([True], codes[1:] != codes[:-1]))]


def text_signature(text: str) -> TextSignature | None:
    """The signature of a text, or None when it is too short to compare."""
    codes = _shingle_array(text)
    if len(codes) < MIN_SHINGLES:
        return None
    return signature_of(_minhash(codes))


def signature_of(values: np.ndarray) -> TextSignature:
    """The signature of NUM_PERM MinHash values (little-endian uint32): their hex and the
    blake2b of each band's values, its bucket."""
    buckets = [
        hashlib.blake2b(values[band * ROWS : (band + 1) * ROWS].tobytes(),
                        digest_size=8).hexdigest()
        for band in range(BANDS)
    ]
    return TextSignature(values.tobytes().hex(), buckets)


def signature_row(document_id: str, signature: TextSignature | None
                  ) -> tuple[str, str, list[str]]:
    """What the catalog keeps of a letter's signature ("" and no buckets: too short)."""
    if signature is None:
        return document_id, "", []
    return document_id, signature.minhash, signature.buckets


def sign_unsigned(catalog: CatalogStore, batch: int = 500) -> int:
    """Sign the letters archived before signatures were kept (a one-time pass per archive, so
    that new letters are compared with them too); how many."""
    count = 0
    while rows := catalog.unsigned_texts(batch):
        catalog.store_signatures([signature_row(document_id, text_signature(text))
                                  for document_id, text in rows])
        count += len(rows)
    return count


class _Digests:
    """A shingle (as `shingle_codes` has it) → the blake2b digest of its bytes (4 bytes, as a
    little-endian uint32), each computed once per process: letters share most of their
    shingles, and hashing them one by one was most of a signature's cost. Kept in two sorted
    numpy arrays, looked up by bisection in C, and the shingles met lately in a dict, merged
    into the arrays now and then: a dict of all of them, read one Python int at a time, missed
    the CPU's cache at nearly every shingle (0.9 ms of a letter, in the arrays 0.1 ms)."""

    def __init__(self) -> None:
        # (codes, digests), replaced whole by a merge: a server's threads read them meanwhile
        self.known = (np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.uint32))
        self.recent: dict[int, int] = {}
        self.merging = threading.Lock()

    @property
    def codes(self) -> np.ndarray:
        return self.known[0]

    def __len__(self) -> int:
        return len(self.known[0]) + len(self.recent)

    def of(self, codes: np.ndarray) -> np.ndarray:
        """The digests of `codes` (uint64, sorted, each once), as uint32."""
        known, known_digests = self.known
        where = np.searchsorted(known, codes)
        found = where < len(known)
        found[found] = known[where[found]] == codes[found]
        digests = np.empty(len(codes), dtype=np.uint32)
        digests[found] = known_digests[where[found]]
        missing = np.flatnonzero(~found)
        if len(missing):
            digests[missing] = [self._digest(code) for code in codes[missing].tolist()]
            if len(self.recent) >= _RECENT_KEPT:
                self._merge()
        return digests

    def _digest(self, code: int) -> int:
        digest = self.recent.get(code)
        if digest is None:
            # blake2b, not a CRC: a CRC's linearity biased the estimates up (0.04 on the devset)
            gram = code.to_bytes(SHINGLE, "big")
            digest = self.recent[code] = int.from_bytes(
                hashlib.blake2b(gram, digest_size=4).digest(), "little")
        return digest

    def _merge(self) -> None:
        """The recent shingles into the arrays (sorted, so a merge: no sort of the whole)."""
        with self.merging:
            recent, self.recent = self.recent, {}
            items = list(recent.items())
            codes = np.array([code for code, _ in items], dtype=np.uint64)
            digests = np.array([digest for _, digest in items], dtype=np.uint32)
            known, known_digests = self.known
            if len(known) + len(codes) > _DIGESTS_KEPT:  # bounded: start again from these
                known, known_digests = known[:0], known_digests[:0]
            order = np.argsort(codes)
            codes, digests = codes[order], digests[order]
            where = np.searchsorted(known, codes)
            present = where < len(known)  # put there by another thread meanwhile
            present[present] = known[where[present]] == codes[present]
            codes, digests, where = codes[~present], digests[~present], where[~present]
            self.known = (np.insert(known, where, codes), np.insert(known_digests, where, digests))


_DIGESTS_KEPT = 2_000_000  # 24 MB at most per process
_RECENT_KEPT = 50_000  # merged when this many are new (a copy of the arrays each time)
_DIGESTS = _Digests()


def _minhash(codes: np.ndarray) -> np.ndarray:
    """Per hash function, the least value over the shingles (little-endian uint32)."""
    keys = _DIGESTS.of(np.asarray(codes, dtype=np.uint64)).astype(np.uint64)
    least = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    block = np.empty((NUM_PERM, min(len(keys), _KEYS_AT_ONCE)), dtype=np.uint64)
    for start in range(0, len(keys), _KEYS_AT_ONCE):  # a block that stays in the CPU's cache
        chunk = keys[start : start + _KEYS_AT_ONCE]
        values = block[:, : len(chunk)]
        np.multiply(_A[:, np.newaxis], chunk, out=values)  # a row per hash function
        values += _B[:, np.newaxis]
        np.minimum(least, values.min(axis=1), out=least)
    # The shift comes after the least: x >> 32 never puts two values in another order, so the
    # least of the shifted values is the least shifted (one pass over the values saved).
    return (least >> np.uint64(32)).astype("<u4")


_KEYS_AT_ONCE = 512  # 128 × 512 values: 512 KB


def similarity(one: str, other: str) -> float:
    """The estimated share of shingles two signatures' texts have in common (Jaccard)."""
    first = np.frombuffer(bytes.fromhex(one), dtype="<u4")
    second = np.frombuffer(bytes.fromhex(other), dtype="<u4")
    return float(np.count_nonzero(first == second)) / NUM_PERM


def shares_a_band(one: str, other: str) -> bool:
    """Whether two signatures have every value of some band in common (the same bucket)."""
    first = np.frombuffer(bytes.fromhex(one), dtype="<u4").reshape(BANDS, ROWS)
    second = np.frombuffer(bytes.fromhex(other), dtype="<u4").reshape(BANDS, ROWS)
    return bool((first == second).all(axis=1).any())


def find_duplicates(catalog: CatalogStore, record: DocumentRecord,
                    signature: TextSignature | None) -> list[DuplicateFlag]:
    """The archived letters `record` may duplicate, by reference first, then by text (a letter
    of the same reference gets its share of text when they share a bucket)."""
    meta = record.metadata
    found: dict[str, DuplicateFlag] = {}
    issuer = fold(meta.issuer or "").strip()
    if meta.number and meta.key and issuer:
        for other in catalog.documents_with_key(meta.key):
            summary = catalog.document_summary(other)
            if summary and fold(summary["issuer"] or "").strip() == issuer:
                found[other] = DuplicateFlag(other, SAME_REFERENCE)
    if signature is not None:
        candidates = catalog.signatures_sharing_bands(signature.buckets, MIN_SHARED_BANDS)
        if found.keys() - candidates.keys():  # the same reference and fewer bands in common
            candidates.update(
                (other, stored) for other, stored
                in catalog.signatures_of([o for o in found if o not in candidates]).items()
                if stored and shares_a_band(signature.minhash, stored))
        for other, stored in sorted(candidates.items()):
            share = round(similarity(signature.minhash, stored), 3)
            if other in found:  # the same reference: say how much of the text is shared too
                found[other] = DuplicateFlag(other, SAME_REFERENCE, share)
            elif share >= SIMILAR:
                found[other] = DuplicateFlag(other, SIMILAR_TEXT, share)
    found.pop(record.id, None)
    return list(found.values())
