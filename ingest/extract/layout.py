"""Page layout repair: split interleaved columns and re-join lines broken by the page.

Plain OCR and PDF text extraction read the two-column header row by row, so the issuer and the
national motto share a line (`UY BAN NHAN DAN CONG HOA XA HQI CHU NGHIA VIET NAM`); the same
happens at the foot (`Nơi nhận: TM. ỦY BAN NHÂN DÂN`). `split_header_columns` cuts such lines
where the right-hand column starts. `join_broken_lines` turns lines broken by the page back into
paragraphs, keeping list items, caps headings, the date line and block openers on their own.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ingest.extract import gazetteer
from ingest.folding import FoldedText, fold

log = logging.getLogger(__name__)

_AUTHORITY_START = re.compile(r"(?<=\s)(?:tm|kt|tl|tuq|t/m|k/t|t/l)\.?\s+(?=[a-z])")  # TM. ỦY …
# Where a right-hand column starts, on the folded line (tolerant of OCR damage).
_RIGHT_STARTS = [
    re.compile(r"c\w?ng\s+h\w{1,2}a\s+x\w{1,2}\s+h\w{1,2}i\s+ch"),  # CỘNG HÒA XÃ HỘI CHỦ NGHĨA
    # Độc lập - Tự do - Hạnh phúc
    re.compile(r"\S+\s+\S+\s*[-–]\s*t\w{1,2}\s+d\w\s*[-–—_]+\s*h\w{2,3}h?\s+ph"),
    # ĐẢNG CỘNG SẢN VIỆT NAM (party documents; OCR reads Đ as P)
    re.compile(r"[dp]\w{1,2}ng\s+c\w{1,2}ng\s+s\w{1,2}n\s+vi\w{1,2}t\s+nam"),
    _AUTHORITY_START,
]
# The end of the motto's pattern above: searched first, as its two leading words make the
# whole pattern slow to search (tried at every word of every line), and it holds every match.
_MOTTO_TAIL = re.compile(r"[-–]\s*t\w{1,2}\s+d\w\s*[-–—_]+\s*h\w{2,3}h?\s+ph")
_PLACE_DATE = re.compile(r",\s*ng\w{0,2}y\b")
# 'V/v …' run into the number or date line, as text copied from a web page has it: glued to the
# symbol or the year ('Số: 12/UBND-VXV/v tăng cường …', '… năm 2024V/v …'; the capital V and
# small v are never a symbol's), or after a space on a 'Số:' line or a date line.
_GLUED_SUBJECT = re.compile(r"(?<=[^\W_])V/v\b")
_INLINE_SUBJECT = re.compile(r"\s(?:V/v|Về việc)\s")
_NUMBER_OR_DATE_BEFORE = re.compile(r"^\s*s[o6]\s*:?\s*\S|\bnam\s+\d{4}\s*$")
_RECIPIENT_HEAD = re.compile(r"^\s*n\w{1,2}i\s+nh\w{1,2}n\s*:\s*(?=\S)")


def _place_start(line: str, comma: int) -> int:
    """Start of the capitalised place name ending at `comma` (0 if it starts the line)."""
    words = list(re.finditer(r"\S+", line[:comma]))
    start = comma
    for word in reversed(words[-6:]):
        text = word.group(0)
        if text == "-" and start < comma and word.start() > 0 and line[word.start() - 2:
                                                                     word.start() - 1].isalpha():
            continue  # 'Bà Rịa - Vũng Tàu, ngày …': the dash inside a province's name
        if text.endswith((":", ";")) or not (text[0].isupper() or fold(text) in ("pho", "xa")):
            break
        if len(text) > 1 and text.isupper() and text.isalpha():
            break  # a symbol group ('NN') before the place, not part of it
        start = word.start()
    return _known_place_start(line, start, comma) if start < comma else 0


_LOCALITY_KINDS = {"thanh pho", "tp", "tp.", "thi xa", "tx", "tx.", "huyen", "quan", "phuong",
                   "xa", "thi tran", "tinh", "p.", "x.", "q.", "h.", "tt."}


def _known_place_start(line: str, start: int, comma: int) -> int:
    """The capitalised words before the comma cut to the province they end with, when they are
    not a known place as a whole: a subject's last words run into the date cell ('… sốt xuất
    huyết Dengue Nghệ An, ngày …') are not the place's. A locality's kind stays ('Thành phố Hồ
    Chí Minh')."""
    words = list(re.finditer(r"\S+", line[start:comma]))
    if len(words) < 2 or gazetteer.province(line[start:comma], fuzzy=False):
        return start
    for first in range(1, len(words)):
        before = fold(" ".join(w.group() for w in words[:first])).lower()
        if gazetteer.province(line[start + words[first].start(): comma], fuzzy=False):
            return start if before.split()[-1] in _LOCALITY_KINDS or before in _LOCALITY_KINDS \
                else start + words[first].start()
    return start


_RANK = r"(?:(?:Đại|Thượng|Trung|Thiếu)\s+(?:tướng|tá|úy)\s+)"
# 'KT. GIÁM ĐỐC …', '(Đã ký)': lines of the signing block
def _ends_letter(prev: str, head: str) -> bool:
    """A signing block's line: a prefix line, '(Đã ký)', a name alone, or a post (in any case)
    with the name after it ('Bộ Trưởng Lê Văn An', joined as a web page's text has it)."""
    person = _PERSON_LINE.fullmatch(prev)
    if (person and _is_surname(person.group(1))) or _SIGNING_LINE.match(head):
        return True
    if not _POST_START.match(fold(head)) or len(prev) > _SIGNING_LINE_LENGTH:
        return False
    words = prev.split()
    return any(_PERSON_LINE.fullmatch(" ".join(words[-size:])) and _is_surname(words[-size])
               for size in (2, 3, 4, 5) if size < len(words))


_POST_START = re.compile(
    r"^(?:(?:tm|kt|tl|t/m|k/t|t/l|tuq|q)\.?\s+)?(?:pho\s+)?(?:chu tich|giam doc|bo truong|"
    r"thu truong|truong|chanh|thu tuong|bi thu|cuc truong|vu truong|hieu truong|tong giam doc|"
    r"chu nhiem|vien truong|chi huy truong)\b")
_SIGNING_LINE_LENGTH = 120
_SIGNING_LINE = re.compile(
    r"^\s*(?:(?:TM|KT|TL|TUQ|Q)\.\s|(?:T/M|K/T|T/L)\.?\s|[(\[]\s*(?i:đã ký|ký tên))")
# A line that is a person's name alone, perhaps after a rank: 'Thượng tá Lê Đình Hưng'.
_PERSON_LINE = re.compile(_RANK + r"?([A-ZĐÀ-Ỹ][a-zà-ỹđ]*(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ']*){1,4})")
_TRAILING_NAME = re.compile(
    r"[.;]\s+(" + _RANK + r"?([A-ZĐÀ-Ỹ][a-zà-ỹđ]*)(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]*){1,4})\s*$")
SURNAMES = {
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do",
    "ho", "ngo", "duong", "ly", "dinh", "lo", "vang", "luong", "ha", "ta", "trinh", "dao", "doan",
    "mai", "cao", "lam", "quach", "to", "truong", "thai", "lai", "kieu", "chu", "tong", "luu",
    "giang", "sung", "thao", "ma", "nong", "lieu", "au", "khuat", "dieu", "danh", "thach", "kim",
}


def _is_surname(name: str) -> bool:
    return fold(name.split()[0]) in SURNAMES


_TRAILING_CAPS = re.compile(r"[;,]\s+([A-ZĐ][A-ZĐÀ-Ỹ]+(?:\s+[A-ZĐÀ-Ỹ]+){1,4})\s*$")


def _split_point(line: str) -> int:
    """Index where the right-hand column starts in `line`, or 0 when it does not."""
    # The line's fold (remembered: joining lines asks for it next), its map back made only
    # for a match: of an NFC text, fold and FoldedText fold alike (tests say so).
    made = None if unicodedata.is_normalized("NFC", line) else FoldedText(line)
    folded = fold(line) if made is None else made.folded
    shadow = _LazyShadow(line, made)
    cuts = []
    for pattern in _RIGHT_STARTS:
        if pattern is _RIGHT_STARTS[1] and not _MOTTO_TAIL.search(folded):
            continue
        match = pattern.search(folded)
        if not match or match.start() == 0:
            continue
        cut = shadow.to_original(match.start())
        if pattern is not _AUTHORITY_START or is_caps_line(line[cut:]):  # 'TM. ỦY BAN …'
            cuts.append(cut)
    match = _PLACE_DATE.search(folded)
    if match:
        start = _place_start(line, shadow.to_original(match.start()))
        if start > 0:
            cuts.append(start)
    match = _RECIPIENT_HEAD.match(folded)
    if match:
        cuts.append(shadow.to_original(match.end()))
    # The patterns below are searched only in lines holding what they need: most lines hold
    # none, and a search looks at every character.
    subject = "V/v" in line or "Về việc" in line
    match = subject and _GLUED_SUBJECT.search(line)
    if match:
        cuts.append(match.start())
    match = subject and _INLINE_SUBJECT.search(line)
    if match and _NUMBER_OR_DATE_BEFORE.search(fold(line[: match.start()])):
        cuts.append(match.start() + 1)
    listed = line.lstrip().startswith(("-", "+"))
    trailing = listed and _TRAILING_CAPS.search(line)
    if trailing and len(trailing.group(1)) >= 5:
        cuts.append(trailing.start(1))
    name = listed and _TRAILING_NAME.search(line)
    if name and _is_surname(name.group(2)):
        cuts.append(name.start(1))  # the signer's name beside the last 'Nơi nhận' lines
    cuts = [cut for cut in cuts if line[:cut].strip()]
    return min(cuts) if cuts else 0


class _LazyShadow:
    """A line's FoldedText, made when a position is first mapped back."""

    def __init__(self, line: str, shadow: FoldedText | None) -> None:
        self.line, self.shadow = line, shadow

    def to_original(self, position: int) -> int:
        if self.shadow is None:
            self.shadow = FoldedText(self.line)
        return self.shadow.to_original(position)


def split_header_columns(lines: list[str]) -> list[str]:
    """Split lines where a right-hand column (motto, place/date, signature) was read inline."""
    out: list[str] = []
    for line in lines:
        pending = [line]
        while pending:
            current = pending.pop()
            cut = _split_point(current)
            if cut:
                out.append(current[:cut].rstrip())
                pending.append(current[cut:].strip())
            else:
                out.append(current)
    return out


_MARKER_RE = re.compile(
    r"^\s*(?:[-–—+•*]|\d{1,2}(?:\.\d{1,2})*[.)](?=\s)|[a-zđ]\)|[IVXL]+[.)](?=\s)"
    r"|(?:Điều|Chương|Mục|Phần|Bước)\s+(?:[IVXLC]+|\d+[a-z]?)\b)"
)
_BLOCK_RE = re.compile(
    r"^\s*(?:kinh gui|noi nhan|can cu|v\s*[/&]\s*v\b|s[o6d]\s*:?\s*[\d/]|tran trong|"
    r"(?:tm|kt|tl|tuq|t/m|k/t|t/l)\.?\s|"
    r"\(?kem theo|ve viec\b)"
)
_DATE_LINE_RE = re.compile(r"ng\w{0,2}y\b.*th\w{0,3}ng\b.*n\w{0,2}m\s+\d{4}\s*\.?$")
_FUNCTION_WORDS = {
    "cua", "va", "cac", "voi", "tai", "ve", "cho", "de", "tu", "tren", "theo", "nhung", "duoc",
    "co", "la", "trong", "den", "nham", "thuoc", "hoac", "so", "mot", "nhu", "khi", "bi",
}


@lru_cache(maxsize=8192)  # asked of each line ~2.4 times by the rules of one letter
def is_caps_line(line: str) -> bool:
    letters = list(filter(str.isalpha, line))  # called on every line, often: no Python loop
    if len(letters) < 2:
        return False
    upper = sum(map(str.isupper, letters))
    return upper == len(letters) or (len(letters) >= 8 and upper / len(letters) >= 0.9)


# The first words of a body's name as a header line names it ('ỦY BAN NHÂN DÂN', 'Sở Y tế',
# 'Công an huyện …'), or of its locality line ('TỈNH SƠN LA'); on the folded text.
_HEADER_BODY = re.compile(
    r"^(?:uy ban|ubnd|hdnd|hoi dong|so|bo|ban|phong|cong an|trung tam|chi cuc|cuc|tong cuc|"
    r"van phong|tinh uy|thanh uy|huyen uy|quan uy|dang uy|dang bo|truong|vien|benh vien|"
    r"lien doan|hoi|doan|mat tran|thanh doan|kho bac|chinh phu|quoc hoi|thu tuong|bo chi huy|"
    r"bo tu lenh|tinh|thanh pho|huyen|quan|thi xa|xa|phuong|thi tran|dai hoc|hoc vien|"
    r"tong cong ty|cong ty|ngan hang|toa an|vien kiem sat|bao hiem)\b")
_HEADER_WORDS = 20  # two lines of a header read as one


_NOT_IN_A_NAME = re.compile(r"[.;:!?()\d|»/]")


def is_header_name(text: str, *, typed: bool = False) -> bool:
    """Is `text` a header line naming a body, in capitals or as a web page's source has it
    when its style sheet drew the capitals: title case ('Ủy Ban Nhân Dân Tỉnh Sơn La') or, with
    `typed` (inside the header zone, where nothing else stands), as typed ('Sở Y tế')?"""
    text = " ".join(text.strip(" *-_–").split())
    if not text or _NOT_IN_A_NAME.search(text) or len(text.split()) > _HEADER_WORDS:
        return False
    if is_caps_line(text):
        return True
    if not _HEADER_BODY.match(fold(text)):
        return False
    words = [word for word in text.split() if any(c.isalpha() for c in word)]
    return typed or all(word[0].isupper() or fold(word) == "va" for word in words)


# The labels of a web portal's record of a letter (see ingest.extract.portal_record), folded,
# the longest first, with the field each gives: such a line is never joined to another.
RECORD_FIELDS = {
    "so/ky hieu": "reference", "so ky hieu": "reference", "so hieu van ban": "reference",
    "so hieu": "reference", "ky hieu": "reference", "so van ban": "reference",
    "ngay ban hanh": "date", "ngay ky": "date", "loai van ban": "doc_type",
    "hinh thuc van ban": "doc_type", "co quan ban hanh": "issuer", "don vi ban hanh": "issuer",
    "noi ban hanh": "issuer", "nguoi ky": "signer", "trich yeu noi dung": "subject",
    "trich yeu": "subject", "linh vuc": "field", "ngay co hieu luc": "field",
    "tinh trang hieu luc": "field", "ngay dang": "field",
}
RECORD_LABEL_RE = re.compile(
    r"^\s*(" + "|".join(re.escape(label) for label in RECORD_FIELDS) + r")\s*:\s*(?=\S)")
_END_CHARS = 160


def _continues(prev: str, nxt: str, prev_folded: str | None = None,
               nxt_folded: str | None = None) -> bool:
    """Lenient rule: does `nxt` continue the sentence of `prev` (`prev_folded`, `nxt_folded`:
    their folds, when the caller keeps them)?"""
    nxt_folded = fold(nxt) if nxt_folded is None else nxt_folded
    # The cheap tests first, and those that hold only for a line not in lower case asked only
    # of such lines: most lines joined start in lower case and pass every test (each test is
    # a plain question, so their order does not change the answer).
    lower = nxt[:1].islower()
    if _MARKER_RE.match(nxt) or _BLOCK_RE.match(nxt_folded) or is_caps_line(nxt):
        return False
    prev_folded = fold(prev) if prev_folded is None else prev_folded
    if _is_folded_motto(nxt_folded) or _is_folded_motto(prev_folded) or (
            not lower and is_header_name(nxt)) or _type_heading(prev):
        return False  # header lines as a web page's source types them, not caps
    if (_STAMP_HEAD.match(nxt_folded) or _is_folded_furniture(nxt_folded)
            or _is_folded_furniture(prev_folded)):
        return False  # page furniture stays on its own line, so extraction can leave it out
    # `prev` grows as lines join into it: look only at its ends, or joining goes quadratic.
    head, tail = prev[:_END_CHARS], prev[-_END_CHARS:]
    if not lower and is_caps_line(tail):
        return False
    if not any(c.isalnum() for c in tail) or _NUMBER_LINE.match(fold(head)):
        return False
    # (tail holds a letter or digit: it ends as `prev` does, white space aside)
    if tail.rstrip().endswith((".", ";", ":", "!", "?")):
        return False
    if _PLACE_DATE.search(nxt_folded) and _DATE_LINE_RE.search(nxt_folded):
        return False
    if _DATE_LINE_RE.search(fold(tail)):
        return False
    if RECORD_LABEL_RE.match(nxt_folded) or RECORD_LABEL_RE.match(fold(head)):
        return False  # a web portal's record: one labelled field a line
    if _ends_letter(prev.strip(), head):
        return False  # the signing block ends the letter: a web page's footer may follow
    return not (nxt.startswith("(") and not lower and prev.endswith(")"))


_NUMBER_LINE = re.compile(r"\s*s[o6d]\s*:?\s*[\d/]")


def _continues_across_gap(prev: str, nxt: str, prev_folded: str | None = None,
                          nxt_folded: str | None = None) -> bool:
    """Strict rule across one blank line in normally spaced text."""
    if not _continues(prev, nxt, prev_folded, nxt_folded):
        return False
    last_word = fold(prev.split()[-1]) if prev.split() else ""
    return nxt[:1].islower() or prev.endswith(",") or last_word in _FUNCTION_WORDS


def _double_spaced(items: list[tuple[str, int]]) -> bool:
    """Lines separated by single blank lines even inside sentences (the Lạng Sơn seed)."""
    gaps = [line for line, gap in items if gap == 1]
    lower = sum(line[:1].islower() for line in gaps)
    return lower >= 3 and lower >= 0.3 * len(gaps)


def _glue(prev: str) -> str:
    """What joins `prev` to the line that continues it."""
    if prev.endswith("-") and len(prev) > 1 and prev[-2].isalnum():
        return ""  # a reference or word broken at its hyphen: 85-\nQĐ/TW
    return " "


# Header paragraphs (the subject under a type heading or after 'V/v', 'Kính gửi: …') are often
# followed by the body with no blank line between: there a line continues only when it starts
# in lower case or the line before ends mid-phrase (a comma, a function word).
_HEAD_OPENER = re.compile(
    r"^\s*(?:v\s*[/&]\s*v\b|ve viec\b|ve\s*:|trich yeu\s*:|van de trinh\s*:|kinh gui\b)")
_RECIPIENTS_BY_WIRE = re.compile(r"^.{0,90}\bdien\s*:\s*$")  # 'CHỦ TỊCH … điện:'


def _type_heading(line: str) -> bool:
    """A type heading: 'KẾ HOẠCH', or in title case as a web page's source has it ('Kế Hoạch')."""
    if len(line) > 60:  # first: the paragraphs this is asked about are long
        return False
    words = line.split()
    typed = line[:1].isupper() and len(line) <= _TYPED_HEADING  # 'Kế hoạch' alone on its line
    if not (is_caps_line(line) or (words and all(w[:1].isupper() for w in words)) or typed):
        return False
    return gazetteer.doc_type_name(line) is not None


_TYPED_HEADING = 25


_MOTTO_LINE = re.compile(
    r"^(?:cong hoa xa hoi chu nghia viet nam|doc lap - tu do - hanh phuc|dang cong san viet nam)"
    r"[\W_]*$")


def _is_motto(text: str) -> bool:
    """A whole motto line of the header ('Cộng Hòa Xã Hội Chủ Nghĩa Việt Nam', 'Độc lập - Tự do
    - Hạnh phúc'), not the Republic named inside a sentence wrapped over lines."""
    return _is_folded_motto(fold(text))


def _is_folded_motto(folded: str) -> bool:
    # Asked of whole paragraphs as lines join into them: look at the first word before
    # lower-casing and re-spacing the whole, or joining goes quadratic.
    if not folded.lstrip()[:8].lower().startswith(("cong", "doc", "dang")):
        return False
    return _MOTTO_LINE.match(" ".join(folded.lower().replace("–", "-").split())) is not None


_BODY_OPENER = re.compile(
    r"^(?:thuc hien|can cu|theo|ngay \d|de |trong |nham |hien nay|qua |tiep theo|sau khi|"
    r"vua qua|thoi gian|nam \d|tai |nhan duoc|chieu|sang|toi |hom nay|vao )")
_HEADING_WRAP = 75  # a wrapped subject line is short; a body paragraph's first line is not


def continues_heading(prev: str, nxt: str) -> bool:
    """Does `nxt` carry on a header paragraph (see _HEAD_OPENER)?"""
    last_word = fold(prev.split()[-1]) if prev.split() else ""
    if nxt[:1].islower() or prev.endswith((",", "-", "–")) or last_word in _FUNCTION_WORDS:
        return True
    return (len(nxt) <= _HEADING_WRAP and not _BODY_OPENER.match(fold(nxt))
            and not nxt.rstrip().endswith((".", ":", ";")))


def join_broken_lines(lines: list[str]) -> list[str]:
    """Re-join lines broken by the page into paragraphs; blank lines separate paragraphs."""
    items: list[tuple[str, int]] = []
    gap = 0
    for line in lines:
        if not line.strip():
            gap += 1
            continue
        items.append((line.strip(), gap))
        gap = 0
    spaced = _double_spaced(items)
    out: list[str] = []
    # fold(out[-1]), kept as lines join into it: a table's rows join into one paragraph, and
    # folding it again at each row went quadratic. The fold of text joined at a space or after
    # a hyphen is the folds joined alike (no character composes across those).
    last_folded = ""
    heading = False  # out[-1] is a header paragraph (see _HEAD_OPENER)
    for line, gap in items:
        folded = fold(line)
        if out and out[-1] and gap <= 1 and not _RECIPIENTS_BY_WIRE.match(folded):
            joined = (
                _continues(out[-1], line, last_folded, folded)
                if gap == 0 or spaced
                else _continues_across_gap(out[-1], line, last_folded, folded)
            )
            if joined and heading:
                joined = continues_heading(out[-1], line)
            if joined:
                glue = _glue(out[-1])
                out[-1] += glue + line
                last_folded += glue + folded
                continue
        heading = bool(_HEAD_OPENER.match(folded)) or bool(out and _type_heading(out[-1]))
        if out and gap and not (spaced and gap == 1):
            out.append("")
        out.append(line)
        last_folded = folded
    return out


# Page furniture of texts taken from the official gazette or a signed PDF, never part of the
# letter: the running head ('CÔNG BÁO/Số 271/Ngày 12-05-2026' or 'CÔNG BÁO/Số 1523 + 1524/…'),
# the gazette's section heads, and the digital-signature stamp ('Ký bởi: …' / 'Người ký: …'
# through 'Ngày ký: …' / 'Thời gian ký: …').
_RUNNING_HEAD = re.compile(
    r"^\s*(?:\d{1,4}\s+)?cong bao\s*/\s*so\s+\d+(?:\s*\+\s*\d+)*\s*/\s*ngay\s+"
    r"\d{1,2}-\d{1,2}-\d{4}(?:\s+\d{1,4})?\s*$"
)
_SECTION_HEAD = re.compile(
    r"^\s*van ban (?:quy pham phap luat|phap luat khac|hop nhat(?:\s*-\s*.{3,60})?)\s*$")
_STAMP_HEAD = re.compile(r"^\s*(?:ky boi|nguoi ky)\s*:\s*\S")
_STAMP_END = re.compile(r"^(?:.*\s)?(?:ngay ky|thoi gian ky)\s*:\s*\d{1,4}[-./]\d{1,2}[-./]\d{1,4}")
_STAMP_LINES = 8
# the one-line stamp of a digitally certified copy: 'SAO Y; CÔNG AN TỈNH …; 06/01/2026; 16:42:26;
# +07:00' (OCR may read the last ';' as ':')
_COPY_STAMP = re.compile(
    r";\s*\d{1,2}/\d{1,2}/\d{4}\s*;\s*\d{1,2}:\d{2}(?::\d{2})?\s*[;:]\s*[+-]\d{2}:?\d{2}\s*$")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")


def is_furniture(text: str) -> bool:
    """A running head of the official gazette, a line of its own (see content_lines)."""
    return _is_folded_furniture(fold(text))


def _is_folded_furniture(folded: str) -> bool:
    # _STAMP_END backtracks over the whole text, asked of paragraphs as they grow: only where
    # its words stand
    stamp_end = ("ngay ky" in folded or "thoi gian ky" in folded) and _STAMP_END.match(folded)
    return bool(_RUNNING_HEAD.match(folded) or stamp_end or _COPY_STAMP.search(folded))


def _furniture_indices(lines: list[str], folded: list[str] | None = None) -> set[int]:
    folded = [fold(line) for line in lines] if folded is None else folded
    out: set[int] = set()
    for index, text in enumerate(folded):
        if _RUNNING_HEAD.match(text):
            out.add(index)
            for step in (-1, 1):  # the page number printed beside the running head
                near = index + step
                while 0 <= near < len(lines) and not lines[near].strip():
                    near += step
                if 0 <= near < len(lines) and _PAGE_NUMBER.match(lines[near]):
                    out.add(near)
        elif (_SECTION_HEAD.match(text) and is_caps_line(lines[index])) or _COPY_STAMP.search(text):
            out.add(index)
        elif _STAMP_HEAD.match(text):
            window = folded[index: index + _STAMP_LINES]
            end = next((i for i, t in enumerate(window) if _STAMP_END.match(t)), None)
            if end is not None:
                out.update(range(index, index + end + 1))
    return out


@dataclass(frozen=True)
class Line:
    """One line of the cleaned text with its offsets."""

    index: int
    start: int
    end: int
    text: str

    @cached_property  # asked of every line by every reader of the letter
    def folded(self) -> str:
        return fold(self.text)

    @cached_property
    def shadow(self) -> FoldedText:
        """The line folded with its map back (several readers of a letter's top ask for it)."""
        return FoldedText(self.text)


def text_lines(text: str) -> list[Line]:
    lines, start = [], 0
    for index, line in enumerate(text.split("\n")):
        lines.append(Line(index, start, start + len(line), line))
        start += len(line) + 1
    return lines


def content_lines(text: str) -> list[Line]:
    """The lines of `text` without page furniture (gazette running heads with their page
    numbers, section heads, signature stamps); each keeps its offsets into `text`, so spans
    point into the stored text, which keeps the furniture. Indices are renumbered."""
    lines = text_lines(text)
    # Each line's fold is kept on it (Line.folded): every reader of the letter asks for it
    dropped = _furniture_indices([line.text for line in lines], [line.folded for line in lines])
    if not dropped:
        return lines
    kept = [line for line in lines if line.index not in dropped]
    renumbered = [Line(index, line.start, line.end, line.text) for index, line in enumerate(kept)]
    for new, old in zip(renumbered, kept, strict=True):
        new.__dict__["folded"] = old.folded  # the same text: the same fold
    return renumbered
