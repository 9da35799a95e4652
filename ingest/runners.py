"""Where the recipe runs: a `Runner` takes a staged file and returns a future of its `Reading`.

The batch (`ingest.pipeline`) stages, deduplicates and stores; it hands each new file to a
runner and waits on the futures. `LocalPoolRunner` runs the recipe in a pool of worker
processes on this machine (each keeps its Tesseract engine loaded, under a memory limit, and
dies with the batch); `InProcessRunner` runs it in the caller's thread (one file, tests).
`KeptRunner` keeps a local pool across batches, for a queue worker (`ingest.jobqueue`) whose
every job is a batch of one file: its processes keep their Tesseract engine loaded.

A runner is a context manager: the batch enters it for its run and leaves it at the end.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import TracebackType
from typing import Protocol

from ingest.errors import FileError
from ingest.recipe import Reading, RecipeSettings, ingest_file

WORKER_MEMORY_BYTES = 3 << 30  # a decompression bomb fails with MemoryError, not the OOM killer


class Runner(Protocol):
    """Runs `ingest_file` somewhere; `slots` is how many files it works on at once."""

    slots: int

    def submit(self, path: Path, settings: RecipeSettings) -> Future[Reading]: ...

    def __enter__(self) -> Runner: ...

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None: ...


class InProcessRunner:
    """The recipe in the caller's thread, one file at a time: the future is done on return.
    Time limits hold only on the main thread (`within_time_limit`)."""

    slots = 1

    def submit(self, path: Path, settings: RecipeSettings) -> Future[Reading]:
        future: Future[Reading] = Future()
        try:
            future.set_result(ingest_file(path, settings))
        except Exception as error:  # the batch names it, as it does a worker's
            future.set_exception(error)
        return future

    def __enter__(self) -> InProcessRunner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None


class LocalPoolRunner:
    """The recipe in `jobs` worker processes of this machine (default: one per CPU).

    The pool starts on the first file and is made by the thread that runs the batch, which
    lives as long as the pool (the workers die with it, see `_die_with_parent`). A worker that
    dies (killed, out of memory) fails the files the pool held, each with its reason, and the
    next file gets a fresh pool.
    """

    def __init__(self, jobs: int | None = None) -> None:
        self.slots = max(1, jobs or os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None
        self._broken = False

    def submit(self, path: Path, settings: RecipeSettings) -> Future[Reading]:
        try:
            inner = self._live_pool().submit(ingest_file, path, settings)
        except BrokenProcessPool:  # it broke after the last check
            self._broken = True
            inner = self._live_pool().submit(ingest_file, path, settings)
        outer: Future[Reading] = Future()
        inner.add_done_callback(lambda done: self._settle(done, outer))
        return outer

    def start(self) -> None:
        """Start the pool's processes now, in the calling thread, which they die with (a queue
        worker's main thread, rather than the thread of its first job): with fork, a pool
        forks its processes on its first task."""
        self._live_pool().submit(os.getpid).result()

    def _live_pool(self) -> ProcessPoolExecutor:
        if self._pool is not None and self._broken:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.slots, initializer=_init_worker, initargs=(os.getpid(),)
            )
            self._broken = False
        return self._pool

    def _settle(self, done: Future[Reading], outer: Future[Reading]) -> None:
        if done.cancelled():
            outer.cancel()
            return
        error = done.exception()
        if isinstance(error, BrokenProcessPool):
            self._broken = True
            error = FileError("a worker process died while reading this file")
        if error is not None:
            outer.set_exception(error)
        else:
            outer.set_result(done.result())

    def __enter__(self) -> LocalPoolRunner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


class KeptRunner:
    """A `LocalPoolRunner` kept for a long-lived process (a queue worker): batches enter and
    leave it without shutting its pool down, so its processes keep their OCR engine loaded
    from one job to the next; `close` ends it."""

    def __init__(self, pool: LocalPoolRunner) -> None:
        self.pool = pool
        self.slots = pool.slots

    def submit(self, path: Path, settings: RecipeSettings) -> Future[Reading]:
        return self.pool.submit(path, settings)

    def __enter__(self) -> KeptRunner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def close(self) -> None:
        self.pool.__exit__(None, None, None)


# -- in each worker process ------------------------------------------------------------------


def _init_worker(parent_pid: int) -> None:
    _limit_worker_memory()
    _die_with_parent(parent_pid)


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _die_with_parent(parent_pid: int) -> None:
    """A worker must not outlive the batch: after kill -9 of the ingest it would wait forever
    for work (or finish a long OCR first). Linux kills it with its parent (PR_SET_PDEATHSIG; the
    pool is made by the thread that runs the batch, which lives as long as the pool); elsewhere
    a thread watches for the parent to go."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent_pid:  # the parent died before the signal was set
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    threading.Thread(target=_exit_when_orphaned, args=(parent_pid,), daemon=True).start()


def _exit_when_orphaned(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(1.0)
    os._exit(1)


def _limit_worker_memory() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > WORKER_MEMORY_BYTES:
        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_BYTES, hard))
