"""/red-property as a person uses it: navbar, filters in the URL, shared links, district click, exports."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, ConsoleWatch, LiveServer, demo_app, require_chromium, seeded_demo_url
from tests.browser import serve as serve_app
from tests.test_browser_funds import column, exports, grid_total, rows_loaded, sort_by
from tests.test_browser_overview import sign_in

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

ACCEPTED = "#red-property-card-accepted-value"
GRID = "red-property-grid"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = seeded_demo_url(Path(tmp_path_factory.mktemp("browser-red-property")))
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


def shows(page, selector: str, text: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        "([s, t]) => document.querySelector(s)?.innerText === t", arg=[selector, text], timeout=20_000
    )


def test_zhuzhou_2022_shows_the_ten_accepted_projects(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "province")
    page.get_by_role("link", name="红色物业").click()
    page.wait_for_url(re.compile(r"/red-property"))
    province_total = grid_total(page, GRID)
    title_starts(page, "全省")

    # City, then year: each lands in the URL; Zhuzhou's calibrated 2022 figure is 10 accepted projects.
    pick(page, "red-property-city", "株洲市")
    page.wait_for_url(re.compile(r"city=zhuzhou"))
    title_starts(page, "株洲市")
    pick(page, "red-property-year", "2022")
    page.wait_for_url(re.compile(r"city=zhuzhou.*year=2022|year=2022.*city=zhuzhou"))
    shows(page, ACCEPTED, "10 个")
    page.locator("#red-property-scores-chart .main-svg").first.wait_for(timeout=20_000)
    city_total = grid_total(page, GRID, other_than=province_total)
    assert 0 < city_total < province_total

    # A fresh page on the shared link shows the same view.
    shared = page.url
    fresh = context.new_page()
    watch.attach(fresh)
    fresh.goto(shared)
    rows_loaded(fresh, GRID)
    title_starts(fresh, "株洲市")
    assert fresh.locator("#red-property-year").inner_text().strip() == "2022"
    assert fresh.locator(ACCEPTED).inner_text() == "10 个"
    fresh.close()

    # Clicking a district's coverage bar filters the page to that district.
    bar = page.locator("#red-property-district-chart .point").first
    bar.wait_for(timeout=20_000)
    bar.click(force=True)
    page.wait_for_url(re.compile(r"district=\d+"))
    assert "year=2022" in page.url and "city=zhuzhou" in page.url
    page.wait_for_function(
        "() => /株洲市 \\S+区/.test(document.querySelector('#page-title')?.innerText || '')", timeout=20_000
    )
    shown = grid_total(page, GRID, other_than=city_total)
    assert 0 < shown < city_total

    # Sorted by council meetings, most first: the grid asks the server for that order, and both exports follow it.
    meetings = sort_by(page, GRID, "meetings", "asc", shown)
    assert meetings == sorted(meetings)
    meetings = sort_by(page, GRID, "meetings", "desc", shown)
    assert meetings == sorted(meetings, reverse=True)
    rows = exports(page, GRID, "red-property-2022")
    assert len(rows) - 1 == shown
    assert [int(r[5]) for r in rows[1:]] == sorted((int(r[5]) for r in rows[1:]), reverse=True)
    grid_names = column(page, GRID, "compound")
    assert [r[0] for r in rows[1 : len(grid_names) + 1]] == grid_names

    # Clicking a compound opens its view.
    first = page.locator(f"#{GRID} .ag-row:not(.ag-row-loading) .compound-link").first
    name = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/compound\?id=\d+"))
    title_starts(page, name)
    context.close()
    assert watch.errors == []


def test_district_click_in_the_province_view_picks_its_city(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "press")
    page.goto(live.url + "/red-property?year=2022")
    rows_loaded(page, GRID)
    title_starts(page, "全省")
    bar = page.locator("#red-property-district-chart .point").first
    bar.wait_for(timeout=20_000)
    bar.click(force=True)
    page.wait_for_url(re.compile(r"district=\d+"))
    assert re.search(r"city=\w+", page.url)
    page.wait_for_function(
        "() => /市 \\S+区/.test(document.querySelector('#page-title')?.innerText || '')", timeout=20_000
    )
    context.close()
    assert watch.errors == []
