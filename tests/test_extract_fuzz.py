"""The extractor never raises: random text, truncated and shuffled letters, random bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.extract.metadata import FIELDS, extract_metadata

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("0*.txt"))]
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Whole letters take longer (an OCR-like one goes through diacritic restoration): fewer examples.
FUZZ_LETTERS = settings(FUZZ, max_examples=60)

# Pieces letters are made of, plus characters that break naive parsers.
PIECES = st.sampled_from(
    [*"SốSo:/-–.,;()0123456789 \n\t\r\fĐđÐQĐCĐTTgUBNDngàytháng năm*_",
     "\u0301", "\u0323", "\x00", "\u200b", "\ufeff", "V/v ", "Nơi nhận:", "TM. ", "KT. ", "1. ",
     "- ", "Kính gửi:", "ngày ", "tháng ", "năm 2025", "Số: ", "/UBND-", "CỘNG HÒA XÃ HỘI", "\n\n"]
)


def _assert_shape(record: dict) -> None:
    assert set(FIELDS) <= set(record)
    assert isinstance(record["text"], str)
    assert isinstance(record["warnings"], list)
    for start, end in record["spans"].values():
        assert 0 <= start <= end <= len(record["text"])


@FUZZ
@given(st.text())
def test_random_text(text: str) -> None:
    _assert_shape(extract_metadata(text))


@FUZZ
@given(st.lists(PIECES, max_size=120).map("".join))
def test_letter_like_noise(text: str) -> None:
    _assert_shape(extract_metadata(text))


@FUZZ_LETTERS
@given(st.sampled_from(SEED_TEXTS), st.integers(0, 20_000), st.integers(0, 20_000))
def test_truncated_seed(text: str, start: int, length: int) -> None:
    _assert_shape(extract_metadata(text[start % (len(text) + 1):][:length]))


@pytest.mark.slow  # hundreds of shuffled letters: CI runs it, the fast loop does not
@FUZZ_LETTERS
@given(st.sampled_from(SEED_TEXTS), st.randoms(use_true_random=False))
def test_shuffled_seed_lines(text: str, rng) -> None:  # type: ignore[no-untyped-def]
    lines = text.split("\n")
    rng.shuffle(lines)
    _assert_shape(extract_metadata("\n".join(lines)))


@FUZZ
@given(st.binary(max_size=2000))
def test_bytes_decoded_leniently(data: bytes) -> None:
    _assert_shape(extract_metadata(data.decode("utf-8", errors="replace")))
