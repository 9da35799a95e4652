"""Small display helpers shared by templates and the command line: dates, a letter's number,
its signing block, filter terms, search links."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from flask import Flask, url_for

from ingest.extract.relations import IN_FORCE, VALIDITY_LABELS, relation_of
from ingest.model import Signer

_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_YEAR_FIRST = re.compile(r"\d{4}/")
UNASSIGNED = "Chưa rõ đơn vị thực hiện"  # the head of the tasks no assignee was found for

# Why a letter is flagged for review: the codes of ingest.extract.metadata.review_reasons and
# the catalog's POSSIBLE_DUPLICATE.
REVIEW_LABELS = {
    "not-a-letter": "Không giống một văn bản hành chính: thiếu gần hết số, ngày, trích yếu, "
                    "kính gửi, nơi nhận, chữ ký.",
    "few-fields": "Trích xuất được ít thông tin.",
    "no-number": "Không tìm thấy số, ký hiệu.",
    "no-date": "Không tìm thấy ngày ban hành.",
    "no-issuer": "Không xác định được cơ quan ban hành.",
    "damaged-text": "Có ký tự không giải mã được (�) trong nội dung.",
    "weak-fields": "Có thông tin quan trọng đọc được với độ tin cậy thấp (đánh dấu bên dưới).",
    "possible-duplicate": "Có thể trùng với một văn bản đã lưu trữ.",
}
# Why two letters may be one: ingest.curation.duplicates.
DUPLICATE_LABELS = {
    "same-reference": "cùng số, ký hiệu và cơ quan ban hành",
    "similar-text": "nội dung gần như trùng khớp",
}


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


def reference_label(reference: str | None, symbol: str | None = None) -> str:
    """A letter's number and symbol as a clerk reads them: '04/UBND-NCPC'; a number left blank
    to be filled by hand ('Số:     /UBND-TH') as '…/UBND-TH (chưa điền số)'; '' if neither."""
    if reference:
        return reference
    if not symbol:
        return ""
    # Display symbols hold '/' only after a year (2025/QĐ-UBND) or in the party shape (CV/ĐU,
    # written 85-CV/ĐU), whose number stands before a '-'.
    party = "/" in symbol and not _YEAR_FIRST.match(symbol)
    return f"…{'-' if party else '/'}{symbol} (chưa điền số)"


def signing_block(signer: Signer | dict[str, Any] | None) -> str:
    """The signing block as the letter has it: 'TM. Ủy ban nhân dân / Chủ tịch', 'KT. Giám đốc /
    Phó Giám đốc', 'Q. Giám đốc', 'Giám đốc'; '' when there is none. A record extracted before
    `authority_lines` were kept shows its last authority with the body named by the first."""
    signer = asdict(signer) if isinstance(signer, Signer) else signer or {}
    title, authority = signer.get("title"), signer.get("authority")
    lines = list(signer.get("authority_lines") or [])
    if not lines and authority:
        lines = [f"{authority} {title if authority == 'Q.' else signer.get('on_behalf_of') or ''}"]
    if title and not (lines and lines[-1] == f"Q. {title}"):  # 'Q. GIÁM ĐỐC' has no title line
        lines.append(title)
    return " / ".join(" ".join(line.split()) for line in lines if line.strip())


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
        reference_label=reference_label, signing_block=signing_block, unassigned=UNASSIGNED,
        review_labels=REVIEW_LABELS, duplicate_labels=DUPLICATE_LABELS,
    )
    app.jinja_env.globals.update(
        filter_url=filter_url, filter_term=filter_term, search_url=search_url
    )
    app.jinja_env.globals.update(validity_labels=VALIDITY_LABELS, in_force=IN_FORCE,
                                 relation_of=relation_of)
