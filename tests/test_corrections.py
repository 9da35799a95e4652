"""Corrections by hand, a letter's history and notes: checking values, the catalog's effective
record (columns, child rows, metadata_json), corrections surviving a new extraction, and the
index seeing corrections and notes at once on both engines."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest

from index import DEFAULT_ENGINE, open_index
from index.documents import catalog_stamps
from index.intake import update_index
from ingest import Archive, open_catalog
from ingest.curation.corrections import CorrectionError, field_value, overlay, parse_changes
from ingest.curation.reextract import reextract
from ingest.extract.metadata import extract_record
from ingest.model import DocumentRecord, Page

from .conftest import catalog_args

# A fictional letter: the machine reads its issuer from the header.
LETTER = """ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP
SỞ Y TẾ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 21/SYT-NVY
Đồng Tháp, ngày 05 tháng 3 năm 2025

V/v tăng cường phòng chống sốt xuất huyết

Kính gửi: Trung tâm Y tế các huyện, thành phố.

Thực hiện Công văn số 139/CĐ-TTg ngày 12/02/2025 của Thủ tướng Chính phủ, Sở Y tế đề nghị:

1. Trung tâm Y tế các huyện tổ chức phun hóa chất diệt muỗi, báo cáo trước ngày 30/3/2025.
2. Bệnh viện Đa khoa tỉnh chuẩn bị giường bệnh cho người bệnh sốt xuất huyết.

Nơi nhận:
- Như trên;
- Lưu: VT, NVY.

GIÁM ĐỐC

Nguyễn Văn An
"""


def add_letter(catalog, text: str = LETTER) -> str:
    data = text.encode()
    doc_id = hashlib.sha256(data).hexdigest()[:12]
    meta = extract_record(text)
    catalog.add_document(DocumentRecord(doc_id, hashlib.sha256(data).hexdigest(), "cv.txt",
                                        "text/plain", len(data), [Page(1, text)], meta))
    return doc_id


@pytest.fixture
def archive(tmp_path, catalog_url: str | None) -> Archive:
    """An archive whose catalog is on each engine in turn (conftest.catalog_location)."""
    archive = Archive(tmp_path / "archive", catalog_url)
    archive.create()
    return archive


@pytest.fixture
def catalog(archive: Archive):
    with open_catalog(archive.catalog_location) as catalog:
        yield catalog


# -- checking values -------------------------------------------------------------------------


def test_values_are_checked_like_the_extractors_output():
    values = parse_changes({
        "reference": "so 21 / syt - nvy", "date": "5/3/2025", "doc_type": "cong van",
        "recipients": "- Sở Y tế;\n\nTrung tâm Y tế các huyện\n",
        "signer": {"name": " Trần  Thị Bình ", "title": "Phó Giám đốc", "authority": "kt"},
        "citations": "139/CĐ-TTg\n139/CD-TTg\n30/2020/NĐ-CP",
        "tasks": [{"text": "Báo cáo kết quả", "assignees": "Sở Y tế; UBND các huyện",
                   "deadline": "30/03/2025"}, {"text": "", "assignees": "", "deadline": ""}],
    })
    assert values["reference"] == "21/SYT-NVY"
    assert values["date"] == "2025-03-05"
    assert values["doc_type"] == "Công văn"
    assert values["recipients"] == ["Sở Y tế", "Trung tâm Y tế các huyện"]
    assert values["signer"] == {"name": "Trần Thị Bình", "title": "Phó Giám đốc",
                                "authority": "KT."}
    assert values["citations"] == ["139/CĐ-TTg", "30/2020/NĐ-CP"]  # one per document
    assert values["tasks"] == [{"label": None, "text": "Báo cáo kết quả",
                                "assignees": ["Sở Y tế", "UBND các huyện"],
                                "deadline": "2025-03-30"}]
    assert parse_changes({"date": "3/2025"})["date"] == "2025-03"
    assert parse_changes({"date": "2025"})["date"] == "2025"
    assert parse_changes({"issuer": "  ", "reference": ""}) == {"issuer": None, "reference": None}


def test_wrong_values_are_refused_with_a_vietnamese_message_per_field():
    with pytest.raises(CorrectionError) as caught:
        parse_changes({"reference": "ngày 5 tháng 3", "date": "31/02/2025", "doc_type": "Thư tình",
                       "citations": "không phải số", "owner": "x",
                       "tasks": [{"text": "Báo cáo", "deadline": "3/2025"}],
                       "signer": {"name": "A", "authority": "XYZ"}})
    errors = caught.value.errors
    assert set(errors) == {"reference", "date", "doc_type", "citations", "owner", "tasks",
                           "signer"}
    assert "Không đọc được số, ký hiệu" in errors["reference"]
    assert "không phải là một ngày có thật" in errors["date"]
    assert "không phải là một loại văn bản" in errors["doc_type"]
    assert "thời hạn phải có ngày" in errors["tasks"]
    with pytest.raises(CorrectionError) as caught:
        parse_changes({"subject": "x" * 30_000, "recipients": 5})
    assert set(caught.value.errors) == {"subject", "recipients"}


def test_a_citations_relation_is_written_before_its_number():
    values = parse_changes({"citations": "thay the: 12/2020/QD-UBND\nSửa đổi: 7/2019/QĐ-UBND\n"
                                         "trích dẫn: 139/CĐ-TTg\n30/2020/NĐ-CP"})
    assert values["citations"] == ["thay thế: 12/2020/QĐ-UBND", "sửa đổi, bổ sung: 7/2019/QĐ-UBND",
                                   "trích dẫn: 139/CĐ-TTg", "30/2020/NĐ-CP"]
    with pytest.raises(CorrectionError) as caught:
        parse_changes({"citations": "thay thế 12/2020/QĐ-UBND"})  # no colon: not a number
    assert "dấu hai chấm" in caught.value.errors["citations"]


def test_a_relation_set_by_hand_changes_the_cited_letters_validity(catalog):
    cited = add_letter(catalog, LETTER.replace("21/SYT-NVY", "12/2020/QĐ-UBND"))
    doc_id = add_letter(catalog)
    assert catalog.machine_metadata(doc_id).citations[0].relation == "thuc_hien"
    assert field_value(catalog.get_document(doc_id)["metadata"], "citations") == [
        "thực hiện: 139/CĐ-TTg"]
    catalog.correct_metadata(doc_id, parse_changes(
        {"citations": "thực hiện: 139/CĐ-TTg\nthay thế: 12/2020/QĐ-UBND"}), "vanthu")
    assert catalog.get_document(cited)["validity"] == "bi-thay-the"
    # a line without a relation keeps the machine's; "trích dẫn" makes a plain reference
    catalog.correct_metadata(doc_id, parse_changes(
        {"citations": "139/CĐ-TTg\ntrích dẫn: 12/2020/QĐ-UBND"}), "vanthu")
    meta = catalog.get_document(doc_id)["metadata"]
    assert [(c.reference, c.relation) for c in meta.citations] == [
        ("139/CĐ-TTg", "thuc_hien"), ("12/2020/QĐ-UBND", "tham_chieu")]
    assert catalog.get_document(cited)["validity"] == "con-hieu-luc"


# -- the catalog's effective record ----------------------------------------------------------


def test_a_correction_becomes_the_letters_record_with_its_history(catalog):
    doc_id = add_letter(catalog)
    machine = catalog.get_document(doc_id)
    assert machine["issuer"] == "Sở Y tế tỉnh Đồng Tháp"
    changes = catalog.correct_metadata(doc_id, parse_changes({
        "issuer": "Văn phòng Sở Y tế", "reference": "21/SYT-NVYD",
        "subject": machine["subject"],  # unchanged: not a correction
        "citations": ["139/CĐ-TTg", "17/2017/NĐ-CP"],
        "tasks": [{"text": "Phun hóa chất", "assignees": ["Phòng Y tế các huyện"],
                   "deadline": "2025-03-30"}],
        "date": "03/2025",
    }), "vanthu")
    assert [c.field for c in changes] == ["issuer", "reference", "citations", "tasks", "date"]
    document = catalog.get_document(doc_id)
    assert document["issuer"] == "Văn phòng Sở Y tế"  # the column
    assert document["metadata"].issuer == "Văn phòng Sở Y tế"  # metadata_json
    assert (document["reference"], document["symbol"], document["ref_key"]) == (
        "21/SYT-NVYD", "SYT-NVYD", "21/syt-nvyd")
    assert (document["issued_date"], document["date_precision"]) == ("2025-03", "month")
    assert "issuer" not in document["metadata"].confidence
    # the child rows: the citation graph and the task lists see the correction
    assert [c["id"] for c in catalog.citing("17/2017/nd-cp")] == [doc_id]
    assert dict(catalog.assignee_counts()) == {"Phòng Y tế các huyện": 1}
    # the machine's record is kept apart, the corrections say who and when
    assert catalog.machine_metadata(doc_id).issuer == "Sở Y tế tỉnh Đồng Tháp"
    corrections = catalog.corrections(doc_id)
    assert set(corrections) == {"issuer", "reference", "citations", "tasks", "date"}
    assert corrections["issuer"].actor == "vanthu" and corrections["issuer"].at
    history = catalog.document_history(doc_id)
    changed = [(h.field, h.old, h.new) for h in history]
    assert ("issuer", "Sở Y tế tỉnh Đồng Tháp", "Văn phòng Sở Y tế") in changed
    assert ("date", "2025-03-05", "2025-03") in changed
    # a second correction of one field: the latest wins, both are in the history
    catalog.correct_metadata(doc_id, {"issuer": "Sở Y tế Đồng Tháp"}, "truongphong")
    assert catalog.get_document(doc_id)["issuer"] == "Sở Y tế Đồng Tháp"
    assert catalog.corrections(doc_id)["issuer"].actor == "truongphong"
    latest = catalog.document_history(doc_id)[0]
    assert (latest.field, latest.old, latest.new, latest.actor) == (
        "issuer", "Văn phòng Sở Y tế", "Sở Y tế Đồng Tháp", "truongphong")
    assert catalog.integrity_problems() == []


def test_a_correction_of_an_unknown_letter_is_refused(catalog):
    with pytest.raises(LookupError):
        catalog.correct_metadata("0123456789ab", {"issuer": "X"}, "vanthu")
    with pytest.raises(LookupError):
        catalog.add_note("0123456789ab", "x", "vanthu")


def test_a_corrected_issuer_clears_the_review_reason_it_gave():
    meta = extract_record(LETTER.replace("SỞ Y TẾ\n", "").replace(
        "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP\n", ""))
    meta = replace(meta, issuer=None, review=["no-issuer"])
    assert "no-issuer" not in overlay(meta, {"issuer": "Sở Y tế"}).review


def test_corrections_win_over_a_new_extraction(catalog):
    """An extractor upgrade (simulated: the stored extractor version is older) re-reads every
    letter; the corrected issuer stays, the fields no one corrected take the new reading."""
    doc_id = add_letter(catalog)
    catalog.correct_metadata(doc_id, {"issuer": "Văn phòng Sở Y tế"}, "vanthu")
    # what the older extractor read wrong: the subject and the signer (no one corrected them)
    stale = replace(catalog.machine_metadata(doc_id), subject="Sai", signer=None)
    catalog.replace_metadata(doc_id, stale)
    assert catalog.get_document(doc_id)["issuer"] == "Văn phòng Sở Y tế"
    assert catalog.get_document(doc_id)["subject"] == "Sai"
    assert reextract(catalog, everything=True) == [doc_id]
    document = catalog.get_document(doc_id)
    assert document["issuer"] == "Văn phòng Sở Y tế"  # corrected: kept
    assert document["subject"] == extract_record(LETTER).subject != "Sai"  # refreshed
    assert document["signer_name"] == "Nguyễn Văn An"
    assert catalog.machine_metadata(doc_id).issuer == "Sở Y tế tỉnh Đồng Tháp"  # as read


def test_reextract_without_corrections_keeps_the_machine_record_alone(catalog):
    doc_id = add_letter(catalog)
    before = catalog.get_document(doc_id)["metadata"]
    assert reextract(catalog) == []  # read by today's extractor already
    assert reextract(catalog, [doc_id]) == [doc_id]
    assert catalog.get_document(doc_id)["metadata"] == before
    assert catalog.corrections(doc_id) == {}


def test_notes_are_kept_with_who_and_when_and_in_the_history(catalog):
    doc_id = add_letter(catalog)
    catalog.add_note(doc_id, "Đã chuyển bản giấy cho phòng Nghiệp vụ.", "vanthu")
    catalog.add_note(doc_id, "Phòng Nghiệp vụ đã nhận.", "truongphong")
    notes = catalog.notes(doc_id)
    assert [(n.text, n.actor) for n in notes] == [
        ("Đã chuyển bản giấy cho phòng Nghiệp vụ.", "vanthu"),
        ("Phòng Nghiệp vụ đã nhận.", "truongphong")]
    assert catalog.get_document(doc_id)["notes_text"].endswith("Phòng Nghiệp vụ đã nhận.")
    assert catalog.document_history(doc_id)[0].field == "note"


# -- the index sees it at once -------------------------------------------------------------------


def test_stamps_of_letters_without_notes_did_not_change(catalog):
    """The notes column joined the index stamp; a letter without notes keeps the stamp it had
    (every index would else be rewritten in full after the upgrade)."""
    doc_id = add_letter(catalog)
    [(_id, values)] = list(catalog.index_stamps())
    # no notes, review flag as ingested (flag_changed_at), in force (validity_stamp)
    assert values[4:] == (None, None, None)
    before = hashlib.blake2b("\x00".join(map(str, values[:4])).encode(),
                             digest_size=12).hexdigest()
    assert catalog_stamps(catalog)[doc_id] == before


def test_a_correction_and_a_note_reach_the_index_at_once(archive, catalog, engine):
    doc_id = add_letter(catalog)
    idx = open_index(archive.index_dir, engine)
    update_index(archive, idx)
    stamp = catalog_stamps(catalog)[doc_id]
    assert idx.search('coquan:"van phong so y te"').total == 0
    catalog.correct_metadata(doc_id, {"issuer": "Văn phòng Sở Y tế"}, "vanthu")
    assert catalog_stamps(catalog)[doc_id] != stamp
    update_index(archive, idx)
    assert [h.id for h in idx.search('coquan:"van phong so y te"').hits] == [doc_id]
    facets = dict(idx.search("sot xuat huyet").facets["issuer"])
    assert facets == {"Văn phòng Sở Y tế": 1}
    stamp = catalog_stamps(catalog)[doc_id]
    catalog.add_note(doc_id, "Hồ sơ lưu tại tủ số bảy", "vanthu")
    assert catalog_stamps(catalog)[doc_id] != stamp
    update_index(archive, idx)
    assert [h.id for h in idx.search('"tu so bay"').hits] == [doc_id]


def test_congvan_reextract_keeps_corrections_and_brings_the_index_up_to_date(archive, capsys):
    from congvan.cli import main

    with open_catalog(archive.catalog_location) as catalog:
        doc_id = add_letter(catalog)
        catalog.correct_metadata(doc_id, {"issuer": "Văn phòng Sở Y tế"}, "vanthu")
        catalog.replace_metadata(doc_id, replace(catalog.machine_metadata(doc_id), subject="Sai"))
    main(["reextract", "--all", "--archive", str(archive.root), *catalog_args(archive)])
    assert "1 letter extracted again" in capsys.readouterr().err
    with open_catalog(archive.catalog_location) as catalog:
        document = catalog.get_document(doc_id)
    assert document["issuer"] == "Văn phòng Sở Y tế"
    assert document["subject"] == extract_record(LETTER).subject
    idx = open_index(archive.index_dir, DEFAULT_ENGINE)  # the engine the command used
    assert [h.id for h in idx.search('coquan:"van phong so y te"').hits] == [doc_id]
    assert idx.search("sai").total == 0
