"""`congvan user add NAME`: create or reset a staff account that may upload letters."""

from __future__ import annotations

from pathlib import Path

import click

from ingest.errors import UsageError
from ingest.store import open_catalog
from ingest.store.archive import Archive
from ingest.store.catalog import DEFAULT_ROLE, ROLES

from .options import archive_option


@click.group()
def user() -> None:
    """Manage the staff accounts that may upload letters."""


@user.command("add")
@click.argument("username")
@archive_option
@click.password_option(help="The password (asked twice when not given).")
@click.option("--role", type=click.Choice(ROLES), default=None,
              help=f"The new account's role (default {DEFAULT_ROLE}: may upload); an existing "
                   "account keeps its role unless given.")
def add(username: str, archive_dir: Path, password: str, role: str | None) -> None:
    """Create the account USERNAME, or set a new password for it."""
    from webui.passwords import PASSWORD_MIN, USERNAME_MAX, hash_password

    if not username.isprintable() or not 0 < len(username) <= USERNAME_MAX or " " in username:
        raise UsageError(f"a user name is 1–{USERNAME_MAX} printable characters without spaces")
    if len(password) < PASSWORD_MIN:
        raise UsageError(f"the password needs at least {PASSWORD_MIN} characters")
    archive = Archive(archive_dir)
    archive.create()
    with open_catalog(archive.catalog_path) as catalog:
        catalog.set_user(username, hash_password(password), role or DEFAULT_ROLE)
        if role is not None:
            catalog.set_role(username, role)
    click.echo(f"account {username} saved in {archive_dir}", err=True)
