"""Corrections by hand: the fields staff may correct, how a value is checked, and the overlay.

A correction is one field's value as a person set it, stored apart from the machine's record
(the catalog's `corrections` table) so that a later extraction refreshes only the fields no one
corrected. `parse_changes` checks submitted values the way the extractor's own output is shaped
(a number and symbol parse as `ingest.extract.numbers` parses them, a date is a real date at day,
month or year precision, a type is one Decree 30 names) and answers Vietnamese messages per
field; `overlay` lays the corrections over a machine record to give the effective record the
catalog's columns, child rows and index show.

Values are JSON shapes (they are stored as JSON):
    reference     "15/STTTT-TTBCXB" (number and symbol; "/UBND-VP" for a number left blank)
    doc_type, issuer, subject       a string
    date          "2025-03-10", "2025-03" or "2025" (the precision follows from its length)
    recipients, distribution        a list of strings
    signer        {"name", "title", "authority"}
    citations     a list of references ("17/2017/NĐ-CP"), each with its relation's name before
                  it ("thay thế: 12/2020/QĐ-UBND"; "trích dẫn: …" a plain reference); one
                  without keeps the relation the machine read for that number
    tasks         a list of {"label", "text", "assignees": [...], "deadline": "YYYY-MM-DD"}
Every field may also be None (or [] for lists): the letter has none.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

from ingest.extract import gazetteer
from ingest.extract.dates import precision_of
from ingest.extract.metadata import review_reasons
from ingest.extract.numbers import parse_reference
from ingest.extract.relations import RELATIONS, THAM_CHIEU
from ingest.folding import fold
from ingest.model import Assignment, Citation, Deadline, LetterMetadata, Signer

# The fields a person may correct, in the order the form shows them, with their Vietnamese names.
FIELDS: dict[str, str] = {
    "reference": "Số, ký hiệu",
    "doc_type": "Loại văn bản",
    "issuer": "Cơ quan ban hành",
    "date": "Ngày ban hành",
    "subject": "Trích yếu",
    "recipients": "Kính gửi",
    "signer": "Người ký",
    "distribution": "Nơi nhận",
    "citations": "Văn bản được trích dẫn",
    "tasks": "Nhiệm vụ",
}
# The confidence entries (ingest.extract.confidence) a corrected field makes moot.
_CONFIDENCE_OF = {
    "reference": ("number", "symbol"), "doc_type": ("doc_type",), "issuer": ("issuer",),
    "date": ("date",), "subject": ("subject",), "recipients": ("recipients",),
    "signer": ("signer.name", "signer.title"), "distribution": ("distribution",),
}
MAX_TEXT = 20_000  # characters of one value (a long article of a Quyết định is one task)
MAX_ITEMS = 500  # entries of one list


class CorrectionError(ValueError):
    """Submitted values that do not pass: `errors` maps each field to its Vietnamese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


# -- reading a field's value off a record -------------------------------------------------------


def field_value(meta: LetterMetadata, name: str) -> Any:
    """The value of one correctable field in `meta`, in the shape a correction stores."""
    if name == "reference":
        if meta.reference:
            return meta.reference
        return f"/{meta.symbol}" if meta.symbol else None
    if name == "date":
        return meta.date
    if name == "signer":
        signer = meta.signer or Signer()
        return {"name": signer.name, "title": signer.title, "authority": signer.authority}
    if name == "citations":
        return [cited_line(citation.reference, citation.relation) for citation in meta.citations]
    if name == "tasks":
        return [{"label": t.label, "text": t.text, "assignees": list(t.assignees),
                 "deadline": t.deadline} for t in meta.tasks]
    if name in ("recipients", "distribution"):
        return list(getattr(meta, name))
    return getattr(meta, name)


def same_value(name: str, old: Any, new: Any) -> bool:
    """Whether a checked value `new` says what the record's `old` says: `old` is read as a
    submitted value would be (spaces collapsed, a date or number spelled canonically), so a form
    sent back unchanged corrects nothing."""
    if old == new:
        return True
    try:
        return _PARSERS[name](old) == new
    except (ValueError, TypeError):
        return False


def record_values(meta: LetterMetadata) -> dict[str, Any]:
    """Every correctable field's value in `meta`."""
    return {name: field_value(meta, name) for name in FIELDS}


# -- laying corrections over a record -------------------------------------------------------------


def apply_field(meta: LetterMetadata, name: str, value: Any) -> LetterMetadata:
    """`meta` with one field set to a checked value (see parse_changes)."""
    if name == "reference":
        reference = parse_reference(value) if value else None
        if reference is None:
            return replace(meta, number=None, symbol=None, reference=None, key=None)
        return replace(meta, number=reference.number, symbol=reference.symbol, key=reference.key,
                       reference=reference.display if reference.number else None)
    if name == "date":
        return replace(meta, date=value, date_precision=precision_of(value))
    if name == "signer":
        old = meta.signer or Signer()
        value = value or {}
        same_block = (old.authority, old.title) == (value.get("authority"), value.get("title"))
        signer = replace(old, name=value.get("name"), title=value.get("title"),
                         authority=value.get("authority"),
                         # the signing block as read no longer holds when its parts changed
                         authority_lines=old.authority_lines if same_block else [],
                         own_authority=old.own_authority if same_block else None,
                         on_behalf_of=old.on_behalf_of if same_block else None)
        return replace(meta, signer=signer if any(value.values()) else None)
    if name == "citations":
        known = {citation.key: citation for citation in meta.citations}
        citations = []
        for line in value or []:
            relation, text = split_relation(line)
            reference = parse_reference(text)
            assert reference is not None and reference.key  # checked by parse_changes
            old = known.get(reference.key) or Citation(reference="", key=reference.key)
            citations.append(replace(old, reference=reference.display,
                                     relation=relation or old.relation))
        return replace(meta, citations=citations)
    if name == "tasks":
        old_tasks = {task.text: task for task in meta.tasks}
        tasks = []
        for item in value or []:
            old = old_tasks.get(item["text"])
            deadline = item.get("deadline")
            tasks.append(Assignment(label=item.get("label"), text=item["text"],
                                    assignees=list(item.get("assignees") or []),
                                    deadline=deadline,
                                    text_as_read=old.text_as_read if old else None,
                                    deadlines=_deadlines(old, deadline)))
        return replace(meta, tasks=tasks)
    if name in ("recipients", "distribution"):
        return replace(meta, **{name: list(value or [])})
    if name in ("doc_type", "issuer", "subject"):
        return replace(meta, **{name: value})
    raise KeyError(name)


def _deadlines(old: Assignment | None, deadline: str | None) -> list[Deadline]:
    """A corrected task's deadlines: the machine's while its day is the one it read (a
    recurring or a month's deadline has none), else the day set by hand."""
    if old is not None and old.deadline == deadline:
        return list(old.deadlines)
    return [Deadline(date=deadline, precision="day")] if deadline else []


def overlay(machine: LetterMetadata, corrections: dict[str, Any]) -> LetterMetadata:
    """The effective record: the machine's record with the corrected fields set by hand. A
    corrected field's confidence no longer applies, and the reasons for review are read again
    (a corrected issuer is no longer 'no-issuer')."""
    if not corrections:
        return machine
    meta = machine
    for name, value in corrections.items():
        if name in FIELDS:
            meta = apply_field(meta, name, value)
    moot = {key for name in corrections for key in _CONFIDENCE_OF.get(name, ())}
    confidence = {key: score for key, score in meta.confidence.items() if key not in moot}
    meta = replace(meta, confidence=confidence)
    return replace(meta, review=review_reasons(meta.to_dict()))


# -- checking submitted values ---------------------------------------------------------------


def parse_changes(data: dict[str, Any]) -> dict[str, Any]:
    """The checked values of the fields in `data` (submitted: strings, lists, dicts), or
    CorrectionError with a Vietnamese message per field that does not pass. Unknown fields are
    refused too."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, raw in data.items():
        if name not in FIELDS:
            errors[name] = "Không có trường này hoặc trường này không sửa được."
            continue
        try:
            values[name] = _PARSERS[name](raw)
        except ValueError as error:
            errors[name] = str(error)
    if errors:
        raise CorrectionError(errors)
    return values


def _text(raw: Any, *, required: bool = False) -> str | None:
    if raw is None:
        value = ""
    elif isinstance(raw, str):
        value = " ".join(raw.split())
    else:
        raise ValueError("Giá trị phải là một chuỗi chữ.")
    if len(value) > MAX_TEXT:
        raise ValueError(f"Quá dài (tối đa {MAX_TEXT} ký tự).")
    if required and not value:
        raise ValueError("Không được để trống.")
    return value or None


def _list(raw: Any) -> list[Any]:
    if raw is None:
        return []
    if isinstance(raw, str):  # a textarea: one entry a line
        raw = raw.splitlines()
    if not isinstance(raw, list):
        raise ValueError("Giá trị phải là một danh sách.")
    if len(raw) > MAX_ITEMS:
        raise ValueError(f"Quá nhiều mục (tối đa {MAX_ITEMS}).")
    return raw


def _names(raw: Any) -> list[str]:
    names = [_text(item) for item in _list(raw)]
    return [name.lstrip("-–+• ").rstrip(";,.") for name in names if name] or []


def _reference(raw: Any) -> str | None:
    text = _text(raw)
    if text is None:
        return None
    reference = parse_reference(text)
    if reference is None:
        raise ValueError(f"Không đọc được số, ký hiệu “{text}” (ví dụ: 15/STTTT-TTBCXB, "
                         "30/2020/NĐ-CP, 85-QĐ/TW).")
    return reference.display


_DATE_FORMS = (
    (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"), ("day", "month", "year")),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), ("year", "month", "day")),
    (re.compile(r"(\d{1,2})[/.-](\d{4})"), ("month", "year")),
    (re.compile(r"(\d{4})-(\d{1,2})"), ("year", "month")),
    (re.compile(r"(\d{4})"), ("year",)),
)


def parse_date(text: str) -> str:
    """An ISO date at day, month or year precision from 'dd/mm/yyyy', 'mm/yyyy', 'yyyy' or ISO;
    ValueError (in Vietnamese) for anything that is not a real date."""
    for pattern, parts in _DATE_FORMS:
        match = pattern.fullmatch(text)
        if match:
            found = {part: int(value) for part, value in zip(parts, match.groups(), strict=True)}
            year, month, day = found["year"], found.get("month"), found.get("day")
            try:
                if not 1900 <= year <= 2100:
                    raise ValueError
                if day is not None:
                    return dt.date(year, month or 0, day).isoformat()
                if month is not None:
                    dt.date(year, month, 1)
                    return f"{year:04d}-{month:02d}"
                return f"{year:04d}"
            except ValueError:
                break
    raise ValueError(f"“{text}” không phải là một ngày có thật (viết ngày/tháng/năm, "
                     "tháng/năm hoặc năm, ví dụ 10/03/2025).")


def _date(raw: Any) -> str | None:
    text = _text(raw)
    return parse_date(text) if text else None


def _doc_type(raw: Any) -> str | None:
    text = _text(raw)
    if text is None:
        return None
    types = list(gazetteer.data()["doc_types"])
    exact = next((name for name in types if fold(name) == fold(text)), None)
    if exact is None:
        raise ValueError(f"“{text}” không phải là một loại văn bản (ví dụ: Công văn, "
                         "Quyết định, Kế hoạch).")
    return exact


def _signer(raw: Any) -> dict[str, str | None]:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict) or set(raw) - {"name", "title", "authority"}:
        raise ValueError("Người ký gồm họ tên (name), chức vụ (title), thẩm quyền ký (authority).")
    authority = _text(raw.get("authority"))
    if authority:
        authority = authority.upper().rstrip(".") + "."
        if authority not in ("TM.", "KT.", "TL.", "TUQ.", "Q."):
            raise ValueError("Thẩm quyền ký là TM., KT., TL., TUQ. hoặc Q. (hoặc để trống).")
    return {"name": _text(raw.get("name")), "title": _text(raw.get("title")),
            "authority": authority}


# A relation typed before a cited number, by its Vietnamese name ('thay thế: …') or the start of
# it ('sửa đổi: …' for 'sửa đổi, bổ sung'), with or without diacritics.
def _name_key(text: str) -> str:
    return " ".join(fold(text).replace(",", " ").split())


_RELATION_NAMES = {_name_key(relation.forward): code for code, relation in RELATIONS.items()}
_RELATION_NAMES.update({"sua doi": "sua_doi", "bo sung": "sua_doi", "tham chieu": THAM_CHIEU,
                        "theo de nghi": "de_nghi", "de nghi": "de_nghi"})


def cited_line(reference: str, relation: str | None) -> str:
    """A citation as the form and the stored correction write it: its relation's name before
    the number ('trích dẫn: …' a plain reference), the number alone when no relation was read
    (letters read before relations were)."""
    if relation in RELATIONS:
        return f"{RELATIONS[relation].forward}: {reference}"
    return reference


def split_relation(line: str) -> tuple[str | None, str]:
    """('thay_the', '12/2020/QĐ-UBND') from 'thay thế: 12/2020/QĐ-UBND'; (None, line) when
    nothing before a colon names a relation."""
    head, colon, rest = line.partition(":")
    if colon:
        code = _RELATION_NAMES.get(_name_key(head))
        if code:
            return code, rest.strip()
    return None, line


def _citations(raw: Any) -> list[str]:
    found: list[str] = []
    keys: set[str] = set()
    for item in _list(raw):
        line = _text(item)
        if not line:
            continue
        relation, text = split_relation(line)
        reference = parse_reference(text)
        if reference is None or reference.key is None:
            raise ValueError(f"Không đọc được số, ký hiệu “{text}” của văn bản được trích dẫn "
                             "(quan hệ, nếu có, viết trước dấu hai chấm: “thay thế: 12/2020/"
                             "QĐ-UBND”).")
        if reference.key not in keys:
            keys.add(reference.key)
            found.append(cited_line(reference.display, relation))
    return found


def _tasks(raw: Any) -> list[dict[str, Any]]:
    tasks = []
    for position, item in enumerate(_list(raw), start=1):
        if not isinstance(item, dict) or set(item) - {"label", "text", "assignees", "deadline"}:
            raise ValueError("Mỗi nhiệm vụ gồm label, text, assignees, deadline.")
        text = _text(item.get("text"))
        assignees = item.get("assignees")
        if isinstance(assignees, str):  # a form's one line: 'Sở Y tế; UBND các huyện'
            assignees = assignees.split(";")
        deadline = _text(item.get("deadline"))
        if not text:
            if (assignees and any(_text(a) for a in assignees)) or deadline:
                raise ValueError(f"Nhiệm vụ thứ {position}: thiếu nội dung.")
            continue
        try:
            deadline = parse_date(deadline) if deadline else None
        except ValueError as error:
            raise ValueError(f"Nhiệm vụ thứ {position}: thời hạn {error}") from None
        if deadline and len(deadline) != 10:
            raise ValueError(f"Nhiệm vụ thứ {position}: thời hạn phải có ngày, tháng, năm.")
        tasks.append({"label": _text(item.get("label")), "text": text,
                      "assignees": _names(assignees), "deadline": deadline})
    return tasks


_PARSERS = {
    "reference": _reference,
    "doc_type": _doc_type,
    "issuer": _text,
    "date": _date,
    "subject": _text,
    "recipients": _names,
    "signer": _signer,
    "distribution": _names,
    "citations": _citations,
    "tasks": _tasks,
}
