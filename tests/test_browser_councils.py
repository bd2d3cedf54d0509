"""The council module as an organiser uses it, in headless Chromium.

Record a meeting with all four parties and two items (one decided by a vote), a follow-up with a
due date; save; find it in the list; mark the follow-up done; read the history; carry the deferred
item into a new meeting. Along the way: a refused save shows its message by the field and writes
nothing, and markup typed into a field is shown as text.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data_access.core.clock import CITY_TZ
from data_access.core.db import make_engine
from data_access.core.models import CouncilMeeting
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
NOW = datetime.combine(DEMO_TODAY, datetime.min.time().replace(hour=21), CITY_TZ)
MARKUP = '<img src=x onerror="window.__pwned=1">'


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp = Path(tmp_path_factory.mktemp("browser-councils"))
    # Five roles sign in within a minute here: more than the login limit lets one address do (5 per minute).
    app = demo_app(seeded_demo_url(tmp), LOGIN_RATE_LIMIT="60 per minute")
    app.config.update(NOW=NOW, ATTACHMENT_DIR=str(tmp / "attachments"))
    yield from serve_app(app)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_chromium()
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def cf(field: str, item: int = -1, fu: int = -1) -> str:
    """CSS selector of a form field by its pattern-matching id (Dash writes the id as sorted JSON)."""
    key = json.dumps({"field": field, "fu": fu, "item": item, "type": "cf"}, separators=(",", ":"))
    return f"[id='{key}']"


def fb(field: str, item: int = -1, fu: int = -1) -> str:
    key = json.dumps({"field": field, "fu": fu, "item": item, "type": "cf-fb"}, separators=(",", ":"))
    return f"[id='{key}']"


def meetings(live: LiveServer) -> int:
    engine = make_engine(live.app.config["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(CouncilMeeting)) or 0)
    finally:
        engine.dispose()


def fill_parties(page, everyone: bool = True) -> None:  # type: ignore[no-untyped-def]
    page.fill(cf("att_party_org"), "测试书记，党支部书记")
    page.fill(cf("att_property_company"), "测试经理（项目经理）")
    page.fill(cf("att_owners_committee"), "测试主任")
    if everyone:
        page.fill(cf("att_residents"), "居民甲\n居民乙")


def test_record_find_follow_up_history_and_carry_over(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(page, live, "organiser")
    page.get_by_role("link", name="四方议事会").click()
    page.wait_for_url(re.compile(r"/councils"))
    page.locator("#councils-new").click()
    page.wait_for_url(re.compile(r"/councils/edit"))
    page.locator(cf("title", 0)).wait_for()

    # Meeting, with a party still missing: the form says which one, live.
    page.fill(cf("date"), "2026-11-20")
    page.fill(cf("time"), "19:30")
    page.fill(cf("convener"), "测试书记")
    fill_parties(page, everyone=False)
    page.wait_for_function("() => document.querySelector('#cf-missing').innerText.includes('居民代表')")
    page.fill(cf("att_residents"), "居民甲\n居民乙")
    page.wait_for_function("() => document.querySelector('#cf-missing').innerText.includes('四方均已到会')")

    # Item 1, by consensus, resolved, with a follow-up due in ten days.
    page.fill(cf("title", 0), "浏览器测试：楼道照明")
    page.select_option(cf("category", 0), "unsafe_facility")
    page.select_option(cf("raising_party", 0), "residents")
    page.locator(cf("decision_method", 0)).get_by_text("协商一致").click()
    page.select_option(cf("outcome", 0), "resolved")
    page.fill(cf("resolution", 0), "物业一周内更换楼道灯")
    page.get_by_role("button", name="添加落实事项").first.click()
    page.locator(cf("action", 0, 0)).wait_for()
    page.select_option(cf("owner_party", 0, 0), "property_company")
    page.fill(cf("action", 0, 0), "更换楼道灯")
    page.fill(cf("contact_name", 0, 0), "测试经理")
    page.fill(cf("due_on", 0, 0), "2026-11-22")  # due before "today" (2026-11-23): overdue until done

    # Item 2, decided by a vote, deferred; its description carries markup that must stay text.
    page.get_by_role("button", name="添加议题").click()
    page.locator(cf("title", 1)).wait_for()
    page.fill(cf("title", 1), "浏览器测试：车位改造")
    page.select_option(cf("category", 1), "parking")
    page.select_option(cf("raising_party", 1), "owners_committee")
    page.fill(cf("description", 1), MARKUP)
    page.locator(cf("decision_method", 1)).get_by_text("表决").click()
    page.fill(cf("votes_for", 1), "9")  # 9 + 1 + 0 > 6 people present: refused
    page.fill(cf("votes_against", 1), "1")
    page.fill(cf("votes_abstain", 1), "0")
    page.select_option(cf("outcome", 1), "deferred")

    before = meetings(live)
    page.locator("#cf-save").click()
    page.locator("#form-invalid").wait_for()
    assert "超过参会人数" in page.locator(fb("votes", 1)).inner_text()
    assert meetings(live) == before and "/councils/edit" in page.url
    page.fill(cf("votes_for", 1), "4")
    page.locator("#cf-save").click()
    page.wait_for_url(re.compile(r"/councils/meeting\?id=\d+"), timeout=20_000)
    meeting_url = page.url
    page.locator("#meeting-items").wait_for()
    assert meetings(live) == before + 1
    items = page.locator("#meeting-items").inner_text()
    assert "浏览器测试：楼道照明" in items and "表决：同意 4，反对 1，弃权 0" in items
    assert MARKUP in items  # shown as typed
    assert page.evaluate("() => window.__pwned === undefined") and not dialogs
    assert "测试经理（项目经理）" in page.locator("#meeting-attendees").inner_text()

    # Found in the list, by category filter too.
    page.goto(f"{live.url}/councils?category=unsafe_facility")
    row = page.locator("#councils-items-grid .ag-row", has_text="浏览器测试：楼道照明")
    row.wait_for(timeout=20_000)
    row.get_by_text("浏览器测试：楼道照明").click()
    page.wait_for_url(meeting_url.split("&")[0])

    # The follow-up is overdue; mark it done.
    line = page.locator("[id^='follow-up-']", has_text="更换楼道灯")
    assert "已逾期" in line.inner_text()
    line.get_by_role("button", name="标记完成").click()
    page.wait_for_function("() => document.querySelector('#meeting-version-label').innerText.includes('2')")
    assert "完成于 2026年11月23日" in page.locator("[id^='follow-up-']", has_text="更换楼道灯").inner_text()

    # History: who did what, with old and new values.
    history = page.locator("#meeting-history").inner_text()
    assert history.count("新建") >= 4 and "organiser" in history
    assert "open → done" in history

    # Carry the deferred item into a new meeting.
    page.locator("#meeting-carry").click()
    page.wait_for_url(re.compile(r"/councils/edit\?compound=\d+&carry=\d+"))
    page.locator(cf("title", 0)).wait_for()
    assert page.locator(cf("title", 0)).input_value() == "浏览器测试：车位改造"
    assert "续议" in page.locator(".carried-note").inner_text()
    page.fill(cf("date"), "2026-11-23")
    page.fill(cf("time"), "19:00")
    page.fill(cf("convener"), "测试书记")
    fill_parties(page)
    page.locator(cf("decision_method", 0)).get_by_text("协商一致").click()
    page.select_option(cf("outcome", 0), "resolved")
    page.fill(cf("resolution", 0), "新增车位 20 个")
    page.locator("#cf-save").click()
    page.wait_for_url(re.compile(r"/councils/meeting\?id=\d+"), timeout=20_000)
    page.locator("#meeting-items").wait_for()
    assert "续议自 2026年11月20日 的会议" in page.locator("#meeting-items").inner_text()
    page.goto(meeting_url)
    page.locator("#meeting-items").wait_for()
    assert "已结转至 2026年11月23日 的会议" in page.locator("#meeting-items").inner_text()
    assert watch.errors == []


def test_other_roles_cannot_open_the_form(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    for user in ("press", "zhuzhou"):
        page = browser.new_context().new_page()
        watch = ConsoleWatch()
        watch.attach(page)
        sign_in(page, live, user)
        page.goto(f"{live.url}/councils/edit")
        page.locator("#forbidden").wait_for()
        page.goto(f"{live.url}/councils")
        page.locator(".ag-row").first.wait_for(timeout=20_000)
        assert page.locator("#councils-new").count() == 0
        if user == "press":
            assert page.get_by_role("tab", name="会议").count() == 0
        assert watch.errors == []


def test_admin_opens_an_organiser_account_that_can_record(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "admin")
    page.click("#nav-tools")  # administration sits in the navbar's 管理 menu
    page.get_by_role("link", name="账户管理").click()
    page.wait_for_url(re.compile(r"/admin/users"))
    page.fill("#admin-username", "org-browser")
    page.fill("#admin-display-name", "湘水湾党支部")
    page.select_option("#admin-role", "organiser")
    page.fill("#admin-password", "short")
    page.click("#admin-compounds")
    page.get_by_placeholder("Search").fill("湘水湾")  # the names are searched on the server
    page.get_by_role("option", name=re.compile("湘水湾")).first.click()
    page.click("#admin-create")
    page.wait_for_function("() => document.querySelector('#admin-fb-password').innerText.includes('至少')")
    page.fill("#admin-password", "a-long-enough-password")
    page.click("#admin-create")
    page.locator(".ag-row", has_text="org-browser").wait_for(timeout=20_000)
    assert "湘水湾" in page.locator(".ag-row", has_text="org-browser").inner_text()
    assert watch.errors == []

    other = browser.new_context().new_page()
    other.goto(live.url + "/login")
    other.fill("#username", "org-browser")
    other.fill("#password", "a-long-enough-password")
    other.click("#login-submit")
    other.wait_for_url(live.url + "/")
    other.goto(live.url + "/councils/edit")
    assert "湘水湾" in other.locator("#cf-compound-name").inner_text()

    # Selecting the new account's row (a click on it) and disabling it marks it 已停用.
    page.locator(".ag-row", has_text="org-browser").click()
    page.click("#admin-disable")
    page.locator(".ag-row", has_text="org-browser").filter(has_text="已停用").wait_for(timeout=20_000)
    assert watch.errors == []


def test_item_csv_downloads_and_cannot_carry_a_formula(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    """The items list's CSV is written in the browser: it downloads the listed rows, and its cell hook turns text
    a spreadsheet would run (an item titled "=HYPERLINK(…)") into plain text, leaving numbers alone."""
    page = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True).new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "province")
    page.goto(f"{live.url}/councils")
    page.locator("#councils-items-grid .ag-row").first.wait_for(timeout=20_000)
    with page.expect_download() as download:
        page.click("#councils-items-grid-csv")
    assert download.value.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    headers = page.locator("#councils-items-grid .ag-header-cell-text").all_inner_texts()
    assert rows[0] == headers and len(rows) > 20  # every listed row, not only the first page of 20
    safe = page.evaluate(
        "() => ['=HYPERLINK(\"http://x\")', '@SUM(A1)', '+1+2', '-12.50', '7', '楼道照明']"
        ".map(window.dashAgGridFunctions.csvSafe)"
    )
    assert safe == ['\'=HYPERLINK("http://x")', "'@SUM(A1)", "'+1+2", "-12.50", "7", "楼道照明"]

    # Eleven columns share the card: a title cut by its column shows whole on hover, as do the headers.
    title = page.locator("#councils-items-grid .ag-row[row-index='0'] [col-id='title']")
    title.hover()
    page.locator(".ag-tooltip").wait_for(timeout=5_000)
    assert page.locator(".ag-tooltip").inner_text().strip() == title.inner_text().strip()

    # The compound filter lists a few names and searches the rest on the server as one types.
    name = page.locator("#councils-items-grid .ag-row [col-id='compound']").first.inner_text().strip()
    page.click("#cl-compound")
    page.get_by_placeholder("Search").fill(name)
    page.get_by_role("option", name=name, exact=True).first.click()
    page.wait_for_url(re.compile(r"compound=\d+"))
    page.wait_for_function(
        "(name) => { const cells = [...document.querySelectorAll('#councils-items-grid .ag-row [col-id=compound]')];"
        " return cells.length > 0 && cells.every(c => c.innerText.trim() === name); }",
        arg=name,
        timeout=20_000,
    )
    assert watch.errors == []
