"""The query language typed in the search box, parsed into clauses (no Whoosh here).

    lừa đảo "cắt ghép" -zalo          words (AND), a phrase, an exclusion
    deepfake OR "cắt ghép"             either
    tong tein~                         fuzzy (OCR noise): one edit, `~2` for two
    so:139/CĐ-TTg  trichdan:139/CĐ-TTg loai:ke-hoach  coquan:"cong an"  capcha:"ubnd tinh"
    tinh:"lam dong"  nam:2024  tu:2024-01-01 den:2024-06-30  nguoiky:"vu nhu ha"
    nhan:"cac so"  giao:"cong an tinh"  kiemtra:co  hieuluc:bi-thay-the

>>> parse_query('coquan:"cong an" lua dao -zalo').groups[0][0].field
'coquan'

A quote left open is closed at the end of the query, and the parse carries a notice saying so
(`"dong thap` searches the phrase "dong thap"), rather than failing: a lenient search answers.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date

from ingest.extract.numbers import reference_key
from ingest.extract.relations import IN_FORCE, VALIDITY_LABELS

from .errors import QueryError
from .provinces import province_query_term, slug

log = logging.getLogger(__name__)

# Query name → what it filters (see queries.py for the index field of each).
FIELDS = {
    "so": "số ký hiệu", "trichdan": "văn bản được trích dẫn", "loai": "loại văn bản",
    "coquan": "cơ quan ban hành", "capcha": "cơ quan cấp trên", "tinh": "tỉnh",
    "nam": "năm", "tu": "từ ngày", "den": "đến ngày", "nguoiky": "người ký",
    "nhan": "nơi nhận", "giao": "cơ quan được giao nhiệm vụ", "kiemtra": "cần kiểm tra",
    "hieuluc": "hiệu lực",
}
# The query language as the UI's help shows it: (example, what it does), in Vietnamese.
HELP = [
    ("dong thap", "mọi từ (không cần dấu); có dấu thì văn bản đúng dấu xếp trước"),
    ('"cắt ghép"', "cụm từ liền nhau"),
    ("lừa đảo -zalo", "loại trừ văn bản có từ zalo"),
    ("deepfake OR zalo", "một trong hai"),
    ("tong tein~", "tìm gần đúng (lỗi OCR, gõ nhầm; hai chữ cái đổi chỗ tính là một lỗi), ~2 "
                   "cho phép hai lỗi"),
    ("139 cd ttg", "số ký hiệu: văn bản đó trước, rồi các văn bản trích dẫn nó"),
    ("112/nd-cp", "số ký hiệu gõ thiếu năm hoặc thiếu phần cuối ký hiệu: các văn bản có thể "
                  "mang số đó (112/2021/NĐ-CP)"),
    ("so:139/CĐ-TTg", "đúng số ký hiệu"),
    ("trichdan:139/CĐ-TTg", "văn bản trích dẫn số ký hiệu này"),
    ("loai:ke-hoach", "loại văn bản"),
    ('coquan:"cong an"', "cơ quan ban hành"),
    ('capcha:"ubnd tinh"', "cơ quan cấp trên"),
    ('coquan:"ubnd tinh dong thap"',
     "chữ viết tắt (UBND, HĐND, TP., TT&TT …) khớp với tên đầy đủ và ngược lại"),
    ('tinh:"lam dong"', "tỉnh (tên mới gồm cả các tỉnh cũ đã sáp nhập)"),
    ("nam:2024", "năm ban hành"),
    ("tu:2024-01-01 den:30/06/2024", "khoảng ngày ban hành"),
    ('nguoiky:"vu nhu ha"', "người ký"),
    ('nhan:"cac so"', "nơi nhận"),
    ('giao:"cong an tinh"', "cơ quan được giao nhiệm vụ"),
    ("kiemtra:co", "văn bản cần kiểm tra (không giống công văn, thiếu số, ngày, cơ quan…); "
                   "kiemtra:khong cho các văn bản còn lại"),
    ("hieuluc:bi-thay-the", "hiệu lực theo các văn bản ban hành sau trong kho: con-hieu-luc "
                            "(còn hiệu lực), bi-sua-doi, bi-thay-the, bi-bai-bo"),
]
FACET_FILTERS = {"doc_type": "loai", "issuer": "coquan", "year": "nam", "province": "tinh",
                 "validity": "hieuluc"}
# hieuluc: also takes the statuses' short forms ('thay-the' for 'bi-thay-the').
VALIDITY_SHORT = {"con": IN_FORCE, **{code.removeprefix("bi-"): code for code in VALIDITY_LABELS}}

_OR_MISPLACED = "OR phải đứng giữa hai từ hoặc cụm từ, ví dụ: deepfake OR cắt ghép"
UNCLOSED_QUOTE = "Thiếu dấu ngoặc kép đóng: đã tìm như thể có dấu đóng ở cuối."
_FIELD_RE = re.compile(r"([A-Za-z]+):(.*)", re.DOTALL)
_FUZZY_RE = re.compile(r"(.+?)~([12]?)")


@dataclass
class Clause:
    kind: str  # "word" | "phrase" | "fuzzy" | "field"
    text: str  # the word, phrase or field value (a canonical key/slug for so/trichdan/loai/tinh)
    field: str | None = None
    negated: bool = False
    fuzz: int = 0


@dataclass
class ParsedQuery:
    raw: str
    groups: list[list[Clause]] = field(default_factory=list)  # AND of ORs
    negatives: list[Clause] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    notice: str | None = None  # what was read leniently, for the user (Vietnamese)

    @property
    def searched(self) -> str:
        """The query as it was searched: `raw` with a quote left open closed at the end (or
        dropped, with no word after it)."""
        if self.notice != UNCLOSED_QUOTE:
            return self.raw
        last = self.raw.rfind('"')
        if re.search(r"\w", self.raw[last + 1 :]):
            return self.raw.rstrip() + '"'
        return (self.raw[:last].rstrip(" -") + self.raw[last + 1 :]).strip()

    @property
    def free_text(self) -> str:
        """The words and phrases alone (no filters), as typed."""
        return " ".join(
            c.text for g in self.groups for c in g if c.kind in ("word", "phrase", "fuzzy")
        )

    @property
    def is_plain(self) -> bool:
        """Only words: no phrase, filter, OR, fuzziness or exclusion."""
        return not self.negatives and not self.date_from and not self.date_to and all(
            len(g) == 1 and g[0].kind == "word" for g in self.groups
        )


def parse_query(text: str) -> ParsedQuery:
    """Parse what the user typed; raise QueryError (in Vietnamese) when it is malformed."""
    parsed = ParsedQuery(raw=text)
    if text.count('"') % 2:  # every quote opens or closes: an odd count leaves one open
        parsed.notice = UNCLOSED_QUOTE
    pending_or = False
    for item in _scan(text.strip()):
        if item == "OR":
            if not parsed.groups or pending_or:
                raise QueryError(_OR_MISPLACED)
            pending_or = True
            continue
        if isinstance(item, tuple):  # a date bound
            _set_date(parsed, *item)
        elif item.negated:
            if pending_or:
                raise QueryError("Không dùng dấu trừ (-) ngay sau OR")
            parsed.negatives.append(item)
        elif pending_or:
            parsed.groups[-1].append(item)
        else:
            parsed.groups.append([item])
        pending_or = False
    if pending_or:
        raise QueryError(_OR_MISPLACED)
    if parsed.notice and not (parsed.groups or parsed.negatives or parsed.date_from
                              or parsed.date_to):
        raise QueryError("Câu tìm kiếm không có từ nào để tìm")
    if parsed.date_from and parsed.date_to and parsed.date_from > parsed.date_to:
        raise QueryError("Ngày bắt đầu (tu:) đứng sau ngày kết thúc (den:)")
    return parsed


def _scan(text: str):
    position = 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        negated = text[position] == "-"
        if negated:
            position += 1
            if position >= len(text) or text[position].isspace():
                raise QueryError("Dấu trừ (-) phải đứng ngay trước từ cần loại trừ, ví dụ: -zalo")
        if text[position] == '"':
            phrase, position, closed = _quoted(text, position)
            if position < len(text) and text[position] == "~":
                raise QueryError("Không dùng ~ sau cụm từ trong ngoặc kép")
            if not closed and not re.search(r"\w", phrase):
                continue  # a quote left open with no word after it: nothing to search
            yield Clause("phrase", _non_empty(phrase, '""'), negated=negated)
            continue
        end = position
        while end < len(text) and not text[end].isspace() and text[end] != '"':
            end += 1
        word, position = text[position:end], end
        if word == "OR" and not negated:
            yield "OR"
            continue
        match = _FIELD_RE.fullmatch(word)
        if match and not match.group(2).startswith("//"):
            value = match.group(2)
            if not value and position < len(text) and text[position] == '"':
                value, position, _closed = _quoted(text, position)
            yield _field_clause(match.group(1).lower(), value, negated)
            continue
        yield _word_clause(word, negated)


def _quoted(text: str, start: int) -> tuple[str, int, bool]:
    """The text inside the quotes opening at `start` (to the end if they are never closed),
    where the scan goes on, and whether they were closed."""
    end = text.find('"', start + 1)
    if end < 0:
        return text[start + 1 :], len(text), False
    return text[start + 1 : end], end + 1, True


def _non_empty(value: str, shown: str) -> str:
    if not re.search(r"\w", value):
        raise QueryError(f"{shown} không có từ nào để tìm")
    return value.strip()


def _word_clause(word: str, negated: bool) -> Clause:
    fuzzy = _FUZZY_RE.fullmatch(word)
    if fuzzy and not negated:
        return Clause("fuzzy", _non_empty(fuzzy.group(1), word), fuzz=int(fuzzy.group(2) or 1))
    return Clause("word", word, negated=negated)


def _field_clause(name: str, value: str, negated: bool):
    if name not in FIELDS:
        known = ", ".join(f"{n}:" for n in FIELDS)
        raise QueryError(f"Không có trường lọc “{name}:”. Các trường: {known}")
    if not value.strip():
        raise QueryError(f"Trường “{name}:” ({FIELDS[name]}) thiếu giá trị")
    if name in ("tu", "den"):
        if negated:
            raise QueryError(f"Không dùng dấu trừ (-) trước “{name}:”")
        return (name, value.strip())
    return Clause("field", _field_value(name, value.strip()), field=name, negated=negated)


def _field_value(name: str, value: str) -> str:
    if name in ("so", "trichdan"):
        key = reference_key(value)
        if key is None:
            raise QueryError(f"“{value}” không phải một số ký hiệu văn bản (ví dụ: 139/CĐ-TTg)")
        return key
    if name == "nam":
        if not re.fullmatch(r"(19|20)\d\d", value):
            raise QueryError(f"Năm “{value}” không hợp lệ (ví dụ: nam:2024)")
        return value
    if name == "loai":
        return slug(value) or _non_empty("", f"loai:{value}")
    if name == "tinh":
        return province_query_term(value) or _non_empty("", f"tinh:{value}")
    if name == "kiemtra":
        return _yes_or_no(name, value)
    if name == "hieuluc":
        return _validity(value)
    return _non_empty(value, f"{name}:{value}")


def _validity(value: str) -> str:
    """A validity status, by its code or its label, with or without accents ('bi-thay-the',
    '"Bị thay thế"', 'thay-the')."""
    code = slug(value)
    code = VALIDITY_SHORT.get(code, code)
    if code not in VALIDITY_LABELS:
        raise QueryError(f"“hieuluc:” nhận một trong {', '.join(VALIDITY_LABELS)} (ví dụ: "
                         f"hieuluc:bi-thay-the), không nhận “{value}”")
    return code


def _yes_or_no(name: str, value: str) -> str:
    """'co' or 'khong', typed with or without accents, in any case."""
    folded = slug(value)
    if folded not in ("co", "khong"):
        raise QueryError(f"“{name}:” nhận “co” hoặc “khong” (ví dụ: {name}:co), không nhận "
                         f"“{value}”")
    return folded


def _set_date(parsed: ParsedQuery, name: str, value: str) -> None:
    day = parse_day(value)
    if name == "tu":
        parsed.date_from = day.isoformat() if isinstance(day, date) else day
    else:
        parsed.date_to = day.isoformat() if isinstance(day, date) else f"{day}-99"


def parse_day(value: str) -> date | str:
    """'2024-06-30', '30/6/2024' → a date; '2024-06', '6/2024', '2024' → that prefix string."""
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4})", value):
            year, month = (m[1], m[2]) if m[1] else (m[4], m[3])
            return date(int(year), int(month), 1).isoformat()[:7]
        if re.fullmatch(r"(19|20)\d\d", value):
            return value
    except ValueError:
        pass
    raise QueryError(f"Ngày “{value}” không hợp lệ (ví dụ: 2024-06-30 hoặc 30/06/2024)")


def filter_for(facet: str, value: str) -> str:
    """The query filter that narrows a search to one facet value: ('year', '2024') → 'nam:2024',
    ('month', '2024-05') → 'tu:2024-05 den:2024-05'."""
    if facet == "month":
        return f"tu:{value} den:{value}"
    name = FACET_FILTERS[facet]
    if name == "loai":
        return f"loai:{slug(value)}"
    if name in ("tinh", "hieuluc"):
        return f"{name}:{slug(value)}"
    return f'{name}:"{value}"' if " " in value else f"{name}:{value}"
