"""Charts of a result list: server-drawn SVG, each bar a link narrowing the search."""

from __future__ import annotations

import re
from html import unescape

import pytest

from webui.charts import BAR_SPACE, LABEL_CHARS, facet_chart, result_charts, timeline_chart


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


def test_the_result_page_draws_charts_whose_bars_link_to_narrower_searches(client):
    page = client.get("/?q=mang").get_data(as_text=True)
    assert page.count("<svg") >= 1 and "Biểu đồ kết quả" in page
    charts = page[page.index('<details class="charts"'):page.index("</details>",
                                                                  page.index('class="charts"'))]
    links = [unescape(href) for href in re.findall(r'<a href="([^"]+)"', charts)]
    assert links and all(link.startswith("/?q=mang+") for link in links)
    narrowed = client.get(links[0]).get_data(as_text=True)
    assert "✕" in narrowed  # the facet it narrowed to is shown active


def test_labels_from_letters_are_escaped_in_the_svg(app_context_render):
    hostile = "<script>alert(1)</script>"
    chart = facet_chart(facet("issuer", {hostile: 2, "Sở Y tế": 1}))
    html = app_context_render(chart)
    assert "<script>" not in html and "&lt;script&gt;" in html

