"""`congvan user add|list|disable|enable|passwd|role|token`: the staff accounts and their roles
(reader, clerk, admin; see webui.roles). Every change is written to the audit log, by
"cli:<the system user>"."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import click

from ingest.errors import UsageError
from ingest.store import open_catalog
from ingest.store.catalog import DEFAULT_ROLE, ROLES, CatalogStore, now_iso

from .options import archive_at, archive_option, cli_actor, json_option


@click.group()
def user() -> None:
    """Manage the staff accounts and their roles (reader, clerk, admin)."""


def _check_password(password: str) -> str:
    """The password's Argon2 hash, once it is long enough."""
    from webui.passwords import PASSWORD_MIN, hash_password

    if len(password) < PASSWORD_MIN:
        raise UsageError(f"the password needs at least {PASSWORD_MIN} characters")
    return hash_password(password)


def _existing(archive_dir: Path) -> CatalogStore:
    archive = archive_at(archive_dir)
    if not archive.has_catalog():
        raise UsageError(f"no archive at {archive_dir}")
    return open_catalog(archive.catalog_location)


def _account(catalog: CatalogStore, username: str) -> None:
    if catalog.get_user(username) is None:
        raise UsageError(f"no account {username!r}")


@user.command("add")
@click.argument("username")
@archive_option
@click.password_option(help="The password (asked twice when not given).")
@click.option("--role", type=click.Choice(ROLES), default=None,
              help=f"The new account's role (default {DEFAULT_ROLE}: may upload); an existing "
                   "account keeps its role unless given.")
def add(username: str, archive_dir: Path, password: str, role: str | None) -> None:
    """Create the account USERNAME, or set a new password for it."""
    from webui.passwords import USERNAME_MAX

    if not username.isprintable() or not 0 < len(username) <= USERNAME_MAX or " " in username:
        raise UsageError(f"a user name is 1–{USERNAME_MAX} printable characters without spaces")
    password_hash = _check_password(password)
    archive = archive_at(archive_dir)
    archive.create()
    with open_catalog(archive.catalog_location) as catalog:
        existed = catalog.get_user(username) is not None
        catalog.set_user(username, password_hash, role or DEFAULT_ROLE)
        if role is not None:
            catalog.set_role(username, role)
        if existed:
            catalog.delete_user_sessions(username)  # a new password ends the old sessions
        catalog.audit("user_passwd" if existed else "user_add", cli_actor(), username,
                      {"role": catalog.get_user(username).role})  # type: ignore[union-attr]
    click.echo(f"account {username} saved in {archive_dir}", err=True)


@user.command("list")
@archive_option
@json_option
def list_users(archive_dir: Path, as_json: bool) -> None:
    """The accounts: name, role, enabled or disabled, last login."""
    with _existing(archive_dir) as catalog:
        users = catalog.list_users()
    if as_json:
        click.echo(json.dumps([{"username": u.username, "role": u.role, "enabled": u.enabled,
                                "created_at": u.created_at, "last_login": u.last_login}
                               for u in users], ensure_ascii=False, indent=2))
        return
    for account in users:
        state = "enabled" if account.enabled else "disabled"
        click.echo(f"{account.username}\t{account.role}\t{state}\t"
                   f"last login {account.last_login or 'never'}")


@user.command("role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@archive_option
def set_role(username: str, role: str, archive_dir: Path) -> None:
    """Give USERNAME the ROLE reader, clerk or admin."""
    with _existing(archive_dir) as catalog:
        _account(catalog, username)
        old = catalog.get_user(username).role  # type: ignore[union-attr]
        catalog.set_role(username, role)
        catalog.audit("user_role", cli_actor(), username, {"old": old, "new": role})
    click.echo(f"account {username} is now {role}", err=True)


def _set_enabled(username: str, archive_dir: Path, enabled: bool) -> None:
    with _existing(archive_dir) as catalog:
        _account(catalog, username)
        catalog.set_enabled(username, enabled)
        catalog.audit("user_enable" if enabled else "user_disable", cli_actor(), username)
    click.echo(f"account {username} {'enabled' if enabled else 'disabled'}", err=True)


@user.command("disable")
@click.argument("username")
@archive_option
def disable(username: str, archive_dir: Path) -> None:
    """Disable USERNAME: its sessions end at once, its API tokens stop working."""
    _set_enabled(username, archive_dir, False)


@user.command("enable")
@click.argument("username")
@archive_option
def enable(username: str, archive_dir: Path) -> None:
    """Enable USERNAME again."""
    _set_enabled(username, archive_dir, True)


@user.command("passwd")
@click.argument("username")
@archive_option
@click.password_option(help="The new password (asked twice when not given).")
def passwd(username: str, archive_dir: Path, password: str) -> None:
    """Set a new password for USERNAME; its sessions end."""
    password_hash = _check_password(password)
    with _existing(archive_dir) as catalog:
        _account(catalog, username)
        catalog.set_user(username, password_hash)
        catalog.delete_user_sessions(username)
        catalog.audit("user_passwd", cli_actor(), username)
    click.echo(f"password of {username} changed", err=True)


@user.command("token")
@click.argument("username")
@archive_option
@click.option("--revoke", is_flag=True, help="Revoke every API token of USERNAME instead.")
def token(username: str, archive_dir: Path, revoke: bool) -> None:
    """Print a new API token for USERNAME's scripts (`Authorization: Bearer TOKEN`); the
    catalog keeps only its SHA-256, so it is shown this once."""
    from webui.passwords import token_hash

    with _existing(archive_dir) as catalog:
        _account(catalog, username)
        if revoke:
            count = catalog.revoke_api_tokens(username)
            catalog.audit("token_revoke", cli_actor(), username, {"count": count})
            click.echo(f"{count} API token(s) of {username} revoked", err=True)
            return
        new_token = secrets.token_urlsafe(32)
        catalog.add_api_token(token_hash(new_token), username, now_iso())
        catalog.audit("token_add", cli_actor(), username)
    click.echo(new_token)
