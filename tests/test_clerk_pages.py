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
