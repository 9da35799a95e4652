"""`congvan serve`: the web UI and JSON API behind waitress, a production WSGI server."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from ingest.errors import UsageError

from .audit import prune_audit_log
from .options import archive_option, catalog_url, office_option, queue_option
from .settings import Settings, command_settings
from .trash import days_option, purge_expired_trash

log = logging.getLogger(__name__)


def serve_archive(settings: Settings, *, host: str, port: int, threads: int) -> None:
    """Bring the index of the settings' engine up to date with the catalog, then serve the
    web app built with the settings until interrupted."""
    import waitress

    from index import IndexFollower, IntakeService, open_index
    from ingest.store import open_catalog
    from webui.app import create_app

    archive = settings.archive_store()
    if not archive.has_catalog():
        raise UsageError(f"no archive at {settings.archive} (run `congvan ingest` first)")
    if settings.audit_keep_days is not None:
        pruned = prune_audit_log(archive, settings.audit_keep_days, "serve")
        log.info("audit log: %d entries older than %d days forgotten", pruned,
                 settings.audit_keep_days)
    purged = purge_expired_trash(archive, settings.trash_days, "serve")
    if purged:
        log.info("trash: %d letters deleted over %d days ago purged", len(purged),
                 settings.trash_days)
    config = settings.web_config()
    follower = None
    if settings.follow:
        # A search node: its index follows the catalog's change sequence, whoever writes it.
        follower = IndexFollower(open_index(archive.index_dir, settings.engine),
                                 lambda: open_catalog(archive.catalog_location))
        follower.start()
        config["INDEX_FOLLOWER"] = follower
    else:
        update = IntakeService(archive, engine=settings.engine).update_index()
        log.info("%s index %s: %s", settings.engine, update.status, update.counts)
    app = create_app(config)
    # waitress warns "Task queue depth is N" for every request that arrives while its threads
    # are all busy: under a burst (50 clients on 8 threads) a line per request, thousands a
    # minute, that says nothing a request's latency does not. Such requests still wait their
    # turn, in order; more threads would not serve them sooner on a machine of two cores
    # (a search holds a core), so only the line goes.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    log.info("serving %s on http://%s:%d/ with %d threads", settings.archive, host, port, threads)
    try:
        waitress.serve(app, host=host, port=port, threads=threads, ident="congvan", _quiet=True)
    finally:
        if follower is not None:
            follower.stop()


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
@click.option(
    "--anonymous-readers/--no-anonymous-readers", default=True, show_default=True,
    envvar="CONGVAN_ANONYMOUS_READERS",
    help="Let people search and read without an account (env CONGVAN_ANONYMOUS_READERS=0 "
    "to ask every reader to log in).",
)
@click.option(
    "--audit-keep-days", type=click.IntRange(1), default=None, envvar="CONGVAN_AUDIT_KEEP_DAYS",
    help="At start, forget audit log entries older than this many days (env "
    "CONGVAN_AUDIT_KEEP_DAYS; default: keep them all).",
)
@days_option
@office_option
@queue_option
@click.option(
    "--follow/--no-follow", default=None, envvar="CONGVAN_FOLLOW",
    help="Keep the index following the catalog's change sequence, whoever writes it (a search "
    "node; env CONGVAN_FOLLOW). Default: on with a PostgreSQL catalog, off with SQLite (where "
    "ingests sync the archive's index themselves).",
)
def serve(
    archive_dir: Path, host: str, port: int, threads: int, base_url: str | None,
    secure_cookies: bool, anonymous_readers: bool, audit_keep_days: int | None, days: int,
    office: str, queue: str | None, follow: bool | None,
) -> None:
    """Serve the web UI and JSON API (waitress), after syncing the index with the catalog."""
    settings = command_settings(archive_dir, base_url=base_url, secure_cookies=secure_cookies,
                                anonymous_readers=anonymous_readers,
                                audit_keep_days=audit_keep_days, trash_days=days,
                                office=office, queue=queue,
                                follow=follow if follow is not None else bool(catalog_url()))
    serve_archive(settings, host=host, port=port, threads=threads)
