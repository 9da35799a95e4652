"""A document's citations both ways, resolved against the catalog."""

from __future__ import annotations

from typing import Any

from ingest import CatalogStore
from ingest.curation import links


def cites(catalog: CatalogStore, document: dict[str, Any]) -> list[dict[str, Any]]:
    """The documents this one cites, each with its relation ('relation', 'label': the name as
    this letter does it, 'scope') and the ids of archived copies (empty when missing)."""
    return links.relations(catalog, document)["cites"]


def cited_by(catalog: CatalogStore, document: dict[str, Any]) -> list[dict[str, Any]]:
    """Archived letters that cite this document (by its canonical key), each with its relation
    ('label': the name as this document undergoes it, 'bị thay thế bởi')."""
    return links.relations(catalog, document)["cited_by"]


def cited_keys(catalog: CatalogStore, document_id: str) -> list[tuple[str, str, str | None]]:
    """(key, reference as written, relation) of each citation of an archived document, for the
    graph."""
    return catalog.cited_keys(document_id)


def summary(catalog: CatalogStore, document_id: str) -> dict[str, Any] | None:
    return catalog.document_summary(document_id)
