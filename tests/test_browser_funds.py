"""/funds as a person uses it: filters in the URL, shared links, district click, exports."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.browser import CHROMIUM, CHROMIUM_ARGS, ConsoleWatch, LiveServer, demo_app, require_chromium, seeded_demo_url
from tests.browser import serve as serve_app
from tests.test_browser_overview import sign_in

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = seeded_demo_url(Path(tmp_path_factory.mktemp("browser-funds")))
    yield from serve_app(demo_app(url))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_chromium()
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def pick(page, dropdown_id: str, label: str) -> None:  # type: ignore[no-untyped-def]
    page.click(f"#{dropdown_id}")
    page.get_by_role("option", name=label, exact=True).click()


def title_starts(page, text: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        "t => document.querySelector('#page-title')?.innerText.startsWith(t)", arg=text, timeout=20_000
    )


def test_filters_live_in_the_url_and_exports_match_the_table(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "province")
    page.get_by_role("link", name="维修资金").click()
    page.wait_for_url(re.compile(r"/funds"))
    page.locator(".ag-row").first.wait_for(timeout=20_000)
    title_starts(page, "全省")

    # City filter → URL → figures change.
    province_deposits = page.locator("#funds-card-deposits-value").inner_text()
    pick(page, "funds-city", "湘潭市")
    page.wait_for_url(re.compile(r"city=xiangtan"))
    title_starts(page, "湘潭市")
    assert page.locator("#funds-card-deposits-value").inner_text() != province_deposits

    # Year filter → URL; the 2021 view is smaller than today's.
    xiangtan_now = page.locator("#funds-card-deposits-value").inner_text()
    pick(page, "funds-year", "2021")
    page.wait_for_url(re.compile(r"year=2021"))
    page.wait_for_function(
        "v => document.querySelector('#funds-card-deposits-value')?.innerText !== v", arg=xiangtan_now,
        timeout=20_000,
    )

    # Back restores the previous view; a fresh page on the shared link restores this one.
    page.go_back()
    page.wait_for_function(
        "v => document.querySelector('#funds-card-deposits-value')?.innerText === v", arg=xiangtan_now,
        timeout=20_000,
    )
    page.go_forward()
    page.wait_for_url(re.compile(r"year=2021"))
    shared = page.url
    fresh = context.new_page()
    watch.attach(fresh)
    fresh.goto(shared)
    fresh.locator(".ag-row").first.wait_for(timeout=20_000)
    assert fresh.locator("#funds-year").inner_text().strip() == "2021"
    title_starts(fresh, "湘潭市")
    fresh.close()

    # Clicking a district's bar filters the page to it.
    bar = page.locator("#funds-district-chart .point").first
    bar.wait_for(timeout=20_000)
    bar.click(force=True)
    page.wait_for_url(re.compile(r"district=\d+"))
    page.wait_for_function(
        "() => /湘潭市 \\S+区/.test(document.querySelector('#page-title')?.innerText || '')", timeout=20_000
    )
    page.locator(".ag-row").first.wait_for(timeout=20_000)
    total_text = page.locator(".ag-paging-row-summary-panel").inner_text()
    shown = int(re.findall(r"(\d[\d,]*)", total_text)[-1].replace(",", ""))

    # CSV from the browser and Excel from the server hold exactly the table's rows.
    with page.expect_download() as csv_download:
        page.click("#funds-grid-csv")
    rows = list(csv.reader(io.StringIO(Path(csv_download.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) - 1 == shown
    with page.expect_download() as xlsx_download:
        page.click("#funds-grid-xlsx")
    assert xlsx_download.value.suggested_filename == "funds-2021.xlsx"
    sheet = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).active
    xlsx_rows = list(sheet.iter_rows(values_only=True))
    assert len(xlsx_rows) - 1 == shown
    assert [r[0] for r in rows[1:]] == [r[0] for r in xlsx_rows[1:]]  # same compounds, same order

    # Clicking a compound opens its view.
    first = page.locator(".ag-row .compound-link").first
    name = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/compound\?id=\d+"))
    title_starts(page, name)
    page.locator("#compound-insured").wait_for(timeout=20_000)
    context.close()
    assert watch.errors == []
