"""A throwaway PostgreSQL server for the tests (issue 14): Debian's binaries, a cluster in a
temporary folder, listening only on a Unix socket in that folder, stopped when the run ends.

CI runs as root and PostgreSQL refuses to run as root, so the cluster then belongs to the
`postgres` user (created by Debian's package) and its commands run through `runuser`. The
server trusts every local connection: nothing but this run can reach its socket.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BINARIES = "/usr/lib/postgresql/*/bin"
# Speed over durability: a test cluster is thrown away, never recovered after a crash.
SETTINGS = {
    "listen_addresses": "''",  # no TCP: only the socket below
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",  # queue workers and search nodes of the cluster tests
    "shared_buffers": "32MB",
}


OWNER_FILE = "owner.pid"  # the process that started the cluster


class PostgresMissing(RuntimeError):
    pass


def _alive(pid: int) -> bool:
    """The process runs (a zombie waiting for its parent to reap it does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def reap_orphans(folder: Path | None = None) -> list[Path]:
    """Stop the clusters of test runs that died without stopping theirs (`kill -9`, where
    neither the session's finalizer nor atexit runs) and remove their folders; the clusters
    of runs still going (other engineers' on this machine) are left alone."""
    reaped = []
    for root in sorted(Path(folder or tempfile.gettempdir()).glob("congvan-pg-*")):
        try:
            owner = int((root / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue  # being created, or not ours
        if _alive(owner):
            continue
        orphan = PostgresServer(root=root, running=(root / "data" / "postmaster.pid").exists())
        orphan.stop()
        reaped.append(root)
    return reaped


def find_binaries() -> Path:
    """The newest installed major version's bin folder (not /usr/local/bin's links, which
    Debian's postgresql-common routes through pg_wrapper)."""
    found = sorted(Path("/").glob(BINARIES.lstrip("/")),
                   key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    found = [path for path in found if (path / "initdb").exists() and (path / "pg_ctl").exists()]
    if not found:
        raise PostgresMissing(
            f"PostgreSQL is not installed (no initdb under {BINARIES}): the PostgreSQL tests "
            "need Debian's `postgresql` package; `make test` installs it (.ci/apt-install).")
    return found[-1]


@dataclass
class PostgresServer:
    """One cluster: `start()`, then `url` (the `postgres` database) and `create_database()`."""

    bin: Path = field(default_factory=find_binaries)  # first: no folder made if missing
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="congvan-pg-")))
    user: str = "postgres"  # the superuser created by initdb, whoever runs the cluster
    running: bool = False
    _names: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    @property
    def url(self) -> str:
        return self.database_url("postgres")

    def database_url(self, name: str) -> str:
        return f"postgresql://{self.user}@/{name}?host={self.socket_dir}"

    def _as_owner(self, *command: str | Path) -> list[str]:
        """`command` run as the cluster's owner: `postgres` when this process is root."""
        command_line = [str(part) for part in command]
        if os.geteuid() != 0:
            return command_line
        return ["runuser", "-u", "postgres", "--", *command_line]

    def _run(self, *command: str | Path) -> None:
        result = subprocess.run(self._as_owner(*command), cwd=self.root, capture_output=True,
                                text=True, check=False)
        if result.returncode:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{Path(str(command[0])).name} failed: "
                               f"{result.stderr or result.stdout}\n{tail}")

    def start(self) -> PostgresServer:
        (self.root / OWNER_FILE).write_text(str(os.getpid()))  # see reap_orphans
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresMissing("no `postgres` user to run the test cluster as root: "
                                      "install Debian's `postgresql` package") from None
            for path in (self.root, self.socket_dir):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        self._run(self.bin / "initdb", "-D", self.data, "-U", self.user, "--auth=trust",
                  "--no-sync", "--encoding=UTF8", "--locale=C.UTF-8")
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(f"unix_socket_directories = '{self.socket_dir}'\n")
            conf.writelines(f"{key} = {value}\n" for key, value in SETTINGS.items())
        self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.root / "server.log",
                  "-w", "-t", "60", "start")
        self.running = True
        atexit.register(self.stop)  # also when the session's finalizer never runs
        return self

    def stop(self) -> None:
        """Stop the server (at once: nothing in it is kept) and remove its folder. Safe to
        call twice."""
        if self.running:
            self.running = False
            with contextlib.suppress(RuntimeError):
                self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "-w",
                          "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def pid(self) -> int | None:
        """The postmaster's process id while it runs."""
        pid_file = self.data / "postmaster.pid"
        if not pid_file.exists():
            return None
        return int(pid_file.read_text().split()[0])

    def create_database(self, prefix: str = "test") -> str:
        """A new, empty database; its URL."""
        import psycopg

        name = f"{prefix}_{os.getpid()}_{next(self._names)}_{time.monotonic_ns() % 10**6}"
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.database_url(name)

    def drop_database(self, url: str) -> None:
        import psycopg

        name = url.split("/")[-1].split("?")[0]
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
