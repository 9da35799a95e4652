"""The search page, the query-language help page and autocomplete."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from flask import Blueprint, jsonify, render_template
from markupsafe import Markup

from index import ABBREVIATIONS, FACET_LIMIT, Hit, filter_for

from .auth import role_required
from .charts import result_charts
from .formatting import filter_term
from .params import choice_arg, int_arg, search_args, text_arg
from .resources import get_catalog, get_index

log = logging.getLogger(__name__)

bp = Blueprint("search", __name__)

# Facet key of the index → (heading, query-language filter name).
FACETS = {
    "doc_type": ("Loại văn bản", "loai"),
    "issuer": ("Cơ quan ban hành", "coquan"),
    "year": ("Năm", "nam"),
    "province": ("Tỉnh, thành phố", "tinh"),
    "validity": ("Hiệu lực", "hieuluc"),
}
DEFAULT_PER_PAGE = 20
MAX_RESULTS = 10_000  # the index serves the first 10,000 hits of a query
SORT_LABELS = {"relevance": "Liên quan", "newest": "Mới nhất", "oldest": "Cũ nhất"}
FACET_VALUES_SHOWN = 12
LATEST_LETTERS = 15  # shown on the home page


def hit_view(hit: Hit) -> dict[str, Any]:
    """A hit for templates; only the index's snippet (escaped, with <mark>) is trusted as HTML."""
    return {**asdict(hit), "snippet": Markup(hit.snippet_html or "")}


def remove_term(query: str, term: str) -> str:
    return " ".join(query.replace(term, " ").split())


def facet_views(query: str, facets: dict[str, list[tuple[str, int]]]) -> list[dict[str, Any]]:
    """Each facet's values with the query that narrows to it (or widens again when active)."""
    views = []
    for key, (heading, name) in FACETS.items():
        values = []
        for value, count in (facets.get(key) or [])[:FACET_VALUES_SHOWN]:
            # a status by its code (hieuluc:bi-thay-the), as the help and a clerk type it
            term = filter_for(key, value) if key == "validity" else filter_term(name, value)
            active = term in query
            target = remove_term(query, term) if active else f"{query} {term}".strip()
            values.append({"value": value, "count": count, "active": active, "query": target})
        if values:
            views.append({"key": key, "heading": heading, "values": values})
    return views


def period_view(query: str, facets: dict[str, list[tuple[str, int]]]) -> dict[str, Any] | None:
    """The matching letters by month for the timeline, when the index counted every month they
    fall in (FACET_LIMIT months at most); None otherwise (the timeline is then by year)."""
    months = facets.get("month") or []
    if not 2 <= len(months) < FACET_LIMIT:
        return None
    values = []
    for value, count in months:
        term = filter_for("month", value)
        active = term in query
        target = remove_term(query, term) if active else f"{query} {term}".strip()
        values.append({"value": value, "count": count, "active": active, "query": target})
    return {"key": "month", "heading": "Tháng", "values": values}


def page_numbers(page: int, pages: int, around: int = 2) -> list[int | None]:
    """Page links: 1 … 4 5 [6] 7 8 … 20 (None marks a gap)."""
    shown = {1, pages, *range(max(1, page - around), min(pages, page + around) + 1)}
    numbers: list[int | None] = []
    for number in sorted(shown):
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


@bp.get("/")
@role_required("reader")
def search():
    args = search_args(DEFAULT_PER_PAGE)
    query = str(args["query"])
    context: dict[str, Any] = {"query": query, "sort": args["sort"], "sorts": SORT_LABELS}
    if not query:
        catalog = get_catalog()
        context.update(stats=catalog.stats(), latest=catalog.latest_documents(LATEST_LETTERS))
        return render_template("search.html", **context)
    results = get_index().search(
        query, page=int(args["page"]), per_page=int(args["per_page"]), sort=str(args["sort"])
    )
    if results.notice:  # read leniently: the box and the links carry the query as searched
        query = context["query"] = results.searched
    pages = min(max(1, -(-results.total // results.per_page)), MAX_RESULTS // results.per_page)
    link_args = {"sort": args["sort"]}
    if args["per_page"] != DEFAULT_PER_PAGE:
        link_args["per_page"] = args["per_page"]
    facets = facet_views(query, results.facets)
    context.update(
        link_args=link_args,
        results=results,
        hits=[hit_view(hit) for hit in results.hits],
        facets=facets,
        charts=result_charts(facets, period_view(query, results.facets)),
        pages=pages,
        page_links=page_numbers(results.page, pages) if pages > 1 else [],
    )
    return render_template("search.html", **context)


@bp.get("/tro-giup")
@role_required("reader")
def help_page():
    return render_template("help.html", abbreviations=ABBREVIATIONS)


@bp.get("/api/goi-y")
@role_required("reader")
def autocomplete():
    """Completions of an issuer or a document number for the search box."""
    prefix = text_arg("q", max_chars=100)
    field = choice_arg("field", ("issuer", "reference"), "issuer")
    limit = int_arg("limit", 10, 1, 20)
    if not prefix:
        return jsonify([])
    return jsonify(get_index().autocomplete(prefix, field=field, limit=limit))
