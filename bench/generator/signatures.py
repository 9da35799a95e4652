"""Signature blocks (TM./KT./TL./TUQ./Q., party T/M, K/T, T/L) and the signers' names.

A block is the lines above the name from the outside in, each (prefix, role):
`TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH` is
(("TM.", "Ủy ban nhân dân"), ("KT.", "Chủ tịch"), (None, "Phó Chủ tịch")).
"""

from __future__ import annotations

import logging
import random
from typing import Any

from bench.generator import vocab
from bench.generator.issuers import Issuer

log = logging.getLogger(__name__)

Line = tuple[str | None, str]
Block = tuple[Line, ...]

_UBND: list[tuple[Block, str, int]] = [
    ((("TM.", "Ủy ban nhân dân"), (None, "Chủ tịch")), "QĐ CT KH CV BC", 3),
    ((("TM.", "Ủy ban nhân dân"), ("KT.", "Chủ tịch"), (None, "Phó Chủ tịch")),
     "QĐ KH CV BC CT", 4),
    ((("KT.", "Chủ tịch"), (None, "Phó Chủ tịch")), "CV CĐ QĐ", 4),
    (((None, "Chủ tịch"),), "CV CĐ QĐ", 2),
    ((("TL.", "Chủ tịch"), (None, "Chánh Văn phòng")), "CV TB", 2),
    ((("TL.", "Chủ tịch"), ("KT.", "Chánh Văn phòng"), (None, "Phó Chánh Văn phòng")), "TB CV", 2),
    ((("TUQ.", "Chủ tịch"), (None, "Chánh Văn phòng")), "CV", 1),
]
_HEAD = "QĐ CT KH CV BC CĐ TB"
BLOCKS: dict[str, list[tuple[Block, str, int]]] = {
    "province": _UBND, "district": _UBND,
    "commune": [  # a xã has no Văn phòng: its chairman or a deputy signs everything
        ((("TM.", "Ủy ban nhân dân"), (None, "Chủ tịch")), _HEAD, 3),
        ((("TM.", "Ủy ban nhân dân"), ("KT.", "Chủ tịch"), (None, "Phó Chủ tịch")), _HEAD, 3),
        ((("KT.", "Chủ tịch"), (None, "Phó Chủ tịch")), "CV CĐ QĐ TB", 3),
        (((None, "Chủ tịch"),), "CV CĐ QĐ", 2),
    ],
    "department": [
        (((None, "Giám đốc"),), _HEAD, 4),
        ((("KT.", "Giám đốc"), (None, "Phó Giám đốc")), _HEAD, 5),
        ((("Q.", "Giám đốc"),), _HEAD, 1),
        ((("TL.", "Giám đốc"), (None, "Chánh Văn phòng")), "CV TB", 1),
        ((("TUQ.", "Giám đốc"), (None, "Chánh Văn phòng")), "CV", 1),
    ],
    "ministry": [
        (((None, "Bộ trưởng"),), _HEAD, 2),
        ((("KT.", "Bộ trưởng"), (None, "Thứ trưởng")), _HEAD, 6),
        ((("TL.", "Bộ trưởng"), (None, "Vụ trưởng Vụ Kế hoạch - Tài chính")), "CV TB", 1),
        ((("TUQ.", "Bộ trưởng"), (None, "Chánh Văn phòng")), "CV", 1),
    ],
    "pm": [(((None, "Thủ tướng"),), _HEAD, 3), ((("KT.", "Thủ tướng"), (None, "Phó Thủ tướng")),
                                               _HEAD, 5)],
    "govoffice": [
        (((None, "Bộ trưởng, Chủ nhiệm"),), _HEAD, 1),
        ((("KT.", "Bộ trưởng, Chủ nhiệm"), (None, "Phó Chủ nhiệm")), _HEAD, 4),
    ],
    "police": [
        (((None, "Giám đốc"),), _HEAD, 4),
        ((("KT.", "Giám đốc"), (None, "Phó Giám đốc")), _HEAD, 5),
        ((("TL.", "Giám đốc"), (None, "Trưởng phòng")), "CV TB", 1),
    ],
    "party": [
        ((("T/M", "Ban Thường vụ"), (None, "Bí thư")), _HEAD, 3),
        ((("T/M", "Ban Thường vụ"), (None, "Phó Bí thư")), _HEAD, 4),
        ((("T/L", "Ban Thường vụ"), (None, "Chánh Văn phòng")), "CV TB", 2),
        ((("T/L", "Ban Thường vụ"), (None, "Phó Chánh Văn phòng")), "CV TB", 1),
    ],
    "party_board": [
        (((None, "Trưởng ban"),), _HEAD, 2),
        ((("K/T", "Trưởng ban"), (None, "Phó Trưởng ban")), _HEAD, 3),
    ],
}


def choose_block(rng: random.Random, issuer: Issuer, abbr: str) -> Block:
    """A signature block this issuer uses for this type (abbr "CV" for a công văn)."""
    options = [(block, weight) for block, types, weight in BLOCKS[issuer.kind]
               if abbr in types.split()]
    blocks, weights = zip(*options, strict=True)
    return rng.choices(blocks, weights)[0]


def block_lines(block: Block) -> list[str]:
    return [f"{prefix} {role.upper()}" if prefix else role.upper() for prefix, role in block]


_PARTY_PREFIXES = {"T/M": "TM.", "K/T": "KT.", "T/L": "TL."}


def signer_record(block: Block, name: str) -> dict[str, Any]:
    """{"name", "title", "authority", "on_behalf_of"} by the devset conventions: authority the
    outermost prefix (or the one on the title: "Q. GIÁM ĐỐC"; party T/M → TM.), on_behalf_of the
    role after it ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH" → "TM.", "Ủy ban nhân dân")."""
    _prefix, title = block[-1]
    authority = next((prefix for prefix, _role in block if prefix), None)
    above = [role for line_prefix, role in block[:-1] if line_prefix]
    return {"name": name, "title": title,
            "authority": _PARTY_PREFIXES.get(authority or "", authority),
            "on_behalf_of": above[0] if above else None}


class Names:
    """Signers' names: the same office holder for an issuer and role over a five-year term."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._held: dict[tuple[str, str, int], tuple[str, str | None]] = {}

    def signer(self, issuer: Issuer, role: str, year: int) -> tuple[str, str | None]:
        """(name, rank); the rank only for police officers."""
        key = (issuer.name, role, year // 5)
        if key not in self._held:
            data = vocab.bodies()
            rank = None
            if issuer.kind == "police":
                pool = data["police_ranks_deputy" if "Phó" in role else "police_ranks_head"]
                rank = self.rng.choice(pool)
            self._held[key] = (self.person(), rank)
        return self._held[key]

    def person(self) -> str:
        return self.person_and_title()[0]

    def person_and_title(self) -> tuple[str, str]:
        """A full name and how a decision lists the person ("Ông", "Bà")."""
        data, rng = vocab.bodies(), self.rng
        female = rng.random() < 0.3
        middle = rng.choice(data["middles_f" if female else "middles_m"])
        given = rng.choice(data["givens_f" if female else "givens_m"])
        return f"{rng.choice(data['surnames'])} {middle} {given}", "Bà" if female else "Ông"
