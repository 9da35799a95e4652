"""The audit log: logins and their failures, logouts, uploads, account changes and exports are
recorded; admins read it paged and filtered, export it as CSV; it is pruned by age."""

from __future__ import annotations

import csv
import io
import sqlite3

import pytest

from congvan.cli import main
from ingest import Archive, open_catalog
from ingest.runners import InProcessRunner

from .test_roles import role_app, signed_in_client
from .test_upload import PASSWORD, csrf_of, finished_job, upload
from .webui_archive import QD_874, sha_id


@pytest.fixture
def app(tmp_path):
    return role_app(tmp_path, UPLOAD_RUNNER=InProcessRunner)


def entries(app, **filters) -> list:
    with open_catalog(Archive(app.config["ARCHIVE"]).catalog_path) as catalog:
        return list(catalog.iter_audit(**filters))


def latest(app, action: str):
    found = entries(app, action=action)
    assert found, f"no {action} in the audit log"
    return found[0]


def login_as(client, username: str, password: str):
    token = csrf_of(client, "/dang-nhap")
    return client.post("/dang-nhap", data={"username": username, "password": password,
                                           "csrf_token": token})


def test_logins_their_failures_and_logouts_are_audited(app):
    client = app.test_client()
    assert login_as(client, "clerk", "sai-mat-khau").status_code == 401
    failure = latest(app, "login_failed")
    assert (failure.actor, failure.target, failure.detail) == (None, "clerk",
                                                               {"reason": "password"})
    assert failure.address == "127.0.0.1"
    assert login_as(client, "clerk", PASSWORD).status_code == 302
    assert (latest(app, "login").actor, latest(app, "login").target) == ("clerk", "clerk")
    client.post("/dang-xuat", data={"csrf_token": csrf_of(client, "/")})
    assert latest(app, "logout").actor == "clerk"
    main(["user", "disable", "reader", "--archive", app.config["ARCHIVE"]])
    assert login_as(client, "reader", PASSWORD).status_code == 403
    assert latest(app, "login_failed").detail == {"reason": "disabled"}


def test_a_login_records_the_accounts_last_login(app):
    with open_catalog(Archive(app.config["ARCHIVE"]).catalog_path) as catalog:
        assert catalog.get_user("clerk").last_login is None
    signed_in_client(app, "clerk")
    with open_catalog(Archive(app.config["ARCHIVE"]).catalog_path) as catalog:
        assert catalog.get_user("clerk").last_login == latest(app, "login").at


def test_an_upload_is_audited_with_who_sent_which_file_and_the_letter_it_became(app):
    client = signed_in_client(app, "clerk")
    response = upload(client, [(QD_874.encode(), "874.txt")])
    assert finished_job(client, response)["status"] == "done"
    entry = latest(app, "upload")
    assert (entry.actor, entry.address) == ("clerk", "127.0.0.1")
    assert entry.target == response.headers["Location"].rsplit("/", 1)[1]
    assert entry.detail == {"files": [{"filename": "874.txt", "outcome": "archived",
                                       "document_id": sha_id(QD_874.encode())}]}


def test_account_changes_are_audited_from_the_command_and_the_page(app, capsys):
    archive = ["--archive", app.config["ARCHIVE"]]
    main(["user", "role", "reader", "clerk", *archive])
    main(["user", "disable", "reader", *archive])
    main(["user", "enable", "reader", *archive])
    main(["user", "passwd", "reader", *archive, "--password", "mat-khau-moi-123"])
    main(["user", "token", "reader", *archive])
    main(["user", "token", "reader", "--revoke", *archive])
    actions = [(e.action, e.target) for e in entries(app) if e.target == "reader"]
    assert actions[:6] == [("token_revoke", "reader"), ("token_add", "reader"),
                           ("user_passwd", "reader"), ("user_enable", "reader"),
                           ("user_disable", "reader"), ("user_role", "reader")]
    assert latest(app, "user_role").detail == {"old": "reader", "new": "clerk"}
    assert latest(app, "user_role").actor.startswith("cli:")
    admin = signed_in_client(app, "admin")
    token = csrf_of(admin, "/quan-tri/nguoi-dung")
    admin.post("/quan-tri/nguoi-dung/reader/vai-tro", data={"role": "admin",
                                                           "csrf_token": token})
    admin.post("/quan-tri/nguoi-dung/reader/trang-thai", data={"enabled": "0",
                                                              "csrf_token": token})
    admin.post("/quan-tri/nguoi-dung/clerk/mat-khau", data={"password": "mat-khau-moi-456",
                                                           "csrf_token": token})
    assert [(e.actor, e.action, e.target) for e in entries(app)[:3]] == [
        ("admin", "user_passwd", "clerk"), ("admin", "user_disable", "reader"),
        ("admin", "user_role", "reader")]


def test_exports_are_audited_from_the_command_and_the_web(app, capsys):
    archive = ["--archive", app.config["ARCHIVE"]]
    main(["export", "--format", "csv", *archive])
    entry = latest(app, "export")
    assert entry.actor.startswith("cli:") and entry.detail == {"format": "csv", "fields": "congvan",
                                                               "documents": 0}
    client = signed_in_client(app, "reader")
    from index import rebuild_index

    archive_obj = Archive(app.config["ARCHIVE"])
    with open_catalog(archive_obj.catalog_path) as catalog:
        rebuild_index(catalog, archive_obj.index_dir)
    assert client.get("/api/search.csv?q=ubnd").status_code == 200
    entry = latest(app, "export")
    assert (entry.actor, entry.detail) == ("reader", {"format": "csv", "query": "ubnd",
                                                      "rows": 0})


# -- the admin's page and CSV ---------------------------------------------------------------------


def test_the_audit_page_pages_newest_first_and_filters_by_action_and_actor(app):
    admin = signed_in_client(app, "admin")
    with open_catalog(Archive(app.config["ARCHIVE"]).catalog_path) as catalog:
        for number in range(60):
            catalog.audit("correct", "clerk", f"{number:012x}", {"field": "issuer"})
    first = admin.get("/quan-tri/nhat-ky").get_data(as_text=True)
    assert "Nhật ký hoạt động" in first
    table = first[first.index("<tbody>"):]
    assert table.index(">00000000003b<") < table.index(">00000000003a<")
    assert "Đăng nhập</td>" not in table  # the admin's login is older than the 50 shown
    assert "1 / 2" in first and "00000000003b" in first and "000000000000" not in first
    second = admin.get("/quan-tri/nhat-ky?page=2").get_data(as_text=True)
    assert "000000000000" in second and "Đăng nhập</td>" in second
    only_logins = admin.get("/quan-tri/nhat-ky?action=login").get_data(as_text=True)
    assert "1 mục." in only_logins and "Sửa thông tin văn bản</td>" not in only_logins
    by_clerk = admin.get("/quan-tri/nhat-ky?actor=clerk&action=correct").get_data(as_text=True)
    assert "60 mục." in by_clerk


def test_the_audit_csv_neutralises_formulas_and_is_itself_audited(app):
    with open_catalog(Archive(app.config["ARCHIVE"]).catalog_path) as catalog:
        catalog.audit("correct", "clerk", "=HYPERLINK(\"http://x\")", {"old": "@SUM(A1)"})
    admin = signed_in_client(app, "admin")
    response = admin.get("/quan-tri/nhat-ky.csv?action=correct")
    assert response.status_code == 200 and "attachment" in response.headers[
        "Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["id", "at", "actor", "action", "target", "address", "detail"]
    assert len(rows) == 2 and rows[1][4] == "'=HYPERLINK(\"http://x\")"
    assert latest(app, "export").detail["what"] == "audit_log"


def test_audit_prune_forgets_entries_older_than_the_days_given(app, capsys):
    path = Archive(app.config["ARCHIVE"]).catalog_path
    with sqlite3.connect(path) as db:  # entries of long ago
        db.execute("UPDATE audit_log SET at = '2020-01-01T00:00:00+00:00'")
    db.close()
    signed_in_client(app, "clerk")  # today's login
    main(["audit", "prune", "--older-than", "30", "--archive", app.config["ARCHIVE"]])
    assert [e.action for e in entries(app)] == ["audit_prune", "login"]
    assert latest(app, "audit_prune").detail == {"older_than_days": 30, "count": 3}


def test_serve_prunes_the_audit_log_at_start_when_told(app, monkeypatch):
    from .test_command import served_app

    path = Archive(app.config["ARCHIVE"]).catalog_path
    with sqlite3.connect(path) as db:
        db.execute("UPDATE audit_log SET at = '2020-01-01T00:00:00+00:00'")
    db.close()
    served_app(monkeypatch, "serve", "--archive", app.config["ARCHIVE"])
    assert len(entries(app)) == 3  # kept: no setting
    monkeypatch.setenv("CONGVAN_AUDIT_KEEP_DAYS", "365")
    served_app(monkeypatch, "serve", "--archive", app.config["ARCHIVE"])
    assert [e.action for e in entries(app)] == ["audit_prune"]


def test_a_command_line_ingest_is_audited_like_an_upload(tmp_path, capsys):
    letter = tmp_path / "874.txt"
    letter.write_text(QD_874, encoding="utf-8")
    archive = tmp_path / "archive"
    main(["ingest", str(letter), "--archive", str(archive), "--no-index", "--jobs", "1"])
    with open_catalog(Archive(archive).catalog_path) as catalog:
        [entry] = catalog.iter_audit(action="ingest")
    assert entry.actor.startswith("cli:")
    assert entry.detail == {"archived": 1, "duplicate": 0, "failed": 0, "skipped": 0,
                            "documents": [sha_id(QD_874.encode())]}


def test_every_action_the_code_audits_has_a_vietnamese_label():
    """The log page names each action in Vietnamese: an action audited anywhere in the code
    (`audit("x", …)`) needs its label in ACTION_LABELS."""
    import re
    from pathlib import Path

    from webui.admin_views import ACTION_LABELS

    root = Path(__file__).resolve().parents[1]
    audited = {match for package in ("ingest", "index", "webui", "congvan")
               for path in (root / package).rglob("*.py")
               for match in re.findall(r'audit\(\s*"([a-z_]+)"', path.read_text(encoding="utf-8"))}
    assert "login" in audited and "correct" in audited  # the search sees the calls
    assert audited - set(ACTION_LABELS) == set()
