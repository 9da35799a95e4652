"""Relations and validity on the web pages, the JSON API and the command (issue 16): a replaced
letter's banner naming the later one, both directions of each relation with their Vietnamese
names, the reply thread up and down in date order, the validity facet, the citation graph
coloured by relation with a legend (readable at 50 nodes), everything from the letters escaped.
On both engines."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import pytest

from index import ENGINES, rebuild_index
from ingest import Archive, ingest_paths, open_catalog
from tests.webui_archive import sha_id
from webui.graph import Neighbourhood, Node, label_box, layout, node_box, overlap

HEADER = """ỦY BAN NHÂN DÂN
TỈNH BÌNH ĐỊNH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: {number}
Bình Định, ngày {date}

"""
FOOT = """
Nơi nhận:
- Như trên;
- Lưu: VT.

CHỦ TỊCH

Nguyễn Văn An
"""

LETTERS = {
    "old": ("12/2020/QĐ-UBND", "02 tháng 01 năm 2020",
            "QUYẾT ĐỊNH\nBan hành Quy chế quản lý chợ\n\nĐiều 1. Ban hành Quy chế quản lý chợ."),
    "part": ("7/2019/QĐ-UBND", "03 tháng 5 năm 2019",
             "QUYẾT ĐỊNH\nQuy định phí vệ sinh\n\nĐiều 1. Quy định phí vệ sinh.\n"
             "Điều 4. Mức thu."),
    "new": ("30/2025/QĐ-UBND", "05 tháng 3 năm 2025",
            "QUYẾT ĐỊNH\nBan hành Quy chế quản lý chợ mới\n\n"
            "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;\n"
            "\nQUYẾT ĐỊNH:\n\n"
            "Điều 1. Ban hành Quy chế quản lý chợ.\n"
            "Điều 2. Bãi bỏ khoản 2 Điều 4 Quyết định số 7/2019/QĐ-UBND ngày 03/5/2019.\n"
            "Điều 3. Quyết định này thay thế Quyết định số 12/2020/QĐ-UBND ngày 02/01/2020 của "
            "Ủy ban nhân dân tỉnh."),
    "directive": ("245/UBND-VX", "01 tháng 3 năm 2025",
                  "V/v báo cáo công tác phòng chống dịch\n\nKính gửi: Sở Y tế.\n\n"
                  "Ủy ban nhân dân tỉnh đề nghị Sở Y tế báo cáo trước ngày 20/3/2025."),
    "reply": ("88/UBND-YT", "10 tháng 3 năm 2025",
              "V/v trả lời Công văn số 245/UBND-VX\n\nKính gửi: Ủy ban nhân dân tỉnh.\n\n"
              "Trả lời Công văn số 245/UBND-VX ngày 01/3/2025 của Ủy ban nhân dân tỉnh, Sở Y tế "
              "báo cáo như sau: tình hình ổn định."),
    "report": ("19/BC-UBND", "20 tháng 3 năm 2025",
               "BÁO CÁO\nKết quả thực hiện Công văn số 245/UBND-VX ngày 01/3/2025\n\n"
               "Kính gửi: Ủy ban nhân dân tỉnh.\n\nCác đơn vị đã thực hiện đầy đủ."),
    "follow": ("95/UBND-VX", "25 tháng 3 năm 2025",
               "V/v <b>phúc đáp</b> Công văn số 88/UBND-YT\n\nKính gửi: Sở Y tế.\n\n"
               "Phúc đáp Công văn số 88/UBND-YT ngày 10/3/2025 của Sở Y tế, Ủy ban nhân dân "
               "tỉnh ghi nhận."),
}


@pytest.fixture(scope="module", params=ENGINES)
def site(tmp_path_factory, request):
    from webui.app import create_app

    root = tmp_path_factory.mktemp(f"relations-{request.param}")
    paths, ids = [], {}
    for name, (number, date, body) in LETTERS.items():
        path = root / f"{name}.txt"
        path.write_text(HEADER.format(number=number, date=date) + body + "\n" + FOOT,
                        encoding="utf-8")
        paths.append(path)
        ids[name] = sha_id(path.read_bytes())
    archive = Archive(root / "archive")
    report = ingest_paths(paths, archive, jobs=1)
    assert report.summary()["failed"] == 0
    with open_catalog(archive.catalog_path) as catalog:
        rebuild_index(catalog, archive.index_dir, engine=request.param)
    app = create_app({"ARCHIVE": str(archive.root), "ENGINE": request.param, "TESTING": True})
    return app.test_client(), ids, archive


def text_of(html: str) -> str:
    """The text a reader sees, its tags taken off."""
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    return re.sub(r" ([:;,.)])", r"\1", text)


def test_a_replaced_letter_names_the_later_one_in_a_banner(site) -> None:
    client, ids, _ = site
    html = client.get(f"/van-ban/{ids['old']}").get_data(as_text=True)
    banner = re.search(r'<div class="validity-banner[^"]*"[^>]*>(.*?)</div>', html, re.S)
    assert banner, "no banner"
    assert f'href="/van-ban/{ids["new"]}"' in banner.group(1)
    assert text_of(banner.group(1)).startswith(
        "Bị thay thế: văn bản này đã được thay thế bởi Quyết định 30/2025/QĐ-UBND")
    part = text_of(client.get(f"/van-ban/{ids['part']}").get_data(as_text=True))
    assert "Bị sửa đổi: văn bản này đã được bãi bỏ (khoản 2 Điều 4) bởi Quyết định 30/2025" in part
    new = client.get(f"/van-ban/{ids['new']}").get_data(as_text=True)
    assert "validity-banner" not in new  # in force


def test_both_directions_of_each_relation_are_named_on_the_pages(site) -> None:
    client, ids, _ = site
    new = text_of(client.get(f"/van-ban/{ids['new']}").get_data(as_text=True))
    assert "căn cứ Nghị định 30/2020/NĐ-CP chưa có trong kho" in new
    assert "bãi bỏ Quyết định 7/2019/QĐ-UBND (khoản 2 Điều 4)" in new
    assert "thay thế Quyết định 12/2020/QĐ-UBND" in new
    old = text_of(client.get(f"/van-ban/{ids['old']}").get_data(as_text=True))
    assert "bị thay thế bởi Quyết định 30/2025/QĐ-UBND" in old
    part = text_of(client.get(f"/van-ban/{ids['part']}").get_data(as_text=True))
    assert "bị bãi bỏ bởi Quyết định 30/2025/QĐ-UBND (khoản 2 Điều 4)" in part
    directive = text_of(client.get(f"/van-ban/{ids['directive']}").get_data(as_text=True))
    assert "được trả lời bởi Công văn 88/UBND-YT" in directive


def test_the_reply_thread_runs_up_and_down_in_date_order(site) -> None:
    client, ids, _ = site

    def thread(name: str) -> list[str]:
        html = client.get(f"/van-ban/{ids[name]}").get_data(as_text=True)
        listed = re.search(r'<ol class="thread">(.*?)</ol>', html, re.S)
        return [re.search(r"(\d+/[\w-]+)", text_of(item)).group(1)
                for item in re.findall(r"<li[^>]*>(.*?)</li>", listed.group(1), re.S)]

    # the directive: the reply, the report, and the answer to the reply, in date order
    assert thread("directive") == ["245/UBND-VX", "88/UBND-YT", "19/BC-UBND", "95/UBND-VX"]
    # a reply: the directive it answers (up) and the answer to it (down), not its sibling
    assert thread("reply") == ["245/UBND-VX", "88/UBND-YT", "95/UBND-VX"]
    html = client.get(f"/van-ban/{ids['follow']}").get_data(as_text=True)
    assert "&lt;b&gt;phúc đáp&lt;/b&gt;" in html and "<b>phúc đáp</b>" not in html
    assert 'class="thread"' not in client.get(f"/van-ban/{ids['old']}").get_data(as_text=True)


def test_the_document_api_gives_relations_validity_and_thread(site) -> None:
    client, ids, _ = site
    old = client.get(f"/api/documents/{ids['old']}").get_json()
    assert old["validity"]["status"] == "bi-thay-the" and old["validity"]["label"] == "Bị thay thế"
    [later] = old["validity"]["by"]
    assert (later["id"], later["relation"], later["label"], later["url"]) == (
        ids["new"], "thay_the", "thay thế", f"/van-ban/{ids['new']}")
    [cited_by] = old["relations"]["cited_by"]
    assert (cited_by["relation"], cited_by["label"], cited_by["direction"]) == (
        "thay_the", "bị thay thế bởi", "cited_by")
    new = client.get(f"/api/documents/{ids['new']}").get_json()
    assert [(c["relation"], c["scope"], c["direction"]) for c in new["relations"]["cites"]] == [
        ("can_cu", None, "cites"), ("bai_bo", "khoản 2 Điều 4", "cites"),
        ("thay_the", None, "cites")]
    assert [c["relation"] for c in new["metadata"]["citations"]] == ["can_cu", "bai_bo",
                                                                      "thay_the"]
    directive = client.get(f"/api/documents/{ids['directive']}").get_json()
    assert [(t["id"], t["role"]) for t in directive["thread"]] == [
        (ids["directive"], "self"), (ids["reply"], "reply"), (ids["report"], "reply"),
        (ids["follow"], "reply")]
    assert directive["thread"][3]["answers"] == [ids["reply"]]
    cites = client.get(f"/api/documents/{ids['part']}/citations").get_json()
    [by] = cites["cited_by"]
    assert (by["label"], by["scope"]) == ("bị bãi bỏ bởi", "khoản 2 Điều 4")


def test_the_search_page_has_a_validity_facet_and_badge(site) -> None:
    client, ids, _ = site
    html = client.get("/?q=quyet+dinh").get_data(as_text=True)
    assert "Hiệu lực" in html and 'href="/?q=quyet+dinh+hieuluc:bi-thay-the' in html
    assert re.search(r'class="validity validity-bi-thay-the"[^>]*>Bị thay thế<', html)
    filtered = client.get("/api/search?q=hieuluc:bi-sua-doi").get_json()
    assert [hit["id"] for hit in filtered["hits"]] == [ids["part"]]


def test_the_graph_colours_edges_by_relation_with_a_legend(site) -> None:
    client, ids, _ = site
    svg = client.get(f"/van-ban/{ids['new']}/do-thi.svg").get_data(as_text=True)
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    strokes = {line.get("marker-end") for line in root.iter(f"{ns}line")
               if line.get("marker-end")}
    assert {"url(#arrow-thay_the)", "url(#arrow-bai_bo)", "url(#arrow-can_cu)"} <= strokes
    legend = [" ".join(g.itertext()) for g in root.iter(f"{ns}g") if g.get("class") == "legend"]
    assert legend == ["căn cứ", "thay thế", "bãi bỏ"]  # the relations drawn, in one order


def test_the_graph_stays_readable_at_fifty_nodes() -> None:
    graph = Neighbourhood()
    graph.add(Node("doc:center", 0, "30/2025/QĐ-UBND", "t", "center"))
    for i in range(24):
        graph.add(Node(f"doc:a{i}", 1, f"{1000 + i}/QĐ-UBND-VX", "t", f"a{i}", "doc:center"))
    for i in range(30):
        graph.add(Node(f"key:b{i}", 2, f"{2000 + i}/2025/TTLT-BGDĐT-BNV", "t", None,
                       f"doc:a{i % 24}"))
    assert len(graph.nodes) == 50 and graph.truncated  # the 51st and beyond are left out
    layout(graph)
    nodes = list(graph.nodes.values())
    clashes = [(a.key, b.key) for i, a in enumerate(nodes) for b in nodes[i + 1:]
               if overlap(label_box(a), label_box(b)) or overlap(label_box(a), node_box(b))
               or overlap(node_box(a), label_box(b)) or overlap(node_box(a), node_box(b))]
    assert clashes == []


def test_congvan_show_gives_relations_validity_and_thread(site, capsys) -> None:
    from congvan.cli import main

    _client, ids, archive = site
    main(["show", ids["old"], "--archive", str(archive.root), "--json"])
    shown = json.loads(capsys.readouterr().out)
    assert shown["validity"]["status"] == "bi-thay-the"
    assert shown["relations"]["cited_by"][0]["label"] == "bị thay thế bởi"
    main(["show", ids["new"], "--archive", str(archive.root)])
    out = capsys.readouterr().out
    assert "bãi bỏ Quyết định 7/2019/QĐ-UBND (2019-05-03) [khoản 2 Điều 4]" in out
    main(["show", ids["reply"], "--archive", str(archive.root), "--json"])
    assert [t["role"] for t in json.loads(capsys.readouterr().out)["thread"]] == [
        "answered", "self", "reply"]


def test_congvan_extract_prints_each_relation(tmp_path: Path, capsys) -> None:
    from congvan.cli import main

    number, date, body = LETTERS["new"]
    letter = tmp_path / "new.txt"
    letter.write_text(HEADER.format(number=number, date=date) + body + FOOT, encoding="utf-8")
    main(["extract", str(letter)])
    out = capsys.readouterr().out
    assert re.search(r"^Bãi bỏ +Quyết định 7/2019/QĐ-UBND \(khoản 2 Điều 4\)$", out, re.M)
    assert re.search(r"^Thay thế +Quyết định 12/2020/QĐ-UBND$", out, re.M)
    main(["extract", str(letter), "--json"])
    cited = json.loads(capsys.readouterr().out)["citations"]
    assert [(c["relation"], c["scope"]) for c in cited] == [
        ("can_cu", None), ("bai_bo", "khoản 2 Điều 4"), ("thay_the", None)]
