"""Issuing bodies of generated letters, as they existed on the letter's date.

Before 1 July 2025: the 63 provinces, district People's Committees; from then on the 34 merged
provinces and no districts. Ministries and provincial departments are the merged set from
1 March 2025 (Bộ/Sở Nông nghiệp và Môi trường, Khoa học và Công nghệ …).
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import date

from bench.generator import vocab
from bench.generator.vocab import MINISTRY_MERGER, PROVINCE_MERGER

log = logging.getLogger(__name__)

# Relative weight of each kind of issuer, before / after the July 2025 merger.
KIND_WEIGHTS = {
    "province": (20, 22), "department": (28, 30), "ministry": (9, 9), "pm": (2, 2),
    "govoffice": (2, 2), "police": (8, 9), "party": (6, 7), "party_board": (3, 3),
    "district": (14, 0), "commune": (8, 16),
}
CENTRAL = ("ministry", "pm", "govoffice")


@dataclass(frozen=True)
class Issuer:
    name: str  # full canonical name: "Sở Y tế tỉnh Quảng Ninh"
    parent: str | None  # "Ủy ban nhân dân tỉnh Quảng Ninh"
    place: str  # the place in the date line: "Quảng Ninh"
    kind: str
    abbr: str  # the issuer group of the symbol: "SYT", "UBND", "TU"
    units: tuple[str, ...]  # drafting units (công văn symbols, "Lưu: VT, …")
    topics: tuple[str, ...] | None  # None: any topic
    header: tuple[str, ...]  # left header lines, capitals
    short: str  # how the body names it: "Sở Y tế", "Ủy ban nhân dân tỉnh"
    head: str  # its head: "Giám đốc Sở Y tế"
    province: str | None  # the province it belongs to
    scope: str  # "tỉnh", "huyện", "xã", "cả nước"
    locality: str  # "tỉnh Quảng Ninh", "huyện Mường Tè", "cả nước"
    party: bool = False
    dept_short: str = ""  # "Y tế" for Bộ Y tế

    @property
    def level(self) -> str:
        if self.kind in CENTRAL:
            return "central"
        return self.kind if self.kind in ("district", "commune") else "province"


def _locality(province: str, city: bool) -> str:
    if province.startswith("Thành phố"):
        return province
    return f"{'thành phố' if city else 'tỉnh'} {province}"


class IssuerFactory:
    """Picks issuers for dates; the same body is the same Issuer object every time."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._cache: dict[tuple[str, ...], Issuer] = {}
        self._communes: dict[str, list[tuple[str, str]]] = {}
        data = vocab.places()
        self._pre = [(name, kind == "city", districts) for name, kind, districts in
                     data["provinces_pre"]]
        self._post = [(name, kind == "city", []) for name, kind in data["provinces_post"]]

    def pick(self, day: date) -> Issuer:
        column = 1 if day >= PROVINCE_MERGER else 0
        kinds = list(KIND_WEIGHTS)
        kind = self.rng.choices(kinds, [KIND_WEIGHTS[k][column] for k in kinds])[0]
        if kind in CENTRAL:
            return self._central(kind, day)
        province, city, districts = self.rng.choice(self._post if column else self._pre)
        return self._local(kind, province, city, districts, day)

    def _central(self, kind: str, day: date) -> Issuer:
        if kind == "pm":
            return self._make(("pm",), lambda: Issuer(
                "Thủ tướng Chính phủ", None, "Hà Nội", "pm", "TTg", ("KGVX", "KTTH", "CN", "NN"),
                None, ("THỦ TƯỚNG CHÍNH PHỦ",), "Thủ tướng Chính phủ", "Thủ tướng Chính phủ",
                None, "cả nước", "cả nước"))
        if kind == "govoffice":
            return self._make(("govoffice",), lambda: Issuer(
                "Văn phòng Chính phủ", None, "Hà Nội", "govoffice", "VPCP",
                ("KGVX", "KTTH", "CN", "NN", "V.I"), None, ("VĂN PHÒNG CHÍNH PHỦ",),
                "Văn phòng Chính phủ", "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ", None,
                "cả nước", "cả nước"))
        era = "ministries_post" if day >= MINISTRY_MERGER else "ministries_pre"
        name, abbr, units, topics = self.rng.choice(vocab.bodies()[era])
        return self._make(("ministry", name), lambda: Issuer(
            name, None, "Hà Nội", "ministry", abbr, tuple(units), tuple(topics),
            (name.upper(),), name, f"Bộ trưởng {name}", None, "cả nước", "cả nước",
            dept_short=name.removeprefix("Bộ ")))

    def _local(
        self, kind: str, province: str, city: bool, districts: list[str], day: date
    ) -> Issuer:
        locality = _locality(province, city)
        if kind == "district" and districts:
            return self._district(province, self.rng.choice(districts))
        if kind == "commune":
            return self._commune(province)
        if kind == "department":
            return self._department(province, locality, day)
        if kind == "police":
            return self._police(province, locality, city)
        if kind in ("party", "party_board"):
            return self._party(kind, province, city, day)
        return self._province(province, locality)

    def _province(self, province: str, locality: str) -> Issuer:
        name = f"Ủy ban nhân dân {locality}"
        scope = locality.split(" ")[0].lower() if not locality.startswith("Thành") else "thành phố"
        return self._make(("province", province), lambda: Issuer(
            name, None, province, "province", "UBND", tuple(vocab.bodies()["ubnd_units"]),
            None, ("ỦY BAN NHÂN DÂN", locality.upper()), f"Ủy ban nhân dân {scope}",
            f"Chủ tịch Ủy ban nhân dân {scope}", province, scope, locality))

    def _department(self, province: str, locality: str, day: date) -> Issuer:
        era = "departments_post" if day >= MINISTRY_MERGER else "departments_pre"
        dept, abbr, units, topics = self.rng.choice(vocab.bodies()[era])
        scope = "thành phố" if locality.lower().startswith("thành phố") else "tỉnh"
        return self._make(("department", province, dept), lambda: Issuer(
            f"{dept} {locality}", f"Ủy ban nhân dân {locality}", province, "department", abbr,
            tuple(units), tuple(topics), (f"UBND {locality.upper()}", dept.upper()), dept,
            f"Giám đốc {dept}", province, scope, locality))

    def _police(self, province: str, locality: str, city: bool) -> Issuer:
        name = f"Công an {locality}"
        scope = "thành phố" if city else "tỉnh"
        return self._make(("police", province), lambda: Issuer(
            name, None, province, "police", "CATP" if city else "CAT",
            tuple(vocab.bodies()["police_units"]),
            ("an_ninh_mang", "giao_thong", "phong_chay", "bau_cu", "du_lich"), (name.upper(),),
            f"Công an {scope}", f"Giám đốc Công an {scope}", province, scope, locality))

    def _party(self, kind: str, province: str, city: bool, day: date) -> Issuer:
        word = "Thành ủy" if city else "Tỉnh ủy"
        committee = f"{word} {province}"
        scope = "thành phố" if city else "tỉnh"
        topics = ("bau_cu", "sap_xep", "chuyen_doi_so", "an_ninh_mang", "cai_cach", "thien_tai")
        if kind == "party":
            return self._make(("party", province), lambda: Issuer(
                committee, None, province, "party", "TU", ("VPTU",), topics,
                (committee.upper(), "*"), f"Ban Thường vụ {word}", f"Ban Thường vụ {word}",
                province, scope,
                _locality(province, city), party=True))
        era = "party_boards_post" if day >= MINISTRY_MERGER else "party_boards_pre"
        board, abbr = self.rng.choice(vocab.bodies()[era])
        board_topics = ("an_ninh_mang", "chuyen_doi_so", "bau_cu", "sap_xep", "cai_cach")
        return self._make(("party_board", province, board), lambda: Issuer(
            f"{board} {committee}", committee, province, "party_board", abbr, ("VP",),
            board_topics, (committee.upper(), board.upper(), "*"),
            f"{board} {word}", f"Trưởng {board} {word}",
            province, scope, _locality(province, city), party=True))

    def _district(self, province: str, district: str) -> Issuer:
        return self._make(("district", province, district), lambda: Issuer(
            f"Ủy ban nhân dân huyện {district}", None, district, "district", "UBND",
            tuple(vocab.bodies()["district_units"]), None,
            ("ỦY BAN NHÂN DÂN", f"HUYỆN {district.upper()}"), "Ủy ban nhân dân huyện",
            "Chủ tịch Ủy ban nhân dân huyện", province, "huyện", f"huyện {district}"))

    def _commune(self, province: str) -> Issuer:
        unit, commune = self.rng.choice(self._commune_names(province))
        return self._make(("commune", province, unit, commune), lambda: Issuer(
            f"Ủy ban nhân dân {unit} {commune}", None, commune, "commune", "UBND",
            tuple(vocab.bodies()["commune_units"]), None,
            ("ỦY BAN NHÂN DÂN", f"{unit.upper()} {commune.upper()}"),
            f"Ủy ban nhân dân {unit}", f"Chủ tịch Ủy ban nhân dân {unit}", province, unit,
            f"{unit} {commune}"))

    def _commune_names(self, province: str) -> list[tuple[str, str]]:
        if province not in self._communes:
            data = vocab.places()
            names: list[tuple[str, str]] = []
            while len(names) < 6:
                first, second = (self.rng.choice(data["commune_first"]),
                                 self.rng.choice(data["commune_second"]))
                candidate = ("phường" if self.rng.random() < 0.3 else "xã", f"{first} {second}")
                if first != second and candidate not in names:
                    names.append(candidate)
            self._communes[province] = names
        return self._communes[province]

    def _make(self, key: tuple[str, ...], build) -> Issuer:  # type: ignore[no-untyped-def]
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]
