"""The abbreviations offices write for bodies and places, expanded before text is indexed or
searched, so 'UBND tỉnh Đồng Tháp' and 'Ủy ban nhân dân tỉnh Đồng Tháp' index the same words in
the same positions (a phrase matches either way, in both engines).

One function, `expand_abbreviations`, in four modes:

- "text": what is indexed, a letter's text and its metadata (issuer, recipients …). Only the
  spellings as offices write them (capitals: 'UBND', 'TT&TT', 'TP.'), found by a case-sensitive
  scan (an ignore-case one costs 15× more per letter). Lower-case 'ubnd' in a letter stays.
- "query": the words a user types in the search box: any case, except the abbreviations that
  are also Vietnamese words in lower case ('ca': cá, ca sĩ, cả tỉnh), which expand only in
  capitals ('CA').
- "names": a field filter's value or an autocomplete prefix, typed (`coquan:"ca tinh"`): the
  name of a body, so any case, every abbreviation.
- "none": as it is (the words of a document number typed with spaces, '12 kh ubnd'; a fuzzy
  word).

Numbers and symbols are left alone: an abbreviation in a word holding '/' ('04/UBND-NCPC',
'01/2024/TT-BTC') or joined by '-' to something that is not an abbreviation ('QĐ-UBND',
'UBND-TH', 'NĐ- CP' as OCR splits it) is part of a symbol, so number lookups do not change.
'HĐND-UBND' (both abbreviations) expands.

The ingest package's tables are symbol codes (gazetteer's issuer_abbreviations: 'BTC' is Bộ Tài
chính in '01/2024/TT-BTC') and three header patterns (ingest/extract/issuers.py); running text needs
this table, with the contexts that keep 'Số TT' (số thứ tự), 'Công ty CP' (cổ phần) and 'cá
tính' from expanding.

>>> expand_abbreviations("UBND tỉnh Đồng Tháp; Sở TT&TT; số 04/UBND-NCPC")
'Ủy ban nhân dân tỉnh Đồng Tháp; Sở Thông tin và Truyền thông; số 04/UBND-NCPC'
>>> expand_abbreviations("ubnd tp hue", "query")
'Ủy ban nhân dân thành phố hue'
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from unidecode import unidecode

from .accents import fold_text

log = logging.getLogger(__name__)

MODES = ("text", "query", "names", "none")
_WORD = r"\w\u0300-\u036f"
# What may follow an abbreviation of a place type ('TP. Huế', 'TP Huế', 'TP.HCM'): a name.
_NAME_FOLLOWS = r"(?=\.?\s*[^\W\d_])"
_LOCALITY = ["tỉnh", "huyện", "quận", "thị xã", "thành phố", "xã", "phường", "thị trấn", "các",
             "TP", "TX"]


def _any_accents(words: Iterable[str]) -> str:
    """An alternation of `words`, with or without their accents, in any case."""
    spelled = {s for w in words for s in (w, unidecode(w))}
    return "(?i:" + "|".join(re.escape(s) for s in sorted(spelled, key=len, reverse=True)) + ")"


@dataclass(frozen=True)
class Abbreviation:
    spellings: tuple[str, ...]  # as offices write them, in capitals ('Đ' also matches 'D')
    long: str  # the long form it stands for
    follows: str = ""  # a lookahead the text after it must match (the context it needs)
    capitals_only: bool = False  # a Vietnamese word in lower case: only in capitals in queries
    marked: bool = True  # snippets mark it where its long form's words are marked


ABBREVIATIONS = [
    Abbreviation(("UBND",), "Ủy ban nhân dân"),
    Abbreviation(("HĐND",), "Hội đồng nhân dân"),
    Abbreviation(("UBMTTQ",), "Ủy ban Mặt trận Tổ quốc"),
    Abbreviation(("MTTQ",), "Mặt trận Tổ quốc"),
    Abbreviation(("CAND",), "Công an nhân dân"),
    Abbreviation(("TT&TT", "TTTT"), "Thông tin và Truyền thông"),
    Abbreviation(("NN&PTNT", "NN-PTNT", "NNPTNT"), "Nông nghiệp và Phát triển nông thôn"),
    Abbreviation(("TN&MT", "TN-MT", "TNMT"), "Tài nguyên và Môi trường"),
    Abbreviation(("GD&ĐT", "GD-ĐT", "GDĐT"), "Giáo dục và Đào tạo"),
    Abbreviation(("LĐTB&XH", "LĐ-TB&XH", "LĐTBXH"), "Lao động - Thương binh và Xã hội"),
    Abbreviation(("VH,TT&DL", "VHTT&DL", "VH-TT&DL", "VHTTDL"), "Văn hóa, Thể thao và Du lịch"),
    Abbreviation(("KH&ĐT", "KHĐT"), "Kế hoạch và Đầu tư"),
    Abbreviation(("KH&CN", "KHCN"), "Khoa học và Công nghệ"),
    Abbreviation(("GTVT",), "Giao thông vận tải"),
    Abbreviation(("BHXH",), "Bảo hiểm xã hội"),
    Abbreviation(("KBNN",), "Kho bạc Nhà nước"),
    Abbreviation(("QLTT",), "Quản lý thị trường"),
    Abbreviation(("TTYT",), "Trung tâm Y tế"),
    Abbreviation(("BCH",), "Ban Chỉ huy"),
    Abbreviation(("BCĐ",), "Ban Chỉ đạo"),
    Abbreviation(("BQL",), "Ban Quản lý"),
    Abbreviation(("BTV",), "Ban Thường vụ"),
    Abbreviation(("VP",), "Văn phòng"),
    Abbreviation(("TW",), "Trung ương"),
    # 'Công ty CP' is a joint-stock company (cổ phần).
    Abbreviation(("CP",), "Chính phủ", follows=r"(?<!(?i:ty) CP)"),
    Abbreviation(("TP", "Tp"), "thành phố", follows=_NAME_FOLLOWS),
    Abbreviation(("TX", "Tx"), "thị xã", follows=_NAME_FOLLOWS),
    # 'TT' alone is mostly số thứ tự (table heads) or Thông tư: thị trấn only as 'TT. Name'.
    Abbreviation(("TT", "Tt"), "thị trấn", follows=r"(?=\.\s*[^\W\d_])", marked=False),
    Abbreviation(("CA",), "Công an", follows=rf"(?=\s+{_any_accents(_LOCALITY)}(?![{_WORD}]))",
                 capitals_only=True, marked=False),
]


def _spelled(spelling: str) -> str:
    return "".join("[ĐÐD]" if c == "Đ" else re.escape(c) for c in spelling)


def _branches() -> str:
    """The spellings, longest first, each with its context. No capturing group (one costs the
    scan its fast first-character search: 100× slower) and no look-behind for the left edge
    (a check at every character): `_long_form` checks the character before each match."""
    spellings = sorted(((s, a.follows) for a in ABBREVIATIONS for s in a.spellings),
                       key=lambda pair: -len(pair[0]))
    return ("(?:" + "|".join(_spelled(s) + follows for s, follows in spellings)
            + rf")(?![{_WORD}&])")


def _key(spelling: str) -> str:
    return spelling.upper().replace("Đ", "D").replace("Ð", "D")


# A spelling as matched, in capitals and 'D' for 'Đ' → its abbreviation.
_ENTRIES = {_key(s): a for a in ABBREVIATIONS for s in a.spellings}
_CAPS = re.compile(_branches())
_ANY_CASE = re.compile(_branches(), re.IGNORECASE)
_WHOLE = re.compile(r"(?:" + "|".join(_spelled(s) for a in ABBREVIATIONS for s in a.spellings)
                    + ")", re.IGNORECASE)
_SPLIT_SYMBOL = re.compile(rf"[{_WORD}]-\s*$")


def _is_abbreviation(piece: str) -> bool:
    return _WHOLE.fullmatch(piece.strip("([“\"'.,;:)]”")) is not None


def _joined(pieces: str) -> bool:
    """Whether the '-'-joined pieces next to an abbreviation are abbreviations too (or none)."""
    return all(_is_abbreviation(p) for p in pieces.split("-") if p.strip("([“\"'"))


def _in_symbol(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is part of a number or symbol rather than a word of its own."""
    left = start
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace():
        right += 1
    before, after = text[left:start], text[end:right]
    if "/" in before or "/" in after:
        return True
    if before.endswith("-") and not _joined(before[:-1]):
        return True
    if after.startswith("-") and not _joined(after[1:]):
        return True
    return not before and bool(_SPLIT_SYMBOL.search(text, max(0, left - 12), left))


def _long_form(text: str, start: int, end: int, mode: str) -> str | None:
    """The long form of the abbreviation at text[start:end], or None where it is not one."""
    before = text[start - 1] if start else " "
    if before.isalnum() or before in "&_" or "\u0300" <= before <= "\u036f":
        return None  # inside a word: 'HUBND', 'STTTT'
    found = text[start:end]
    entry = _ENTRIES[_key(found)]
    if entry.capitals_only and mode == "query" and not found.isupper():
        return None
    return None if _in_symbol(text, start, end) else entry.long


def _in_text(match: re.Match[str]) -> str:
    return _long_form(match.string, *match.span(), "text") or match.group(0)


def expand_abbreviations(text: str, mode: str = "text") -> str:
    """`text` (NFC) with each abbreviation replaced by its long form (see the module's doc)."""
    if mode == "none":
        return text
    if mode == "text":
        return _CAPS.sub(_in_text, text)
    # Any case (something typed: short): the case-sensitive scan of the text in capitals (an
    # ignore-case pattern costs 8× more), the replacements made in the text itself.
    upper = text.upper()
    if len(upper) != len(text):  # 'ß' → 'SS' would shift the offsets
        return _ANY_CASE.sub(lambda m: _long_form(text, *m.span(), mode) or m.group(0), text)
    pieces, last = [], 0
    for match in _CAPS.finditer(upper):
        start, end = match.span()
        long = _long_form(text, start, end, mode)
        if long is not None:
            pieces += [text[last:start], long]
            last = end
    return "".join(pieces) + text[last:] if pieces else text


@cache
def _long_forms() -> list[tuple[str, ...]]:
    """Each abbreviation's long form as folded words."""
    return [tuple(re.findall(rf"[{_WORD}]+", fold_text(a.long))) for a in ABBREVIATIONS]


def may_expand_into(words: list[str]) -> bool:
    """Whether the folded `words`, side by side, may stand in a text only once an abbreviation
    is expanded: they hold a long form, lie inside one, or begin or end with part of one."""
    for long in _long_forms():
        n, m = len(words), len(long)
        if any(tuple(words[i : i + m]) == long for i in range(n - m + 1)):
            return True
        if any(long[i : i + n] == tuple(words) for i in range(m - n + 1)):
            return True
        if any(tuple(words[n - k :]) == long[:k] or tuple(words[:k]) == long[m - k :]
               for k in range(1, min(n, m))):
            return True
    return False


@cache
def _marked_forms() -> list[tuple[frozenset[str], tuple[str, ...]]]:
    """(the folded words of a long form, the folded spellings that stand for it)."""
    return [(frozenset(long), tuple(dict.fromkeys(fold_text(s) for s in a.spellings)))
            for a, long in zip(ABBREVIATIONS, _long_forms(), strict=True) if a.marked]


def marked_spellings(terms: set[str]) -> set[str]:
    """The folded abbreviations whose long form's words are all among `terms` ('ubnd' for
    {'uy', 'ban', 'nhan', 'dan'}): a snippet marks 'UBND' where 'Ủy ban nhân dân' matched."""
    return {s for words, spellings in _marked_forms() if words <= terms for s in spellings}
