"""WCAG 2.1 A/AA in headless Chromium: axe-core on every page each role may open, in Chinese and in English.

axe-core comes from the npm registry (package.json, pinned by package-lock.json); `make test` installs it with
`npm ci` before pytest runs. Each role signs in once, reads its pages in Chinese, switches language through the
navbar's route and reads them again in English; each page is checked once its callbacks have drawn it (charts
drawn, grid rows loaded). The test fails on any critical or serious violation, naming the rule, the elements, the
page, the role and the language; minor and moderate findings are left to review. The signed-out pages (sign-in and
the two public notices) are checked too. One browser and one context per role keep it to a few minutes.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dash
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.core.db import make_engine
from data_access.core.models import (
    Building,
    City,
    Compound,
    CouncilMeeting,
    District,
    InsuranceApplication,
    MeetingStatus,
    PooledAccount,
)
from tests.browser import CHROMIUM, CHROMIUM_ARGS, ConsoleWatch, LiveServer, demo_app, require_chromium, seeded_demo_url
from tests.browser import serve as serve_app
from tests.test_browser_overview import sign_in

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("critical", "serious")
EXPECTED_LANG = {"zh": "zh-CN", "en": "en"}  # <html lang> of a page in each session language
# One account per role (data_access/demo_accounts.py): the city-bound ones see Xiangtan, the organiser 新桂都.
ROLE_ACCOUNTS = {
    "admin": "admin",
    "leader": "province",
    "organiser": "organiser",
    "press": "press",
    "data_steward": "xiangtan-data",
    "fund_centre": "xiangtan-fund",
}
# Pages about one record: which of the ids below their `?id=` names.
RECORD_PAGES = {
    "/compound": "compound",
    "/councils/meeting": "meeting",
    "/councils/edit": "meeting",
    "/insurance/application": "application",
}

# The page is drawn: the router has rendered, no callback is pending, every chart has its SVG and no grid shows
# loading rows.
SETTLED_JS = """() => {
    const content = document.getElementById('_pages_content');
    if (!content || !content.children.length) return false;
    if (document.querySelector('[data-dash-is-loading="true"]')) return false;
    for (const g of document.querySelectorAll('.dash-graph')) {
        if (!g.querySelector('.main-svg')) return false;
    }
    return document.querySelectorAll('.ag-row-loading').length === 0;
}"""
# Charts (components/plots.py: chart_graph) whose drawing is not yet role="img" with the summary as its name.
UNNAMED_CHARTS_JS = """() => [...document.querySelectorAll('[data-chart-summary]')]
    .filter(box => !box.querySelector('svg.main-svg[role="img"][aria-label]')).map(box => box.parentElement.id)"""
# What dcc.Link does on a click: the URL changes without a reload and Dash's router renders the page.
PUSH_JS = "p => { history.pushState({}, '', p); window.dispatchEvent(new CustomEvent('_dashprivate_pushstate')); }"
# axe's critical and serious violations, each with up to five of its elements.
RUN_AXE_JS = """async ([tags, blocking]) => {
    // Inside a chart's drawing (plotly's <svg role="img">, named by its summary) every element is presentational:
    // axe skips them, which halves its time on a page of eight charts. The <svg> itself is still checked.
    const context = {exclude: [['svg.main-svg > *']]};
    const result = await axe.run(context, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
    return result.violations.filter(v => blocking.includes(v.impact)).map(v => ({
        id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
        targets: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\\n')[1]),
    }));
}"""


@dataclass(frozen=True)
class Records:
    """Real ids for the record pages, each within the scope of the accounts that open it."""

    compound: int
    meeting: int
    application: int
    organiser_compound: int
    organiser_meeting: int

    def for_role(self, role: str) -> dict[str, int]:
        if role == "organiser":
            return {"compound": self.organiser_compound, "meeting": self.organiser_meeting}
        return {"compound": self.compound, "meeting": self.meeting, "application": self.application}


def require_axe() -> None:
    if AXE.exists():
        return
    message = f"{AXE} is missing: run `npm ci` (make test does)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = seeded_demo_url(Path(tmp_path_factory.mktemp("browser-a11y")))
    # Six roles sign in within a minute: more than the login limit lets one address do (5 per minute).
    yield from serve_app(demo_app(url, LOGIN_RATE_LIMIT="60 per minute"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_chromium()
    require_axe()
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _held_meeting(session: Session, *where: Any) -> tuple[int, int]:
    """(compound id, meeting id) of the first held meeting matching `where`."""
    row = session.execute(
        select(CouncilMeeting.compound_id, CouncilMeeting.id)
        .join(Compound, Compound.id == CouncilMeeting.compound_id)
        .join(District, District.id == Compound.district_id)
        .join(City, City.id == District.city_id)
        .where(CouncilMeeting.status == MeetingStatus.held, *where)
        .order_by(CouncilMeeting.id)
        .limit(1)
    ).one()
    return int(row[0]), int(row[1])


@pytest.fixture(scope="module")
def records(live: LiveServer) -> Records:
    engine = make_engine(live.app.config["DATABASE_URL"])
    try:
        with Session(engine) as session:
            compound, meeting = _held_meeting(session, City.code == "xiangtan")
            own_compound, own_meeting = _held_meeting(session, Compound.name == "新桂都")
            application = session.scalar(
                select(InsuranceApplication.id)
                .join(PooledAccount, PooledAccount.id == InsuranceApplication.pooled_account_id)
                .join(Building, Building.id == PooledAccount.building_id)
                .join(Compound, Compound.id == Building.compound_id)
                .join(District, District.id == Compound.district_id)
                .join(City, City.id == District.city_id)
                .where(City.code == "xiangtan")
                .order_by(InsuranceApplication.id)
                .limit(1)
            )
    finally:
        engine.dispose()
    assert application is not None
    return Records(compound, meeting, int(application), own_compound, own_meeting)


def role_pages(role: str, records: Records) -> list[str]:
    """Every page the role may open (the page registry's roles), record pages with a record of its scope."""
    ids = records.for_role(role)
    pages = []
    for page in dash.page_registry.values():
        if role not in page.get("roles", ()):
            continue
        path = page["path"]
        if path in RECORD_PAGES:
            pages.append(f"{path}?id={ids[RECORD_PAGES[path]]}")
        else:
            pages.append(path)
    return pages


def open_page(page: Any, url: str, path: str) -> None:  # page: playwright Page
    """Go to `path` as a click on one of the app's links does (history.pushState, then Dash's router answers), which
    spares reloading the app's scripts for each page; the first page of a language is loaded whole."""
    if page.url == url + path:
        pass  # already there
    elif not page.url.startswith(url + "/") or page.evaluate("typeof window.dash_clientside") == "undefined":
        page.goto(url + path)
    else:
        is_route = lambda r: "_dash-update-component" in r.url and path.split("?")[0] in (r.request.post_data or "")  # noqa: E731
        with page.expect_response(is_route, timeout=30_000):
            page.evaluate(PUSH_JS, path)
    page.wait_for_function(SETTLED_JS, timeout=30_000, polling=100)
    page.wait_for_timeout(150)  # callbacks the new layout fires on mounting
    page.wait_for_function(SETTLED_JS, timeout=30_000, polling=100)


def audit(page: Any, url: str, path: str) -> list[dict[str, Any]]:  # page: playwright Page
    """Open `path`, wait until it is drawn, run axe-core on it; its critical and serious violations."""
    open_page(page, url, path)
    if page.evaluate("typeof window.axe") == "undefined":
        page.add_script_tag(path=str(AXE))
    violations = list(page.evaluate(RUN_AXE_JS, [WCAG_TAGS, list(BLOCKING)]))
    unnamed = page.evaluate(UNNAMED_CHARTS_JS)
    if unnamed:  # not axe's: a chart whose drawing is no named image (components/plots.py: chart_graph)
        violations.append(
            {
                "id": "chart-text-alternative",
                "impact": "serious",
                "help": "a chart without its summary",
                "count": len(unnamed),
                "targets": unnamed[:5],
            }
        )
    return violations


def describe(found: dict[tuple[str, str], list[dict[str, Any]]], who: str) -> str:
    lines = []
    for (lang, path), violations in found.items():
        for v in violations:
            lines.append(f"[{who} · {lang}] {path}: {v['impact']} {v['id']} ({v['count']}×) {v['help']}")
            lines += [f"      {target}" for target in v["targets"]]
    return "\n".join(lines)


@pytest.mark.parametrize("role", list(ROLE_ACCOUNTS))
def test_every_page_of_the_role_passes_axe(live: LiveServer, browser: Any, records: Records, role: str) -> None:
    """The role's every page, in Chinese then English: no critical or serious WCAG 2.1 A/AA violation, and the
    page's <html lang> says the language it is written in."""
    started = time.monotonic()
    # bypass_csp: axe is injected as a script the app's CSP (security.py) rightly refuses to run.
    context = browser.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=True)
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, ROLE_ACCOUNTS[role])
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    langs = []
    for lang in ("zh", "en"):
        page.goto(f"{live.url}/lang/{lang}?next=/")
        page.wait_for_function(SETTLED_JS, timeout=30_000)
        for path in role_pages(role, records):
            violations = audit(page, live.url, path)
            langs.append((path, lang, page.evaluate("document.documentElement.lang")))
            if violations:
                found[(lang, path)] = violations
    context.close()
    print(f"axe: {role}: {len(langs)} pages in {time.monotonic() - started:.0f} s")  # the run's cost, under -s
    assert not found, "axe-core found critical/serious violations:\n" + describe(found, role)
    wrong = [(path, lang, html_lang) for path, lang, html_lang in langs if html_lang != EXPECTED_LANG[lang]]
    assert wrong == [], wrong
    assert watch.errors == []


def test_signed_out_pages_pass_axe(live: LiveServer, browser: Any, records: Records) -> None:
    """Sign-in and the public notices (no account needed), in both languages."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for lang in ("zh", "en"):
        page.goto(f"{live.url}/lang/{lang}?next=/login")
        for path in ("/login", f"/notices/{records.organiser_meeting}", f"/notices/insurance/{records.application}"):
            page.goto(live.url + path, wait_until="networkidle")
            page.add_script_tag(path=str(AXE))
            violations = list(page.evaluate(RUN_AXE_JS, [WCAG_TAGS, list(BLOCKING)]))
            if violations:
                found[(lang, path)] = violations
    context.close()
    assert not found, "axe-core found critical/serious violations:\n" + describe(found, "signed out")
    assert watch.errors == []


def test_keyboard_skips_to_the_page_and_opens_a_compound_from_a_grid(live: LiveServer, browser: Any) -> None:
    """Keyboard only: the first Tab reaches the skip link, which moves focus past the navbar; in a compound grid Tab
    leaves the grid (the arrow keys move inside it), a compound's name is a real link, and Enter on it opens the
    compound's view as a click does."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "province")
    page.goto(live.url + "/funds?city=xiangtan")
    page.wait_for_function(SETTLED_JS, timeout=30_000)
    focused = "() => { const a = document.activeElement; return a ? (a.id || a.className || a.tagName) : null; }"

    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "skip-link"
    box = page.locator("#skip-link").bounding_box()
    assert box is not None and box["width"] > 20 and box["height"] > 10  # shown while focused
    page.keyboard.press("Enter")
    assert page.evaluate(focused) == "main-content"

    cell = page.locator("#funds-grid .ag-row:not(.ag-row-loading) [col-id=compound]").first
    cell.wait_for(timeout=30_000)
    link = cell.locator("a[href^='/compound?id=']")
    assert link.count() == 1 and link.get_attribute("tabindex") == "-1"  # a link, out of the Tab order
    href = link.get_attribute("href")
    cell.focus()
    page.keyboard.press("ArrowRight")  # the arrow keys move between cells
    assert page.evaluate("() => document.activeElement.getAttribute('col-id')") not in (None, "compound")
    page.keyboard.press("Tab")  # ... and Tab leaves the grid's cells
    assert page.evaluate("() => !document.activeElement.closest('.ag-cell')"), page.evaluate(focused)

    cell.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/compound\?id=\d+$"), timeout=20_000)
    assert page.url.endswith(str(href))
    page.wait_for_function(SETTLED_JS, timeout=30_000)
    context.close()
    assert watch.errors == []
