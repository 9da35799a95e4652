"""Staff login and the upload page: hashed passwords, CSRF, rate limit, same pipeline as ingest."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from congvan.cli import main
from ingest import Archive, Catalog
from webui import create_app
from webui.auth import MAX_FAILURES
from webui.upload_views import MAX_UPLOAD_BYTES, upload_name

from .webui_archive import QD_874, sha_id

PASSWORD = "mat-khau-du-dai"


def staff_app(root: Path):
    """The web app on an archive in `root` with one account, vanthu (PASSWORD)."""
    archive = Archive(root / "archive")
    main(["user", "add", "vanthu", "--archive", str(archive.root), "--password", PASSWORD])
    return create_app({"ARCHIVE": str(archive.root), "TESTING": True,
                       "MAX_CONTENT_LENGTH": 2 * 1024 * 1024})


@pytest.fixture
def app(tmp_path):
    return staff_app(tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_of(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(client, password: str = PASSWORD, next_url: str = ""):
    token = csrf_of(client, "/dang-nhap")
    target = "/dang-nhap" + (f"?next={next_url}" if next_url else "")
    return client.post(target, data={"username": "vanthu", "password": password,
                                     "csrf_token": token})


def upload(client, files: list[tuple[bytes, str]], token: str | None = None):
    token = csrf_of(client, "/tai-len") if token is None else token
    data = {"csrf_token": token, "files": [(io.BytesIO(b), name) for b, name in files]}
    return client.post("/tai-len", data=data, content_type="multipart/form-data")


def test_password_is_stored_as_an_argon2_hash(app):
    with Catalog(Archive(app.config["ARCHIVE"]).catalog_path) as catalog:
        stored = catalog.password_hash("vanthu")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_upload_page_needs_login(client):
    response = client.get("/tai-len")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/dang-nhap?next=/tai-len")


def test_wrong_password_is_refused(client):
    response = login(client, "sai-mat-khau")
    assert response.status_code == 401
    assert "không đúng" in response.get_data(as_text=True)
    assert client.get("/tai-len").status_code == 302


def test_login_sets_a_protected_session_cookie_and_redirects_locally(client):
    response = login(client, next_url="/tai-len")
    assert response.status_code == 302 and response.headers["Location"] == "/tai-len"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/tai-len").status_code == 200


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil"])
def test_login_never_redirects_to_another_site(client, target):
    response = login(client, next_url=target)
    assert response.headers["Location"] == "/"


def test_login_without_csrf_token_is_refused(client):
    client.get("/dang-nhap")
    response = client.post("/dang-nhap", data={"username": "vanthu", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/tai-len").status_code == 302


def test_repeated_failures_are_rate_limited(client):
    for _ in range(MAX_FAILURES):
        assert login(client, "sai-mat-khau").status_code == 401
    blocked = login(client)  # even the right password waits now
    assert blocked.status_code == 429
    assert client.get("/tai-len").status_code == 302


def test_upload_archives_letters_and_reports_each_file(client):
    login(client)
    response = upload(client, [(QD_874.encode(), "874.txt"), (b"\x00\x01junk" * 50, "hong.pdf")])
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count('class="outcome-archived"') == 1
    assert html.count('class="outcome-failed"') == 1
    doc_id = sha_id(QD_874.encode())
    assert f'href="/van-ban/{doc_id}"' in html
    found = client.get("/api/search?q=so:874/QĐ-BTTTT").get_json()
    assert [hit["id"] for hit in found["hits"]] == [doc_id]  # indexed at once
    again = upload(client, [(QD_874.encode(), "ban-sao.txt")])
    assert 'class="outcome-duplicate"' in again.get_data(as_text=True)


def test_upload_of_a_text_that_is_no_letter_is_archived_and_marked_for_review(client):
    login(client)
    note = "Ghi chú họp tổ: mang theo máy chiếu và danh sách đại biểu.\n".encode()
    html = upload(client, [(note, "README.txt")]).get_data(as_text=True)
    assert html.count('class="outcome-archived"') == 1  # named by the sender: never skipped
    assert "Cần kiểm tra" in html
    found = client.get("/api/search?q=may+chieu").get_json()
    assert [hit["needs_review"] for hit in found["hits"]] == [True]


def test_uploaded_file_keeps_its_vietnamese_name_without_path_tricks(client):
    login(client)
    html = upload(client, [(QD_874.encode(), "../../Quyết định 874.txt")]).get_data(as_text=True)
    assert 'class="outcome-archived"' in html
    document = client.get(f"/api/documents/{sha_id(QD_874.encode())}").get_json()
    assert document["filename"] == "Quyết định 874.txt"
    archive_root = client.application.config["ARCHIVE"]
    assert not list(Path(archive_root).parent.glob("Quy*"))  # nothing written outside


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\a\\Công văn.pdf", "Công văn.pdf"),
        ("..", "tep"),
        ("", "tep"),
        (".bashrc", "bashrc"),
        ("a\x00b\nc.txt", "abc.txt"),
        ("x" * 300 + ".pdf", "x" * 96 + ".pdf"),
    ],
)
def test_upload_names_are_made_harmless(sent, kept):
    assert upload_name(sent) == kept


def test_upload_without_csrf_token_is_refused(client):
    login(client)
    response = upload(client, [(QD_874.encode(), "874.txt")], token="gia-mao")
    assert response.status_code == 400
    with Catalog(Archive(client.application.config["ARCHIVE"]).catalog_path) as catalog:
        assert catalog.stats()["documents"] == 0


def test_request_size_is_bounded_by_default(tmp_path):
    app = create_app({"ARCHIVE": str(tmp_path)})
    assert app.config["MAX_CONTENT_LENGTH"] == MAX_UPLOAD_BYTES
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_upload_size_is_bounded(client):
    login(client)
    response = upload(client, [(b"a" * (3 * 1024 * 1024), "lon.txt")])
    assert response.status_code == 413


def test_logout_ends_the_session(client):
    login(client)
    token = csrf_of(client, "/tai-len")
    assert client.post("/dang-xuat", data={"csrf_token": token}).status_code == 302
    assert client.get("/tai-len").status_code == 302
