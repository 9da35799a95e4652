"""The registers on the web and the command: a clerk enters a letter on its page (the 'ĐẾN'
stamp proposed) or by the API; readers read the registers and export them; each entry and
export is audited. (Each route × role is in tests/test_roles.py's table.)"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from congvan.cli import main
from ingest import Archive, open_catalog
from webui import create_app

from .test_corrections import add_letter
from .test_roles import role_app, signed_in_client
from .test_upload import csrf_of

STAMPED = """ỦY BAN NHÂN DÂN TỈNH LAI CHÂU
SỞ NỘI VỤ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

ĐẾN Số: 4412
Ngày: 12/3/2025
Chuyển: Phòng Tổng hợp

Số: 215/SNV-VP
Lai Châu, ngày 05 tháng 3 năm 2025
V/v báo cáo công tác văn thư quý I

Kính gửi: Ủy ban nhân dân các huyện

Sở Nội vụ đề nghị các huyện báo cáo công tác văn thư quý I trước ngày 20/3/2025.

Nơi nhận:
- Như trên;
- Lưu: VT, VP.
GIÁM ĐỐC
Lò Văn Tính
"""
PLAIN = STAMPED.replace("ĐẾN Số: 4412\nNgày: 12/3/2025\nChuyển: Phòng Tổng hợp\n", "").replace(
    "215/SNV-VP", "216/SNV-VP")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str, str]:
    """An archive with one account per role, a stamped letter and a plain one (made once:
    hashing the passwords is slow by design)."""
    app = role_app(tmp_path_factory.mktemp("registers"))
    archive = Archive(app.config["ARCHIVE"])
    with open_catalog(archive.catalog_path) as catalog:
        stamped, plain = add_letter(catalog, STAMPED), add_letter(catalog, PLAIN)
    return archive.root, stamped, plain


@pytest.fixture
def setup(built, tmp_path):
    root, stamped, plain = built
    shutil.copytree(root, tmp_path / "archive")
    app = create_app({"ARCHIVE": str(tmp_path / "archive"), "TESTING": True})
    return app, Archive(tmp_path / "archive"), stamped, plain


def post_form(client, path: str, data: dict):
    return client.post(path, data={**data, "csrf_token": csrf_of(client, "/dang-nhap")})


def test_the_stamp_is_proposed_and_a_clerk_confirms_it(setup):
    app, archive, stamped, _plain = setup
    clerk = signed_in_client(app, "clerk")
    page = clerk.get(f"/van-ban/{stamped}").get_data(as_text=True)
    assert 'name="arrival_number" value="4412"' in page
    assert 'name="entry_date" value="12/03/2025"' in page
    assert 'name="unit" value="Phòng Tổng hợp"' in page
    form = {"direction": "den", "arrival_number": "4412", "entry_date": "12/03/2025",
            "unit": "Phòng Tổng hợp", "note": ""}
    response = post_form(clerk, f"/van-ban/{stamped}/so-dang-ky", form)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/van-ban/{stamped}#so-dang-ky")
    with open_catalog(archive.catalog_path) as catalog:
        entry = catalog.register_entry(stamped)
        log = [e for e in catalog.iter_audit(action="register")]
    assert entry is not None
    assert (entry.direction, entry.year, entry.arrival_number, entry.entry_date, entry.unit,
            entry.registered_by) == ("den", 2025, 4412, "2025-03-12", "Phòng Tổng hợp", "clerk")
    assert [(e.actor, e.target, e.detail["arrival_number"]) for e in log] == [
        ("clerk", stamped, 4412)]
    page = clerk.get(f"/van-ban/{stamped}").get_data(as_text=True)
    assert "Số đến <strong>4412</strong>" in page


def test_the_next_number_is_given_when_left_blank_and_a_taken_one_is_refused(setup):
    app, archive, stamped, plain = setup
    clerk = signed_in_client(app, "clerk")
    assert post_form(clerk, f"/van-ban/{stamped}/so-dang-ky",
                     {"direction": "den", "entry_date": "12/03/2025"}).status_code == 303
    refused = post_form(clerk, f"/van-ban/{plain}/so-dang-ky",
                        {"direction": "den", "entry_date": "13/03/2025", "arrival_number": "1"})
    assert refused.status_code == 400
    assert "Số đến 1 năm 2025 đã cấp cho văn bản khác." in refused.get_data(as_text=True)
    bad_date = post_form(clerk, f"/van-ban/{plain}/so-dang-ky",
                         {"direction": "den", "entry_date": "31/02/2025"})
    assert bad_date.status_code == 400
    assert "Ngày không hợp lệ" in bad_date.get_data(as_text=True)
    assert 'value="31/02/2025"' in bad_date.get_data(as_text=True)  # the clerk's value again
    assert post_form(clerk, f"/van-ban/{plain}/so-dang-ky",
                     {"direction": "den", "entry_date": "13/03/2025"}).status_code == 303
    with open_catalog(archive.catalog_path) as catalog:
        assert [row["arrival_number"] for row in catalog.register_rows("den", 2025)[1]] == [1, 2]


def test_a_reader_sees_the_entry_but_no_form_and_a_form_needs_its_csrf_token(setup):
    app, _archive, stamped, _plain = setup
    clerk = signed_in_client(app, "clerk")
    assert clerk.post(f"/van-ban/{stamped}/so-dang-ky",
                      data={"direction": "den"}).status_code == 400  # no CSRF token
    assert post_form(clerk, f"/van-ban/{stamped}/so-dang-ky",
                     {"direction": "di", "unit": "Văn phòng"}).status_code == 303
    page = signed_in_client(app, "reader").get(f"/van-ban/{stamped}").get_data(as_text=True)
    assert "Văn bản đi" in page and "Đơn vị lưu: Văn phòng" in page
    assert "so-dang-ky\"" not in page.split('id="so-dang-ky"')[1].split("</section>")[0]
    assert 'name="arrival_number"' not in page


def test_the_api_registers_with_the_same_checks(setup):
    app, _archive, stamped, plain = setup
    clerk = signed_in_client(app, "clerk")
    token = csrf_of(clerk, "/dang-nhap")
    url = f"/api/documents/{stamped}/register"
    ok = clerk.patch(url, json={"direction": "den", "entry_date": "2025-03-12",
                                "arrival_number": 4412}, headers={"X-CSRF-Token": token})
    assert ok.status_code == 200, ok.get_data(as_text=True)
    assert ok.get_json()["register"]["arrival_number"] == 4412
    bad = clerk.patch(f"/api/documents/{plain}/register", json={"direction": "ra"},
                      headers={"X-CSRF-Token": token})
    assert (bad.status_code, set(bad.get_json()["errors"])) == (400, {"direction"})
    taken = clerk.put(f"/api/documents/{plain}/register",
                      json={"direction": "den", "entry_date": "2025-05-01",
                            "arrival_number": 4412}, headers={"X-CSRF-Token": token})
    assert (taken.status_code, taken.get_json()["holder"]) == (409, stamped)
    no_csrf = clerk.patch(url, json={"direction": "di"})
    assert no_csrf.status_code == 400
    read = signed_in_client(app, "reader").get(url).get_json()
    assert read["register"]["arrival_number"] == 4412
    assert read["arrival_stamp"] == {"number": "4412", "date": "2025-03-12",
                                     "unit": "Phòng Tổng hợp"}


def test_the_register_pages_and_their_export(setup):
    app, archive, stamped, plain = setup
    clerk = signed_in_client(app, "clerk")
    post_form(clerk, f"/van-ban/{stamped}/so-dang-ky",
              {"direction": "den", "arrival_number": "4412", "entry_date": "12/03/2025",
               "unit": "=cmd|' /C calc'!A0"})
    post_form(clerk, f"/van-ban/{plain}/so-dang-ky",
              {"direction": "di", "entry_date": "06/03/2025"})
    reader = signed_in_client(app, "reader")
    incoming = reader.get("/so-van-ban/den?nam=2025").get_data(as_text=True)
    assert "Sổ đăng ký văn bản đến năm 2025" in incoming and "215/SNV-VP" in incoming
    assert "216/SNV-VP" not in incoming
    outgoing = reader.get("/so-van-ban/di?nam=2025").get_data(as_text=True)
    assert "216/SNV-VP" in outgoing and "Người ký" in outgoing
    assert reader.get("/so-van-ban/ra").status_code == 404
    exported = reader.get("/so-van-ban/den.csv?nam=2025")
    assert exported.status_code == 200
    header, row = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert header[:3] == ["Ngày đến", "Số đến", "Tác giả"]
    assert row[:2] == ["12/03/2025", "4412"] and row[6].startswith("'=")
    with open_catalog(archive.catalog_path) as catalog:
        exports = [e.detail for e in catalog.iter_audit(action="export")]
    assert exports[0]["what"] == "register" and exports[0]["rows"] == 1


def test_the_command_exports_a_register(setup, capsys):
    _app, archive, stamped, _plain = setup
    with open_catalog(archive.catalog_path) as catalog:
        catalog.register_letter(stamped, "den", "an", entry_date="2025-03-12")
    main(["register", "export", "--year", "2025", "--direction", "den",
          "--archive", str(archive.root)])
    header, row = list(csv.reader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    assert header[1] == "Số đến" and row[1] == "1" and row[3] == "215/SNV-VP"
    with open_catalog(archive.catalog_path) as catalog:
        exports = [e for e in catalog.iter_audit(action="export")]
    assert exports[0].actor.startswith("cli:") and exports[0].detail["direction"] == "den"
