"""Autocomplete, whatever the engine: a field's values (from the index's vocabulary of that
field, most frequent first) that start with what was typed, compared folded.

>>> complete([("Ủy ban nhân dân tỉnh Đồng Tháp", "uy ban nhan dan tinh dong thap", 3)],
...          "ubnd tinh", reference=False, limit=10)
['Ủy ban nhân dân tỉnh Đồng Tháp']
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable

from .abbreviations import expand_abbreviations
from .accents import fold_text
from .errors import QueryError

log = logging.getLogger(__name__)

# The query field of autocomplete → the index field whose values it offers.
COMPLETED_FIELDS = {"issuer": "issuer_f", "reference": "reference"}


def completed_field(field: str) -> str:
    """The index field whose values autocomplete offers for `field`."""
    if field not in COMPLETED_FIELDS:
        raise QueryError(f"Không gợi ý được cho trường “{field}”")
    return COMPLETED_FIELDS[field]


def completion_key(fieldname: str) -> Callable[[str], str]:
    """How autocomplete compares a field's values with a prefix: numbers by their letters and
    digits only ('12/KH' ~ '12 kh'), names folded with their abbreviations expanded ('ubnd
    tinh' ~ 'Ủy ban nhân dân tỉnh …', 'UBND huyện …' ~ 'uy ban nhan dan huyen')."""
    return _alnum if fieldname == "reference" else _name_key


def _name_key(value: str) -> str:
    return fold_text(expand_abbreviations(value))


def _alnum(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold_text(text))


def _typed_name_key(prefix: str) -> str:
    return fold_text(expand_abbreviations(prefix, "names"))


def complete(vocabulary: Iterable[tuple[str, str, int]], prefix: str, *, reference: bool,
             limit: int) -> list[str]:
    """Values whose folded form (or one of its words) starts with the folded prefix."""
    wanted = _alnum(prefix) if reference else _typed_name_key(prefix).strip()
    if not wanted:
        return []
    starts, inside = [], []
    for value, folded, _count in vocabulary:
        if folded.startswith(wanted):
            starts.append(value)
        elif not reference and f" {wanted}" in f" {folded}":
            inside.append(value)
        if len(starts) >= limit:
            break
    return (starts + inside)[:limit]
