"""Document numbers and symbols (số, ký hiệu): parse, display and a canonical identity key.

Shapes (Decree 30, Hướng dẫn 36-HD/VPTW): `874/QĐ-BTTTT`, công văn `04/UBND-NCPC`, legal
`30/2020/NĐ-CP` (number, year, symbol `NĐ-CP`), party `85-QĐ/TW`, `445-KL/TƯ`, old decrees
`101/CP`, a unit in brackets `409/TTr-CAT(PC04)`, sub-numbers `66.16/2026/NQ-CP`,
`11-01/26/PT-NC`. OCR damage is tolerated (`139/CĐ-T'Tg`, `874/QĐ:BTTTT`, `04 / UBND - NCPC`,
`Ð` U+00D0, en dashes, `QB`/`QD` for `QĐ`), and so are a footnote mark glued to a known symbol
(`126/2024/NĐ-CP1`) and a `V/v` glued to it in text flattened from a web page (`12/UBND-VXV/v`).

>>> reference_key("139/CĐ-T'Tg"), reference_key("139 cd ttg"), reference_key("85-QĐ/TW")
('139/cd-ttg', '139/cd-ttg', '85/qd-tw')
>>> parse_reference("139/CD-TTg").display
'139/CĐ-TTg'
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace

from ingest.folding import LONG_TEXT, CharMap, KeepOthers, fold

log = logging.getLogger(__name__)

# Type abbreviations (Phụ lục III + legal types) by folded spelling → official display.
# Only the unambiguous Đ repairs are here: HD/HĐ and DA/ĐA are never repaired (decree30.md).
TYPE_DISPLAY = {
    "qd": "QĐ", "qb": "QĐ", "cd": "CĐ", "nd": "NĐ", "qyd": "QyĐ", "ctr": "CTr", "ttr": "TTr",
    "trs": "TrS", "nq": "NQ", "ct": "CT", "qc": "QC", "tc": "TC", "tb": "TB", "pa": "PA",
    "bc": "BC", "bb": "BB", "kh": "KH", "sy": "SY", "sl": "SL", "bgn": "BGN", "btt": "BTT",
    "guq": "GUQ", "gm": "GM", "ggt": "GGT", "gnp": "GNP", "pg": "PG", "pc": "PC", "pb": "PB",
    "tt": "TT", "ttlt": "TTLT", "nqlt": "NQLT", "vbhn": "VBHN", "cv": "CV", "hd": None,
    "da": None, "gn": "GN", "tth": "TTh", "uq": "UQ", "np": "NP", "bs": "BS",
}
# Folded type group → folded key group (OCR reads QĐ as QB).
_TYPE_KEY = {"qb": "qd"}
# Issuer abbreviations whose official spelling is mixed case or carries Đ.
ISSUER_DISPLAY = {"ttg": "TTg", "hdnd": "HĐND", "bgddt": "BGDĐT", "bcd": "BCĐ", "ttdt": "TTĐT"}
# Groups OCR sometimes prefixes with a stray letter from the slash ("/JUBND" for "/UBND").
_KNOWN_ISSUERS = {
    "ubnd", "hdnd", "cp", "ttg", "btttt", "bca", "bnv", "btc", "tw", "tu", "stttt", "syt", "stc",
    "snv", "stp", "sxd", "sct", "stnmt", "skhdt", "sgddt", "sldtbxh", "svhttdl", "skhcn", "sgtvt",
    "cat", "byt", "bgddt", "bqp", "btp", "vpcp", "vptw", "btgtw",
    # ministries and central bodies (their symbols never end in digits: a digit is a footnote)
    "bldtbxh", "bkhdt", "bnnptnt", "bnnmt", "btnmt", "bgtvt", "bct", "bvhttdl", "bkhcn", "bxd",
    "bngg", "bdtts", "nhnn", "ttcp", "ktnn", "ubdt", "vksndtc", "tandtc",
}
# Letters Tesseract confuses inside capital runs ('STTTI' for 'STTTT').
_CONFUSABLE = {"i": "t", "l": "i", "1": "i", "0": "o", "5": "s", "8": "b"}

_QUOTES = "'’‘`´"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
# Cyrillic capitals that look like Latin ones, typed into symbols ('TT-BТС' with Cyrillic 'ТС').
_CYRILLIC = dict(zip("АВСЕНКМОРТХ", "ABCEHKMOPTX", strict=True))
_SPELLING = KeepOthers(str.maketrans({"Ð": "Đ", "ð": "đ", "Ɖ": "Đ", "ɖ": "đ",
                                      **dict.fromkeys(_DASHES, "-"), **_CYRILLIC}))

# Capitals a symbol group may hold besides A-Z and Đ: party 'TƯ' (Trung ương).
_MARKED = "ƯƠÂĂÊÔ"
_GROUP = rf"[A-Za-zĐđ&{_MARKED}]+\d*"
# A year group: 2020, or two digits in an office's own numbering ('11-01/26/PT-NC').
_YEAR = r"(?:19|20)\d\d|\d\d"
_GROUP_RE = re.compile(rf"{_GROUP}|{_YEAR}")
# A number, with a sub-number before the '/' ('66.16/2026/NQ-CP', '11-01/26/PT-NC').
_NUMBER = r"\d{1,5}(?:[.-]\d{1,4}(?=[ \t]*/))?"
_PREFIX_RE = re.compile(r"^\s*(?:s[oố6]\s*:?\s*)", re.IGNORECASE)
_SPLIT_RE = re.compile(r"\s*([-/:.(])\s*|\s+")


@dataclass(frozen=True)
class Reference:
    number: str | None  # as written ("04"); None when left blank on the template
    year: str | None  # legal documents: 30/2020/NĐ-CP → "2020"
    groups: tuple[str, ...]  # symbol groups, display spelling: ("NĐ", "CP")
    party: bool  # number-TYPE/ISSUER shape (85-QĐ/TW)
    symbol: str  # display symbol, without the year (Decree 30): "UBND-NCPC", "NĐ-CP", "QĐ/TW"
    dashed: bool = False  # the old shape with no '/' at all: '130-CP', '111-HĐBT'

    @property
    def display(self) -> str:
        year = f"{self.year}/" if self.year else ""
        return f"{self.number or ''}{'-' if self.party or self.dashed else '/'}{year}{self.symbol}"

    @property
    def key(self) -> str | None:
        """Canonical identity: '874/qd-btttt', '30/2020/nd-cp'; None for a blank number."""
        if self.number is None:
            return None
        groups = [fold(g) for g in self.groups]
        groups[0] = _TYPE_KEY.get(groups[0], groups[0])
        year = f"{self.year}/" if self.year else ""
        number = re.sub(r"\d+", lambda m: str(int(m.group())), self.number)  # 04 → 4, 11-01 → 11-1
        return f"{number}{'-' if self.dashed else '/'}{year}{'-'.join(groups)}"

    @property
    def doc_type_abbr(self) -> str | None:
        """The type abbreviation in the symbol (QĐ, CĐ, KH …), None for a công văn's symbol."""
        first = fold(self.groups[0])
        return self.groups[0] if first in TYPE_DISPLAY else None


# Court case and judgment symbols (Nghị quyết 01/2017/NQ-HĐTP forms): the stage (ST sơ thẩm, PT
# phúc thẩm, GĐT giám đốc thẩm, TT tái thẩm) before or after the case type (HS hình sự, DS dân
# sự, HC hành chính, KDTM, HNGĐ, LĐ, PL phá sản), with TL (thụ lý), QĐ or QĐXX before it:
# '29/2025/TLST-HC', '12/2024/HS-ST', '…/HSST', '…/DSPT', '…/QĐXXST-HC'.
_CASE_TYPE = r"(?:hs|ds|hc|kdtm|hngd|ld|pl|ps)"
_STAGE = r"(?:st|pt|gdt|tt)"
_COURT_SYMBOL = re.compile(
    rf"(?:tl|qd|qdxx|qdst|qdpt)?{_STAGE}{_CASE_TYPE}|{_CASE_TYPE}{_STAGE}|qd{_CASE_TYPE}{_STAGE}")


def is_court_case(reference: Reference) -> bool:
    """A court's case or judgment number (always with a year), not an administrative document."""
    joined = "".join(fold(group) for group in reference.groups)
    return reference.year is not None and _COURT_SYMBOL.fullmatch(joined) is not None


# The copy types of Decree 30 (bản sao y, sao lục, trích sao): a copy's own number, '15/SY-UBND'.
COPY_TYPES = {"SY", "SL", "TrS"}


def is_copy_number(reference: Reference) -> bool:
    """A copy's own number: never the number of the document copied, nor a citation."""
    return reference.doc_type_abbr in COPY_TYPES


def normalize_spelling(text: str) -> str:
    """NFC, Đ look-alikes to Đ, dashes to '-', apostrophes OCR puts inside capital runs out."""
    text = unicodedata.normalize("NFC", text)
    # A letter's whole text at once in numpy (by translate 0.2 ms)
    spelled = _SPELLING_MAP.map(text) if len(text) >= LONG_TEXT else None
    text = text.translate(_SPELLING) if spelled is None else spelled
    text = re.sub(r"\|(?=\S)", "/", text)  # OCR's '04 |UBND'; a table's ' | ' stays
    if not any(quote in text for quote in _QUOTES):  # the pattern is tried at every character
        return text
    return re.sub(rf"(?<=[A-Za-z])[{_QUOTES}](?=[A-Za-z])", "", text)


_SPELLING_MAP = CharMap(lambda char: _SPELLING[ord(char)])


def display_group(group: str, position: int) -> str:
    """Official spelling of one symbol group (CD→CĐ, Ctr→CTr, ttg→TTg; HD stays HD)."""
    folded = fold(group)
    if position == 0 and TYPE_DISPLAY.get(folded) and (group.isascii() or "Đ" in group.upper()):
        return TYPE_DISPLAY[folded]  # type: ignore[return-value]
    if folded in ISSUER_DISPLAY and (group.isascii() or "đ" in group.lower()):
        return ISSUER_DISPLAY[folded]
    return group.upper() if group.islower() else group


# The English OCR model reads Đ as P: repaired only in the type position of a longer symbol.
_P_FOR_D = {"qp": "QĐ", "cp": "CĐ"}
_P_FOR_D_LEGAL = {"np": "NĐ", "qp": "QĐ"}


def _repair_groups(groups: list[str], legal: bool = False) -> list[str]:
    repaired = []
    if len(groups) > 1:
        table = _P_FOR_D_LEGAL if legal else _P_FOR_D
        groups = [table.get(fold(groups[0]), groups[0]), *groups[1:]]
    for group in groups:
        folded = fold(group)
        if folded[:1] in "jil" and folded[1:] in _KNOWN_ISSUERS and folded not in _KNOWN_ISSUERS:
            group = group[1:]
        repaired.append(_unconfuse(group))
    return repaired


def _unconfuse(group: str) -> str:
    """One OCR-confused letter in a known issuer abbreviation: 'STTTI' → 'STTTT'."""
    folded = fold(group)
    if folded in _KNOWN_ISSUERS or not group.isupper():
        return group
    for index, char in enumerate(folded):
        if char in _CONFUSABLE:
            candidate = folded[:index] + _CONFUSABLE[char] + folded[index + 1:]
            if candidate in _KNOWN_ISSUERS:
                return group[:index] + _CONFUSABLE[char].upper() + group[index + 1:]
    return group


# Known issuer groups never carry digits of their own: digits glued to them are a footnote mark.
_LEGISLATURE = re.compile(r"((?:UBTV)?QH\d\d)\d{1,2}")  # 'QH151': Quốc hội khóa 15, note 1


def _without_footnote(group: str) -> str:
    """'CP1' → 'CP', 'QH151' → 'QH15': a footnote mark glued to a known last group."""
    letters = group.rstrip("0123456789")
    if letters != group and len(group) - len(letters) <= 2 and fold(letters) in _KNOWN_ISSUERS:
        return letters
    legislature = _LEGISLATURE.fullmatch(group)
    return legislature.group(1) if legislature else group


def _separator(sep: str, party: bool) -> str:
    return "/" if party and sep == "/" else sep if sep in ".(" else "-"


def build_reference(
    number: str | None, groups: list[str], seps: list[str], *, party: bool = False
) -> Reference | None:
    """A Reference from the pieces (groups[0] may be a year); None if they do not form one.

    A separator '(' puts the group after it in brackets: ('CAT', 'PC04') → 'CAT(PC04)'."""
    year = None
    if groups and re.fullmatch(_YEAR, groups[0]) and not party:
        year, groups, seps = groups[0], groups[1:], seps[1:]
    if not groups or not all(re.fullmatch(_GROUP, g) for g in groups):
        return None
    if any(len(g) > 12 for g in groups):
        return None
    groups = _repair_groups(groups, legal=year is not None)
    groups[-1] = _without_footnote(groups[-1])
    shown = [display_group(g, i) for i, g in enumerate(groups)]
    parts = [shown[0]]
    for sep, group in zip(seps, shown[1:], strict=False):
        sep = _separator(sep, party)
        parts.append(f"({group})" if sep == "(" else sep + group)
    number = number.strip() if number else None
    return Reference(number or None, year, tuple(shown), party, "".join(parts))


def parse_reference(text: str) -> Reference | None:
    """Parse a string that is one reference (optionally after 'Số:'); None if it is not one.

    Accepts query spellings with spaces for separators ('139 cd ttg'); rejects dates, '24/7',
    'COVID-19', 'TCVN 6909:2001', '1/2 số lượng'.
    """
    text = _PREFIX_RE.sub("", normalize_spelling(text)).strip().rstrip(".;,")
    match = re.fullmatch(rf"({_NUMBER})?\s*([-/:]|\s)\s*(\S.*)", text, re.DOTALL)
    if not match or (match.group(1) is None and match.group(2) != "/"):
        return None
    number, first_sep, rest = match.groups()
    rest = re.sub(r"\s*\(\s*([^()\s]+)\s*\)$", r"(\1", rest)  # 'CAT(PC04)': a bracketed unit
    pieces = _SPLIT_RE.split(rest)
    groups = [p for p in pieces[0::2] if p is not None]
    seps = [p if p is not None else " " for p in pieces[1::2]]
    if "" in groups or not all(_GROUP_RE.fullmatch(g) for g in groups):
        return None
    party = first_sep == "-" and "/" in seps[:1]
    if first_sep == "-" and not party:
        return _dashed(number, groups, seps)
    if party:
        seps = ["/", *seps[1:]]
    return build_reference(number, groups, seps, party=party)


def _dashed(number: str | None, groups: list[str], seps: list[str]) -> Reference | None:
    """The old shape of decisions and decrees before 1990s numbering, with no '/' at all:
    '130-CP', '111-HĐBT', '06-CT' (number, '-', issuer or type and issuer in capitals). A
    number must be given and every group must look like an abbreviation, so that '2-3', '10-ngày'
    and '2020-2025' are not read as one."""
    if not number or any(sep != "-" for sep in seps):
        return None
    if not all(re.fullmatch(_GROUP, g) and sum(c.isupper() for c in g) >= 2 for g in groups):
        return None
    built = build_reference(number, groups, seps)
    return replace(built, dashed=True) if built is not None and built.year is None else None


def reference_key(text: str) -> str | None:
    """Canonical key of a reference written any way ('139/CĐ-T\\'Tg' → '139/cd-ttg')."""
    reference = parse_reference(text)
    return reference.key if reference else None


# References inside running text: separators are required ('/', '-', '.', ':'), spaces around
# them and a line break after them tolerated, and the first symbol group must look like an
# abbreviation (two capitals or a known type), so '100/Ban chỉ đạo' and dates do not match.
_SEP = r"[ \t]*[-/.:][ \t]*\n?[ \t]*"
_TEXT_GROUP = rf"[A-ZĐ][A-Za-zĐđ&'{_MARKED}]*\d*(?![^\W\d_])"  # a whole word: not 'Kh' of 'Không'

_IN_TEXT_RE = re.compile(
    rf"(?:(?<![\w/.,:-])|(?<=[Ss]ố))(?P<num>{_NUMBER})[ \t]*(?P<sep>[-/])[ \t]*\n?[ \t]*"
    rf"(?:(?P<year>{_YEAR})[ \t]*/[ \t]*(?=[A-ZĐ]))?"
    rf"(?P<sym>{_TEXT_GROUP}(?:{_SEP}{_TEXT_GROUP})*(?:\((?P<unit>[A-ZĐ][A-Z0-9Đ]*)\))?)"
)
# What must come before an old-shape number with no '/' ('Quyết định số 130-CP') in running text:
# a document type (and 'số'), or nothing at all (the string is the number, as after a 'Số:' label).
# Form and code numbers ('Mẫu số 01-TT', 'mã số 15-A') do not follow a type word.
_OLD_SHAPE_BEFORE = re.compile(
    r"(?:\b(?:quyet dinh|nghi dinh|chi thi|thong tu|nghi quyet|cong van|thong bao|thong tri|"
    r"dieu le|phap lenh|sac lenh|lenh|luat|quy dinh|cong dien|van ban)(?:\s+s[o6]\s*:?)?|^)"
    r"\s*$", re.IGNORECASE)
# 'V/v' glued to the symbol's last group ('12/UBND-VXV/v tăng cường'), in flattened web text.
_GLUED_VV = re.compile(r"/[vV](?:iệc|iec)?\b")


def _looks_like_abbreviation(group: str) -> bool:
    return sum(c.isupper() for c in group) >= 2 or fold(group) in TYPE_DISPLAY


def find_references(text: str) -> Iterator[tuple[Reference, int, int]]:
    """Every reference in running text with its [start, end) span."""
    normal = normalize_spelling(text)
    source = normal if len(normal) == len(text) else text
    for match in _IN_TEXT_RE.finditer(source):
        reference = _reference_from_match(match)
        if reference is not None:
            yield reference, match.start(), match.end("sym") - _glued_vv(match)


def _glued_vv(match: re.Match[str]) -> int:
    """How many characters at the symbol's end are the start of a glued 'V/v' (0, 1 or 3)."""
    sym, end = match.group("sym"), match.end("sym")
    if match.group("unit"):
        return 0
    if re.search(r"[A-ZĐ]V/V$", sym) and re.match(r"[ \t]+[a-zđ]", match.string[end:]):
        return 3  # '…-VXV/V tăng cường': the symbol took 'V/V' as a group of its own
    if re.search(r"[A-ZĐ]V$", sym) and _GLUED_VV.match(match.string, end):
        return 1
    return 0


def _reference_from_match(match: re.Match[str]) -> Reference | None:
    sym, unit = match.group("sym"), match.group("unit")
    if unit:
        sym = sym[: -len(unit) - 2]
    sym = sym[: len(sym) - _glued_vv(match)]
    pieces = re.split(r"[ \t]*([-/.:])[ \t]*\n?[ \t]*", sym)
    groups, seps = [p.replace("'", "") for p in pieces[0::2]], pieces[1::2]
    if unit:
        groups, seps = [*groups, unit], [*seps, "("]
    party = match.group("sep") == "-"
    if party and not match.group("year") and "/" not in seps and _OLD_SHAPE_BEFORE.search(
            fold(match.string[max(0, match.start() - 40): match.start()])):
        return _dashed(match.group("num"), groups, seps)
    if party and (match.group("year") or "/" not in seps[:1]):
        return None
    if not _looks_like_abbreviation(groups[0]):
        return None
    if match.group("year"):
        groups, seps = [match.group("year"), *groups], ["/", *seps]
    return build_reference(match.group("num"), groups, seps, party=party)
