"""How far to trust each field of an extracted record: a score from 0 to 1 with its reasons.

A field's score is the product of a few factors, each from evidence the pipeline really has:

- how it was found: by its Decree 30 label or zone ('Số:' opening the number line, the
  'Place, ngày …' line, the type heading, the caps lines of the issuer column), or by a
  fallback (an issuer inferred from the body, a type assumed or taken from the symbol, a date
  found far from the header, a title or post the gazetteer does not know);
- how plausible the value is: the share of its syllables that are Vietnamese syllables the
  diacritics model knows, digits where digits belong, a name in proper case with a known
  surname, a date in a sensible year;
- for OCR'd pages, Tesseract's confidence in the words the field was read from (the page's
  mean when the words are not known): a word read at 60% counts 0.6.

Every factor under 1 is kept in `factors` under a short code (see REASONS for what each means,
in Vietnamese for the UI), so a reviewer sees why a field is weak. A field left empty has no
score (the warnings and review reasons say it was not found), except a number written on the
letter but not legible: null, with a warning and a score of 0, so that a person reads it.
"""

from __future__ import annotations

import datetime
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from ingest.extract import gazetteer
from ingest.extract.layout import SURNAMES
from ingest.folding import fold, strip_marks
from ingest.model import Page

log = logging.getLogger(__name__)

# Below this a field is weak: the UI marks it; a weak key field puts 'weak-fields' in review.
WEAK = 0.6
# The fields a clerk files and finds a letter by: weak ones send the letter to review.
KEY_FIELDS = ("number", "symbol", "doc_type", "date", "issuer", "subject", "signer.name")
FIELD_NAMES = ("number", "symbol", "doc_type", "date", "issuer", "place", "subject",
               "recipients", "signer.name", "signer.title", "distribution")

# What each factor code means, for the document page.
REASONS = {
    "ocr": "chữ OCR đọc với độ tin cậy thấp",
    "words": "có từ không phải âm tiết tiếng Việt",
    "not-digits": "số văn bản không chỉ gồm chữ số",
    "unreadable": "có số nhưng không đọc được",
    "no-label": "không đứng sau nhãn “Số:” ở đầu dòng",
    "odd-symbol": "ký hiệu có ký tự lạ",
    "assumed": "suy ra, không có tiêu đề loại văn bản",
    "from-symbol": "suy ra từ ký hiệu",
    "disagrees": "tiêu đề và ký hiệu không khớp",
    "not-date-line": "không nằm trên dòng “…, ngày … tháng … năm …”",
    "far": "nằm xa phần đầu văn bản",
    "partial": "ngày chưa đầy đủ",
    "year": "năm không hợp lý",
    "inferred": "suy ra từ nội dung, không có ở phần đầu",
    "unknown": "không có trong danh mục",
    "length": "độ dài bất thường",
    "case": "không viết hoa đúng kiểu tên riêng",
    "no-archive": "không có dòng “Lưu”",
    "chars": "có ký tự lạ (ký hiệu, ngoặc lẻ, chữ số)",
    "misread": "tên địa danh viết sai dấu hoặc sai chữ hoa",
    "ngram": "có âm tiết có lẽ đọc sai dấu (theo mô hình ngôn ngữ)",
}

# number_line's warning for a number written on the letter but not legible ('2X /TTr-…').
UNREADABLE_NUMBER = "Không đọc được số văn bản (chỉ đọc được ký hiệu)."

# header's warnings for a day or month written on the letter but not legible.
UNREADABLE_DATE = "Không đọc được ngày"

# Lines from the top within which a letter's date line sits (the header zone and then some).
HEADER_LINES = 40
FIRST_YEAR = 1945
OCR_FLOOR = 0.1


@dataclass
class OcrEvidence:
    """What OCR said about the pages: every word read, in order, with its confidence (0–100),
    and each OCR'd page's mean confidence."""

    words: list[tuple[str, float]] = field(default_factory=list)
    page_means: list[float] = field(default_factory=list)
    ocr: bool = False

    @classmethod
    def of(cls, pages: Sequence[Page]) -> OcrEvidence:
        evidence = cls(ocr=any(page.ocr for page in pages))
        for page in pages:
            if page.ocr and page.confidence is not None:
                evidence.page_means.append(page.confidence)
            evidence.words.extend((word, float(conf)) for word, conf in page.words or [])
        return evidence

    def aligned(self, text: str) -> AlignedText:
        """The words of `text` (the cleaned text) matched in order to the words OCR read."""
        if not self.ocr:  # a typed text's words have no confidence to look up (`factor`)
            return AlignedText(False, [], [], [], None)
        tokens = [(m.start(), _key(m.group())) for m in re.finditer(r"\S+", text)]
        confidences: list[float | None] = [None] * len(tokens)
        if self.words and len(tokens) * len(self.words) <= MAX_ALIGNMENT:
            matcher = SequenceMatcher(None, [key for _, key in tokens],
                                      [_key(word) for word, _ in self.words], autojunk=False)
            used: set[int] = set()
            for block in matcher.get_matching_blocks():
                for i in range(block.size):
                    confidences[block.a + i] = self.words[block.b + i][1]
                    used.add(block.b + i)
            # Words whose lines OCR gave in another order (two columns split apart, left
            # first): the first word read with the same letters that is not matched yet.
            unused: dict[str, list[int]] = {}
            for index, (word, _) in enumerate(self.words):
                if index not in used:
                    unused.setdefault(_key(word), []).append(index)
            for position, (_, key) in enumerate(tokens):
                if confidences[position] is None and unused.get(key):
                    confidences[position] = self.words[unused[key].pop(0)][1]
        mean = sum(self.page_means) / len(self.page_means) if self.page_means else None
        return AlignedText(self.ocr, [start for start, _ in tokens],
                           [key for _, key in tokens], confidences, mean)


# Words of text × words read: beyond this (a long multi-page scan) the page means stand in.
MAX_ALIGNMENT = 16_000_000


@dataclass
class AlignedText:
    """Each word of the record's text with the confidence OCR read it at (None: cleaning made
    it, or the text was not OCR'd)."""

    ocr: bool
    starts: list[int]
    keys: list[str]
    confidences: list[float | None]
    page_mean: float | None

    def factor(self, start: int = 0, end: int | None = None, value: str | None = None,
               part: str | None = None) -> float | None:
        """Mean confidence (0–1) of the OCR'd words in text[start:end] (only those of `value`
        when given, or those holding `part`: the number in '152/UBND-KT'); the pages' mean
        when none was matched; None for text not OCR'd."""
        if not self.ocr:
            return None
        wanted = {_key(word) for word in value.split()} if value else None
        inside = [(key, conf) for at, key, conf in zip(self.starts, self.keys, self.confidences,
                                                       strict=True)
                  if conf is not None and start <= at < (end if end is not None else at + 1)]
        holding = [conf for key, conf in inside if part and _key(part) in key]
        found = holding or [conf for key, conf in inside if wanted is None or key in wanted]
        if found:
            return sum(found) / len(found) / 100
        return self.page_mean / 100 if self.page_mean is not None else None


def _key(word: str) -> str:
    return fold(word.strip(".,;:!?()[]{}\"'“”‘’«»…*_")).lower()


@dataclass
class Score:
    """One field's confidence: the product of its factors (codes of REASONS → value < 1)."""

    factors: dict[str, float] = field(default_factory=dict)

    def times(self, code: str, value: float | None) -> None:
        if value is not None and value < 1:
            value = max(0.0, value)
            self.factors[code] = round(min(self.factors.get(code, 1.0), value), 2)

    @property
    def score(self) -> float:
        total = 1.0
        for value in self.factors.values():
            total *= value
        return round(total, 2)

    def as_dict(self) -> dict[str, Any]:
        return {"score": self.score, "factors": dict(self.factors)}


# -- plausibility of values ----------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1)
def _syllables() -> dict[str, list[str]]:
    """Folded syllable → its known forms (the diacritics model's table; empty if absent)."""
    try:
        from ingest.repair.diacritics import load_model

        return load_model().candidates
    except Exception as error:  # the model is optional: then no syllable is judged
        log.warning("no syllable table for confidence: %s", error)
        return {}


def known_share(text: str) -> float | None:
    """Share of the letter tokens of `text` that are Vietnamese syllables the model knows, or
    short capitals (an abbreviation: UBND, PC04); tokens with digits only are not counted.
    None when nothing is judged."""
    table = _syllables()
    if not table:
        return None
    if _VERDICTS_OF[0] is not table:  # judged by another table: judge again
        _VERDICTS.clear()
        _VERDICTS_OF[0] = table
    known = judged = 0
    for token in _TOKEN.findall(text):
        verdict = _VERDICTS.get(token)
        if verdict is None:  # each word judged once: a letter's fields repeat words
            if len(_VERDICTS) >= _VERDICTS_KEPT:
                _VERDICTS.clear()
            verdict = _VERDICTS[token] = _verdict(token, table)
        judged += verdict[0]
        known += verdict[1]
    return known / judged if judged else None


def _verdict(token: str, table: dict[str, list[str]]) -> tuple[int, int]:
    """Whether a token is judged, and known (see known_share)."""
    from ingest.repair.diacritics_model import normalize_tone_placement

    if token.isdigit():
        return 0, 0
    if token.isupper() and len(token) <= 5:
        return 1, 1  # an abbreviation or unit code (letters and digits in capitals)
    if any(c.isdigit() for c in token):
        return 1, 0  # 'T1nh', 'c6ng': OCR mixing digits into a word
    form = normalize_tone_placement(token.lower())
    return 1, int(form in table.get(fold(form), ()))


_VERDICTS: dict[str, tuple[int, int]] = {}
_VERDICTS_OF: list[object] = [None]  # the table they were judged by
_VERDICTS_KEPT = 200_000


_NUMBER = re.compile(r"\d{1,5}(?:[.-]\d{1,4})?")
_SYMBOL = re.compile(r"[0-9A-ZĐa-zđƯư()/.-]+")


def misread_syllables(text: str) -> list[str]:
    """Syllables the diacritics model reads otherwise in their place: no pair they make with
    their neighbours was seen in its training text, while the same letters with other marks
    make a common pair ('thâm định' for 'thẩm định', 'Để nghị' for 'Đề nghị'). Pairs with a
    name (a capital after the first word: 'tỉnh Bình Thuận') are not judged: names make pairs
    the model has not seen."""
    from ingest.repair.diacritics import load_model
    from ingest.repair.diacritics_model import normalize_tone_placement

    try:
        model = load_model()
    except Exception:  # the model is optional
        return []
    raw = _LETTERS.findall(text)
    words = [normalize_tone_placement(word.lower()) for word in raw]
    named = [i > 0 and word[:1].isupper() for i, word in enumerate(raw)]

    def pairs(i: int, word: str) -> list[str]:
        return ([f"{words[i - 1]} {word}"] if i > 0 and not named[i - 1] else []) + (
            [f"{word} {words[i + 1]}"] if i + 1 < len(words) and not named[i + 1] else [])

    found = []
    for i, word in enumerate(words):
        judged = [] if named[i] else pairs(i, word)
        if not judged or any(model.bigrams.get(pair) for pair in judged):
            continue
        others = [other for other in model.forms(fold(word))[:MAX_FORMS] if other != word]
        if any(model.bigrams.get(pair, 0) >= COMMON_PAIR
               for other in others for pair in pairs(i, other)):
            found.append(word)
    return found


_LETTERS = re.compile(r"[^\W\d_]+")
COMMON_PAIR = 50  # times a pair is seen in the model's training text to count as common
MAX_FORMS = 6
MISREAD_SYLLABLE = 0.6  # each syllable the model reads otherwise


def _words_factor(score: Score, text: str, *, digits_odd: bool = False,
                  syllables: bool = True) -> None:
    """The value's own plausibility: its syllables, its characters, the names it holds."""
    score.times("words", known_share(text))
    if syllables:
        misread = misread_syllables(text)
        if misread:
            score.times("ngram", MISREAD_SYLLABLE ** len(misread))
    if odd_characters(text, digits_odd=digits_odd):
        score.times("chars", 0.5)
    if misread_names(text):
        score.times("misread", 0.5)


# Characters a field's value never holds: OCR reads them from specks, rules and seals.
_ODD = re.compile(r"[|¬_§\[\]{}~^*#@$%+=<>\\¦«»°©®™]")


def odd_characters(text: str, *, digits_odd: bool = False) -> bool:
    """Symbols OCR makes of specks ('|', '¬', '_', a full stop inside a phrase), unbalanced
    brackets ('UBND) tỉnh'), a value opening with punctuation ('- Ủy ban …'), or digits where a
    name has none."""
    if _ODD.search(text) or text.count("(") != text.count(")"):
        return True
    if re.search(r"[^\W\d_]{2,}\.\s+[a-zđà-ỹ]", text):
        return True  # 'Quyết. định': a speck read as a full stop inside a phrase
    if re.match(r"[\W_]", text.strip()[:1] or "a") and not text.strip().startswith("("):
        return True
    return digits_odd and bool(re.search(r"\d", text))


_ADMIN = {"tinh": "tỉnh", "huyen": "huyện", "thanh pho": "thành phố", "xa": "xã",
          "phuong": "phường", "quan": "quận"}


@lru_cache(maxsize=1)
def _province_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """Folded multi-syllable province names (with the admin word before them, if any)."""
    table = gazetteer.data()
    names = {lower_fold(name): name for name in table["provinces"] + table["provinces_2025"]
             if len(name.split()) > 1}
    admin = "|".join(_ADMIN)
    alternatives = "|".join(re.escape(key) for key in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:({admin})\s+)?({alternatives})(?!\w)"), names


def lower_fold(text: str) -> str:
    """Lower case without marks, keeping the length (offsets stay valid)."""
    return strip_marks(unicodedata.normalize("NFC", text)).lower()


def misread_names(text: str) -> list[str]:
    """Province names (and the 'tỉnh', 'huyện' … before them) written otherwise than their
    known spelling: 'Lâm Đông', 'tình Lâm Đồng', 'lâm đồng' (OCR's marks and case)."""
    text = unicodedata.normalize("NFC", text)
    pattern, names = _province_pattern()
    found = []
    for match in pattern.finditer(lower_fold(text)):
        admin, name = match.group(1), match.group(2)
        if text[match.start(2): match.end(2)] != names[name]:
            found.append(text[match.start(2): match.end(2)])
        if admin and text[match.start(1): match.end(1)].lower() != _ADMIN[admin]:
            found.append(text[match.start(1): match.end(1)])
    return found


def _span(record: dict[str, Any], name: str) -> tuple[int, int] | None:
    span = (record.get("spans") or {}).get(name)
    if isinstance(span, list | tuple) and len(span) == 2 and all(isinstance(i, int) for i in span):
        return span[0], span[1]
    return None


def _ocr_factor(record: dict[str, Any], ocr: AlignedText, name: str,
                value: str | None = None) -> float | None:
    """OCR's confidence in the words a field was read from: those of its span (of `value`
    in it, when given), or the words of `value` anywhere when it has no span."""
    span = _span(record, name)
    if span is None:
        return ocr.factor(0, len(record.get("text") or ""), value or "")
    return ocr.factor(span[0], span[1], value)


def _line_of(record: dict[str, Any], name: str) -> tuple[str, str, int, int] | None:
    """(text before the span on its line, the span's line, its line number, its start)."""
    span = _span(record, name)
    if span is None:
        return None
    text = record.get("text") or ""
    start = text.rfind("\n", 0, span[0]) + 1
    end = text.find("\n", span[0])
    line = text[start: end if end >= 0 else len(text)]
    return text[start: span[0]], line, text.count("\n", 0, start), start


# -- the fields --------------------------------------------------------------------------------


def _number(record: dict[str, Any], ocr: AlignedText) -> Score:
    score = Score()
    if not _NUMBER.fullmatch(record["number"]):
        score.times("not-digits", 0.3)
    _number_line(record, "number", score, ocr)
    return score


def _number_line(record: dict[str, Any], name: str, score: Score, ocr: AlignedText) -> None:
    found = _line_of(record, name)
    if found is None:
        return
    _before, line, _at, start = found
    if not re.match(r"\s*(?:s[o06d]\b|\w+(?:\s+\w+){0,2}\s+s[o06d]\s*:)", fold(line).lower()):
        score.times("no-label", 0.8)  # 'Số:' inside a line (two OCR'd columns run together)
    if name == "number":  # the word holding it ('152/UBND-KT'), not the whole line
        score.times("ocr", ocr.factor(start, start + len(line), part=record[name]))
    else:  # a printed symbol shares its word with a handwritten number: only a word of its own
        score.times("ocr", ocr.factor(start, start + len(line), value=record[name]))


def _symbol(record: dict[str, Any], ocr: AlignedText) -> Score:
    score = Score()
    symbol = record["symbol"]
    if not _SYMBOL.fullmatch(symbol) or sum(c.islower() for c in symbol) > len(symbol) / 3:
        score.times("odd-symbol", 0.5)
    _number_line(record, "symbol", score, ocr)
    return score


def _type_of_symbol(symbol: str | None) -> str | None:
    if not symbol:
        return None
    first = re.split(r"[-/(]", symbol, maxsplit=1)[0]
    return gazetteer.doc_type_abbreviations().get(fold(first).lower())


def _doc_type(record: dict[str, Any], ocr: AlignedText) -> Score:
    score = Score()
    spans = record.get("spans") or {}
    by_symbol = _type_of_symbol(record.get("symbol"))
    if spans.get("doc_type") is None:
        # No heading: a Công văn (Decree 30 gives it none) when it has a 'V/v' subject.
        score.times("assumed", 0.9 if record.get("subject") else 0.5)
    elif spans.get("doc_type") == spans.get("symbol"):
        score.times("from-symbol", 0.85)
    else:
        score.times("ocr", _ocr_factor(record, ocr, "doc_type"))
    if by_symbol and by_symbol != record["doc_type"]:
        score.times("disagrees", 0.7)
    return score


def _date(record: dict[str, Any], ocr: AlignedText) -> Score:
    score = Score()
    year = int(record["date"][:4])
    if not FIRST_YEAR <= year <= datetime.date.today().year + 1:
        score.times("year", 0.3)
    if any(warning.startswith(UNREADABLE_DATE) for warning in record.get("warnings", ())):
        score.times("unreadable", 0.3)  # a day (or month) written, but not legible
    elif record.get("date_precision") not in (None, "day"):
        score.times("partial", 0.7)  # left blank on the letter
    found = _line_of(record, "date")
    if found is not None:
        before, _line, at, _start = found
        stripped = before.strip()
        # Decree 30's 'Place, ngày …' line (the place may follow a number on one OCR'd line),
        # or a bare date line
        placed = stripped.endswith(",")
        bare = len(stripped.split()) <= 6 and not re.search(r"\d", stripped)
        # a law or resolution is dated by its closing '… thông qua ngày …' sentence
        passed = re.search(r"thong qua\s*$", fold(stripped).lower())
        if not (placed or bare or passed):
            score.times("not-date-line", 0.5)  # a date inside a sentence: another document's
        if at > HEADER_LINES and not (placed or passed):
            score.times("far", 0.6)
    score.times("ocr", _ocr_factor(record, ocr, "date"))
    return score


_INFERRED = "suy ra"


def _issuer(record: dict[str, Any], ocr: AlignedText) -> Score:
    score = Score()
    issuer = record["issuer"]
    if any(_INFERRED in warning and "cơ quan" in warning for warning in record["warnings"]):
        score.times("inferred", 0.4)
    _words_factor(score, issuer)
    if len(issuer.split()) > 16:
        score.times("length", 0.6)  # header lines of two bodies, or a heading, run together
    if not issuer[:1].isupper():
        score.times("case", 0.7)
    score.times("ocr", _ocr_factor(record, ocr, "issuer"))
    return score


def _place(record: dict[str, Any], ocr: AlignedText) -> Score:
    score = Score()
    place = record["place"]
    if gazetteer.province(place, fuzzy=False) is None and not gazetteer.is_province(place):
        score.times("unknown", 0.8)  # a district or commune, or a misread province
    _words_factor(score, place, digits_odd=True)
    score.times("ocr", _ocr_factor(record, ocr, "place"))
    return score


def _subject(record: dict[str, Any], ocr: AlignedText) -> Score:
    score = Score()
    subject = record["subject"]
    words = len(subject.split())
    if words < 3 or words > 80:
        score.times("length", 0.6)  # cut short, or run on into the body
    _words_factor(score, subject)
    score.times("ocr", _ocr_factor(record, ocr, "subject"))
    return score


def _list(record: dict[str, Any], name: str, ocr: AlignedText, *,
          archive_line: bool = False) -> Score:
    score = Score()
    items = record[name]
    _words_factor(score, " ".join(items))
    if any(odd_characters(item) for item in items):
        score.times("chars", 0.5)
    if any(len(item.split()) > 40 for item in items):
        score.times("length", 0.7)
    if archive_line and not any(fold(item).lower().startswith("luu") for item in items):
        score.times("no-archive", 0.85)  # Decree 30: the list ends with 'Lưu: VT, …'
    score.times("ocr", _ocr_factor(record, ocr, name, None if _span(record, name) else
                                   " ".join(items)))
    return score


def _signer_name(record: dict[str, Any], ocr: AlignedText) -> Score:
    score = Score()
    name = record["signer"]["name"]
    words = name.split()
    if not words or fold(words[0]).lower() not in SURNAMES:
        score.times("unknown", 0.8)
    if not all(word[:1].isupper() and word[1:] == word[1:].lower() for word in words):
        score.times("case", 0.7)
    _words_factor(score, name, digits_odd=True, syllables=False)  # names: any marks go
    score.times("ocr", _ocr_factor(record, ocr, "signer", name))
    return score


def _signer_title(record: dict[str, Any], ocr: AlignedText) -> Score:
    score = Score()
    title = record["signer"]["title"]
    if gazetteer.title(title) is None:
        score.times("unknown", 0.85)
    _words_factor(score, title)
    score.times("ocr", _ocr_factor(record, ocr, "signer", title))
    return score


def field_confidence(record: dict[str, Any], evidence: OcrEvidence | None = None
                     ) -> dict[str, dict[str, Any]]:
    """{field: {"score": 0–1, "factors": {code: value}}} for the record's non-empty fields."""
    ocr = (evidence or OcrEvidence()).aligned(record.get("text") or "")
    scores: dict[str, Score] = {}
    readers = {"number": _number, "symbol": _symbol, "doc_type": _doc_type, "date": _date,
               "issuer": _issuer, "place": _place, "subject": _subject}
    for name, reader in readers.items():
        if record.get(name):
            scores[name] = reader(record, ocr)
    if record.get("number") is None and UNREADABLE_NUMBER in record.get("warnings", ()):
        scores["number"] = Score({"unreadable": 0.0})  # written, but not legible: check it
    for name in ("recipients", "distribution"):
        if record.get(name):
            scores[name] = _list(record, name, ocr, archive_line=name == "distribution")
    signer = record.get("signer") or {}
    if signer.get("name"):
        scores["signer.name"] = _signer_name(record, ocr)
    if signer.get("title"):
        scores["signer.title"] = _signer_title(record, ocr)
    return {name: scores[name].as_dict() for name in FIELD_NAMES if name in scores}


def weak_fields(confidence: dict[str, dict[str, Any]], names: Sequence[str] = KEY_FIELDS
                ) -> list[str]:
    """The fields among `names` whose score is under WEAK."""
    return [name for name in names
            if name in confidence and confidence[name]["score"] < WEAK]
