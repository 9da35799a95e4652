"""Options shared by the `congvan` subcommands, declared once."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import click

from ingest.store.archive import DEFAULT_ARCHIVE


def absolute_path(_ctx: click.Context | None, _param: click.Parameter | None, value: Path
                  ) -> Path:
    """A relative archive path resolved once, against the working directory where it was
    given: later code (Flask's send_file) would resolve it against another folder."""
    return Path(os.path.abspath(value))


archive_option = click.option(
    "--archive",
    "archive_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="CONGVAN_ARCHIVE",
    default=DEFAULT_ARCHIVE,
    show_default=True,
    callback=absolute_path,
    help="Archive directory (env CONGVAN_ARCHIVE).",
)
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
