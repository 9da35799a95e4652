"""Staff login and the upload page: hashed passwords, CSRF, rate limit, same intake as ingest,
archived by the app's background thread while the upload answers at once with the job's page."""

from __future__ import annotations

import io
import re
import threading
import time
from pathlib import Path

import pytest

from congvan.cli import main
from ingest import Archive, open_catalog
from ingest.runners import InProcessRunner
from webui import create_app
from webui.auth import MAX_FAILURES
from webui.upload_views import MAX_UPLOAD_BYTES, upload_name

from .webui_archive import QD_874, sha_id

PASSWORD = "mat-khau-du-dai"


def staff_app(root: Path, **config):
    """The web app on an archive in `root` with one account, vanthu (PASSWORD)."""
    archive = Archive(root / "archive")
    main(["user", "add", "vanthu", "--archive", str(archive.root), "--password", PASSWORD])
    return create_app({"ARCHIVE": str(archive.root), "TESTING": True,
                       "MAX_CONTENT_LENGTH": 2 * 1024 * 1024, **config})


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


def finished_job(client, response, timeout: float = 120.0) -> dict:
    """The upload's job once it has finished, polled through its JSON status; the upload
    itself must have answered with a redirect to the job's page."""
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    deadline = time.monotonic() + timeout
    while True:
        status = client.get(f"/api/tai-len/{job_id}").get_json()
        if status["status"] in ("done", "failed") or time.monotonic() > deadline:
            return status
        time.sleep(0.05)


def upload_and_wait(client, files: list[tuple[bytes, str]]) -> str:
    """Upload, wait for the job to finish, and return its page."""
    response = upload(client, files)
    status = finished_job(client, response)
    assert status["status"] == "done", status
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_password_is_stored_as_an_argon2_hash(app):
    with open_catalog(Archive(app.config["ARCHIVE"]).catalog_path) as catalog:
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
    assert finished_job(client, response)["status"] == "done"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert html.count('class="outcome-archived"') == 1
    assert html.count('class="outcome-failed"') == 1
    doc_id = sha_id(QD_874.encode())
    assert f'href="/van-ban/{doc_id}"' in html
    found = client.get("/api/search?q=so:874/QĐ-BTTTT").get_json()
    assert [hit["id"] for hit in found["hits"]] == [doc_id]  # indexed by the time the job is done
    again = upload_and_wait(client, [(QD_874.encode(), "ban-sao.txt")])
    assert 'class="outcome-duplicate"' in again


def test_upload_of_a_text_that_is_no_letter_is_archived_and_marked_for_review(client):
    login(client)
    note = "Ghi chú họp tổ: mang theo máy chiếu và danh sách đại biểu.\n".encode()
    html = upload_and_wait(client, [(note, "README.txt")])
    assert html.count('class="outcome-archived"') == 1  # named by the sender: never skipped
    assert "Cần kiểm tra" in html
    found = client.get("/api/search?q=may+chieu").get_json()
    assert [hit["needs_review"] for hit in found["hits"]] == [True]


def test_uploaded_file_keeps_its_vietnamese_name_without_path_tricks(client):
    login(client)
    html = upload_and_wait(client, [(QD_874.encode(), "../../Quyết định 874.txt")])
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
    with open_catalog(Archive(client.application.config["ARCHIVE"]).catalog_path) as catalog:
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


class GatedRunner(InProcessRunner):
    """Reads files only once the test opens `gate`: the upload's OCR and extraction cannot
    end before that."""

    def __init__(self, gate: threading.Event, started: threading.Event) -> None:
        self.gate, self.started = gate, started

    def submit(self, path, settings):
        self.started.set()
        if not self.gate.wait(timeout=60):
            raise RuntimeError("the test never opened the gate")
        return super().submit(path, settings)


def gated_app(root: Path, **config):
    gate, started = threading.Event(), threading.Event()
    app = staff_app(root, UPLOAD_RUNNER=lambda: GatedRunner(gate, started), **config)
    return app, gate, started


def test_upload_answers_before_the_letters_are_read_and_the_job_page_follows_them(tmp_path):
    app, gate, started = gated_app(tmp_path)
    client = app.test_client()
    login(client)
    try:
        response = upload(client, [(QD_874.encode(), "874.txt")])
        assert response.status_code == 303  # answered while the reading is held back
        job_url = response.headers["Location"]
        assert job_url.startswith("/tai-len/")
        assert started.wait(timeout=30), "the background thread never took the job"
        page = client.get(job_url).get_data(as_text=True)
        assert "Đang xử lý" in page and 'http-equiv="refresh"' in page
        status = client.get("/api/tai-len/" + job_url.rsplit("/", 1)[1]).get_json()
        assert status["status"] == "running" and status["files"] == []
    finally:
        gate.set()
    assert finished_job(client, response)["files"][0]["outcome"] == "archived"
    page = client.get(job_url).get_data(as_text=True)
    doc_id = sha_id(QD_874.encode())
    assert "Đã xử lý xong" in page and f'href="/van-ban/{doc_id}"' in page
    assert 'http-equiv="refresh"' not in page
    found = client.get("/api/search?q=so:874/QĐ-BTTTT").get_json()
    assert [hit["id"] for hit in found["hits"]] == [doc_id]
    archive = Archive(app.config["ARCHIVE"])
    assert list(archive.staging.iterdir()) == []  # the staged copies are gone


def test_a_job_is_seen_by_its_uploader_only(tmp_path):
    app = staff_app(tmp_path)
    main(["user", "add", "thuky", "--archive", app.config["ARCHIVE"], "--password", PASSWORD])
    client = app.test_client()
    login(client)
    response = upload(client, [(QD_874.encode(), "874.txt")])
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    assert finished_job(client, response)["status"] == "done"
    anonymous = app.test_client()
    assert anonymous.get(f"/api/tai-len/{job_id}").status_code == 401
    assert anonymous.get(f"/tai-len/{job_id}").status_code == 302  # to the login page
    other = app.test_client()
    token = csrf_of(other, "/dang-nhap")
    other.post("/dang-nhap", data={"username": "thuky", "password": PASSWORD,
                                   "csrf_token": token})
    assert other.get(f"/api/tai-len/{job_id}").status_code == 404
    assert other.get(f"/tai-len/{job_id}").status_code == 404
    assert client.get("/api/tai-len/0123456789abcdef").status_code == 404


def test_uploads_beyond_the_queue_are_refused_and_leave_nothing_staged(tmp_path):
    app, gate, started = gated_app(tmp_path, UPLOAD_QUEUE_SIZE=1)
    client = app.test_client()
    login(client)
    try:
        running = upload(client, [(QD_874.encode(), "874.txt")])
        assert started.wait(timeout=30)  # the first batch runs (held at the gate)
        waiting = upload(client, [(b"Ghi chu hop to so 2\n", "2.txt")])
        refused = upload(client, [(b"Ghi chu hop to so 3\n", "3.txt")])
        assert (running.status_code, waiting.status_code, refused.status_code) == (303, 303, 503)
        assert "thử lại sau" in refused.get_data(as_text=True)
        staging = Archive(app.config["ARCHIVE"]).staging
        folders = [p for p in staging.iterdir() if p.name.startswith("upload")]
        assert len(folders) == 2  # the running and the waiting batch's, not the refused one's
    finally:
        gate.set()
    assert finished_job(client, waiting)["status"] == "done"
