"""The review queue, possible duplicates found at ingest, versions and the trash, in the catalog
and the ingest pipeline (the web pages and commands are tested in test_review_web.py)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from index import open_index
from index.intake import update_index
from ingest import Archive, ingest_paths, open_catalog
from ingest.curation.duplicates import SIMILAR, similarity, text_signature
from ingest.extract.metadata import extract_record
from ingest.model import DocumentRecord, Page
from ingest.store.catalog import POSSIBLE_DUPLICATE, SAME_REFERENCE, SIMILAR_TEXT

from .conftest import SEEDS

# A fictional letter that cites another: 139/CĐ-TTg, archived in the tests below as CITED.
LETTER = """ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP
SỞ Y TẾ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 21/SYT-NVY
Đồng Tháp, ngày 05 tháng 3 năm 2025

V/v tăng cường phòng chống sốt xuất huyết

Kính gửi: Trung tâm Y tế các huyện, thành phố.

Thực hiện Công điện số 139/CĐ-TTg ngày 12/02/2025 của Thủ tướng Chính phủ, Sở Y tế đề nghị:

1. Trung tâm Y tế các huyện tổ chức phun hóa chất diệt muỗi, báo cáo trước ngày 30/3/2025.
2. Bệnh viện Đa khoa tỉnh chuẩn bị giường bệnh cho người bệnh sốt xuất huyết.

Nơi nhận:
- Như trên;
- Lưu: VT, NVY.

GIÁM ĐỐC

Nguyễn Văn An
"""

CITED = """THỦ TƯỚNG CHÍNH PHỦ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 139/CĐ-TTg
Hà Nội, ngày 12 tháng 02 năm 2025

CÔNG ĐIỆN
Về việc chủ động phòng, chống dịch sốt xuất huyết

Thủ tướng Chính phủ yêu cầu Chủ tịch Ủy ban nhân dân các tỉnh, thành phố chỉ đạo phun hóa
chất diệt muỗi, tuyên truyền người dân diệt bọ gậy và báo cáo kết quả trước ngày 30/3/2025.

Nơi nhận:
- Như trên;
- Lưu: VT.

THỦ TƯỚNG

Phạm Minh Chính
"""


def add_letter(catalog, text: str, name: str = "cv.txt") -> str:
    data = text.encode()
    sha = hashlib.sha256(data).hexdigest()
    catalog.add_document(DocumentRecord(sha[:12], sha, name, "text/plain", len(data),
                                        [Page(1, text)], extract_record(text)))
    return sha[:12]


@pytest.fixture
def archive(tmp_path: Path, catalog_url: str | None) -> Archive:
    """An archive whose catalog is on each engine in turn (conftest.catalog_location)."""
    archive = Archive(tmp_path / "archive", catalog_url)
    archive.create()
    return archive


@pytest.fixture
def catalog(archive: Archive):
    with open_catalog(archive.catalog_location) as catalog:
        yield catalog


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the review queue ---------------------------------------------------------------------------


def test_the_queue_lists_flagged_letters_oldest_first_with_their_reasons(catalog) -> None:
    first = add_letter(catalog, "Ghi chép rời không phải công văn, chỉ vài chữ.", "a.txt")
    clean = add_letter(catalog, LETTER)
    second = add_letter(catalog, "Một tờ giấy khác không có số, không có ngày.", "b.txt")
    total, rows = catalog.review_queue(limit=10)
    assert total == 2 and [row["id"] for row in rows] == [first, second]
    assert clean not in [row["id"] for row in rows]
    assert "not-a-letter" in rows[0]["review"]
    assert catalog.review_queue(limit=1, offset=1)[1][0]["id"] == second


def test_a_review_clears_the_flag_with_who_and_when_and_survives_the_same_text(catalog) -> None:
    doc = add_letter(catalog, "Ghi chép rời không phải công văn, chỉ vài chữ.")
    catalog.mark_reviewed(doc, "vanthu")
    row = catalog.get_document(doc)
    assert not row["needs_review"] and row["reviewed_by"] == "vanthu" and row["reviewed_at"]
    assert catalog.review_queue(limit=10) == (0, [])
    assert catalog.stats()["needs_review"] == 0
    # A new extraction of the same text (an extractor upgrade) does not flag it again ...
    catalog.replace_metadata(doc, row["metadata"])
    assert not catalog.get_document(doc)["needs_review"]
    # ... a new text does, and the review is forgotten.
    catalog.store_signatures([(doc, "", [])])
    catalog.replace_metadata(doc, replace(row["metadata"], text="Một văn bản khác hẳn."))
    row = catalog.get_document(doc)
    assert row["needs_review"] and row["reviewed_by"] is None
    assert catalog.unsigned_texts(10) == [(doc, "Một văn bản khác hẳn.")]  # to sign again
    with pytest.raises(LookupError):
        catalog.mark_reviewed("000000000000", "vanthu")


def test_a_review_reaches_the_index_at_once(archive, catalog, engine) -> None:
    doc = add_letter(catalog, "Ghi chép rời không phải công văn, chỉ vài chữ.")
    idx = open_index(archive.index_dir, engine)
    update_index(archive, idx)
    assert [hit.id for hit in idx.search("kiemtra:co").hits] == [doc]
    catalog.mark_reviewed(doc, "vanthu")
    update_index(archive, idx)
    assert idx.search("kiemtra:co").total == 0


# -- possible duplicates, found at ingest --------------------------------------------------------


def test_a_near_copy_and_a_same_reference_letter_are_flagged_at_ingest(archive, tmp_path) -> None:
    first = ingest_paths([write(tmp_path / "in", "cv.txt", LETTER)], archive, jobs=1)
    original = first.files[0].document_id
    assert first.files[0].review == []
    # The same letter read again with small differences (a scan: its handwritten number lost,
    # marks lost) ...
    scanned = (LETTER.replace("Số: 21/", "Số:    /").replace("phun hóa chất", "phun hoa chat")
               .replace("Kính gửi:", "Kinh gui:"))
    # ... and another text with the same number, symbol and issuer.
    same_number = LETTER.split("V/v")[0] + "V/v báo cáo tình hình dịch bệnh tháng 3\n\nNội dung."
    unrelated = SEEDS[0].read_text(encoding="utf-8")
    report = ingest_paths([write(tmp_path / "in2", "scan.txt", scanned),
                           write(tmp_path / "in2", "khac.txt", same_number),
                           write(tmp_path / "in2", "seed.txt", unrelated)], archive, jobs=1)
    by_name = {Path(f.path).name: f for f in report.files}
    assert POSSIBLE_DUPLICATE in by_name["scan.txt"].review
    assert POSSIBLE_DUPLICATE in by_name["khac.txt"].review
    assert POSSIBLE_DUPLICATE not in by_name["seed.txt"].review
    with open_catalog(archive.catalog_location) as catalog:
        scan_id = by_name["scan.txt"].document_id
        [found] = [row for row in catalog.possible_duplicates(scan_id) if row["id"] == original]
        assert found["reason"] == SIMILAR_TEXT and found["similarity"] >= SIMILAR
        # Both letters' pages show it: the archived one sees the new copy too.
        reasons = {row["id"]: row["reason"] for row in catalog.possible_duplicates(original)}
        assert reasons == {scan_id: SIMILAR_TEXT, by_name["khac.txt"].document_id: SAME_REFERENCE}
        assert catalog.possible_duplicates(by_name["seed.txt"].document_id) == []
        queue = {row["id"]: row["review"] for row in catalog.review_queue(limit=10)[1]}
        assert POSSIBLE_DUPLICATE in queue[scan_id] and original not in queue


def test_signatures_estimate_the_share_of_text_in_common() -> None:
    base = text_signature(LETTER)
    assert base is not None and text_signature("Quá ngắn.") is None
    assert similarity(base.minhash, text_signature(LETTER.upper()).minhash) == 1.0
    other = text_signature(CITED)
    assert similarity(base.minhash, other.minhash) < 0.6  # the boilerplate of any letter
    assert sum(a == b for a, b in zip(base.buckets, other.buckets, strict=True)) == 0


def test_linking_versions_puts_the_issued_one_first_and_resolves_the_flag(
        archive, tmp_path) -> None:
    ingest_paths([write(tmp_path / "a", "ban-ky.txt", LETTER)], archive, jobs=1)
    draft = LETTER.replace("phun hóa chất", "phun hoa chat")
    ingest_paths([write(tmp_path / "b", "du-thao.txt", draft)], archive, jobs=1)
    with open_catalog(archive.catalog_location) as catalog:
        issued = catalog.document_for_sha256(hashlib.sha256(LETTER.encode()).hexdigest())
        copy = catalog.document_for_sha256(hashlib.sha256(draft.encode()).hexdigest())
        assert catalog.get_document(copy)["needs_review"]
        catalog.link_versions(issued, copy, "vanthu")
        assert [row["id"] for row in catalog.versions(copy)] == [issued, copy]
        assert catalog.versions(issued)[0]["position"] == 0
        assert catalog.possible_duplicates(copy) == []
        assert not catalog.get_document(copy)["needs_review"]  # its only reason is resolved
        # The other way round: the draft becomes the issued one.
        catalog.link_versions(copy, issued, "vanthu")
        assert [row["id"] for row in catalog.versions(issued)] == [copy, issued]
        with pytest.raises(ValueError):
            catalog.link_versions(copy, copy, "vanthu")


# -- the trash ------------------------------------------------------------------------------------


def test_a_letter_in_the_trash_leaves_search_lists_and_counts_and_comes_back(
        archive, catalog, engine) -> None:
    cited, citing = add_letter(catalog, CITED), add_letter(catalog, LETTER)
    idx = open_index(archive.index_dir, engine)
    update_index(archive, idx)
    assert idx.search("so:139/CĐ-TTg").total == 1
    assert catalog.trash_document(cited, "quantri")
    assert not catalog.trash_document(cited, "quantri")  # already there
    update_index(archive, idx)
    assert idx.search("so:139/CĐ-TTg").total == 0
    assert catalog.stats()["documents"] == 1 and catalog.stats()["trashed"] == 1
    assert cited not in [row["id"] for row in catalog.latest_documents(10)]
    assert cited not in [row["id"] for row in catalog.iter_documents()]
    assert "139/cd-ttg" in [row["cited_key"] for row in catalog.unarchived_citations()]
    [trashed] = catalog.trashed_documents()
    assert trashed["id"] == cited and trashed["deleted_by"] == "quantri"
    assert catalog.get_document(cited)["deleted_at"]  # kept, for an admin to see
    assert catalog.restore_document(cited)
    update_index(archive, idx)
    assert idx.search("so:139/CĐ-TTg").total == 1
    assert [row["id"] for row in catalog.citing("139/cd-ttg")] == [citing]


def test_a_purge_removes_every_row_and_keeps_the_citations_of_others(catalog) -> None:
    cited, citing = add_letter(catalog, CITED), add_letter(catalog, LETTER)
    with pytest.raises(LookupError):
        catalog.purge_document(cited)  # only from the trash
    catalog.trash_document(cited, "quantri")
    sha256s = catalog.purge_document(cited)
    assert sha256s == [hashlib.sha256(CITED.encode()).hexdigest()]
    assert catalog.get_document(cited) is None and catalog.integrity_problems() == []
    assert catalog.document_for_sha256(sha256s[0]) is None
    assert [key for key, *_ in catalog.cited_keys(citing)] == ["139/cd-ttg"]
    [missing] = catalog.unarchived_citations()
    assert missing["cited_key"] == "139/cd-ttg" and missing["citing_count"] == 1


def test_letters_archived_before_signatures_are_signed_and_compared(archive, tmp_path) -> None:
    from ingest.store.catalog import MIGRATIONS
    from ingest.store.catalog_postgres import PostgresCatalog
    from ingest.store.catalog_sqlite import SqliteCatalog

    [ours] = [m.number for m in MIGRATIONS if m.name == "review_duplicates_trash"]
    before = MIGRATIONS[:ours - 1]
    engine = PostgresCatalog if archive.catalog_url else SqliteCatalog
    with engine(archive.catalog_location, migrations=before) as old:
        original = add_letter(old, LETTER)  # as the release before signatures archived it
    with open_catalog(archive.catalog_location) as catalog:
        assert catalog.unsigned_texts(10) == [(original, catalog.get_document(original)["text"])]
    scanned = LETTER.replace("Số: 21/", "Số:    /").replace("phun hóa chất", "phun hoa chat")
    report = ingest_paths([write(tmp_path / "in", "scan.txt", scanned)], archive, jobs=1)
    assert POSSIBLE_DUPLICATE in report.files[0].review
    with open_catalog(archive.catalog_location) as catalog:
        assert catalog.unsigned_texts(10) == []
        assert [row["id"] for row in catalog.possible_duplicates(original)] == [
            report.files[0].document_id]
