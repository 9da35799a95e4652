"""The `congvan` command package: light to import, runnable as `python -m congvan`, and the
only one that reads the environment (its Settings, handed to the stages and the web app)."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from congvan.cli import main
from congvan.settings import Settings
from ingest.store import open_catalog
from ingest.store.archive import Archive
from webui import create_app

HEAVY = ("flask", "whoosh", "tantivy", "pdfplumber")

# Runs a light command in a fresh interpreter, then prints which heavy libraries it loaded.
PROBE = """
import json, sys
from congvan.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(name for name in {heavy!r} if name in sys.modules)))
"""


def _loaded_by(*args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_import_and_help_load_no_web_search_or_pdf_library() -> None:
    assert _loaded_by("--help") == []
    assert _loaded_by("stats", "--help") == []


def test_the_command_names_the_engines_and_the_default_of_the_search_package() -> None:
    import congvan.settings
    import index

    assert congvan.settings.ENGINES == index.ENGINES
    assert congvan.settings.DEFAULT_ENGINE == index.DEFAULT_ENGINE == "tantivy"
    assert Settings(archive=Path("archive")).engine == "tantivy"


def test_stats_on_an_archive_loads_only_the_catalog(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    archive.create()
    open_catalog(archive.catalog_path).close()
    assert _loaded_by("stats", "--json", "--archive", str(archive.root)) == []


def test_user_add_loads_the_catalog_and_argon2_not_the_web_app(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    assert _loaded_by("user", "add", "vanthu", "--archive", str(archive),
                      "--password", "mat-khau-du-dai") == []
    with open_catalog(Archive(archive).catalog_path) as catalog:
        assert (catalog.password_hash("vanthu") or "").startswith("$argon2id$")


def test_python_dash_m_congvan_runs_the_command(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "congvan", "stats", "--archive",
                           str(tmp_path / "none")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "no archive at" in done.stderr


def served_app(monkeypatch: pytest.MonkeyPatch, *args: str) -> Flask:
    """The app `congvan ARGS` (a serve) would serve, waitress not started."""
    import waitress

    served: dict = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **options: served.update(app=app))
    main(list(args))
    return served["app"]


def _empty_archive(root: Path) -> Archive:
    archive = Archive(root)
    archive.create()
    open_catalog(archive.catalog_path).close()
    return archive


def test_serve_signs_cookies_with_the_secret_key_of_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = _empty_archive(tmp_path / "archive")
    monkeypatch.setenv("CONGVAN_SECRET_KEY", "k" * 48)
    assert served_app(monkeypatch, "serve", "--archive", str(archive.root)
                      ).config["SECRET_KEY"] == "k" * 48
    monkeypatch.delenv("CONGVAN_SECRET_KEY")
    kept = served_app(monkeypatch, "serve", "--archive", str(archive.root)).config["SECRET_KEY"]
    assert kept == (archive.root / "secret_key").read_text().strip() != "k" * 48


def test_a_burst_of_requests_logs_no_line_per_queued_request(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    # waitress warned "Task queue depth is N" for each request that found every thread busy:
    # 15,870 lines in a minute of 50 clients on 8 threads (bench/RESULTS.md).
    from waitress.task import ThreadedTaskDispatcher

    archive = _empty_archive(tmp_path / "archive")
    served_app(monkeypatch, "serve", "--archive", str(archive.root))
    dispatcher = ThreadedTaskDispatcher()  # no threads started: every request waits
    with caplog.at_level(logging.INFO):
        for _ in range(5):
            dispatcher.add_task(object())
    assert len(dispatcher.queue) == 5
    assert "Task queue depth" not in caplog.text


def test_the_engine_flag_reaches_the_web_app(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    archive = _empty_archive(tmp_path / "archive")
    monkeypatch.setenv("CONGVAN_ENGINE", "tantivy")
    assert served_app(monkeypatch, "serve", "--archive", str(archive.root)
                      ).config["ENGINE"] == "tantivy"
    assert served_app(monkeypatch, "--engine", "whoosh", "serve", "--archive", str(archive.root)
                      ).config["ENGINE"] == "whoosh"


def test_the_web_app_reads_no_environment(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything the app is configured with comes in its config (Settings.web_config)."""
    for name, value in {"CONGVAN_ARCHIVE": str(tmp_path / "other"), "CONGVAN_ENGINE": "whoosh",
                        "CONGVAN_BASE_URL": "https://congvan.example.gov.vn",
                        "CONGVAN_SECURE_COOKIES": "1", "CONGVAN_SECRET_KEY": "s" * 48}.items():
        monkeypatch.setenv(name, value)
    config = create_app({"ARCHIVE": str(tmp_path)}).config
    assert (config["ARCHIVE"], config["ENGINE"]) == (str(tmp_path), "tantivy")
    assert (config["BASE_URL"], config["SESSION_COOKIE_SECURE"]) == (None, False)
    assert config["SECRET_KEY"] != "s" * 48


def test_settings_give_the_web_app_its_config(tmp_path: Path) -> None:
    settings = Settings(archive=tmp_path, engine="tantivy", base_url="https://a.example",
                        secure_cookies=True, secret_key="s" * 48)
    config = create_app(settings.web_config()).config
    assert (config["ARCHIVE"], config["ENGINE"]) == (str(tmp_path), "tantivy")
    assert (config["BASE_URL"], config["SESSION_COOKIE_SECURE"]) == ("https://a.example", True)
    assert config["SECRET_KEY"] == "s" * 48
    assert "s" * 48 not in repr(settings)  # a secret stays out of logs
