"""Peak resident memory of a child process and its descendants, read from /proc (Linux)."""

from __future__ import annotations

import threading
from pathlib import Path


def _hwm_kb(pid: int) -> int:
    """VmHWM (peak resident set) of one process in KiB; 0 if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def descendants(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += _children(current)
    return tree


class PeakRss:
    """Samples the process tree under `pid` every `interval` s until stop(); peaks in MiB."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid, self.interval = pid, interval
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        for pid in descendants(self.pid):
            self.peaks[pid] = max(self.peaks.get(pid, 0), _hwm_kb(pid))

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        main = self.peaks.get(self.pid, 0)
        largest = max(self.peaks.values(), default=0)
        return {"main_mb": main / 1024, "largest_mb": largest / 1024,
                "processes": len(self.peaks)}
