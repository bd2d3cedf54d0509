"""Printing an indicator page: Chromium's own print to PDF (Playwright's page.pdf(), the engine behind Ctrl+P) of
/elevators is an A4 document of the page's figures, without the navbar, the sign-out button, the filters or the
charts' mode bars; its charts fit the sheet and its grid prints the rows of the pager's page.

The PDF's text is read by a small reader fitted to Chromium's (Skia's) PDF output (no PDF library is a
dependency): compressed content streams, fonts with ToUnicode maps."""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, ConsoleWatch, LiveServer, demo_app, require_chromium, seeded_demo_url
from tests.browser import serve as serve_app
from tests.test_browser_overview import sign_in

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

A4_POINTS = (595, 842)  # 210 × 297 mm
# The widest the page may be laid out for an A4 sheet without Chromium shrinking it to fit: 186 mm of content
# (print.css's 12 mm margins) at 96 px an inch is 703 px. A grid or chart wider than that made it lay the page out
# at 1,009 px and print everything at 70 %.
SHEET_PX = 710


# --------------------------------------------------------------------------- a PDF's text

_OBJECT = re.compile(rb"(\d+)\s+0\s+obj\b(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*)\r?\nendstream", re.S)


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Each object's dictionary and its stream (inflated when it is Flate-compressed)."""
    found: dict[int, tuple[bytes, bytes | None]] = {}
    for match in _OBJECT.finditer(data):
        body = match.group(2)
        stream = _STREAM.search(body)
        if stream is None:
            found[int(match.group(1))] = (body, None)
            continue
        head = body[: stream.start()]
        raw = stream.group(1)
        found[int(match.group(1))] = (head, zlib.decompress(raw) if b"/FlateDecode" in head else raw)
    return found


def _utf16(hexes: bytes) -> str:
    return bytes.fromhex(hexes.decode()).decode("utf-16-be", "replace")


def _to_unicode(cmap: bytes) -> dict[int, str]:
    """A ToUnicode CMap: glyph code → text."""
    table: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(code, 16)] = _utf16(text)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)", block):
            first, last = int(lo, 16), int(hi, 16)
            if dst.startswith(b"["):
                for i, text in enumerate(re.findall(rb"<([0-9A-Fa-f]+)>", dst)):
                    table[first + i] = _utf16(text)
                continue
            start = bytes.fromhex(dst[1:-1].decode())
            for i in range(last - first + 1):
                value = int.from_bytes(start, "big") + i
                table[first + i] = value.to_bytes(len(start), "big").decode("utf-16-be", "replace")
    return table


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, NFKC-normalised (the fonts map some characters to their Kangxi radicals: ⽇ for 日)
    and without white space (each glyph is drawn on its own)."""
    objects = _objects(data)
    fonts: dict[int, tuple[int, dict[int, str]]] = {}  # font object → (hex digits a code, its ToUnicode)
    for number, (head, _) in objects.items():
        ref = re.search(rb"/ToUnicode\s+(\d+)\s+0\s+R", head)
        if ref:
            fonts[number] = (4 if b"/Type0" in head else 2, _to_unicode(objects[int(ref.group(1))][1] or b""))
    pages = []
    for head, _ in objects.values():
        if not re.search(rb"/Type\s*/Page\b", head):
            continue
        names = re.search(rb"/Font\s*<<(.*?)>>", head, re.S)
        by_name = {n: int(r) for n, r in re.findall(rb"/(\w+)\s+(\d+)\s+0\s+R", names.group(1))} if names else {}
        contents = re.search(rb"/Contents\s+(?:(\d+)\s+0\s+R|\[(.*?)\])", head, re.S)
        refs = []
        if contents:
            refs = (
                [int(contents.group(1))]
                if contents.group(1)
                else [int(r) for r in re.findall(rb"(\d+)\s+0\s+R", contents.group(2))]
            )
        text: list[str] = []
        for ref in refs:
            digits, table = 4, {}
            for op in re.finditer(
                rb"/(\w+)\s+[\d.]+\s+Tf|\[(.*?)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj", objects[ref][1] or b"", re.S
            ):
                if op.group(1) is not None:
                    digits, table = fonts.get(by_name.get(op.group(1), -1), (4, {}))
                    continue
                strings = re.findall(rb"<([0-9A-Fa-f]*)>", op.group(2)) if op.group(2) is not None else [op.group(3)]
                for hexes in strings:
                    text.extend(table.get(int(hexes[i : i + digits], 16), "") for i in range(0, len(hexes), digits))
        pages.append(re.sub(r"\s+", "", unicodedata.normalize("NFKC", "".join(text))))
    return pages


def compact(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# --------------------------------------------------------------------------- the live page


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = seeded_demo_url(Path(tmp_path_factory.mktemp("browser-print")))
    yield from serve_app(demo_app(url))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_chromium()
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


# The print layout's width, recorded when the print media query starts to hold (as print-fit.js reacts to it).
RECORD_PRINT_WIDTH = """() => {
    window.__printWidths = [];
    matchMedia('print').addEventListener('change', e => {
        if (e.matches) window.__printWidths.push(document.documentElement.clientWidth);
    });
}"""


def opened(browser: Any, live: LiveServer, path: str) -> tuple[Any, Any, ConsoleWatch]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    watch = ConsoleWatch()
    watch.attach(page)
    sign_in(page, live, "xiangtan")
    page.goto(live.url + path)
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=20_000)
    if page.locator(".ag-theme-alpine").count():
        page.locator(".ag-center-cols-container .ag-row").first.wait_for(timeout=20_000)
    page.wait_for_timeout(500)  # the last charts' first draw
    return context, page, watch


def test_elevators_prints_on_a4_without_navbar_or_toolbars(live: LiveServer, browser: Any) -> None:
    context, page, watch = opened(browser, live, "/elevators")
    nav_links = [t.strip() for t in page.locator(".hg-navbar .nav-link").all_inner_texts() if t.strip()]
    sign_out = page.locator("#sign-out").inner_text().strip()
    brand = page.locator(".hg-navbar .navbar-brand").inner_text().strip()
    # What prints besides the navbar: the page and the demo-data mark (whose 演示数据 contains the 演示 menu's word).
    main = compact(page.locator("main").inner_text() + page.locator("#demo-banner-slot").inner_text())
    title = compact(page.locator("#page-title").inner_text())
    # text_content: AG Grid skips rendering a grid out of view, so its innerText is empty
    first_compound = compact(page.locator("#elevators-grid .ag-cell[col-id='compound']").first.text_content() or "")
    screen_widths = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot')].map(g => g._fullLayout.width)"
    )
    page.evaluate(RECORD_PRINT_WIDTH)

    pdf = page.pdf(prefer_css_page_size=True, print_background=True)

    assert pdf.startswith(b"%PDF-")
    sizes = {
        tuple(round(float(v)) for v in m)
        for m in re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    }
    assert sizes and all(abs(w - A4_POINTS[0]) <= 2 and abs(h - A4_POINTS[1]) <= 2 for w, h in sizes), sizes
    pages = pdf_pages(pdf)
    text = "".join(pages)
    # What the page is about: its title, a chart (its title, axis ticks, source line), the grid's rows.
    assert title in text
    assert compact("投保覆盖率走势与目标") in text and "2025-01" in text and "来源:电梯登记" in text
    assert first_compound and first_compound in text
    # No navbar: its links (unless the page's own text or the demo mark says the same words), the account and
    # sign-out, the language switch; no filters.
    assert sign_out and compact(sign_out) not in text
    assert brand and compact(brand) not in text  # the navbar itself (on a sheet its links fold behind a toggler)
    assert "English" not in text
    for link in nav_links:
        if compact(link) not in main:
            assert compact(link) not in text, link
    assert "全部区县" not in text  # the district filter's value
    # Laid out at the sheet's width (nothing made Chromium shrink the page), and given back to the screen after.
    widths = page.evaluate("() => window.__printWidths")
    assert widths and max(widths) <= SHEET_PX, widths
    after = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')].map(g => g._fullLayout.width)")
    assert after == pytest.approx(screen_widths, abs=2)
    context.close()
    assert watch.errors == []


def test_print_media_hides_the_screen_furniture_and_fits_the_charts(live: LiveServer, browser: Any) -> None:
    """The same rules as the browser applies them on screen-sized print media: what is hidden, what stays, and
    every chart within its card."""
    context, page, watch = opened(browser, live, "/elevators")
    page.set_viewport_size({"width": 703, "height": 1000})
    page.emulate_media(media="print")
    page.wait_for_timeout(500)
    for hidden in (
        ".hg-navbar",
        "#sign-out",
        ".filter-bar",
        ".modebar-container",
        "#elevators-grid-csv",
        "#elevators-grid-xlsx",
    ):
        locator = page.locator(hidden)
        assert all(not locator.nth(i).is_visible() for i in range(locator.count())), hidden
    for shown in ("#page-title", "#demo-banner", "#elevators-coverage-chart .main-svg", "#elevators-grid .ag-row"):
        assert page.locator(shown).first.is_visible(), shown
    fits = page.evaluate(
        """() => [...document.querySelectorAll('.js-plotly-plot')].map(g => [g._fullLayout.width,
            g.closest('.card-body').getBoundingClientRect().width])"""
    )
    assert fits and all(chart <= card for chart, card in fits), fits
    context.close()
    assert watch.errors == []


@pytest.mark.parametrize("path", ["/", "/funds", "/complaints", "/red-property", "/insurance-value"])
def test_every_indicator_page_prints_at_the_sheet_width(live: LiveServer, browser: Any, path: str) -> None:
    context, page, watch = opened(browser, live, path)
    page.evaluate(RECORD_PRINT_WIDTH)
    text = "".join(pdf_pages(page.pdf(prefer_css_page_size=True)))
    widths = page.evaluate("() => window.__printWidths")
    assert widths and max(widths) <= SHEET_PX, widths
    assert compact(page.locator("#page-title").inner_text()) in text
    assert compact(page.locator("#sign-out").inner_text()) not in text
    context.close()
    assert watch.errors == []
