"""Search semantics on both engines (Whoosh, tantivy): the corpus seeds and a small hand-written
catalog. Tests of Whoosh internals (block scores, its writer, skip_to, bitmaps) run on Whoosh only.

Expected sets on the corpus are computed from the letters' own text (folded), not hard-coded, so
they follow the seeds; the hand-written letters carry metadata written for these tests.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from filelock import FileLock
from hypothesis import given
from hypothesis import strategies as st

from index import (
    ENGINES,
    IndexOutdated,
    QueryError,
    check_index,
    open_index,
    rebuild_index,
    sync_index,
)
from index.accents import fold_text
from index.backend import VERSION_FILE
from index.documents import catalog_row
from index.engines import engine_dir
from index.querylang import parse_query
from index.whoosh.masks import array_bitmap, bitmap
from index.whoosh.queries import build_plan
from index.whoosh.sync import open_writer
from index.writing import lock_path
from ingest import Archive, CatalogStore, ingest_paths, open_catalog
from ingest.errors import ArchiveBusy
from ingest.model import DocumentRecord, LetterMetadata, Page
from tests.conftest import SEEDS

# -- the corpus ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_archive(tmp_path_factory):
    archive = Archive(tmp_path_factory.mktemp("corpus") / "archive")
    archive.create()
    report = ingest_paths(SEEDS, archive, jobs=1)
    ids = {Path(f.path).name[:3]: f.document_id for f in report.files}
    catalog = open_catalog(archive.catalog_path)
    yield archive, catalog, ids
    catalog.close()


@pytest.fixture(scope="module", params=ENGINES)
def corpus(seeds_archive, request):
    archive, catalog, ids = seeds_archive
    idx = open_index(archive.index_dir, request.param)
    sync_index(catalog, idx)
    texts = {row["id"]: fold_text(searchable_text(row)) for row in catalog.iter_documents()}
    return catalog, idx, ids, texts


def searchable_text(row) -> str:
    """What the full text covers: the letter's heading fields and its text."""
    heading = ("doc_type", "reference", "issuer", "parent_issuer", "subject", "text")
    return "\n".join(row[k] or "" for k in heading)


def found(idx, query: str, **options) -> list[str]:
    return [hit.id for hit in idx.search(query, per_page=50, **options).hits]


def having(texts: dict[str, str], *patterns: str) -> set[str]:
    return {i for i, t in texts.items() if all(re.search(p, t) for p in patterns)}


def test_unaccented_query_finds_the_dong_thap_letter_first(corpus):
    _catalog, idx, ids, _texts = corpus
    assert found(idx, "dong thap")[0] == ids["000"]
    assert found(idx, "Đồng Tháp")[0] == ids["000"]


def test_sextortion_words_find_exactly_the_letters_holding_them(corpus):
    _catalog, idx, ids, texts = corpus
    words = ["cat", "ghep", "hinh", "anh", "tong", "tien"]
    expected = having(texts, *(rf"\b{w}\b" for w in words))
    assert set(found(idx, " ".join(words))) == expected
    assert expected == {ids["000"], ids["001"], ids["002"], ids["004"]}


@pytest.mark.parametrize("query", ["139 cd ttg", "139/CĐ-TTg", "139/CD-TTg", "139/cđ-ttg"])
def test_number_variants_find_the_letter_citing_it(corpus, query):
    _catalog, idx, ids, _texts = corpus
    assert found(idx, query)[0] == ids["004"]


def test_cited_number_filter(corpus):
    catalog, idx, ids, _texts = corpus
    if not catalog.citing("139/cd-ttg"):
        pytest.skip("the metadata extractor did not record this citation")
    assert found(idx, "trichdan:139/CĐ-TTg") == [ids["004"]]


def test_phrase_needs_adjacent_words(corpus):
    _catalog, idx, _ids, texts = corpus
    for phrase in ("cắt ghép", "đồng tháp", "tống tiền"):
        first, second = fold_text(phrase).split()
        expected = having(texts, rf"\b{first}\W+{second}\b")
        assert set(found(idx, f'"{phrase}"')) == expected
    # and the phrase really narrows: both words are in more letters than the phrase
    assert having(texts, r"\bdong\W+thap\b") < having(texts, r"\bdong\b", r"\bthap\b")


def test_exclusion_and_or(corpus):
    _catalog, idx, _ids, texts = corpus
    with_scam = having(texts, r"\blua\b", r"\bdao\b")
    deepfake = having(texts, r"\bdeepfake\b")
    assert set(found(idx, "lua dao -deepfake")) == with_scam - deepfake
    assert set(found(idx, "deepfake OR zalo")) == deepfake | having(texts, r"\bzalo\b")


def test_fuzzy_matching_tolerates_ocr_noise(corpus):
    _catalog, idx, _ids, _texts = corpus
    assert idx.search("tong tein").total == 0
    assert set(found(idx, "tong tien")) <= set(found(idx, "tong tein~"))
    suggestion = idx.search("tong tein").suggestion
    assert suggestion and idx.search(suggestion).total > 0


def test_snippet_marks_accented_words_for_a_folded_query(corpus):
    _catalog, idx, ids, _texts = corpus
    hit = next(h for h in idx.search("dak nong").hits if h.id == ids["004"])
    assert "<mark>Đắk</mark> <mark>Nông</mark>" in hit.snippet_html


def test_facets_count_the_matching_letters(corpus):
    catalog, idx, _ids, _texts = corpus
    results = idx.search("")
    assert results.total == catalog.stats()["documents"]
    years = {}
    for row in catalog.iter_documents():
        if row["issued_date"]:
            years[row["issued_date"][:4]] = years.get(row["issued_date"][:4], 0) + 1
    assert dict(results.facets["year"]) == years
    assert sum(n for _, n in results.facets["doc_type"]) <= results.total


def test_index_agrees_with_the_catalog(corpus):
    catalog, idx, _ids, _texts = corpus
    assert check_index(catalog, idx) == {"missing": [], "stale": [], "extra": []}


@pytest.mark.parametrize(
    "query", ["dong thap", "Đồng Tháp", "cat ghep hinh anh tong tien", "139 cd ttg",
              "loai:cong-van lua dao -zalo", "deepfake OR zalo"],
)
def test_block_scores_equal_tantivy_s(seeds_archive, query):
    """Whoosh's block scores (index.whoosh.scoring) are tantivy's BM25."""
    archive, catalog, _ids = seeds_archive
    scores = {}
    for engine in ("whoosh", "tantivy"):
        idx = open_index(archive.index_dir, engine)
        sync_index(catalog, idx)
        scores[engine] = {hit.id: hit.score for hit in idx.search(query, per_page=100).hits}
    assert scores["whoosh"]
    assert scores["whoosh"] == pytest.approx(scores["tantivy"], rel=1e-4)


def test_a_row_read_by_id_is_the_row_the_catalog_iterates(corpus):
    catalog, _idx, _ids, _texts = corpus
    for row in catalog.iter_documents():
        assert catalog_row(catalog, row["id"]) == row


def test_malformed_query_is_a_query_error_not_a_crash(corpus):
    _catalog, idx, _ids, _texts = corpus
    for query in ['""', "so:", "tu:2024-02-30", "OR"]:
        with pytest.raises(QueryError):
            idx.search(query)
    with pytest.raises(QueryError):
        idx.search("lua", page=10**9)


# -- hand-written letters with metadata ------------------------------------------------------

LETTERS = [
    # id, type, reference, issuer, parent, place, date, signer, recipients, assignees, cites, text
    ("a1", "Kế hoạch", "12/KH-UBND", "Ủy ban nhân dân tỉnh Đắk Nông", None, "Đắk Nông",
     "2024-03-05", "Trần Văn Hòa", ["Các sở, ban, ngành"], ["Công an tỉnh"], [],
     "Kế hoạch phòng chống thiên tai và bão lũ năm 2024. Hòa bình cho nhân dân."),
    ("a2", "Công văn", "30/CAT-PV01", "Công an tỉnh Lâm Đồng", "Bộ Công an", "Đà Lạt",
     "2024-07-20", "Vũ Như Hà", ["UBND các huyện"], ["Sở Y tế"], ["12/kh-ubnd"],
     "Thực hiện Kế hoạch số 12/KH-UBND về phòng chống thiên tai; hoa hoa hoa nở."),
    ("a3", "Công văn", "45/SYT-NVY", "Sở Y tế tỉnh Bình Thuận", "UBND tỉnh Bình Thuận",
     "Bình Thuận", "2025-01-10", "Lê Thị Hoa", ["Các bệnh viện"], ["Công an tỉnh"],
     ["12/kh-ubnd", "139/cd-ttg"], "Tăng cường phòng chống dịch bệnh mùa mưa bão."),
    ("a4", "Quyết định", "7/QĐ-UBND", "Ủy ban nhân dân tỉnh Quảng Ninh", None, "Quảng Ninh",
     None, "Nguyễn Văn An", ["Sở Tài chính"], [], [], "Quyết định về ngân sách; thiên tai."),
]


def letter(spec) -> DocumentRecord:
    (doc_id, doc_type, reference, issuer, parent, place, date, signer, recipients, assignees,
     cites, text) = spec
    meta = {
        "doc_type": doc_type, "reference": reference, "key": None, "issuer": issuer,
        "parent_issuer": parent, "place": place, "date": date, "subject": text[:40],
        "signer": {"name": signer, "title": "Giám đốc"}, "recipients": recipients,
        "distribution": [], "tasks": [{"text": "Thực hiện", "assignees": assignees}],
        "citations": [{"key": k, "reference": k.upper()} for k in cites], "text": text,
    }
    return DocumentRecord(doc_id, doc_id * 32, f"{doc_id}.txt", "text/plain", len(text),
                          [Page(1, text)], LetterMetadata.from_dict(meta))


def write_catalog(root: Path, specs) -> tuple[Archive, CatalogStore]:
    archive = Archive(root)
    archive.create()
    catalog = open_catalog(archive.catalog_path)
    for spec in specs:
        catalog.add_document(letter(spec))
    return archive, catalog


@pytest.fixture(scope="module", params=ENGINES)
def letters(tmp_path_factory, request):
    archive, catalog = write_catalog(tmp_path_factory.mktemp("letters") / "archive", LETTERS)
    idx = rebuild_index(catalog, archive.index_dir, engine=request.param)
    yield catalog, idx
    catalog.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("so:12/KH-UBND", ["a1"]),
        ("so:12/kh-ubnd", ["a1"]),
        ("loai:ke-hoach", ["a1"]),
        ('loai:"Quyết định"', ["a4"]),
        ('coquan:"cong an"', ["a2"]),
        ('capcha:"ubnd tinh binh thuan"', ["a3"]),
        ('tinh:"dak nong"', ["a1"]),
        ("tinh:binh-thuan", ["a3"]),
        ("nam:2024", ["a1", "a2"]),
        ("tu:2024-06-01 den:2025-01-31", ["a2", "a3"]),
        ("den:2024-03-05", ["a1"]),
        ('nguoiky:"vu nhu ha"', ["a2"]),
        ('nhan:"cac benh vien"', ["a3"]),
        ('giao:"cong an tinh"', ["a1", "a3"]),
        ("trichdan:12/KH-UBND", ["a2", "a3"]),
        ("trichdan:139/CĐ-TTg", ["a3"]),
        ("thien tai -nam:2024", ["a4"]),
    ],
)
def test_each_filter(letters, query, expected):
    _catalog, idx = letters
    assert sorted(found(idx, query)) == expected


def test_merged_province_finds_its_former_provinces(letters):
    _catalog, idx = letters
    assert sorted(found(idx, 'tinh:"lam dong"')) == ["a1", "a2", "a3"]


def test_bare_number_puts_the_document_first_then_its_citers(letters):
    _catalog, idx = letters
    ids = found(idx, "12 kh ubnd")
    assert ids[0] == "a1"
    assert set(ids[1:3]) == {"a2", "a3"}


def test_accented_query_ranks_exact_accents_first(letters):
    _catalog, idx = letters
    assert set(found(idx, "hoa")) == {"a1", "a2"}
    for query in ("hòa", "hoà"):  # either tone placement
        assert found(idx, query)[0] == "a1"
    assert found(idx, "hoa")[0] != "a1"  # without accents, "hoa hoa hoa" is the best match
    assert all(0 < hit.score < 1000 for hit in idx.search("hòa").hits)  # text scores only


def test_sort_by_date_puts_undated_letters_last(letters):
    _catalog, idx = letters
    assert found(idx, "", sort="newest") == ["a3", "a2", "a1", "a4"]
    assert found(idx, "", sort="oldest") == ["a1", "a2", "a3", "a4"]


def test_pages(letters):
    _catalog, idx = letters
    first, second = (idx.search("", sort="oldest", page=p, per_page=3) for p in (1, 2))
    assert first.total == second.total == 4
    assert [h.id for h in first.hits + second.hits] == ["a1", "a2", "a3", "a4"]


def test_more_like_this_and_autocomplete(letters):
    _catalog, idx = letters
    similar = [hit.id for hit in idx.more_like_this("a1")]
    assert "a1" not in similar and similar
    assert idx.autocomplete("cong an", "issuer") == ["Công an tỉnh Lâm Đồng"]
    assert idx.autocomplete("so y", "issuer") == ["Sở Y tế tỉnh Bình Thuận"]
    assert idx.autocomplete("12/kh", "reference") == ["12/KH-UBND"]


def test_sync_adds_updates_and_deletes(tmp_path, engine):
    archive, catalog = write_catalog(tmp_path / "archive", LETTERS[:2])
    idx = open_index(archive.index_dir, engine)
    assert sync_index(catalog, idx)["added"] == 2
    catalog.add_document(letter(LETTERS[2]))
    row = catalog.get_document("a1")
    catalog.replace_metadata("a1", replace(row["metadata"], subject="Kế hoạch mới về bão"))
    assert check_index(catalog, idx) == {"missing": ["a3"], "stale": ["a1"], "extra": []}
    counts = sync_index(catalog, idx)
    assert (counts["added"], counts["updated"], counts["deleted"]) == (1, 1, 0)
    assert check_index(catalog, idx) == {"missing": [], "stale": [], "extra": []}
    assert found(idx, "ke hoach moi") == ["a1"]
    _other, smaller = write_catalog(tmp_path / "smaller", LETTERS[:1])
    assert check_index(smaller, idx)["extra"] == ["a2", "a3"]
    assert sync_index(smaller, idx)["deleted"] == 2
    assert found(idx, "") == ["a1"]


def test_a_sync_with_nothing_to_do_writes_nothing(tmp_path, engine):
    archive, catalog = write_catalog(tmp_path / "archive", LETTERS[:2])
    idx = open_index(archive.index_dir, engine)
    sync_index(catalog, idx)
    files = sorted(p.name for p in idx.index_dir.iterdir())
    counts = sync_index(catalog, idx)
    assert (counts["added"], counts["updated"], counts["deleted"]) == (0, 0, 0)
    assert sorted(p.name for p in idx.index_dir.iterdir()) == files


def test_an_updated_letter_is_found_once_after_the_searcher_moves_on(tmp_path, engine):
    # Regression: Whoosh's Searcher.refresh() kept the old copy of an updated letter.
    archive, catalog = write_catalog(tmp_path / "archive", LETTERS[:2])
    idx = open_index(archive.index_dir, engine)
    sync_index(catalog, idx)
    assert found(idx, "thien tai") == ["a1", "a2"] or found(idx, "thien tai") == ["a2", "a1"]
    row = catalog.get_document("a1")
    catalog.replace_metadata("a1", replace(row["metadata"], subject="Kế hoạch mới"))
    sync_index(catalog, idx)
    assert sorted(found(idx, "thien tai")) == ["a1", "a2"]
    assert idx.search("").total == 2


def test_rebuild_swaps_in_a_fresh_index_that_open_searchers_see(tmp_path, engine):
    archive, catalog = write_catalog(tmp_path / "archive", LETTERS[:1])
    idx = open_index(archive.index_dir, engine)
    sync_index(catalog, idx)
    assert idx.search("").total == 1
    catalog.add_document(letter(LETTERS[1]))
    name = engine_dir(archive.index_dir, engine).name
    (archive.root / f".{name}.new-999999").mkdir()  # left by a rebuild that was killed
    rebuild_index(catalog, archive.index_dir, engine=engine)
    assert idx.search("").total == 2
    leftovers = sorted(p.name for p in archive.root.iterdir() if "index" in p.name)
    assert leftovers == [f".{name}.write.lock", name]


def test_a_busy_writer_is_a_clear_error(tmp_path, engine):
    archive, catalog = write_catalog(tmp_path / "archive", LETTERS[:1])
    idx = open_index(archive.index_dir, engine)
    with FileLock(str(lock_path(idx.index_dir))), pytest.raises(ArchiveBusy):
        sync_index(catalog, idx, timeout=0.1)
    assert sync_index(catalog, idx)["added"] == 1  # the lock was released, nothing half-done


def test_a_failed_write_cancels_and_releases_the_writer(tmp_path):
    archive, catalog = write_catalog(tmp_path / "archive", LETTERS[:1])
    idx = open_index(archive.index_dir, "whoosh")
    with pytest.raises(RuntimeError), open_writer(archive.index_dir) as writer:
        writer.add_document(id="zz", content="half written")
        raise RuntimeError("boom")
    assert idx.search("").total == 0
    assert sync_index(catalog, idx)["added"] == 1


def test_another_schema_version_forces_a_rebuild(tmp_path, engine):
    archive, catalog = write_catalog(tmp_path / "archive", LETTERS[:2])
    idx = open_index(archive.index_dir, engine)
    sync_index(catalog, idx)
    (idx.index_dir / VERSION_FILE).write_text("0\n")
    stale = open_index(archive.index_dir, engine)
    assert stale.needs_rebuild
    with pytest.raises(IndexOutdated):
        stale.search("thien tai")
    assert sync_index(catalog, stale)["rebuilt"] is True
    assert stale.search("").total == 2 and not stale.needs_rebuild


def test_a_whoosh_index_pickled_from_classes_since_moved_is_rebuilt(tmp_path, monkeypatch):
    """Whoosh pickles its analyzers into the index: one written before they moved (from
    index.analysis to index.whoosh.analysis) cannot be unpickled, and must be rebuilt by the
    sync, not fail as it is opened."""
    import sys
    import types

    from whoosh import index as windex
    from whoosh.fields import ID, TEXT, Schema

    archive, catalog = write_catalog(tmp_path / "archive", LETTERS[:2])
    gone = types.ModuleType("congvan_moved_analysis")
    exec("from whoosh.analysis import RegexTokenizer\nclass Moved(RegexTokenizer): pass",
         gone.__dict__)
    monkeypatch.setitem(sys.modules, gone.__name__, gone)
    archive.index_dir.mkdir(parents=True)
    windex.create_in(str(archive.index_dir),
                     Schema(id=ID(stored=True), content=TEXT(analyzer=gone.Moved())))
    (archive.index_dir / VERSION_FILE).write_text("8\n")
    monkeypatch.delitem(sys.modules, gone.__name__)

    old = open_index(archive.index_dir, "whoosh")
    assert old.needs_rebuild
    assert sync_index(catalog, old)["rebuilt"] is True
    assert old.search("").total == 2


# -- the command line --------------------------------------------------------------------------


def run(capsys, *args: str) -> tuple[int, str]:
    from congvan.cli import main

    try:
        main(list(args))
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, capsys.readouterr().out


def test_cli_search_builds_a_missing_or_outdated_index_first(capsys, tmp_path):
    archive, _catalog = write_catalog(tmp_path / "archive", LETTERS)
    root = str(archive.root)
    code, out = run(capsys, "search", "--archive", root, "so:12/KH-UBND")
    assert code == 0 and out.startswith("1 ")
    (engine_dir(archive.index_dir) / VERSION_FILE).write_text("0\n")  # the default engine's
    code, out = run(capsys, "search", "--archive", root, "so:12/KH-UBND")
    assert code == 0 and out.startswith("1 ")


def test_cli_search_json_reindex_and_check(letters, capsys, tmp_path):
    archive, catalog = write_catalog(tmp_path / "archive", LETTERS)
    root = str(archive.root)
    assert run(capsys, "reindex", "--archive", root)[0] == 0
    code, out = run(capsys, "search", "--json", "--limit", "2", "--archive", root, "thien tai")
    data = json.loads(out)
    assert code == 0 and next(iter(data)) == "total" and data["total"] == 3
    assert len(data["hits"]) == 2
    assert {"id", "reference", "doc_type", "issuer", "date", "subject", "filename",
            "score"} <= set(data["hits"][0])
    code, out = run(capsys, "search", "--archive", root, "so:12/KH-UBND")
    assert code == 0 and "12/KH-UBND" in out and out.startswith("1 ")
    assert run(capsys, "check-index", "--archive", root)[0] == 0
    catalog.add_document(letter(("a5", *LETTERS[0][1:])))
    code, out = run(capsys, "check-index", "--archive", root)
    assert code == 1 and "a5" in out
    assert run(capsys, "search", "--archive", root, 'OR "unbalanced')[0] == 2


def test_cli_search_closes_an_open_quote_and_says_so(capsys, tmp_path):
    from congvan.cli import main

    archive, _catalog = write_catalog(tmp_path / "archive", LETTERS)
    main(["search", "--json", "--archive", str(archive.root), '"thien tai'])
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 3 and "ngoặc kép" in data["notice"]
    main(["search", "--archive", str(archive.root), '"thien tai'])
    printed = capsys.readouterr()
    assert printed.out.startswith("3 ") and "ngoặc kép" in printed.err


# -- result sets as bitmaps --------------------------------------------------------------------


@given(st.sets(st.integers(min_value=0, max_value=5000)))
def test_array_bitmaps_equal_loop_bitmaps(docnums):
    import numpy as np

    assert array_bitmap(np.array(sorted(docnums), dtype=np.int64), 5001) == bitmap(docnums, 5001)


@pytest.mark.slow  # worker processes or a second of CPU: CI runs it, the fast loop does not
def test_searches_from_threads_keep_answering_while_the_index_is_written(tmp_path, engine):
    import threading

    archive, catalog = write_catalog(tmp_path / "archive", LETTERS[:1])
    idx = open_index(archive.index_dir, engine)
    sync_index(catalog, idx)
    errors: list[BaseException] = []
    totals: list[int] = []
    done = threading.Event()

    def search_until_done() -> None:
        while not done.is_set():
            try:
                totals.append(idx.search("thien tai").total)
            except BaseException as error:  # collected for the assertion below
                errors.append(error)

    threads = [threading.Thread(target=search_until_done) for _ in range(3)]
    for thread in threads:
        thread.start()
    for number in range(2, 8):
        spec = (f"b{number}", *LETTERS[0][1:])
        catalog.add_document(letter(spec))
        sync_index(catalog, idx)
    done.set()
    for thread in threads:
        thread.join()
    assert errors == []
    assert totals and set(totals) <= set(range(1, 8))
    assert idx.search("thien tai").total == 7


def test_patched_skip_to_lands_where_whoosh_s_own_does(tmp_path):
    # index.whoosh.fixes replaces W3LeafMatcher.skip_to (a per-id loop) with a bisect.
    from index.whoosh.fixes import original_skip_to, skip_to

    specs = [(f"c{i:03d}", *LETTERS[i % 3][1:]) for i in range(300)]
    archive, catalog = write_catalog(tmp_path / "archive", specs)
    idx = rebuild_index(catalog, archive.index_dir, engine="whoosh")
    reader = idx.searcher().reader()
    targets = [0, 1, 5, 64, 127, 128, 129, 200, 255, 256, 257, 290, 299]
    for term in ("thien", "tai", "phong", "hoa"):
        landed = []
        for step in (original_skip_to, skip_to):
            matcher = reader.postings("content", term)
            assert type(matcher).__name__ == "W3LeafMatcher"
            seen = []
            for target in targets:
                if not matcher.is_active():
                    break
                step(matcher, target)
                seen.append(matcher.id() if matcher.is_active() else None)
            landed.append(seen)
        assert landed[0] == landed[1] and landed[0]


def test_exact_accents_come_first_even_against_a_much_better_folded_match(tmp_path, engine):
    flowers = ("f1", "Công văn", "3/UBND-VX", "UBND tỉnh Huế", None, "Huế", "2024-01-02",
               "A", [], [], [], "hoa hoa hoa hoa hoa hoa hoa hoa")
    peace = ("f2", "Công văn", "4/UBND-VX", "UBND tỉnh Huế", None, "Huế", "2024-01-03", "B",
             [], [], [], "Báo cáo dài về tình hình " * 30 + "hòa")
    archive, catalog = write_catalog(tmp_path / "archive", [flowers, peace])
    idx = rebuild_index(catalog, archive.index_dir, engine=engine)
    assert found(idx, "hoa") == ["f1", "f2"]
    assert found(idx, "hòa") == ["f2", "f1"]
    assert found(idx, "hoà") == ["f2", "f1"]


# -- parity of the engines on phrases (bench/parity.py found the difference on 10k letters) -----

PHRASE_LETTERS = [
    ("b1", "Kế hoạch", "10/KH-UBND", "Ủy ban nhân dân tỉnh Gia Lai", None, "Gia Lai",
     "2024-03-05", "Trần Văn Hòa", [], [], [], "Thành lập tổ công tác liên ngành Señal."),
    ("b2", "Công văn", "11/UBND-VX", "Ủy ban nhân dân tỉnh Gia Lai", None, "Gia Lai",
     "2024-03-06", "Trần Văn Hòa", [], [], [],
     "Tổ công đoàn chi trả công tác phí. Theo Quyết định số 85/QĐ-TTg và số 9/QĐ-UBND."),
    ("b3", "Quyết định", "85/QĐ-UBND", "Ủy ban nhân dân tỉnh Gia Lai", "Bộ Tài chính Việt Nam",
     "Gia Lai",
     "2024-03-07", "Trần Văn Hòa", [], [], [], "Quyết định về ngân sách."),
    ("b4", "Công văn", "12/SNV-TCCB", "Sở Nội vụ tỉnh Kon Tum", None, "Kon Tum", "2024-03-08",
     "Lê Văn Tám", [], [], [], "Ủy ban kiểm tra, ban nhân sự và nhân dân cùng họp."),
    ("b5", "Công văn", "13/SKHĐT-TH", "Sở Kế hoạch tỉnh Kon Tum", "Bộ Kế hoạch và Đầu tư",
     "Kon Tum", "2024-03-09", "Lê Văn Tám", [], [], [], "Tư vấn đầu tư công năm 2025."),
]


@pytest.fixture
def phrase_letters(tmp_path, engine):
    archive, catalog = write_catalog(tmp_path / "archive", PHRASE_LETTERS)
    idx = rebuild_index(catalog, archive.index_dir, engine=engine)
    yield idx
    catalog.close()


@pytest.mark.parametrize(("query", "expected"), [
    ('"tổ công tác"', {"b1"}),  # b2 has "tổ công" and "công tác" apart
    ("85/QĐ-UBND", {"b3"}),  # b2 has "85/QĐ" and "QĐ-UBND" in two other numbers
    ("85/qd-ubnd", {"b3"}),
    ('"quyết định số 85"', {"b2"}),
    ('"ubnd tinh gia lai"', {"b1", "b2", "b3"}),  # the issuer: "Ủy ban nhân dân tỉnh Gia Lai"
    ('"nhân dân tỉnh gia"', {"b1", "b2", "b3"}),  # in the heading
    ('"cong tac phi"', {"b2"}),
    ('"tài chính việt"', {"b3"}),  # the parent issuer (not stored: its own field)
    ('"lien nganh senal"', {"b1"}),  # text that folds beyond ASCII's table (ñ)
    ('"tổ công tác" OR "công tác phí"', {"b1", "b2"}),
    ('ngân sách -"tổ công tác"', {"b3"}),
    ('quyết định -"tổ công tác"', {"b2", "b3"}),
    ("ubnd kon tum", set()),  # b4 has "ủy ban", "ban nhân" and "nhân dân" apart
    ('"ủy ban nhân dân" kon tum', set()),
    ('"đầu tư vấn"', set()),  # b5: "đầu tư" ends the parent issuer, "tư vấn" opens the subject
    ('"kế hoạch và đầu tư"', {"b5"}),
])
def test_a_phrase_of_three_words_needs_them_side_by_side(phrase_letters, query, expected):
    """Whoosh's phrases are word pairs side by side (positions in the pairs field), as
    tantivy's are words side by side: pairs found apart, or in two values, are no phrase."""
    assert set(found(phrase_letters, query)) == expected


@pytest.mark.parametrize("engine", ["whoosh"])
def test_a_whoosh_phrase_is_read_from_positions_not_from_each_letter_s_text(phrase_letters,
                                                                              monkeypatch):
    """Checking the text of every letter holding a phrase's words took seconds at 100k."""
    from index.whoosh.facets import GenerationCache

    searcher = phrase_letters.searcher()
    reader = searcher.reader()

    def no_reading(*_args, **_kwargs):
        raise AssertionError("a phrase read a letter's stored fields")

    monkeypatch.setattr(reader, "stored_fields", no_reading)
    masks = GenerationCache((0, 0), reader).masks(reader)
    b1 = searcher.document_number(id="b1")
    for query in ('"tổ công tác"', '"liên ngành señal"', "ubnd"):
        mask = masks.mask(build_plan(parse_query(query)).query)
        assert (mask >> b1) & 1, query


@pytest.mark.parametrize("phrase", [
    ("pairs", ["cong_tac", "tac_lien"]), ("pairs", ["to_cong", "cong_tac", "tac_phi"]),
    ("pairs", ["nhan_dan", "dan_tinh", "tinh_gia"]), ("issuer", ["nhan", "dan", "tinh"]),
    ("parent", ["tai", "chinh", "viet"]), ("parent", ["ke", "hoach", "va"]),
    ("signer", ["tran", "van"]), ("issuer", ["tinh", "kon", "lai"]),
])
@pytest.mark.parametrize("engine", ["whoosh"])
def test_whoosh_phrases_read_with_numpy_equal_whoosh_s_own(phrase_letters, phrase):
    from whoosh import query as wq

    from index.whoosh.facets import GenerationCache

    searcher = phrase_letters.searcher()
    query = wq.Phrase(*phrase)
    theirs = bitmap(searcher.docs_for_query(query), searcher.doc_count_all())
    ours = GenerationCache((0, 0), searcher.reader()).masks(searcher.reader()).mask(query)
    assert ours == theirs


# -- a number lookup on an archive where letters cite the number more than the letter holds it ---

CITED = ("n0", "Kế hoạch", "12/KH-UBND", "UBND tỉnh Gia Lai", None, "Gia Lai", "2024-03-05",
         "A", [], [], [], "Kế hoạch phòng chống thiên tai năm 2024.")
# Each citer names the number in its subject and over and over in its text, and cites nothing
# else; the others cite 30 documents each, so a letter citing one weighs much in BM25.
CITERS = [(f"c{i}", "Công văn", f"{20 + i}/UBND-VX", "UBND tỉnh Gia Lai", None, "Gia Lai",
           f"2024-04-0{i + 1}", "B", [], [], ["12/kh-ubnd"],
           "Triển khai Kế hoạch số 12/KH-UBND. " + "Thực hiện Kế hoạch số 12/KH-UBND. " * (3 + i))
          for i in range(3)]
OTHERS = [(f"o{i}", "Công văn", f"{100 + i}/UBND-KT", "UBND tỉnh Gia Lai", None, "Gia Lai",
           "2023-01-01", "C", [], [], [f"{k}/qd-ttg" for k in range(1, 31)], "Báo cáo tuần.")
          for i in range(800)]


@pytest.fixture(scope="module")
def cited_catalog(tmp_path_factory):
    archive, catalog = write_catalog(tmp_path_factory.mktemp("cited") / "archive",
                                     [CITED, *CITERS, *OTHERS])
    yield archive, catalog
    catalog.close()


@pytest.mark.slow  # 800 letters written to a catalog and indexed: seconds
@pytest.mark.parametrize("engine", ENGINES)
def test_a_number_lookup_puts_the_letter_first_above_letters_citing_it_more(cited_catalog,
                                                                             engine):
    """Whoosh's number field was unscored: the letter's own match weighed a flat 1 (× 1000),
    which a citing letter's BM25-scored citation (× 100) outweighed once citations were rare
    (own letter first on 172 of 300 cited letters at 20k)."""
    archive, catalog = cited_catalog
    idx = rebuild_index(catalog, archive.index_dir, engine=engine)
    for query in ("12 kh ubnd", "12/KH-UBND", "12/kh-ubnd", "12 KH UBND"):
        ids = found(idx, query)
        assert ids[0] == "n0", query
        assert set(ids[1:4]) == {"c0", "c1", "c2"}, query


# -- equal scores and equal dates: the same order on both engines ------------------------------

def twin(number: int, date: str | None) -> tuple:
    """Letters alike in everything scored (same words, same lengths), apart from number and
    date."""
    return (f"t{number:02d}", "Công văn", f"{number + 10}/UBND-VX", "UBND tỉnh Huế", None, "Huế",
            date, "A", [], [], [], "Phòng chống thiên tai mùa mưa bão năm nay.")


# Written oldest first, so neither the order of writing nor its reverse is the newest first;
# t24-t29 share one date.
TWINS = [twin(n, f"2020-{1 + n % 12:02d}-{1 + n:02d}") for n in range(0, 24, 2)] + [
    twin(n, f"2019-{1 + n % 12:02d}-{1 + n:02d}") for n in range(1, 24, 2)] + [
    twin(n, "2021-06-01") for n in range(24, 30)] + [twin(30, None)]


@pytest.fixture(scope="module", params=ENGINES)
def twins(tmp_path_factory, request):
    archive, catalog = write_catalog(tmp_path_factory.mktemp("twins") / "archive", TWINS)
    yield {row["id"]: row["issued_date"] for row in catalog.iter_documents()}, rebuild_index(
        catalog, archive.index_dir, engine=request.param)
    catalog.close()


def test_equal_scores_come_newest_first_and_one_date_in_a_fixed_order(twins):
    """Equal scores were left in each engine's own storage order, so Whoosh and tantivy put
    different letters first (95 of 313 queries at 20k)."""
    from index.planning import newest_key, oldest_key

    dates, idx = twins
    newest = sorted(dates, key=lambda i: newest_key(dates[i] or "", i), reverse=True)
    oldest = sorted(dates, key=lambda i: oldest_key(dates[i] or "", i))
    assert newest[-1] == oldest[-1] == "t30"  # undated last either way
    hits = [h for page in (1, 2, 3, 4) for h in idx.search("thien tai", page=page,
                                                            per_page=9).hits]
    assert len({h.score for h in hits}) == 1
    assert [h.id for h in hits] == newest
    for sort, expected in (("newest", newest), ("oldest", oldest)):
        assert [h.id for page in (1, 2, 3, 4)
                for h in idx.search("", sort=sort, page=page, per_page=9).hits] == expected
