"""The review queue, possible duplicates and versions, and the trash in the web UI, the API and
the `congvan trash` command, per role (the catalog side is in test_review.py)."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from congvan.cli import main
from index.intake import update_index
from ingest import Archive, ingest_paths, open_catalog
from ingest.store.catalog import POSSIBLE_DUPLICATE

from .test_review import CITED, LETTER, write
from .test_roles import role_app, signed_in_client
from .test_upload import csrf_of

NOT_A_LETTER = "Ghi chép rời không phải công văn, chỉ vài chữ."
# A scan of LETTER whose handwritten number was lost and whose marks were partly misread.
SCANNED = LETTER.replace("Số: 21/", "Số:    /").replace("phun hóa chất", "phun hoa chat")


def _site(tmp_path: Path, spaced: bool):
    """An archive with the three accounts, a letter that is not one (flagged), a letter citing
    CITED, CITED, and a scan of the letter (a possible duplicate); the app and its ids.
    `spaced`: the first letter archived a second before the others (times are in seconds)."""
    app = role_app(tmp_path)
    archive = Archive(tmp_path / "archive")
    ids = {}
    for name, text in (("ghichep.txt", NOT_A_LETTER), ("cv.txt", LETTER), ("cd.txt", CITED),
                       ("scan.txt", SCANNED)):
        report = ingest_paths([write(tmp_path / "in" / name[:-4], name, text)], archive, jobs=1)
        ids[name[:-4]] = report.files[0].document_id
        if spaced and name == "ghichep.txt":
            time.sleep(1.05)  # archived a second before the others: first in the queue
    update_index(archive)
    return app, archive, ids


@pytest.fixture
def site(tmp_path: Path):
    return _site(tmp_path, spaced=False)


@pytest.fixture
def site_in_order(tmp_path: Path):
    return _site(tmp_path, spaced=True)


def post(client, path: str, **form):
    return client.post(path, data={**form, "csrf_token": csrf_of(client, "/tro-giup")})


def test_a_clerk_works_the_queue_oldest_first_and_a_reader_cannot(site_in_order) -> None:
    app, archive, ids = site_in_order
    clerk, reader = signed_in_client(app, "clerk"), signed_in_client(app, "reader")
    html = clerk.get("/can-kiem-tra").get_data(as_text=True)
    assert html.index(f"/van-ban/{ids['ghichep']}") < html.index(f"/van-ban/{ids['scan']}")
    assert f"/van-ban/{ids['cv']}\"" not in html  # nothing to check in it
    assert "Không giống một văn bản hành chính" in html
    assert "Có thể trùng với một văn bản đã lưu trữ." in html
    # Counts on the home page for staff who can edit, not for readers.
    assert "Cần kiểm tra: <strong>2</strong>" in clerk.get("/").get_data(as_text=True)
    assert "Cần kiểm tra:" not in reader.get("/").get_data(as_text=True)
    assert "Cần kiểm tra:" not in app.test_client().get("/").get_data(as_text=True)
    assert reader.get("/can-kiem-tra").status_code == 403
    assert post(reader, f"/van-ban/{ids['ghichep']}/da-kiem-tra").status_code == 403
    assert clerk.post(f"/van-ban/{ids['ghichep']}/da-kiem-tra").status_code == 400  # no CSRF
    response = post(clerk, f"/van-ban/{ids['ghichep']}/da-kiem-tra")
    assert response.status_code == 303 and response.headers["Location"] == "/can-kiem-tra"
    html = clerk.get("/can-kiem-tra").get_data(as_text=True)
    assert f"/van-ban/{ids['ghichep']}" not in html
    page = clerk.get(f"/van-ban/{ids['ghichep']}").get_data(as_text=True)
    assert "Đã kiểm tra bởi clerk" in page
    with open_catalog(archive.catalog_path) as catalog:
        [entry] = [e for e in catalog.audit_entries(limit=50)[1] if e.action == "review"]
        assert (entry.actor, entry.target) == ("clerk", ids["ghichep"])
    # The index knows at once.
    assert clerk.get("/api/search?q=kiemtra:co").get_json()["total"] == 1


def test_a_possible_duplicate_shows_on_both_pages_and_a_clerk_links_them_as_versions(
        site) -> None:
    app, _archive, ids = site
    clerk, reader = signed_in_client(app, "clerk"), signed_in_client(app, "reader")
    for this, other in ((ids["scan"], ids["cv"]), (ids["cv"], ids["scan"])):
        html = clerk.get(f"/van-ban/{this}").get_data(as_text=True)
        assert "Có thể trùng với" in html and f'href="/van-ban/{other}"' in html
        assert "nội dung gần như trùng khớp" in html
    reader_page = reader.get(f"/van-ban/{ids['scan']}").get_data(as_text=True)
    assert "Có thể trùng với" in reader_page and "Gộp thành phiên bản" not in reader_page
    assert post(reader, f"/van-ban/{ids['scan']}/phien-ban", other=ids["cv"]).status_code == 403
    response = post(clerk, f"/van-ban/{ids['scan']}/phien-ban", other=ids["cv"],
                    issued=ids["cv"])
    assert response.status_code == 303
    for this in (ids["scan"], ids["cv"]):
        html = clerk.get(f"/van-ban/{this}").get_data(as_text=True)
        assert "Các phiên bản" in html and "Có thể trùng với" not in html
        versions = html[html.index("Các phiên bản"):]
        assert versions.index("bản ban hành") < versions.index("scan.txt")
    assert POSSIBLE_DUPLICATE not in clerk.get(f"/api/documents/{ids['scan']}").get_json()[
        "metadata"]["review"]


def test_an_admin_deletes_restores_and_purges_and_others_cannot(site) -> None:
    app, archive, ids = site
    clerk, admin = signed_in_client(app, "clerk"), signed_in_client(app, "admin")
    anonymous, cited = app.test_client(), ids["cd"]
    assert "Xóa (chuyển vào thùng rác)" not in clerk.get(f"/van-ban/{cited}").get_data(
        as_text=True)
    assert post(clerk, f"/van-ban/{cited}/xoa").status_code == 403
    assert clerk.get("/thung-rac").status_code == 403
    assert anonymous.get("/api/search?q=so:139/CĐ-TTg").get_json()["total"] == 1
    assert post(admin, f"/van-ban/{cited}/xoa").status_code == 303
    # Gone from search, pages and the API, but for admins, who see it is deleted.
    assert anonymous.get("/api/search?q=so:139/CĐ-TTg").get_json()["total"] == 0
    assert anonymous.get(f"/van-ban/{cited}").status_code == 404
    assert clerk.get(f"/api/documents/{cited}").status_code == 404
    assert admin.get(f"/api/documents/{cited}").get_json()["deleted_by"] == "admin"
    assert "đã bị xóa" in admin.get(f"/van-ban/{cited}").get_data(as_text=True)
    assert f"/van-ban/{cited}" in admin.get("/thung-rac").get_data(as_text=True)
    assert "139/CĐ-TTg" in anonymous.get("/chua-luu-tru").get_data(as_text=True)
    assert post(clerk, f"/thung-rac/{cited}/khoi-phuc").status_code == 403
    assert post(admin, f"/thung-rac/{cited}/khoi-phuc").status_code == 303
    assert anonymous.get("/api/search?q=so:139/CĐ-TTg").get_json()["total"] == 1
    # Purge: only from the trash, then the original, the rows and the index entries go.
    assert post(admin, f"/thung-rac/{cited}/xoa-han").status_code == 404
    post(admin, f"/van-ban/{cited}/xoa")
    with open_catalog(archive.catalog_path) as catalog:
        sha256 = catalog.get_document(cited)["files"][0]["sha256"]
    assert post(clerk, f"/thung-rac/{cited}/xoa-han").status_code == 403
    assert post(admin, f"/thung-rac/{cited}/xoa-han").status_code == 303
    assert not archive.original_path(sha256).exists()
    assert admin.get(f"/van-ban/{cited}").status_code == 404
    assert anonymous.get("/api/search?q=so:139/CĐ-TTg").get_json()["total"] == 0
    # The letter that cited it keeps its citation, as not archived.
    citations = anonymous.get(f"/api/documents/{ids['cv']}/citations").get_json()
    assert [c["reference"] for c in citations["cites"]] == ["139/CĐ-TTg"]
    assert "139/CĐ-TTg" in anonymous.get("/chua-luu-tru").get_data(as_text=True)
    with open_catalog(archive.catalog_path) as catalog:
        actions = [e.action for e in catalog.audit_entries(limit=50)[1]]
    assert {"delete", "restore", "purge"} <= set(actions)


def test_the_trash_command_lists_restores_and_purges_the_expired(site, capsys,
                                                                    monkeypatch) -> None:
    _app, archive, ids = site
    root = ["--archive", str(archive.root)]
    with open_catalog(archive.catalog_path) as catalog:
        catalog.trash_document(ids["cd"], "admin")
        catalog.trash_document(ids["ghichep"], "admin")
    capsys.readouterr()
    main(["trash", "list", *root])
    listed = capsys.readouterr().out
    assert ids["cd"] in listed and ids["ghichep"] in listed
    main(["trash", "restore", ids["ghichep"], *root])
    main(["trash", "purge-expired", *root])  # deleted today: kept for 30 days
    with open_catalog(archive.catalog_path) as catalog:
        assert [row["id"] for row in catalog.trashed_documents()] == [ids["cd"]]
        assert catalog.get_document(ids["ghichep"])["deleted_at"] is None

    class Later(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) + timedelta(days=31)

    monkeypatch.setattr("ingest.curation.trash.datetime", Later)
    monkeypatch.setenv("CONGVAN_TRASH_DAYS", "60")
    main(["trash", "purge-expired", *root])  # 31 days is within 60
    with open_catalog(archive.catalog_path) as catalog:
        assert catalog.get_document(ids["cd"]) is not None
    monkeypatch.delenv("CONGVAN_TRASH_DAYS")
    main(["trash", "purge-expired", *root])
    with open_catalog(archive.catalog_path) as catalog:
        assert catalog.get_document(ids["cd"]) is None
        purges = [e.actor for e in catalog.audit_entries(limit=50)[1] if e.action == "purge"]
        assert purges and purges[0].startswith("cli:")
    with pytest.raises(SystemExit) as exited:
        main(["trash", "purge", ids["cv"], *root])  # not in the trash
    assert exited.value.code == 2
    assert re.search(r"not in the trash", capsys.readouterr().err)


def test_scripts_review_link_delete_and_restore_through_the_api_with_a_token(
        site_in_order, capsys) -> None:
    app, archive, ids = site_in_order
    tokens = {}
    for who in ("reader", "clerk", "admin"):
        capsys.readouterr()
        main(["user", "token", who, "--archive", str(archive.root)])
        tokens[who] = {"Authorization": f"Bearer {capsys.readouterr().out.strip()}"}
    api = app.test_client()
    queue = api.get("/api/can-kiem-tra", headers=tokens["clerk"]).get_json()
    assert queue["total"] == 2 and queue["documents"][0]["id"] == ids["ghichep"]
    assert "not-a-letter" in queue["documents"][0]["review"]
    assert api.get("/api/can-kiem-tra", headers=tokens["reader"]).status_code == 403
    assert api.post(f"/api/documents/{ids['ghichep']}/review",
                    headers=tokens["reader"]).status_code == 403
    reviewed = api.post(f"/api/documents/{ids['ghichep']}/review",
                        headers=tokens["clerk"]).get_json()
    assert reviewed["reviewed_by"] == "clerk" and not reviewed["needs_review"]
    record = api.get(f"/api/documents/{ids['scan']}").get_json()
    assert [d["id"] for d in record["possible_duplicates"]] == [ids["cv"]]
    linked = api.post(f"/api/documents/{ids['scan']}/versions", headers=tokens["clerk"],
                      json={"other": ids["cv"], "issued": ids["cv"]}).get_json()
    assert linked["versions"] == [{"id": ids["cv"], "issued": True},
                                  {"id": ids["scan"], "issued": False}]
    assert api.delete(f"/api/documents/{ids['cd']}", headers=tokens["clerk"]).status_code == 403
    assert api.delete(f"/api/documents/{ids['cd']}", headers=tokens["admin"]).status_code == 200
    assert api.get(f"/api/documents/{ids['cd']}", headers=tokens["reader"]).status_code == 404
    trashed = api.get("/api/thung-rac", headers=tokens["admin"]).get_json()["documents"]
    assert [row["id"] for row in trashed] == [ids["cd"]]
    assert api.post(f"/api/thung-rac/{ids['cd']}/restore",
                    headers=tokens["admin"]).get_json() == {"id": ids["cd"], "deleted": False}
    assert api.get(f"/api/documents/{ids['cd']}", headers=tokens["reader"]).status_code == 200
    api.delete(f"/api/documents/{ids['cd']}", headers=tokens["admin"])
    assert api.delete(f"/api/thung-rac/{ids['cd']}", headers=tokens["admin"]).status_code == 200
    assert api.get(f"/api/documents/{ids['cd']}", headers=tokens["admin"]).status_code == 404
