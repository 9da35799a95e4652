"""`congvan serve` as a child process on a free port, and queries timed over HTTP against it."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

from index import DEFAULT_ENGINE

from .memory import PeakRss


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """Starts `congvan --engine ENGINE serve --archive ARCHIVE` and waits until it answers;
    stop() ends it."""

    def __init__(self, archive: Path, threads: int = 8, timeout: float = 600,
                 engine: str = DEFAULT_ENGINE) -> None:
        self.port = free_port()
        command = [sys.executable, "-m", "congvan", "--engine", engine, "serve",
                   "--archive", str(archive),
                   "--port", str(self.port), "--threads", str(threads)]
        # stderr to a file: an undrained pipe fills up and blocks the server's logging
        self.log = tempfile.TemporaryFile("w+")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=self.log,
                                        text=True)
        self.memory = PeakRss(self.process.pid)
        started = time.monotonic()
        while not self._answers():
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"congvan serve ended: {self.log.read()[-2000:]}")
            if time.monotonic() - started > timeout:
                self.stop()
                raise RuntimeError("congvan serve did not answer in time")
            time.sleep(0.2)
        self.startup_seconds = time.monotonic() - started

    def _answers(self) -> bool:
        try:
            status, _ = get(self.port, "/api/search?q=warmup", timeout=60)
        except OSError:
            return False
        return status == 200

    def stop(self) -> dict[str, float]:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.seek(0)
        self.queue_warnings = self.log.read().count("Task queue depth")
        self.log.close()
        return self.memory.stop()


def get(port: int, path: str, timeout: float = 60,
        connection: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        if connection is None:
            conn.close()


def search_path(query: str) -> str:
    """The JSON API page staff's search box asks for: top 10, facets and highlights."""
    return "/api/search?" + urllib.parse.urlencode({"q": query, "per_page": 10})


def query_http(port: int, queries: list[tuple[str, str]]) -> dict[str, Any]:
    """Latency (ms) of each query over one keep-alive connection, by kind; non-200 = errors."""
    by_kind: dict[str, list[float]] = {}
    empty = errors = 0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for _kind, query in queries[:5]:
        get(port, search_path(query + " warmup"), connection=conn)
    for kind, query in queries:
        started = time.perf_counter()
        try:
            status, body = get(port, search_path(query), connection=conn)
        except OSError:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            errors += 1
            continue
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            errors += 1
            continue
        by_kind.setdefault(kind, []).append(elapsed)
        empty += json.loads(body)["total"] == 0
    conn.close()
    return {"by_kind": by_kind, "empty": empty, "errors": errors}
