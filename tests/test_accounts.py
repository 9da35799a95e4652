"""Accounts: `congvan user list|disable|enable|passwd|role|token`, API tokens for scripts, the
admin page, and a disabled account's sessions ending at once."""

from __future__ import annotations

import json
import sqlite3

import pytest

from congvan.cli import main
from ingest import Archive, open_catalog

from .test_roles import role_app, signed_in_client
from .test_upload import PASSWORD, csrf_of


@pytest.fixture
def app(tmp_path):
    return role_app(tmp_path)


def archive_of(app) -> str:
    return app.config["ARCHIVE"]


def cli(app, *args: str) -> None:
    main([*args, "--archive", archive_of(app)])


def account(app, username: str):
    with open_catalog(Archive(archive_of(app)).catalog_path) as catalog:
        return catalog.get_user(username)


def can_upload(client) -> bool:
    return client.get("/tai-len").status_code == 200


def new_token(app, username: str, capsys) -> str:
    capsys.readouterr()
    cli(app, "user", "token", username)
    return capsys.readouterr().out.strip()


def test_user_list_shows_each_account_with_its_role_and_state(app, capsys):
    cli(app, "user", "disable", "reader")
    capsys.readouterr()
    cli(app, "user", "list", "--json")
    listed = json.loads(capsys.readouterr().out)
    assert [(u["username"], u["role"], u["enabled"]) for u in listed] == [
        ("admin", "admin", True), ("clerk", "clerk", True), ("reader", "reader", False)]
    cli(app, "user", "list")
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].split("\t")[:3] == ["reader", "reader", "disabled"]


def test_user_role_changes_what_an_account_may_do_at_once(app):
    client = signed_in_client(app, "reader")
    assert not can_upload(client)
    cli(app, "user", "role", "reader", "clerk")
    assert can_upload(client)
    with pytest.raises(SystemExit) as exit_info:
        cli(app, "user", "role", "reader", "root")
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        cli(app, "user", "role", "nobody", "clerk")
    assert exit_info.value.code == 2


def test_disabling_an_account_ends_its_sessions_at_once_and_refuses_its_login(app):
    client = signed_in_client(app, "clerk")
    assert can_upload(client)
    cli(app, "user", "disable", "clerk")
    assert client.get("/tai-len").status_code == 302  # signed out
    token = csrf_of(client, "/dang-nhap")
    refused = client.post("/dang-nhap", data={"username": "clerk", "password": PASSWORD,
                                              "csrf_token": token})
    assert refused.status_code == 403 and "bị khoá" in refused.get_data(as_text=True)
    cli(app, "user", "enable", "clerk")
    assert can_upload(signed_in_client(app, "clerk"))


def test_the_session_check_refuses_a_disabled_account_whose_sessions_survived(app):
    client = signed_in_client(app, "clerk")
    path = Archive(archive_of(app)).catalog_path
    with sqlite3.connect(path) as db:  # disabled by hand: its session rows are still there
        db.execute("UPDATE users SET enabled = FALSE WHERE username = 'clerk'")
    db.close()
    assert client.get("/tai-len").status_code == 302


def test_user_passwd_ends_the_sessions_and_the_new_password_works(app):
    client = signed_in_client(app, "clerk")
    main(["user", "passwd", "clerk", "--archive", archive_of(app),
          "--password", "mat-khau-moi-123"])
    assert client.get("/tai-len").status_code == 302
    token = csrf_of(client, "/dang-nhap")
    assert client.post("/dang-nhap", data={"username": "clerk", "password": "mat-khau-moi-123",
                                           "csrf_token": token}).status_code == 302
    assert can_upload(client)
    with pytest.raises(SystemExit):
        main(["user", "passwd", "clerk", "--archive", archive_of(app), "--password", "ngan"])


# -- API tokens ----------------------------------------------------------------------------------


def test_a_script_signs_in_with_a_token_that_can_be_revoked(tmp_path, capsys):
    app = role_app(tmp_path, ANONYMOUS_READERS=False)
    client = app.test_client()
    assert client.get("/api/search?q=ubnd").status_code == 401
    token = new_token(app, "reader", capsys)
    with open_catalog(Archive(archive_of(app)).catalog_path) as catalog:
        assert token not in json.dumps(catalog.audit_entries()[1], default=str)
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/search?q=ubnd", headers=bearer).status_code != 401
    assert client.get("/api/tai-len/" + "0" * 32, headers=bearer).status_code == 403  # reader
    cli(app, "user", "token", "reader", "--revoke")
    assert client.get("/api/search?q=ubnd", headers=bearer).status_code == 401
    wrong = {"Authorization": "Bearer not-a-token"}
    assert client.get("/api/search?q=ubnd", headers=wrong).status_code == 401


def test_a_token_of_a_disabled_account_is_refused(app, capsys):
    bearer = {"Authorization": f"Bearer {new_token(app, 'clerk', capsys)}"}
    client = app.test_client()
    assert client.get("/api/tai-len/" + "0" * 32, headers=bearer).status_code == 404
    cli(app, "user", "disable", "clerk")
    assert client.get("/api/tai-len/" + "0" * 32, headers=bearer).status_code == 401
    assert client.get("/api/search?q=ubnd", headers=bearer).status_code == 401


def test_a_token_needs_no_csrf_token_and_a_cookie_still_does(app, capsys):
    bearer = {"Authorization": f"Bearer {new_token(app, 'admin', capsys)}"}
    client = app.test_client()
    changed = client.post("/quan-tri/nguoi-dung/reader/vai-tro", data={"role": "clerk"},
                          headers=bearer)
    assert changed.status_code == 303 and account(app, "reader").role == "clerk"
    browser = signed_in_client(app, "admin")
    forged = browser.post("/quan-tri/nguoi-dung/reader/vai-tro", data={"role": "reader"})
    assert forged.status_code == 400 and account(app, "reader").role == "clerk"


# -- the admin page ------------------------------------------------------------------------------


def admin_post(client, path: str, **form):
    return client.post(path, data={**form, "csrf_token": csrf_of(client, "/quan-tri/nguoi-dung")})


def test_the_admin_page_lists_accounts_with_role_state_and_last_login(app):
    signed_in_client(app, "clerk")
    html = signed_in_client(app, "admin").get("/quan-tri/nguoi-dung").get_data(as_text=True)
    assert "Quản lý người dùng" in html
    row = html[html.index("<td>clerk</td>"):].split("</tr>")[0]
    assert '<option value="clerk" selected>Văn thư</option>' in row
    assert "Đang hoạt động" in row and "Chưa đăng nhập" not in row
    reader_row = html[html.index("<td>reader</td>"):].split("</tr>")[0]
    assert "Chưa đăng nhập" in reader_row


def test_an_admin_changes_roles_disables_and_resets_passwords_from_the_page(app):
    admin = signed_in_client(app, "admin")
    clerk = signed_in_client(app, "clerk")
    assert admin_post(admin, "/quan-tri/nguoi-dung/reader/vai-tro", role="clerk").status_code == 303
    assert account(app, "reader").role == "clerk"
    assert admin_post(admin, "/quan-tri/nguoi-dung/clerk/trang-thai", enabled="0"
                      ).status_code == 303
    assert not account(app, "clerk").enabled
    assert clerk.get("/tai-len").status_code == 302  # its session ended at once
    assert admin_post(admin, "/quan-tri/nguoi-dung/clerk/trang-thai", enabled="1"
                      ).status_code == 303
    clerk = signed_in_client(app, "clerk")
    assert admin_post(admin, "/quan-tri/nguoi-dung/clerk/mat-khau", password="mat-khau-moi-123"
                      ).status_code == 303
    assert clerk.get("/tai-len").status_code == 302
    assert admin_post(admin, "/quan-tri/nguoi-dung/nobody/vai-tro", role="clerk"
                      ).status_code == 404


def test_the_last_admin_cannot_be_demoted_or_disabled_from_the_page(app):
    admin = signed_in_client(app, "admin")
    refused = admin_post(admin, "/quan-tri/nguoi-dung/admin/vai-tro", role="clerk")
    assert refused.status_code == 409 and "ít nhất một quản trị viên" in refused.get_data(
        as_text=True)
    assert admin_post(admin, "/quan-tri/nguoi-dung/admin/trang-thai", enabled="0"
                      ).status_code == 409
    assert account(app, "admin").role == "admin" and account(app, "admin").enabled
    cli(app, "user", "role", "clerk", "admin")  # with a second admin, the first may step down
    assert admin_post(admin, "/quan-tri/nguoi-dung/admin/vai-tro", role="clerk"
                      ).status_code == 303


def test_the_admin_page_escapes_account_names(tmp_path):
    app = role_app(tmp_path)
    main(["user", "add", "<b>x</b>", "--archive", archive_of(app), "--password", PASSWORD])
    html = signed_in_client(app, "admin").get("/quan-tri/nguoi-dung").get_data(as_text=True)
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
