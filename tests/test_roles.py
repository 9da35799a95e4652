"""Roles (reader ⊆ clerk ⊆ admin) stored per account, checked on routes, shown in pages; and
the catalog's audit log primitive."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from congvan.cli import main
from ingest import Archive, open_catalog
from ingest.store import catalog_sql
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


def test_an_unknown_role_is_refused_by_the_catalog(catalog_location):
    with open_catalog(catalog_location) as catalog:
        catalog.set_user("an", "hash")
        with pytest.raises(Exception, match="role"):
            catalog.set_role("an", "root")
        assert catalog.get_user("an").role == "clerk"


@pytest.mark.parametrize(("username", "links"), [
    (None, set()), ("reader", set()), ("clerk", {"/tai-len"}),
    ("admin", {"/tai-len", "/quan-tri/nguoi-dung", "/quan-tri/nhat-ky"})])
def test_pages_show_only_the_links_a_role_can_use(clients, username, links):
    html = clients(True, username).get("/tro-giup").get_data(as_text=True)
    staff_links = {"/tai-len", "/quan-tri/nguoi-dung", "/quan-tri/nhat-ky"}
    assert {link for link in staff_links if f'href="{link}"' in html} == links


# -- the audit log primitive ------------------------------------------------------------------


def test_the_audit_log_keeps_who_did_what_newest_first_filtered_and_paged(catalog_location):
    with open_catalog(catalog_location) as catalog:
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


def test_pruning_the_audit_log_forgets_only_older_entries(catalog_location, monkeypatch):
    with open_catalog(catalog_location) as catalog:
        monkeypatch.setattr(catalog_sql, "now_iso", lambda: "2026-01-01T00:00:00+00:00")
        catalog.audit("login", "an", "an", None)
        monkeypatch.setattr(catalog_sql, "now_iso", lambda: "2026-03-01T00:00:00+00:00")
        catalog.audit("login", "binh", "binh", None)
        assert catalog.prune_audit("2026-02-01T00:00:00+00:00") == 1
        assert [e.actor for e in catalog.iter_audit()] == ["binh"]


# -- every route × role ---------------------------------------------------------------------

ANON, READER, CLERK, ADMIN = None, "reader", "clerk", "admin"
WHO = (ANON, READER, CLERK, ADMIN)
SEED = sorted((Path(__file__).resolve().parent.parent / "corpus").glob("0*.txt"))[0]
DOC = "{doc}"  # replaced by the archived letter's id
JOB = "0" * 32  # no such upload batch: a role that may see batches gets 404
NONE = "f" * 12  # no such letter

# (method, path, form, expected status for anonymous, reader, clerk, admin) with anonymous
# readers allowed (the default); when they are not, READ_ONLY_CLOSED says what anonymous gets.
ROUTES = [
    ("GET", "/", None, (200, 200, 200, 200)),
    ("GET", "/?q=dong+thap", None, (200, 200, 200, 200)),
    ("GET", "/tro-giup", None, (200, 200, 200, 200)),
    ("GET", f"/van-ban/{DOC}", None, (200, 200, 200, 200)),
    ("GET", f"/van-ban/{DOC}/goc", None, (200, 200, 200, 200)),
    ("GET", f"/van-ban/{DOC}/do-thi.svg", None, (200, 200, 200, 200)),
    ("GET", "/chua-luu-tru", None, (200, 200, 200, 200)),
    ("GET", "/nhiem-vu", None, (200, 200, 200, 200)),
    ("GET", "/nhiem-vu/co-quan?ten=Ủy+ban+nhân+dân+tỉnh+Đồng+Tháp", None, (200, 200, 200, 200)),
    ("GET", "/nhiem-vu/don-vi?ten=Các+sở,+ngành", None, (200, 200, 200, 200)),  # a group
    ("GET", "/nhiem-vu/co-quan.csv?ten=Ủy+ban+nhân+dân", None, (200, 200, 200, 200)),
    ("GET", "/nhiem-vu/co-quan.ics?ten=Ủy+ban+nhân+dân", None, (200, 200, 200, 200)),
    ("GET", "/api/nhiem-vu?co-quan=Ủy+ban+nhân+dân", None, (200, 200, 200, 200)),
    ("POST", f"/van-ban/{NONE}/nhiem-vu/0/trang-thai", {"status": "done"},
     (302, 403, 404, 404)),
    ("POST", f"/api/documents/{NONE}/tasks/0/status", {"status": "done"},
     (401, 403, 400, 400)),  # 400: a form, not the JSON the API takes, past the role
    ("GET", "/api/goi-y?q=ubnd&field=issuer", None, (200, 200, 200, 200)),
    ("GET", "/api/search?q=dong+thap", None, (200, 200, 200, 200)),
    ("GET", "/api/facets?q=dong+thap", None, (200, 200, 200, 200)),
    ("GET", f"/api/documents/{DOC}", None, (200, 200, 200, 200)),
    ("GET", f"/api/documents/{DOC}/citations", None, (200, 200, 200, 200)),
    ("POST", f"/van-ban/{DOC}/sua", {"issuer": "Sở Thông tin và Truyền thông"},
     (302, 403, 303, 303)),
    ("POST", f"/van-ban/{DOC}/ghi-chu", {"text": "Đã chuyển bản giấy"}, (302, 403, 303, 303)),
    ("PATCH", f"/api/documents/{DOC}", {"subject": "Về việc thử"}, (401, 403, 200, 200)),
    ("GET", "/api/search.csv?q=dong+thap", None, (200, 200, 200, 200)),
    ("GET", f"/api/documents/{DOC}/phu-luc-vi", None, (200, 200, 200, 200)),
    ("GET", f"/api/documents/{DOC}/phu-luc-vi.csv", None, (200, 200, 200, 200)),
    ("GET", "/api/phu-luc-vi?q=dong+thap", None, (200, 200, 200, 200)),
    ("GET", "/api/phu-luc-vi.csv?q=dong+thap", None, (200, 200, 200, 200)),
    ("POST", f"/van-ban/{DOC}/so-dang-ky", {"direction": "den"}, (302, 403, 303, 303)),
    ("PATCH", f"/api/documents/{DOC}/register", {"direction": "den", "unit": "Văn phòng"},
     (401, 403, 200, 200)),
    ("GET", f"/api/documents/{DOC}/register", None, (200, 200, 200, 200)),
    ("GET", "/so-van-ban/den", None, (200, 200, 200, 200)),
    ("GET", "/so-van-ban/di?nam=2025&trang=2", None, (200, 200, 200, 200)),
    ("GET", "/so-van-ban/den.csv?nam=2025", None, (200, 200, 200, 200)),
    ("GET", "/tai-len", None, (302, 403, 200, 200)),
    ("POST", "/tai-len", {}, (302, 403, 400, 400)),  # 400: no file chosen, past the role
    ("GET", f"/tai-len/{JOB}", None, (302, 403, 404, 404)),
    ("GET", f"/api/tai-len/{JOB}", None, (401, 403, 404, 404)),
    ("GET", "/hang-doi", None, (302, 403, 200, 200)),  # the job queue's batches
    ("GET", "/api/hang-doi", None, (401, 403, 200, 200)),
    ("GET", "/quan-tri/nguoi-dung", None, (302, 403, 403, 200)),
    ("POST", "/quan-tri/nguoi-dung/reader/vai-tro", {"role": "reader"}, (302, 403, 403, 303)),
    ("POST", "/quan-tri/nguoi-dung/reader/trang-thai", {"enabled": "1"}, (302, 403, 403, 303)),
    ("POST", "/quan-tri/nguoi-dung/reader/mat-khau", {"password": "ngan"},
     (302, 403, 403, 400)),  # 400: too short, past the role
    ("GET", "/quan-tri/nhat-ky", None, (302, 403, 403, 200)),
    ("GET", "/quan-tri/nhat-ky.csv", None, (302, 403, 403, 200)),
    # The review queue and the trash; the changes are asked of a letter that is not archived
    # (NONE), so that the shared archive stays as it is: 404 means the role was let through.
    ("GET", "/can-kiem-tra", None, (302, 403, 200, 200)),
    ("POST", f"/van-ban/{NONE}/da-kiem-tra", {}, (302, 403, 404, 404)),
    ("POST", f"/van-ban/{NONE}/phien-ban", {"other": DOC}, (302, 403, 404, 404)),
    ("POST", f"/van-ban/{NONE}/xoa", {}, (302, 403, 403, 404)),
    ("GET", "/thung-rac", None, (302, 403, 403, 200)),
    ("POST", f"/thung-rac/{NONE}/khoi-phuc", {}, (302, 403, 403, 404)),
    ("POST", f"/thung-rac/{NONE}/xoa-han", {}, (302, 403, 403, 404)),
    ("GET", "/api/can-kiem-tra", None, (401, 403, 200, 200)),
    ("POST", f"/api/documents/{NONE}/review", {}, (401, 403, 404, 404)),
    ("POST", f"/api/documents/{NONE}/versions", {"other": DOC}, (401, 403, 404, 404)),
    ("DELETE", f"/api/documents/{NONE}", {}, (401, 403, 403, 404)),
    ("GET", "/api/thung-rac", None, (401, 403, 403, 200)),
    ("POST", f"/api/thung-rac/{NONE}/restore", {}, (401, 403, 403, 404)),
    ("DELETE", f"/api/thung-rac/{NONE}", {}, (401, 403, 403, 404)),
]


@pytest.fixture(scope="module")
def archived(tmp_path_factory) -> tuple[Path, str]:
    """An archive with one letter and the three accounts: (its folder, the letter's id)."""
    from index import rebuild_index
    from ingest import ingest_paths

    from .webui_archive import sha_id

    root = tmp_path_factory.mktemp("roles")
    role_app(root)
    archive = Archive(root / "archive")
    assert ingest_paths([SEED], archive, jobs=1).summary()["archived"] == 1
    with open_catalog(archive.catalog_path) as catalog:
        rebuild_index(catalog, archive.index_dir)
    return root, sha_id(SEED.read_bytes())


@pytest.fixture(scope="module")
def clients(archived):
    """One signed-in client per (anonymous readers allowed?, who), made on first use: a login
    costs an Argon2 hash."""
    root, _doc = archived
    made: dict = {}

    def client_for(anonymous_readers: bool, who: str | None):
        if (anonymous_readers, who) not in made:
            app = create_app({"ARCHIVE": str(root / "archive"), "TESTING": True,
                              "ANONYMOUS_READERS": anonymous_readers})
            made[anonymous_readers, who] = signed_in_client(app, who)
        return made[anonymous_readers, who]

    return client_for


def _request(client, method: str, path: str, form: dict | None):
    if method == "GET":
        return client.get(path)
    token = csrf_of(client, "/dang-nhap")
    if method == "PATCH":  # the JSON API: a browser session sends its CSRF token in a header
        return client.patch(path, json=form, headers={"X-CSRF-Token": token})
    return client.open(path, method=method, data={**(form or {}), "csrf_token": token})


def _cases(anonymous_readers: bool):
    for method, path, form, statuses in ROUTES:
        for who, status in zip(WHO, statuses, strict=True):
            if who is ANON and not anonymous_readers and statuses[0] == 200:
                status = 401 if path.startswith("/api/") else 302
            yield pytest.param(anonymous_readers, method, path, form, who, status,
                               id=f"{method} {path} {who or 'anonymous'}"
                                  f"{'' if anonymous_readers else ' (closed)'}")


@pytest.mark.parametrize(("anonymous_readers", "method", "path", "form", "who", "status"),
                         [*_cases(True), *_cases(False)])
def test_each_route_answers_each_role(archived, clients, anonymous_readers, method, path, form,
                                      who, status):
    _root, doc = archived
    response = _request(clients(anonymous_readers, who), method, path.replace(DOC, doc), form)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    if who is None and status == 302:
        assert response.headers["Location"].startswith("/dang-nhap")


def test_every_route_declares_the_role_it_needs(tmp_path):
    """A route added without role_required would be open to anyone: each view says its role,
    and the table above covers each route."""
    app = create_app({"ARCHIVE": str(tmp_path), "TESTING": True})
    open_to_all = {"static", "auth.login", "auth.logout"}
    undeclared = [rule.endpoint for rule in app.url_map.iter_rules()
                  if rule.endpoint not in open_to_all
                  and not hasattr(app.view_functions[rule.endpoint], "required_role")]
    assert undeclared == []
    tested = {app.url_map.bind("localhost").match(path.split("?")[0].replace(DOC, "0" * 12),
                                                  method=method)[0]
              for method, path, _form, _statuses in ROUTES}
    untested = {rule.endpoint for rule in app.url_map.iter_rules()} - open_to_all - tested
    assert untested == set(), "add these routes to ROUTES in tests/test_roles.py"


def test_serve_lets_anonymous_readers_in_unless_told_not_to(tmp_path, monkeypatch):
    from .test_command import served_app

    archive = Archive(tmp_path / "archive")
    archive.create()
    open_catalog(archive.catalog_path).close()
    served = served_app(monkeypatch, "serve", "--archive", str(archive.root))
    assert served.config["ANONYMOUS_READERS"] is True
    monkeypatch.setenv("CONGVAN_ANONYMOUS_READERS", "0")
    served = served_app(monkeypatch, "serve", "--archive", str(archive.root))
    assert served.config["ANONYMOUS_READERS"] is False
    monkeypatch.delenv("CONGVAN_ANONYMOUS_READERS")
    served = served_app(monkeypatch, "serve", "--archive", str(archive.root),
                        "--no-anonymous-readers")
    assert served.config["ANONYMOUS_READERS"] is False
    assert served.test_client().get("/").status_code == 302


def test_the_help_page_says_what_each_role_may_do_and_how_scripts_sign_in(clients):
    html = clients(True, None).get("/tro-giup").get_data(as_text=True)
    assert "Tài khoản và vai trò" in html and "Authorization: Bearer" in html
    assert "(không cần đăng nhập)" in html
    closed = clients(False, "reader").get("/tro-giup").get_data(as_text=True)
    assert "Tài khoản và vai trò" in closed and "(không cần đăng nhập)" not in closed
