"""What the PostgreSQL catalog does its own way (ingest/store/catalog_postgres.py): writers queue
for one lock, the migrations' types as PostgreSQL reads them, upgrades, placeholders."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

from ingest.errors import ArchiveWriteError
from ingest.store import open_catalog
from ingest.store.catalog import MIGRATIONS, SessionRecord
from ingest.store.catalog_postgres import WRITE_LOCK, PostgresCatalog, _placeholders

from .test_changes import letter


def test_a_writer_waits_for_the_one_holding_the_write_lock(postgres_url: str) -> None:
    """Numbers of the change sequence become visible in order because a writer cannot even
    begin while another holds the lock (here a plain connection in the middle of its
    transaction)."""
    with open_catalog(postgres_url) as catalog, psycopg.connect(postgres_url) as holder:
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        writer = threading.Thread(target=lambda: catalog.add_document(letter(1)))
        writer.start()
        time.sleep(0.5)
        assert writer.is_alive()
        with open_catalog(postgres_url) as reader:
            assert reader.last_change() == 0
        holder.commit()  # lets go of the lock
        writer.join(10)
        assert not writer.is_alive()
        assert catalog.last_change() == 1


def test_epoch_times_and_text_keep_what_sqlite_keeps(catalog_location) -> None:
    """PostgreSQL's REAL has six digits (an epoch time would lose minutes): the migrations'
    REAL is DOUBLE PRECISION there."""
    at = 1765000000.123456
    with open_catalog(catalog_location) as catalog:
        catalog.set_user("an", "hash")
        catalog.add_session(SessionRecord("t", "an", None, at, at, at + 3600))
        assert catalog.get_session("t") == SessionRecord("t", "an", None, at, at, at + 3600)
        assert catalog.prune_sessions(at + 1, at - 1) == 0


def test_text_columns_order_by_code_point_whatever_the_databases_locale(
        postgres_url: str) -> None:
    with psycopg.connect(postgres_url) as db:
        db.execute("CREATE TABLE probe (x integer)")  # the database's own default collation
    open_catalog(postgres_url).close()
    with psycopg.connect(postgres_url) as db:
        collations = {row[0] for row in db.execute(
            "SELECT collation_name FROM information_schema.columns WHERE table_schema = "
            "'public' AND data_type = 'text'")}
        reals = db.execute("SELECT count(*) FROM information_schema.columns WHERE "
                           "table_schema = 'public' AND data_type = 'real'").fetchone()
    assert collations == {"C"}
    assert reals == (0,)


def schema(url: str) -> list[tuple]:
    with psycopg.connect(url) as db:
        columns = db.execute(
            "SELECT table_name, column_name, data_type, is_nullable, column_default, "
            "collation_name FROM information_schema.columns WHERE table_schema = 'public' "
            "ORDER BY table_name, column_name").fetchall()
        indexes = db.execute("SELECT indexname, indexdef FROM pg_indexes "
                             "WHERE schemaname = 'public' ORDER BY indexname").fetchall()
    return [*columns, *indexes]


def test_a_postgresql_catalog_of_every_older_version_is_brought_up_to_date(
        postgres_instance) -> None:
    fresh = postgres_instance.create_database()
    open_catalog(fresh).close()
    for version in range(len(MIGRATIONS)):
        url = postgres_instance.create_database()
        with PostgresCatalog(url, migrations=MIGRATIONS[:version]) as old:
            assert old.schema_version() == version
        if version >= 1:  # a letter as the first release wrote it
            with psycopg.connect(url) as db:
                db.execute("INSERT INTO documents (id, filename, ingested_at, page_count, "
                           "ocr_pages, text, metadata_json, extractor_version) VALUES "
                           "('a1', 'a1.txt', '2025-03-01T08:00:00+00:00', 1, 0, 'Kính gửi', "
                           "'{}', 1)")
        with open_catalog(url) as upgraded:
            assert upgraded.schema_version() == len(MIGRATIONS)
            assert upgraded.document_ids() == (["a1"] if version >= 1 else [])
        assert schema(url) == schema(fresh), version
        postgres_instance.drop_database(url)
    postgres_instance.drop_database(fresh)


@pytest.mark.parametrize(("shared", "psycopg_sql"), [
    ("SELECT id FROM t WHERE a = ? AND b = ?", "SELECT id FROM t WHERE a = %s AND b = %s"),
    ("SELECT '?', x FROM t WHERE y = ?", "SELECT '?', x FROM t WHERE y = %s"),
    ("SELECT 100 % 7 FROM t WHERE y = ?", "SELECT 100 %% 7 FROM t WHERE y = %s"),
])
def test_placeholders_become_psycopgs(shared: str, psycopg_sql: str) -> None:
    assert _placeholders(shared) == psycopg_sql


def test_a_writer_that_gives_up_waiting_for_the_lock_can_write_later(postgres_url: str) -> None:
    """A lock timeout is "cannot be written" (ArchiveWriteError), and leaves no transaction
    open behind it: the next write goes through."""
    with (psycopg.connect(postgres_url) as holder,
          open_catalog(f"{postgres_url}&options=-c%20lock_timeout%3D200") as catalog):
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        with pytest.raises(ArchiveWriteError, match="cannot be written"):
            catalog.add_document(letter(1))
        holder.commit()
        assert catalog.add_document(letter(1))
        assert catalog.document_ids() == [letter(1).id]
