"""/complaints as a person uses it: navbar, filters in the URL, a shared link, district click, exports."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, ConsoleWatch, LiveServer, demo_app, require_chromium, seeded_demo_url
from tests.browser import serve as serve_app
from tests.test_browser_funds import column, exports, grid_total, rows_loaded
from tests.test_browser_overview import sign_in

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

ELEVATOR_CARD = "#complaints-card-elevator-value"
GRID = "complaints-grid"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = seeded_demo_url(Path(tmp_path_factory.mktemp("browser-complaints")))
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


def card_starts(page, text: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        "([sel, t]) => document.querySelector(sel)?.innerText.startsWith(t)", arg=[ELEVATOR_CARD, text], timeout=20_000
    )


def test_complaints_filters_shared_link_district_click_and_exports(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "province")
    page.get_by_role("link", name="电梯投诉").click()
    page.wait_for_url(re.compile(r"/complaints"))
    province_total = grid_total(page, GRID)
    title_starts(page, "全省")
    assert page.locator("#complaints-cohort-chart").is_visible()
    assert "工单数 ÷ 当月末在用电梯数" in page.locator("#complaints-cohort-method").inner_text()

    # City, then year: each lands in the URL; Zhuzhou's 2021 elevator work orders are the calibrated 3,033.
    pick(page, "complaints-city", "株洲市")
    page.wait_for_url(re.compile(r"city=zhuzhou"))
    title_starts(page, "株洲市")
    pick(page, "complaints-year", "2021")
    page.wait_for_url(re.compile(r"city=zhuzhou.*year=2021|year=2021.*city=zhuzhou"))
    card_starts(page, "3,033")
    city_total = grid_total(page, GRID, other_than=province_total)
    assert 0 < city_total < province_total

    # The link reopens the same view in a fresh page.
    shared = page.url
    fresh = context.new_page()
    watch.attach(fresh)
    fresh.goto(shared)
    rows_loaded(fresh, GRID)
    title_starts(fresh, "株洲市")
    card_starts(fresh, "3,033")
    assert fresh.locator("#complaints-year").inner_text().strip() == "2021"
    fresh.close()

    # Clicking a district's bar filters the page to that district.
    bar = page.locator("#complaints-district-chart .point").first
    bar.wait_for(timeout=20_000)
    bar.click(force=True)
    page.wait_for_url(re.compile(r"district=\d+"))
    assert "year=2021" in page.url
    page.wait_for_function(
        "() => /株洲市 \\S+区/.test(document.querySelector('#page-title')?.innerText || '')", timeout=20_000
    )
    district_count = int(page.locator(ELEVATOR_CARD).inner_text().split()[0].replace(",", ""))
    assert 0 < district_count < 3033
    shown = grid_total(page, GRID, other_than=city_total)
    assert 0 < shown < city_total

    # CSV and Excel, both from the server, hold exactly the table's rows, in the grid's order, and agree.
    rows = exports(page, GRID, "complaints-2021")
    assert len(rows) - 1 == shown
    assert sum(int(r[2]) for r in rows[1:]) <= district_count  # orders without a compound are in no row
    grid_names = column(page, GRID, "compound")
    assert [r[0] for r in rows[1 : len(grid_names) + 1]] == grid_names

    # Clicking a compound opens its view.
    first = page.locator(f"#{GRID} .ag-row:not(.ag-row-loading) .compound-link").first
    name = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/compound\?id=\d+"))
    title_starts(page, name)

    # In the province view a district's bar selects its city as well.
    province = context.new_page()
    watch.attach(province)
    province.goto(live.url + "/complaints")
    bar = province.locator("#complaints-district-chart .point").first
    bar.wait_for(timeout=20_000)
    bar.click(force=True)
    province.wait_for_url(re.compile(r"city=\w+.*district=\d+"))
    province.wait_for_function(
        "() => /市 \\S+区/.test(document.querySelector('#page-title')?.innerText || '')", timeout=20_000
    )
    context.close()
    assert watch.errors == []
