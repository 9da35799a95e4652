"""Turn a catalog row (`CatalogStore.iter_documents()`) into the fields the index stores."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ingest.extract.numbers import reference_key
from ingest.extract.relations import IN_FORCE, VALIDITY_LABELS
from ingest.model import Assignment, Citation, LetterMetadata, Signer
from ingest.store.catalog import INDEX_STAMP_COLUMNS, CatalogStore

from .planning import unread_key
from .provinces import province_of, province_terms, slug

log = logging.getLogger(__name__)

_DATE_RE = re.compile(r"^\d{4}(-\d\d){0,2}$")


def _stamp(values: tuple | list) -> str:
    # NULLs are left out: a column added to the stamp (notes_text, flag_changed_at) that is
    # NULL for a letter keeps the letter's stamp as it was, so adding it reindexed no letter.
    present = [str(value) for value in values if value is not None]
    return hashlib.blake2b("\x00".join(present).encode(), digest_size=12).hexdigest()


def catalog_stamps(catalog: CatalogStore, ids: Sequence[str] | None = None) -> dict[str, str]:
    """id → a digest of everything the index takes from that letter's catalog row (its
    metadata record, text included, and file names), read without parsing any JSON: a sync
    of 100k letters compares these and reads in full only the rows that changed. With `ids`,
    only those letters (those gone or in the trash have none)."""
    return {document_id: _stamp(values) for document_id, values in catalog.index_stamps(ids)}


def letters_changes(catalog: CatalogStore, ids: Sequence[str]) -> Changes:
    """What to write for letters the catalog says changed (its change sequence): each still
    archived is written again, each gone or in the trash is deleted. No reading of the whole
    index or catalog, so a node follows a million-letter catalog as fast as a small one."""
    stamps = catalog_stamps(catalog, ids)
    return Changes(stamps=stamps, missing=[], stale=sorted(stamps),
                   extra=sorted(set(ids) - set(stamps)))


@dataclass
class Changes:
    """How the index differs from the catalog: letters to (re)write, ids to delete."""

    stamps: dict[str, str]  # the catalog's, id → stamp
    missing: list[str]  # in the catalog only
    stale: list[str]  # in both, the catalog row changed since it was indexed
    extra: list[str]  # in the index only

    def __bool__(self) -> bool:
        return bool(self.missing or self.stale or self.extra)


def pending_changes(catalog: CatalogStore, indexed: dict[str, str],
                    ids: Sequence[str] | None = None) -> Changes:
    """Compare the index's stamps (id → stamp, emptied as it is read) with the catalog's, of
    every letter or of `ids` only (`indexed` then holds those of them the index has). The
    catalog's are read as a stream: only the letters to write are kept."""
    stamps: dict[str, str] = {}
    missing, stale = [], []
    for document_id, values in catalog.index_stamps(ids):
        stamp = _stamp(values)
        held = indexed.pop(document_id, None)
        if held != stamp:
            stamps[document_id] = stamp
            (missing if held is None else stale).append(document_id)
    return Changes(stamps=stamps, missing=sorted(missing), stale=sorted(stale),
                   extra=sorted(indexed))


def stamped_rows(catalog: CatalogStore) -> Iterator[tuple[dict[str, Any], str]]:
    """Every letter in the shape `CatalogStore.iter_documents()` yields, with its stamp: one pass
    over the catalog for a rebuild (no id order: the index does not need one)."""
    for row in catalog.iter_documents_unordered():
        stamp = _stamp([row[name] for name in INDEX_STAMP_COLUMNS])  # validity_stamp too
        row["metadata"] = indexed_metadata(json.loads(row.pop("metadata_json")))
        yield row, stamp


def indexed_metadata(data: dict[str, Any]) -> LetterMetadata:
    """The parts of a stored record (its JSON shape) that `index_record` reads: recipients,
    distribution, the tasks' assignees, citations, the signer's name; a rebuild reads every
    letter, and building the whole record cost a tenth of its time in Python."""
    signer, tasks = data.get("signer"), data.get("tasks") or []
    return LetterMetadata(
        recipients=data.get("recipients") or [], distribution=data.get("distribution") or [],
        tasks=[Assignment(assignees=task.get("assignees") or []) for task in tasks],
        citations=[Citation(c.get("reference"), c.get("key")) for c in data.get("citations") or []],
        signer=Signer(name=signer.get("name")) if signer else None,
    )


def catalog_row(catalog: CatalogStore, document_id: str) -> dict[str, Any] | None:
    """One letter in the shape `CatalogStore.iter_documents()` yields."""
    row = catalog.get_document(document_id)
    if row is None or not row["files"]:
        return None
    first = row.pop("files")[0]
    row.pop("pages", None)
    row.update(original_name=first["original_name"], sha256=first["sha256"],
               media_type=first["media_type"])
    return row


def review_term(needs_review: bool) -> str:
    """The indexed value the query filter `kiemtra:co` / `kiemtra:khong` matches."""
    return "co" if needs_review else "khong"


def _cited_keys(meta: LetterMetadata) -> list[str]:
    keys = []
    for citation in meta.citations:
        key = citation.key or reference_key(citation.reference or "")
        if key and key not in keys:
            keys.append(key)
    return keys


def _with_notes(text: str, notes: str | None) -> str:
    """The letter's text with the notes staff wrote on it, so that a search finds them."""
    return f"{text}\n\n{notes}" if notes else text


def _assignees(meta: LetterMetadata) -> list[str]:
    return [name for task in meta.tasks for name in task.assignees]


def _signer(row: dict[str, Any], meta: LetterMetadata) -> list[str]:
    name = row.get("signer_name") or (meta.signer.name if meta.signer else None)
    return [v for v in (name, row.get("signer_title")) if v]


@dataclass
class IndexRecord:
    """What every engine indexes of one letter: display values, filters, text to match.

    List fields hold separate values (a phrase never matches across two of them)."""

    id: str
    stamp: str
    head: list[str]  # type, number, issuer, parent, subject: full text and heading
    text: str
    reference: str
    symbol: str
    doc_type: str
    issuer: str
    subject: str
    filename: str
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD; "" when unknown
    place: str
    province: str
    ref_key: str
    type_slug: str
    parent: str
    signer: list[str]
    recipients: list[str]
    assignees: list[str]
    cites: list[str]
    provinces: list[str]  # the letter's province and the merged one it belongs to now
    needs_review: bool  # kept though it does not look like a letter or has few fields
    # what later letters did to it (ingest.extract.relations: 'con-hieu-luc', 'bi-thay-the' …),
    # derived by the catalog from their citations; the filter hieuluc: and a facet
    validity: str = IN_FORCE

    @property
    def validity_label(self) -> str:
        return VALIDITY_LABELS[self.validity]

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def month(self) -> str:
        """'2024-05' (empty when the letter's month is not known)."""
        return self.date[:7] if len(self.date) >= 7 else ""


def index_record(row: dict[str, Any], stamp: str) -> IndexRecord:
    """The engine-neutral record of one catalog row (`stamp` from `catalog_stamps`)."""
    meta = row.get("metadata") or LetterMetadata()
    date = row.get("issued_date") or ""
    province = province_of(
        row.get("issuer"), row.get("parent_issuer"), row.get("place")
    )
    reference = row.get("reference") or ""
    key = row.get("ref_key") or (reference_key(reference) if reference else None)
    if not key and not reference:  # a number not read: found by its symbol (planning)
        key = unread_key(row.get("symbol") or "")
    head = [row.get("doc_type"), reference, row.get("issuer"), row.get("parent_issuer"),
            row.get("subject")]
    return IndexRecord(
        id=row["id"],
        stamp=stamp,
        head=[h for h in head if h],
        text=_with_notes(row.get("text") or "", row.get("notes_text")),
        reference=reference,
        symbol=row.get("symbol") or "",
        doc_type=row.get("doc_type") or "",
        issuer=row.get("issuer") or "",
        subject=row.get("subject") or "",
        filename=row.get("original_name") or row.get("filename") or "",
        date=date if _DATE_RE.match(date) else "",
        place=row.get("place") or "",
        province=province or "",
        ref_key=key or "",
        type_slug=slug(row["doc_type"]) if row.get("doc_type") else "",
        parent=row.get("parent_issuer") or "",
        signer=_signer(row, meta),
        recipients=[*meta.recipients, *meta.distribution],
        assignees=_assignees(meta),
        cites=_cited_keys(meta),
        provinces=sorted(province_terms(province)),
        needs_review=bool(row.get("needs_review")),
        validity=row.get("validity") or IN_FORCE,
    )
