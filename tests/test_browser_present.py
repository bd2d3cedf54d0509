"""/present in Chromium at 1920×1080: a speaker steps through every slide with the keyboard (arrows, space, End,
Home, F) and lets it advance by itself, in Chinese and English, with no console error; a district's deck shows that
district's figures; the press may open the deck, another city's leader may not, and a signed-out visitor is sent to
sign in. Every slide is photographed to /tmp/present_shots/<lang>-NN.png (1920×1080) for whoever changes a slide
to look at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from components.formatting import money
from data_access.core.db import make_engine
from data_access.core.scope import Area
from data_access.geography import city_by_code, district_options
from data_access.presentation import deck
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

SHOTS = Path("/tmp/present_shots")
VIEWPORT = {"width": 1920, "height": 1080}
ACTIVE = "() => document.querySelector('#present-deck .present-slide.is-active')?.dataset.index"
DEBUG = """() => [...document.querySelectorAll('.present-slide')].map(
    s => `${s.dataset.index}:${s.className}:${getComputedStyle(s).visibility}`).join(' | ')"""


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return seeded_demo_url(Path(tmp_path_factory.mktemp("browser-present")))


@pytest.fixture(scope="module")
def live(demo_url: str) -> Iterator[LiveServer]:
    yield from serve_app(demo_app(demo_url))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_chromium()
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_deck(page, live: LiveServer, query: str = "") -> int:  # type: ignore[no-untyped-def]
    """Open /present and wait until its first slide shows; the number of slides."""
    page.goto(live.url + "/present" + query)
    page.locator("#present-deck").wait_for(timeout=30_000)
    page.wait_for_function(f"() => {ACTIVE}() === '0'", timeout=10_000)
    return int(page.get_attribute("#present-deck", "data-slides"))


def active(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.evaluate(ACTIVE))


def press_to(page, key: str, index: int) -> None:  # type: ignore[no-untyped-def]
    page.keyboard.press(key)
    page.wait_for_function(f"i => {ACTIVE}() === String(i)", arg=index, timeout=5_000)


def check_slide(page, index: int) -> None:  # type: ignore[no-untyped-def]
    """The shown slide has its title, a finding, its as-of footer and its drawn charts; only it is visible."""
    slide = page.locator(f"#present-deck .present-slide[data-index='{index}']")
    title = slide.locator(".present-title")
    title.wait_for(state="visible", timeout=5_000)
    assert title.inner_text().strip(), page.evaluate(DEBUG)
    assert slide.locator(".present-finding").count() >= 1
    assert re.search(r"\d", slide.locator(".present-foot").inner_text())  # the as-of date and the counter
    for graph in slide.locator(".js-plotly-plot").all():
        graph.locator(".main-svg").first.wait_for(timeout=15_000)
    assert page.locator(".present-slide.is-active").count() == 1


def shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)  # the slide's charts settle
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_keyboard_steps_through_every_slide_in_both_languages(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "zhuzhou")
    for lang in ("zh", "en"):
        if lang == "en":
            page.goto(live.url + "/lang/en")
        total = open_deck(page, live)
        assert total >= 8  # seven subjects and at least one case
        assert not page.locator(".hg-navbar").is_visible()  # no navbar, banner or footer over the deck
        assert not page.locator(".hg-footer").is_visible()
        first_title = page.locator("#present-s0-title").inner_text()
        assert first_title.startswith("株洲市" if lang == "zh" else "Zhuzhou")
        demo = "演示数据" if lang == "zh" else "Demo data"
        assert demo in page.locator(".present-slide.is-active .present-foot").inner_text()
        for index in range(total):
            check_slide(page, index)
            shoot(page, f"{lang}-{index + 1:02d}")
            if index + 1 < total:
                press_to(page, "ArrowRight" if index % 2 == 0 else "Space", index + 1)
        page.keyboard.press("ArrowRight")  # at the last slide the keys stop there
        assert active(page) == total - 1
        press_to(page, "Home", 0)
        page.keyboard.press("ArrowLeft")
        assert active(page) == 0
        press_to(page, "End", total - 1)
        press_to(page, "ArrowLeft", total - 2)
        press_to(page, "PageUp", total - 3)
        press_to(page, "Shift+Space", total - 4)
        page.keyboard.press("f")  # full screen, and back (headless may refuse it: the deck stays usable)
        page.wait_for_timeout(300)
        page.keyboard.press("F")
        page.wait_for_timeout(300)
        press_to(page, "ArrowRight", total - 3)
    context.close()
    assert watch.errors == []


def test_the_deck_advances_by_itself(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "admin")
    total = open_deck(page, live, "?city=xiangtan&auto=3")
    assert page.get_attribute("#present-deck", "data-auto") == "3"
    assert "3" in page.locator("#present-help").inner_text()
    page.wait_for_function(f"() => {ACTIVE}() === '1'", timeout=6_000)
    check_slide(page, 1)
    page.wait_for_function(f"() => {ACTIVE}() === '2'", timeout=6_000)
    press_to(page, "End", total - 1)  # a key restarts the interval; after the last slide the kiosk starts again
    page.wait_for_function(f"() => {ACTIVE}() === '0'", timeout=6_000)
    # a value outside 3–600 seconds is refused with a notice, and the deck waits for the speaker
    open_deck(page, live, "?city=xiangtan&auto=1")
    assert page.get_attribute("#present-deck", "data-auto") == "0"
    assert "自动翻页秒数" in page.locator("#url-notice").inner_text()
    page.wait_for_timeout(3_500)
    assert active(page) == 0
    context.close()
    assert watch.errors == []


def test_a_district_deck_shows_that_districts_figures(live: LiveServer, browser, demo_url: str) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(demo_url)
    with Session(engine) as session:
        zhuzhou = city_by_code(session, "zhuzhou")
        assert zhuzhou is not None
        district = next(d for d in district_options(session, zhuzhou.id) if d.name == "天元区")
        area = Area(city_id=zhuzhou.id, district_id=district.id)
        own = deck(session, area, DEMO_TODAY.year, DEMO_TODAY)
        city = deck(session, Area(city_id=zhuzhou.id), DEMO_TODAY.year, DEMO_TODAY)
    engine.dispose()
    assert own.headline.fund.deposits_total_fen != city.headline.fund.deposits_total_fen

    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "zhuzhou")
    open_deck(page, live, f"?city=zhuzhou&district={district.id}")
    assert page.locator("#present-s0-title").inner_text().startswith("株洲市 天元区")
    deposits = page.locator("#present-kpi-deposits .present-kpi-value").inner_text()
    assert deposits == money(own.headline.fund.deposits_total_fen, "zh")
    insured = page.locator("#present-kpi-insured .present-kpi-value").inner_text()
    assert insured.replace(",", "").startswith(str(own.headline.coverage.insured))
    assert "天元区" in (page.locator("#present-s1 .present-kicker").text_content() or "")  # a hidden slide
    # The same deck as the A4 briefing: the link carries the district and year, and the PDF comes back.
    href = page.locator("#present-pdf").get_attribute("href")
    assert href == f"/briefing.pdf?city=zhuzhou&district={district.id}&year={DEMO_TODAY.year}"
    response = page.request.get(live.url + href)
    assert response.status == 200 and response.body().startswith(b"%PDF")
    context.close()
    assert watch.errors == []


def test_press_may_open_the_deck_another_citys_leader_may_not(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "press")
    total = open_deck(page, live)
    assert page.locator("#present-s0-title").inner_text().startswith("全省")
    assert page.locator("#present-cities").is_visible()  # the province deck: both cities side by side
    press_to(page, "End", total - 1)
    check_slide(page, total - 1)
    context.close()

    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    watch.attach(page)
    sign_in(page, live, "xiangtan")
    page.goto(live.url + "/present?city=zhuzhou")
    page.locator("#forbidden").wait_for(timeout=15_000)
    assert page.locator("#present-deck").count() == 0
    open_deck(page, live)  # their own city's deck
    assert page.locator("#present-s0-title").inner_text().startswith("湘潭市")
    context.close()
    assert watch.errors == []


def test_signed_out_visitor_is_sent_to_sign_in(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(live.url + "/present?city=zhuzhou")
    page.wait_for_url(re.compile(r"/login\?next=.*present"))
    assert page.locator("#present-deck").count() == 0
    context.close()


def test_the_navbar_opens_the_deck_and_the_briefing_of_the_city_shown(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    """The press finds the deck without a bookmark: 演示 / Present beside the city switch, its two items pointing at
    the city being shown (app.py's nav links follow ?city=); the deck item opens that city's deck."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "press")
    page.goto(live.url + "/elevators?city=xiangtan")
    menu = page.locator("#nav-present")
    menu.wait_for(timeout=15_000)
    assert menu.locator(".dropdown-toggle").inner_text().strip() == "演示"
    deck_item = menu.locator("a[href^='/present']")
    pdf_item = menu.locator("a[href^='/briefing.pdf']")
    page.wait_for_function(
        "() => document.querySelector(\"#nav-present a[href^='/present']\")?.getAttribute('href')"
        " === '/present?city=xiangtan'",
        timeout=10_000,
    )
    assert pdf_item.get_attribute("href") == "/briefing.pdf?city=xiangtan"
    menu.locator(".dropdown-toggle").click()
    deck_item.click()
    page.wait_for_url(re.compile(r"/present\?city=xiangtan"))
    page.locator("#present-deck").wait_for(timeout=30_000)
    assert page.locator("#present-s0-title").inner_text().startswith("湘潭市")
    page.goto(live.url + "/lang/en")
    page.goto(live.url + "/elevators")
    page.locator("#nav-present").wait_for(timeout=15_000)
    assert page.locator("#nav-present .dropdown-toggle").inner_text().strip() == "Present"
    context.close()
    assert watch.errors == []
