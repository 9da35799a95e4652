"""The foot of a letter: the signature block (authority, title, name) and 'Nơi nhận'.

Authority prefixes stack (`TL. CHỦ TỊCH` / `KT. CHÁNH VĂN PHÒNG` / `PHÓ CHÁNH VĂN PHÒNG` / name):
the signing `authority` is the outermost prefix, the one of the issuing body or its head, and
`on_behalf_of` the body or post it names; `own_authority` is the prefix just above the title, the
signer's own (`KT.` here); `authority_lines` keeps every prefix line as the letter has it ('TL.
Chủ tịch', 'KT. Chánh Văn phòng') so the block can be shown whole. Party `T/M`, `K/T`, `T/L` are
`TM.`, `KT.`, `TL.`.
Inside the block, lines that are not the block's are passed over: phone and e-mail lines, stray
OCR glyphs, a seal's text, the gazette's running heads, page numbers and "Ký bởi:" stamps, and
approval boxes ("DUYỆT", "Người lập biểu", "Xác nhận của …") with their own names. Runs glued
together by a DOCX reader ("DÂNCHỦ TỊCHHồ Văn Mười") are split where a line break was lost.
OCR often interleaves the signature column with 'Nơi nhận' (`- Như trên; CHỦ TỊCH`); the cleaning
step splits such lines, and here distribution items skip the signature lines between them.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from ingest.extract import gazetteer
from ingest.extract.issuers import canonical_body, capitalize_org
from ingest.extract.layout import SURNAMES, Line, is_caps_line
from ingest.folding import fold

log = logging.getLogger(__name__)

_AUTHORITY_RE = re.compile(r"^\s*(TM|KT|TL|TUQ|Q|T/M|K/T|T/L)\s*(?:\.\s*|\s+)(\S.*)$")
# 'Nơi nhận:' alone, or followed by the signing column that OCR ran into its line ('Nơi nhận:
# KT. GIÁM ĐỐC'); OCR may garble the first word ('NaG nhận:').
_RECIPIENTS_HEAD = re.compile(r"^\s*n\w{0,3}\s+nh\w{1,2}n\s*(?::|$)")
_ITEM_RE = re.compile(r"^\s*[-–—+•]\s*(.*)$")
_SIGNED_NOTE = re.compile(r"^\s*[(\[]?\s*(?:đã ký|da ?ky\b|ký\b|ky\b|chữ ký số|\(?ký tên)",
                          re.IGNORECASE)
# Lines of the foot that belong to no signing block (matched on folded text).
_NOISE = re.compile(
    r"^(?:cong bao\s*/|"  # the gazette's running head: CÔNG BÁO/Số 271/Ngày …
    r"(?:ky boi|co quan|ngay ky|thoi gian ky|email|e-mail|mail|dt|dtdd|dien thoai|so dien thoai"
    r"|fax|website|trang tin|dia chi)\s*:|"  # signature stamps and contact lines
    r"xac thuc van ban hop nhat\s*$|so\s*:)"
)
_DATE_LINE = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b\s*\d{0,4}\W*$")
_APPROVAL = re.compile(
    r"^(?:duyet|phe duyet|nguoi duyet|nguoi lap(?: bieu)?|nguoi kiem tra|nguoi soan(?: thao)?"
    r"|xac nhan(?: cua)?|y kien (?:cua|phe duyet|chi dao)|lanh dao (?:phe )?duyet)\b"
)
_GLYPHS = " \t|~®©*•_#=<>\"'`^°¦§¤“”„«»"
# Ranks before a name, folded (OCR may garble their marks: 'Thiêu tướng').
_RANKS = {"dai tuong", "thuong tuong", "trung tuong", "thieu tuong", "dai ta", "thuong ta",
          "trung ta", "thieu ta", "dai uy", "thuong uy", "trung uy", "thieu uy"}
# A Vietnamese syllable, folded: initial consonants, one to three vowels, a final consonant.
_SYLLABLE = re.compile(
    r"^(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?$"
)
_POST_HEAD = re.compile(
    r"^(?:q\.\s*)?(?:phó\s+)?(?:tổng\s+)?(?:chủ tịch|giám đốc|bí thư|thủ tướng|thống đốc|chánh\b"
    r"|chủ nhiệm|tư lệnh|chỉ huy trưởng|hiệu trưởng|viện trưởng|trưởng\b|\w+ trưởng\b)"
)
_POST_HEAD_FOLDED = re.compile(
    r"^(?:q\.\s*)?(?:pho\s+)?(?:tong\s+)?(?:chu tich|giam doc|bi thu|thu tuong|thong doc|chanh\b"
    r"|chu nhiem|tu lenh|chi huy truong|hieu truong|vien truong|truong\b|\w+ truong\b)"
)


@dataclass
class Foot:
    signer: dict[str, Any] | None = None
    distribution: list[str] = field(default_factory=list)
    spans: dict[str, list[int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    start: int | None = None  # index of the first line of the foot (Nơi nhận or signature)


def _authority(text: str) -> tuple[str, str] | None:
    match = _AUTHORITY_RE.match(text)
    if not match or not is_caps_line(match.group(2)):
        return None
    prefix = match.group(1).replace("/", "") + "."
    return prefix, match.group(2).strip()


# What a prefix line names (Decree 30, Art. 13): the head's post, or a collective organ.
_SIGNED_FOR = (
    "Chủ tịch", "Giám đốc", "Bộ trưởng", "Thủ tướng", "Thống đốc", "Cục trưởng", "Vụ trưởng",
    "Tổ trưởng", "Trưởng ban", "Viện trưởng", "Chánh án", "Chánh Văn phòng", "Hiệu trưởng",
    "Tổng Giám đốc", "Bí thư", "Tổng Biên tập", "Chủ nhiệm", "Chính phủ", "Ủy ban nhân dân",
    "Hội đồng nhân dân", "Ban Chấp hành", "Ban Thường vụ", "Ban Thường trực", "Ban Kiểm tra",
    "Ban Biên tập", "Ban Giám đốc", "Hội đồng quản lý Quỹ", "Hội đồng quản trị", "Ban Sáng lập",
    "Ủy ban Thường vụ Quốc hội", "Đảng ủy", "Đoàn Chủ tịch",
)
_SIGNED_FOR_FOLDED = {fold(name): name for name in _SIGNED_FOR}


def _post_or_body(text: str) -> str:
    """The post or organ a prefix names; OCR damage ('BAN CHÁP HÀNH', 'GlAM ĐỌC') is matched
    folded against the organs and heads a prefix names."""
    known = gazetteer.title(text)
    if known:
        return known
    folded = " ".join(fold(text).split())
    if folded in _SIGNED_FOR_FOLDED:
        return _SIGNED_FOR_FOLDED[folded]
    best = process.extractOne(folded, list(_SIGNED_FOR_FOLDED), scorer=fuzz.ratio,
                              score_cutoff=85)
    return _SIGNED_FOR_FOLDED[best[0]] if best else canonical_body(text)


def _is_post(text: str) -> bool:
    """Does the line start with a post ('PHÓ CHỦ TỊCH', 'VỤ TRƯỞNG …', 'CHÁNH ÁN')? Marks keep
    'TRƯỞNG' (head) apart from 'TRƯỜNG' (school, market); unmarked OCR text is read folded."""
    if any(not c.isascii() for c in text if c.isalpha()):
        return bool(_POST_HEAD.match(" ".join(text.lower().split())))
    return bool(_POST_HEAD_FOLDED.match(fold(text)))


def _title(text: str) -> str | None:
    text = _INLINE_NOTE.sub(" ", text).strip(_GLYPHS)  # 'PHÓ THỦ TƯỚNG [daky]': the mark goes
    if not is_caps_line(text) or len(text) > 70 or ":" in text:
        return None
    known = gazetteer.title(text)
    if known:
        return known
    if _is_post(text):
        return _capitalize_title(text)
    return None


def _capitalize_title(text: str) -> str:
    """'CỤC TRƯỞNG CỤC Y TẾ DỰ PHÒNG' → 'Cục trưởng Cục Y tế dự phòng'; 'PHÓ BÍ THƯ THƯỜNG
    TRỰC' → 'Phó Bí thư Thường trực'."""
    words = text.split()
    if len(words) > 1 and fold(words[0]) == "pho" and not gazetteer.title(text):
        rest = _capitalize_title(" ".join(words[1:]))  # 'PHÓ THỐNG ĐỐC' → 'Phó Thống đốc'
        return f"Phó {rest[:1].upper()}{rest[1:]}"
    for size in (3, 2, 1):
        head = gazetteer.title(" ".join(words[:size])) if len(words) >= size else None
        if head:
            rest = " ".join(words[size:])
            if not rest:
                return head
            if fold(rest) in ("tinh", "huyen", "xa", "thanh pho", "quan", "phuong"):
                return f"{head} {rest.lower()}"
            body = gazetteer.body_name(rest) or gazetteer.title(rest) or capitalize_org(rest)
            return f"{head} {body}"
    return capitalize_org(text)


def _name_word(word: str) -> bool:
    """'Bính', 'K'Nhi', 'K'': a capital, then small letters; a capital may follow an apostrophe."""
    if not word[:1].isupper() or not word[:1].isalpha():
        return False
    for before, char in itertools.pairwise(word):
        if char in "'’":
            continue
        if not (char.islower() or (char.isupper() and before in "'’")):
            return False
    return True


def _without_rank(text: str) -> str:
    """The name without its rank, also a rank whose first letters OCR lost under a signature
    ('ương tá Phạm Thanh Hùng': Thượng tá)."""
    words = text.split()
    if len(words) > 2 and fold(" ".join(words[:2])) in _RANKS:
        return " ".join(words[2:])
    if len(words) > 2 and _is_rank(words[:2]):
        return " ".join(words[2:])
    return gazetteer.split_rank(text)[1]


def _is_rank(words: list[str]) -> bool:
    """Two words that are a rank, or its end when OCR lost its first letters ('ương tá')."""
    folded = fold(" ".join(words))
    return folded in _RANKS or (words[0][:1].islower()
                                and any(rank.endswith(folded) for rank in _RANKS))


def _name(text: str) -> str | None:
    """The person's name on a line, without rank ('Đại tá Lò Văn Phương' → 'Lò Văn Phương');
    a name printed in capitals is accepted when it starts with a surname and every word is one
    Vietnamese syllable ('NGUYỄN VĂN AN' → 'Nguyễn Văn An')."""
    text = " ".join(text.strip(_GLYPHS).split())
    if any(c.isdigit() for c in text) or re.search(r"[:;,()/@]", text):
        return None
    if is_caps_line(text):
        if _title(text) or _is_post(text):
            return None  # 'CHU TICH' (unmarked OCR) is a post, not Mr Chu Tich
        words = text.split()
        rest = _without_rank(" ".join(w.capitalize() for w in words))
        folded = fold(rest).split()
        if not (2 <= len(folded) <= 5 and folded[0] in SURNAMES
                and all(_SYLLABLE.match(w) for w in folded)):
            return None
        text = " ".join(w.capitalize() for w in words)
    rest = _without_rank(text)
    words = rest.split()
    if len(words) > 2 and len(words[0]) == 1 and words[0] != "Y":  # 'Y' opens Ede names
        words = words[1:]  # a stroke of the signature read as a letter: 'Á Tôn Thiện San'
    if not 2 <= len(words) <= 6 or not all(_name_word(w) for w in words):
        return None
    return " ".join(words)


def _is_name(text: str) -> bool:
    return _name(text) is not None


def _row_names(text: str, name: str, owners: int) -> list[str]:
    """The names on one line, left to right: a row of a flattened table of boxes may hold two
    ('Lê Thị Hoa      Trần Văn Bính', or joined by the cleaning: split before a surname)."""
    if owners < 2:
        return [name]
    cells = [_name(cell) for cell in re.split(r"\s{3,}|\t", text.strip()) if cell.strip()]
    if len(cells) > 1 and all(cells):
        return [cell for cell in cells if cell]
    words = name.split()
    splits = [(words[:i], words[i:]) for i in range(2, len(words) - 1)
              if fold(words[i]) in SURNAMES]
    splits.sort(key=lambda pair: -min(len(pair[0]), len(pair[1])))
    return [" ".join(splits[0][0]), " ".join(splits[0][1])] if splits else [name]


_TYPED_WORDS = 8


def _as_typed(text: str) -> str | None:
    """A prefix or post line as a web page's source types it, its capitals drawn by the page's
    style sheet ('KT. Giám đốc', 'Phó Chủ Tịch'), in capitals to be read as the block's lines;
    None for what is not such a line (prose, a caps line, a list item)."""
    text = " ".join(text.split())
    if (not text[:1].isupper() or is_caps_line(text) or len(text.split()) > _TYPED_WORDS
            or re.search(r"[;:,()!?\d]|\.$", text)):
        return None
    return text.upper()


def _signature_line(text: str) -> bool:
    """A prefix or post line of the signing block (in capitals)."""
    text = text.strip(_GLYPHS + " .;")
    return bool(_authority(text) or _title(text))


def _name_after_noise(text: str) -> str | None:
    """A name the cleaning joined to a note or contact line before it ('(Đã ký) Trần Văn A')."""
    words = text.split()
    for size in range(min(len(words) - 1, 6), 1, -1):
        head, tail = " ".join(words[:-size]), " ".join(words[-size:])
        if _noise(head) and _name(tail):
            return _name(tail)
    return None


def _garbled(text: str) -> bool:
    """OCR's reading of a signature's strokes or a seal: at most one word in three is a
    Vietnamese syllable made of letters ('/ 2 UY se (E [sự 'A x Ko t /Ƒ ke) h Ñ@ nh a2')."""
    words = text.split()
    clean = [w for w in words if w.isalpha() and _SYLLABLE.match(fold(w).lower())
             and len(w) > 1 and (w.islower() or w.isupper() or w.istitle())]
    return bool(words) and 3 * len(clean) <= len(words) and not _signature_line(text)


def _scraps(text: str) -> bool:
    """One or two tokens of at most two characters: what OCR reads of a seal's rim or a stroke
    ('An TU' before 'GIÁM ĐỐC')."""
    tokens = text.split()
    return 0 < len(tokens) <= 2 and all(len(token) <= 2 for token in tokens)


def _name_after_junk(text: str) -> str | None:
    """A name (with its rank, if any) that the cleaning joined to the junk OCR made of the
    signature or seal above it ('Ñ@ nh a2 Ty Thiếu tướng Trần Văn An', '8 Lê Thị Hoa'): the
    name must start with a surname, after its rank."""
    found = _name_after_noise(text)
    if found:
        return found
    words = text.split()
    for size in range(min(len(words) - 1, 6), 1, -1):
        head, tail = " ".join(words[:-size]), " ".join(words[-size:])
        name = _name(tail)
        ranked = _is_rank(words[-size:][:2]) and len(head.split()) <= 6
        if name and fold(name.split()[0]) in SURNAMES and (
                _garbled(head) or _scraps(head) or (ranked and not _signature_line(head))):
            return name
    return None


def _trimmed(text: str) -> str:
    """A signing block's line without the junk OCR made of the signature or seal beside it:
    one or two tokens with no letters or of one character after a name ('Lê Văn An 3',
    'Trần Thị Hoa :'), or garbled text before a post ('NG: ¡;jGIÁM ĐỐC')."""
    words = text.split()
    for size in (1, 2):
        tail = words[-size:]
        if len(words) > size + 1 and all(len(w) == 1 or not any(c.isalpha() for c in w)
                                         for w in tail):
            head = " ".join(words[:-size])
            if _name(head) or _name_after_junk(head):
                return head
    if _title(text) or _authority(text):
        return text
    for start in range(1, len(text) - 1):
        if text[start].isupper() and not text[start - 1].isupper():
            head, rest = text[:start], text[start:]
            if not any(c.islower() for c in rest) and _title(rest) and (
                    _garbled(head) or _noise(head) or _scraps(head)):
                return rest
    return text


def _noise(text: str) -> bool:
    """A line inside the foot that is not part of a signing block (see _NOISE)."""
    letters = sum(c.isalpha() for c in text)
    if letters < 2:
        return True  # page numbers, stray glyphs
    folded = fold(text).strip(_GLYPHS)
    return bool(_NOISE.match(folded) or _SIGNED_NOTE.match(text.strip(_GLYPHS))
                or (_DATE_LINE.search(folded) and "," in folded))


def _glue_points(text: str) -> list[int]:
    """Where a line break was lost between glued runs: a capital word run into a capitalised
    one ('TỊCHHồ'), or two capital syllables that cannot be one ('DÂNCHỦ')."""
    points = []
    for match in re.finditer(r"\S+", text):
        word, base = match.group(), match.start()
        for i in range(2, len(word) - 1):
            if word[i - 2 : i + 1].isupper() and word[i + 1].islower() and word[:i].isalpha():
                points.append(base + i)  # 'TỊCHHồ' → 'TỊCH' | 'Hồ'
                break
        else:
            letters = fold(word).lower()
            one_word = len(word) >= 5 and word.isalpha() and word.isupper()
            if one_word and not _SYLLABLE.match(letters):
                for i in range(1, len(word)):
                    if (_SYLLABLE.match(letters[:i]) and _SYLLABLE.match(letters[i:])
                            and _title(_caps_run(text[base + i :]))):  # not 'CHUTICH'
                        points.append(base + i)
                        break
    return points


def _title_then_name(text: str) -> tuple[int, int] | None:
    """(end of the title, start of the name) of a title line run into the name, perhaps with a
    scrap of a signature mark between ('PHÓ GIÁM ĐỐC y]Trần Văn An')."""
    words = list(re.finditer(r"\S+", text))
    caps = 0
    while caps < len(words) and is_caps_line(words[caps].group()) and words[caps].group().isupper():
        caps += 1
    if not 0 < caps < len(words) or not _title(text[: words[caps - 1].end()]):
        return None
    start = words[caps].start()
    scrap = re.match(r"[^\W\d_]{0,3}[\])>|}]+\s*", text[start:])
    start += scrap.end() if scrap else 0
    return (words[caps - 1].end(), start) if _name(text[start:]) else None


def _caps_run(text: str) -> str:
    """`text` up to a capitalised word glued to it: 'CHỦ TỊCHTrần Văn An' → 'CHỦ TỊCH'."""
    for j in range(1, len(text) - 1):
        if text[j - 1].isupper() and text[j].isupper() and text[j + 1].islower():
            return text[:j]
    return text


# A signing block's lines joined with spaces, as text copied from a web page has them: 'KT.
# GIÁM ĐỐC PHÓ GIÁM ĐỐC (Đã ký) Trần Văn An'. Cut before each further prefix, around the
# signing note, before the name, and between the post a prefix names and the signer's title.
_INLINE_PREFIX = re.compile(r"(?<=\s)(?:TM|KT|TL|TUQ|T/M|K/T|T/L)\.\s")
_INLINE_NOTE = re.compile(r"[(\[]\s*(?:đã ký|da ?ky|ký tên|ký)[^)\]]{0,30}[)\]]|\bđã ký\b",
                          re.IGNORECASE)  # '(Đã ký)', a gazette's '[daky]' mark
# Words a post or an organ's name does not end with ('BỘ | TRƯỞNG …' is no cut).
_UNFINISHED = {"bo", "so", "cuc", "uy", "pho", "tong", "chu", "giam", "thu", "vien",
               "chanh", "bi", "hoi", "dang", "doan", "nhan", "chi"}


# Words of posts and bodies that fold like a surname ('Vụ' like Vũ, 'Chủ' like Chu): no name
# starts with them as written.
_NOT_A_NAME_START = {"vụ", "cục", "sở", "ban", "phòng", "bộ", "tổng", "chủ", "trưởng", "văn",
                     "viện", "hội", "thường", "tỉnh", "huyện", "xã"}  # not Đoàn: a surname


def _name_start(text: str, *, surname_first: bool = False) -> int | None:
    """Where the signer's name starts at the end of a joined block: after the block's capitals
    or its note ('… PHÓ GIÁM ĐỐC Trần Văn An', '… (Đã ký) Trần Văn An'); in a block typed in
    title case ('… Phó Giám Đốc Trần Văn An'), after the words that end a post (a name that
    starts with a surname first), else the longest name that starts with a surname or a rank
    after a post."""
    words = list(re.finditer(r"\S+", text))
    after_post: list[tuple[bool, int]] = []
    fallback = None
    for size in range(min(6, len(words) - 1), 1, -1):
        start = words[-size].start()
        if not _name(text[start:]) or is_caps_line(text[start:]):  # 'VỤ QUỐC HỘI' is no name
            continue
        if _is_post(text[start:].upper()) or words[-size].group().lower() in _NOT_A_NAME_START:
            continue  # 'Phó Giám Đốc Trần Văn An' starts with the post, not the name
        before = text[:start].split()
        if _AUTHORITY_RE.match(f"{before[-1]} X"):
            continue
        if (before[-1].isupper() and len(before[-1]) > 1) or before[-1].endswith((")", "]")):
            return None if _name(text[words[-size - 1].start():]) else start
        surname = fold(_without_rank(text[start:]).split()[0]) in SURNAMES
        if any(fold(gazetteer.title(" ".join(before[-k:])) or "") == fold(" ".join(before[-k:]))
               for k in (1, 2, 3)):
            after_post.append((surname, start))
            continue
        post = before[1:] if _AUTHORITY_RE.match(f"{before[0]} X") else before
        if fallback is None and surname and _title(" ".join(post).upper()):
            fallback = start  # the longest: 'Hoàng Thị Mai Lan', not 'Mai Lan' ('Mai' a surname)
    ranked = [start for surname, start in after_post if surname] + (
        [fallback] if fallback is not None else [])
    if not surname_first:  # 'K' Điểu' starts with no surname of the list
        ranked += [start for _, start in after_post]
    return ranked[0] if ranked else None


def _joined_block(text: str) -> list[int]:
    """Cut points of a signing block joined on one line (empty when it is not one)."""
    if not _AUTHORITY_RE.match(text) or len(text.split()) < 3:
        return []
    points = [m.start() for m in _INLINE_PREFIX.finditer(text)]
    for note in _INLINE_NOTE.finditer(text):
        points += [note.start(), note.end()]
    name = _name_start(text)
    if name is not None:
        points.append(name)
    # the last prefix's segment: 'KT. CHỦ TỊCH PHÓ CHỦ TỊCH' → 'KT. CHỦ TỊCH' | 'PHÓ CHỦ TỊCH'
    begin = max([0] + [p for p in points if _AUTHORITY_RE.match(text[p:])])
    end = min([p for p in points if p > begin] + [len(text)])
    upper = text.upper() if len(text.upper()) == len(text) else text  # 'KT. Giám Đốc …' too
    prefix = _AUTHORITY_RE.match(upper[begin:end])
    if prefix:
        base = begin + prefix.start(2)
        run = list(re.finditer(r"\S+", upper[base:end]))
        for i in range(1, len(run)):
            left, right = run[i - 1].group(), upper[base + run[i].start(): end]
            if fold(left) not in _UNFINISHED and _is_post(right) and _title(right):
                points.append(base + run[i].start())
                break
    return sorted({p for p in points if 0 < p < len(text) and text[:p].strip()})


def _unglued(line: Line) -> list[Line]:
    """The line cut at its glue points, each part with its own offsets."""
    text = line.text
    points = _glue_points(text) if re.search(r"[A-ZĐ]", fold(text).upper()) else []
    points = points or _joined_block(text)
    if not points and not is_caps_line(text) and _is_post(text.upper()):
        # 'Chủ Tịch Hồ Quốc Trung': a post typed in title case, then a name (not 'Cục Trưởng
        # Cục Y Tế', a post and its body)
        typed = _name_start(text, surname_first=True)
        points = [typed] if typed else []
    if not points:
        cut = _title_then_name(text)
        if cut is None:
            return [line]
        return [Line(line.index, line.start, line.start + cut[0], text[: cut[0]]),
                Line(line.index, line.start + cut[1], line.end, text[cut[1]:])]
    parts, begin = [], 0
    for point in [*points, len(text)]:
        parts.append(Line(line.index, line.start + begin, line.start + point, text[begin:point]))
        begin = point
    return parts


@dataclass
class _Block:
    """A signing block being read line by line."""

    authorities: list[tuple[str, str]] = field(default_factory=list)
    title: str | None = None
    name: str | None = None
    first: int | None = None
    last: int | None = None

    def mark(self, line: Line) -> None:
        self.first = line.start if self.first is None else self.first
        self.last = line.end

    def record(self) -> dict[str, Any]:
        authorities, title = self.authorities, self.title
        behalf = _post_or_body(authorities[0][1]) if authorities else None
        if authorities and authorities[-1][0] == "KT." and title == _post_or_body(
                authorities[-1][1]):
            title = None  # 'KT. CHỦ TỊCH' is signed by a deputy: 'CHỦ TỊCH' is a 'PHÓ' misread
        if authorities and authorities[-1][0] == "Q." and title is None:
            title = _post_or_body(authorities[-1][1])  # 'Q. GIÁM ĐỐC': acting director
            behalf = _post_or_body(authorities[0][1]) if len(authorities) > 1 else None
        return {"name": self.name, "title": title,
                "authority": authorities[0][0] if authorities else None,
                "own_authority": authorities[-1][0] if authorities else None,
                "on_behalf_of": behalf,
                "authority_lines": [f"{p} {_post_or_body(t)}" for p, t in authorities]}


BEFORE_BLOCK = 14  # lines read for a block's first line (distribution items not counted)
AFTER_TITLE = 10  # lines read after the title for the name (seal text, contacts, glyphs)


def find_signer(lines: list[Line], start: int, reach: int = BEFORE_BLOCK
                ) -> tuple[dict[str, Any] | None, list[int]]:
    """Signer from lines[start:] (the block must start within `reach` lines); also the span of
    the block.

    Approval boxes ("DUYỆT", "Người lập biểu") may stand beside the signing block; flattened,
    their heads and names interleave with the block's row by row or cell by cell, and either
    way the names come in the order of their heads: `owners` keeps that order.
    """
    block, budget = _Block(), reach
    owners: list[str] = []  # 'box' or 'block', in the order their heads were read
    box_head = False  # the line before was an approval box's head: a post here is the box's
    for part in (p for line in lines[start:] for p in _unglued(line)):
        text = _trimmed(part.text.strip(_GLYPHS + " ."))
        item = _ITEM_RE.match(part.text)
        if item and _signature_line(item.group(1)):
            text = item.group(1).strip(_GLYPHS + " .")  # '- GIÁM ĐỐC': columns interleaved
        elif not text or item or _RECIPIENTS_HEAD.match(fold(text)):
            continue
        noise = _noise(text)
        name = _name_after_noise(text) if noise else _name(text) or _name_after_junk(text)
        if noise and not name:
            continue
        if _APPROVAL.match(fold(text)):
            owners.append("box")
            box_head = True
            continue
        after_box_head, box_head = box_head, False
        if after_box_head and _title(text) and not _authority(text):
            continue  # 'DUYỆT / TRƯỞNG PHÒNG': the box's post
        found = _authority(text) if block.title is None and not noise else None
        title = _title(text) if block.title is None and not found and not noise else None
        typed = _as_typed(text) if block.title is None and not noise else None
        if typed and not (found or title):  # 'KT. Giám đốc' / 'Phó Giám đốc' (a web page's)
            found = _authority(typed)
            title = None if found else _title(typed)
        if found or title:
            if block.first is None:
                owners.append("block")
            if found:
                block.authorities.append(found)
            block.title = title or block.title
            block.mark(part)
            budget = AFTER_TITLE
            continue
        if name and owners:
            for row_name in _row_names(text, name, len(owners)):
                if owners and owners.pop(0) == "block":
                    block.name = row_name
                    block.mark(part)
                    break
            if block.name:
                break
            continue
        budget -= 1
        if budget <= 0:
            break
    if not block.authorities and block.title is None:
        return None, []
    return block.record(), [block.first or 0, block.last or block.first or 0]


def _clean_item(text: str) -> str:
    text = " ".join(text.split())
    if re.match(r"^l\w{1,2}u\b", fold(text)):
        return re.split(r"\.(?:\s|$)", text)[0].strip(" ;,.")
    head, _, tail = text.partition(";")
    tail = tail.strip()
    if tail.startswith("(") and tail.endswith(")"):
        head = f"{head.strip()} {tail}"
    return head.strip(" ;,.")


def find_distribution(lines: list[Line], head: int) -> tuple[list[str], list[int]]:
    """Items of 'Nơi nhận:' starting at line `head`, skipping interleaved signature lines."""
    items: list[str] = []
    span = [lines[head].start, lines[head].end]
    for line in lines[head + 1:]:
        text = line.text.strip()
        match = _ITEM_RE.match(text)
        if match and _signature_line(match.group(1)):
            continue
        if match:
            item = _clean_item(match.group(1))
            if item:
                items.append(item)
                span[1] = line.end
            if re.match(r"^l\w{1,2}u\b", fold(item)):
                break
            continue
        if not text or _authority(text) or _title(text) or _is_name(text) or len(text) < 12:
            continue
        if _garbled(text) or _title(_trimmed(text)):
            continue  # the signing column's post behind a scrap of the seal, or the seal
        break
    return items, span


def parse_foot(lines: list[Line], body_start: int) -> Foot:
    foot = Foot()
    end_mark = next((ln.index for ln in lines[body_start:] if ln.text.rstrip().endswith("./.")),
                    None)
    head = next((ln.index for ln in lines[body_start:] if _RECIPIENTS_HEAD.match(ln.folded)),
                None)
    if head is None:
        head = _headless_list(lines, body_start)
    signer, span = _signed_after_end_mark(lines, body_start, end_mark, head)
    if signer is not None and head is not None and _far_after(lines, span[1], head):
        head = None  # a 'Nơi nhận' of a form in an appendix, not the letter's
    if head is not None:
        foot.distribution, foot.spans["distribution"] = find_distribution(lines, head)
        foot.start = head
    else:
        foot.warnings.append("Không tìm thấy phần nơi nhận.")
    if signer is None:
        search_from, reach = _signature_search_start(lines, body_start, head)
        signer, span = find_signer(lines, search_from, reach)
    if signer is None and body_start > 0:
        # Text extracted out of order (a gazette PDF's signature before its header): the first
        # block headed by a prefix, anywhere, that has a name.
        signer, span = _signed_after_end_mark(lines, 0, None, None)
    if head is not None and (signer is None or signer["name"] is None):
        signer, span = _with_lone_name(lines, head, signer, span)
    foot.signer = signer
    if foot.signer is None:
        foot.warnings.append("Không tìm thấy chữ ký (chức vụ, người ký).")
    else:
        foot.spans["signer"] = span
        if foot.signer["name"] is None:
            foot.warnings.append("Không đọc được tên người ký.")
    if foot.start is None and span:
        foot.start = next((ln.index for ln in lines if ln.start >= span[0]), None)
    return foot


_FILED = re.compile(r"^\s*[-–—+•]\s*l\w{1,2}u\b")  # '- Lưu: VT, …', the list's last item


def _prose(text: str) -> bool:
    """A line of the body: four words or more in small letters that are Vietnamese syllables
    (the signing column's lines are capitals and names; OCR scraps are not syllables)."""
    words = [w.strip(",.;:()“”\"") for w in text.split()]
    return sum(w.isalpha() and w.islower() and bool(_SYLLABLE.match(fold(w)))
               for w in words) >= 4


def _headless_list(lines: list[Line], body_start: int) -> int | None:
    """The line before a distribution list whose 'Nơi nhận:' OCR did not read: a run of items
    ('- …;') that ends with the '- Lưu …' item every list closes with (Decree 30), after the
    body. Lines of the signing column interleaved with the items, and scraps, are passed over.
    None when no such list is there."""
    filed = next((ln.index for ln in reversed(lines[body_start:]) if _FILED.match(ln.folded)),
                 None)
    if filed is None:
        return None
    first = filed
    for line in reversed(lines[body_start:filed]):
        text = line.text.strip()
        if _ITEM_RE.match(text):
            first = line.index
        elif _prose(text):
            break
    return first - 1 if first - 1 >= body_start and first < filed else None


def _signed_after_end_mark(lines: list[Line], body_start: int, end_mark: int | None,
                           head: int | None) -> tuple[dict[str, Any] | None, list[int]]:
    """A consolidated text (VBHN) is signed in its 'XÁC THỰC VĂN BẢN HỢP NHẤT' block; otherwise the
    first block headed by a prefix (TM., KT. …) that has a name is the signature, else the block
    just after a closing './.' (gazette texts: appendices with their own forms follow the
    signature). (None, []) when none gives a block with a name."""
    # Searched from the top: the header reader may take this block, at the end, for the header.
    vbhn = next((ln.index for ln in lines
                 if ln.folded.strip().startswith("xac thuc van ban hop nhat")), None)
    if vbhn is not None:
        return _named(find_signer(lines, vbhn + 1))
    for line in lines[body_start:]:  # the first block headed by a prefix that has a name
        before = lines[line.index - 1].text if line.index else ""
        typed = _as_typed(line.text.strip())
        headed = (_authority(line.text.strip()) or _joined_block(line.text.strip())
                  or (typed and _authority(typed)))
        if headed and not _authority(before.strip()):  # a block's first line, or all of it
            back = line.index  # with an approval box's head just above, if there is one
            while (back > body_start and line.index - back < 2
                   and _APPROVAL.match(fold(lines[back - 1].text.strip(_GLYPHS)))):
                back -= 1
            found = _named(find_signer(lines, back, reach=1))
            if found[0]:
                return found
    if end_mark is None or (head is not None and head < end_mark):
        return None, []
    return _named(find_signer(lines, end_mark + 1))


def _with_lone_name(lines: list[Line], head: int, signer: dict[str, Any] | None,
                    span: list[int]) -> tuple[dict[str, Any] | None, list[int]]:
    """A scan whose post line OCR could not read still shows the name on a line of its own in
    the foot, after 'Nơi nhận' ('Thiếu tướng Trần Văn An' under the list): the signer's."""
    for line in lines[head + 1 : head + 40]:
        text = _trimmed(line.text.strip(_GLYPHS + " ."))
        if not text or _ITEM_RE.match(line.text):
            continue
        name = _name(text) or _name_after_junk(text)
        if name:
            if signer is None:
                return ({"name": name, "title": None, "authority": None, "own_authority": None,
                         "on_behalf_of": None, "authority_lines": []}, [line.start, line.end])
            ends = [*span, line.start, line.end]
            return {**signer, "name": name}, [min(ends), max(ends)]
    return signer, span


def _named(found: tuple[dict[str, Any] | None, list[int]]
           ) -> tuple[dict[str, Any] | None, list[int]]:
    signer, _span = found
    return found if signer and signer["name"] else (None, [])


def _far_after(lines: list[Line], offset: int, head: int) -> bool:
    """More than a few written lines between the end of the signing block and 'Nơi nhận'."""
    between = [ln for ln in lines[:head] if ln.start > offset and ln.text.strip()]
    return len(between) > 3


def _signature_search_start(lines: list[Line], body_start: int, head: int | None
                            ) -> tuple[int, int]:
    """(line to read the signing block from, lines it may take to start): the signature sits
    beside or just before 'Nơi nhận', else among the last lines."""
    if head is None:
        return max(body_start, len(lines) - 25), 25
    back = head
    while back > body_start and head - back < 6:
        text = lines[back - 1].text.strip()
        if text and not (is_caps_line(text) or _is_name(text)):
            break
        back -= 1
    return back, 4 * BEFORE_BLOCK  # the block may follow a long distribution list
