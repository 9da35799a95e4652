"""Small display helpers shared by templates: dates, filter terms, search links."""

from __future__ import annotations

import re

from flask import Flask, url_for

_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def format_date(value: str | None, precision: str | None = None) -> str:
    """ISO date → Vietnamese order: '2025-01-06' → '06/01/2025'; month precision → '02/2025'."""
    if not value:
        return ""
    match = _ISO_DATE.match(str(value))
    if not match:
        return str(value)
    year, month, day = match.groups()
    if precision == "year" or month is None:
        return year
    if precision == "month" or day is None:
        return f"{month}/{year}"
    return f"{day}/{month}/{year}"


def filter_term(name: str, value: object) -> str:
    """A query-language filter for one value: coquan:"UBND tỉnh Đồng Tháp"."""
    text = " ".join(str(value).replace('"', " ").split())
    if re.fullmatch(r"[\w/.\-]+", text):
        return f"{name}:{text}"
    return f'{name}:"{text}"'


def search_url(query: str, **params: object) -> str:
    return url_for("search.search", q=query, **params)


def filter_url(name: str, value: object) -> str:
    """A link to a search for every letter with this field value."""
    return search_url(filter_term(name, value))


def percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0f} %"


def init_app(app: Flask) -> None:
    app.jinja_env.autoescape = True
    app.jinja_env.filters.update(ngay=format_date, phan_tram=percent)
    app.jinja_env.globals.update(
        filter_url=filter_url, filter_term=filter_term, search_url=search_url
    )
