"""/funds as a person uses it: filters in the URL, shared links, district click, sorting the grid, exports.

The compound grid loads its rows from the server a block at a time (AG Grid's infinite row model), so the
helpers here wait for the server's rows and its total; the other pages' browser tests use them too.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.browser import CHROMIUM, CHROMIUM_ARGS, ConsoleWatch, LiveServer, demo_app, require_chromium, seeded_demo_url
from tests.browser import serve as serve_app
from tests.test_browser_overview import sign_in

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

GRID = "funds-grid"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = seeded_demo_url(Path(tmp_path_factory.mktemp("browser-funds")))
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


# --------------------------------------------------------------------------- the compound grid (shared helpers)

# A column's texts on the grid's current page, in row order (rows sit in the DOM in any order: row-index says
# where each is shown). Loading rows (no data from the server yet) are left out.
COLUMN_JS = """([grid, col]) => Array.from(
        document.querySelectorAll(`#${grid} .ag-row:not(.ag-row-loading) [col-id="${col}"]`))
    .map(c => [Number(c.closest('.ag-row').getAttribute('row-index')), c.textContent.trim()])
    .sort((a, b) => a[0] - b[0]).map(x => x[1])"""
# The paging panel ("1 至 20 / 2,100") once the server has said the total: until then it ends in "更多".
TOTAL_JS = """([grid, not]) => {
    const text = document.querySelector(`#${grid} .ag-paging-row-summary-panel`)?.textContent || '';
    const m = text.replace(/,/g, '').match(/\\/\\s*(\\d+)\\s*$/);
    return m !== null && m[1] !== not && document.querySelectorAll(`#${grid} .ag-row-loading`).length === 0;
}"""


def rows_loaded(page, grid: str) -> None:  # type: ignore[no-untyped-def]
    """The server's rows are in the grid (before they arrive it shows loading rows)."""
    page.locator(f"#{grid} .ag-row:not(.ag-row-loading) [col-id=compound]").first.wait_for(timeout=30_000)


def grid_total(page, grid: str, other_than: int | None = None) -> int:  # type: ignore[no-untyped-def]
    """The row total of the grid's paging panel (textContent: innerText is empty while off screen); with
    other_than, first wait until it changes from that (the grid of a new filter has loaded)."""
    rows_loaded(page, grid)
    page.wait_for_function(TOTAL_JS, arg=[grid, "" if other_than is None else str(other_than)], timeout=30_000)
    text = page.locator(f"#{grid} .ag-paging-row-summary-panel").text_content() or ""
    return int(re.findall(r"(\d[\d,]*)", text)[-1].replace(",", ""))


def column(page, grid: str, col: str) -> list[str]:  # type: ignore[no-untyped-def]
    """A column's texts on the grid's page, once every cell is drawn (a cell is drawn a frame after its row)."""
    ready = "(arg) => { const v = (" + COLUMN_JS + ")(arg); return v.length && v.every(x => x !== '') ? v : false; }"
    return page.wait_for_function(ready, arg=[grid, col], timeout=30_000).json_value()


def same_rows(from_csv: list[list[str]], from_xlsx: list[tuple]) -> None:
    """CSV and Excel hold the same header and the same rows in the same order, cell for cell."""
    assert from_csv[0] == list(from_xlsx[0])
    assert len(from_csv) == len(from_xlsx)
    for c_row, x_row in zip(from_csv[1:], from_xlsx[1:], strict=True):
        for c_cell, x_cell in zip(c_row, x_row, strict=True):
            if x_cell is None:
                assert c_cell == ""
            elif isinstance(x_cell, datetime):
                assert c_cell == x_cell.date().isoformat()
            elif isinstance(x_cell, int | float):
                assert Decimal(c_cell) == Decimal(str(x_cell)), (c_row, x_row)
            else:
                assert c_cell == x_cell, (c_row, x_row)


def exports(page, grid: str, stem: str) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """Download both exports (made on the server); check the names, the CSV's byte-order mark (Excel reads it as
    UTF-8) and that CSV and Excel agree row for row. Returns the CSV's rows, header first."""
    with page.expect_download() as csv_download:
        page.click(f"#{grid}-csv")
    assert csv_download.value.suggested_filename == f"{stem}.csv"
    raw = Path(csv_download.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    from_csv = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    with page.expect_download() as xlsx_download:
        page.click(f"#{grid}-xlsx")
    assert xlsx_download.value.suggested_filename == f"{stem}.xlsx"
    sheet = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).active
    same_rows(from_csv, list(sheet.iter_rows(values_only=True)))
    return from_csv


SORTED_JS = (
    """([grid, col, dir, n]) => {
    const header = document.querySelector(`#${grid} .ag-header-cell[col-id="${col}"]`);
    if (header?.getAttribute('aria-sort') !== (dir === 'asc' ? 'ascending' : 'descending')) return false;
    if (document.querySelectorAll(`#${grid} .ag-row-loading`).length) return false;
    const texts = ("""
    + COLUMN_JS
    + """)([grid, col]);
    if (texts.length < n || texts.some(t => t === '')) return false;  // cells are drawn a frame after their row
    const v = texts.map(t => Number(t.replace(/,/g, '')));
    return v.every((x, i) => i === 0 || (dir === 'asc' ? v[i - 1] <= x : v[i - 1] >= x));
}"""
)


def sort_by(page, grid: str, col: str, direction: str, rows: int) -> list[float]:  # type: ignore[no-untyped-def]
    """Click the column's header (once: ascending, twice: descending) and wait until the server's rows come back
    in that order; returns the column's values on the page, as numbers."""
    page.locator(f"#{grid} .ag-header-cell[col-id={col}] .ag-header-cell-label").click()
    page.wait_for_function(SORTED_JS, arg=[grid, col, direction, min(rows, 10)], timeout=30_000)
    return [float(v.replace(",", "")) for v in column(page, grid, col)]


# --------------------------------------------------------------------------- the test


def test_filters_live_in_the_url_and_exports_match_the_table(live: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "province")
    page.get_by_role("link", name="维修资金").click()
    page.wait_for_url(re.compile(r"/funds"))
    province_total = grid_total(page, GRID)
    title_starts(page, "全省")

    # City filter → URL → figures change, and the grid holds only the city's compounds.
    province_deposits = page.locator("#funds-card-deposits-value").inner_text()
    pick(page, "funds-city", "湘潭市")
    page.wait_for_url(re.compile(r"city=xiangtan"))
    title_starts(page, "湘潭市")
    assert page.locator("#funds-card-deposits-value").inner_text() != province_deposits
    assert 0 < grid_total(page, GRID, other_than=province_total) < province_total

    # Year filter → URL; the 2021 view is smaller than today's.
    xiangtan_now = page.locator("#funds-card-deposits-value").inner_text()
    pick(page, "funds-year", "2021")
    page.wait_for_url(re.compile(r"year=2021"))
    page.wait_for_function(
        "v => document.querySelector('#funds-card-deposits-value')?.innerText !== v",
        arg=xiangtan_now,
        timeout=20_000,
    )

    # Back restores the previous view; a fresh page on the shared link restores this one.
    page.go_back()
    page.wait_for_function(
        "v => document.querySelector('#funds-card-deposits-value')?.innerText === v",
        arg=xiangtan_now,
        timeout=20_000,
    )
    page.go_forward()
    page.wait_for_url(re.compile(r"year=2021"))
    shared = page.url
    fresh = context.new_page()
    watch.attach(fresh)
    fresh.goto(shared)
    rows_loaded(fresh, GRID)
    assert fresh.locator("#funds-year").inner_text().strip() == "2021"
    title_starts(fresh, "湘潭市")
    fresh.close()

    # Clicking a district's bar filters the page to it, the grid's rows included.
    bar = page.locator("#funds-district-chart .point").first
    bar.wait_for(timeout=20_000)
    bar.click(force=True)
    page.wait_for_url(re.compile(r"district=\d+"))
    page.wait_for_function(
        "() => /湘潭市 \\S+区/.test(document.querySelector('#page-title')?.innerText || '')", timeout=20_000
    )
    district = re.search(r"湘潭市 (\S+区)", page.locator("#page-title").inner_text()).group(1)  # type: ignore[union-attr]
    page.wait_for_function(
        "([g, d]) => { const v = (" + COLUMN_JS + ")([g, 'district']); return v.length && v.every(x => x === d); }",
        arg=[GRID, district],
        timeout=30_000,
    )
    shown = grid_total(page, GRID)
    assert shown > 0

    # Sorting: a click on a money column's header asks the server for the rows in that order (as numbers:
    # "63,899.64" before "111,959.55"), a second click reverses it.
    ascending = sort_by(page, GRID, "deposits_yuan", "asc", shown)
    assert ascending == sorted(ascending)
    descending = sort_by(page, GRID, "deposits_yuan", "desc", shown)
    assert descending == sorted(descending, reverse=True) and descending[0] >= ascending[-1]
    grid_names = column(page, GRID, "compound")

    # CSV and Excel, both from the server, hold every row of the filters, in the grid's order.
    rows = exports(page, GRID, "funds-2021")
    assert len(rows) - 1 == shown
    deposits = [Decimal(r[3]) for r in rows[1:]]
    assert deposits == sorted(deposits, reverse=True)
    assert [r[0] for r in rows[1 : len(grid_names) + 1]] == grid_names

    # Clicking a compound opens its view.
    first = page.locator(f"#{GRID} .ag-row:not(.ag-row-loading) .compound-link").first
    name = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/compound\?id=\d+"))
    title_starts(page, name)
    page.locator("#compound-insured").wait_for(timeout=20_000)
    context.close()
    assert watch.errors == []
