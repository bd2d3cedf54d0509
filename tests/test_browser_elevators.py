"""/elevators as a person uses it: navbar, city filter in the URL, target lines, district click, exports."""

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
    url = seeded_demo_url(Path(tmp_path_factory.mktemp("browser-elevators")))
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


PANEL = "document.querySelector('#elevators-grid .ag-paging-row-summary-panel')"


def grid_total(page) -> int:  # type: ignore[no-untyped-def]
    """The row count the grid's paging panel reports ("1 至 20 / 73"); innerText is empty while off screen."""
    page.locator("#elevators-grid .ag-row").first.wait_for(timeout=20_000)
    page.wait_for_function(f"() => /\\d/.test(({PANEL})?.textContent || '')", timeout=20_000)
    text = page.locator("#elevators-grid .ag-paging-row-summary-panel").text_content() or ""
    return int(re.findall(r"(\d[\d,]*)", text)[-1].replace(",", ""))


TARGET_TRACES = """() => {
    const plot = document.querySelector('#elevators-coverage-chart .js-plotly-plot');
    return plot && plot.data ? plot.data.filter(t => t.meta && t.meta.target).map(t => [t.name, t.y[0]]) : [];
}"""


def test_city_filter_targets_district_click_and_exports(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "province")
    page.get_by_role("link", name="电梯保险").click()
    page.wait_for_url(re.compile(r"/elevators"))
    page.locator("#elevators-grid .ag-row").first.wait_for(timeout=30_000)
    title_starts(page, "全省")
    # Province-wide: Zhuzhou's programme sets no target, and the page says so.
    assert "株洲市方案未设覆盖率目标" in page.locator("#elevators-targets").inner_text()

    # City filter → URL → figures change, and Xiangtan's two targets are drawn as lines.
    registered = page.locator("#elevators-card-registered-value").inner_text()
    pick(page, "elevators-city", "湘潭市")
    page.wait_for_url(re.compile(r"city=xiangtan"))
    title_starts(page, "湘潭市")
    page.wait_for_function(
        "v => document.querySelector('#elevators-card-registered-value')?.innerText !== v", arg=registered,
        timeout=20_000,
    )  # fmt: skip
    page.wait_for_function(f"() => ({TARGET_TRACES})().length === 2", timeout=20_000)
    targets = page.evaluate(TARGET_TRACES)
    assert [y for _, y in targets] == [0.4, 1.0]
    assert all(name.startswith("湘潭市目标") for name, _ in targets)
    notes = page.locator("#elevators-targets").inner_text()
    assert "2024年12月31日" in notes and "2025年12月31日" in notes
    assert "株洲市" not in notes

    # Clicking a district's bar filters the page to it, the table included.
    city_total = grid_total(page)
    bar = page.locator("#elevators-district-chart .point").first
    bar.wait_for(timeout=20_000)
    bar.click(force=True)
    page.wait_for_url(re.compile(r"city=xiangtan.*district=\d+|district=\d+.*city=xiangtan"))
    page.wait_for_function(
        "() => /湘潭市 \\S+/.test(document.querySelector('#page-title')?.innerText || '')", timeout=20_000
    )
    page.wait_for_function(
        f"n => (({PANEL})?.textContent || '').replace(/,/g, '').match(/\\d+/g)?.pop() !== String(n)",
        arg=city_total,
        timeout=20_000,
    )
    shown = grid_total(page)
    assert 0 < shown < city_total

    # The URL alone reopens the same view in a fresh page: title, cards and table.
    title = page.locator("#page-title").inner_text()
    card = page.locator("#elevators-card-registered-value").inner_text()
    fresh = context.new_page()
    watch.attach(fresh)
    fresh.goto(page.url)
    fresh.locator("#elevators-grid .ag-row").first.wait_for(timeout=30_000)
    assert fresh.locator("#page-title").inner_text() == title
    assert fresh.locator("#elevators-card-registered-value").inner_text() == card
    assert grid_total(fresh) == shown
    fresh.close()

    # CSV from the browser and Excel from the server hold exactly the table's rows.
    with page.expect_download() as csv_download:
        page.click("#elevators-grid-csv")
    rows = list(csv.reader(io.StringIO(Path(csv_download.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) - 1 == shown
    year = re.search(r"year=(\d{4})", page.url)
    with page.expect_download() as xlsx_download:
        page.click("#elevators-grid-xlsx")
    assert re.fullmatch(r"elevators-\d{4}\.xlsx", xlsx_download.value.suggested_filename)
    if year:
        assert xlsx_download.value.suggested_filename == f"elevators-{year.group(1)}.xlsx"
    sheet = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).active
    xlsx_rows = list(sheet.iter_rows(values_only=True))
    assert len(xlsx_rows) - 1 == shown
    assert [r[0] for r in rows[1:]] == [r[0] for r in xlsx_rows[1:]]  # same compounds, same order
    context.close()
    assert watch.errors == []
