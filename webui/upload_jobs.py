"""Upload batches archived in the background, one at a time, by a thread the app owns.

The upload request only saves the files into a staging folder and queues a job; OCR and
extraction can take minutes, and a request thread must not wait for them (nor a proxy time out
on them). The job's page and its JSON say how far it is. Jobs live in the server's memory:
after a restart their pages are gone, their letters archived or, for a batch cut short, their
staged copies swept by the next ingest (`ingest.store.staging`).
"""

from __future__ import annotations

import logging
import queue
import shutil
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.errors import CongvanError
from ingest.printable import printable

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
MAX_WAITING = 4  # batches waiting behind the running one; an upload beyond is refused (503)
KEPT_JOBS = 200  # jobs remembered for their pages, the oldest finished ones forgotten first


@dataclass
class UploadJob:
    """One upload batch: its staged files (path → the sender's name) and what became of them."""

    username: str
    folder: Path  # the staging folder, removed once the batch is done
    names: dict[str, str]
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    status: str = QUEUED
    outcomes: list[dict[str, Any]] = field(default_factory=list)  # one per file, when done
    index_deferred: bool = False
    error: str | None = None  # why the whole batch failed (a machine problem)
    address: str | None = None  # the uploader's address, for the audit log

    @property
    def finished(self) -> bool:
        return self.status in (DONE, FAILED)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "files": self.outcomes,
                "index": "deferred" if self.index_deferred else None, "error": self.error}


class UploadQueue:
    """A bounded queue of upload jobs and the one daemon thread that runs them with `run`
    (which fills in the job's outcomes, or raises). The thread starts with the first job."""

    def __init__(self, run: Callable[[UploadJob], None], max_waiting: int = MAX_WAITING) -> None:
        self._run = run
        self._waiting: queue.Queue[UploadJob] = queue.Queue(maxsize=max_waiting)
        self._jobs: OrderedDict[str, UploadJob] = OrderedDict()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, job: UploadJob) -> bool:
        """Queue `job`; False (and its folder removed) when too many are waiting."""
        try:
            self._waiting.put_nowait(job)
        except queue.Full:
            shutil.rmtree(job.folder, ignore_errors=True)
            return False
        with self._lock:
            self._jobs[job.id] = job
            self._forget_old_jobs()
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="congvan-uploads",
                                                daemon=True)
                self._thread.start()
        return True

    def get(self, job_id: str) -> UploadJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _forget_old_jobs(self) -> None:
        finished = [key for key, job in self._jobs.items() if job.finished]
        for key in finished[: max(0, len(self._jobs) - KEPT_JOBS)]:
            del self._jobs[key]

    def _work(self) -> None:
        while True:
            job = self._waiting.get()
            job.status = RUNNING
            try:
                self._run(job)
                job.status = DONE
            except Exception as error:  # the batch as a whole: say why on its page
                log.exception("upload %s failed", job.id)
                job.error = _why(error)
                job.status = FAILED
            finally:
                shutil.rmtree(job.folder, ignore_errors=True)


def _why(error: Exception) -> str:
    """What the job's page says when a whole batch fails (a full disk, Tesseract missing)."""
    if isinstance(error, CongvanError):
        return printable(str(error))  # our errors say what to do; they may name a file
    return f"lỗi nội bộ ({type(error).__name__}), xem nhật ký của máy chủ"
