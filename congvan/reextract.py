"""`congvan reextract`: read archived letters' records again with today's extractor."""

from __future__ import annotations

from pathlib import Path

import click

from ingest.errors import UsageError
from ingest.store import open_catalog

from .options import archive_option
from .settings import command_settings


@click.command()
@click.argument("ids", nargs=-1)
@archive_option
@click.option("--all", "everything", is_flag=True,
              help="Every letter, not only those an older extractor read.")
def reextract(ids: tuple[str, ...], archive_dir: Path, everything: bool) -> None:
    """Extract the records of archived letters again (IDS, or those an older extractor read,
    or --all) from their stored pages; fields corrected by hand keep their corrections. Then
    bring the search index up to date."""
    from index import IntakeService
    from ingest.curation.reextract import reextract as run

    settings = command_settings(archive_dir)
    archive = settings.archive_store()
    if not archive.has_catalog():
        raise UsageError(f"no archive at {archive.root} (run `congvan ingest` first)")
    with open_catalog(archive.catalog_location) as catalog:
        done = run(catalog, list(ids) or None, everything=everything)
    click.echo(f"{len(done)} letter{'' if len(done) == 1 else 's'} extracted again", err=True)
    IntakeService(archive, engine=settings.engine).update_index()
