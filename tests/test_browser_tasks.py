"""A real browser on the tasks pages (issue 16): from "Nhiệm vụ" to an assignee's page, open an
overdue task's letter. Debian's Chromium, headless, driven by Playwright, against `congvan
serve` on an archive of invented letters (tests.test_task_tracking.fill)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from ingest import Archive, open_catalog

from .browsing import ARTIFACTS, WIDE, serving, watched_page
from .test_task_tracking import fill

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def tasks_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict]]:
    root = tmp_path_factory.mktemp("browser-tasks")
    archive = Archive(root / "archive")
    archive.root.mkdir()
    with open_catalog(archive.catalog_path) as catalog:
        ids = fill(catalog)  # dated 2025: their deadlines are past
    with serving(archive.root, root / "serve.log", threads=2) as url:
        yield url, ids


def test_an_overdue_task_opens_from_its_assignees_page(browser, tasks_server) -> None:
    server, ids = tasks_server
    ARTIFACTS.mkdir(exist_ok=True)
    page, problems = watched_page(browser, **WIDE)
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
    page.context.close()
