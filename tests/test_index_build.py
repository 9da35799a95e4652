"""A rebuild reads each letter's record in part (index.documents.indexed_metadata), a sync
reads it whole (catalog_row): both must index the same."""

from __future__ import annotations

from index.documents import catalog_row, catalog_stamps, index_record, stamped_rows
from ingest import Archive, ingest_paths, open_catalog
from tests.conftest import SEEDS


def test_a_rebuild_and_a_sync_index_the_same_record_of_every_seed(tmp_path):
    archive = Archive(tmp_path / "archive")
    archive.create()
    ingest_paths(SEEDS, archive, jobs=1)
    with open_catalog(archive.catalog_path) as catalog:
        stamps = catalog_stamps(catalog)
        rebuilt = {row["id"]: index_record(row, stamp) for row, stamp in stamped_rows(catalog)}
        synced = {i: index_record(catalog_row(catalog, i), stamps[i]) for i in stamps}
    assert len(rebuilt) == len(SEEDS)
    assert rebuilt == synced
    assert any(record.cites for record in rebuilt.values())
    assert any(record.assignees for record in rebuilt.values())
    assert any(record.signer for record in rebuilt.values())


def test_each_stage_of_a_tantivy_build_goes_over_every_letter(tmp_path):
    """bench.buildstages times a rebuild's stages apart: each must read every letter."""
    from bench.buildstages import run_stage

    archive = Archive(tmp_path / "archive")
    archive.create()
    ingest_paths(SEEDS[:3], archive, jobs=1)
    with open_catalog(archive.catalog_location) as catalog:
        assert [run_stage(catalog, stage) for stage in ("read", "prepare", "fill")] == [3] * 3
