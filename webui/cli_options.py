"""Options shared by the `congvan` subcommands, declared once."""

from __future__ import annotations

from pathlib import Path

import click

from ingest import DEFAULT_ARCHIVE

archive_option = click.option(
    "--archive",
    "archive_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="CONGVAN_ARCHIVE",
    default=DEFAULT_ARCHIVE,
    show_default=True,
    help="Archive directory (env CONGVAN_ARCHIVE).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
