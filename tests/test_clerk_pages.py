"""What a clerk sees on the pages (issue 10): numbers left blank, signing blocks, restored
diacritics, tasks by assignee, the latest letters. On the web tests' archive, both engines."""

from __future__ import annotations

import re
from html import unescape

from .test_webui import hit_ids, page


def meta_row(html: str, heading: str) -> str:
    """The text of one row of the document page's metadata table."""
    cell = html.split(f"<th>{heading}</th><td>", 1)[1].split("</td></tr>", 1)[0]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())


def test_a_number_left_blank_shows_its_symbol_on_the_page_and_in_results(client, ids):
    html = page(client, f"/van-ban/{ids['002']}")
    assert meta_row(html, "Số, ký hiệu") == "…/UBND-TH (chưa điền số)"
    assert "số …/UBND-TH (chưa điền số)</span></h1>" in html
    results = page(client, "/?q=muong+te")
    assert ids["002"] in hit_ids(results)
    title = results.split(f'href="/van-ban/{ids["002"]}"', 1)[1].split("</h3>", 1)[0]
    assert "…/UBND-TH (chưa điền số)" in title


def test_the_api_keeps_the_reference_as_data_and_gives_the_symbol(client, ids):
    body = client.get("/api/search?q=muong+te").get_json()
    hit = next(h for h in body["hits"] if h["id"] == ids["002"])
    assert (hit["reference"], hit["symbol"]) == ("", "UBND-TH")
    numbered = client.get("/api/search?q=so:04/UBND-NCPC").get_json()["hits"][0]
    assert (numbered["reference"], numbered["symbol"]) == ("04/UBND-NCPC", "UBND-NCPC")


def test_the_signing_block_is_shown_as_the_letter_has_it(client, ids):
    shown = {name: meta_row(page(client, f"/van-ban/{ids[name]}"), "Người ký")
             for name in ("000", "002", "003", "004")}
    assert shown == {
        "000": "TM. Ủy ban nhân dân / Chủ tịch",  # no name could be read
        "002": "Nguyễn Trường Giang KT. Chủ tịch / Phó Chủ tịch",
        "003": "Lê Ngọc Hân Giám đốc",
        "004": "Hoàng Mạnh Thắng KT. Giám đốc / Phó Giám đốc",
    }


def test_restored_diacritics_are_marked_with_the_text_as_read_one_click_away(client, ids):
    html = page(client, f"/van-ban/{ids['000']}")
    assert "Dấu tiếng Việt do máy khôi phục" in html
    assert '<span class="restored">' in html
    as_read = html.split('<details class="as-read" id="nguyen-van">', 1)[1].split("</details>")[0]
    assert "Cong an Tinh trién khai quyét liét" in unescape(as_read)
    tasks = html.split("Nhiệm vụ theo đơn vị", 1)[1].split("Văn bản tương tự", 1)[0]
    assert "Công an Tỉnh triển khai quyết liệt" in tasks
    assert "Dấu do máy khôi phục" in tasks
    typed = page(client, f"/van-ban/{ids['002']}")
    assert "do máy khôi phục" not in typed and 'class="restored"' not in typed


def test_the_task_list_shows_restored_task_texts_as_restored(client):
    html = page(client, "/nhiem-vu")
    assert "Công an Tỉnh triển khai quyết liệt" in html
    assert "Cong an Tinh trién khai" in html.split("Dấu do máy khôi phục", 1)[1]


def task_groups(html: str) -> dict[str, int]:
    """Heading → count of each group on /nhiem-vu, in page order."""
    found = re.findall(r'<h2>(?:<a href="[^"]*">)?(.*?)(?:</a>)? <span class="count">(\d+)</span>',
                       html)
    return {unescape(name): int(count) for name, count in found}


def test_tasks_are_grouped_without_case_and_diacritics_in_vietnamese_order(client):
    from ingest.collation import sort_key

    groups = task_groups(page(client, "/nhiem-vu"))
    assert groups["Các sở, ngành Tỉnh"] == 2  # the Đồng Tháp and Quảng Ninh letters
    assert "các sở, ngành tỉnh" not in groups
    named = [name for name in groups if name != "Chưa rõ đơn vị thực hiện"]
    assert named == sorted(named, key=sort_key)
    assert named.index("Công an Tỉnh") < named.index("thủ trưởng các cơ quan, đơn vị, địa phương")
    assert named[-1] == "Ủy ban nhân dân các huyện, thành phố"
    filtered = task_groups(page(client, "/nhiem-vu?don-vi=cac+so+nganh+tinh"))
    assert filtered == {"Các sở, ngành Tỉnh": 2}


def test_tasks_without_an_assignee_have_their_own_head(client, ids):
    html = page(client, "/nhiem-vu")
    groups = task_groups(html)
    assert list(groups)[-1] == "Chưa rõ đơn vị thực hiện"
    assert groups["Chưa rõ đơn vị thực hiện"] == 5  # three in the Lạng Sơn letter, two in 874
    unassigned = html.split("Chưa rõ đơn vị thực hiện", 1)[1]
    assert "Tiếp tục đẩy mạnh công tác tuyên truyền" in unassigned
    letter = page(client, f"/van-ban/{ids['001']}")
    assert "<h3>Chưa rõ đơn vị thực hiện <span" in letter  # a head, not a search for it


def test_the_home_page_lists_the_latest_letters(client, ids):
    html = page(client, "/")
    latest = html.split('<section class="latest">', 1)[1].split("</section>", 1)[0]
    listed = re.findall(r'href="/van-ban/([0-9a-f]{12})"', latest)
    assert sorted(listed) == sorted(ids.values())  # all eight, each once
    assert "…/UBND-TH (chưa điền số)" in latest
    assert "Ủy ban nhân dân huyện Mường Tè" in latest and "02/2025" in latest
