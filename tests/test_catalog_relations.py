"""Citations' relations in the catalog (issue 16, migration 0011) and the validity derived from
them: stored and read back, a later letter that replaces, repeals or amends an archived one,
the change sequence that carries it to search indexes, and archives made before: on SQLite and
PostgreSQL alike."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from index.documents import catalog_stamps
from ingest.curation.reextract import reextract
from ingest.extract.relations import AMENDED, IN_FORCE, REPEALED, REPLACED
from ingest.model import DocumentRecord, Page
from ingest.recipe import extract_pages
from ingest.store import open_catalog
from ingest.store.catalog import MIGRATIONS
from ingest.store.catalog_sqlite import SqliteCatalog

HEAD = ("ỦY BAN NHÂN DÂN\nTỈNH BÌNH ĐỊNH\nSố: {number}\nBình Định, ngày {day} tháng {month} năm "
        "{year}\n\nQUYẾT ĐỊNH\n{subject}\n\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\n\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n\n"
        "QUYẾT ĐỊNH:\n\n")
FOOT = "\n\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n\nCHỦ TỊCH\n\nNguyễn Văn An\n"


def record(number: str, body: str, *, date: tuple[int, int, int] = (5, 3, 2025),
           subject: str = "Về việc quản lý chợ") -> DocumentRecord:
    day, month, year = date
    text = HEAD.format(number=number, day=day, month=month, year=year, subject=subject) + body \
        + FOOT
    sha256 = hashlib.sha256(text.encode()).hexdigest()
    pages = [Page(1, text)]
    return DocumentRecord(id=sha256[:12], sha256=sha256, filename=f"{sha256[:6]}.txt",
                          media_type="text/plain", size_bytes=len(text.encode()), pages=pages,
                          metadata=extract_pages(pages))


OLD = record("12/2020/QĐ-UBND", "Điều 1. Ban hành Quy chế quản lý chợ.", date=(2, 1, 2020))
REPLACING = record("30/2025/QĐ-UBND", "Điều 1. Quyết định này thay thế Quyết định số "
                   "12/2020/QĐ-UBND ngày 02/01/2020 của Ủy ban nhân dân tỉnh.")
PART = record("31/2025/QĐ-UBND", "Điều 1. Bãi bỏ khoản 2 Điều 4 Quyết định số 12/2020/QĐ-UBND.")
REPEALING = record("32/2025/QĐ-UBND", "Điều 1. Bãi bỏ Quyết định số 12/2020/QĐ-UBND ngày "
                   "02/01/2020 của Ủy ban nhân dân tỉnh.", date=(9, 9, 2025))
BEFORE = record("5/2019/QĐ-UBND", "Điều 1. Thay thế Quyết định số 12/2020/QĐ-UBND.",
                date=(1, 1, 2019))  # dated before the letter it names: not a later letter


def test_a_citations_relation_and_scope_are_stored_and_read_back(catalog_location) -> None:
    with open_catalog(catalog_location) as catalog:
        for letter in (OLD, REPLACING, PART):
            catalog.add_document(letter)
        [citation] = catalog.get_document(PART.id)["metadata"].citations
        assert (citation.key, citation.relation, citation.scope) == (
            "12/2020/qd-ubnd", "bai_bo", "khoản 2 Điều 4")
        assert catalog.cited_keys(REPLACING.id) == [("12/2020/qd-ubnd", "12/2020/QĐ-UBND",
                                                      "thay_the")]
        assert {(row["id"], row["relation"], row["scope"]) for row in catalog.citing(
            "12/2020/qd-ubnd")} == {(REPLACING.id, "thay_the", None),
                                    (PART.id, "bai_bo", "khoản 2 Điều 4")}
        later = catalog.relations_to(OLD.id)
        assert [(row["id"], row["relation"]) for row in later] == [
            (REPLACING.id, "thay_the"), (PART.id, "bai_bo")] or [
            (row["id"], row["relation"]) for row in later] == [
            (PART.id, "bai_bo"), (REPLACING.id, "thay_the")]
        assert [row["reference"] for row in catalog.relations_to(OLD.id, ["thay_the"])] == [
            "30/2025/QĐ-UBND"]
        [earlier] = catalog.relations_from(REPLACING.id)
        assert (earlier["id"], earlier["relation"], earlier["reference"]) == (
            OLD.id, "thay_the", "12/2020/QĐ-UBND")
        assert catalog.relations_from(OLD.id) == [] and catalog.relations_to(PART.id) == []


def test_validity_is_derived_from_later_letters(catalog_location) -> None:
    with open_catalog(catalog_location) as catalog:
        catalog.add_document(OLD)
        assert catalog.get_document(OLD.id)["validity"] == IN_FORCE
        catalog.add_document(BEFORE)  # names it, but dated before it
        assert catalog.get_document(OLD.id)["validity"] == IN_FORCE
        catalog.add_document(PART)  # a part repealed: the rest stands
        assert catalog.get_document(OLD.id)["validity"] == AMENDED
        catalog.add_document(REPLACING)
        assert catalog.get_document(OLD.id)["validity"] == REPLACED
        catalog.add_document(REPEALING)
        assert catalog.get_document(OLD.id)["validity"] == REPEALED
        catalog.trash_document(REPEALING.id, "an")
        assert catalog.get_document(OLD.id)["validity"] == REPLACED
        catalog.trash_document(REPLACING.id, "an")
        assert catalog.get_document(OLD.id)["validity"] == AMENDED
        catalog.restore_document(REPLACING.id)
        assert catalog.get_document(OLD.id)["validity"] == REPLACED
        assert catalog.get_document(REPLACING.id)["validity"] == IN_FORCE
        rows = {row["id"]: row for row in catalog.iter_documents_unordered()}
        assert rows[OLD.id]["validity"] == REPLACED and rows[PART.id]["validity"] == IN_FORCE


def test_a_later_letter_changes_the_earlier_ones_index_entry(catalog_location) -> None:
    """Its validity is in what the index shows of it: the letter that replaces it gives it a
    change of its own (followers rewrite it) and a new stamp (a full sync rewrites it)."""
    with open_catalog(catalog_location) as catalog:
        catalog.add_document(OLD)
        catalog.add_document(record("40/2025/QĐ-UBND", "Điều 1. Ban hành quy chế khác."))
        stamp = catalog_stamps(catalog)[OLD.id]

        def changed_by(write) -> set[str]:
            before = catalog.last_change()
            write()
            return {document_id for _seq, document_id in catalog.changes_since(before)}

        assert changed_by(lambda: catalog.add_document(REPLACING)) == {REPLACING.id, OLD.id}
        assert catalog_stamps(catalog)[OLD.id] != stamp
        assert catalog_stamps(catalog, [OLD.id]) == {OLD.id: catalog_stamps(catalog)[OLD.id]}
        assert changed_by(lambda: catalog.trash_document(REPLACING.id, "an")) == {
            REPLACING.id, OLD.id}
        assert catalog_stamps(catalog)[OLD.id] == stamp  # in force again
        assert changed_by(lambda: catalog.restore_document(REPLACING.id)) == {REPLACING.id,
                                                                              OLD.id}
        # a clerk takes the citation away: the letter is in force again, and its index hears it
        assert changed_by(lambda: catalog.correct_metadata(
            REPLACING.id, {"citations": []}, "an")) == {REPLACING.id, OLD.id}
        assert catalog.get_document(OLD.id)["validity"] == IN_FORCE
        catalog.add_document(REPEALING)
        catalog.trash_document(REPEALING.id, "an")
        assert changed_by(lambda: catalog.purge_document(REPEALING.id)) == {REPEALING.id,
                                                                             OLD.id}
        assert changed_by(lambda: catalog.add_note(OLD.id, "Đã xem.", "an")) == {OLD.id}


def test_letters_archived_before_relations_get_them_from_reextract(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite3"
    ours = next(m.number for m in MIGRATIONS if m.name == "citation_relations")
    with SqliteCatalog(path, migrations=MIGRATIONS[:ours - 1]) as old:
        old.add_document(OLD)
        old.add_document(REPLACING)  # as the release before wrote it: no relation
    with sqlite3.connect(path) as db:  # read by the extractor of the release before
        db.execute("UPDATE documents SET extractor_version = 1")
    db.close()
    with open_catalog(path) as catalog:
        assert catalog.cited_keys(REPLACING.id) == [("12/2020/qd-ubnd", "12/2020/QĐ-UBND", None)]
        assert catalog.get_document(OLD.id)["validity"] == IN_FORCE
        done = reextract(catalog)  # the letters an older extractor read
        assert set(done) == {OLD.id, REPLACING.id}
        assert catalog.cited_keys(REPLACING.id) == [("12/2020/qd-ubnd", "12/2020/QĐ-UBND",
                                                      "thay_the")]
        assert catalog.get_document(OLD.id)["validity"] == REPLACED
        assert reextract(catalog) == []  # done once
