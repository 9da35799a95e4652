"""A new letter's possible duplicates are found without reading every letter that shares a
bucket of boilerplate with it (issue 15: at 100,000 generated letters the lookup read ~670
signatures a letter and capped the ingest), and the letters found are exactly the ones the
share of text decides."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ingest import open_catalog
from ingest.curation.duplicates import (
    BANDS,
    MIN_SHARED_BANDS,
    NUM_PERM,
    ROWS,
    SIMILAR,
    TextSignature,
    find_duplicates,
    sign_unsigned,
    signature_of,
    similarity,
)
from ingest.model import DocumentRecord, LetterMetadata, Page
from ingest.store.catalog import SAME_REFERENCE, SIMILAR_TEXT


def values(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 2**32, NUM_PERM, dtype=np.uint64).astype("<u4")


def record(name: str, metadata: LetterMetadata | None = None) -> DocumentRecord:
    sha = hashlib.sha256(name.encode()).hexdigest()
    return DocumentRecord(sha[:12], sha, name, "text/plain", 1, [Page(1, name)],
                          metadata or LetterMetadata(text=name))


def archive_letter(catalog: Any, name: str, signed: np.ndarray,
                   metadata: LetterMetadata | None = None) -> str:
    letter = record(name, metadata)
    signature = signature_of(signed)
    catalog.add_document(letter)
    catalog.store_signatures([(letter.id, signature.minhash, signature.buckets)])
    return letter.id


class CountingRows:
    """A catalog that counts the rows (letters, signatures) its methods hand back."""

    def __init__(self, catalog: Any) -> None:
        self.catalog, self.rows = catalog, 0

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.catalog, name)

        def counted(*args: Any) -> Any:
            result = method(*args)
            self.rows += len(result) if isinstance(result, list | dict) else 1
            return result

        return counted


def with_values(base: np.ndarray, other: np.ndarray, positions: range | list[int]) -> np.ndarray:
    mixed = base.copy()
    mixed[list(positions)] = other[list(positions)]
    return mixed


def test_letters_sharing_only_boilerplate_buckets_are_not_read(catalog_location) -> None:
    """Letters sharing 3 bands with the new one (its boilerplate) cannot share 90% of its
    text: however many there are, the catalog hands back the same number of rows."""
    new = values(1)
    near = with_values(new, values(2), range(ROWS * 3, ROWS * 3 + 10))  # 118 of 128 equal
    read = []
    with open_catalog(catalog_location) as catalog:
        near_id = archive_letter(catalog, "near", near)
        templated = 0
        for total in (100, 300):
            while templated < total:  # the new letter's first 3 bands, the rest its own
                templated += 1
                archive_letter(catalog, f"template {templated}",
                               with_values(values(1000 + templated), new, range(3 * ROWS)))
            counting = CountingRows(catalog)
            found = find_duplicates(counting, record("new"), signature_of(new))
            assert [(f.other_id, f.reason) for f in found] == [(near_id, SIMILAR_TEXT)]
            read.append(counting.rows)
    assert read[0] == read[1]  # 300 letters in its large buckets read no more than 100


@pytest.mark.parametrize("seed", range(3))
def test_the_letters_found_are_those_with_enough_values_in_common(catalog_location,
                                                                  seed: int) -> None:
    """Checked against every letter: the lookup of MIN_SHARED_BANDS bands misses none that
    shares SIMILAR of its text (at the bound too) and flags none that does not."""
    assert MIN_SHARED_BANDS > 1
    rng = random.Random(seed)
    new = values(seed)
    expected = set()
    with open_catalog(catalog_location) as catalog:
        for n in range(60):
            differing = rng.choice([0, 5, 10, 11, 12, 13, 14, 20, 40, 100, 128])
            # differing values spread over as many bands as they can, or packed in few
            spread = rng.random() < 0.5
            positions = (sorted(rng.sample(range(NUM_PERM), differing)) if not spread else
                         [(i % BANDS) * ROWS + i // BANDS for i in range(differing)])
            signed = with_values(new, values(10_000 + n), positions)
            other = archive_letter(catalog, f"letter {n}", signed)
            if round(similarity(signature_of(new).minhash, signature_of(signed).minhash),
                     3) >= SIMILAR:
                expected.add(other)
        found = find_duplicates(catalog, record("new"), signature_of(new))
    assert {flag.other_id for flag in found} == expected
    assert {flag.reason for flag in found} <= {SIMILAR_TEXT}


def test_a_letter_sharing_the_largest_buckets_and_one_more_is_found(catalog_location) -> None:
    """The largest buckets are not read whole, but a letter found in a smaller one is looked
    up in them: 4 bands shared, 3 of them the largest, make a candidate; 3 do not."""
    new = values(4)
    with open_catalog(catalog_location) as catalog:
        for n in range(20):  # bands 0-2 are the large buckets
            archive_letter(catalog, f"template {n}",
                           with_values(values(2000 + n), new, range(3 * ROWS)))
        four = archive_letter(catalog, "four", with_values(values(5), new, range(4 * ROWS)))
        bands_0_1_3 = [*range(2 * ROWS), *range(3 * ROWS, 4 * ROWS)]
        three = archive_letter(catalog, "three", with_values(values(6), new, bands_0_1_3))
        buckets = signature_of(new).buckets
        assert set(catalog.signatures_sharing_bands(buckets, 4)) == {four}
        assert set(catalog.signatures_sharing_bands(buckets, 3)) >= {four, three}
        assert len(catalog.signatures_sharing_bands(buckets, 1)) == 22
        catalog.trash_document(four, "admin")
        assert catalog.signatures_sharing_bands(buckets, 4) == {}


def test_a_same_reference_letter_gets_its_share_when_it_shares_one_bucket(catalog_location
                                                                          ) -> None:
    same = LetterMetadata(text="x", number="21", symbol="SYT-NVY", key="21/syt-nvy",
                          reference="21/SYT-NVY", issuer="Sở Y tế")
    new = values(7)
    with open_catalog(catalog_location) as catalog:
        one_band = archive_letter(catalog, "one band", with_values(values(8), new, range(ROWS)),
                                  same)
        no_band = archive_letter(catalog, "no band", values(9), same)
        short = record("too short", same)
        catalog.add_document(short)
        catalog.store_signatures([(short.id, "", [])])
        found = {flag.other_id: flag for flag in
                 find_duplicates(catalog, record("new", same), signature_of(new))}
    assert found[one_band].reason == SAME_REFERENCE
    assert found[one_band].similarity == round(ROWS / NUM_PERM, 3)
    assert found[no_band].similarity is None and found[short.id].similarity is None


def test_a_signature_is_its_values_and_their_band_buckets() -> None:
    signed = signature_of(values(3))
    assert isinstance(signed, TextSignature) and len(signed.buckets) == BANDS
    assert bytes.fromhex(signed.minhash) == values(3).tobytes()


# -- the one-time signing pass, which every batch (a queue worker's: every file) asks for -------


def test_a_letter_in_the_trash_without_a_signature_is_signed_too(catalog_location) -> None:
    """Letters in the trash were never signed (nor counted as signed), so every batch looked
    for unsigned letters among all of them again; now they are signed, compared once
    restored."""
    with open_catalog(catalog_location) as catalog:
        letter = record("trashed before signatures")
        catalog.add_document(letter)
        catalog.trash_document(letter.id, "admin")
        assert catalog.unsigned_texts(10) == [(letter.id, "trashed before signatures")]
        catalog.store_signatures([(letter.id, "", [])])
        assert catalog.unsigned_texts(10) == []


def _bytes_read() -> int:
    """What this process has read through system calls (Linux), the catalog's pages too."""
    return int(Path("/proc/self/io").read_text().split("rchar:")[1].split()[0])


@pytest.mark.skipif(not Path("/proc/self/io").exists(), reason="Linux's /proc/self/io")
def test_the_signing_pass_reads_no_letter_when_every_letter_is_signed(tmp_path: Path) -> None:
    """At 100,000 letters the pass read every letter's row at each batch (4 s); it counts
    letters and signatures on their indexes instead."""
    path = tmp_path / "catalog.sqlite3"
    rng = random.Random(1)
    with open_catalog(path) as catalog:
        catalog.begin_group()
        for n in range(400):
            text = " ".join(rng.choice(["công", "văn", "số", "tỉnh", "ngày"]) for _ in range(300))
            archive_letter(catalog, f"letter {n}", values(n), LetterMetadata(text=text))
        catalog.commit_group()
    size = sum(part.stat().st_size for part in tmp_path.glob("catalog.sqlite3*"))
    with open_catalog(path) as catalog:
        before = _bytes_read()
        assert sign_unsigned(catalog) == 0
        read = _bytes_read() - before
    assert read < size / 10
