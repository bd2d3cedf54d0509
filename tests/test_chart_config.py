"""Every chart a journalist can be shown: no Plotly Cloud or Chart Studio button anywhere (plotly.js 4 offers
"Share chart…", an upload of the figure's data to cloud.plotly.com, unless told not to), the mode bar in the UI's
language, and a download that carries its title, source and date under a name worth keeping.

Walks every registered page as the Dash router renders it (in Chinese and English), then, in Chromium, reads the
mode bar's tooltips in Chinese and downloads a chart."""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import dash
import pytest
from dash import dcc
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from components import funds, overview, red_property
from components.formatting import MoneyUnit
from components.plots import (
    BRAND_RED,
    CLOUD_BUTTONS,
    PARTIAL_PATTERN_SHAPE,
    PRIMARY,
    ZH_CN_LOCALE,
    download_name,
    graph_config,
    money_axis,
    month_is_partial,
    quarter_is_partial,
    year_is_partial,
)
from data_access.core.db import make_engine
from data_access.core.models import Compound, CouncilMeeting, InsuranceApplication
from data_access.demo_accounts import DEMO_PASSWORD
from data_access.indicators import MonthlyCount
from data_access.red_property import ProjectScore, QuarterCount
from tests.browser import DEMO_TODAY, demo_app, seeded_demo_url
from tests.pages_router import router_body
from tests.test_auth import sign_in
from tests.test_figures import FUND_YEARS, STATIONS

ASSETS = Path(__file__).resolve().parents[1] / "assets"
# The bundled plotly.js: its translatable texts are the calls of its localize helper, `_(gd, "…")`.
PLOTLY_BUNDLE = next(ASSETS.glob("01-plotly-*.js"))
CJK = re.compile(r"[\u4e00-\u9fff]")
# The indicator pages: every chart on them is drawn through components/plots.chart_graph.
INDICATOR_PAGES = ("/", "/funds", "/elevators", "/complaints", "/red-property", "/insurance-value")
# Pages about one record, and the table their `id` names.
RECORD_PAGES = {
    "/compound": Compound,
    "/councils/meeting": CouncilMeeting,
    "/councils/edit": CouncilMeeting,
    "/insurance/application": InsuranceApplication,
}


# --------------------------------------------------------------------------- the configuration itself


def bundle_texts() -> set[str]:
    """The English texts the bundled plotly.js translates (mode bar tooltips, notices, the cloud dialog)."""
    source = PLOTLY_BUNDLE.read_text(encoding="utf-8")
    return set(re.findall(r'\b[A-Za-z_$][\w$]?\([a-z],"([A-Z][^"]{2,80})"\)', source))


def assert_no_cloud(config: dict[str, Any]) -> None:
    assert config.get("showSendToCloud") is False
    assert config.get("showEditInChartStudio") is False
    assert config.get("plotlyServerURL") == ""
    assert config.get("showLink") is False and config.get("sendData") is False
    assert set(CLOUD_BUTTONS) <= set(config.get("modeBarButtonsToRemove", []))
    assert "sendDataToCloud" not in json.dumps(config.get("modeBarButtonsToAdd", []))


def assert_speaks(config: dict[str, Any], lang: str) -> None:
    if lang == "en":
        assert "locale" not in config  # plotly's own English
        return
    assert config["locale"] == "zh-CN"
    dictionary = config["locales"]["zh-CN"]["dictionary"]
    for english in ("Download plot as a PNG", "Zoom", "Pan", "Reset axes", "Autoscale", "Zoom in", "Zoom out"):
        assert CJK.search(dictionary[english]), english


def test_the_bundled_plotly_is_the_one_configured() -> None:
    """The configuration names what this plotly.js calls its cloud button, and the test reads its texts."""
    source = PLOTLY_BUNDLE.read_text(encoding="utf-8")
    assert "sendChartToCloud" in source and "showSendToCloud" in source  # plotly.js 4's "Share chart…"
    texts = bundle_texts()
    assert {"Download plot as a PNG", "Zoom", "Pan", "Reset axes", "Share chart..."} <= texts


def test_every_text_of_the_mode_bar_has_a_chinese_translation() -> None:
    """Every text plotly.js shows a reader (tooltips, the download's notices) is in the zh-CN dictionary, in Chinese;
    the cloud dialog's texts need none, as its button never shows."""
    dictionary = ZH_CN_LOCALE["dictionary"]
    cloud = {t for t in bundle_texts() if "Cloud" in t or t.startswith(("Share", "This chart will", "Cancel"))}
    missing = sorted(bundle_texts() - cloud - set(dictionary))
    assert missing == []
    assert all(CJK.search(value) for value in dictionary.values())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_graph_config_offers_no_cloud_and_speaks_the_language(lang: str) -> None:
    config = dict(graph_config(lang))
    assert_no_cloud(config)
    assert_speaks(config, lang)
    assert config["toImageButtonOptions"] == {"format": "png", "filename": "chart", "scale": 2}


def test_download_names_say_place_chart_and_date() -> None:
    assert download_name("湘潭市", "电梯保险覆盖率", DEMO_TODAY) == "湘潭市-电梯保险覆盖率-2026-11-23"
    assert download_name("Xiangtan Yuhu District", "Faults / 100: by age?", DEMO_TODAY) == (
        "Xiangtan-Yuhu-District-Faults-100-by-age-2026-11-23"
    )
    assert download_name("", None, None) == "chart"


# --------------------------------------------------------------------------- the charts' conventions, on plain data


def only_figure(card: Any) -> dict[str, Any]:
    """The figure of the one dcc.Graph in a card."""
    found = []

    def walk(node: Any) -> None:
        if isinstance(node, dcc.Graph):
            found.append(node.figure)
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list | tuple) else [children]:
            if child is not None and hasattr(child, "to_plotly_json"):
                walk(child)

    walk(card)
    assert len(found) == 1
    return found[0]


def test_running_periods_are_known_from_the_dates() -> None:
    assert month_is_partial(2026, 12, date(2026, 12, 5)) and not month_is_partial(2026, 11, date(2026, 12, 5))
    assert not month_is_partial(2026, 11, date(2026, 11, 30))  # its last day: complete
    assert quarter_is_partial(2026, 4, date(2026, 12, 5)) and not quarter_is_partial(2026, 3, date(2026, 12, 5))
    assert not quarter_is_partial(2026, 4, date(2026, 12, 31)) and quarter_is_partial(2026, 4, date(2026, 11, 30))
    assert year_is_partial(2026, date(2026, 12, 5)) and not year_is_partial(2026, date(2026, 12, 31))


def test_the_running_month_on_the_overview_is_hatched_and_says_so() -> None:
    """Five days of December beside all of last December: the running month's bar is hatched, its hover and the
    mark over it say to which day; last year's bars are plain."""
    as_of = date(2026, 12, 5)
    series = [
        MonthlyCount(2025, 11, 8),
        MonthlyCount(2025, 12, 9),
        MonthlyCount(2026, 11, 7),
        MonthlyCount(2026, 12, 1),
    ]
    fig = only_figure(overview.complaints_chart(series, as_of, "zh"))
    last_year, this_year = fig["data"]
    assert "pattern" not in last_year["marker"]
    assert this_year["marker"]["pattern"]["shape"] == ["", PARTIAL_PATTERN_SHAPE]
    assert this_year["hovertext"] == ["", "（截至 12月5日，不完整）"] and "%{hovertext}" in this_year["hovertemplate"]
    assert [a["text"] for a in fig["layout"]["annotations"]] == ["截至12月5日"]
    assert this_year["marker"]["color"] == PRIMARY and last_year["marker"]["color"] != BRAND_RED  # red means bad
    complete = only_figure(overview.complaints_chart(series, date(2026, 12, 31), "en"))
    assert "pattern" not in complete["data"][1]["marker"] and "annotations" not in complete["layout"]


def test_the_running_quarter_and_year_are_hatched() -> None:
    quarters = [QuarterCount(2025, 4, 30), QuarterCount(2026, 3, 25), QuarterCount(2026, 4, 6)]
    fig = only_figure(red_property.quarter_chart(quarters, date(2026, 12, 5), "en"))
    assert fig["data"][1]["marker"]["pattern"]["shape"] == ["", PARTIAL_PATTERN_SHAPE]
    assert fig["layout"]["annotations"][0]["text"] == "to 5 Dec"
    years = only_figure(funds.usage_chart(FUND_YEARS, "zh"))
    assert years["data"][0]["x"][-1] == "2026<br>截至11月23日"  # the year to date says so on its axis
    assert years["data"][0]["marker"]["pattern"]["shape"] == ["", PARTIAL_PATTERN_SHAPE]


def test_money_axes_and_cards_count_in_wan_and_yi() -> None:
    assert money_axis([120_000_000_000], "zh") == MoneyUnit(Decimal(100_000_000), "亿元")  # 12亿
    assert money_axis([99_000_000, None], "zh").name == "万元"
    assert money_axis([500_000], "zh").name == "元" and money_axis([], "en").name == "yuan"
    assert money_axis([120_000_000_000], "en").name == "million yuan"  # never "bn" on an axis, never "k"
    usage = only_figure(funds.usage_chart(FUND_YEARS, "zh"))
    assert usage["layout"]["yaxis"]["title"]["text"] == "使用额（万元）"  # 30,000 and 50,000 yuan: 3 and 5 万元
    assert usage["data"][0]["y"] == [3, 5]
    assert usage["layout"]["yaxis"]["exponentformat"] == "none"
    grid = {c["field"]: c for c in funds.compound_columns("zh")}["deposits_yuan"]
    assert "/ 10000" in grid["valueFormatter"]["function"] and "万元" in grid["headerValueGetter"]["function"]
    assert grid["headerName"] == "累计缴存（元）"  # the exports keep exact yuan under it
    assert "headerValueGetter" not in {c["field"]: c for c in funds.compound_columns("en")}["deposits_yuan"]


def test_district_bars_stand_against_the_area_average() -> None:
    fig = only_figure(red_property.district_chart(STATIONS, date(2026, 11, 23), "zh"))
    (line,) = fig["layout"]["shapes"]
    assert line["name"].startswith("平均") and line["showlegend"] and fig["layout"]["showlegend"]
    share = sum(s.with_station for s in STATIONS) / sum(s.compounds for s in STATIONS)
    assert line["x0"] == line["x1"] == pytest.approx(share)  # upright: the districts' bars lie along x
    assert fig["data"][0]["marker"]["color"] != BRAND_RED


def test_the_five_reds_heat_map_is_whole_with_a_graded_scale() -> None:
    """Never a scroll box that cuts a row: the best SCORE_ROWS projects, each a whole row; a sequential scale with a
    tick every five points, and no red (dark is a high score, not a warning)."""
    scores = [
        ProjectScore(i, f"小区{i}", "天元区", "Tianyuan", "accepted", (20, 19, 18, 17, 16 - i % 5), 90 - i)
        for i in range(40)
    ]
    card = red_property.scores_chart(scores, date(2026, 11, 23), "zh")
    fig = only_figure(card)
    (heat,) = fig["data"]
    assert len(heat["y"]) == red_property.SCORE_ROWS
    assert heat["colorbar"]["tickvals"] == [0, 5, 10, 15, 20]
    assert all(BRAND_RED.lower() not in str(colour).lower() for _, colour in heat["colorscale"])
    assert "overflowY" not in json.dumps(card.to_plotly_json(), default=str)
    assert f"前 {red_property.SCORE_ROWS} 个，共 40 个" in json.dumps(
        card.to_plotly_json(), default=str, ensure_ascii=False
    )


# --------------------------------------------------------------------------- every page, as the router renders it


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    url = seeded_demo_url(Path(tmp_path_factory.mktemp("chart-config")))
    application = demo_app(url, TESTING=True)
    yield application
    application.extensions["db_engine"].dispose()


@pytest.fixture(scope="module")
def record_ids(app: Flask) -> dict[str, int]:
    """The first record of each record page's table, for its `?id=`."""
    engine = make_engine(app.config["DATABASE_URL"])
    with Session(engine) as session:
        ids = {
            path: session.scalar(select(model.id).order_by(model.id).limit(1)) for path, model in RECORD_PAGES.items()
        }
    engine.dispose()
    return {path: i for path, i in ids.items() if i is not None}


def client_in(app: Flask, lang: str) -> FlaskClient:
    client = app.test_client()
    assert sign_in(client, "admin", DEMO_PASSWORD).status_code == 302
    client.get(f"/lang/{lang}")
    return client


def graphs(node: Any) -> Iterator[dict[str, Any]]:
    """Every dcc.Graph's props in a rendered layout (the router's JSON)."""
    if isinstance(node, dict):
        if node.get("type") == "Graph" and node.get("namespace") == "dash_core_components":
            yield node["props"]
        for value in node.values():
            yield from graphs(value)
    elif isinstance(node, list):
        for value in node:
            yield from graphs(value)


def rendered(client: FlaskClient, path: str, search: str = "") -> Any:
    response = client.post(
        "/_dash-update-component", data=json.dumps(router_body(path, search)), content_type="application/json"
    )
    assert response.status_code == 200, (path, search)
    return response.get_json()


def page_searches(record_ids: dict[str, int]) -> Iterator[tuple[str, str]]:
    """Every registered page, with the query it needs (a record's id; Xiangtan for the indicator pages)."""
    for page in dash.page_registry.values():
        path = page["path"]
        if path in RECORD_PAGES:
            if path in record_ids:
                yield path, f"?id={record_ids[path]}"
            continue
        yield path, ""
        if path in INDICATOR_PAGES:
            yield path, "?city=xiangtan"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_chart_on_any_page_offers_the_cloud(app: Flask, record_ids: dict[str, int], lang: str) -> None:
    """Every dcc.Graph of every page: no cloud button, the UI's language; on the indicator pages a download named
    after the place, the chart and the date, whose image carries the chart's title and source."""
    client = client_in(app, lang)
    seen: dict[str, int] = {}
    for path, search in page_searches(record_ids):
        for props in graphs(rendered(client, path, search)):
            config = props.get("config") or {}
            assert_no_cloud(config)
            assert_speaks(config, lang)
            seen[path] = seen.get(path, 0) + 1
            if path in INDICATOR_PAGES and search:
                name = config["toImageButtonOptions"]["filename"]
                place = "湘潭市" if lang == "zh" else "Xiangtan"
                assert name.startswith(place + "-") and re.search(r"-\d{4}-\d{2}-\d{2}$", name), name
                caption = props["figure"]["layout"]["meta"]["export"]
                assert caption["title"].startswith(place) and caption["source"], props.get("id")
                assert CJK.search(caption["source"]) if lang == "zh" else caption["source"].startswith("Source")
    assert all(seen.get(path, 0) >= 1 for path in INDICATOR_PAGES), seen
    assert sum(seen.values()) >= 40, seen


def test_chinese_money_axes_count_in_wan_and_yi(app: Flask) -> None:
    """A money axis in Chinese is titled in 万元 or 亿元 and its ticks have no SI suffix ("10k", "1M")."""
    client = client_in(app, "zh")
    titles = []
    for path in ("/funds", "/insurance-value"):
        for search in ("", "?city=xiangtan"):
            for props in graphs(rendered(client, path, search)):
                layout = props["figure"]["layout"]
                for key, axis in layout.items():
                    if re.match(r"^[xy]axis\d*$", key) and isinstance(axis, dict):
                        assert axis.get("exponentformat") == "none", (props.get("id"), key)
                        title = (axis.get("title") or {}).get("text", "")
                        if "元" in title:
                            titles.append(title)
    assert titles and all(re.search(r"（(万元|亿元|元)）|元 / 台", title) for title in titles), titles
    assert not any("10k" in title or "100m" in title for title in titles)


# --------------------------------------------------------------------------- in Chromium

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def live(app: Flask) -> Iterator[Any]:
    from tests.browser import serve

    yield from serve(demo_app(app.config["DATABASE_URL"]))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.browser
def test_the_press_sees_a_chinese_mode_bar_and_downloads_a_captioned_chart(live: Any, browser: Any) -> None:
    """The press role, in Chinese, hovers a chart: every tooltip of the mode bar is Chinese and none shares to the
    cloud; the camera downloads 湘潭市-…-2026-11-23.png, taller than the chart by its title and source lines."""
    from tests.browser import ConsoleWatch
    from tests.test_browser_overview import sign_in as browser_sign_in

    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    browser_sign_in(page, live, "press")
    page.goto(live.url + "/elevators?city=xiangtan")
    chart = page.locator("#elevators-coverage-chart")
    chart.locator(".main-svg").first.wait_for(timeout=20_000)
    chart.scroll_into_view_if_needed()
    chart.hover()
    buttons = chart.locator(".modebar-btn")
    buttons.first.wait_for(state="visible")
    titles = []
    for i in range(buttons.count()):
        button = buttons.nth(i)
        button.hover()
        # plotly draws the tooltip from data-title in an ::after box while the button is hovered
        shown = button.evaluate("b => getComputedStyle(b, '::after').content")
        titles.append(button.get_attribute("data-title"))
        assert shown.strip('"') == titles[-1]
    assert titles and all(CJK.search(t or "") for t in titles), titles
    assert not any("Share" in (t or "") or "Cloud" in (t or "") for t in titles)
    assert page.locator(".modebar-btn[data-title*='Share']").count() == 0
    height = chart.evaluate("g => g.querySelector('.js-plotly-plot')._fullLayout.height")

    with page.expect_download() as info:
        buttons.first.click()
    download = info.value
    assert download.suggested_filename == "湘潭市-投保覆盖率走势与目标-2026-11-23.png"
    _width, image_height = png_size(Path(download.path()).read_bytes())
    assert image_height > 2 * height + 2 * 40  # scale 2, plus the title above and the source below
    context.close()
    assert watch.errors == []
