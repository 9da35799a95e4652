"""Read archived letters' records again after the extractor improves (`congvan reextract`).

The extraction runs on the pages the catalog keeps (the text as read, OCR included), as the
recipe runs it on a new file, so no file is read or OCR'd again. The catalog keeps every field
staff corrected (`CatalogStore.replace_metadata`): only the others take the new values.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from ingest.model import Page
from ingest.recipe import extract_pages
from ingest.store.catalog import EXTRACTOR_VERSION, CatalogStore

log = logging.getLogger(__name__)


def reextract(catalog: CatalogStore, ids: Iterable[str] | None = None, *,
              everything: bool = False) -> list[str]:
    """Extract the records of `ids` (default: every letter an older extractor read, or every
    letter when `everything`) again; returns the ids whose record was replaced."""
    done = []
    for document_id in catalog.document_ids() if ids is None else ids:
        document = catalog.get_document(document_id)
        if document is None:
            log.warning("not archived: %s", document_id)
            continue
        if ids is None and not everything and document["extractor_version"] >= EXTRACTOR_VERSION:
            continue
        pages = [Page(p["page_no"], p["text"], bool(p["ocr"]), p["ocr_confidence"])
                 for p in document["pages"]]
        catalog.replace_metadata(document_id, extract_pages(pages))
        done.append(document_id)
    return done
