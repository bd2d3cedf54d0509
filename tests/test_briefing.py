"""/briefing.pdf as its readers meet it: a leader's and a journalist's PDF that quotes what the API says, and every
way a link can be wrong (signed out, another city, a bad year) answered without a trace.

The PDFs are printed by Debian's Chromium (the `browser` marker: skipped on a laptop without it, required in CI);
the refusals are answered before any printing, so those tests need no browser.
"""

from __future__ import annotations

import io
import json
import re
import threading
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

import briefing_routes
from components.briefing import briefing, charts_of, css_string, page_counter_css
from components.formatting import count, day, money, percent
from components.i18n import t
from components.presentation import deck_view
from data_access import get_session
from data_access.core.scope import Area
from data_access.demo_accounts import DEMO_PASSWORD
from data_access.geography import city_by_code, district_options
from data_access.presentation import deck
from pdf_text import radical_equivalents, rewrite_cmap
from tests.browser import DEMO_TODAY, demo_app, require_chromium, seeded_demo_url
from tests.test_auth import sign_in

A4_POINTS = (595.28, 841.89)  # 210 × 297 mm


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    server = demo_app(seeded_demo_url(Path(tmp_path_factory.mktemp("briefing"))))
    yield server
    server.extensions["db_engine"].dispose()


def client_as(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    assert sign_in(client, username, DEMO_PASSWORD).status_code == 302
    return client


def pdf_text(data: bytes) -> tuple[str, list[tuple[float, float]]]:
    """The PDF's text with all white space removed (lines and table cells break anywhere), and its page sizes."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=True)
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    return "".join("".join(p.extract_text() for p in reader.pages).split()), sizes


def squeeze(text: str) -> str:
    return "".join(text.split())


def api(client: FlaskClient, query: str) -> dict:  # type: ignore[type-arg]
    r = client.get(f"/api/v1/indicators?{query}")
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.json  # type: ignore[return-value]


def fen(yuan: str) -> int:
    return int(Decimal(yuan) * 100)


def assert_valid_pdf(r) -> tuple[str, list[tuple[float, float]]]:  # type: ignore[no-untyped-def]
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    assert r.mimetype == "application/pdf"
    assert r.data.startswith(b"%PDF-")
    text, sizes = pdf_text(r.data)
    assert sizes, "no pages"
    for width, height in sizes:
        assert abs(width - A4_POINTS[0]) < 1.5 and abs(height - A4_POINTS[1]) < 1.5, (width, height)
    # Copied text is the text written: no Kangxi / supplement radicals in place of 月 日 用 … (pdf_text.py)
    assert not re.search("[\u2e80-\u2fdf]", text), "radicals in the text layer"
    return text, sizes


def headline_figures(body: dict, lang: str) -> dict[str, str]:  # type: ignore[type-arg]
    """The API's headline figures as the briefing words them (the deck's formatting: 万/亿, percentages)."""
    fund, lifts = body["fund"], body["elevators"]
    return {
        "deposits": money(fen(fund["deposits_total_yuan"]), lang),
        "used": money(fen(fund["used_yuan"]), lang),
        "usage": percent(Decimal(fund["usage_rate"]), lang, 2),
        "value_added_income": money(fen(fund["value_added_income_yuan"]), lang),
        "insured": count(lifts["insured"], lang),
        "coverage": percent(Decimal(lifts["coverage_rate"]), lang),
        "complaints": count(body["complaints"]["elevator_work_orders"], lang),
        "resolved": count(body["red_property"]["council_items_resolved"], lang),
        "projects": count(body["red_property"]["accepted_projects"], lang),
        "as_of": day(date.fromisoformat(body["as_of"]), lang),
    }


# --------------------------------------------------------------------------- the PDF (Chromium)


@pytest.mark.browser
def test_leader_briefing_is_an_a4_pdf_quoting_the_api(app: Flask) -> None:
    require_chromium()
    client = client_as(app, "zhuzhou")
    r = client.get("/briefing.pdf?city=zhuzhou&year=2026")
    text, sizes = assert_valid_pdf(r)
    assert len(sizes) >= 5  # a cover with the headline, then a page per slide
    assert "figures;dur=" in r.headers["Server-Timing"]  # made now, not from the cache
    assert r.headers["Content-Disposition"].startswith('inline; filename="briefing-zhuzhou-2026-11-23.pdf"')
    assert "filename*=UTF-8''" in r.headers["Content-Disposition"]
    body = api(client, "year=2026&city=zhuzhou")
    assert body["demo_data"] is True
    for what, figure in headline_figures(body, "zh").items():
        assert squeeze(figure) in text, f"{what} {figure!r} not in the briefing"
    assert squeeze(t("present.demo", "zh")) in text  # the demo mark (on every page, and on every figure)
    assert text.count(squeeze(t("present.demo", "zh"))) >= len(sizes)
    assert squeeze(t("briefing.as_of", "zh", date=day(DEMO_TODAY, "zh"))) in text
    assert "株洲市" in text and "湘潭市" not in text  # the city's own deck
    for n in range(1, len(sizes) + 1):  # the footer numbers every page
        assert squeeze(t("briefing.page", "zh", n=n, total=len(sizes))) in text
    for key in ("present.s.fund", "present.s.coverage", "present.s.complaints", "present.s.red"):
        assert squeeze(t(key, "zh")) in text  # the deck's slides, in print

    launches = briefing_routes.PRINTER.launches
    again = client.get("/briefing.pdf?city=zhuzhou&year=2026")
    assert again.status_code == 200 and again.data == r.data  # the same briefing, from the cache
    assert "Server-Timing" not in again.headers
    assert briefing_routes.PRINTER.launches == launches


@pytest.mark.browser
def test_press_downloads_a_city_briefing_in_english(app: Flask) -> None:
    require_chromium()
    client = client_as(app, "press")
    r = client.get("/briefing.pdf?city=xiangtan&year=2025&lang=en")
    text, _ = assert_valid_pdf(r)
    body = api(client, "year=2025&city=xiangtan")
    figures = headline_figures(body, "en")
    for what in ("value_added_income", "coverage", "complaints", "insured", "as_of"):
        assert squeeze(figures[what]) in text, f"{what} {figures[what]!r} not in the briefing"
    assert squeeze(t("present.demo", "en")) in text
    assert "Xiangtan" in text and squeeze(t("briefing.kind", "en")) in text
    assert squeeze(t("briefing.as_of", "en", date="31 Dec 2025")) in text


@pytest.mark.browser
def test_district_briefing_shows_the_districts_figures(app: Flask) -> None:
    require_chromium()
    client = client_as(app, "province")
    with app.test_request_context("/"):
        city = city_by_code(get_session(), "zhuzhou")
        assert city is not None
        district = district_options(get_session(), city.id)[0]
    r = client.get(f"/briefing.pdf?city=zhuzhou&district={district.id}&year=2026")
    text, _ = assert_valid_pdf(r)
    body = api(client, f"year=2026&city=zhuzhou&district={district.name}")
    assert body["district"] == district.name
    figures = headline_figures(body, "zh")
    for what in ("coverage", "value_added_income", "complaints", "insured"):
        assert squeeze(figures[what]) in text, f"{what} {figures[what]!r} not in the district briefing"
    assert squeeze(f"株洲市 {district.name}") in text


# --------------------------------------------------------------------------- who gets nothing (no printing)


def test_signed_out_is_sent_to_sign_in(app: Flask) -> None:
    r = app.test_client().get("/briefing.pdf?city=zhuzhou&year=2026")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert not r.data.startswith(b"%PDF")


def test_another_citys_leader_gets_the_same_404_as_a_missing_city(app: Flask) -> None:
    client = client_as(app, "zhuzhou")
    other = client.get("/briefing.pdf?city=xiangtan&year=2026")
    missing = client.get("/briefing.pdf?city=atlantis&year=2026")
    assert other.status_code == missing.status_code == 404
    assert other.data == missing.data  # nothing tells a city that exists from one that does not
    assert t("briefing.err.city", "zh") in other.get_data(as_text=True)
    organiser = client_as(app, "organiser")  # 新桂都's organiser: Zhuzhou's compounds only
    assert organiser.get("/briefing.pdf?city=xiangtan&year=2026").status_code == 404


@pytest.mark.parametrize(
    ("query", "status", "key"),
    [
        ("city=zhuzhou&year=abc", 400, "briefing.err.year"),
        ("city=zhuzhou&year=2019", 400, "briefing.err.year"),  # before the reform
        ("city=zhuzhou&year=2099", 400, "briefing.err.year"),
        ("city=zhuzhou&year=20266", 400, "briefing.err.year"),
        ("city=zhuzhou&year=2026&year=2025", 400, "briefing.err.param"),
        ("city=zhuzhou&year=2026&format=docx", 400, "briefing.err.param"),
        ("city=zhuzhou&year=2026&lang=fr", 400, "briefing.err.lang"),
        ("city=zhuzhou&year=2026&district=abc", 404, "briefing.err.district"),
        ("city=zhuzhou&year=2026&district=999999", 404, "briefing.err.district"),
        ("city=%3Cscript%3E&year=2026", 404, "briefing.err.city"),
    ],
)
def test_bad_links_are_refused_in_the_ui_language(app: Flask, query: str, status: int, key: str) -> None:
    client = client_as(app, "province")
    r = client.get(f"/briefing.pdf?{query}")
    assert r.status_code == status
    page = r.get_data(as_text=True)
    assert r.mimetype == "text/html"
    assert "Traceback" not in page and "<script>" not in page
    assert t(key, "zh", first=2021, last=2026, names="format" if "format" in query else "year") in page


def test_a_refusal_speaks_the_links_language(app: Flask) -> None:
    r = client_as(app, "province").get("/briefing.pdf?city=zhuzhou&year=1999&lang=en")
    assert r.status_code == 400
    assert t("briefing.err.year", "en", first=2021, last=2026) in r.get_data(as_text=True)
    assert '<html lang="en">' in r.get_data(as_text=True)


def test_a_district_of_another_city_is_not_found(app: Flask) -> None:
    client = client_as(app, "province")
    with app.test_request_context("/"):
        xiangtan = city_by_code(get_session(), "xiangtan")
        assert xiangtan is not None
        district = district_options(get_session(), xiangtan.id)[0]
    assert client.get(f"/briefing.pdf?city=zhuzhou&district={district.id}&year=2026").status_code == 404
    leader = client_as(app, "zhuzhou")  # and no district reaches another city's figures for a city's leader
    assert leader.get(f"/briefing.pdf?district={district.id}&year=2026").status_code == 404


def test_a_printer_that_cannot_start_answers_503(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """A missing Chromium is a clear 503 in the UI language, never a 500, and nothing is cached."""
    printer = briefing_routes.Printer()
    monkeypatch.setattr(briefing_routes, "PRINTER", printer)
    monkeypatch.setitem(app.config, "CHROMIUM", "/nonexistent/chromium")
    try:
        r = client_as(app, "zhuzhou").get("/briefing.pdf?city=zhuzhou&year=2023")
        assert r.status_code == 503
        assert r.headers["Retry-After"]
        assert t("briefing.err.printer", "zh") in r.get_data(as_text=True)
    finally:
        printer.stop()


def test_one_briefing_is_made_at_a_time(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two leaders asking at once: the process makes one briefing after the other (the deck and the print), and
    both get theirs. The printer is replaced by a slow stand-in, so this needs no Chromium."""
    busy = threading.Lock()
    overlaps: list[bool] = []

    class SlowPrinter:
        def print_pdf(self, executable: str, shell: str, html: str, figures: list[dict]) -> bytes:  # type: ignore[type-arg]
            overlaps.append(not busy.acquire(blocking=False))
            try:
                time.sleep(0.3)
            finally:
                if not overlaps[-1]:
                    busy.release()
            return b"%PDF-1.4 stand-in"

    monkeypatch.setattr(briefing_routes, "PRINTER", SlowPrinter())
    answers: dict[int, int] = {}

    def ask(year: int) -> None:
        answers[year] = client_as(app, "province").get(f"/briefing.pdf?city=xiangtan&year={year}&lang=en").status_code

    threads = [threading.Thread(target=ask, args=(year,)) for year in (2021, 2022)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert answers == {2021: 200, 2022: 200}
    assert overlaps == [False, False]


# --------------------------------------------------------------------------- the layout (no printing)


def test_every_chart_and_table_is_numbered_dated_and_marked(app: Flask) -> None:
    with app.test_request_context("/"):
        city = city_by_code(get_session(), "zhuzhou")
        assert city is not None
        data = deck(get_session(), Area(city_id=city.id), 2026, DEMO_TODAY)
        slides = data.slides
        b = briefing(data, "zh")
        html = briefing_routes.render_html(b)
    charts = [c for s in b.sections for c in s.charts]
    tables = [tb for s in b.sections for tb in s.tables]
    assert len(charts) >= 7 and len(tables) >= 9
    assert [c.label for c in charts] == [t("briefing.figure", "zh", n=i + 1) for i in range(len(charts))]
    assert [tb.label for tb in tables] == [t("briefing.table", "zh", n=i + 1) for i in range(len(tables))]
    as_of = day(DEMO_TODAY, "zh")
    for caption in [c.caption for c in charts] + [tb.caption for tb in tables]:
        assert as_of in caption and t("present.demo", "zh") in caption
    # each chart is drawn into its own element, and no other element of the page has its id
    ids = [c["id"] for c in charts_of(b)]
    assert len(set(ids)) == len(ids)
    for element_id in ids:
        assert html.count(f'id="{element_id}"') == 1
    json.dumps(charts_of(b))  # the figures travel to the browser as JSON
    # nothing is fetched: no address, no external script, style or image
    assert not re.search(r"(src|href)=|https?://|@import|url\(", html)
    assert [s.number for s in b.sections] == list(range(1, len(slides) + 1))  # every slide is a section


def test_page_margin_text_is_escaped_css() -> None:
    assert css_string('a"b\\c</style>') == '"a\\22 b\\5c c\\3c /style\\3e "'
    assert page_counter_css("zh") == '"第 " counter(page) " 页，共 " counter(pages) " 页"'
    assert page_counter_css("en") == '"Page " counter(page) " of " counter(pages)'


def test_radicals_in_the_text_layer_become_the_ideographs_drawn() -> None:
    cmap = (
        b"/CIDInit /ProcSet findresource begin\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        b"2 beginbfchar\n<0003> <2F49>\n<0004> <0041>\nendbfchar\n"
        b"1 beginbfrange\n<0010> <0012> <2F47>\nendbfrange\n"
        b"1 beginbfrange\n<0020> <0021> [<2EDA> <2F3E>]\nendbfrange\nendcmap\n"
    )
    fixed = rewrite_cmap(cmap, {0x2F49: 0x6708, 0x2F47: 0x65E5, 0x2EDA: 0x9875, 0x2F3E: 0x6237})
    assert fixed is not None
    entries = dict(re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]+)>", fixed))
    assert entries[b"0003"] == b"6708"  # 月
    assert entries[b"0004"] == b"0041"
    # a range counts on from its first radical: 日 ⽈ ⽉, each replaced (⽈ by NFKC without a font equivalent: 曰)
    assert (entries[b"0010"], entries[b"0011"], entries[b"0012"]) == (b"65E5", b"66F0", b"6708")
    assert entries[b"0020"] == b"9875" and entries[b"0021"] == b"6237"  # 页, and 户 (not NFKC's traditional 戶)
    assert rewrite_cmap(b"1 beginbfchar\n<0003> <6708>\nendbfchar\n", {}) is None  # nothing to fix
    equivalents = radical_equivalents()
    if equivalents:  # with Debian's fonts-noto-cjk: the simplified face draws ⼾ as 户
        assert equivalents[0x2F3E] == 0x6237 and equivalents[0x2F49] == 0x6708


def _deck_figures(node: object) -> dict[str, dict]:  # type: ignore[type-arg]
    """Every dcc.Graph's figure in a component tree, by the graph's id."""
    found: dict[str, dict] = {}  # type: ignore[type-arg]
    if hasattr(node, "to_plotly_json"):
        node = node.to_plotly_json()
    if isinstance(node, dict):
        props = node.get("props", {})
        if node.get("type") == "Graph":
            found[props["id"]] = props["figure"]
        for value in node.values():
            found |= _deck_figures(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            found |= _deck_figures(value)
    return found


def _words(value: object) -> object:
    """A chart's labels without their line breaks (a bar's label wraps to the width it has)."""
    if isinstance(value, list):
        return [_words(v) for v in value]
    return " ".join(value.replace("<br>", " ").split()) if isinstance(value, str) else value


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_briefing_prints_the_decks_charts(app: Flask, lang: str) -> None:
    """One chart, two media (components/presentation_charts.py): the briefing's bars, lines, labels and colours are
    the slide's, only sized for paper; a catalogue line break ("|") never reaches a label as a character."""
    with app.test_request_context("/"):
        city = city_by_code(get_session(), "zhuzhou")
        assert city is not None
        data = deck(get_session(), Area(city_id=city.id), 2026, DEMO_TODAY)
    slides = _deck_figures(deck_view(data, lang))
    paper = briefing(data, lang)
    printed = {c["id"]: c for c in charts_of(paper)}
    cells = [cell for s in paper.sections for tb in s.tables for row in [tb.head, *tb.rows] for cell in row]
    assert not [cell for cell in cells if "|" in cell]  # a table cell holds a chart's label on one line
    pairs = {
        "present-fund-chart": "briefing-fund-usage",
        "present-coverage-chart": "briefing-coverage",
        "present-complaints-chart": "briefing-complaints",
        "present-service-chart": "briefing-service",
        "present-rescue-chart": "briefing-rescue",
        "present-repair-chart": "briefing-repair",
        "present-red-chart": "briefing-red",
    }
    assert set(pairs) <= set(slides) and set(pairs.values()) <= set(printed)
    for slide_id, printed_id in pairs.items():
        on_slide, on_paper = slides[slide_id]["data"], printed[printed_id]["data"]
        assert len(on_slide) == len(on_paper), slide_id
        for a, b in zip(on_slide, on_paper, strict=True):
            for key in ("type", "x", "y", "text", "name", "orientation"):
                assert _words(a.get(key)) == _words(b.get(key)), (slide_id, key)  # lines break where each fits
            assert a.get("marker", {}).get("color") == b.get("marker", {}).get("color"), slide_id
        assert slides[slide_id]["layout"]["font"]["size"] > printed[printed_id]["layout"]["font"]["size"]
    labels = json.dumps([[trace.get("x"), trace.get("y")] for c in printed.values() for trace in c["data"]])
    assert "|" not in labels
