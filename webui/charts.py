"""Charts of a result list, drawn on the server as SVG inside the page (no scripts): a timeline
of the matching letters and a bar chart per facet. Each bar is a link that narrows the search
to its value, as the facet lists do. Here only the geometry; templates/_charts.html draws it,
so every label a letter supplies is escaped by the template engine like the rest of the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BAR_HEIGHT = 16
BAR_GAP = 6
LABEL_WIDTH = 150  # the facet value's label, left of its bar
BAR_SPACE = 170  # the longest bar
COUNT_WIDTH = 50
LABEL_CHARS = 24  # longer labels are cut with '…' (the full one is the bar's tooltip)
TIMELINE_HEIGHT = 90
TIMELINE_WIDTH = 520
TIMELINE_MAX_BAR = 28


@dataclass
class Bar:
    label: str  # as drawn (cut)
    value: str  # in full, for the tooltip
    count: int
    query: str  # the search the bar leads to
    active: bool
    x: float
    y: float
    width: float
    height: float


@dataclass
class Chart:
    key: str
    heading: str
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    axis: list[tuple[float, str]] = field(default_factory=list)  # timeline: (x, year) marks


def _cut(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def facet_chart(facet: dict[str, Any]) -> Chart:
    """Horizontal bars of a facet view (webui.search_views.facet_views), longest = most."""
    values = facet["values"]
    top = max((v["count"] for v in values), default=0) or 1
    chart = Chart(facet["key"], facet["heading"], LABEL_WIDTH + BAR_SPACE + COUNT_WIDTH,
                  len(values) * (BAR_HEIGHT + BAR_GAP))
    for row, v in enumerate(values):
        chart.bars.append(Bar(
            _cut(str(v["value"])), str(v["value"]), v["count"], v["query"], v["active"],
            LABEL_WIDTH, row * (BAR_HEIGHT + BAR_GAP), max(2.0, BAR_SPACE * v["count"] / top),
            BAR_HEIGHT))
    return chart


def timeline_chart(facet: dict[str, Any], heading: str) -> Chart | None:
    """Vertical bars in time order (oldest left) of a facet whose values are years ('2024')
    or months ('2024-05'); None with fewer than two periods (nothing to see over time)."""
    values = sorted(facet["values"], key=lambda v: str(v["value"]))
    if len(values) < 2:
        return None
    top = max(v["count"] for v in values) or 1
    step = TIMELINE_WIDTH / len(values)
    width = min(TIMELINE_MAX_BAR, step * 0.8)
    chart = Chart(facet["key"], heading, TIMELINE_WIDTH, TIMELINE_HEIGHT + 18)
    last_year = None
    for n, v in enumerate(values):
        height = max(2.0, TIMELINE_HEIGHT * v["count"] / top)
        x = n * step + (step - width) / 2
        label = str(v["value"])
        chart.bars.append(Bar(label, label, v["count"], v["query"], v["active"], x,
                              TIMELINE_HEIGHT - height, width, height))
        year = label[:4]
        if year != last_year:  # one axis mark per year
            chart.axis.append((x, year))
            last_year = year
    return chart


def result_charts(facets: list[dict[str, Any]], months: dict[str, Any] | None = None
                  ) -> list[Chart]:
    """The charts of a result page: the timeline first (by month when `months` is given, else
    by year), then a bar chart per other facet with at least two values (one bar says no more
    than the count above the list)."""
    charts: list[Chart] = []
    for facet in facets:
        if facet["key"] == "year":
            period = months or facet
            timeline = timeline_chart(period, f"Số văn bản theo {period['heading'].lower()}")
            if timeline is not None:
                charts.insert(0, timeline)
        elif len(facet["values"]) >= 2:
            charts.append(facet_chart(facet))
    return charts
