"""A real browser against `congvan serve`: Debian's Chromium, headless, driven by Playwright.

Types a query without diacritics, opens the first result, follows a citation to the cited
letter, uploads a letter and follows its job page until it is archived, and saves screenshots to
tests/artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from .browsing import ARTIFACTS, WIDE, serving, watched_page
from .webui_archive import QD_874, build_web_archive, sha_id

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return build_web_archive(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def server(built: dict, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(built["archive"].root, tmp_path_factory.mktemp("serve") / "serve.log") as url:
        yield url


def test_search_without_diacritics_open_result_follow_citation(browser, server, built):
    ids = built["ids"]
    ARTIFACTS.mkdir(exist_ok=True)
    page, problems = watched_page(browser, **WIDE)

    page.goto(server + "/")
    page.fill("input[name=q]", "dong thap")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("li.hit")
    assert re.search(r"\?q=dong\+thap", page.url)
    page.screenshot(path=str(ARTIFACTS / "browser-1-search.png"), full_page=True)

    page.click("li.hit >> nth=0 >> h3 a")
    page.wait_for_url(re.compile(rf"/van-ban/{ids['000']}$"))
    assert page.locator("pre.text").inner_text().strip()
    page.screenshot(path=str(ARTIFACTS / "browser-2-document.png"), full_page=True)

    citation = page.locator(f"ul.citations a[href='/van-ban/{ids['qd874']}']").first
    citation.click(timeout=10_000)
    page.wait_for_url(re.compile(rf"/van-ban/{ids['qd874']}$"))
    assert "874/QĐ-BTTTT" in page.locator("h1").inner_text()
    page.screenshot(path=str(ARTIFACTS / "browser-3-cited.png"), full_page=True)
    assert not problems, problems  # no script errors, no Content-Security-Policy violations
    page.context.close()


def test_hostile_letter_runs_no_script_in_the_browser(browser, server, built):
    page = browser.new_context().new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{server}/van-ban/{built['ids']['hostile']}")
    assert "<script>alert(1)</script>" in page.locator("pre.text").inner_text()  # shown as text
    assert page.locator("img[src=x]").count() == 0
    page.goto(f"{server}/?q=ma+doc+gia+mao")
    page.wait_for_selector("li.hit")
    assert page.locator("img[src=x]").count() == 0
    assert page.locator("script:not([src])").count() == 0
    assert dialogs == []
    page.context.close()


def test_autocomplete_suggests_issuers_typed_without_diacritics(browser, server):
    page = browser.new_context().new_page()
    page.goto(server + "/")
    page.locator("input[name=q]").press_sequentially("so thong tin", delay=30)
    first = page.locator("ul.suggestions li").first
    first.wait_for(timeout=10_000)
    issuer = first.inner_text()
    assert issuer.startswith("Sở Thông tin")
    page.press("input[name=q]", "ArrowDown")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("li.hit")
    assert page.locator("input[name=q]").input_value() == f'coquan:"{issuer}"'
    assert page.locator("li.hit").count() >= 1
    page.context.close()


def test_upload_goes_to_its_job_page_which_follows_the_letter_until_archived(
    browser, server, built, tmp_path
):
    from congvan.cli import main

    password = "mat-khau-du-dai"
    main(["user", "add", "vanthu", "--archive", str(built["archive"].root),
          "--password", password])
    letter = tmp_path / "quyet-dinh-moi.txt"
    letter.write_text(QD_874 + "\nBản sao số 7 gửi Văn phòng.\n", encoding="utf-8")
    page, problems = watched_page(browser, locale="vi-VN")

    page.goto(server + "/dang-nhap?next=/tai-len")
    page.fill("input[name=username]", "vanthu")
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(r"/tai-len$"))
    page.set_input_files("input[name=files]", str(letter))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(re.compile(r"/tai-len/[0-9a-f]{32}$"), timeout=30_000)
    page.wait_for_selector("tr.outcome-archived", timeout=120_000)  # the page refreshes itself
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-4-upload-job.png"), full_page=True)
    page.click("tr.outcome-archived a")
    page.wait_for_url(re.compile(rf"/van-ban/{sha_id(letter.read_bytes())}$"))
    assert "874/QĐ-BTTTT" in page.locator("h1").inner_text()
    assert not problems, problems
    page.context.close()


def test_a_clerk_corrects_an_issuer_and_a_reader_cannot(browser, server, built):
    """Issue 13: log in as a clerk, correct a wrong issuer, see the search facet change and the
    history line; a reader sees no edit form and gets 403 on POST."""
    from congvan.cli import main

    password = "mat-khau-du-dai"
    for name, role in (("vanthu2", "clerk"), ("docgia", "reader")):
        main(["user", "add", name, "--role", role, "--archive", str(built["archive"].root),
              "--password", password])
    doc = built["ids"]["unicode"]
    wrong, right = "Ủy ban nhân dân huyện Đức Trọng", "Văn phòng HĐND và UBND huyện Đức Trọng"
    page, problems = watched_page(browser, locale="vi-VN")

    def issuer_facet() -> list[str]:
        page.goto(server + "/?q=lich+tiep+cong+dan")
        page.wait_for_selector("li.hit")
        facet = page.locator("section.facet", has_text="Cơ quan ban hành")
        return [text.strip() for text in facet.locator("li a").all_inner_texts()]

    page.goto(f"{server}/dang-nhap?next=/van-ban/{doc}")
    page.fill("input[name=username]", "vanthu2")
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(rf"/van-ban/{doc}$"))
    assert page.locator("form.correct-form input[name=issuer]").input_value() == wrong
    assert issuer_facet() == [wrong]
    page.goto(f"{server}/van-ban/{doc}")
    page.click("#sua summary")
    page.fill("form.correct-form input[name=issuer]", right)
    page.click("form.correct-form button[type=submit]")
    page.wait_for_url(re.compile(rf"/van-ban/{doc}#lich-su$"))
    assert "đã sửa bởi vanthu2" in page.locator("table.meta").inner_text()
    history = page.locator("#lich-su tbody tr").first.inner_text()
    assert "vanthu2" in history and wrong in history and right in history
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-5-corrected.png"), full_page=True)
    assert issuer_facet() == [right]
    assert not problems, problems
    page.context.close()

    reader = browser.new_context(locale="vi-VN").new_page()
    reader.goto(f"{server}/dang-nhap?next=/van-ban/{doc}")
    reader.fill("input[name=username]", "docgia")
    reader.fill("input[name=password]", password)
    reader.press("input[name=password]", "Enter")
    reader.wait_for_url(re.compile(rf"/van-ban/{doc}$"))
    assert reader.locator("form.correct-form").count() == 0
    assert "Sửa thông tin" not in reader.content()
    token = reader.locator("input[name=csrf_token]").first.get_attribute("value")
    response = reader.request.post(f"{server}/van-ban/{doc}/sua",
                                   form={"csrf_token": token, "issuer": wrong})
    assert response.status == 403
    reader.context.close()


def test_a_replaced_document_shows_the_letter_that_replaced_it(browser, server, built,
                                                                tmp_path):
    """Issue 16: a decision replaced by a later one archived after it names it in a banner and
    links to it; the later one names the relation ('thay thế') beside its citation, and the
    graph colours that edge."""
    from congvan.cli import main

    from .test_webui_relations import FOOT, HEADER, LETTERS

    paths = []
    for name in ("old", "new"):
        number, date, body = LETTERS[name]
        path = tmp_path / f"{name}.txt"
        path.write_text(HEADER.format(number=number, date=date) + body + FOOT, encoding="utf-8")
        paths.append(path)
    main(["ingest", *map(str, paths), "--archive", str(built["archive"].root)])
    old, new = (sha_id(path.read_bytes()) for path in paths)
    page, problems = watched_page(browser, **WIDE)
    page.goto(f"{server}/van-ban/{old}")
    banner = page.locator("div.validity-banner")
    assert banner.is_visible() and banner.inner_text().startswith("Bị thay thế")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-6-replaced.png"), full_page=True)
    banner.locator(f"a[href='/van-ban/{new}']").click()
    page.wait_for_url(re.compile(rf"/van-ban/{new}$"))
    cited = page.locator("ul.citations li", has_text="12/2020/QĐ-UBND").first
    assert cited.locator("span.relation").inner_text() == "thay thế"
    page.screenshot(path=str(ARTIFACTS / "browser-7-replacing.png"), full_page=True)
    assert not problems, problems
    page.context.close()
