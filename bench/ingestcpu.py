"""CPU a letter of `congvan ingest --jobs 2 --no-index`, in the main process and its workers.

    python -m bench.ingestcpu LETTERS [--base ARCHIVE] [--tree DIR ...] [--rounds N]

Each run ingests the folder LETTERS into a fresh archive (empty, or a copy of --base, the copy
not timed) in a child Python process, which prints its own CPU (the main process: catalog
writes, the near-duplicate lookup, unpickling) and its children's (the pool's workers: the
recipe), and the main process's read calls (on Linux: SQLite reads the catalog's pages it
does not keep). With several --tree (source trees, e.g. an export of the commit before), the runs
alternate tree by tree, `--rounds` times: on a shared machine the CPU a letter is the figure to
compare, letters/s (wall) swings with the load printed beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Runs in the child: the CLI in process, then its own CPU and its waited-for children's.
CHILD = """
import json, resource, sys
from congvan.cli import cli
try:
    cli.main(sys.argv[1:], standalone_mode=False)
finally:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    io = dict(line.split(": ") for line in open("/proc/self/io").read().splitlines())
    print(json.dumps({"main": own.ru_utime + own.ru_stime, "reads": int(io["syscr"]),
                      "workers": kids.ru_utime + kids.ru_stime}), file=sys.stderr)
"""


def run(letters: Path, base: Path | None, tree: Path | None, jobs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="ingestcpu-", dir=letters.parent) as folder:
        archive = Path(folder) / "archive"
        if base is not None:
            shutil.copytree(base, archive)
        env = dict(os.environ)
        if tree is not None:
            env["PYTHONPATH"] = str(tree)
        command = [sys.executable, "-c", CHILD, "ingest", str(letters), "--archive",
                   str(archive), "--jobs", str(jobs), "--no-index", "--json"]
        load = os.getloadavg()[0]
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"ingest failed ({done.returncode}): {done.stderr[-2000:]}")
        cpu = json.loads(done.stderr.strip().splitlines()[-1])
        archived = json.loads(done.stdout)["summary"]["archived"]
    return {"archived": archived, "seconds": seconds, "load": load,
            "load_end": os.getloadavg()[0], **cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("letters", type=Path)
    parser.add_argument("--base", type=Path, help="archive copied before each run")
    parser.add_argument("--tree", type=Path, action="append", default=[],
                        help="source tree to run (PYTHONPATH); repeat to alternate")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    trees: list[Path | None] = list(args.tree) or [None]
    into = f"a copy of {args.base}" if args.base else "an empty archive"
    print(f"`congvan ingest --jobs {args.jobs} --no-index` of {args.letters} into {into}\n")
    print("| tree | letters/s (wall) | load start → end | ms CPU a letter: all | main | "
          "workers | main's reads a letter |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for _ in range(args.rounds):
        for tree in trees:
            r = run(args.letters.resolve(), args.base, tree, args.jobs)
            per = 1000 / max(r["archived"], 1)
            print(f"| {tree or 'this'} | {r['archived'] / r['seconds']:.1f} | "
                  f"{r['load']:.2f} → {r['load_end']:.2f} | "
                  f"{(r['main'] + r['workers']) * per:.2f} | {r['main'] * per:.2f} | "
                  f"{r['workers'] * per:.2f} | {r['reads'] / max(r['archived'], 1):.0f} |",
                  flush=True)


if __name__ == "__main__":
    main()
