"""How a letter relates to each document it cites, read from the words around the citation.

'Căn cứ Nghị định số 30/2020/NĐ-CP …' is a legal basis (`can_cu`), 'Quyết định này thay thế
Quyết định số 1480/QĐ-TTg …' a replacement (`thay_the`), 'bãi bỏ khoản 2 Điều 8 Thông tư số …' a
repeal of a part (`bai_bo`, scope 'khoản 2 Điều 8'), 'V/v trả lời Công văn số …' a reply
(`tra_loi`). RELATIONS names each relation both ways in Vietnamese, for the pages.

The words are read on the folded text (no diacritics, lower case), so OCR'd letters without
marks read the same. Each mention of a cited document is read on its own:

1. inside quotation marks (the new wording an amendment writes) it is a plain reference;
2. a paragraph opened by 'Căn cứ' cites everything in it as a basis, one opened by 'Theo đề
   nghị', 'Xét' or 'Sau khi xem xét' everything as a request (the preamble's items);
3. a verb right before it ('thay thế', 'bãi bỏ', 'sửa đổi, bổ sung', 'hướng dẫn', 'đính chính',
   'trả lời', 'thực hiện' …, with only a scope, 'của', 'tại' and the type word between) gives its
   relation, unless the verb is passive ('được sửa đổi, bổ sung bởi Luật số …': another
   document's doing) or describes an earlier citation of the same clause ('Nghị định số 11/2011
   sửa đổi, bổ sung Nghị định số 159/2006': 159/2006 is what 11/2011 amends);
4. a document listed right after another ('… và Nghị định số …') takes that one's relation;
5. an item of a list ('a) Nghị định số …') takes the verb of the list's heading ('Các Nghị định
   sau hết hiệu lực …:', 'Bãi bỏ các quy định sau:');
6. the first document after a paragraph's opening verb ('Thực hiện', 'Trả lời', 'Phúc đáp',
   'V/v trả lời', 'Báo cáo kết quả thực hiện') takes it;
7. 'hết hiệu lực', 'bị bãi bỏ' after it in the same sentence make it repealed;
8. anything else is a plain reference (`tham_chieu`).

A document mentioned several times takes the strongest of its mentions' relations (RANK: a
repeal before an amendment before a basis …), and the scope written at a mention of that
relation ('điểm c khoản 5 Điều 8'; a named part before a vague 'một số điều').
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.folding import FoldedText

# -- the relations and their names ------------------------------------------------------------


@dataclass(frozen=True)
class Relation:
    """A relation's stable code and its Vietnamese names: `forward` as the citing letter does it
    ('thay thế'), `backward` as the cited document undergoes it ('bị thay thế bởi')."""

    code: str
    forward: str
    backward: str


CAN_CU, THUC_HIEN, HUONG_DAN, SUA_DOI = "can_cu", "thuc_hien", "huong_dan", "sua_doi"
THAY_THE, BAI_BO, DINH_CHINH, TRA_LOI = "thay_the", "bai_bo", "dinh_chinh", "tra_loi"
DE_NGHI, THAM_CHIEU = "de_nghi", "tham_chieu"

RELATIONS: dict[str, Relation] = {r.code: r for r in (
    Relation(CAN_CU, "căn cứ", "là căn cứ của"),
    Relation(THUC_HIEN, "thực hiện", "được thực hiện bởi"),
    Relation(HUONG_DAN, "hướng dẫn", "được hướng dẫn bởi"),
    Relation(SUA_DOI, "sửa đổi, bổ sung", "bị sửa đổi, bổ sung bởi"),
    Relation(THAY_THE, "thay thế", "bị thay thế bởi"),
    Relation(BAI_BO, "bãi bỏ", "bị bãi bỏ bởi"),
    Relation(DINH_CHINH, "đính chính", "được đính chính bởi"),
    Relation(TRA_LOI, "trả lời", "được trả lời bởi"),
    Relation(DE_NGHI, "theo đề nghị tại", "là đề nghị được xem xét tại"),
    Relation(THAM_CHIEU, "trích dẫn", "được trích dẫn bởi"),
)}


def relation_of(code: str | None) -> Relation:
    """The relation of a code; a citation read before relations were (None) or typed by hand is
    a plain reference."""
    return RELATIONS.get(code or THAM_CHIEU, RELATIONS[THAM_CHIEU])


# -- validity: what later letters did to an archived one (derived, never stored) ---------------

IN_FORCE, AMENDED, REPLACED, REPEALED = "con-hieu-luc", "bi-sua-doi", "bi-thay-the", "bi-bai-bo"
VALIDITY_LABELS = {IN_FORCE: "Còn hiệu lực", AMENDED: "Bị sửa đổi", REPLACED: "Bị thay thế",
                   REPEALED: "Bị bãi bỏ"}
# The relations that change a document's validity; a replacement or repeal of a part (a scope
# written) leaves the rest in force, so it counts as an amendment.
VALIDITY_RELATIONS = (BAI_BO, THAY_THE, SUA_DOI)
# Statuses from the strongest: a repealed document is repealed, whatever amended it before.
VALIDITY_ORDER = (REPEALED, REPLACED, AMENDED)


def validity_of(relation: str, scope: str | None) -> str:
    """The status a later letter's relation gives the document it cites."""
    if relation == BAI_BO and not scope:
        return REPEALED
    if relation == THAY_THE and not scope:
        return REPLACED
    return AMENDED if relation in VALIDITY_RELATIONS else IN_FORCE


# A reply thread joins a letter to the one it answers: a reply, or a report on carrying out a
# directive ('Thực hiện Công văn số …, Sở Y tế báo cáo …' from a Báo cáo).
REPLY_RELATIONS = (TRA_LOI,)
REPORT_RELATIONS = (TRA_LOI, THUC_HIEN)


# -- reading a mention --------------------------------------------------------------------------

# The strongest relation of a document's mentions wins: whole repeals and replacements, then
# amendments (a letter amending a document and repealing some of its articles amends it), then
# partial repeals and replacements, corrections, guidance, implementation, replies, requests,
# bases, plain references.
RANK = (BAI_BO, THAY_THE, SUA_DOI, "partial", DINH_CHINH, HUONG_DAN, THUC_HIEN, TRA_LOI,
        DE_NGHI, CAN_CU, THAM_CHIEU)

_TYPES = (
    "thong tu lien tich", "nghi quyet lien tich", "van ban hop nhat", "van ban quy pham phap luat",
    "cong van", "cong dien", "quyet dinh", "ke hoach", "quy dinh", "nghi dinh", "thong tu",
    "chi thi", "nghi quyet", "van ban", "thong bao", "huong dan", "bao cao", "to trinh",
    "bo luat", "luat", "ket luan", "chuong trinh", "de an", "quy che", "phuong an", "giay moi",
    "phap lenh", "lenh", "hien phap", "dieu le",
)
_TYPE = "(?:" + "|".join(_TYPES) + ")"
# The end of the text before a number: its type word and 'số' ('… Nghị định số ', 'Thông tư ',
# 'Luật Tổ chức Chính phủ số ', 'tại các văn bản: số ').
_TYPE_TAIL = re.compile(
    r"(?:\b(?:cac\s+|nhung\s+)?(?:" + _TYPE + r")(?:\s+(?:nay|do))?"
    r"|\b(?:bo luat|luat|phap lenh)(?:\s+[a-z,-]+){1,10}?)?"
    r"\s*(?:\bs[o06]\s*[:.]?\s*)?$")
# A scope: 'điểm c khoản 5 Điều 8', 'khoản 2, 3, 4, 5 Điều 27', 'Điều 17, Điều 18 và khoản 1
# Điều 20', 'Mục II', 'Phụ lục 4'; or the vague 'một số điều'.
_UNIT = r"(?:diem|khoan|dieu|chuong|muc|phan|phu luc|tiet|bang)"
_ID = r"(?:\d+[a-z]?(?:\.[0-9a-z]+)*|[a-z](?=[\s,.])|[ivxlc]+\b)"
_PART = _UNIT + r"\s+" + _ID + r"(?:\s*(?:,|va|hoac|den)\s*(?:" + _UNIT + r"\s+)?" + _ID + r")*"
_SCOPE = re.compile(
    r"\b(?P<scope>" + _PART + r"(?:\s*,?\s*(?:va\s+|cua\s+)?" + _PART + r")*"
    r"|mot so (?:dieu|khoan|diem|noi dung|quy dinh)(?:\s*,\s*(?:khoan|diem))*)"
    r"(?:\s+(?:cua|tai))?\s*$")
_VAGUE = re.compile(r"\bmot so (?:dieu|khoan|diem|noi dung|quy dinh)(?:\s*,\s*(?:khoan|diem))*")
_WHOLE = re.compile(r"\btoan bo(?:\s+(?:noi dung|cac quy dinh))?(?:\s+(?:cua|tai))?\s*$")
# Words that may stand between a relation's verb and the document ('bãi bỏ các quy định tại',
# 'đính chính lỗi kỹ thuật tại', 'hướng dẫn thi hành', 'thực hiện ý kiến chỉ đạo của … tại').
_LINK_WORDS = frozenset((
    "cua", "tai", "cac", "nhung", "van", "ban", "quy", "dinh", "noi", "dung", "dieu", "khoan",
    "loi", "ky", "thuat", "thi", "hanh", "thuc", "hien", "boi", "theo", "y", "kien", "chi", "dao",
    "yeu", "cau", "duoc", "kem", "nay", "sau", "day", "mot", "so", "trien", "khai",
    # how it is carried out: 'thực hiện nghiêm túc, hiệu quả, kịp thời, đầy đủ Kế hoạch số …'
    "nghiem", "tuc", "hieu", "qua", "tot", "du", "kip", "thoi"))
# '… của Chủ tịch Ủy ban nhân dân tỉnh tại …': the body whose document it is.
_OF_BODY_AT = re.compile(r"\bcua\s+[^;.\n]{1,90}?\s+tai\b")
# Verbs and phrases before a document, and the relation each gives (folded, lower case).
_CUES: tuple[tuple[str, str], ...] = (
    (r"bai bo|huy bo|het hieu luc|ngung hieu luc|bai bo toan bo", BAI_BO),
    (r"thay the(?: cho)?", THAY_THE),
    (r"sua doi(?:\s*,?\s*(?:bo sung|bai bo|thay the))*|bo sung(?:\s*,?\s*sua doi)?"
     r"|dieu chinh(?:\s*,?\s*bo sung)?", SUA_DOI),
    (r"dinh chinh", DINH_CHINH),
    (r"huong dan(?: thi hanh| thuc hien| chi tiet)?|quy dinh chi tiet(?: va huong dan"
     r"(?: thi hanh)?)?", HUONG_DAN),
    (r"thuc hien|trien khai(?: thuc hien)?|thi hanh|theo chi dao"
     r"|y kien chi dao", THUC_HIEN),
    (r"tra loi|phuc dap", TRA_LOI),
    (r"theo de nghi|xet de nghi|theo de xuat|sau khi xem xet|xet", DE_NGHI),
    (r"can cu(?: vao)?", CAN_CU),
    # plain references: a provision applied, an alias, an annex, a standard's act
    (r"theo quy dinh(?: tai| cua)?|theo huong dan(?: tai| cua)?|neu tai|duoc ban hanh tai"
     r"|goi tat la|goi la|tiep theo"
     r"|bao cao(?: ket qua| tinh hinh)?(?: thuc hien| trien khai)?|(?<!kem )theo", THAM_CHIEU),
)
_CUE_RE = re.compile(r"\b(?:" + "|".join(f"(?P<c{i}>{p})" for i, (p, _) in enumerate(_CUES))
                     + r")\b")
_PASSIVE_BEFORE = re.compile(r"\b(?:duoc|bi|da duoc|da bi)\s*$")
# A verb after the cited document's type word is a title ('Luật sửa đổi, bổ sung … Luật …'),
# unless the letter names itself ('Nghị định này thay thế') or issues it ('ban hành Nghị định
# sửa đổi …').
_TITLE_BEFORE = re.compile(r"\b" + _TYPE + r"[ \t]*$")
_OWN_TITLE_BEFORE = re.compile(r"(?:\bnay|\bban hanh\s+" + _TYPE + r")\s*$")
# A verb the letter says itself after an earlier citation of the clause: '… và bãi bỏ …',
# '…, đồng thời thay thế …'.
_OWN_VERB_BEFORE = re.compile(r"(?:\bva|\bdong thoi|\bhoac)\s*$")

# Paragraph openings: the preamble's items, a reply's or a report's first words.
_DOMINANT_HEADS = (
    (re.compile(r"can cu\b"), CAN_CU),
    (re.compile(r"(?:theo|xet) (?:de nghi|de xuat)\b|xet (?:to trinh|bao cao|van ban|cong van)\b"
                r"|sau khi xem xet\b"), DE_NGHI),
)
_HEADS = (
    (re.compile(r"(?:tra loi|phuc dap)\b"), TRA_LOI),
    (re.compile(r"(?:bao cao\s+)?(?:ket qua|tinh hinh)\s+(?:thuc hien|trien khai)\b"
                r"|bao cao\s+(?:viec\s+)?(?:thuc hien|trien khai)\b"), TRA_LOI),
    (re.compile(r"(?:tiep tuc\s+|de\s+)?(?:thuc hien|trien khai|thi hanh)\b"), THUC_HIEN),
)
_DOCUMENT_FIRST = re.compile(r"\s*(?:(?:(?:cac|nhung)\s+)?" + _TYPE + r"|so|cua)\b")
_HEAD_PREFIX = re.compile(r"\s*(?:(?:v/v|ve viec|v\.v)\s*:?\s*|[-+*•]\s*|\(?[a-z\d]{1,3}[.)]\s+)*")
# A paragraph begins after a line ending in ; . : or a blank line, or at a line opening with one
# of these (the text's own lines wrap inside a paragraph on a scan).
_OPENER = re.compile(
    r"(?:can cu|theo de nghi|xet|sau khi|thuc hien|trien khai|tra loi|phuc dap|kinh gui|v/v|"
    r"ve viec|dieu \d+|chuong [ivxlc\d]+|noi nhan|\d+(?:\.\d+)*[.)]\s|[a-z][)]\s|[-+*•]\s)")
_LIST_ITEM = re.compile(r"\s*(?:\d+(?:\.\d+)*[.)]|[a-z][)]|[-+*•])\s")
# A list's heading holding the verb its items take: 'Các Nghị định sau hết hiệu lực …:',
# 'Bãi bỏ các quy định sau:' (not 'Sửa đổi, bổ sung Điều 10 như sau:', new wording follows).
_LIST_HEADING = re.compile(r"\b(?:cac|nhung)\b(?:(?!nhu sau)[^:])*\bsau(?: day)?\b[^:]*:\s*$")
_AFTER = re.compile(
    r"\bhet hieu luc\b|\b(?:bi|duoc) (?:bai bo|huy bo)\b(?!\s+(?:boi|tai|theo))"
    r"|\b(?:bi|duoc) thay the\b(?!\s+(?:boi|bang|tai))")
_SENTENCE_END = re.compile(r"[;]|\.(?=\s)|:\s*\n|\n\s*\n")
# Coordinated with the document before: '…, Nghị định số', '… và Thông tư số', '; Luật … số'.
_COORDINATED = re.compile(r"(?:,|;|\bva|\bhoac)\s*$")


_QUOTE = re.compile("[\u201c\u201d\"]")
_QUOTE_REACH = 5000
_LIST_LOOKBACK = 30  # paragraphs walked back to an item's heading
_FURNITURE = 40  # a line this short between items, not a heading, is a page's header or number
# A printed page's header or number inside a paragraph that goes on over it.
_FURNITURE_LINE = re.compile(r"\d{1,4}|cong bao\b.*|trang \d+(?:/\d+)?|[-_=*. ]+")


@dataclass(frozen=True)
class Mention:
    """How one mention reads: its relation and the scope written at it (as in the text)."""

    relation: str
    scope: str | None = None

    @property
    def rank(self) -> int:
        if self.relation in (BAI_BO, THAY_THE) and self.scope and not _vague(self.scope):
            return RANK.index("partial")
        return RANK.index(self.relation)


def _vague(scope: str) -> bool:
    return scope.lower().startswith(("một số", "mot so"))


class MentionReader:
    """Reads the mentions of one text in order (`read`), each against the text around it.
    `shadow` is the text's case-keeping fold (ingest.folding.FoldedText)."""

    def __init__(self, shadow: FoldedText) -> None:
        self.shadow = shadow
        self.text = shadow.folded.lower()  # one char for one char of the case-keeping fold
        self.paragraphs = _paragraph_starts(self.text, shadow.folded)
        self.quoted = _quoted_spans(shadow.original)
        self.starts: list[int] = []  # where the mentions read so far begin (folded)
        self.previous: tuple[int, int, Mention] | None = None  # start, end, reading

    def read(self, start: int, end: int) -> Mention:
        """The reading of the mention at folded [start, end)."""
        mention = self._read(start, end)
        self.starts.append(start)
        self.previous = (start, end, mention)
        return mention

    def _read(self, start: int, end: int) -> Mention:
        if _inside(self.quoted, self.shadow.to_original(start)):
            return Mention(THAM_CHIEU)
        text = self.text
        para = self.paragraphs[bisect.bisect_right(self.paragraphs, start) - 1]
        clause = _clause_start(text, para, start)
        previous = self.previous if self.previous and self.previous[1] > clause else None
        listed = False  # the next item of a list after a ';' ('… thay thế Quyết định số 1 …;
        if previous is None and self.previous and self.previous[1] > para and (  # Quyết định
                _DOCUMENT_FIRST.match(text, clause)):  # số 2 …')
            previous, listed = self.previous, True
        window = max(clause, previous[1] if previous else 0, start - 300)
        before, scope_span = _strip_scope(text[window:start])
        first = not self.starts or self.starts[-1] < para  # the paragraph's first document
        if first and clause == para:
            relation = _head_relation(text, para, start)
            if relation:
                return Mention(relation, self._scope(window, scope_span))
        cue = _cue_before(before, first_in_clause=previous is None)
        if scope_span is None and cue.relation is not None:
            scope_span = _vague_scope(before, cue.end)
        scope = self._scope(window, scope_span)
        if cue.relation is not None and cue.relation != THAM_CHIEU:
            return Mention(cue.relation, scope)
        coordinated = previous is not None and (listed or _COORDINATED.search(before) is not None)
        if not cue.own or (previous is not None and not coordinated):
            # written for another document: a title's ('Luật sửa đổi một số điều của …'), or
            # for the document cited before it ('… sửa đổi, bổ sung một số điều của …')
            scope = None
        # the preamble's item, and the documents listed after a ';' or ':' in it ('Căn cứ Luật
        # số …; Luật sửa đổi … số …', 'tại các văn bản: số …; của …'), not a sentence of its own
        item = clause == para or _DOCUMENT_FIRST.match(text, clause) is not None
        if item:
            relation = self._dominant(para)
            if relation:
                return Mention(relation, scope)
        if cue.relation == THAM_CHIEU:
            return Mention(THAM_CHIEU, scope)
        if previous and coordinated:
            return Mention(previous[2].relation, scope)
        if first and _LIST_ITEM.match(text, para):
            relation = self._list_heading(para)
            if relation:
                return Mention(relation, scope)
        if _repealed_after(text, end):
            return Mention(BAI_BO, scope)
        return Mention(THAM_CHIEU, scope)

    def _scope(self, window: int, span: tuple[int, int] | None) -> str | None:
        """The scope as the text writes it, in one line, parts in lower case but 'Điều',
        'Chương', 'Mục', 'Phần', 'Phụ lục' ('Khoản 2 Điều 8' → 'khoản 2 Điều 8')."""
        if span is None:
            return None
        written = " ".join(self.shadow.slice(window + span[0], window + span[1]).split())
        return re.sub(r"^(Khoản|Điểm|Một|Tiết)\b", lambda m: m.group(1).lower(), written)

    def _dominant(self, para: int) -> str | None:
        """The relation of a preamble item's opening ('Căn cứ', 'Theo đề nghị'), for the
        paragraph at `para` or, when it opens with a document ('Luật … số …;' on its own line
        under 'Căn cứ Luật … số …;'), for the item it goes on from."""
        index = bisect.bisect_right(self.paragraphs, para) - 1
        for back in range(index, max(-1, index - _LIST_LOOKBACK), -1):
            start = self.paragraphs[back]
            head = _HEAD_PREFIX.sub("", self.text[start:start + 80], count=1)
            for pattern, relation in _DOMINANT_HEADS:
                if pattern.match(head):
                    return relation
            if not _DOCUMENT_FIRST.match(head):
                return None
        return None

    def _list_heading(self, para: int) -> str | None:
        """The relation the heading of the list holding the item at `para` gives its items."""
        index = bisect.bisect_right(self.paragraphs, para) - 1
        for back in range(index - 1, max(-1, index - 1 - _LIST_LOOKBACK), -1):
            start, stop = self.paragraphs[back], self.paragraphs[back + 1]
            line = self.text[start:stop].strip()
            if len(line) <= _FURNITURE and not line.endswith(":"):
                continue  # page furniture between the items: 'CÔNG BÁO/Số 229/Ngày …', '72'
            if _LIST_HEADING.search(line):
                for match in _CUE_RE.finditer(line):
                    relation = _cue_relation(match)
                    if relation != THAM_CHIEU:
                        return relation
                return None
            if not _LIST_ITEM.match(self.text, start):
                return None
        return None


def _paragraph_starts(text: str, cased: str) -> list[int]:
    """Where each paragraph begins: at a line opening with one of _OPENER, or after a line
    ending in ; . : or a blank line, unless the line goes on in lower case (a paragraph
    running on over a page's furniture: 'Bộ Lao động - Thương ⏎ CÔNG BÁO/Số 303 ⏎ 7 ⏎ binh và
    Xã hội …')."""
    starts = [0]
    ended = True  # the text before ended a sentence (or there is none)
    for match in re.finditer(r"[ \t]*([^\n]*)\n?", text):
        at, line = match.start(1), match.group(1).rstrip()
        if not line:
            ended = True  # a blank line ends a paragraph
            continue
        if _FURNITURE_LINE.fullmatch(line):
            continue
        caps = not any(c.islower() for c in cased[at:at + len(line)])  # 'THÔNG TƯ', 'CHÍNH PHỦ'
        if at and (caps or _OPENER.match(text, at) or (ended and not cased[at].islower())):
            starts.append(at)
        ended = caps or line[-1] in ";.:"
    return starts


def _clause_start(text: str, para: int, start: int) -> int:
    """Where the clause holding `start` begins: after the last ';', '. ' or ': ' of its
    paragraph."""
    found = para
    for match in re.finditer(r";|\.\s|:\s", text[para:start]):
        found = para + match.end()
    return found


def _strip_scope(before: str) -> tuple[str, tuple[int, int] | None]:
    """The text before a mention without its type word and scope, and where the scope stands
    in `before`."""
    before = _TYPE_TAIL.sub("", before, count=1)
    match = _SCOPE.search(before)
    if match:
        return before[:match.start()], match.span("scope")
    whole = _WHOLE.search(before)
    return (before[:whole.start()] if whole else before), None


def _head_relation(text: str, para: int, start: int) -> str | None:
    """The relation of the words opening the paragraph at `para` ('Thực hiện', 'Trả lời',
    'V/v báo cáo kết quả thực hiện') when only link words stand between them and the document
    at `start` (its type word and scope apart)."""
    at = _HEAD_PREFIX.match(text, para).end()
    for pattern, relation in _HEADS:
        match = pattern.match(text, at, start)
        if match and _links_only(_strip_scope(text[match.end():start])[0]):
            return relation
    return None


def _cue_relation(match: re.Match[str]) -> str:
    return next(_CUES[int(name[1:])][1] for name, value in match.groupdict().items()
                if value is not None)


def _links_only(tail: str) -> bool:
    return all(word in _LINK_WORDS for word in re.findall(r"[a-z]+", _OF_BODY_AT.sub(" ", tail)))


@dataclass(frozen=True)
class _Cue:
    """The verb before a mention: its relation (None: no verb), whether it is the letter's own,
    and where it ends in the text before the mention."""

    relation: str | None
    own: bool = True
    end: int = 0


def _cue_before(before: str, *, first_in_clause: bool) -> _Cue:
    """The verb standing right before a mention (only link words between). A passive verb, a
    document's title or a verb describing an earlier citation of the clause is not the
    letter's own: the plain reference."""
    found = None
    for match in reversed(list(_CUE_RE.finditer(before))):
        if _links_only(before[match.end():]):
            found = match
        break
    if found is None:
        return _Cue(None)
    relation = _cue_relation(found)
    head, tail = before[:found.start()], before[found.end():]
    if relation in (CAN_CU, DE_NGHI, THAM_CHIEU):
        return _Cue(relation, True, found.end())
    if (_PASSIVE_BEFORE.search(head) or re.search(r"\bboi\b", tail)
            or (_TITLE_BEFORE.search(head) and not _OWN_TITLE_BEFORE.search(head))
            or (not first_in_clause and not _OWN_VERB_BEFORE.search(head))):
        return _Cue(THAM_CHIEU, False, found.end())
    return _Cue(relation, True, found.end())


def _vague_scope(before: str, start: int) -> tuple[int, int] | None:
    """'một số điều' between a verb and the document ('Sửa đổi một số điều của Quy định ban
    hành kèm theo Quyết định số …')."""
    match = _VAGUE.search(before, start)
    return match.span() if match else None


def _repealed_after(text: str, end: int) -> bool:
    """'hết hiệu lực', 'bị bãi bỏ' later in the mention's sentence."""
    stop = _SENTENCE_END.search(text, end)
    return _AFTER.search(text, end, stop.start() if stop else len(text)) is not None


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each passage inside quotation marks (an amendment's new wording): from
    an opening “ (or a straight quote opening a word) to the next closing ” or straight quote;
    a quote not closed within 5,000 characters is left alone."""
    spans = []
    opened: int | None = None
    for match in _QUOTE.finditer(text):
        at, mark = match.start(), match.group()
        if opened is not None and at - opened > _QUOTE_REACH:
            opened = None
        if opened is None:
            # new wording follows a colon ('… như sau:\n“Điều 3. …”'); a word quoted in a
            # sentence ('xã “không ma túy”', or an OCR'd stray mark) is not one
            if (mark == "\u201c" or (mark == '"' and _opens(text, at))) and _after_colon(text, at):
                opened = at + 1
        elif mark != "\u201c":
            spans.append((opened, at))
            opened = None
    return spans


def _after_colon(text: str, at: int) -> bool:
    return text[max(0, at - 20):at].rstrip().endswith(":")


def _opens(text: str, at: int) -> bool:
    """A straight quote opening a passage: after a space, a line's start or ':', before a word."""
    before = text[at - 1] if at else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    return (before.isspace() or before in ":(") and not after.isspace()


def _inside(spans: Sequence[tuple[int, int]], at: int) -> bool:
    index = bisect.bisect_right(spans, (at, len(spans) and 1 << 62)) - 1
    return any(start <= at < end for start, end in spans[max(0, index - 3):index + 1])


def strongest(mentions: Sequence[Mention]) -> Mention:
    """The relation that wins among a document's mentions, with the best scope written at a
    mention of it (a named part before a vague 'một số điều')."""
    best = min(mentions, key=lambda m: m.rank)
    scoped = [m.scope for m in mentions if m.rank == best.rank and m.scope]
    named = [scope for scope in scoped if not _vague(scope)]
    return Mention(best.relation, (named or scoped or [None])[0])
