"""The council module by keyboard alone, in headless Chromium (issue 18).

After each page.goto the test only presses keys (Tab, Shift+Tab, Enter, Space, the arrows, Home/End) and types: it
signs in, opens every /councils tab (each list's rows arrive only when its tab is first opened), opens a compound
from a list, and records a meeting — first refused, with the focus moved to the field to fix and that field marked
invalid and described by its message, then saved and found in the database. Reading the page (where the focus is,
what a panel shows) is allowed; clicking is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data_access.core.clock import CITY_TZ
from data_access.core.db import make_engine
from data_access.core.models import AgendaItem, CouncilMeeting
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
from tests.test_browser_councils import cf, fb
from tests.test_browser_overview import DEMO_PASSWORD

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
NOW = datetime.combine(DEMO_TODAY, datetime.min.time().replace(hour=21), CITY_TZ)
TITLE = "键盘测试：单元门禁维修"
MAX_PRESSES = 120  # Tab presses allowed to reach a control before the test gives up


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp = Path(tmp_path_factory.mktemp("browser-councils-keyboard"))
    app = demo_app(seeded_demo_url(tmp))
    app.config.update(NOW=NOW, ATTACHMENT_DIR=str(tmp / "attachments"))
    yield from serve_app(app)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_chromium()
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def dom_id(selector: str) -> str:
    """The element id inside a cf()/fb() selector ("[id='…']")."""
    return selector[len("[id='") : -len("']")]


def focus_is(page, test: str) -> bool:  # type: ignore[no-untyped-def]
    """Whether the focused element passes `test`, a JS expression over `e` (the focused element)."""
    return bool(page.evaluate(f"() => {{ const e = document.activeElement; return !!e && !!({test}); }}"))


def tab_to(page, test: str, back: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Press Tab (Shift+Tab if `back`) until the focused element passes `test` (see focus_is)."""
    for _ in range(MAX_PRESSES):
        if focus_is(page, test):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    where = page.evaluate("() => document.activeElement && document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"no focus on {test} after {MAX_PRESSES} presses; focus is on {where}")


def focus_on(page, selector: str) -> str:  # type: ignore[no-untyped-def]
    """The JS test that the focused element is `selector`'s element."""
    return f"e === document.querySelector({selector!r})"


def selected_tab(page) -> str:  # type: ignore[no-untyped-def]
    """The id of the tab whose aria-selected is true (there must be exactly one)."""
    ids = page.evaluate(
        "() => [...document.querySelectorAll('#councils-tabs [role=tab][aria-selected=true]')].map(e => e.id)"
    )
    assert len(ids) == 1, ids
    return str(ids[0])


def visible_panel(page) -> str:  # type: ignore[no-untyped-def]
    ids = page.evaluate("() => [...document.querySelectorAll('[role=tabpanel]')].filter(p => !p.hidden).map(p => p.id)")
    assert len(ids) == 1, ids
    return str(ids[0])


def db_counts(live: LiveServer) -> tuple[int, int]:
    """Meetings, and agenda items titled TITLE, in the live server's database."""
    engine = make_engine(live.app.config["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            meetings = conn.scalar(select(func.count()).select_from(CouncilMeeting))
            titled = conn.scalar(select(func.count()).select_from(AgendaItem).where(AgendaItem.title == TITLE))
            return int(meetings or 0), int(titled or 0)
    finally:
        engine.dispose()


def choose_first_option(page, selector: str) -> str:  # type: ignore[no-untyped-def]
    """With a closed <select> focused, ArrowDown picks the option after the placeholder; returns the value."""
    page.keyboard.press("ArrowDown")
    page.wait_for_function("(s) => document.querySelector(s).value !== ''", arg=selector)
    return str(page.locator(selector).input_value())


def test_tabs_compound_and_a_meeting_by_keyboard_only(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    watch = ConsoleWatch()
    watch.attach(page)

    # Sign in.
    page.goto(live.url + "/login")
    tab_to(page, "e.id === 'username'")
    page.keyboard.type("organiser")
    page.keyboard.press("Tab")
    assert focus_is(page, "e.id === 'password'")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live.url + "/")

    # Every tab of /councils: reached with Tab, switched with the arrow keys, Home and End.
    page.goto(live.url + "/councils")
    page.locator("#councils-items-grid .ag-row").first.wait_for(timeout=20_000)
    tabs = page.locator("#councils-tabs [role=tab]")
    assert tabs.count() == 3
    assert len(set(tabs.evaluate_all("ts => ts.map(t => t.id)"))) == 3  # one id each
    assert page.locator("#councils-meetings-grid .ag-row").count() == 0  # hidden lists are not in the page
    tab_to(page, "e.getAttribute('role') === 'tab'")
    assert focus_is(page, "e.id === 'councils-tab-items'")  # only the open tab is in the Tab order
    assert selected_tab(page) == "councils-tab-items" and visible_panel(page) == "councils-panel-items"

    page.keyboard.press("ArrowRight")
    assert focus_is(page, "e.id === 'councils-tab-meetings'")
    assert selected_tab(page) == "councils-tab-meetings" and visible_panel(page) == "councils-panel-meetings"
    page.locator("#councils-meetings-grid .ag-row").first.wait_for(timeout=20_000)  # loaded on opening
    assert page.locator("#councils-panel-meetings").is_visible()
    assert page.locator("#councils-panel-items").is_hidden()

    page.keyboard.press("End")
    assert selected_tab(page) == "councils-tab-overdue" and visible_panel(page) == "councils-panel-overdue"
    page.locator("#councils-overdue-grid .ag-row").first.wait_for(timeout=20_000)
    overdue = re.search(r"\((\d+)\)", page.locator("#councils-tab-overdue").inner_text())
    assert overdue and page.locator("#councils-overdue-grid .ag-row").count() == int(overdue.group(1))

    page.keyboard.press("ArrowRight")  # wraps round to the first
    assert selected_tab(page) == "councils-tab-items" and focus_is(page, "e.id === 'councils-tab-items'")
    page.keyboard.press("ArrowLeft")
    assert selected_tab(page) == "councils-tab-overdue"
    page.keyboard.press("Home")
    assert selected_tab(page) == "councils-tab-items" and visible_panel(page) == "councils-panel-items"

    # Open a compound from the items list: into the grid, down to the first row, across to the compound, Enter.
    tab_to(page, "e.closest('#councils-items-grid')")
    page.keyboard.press("ArrowDown")
    for _ in range(12):
        if focus_is(page, "e.getAttribute('col-id') === 'compound' && e.closest('.ag-row')"):
            break
        page.keyboard.press("ArrowRight")
    name = page.evaluate("() => document.activeElement.innerText.trim()")
    assert name
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/compound\?id=\d+"), timeout=20_000)
    page.wait_for_function(  # the compound's view replaces the list (its heading names the compound)
        "(name) => { const h = document.querySelector('h1#page-title'); return !!h && h.innerText.includes(name); }",
        arg=name,
        timeout=20_000,
    )

    # Record a meeting: a refused save first.
    page.goto(live.url + "/councils")
    page.locator("#councils-new").wait_for(timeout=20_000)
    tab_to(page, "e.id === 'councils-new'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/councils/edit"), timeout=20_000)
    page.locator(cf("title", 0)).wait_for(timeout=20_000)
    before = db_counts(live)
    for n, party in enumerate(("party_org", "property_company", "owners_committee", "residents")):
        if n == 0:
            tab_to(page, focus_on(page, cf(f"att_{party}")))
        else:
            page.keyboard.press("Tab")
            assert focus_is(page, focus_on(page, cf(f"att_{party}")))
        page.keyboard.type(f"键盘{n}号")
    tab_to(page, "e.id === 'cf-save'")
    page.keyboard.press("Enter")
    page.locator("#form-invalid").wait_for(timeout=20_000)
    title = cf("title", 0)
    page.wait_for_function(f"() => document.activeElement === document.querySelector({title!r})", timeout=10_000)
    assert page.locator(title).get_attribute("aria-invalid") == "true"
    assert page.locator(title).get_attribute("aria-describedby") == dom_id(fb("title", 0))
    assert page.locator(fb("title", 0)).inner_text().strip()
    assert db_counts(live) == before and "/councils/edit" in page.url

    # Then every required field of the item, by keyboard, and saved.
    page.keyboard.type(TITLE)
    page.keyboard.press("Tab")
    assert focus_is(page, focus_on(page, cf("category", 0)))
    choose_first_option(page, cf("category", 0))
    page.keyboard.press("Tab")
    assert focus_is(page, focus_on(page, cf("raising_party", 0)))
    choose_first_option(page, cf("raising_party", 0))
    tab_to(page, f"e.type === 'radio' && e.closest({cf('decision_method', 0)!r})")
    page.keyboard.press("Space")  # the first choice: consensus
    assert page.locator(cf("decision_method", 0)).get_by_label("协商一致").is_checked()
    page.keyboard.press("Tab")  # the vote counts are hidden unless "vote" is chosen: on to the outcome
    assert focus_is(page, focus_on(page, cf("outcome", 0)))
    assert choose_first_option(page, cf("outcome", 0)) == "resolved"
    page.keyboard.press("Tab")
    assert focus_is(page, focus_on(page, cf("resolution", 0)))
    page.keyboard.type("物业三日内修复单元门禁")
    tab_to(page, "e.id === 'cf-save'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/councils/meeting\?id=\d+"), timeout=20_000)
    page.locator("#meeting-items").wait_for(timeout=20_000)
    assert TITLE in page.locator("#meeting-items").inner_text()
    meetings, titled = db_counts(live)
    assert meetings == before[0] + 1 and titled == before[1] + 1
    assert watch.errors == []
