"""/elevators as a person uses it: navbar, city filter in the URL, target lines, district click, exports,
a compound's view."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DEMO_TODAY,
    ConsoleWatch,
    LiveServer,
    demo_app,
    require_chromium,
    seeded_demo_url,
)
from tests.browser import serve as serve_app
from tests.test_browser_funds import column, exports, grid_total, rows_loaded
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


GRID = "elevators-grid"


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
    province_total = grid_total(page, GRID)
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
    city_total = grid_total(page, GRID, other_than=province_total)
    assert 0 < city_total < province_total
    bar = page.locator("#elevators-district-chart .point").first
    bar.wait_for(timeout=20_000)
    bar.click(force=True)
    page.wait_for_url(re.compile(r"city=xiangtan.*district=\d+|district=\d+.*city=xiangtan"))
    page.wait_for_function(
        "() => /湘潭市 \\S+/.test(document.querySelector('#page-title')?.innerText || '')", timeout=20_000
    )
    shown = grid_total(page, GRID, other_than=city_total)
    assert 0 < shown < city_total

    # The URL alone reopens the same view in a fresh page: title, cards and table.
    title = page.locator("#page-title").inner_text()
    card = page.locator("#elevators-card-registered-value").inner_text()
    fresh = context.new_page()
    watch.attach(fresh)
    fresh.goto(page.url)
    rows_loaded(fresh, GRID)
    assert fresh.locator("#page-title").inner_text() == title
    assert fresh.locator("#elevators-card-registered-value").inner_text() == card
    assert grid_total(fresh, GRID) == shown
    fresh.close()

    # CSV and Excel, both from the server, hold exactly the table's rows, and agree row for row.
    year = re.search(r"year=(\d{4})", page.url)
    rows = exports(page, GRID, f"elevators-{year.group(1) if year else DEMO_TODAY.year}")
    assert len(rows) - 1 == shown
    grid_names = column(page, GRID, "compound")
    assert [r[0] for r in rows[1 : len(grid_names) + 1]] == grid_names  # in the grid's order

    # Clicking a compound opens its view.
    first = page.locator(f"#{GRID} .ag-row:not(.ag-row-loading) .compound-link").first
    name = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/compound\?id=\d+"))
    title_starts(page, name)
    context.close()
    assert watch.errors == []
