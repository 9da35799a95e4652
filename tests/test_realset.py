"""The real office scans of ../shared/realset/scans (not in the repository: read at run time).

Every one is a readable document, so one `congvan ingest` of all of them archives every one:
none refused. Letters whose fields the extractor could not find are kept, flagged for review.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest import Archive, open_catalog

SCANS = Path(os.environ.get("CONGVAN_REALSET", Path(__file__).resolve().parents[2]
                            / "shared" / "realset")) / "scans"
EXPECTED_SCANS = 44


@pytest.mark.slow
@pytest.mark.timeout(3 * 3600)  # 44 scans' OCR: minutes on a quiet machine, more under load
def test_every_real_scan_is_archived_none_refused(tmp_path: Path) -> None:
    scans = sorted(SCANS.glob("*.pdf")) if SCANS.is_dir() else []
    if not scans:
        pytest.skip(f"the real scans are not on this machine ({SCANS} is absent or empty)")
    assert len(scans) == EXPECTED_SCANS, f"{SCANS} holds {len(scans)} PDFs"
    archive = Archive(tmp_path / "archive")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", "from congvan.cli import main; main()", "ingest", *map(str, scans),
         "--archive", str(archive.root), "--json", "--no-index"],
        capture_output=True, text=True, timeout=3 * 3600,
    )
    seconds = time.monotonic() - started
    report = json.loads(result.stdout)
    refused = {Path(f["path"]).name: f["error"]
               for f in report["files"] if f["outcome"] != "archived"}
    assert not refused, refused
    assert report["summary"]["failed"] == 0 and report["summary"]["archived"] == len(scans)
    assert result.returncode == 0, result.stderr[-2000:]
    with open_catalog(archive.catalog_path) as catalog:
        stats = catalog.stats()
    assert stats["documents"] == len(scans)
    print(f"\n{len(scans)} real scans archived in {seconds:.0f} s "
          f"({report['summary']['pages']} pages, {report['summary']['ocr_pages']} OCR); "
          f"{stats['needs_review']} flagged needs_review")
