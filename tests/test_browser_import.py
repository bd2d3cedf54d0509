"""/import as a city's data steward uses it: a file with a bad row is refused whole and the row named, the corrected
file is checked, confirmed and loaded as a background job with its progress shown, and /complaints counts the
new work orders afterwards. Nothing is downloaded: the files are made here with openpyxl."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from data_access.core.db import make_engine
from data_access.core.models import City, Compound, District
from tests.browser import CHROMIUM, CHROMIUM_ARGS, ConsoleWatch, LiveServer, demo_app, require_chromium, seeded_demo_url
from tests.browser import serve as serve_app
from tests.test_browser_overview import card_value, sign_in

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

HEADERS = ["工单编号", "受理时间", "诉求类别", "区县", "小区名称", "诉求摘要"]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = Path(tmp_path_factory.mktemp("browser-import"))
    url = seeded_demo_url(folder)
    yield from serve_app(demo_app(url, JOBS_DIR=str(folder / "jobs")))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_chromium()
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _xiangtan_compound(live: LiveServer) -> tuple[str, str]:
    engine = make_engine(live.app.config["DATABASE_URL"])
    with engine.connect() as conn:
        row = conn.execute(
            select(District.name, Compound.name)
            .join(Compound, Compound.district_id == District.id)
            .join(City, City.id == District.city_id)
            .where(City.code == "xiangtan")
            .order_by(Compound.id)
            .limit(1)
        ).one()
    engine.dispose()
    return row[0], row[1]


def _workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(page, name: str, data: bytes) -> None:  # type: ignore[no-untyped-def]
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    page.set_input_files("#import-upload input[type=file]", files=[{"name": name, "mimeType": mime, "buffer": data}])


def _orders(page) -> int:  # type: ignore[no-untyped-def]
    return int(re.sub(r"\D", "", card_value(page, "complaints-card-all")))


def test_a_steward_corrects_a_refused_file_and_loads_it(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    district, compound = _xiangtan_compound(live)
    good = [
        ["XT-IMP-0001", "2026/11/20 09:00", "电梯", district, compound, "电梯频繁停运"],
        ["XT-IMP-0002", "2026年11月21日", "电梯", district, compound, "电梯异响"],
    ]
    bad_row = ["XT-IMP-0003", "上周三", "电梯", district, compound, "电梯困人"]
    fixed_row = ["XT-IMP-0003", "2026-11-22 10:30", "电梯", district, compound, "电梯困人"]
    watch = ConsoleWatch()
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    watch.attach(page)
    sign_in(page, live, "xiangtan-data")
    page.goto(live.url + "/complaints?city=xiangtan")
    before = _orders(page)
    assert page.locator("#demo-banner").is_visible()  # the demo's figures, until the city's own records come in

    page.goto(live.url + "/import")
    page.wait_for_selector("#import-upload")
    page.select_option("#import-kind", "work-orders")
    assert page.locator("#import-city").is_disabled()  # a steward imports for their own city only
    _upload(page, "工单.xlsx", _workbook([*good, bad_row]))
    verdict = page.locator("#import-verdict")
    verdict.wait_for(timeout=60_000)
    assert "1" in verdict.inner_text() and ("拒绝" in verdict.inner_text())
    table = page.locator("#import-rejections")
    assert "4" in table.inner_text() and "受理时间" in table.inner_text() and "上周三" in table.inner_text()
    assert page.locator("#import-confirm").is_disabled()
    page.screenshot(path=str(Path(live.app.config["JOBS_DIR"]) / "import-refused.png"), full_page=True)

    _upload(page, "工单-改.xlsx", _workbook([*good, fixed_row]))
    page.wait_for_function(
        "() => (document.querySelector('#import-verdict')?.innerText || '').includes('工单-改')", timeout=60_000
    )
    assert "3" in page.locator("#import-verdict").inner_text()
    page.locator("#import-confirm:not([disabled])").click()
    page.wait_for_selector("#import-see-link", timeout=120_000)
    assert page.locator("#import-progress").inner_text() != ""  # the job reported its progress
    assert "新增 3" in page.locator("#import-result").inner_text()
    page.screenshot(path=str(Path(live.app.config["JOBS_DIR"]) / "import-loaded.png"), full_page=True)

    page.click("#import-see-link")
    page.wait_for_url(re.compile(r"/complaints\?city=xiangtan"))
    assert _orders(page) == before + 3
    assert page.locator("#demo-banner").count() == 0  # Xiangtan's figures are now (partly) its own records
    assert watch.errors == []
