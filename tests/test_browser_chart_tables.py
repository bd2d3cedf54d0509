"""A chart's figures as a table in the browser (issue 18): the closed 数据表 / Data table under every chart carries its
rows as text, and assets/chart-table.js makes a real <table> of them when a reader opens it. Here, on /complaints in
headless Chromium, in Chinese and English: opening a table by mouse or keyboard shows a <table> with a caption naming
the chart, <th scope="col"> headings, a <th scope="row"> per category, and in its cells exactly the numbers the
chart's own drawing holds (plotly's figure data, read from the graph)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from components.plots import _UNIT, _number
from tests.browser import CHROMIUM, CHROMIUM_ARGS, ConsoleWatch, LiveServer, demo_app, require_chromium, seeded_demo_url
from tests.browser import serve as serve_app
from tests.test_browser_a11y import SETTLED_JS
from tests.test_browser_overview import sign_in

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

# The open table of a chart's figure box: caption, header cells (with their scope) and body rows.
TABLE_JS = """id => {
    const table = document.querySelector(`#${id} details.chart-data table`);
    if (!table) return null;
    const text = el => el.textContent;
    return {
        caption: text(table.querySelector('caption')),
        captionHidden: table.querySelector('caption').classList.contains('visually-hidden'),
        head: [...table.querySelectorAll('thead th')].map(th => [text(th), th.getAttribute('scope')]),
        rows: [...table.querySelectorAll('tbody tr')].map(tr => [...tr.children].map(
            c => [c.tagName.toLowerCase(), c.getAttribute('scope'), text(c)])),
    };
}"""
# The figure the chart draws, as plotly holds it in the page.
FIGURE_JS = """id => {
    const gd = document.querySelector(`#${id} .js-plotly-plot`);
    return {
        traces: gd.data.map(tr => ({name: tr.name, x: tr.x, y: tr.y, type: tr.type})),
        xTitle: gd.layout.xaxis.title.text,
        yTitle: gd.layout.yaxis.title.text,
    };
}"""
CHARTS = ("complaints-cohort-chart", "complaints-category-chart", "complaints-district-chart")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = seeded_demo_url(Path(tmp_path_factory.mktemp("browser-chart-tables")))
    yield from serve_app(demo_app(url))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_chromium()
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_table(page: Any, chart: str, *, keyboard: bool = False) -> dict[str, Any]:  # page: playwright Page
    summary = page.locator(f"#{chart}-figure details.chart-data > summary")
    assert page.evaluate(TABLE_JS, f"{chart}-figure") is None  # nothing built until asked for
    if keyboard:
        summary.focus()
        page.keyboard.press("Enter")
    else:
        summary.click()
    page.wait_for_function(f"() => document.querySelector('#{chart}-figure details.chart-data[open] table')")
    table = page.evaluate(TABLE_JS, f"{chart}-figure")
    assert table is not None
    return table


def check_against_figure(page: Any, chart: str, table: dict[str, Any], title: str, lang: str) -> None:
    figure = page.evaluate(FIGURE_JS, chart)
    traces = [tr for tr in figure["traces"] if tr["type"] in ("bar", "scatter")]
    assert traces, chart
    assert table["caption"] == (f"{title}：图中数据" if lang == "zh" else f"{title}: the chart's figures")
    assert table["captionHidden"]
    assert [scope for _text, scope in table["head"]] == ["col"] * (len(traces) + 1)
    unit = _UNIT.search(figure["yTitle"])  # a series' heading carries its axis' unit: 电梯（件）
    names = [tr["name"] for tr in traces]
    if unit:
        names = [f"{n}（{unit.group(1)}）" if lang == "zh" else f"{n} ({unit.group(1)})" for n in names]
    assert [text for text, _scope in table["head"]] == [figure["xTitle"], *names]
    months = traces[0]["x"]
    assert [row[0] for row in table["rows"]] == [["th", "row", m] for m in months]
    for i, trace in enumerate(traces, start=1):
        assert trace["x"] == months
        column = [row[i] for row in table["rows"]]
        assert all(tag == "td" and scope is None for tag, scope, _text in column)
        # the figures the chart draws, written as the table writes them (1,234; 2.5; — for a gap)
        assert [text for _tag, _scope, text in column] == [_number(v) for v in trace["y"]], (chart, trace["name"])


def test_opening_a_chart_table_shows_the_charts_figures(live: LiveServer, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "province")
    for lang in ("zh", "en"):
        page.goto(f"{live.url}/lang/{lang}?next=/complaints")
        page.wait_for_url(re.compile(r"/complaints"))
        page.wait_for_function(SETTLED_JS, timeout=30_000, polling=100)
        for n, chart in enumerate(CHARTS):
            title = page.locator(f"#{chart}-figure").locator("xpath=..").locator("h2").inner_text()
            table = open_table(page, chart, keyboard=n == 0)
            check_against_figure(page, chart, table, title, lang)
        summary = page.locator("#complaints-category-chart-figure details.chart-data > summary")
        assert summary.inner_text() == ("数据表" if lang == "zh" else "Data table")
        summary.click()  # closed again, and opened again: the same table, built once
        assert page.evaluate("() => !document.querySelector('#complaints-category-chart-figure details').open")
        summary.click()
        assert page.evaluate(TABLE_JS, "complaints-category-chart-figure")["rows"]
    context.close()
    assert watch.errors == []


def test_an_open_table_follows_the_charts_new_figures(live: LiveServer, browser: Any) -> None:
    """The filters redraw the chart with a city's figures: a table left open shows the new ones."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "province")
    page.goto(f"{live.url}/lang/en?next=/complaints")
    page.wait_for_function(SETTLED_JS, timeout=30_000, polling=100)
    chart = "complaints-district-chart"
    before = open_table(page, chart)
    page.click("#complaints-city")
    page.get_by_role("option", name="Xiangtan", exact=True).click()
    page.wait_for_url(re.compile(r"city=xiangtan"))
    page.wait_for_function(
        "n => { const t = document.querySelector('#complaints-district-chart-figure table');"
        " return !t || t.querySelectorAll('thead th').length !== n; }",
        arg=len(before["head"]),
        timeout=30_000,
    )
    page.wait_for_function(SETTLED_JS, timeout=30_000, polling=100)
    if page.evaluate(f"() => document.querySelector('#{chart}-figure details').open"):
        after = page.evaluate(TABLE_JS, f"{chart}-figure")
    else:  # the chart was drawn anew, its table closed: open it again
        after = open_table(page, chart)
    title = page.locator(f"#{chart}-figure").locator("xpath=..").locator("h2").inner_text()
    check_against_figure(page, chart, after, title, "en")
    assert len(after["head"]) < len(before["head"])  # Xiangtan's districts, not the province's
    context.close()
    assert watch.errors == []
