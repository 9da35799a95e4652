"""The cleaned text of a letter as HTML with the extracted fields' spans marked, and the words
whose diacritics the model restored wrapped in <span class="restored">.

Every piece of the letter's text goes through `escape`; only our own tags are added.

>>> str(mark_spans("Số: 04/UBND <b>", {"reference": [4, 11]}))
'Số: <mark class="span span-reference" title="Số, ký hiệu">04/UBND</mark> &lt;b&gt;'
>>> str(mark_spans("Số: Tỉnh", {}, restored_words("So: Tinh", "Số: Tỉnh")))
'<span class="restored">Số:</span> <span class="restored">Tỉnh</span>'
"""

from __future__ import annotations

import bisect
import re
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


def restored_words(as_read: str, restored: str) -> list[tuple[int, int]]:
    """[start, end) in `restored` of each word the diacritic restorer changed (the restorer
    keeps the words and the blanks between them); [] when the two do not line up."""
    old = re.findall(r"\S+", as_read)
    new = list(re.finditer(r"\S+", restored))
    if len(old) != len(new):
        return []
    return [(m.start(), m.end()) for word, m in zip(old, new, strict=True) if word != m.group()]


def mark_spans(text: str, spans: Any, restored: list[tuple[int, int]] | None = None) -> Markup:
    """`text` escaped, the fields' `spans` in <mark>, the `restored` words (sorted, apart) in
    <span class="restored"> inside them."""
    restored = restored or []
    ends = [end for _start, end in restored]

    def plain(start: int, end: int) -> Markup:
        pieces, position = [], start
        for index in range(bisect.bisect_right(ends, start), len(restored)):
            first, last = max(restored[index][0], start), min(restored[index][1], end)
            if first >= end:
                break
            pieces += [escape(text[position:first]),
                       Markup('<span class="restored">{}</span>').format(text[first:last])]
            position = last
        pieces.append(escape(text[position:end]))
        return Markup("").join(pieces)

    pieces: list[Markup] = []
    position = 0
    for start, end, field in valid_spans(spans, len(text)):
        pieces.append(plain(position, start))
        label = FIELD_LABELS.get(field, field)
        pieces.append(
            Markup('<mark class="span span-{}" title="{}">{}</mark>').format(
                _css_name(field), label, plain(start, end)
            )
        )
        position = end
    pieces.append(plain(position, len(text)))
    return Markup("").join(pieces)


def _css_name(field: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in field)
