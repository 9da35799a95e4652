"""Request parameters, checked before they reach the catalog or the index."""

from __future__ import annotations

import re

from flask import request
from werkzeug.exceptions import NotFound

from ingest.errors import UsageError

DOCUMENT_ID = re.compile(r"[0-9a-f]{12}")
MAX_QUERY_CHARS = 500
MAX_PAGE = 500
MAX_PER_PAGE = 100
SORTS = ("relevance", "newest", "oldest")


class BadParameter(UsageError):
    """A malformed or out-of-range request parameter (answered with 400)."""


def document_id(value: str) -> str:
    """The id itself when it has the shape of one (12 lower-case hex digits), else 404."""
    if not DOCUMENT_ID.fullmatch(value):
        raise NotFound("Mã văn bản không hợp lệ.")
    return value


def int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise BadParameter(f"Tham số {name} phải là số nguyên từ {low} đến {high}.")
    value = int(raw)
    if not low <= value <= high:
        raise BadParameter(f"Tham số {name} phải là số nguyên từ {low} đến {high}.")
    return value


def text_arg(name: str, max_chars: int = MAX_QUERY_CHARS) -> str:
    value = request.args.get(name, "")
    if len(value) > max_chars:
        raise BadParameter(f"Tham số {name} dài quá {max_chars} ký tự.")
    if "\x00" in value:
        raise BadParameter(f"Tham số {name} chứa ký tự không hợp lệ.")
    return value.strip()


def choice_arg(name: str, choices: tuple[str, ...], default: str) -> str:
    value = request.args.get(name) or default
    if value not in choices:
        raise BadParameter(f"Tham số {name} phải là một trong: {', '.join(choices)}.")
    return value


def search_args(default_per_page: int = 20) -> dict[str, object]:
    """The query, page, per_page and sort of a search request."""
    return {
        "query": text_arg("q"),
        "page": int_arg("page", 1, 1, MAX_PAGE),
        "per_page": int_arg("per_page", default_per_page, 1, MAX_PER_PAGE),
        "sort": choice_arg("sort", SORTS, "relevance"),
    }
