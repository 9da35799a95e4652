"""The letter generator: deterministic, varied, well-formed, and consistent with its sidecars."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date

import pytest
from click.testing import CliRunner

from bench.generator import TYPE_NAMES, generate_letters, write_corpus
from bench.generator.layout import old_tones
from bench.generator.plan import plan_corpus
from bench.generator.vocab import PROVINCE_MERGER, places
from congvan.cli import cli
from ingest.extract.numbers import reference_key

SHORT_DATE = re.compile(r"(?<![\d/])(\d{1,2})[/-](\d{1,2})[/-]((?:19|20)\d\d)(?![\d/])")
LONG_DATE = re.compile(r"ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})")


@pytest.fixture(scope="module")
def letters():
    return list(generate_letters(500, seed=7))


@pytest.fixture(scope="module")
def by_name(letters):
    return {letter.name: letter for letter in letters}


def flat(text: str) -> str:
    return " ".join(text.split())


def shown(letter, value: str) -> str:
    """How a value reads in the letter (some letters use the old tone marks: 'Uỷ ban')."""
    value = flat(value)
    return old_tones(value) if letter.expected["_generator"]["old_tones"] else value


def test_same_seed_same_bytes_whatever_the_jobs(tmp_path):
    first, second, third = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    write_corpus(first, 40, seed=3)
    write_corpus(second, 40, seed=3)
    write_corpus(third, 40, seed=3, jobs=2)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir()) == sorted(
        p.name for p in third.iterdir())
    for name in names:
        data = (first / name).read_bytes()
        assert data == (second / name).read_bytes() == (third / name).read_bytes(), name


def test_other_seed_other_letters(letters):
    other = [letter.text for letter in generate_letters(20, seed=8)]
    assert not set(other) & {letter.text for letter in letters}


def test_count_and_sidecars_parse(tmp_path):
    stats = write_corpus(tmp_path / "letters", 25, seed=1, expected_dir=tmp_path / "expected")
    texts = sorted((tmp_path / "letters").glob("*.txt"))
    sidecars = sorted((tmp_path / "expected").glob("*.json"))
    assert stats["letters"] == len(texts) == len(sidecars) == 25
    assert [p.stem for p in texts] == [p.stem for p in sidecars]
    for text, sidecar in zip(texts, sidecars, strict=True):
        text.read_bytes().decode("utf-8")
        record = json.loads(sidecar.read_text(encoding="utf-8"))
        assert record["doc_type"] in TYPE_NAMES.values()


def test_cli_writes_the_letters(tmp_path):
    result = CliRunner().invoke(cli, ["generate", "--count", "7", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("*.txt"))) == len(list(tmp_path.glob("*.json"))) == 7


def test_variety(letters):
    expected = [letter.expected for letter in letters]
    assert len({e["issuer"] for e in expected}) >= 150
    assert set(Counter(e["doc_type"] for e in expected)) == set(TYPE_NAMES.values())
    assert len({e["date"][:4] for e in expected}) >= 11
    assert len({e["_generator"]["topic"] for e in expected}) >= 15
    assert len({letter.text for letter in letters}) == len(letters)
    assert len({e["subject"] for e in expected}) >= 150


def test_sentences_are_not_near_duplicates(letters):
    sentences = Counter(
        sentence.strip() for letter in letters
        for sentence in re.split(r"(?<=[.;:])\s", flat(letter.text)) if len(sentence) > 60)
    assert len(sentences) >= 3000
    openings = Counter(flat(letter.text)[300:900] for letter in letters)
    assert openings.most_common(1)[0][1] == 1


def test_lengths_are_one_to_six_pages(letters):
    lengths = [len(letter.text) for letter in letters]
    assert min(lengths) >= 1500
    assert max(lengths) <= 6 * 3000 + 1500
    assert sum(length > 12_000 for length in lengths) >= 10


def test_every_date_is_valid(letters):
    for letter in letters:
        expected = letter.expected
        day = expected["date"]
        if expected["date_precision"] == "day":
            issued = date.fromisoformat(day)
        else:
            issued = date.fromisoformat(day + "-01")
            assert re.search(rf"ngày\s+tháng 0?{issued.month} năm {issued.year}", letter.text)
        assert date(2015, 1, 1) <= issued <= date(2026, 12, 31)
        for d, m, y in SHORT_DATE.findall(letter.text) + LONG_DATE.findall(letter.text):
            date(int(y), int(m), int(d))  # raises on 31/02 or 19/92
        for task in expected["tasks"]:
            if task["deadline"]:
                assert date.fromisoformat(task["deadline"]) > issued


def test_the_sidecar_matches_the_text(letters):
    for letter in letters:
        text, e = flat(letter.text), letter.expected
        for value in [e["subject"], e["signer"]["name"], *e["recipients"], *e["distribution"]]:
            assert shown(letter, value) in text, (letter.name, value)
        assert shown(letter, e["place"] + ",") in text
        if e["number"] is not None:
            assert e["reference"] in text
            assert e["key"] == reference_key(e["reference"])
        for citation in e["citations"]:
            assert citation["key"] == reference_key(citation["reference"]), citation
            assert citation["reference"] in text


def test_citations_inside_the_set_point_to_earlier_letters(letters, by_name):
    inside = 0
    for letter in letters:
        citing = letter.expected
        keys = {c["key"]: c for c in citing["citations"]}
        for name in citing["_generator"]["cited_in_set"]:
            cited = by_name[name].expected
            assert cited["key"] in keys
            assert keys[cited["key"]]["date"] == cited["date"] < citing["date"]
            written = keys[cited["key"]]["issuer"]  # as the citing letter writes it
            assert written == cited["issuer"] or shown(letter, written) in flat(letter.text)
            inside += 1
        assert citing["key"] not in keys
    assert inside >= 200
    assert sum(bool(e.expected["_generator"]["cited_outside_set"]) for e in letters) >= 20


def test_number_shapes_party_and_state(letters):
    party = state = blank = 0
    for letter in letters:
        e = letter.expected
        is_party = e["issuer"].startswith(("Tỉnh ủy", "Thành ủy", "Ban "))
        if e["number"] is None:
            blank += 1
            assert e["key"] is None and e["reference"] is None and e["symbol"]
            assert re.search(rf"Số:?\s{{4,}}[-/]{re.escape(e['symbol'])}\s", letter.text)
        elif is_party:
            party += 1
            assert re.fullmatch(r"\d{2,}-[A-ZĐ]+/[A-ZĐ]+", e["reference"]), e["reference"]
            assert f"Số {e['reference']}" in letter.text
        else:
            state += 1
            assert re.fullmatch(r"\d{2,}/[A-Za-zĐ]+(-[A-Za-zĐ&0-9.]+)*", e["reference"])
            assert f"Số: {e['reference']}" in letter.text
    assert party >= 20 and state >= 300 and blank >= 15


def test_numbers_are_unique_per_issuer_and_year():
    plans = [p for p in plan_corpus(6000, seed=11) if p.number is not None]
    seen = Counter((p.number, p.symbol, p.issuer.name, p.day.year) for p in plans)
    assert seen.most_common(1)[0][1] == 1
    assert len(plans) >= 5000


def test_provinces_of_the_letters_date(letters):
    before = {name for name, _kind, _districts in places()["provinces_pre"]}
    after = {name for name, _kind in places()["provinces_post"]}
    merged_away = before - after
    provincial = 0
    for letter in letters:
        e = letter.expected
        issued = date.fromisoformat(e["date"] if len(e["date"]) == 10 else e["date"] + "-01")
        known = after if issued >= PROVINCE_MERGER else before
        if issued >= PROVINCE_MERGER:
            assert "huyện" not in e["issuer"]
            assert not any(e["issuer"].endswith(f" {old}") for old in merged_away), e["issuer"]
        if re.match(r"Ủy ban nhân dân (tỉnh|thành phố|Thành phố)", e["issuer"]):
            provincial += 1
            assert e["place"] in known, (e["date"], e["issuer"])
    assert provincial >= 50


def test_sidecars_follow_the_devset_conventions(letters):
    """tests/data/devset/README.md: marks as 'Khẩn', prefixes as 'KT.', laws without an issuer
    in the text have issuer null, a task whose lead ends in ':' starts with that lead."""
    authorities, behalf, colon_leads = Counter(), Counter(), 0
    for letter in letters:
        e = letter.expected
        assert e["urgency"] in (None, "Khẩn", "Hỏa tốc", "Thượng khẩn")
        assert e["secrecy"] in (None, "Mật", "Tối mật")
        authorities[e["signer"]["authority"]] += 1
        behalf[e["signer"]["on_behalf_of"]] += 1
        for citation in e["citations"]:
            if citation["doc_type"] == "Luật":
                assert citation["issuer"] is None
            elif citation["issuer"]:
                assert shown(letter, citation["issuer"]) in flat(letter.text), citation
        for task in e["tasks"]:
            lead = task["text"].split("\n")[0]
            assert shown(letter, f"{task['label']}. {lead}") in flat(letter.text)
            colon_leads += lead.endswith(":") and task["text"].count("\n- ") >= 1
            for who in task["assignees"]:
                assert flat(who) in flat(task["text"]), (letter.name, who)
        if e["doc_type"] == "Quyết định":
            assert [t["label"] for t in e["tasks"]][:3] == ["Điều 1", "Điều 2", "Điều 3"]
    assert set(authorities) == {None, "TM.", "KT.", "TL.", "TUQ.", "Q."}
    assert behalf["Ủy ban nhân dân"] and behalf["Ban Thường vụ"] and behalf["Chủ tịch"]
    assert colon_leads >= 50


def test_a_stopped_corpus_is_written_on_from_where_it_stopped(tmp_path):
    whole, stopped = tmp_path / "whole", tmp_path / "stopped"
    write_corpus(whole, 20, seed=3, jobs=1)
    write_corpus(stopped, 20, seed=3, jobs=1)
    records = sorted(stopped.glob("*.json"))
    for path in records[-3:]:  # stopped before writing their records
        path.unlink()
    records[10].write_text(records[10].read_text()[:40])  # stopped half way through one
    (stopped / f"{records[10].stem}.txt").write_text("cắt ngang")
    (stopped / f"{records[-1].stem}.txt").write_text("cắt")
    made = write_corpus(stopped, 20, seed=3, jobs=1, resume=True)
    assert (made["letters"], made["kept"]) == (20, 16)
    assert {p.name: p.read_bytes() for p in stopped.iterdir()} == {
        p.name: p.read_bytes() for p in whole.iterdir()}
