"""A real browser on the tasks pages (issue 16): from "Nhiệm vụ" to an assignee's page, open an
overdue task's letter. Debian's Chromium, headless, driven by Playwright, against `congvan
serve` on an archive of invented letters (tests.test_task_tracking.fill)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest

from ingest import Archive, open_catalog

from .test_browser import ARTIFACTS, START_TIMEOUT, browser, free_port, wait_for_port
from .test_task_tracking import fill

pytestmark = pytest.mark.browser
__all__ = ["browser"]  # the Chromium fixture, shared


@pytest.fixture(scope="module")
def tasks_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict]]:
    root = tmp_path_factory.mktemp("browser-tasks")
    archive = Archive(root / "archive")
    archive.root.mkdir()
    with open_catalog(archive.catalog_path) as catalog:
        ids = fill(catalog)  # dated 2025: their deadlines are past
    port = free_port()
    log = (root / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "congvan", "serve", "--archive", str(archive.root), "--port",
         str(port), "--threads", "2"], stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        wait_for_port(port, process, START_TIMEOUT)
        yield f"http://127.0.0.1:{port}", ids
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_an_overdue_task_opens_from_its_assignees_page(browser, tasks_server) -> None:
    server, ids = tasks_server
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(server + "/nhiem-vu")
    page.click("section.assignee h2 a:has-text('Sở Tài chính')")
    page.wait_for_url(re.compile(r"/nhiem-vu/don-vi\?ten="))
    assert "Sở Tài chính tỉnh Lâm Đồng" in page.locator("h1").inner_text()
    overdue = page.locator("section.task-state.overdue li")
    assert overdue.count() == 4
    page.screenshot(path=str(ARTIFACTS / "browser-tasks-1-assignee.png"), full_page=True)
    overdue.filter(has_text="Sở TC bố trí kinh phí").locator("a").first.click()
    page.wait_for_url(re.compile(rf"/van-ban/{ids['overdue']}$"))
    assert "Hạn: 10/06/2025" in page.locator("#nhiem-vu ~ section").first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "browser-tasks-2-letter.png"), full_page=True)
    assert not problems, problems
    context.close()
