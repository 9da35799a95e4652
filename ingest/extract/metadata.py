"""Extract a letter's metadata record by the layout rules of Decree 30/2020/NĐ-CP.

`extract_metadata()` reads like a recipe: clean the text, cut it into lines, then read the
header (issuer, number, date, type, subject), the foot (signature, 'Nơi nhận'), the body
(recipients, tasks) and the citations. Every field that is missing is None plus a warning in
Vietnamese (the UI shows them); nothing is invented. `spans` give offsets into "text".
It never raises on any input: a failure of one part becomes a warning. A record that does not
look like a letter, or has few fields, is still a record: "review" lists why a person should
check it (the archive keeps every readable document, flagged `needs_review`).
"""

from __future__ import annotations

import bisect
import logging
import re
from typing import Any

from rapidfuzz import fuzz

from ingest.extract import gazetteer
from ingest.extract.assignments import START as TASK_START
from ingest.extract.assignments import find_assignments, no_orders_heading
from ingest.extract.citations import find_citations
from ingest.extract.confidence import OcrEvidence, field_confidence, weak_fields
from ingest.extract.header import Header, date_at_foot, parse_header
from ingest.extract.inference import infer_from_symbol, infer_issuer
from ingest.extract.issuers import province_of
from ingest.extract.layout import Line, content_lines
from ingest.extract.number_line import find_copy
from ingest.extract.portal_record import PortalRecord, find_portal_record
from ingest.extract.received_stamp import find_arrival_stamp
from ingest.extract.recipients import find_recipients
from ingest.extract.signature import Foot, parse_foot
from ingest.folding import few_diacritics, fold
from ingest.model import LetterMetadata
from ingest.repair.cleaning import clean_text

log = logging.getLogger(__name__)

FIELDS = (
    "doc_type", "reference", "key", "number", "symbol", "issuer", "parent_issuer", "place",
    "date", "date_precision", "subject", "recipients", "tasks", "signer", "distribution",
    "citations", "urgency", "secrecy",
)


def empty_record(text: str, pages: int, ocr: bool) -> dict[str, Any]:
    record: dict[str, Any] = dict.fromkeys(FIELDS)
    record.update(recipients=[], tasks=[], distribution=[], citations=[], pages=pages, ocr=ocr,
                  warnings=[], spans={}, text=text)
    return record


def extract_record(raw_text: str, *, pages: int = 1, ocr: bool = False,
                   evidence: OcrEvidence | None = None) -> LetterMetadata:
    """The typed record of one letter, as the pipeline stores it (see extract_metadata)."""
    return LetterMetadata.from_dict(
        extract_metadata(raw_text, pages=pages, ocr=ocr, evidence=evidence))


def extract_metadata(raw_text: str, *, pages: int = 1, ocr: bool = False,
                     evidence: OcrEvidence | None = None) -> dict[str, Any]:
    """The metadata record of one letter in its published JSON shape (LetterMetadata.to_dict);
    `evidence`: what OCR said about the pages' words, for each field's confidence."""
    try:
        text = clean_text(raw_text)
    except Exception:  # never raise on any text: keep the raw text and say so
        log.exception("cleaning failed")
        record = empty_record(raw_text, pages, ocr)
        record["warnings"].append("Không làm sạch được văn bản.")
        record["confidence"] = {}
        record["review"] = review_reasons(record)
        return record
    record = empty_record(text, pages, ocr)
    try:
        _extract(record, content_lines(text))
    except Exception:
        log.exception("metadata extraction failed")
        record["warnings"].append("Lỗi khi trích xuất thông tin; một số trường bị bỏ trống.")
    readable = _readable_text(text)
    if readable != text:
        _move_to_restored_text(record, text, readable)
    for task in record["tasks"]:
        task.pop(TASK_START, None)
    try:
        record["confidence"] = field_confidence(record, evidence)
    except Exception:  # a score is advice: never lose the record over it
        log.exception("field confidence failed")
        record["confidence"] = {}
    record["review"] = review_reasons(record)
    return record


# Parts of the Decree 30 layout; a letter shows at least two, other texts (a README, a manual,
# a novel) at most one: measured on the seeds, the devset, generated letters and our docs.
# 'Kính gửi' (or a Công điện's '… điện:') sits at the end of the header zone; one deep in the
# text belongs to a form annexed to a decree, not to the document.
RECIPIENTS_AFTER_HEADER = 6
LETTER_PARTS = ("symbol", "date", "subject", "recipients", "distribution", "signer")
MIN_LETTER_PARTS = 2
# The fields a clerk finds a letter by; with fewer than three found, the record is thin.
KEY_FIELDS = ("reference", "issuer", "date", "subject", "signer")
MIN_KEY_FIELDS = 3


def review_reasons(record: dict[str, Any]) -> list[str]:
    """Why a person should check this record, as codes (empty: nothing to check).

    not-a-letter: under two parts of a letter's layout; few-fields: under three of the fields
    a letter is found by; no-number, no-date, no-issuer: that field was not found;
    damaged-text: the text holds U+FFFD (bytes that could not be decoded)."""
    reasons = []
    if sum(1 for part in LETTER_PARTS if record.get(part)) < MIN_LETTER_PARTS:
        reasons.append("not-a-letter")
    if sum(1 for name in KEY_FIELDS if record.get(name)) < MIN_KEY_FIELDS:
        reasons.append("few-fields")
    for name, code in (("symbol", "no-number"), ("date", "no-date"), ("issuer", "no-issuer")):
        if not record.get(name):
            reasons.append(code)
    if weak_fields(record.get("confidence") or {}):
        reasons.append("weak-fields")
    if "\ufffd" in (record.get("text") or ""):
        reasons.append("damaged-text")
    return reasons


SAME_SUBJECT_RATIO = 85


def _move_to_restored_text(record: dict[str, Any], text: str, restored: str) -> None:
    """Use the diacritics-restored text, moving every span onto it; the subject is read again
    from it when it folds to nearly the subject found before (the restorer also mends some
    OCR letters: 'véi' → 'với'); names stay the gazetteers' job. Task texts are read again
    from it too. What was read stays beside it: `text_as_read`, each task's `text_as_read`."""
    remap = _word_offset_map(text, restored)
    if remap is None:
        return
    record["text"] = restored
    record["text_as_read"] = text
    words = _aligned_words(text, restored)
    for task in record["tasks"]:
        _restore_task(task, words)
    record["spans"] = {
        name: [remap(span[0]), remap(span[1])] if _is_span(span) else span
        for name, span in record["spans"].items()
    }
    span = record["spans"].get("subject")
    if record["subject"] and _is_span(span):
        words = restored[span[0] : span[1]].split()[-len(record["subject"].split()) :]
        again = " ".join(words)
        if fuzz.ratio(fold(again), fold(record["subject"])) >= SAME_SUBJECT_RATIO:
            record["subject"] = again


def _is_span(span: Any) -> bool:
    pair = isinstance(span, list | tuple) and len(span) == 2
    return pair and all(isinstance(i, int) for i in span)


def _word_offset_map(old: str, new: str) -> Any:
    """Map offsets of `old` onto `new` when they differ only inside words (same blanks between).

    Returns None when the two do not line up word for word."""
    old_parts, new_parts = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    if len(old_parts) != len(new_parts) or old_parts[1::2] != new_parts[1::2]:
        return None
    starts: list[tuple[int, int, int, int]] = []  # old start, old len, new start, new len
    old_at = new_at = 0
    for old_part, new_part in zip(old_parts, new_parts, strict=True):
        starts.append((old_at, len(old_part), new_at, len(new_part)))
        old_at, new_at = old_at + len(old_part), new_at + len(new_part)

    def remap(offset: int) -> int:
        index = bisect.bisect_right(starts, (offset, 1 << 62)) - 1
        old_start, old_len, new_start, new_len = starts[max(index, 0)]
        inside = offset - old_start
        return new_start + (new_len if inside >= old_len else min(inside, new_len))

    return remap


def _aligned_words(old: str, new: str) -> tuple[list[int], list[str], list[str]]:
    """(start offsets in `old`, words of `old`, words of `new`) of two texts that differ only
    inside words (checked by _word_offset_map)."""
    starts, old_words, new_words = [], [], []
    for match, new_word in zip(re.finditer(r"\S+", old), re.findall(r"\S+", new), strict=True):
        starts.append(match.start())
        old_words.append(match.group())
        new_words.append(new_word)
    return starts, old_words, new_words


def _restore_task(task: dict[str, Any], words: tuple[list[int], list[str], list[str]]) -> None:
    """A task's text word by word from the restored text (its words are the text's words from
    its offset on, blank lines left out); unaccented assignees are read again from it."""
    start = task.get(TASK_START)
    starts, old_words, new_words = words
    if not isinstance(start, int) or not starts:
        return
    first = max(bisect.bisect_right(starts, start) - 1, 0)
    as_read = task["text"]
    position = first

    def restored_word(match: re.Match[str]) -> str:
        nonlocal position
        word = match.group()
        old = old_words[position] if position < len(old_words) else ""
        new = new_words[position] if position < len(new_words) else word
        position += 1
        if word == old:
            return new
        if old.endswith(word) and len(old) == len(new):  # '1.Cac': the label stuck to it
            return new[len(old) - len(word):]
        return word

    text = re.sub(r"\S+", restored_word, as_read)
    if text == as_read:
        return
    task["text"], task["text_as_read"] = text, as_read
    remap = _word_offset_map(as_read, text)
    if remap is None:
        return
    for index, name in enumerate(task["assignees"]):
        at = as_read.find(name)
        if few_diacritics(name) and at >= 0:
            task["assignees"][index] = text[remap(at) : remap(at + len(name))]


def _take_restored_subject(record: dict[str, Any]) -> None:
    """After diacritics were restored, read the subject again from the restored text.

    The restorer keeps every offset, so the subject's span covers the same words, now accented;
    it is used only when it folds to exactly the subject found before.
    """
    span = record["spans"].get("subject")
    if not record["subject"] or not span:
        return
    restored = " ".join(record["text"][span[0] : span[1]].split())
    if fold(restored).endswith(fold(record["subject"])):
        record["subject"] = restored[len(restored) - len(record["subject"]) :]


def _extract(record: dict[str, Any], lines: list[Line]) -> None:
    header = parse_header(lines)
    foot = parse_foot(lines, header.end)
    date_at_foot(header, lines, foot.start)  # an Đơn's date line stands above its signature
    _take_header(record, header)
    stop = foot.start if foot.start is not None else len(lines)
    recipients, span, last = find_recipients(lines, stop, header.end + RECIPIENTS_AFTER_HEADER)
    record["recipients"] = recipients
    if span:
        record["spans"]["recipients"] = span
    body = (last if last is not None else header.end - 1) + 1
    record["tasks"] = find_assignments(lines, body, stop, record["issuer"], record["date"])
    record["signer"], record["distribution"] = foot.signer, foot.distribution
    record["spans"].update(foot.spans)
    record["warnings"].extend(foot.warnings)
    portal = find_portal_record(lines)
    if portal is not None:
        _take_portal_record(record, portal)
    if record["issuer"] is None:
        _infer_issuer(record, foot)
    _doc_type(record, header)
    if record["doc_type"] in NO_ORDERS or (
            record["doc_type"] in (None, "Công văn") and no_orders_heading(
                lines[:_before_tasks(lines, body, record["tasks"])])):
        record["tasks"] = []
    province = province_of(record["issuer"]) or gazetteer.province(record["place"] or "")
    record["citations"] = find_citations(record["text"], record["key"], province)
    copy = find_copy(lines, record["key"])  # a 'SAO Y' block's own number and date, kept apart
    if copy:
        record["copy"] = copy
    stamp = find_arrival_stamp(lines)  # a scan's 'ĐẾN' stamp: the register's proposal
    if stamp:
        record["arrival_stamp"] = stamp
    if few_diacritics(record["text"]):
        _restore_phrases(record)


# Documents that submit, report, invite, record, apply or certify: their numbered points are
# reasons, findings, an agenda or particulars, not orders to anyone (Decree 30, Appendix I); a
# Thông báo kết luận does order. An Đề án on its own is put up for approval (the Quyết định
# that approves it gives the orders).
NO_ORDERS = frozenset({"Tờ trình", "Phiếu trình", "Báo cáo", "Giấy mời", "Biên bản", "Đơn",
                       "Giấy xác nhận", "Giấy giới thiệu", "Giấy nghỉ phép", "Phiếu gửi",
                       "Phiếu chuyển", "Phiếu báo", "Đề án"})


def _before_tasks(lines: list[Line], body: int, tasks: list[dict[str, Any]]) -> int:
    """Where the type heading may stand: before the body, or (a header the parser missed)
    before the first task, within the first page's top."""
    first = min((task[TASK_START] for task in tasks), default=0)
    inside = sum(1 for line in lines if line.end <= first)
    return max(body, min(inside, HEADING_ZONE))


HEADING_ZONE = 40  # lines


def _take_portal_record(record: dict[str, Any], portal: PortalRecord) -> None:
    """Fill what the letter's own zones left empty from the record of the web page it was
    copied from (see ingest.extract.portal_record); the letter's own fields always win."""
    taken = []
    reference = portal.reference
    if record["symbol"] is None and reference is not None:
        record.update(number=reference.number, symbol=reference.symbol, key=reference.key,
                      reference=reference.display if reference.number else None)
        taken.append("số, ký hiệu")
    if record["date"] is None and portal.date is not None:
        record.update(date=portal.date, date_precision=portal.date_precision)
        taken.append("ngày ban hành")
    for name, value, label in (("doc_type", portal.doc_type, "loại văn bản"),
                               ("issuer", portal.issuer, "cơ quan ban hành"),
                               ("subject", portal.subject, "trích yếu")):
        if record[name] is None and value:
            record[name] = value
            taken.append(label)
    if record["signer"] is None and portal.signer:
        record["signer"] = {"name": portal.signer, "title": None, "authority": None,
                            "own_authority": None, "on_behalf_of": None, "authority_lines": []}
        taken.append("người ký")
    if taken:
        record["warnings"].append(
            f"Lấy từ bảng thông tin của trang web: {', '.join(taken)} (văn bản không ghi).")
    for name, missing in (("symbol", "Không tìm thấy số, ký hiệu văn bản."),
                          ("date", "Không tìm thấy ngày ban hành.")):
        if record[name] is not None and missing in record["warnings"]:
            record["warnings"].remove(missing)


def _take_header(record: dict[str, Any], header: Header) -> None:
    for name in ("reference", "key", "number", "symbol", "issuer", "parent_issuer", "place",
                 "date", "date_precision", "subject", "urgency", "secrecy"):
        record[name] = header.fields.get(name)
    record["spans"].update(header.spans)
    record["warnings"].extend(header.warnings)


def _infer_issuer(record: dict[str, Any], foot: Foot) -> None:
    found = infer_issuer(record["text"], record["signer"], record["distribution"])
    if found is None:
        by_symbol = infer_from_symbol(record["symbol"], record["place"], record["text"])
        if by_symbol is None:
            record["warnings"].append("Không xác định được cơ quan ban hành.")
            return
        record["issuer"] = by_symbol
        record["warnings"].append(
            "Văn bản không có tên cơ quan ở phần đầu: cơ quan ban hành được suy ra từ ký hiệu,"
            " địa danh và nội dung."
        )
        return
    record["issuer"], record["spans"]["issuer"] = found
    record["warnings"].append(
        "Văn bản không có phần đầu: cơ quan ban hành được suy ra từ nội dung và chữ ký."
    )


def _doc_type(record: dict[str, Any], header: Header) -> None:
    title, reference = header.fields.get("title"), header.reference
    if title:
        record["doc_type"] = title
        record["spans"]["doc_type"] = header.spans.get("title")
        return
    from ingest.extract.citations import _from_abbr

    by_symbol = _from_abbr(reference) if reference is not None else None
    if by_symbol:
        record["doc_type"] = by_symbol
        record["spans"]["doc_type"] = header.spans.get("symbol")
    elif record["subject"] is not None or record["recipients"]:
        record["doc_type"] = "Công văn"
        if record["subject"] is None:
            record["warnings"].append("Không có trích yếu V/v: coi là công văn vì có 'Kính gửi'.")
    else:
        record["warnings"].append("Không xác định được loại văn bản.")


def _restore_phrases(record: dict[str, Any]) -> None:
    """Letters OCR'd without diacritics: restore common recipient and distribution phrases."""
    def restore(items: list[str]) -> list[str]:
        return [gazetteer.phrase(item) or _restore_body(item) for item in items]

    record["recipients"] = restore(record["recipients"])
    record["distribution"] = [re.sub(r"^Luu\b", "Lưu", item)
                              for item in restore(record["distribution"])]
    for task in record["tasks"]:
        task["assignees"] = restore(task["assignees"])


def _restore_body(item: str) -> str:
    from ingest.extract.issuers import canonical_body

    known = gazetteer.body_name(item)
    if known or re.match(r"(?:UBND|HĐND|HDND)\b", item):
        return known or item
    restored = canonical_body(item)
    return restored if restored != item and not few_diacritics(restored) else item


def _readable_text(text: str) -> str:
    """Restore diacritics of a letter OCR'd without them, when the restorer is installed.

    The caller moves the spans onto the restored text (see _move_to_restored_text).
    """
    if not few_diacritics(text):
        return text
    try:
        from ingest.repair.diacritics import restore_diacritics
    except ImportError:
        return text
    try:
        restored = restore_diacritics(text)
    except Exception as error:  # the restorer is optional: keep the text as cleaned
        log.warning("diacritic restoration failed: %s", error)
        return text
    return restored
