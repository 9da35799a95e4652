"""Document numbers: each issuer counts its documents per calendar year and type series.

Party committees count per term (Hướng dẫn 36-HD/VPTW), so "120-CV/TU" can come two years after
"15-CV/TU" of the same term. Numbers rise through the year roughly as a real issuer's do; within a
series they only rise, so (number, symbol, issuer, year) never repeats.
"""

from __future__ import annotations

import logging
import random
from datetime import date

from ingest.folding import fold

log = logging.getLogger(__name__)

# Letters a year in the công văn series; other types are a share of it.
VOLUME = {
    "province": 6000, "department": 2500, "ministry": 7000, "pm": 1500, "govoffice": 9000,
    "police": 3000, "party": 700, "party_board": 350, "district": 3000, "commune": 700,
}
TYPE_SHARE = {"CV": 1.0, "QĐ": 0.5, "KH": 0.06, "TB": 0.06, "BC": 0.1, "CT": 0.004, "CĐ": 0.006}
PARTY_TERMS = (date(2010, 10, 15), date(2015, 10, 15), date(2020, 10, 15), date(2025, 10, 15))


def party_term(day: date) -> date:
    return max(start for start in PARTY_TERMS if start <= day)


class Numbering:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._last: dict[tuple[str, str, str], int] = {}

    def allocate(self, issuer_name: str, kind: str, abbr: str, day: date, party: bool) -> int:
        """The next number of this series on `day` (call in date order)."""
        if party:
            start = party_term(day)
            period, fraction = str(start.year), (day - start).days / (5 * 365)
        else:
            period, fraction = str(day.year), day.timetuple().tm_yday / 366
        expected = int(VOLUME[kind] * TYPE_SHARE[abbr] * fraction * self.rng.uniform(0.7, 1.05))
        series = (issuer_name, period, abbr)
        number = max(self._last.get(series, 0) + 1, expected)
        self._last[series] = number
        return number


def number_text(number: int) -> str:
    """As written on the letter: numbers under 10 take a leading zero."""
    return f"{number:02d}"


def make_key(reference: str) -> str | None:
    """The canonical key of a well-formed reference we wrote ('04/UBND-NCPC' → '4/ubnd-ncpc',
    '85-QĐ/TW' → '85/qd-tw', '30/2020/NĐ-CP' → '30/2020/nd-cp'); same as ingest.extract.numbers'."""
    party = "-" in reference.split("/", 1)[0]
    number, symbol = reference.split("-" if party else "/", 1)
    if not number:
        return None
    year = ""
    if not party and symbol[:4].isdigit() and symbol[4:5] == "/":
        year, symbol = symbol[:5], symbol[5:]
    groups = symbol.replace("/", "-").replace(".", "-").split("-")
    return f"{int(number)}/{year}{'-'.join(fold(g) for g in groups)}"
