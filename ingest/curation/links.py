"""How an archived letter stands with the others (issue 16): its validity and the later letters
that decide it, its relations both ways with their Vietnamese names, and its reply thread.

All of it is read from the citations between archived letters (ingest.extract.relations gives
each its relation when it is extracted); nothing here is stored, so a letter archived, corrected
or deleted changes what every page shows at once.

A reply thread joins a letter to the one it answers: a reply ('Trả lời Công văn số …', 'Phúc
đáp …', `tra_loi`) or a report on carrying out a directive ('Báo cáo kết quả thực hiện Công văn
số …'; a Báo cáo opening 'Thực hiện Công văn số …, Sở … báo cáo': `thuc_hien` from a report). A
letter's thread is the chain it answers, up, and the replies to it and to them, down, in date
order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.extract.relations import (
    IN_FORCE,
    REPLY_RELATIONS,
    REPORT_RELATIONS,
    VALIDITY_LABELS,
    VALIDITY_ORDER,
    VALIDITY_RELATIONS,
    relation_of,
    validity_of,
)
from ingest.folding import fold
from ingest.store.catalog import CatalogStore

THREAD_LIMIT = 60  # letters shown in one thread (a directive answered by every commune)
# The columns of a letter the views show (CatalogStore.relations_from / relations_to).
_SHOWN = ("id", "reference", "symbol", "doc_type", "issuer", "issued_date", "subject")


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    return {name: row.get(name) for name in _SHOWN}


@dataclass
class Validity:
    """A letter's status and the later letters that gave it (each with what it did)."""

    status: str = IN_FORCE
    by: list[dict[str, Any]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return VALIDITY_LABELS[self.status]

    def as_json(self) -> dict[str, Any]:
        return {"status": self.status, "label": self.label, "by": self.by}


def validity(catalog: CatalogStore, document: dict[str, Any]) -> Validity:
    """The letter's validity (the catalog's, `document['validity']`) with the later letters that
    replace, repeal or amend it, the strongest first: what a banner on its page names."""
    status = document.get("validity") or IN_FORCE
    later = []
    for row in catalog.relations_to(document["id"], VALIDITY_RELATIONS):
        given = validity_of(row["relation"], row["scope"])
        if _later(row, document):
            later.append({**_shown(row), "relation": row["relation"],
                          "label": relation_of(row["relation"]).forward, "scope": row["scope"],
                          "status": given})
    later.sort(key=lambda row: (VALIDITY_ORDER.index(row["status"]), row["issued_date"] or ""))
    return Validity(status, later)


def _later(citing: dict[str, Any], cited: dict[str, Any]) -> bool:
    """As the catalog counts it: not dated before the letter it names (either date unknown
    counts)."""
    return not (citing.get("issued_date") and cited.get("issued_date")
                and citing["issued_date"] < cited["issued_date"])


def relations(catalog: CatalogStore, document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Both directions: `cites`, each document the letter cites (its record's citations, in
    the text's order) with the relation's name as the letter does it ('thay thế') and the
    archived letters it is; `cited_by`, each archived letter citing it (the latest dated
    first) with the name as this letter undergoes it ('bị thay thế bởi')."""
    cites = []
    for citation in document["metadata"].citations:
        relation = relation_of(citation.relation)
        found = catalog.documents_with_key(citation.key) if citation.key else []
        cites.append({
            "key": citation.key, "reference": citation.reference, "doc_type": citation.doc_type,
            "date": citation.date, "issuer": citation.issuer, "relation": relation.code,
            "label": relation.forward, "scope": citation.scope, "direction": "cites",
            "archived_ids": [i for i in found if i != document["id"]],
        })
    cited_by = []
    key = document.get("ref_key")
    for row in catalog.citing(key) if key else []:
        if row["id"] == document["id"]:
            continue
        relation = relation_of(row["relation"])
        cited_by.append({**_shown(row), "relation": relation.code, "label": relation.backward,
                         "scope": row["scope"], "direction": "cited_by"})
    return {"cites": cites, "cited_by": cited_by}


def is_report(row: dict[str, Any]) -> bool:
    """A report: a Báo cáo, or a letter whose subject is a report ('V/v báo cáo kết quả …')."""
    subject = fold(row.get("subject") or "").lstrip(" -:")
    return fold(row.get("doc_type") or "") == "bao cao" or subject.startswith("bao cao")


def _answers(catalog: CatalogStore, document_id: str, summary: dict[str, Any]
             ) -> list[dict[str, Any]]:
    """The letters this one answers (up one step)."""
    relations = REPORT_RELATIONS if is_report(summary) else REPLY_RELATIONS
    return catalog.relations_from(document_id, relations)


def _answered_by(catalog: CatalogStore, document_id: str) -> list[dict[str, Any]]:
    """The letters answering this one (down one step)."""
    return [row for row in catalog.relations_to(document_id, REPORT_RELATIONS)
            if row["relation"] in REPLY_RELATIONS or is_report(row)]


def reply_thread(catalog: CatalogStore, document: dict[str, Any]) -> list[dict[str, Any]]:
    """The letter's reply thread in date order (undated last): the letters it answers, up the
    chain, the letter itself, and the replies to it and to them, down; each with `role`
    ('answered': up, 'self', 'reply': down), `answers` (the ids it answers in the thread) and
    `relation`. Empty when the letter neither answers nor is answered."""
    own = {**_shown(document), "issued_date": document.get("issued_date")}
    found: dict[str, dict[str, Any]] = {document["id"]: {**own, "role": "self", "answers": [],
                                                         "relation": None}}
    up = [(document["id"], own)]
    while up and len(found) < THREAD_LIMIT:
        child_id, child = up.pop()
        for row in _answers(catalog, child_id, child):
            found[child_id]["answers"].append(row["id"])
            if row["id"] not in found:
                found[row["id"]] = {**_shown(row), "role": "answered", "answers": [],
                                    "relation": None}
                up.append((row["id"], row))
            if found[child_id]["relation"] is None:
                found[child_id]["relation"] = row["relation"]
    down = [document["id"]]
    while down and len(found) < THREAD_LIMIT:
        parent_id = down.pop()
        for row in _answered_by(catalog, parent_id):
            entry = found.get(row["id"])
            if entry is None:
                entry = found[row["id"]] = {**_shown(row), "role": "reply", "answers": [],
                                            "relation": row["relation"]}
                down.append(row["id"])
            if entry["role"] == "reply" and parent_id not in entry["answers"]:
                entry["answers"].append(parent_id)
    if len(found) == 1:
        return []
    thread = sorted(found.values(), key=lambda row: (row["issued_date"] or "9999", row["id"]))
    for row in thread:
        row["label"] = relation_of(row["relation"]).forward if row["relation"] else None
    return thread
