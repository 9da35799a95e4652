"""`make run` passes `--archive archive`, a relative path: originals must still be served."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import Archive, ingest_paths
from webui.app import create_app

from .conftest import SEEDS


@pytest.fixture
def relative_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An archive at ./archive, with the working directory in tmp_path; returns a letter's id."""
    monkeypatch.chdir(tmp_path)
    report = ingest_paths([SEEDS[4]], Archive("archive"), jobs=1)
    assert report.files[0].outcome == "archived"
    return report.files[0].document_id or ""


def test_app_with_a_relative_archive_serves_originals(relative_archive: str) -> None:
    client = create_app({"ARCHIVE": "archive", "TESTING": True}).test_client()
    response = client.get(f"/van-ban/{relative_archive}/goc")
    assert response.status_code == 200
    assert response.data == SEEDS[4].read_bytes()


def test_serve_with_a_relative_archive_serves_originals(
    relative_archive: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import waitress

    from congvan.cli import cli

    served = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **options: served.update(app=app))
    monkeypatch.setenv("CONGVAN_ENGINE", "whoosh")  # whatever the environment around names
    monkeypatch.delenv("CONGVAN_ARCHIVE", raising=False)
    cli.main(args=["serve", "--archive", "archive"], standalone_mode=False)
    response = served["app"].test_client().get(f"/van-ban/{relative_archive}/goc")
    assert response.status_code == 200
    assert response.data == SEEDS[4].read_bytes()
