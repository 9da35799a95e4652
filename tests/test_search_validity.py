"""Validity in search (issue 16), on both engines: the `hieuluc:` filter and the facet, kept up
to date when a later letter replaces, repeals or amends an archived one (a sync by the index's
mark, a follower of the change sequence, a rebuild), and derived from the catalog only."""

from __future__ import annotations

import pytest

from index import IndexFollower, QueryError, check_index, open_index, rebuild_index, sync_index
from index.querylang import filter_for, parse_query
from ingest import Archive, open_catalog
from tests.test_catalog_relations import OLD, PART, REPEALING, REPLACING, record

OTHER = record("41/2025/QĐ-UBND", "Điều 1. Ban hành Quy chế tiếp công dân.", date=(7, 4, 2025))


def found(idx, query: str) -> set[str]:
    return {hit.id for hit in idx.search(query, per_page=100).hits}


def facet(idx, query: str = "quyet dinh") -> dict[str, int]:
    return dict(idx.search(query, per_page=100).facets["validity"])


@pytest.fixture
def archive(tmp_path):
    archive = Archive(tmp_path / "archive")
    archive.create()
    return archive


def test_a_later_letter_changes_the_earlier_ones_validity_in_search(archive, engine) -> None:
    with open_catalog(archive.catalog_location) as catalog:
        catalog.add_document(OLD)
        catalog.add_document(OTHER)
        idx = open_index(archive.index_dir, engine)
        sync_index(catalog, idx)
        assert found(idx, "hieuluc:con-hieu-luc") == {OLD.id, OTHER.id}
        assert found(idx, "hieuluc:bi-thay-the") == set()
        assert facet(idx) == {"Còn hiệu lực": 2}

        catalog.add_document(REPLACING)  # replaces OLD: OLD's entry is written again
        sync_index(catalog, idx)
        assert found(idx, "hieuluc:bi-thay-the") == {OLD.id}
        assert found(idx, 'hieuluc:"Bị thay thế"') == found(idx, "hieuluc:thay-the") == {OLD.id}
        assert found(idx, "quyet dinh -hieuluc:con-hieu-luc") == {OLD.id}
        assert facet(idx) == {"Còn hiệu lực": 2, "Bị thay thế": 1}
        [hit] = idx.search("hieuluc:bi-thay-the").hits
        assert hit.validity == "bi-thay-the"
        assert check_index(catalog, idx) == {"missing": [], "stale": [], "extra": []}

        catalog.add_document(REPEALING)
        sync_index(catalog, idx)
        assert found(idx, "hieuluc:bi-bai-bo") == {OLD.id}
        catalog.trash_document(REPEALING.id, "an")
        catalog.trash_document(REPLACING.id, "an")
        catalog.add_document(PART)  # a part repealed: amended, the rest in force
        sync_index(catalog, idx)
        assert found(idx, "hieuluc:bi-sua-doi") == {OLD.id}
        assert found(idx, "hieuluc:bi-bai-bo") == found(idx, "hieuluc:bi-thay-the") == set()

        rebuilt = rebuild_index(catalog, archive.index_dir, engine=engine)  # derived only
        for query in ("hieuluc:bi-sua-doi", "hieuluc:con-hieu-luc"):
            assert found(rebuilt, query) == found(idx, query)
        assert facet(rebuilt) == facet(idx) == {"Còn hiệu lực": 2, "Bị sửa đổi": 1}


def test_a_search_node_following_the_changes_hears_of_it(archive, engine, tmp_path) -> None:
    with open_catalog(archive.catalog_location) as catalog:
        catalog.add_document(OLD)
        node = open_index(tmp_path / "node", engine)
        follower = IndexFollower(node, lambda: open_catalog(archive.catalog_location))
        follower.catch_up(catalog)
        assert found(node, "hieuluc:con-hieu-luc") == {OLD.id}
        catalog.add_document(REPLACING)
        follower.step(catalog)  # only the letters the change sequence names are read
        assert found(node, "hieuluc:bi-thay-the") == {OLD.id}
        catalog.correct_metadata(REPLACING.id, {"citations": []}, "an")
        follower.step(catalog)
        assert found(node, "hieuluc:bi-thay-the") == set()
        assert found(node, "hieuluc:con-hieu-luc") == {OLD.id, REPLACING.id}


def test_the_validity_filter_reads_codes_labels_and_short_forms() -> None:
    def value(query: str) -> str:
        return parse_query(query).groups[0][0].text

    assert value("hieuluc:bi-thay-the") == value('hieuluc:"Bị thay thế"') == "bi-thay-the"
    assert value("hieuluc:bai-bo") == "bi-bai-bo" and value("hieuluc:con") == "con-hieu-luc"
    assert value('hieuluc:"con hieu luc"') == "con-hieu-luc"
    with pytest.raises(QueryError, match="hieuluc"):
        parse_query("hieuluc:het-han")
    assert filter_for("validity", "Bị sửa đổi") == "hieuluc:bi-sua-doi"
