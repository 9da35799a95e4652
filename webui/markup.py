"""The cleaned text of a letter as HTML with the extracted fields' spans marked.

Every piece of the letter's text goes through `escape`; only our own <mark> tags are added.

>>> str(mark_spans("Số: 04/UBND <b>", {"reference": [4, 11]}))
'Số: <mark class="span span-reference" title="Số, ký hiệu">04/UBND</mark> &lt;b&gt;'
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

FIELD_LABELS = {
    "doc_type": "Loại văn bản",
    "reference": "Số, ký hiệu",
    "number": "Số",
    "symbol": "Ký hiệu",
    "issuer": "Cơ quan ban hành",
    "parent_issuer": "Cơ quan chủ quản",
    "place": "Địa danh",
    "date": "Ngày ban hành",
    "subject": "Trích yếu",
    "recipients": "Kính gửi",
    "tasks": "Nhiệm vụ",
    "signer": "Người ký",
    "signer_name": "Người ký",
    "signer_title": "Chức vụ",
    "distribution": "Nơi nhận",
    "citations": "Trích dẫn",
    "urgency": "Độ khẩn",
    "secrecy": "Độ mật",
}


def _pairs(value: Any) -> list[tuple[int, int]]:
    """[start, end] or a list of them; anything else is ignored."""
    if isinstance(value, list | tuple) and len(value) == 2 and all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        return [(value[0], value[1])]
    if isinstance(value, list | tuple):
        return [pair for item in value for pair in _pairs(item)]
    return []


def valid_spans(spans: Any, length: int) -> list[tuple[int, int, str]]:
    """(start, end, field) sorted, inside the text, without overlaps (the earlier one wins)."""
    found = []
    if isinstance(spans, dict):
        for field, value in spans.items():
            for start, end in _pairs(value):
                if 0 <= start < end <= length:
                    found.append((start, end, str(field)))
    found.sort(key=lambda span: (span[0], -span[1]))
    kept: list[tuple[int, int, str]] = []
    for span in found:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def mark_spans(text: str, spans: Any) -> Markup:
    pieces: list[Markup] = []
    position = 0
    for start, end, field in valid_spans(spans, len(text)):
        pieces.append(escape(text[position:start]))
        label = FIELD_LABELS.get(field, field)
        pieces.append(
            Markup('<mark class="span span-{}" title="{}">{}</mark>').format(
                _css_name(field), label, text[start:end]
            )
        )
        position = end
    pieces.append(escape(text[position:]))
    return Markup("").join(pieces)


def _css_name(field: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in field)
