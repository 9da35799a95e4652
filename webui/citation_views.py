"""A document's citations both ways, resolved against the catalog."""

from __future__ import annotations

from typing import Any

from ingest import CatalogStore


def cites(catalog: CatalogStore, document: dict[str, Any]) -> list[dict[str, Any]]:
    """The documents this one cites, each with the ids of archived copies (empty when missing)."""
    result = []
    for citation in document["metadata"].citations:
        key = citation.key
        found = catalog.documents_with_key(key) if key else []
        archived = [i for i in found if i != document["id"]]
        result.append(
            {
                "key": key,
                "reference": citation.reference,
                "doc_type": citation.doc_type,
                "date": citation.date,
                "issuer": citation.issuer,
                "archived_ids": archived,
            }
        )
    return result


def cited_by(catalog: CatalogStore, document: dict[str, Any]) -> list[dict[str, Any]]:
    """Archived letters that cite this document (by its canonical key)."""
    key = document.get("ref_key")
    if not key:
        return []
    return [row for row in catalog.citing(key) if row["id"] != document["id"]]


def cited_keys(catalog: CatalogStore, document_id: str) -> list[tuple[str, str]]:
    """(key, reference as written) of each citation of an archived document, for the graph."""
    return catalog.cited_keys(document_id)


def summary(catalog: CatalogStore, document_id: str) -> dict[str, Any] | None:
    return catalog.document_summary(document_id)
