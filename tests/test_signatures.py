"""MinHash signatures estimate how much of two texts is shared, without bias (ingest.curation.
duplicates): a hash with structure (a CRC) once biased the estimates up."""

from __future__ import annotations

import itertools
import statistics
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.curation.duplicates import shingles, similarity, text_signature

DEVSET = Path(__file__).parent / "data" / "devset"


def test_the_estimate_follows_the_shared_share_of_shingles() -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted(DEVSET.glob("*.txt"))[:10]]
    errors = []
    for first in texts:
        for second in texts:
            if first is second:
                continue
            mixed = first[: len(first) * 2 // 3] + second[len(second) * 2 // 3 :]
            one, other = shingles(first), shingles(mixed)
            shared = len(one & other) / len(one | other)
            signatures = text_signature(first), text_signature(mixed)
            assert signatures[0] is not None and signatures[1] is not None
            errors.append(similarity(signatures[0].minhash, signatures[1].minhash) - shared)
    assert abs(statistics.mean(errors)) < 0.02
    assert statistics.pstdev(errors) < 0.06  # 128 hash functions: about 0.044


def test_a_shingle_is_hashed_once_per_process_and_signs_as_hashed_afresh(monkeypatch) -> None:
    """Hashing every shingle of every letter was most of a signature's cost; letters share
    most of theirs, so each is hashed once and remembered (issue 15)."""
    import hashlib

    from ingest.curation import duplicates

    text = (DEVSET / "01_hanoi_sgddt_namhoc.txt").read_text(encoding="utf-8")
    fresh = text_signature(text)
    hashed: list[bytes] = []
    plain = hashlib.blake2b

    def counting(data: bytes = b"", **options):  # type: ignore[no-untyped-def]
        if options.get("digest_size") == 4:
            hashed.append(data)
        return plain(data, **options)

    monkeypatch.setattr(duplicates.hashlib, "blake2b", counting)
    again = text_signature(text)
    assert hashed == [] and again == fresh  # remembered, and the same signature
    monkeypatch.setattr(duplicates, "_DIGESTS", duplicates._Digests())
    assert text_signature(text) == fresh and len(hashed) == len(shingles(text))


_LETTERS = "aăâeêioôơuưy đĐ AĂÂEÊOÔƠUƯ.,;:()/-\n\t_0123456789ạảãáàấầẩẫậ½™€\u200b\u3000\U0001f600İ–"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(_LETTERS))))
def test_shingle_codes_are_the_shingles_spelled_as_integers(text: str) -> None:
    """text_signature takes the shingles from numpy, no longer from a loop over the text."""
    from ingest.curation.duplicates import shingle_codes

    assert shingle_codes(text) == sorted(int.from_bytes(gram.encode(), "big")
                                         for gram in shingles(text))


def test_minhash_is_the_least_of_each_hash_function_over_the_shingles() -> None:
    """The values as the hash functions define them, one shingle at a time in Python: the
    numpy blocks (the shift after the least, issue 15) give each function's least value."""
    import hashlib

    from ingest.curation import duplicates

    text = (DEVSET / "02_nghean_syt_sotxuathuyet.txt").read_text(encoding="utf-8")
    keys = [int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=4).digest(), "little")
            for gram in shingles(text)]
    expected = [min(((int(a) * key + int(b)) % 2**64) >> 32 for key in keys)
                for a, b in zip(duplicates._A, duplicates._B, strict=True)]
    assert len(keys) > duplicates._KEYS_AT_ONCE  # more than one block
    assert duplicates._minhash(duplicates.shingle_codes(text)).tolist() == expected


def test_shingle_codes_sort_instead_of_numpys_unique(monkeypatch) -> None:
    """numpy 2's unique hashes before it sorts: 0.33 ms of a letter's signature where a sort
    takes 0.06 ms (issue 15)."""
    from ingest.curation import duplicates

    text = (DEVSET / "01_hanoi_sgddt_namhoc.txt").read_text(encoding="utf-8")
    expected = sorted(int.from_bytes(gram.encode(), "big") for gram in shingles(text))

    def refused(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("np.unique called")

    monkeypatch.setattr(duplicates.np, "unique", refused)
    assert duplicates.shingle_codes(text) == expected


def test_digests_kept_in_sorted_arrays_sign_as_hashed_afresh(monkeypatch) -> None:
    """Shingles' digests are kept in numpy arrays, merged from the recent ones and started
    again when too many (issue 15: a dict of them missed the CPU's cache at each shingle); the
    signatures are those of digests hashed afresh, across merges and restarts."""
    from ingest.curation import duplicates

    texts = [path.read_text(encoding="utf-8") for path in sorted(DEVSET.glob("*.txt"))[:12]]
    fresh = []
    for text in texts:
        monkeypatch.setattr(duplicates, "_DIGESTS", duplicates._Digests())
        fresh.append(text_signature(text))
    kept = duplicates._Digests()
    monkeypatch.setattr(duplicates, "_DIGESTS", kept)
    monkeypatch.setattr(duplicates, "_RECENT_KEPT", 500)
    monkeypatch.setattr(duplicates, "_DIGESTS_KEPT", 4_000)
    sizes = []
    for _ in range(2):
        for text, expected in zip(texts, fresh, strict=True):
            assert text_signature(text) == expected
            sizes.append(len(kept.codes))
            assert list(kept.codes) == sorted(set(kept.codes.tolist()))  # sorted, each once
    assert max(sizes) <= 4_000 and 0 < min(sizes) < max(sizes)  # merged, and started again
    assert any(later < earlier for earlier, later in itertools.pairwise(sizes))


def test_letters_signed_on_several_threads_sign_as_alone(monkeypatch) -> None:
    """A server signs letters on its threads: the digests' arrays, merged and replaced while
    others read them, give each letter the signature it has alone."""
    import threading

    from ingest.curation import duplicates

    texts = [path.read_text(encoding="utf-8") for path in sorted(DEVSET.glob("*.txt"))[:16]]
    alone = [text_signature(text) for text in texts]
    monkeypatch.setattr(duplicates, "_DIGESTS", duplicates._Digests())
    monkeypatch.setattr(duplicates, "_RECENT_KEPT", 200)
    monkeypatch.setattr(duplicates, "_DIGESTS_KEPT", 6_000)
    wrong: list[int] = []

    def sign(offset: int) -> None:
        for round_ in range(3):
            for index in range(len(texts)):
                at = (index + offset + round_) % len(texts)
                try:
                    if text_signature(texts[at]) != alone[at]:
                        wrong.append(at)
                except Exception:  # a merge's arrays read half made
                    wrong.append(-at)

    threads = [threading.Thread(target=sign, args=(offset,)) for offset in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
