"""A person at a browser: sign in, read the cards, switch language and city, sign out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from data_access.demo_accounts import DEMO_PASSWORD
from tests.browser import CHROMIUM, CHROMIUM_ARGS, ConsoleWatch, LiveServer, demo_app, require_chromium, seeded_demo_url
from tests.browser import serve as serve_app

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

TITLE_STARTSWITH = "t => document.querySelector('#page-title')?.innerText.startsWith(t)"
TITLE_INCLUDES = "t => document.querySelector('#page-title')?.innerText.includes(t)"
CARDS = ("card-deposits", "card-usage", "card-vai", "card-insured", "card-complaints", "card-projects", "card-council")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = seeded_demo_url(Path(tmp_path_factory.mktemp("browser")))
    yield from serve_app(demo_app(url))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_chromium()
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def sign_in(page, live: LiveServer, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live.url + "/")
    page.wait_for_url(re.compile(r"/login"))
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(live.url + "/")


def card_value(page, card: str) -> str:  # type: ignore[no-untyped-def]
    locator = page.locator(f"#{card}-value")
    locator.wait_for(state="visible", timeout=15_000)
    return locator.inner_text()


def test_signed_out_root_redirects_to_sign_in(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    page.goto(live.url + "/")
    assert "/login" in page.url
    assert page.locator("h1").inner_text().startswith("住房维修资金")
    context.close()
    assert watch.errors == []


def test_sign_in_read_cards_switch_language_and_city(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "province")

    # Every headline card shows a number.
    for card in CARDS:
        assert re.search(r"\d", card_value(page, card)), card
    assert "亿元" in card_value(page, "card-deposits")
    assert page.locator("#page-title").inner_text().startswith("全省")
    comparison = page.locator("#city-comparison").inner_text()
    assert "株洲市" in comparison and "湘潭市" in comparison  # the province shows its cities side by side
    assert page.locator("#demo-banner").is_visible()
    page.locator("#complaints-chart .main-svg").first.wait_for(timeout=15_000)

    # English and back.
    page.click("#lang-switch")
    page.wait_for_function(TITLE_INCLUDES, arg="Overview", timeout=15_000)
    assert card_value(page, "card-deposits").startswith("¥")
    assert "Demo data" in page.locator("#demo-banner").inner_text()
    page.click("#lang-switch")
    page.wait_for_function(TITLE_INCLUDES, arg="总览", timeout=15_000)

    # To Xiangtan through the city switch: the URL carries it and the figures change.
    province_deposits = card_value(page, "card-deposits")
    page.click("#city-switch")
    page.click("#city-xiangtan")
    page.wait_for_url(re.compile(r"city=xiangtan"))
    page.wait_for_function(TITLE_STARTSWITH, arg="湘潭市", timeout=15_000)
    assert card_value(page, "card-deposits") != province_deposits
    assert "湘潭市" in page.locator("#city-switch").inner_text()
    insured_text = page.locator("#card-insured").inner_text()
    assert "目标" in insured_text and "40%" in insured_text  # Xiangtan's coverage targets are shown and judged

    # A shared link opens the same view in a fresh page.
    fresh = context.new_page()
    watch.attach(fresh)
    fresh.goto(page.url)
    fresh.wait_for_function(TITLE_STARTSWITH, arg="湘潭市", timeout=15_000)
    fresh.close()

    page.click("#sign-out")
    page.wait_for_url(re.compile(r"/login"))
    page.goto(live.url + "/")
    assert "/login" in page.url
    context.close()
    assert watch.errors == []


def test_city_leader_sees_only_their_city(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "zhuzhou")
    page.wait_for_function(TITLE_STARTSWITH, arg="株洲市", timeout=15_000)
    assert page.locator("#city-xiangtan").count() == 0
    page.goto(live.url + "/?city=xiangtan")
    page.locator("#forbidden").wait_for(timeout=15_000)
    assert page.locator("#card-deposits").count() == 0
    context.close()
    assert watch.errors == []


def test_an_outage_while_the_page_is_open_is_said_in_the_page(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    """The database goes away under an open page: callbacks answer 503 (outage.py); the page says so in its
    language instead of leaving stale figures silently, and the message goes once callbacks succeed again."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "province")
    card_value(page, "card-deposits")
    body = '{"error": "database unavailable, retry shortly", "status": 503}'
    outage = {"on": True}

    def answer(route) -> None:  # type: ignore[no-untyped-def]
        if outage["on"]:
            route.fulfill(status=503, body=body, content_type="application/json", headers={"Retry-After": "5"})
        else:
            route.continue_()

    page.route("**/_dash-update-component*", answer)
    page.locator("#city-switch").click()
    page.locator("#city-zhuzhou").click()
    banner = page.locator("#outage-banner")
    banner.wait_for(state="visible", timeout=10_000)
    assert "数据暂时无法读取" in banner.inner_text() and banner.get_attribute("role") == "alert"
    page.screenshot(path=str(Path("/tmp") / "outage-banner.png"))
    outage["on"] = False
    page.locator("#city-switch").click()
    page.locator("#city-xiangtan").click()
    banner.wait_for(state="detached", timeout=10_000)
    context.close()
    # The browser reports the failed requests themselves; nothing else may appear.
    assert [e for e in watch.errors if "503" not in e] == []
