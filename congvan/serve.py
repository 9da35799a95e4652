"""`congvan serve`: the web UI and JSON API behind waitress, a production WSGI server."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import click

from ingest.errors import UsageError
from ingest.store.archive import Archive

from .options import archive_option, chosen_engine

log = logging.getLogger(__name__)


def serve_archive(
    archive_dir: Path, *, host: str, port: int, threads: int, engine: str,
    web_config: dict[str, Any] | None = None,
) -> None:
    """Bring the index of `engine` up to date with the catalog, then serve until interrupted
    (`web_config`: more app config, e.g. BASE_URL, SESSION_COOKIE_SECURE)."""
    import waitress

    from index import IntakeService
    from webui.app import create_app

    archive = Archive(archive_dir)
    if not archive.catalog_path.is_file():
        raise UsageError(f"no archive at {archive_dir} (run `congvan ingest` first)")
    update = IntakeService(archive, engine=engine).update_index()
    log.info("%s index %s: %s", engine, update.status, update.counts)
    app = create_app({"ARCHIVE": str(archive_dir), "ENGINE": engine, **(web_config or {})})
    log.info("serving %s on http://%s:%d/ with %d threads", archive_dir, host, port, threads)
    waitress.serve(app, host=host, port=port, threads=threads, ident="congvan", _quiet=True)


def _check_base_url(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    from webui.security import base_url_setting

    try:
        return base_url_setting(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error


@click.command()
@archive_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
@click.option(
    "--threads", type=click.IntRange(1, 256), default=8, show_default=True, help="Worker threads."
)
@click.option(
    "--base-url", envvar="CONGVAN_BASE_URL", callback=_check_base_url,
    help="Public address API links are built on, e.g. https://congvan.example.gov.vn "
    "(env CONGVAN_BASE_URL); without it they are relative.",
)
@click.option(
    "--secure-cookies", is_flag=True, envvar="CONGVAN_SECURE_COOKIES",
    help="Send the login cookie over HTTPS only (env CONGVAN_SECURE_COOKIES).",
)
def serve(
    archive_dir: Path, host: str, port: int, threads: int, base_url: str | None,
    secure_cookies: bool,
) -> None:
    """Serve the web UI and JSON API (waitress), after syncing the index with the catalog."""
    web_config = {"BASE_URL": base_url, "SESSION_COOKIE_SECURE": secure_cookies}
    serve_archive(archive_dir, host=host, port=port, threads=threads, engine=chosen_engine(),
                  web_config=web_config)
