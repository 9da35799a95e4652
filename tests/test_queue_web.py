"""Uploads on the job queue and the "Hàng đợi" page (issue 14): with a queue configured the
upload is staged and queued, a worker archives it, its page and the queue's page follow."""

from __future__ import annotations

from congvan.cli import main
from ingest import Archive, open_catalog
from ingest.jobqueue import Worker, WorkerOptions
from ingest.runners import InProcessRunner

from .test_upload import PASSWORD, login, staff_app, upload
from .webui_archive import QD_874, sha_id


def run_worker(app) -> None:
    options = WorkerOptions(heartbeat=0.1, retry_wait=0)
    Worker(app.config["QUEUE"], Archive(app.config["ARCHIVE"]), options,
           runner=InProcessRunner()).run(once=True)


def test_an_upload_on_the_queue_is_archived_by_a_worker_then_searchable(
        tmp_path, engine, postgres_url):
    app = staff_app(tmp_path, QUEUE=postgres_url, ENGINE=engine)
    client = app.test_client()
    login(client)
    response = upload(client, [(QD_874.encode(), "874.txt"), (b"\x00\x01junk" * 50, "hong.pdf")])
    assert response.status_code == 303
    page_url = response.headers["Location"]
    batch = page_url.rsplit("/", 1)[1]
    status = client.get(f"/api/tai-len/{batch}").get_json()
    assert status["status"] == "queued"  # the server archives nothing itself
    assert "Đang chờ trong hàng đợi" in client.get(page_url).get_data(as_text=True)
    with open_catalog(Archive(app.config["ARCHIVE"]).catalog_path) as catalog:
        assert catalog.document_ids() == []
        [entry] = [e for e in catalog.iter_audit() if e.action == "upload"]
    assert entry.target == batch and len(entry.detail["files"]) == 2

    run_worker(app)

    status = client.get(f"/api/tai-len/{batch}").get_json()
    assert status["status"] == "done"
    outcomes = {f["filename"]: f for f in status["files"]}
    assert outcomes["874.txt"]["outcome"] == "archived"
    assert outcomes["874.txt"]["document_id"] == sha_id(QD_874.encode())
    assert outcomes["hong.pdf"]["outcome"] == "failed" and outcomes["hong.pdf"]["error"]
    html = client.get(page_url).get_data(as_text=True)
    assert f'href="/van-ban/{sha_id(QD_874.encode())}"' in html
    found = client.get("/api/search?q=so:874/QĐ-BTTTT").get_json()
    assert [hit["id"] for hit in found["hits"]] == [sha_id(QD_874.encode())]

    queue_page = client.get("/hang-doi").get_data(as_text=True)
    assert batch in queue_page and "hong.pdf" in queue_page
    [listed] = client.get("/api/hang-doi").get_json()["batches"]
    assert (listed["batch"], listed["done"], listed["failed"], listed["total"]) == (batch, 1, 1, 2)
    assert listed["failures"][0]["reason"] == "unsupported-type"


def test_a_queued_upload_is_seen_by_its_uploader_only(tmp_path, postgres_url):
    app = staff_app(tmp_path, QUEUE=postgres_url)
    main(["user", "add", "khac", "--archive", app.config["ARCHIVE"], "--password", PASSWORD])
    client = app.test_client()
    login(client)
    batch = upload(client, [(QD_874.encode(), "874.txt")]).headers["Location"].rsplit("/", 1)[1]
    other = app.test_client()
    from .test_upload import csrf_of

    token = csrf_of(other, "/dang-nhap")
    other.post("/dang-nhap", data={"username": "khac", "password": PASSWORD,
                                   "csrf_token": token})
    assert other.get(f"/tai-len/{batch}").status_code == 404
    assert other.get(f"/api/tai-len/{batch}").status_code == 404
    assert client.get(f"/api/tai-len/{batch}").status_code == 200


def test_the_queue_page_says_when_the_server_has_no_queue(tmp_path):
    client = staff_app(tmp_path).test_client()
    login(client)
    html = client.get("/hang-doi").get_data(as_text=True)
    assert "chưa dùng hàng đợi" in html
    assert client.get("/api/hang-doi").get_json() == {"queue": False, "batches": []}
