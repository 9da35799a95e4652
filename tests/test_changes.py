"""The catalog's change sequence, which search nodes follow (issue 14), and the content key that
keeps two workers from archiving the same file twice: on SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading

import pytest

from ingest.model import DocumentRecord, LetterMetadata, Page
from ingest.store import open_catalog


def letter(number: int, text: str = "Kính gửi: Sở Tài chính.") -> DocumentRecord:
    sha256 = f"{number:012x}" + "5" * 52
    metadata = LetterMetadata.from_dict({"text": text, "doc_type": "Công văn"})
    return DocumentRecord(id=sha256[:12], sha256=sha256, filename=f"cv-{number}.txt",
                          media_type="text/plain", size_bytes=10, pages=[Page(1, text)],
                          metadata=metadata)


def test_every_write_an_index_shows_takes_the_next_number(catalog_location) -> None:
    with open_catalog(catalog_location) as catalog:
        assert catalog.last_change() == 0 and catalog.changes_since(0) == []
        a, b = letter(1).id, letter(2).id
        catalog.add_document(letter(1))
        catalog.add_document(letter(2))
        assert catalog.changes_since(0) == [(1, a), (2, b)]

        def next_change_is(write, document_id: str) -> None:
            before = catalog.last_change()
            write()
            assert catalog.changes_since(before) == [(before + 1, document_id)]

        next_change_is(lambda: catalog.replace_metadata(a, LetterMetadata.from_dict(
            {"text": "Kính gửi: Sở Y tế.", "doc_type": "Công văn"})), a)
        next_change_is(lambda: catalog.correct_metadata(a, {"issuer": "Sở Y tế"}, "an"), a)
        next_change_is(lambda: catalog.add_note(b, "Đã chuyển phòng Kế toán.", "an"), b)
        next_change_is(lambda: catalog.mark_reviewed(b, "an"), b)
        next_change_is(lambda: catalog.trash_document(a, "an"), a)
        next_change_is(lambda: catalog.restore_document(a), a)
        catalog.trash_document(b, "an")
        next_change_is(lambda: catalog.purge_document(b), b)
        # one row per letter, its latest change: a follower reads each changed letter once
        last = catalog.last_change()
        assert catalog.changes_since(0) == [(last - 2, a), (last, b)]
        assert catalog.changes_since(0, limit=1) == [(last - 2, a)]


def test_writes_that_change_nothing_take_no_number(catalog_location) -> None:
    with open_catalog(catalog_location) as catalog:
        catalog.add_document(letter(1))
        catalog.correct_metadata(letter(1).id, {"issuer": "Sở Y tế"}, "an")
        last = catalog.last_change()
        assert catalog.correct_metadata(letter(1).id, {"issuer": "Sở Y tế"}, "an") == []
        assert not catalog.add_document(letter(1))  # the same bytes again
        assert not catalog.trash_document("nothere", "an")
        assert not catalog.restore_document(letter(1).id)  # not in the trash
        catalog.audit("login", "an")
        catalog.set_user("an", "hash")
        assert catalog.last_change() == last


def test_a_follower_never_misses_a_change_of_writers_at_once(catalog_location) -> None:
    """Writers on their own connections commit while a follower reads from where it stopped:
    if a later number could commit before an earlier one, the follower, past it, would miss
    the earlier letter for good."""
    writers, each = 4, 12
    done = threading.Event()
    seen: list[tuple[int, str]] = []
    failures: list[BaseException] = []

    def write(first: int) -> None:
        try:
            with open_catalog(catalog_location) as own:
                for number in range(first, first + each):
                    assert own.add_document(letter(number))
        except BaseException as error:
            failures.append(error)

    def follow() -> None:
        try:
            with open_catalog(catalog_location) as own:
                last = 0
                while True:
                    finished = done.is_set()  # read once more after the writers are done
                    batch = own.changes_since(last, limit=5)
                    seen.extend(batch)
                    last = batch[-1][0] if batch else last
                    if finished and not batch:
                        return
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=write, args=(1 + i * each,)) for i in range(writers)]
    follower = threading.Thread(target=follow)
    follower.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    follower.join(60)
    assert failures == []
    numbers = [seq for seq, _ in seen]
    assert numbers == list(range(1, writers * each + 1))  # in order, none skipped
    assert {doc for _, doc in seen} == {letter(n).id for n in range(1, writers * each + 1)}


@pytest.mark.parametrize("workers", [2, 4])
def test_workers_archiving_the_same_file_at_once_archive_it_once(catalog_location,
                                                                 workers: int) -> None:
    """The content hash is the files table's key: of workers that archive the same bytes at
    once, one writes the letter and the others are told it is already archived (False)."""
    with open_catalog(catalog_location):
        pass  # the schema, made once before the race
    start = threading.Barrier(workers)
    results: list[bool] = []
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            with open_catalog(catalog_location) as own:
                start.wait()
                results.append(own.add_document(letter(7)))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(results) == [False] * (workers - 1) + [True]
    with open_catalog(catalog_location) as catalog:
        assert catalog.document_for_sha256(letter(7).sha256) == letter(7).id
        assert catalog.document_ids() == [letter(7).id]
        assert catalog.changes_since(0) == [(1, letter(7).id)]
        assert catalog.integrity_problems() == []
