"""Roles (reader ⊆ clerk ⊆ admin) stored per account, checked on routes, shown in pages; and
the catalog's audit log primitive."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from congvan.cli import main
from ingest import Archive, open_catalog
from ingest.store import catalog_sqlite
from ingest.store.catalog import MIGRATIONS
from ingest.store.catalog_sqlite import SqliteCatalog
from webui import create_app
from webui.roles import allows

from .test_upload import PASSWORD, csrf_of

ROLE_NAMES = ("reader", "clerk", "admin")


def role_app(root: Path, **config):
    """The web app on an archive in `root` with one account per role, named after it."""
    archive = Archive(root / "archive")
    for role in ROLE_NAMES:
        main(["user", "add", role, "--role", role, "--archive", str(archive.root),
              "--password", PASSWORD])
    return create_app({"ARCHIVE": str(archive.root), "TESTING": True, **config})


def signed_in_client(app, username: str | None):
    """A test client, logged in as `username` unless None (anonymous)."""
    client = app.test_client()
    if username is not None:
        token = csrf_of(client, "/dang-nhap")
        response = client.post("/dang-nhap", data={"username": username, "password": PASSWORD,
                                                   "csrf_token": token})
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


@pytest.fixture
def app(tmp_path):
    return role_app(tmp_path)


def test_accounts_made_before_roles_become_admins_so_an_archive_keeps_working(tmp_path):
    path = tmp_path / "catalog.sqlite3"
    SqliteCatalog(path, migrations=MIGRATIONS[:4]).close()  # as the release before roles
    with sqlite3.connect(path) as old:
        old.execute("INSERT INTO users VALUES ('vanthu', 'hash', '2026-01-01T00:00:00+00:00')")
    old.close()
    with open_catalog(path) as catalog:
        account = catalog.get_user("vanthu")
        assert catalog.password_hash("vanthu") == "hash"
    assert account is not None
    assert (account.role, account.enabled, account.last_login) == ("admin", True, None)


def test_user_add_makes_a_clerk_unless_told_and_keeps_a_role_on_a_new_password(tmp_path):
    archive = tmp_path / "archive"
    main(["user", "add", "an", "--archive", str(archive), "--password", PASSWORD])
    main(["user", "add", "binh", "--role", "reader", "--archive", str(archive),
          "--password", PASSWORD])
    main(["user", "add", "binh", "--archive", str(archive), "--password", PASSWORD + "2"])
    with open_catalog(Archive(archive).catalog_path) as catalog:
        assert [(u.username, u.role) for u in catalog.list_users()] == [
            ("an", "clerk"), ("binh", "reader")]


@pytest.mark.parametrize(
    ("role", "needed", "allowed"),
    [
        ("reader", "reader", True), ("reader", "clerk", False), ("reader", "admin", False),
        ("clerk", "reader", True), ("clerk", "clerk", True), ("clerk", "admin", False),
        ("admin", "reader", True), ("admin", "clerk", True), ("admin", "admin", True),
        (None, "reader", False), ("root", "reader", False),
    ],
)
def test_each_role_may_do_what_the_roles_below_it_may(role, needed, allowed):
    assert allows(role, needed) is allowed


def test_an_unknown_role_is_refused_by_the_catalog(tmp_path):
    with open_catalog(tmp_path / "c.sqlite3") as catalog:
        catalog.set_user("an", "hash")
        with pytest.raises(Exception, match="role"):
            catalog.set_role("an", "root")
        assert catalog.get_user("an").role == "clerk"


@pytest.mark.parametrize(("username", "status"),
                         [(None, 302), ("reader", 403), ("clerk", 200), ("admin", 200)])
def test_the_upload_page_needs_a_clerk(app, username, status):
    client = signed_in_client(app, username)
    assert client.get("/tai-len").status_code == status


@pytest.mark.parametrize(("username", "shown"),
                         [(None, False), ("reader", False), ("clerk", True), ("admin", True)])
def test_pages_hide_the_upload_link_from_a_role_that_cannot_upload(app, username, shown):
    html = signed_in_client(app, username).get("/tro-giup").get_data(as_text=True)
    assert ('href="/tai-len"' in html) is shown


# -- the audit log primitive ------------------------------------------------------------------


def test_the_audit_log_keeps_who_did_what_newest_first_filtered_and_paged(tmp_path):
    with open_catalog(tmp_path / "c.sqlite3") as catalog:
        catalog.audit("login", "an", "an", None, address="10.0.0.1")
        catalog.audit("upload", "an", "job1", {"files": ["Công văn 7.txt"]})
        catalog.audit("login", "binh", "binh", None)
        catalog.audit("correct", "binh", "0123456789ab", {"field": "issuer"})
        total, page = catalog.audit_entries(limit=2)
        assert total == 4
        assert [(e.action, e.actor) for e in page] == [("correct", "binh"), ("login", "binh")]
        assert page[0].detail == {"field": "issuer"} and page[0].target == "0123456789ab"
        _, rest = catalog.audit_entries(limit=2, offset=2)
        assert [(e.action, e.detail, e.address) for e in rest] == [
            ("upload", {"files": ["Công văn 7.txt"]}, None), ("login", {}, "10.0.0.1")]
        assert catalog.audit_entries(action="login")[0] == 2
        total, mine = catalog.audit_entries(actor="an", action="upload")
        assert total == 1 and mine[0].target == "job1"
        assert [e.action for e in catalog.iter_audit(actor="binh")] == ["correct", "login"]


def test_pruning_the_audit_log_forgets_only_older_entries(tmp_path, monkeypatch):
    with open_catalog(tmp_path / "c.sqlite3") as catalog:
        monkeypatch.setattr(catalog_sqlite, "now_iso", lambda: "2026-01-01T00:00:00+00:00")
        catalog.audit("login", "an", "an", None)
        monkeypatch.setattr(catalog_sqlite, "now_iso", lambda: "2026-03-01T00:00:00+00:00")
        catalog.audit("login", "binh", "binh", None)
        assert catalog.prune_audit("2026-02-01T00:00:00+00:00") == 1
        assert [e.actor for e in catalog.iter_audit()] == ["binh"]
