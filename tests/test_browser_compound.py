"""The compound view as a Zhuzhou leader reaches it, in headless Chromium: from a list page, type a few characters in
the navbar's compound search, see only Zhuzhou's compounds offered (山水文园, not Xiangtan's 江山水岸), choose one, read
its buildings, meetings and trend, and go back to the list; /councils with a year that has no meetings shows zeros
in its cards. No console errors along the way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
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


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp = Path(tmp_path_factory.mktemp("browser-compound"))
    app = demo_app(seeded_demo_url(tmp), LOGIN_RATE_LIMIT="60 per minute")
    yield from serve_app(app)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_chromium()
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def search(page, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Open the navbar's search, type `text` and return the suggestions once the server has answered."""
    field = page.locator("#nav-search .dash-dropdown-search")
    for _ in range(10):  # the dropdown's code loads on demand: a click before it has loaded opens nothing
        if field.is_visible():
            break
        page.locator("#nav-compound-search").click()
        page.wait_for_timeout(300)
    field.wait_for(state="visible")
    field.fill("")
    with page.expect_response(lambda r: "_dash-update-component" in r.url and r.request.method == "POST"):
        field.fill(text)
    page.wait_for_timeout(300)  # the dropdown draws the new options
    return [o.strip() for o in page.locator("#nav-search .dash-dropdown-option").all_inner_texts()]


def test_search_open_read_and_go_back(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "zhuzhou")
    page.goto(live.url + "/elevators?city=zhuzhou")
    page.locator("#page-title").wait_for()

    # Only the leader's own city is offered: 江山水岸 (Xiangtan) also contains 山水.
    offered = search(page, "山水")
    assert offered and all("株洲" in o for o in offered), offered
    assert any(o.startswith("山水文园") for o in offered) and not any("江山水岸" in o for o in offered)
    assert search(page, "江山水岸") == ["没有找到可查看的小区"]

    search(page, "山水文园")
    page.locator("#nav-search .dash-dropdown-option", has_text="山水文园").first.click()
    page.wait_for_url(re.compile(r"/compound\?id=\d+$"))
    page.locator("#page-title", has_text="山水文园").wait_for()

    # Its buildings (the applications name theirs), meetings and trend.
    buildings = page.locator("#compound-buildings-table tbody tr")
    assert buildings.count() > 1
    first_building = buildings.first.locator("td").first.inner_text()
    assert re.fullmatch(r"\d+栋", first_building), first_building
    applications = page.locator("#compound-applications tbody tr td:first-child").all_inner_texts()
    assert all(re.fullmatch(r"\d+栋.*", a) for a in applications), applications
    meetings = page.locator("#compound-meetings li")
    assert meetings.count() >= 1
    assert page.locator("#compound-meetings a[href^='/councils/meeting?id=']").count() >= 1
    page.locator("#compound-trend .main-svg").first.wait_for()
    bars = page.evaluate("() => document.getElementById('compound-trend').querySelector('.js-plotly-plot').data.length")
    assert bars == 2  # work orders and faults
    assert page.locator("#compound-trend-card").inner_text().count("首次投保") >= 1
    assert page.locator("#compound-way-back .breadcrumb").inner_text().startswith("株洲市")

    # The way back leads to the list it came from, filters kept.
    back = page.locator("#compound-back")
    page.wait_for_function("() => document.querySelector('#compound-back').getAttribute('href') !== null")
    assert back.get_attribute("href") == "/elevators?city=zhuzhou"
    back.click()
    page.wait_for_url(re.compile(r"/elevators\?city=zhuzhou$"))
    page.locator("#page-title").wait_for()

    # A view opened afresh (no list before it in this tab's memory of the session) goes back to its district.
    fresh = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    watch.attach(fresh)
    sign_in(fresh, live, "zhuzhou")
    fresh.goto(page.url.replace("/elevators?city=zhuzhou", "") + "/compound?id=1")
    fresh.locator("#compound-back").wait_for()
    fresh.wait_for_function(
        "() => (document.querySelector('#compound-back').getAttribute('href') || '').includes('district')"
    )
    assert watch.errors == []


def test_council_cards_follow_the_dates(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    """A year without meetings: the lists are empty and the cards say 0, not the year's figures."""
    page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "zhuzhou")
    page.goto(live.url + "/councils")
    page.locator("#councils-card-meetings-value").wait_for()
    assert page.locator("#councils-card-meetings-value").inner_text() != "0"
    page.goto(live.url + "/councils?from=2030-01-01&to=2030-12-31")
    page.locator("#councils-card-period").wait_for()
    assert page.locator("#councils-card-meetings-value").inner_text() == "0"
    assert page.locator("#councils-card-items-value").inner_text() == "0"
    assert page.locator("#councils-card-overdue-value").inner_text() == "0"
    assert "没有符合筛选条件的会议" in page.locator("#councils-card-meetings").inner_text()
    assert watch.errors == []


def test_on_a_phone_the_menu_opens_and_the_search_is_in_it(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    """At 390 px the navbar folds into its toggler: it opens, the search sits in it full width, the page does not
    scroll sideways."""
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "zhuzhou")
    page.goto(live.url + "/compound?id=1")
    page.locator("#page-title").wait_for()
    assert not page.locator("#nav-compound-search").is_visible()
    page.locator("#navbar-toggler").click()
    page.locator("#nav-compound-search").wait_for(state="visible")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    offered = search(page, "山水")
    assert any(o.startswith("山水文园") for o in offered), offered
    page.locator("#navbar-toggler").click()
    page.locator("#nav-compound-search").wait_for(state="hidden")
    assert watch.errors == []
