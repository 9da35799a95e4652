"""Where a tantivy rebuild's CPU goes: one stage of it over a whole catalog, streamed.

    python -m bench.buildstages --archive DIR --stage read|prepare|fill

`read`: the catalog's rows alone (`iter_documents_unordered`); `prepare`: those rows made
into tantivy documents in Python (`stamped_rows`, `index_record`, `to_document`), no writer;
`fill`: `index.tantivy.sync.fill` into a temporary folder, i.e. `reindex` without its lock and
swap. Prints the wall time and the CPU a letter of this process, all threads (tantivy's writer
threads too), with the machine's load before and after: on a shared machine the CPU a letter
is the figure to compare (bench/RESULTS.md, "The tantivy build, stage by stage").
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from index.documents import index_record, stamped_rows
from index.tantivy import sync
from index.tantivy.schema import to_document
from ingest import Archive, open_catalog
from ingest.store.catalog import CatalogStore


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_stage(catalog: CatalogStore, stage: str) -> int:
    """Run `stage` over the whole catalog; the number of letters."""
    if stage == "read":
        return sum(1 for _ in catalog.iter_documents_unordered())
    if stage == "prepare":
        count = 0
        for row, stamp in stamped_rows(catalog):
            to_document(index_record(row, stamp))
            count += 1
        return count
    with tempfile.TemporaryDirectory(prefix="buildstages-") as folder:
        return sync.fill(catalog, Path(folder) / "index")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--stage", choices=("read", "prepare", "fill"), required=True)
    args = parser.parse_args()
    with open_catalog(Archive(args.archive).catalog_location) as catalog:
        load = os.getloadavg()[0]
        started, cpu = time.perf_counter(), cpu_seconds()
        count = run_stage(catalog, args.stage)
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    print(f"{args.stage}: {count} letters, {seconds:.1f} s wall ({count / seconds:.0f}/s), "
          f"{cpu / max(count, 1) * 1000:.3f} ms CPU a letter, load {load:.1f} -> "
          f"{os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
