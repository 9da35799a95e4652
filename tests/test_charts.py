"""Charts of a result list: server-drawn SVG, each bar a link narrowing the search."""

from __future__ import annotations

import re
from html import unescape

import pytest

from index import open_index, sync_index
from ingest import Archive, open_catalog
from tests.test_catalog_relations import record
from webui.charts import BAR_SPACE, LABEL_CHARS, facet_chart, result_charts, timeline_chart
from webui.search_views import period_view


@pytest.fixture
def app_context_render(client):
    """Render the chart macro as the search page does."""
    from flask import render_template_string

    def render(chart) -> str:
        with client.application.test_request_context("/"):
            return render_template_string(
                '{% from "_charts.html" import result_chart %}{{ result_chart(chart, "") }}',
                chart=chart)
    return render


def facet(key: str, counts: dict[str, int], heading: str = "Loại văn bản") -> dict:
    return {"key": key, "heading": heading, "values": [
        {"value": v, "count": c, "active": False, "query": f"mang {key}:{v}"}
        for v, c in counts.items()]}


def test_bars_are_as_long_as_their_counts_and_long_labels_are_cut():
    long_name = "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu"
    chart = facet_chart(facet("issuer", {long_name: 40, "Sở Y tế": 10}))
    assert [round(bar.width) for bar in chart.bars] == [BAR_SPACE, BAR_SPACE // 4]
    assert len(chart.bars[0].label) == LABEL_CHARS and chart.bars[0].label.endswith("…")
    assert chart.bars[0].value == long_name  # in full in the tooltip
    assert chart.bars[1].y > chart.bars[0].y


def test_the_timeline_runs_oldest_first_and_needs_two_periods():
    chart = timeline_chart(facet("year", {"2025": 5, "2023": 1, "2024": 10}), "Theo năm")
    assert [bar.value for bar in chart.bars] == ["2023", "2024", "2025"]
    assert chart.bars[1].height > chart.bars[0].height
    assert [year for _x, year in chart.axis] == ["2023", "2024", "2025"]
    months = timeline_chart(facet("month", {"2024-11": 1, "2024-12": 2, "2025-01": 3}), "T")
    assert [year for _x, year in months.axis] == ["2024", "2025"]  # one mark a year
    assert timeline_chart(facet("year", {"2025": 5}), "Theo năm") is None


def test_the_timeline_comes_first_and_one_value_facets_get_no_chart():
    charts = result_charts([facet("doc_type", {"Công văn": 3, "Kế hoạch": 1}),
                            facet("province", {"Đồng Tháp": 4}),
                            facet("year", {"2024": 1, "2025": 3})])
    assert [chart.key for chart in charts] == ["year", "doc_type"]
    months = facet("month", {"2025-01": 2, "2025-03": 1})
    assert [c.key for c in result_charts([facet("year", {"2025": 3})], months)] == ["month"]


def test_both_engines_count_letters_by_month_newest_first(tmp_path, engine):
    letters = [record(f"{n}/2025/QĐ-UBND", "Điều 1. Ban hành quy chế.", date=date)
               for n, date in ((1, (7, 4, 2025)), (2, (20, 4, 2025)), (3, (1, 6, 2025)),
                               (4, (3, 11, 2024)))]
    archive = Archive(tmp_path / "archive")
    archive.create()
    with open_catalog(archive.catalog_location) as catalog:
        for letter in letters:
            catalog.add_document(letter)
        idx = open_index(archive.index_dir, engine)
        sync_index(catalog, idx)
        results = idx.search("quy che", per_page=10)
        assert results.facets["month"] == [("2025-06", 1), ("2025-04", 2), ("2024-11", 1)]
        view = period_view("quy che", results.facets)
        april = next(v for v in view["values"] if v["value"] == "2025-04")
        assert april["query"] == "quy che tu:2025-04 den:2025-04"
        assert idx.search(april["query"]).total == 2
        assert period_view(april["query"], idx.search(april["query"]).facets) is None  # 1 month


def test_the_result_page_draws_charts_whose_bars_link_to_narrower_searches(client):
    page = client.get("/?q=mang").get_data(as_text=True)
    assert page.count("<svg") >= 1 and "Biểu đồ kết quả" in page
    charts = page[page.index('<details class="charts"'):page.index("</details>",
                                                                  page.index('class="charts"'))]
    bars = [(unescape(href), int(count)) for href, count in re.findall(
        r'<a href="([^"]+)"[^>]*\n?\s*aria-label="[^"]*: (\d+) văn bản"', charts)]
    assert len(bars) >= 2 and all(href.startswith("/?q=mang+") for href, _ in bars)
    for href, count in bars[:3]:  # each bar leads to a search finding as many letters
        narrowed = client.get(href).get_data(as_text=True)
        assert f"<strong>{count}</strong> văn bản" in narrowed


def test_labels_from_letters_are_escaped_in_the_svg(app_context_render):
    hostile = "<script>alert(1)</script>"
    chart = facet_chart(facet("issuer", {hostile: 2, "Sở Y tế": 1}))
    html = app_context_render(chart)
    assert "<script>" not in html and "&lt;script&gt;" in html

