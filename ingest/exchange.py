"""A letter's record in the fields of Decree 30/2020's Phụ lục VI, for other document systems.

Phụ lục VI lists what a document system must record of each letter it sends or receives;
document-exchange systems name the fields in English (CodeNumber, CodeNotation, IssuedDate,
OrganName …). congvan's record maps onto them: the number and the symbol as separate fields,
the signer's title and name, the recipients ('Kính gửi', else the 'Nơi nhận' list without the
file copy and 'Như trên'), urgency and secrecy, the earliest deadline of the tasks the letter
gives, and for a received letter its arrival number and date (from the register, else as read
from the scan's 'ĐẾN' stamp). A field congvan does not know is null, never guessed (OrganId,
FileCode, IssuedAmount …). Dates are ISO 8601 ('2025-03' when only the month is written).

`exchange_record` builds one record as a dict in a fixed field order (JSON); `exchange_row`
flattens it for CSV (EXCHANGE_COLUMNS).
"""

from __future__ import annotations

import re
from typing import Any

from ingest.model import LetterMetadata
from ingest.store.catalog import RegisterEntry

LANGUAGE = "vi"
INCOMING = "den"

# Lines of 'Nơi nhận' that are not a recipient: the file copy ('Lưu: VT, …') and 'Như trên'
# (the 'Kính gửi' list above it, already in To).
_NOT_RECIPIENT = re.compile(r"^\s*(?:lưu\b|như\s+trên\b)", re.IGNORECASE)

EXCHANGE_COLUMNS = (
    "Identifier", "CodeNumber", "CodeNotation", "TypeName", "IssuedDate", "OrganName",
    "ParentOrganName", "Place", "Subject", "Language", "PageAmount", "SignerInfo.Position",
    "SignerInfo.FullName", "SignerInfo.Authority", "To", "Priority.Urgency",
    "Priority.Secrecy", "DueDate", "Direction", "ArrivalDate", "ArrivalNumber", "ToPlaces",
    "OrganId", "FileCode", "IssuedAmount",
)


def recipients_of(metadata: LetterMetadata) -> list[str]:
    """Who the letter is sent to: the 'Kính gửi' list, else 'Nơi nhận' without the file copy
    and 'Như trên'; each once, in the letter's order."""
    names = metadata.recipients or [line for line in metadata.distribution
                                    if not _NOT_RECIPIENT.match(line)]
    cleaned = (name.strip().rstrip(";.,").strip() for name in names)
    return list(dict.fromkeys(name for name in cleaned if name))


def due_date(metadata: LetterMetadata) -> str | None:
    """The earliest deadline among the letter's tasks (ISO), or None."""
    deadlines = [task.deadline for task in metadata.tasks if task.deadline]
    return min(deadlines) if deadlines else None


def exchange_record(document_id: str, metadata: LetterMetadata, *,
                    register: RegisterEntry | None = None) -> dict[str, Any]:
    """One letter in Phụ lục VI's fields (see the module); `register`: its register entry,
    whose arrival number and date win over the stamp read from the scan."""
    signer = metadata.signer
    stamp = metadata.arrival_stamp
    incoming = register is not None and register.direction == INCOMING
    arrival_number: str | None = None
    arrival_date = to_places = None
    if incoming and register is not None:
        arrival_number = str(register.arrival_number) if register.arrival_number else None
        arrival_date, to_places = register.entry_date, register.unit
    elif stamp is not None:
        arrival_number, arrival_date, to_places = stamp.number, stamp.date, stamp.unit
    return {
        "Identifier": document_id,
        "CodeNumber": metadata.number,
        "CodeNotation": metadata.symbol,
        "TypeName": metadata.doc_type,
        "IssuedDate": metadata.date,
        "OrganName": metadata.issuer,
        "ParentOrganName": metadata.parent_issuer,
        "Place": metadata.place,
        "Subject": metadata.subject,
        "Language": LANGUAGE,
        "PageAmount": metadata.pages,
        "SignerInfo": {
            "Position": signer.title if signer else None,
            "FullName": signer.name if signer else None,
            "Authority": signer.authority if signer else None,
        },
        "To": [{"OrganId": None, "OrganName": name} for name in recipients_of(metadata)],
        "Priority": {"Urgency": metadata.urgency, "Secrecy": metadata.secrecy},
        "DueDate": due_date(metadata),
        "Direction": register.direction if register else None,
        "ArrivalDate": arrival_date,
        "ArrivalNumber": arrival_number,
        "ToPlaces": [to_places] if to_places else [],
        "OrganId": None,
        "FileCode": None,
        "IssuedAmount": None,
    }


def exchange_row(record: dict[str, Any]) -> list[Any]:
    """A record of `exchange_record` as one CSV row of EXCHANGE_COLUMNS: nested fields by
    their dotted name, lists joined by '; '."""
    row = []
    for column in EXCHANGE_COLUMNS:
        value: Any = record
        for part in column.split("."):
            value = value[part]
        if column == "To":
            value = "; ".join(organ["OrganName"] for organ in value)
        elif isinstance(value, list):
            value = "; ".join(value)
        row.append(value)
    return row
