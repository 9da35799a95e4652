"""Login security: local redirects only, revocable server-side sessions with lifetimes, login
throttling shared by every server process, and links that never echo the Host header."""

from __future__ import annotations

import hashlib

import pytest

from congvan.cli import main
from ingest import Archive, CatalogStore, open_catalog
from webui import auth, create_app
from webui.auth import MAX_FAILURES, SESSION_IDLE_SECONDS, SESSION_LIFETIME_SECONDS

from .test_command import served_app
from .test_upload import PASSWORD, csrf_of, login, staff_app, upload, upload_and_wait
from .webui_archive import QD_874, UNICODE_TEXT


@pytest.fixture
def app(tmp_path):
    return staff_app(tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


class Clock:
    """The time webui.auth sees, moved by the test."""

    def __init__(self) -> None:
        self.at = 1_700_000_000.0

    def __call__(self) -> float:
        return self.at


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(auth, "now", clock)
    return clock


def catalog_of(app) -> CatalogStore:
    return open_catalog(Archive(app.config["ARCHIVE"]).catalog_path)


def session_token(app, client) -> str:
    """The token inside the client's signed session cookie."""
    cookie = client.get_cookie("session").value
    content = app.session_interface.get_signing_serializer(app).loads(cookie)
    assert set(content) == {"sid", "csrf"}  # nothing else: the rest lives in the catalog
    return content["sid"]


def signed_in(client) -> bool:
    return client.get("/tai-len").status_code == 200


def login_from(client, address: str, username: str = "vanthu", password: str = PASSWORD):
    """A login POST as if sent from `address`."""
    token = csrf_of(client, "/dang-nhap")
    return client.post("/dang-nhap", data={"username": username, "password": password,
                                           "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


# -- open redirect after login -----------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example",  # browsers drop the tab: //evil.example
        "/%0A/evil.example",  # was a 500 (newline in the Location header)
        "/%0D%0A/evil.example",
        "%09//evil.example",
        "/%5Cevil.example",  # backslash, read as a slash
        "/%E2%80%A8/evil.example",  # a Unicode line separator
        "https:/evil.example",
        "evil.example/",
        "",
    ],
)
def test_login_redirects_only_to_a_local_path(client, target):
    response = login(client, next_url=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert signed_in(client)


def test_login_keeps_a_local_next_with_its_query(client):
    response = login(client, next_url="/tai-len%3Fa%3D1")
    assert response.headers["Location"] == "/tai-len?a=1"


# -- server-side sessions ----------------------------------------------------------------------


def test_the_cookie_carries_a_token_the_catalog_knows_only_by_its_hash(app, client):
    login(client)
    token = session_token(app, client)
    with catalog_of(app) as catalog:
        record = catalog.get_session(hashlib.sha256(token.encode()).hexdigest())
        assert catalog.get_session(token) is None
    assert record is not None and record.username == "vanthu"
    assert record.expires_at - record.created_at == SESSION_LIFETIME_SECONDS


def test_logout_revokes_the_session_a_replayed_cookie_carries(app, client):
    login(client)
    uploaded = upload_and_wait(client, [(QD_874.encode(), "874.txt")])
    assert 'class="outcome-archived"' in uploaded, uploaded[uploaded.find("<main"):]
    stolen = client.get_cookie("session").value
    old_token = csrf_of(client, "/tai-len")
    client.post("/dang-xuat", data={"csrf_token": old_token})

    client.set_cookie("session", stolen)  # the cookie from before the logout, replayed
    replayed = upload(client, [(UNICODE_TEXT.encode(), "7.txt")], token=old_token)
    assert replayed.status_code == 302
    assert replayed.headers["Location"].startswith("/dang-nhap")
    assert not signed_in(client)
    with catalog_of(app) as catalog:
        assert catalog.stats()["documents"] == 1


def test_an_idle_session_ends_and_last_seen_is_written_at_most_once_a_minute(app, client, clock):
    login(client)
    with catalog_of(app) as catalog:
        record = catalog.get_session(auth.token_hash(session_token(app, client)))
    clock.at += 30
    assert signed_in(client)
    with catalog_of(app) as catalog:
        assert catalog.get_session(record.token_hash).last_seen == record.last_seen  # no write
    clock.at += SESSION_IDLE_SECONDS - 40  # active again before the idle limit
    assert signed_in(client)
    with catalog_of(app) as catalog:
        assert catalog.get_session(record.token_hash).last_seen == clock.at
    clock.at += SESSION_IDLE_SECONDS + 1
    assert not signed_in(client)
    with catalog_of(app) as catalog:
        assert catalog.get_session(record.token_hash) is None  # the dead record is removed


def test_a_session_ends_after_its_lifetime_even_when_active(client, clock):
    login(client)
    for _ in range(int(SESSION_LIFETIME_SECONDS // 3600) - 1):
        clock.at += 3600
        assert signed_in(client)
    clock.at += 3601
    assert not signed_in(client)


def test_lifetimes_come_from_the_app_config(app, client, clock):
    app.config.update(SESSION_IDLE_SECONDS=120, SESSION_LIFETIME_SECONDS=600)
    login(client)
    clock.at += 100
    assert signed_in(client)
    clock.at += 121
    assert not signed_in(client)
    login(client)
    for _ in range(5):
        clock.at += 100
        assert signed_in(client)
    clock.at += 100
    assert not signed_in(client)  # 600 s after the second login


def test_all_sessions_of_a_user_can_be_ended(app):
    first, second = app.test_client(), app.test_client()
    login(first)
    login(second)
    assert signed_in(first) and signed_in(second)
    with catalog_of(app) as catalog:
        assert catalog.delete_user_sessions("vanthu") == 2
    assert not signed_in(first) and not signed_in(second)


def test_session_cookie_is_secure_when_asked(tmp_path, monkeypatch):
    main(["user", "add", "vanthu", "--archive", str(tmp_path), "--password", PASSWORD])
    plain = create_app({"ARCHIVE": str(tmp_path), "TESTING": True}).test_client()
    assert "Secure" not in login(plain).headers["Set-Cookie"]
    secure = create_app({"ARCHIVE": str(tmp_path), "TESTING": True,
                         "SESSION_COOKIE_SECURE": True}).test_client()
    assert "; Secure" in login(secure).headers["Set-Cookie"]
    monkeypatch.setenv("CONGVAN_SECURE_COOKIES", "1")  # read by the command, not by the app
    served = served_app(monkeypatch, "serve", "--archive", str(tmp_path)).test_client()
    assert "; Secure" in login(served).headers["Set-Cookie"]


def test_serve_passes_secure_cookies_and_base_url_to_the_app(tmp_path, monkeypatch):
    seen: dict = {}
    monkeypatch.setattr("congvan.serve.serve_archive",
                        lambda settings, **kw: seen.update(settings=settings))
    main(["serve", "--archive", str(tmp_path), "--secure-cookies",
          "--base-url", "https://congvan.example.gov.vn/"])
    assert seen["settings"].base_url == "https://congvan.example.gov.vn"
    assert seen["settings"].secure_cookies is True
    assert seen["settings"].web_config()["BASE_URL"] == "https://congvan.example.gov.vn"
    assert seen["settings"].web_config()["SESSION_COOKIE_SECURE"] is True
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--archive", str(tmp_path), "--base-url", "javascript:alert(1)"])
    assert exit_info.value.code == 2



# -- login throttling, in the catalog ----------------------------------------------------------


@pytest.mark.slow  # whole congvan processes: CI runs it, the fast loop does not
def test_two_server_processes_share_the_failure_count(app):
    other = create_app(dict(app.config))  # a second process on the same archive
    first, second = app.test_client(), other.test_client()
    for attempt in range(MAX_FAILURES):
        server = first if attempt % 2 else second
        assert login(server, "sai-mat-khau").status_code == 401
    assert login(first).status_code == 429
    assert login(second).status_code == 429
    restarted = create_app(dict(app.config)).test_client()
    assert login(restarted).status_code == 429


def test_an_account_is_throttled_from_every_address(client):
    for attempt in range(MAX_FAILURES):
        assert login_from(client, f"10.0.0.{attempt}", password="sai").status_code == 401
    assert login_from(client, "10.9.9.9").status_code == 429
    assert not signed_in(client)


def test_an_address_is_throttled_for_every_account(client):
    for attempt in range(MAX_FAILURES):
        assert login_from(client, "10.0.0.1", f"thu-{attempt}", "sai").status_code == 401
    assert login_from(client, "10.0.0.1").status_code == 429
    assert login_from(client, "10.0.0.2").status_code == 302  # another address is not


def test_success_forgets_the_accounts_failures_but_not_those_against_others(app, client):
    main(["user", "add", "giamdoc", "--archive", app.config["ARCHIVE"], "--password", PASSWORD])
    for _ in range(MAX_FAILURES - 1):
        assert login_from(client, "10.0.0.1", "vanthu", "sai").status_code == 401
    assert login_from(client, "10.0.0.1", "vanthu").status_code == 302
    for _ in range(MAX_FAILURES - 1):  # the count starts again for vanthu ...
        assert login_from(client, "10.0.0.1", "vanthu", "sai").status_code == 401
    assert login_from(client, "10.0.0.1", "vanthu").status_code == 302
    # ... but one's own login does not reset the count of guesses at another account
    for _ in range(MAX_FAILURES - 1):
        assert login_from(client, "10.0.0.7", "giamdoc", "sai").status_code == 401
    assert login_from(client, "10.0.0.7", "vanthu").status_code == 302
    assert login_from(client, "10.0.0.7", "giamdoc", "sai").status_code == 401
    assert login_from(client, "10.0.0.7", "giamdoc").status_code == 429


def test_old_failures_expire_and_are_pruned(app, client, clock):
    for _ in range(MAX_FAILURES):
        login_from(client, "10.0.0.1", password="sai")
    assert login_from(client, "10.0.0.1").status_code == 429
    clock.at += auth.FAILURE_WINDOW_SECONDS + 1
    assert login_from(client, "10.0.0.1", password="sai").status_code == 401
    with catalog_of(app) as catalog:
        kept = catalog.login_failures_since(0, address="10.0.0.1", username="vanthu")
    assert (kept.by_address, kept.by_account) == (1, 1)
    assert login_from(client, "10.0.0.1").status_code == 302


# -- links never built on the Host header ------------------------------------------------------


def test_api_links_do_not_echo_the_host_header(client_on_archive, ids):
    doc_id = ids["000"]
    for path in ("/api/search?q=dong+thap", f"/api/documents/{doc_id}"):
        response = client_on_archive.get(path, headers={"Host": "evil.example"})
        assert response.status_code == 200
        assert "evil.example" not in response.get_data(as_text=True)
    hits = client_on_archive.get("/api/search?q=dong+thap").get_json()["hits"]
    assert hits and all(hit["url"] == f"/van-ban/{hit['id']}" for hit in hits)
    document = client_on_archive.get(f"/api/documents/{doc_id}").get_json()
    assert document["original_url"] == f"/van-ban/{doc_id}/goc"


@pytest.mark.parametrize("by", ["config", "environment"])
def test_api_links_use_the_configured_base_url(built, ids, monkeypatch, by):
    archive, engine = str(built["archive"].root), built["engine"]
    if by == "config":
        based = create_app({"ARCHIVE": archive, "ENGINE": engine,
                            "BASE_URL": "https://congvan.example.gov.vn/"})
    else:  # the command reads CONGVAN_BASE_URL and hands it to the app
        monkeypatch.setenv("CONGVAN_BASE_URL", "https://congvan.example.gov.vn/")
        based = served_app(monkeypatch, "--engine", engine, "serve", "--archive", archive)
    client = based.test_client()
    body = client.get("/api/search?q=dong+thap", headers={"Host": "evil.example"}).get_json()
    hit = body["hits"][0]
    assert hit["url"] == f"https://congvan.example.gov.vn/van-ban/{hit['id']}"
    help_page = client.get("/tro-giup", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "https://congvan.example.gov.vn/api/search" in help_page
    assert "evil.example" not in help_page


def test_a_malformed_base_url_is_refused(tmp_path):
    with pytest.raises(ValueError):
        create_app({"ARCHIVE": str(tmp_path), "BASE_URL": "congvan.example.gov.vn"})


@pytest.fixture
def client_on_archive(built):
    return create_app({"ARCHIVE": str(built["archive"].root), "ENGINE": built["engine"],
                       "TESTING": True}).test_client()

