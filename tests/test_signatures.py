"""MinHash signatures estimate how much of two texts is shared, without bias (ingest.curation.
duplicates): a hash with structure (a CRC) once biased the estimates up."""

from __future__ import annotations

import statistics
from pathlib import Path

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
