"""Options shared by the `congvan` subcommands, declared once."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import TypeVar

import click

from ingest.errors import UsageError
from ingest.store.archive import DEFAULT_ARCHIVE, Archive, is_catalog_url


def absolute_path(_ctx: click.Context | None, _param: click.Parameter | None, value: Path
                  ) -> Path:
    """A relative archive path resolved once, against the working directory where it was
    given: later code (Flask's send_file) would resolve it against another folder."""
    return Path(os.path.abspath(value))


Command = TypeVar("Command")
_CATALOG = "congvan.catalog"  # where --catalog is kept in the context's meta (shared by all)


def _remember_catalog(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is None:
        return
    if not is_catalog_url(value):
        raise UsageError(f"--catalog takes a postgresql:// URL, not {value!r}")
    ctx.meta[_CATALOG] = value


_INDEX_DIR = "congvan.index_dir"


def _remember_index_dir(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.meta[_INDEX_DIR] = Path(os.path.abspath(value))


index_dir_option = click.option(
    "--index-dir",
    envvar="CONGVAN_INDEX_DIR",
    type=click.Path(file_okay=False, path_type=Path),
    expose_value=False,
    callback=_remember_index_dir,
    help="Keep the search index in this folder (env CONGVAN_INDEX_DIR) instead of the "
    "archive's: a search node's own index, built from the catalog and following it.",
)


def index_dir() -> Path | None:
    """The command's --index-dir (or CONGVAN_INDEX_DIR), None for the archive's own."""
    return click.get_current_context().meta.get(_INDEX_DIR)


catalog_option = click.option(
    "--catalog",
    envvar="CONGVAN_CATALOG",
    metavar="URL",
    expose_value=False,
    callback=_remember_catalog,
    help="Keep the catalog in PostgreSQL at this postgresql:// URL (env CONGVAN_CATALOG) "
    "instead of the archive's SQLite file; originals and the index stay in the archive.",
)


def catalog_url() -> str | None:
    """The command's --catalog (or CONGVAN_CATALOG), None for the archive's SQLite file."""
    return click.get_current_context().meta.get(_CATALOG)


def archive_at(archive_dir: Path) -> Archive:
    """The archive in `archive_dir`, its catalog where --catalog says."""
    return Archive(archive_dir, catalog_url(), index_dir())


_archive_option = click.option(
    "--archive",
    "archive_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="CONGVAN_ARCHIVE",
    default=DEFAULT_ARCHIVE,
    show_default=True,
    callback=absolute_path,
    help="Archive directory (env CONGVAN_ARCHIVE).",
)


def archive_option(command: Command) -> Command:
    """--archive, --catalog and --index-dir: where a command finds its archive."""
    return _archive_option(catalog_option(index_dir_option(command)))

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
office_option = click.option(
    "--office", envvar="CONGVAN_OFFICE", default="", metavar="NAME",
    help="The office whose registers of letters received and sent are kept (env "
    "CONGVAN_OFFICE; default: the archive's one office). Arrival numbers count per office.",
)

queue_option = click.option(
    "--queue", envvar="CONGVAN_QUEUE", default=None, metavar="URL",
    help="The job queue, a PostgreSQL URL (env CONGVAN_QUEUE): files (uploads, for serve) are "
    "staged and queued for `congvan worker`s instead of being read here.",
)


def cli_actor() -> str:
    """Who the audit log says ran a command: "cli:" and the system user."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no name for this uid (a container)
        return f"cli:{os.getuid()}"
