"""The whole command on a PostgreSQL catalog (issue 14): `--catalog postgresql://…` (or
CONGVAN_CATALOG) on every command; the archive folder keeps the originals and the index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from congvan.cli import main
from ingest.store import open_catalog

from .conftest import SEEDS


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, capsys.readouterr().out


def test_ingest_search_and_show_on_a_postgresql_catalog(
        tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = str(tmp_path / "archive")
    where = ["--archive", root, "--catalog", postgres_url]
    code, out = run(capsys, "ingest", *map(str, SEEDS), *where, "--jobs", "1", "--json")
    assert code == 0
    archived = [f["document_id"] for f in json.loads(out)["files"]
                if f["outcome"] == "archived"]
    assert len(archived) == len(SEEDS)
    assert not (tmp_path / "archive" / "catalog.sqlite3").exists()  # the catalog is elsewhere
    assert any((tmp_path / "archive" / "originals").rglob("*"))
    with open_catalog(postgres_url) as catalog:
        assert sorted(catalog.document_ids()) == sorted(archived)
        assert catalog.last_change() == len(SEEDS)

    code, out = run(capsys, "search", "--json", *where, "phòng chống")
    assert code == 0 and json.loads(out)["total"] >= 1
    hit = json.loads(out)["hits"][0]["id"]
    code, out = run(capsys, "show", hit, "--json", *where)
    assert code == 0 and json.loads(out)["id"] == hit
    assert run(capsys, "check-index", *where)[0] == 0

    # the environment stands in for the flag, as for --archive
    monkeypatch.setenv("CONGVAN_CATALOG", postgres_url)
    code, out = run(capsys, "stats", "--json", "--archive", root)
    assert code == 0 and json.loads(out)["documents"] == len(SEEDS)
    # without it, the archive folder has no catalog of its own
    monkeypatch.delenv("CONGVAN_CATALOG")
    assert run(capsys, "stats", "--archive", root)[0] == 2


def test_the_web_app_reads_the_catalog_the_command_names(
        tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import waitress

    root = str(tmp_path / "archive")
    assert run(capsys, "ingest", str(SEEDS[0]), "--archive", root, "--catalog", postgres_url,
               "--jobs", "1")[0] == 0
    served: dict = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **options: served.update(app=app))
    main(["--catalog", postgres_url, "serve", "--archive", root])
    app = served["app"]
    assert app.config["CATALOG"] == postgres_url
    with open_catalog(postgres_url) as catalog:
        [document_id] = catalog.document_ids()
    answer = app.test_client().get(f"/api/documents/{document_id}")
    assert answer.status_code == 200 and answer.get_json()["id"] == document_id


def test_a_catalog_that_is_not_a_postgresql_url_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["stats", "--archive", str(tmp_path), "--catalog", str(tmp_path / "other.sqlite3")])
    assert exit_.value.code == 2
    assert "postgresql://" in capsys.readouterr().err


def test_queue_and_catalog_share_one_postgresql_database(
        tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The job queue's tables and the catalog's live side by side in one database (no extra
    server): a worker archives into the catalog the command names, not a SQLite file."""
    from ingest.jobqueue import Worker, WorkerOptions
    from ingest.runners import InProcessRunner
    from ingest.store.archive import Archive

    root = tmp_path / "archive"
    where = ["--archive", str(root), "--catalog", postgres_url]
    code, out = run(capsys, "ingest", "--queue", postgres_url, *where, "--json",
                    *map(str, SEEDS[:3]))
    assert code == 0
    batch = json.loads(out)["batch"]
    archive = Archive(root, postgres_url)
    Worker(postgres_url, archive, WorkerOptions(heartbeat=0.1, retry_wait=0),
           runner=InProcessRunner()).run(once=True)
    assert not archive.catalog_path.exists()
    with open_catalog(postgres_url) as catalog:
        assert len(catalog.document_ids()) == 3 and catalog.last_change() == 3
    code, out = run(capsys, "jobs", batch, "--queue", postgres_url, *where, "--json")
    [state] = json.loads(out)
    assert (state["done"], state["failed"]) == (3, 0)
