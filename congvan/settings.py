"""The settings of one run of `congvan`, built once from its flags and the environment.

The command package is the only one that reads the environment (tests/test_house_rules.py):
click reads the variables that stand in for a flag (CONGVAN_ARCHIVE for --archive,
CONGVAN_ENGINE for --engine, CONGVAN_BASE_URL, CONGVAN_SECURE_COOKIES,
CONGVAN_ANONYMOUS_READERS, CONGVAN_AUDIT_KEEP_DAYS, CONGVAN_TRASH_DAYS, CONGVAN_OFFICE,
CONGVAN_QUEUE, CONGVAN_CATALOG for --catalog),
`command_settings` the one no flag stands for (CONGVAN_SECRET_KEY). ingest/, index/ and webui/
get what they need as parameters: the web app its config from `Settings.web_config`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from ingest.store.archive import Archive

from .options import catalog_url, index_dir

# index.ENGINES and index.DEFAULT_ENGINE, named again here so that `congvan --help` need not
# import the search package (tests/test_command.py checks that they agree).
ENGINES = ("whoosh", "tantivy")
DEFAULT_ENGINE = "tantivy"
SECRET_KEY_ENV = "CONGVAN_SECRET_KEY"
DEFAULT_TRASH_DAYS = 30


@dataclass(frozen=True)
class Settings:
    """What a command and the web app it serves are configured with."""

    archive: Path  # absolute (options.absolute_path)
    engine: str = DEFAULT_ENGINE  # the search engine: "whoosh" or "tantivy"
    lang: str = "vie"  # Tesseract's language
    jobs: int | None = None  # worker processes (None: one per core)
    base_url: str | None = None  # the public address API links are built on
    secure_cookies: bool = False  # the login cookie over HTTPS only
    secret_key: str | None = field(default=None, repr=False)  # signs the login cookie
    anonymous_readers: bool = True  # search and read without an account, as before roles
    audit_keep_days: int | None = None  # serve prunes older audit entries at start (None: keep)
    trash_days: int = DEFAULT_TRASH_DAYS  # a deleted letter is purged after this many days
    office: str = ""  # whose registers (sổ đến / đi) are kept: arrival numbers count per office
    queue: str | None = None  # the job queue's PostgreSQL URL (ingest.jobqueue); None: no queue
    catalog: str | None = field(default=None, repr=False)  # a postgresql:// URL (None: SQLite)
    index_dir: Path | None = None  # the search index's folder (None: the archive's own)
    follow: bool = False  # serve: the index follows the catalog's change sequence (a node)

    def archive_store(self) -> Archive:
        """The archive, its catalog where --catalog says."""
        return Archive(self.archive, self.catalog, self.index_dir)

    def web_config(self) -> dict[str, Any]:
        """The web app's config (webui.create_app); without a secret key the app keeps one in
        the archive."""
        config: dict[str, Any] = {
            "ARCHIVE": str(self.archive),
            "ENGINE": self.engine,
            "BASE_URL": self.base_url,
            "SESSION_COOKIE_SECURE": self.secure_cookies,
            "ANONYMOUS_READERS": self.anonymous_readers,
            "TRASH_DAYS": self.trash_days,
            "OFFICE": self.office,
            "QUEUE": self.queue,
            "CATALOG": self.catalog,
            "INDEX_DIR": str(self.index_dir) if self.index_dir else None,
        }
        if self.secret_key:
            config["SECRET_KEY"] = self.secret_key
        return config


def command_settings(archive: Path, **flags: Any) -> Settings:
    """The settings of the command being run: its own flags (`archive`, and `jobs`, `lang`,
    `base_url`, `secure_cookies`, `anonymous_readers`, `audit_keep_days`, `trash_days`,
    `office`, `queue` where it has them),
    the group's `--engine`, and the secret key from the environment."""
    group = click.get_current_context().find_root().params
    return Settings(
        archive=archive,
        engine=group.get("engine") or DEFAULT_ENGINE,
        secret_key=os.environ.get(SECRET_KEY_ENV) or None,
        catalog=catalog_url(),
        index_dir=index_dir(),
        **flags,
    )
