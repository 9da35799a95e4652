"""bench/knownitem.py: the queries a clerk types are made from each truth record alone, the
same every run, and the scores count the letter's rank among the first ten. Run on the
fictional devset (tests/data/devset), not on the real set."""

from __future__ import annotations

import json
import re

import pytest

from bench.knownitem import (
    DEVSET,
    Query,
    RealLetter,
    evaluate,
    make_queries,
    number_query,
    phrases,
)
from ingest.folding import fold


def devset_letters() -> list[RealLetter]:
    return [RealLetter(path.name, "devset", json.loads(path.read_text(encoding="utf-8")),
                       doc_id=path.stem) for path in sorted(DEVSET.glob("*.json"))]


def test_queries_are_the_same_every_run_and_typed_without_diacritics():
    letters = devset_letters()
    first, again = make_queries(letters, 2), make_queries(letters, 2)
    assert [(q.kind, q.text) for q in first] == [(q.kind, q.text) for q in again]
    assert {q.kind for q in first} == {"subject", "number", "issuer"}
    assert all(q.text.isascii() and q.text == q.text.lower() for q in first)


def test_subject_words_come_from_the_subject_without_its_formula_and_function_words():
    runs = phrases("Về việc sửa đổi, bổ sung kế hoạch phòng chống thiên tai của tỉnh")
    assert runs == [["ke", "hoach", "phong", "chong", "thien", "tai"], ["tinh"]]
    for query in make_queries(devset_letters(), 2):
        if query.kind == "subject":
            subject = set(re.findall(r"[a-z]+", fold(query.letter.truth["subject"])))
            assert 2 <= len(query.text.split()) <= 5 and set(query.text.split()) <= subject


@pytest.mark.parametrize("variant", range(6))
def test_a_number_is_typed_loosely_but_holds_the_letter_s_number(variant):
    import random

    letter = RealLetter("x.txt", "devset", {"number": "51", "symbol": "QH15",
                                            "reference": "51/2024/QH15"})
    typed = number_query(letter, random.Random(variant))
    assert typed is not None and "51" in typed and "qh15" in typed


def test_scores_count_the_rank_within_the_first_ten():
    letter = RealLetter("x.txt", "devset", {}, doc_id="want")
    queries = [Query("subject", "a", letter), Query("subject", "b", letter),
               Query("number", "c", letter)]
    answers = {"a": ["want"], "b": ["x", "want"], "c": ["x"] * 10 + ["want"]}
    scored = evaluate(answers.__getitem__, queries)
    n, mrr, r1, r10 = scored.row(("subject", "number"))
    assert (n, r1, r10) == (3, pytest.approx(1 / 3), pytest.approx(2 / 3))
    assert mrr == pytest.approx((1 + 1 / 2 + 0) / 3)


def test_the_halves_split_the_letters_by_their_truth_file_as_the_realset_bench_does():
    from bench.knownitem import in_half
    from bench.realset import split_of

    letters = devset_letters()
    dev = [letter for letter in letters if in_half(letter, "dev")]
    check = [letter for letter in letters if in_half(letter, "check")]
    assert dev and check and len(dev) + len(check) == len(letters)
    assert {letter.name for letter in dev}.isdisjoint(letter.name for letter in check)
    assert all(in_half(letter, "all") for letter in letters)
    assert all(split_of(letter.name.removesuffix(".json")) == "dev" for letter in dev)


def test_accented_subject_words_are_the_same_words_with_their_diacritics():
    letters = devset_letters()
    plain = [q for q in make_queries(letters, 2) if q.kind == "subject"]
    accented = [q for q in make_queries(letters, 2, accented=True) if q.kind == "subject"]
    assert [fold(q.text) for q in accented] == [q.text for q in plain]
    assert any(not q.text.isascii() for q in accented)
