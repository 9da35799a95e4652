"""Plain records passed between the ingest stages."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any


@dataclass
class Page:
    """One page of a letter: its text and how we got it."""

    number: int  # 1-based
    text: str
    ocr: bool = False
    confidence: float | None = None  # Tesseract's mean word confidence, 0–100
    # OCR'd pages: each word with Tesseract's confidence, for the fields' confidence (not
    # stored in the catalog: the record keeps the scores)
    words: list[tuple[str, float]] | None = None


# -- a letter's metadata record ------------------------------------------------------------
# The extractor builds it; the catalog stores it (columns and child rows, and whole as JSON);
# the index and the views read it back. JSON in and out happens only at the edges, through
# `to_dict` / `from_dict`, whose dict is the record's published shape (the JSON API's and
# `congvan extract`'s `metadata`).


@dataclass
class Signer:
    """Who signed, with what title and authority (TM., KT., TL., Q., …)."""

    name: str | None = None
    title: str | None = None
    authority: str | None = None  # the outermost: TL. in 'TL. CHỦ TỊCH / KT. CHÁNH VĂN PHÒNG'
    own_authority: str | None = None  # the signer's own: KT. there
    on_behalf_of: str | None = None
    authority_lines: list[str] = field(default_factory=list)


@dataclass
class Citation:
    """A document the letter cites: its reference as written and its canonical key; how the
    letter relates to it (a code of ingest.extract.relations.RELATIONS: 'can_cu', 'thay_the' …;
    None when read before relations were, or typed by hand) and the part it touches when written
    ('khoản 2 Điều 8')."""

    reference: str
    key: str
    doc_type: str | None = None
    date: str | None = None
    issuer: str | None = None
    relation: str | None = None
    scope: str | None = None


@dataclass
class Deadline:
    """One deadline a task states (ingest/extract/deadlines.py reads them): by a date ('trước
    ngày 30/6/2025', at `time` 'trước 15 giờ …'), within a month ('trong tháng 3/2025':
    `precision` "month", `date` '2025-03'), again and again (`recurrence` 'daily', 'weekly',
    'monthly', 'quarterly', 'half-yearly', 'yearly', on `day` (of the month; of the week 1 =
    Monday) and `month` when written: 'trước ngày 20 hằng tháng'), at once ('ngay', 'khẩn trương':
    `immediate`, due the letter's date) or within days of the letter (`within_days`,
    `working_days`, `counted_from` 'signing', 'receipt', 'issue' or 'event': counted from the
    letter's date, except an event's, whose date the letter cannot give). `kind` "report" is
    the duty to report back (`report_to`: to whom), "task" the work itself."""

    kind: str = "task"
    date: str | None = None  # ISO day or month; computed for relative and immediate deadlines
    precision: str | None = None  # "day" or "month" (with a date)
    time: str | None = None  # "15:00"
    recurrence: str | None = None
    day: int | None = None
    month: int | None = None
    within_days: int | None = None
    working_days: bool = False
    counted_from: str | None = None
    immediate: bool = False
    report_to: str | None = None


@dataclass
class Assignment:
    """One task the letter gives: its label ('1.', 'Điều 2'), text, assignees and deadline.

    `deadline` is the one due date (ISO day) the task gives, as readers have always had it;
    `deadlines` every deadline it states, with its form (see Deadline)."""

    label: str | None = None
    text: str = ""
    assignees: list[str] = field(default_factory=list)
    deadline: str | None = None
    text_as_read: str | None = None  # before diacritics were restored; absent when the same
    deadlines: list[Deadline] = field(default_factory=list)


@dataclass
class CopyBlock:
    """A 'SAO Y / SAO LỤC / TRÍCH SAO' block: the copy's own kind, number and date."""

    kind: str
    reference: str | None = None
    date: str | None = None


@dataclass
class ArrivalStamp:
    """The receiving office's 'ĐẾN' stamp on a scan (Decree 30, Appendix IV): its arrival
    number, date and the unit the letter was passed to, as read; a proposal a clerk confirms
    when registering the letter, never the letter's own number or date."""

    number: str | None = None
    date: str | None = None  # ISO
    unit: str | None = None


_LISTS = ("recipients", "distribution", "warnings", "review")


@dataclass
class LetterMetadata:
    """The Decree 30 record of one letter (see the README's glossary for the Vietnamese)."""

    text: str = ""
    doc_type: str | None = None
    reference: str | None = None
    key: str | None = None
    number: str | None = None
    symbol: str | None = None
    issuer: str | None = None
    parent_issuer: str | None = None
    place: str | None = None
    date: str | None = None
    date_precision: str | None = None
    subject: str | None = None
    recipients: list[str] = field(default_factory=list)
    tasks: list[Assignment] = field(default_factory=list)
    signer: Signer | None = None
    distribution: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    urgency: str | None = None
    secrecy: str | None = None
    pages: int = 1
    ocr: bool = False
    warnings: list[str] = field(default_factory=list)
    spans: dict[str, Any] = field(default_factory=dict)  # field → [start, end] in `text`
    text_as_read: str | None = None  # before diacritics were restored; absent when the same
    copy: CopyBlock | None = None
    confidence: dict[str, dict[str, Any]] = field(default_factory=dict)  # field → score, factors
    review: list[str] = field(default_factory=list)  # why a person should check it (codes)
    arrival_stamp: ArrivalStamp | None = None  # a scan's 'ĐẾN' stamp, when one is read

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LetterMetadata:
        """The record from its JSON shape. Keys it does not know (written by an older
        extractor) are left out; a test holds today's extractor to keys it knows."""
        values = _known(cls, data)
        signer, copy = values.pop("signer", None), values.pop("copy", None)
        stamp = values.pop("arrival_stamp", None)
        tasks, citations = values.pop("tasks", None) or [], values.pop("citations", None) or []
        for name in _LISTS:
            values[name] = values.get(name) or []
        return cls(
            **values,
            signer=Signer(**_known(Signer, signer)) if signer else None,
            copy=CopyBlock(**_known(CopyBlock, copy)) if copy else None,
            arrival_stamp=ArrivalStamp(**_known(ArrivalStamp, stamp)) if stamp else None,
            tasks=[_assignment(task) for task in tasks],
            citations=[Citation(**_known(Citation, citation)) for citation in citations],
        )

    def to_dict(self) -> dict[str, Any]:
        """The published JSON shape (what `from_dict` reads), in its usual key order."""
        data: dict[str, Any] = {}
        for name in _PUBLISHED:
            value = getattr(self, name)
            if name in _OPTIONAL and value is None:
                continue
            data[name] = _plain(value)
        for task in data["tasks"]:
            if task["text_as_read"] is None:
                del task["text_as_read"]
            task["deadlines"] = [deadline_dict(item) for item in task["deadlines"]]
        return data


_DEADLINE_DEFAULTS = {item.name: item.default for item in fields(Deadline)}


def deadline_dict(deadline: Deadline | dict[str, Any]) -> dict[str, Any]:
    """A deadline's JSON shape: its kind, and the other parts only where set."""
    values = _as_dict(deadline) if isinstance(deadline, Deadline) else deadline
    return {key: value for key, value in values.items()
            if key == "kind" or value != _DEADLINE_DEFAULTS.get(key)}


# The record's fields in the order of its published shape; the optional ones appear only when
# set, as the extractor has always written them.
_OPTIONAL = ("text_as_read", "copy", "arrival_stamp")
_PUBLISHED = (
    "doc_type", "reference", "key", "number", "symbol", "issuer", "parent_issuer", "place",
    "date", "date_precision", "subject", "recipients", "tasks", "signer", "distribution",
    "citations", "urgency", "secrecy", "pages", "ocr", "warnings", "spans", "text",
    "text_as_read", "copy", "confidence", "review", "arrival_stamp",
)


def _assignment(data: dict[str, Any]) -> Assignment:
    values = _known(Assignment, data)
    values["deadlines"] = [Deadline(**_known(Deadline, item))
                           for item in values.get("deadlines") or []]
    return Assignment(**values)


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {item.name for item in fields(cls)}
    return {key: value for key, value in data.items() if key in names}


def _plain(value: Any) -> Any:
    """A copy made of dicts, lists and scalars only (JSON's shapes)."""
    if is_dataclass(value) and not isinstance(value, type):
        return _as_dict(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _as_dict(value: Any) -> Any:
    """`dataclasses.asdict`, the same values, without its deep copy of every string and
    number (they cannot change) nor its look-up of a dataclass's fields at every object: that
    was most of a record's `to_dict`, which the catalog makes of every letter it stores."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    names = _FIELD_NAMES.get(kind)
    if names is None and is_dataclass(kind):
        names = _FIELD_NAMES[kind] = tuple(item.name for item in fields(kind))
    if names is not None:
        return {name: _as_dict(getattr(value, name)) for name in names}
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple
        return kind(*[_as_dict(item) for item in value])
    if isinstance(value, (list, tuple)):
        return kind(_as_dict(item) for item in value)
    if isinstance(value, dict):
        return kind((_as_dict(key), _as_dict(item)) for key, item in value.items())
    return copy.deepcopy(value)


_SCALARS = frozenset((str, int, float, bool, type(None)))
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


@dataclass
class DocumentRecord:
    """Everything the catalog stores for one archived letter, written in one transaction."""

    id: str
    sha256: str
    filename: str
    media_type: str
    size_bytes: int
    pages: list[Page]
    metadata: LetterMetadata = field(default_factory=LetterMetadata)

    @property
    def raw_text(self) -> str:
        return "\n\n".join(page.text for page in self.pages)

    @property
    def ocr_pages(self) -> int:
        return sum(page.ocr for page in self.pages)
