"""`congvan audit prune --older-than DAYS`: forget old entries of the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from ingest.errors import UsageError
from ingest.store import open_catalog
from ingest.store.archive import Archive

from .options import archive_at, archive_option, cli_actor


def prune_audit_log(archive: Archive, days: int, actor: str) -> int:
    """Forget the audit entries older than `days` days, and log that it was done; how many."""
    before = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
    with open_catalog(archive.catalog_location) as catalog:
        count = catalog.prune_audit(before)
        if count:
            catalog.audit("audit_prune", actor, None, {"older_than_days": days, "count": count})
    return count


@click.group()
def audit() -> None:
    """The audit log (read it on the admin page "Nhật ký hoạt động")."""


@audit.command("prune")
@click.option("--older-than", "days", type=click.IntRange(1), required=True, metavar="DAYS",
              help="Forget entries older than this many days.")
@archive_option
def prune(days: int, archive_dir: Path) -> None:
    """Forget the audit entries older than DAYS days."""
    archive = archive_at(archive_dir)
    if not archive.has_catalog():
        raise UsageError(f"no archive at {archive_dir}")
    count = prune_audit_log(archive, days, cli_actor())
    click.echo(f"{count} audit entries older than {days} days forgotten", err=True)
