"""The document page's correction form and notes, and the API's PATCH, per role: a clerk's
correction is saved with who and when, shown as corrected, listed in the letter's history and
seen by search at once; a reader gets 403; wrong values are refused in Vietnamese, nothing
saved; CSRF on every form, token auth for scripts."""

from __future__ import annotations

import hashlib
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from index import DEFAULT_ENGINE, ENGINES, open_index
from index.intake import update_index
from ingest import Archive, open_catalog
from ingest.store.catalog import now_iso
from webui import create_app

from .test_corrections import add_letter
from .test_roles import role_app, signed_in_client
from .test_upload import csrf_of

MACHINE_ISSUER = "Sở Y tế tỉnh Đồng Tháp"
NEW_ISSUER = "Văn phòng Sở Y tế"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """Per engine, an archive with one account per role and the letter, indexed (made once:
    hashing three passwords is slow by design)."""
    built = {}
    for engine in ENGINES:
        app = role_app(tmp_path_factory.mktemp(engine), ENGINE=engine)
        archive = Archive(app.config["ARCHIVE"])
        with open_catalog(archive.catalog_path) as catalog:
            doc_id = add_letter(catalog)
        update_index(archive, open_index(archive.index_dir, engine))
        built[engine] = (archive.root, doc_id)
    return built


def app_on(built, tmp_path, engine: str = DEFAULT_ENGINE):
    root, doc_id = built[engine]
    shutil.copytree(root, tmp_path / "archive")
    return create_app({"ARCHIVE": str(tmp_path / "archive"), "ENGINE": engine, "TESTING": True,
                       "DOC_ID": doc_id})


@pytest.fixture
def app(built, tmp_path):
    """The app on a fresh copy of the archive, with the default engine."""
    return app_on(built, tmp_path)


@pytest.fixture
def engine_app(built, tmp_path, engine):
    """The app on a fresh copy of the archive, with each engine in turn (search tests)."""
    return app_on(built, tmp_path, engine)


def catalog_of(app):
    return open_catalog(Archive(app.config["ARCHIVE"]).catalog_path)


class FormFields(HTMLParser):
    """The fields of the page's correction form as a browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_form = "correct-form" in (attrs.get("class") or "")
        if not self._in_form:
            return
        if tag == "input" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.fields[self._textarea] = ""
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self.fields.setdefault(self._select, "")
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def form_of(client, doc_id: str) -> dict[str, str]:
    parser = FormFields()
    parser.feed(client.get(f"/van-ban/{doc_id}").get_data(as_text=True))
    return parser.fields


def correct(client, doc_id: str, **changes: str):
    fields = form_of(client, doc_id)
    fields.update(changes)
    return client.post(f"/van-ban/{doc_id}/sua", data=fields)


# -- roles ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "status"),
                         [(None, 302), ("reader", 403), ("clerk", 303), ("admin", 303)])
def test_only_a_clerk_or_admin_may_correct_or_add_notes(app, username, status):
    doc_id = app.config["DOC_ID"]
    client = signed_in_client(app, username)
    token = csrf_of(client, "/dang-nhap")
    data = {"csrf_token": token, "issuer": NEW_ISSUER}  # a form with one field: the rest stays
    assert client.post(f"/van-ban/{doc_id}/sua", data=data).status_code == status
    note = {"csrf_token": token, "text": "Ghi chú thử"}
    assert client.post(f"/van-ban/{doc_id}/ghi-chu", data=note).status_code == status
    with catalog_of(app) as catalog:
        corrected = set(catalog.corrections(doc_id))
        noted = bool(catalog.notes(doc_id))
    assert corrected == ({"issuer"} if status == 303 else set())
    assert noted is (status == 303)


@pytest.mark.parametrize(("username", "shown"),
                         [(None, False), ("reader", False), ("clerk", True), ("admin", True)])
def test_a_reader_sees_no_edit_form(app, username, shown):
    html = signed_in_client(app, username).get(f"/van-ban/{app.config['DOC_ID']}").get_data(
        as_text=True)
    assert ("Sửa thông tin" in html) is shown
    assert ("Thêm ghi chú" in html) is shown
    assert "Lịch sử thay đổi" in html


def test_forms_need_the_csrf_token(app):
    client = signed_in_client(app, "clerk")
    doc_id = app.config["DOC_ID"]
    fields = form_of(client, doc_id)
    fields.pop("csrf_token")
    fields["issuer"] = NEW_ISSUER
    assert client.post(f"/van-ban/{doc_id}/sua", data=fields).status_code == 400
    assert client.post(f"/van-ban/{doc_id}/ghi-chu", data={"text": "x"}).status_code == 400
    with catalog_of(app) as catalog:
        assert catalog.corrections(doc_id) == {} and catalog.notes(doc_id) == []


# -- the form -------------------------------------------------------------------------------------


def test_a_clerk_corrects_the_issuer_and_search_history_and_page_show_it(engine_app):
    app = engine_app
    client = signed_in_client(app, "clerk")
    doc_id = app.config["DOC_ID"]
    facets = client.get("/api/facets?q=sot+xuat+huyet").get_json()["facets"]["issuer"]
    assert facets == [{"value": MACHINE_ISSUER, "count": 1}]
    response = correct(client, doc_id, issuer=NEW_ISSUER)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/van-ban/{doc_id}#lich-su")
    # only the field changed is a correction: the rest of the form came back as it was
    with catalog_of(app) as catalog:
        assert set(catalog.corrections(doc_id)) == {"issuer"}
        assert catalog.get_document(doc_id)["issuer"] == NEW_ISSUER
    # the index saw it at once
    facets = client.get("/api/facets?q=sot+xuat+huyet").get_json()["facets"]["issuer"]
    assert facets == [{"value": NEW_ISSUER, "count": 1}]
    html = client.get(f"/van-ban/{doc_id}").get_data(as_text=True)
    assert "đã sửa bởi clerk lúc" in html
    assert f"Máy đọc: {MACHINE_ISSUER}" in html
    history = html[html.index('id="lich-su"'):]
    assert re.search(rf"clerk</td><td>Cơ quan ban hành</td>\s*<td>{MACHINE_ISSUER}</td>"
                     rf"<td>{NEW_ISSUER}</td>", history)
    # audited
    with catalog_of(app) as catalog:
        [entry] = catalog.audit_entries(action="correct")[1]
    assert (entry.actor, entry.target) == ("clerk", doc_id)
    assert entry.detail["fields"]["issuer"] == {"old": MACHINE_ISSUER, "new": NEW_ISSUER}


def test_a_form_sent_back_unchanged_corrects_nothing(app):
    client = signed_in_client(app, "clerk")
    doc_id = app.config["DOC_ID"]
    assert correct(client, doc_id).status_code == 303
    with catalog_of(app) as catalog:
        assert catalog.corrections(doc_id) == {}
        assert catalog.document_history(doc_id) == []


def test_tasks_signer_citations_and_date_are_corrected_through_the_form(app):
    client = signed_in_client(app, "clerk")
    doc_id = app.config["DOC_ID"]
    response = correct(client, doc_id, date="03/2025", signer_authority="KT.",
                       signer_title="Phó Giám đốc", signer_name="Trần Thị Bình",
                       citations="139/CĐ-TTg\n17/2017/NĐ-CP", task_text_2="Tổng hợp báo cáo",
                       task_assignees_2="Phòng Nghiệp vụ Y; Văn phòng Sở",
                       task_deadline_2="15/04/2025")
    assert response.status_code == 303, response.get_data(as_text=True)
    with catalog_of(app) as catalog:
        document = catalog.get_document(doc_id)
        assert set(catalog.corrections(doc_id)) == {"date", "signer", "citations", "tasks"}
        assert [c["id"] for c in catalog.citing("17/2017/nd-cp")] == [doc_id]
    meta = document["metadata"]
    assert (meta.date, meta.date_precision) == ("2025-03", "month")
    assert (meta.signer.authority, meta.signer.title, meta.signer.name) == (
        "KT.", "Phó Giám đốc", "Trần Thị Bình")
    assert meta.tasks[-1].assignees == ["Phòng Nghiệp vụ Y", "Văn phòng Sở"]
    assert meta.tasks[-1].deadline == "2025-04-15"
    found = client.get('/api/search?q=giao:"phong nghiep vu y"').get_json()
    assert [hit["id"] for hit in found["hits"]] == [doc_id]


def test_a_clerk_sets_a_citations_relation_and_the_cited_letter_shows_it(app):
    from .test_corrections import LETTER

    with catalog_of(app) as catalog:
        cited = add_letter(catalog, LETTER.replace("21/SYT-NVY", "12/2020/QĐ-UBND"))
    client = signed_in_client(app, "clerk")
    doc_id = app.config["DOC_ID"]
    assert form_of(client, doc_id)["citations"] == "thực hiện: 139/CĐ-TTg"
    response = correct(client, doc_id,
                       citations="thực hiện: 139/CĐ-TTg\nthay the: 12/2020/QĐ-UBND")
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get(f"/van-ban/{cited}").get_data(as_text=True)
    assert 'class="validity-banner' in page and f'href="/van-ban/{doc_id}"' in page
    found = client.get("/api/search?q=hieuluc:bi-thay-the").get_json()
    assert [hit["id"] for hit in found["hits"]] == [cited]
    history = client.get(f"/van-ban/{doc_id}").get_data(as_text=True)
    assert "thay thế: 12/2020/QĐ-UBND" in history


def test_wrong_values_are_shown_in_vietnamese_and_nothing_is_saved(app):
    client = signed_in_client(app, "clerk")
    doc_id = app.config["DOC_ID"]
    response = correct(client, doc_id, issuer=NEW_ISSUER, date="31/02/2025",
                       reference="không có số")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Chưa lưu: có 2 trường chưa hợp lệ" in html
    assert "“31/02/2025” không phải là một ngày có thật" in html
    assert "Không đọc được số, ký hiệu “không có số”" in html
    assert f'value="{NEW_ISSUER}"' in html  # what the clerk typed stays on the form
    with catalog_of(app) as catalog:
        assert catalog.corrections(doc_id) == {}
        assert catalog.get_document(doc_id)["issuer"] == MACHINE_ISSUER


# -- notes -----------------------------------------------------------------------------------


def test_a_note_is_shown_with_who_and_when_and_is_searchable(engine_app):
    app = engine_app
    client = signed_in_client(app, "clerk")
    doc_id = app.config["DOC_ID"]
    assert client.get("/api/search?q=tu+ho+so+bay").get_json()["total"] == 0
    token = csrf_of(client, f"/van-ban/{doc_id}")
    response = client.post(f"/van-ban/{doc_id}/ghi-chu",
                           data={"csrf_token": token, "text": "Bản giấy ở tủ hồ sơ bảy <b>"})
    assert response.status_code == 303
    html = client.get(f"/van-ban/{doc_id}").get_data(as_text=True)
    notes = html[html.index('id="ghi-chu"'):html.index('id="lich-su"')]
    assert "Bản giấy ở tủ hồ sơ bảy &lt;b&gt;" in notes and "clerk · " in notes
    hits = client.get("/api/search?q=tu+ho+so+bay").get_json()["hits"]
    assert [hit["id"] for hit in hits] == [doc_id]
    assert client.get(f"/api/documents/{doc_id}").get_json()["notes"][0]["actor"] == "clerk"
    empty = client.post(f"/van-ban/{doc_id}/ghi-chu", data={"csrf_token": token, "text": " "})
    assert empty.status_code == 400


# -- the JSON API ------------------------------------------------------------------------------


def api_token(app, username: str) -> str:
    token = f"token-of-{username}-0123456789"
    with catalog_of(app) as catalog:
        catalog.add_api_token(hashlib.sha256(token.encode()).hexdigest(), username, now_iso())
    return token


def test_patch_corrects_with_a_token_and_get_says_which_fields_are_corrected(engine_app):
    app = engine_app
    doc_id = app.config["DOC_ID"]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {api_token(app, 'clerk')}"}
    response = client.patch(f"/api/documents/{doc_id}", headers=headers,
                            json={"issuer": NEW_ISSUER, "recipients": ["Sở Y tế"]})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert {c["field"] for c in body["changes"]} == {"issuer", "recipients"}
    assert body["issuer"] == NEW_ISSUER
    document = client.get(f"/api/documents/{doc_id}").get_json()
    assert set(document["corrected"]) == {"issuer", "recipients"}
    assert document["corrected"]["issuer"]["actor"] == "clerk"
    assert document["metadata"]["recipients"] == ["Sở Y tế"]
    found = client.get('/api/search?q=coquan:"van phong so y te"').get_json()
    assert [hit["id"] for hit in found["hits"]] == [doc_id]


def test_patch_refuses_wrong_values_per_field_in_vietnamese(app):
    doc_id = app.config["DOC_ID"]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {api_token(app, 'clerk')}"}
    response = client.patch(f"/api/documents/{doc_id}", headers=headers,
                            json={"issuer": NEW_ISSUER, "date": "2025-13-01", "colour": "đỏ"})
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert set(errors) == {"date", "colour"}
    assert "không phải là một ngày có thật" in errors["date"]
    assert client.patch(f"/api/documents/{doc_id}", headers=headers,
                        data="không phải JSON").status_code == 400
    with catalog_of(app) as catalog:
        assert catalog.corrections(doc_id) == {}


@pytest.mark.parametrize(("username", "status"),
                         [(None, 400), ("reader", 403), ("clerk", 200), ("admin", 200)])
def test_patch_needs_a_clerk(app, username, status):
    """Nobody signed in and no token: refused by the CSRF check that comes first."""
    doc_id = app.config["DOC_ID"]
    headers = {"Authorization": f"Bearer {api_token(app, username)}"} if username else {}
    response = app.test_client().patch(f"/api/documents/{doc_id}", headers=headers,
                                       json={"issuer": NEW_ISSUER})
    assert response.status_code == status


def test_patch_from_a_browser_session_needs_the_csrf_header(app):
    doc_id = app.config["DOC_ID"]
    client = signed_in_client(app, "clerk")
    assert client.patch(f"/api/documents/{doc_id}",
                        json={"issuer": NEW_ISSUER}).status_code == 400
    token = csrf_of(client, f"/van-ban/{doc_id}")
    response = client.patch(f"/api/documents/{doc_id}", json={"issuer": NEW_ISSUER},
                            headers={"X-CSRF-Token": token})
    assert response.status_code == 200


def test_patch_of_the_signers_name_keeps_the_title_read(app):
    doc_id = app.config["DOC_ID"]
    headers = {"Authorization": f"Bearer {api_token(app, 'clerk')}"}
    response = app.test_client().patch(f"/api/documents/{doc_id}", headers=headers,
                                       json={"signer": {"name": "Trần Thị Bình"}})
    assert response.status_code == 200
    signer = response.get_json()["metadata"]["signer"]
    assert (signer["name"], signer["title"]) == ("Trần Thị Bình", "Giám đốc")


def test_on_a_search_node_a_correction_is_searchable_when_the_page_answers(built, tmp_path,
                                                                           engine):
    # A node's own index, kept by its follower: the web app writes only the catalog, then
    # waits for the follower to reach the change before it answers.
    from index import IndexFollower

    root, doc_id = built[engine]
    shutil.copytree(root, tmp_path / "archive")
    archive = Archive(tmp_path / "archive", index_dir=tmp_path / "node-index")
    follower = IndexFollower(open_index(archive.index_dir, engine),
                             lambda: open_catalog(archive.catalog_location), poll=0.05)
    follower.start()
    try:
        app = create_app({"ARCHIVE": str(archive.root), "ENGINE": engine, "TESTING": True,
                          "INDEX_DIR": str(archive.index_dir), "INDEX_FOLLOWER": follower})
        client = signed_in_client(app, "clerk")
        assert correct(client, doc_id, issuer=NEW_ISSUER).status_code == 303
        facets = client.get("/api/facets?q=sot+xuat+huyet").get_json()["facets"]["issuer"]
        assert facets == [{"value": NEW_ISSUER, "count": 1}]
        # The archive's own index (another node's, say) was not written by this app.
        shared = open_index(tmp_path / "archive" / "index", engine)
        assert shared.search("sot xuat huyet").facets["issuer"] == [(MACHINE_ISSUER, 1)]
        assert follower.index.search("sot xuat huyet").facets["issuer"] == [(NEW_ISSUER, 1)]
    finally:
        follower.stop()
