"""`congvan search`, `congvan reindex`, `congvan check-index`: thin commands over `index`."""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ingest.errors import ExitCode, UsageError
from ingest.printable import printable
from ingest.store import open_catalog
from ingest.store.archive import Archive
from ingest.store.catalog import CatalogStore

from .options import archive_option
from .settings import command_settings

if TYPE_CHECKING:  # the engines load only when a command runs
    from index import SearchBackend, SearchResults

log = logging.getLogger(__name__)



def _catalog(archive: Archive) -> CatalogStore:
    _require_archive(archive)
    return open_catalog(archive.catalog_location)


def _require_archive(archive: Archive) -> None:
    if not archive.has_catalog():
        raise UsageError(f"no archive at {archive.root} (run `congvan ingest` first)")


def _ready_index(archive: Archive, engine: str) -> SearchBackend:
    """The archive's index, built first if it is missing or of an older schema version."""
    from index import IntakeService

    _require_archive(archive)
    return IntakeService(archive, engine=engine).ready_index()


def results_json(results: SearchResults) -> dict:
    """The JSON of a result list: `total` first, then the hits."""
    hits = []
    for hit in results.hits:
        record = asdict(hit)
        record["score"] = round(hit.score, 4)
        hits.append(record)
    return {
        "total": results.total,
        "hits": hits,
        "page": results.page,
        "per_page": results.per_page,
        "facets": {name: [list(pair) for pair in pairs] for name, pairs in results.facets.items()},
        "suggestion": results.suggestion,
        "notice": results.notice,
    }


@click.command()
@click.argument("query", nargs=-1, required=True)
@archive_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON (total first, then hits).")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True,
              help="Number of hits.")
@click.option("--page", type=click.IntRange(1, 10_000), default=1, show_default=True)
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]),
              default="relevance", show_default=True)
def search(query: tuple[str, ...], archive_dir: Path, as_json: bool, limit: int, page: int,
           sort: str) -> None:
    """Search the archive with the query language (see the README): e.g. dong thap nam:2025."""
    from webui.formatting import reference_label

    settings = command_settings(archive_dir)
    idx = _ready_index(settings.archive_store(), settings.engine)
    results = idx.search(" ".join(query), page=page, per_page=limit, sort=sort,
                         facets=as_json, highlight=as_json)
    if as_json:
        click.echo(json.dumps(results_json(results), ensure_ascii=False, indent=2))
        return
    if results.notice:
        click.echo(results.notice, err=True)
    click.echo(f"{results.total} kết quả")
    for number, hit in enumerate(results.hits, start=(page - 1) * limit + 1):
        label = reference_label(hit.reference, hit.symbol)
        heading = " ".join(filter(None, [hit.doc_type, label])) or hit.filename
        click.echo(f"{number:>3}. {printable(heading)}  [{hit.id}]")  # a name may hold ESC
        details = " · ".join(filter(None, [hit.issuer, hit.date, f"{hit.score:.2f}"]))
        click.echo(f"     {printable(details)}")
        if hit.subject:
            click.echo(f"     {printable(hit.subject)}")
    if results.suggestion:
        click.echo(f"Có phải bạn muốn tìm: {results.suggestion}")


@click.command()
@archive_option
def reindex(archive_dir: Path) -> None:
    """Rebuild the search index from the catalog (into a fresh directory, then swapped in)."""
    from index import rebuild_index

    settings = command_settings(archive_dir)
    archive = settings.archive_store()
    with _catalog(archive) as catalog:
        rebuild_index(catalog, archive.index_dir, engine=settings.engine)


@click.command("check-index")
@archive_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def check_index_command(archive_dir: Path, as_json: bool) -> None:
    """Report letters missing from, stale in, or extra in the index (exit 1 if any)."""
    from index import check_index, open_index

    settings = command_settings(archive_dir)
    archive = settings.archive_store()
    with _catalog(archive) as catalog:
        report = check_index(catalog, open_index(archive.index_dir, settings.engine))
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for kind in ("missing", "stale", "extra"):
            ids = report[kind]
            click.echo(f"{kind:<8}{len(ids)}" + (f"  {' '.join(ids[:20])}" if ids else ""))
    if any(report.values()):
        sys.exit(ExitCode.SOME_FAILED)
