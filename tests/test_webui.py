"""The web UI through Flask's test client, on the corpus plus a few letters written for it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import pytest

from webui import create_app


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def hit_ids(html: str) -> list[str]:
    return re.findall(r'<li class="hit">\s*<h3><a href="/van-ban/([0-9a-f]{12})"', html)


def links(html: str, pattern: str) -> list[str]:
    hrefs = re.findall(r'href="([^"]*)"', html)
    return [unescape(href) for href in hrefs if re.search(pattern, href)]


def total_of(html: str) -> int:
    return int(re.search(r'<p class="total"><strong>(\d+)</strong>', html).group(1))


def test_home_page_counts_the_archive(client):
    html = page(client, "/")
    assert "Tìm kiếm công văn" in html
    assert re.search(r"Kho đang lưu <strong>8</strong> văn bản", html)


def test_dong_thap_without_diacritics_finds_the_dong_thap_letter_first(client, ids):
    html = page(client, "/?q=dong+thap")
    assert hit_ids(html)[0] == ids["000"]
    assert "<mark>" in html


def test_letters_to_review_have_a_badge_and_a_filter_link(client, ids):
    html = page(client, "/?q=lang+son")
    hit = re.search(rf'<li class="hit">\s*<h3><a href="/van-ban/{ids["001"]}".*?</li>', html,
                    re.DOTALL)
    assert hit and 'class="review"' in hit.group(0) and "Cần kiểm tra" in hit.group(0)
    assert html.count('class="review"') == 1  # the other hits are letters that need no review
    narrowed = page(client, review_filter(html))
    assert hit_ids(narrowed) == [ids["001"]]
    assert 'aria-checked="true"' in narrowed and "Chỉ văn bản cần kiểm tra" in narrowed
    widened = page(client, review_filter(narrowed))
    assert 'aria-checked="false"' in widened and total_of(widened) == total_of(html)


def review_filter(html: str) -> str:
    """The link of the "Chỉ văn bản cần kiểm tra" box."""
    return unescape(re.search(r'<p class="review-filter"><a[^>]*href="([^"]*)"', html).group(1))


def test_document_page_says_why_a_letter_needs_review(client, ids):
    html = page(client, f"/van-ban/{ids['001']}")
    note = re.search(r'<div class="review-note">.*?</div>', html, re.DOTALL)
    assert note and "Cần kiểm tra" in note.group(0)
    assert "Không tìm thấy số, ký hiệu." in note.group(0)
    assert "Không tìm thấy ngày ban hành." in note.group(0)
    assert "review-note" not in page(client, f"/van-ban/{ids['000']}")


def test_facet_link_narrows_the_search_to_its_count(client):
    html = page(client, "/?q=mang")
    total = total_of(html)
    facet_items = re.findall(
        r'<li>\s*<a href="([^"]+)" title="Lọc theo giá trị này">([^<]+)</a>\s*'
        r'<span class="count">(\d+)</span>',
        html,
    )
    assert facet_items, "the search page shows no facets"
    narrower = [(href, int(count)) for href, _value, count in facet_items if int(count) < total]
    assert narrower, "no facet value narrows the search"
    href, count = narrower[0]
    narrowed = page(client, unescape(href))
    assert total_of(narrowed) == count
    assert 'class="active"' in narrowed  # the applied filter is shown, with a link to remove it


def test_sort_by_date_orders_hits(client):
    newest = page(client, "/?q=mang&sort=newest")
    oldest = page(client, "/?q=mang&sort=oldest")
    assert len(hit_ids(newest)) >= 2
    assert hit_ids(newest) != hit_ids(oldest)
    assert sorted(hit_ids(newest)) == sorted(hit_ids(oldest))
    assert "<strong>Mới nhất</strong>" in newest


def test_pagination_links_walk_through_every_hit(client):
    first = page(client, "/?q=mang&per_page=2")
    total = total_of(first)
    assert total > 2
    seen = hit_ids(first)
    next_links = links(first, r"page=2")
    assert next_links
    second = page(client, next_links[0])
    assert not set(hit_ids(second)) & set(seen)
    assert 'aria-current="page">2<' in second


def test_did_you_mean_offers_a_query_with_hits(client):
    html = page(client, "/?q=khong+gian+mangg")
    match = re.search(r'Có phải bạn muốn tìm: <a href="([^"]+)">', html)
    assert match
    assert total_of(page(client, unescape(match.group(1)))) > 0


def test_csv_link_on_results(client):
    html = page(client, "/?q=dong+thap")
    assert links(html, r"^/api/search\.csv\?q=dong\+thap")


def test_help_page_explains_every_filter(client):
    html = page(client, "/tro-giup")
    for name in ("so:", "loai:", "coquan:", "capcha:", "tinh:", "nam:", "tu:", "den:",
                 "nguoiky:", "nhan:", "giao:", "trichdan:", "kiemtra:", "OR", "~"):
        assert name in html
    assert "curl" in html
    for href in links(html, r"^/\?q="):
        page(client, href)  # every example is a valid query


def test_help_page_explains_the_task_pages_with_examples_that_answer(client):
    html = page(client, "/tro-giup")
    assert 'id="nhiem-vu"' in html and links(html, r"^/nhiem-vu$")
    assert "ngày nghỉ lễ, Tết" in html
    examples = re.findall(r"'http://localhost(/[^'?]*nhiem-vu[^'?]*)\?([^']*)'", html)
    assert len(examples) == 2, examples
    routes = client.application.url_map.bind("localhost")
    assert {routes.match(path)[0] for path, _query in examples} == {"tasks.task_csv",
                                                                     "tasks.tasks_api"}
    for path, query in examples:  # an assignee this archive does not hold: found nothing
        response = client.get(f"{path}?{unescape(query)}")
        assert response.status_code == 404, path
        assert "Không có nhiệm vụ nào giao cho đơn vị này" in response.text, path


def test_document_page_shows_metadata_links_text_and_citations(client, ids):
    html = page(client, f"/van-ban/{ids['000']}")
    assert links(html, r"^/\?q=coquan"), "issuer is linked to a search"
    assert links(html, r"^/\?q=so"), "reference is linked to a search"
    assert '<mark class="span' in html, "the fields' spans are marked in the text"
    assert f'href="/van-ban/{ids["qd874"]}"' in html, "the archived citation is linked"
    assert "chưa có trong kho" in html, "citations not archived are marked"
    assert f"/van-ban/{ids['000']}/goc" in html
    assert "Nhiệm vụ theo đơn vị" in html
    similar = html.split('<ul class="similar">', 1)[1].split("</ul>", 1)[0]
    similar_ids = re.findall(r'href="/van-ban/([0-9a-f]{12})"', similar)
    assert similar_ids and ids["000"] not in similar_ids
    assert {ids["001"], ids["002"], ids["004"]} & set(similar_ids)  # the other sextortion letters


def test_document_page_lists_letters_citing_it(client, ids):
    html = page(client, f"/van-ban/{ids['qd874']}")
    cited_by = html.split("Được trích dẫn bởi", 1)[1].split("</ul>", 1)[0]
    assert f'href="/van-ban/{ids["hostile"]}"' in cited_by
    assert f'href="/van-ban/{ids["000"]}"' in cited_by


def test_document_links_every_metadata_search_to_itself(client, ids):
    html = page(client, f"/van-ban/{ids['qd874']}")
    table = html.split('<table class="meta">', 1)[1].split("</table>", 1)[0]
    searches = links(table, r"^/\?q=")
    assert searches
    for href in searches:
        assert ids["qd874"] in hit_ids(page(client, href)), href


def test_original_text_is_served_as_plain_text(client, ids):
    response = client.get(f"/van-ban/{ids['000']}/goc")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.data == (Path(__file__).parent.parent / "corpus" / "000_d32bac5d9737faea.txt"
                             ).read_bytes()
    download = client.get(f"/van-ban/{ids['000']}/goc?tai=1")
    assert download.headers["Content-Disposition"] == (
        "attachment; filename=000_d32bac5d9737faea.txt"
    )


def test_original_with_vietnamese_name_is_quoted_safely(client, ids):
    response = client.get(f"/van-ban/{ids['unicode']}/goc?tai=1")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert "filename*=UTF-8''C%C3%B4ng%20v%C4%83n%20s%E1%BB%91%207%20%22kh%E1%BA%A9n%22.txt" in (
        disposition
    )
    assert "\n" not in disposition


def test_citation_graph_is_svg_with_links_two_hops_out(client, ids):
    response = client.get(f"/van-ban/{ids['hostile']}/do-thi.svg")
    assert response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.data)  # well-formed XML
    hrefs = {a.get("href") for a in root.iter("{http://www.w3.org/2000/svg}a")}
    assert f"/van-ban/{ids['qd874']}" in hrefs  # one hop: what it cites
    assert f"/van-ban/{ids['000']}" in hrefs  # two hops: the other letter citing 874/QĐ-BTTTT


def test_unarchived_citations_page_lists_missing_documents_most_cited_first(client):
    html = page(client, "/chua-luu-tru")
    assert "139/CĐ-TTg" in html
    assert "874/QĐ-BTTTT" not in html  # archived
    counts = [int(c) for c in re.findall(r'title="Xem các văn bản trích dẫn">(\d+)<', html)]
    assert counts and counts == sorted(counts, reverse=True)


def test_tasks_page_groups_tasks_by_assignee(client):
    html = page(client, "/nhiem-vu")
    assert len(re.findall(r'<section class="assignee">', html)) >= 2
    filtered = page(client, "/nhiem-vu?don-vi=huy%E1%BB%87n")
    assert 'class="assignee"' in filtered


def test_hostile_letter_is_escaped_everywhere(client, ids):
    hostile = ids["hostile"]
    bodies = {
        "search": page(client, "/?q=ma+doc+gia+mao"),
        "document": page(client, f"/van-ban/{hostile}"),
        "graph": page(client, f"/van-ban/{hostile}/do-thi.svg"),
        "cited graph": page(client, f"/van-ban/{ids['qd874']}/do-thi.svg"),
        "cited page": page(client, f"/van-ban/{ids['qd874']}"),
        "tasks": page(client, "/nhiem-vu"),
    }
    assert hostile in hit_ids(bodies["search"])
    for name, body in bodies.items():
        assert "<script>alert" not in body, name
        assert "<img src=x" not in body, name
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in bodies["document"]
    assert "&lt;img src=x onerror=alert(2)&gt;" in bodies["document"]


def test_security_headers_on_every_page(client, ids):
    for url in ("/", "/?q=dong+thap", f"/van-ban/{ids['000']}", "/khong-co", "/api/search?q=a"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"]


def test_pages_carry_no_inline_script(client, ids):
    for url in ("/", "/?q=dong+thap", f"/van-ban/{ids['000']}", "/tro-giup"):
        html = page(client, url)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
        assert " on" + "click=" not in html and "style=" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/van-ban/../../etc/passwd",
        "/van-ban/..%2F..%2Fetc%2Fpasswd",
        "/van-ban/%2e%2e%2f%2e%2e%2fetc%2fpasswd/goc",
        "/van-ban/..%252F..%252Fetc/goc",
        "/van-ban//etc/passwd/goc",
        "/van-ban/ABCDEF123456/goc",
        "/van-ban/0123456789ab/goc",
        "/van-ban/0123456789abc/goc",
        "/static/../catalog.sqlite3",
        "/static/..%2Fapp.py",
        "/static/%2e%2e/app.py",
    ],
)
def test_paths_from_requests_never_reach_the_file_system(client, url):
    response = client.get(url)
    assert response.status_code in (400, 404), url
    assert b"root:" not in response.data and b"SQLite format" not in response.data


@pytest.mark.parametrize(
    "query",
    [
        "q=mang&page=1000000000",
        "q=mang&page=0",
        "q=mang&page=-1",
        "q=mang&page=abc",
        "q=mang&page=1e3",
        "q=mang&per_page=1000000000",
        "q=mang&per_page=%EF%BC%91",
        "q=mang&sort=bogus",
        "q=%22%22",
        "q=so%3A",
        "q=nam%3Atwenty",
        "q=tu%3A2024-13-45",
        "q=" + "a" * 600,
        "q=a%00b",
    ],
)
def test_bad_parameters_answer_400_with_a_vietnamese_message(client, query):
    response = client.get(f"/?{query}")
    assert response.status_code == 400, query
    html = response.get_data(as_text=True)
    assert "Lỗi 400" in html
    message = re.search(r'<p class="message">([^<]+)</p>', html).group(1)
    assert message.strip() and message != "Yêu cầu không hợp lệ."


def test_unknown_document_is_404(client):
    assert client.get("/van-ban/0123456789ab").status_code == 404
    assert client.get("/van-ban/0123456789ab/do-thi.svg").status_code == 404
    assert "Lỗi 404" in page(client, "/khong-co-trang-nay", 404)


def test_search_box_keeps_the_query_and_autocomplete_is_wired(client):
    html = page(client, "/?q=%3Cb%3Ex+%22y%22")
    assert 'value="&lt;b&gt;x &#34;y&#34;"' in html
    assert 'data-autocomplete="/api/goi-y"' in html
    assert client.get("/static/autocomplete.js").status_code == 200


def test_a_missing_archive_is_reported_not_created(tmp_path):
    missing = tmp_path / "khong-co"
    client = create_app({"ARCHIVE": str(missing), "TESTING": True}).test_client()
    home = client.get("/")
    assert home.status_code == 503 and "congvan ingest" in home.get_data(as_text=True)
    assert client.get("/api/search?q=dong").get_json()["status"] == 503
    assert not missing.exists()
