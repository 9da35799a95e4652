"""bench/realset.py: scoring rules on invented records, and one end-to-end run on a tiny sample
of ../shared/realset (read at run time; skipped where it is absent)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from bench.realset import TRUTH, Scores, _truths, calibration, cer, split_of
from ingest.reading.pdf import check_pdf

ROOT = Path(__file__).resolve().parents[1]
REALSET = Path(os.environ.get("CONGVAN_REALSET", ROOT.parent / "shared" / "realset"))

WANT = {
    "number": "12", "symbol": "UBND-VX", "issuer": "Ủy ban nhân dân huyện Tân Hòa",
    "signer": {"name": "Lê Văn An", "title": "Phó Chủ tịch", "authority": "KT.",
               "on_behalf_of": "Chủ tịch"},
    "recipients": ["Phòng Nội vụ", "Phòng Tài chính", "Công an huyện"],
    "citations": [{"doc_type": "Nghị định", "reference": "30/2020/NĐ-CP", "key": "30/2020/nd-cp",
                   "date": None, "issuer": None}],
    "annotation": {"by": "test", "notes": "invented"},
}


def _scores(got: dict) -> dict[str, list[float]]:
    scores = Scores()
    scores.add("letter.txt", got, {k: v for k, v in WANT.items() if k != "annotation"})
    return scores.fields


def test_each_row_scores_only_what_the_truth_annotates() -> None:
    fields = _scores({})
    assert "tasks" not in fields and "task count" not in fields and "subject" not in fields
    assert fields["number"] == [0.0] and fields["signer.name"] == [0.0]
    assert fields["recipients (F1)"] == [0.0]


def test_signer_parts_recipient_f1_and_task_count_are_scored_apart() -> None:
    got = {"number": "12", "symbol": "UBND-VX", "issuer": "Ủy ban nhân dân huyện Tân Hòa",
           "signer": {"name": "Lê Văn An", "title": "Chủ tịch", "authority": "KT.",
                      "on_behalf_of": "Chủ tịch", "authority_lines": []},
           "recipients": ["Phòng Nội vụ", "Công an huyện"], "citations": WANT["citations"]}
    fields = _scores(got)
    assert fields["signer.name"] == [1.0] and fields["signer.title"] == [0.0]
    assert fields["signer"] == [0.0]
    assert fields["recipients"] == [0.0]
    assert fields["recipients (F1)"] == [pytest.approx(0.8)]  # 2 found of 3, none extra
    assert fields["citations (F1)"] == [1.0]
    scores = Scores()
    scores.add("t", {"tasks": [{"label": "1"}, {"label": "2"}]}, {"tasks": [{}, {}]})
    assert scores.fields["task count"] == [1.0]


def test_the_task_count_row_counts_only_truths_that_annotate_tasks() -> None:
    scores = Scores()
    scores.add("submission", {"tasks": []}, {"doc_type": "Tờ trình", "tasks": []})
    scores.add("resolution", {"tasks": [{"label": "1"}]}, {"doc_type": "Nghị quyết"})
    scores.add("letter", {"tasks": [{"label": "-"}]}, {"tasks": [{}, {}]})
    assert "| task count | 2 | 1 | 50.0 |" in scores.table()


def test_strings_compare_after_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Ủy ban nhân dân huyện Tân Hòa")
    assert _scores({"issuer": decomposed})["issuer"] == [1.0]


def test_cer_normalises_whitespace_and_composition() -> None:
    assert cer("Hà  Nội\n\nngày", "Ha\u0300 Nội ngày") == 0.0
    assert cer("Ha Noi", "Hà Nội") == pytest.approx(2 / 6)


@pytest.mark.slow
def test_the_bench_prints_every_table_on_a_tiny_sample(tmp_path: Path) -> None:
    gazette = sorted((TRUTH / "gazette").glob("*.json"))[:2]
    scans = sorted((REALSET / "scans").glob("*.pdf")) if (REALSET / "scans").is_dir() else []
    if not scans or not (REALSET / "ocr-synthetic").is_dir() or len(gazette) < 2:
        pytest.skip(f"the real documents ({REALSET}) or two gazette truth files are absent")
    truth = tmp_path / "truth"
    (truth / "gazette").mkdir(parents=True)
    (truth / "scans").mkdir()
    for path in gazette:
        shutil.copy(path, truth / "gazette" / path.name)
    one_page = min(scans, key=lambda path: (check_pdf(path), path.name))
    (truth / "scans" / f"{one_page.stem}.json").write_text(json.dumps(
        {"doc_type": "Công văn", "recipients": [], "annotation": {"by": "test"}}))
    done = subprocess.run(
        [sys.executable, "-m", "bench.realset", "--realset", str(REALSET), "--truth",
         str(truth), "--work", str(tmp_path / "work"), "--limit", "2", "--scan-limit", "1",
         "--jobs", "2"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    assert "(2 gazette, 1 scan truth files)" in out
    tables = re.findall(r"^### (.+?) \(.*\n\n(?:[^|\n].*\n\n)?((?:\|.*\n)+)", out, re.M)
    assert [title for title, _ in tables] == [
        "Text: official-gazette documents", "Scans: real office scans",
        "OCR: character error rate on ocr-synthetic"]
    text_rows = _rows(tables[0][1])
    assert {"number", "symbol", "issuer", "signer.name", "recipients (F1)"} <= set(text_rows)
    assert all(row[0] == "2" for row in text_rows.values())  # scored on both documents
    assert set(_rows(tables[1][1])) == {"doc_type", "recipients", "recipients (F1)"}
    assert all(row[0] == "1" for row in _rows(tables[1][1]).values())
    assert "NFC" in out
    overall = re.search(r"^\| all \| 2 \| 2 \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.—]+) \|$",
                        out, re.M)
    assert overall, out
    styles = re.search(r"^\| scan style \(gen_method\) \|.*\n\|---.*\n((?:\|.*\n)+)", out, re.M)
    assert styles and sum(int(line.split("|")[2]) for line in styles[1].splitlines()) == 2
    # A rerun reads every page from the work folder: nothing is OCR'd again.
    again = subprocess.run(
        [sys.executable, "-m", "bench.realset", "--realset", str(REALSET), "--truth",
         str(truth), "--work", str(tmp_path / "work"), "--limit", "2", "--scan-limit", "1",
         "--parts", "scans"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "0 by this run" in again.stdout


def _rows(table: str) -> dict[str, list[str]]:
    """field → [scored, right, %] of a printed accuracy table."""
    cells = [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()]
    return {row[0]: row[1:] for row in cells[2:]}


def test_calibration_counts_values_by_confidence_and_rightness(tmp_path: Path) -> None:
    truth = tmp_path / "letter.json"
    truth.write_text(json.dumps(WANT, ensure_ascii=False), encoding="utf-8")
    document = tmp_path / "letter.txt"
    got = {"number": "12", "symbol": "UBND-VK", "issuer": None,
           "signer": {"name": "Lê Văn An", "title": "Phó Chủ tịch"},
           "confidence": {"number": {"score": 0.9, "factors": {}},
                          "symbol": {"score": 0.3, "factors": {"ocr": 0.3}},
                          "signer.name": {"score": 0.4, "factors": {"ocr": 0.4}}}}
    rows = {line.split(" | ")[0].strip("| "): line
            for line in calibration([(truth, document)], {document: got}) if "|" in line}
    assert rows["number"] == "| number | 1 | 100 | 0 | — | 0 | — |"
    assert rows["symbol"] == "| symbol | 0 | — | 1 | 0 | 0 | — |"  # wrong, and said so
    assert rows["issuer"] == "| issuer | 0 | — | 0 | — | 1 | 0 |"  # left empty
    assert rows["signer.name"] == "| signer.name | 0 | — | 1 | 100 | 0 | — |"
    assert rows["all fields"].startswith("| all fields | 1 | 100 | 2 | 50 |")


def test_the_split_halves_truth_files_by_a_stable_hash_of_their_names(tmp_path: Path) -> None:
    truth, documents = tmp_path / "truth", tmp_path / "docs"
    truth.mkdir()
    documents.mkdir()
    stems = [f"letter-{i}" for i in range(40)]
    for stem in stems:
        (truth / f"{stem}.json").write_text("{}", encoding="utf-8")
        (documents / f"{stem}.pdf").write_bytes(b"")
    dev = {t.stem for t, _ in _truths(truth, documents, ".pdf", "dev")}
    check = {t.stem for t, _ in _truths(truth, documents, ".pdf", "check")}
    assert dev | check == set(stems) and not dev & check
    assert 10 <= len(dev) <= 30  # roughly halves
    assert len(_truths(truth, documents, ".pdf")) == 40
    # the same name always falls in the same half (no per-process string hash)
    assert split_of("letter-0") == split_of("letter-0") and {split_of(s) for s in stems} == {
        "dev", "check"}
    done = subprocess.run([sys.executable, "-c", "from bench.realset import split_of; "
                           "print(split_of('letter-0'))"], capture_output=True, text=True,
                          check=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "7"})
    assert done.stdout.strip() == split_of("letter-0")


def test_relations_and_scopes_are_scored_per_citation_matched_by_key() -> None:
    want = {"citations": [
        {"key": "30/2020/nd-cp", "relation": "can_cu", "scope": None},
        {"key": "12/2024/tt-btc", "relation": "bai_bo", "scope": "khoản 2 Điều 8"},
        {"key": "5/qd-ubnd", "relation": "thay_the", "scope": None},  # not found: not scored
        {"key": "9/kh-ubnd"},  # relation not annotated: not scored
    ]}
    got = {"citations": [
        {"key": "12/2024/tt-btc", "relation": "bai_bo", "scope": "Điều 8"},
        {"key": "30/2020/nd-cp", "relation": "tham_chieu", "scope": None},
        {"key": "9/kh-ubnd", "relation": "thuc_hien", "scope": None},
        {"key": "77/ubnd-vx", "relation": "tra_loi", "scope": None},  # not in the truth
    ]}
    scores = Scores()
    scores.add("letter", got, want)
    assert scores.fields["relation (per citation)"] == [0.0, 1.0]
    assert scores.fields["scope (per citation)"] == [1.0, 0.0]
    assert "| relation (per citation) | 2 | 1 | 50.0 |" in scores.table()
    assert ("letter", "relation (per citation) 30/2020/nd-cp", "tham_chieu", "can_cu") in (
        scores.misses)


def test_each_annotated_citation_has_a_known_relation_and_a_scope_key() -> None:
    from ingest.extract.relations import RELATIONS

    annotated = 0
    for path in sorted(TRUTH.glob("*/*.json")):
        for citation in json.loads(path.read_text(encoding="utf-8")).get("citations") or []:
            assert citation["relation"] in RELATIONS, path.name
            assert "scope" in citation, path.name
            annotated += 1
    assert annotated == 217
