"""What the browser tests share: Debian's Chromium driven by Playwright (the `browser` fixture
is in conftest.py), `congvan serve` run on a free port, and pages that record script errors."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
START_TIMEOUT = 60.0
WIDE = {"viewport": {"width": 1280, "height": 900}, "locale": "vi-VN"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, server: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"congvan serve exited with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"congvan serve did not listen on {port} within {timeout} s")


@contextmanager
def serving(archive_root: Path, log_path: Path, threads: int = 4) -> Iterator[str]:
    """`congvan serve` (waitress) of `archive_root` on a free loopback port, its output in
    `log_path`; yields its base URL and stops it after."""
    port = free_port()
    command = [sys.executable, "-m", "congvan", "serve", "--archive", str(archive_root),
               "--port", str(port), "--threads", str(threads)]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            wait_for_port(port, process, START_TIMEOUT)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def watched_page(browser, **context_options):
    """A page in a context of its own and the list its script errors and Content-Security-Policy
    violations go to (a test asserts it is empty); close with `page.context.close()`."""
    page = browser.new_context(**context_options).new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return page, problems
