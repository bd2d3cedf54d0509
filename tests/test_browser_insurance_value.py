"""/insurance-value as a city leader and as the press read it: from the navbar, the cards show numbers, the charts
are drawn, the maintenance-company league has rows and exports them, a district's bar filters the page, English
works, and the console stays clean. Full-page screenshots at 1440 px go to /tmp/shots/value-*.png (looked at by
whoever changes the page's layout)."""

from __future__ import annotations

import csv
import io
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
from tests.test_browser_overview import sign_in

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

SHOTS = Path("/tmp/shots")
PREFIX = "insurance-value"
GRID = f"{PREFIX}-grid"
CARDS = ("premiums", "claims", "loss-ratio", "rescue", "response")
CHARTS = ("insurer-chart", "district-chart", "repair-chart", "major-chart", "rescue-chart")
TITLE_STARTS = "t => document.querySelector('#page-title')?.innerText.startsWith(t)"
TITLE_INCLUDES = "t => document.querySelector('#page-title')?.innerText.includes(t)"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = seeded_demo_url(Path(tmp_path_factory.mktemp("browser-insurance-value")))
    yield from serve_app(demo_app(url))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_chromium()
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def card_values(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each headline card's value, once drawn."""
    values = {}
    for card in CARDS:
        locator = page.locator(f"#{PREFIX}-card-{card}-value")
        locator.wait_for(state="visible", timeout=20_000)
        values[card] = locator.inner_text()
    return values


def has_number(text: str) -> bool:
    return re.search(r"\d", text) is not None


def charts_drawn(page) -> None:  # type: ignore[no-untyped-def]
    for chart in CHARTS:
        page.locator(f"#{PREFIX}-{chart} .main-svg").first.wait_for(timeout=20_000)


def league_rows(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The companies on the league grid's page, once its cells are drawn."""
    page.locator(f"#{GRID} .ag-row [col-id=company]").first.wait_for(timeout=20_000)
    return page.eval_on_selector_all(
        f"#{GRID} .ag-center-cols-container .ag-row [col-id=company]", "cells => cells.map(c => c.innerText)"
    )


def shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"value-{name}.png"), full_page=True)


def test_city_leader_reads_the_page_exports_the_league_and_switches_language(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "xiangtan")
    page.get_by_role("link", name="保险成效").click()
    page.wait_for_url(re.compile(r"/insurance-value"))
    page.wait_for_function(TITLE_STARTS, arg="湘潭市", timeout=20_000)
    values = card_values(page)
    assert all(has_number(v) for v in values.values()), values
    assert "元" in values["premiums"] and "元" in values["claims"] and "%" in values["loss-ratio"]
    assert "分钟" in values["rescue"] and "%" in values["response"]
    assert "未投保电梯" in page.locator(f"#{PREFIX}-card-response-uninsured").inner_text()
    charts_drawn(page)
    companies = league_rows(page)
    assert companies, "the league grid has no rows"
    caveat = page.locator(f"#{PREFIX}-repair-caveat").inner_text()
    assert "不只是电梯" in caveat
    assert "湘潭市" not in page.locator(f"#{PREFIX}-district-table").inner_text()  # a city's districts, unprefixed
    assert page.locator(f"#{PREFIX}-city-table").count() == 0  # the by-city table is the province view's
    shoot(page, "xiangtan-zh")

    # The league's CSV holds what the grid shows (its own export: a BOM-less UTF-8 file from AG Grid).
    with page.expect_download() as download:
        page.click(f"#{GRID}-csv")
    assert download.value.suggested_filename == f"{PREFIX}-league-{DEMO_TODAY.year}.csv"
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == "维保单位" and len(rows) - 1 == len(companies)
    assert sorted(r[0] for r in rows[1:]) == sorted(companies)

    # A district's bar filters the page to it.
    bar = page.locator(f"#{PREFIX}-district-chart .point").first
    bar.wait_for(timeout=20_000)
    bar.click(force=True)
    page.wait_for_url(re.compile(r"district=\d+"))
    page.wait_for_function("() => /湘潭市 \\S+/.test(document.querySelector('#page-title')?.innerText || '')")
    assert all(has_number(v) for v in card_values(page).values())

    # English: the same page, its words in English, its numbers still there.
    page.click("#lang-switch")
    page.wait_for_function(TITLE_INCLUDES, arg="Is the elevator insurance worth it", timeout=20_000)
    english = card_values(page)
    assert english["premiums"].startswith("¥") and "min" in english["rescue"]
    assert all(has_number(v) for v in english.values()), english
    charts_drawn(page)
    assert league_rows(page)
    assert "not only elevators" in page.locator(f"#{PREFIX}-repair-caveat").inner_text()
    shoot(page, "xiangtan-en")
    context.close()
    assert watch.errors == []


def test_press_reads_the_province_view(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "press")
    page.get_by_role("link", name="保险成效").click()
    page.wait_for_url(re.compile(r"/insurance-value"))
    page.wait_for_function(TITLE_STARTS, arg="全省", timeout=20_000)
    values = card_values(page)
    assert all(has_number(v) for v in values.values()), values
    charts_drawn(page)
    companies = league_rows(page)
    assert companies
    cities = page.locator(f"#{PREFIX}-city-table").inner_text()
    assert "株洲市" in cities and "湘潭市" in cities  # the province view adds the table by city
    league_cities = page.eval_on_selector_all(f"#{GRID} .ag-row [col-id=city]", "cs => cs.map(c => c.innerText)")
    assert {"株洲市", "湘潭市"} <= set(league_cities)
    shoot(page, "press-zh")

    # An earlier year, from the filter: the page follows the URL.
    page.click(f"#{PREFIX}-year")
    page.get_by_role("option", name="2025", exact=True).click()
    page.wait_for_url(re.compile(r"year=2025"))
    page.wait_for_function(
        "d => (document.querySelector('#insurance-value-card-premiums .kpi-asof')?.innerText || '').includes(d)",
        arg="2025年12月31日",
        timeout=20_000,
    )
    assert all(has_number(v) for v in card_values(page).values())
    shoot(page, "press-2025-zh")

    page.click("#lang-switch")
    page.wait_for_function(TITLE_INCLUDES, arg="Is the elevator insurance worth it", timeout=20_000)
    assert all(has_number(v) for v in card_values(page).values())
    assert league_rows(page)
    shoot(page, "press-en")
    context.close()
    assert watch.errors == []
