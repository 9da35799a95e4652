"""`congvan register export --year Y --direction den|di`: a register of letters received (sổ
đến) or sent (sổ đi) as CSV, with the columns of Decree 30/2020's Appendix IV."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ingest.curation.registers import write_register_csv
from ingest.errors import UsageError
from ingest.store import open_catalog
from ingest.store.catalog import DIRECTIONS

from .options import archive_at, archive_option, cli_actor, office_option


@click.group()
def register() -> None:
    """The registers of letters received and sent (sổ đăng ký văn bản đến / đi)."""


@register.command("export")
@click.option("--year", type=click.IntRange(1900, 2999), required=True, help="The register's year.")
@click.option("--direction", type=click.Choice(DIRECTIONS), required=True,
              help="den: letters received (sổ đến); di: letters sent (sổ đi).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@office_option
@archive_option
def export(year: int, direction: str, out_path: Path | None, office: str,
           archive_dir: Path) -> None:
    """Write a year's register as CSV (UTF-8 with BOM; no cell starts a formula)."""
    archive = archive_at(archive_dir)
    if not archive.has_catalog():
        raise UsageError(f"no archive at {archive_dir}")
    with open_catalog(archive.catalog_location) as catalog:
        _total, rows = catalog.register_rows(direction, year, office=office)
        if out_path is None:
            count = write_register_csv(sys.stdout, direction, rows)
        else:
            with out_path.open("w", encoding="utf-8", newline="") as out:
                count = write_register_csv(out, direction, rows)
        catalog.audit("export", cli_actor(), None, {
            "format": "csv", "what": "register", "direction": direction, "year": year,
            "office": office, "rows": count})
    click.echo(f"{count} letters in the {direction} register of {year}", err=True)
