"""A web portal's record of a letter, copied with it: the labelled fields a government site
prints above or beside the text ('Số ký hiệu: 217/SNNMT-CCTY', 'Ngày ban hành: 14/03/2025',
'Loại văn bản: Công văn', 'Cơ quan ban hành: …', 'Người ký: …', 'Trích yếu: …').

When staff copy a letter from such a page, the letter's own header is often left out (the site
shows it only in the record); the record then says what the header would. It is read only to fill
the fields the letter's own zones leave empty: the letter's own header always wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.extract import gazetteer
from ingest.extract.dates import NUMERIC_DATE_RE, WORDS_DATE_RE, date_from_match, iso_date
from ingest.extract.issuers import canonical_body
from ingest.extract.layout import RECORD_FIELDS, RECORD_LABEL_RE, Line
from ingest.extract.numbers import Reference, parse_reference
from ingest.folding import fold

RECORD_LINES = 80  # a page's record stands at its top, before or beside the letter's first lines
MIN_LABELS = 2  # one 'Người ký:' alone is a line of a letter, not a site's record


@dataclass
class PortalRecord:
    reference: Reference | None = None
    date: str | None = None
    date_precision: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    signer: str | None = None
    subject: str | None = None


def find_portal_record(lines: list[Line]) -> PortalRecord | None:
    """The site's record in the first lines, or None when fewer than two labels are there."""
    found: dict[str, str] = {}
    for line in lines[:RECORD_LINES]:
        shadow = line.shadow
        match = RECORD_LABEL_RE.match(shadow.folded)
        if not match:
            continue
        field = RECORD_FIELDS[match.group(1)]
        value = line.text[shadow.to_original(match.end()):].strip(" .;\t")
        if value and field not in found:
            found[field] = value
    found.pop("field", None)  # labels read only to keep their lines apart
    if len(found) < MIN_LABELS:
        return None
    record = PortalRecord()
    if "reference" in found:
        record.reference = parse_reference(found["reference"].split()[0])
    if "date" in found:
        record.date, record.date_precision = _date(found["date"])
    if "doc_type" in found:
        record.doc_type = gazetteer.doc_type_name(found["doc_type"])
    if "issuer" in found:
        record.issuer = canonical_body(found["issuer"])
    if "signer" in found and len(found["signer"].split()) <= 6:
        record.signer = " ".join(found["signer"].split())
    if "subject" in found:
        record.subject = re.sub(r"^(?:V/v|Về việc)\s*:?\s*", "", found["subject"],
                                flags=re.IGNORECASE) or None
    return record


def _date(value: str) -> tuple[str | None, str | None]:
    folded = fold(value)
    numeric = NUMERIC_DATE_RE.search(folded)
    if numeric:
        iso = iso_date(int(numeric.group(4)), int(numeric.group(3)), int(numeric.group(1)))
        return iso, "day" if iso else None
    words = WORDS_DATE_RE.search(folded)
    if words:
        iso, precision = date_from_match(words)
        return iso, precision if iso else None
    return None, None
