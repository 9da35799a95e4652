"""`congvan trash list|restore|purge|purge-expired`: the letters an admin deleted.

A deleted letter waits in the trash, hidden from search, lists and the API, for
`--days` (env CONGVAN_TRASH_DAYS, default 30) before `purge-expired` (and serve's start) purges
it: its catalog rows, its original file and its index entries go for good.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ingest.curation.trash import purge as purge_letter
from ingest.curation.trash import purge_expired as purge_expired_letters
from ingest.errors import UsageError
from ingest.printable import printable
from ingest.store import open_catalog
from ingest.store.archive import Archive

from .options import archive_at, archive_option, cli_actor, json_option
from .settings import DEFAULT_ENGINE, DEFAULT_TRASH_DAYS

days_option = click.option(
    "--days", type=click.IntRange(1), default=DEFAULT_TRASH_DAYS, show_default=True,
    envvar="CONGVAN_TRASH_DAYS",
    help="How long a deleted letter stays in the trash (env CONGVAN_TRASH_DAYS).")


def _archive(archive_dir: Path) -> Archive:
    archive = archive_at(archive_dir)
    if not archive.has_catalog():
        raise UsageError(f"no archive at {archive_dir}")
    return archive


def _sync(archive: Archive, engine: str | None) -> None:
    """Bring the index up to date: a restored letter comes back, a purged one goes."""
    from index.intake import update_index

    update_index(archive, engine=engine or DEFAULT_ENGINE)


def _engine() -> str | None:
    return click.get_current_context().find_root().params.get("engine")


def purge_expired_trash(archive: Archive, days: int, actor: str) -> list[str]:
    """Purge the letters in the trash for more than `days` days, and audit each; their ids."""
    with open_catalog(archive.catalog_location) as catalog:
        purged = purge_expired_letters(archive, catalog, days)
        for document_id in purged:
            catalog.audit("purge", actor, document_id, {"expired_after_days": days})
    return purged


@click.group()
def trash() -> None:
    """The letters deleted by an admin (the admin page "Thùng rác")."""


@trash.command("list")
@archive_option
@json_option
def list_trash(archive_dir: Path, as_json: bool) -> None:
    """The letters in the trash, the oldest deleted first."""
    with open_catalog(_archive(archive_dir).catalog_location) as catalog:
        rows = catalog.trashed_documents()
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['id']}  {row['deleted_at']}  {printable(row['deleted_by'] or '')}  "
                   f"{printable(row['reference'] or row['filename'])}")


@trash.command()
@click.argument("document_id")
@archive_option
def restore(document_id: str, archive_dir: Path) -> None:
    """Take a letter out of the trash."""
    archive = _archive(archive_dir)
    with open_catalog(archive.catalog_location) as catalog:
        if not catalog.restore_document(document_id):
            raise UsageError(f"{printable(document_id)} is not in the trash")
        catalog.audit("restore", cli_actor(), document_id, None)
    _sync(archive, _engine())
    click.echo(f"{document_id} restored", err=True)


@trash.command()
@click.argument("document_id")
@archive_option
def purge(document_id: str, archive_dir: Path) -> None:
    """Delete a letter in the trash for good (its rows, its original, its index entries)."""
    archive = _archive(archive_dir)
    with open_catalog(archive.catalog_location) as catalog:
        try:
            purge_letter(archive, catalog, document_id)
        except LookupError:
            raise UsageError(f"{printable(document_id)} is not in the trash") from None
        catalog.audit("purge", cli_actor(), document_id, None)
    _sync(archive, _engine())
    click.echo(f"{document_id} purged", err=True)


@trash.command("purge-expired")
@days_option
@archive_option
def purge_expired(days: int, archive_dir: Path) -> None:
    """Purge the letters in the trash for more than --days days."""
    archive = _archive(archive_dir)
    purged = purge_expired_trash(archive, days, cli_actor())
    if purged:
        _sync(archive, _engine())
    click.echo(f"{len(purged)} letters in the trash for more than {days} days purged", err=True)
