"""The typed metadata record: the extractor's output goes through it without a change."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.generator import generate_letters
from ingest import extract_metadata
from ingest.extract.metadata import extract_record
from ingest.model import Assignment, LetterMetadata, Signer

from .conftest import SEEDS

DEVSET = Path(__file__).parent / "data" / "devset"


def _texts() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(DEVSET.glob("*.txt"))]
    texts += [path.read_text(encoding="utf-8") for path in SEEDS]
    texts += [letter.text for letter in generate_letters(60, seed=7)]
    return texts


@pytest.mark.parametrize("text", _texts()[::3])
def test_the_json_shape_goes_through_the_record_unchanged(text: str) -> None:
    published = extract_metadata(text)
    again = LetterMetadata.from_dict(published).to_dict()
    assert again == published
    assert list(again) == list(published)  # the API's key order too


def test_the_record_types_its_parts() -> None:
    record = extract_record(SEEDS[0].read_text(encoding="utf-8"))
    assert isinstance(record.signer, Signer) and record.signer.title == "Chủ tịch"
    assert all(isinstance(task, Assignment) for task in record.tasks)
    assert record.to_dict() == extract_metadata(SEEDS[0].read_text(encoding="utf-8"))


def test_keys_of_an_older_extractor_are_left_out() -> None:
    record = LetterMetadata.from_dict({"text": "x", "province": "Hà Nội",
                                       "signer": {"name": "A", "seal": True}})
    assert record.signer == Signer(name="A")
    assert "province" not in record.to_dict()
