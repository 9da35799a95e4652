"""`congvan migrate --to postgresql://…`: move an embedded archive up to a cluster's catalog."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ingest.errors import ArchiveWriteError, UsageError
from ingest.store.archive import Archive, is_catalog_url

from .options import absolute_path, archive_at, archive_option, json_option


@click.command()
@archive_option
@click.option("--to", "to_url", required=True, metavar="URL",
              help="The empty PostgreSQL catalog to copy into (postgresql://…).")
@click.option("--to-archive", type=click.Path(file_okay=False, path_type=Path),
              callback=lambda ctx, param, value: value and absolute_path(ctx, param, value),
              help="The folder every host mounts, to copy the originals into (default: they "
              "stay in --archive, which the hosts then mount).")
@json_option
def migrate(archive_dir: Path, to_url: str, to_archive: Path | None, as_json: bool) -> None:
    """Copy the archive's catalog (letters, history, notes, users, audit log, registers) into
    an empty PostgreSQL catalog, and its originals into --to-archive; the source is left as it
    was. Then run `congvan --catalog URL serve` on each search node and `check-index` there."""
    from ingest.store.moving import move_archive

    if not is_catalog_url(to_url):
        raise UsageError(f"--to takes a postgresql:// URL, not {to_url!r}")
    source = archive_at(archive_dir)
    if not source.has_catalog():
        raise UsageError(f"no archive at {archive_dir}")
    target = Archive(to_archive or source.root, to_url)

    def told(table: str, rows: int) -> None:
        if not as_json:
            click.echo(f"  {table}: {rows} rows", err=True)

    moved = move_archive(source, target, on_table=told)
    if as_json:
        click.echo(json.dumps(moved.as_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(f"{sum(moved.rows.values())} rows in {len(moved.rows)} tables copied; "
                   f"{moved.originals} originals copied, {moved.originals_kept} already there")
    if not moved.whole:
        raise ArchiveWriteError("the copy does not hold as many rows as the source: "
                         f"{moved.target_rows} against {moved.rows}")
