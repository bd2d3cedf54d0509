"""GET /briefing.pdf?city=CODE&year=YYYY[&district=ID][&lang=zh|en]: the /present deck as an A4 PDF briefing.

Who may have it: every signed-in role, the press included, for the areas its account may see — exactly the /present
deck's rule (pages/present.py, `roles=ALL_ROLES`, narrowed by `Viewer.area_for`): the deck holds aggregate figures and
published council outcomes only. A city the account may not see answers 404, the same as a city that does not exist,
so the answer tells nothing about other cities. Signed out: the gate (auth.py) sends a browser to sign-in.

How it is made — the engine, and why:
- The content is `data_access.presentation.deck` (the deck /present shows, from the pages' own cached assemblers),
  laid out for paper by components/briefing.py and templates/briefing.html, rendered here by Jinja.
- The PDF is printed by headless Chromium (Debian's /usr/bin/chromium, which `make system-deps` already installs for
  the browser tests) through Playwright, from that HTML handed over whole with `page.set_content`: Chromium loads
  nothing and never signs in. The charts are drawn by plotly.js inside the same Chromium (the app's own partial
  bundle, assets/01-plotly-cartesian-*.min.js, inlined), so a chart in the briefing is drawn by the same code as on
  the pages, as vector SVG, and nothing else is needed: no kaleido (a second headless browser) and no second layout
  engine. WeasyPrint was the alternative: it cannot run plotly.js, so every chart would have needed kaleido too.
  Chinese type is Noto Sans CJK SC from Debian's fonts-noto-cjk (`make system-deps`), found by Chromium through
  fontconfig.
- Cost: one Chromium per process, started on the first briefing and owned by one thread of its own (Playwright's
  sync API belongs to the thread that started it), closed after IDLE_SECONDS without work. So at most one PDF is
  printed at a time per process, and requests wait for the lock (BUSY_SECONDS at most, then 503 with Retry-After).
- A finished PDF is kept in the result cache (data_access/cache.py: in-process, or Redis shared by all workers)
  under the area, year, today, language and the data set's generation plus the council generation — the deck's own
  key — so a second request is served at once, and any new data (a seed, an import, a council write) makes a new
  one.
"""

from __future__ import annotations

import atexit
import logging
import queue
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, current_app, render_template, request
from markupsafe import Markup

from auth import current_lang, current_viewer
from components.briefing import Briefing, briefing, charts_of, css_string, page_counter_css
from components.i18n import Lang, t
from data_access import get_session
from data_access.cache import data_generation
from data_access.core.dataset import council_generation
from data_access.core.scope import Area
from data_access.geography import CityRow, city_by_code, district_city_id, district_options, list_cities
from data_access.presentation import FIRST_YEAR, deck
from data_access.users import AccessDenied, Viewer
from pages._common import today
from pdf_text import fix_copied_text

log = logging.getLogger("housing.briefing")
bp = Blueprint("briefing", __name__)

ROOT = Path(__file__).resolve().parent
ARGS = ("city", "district", "year", "lang")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--font-render-hinting=none",  # glyph outlines as designed: print is not a screen
]
PRINT_TIMEOUT_MS = 30_000  # one step of Chromium (set_content, drawing, printing); a city briefing takes ~1 s
BUSY_SECONDS = 60.0  # how long a request waits for this process's printer before answering 503
IDLE_SECONDS = 600.0  # a Chromium without work for this long is closed (its memory returned)
RETRY_AFTER_SECONDS = 10


# --------------------------------------------------------------------------- reading the link


class Refusal(Exception):
    """A link the briefing cannot answer: its status (400 bad input, 404 no such place for this viewer) and the
    message, in the UI language."""

    def __init__(self, status: int, message: str, lang: Lang) -> None:
        super().__init__(message)
        self.status, self.message, self.lang = status, message, lang


@dataclass(frozen=True)
class Wanted:
    area: Area
    code: str  # the city's code, or "province"
    year: int
    lang: Lang


def read_link(args: Any, viewer: Viewer, lang: Lang) -> Wanted:
    """The area, year and language a link asks for, narrowed to the viewer; a Refusal for anything else.

    Unknown and repeated arguments are refused (400), as are a year outside FIRST_YEAR..this year and a language other
    than zh/en. A city that does not exist, or that the viewer may not see, is the same 404; so is a district that is
    not the city's."""
    now = today()
    bad = sorted({k for k in args if k not in ARGS} | {k for k in ARGS if len(args.getlist(k)) > 1})
    if bad:
        raise Refusal(400, t("briefing.err.param", lang, names=", ".join(bad)), lang)
    raw_lang = args.get("lang")
    if raw_lang is not None:
        if raw_lang not in ("zh", "en"):
            raise Refusal(400, t("briefing.err.lang", lang), lang)
        lang = "en" if raw_lang == "en" else "zh"
    raw_year = args.get("year")
    year = now.year
    if raw_year is not None:
        if not re.fullmatch(r"[0-9]{4}", raw_year) or not FIRST_YEAR <= int(raw_year) <= now.year:
            raise Refusal(400, t("briefing.err.year", lang, first=FIRST_YEAR, last=now.year), lang)
        year = int(raw_year)
    session = get_session()
    code = args.get("city") or None
    city: CityRow | None = None
    if code is not None and code != "province":
        city = city_by_code(session, code)
        if city is None:
            raise Refusal(404, t("briefing.err.city", lang), lang)
    raw_district = args.get("district") or None
    district: int | None = None
    if raw_district is not None:
        if not re.fullmatch(r"[0-9]{1,9}", raw_district):
            raise Refusal(404, t("briefing.err.district", lang), lang)
        district = int(raw_district)
        city_id = district_city_id(session, district)
        if city_id is None or (city is not None and city.id != city_id):
            raise Refusal(404, t("briefing.err.district", lang), lang)
        city = city or next(c for c in list_cities(session) if c.id == city_id)
    try:
        area = viewer.area_for(city.id if city else None)
    except AccessDenied:
        raise Refusal(404, t("briefing.err.city", lang), lang) from None
    if district is not None and area.city_id is not None:
        if district not in {d.id for d in district_options(session, area.city_id)}:
            raise Refusal(404, t("briefing.err.district", lang), lang)
        area = Area(city_id=area.city_id, district_id=district)
    code = next((c.code for c in list_cities(session) if c.id == area.city_id), "province")
    return Wanted(area, code, year, lang)


# --------------------------------------------------------------------------- the printer


class PrintFailed(RuntimeError):
    """Chromium could not make the PDF (missing, crashed, timed out, or the page's charts failed)."""


# The page every briefing is printed in: plotly.js (parsed once per browser, ~0.5 s) and the function that takes a
# briefing's document (its <style>s, title, language and body; its own scripts never run) and draws its charts.
SHELL_SCRIPT = """
window.printBriefing = function (html, figures) {
  document.querySelectorAll(".js-plotly-plot").forEach(function (gd) { Plotly.purge(gd); });
  var doc = new DOMParser().parseFromString(html, "text/html");
  document.documentElement.lang = doc.documentElement.lang;
  document.title = doc.title;
  document.getElementById("briefing-style").textContent =
    Array.from(doc.querySelectorAll("style")).map(function (s) { return s.textContent; }).join("\\n");
  document.body.replaceChildren.apply(
    document.body, Array.from(doc.body.childNodes).map(function (n) { return document.importNode(n, true); }));
  var config = { staticPlot: true, displayModeBar: false, responsive: false };
  return Promise.all(figures.map(function (f) {
    var gd = document.getElementById(f.id);
    if (!gd || !gd.classList.contains("briefing-plot")) { throw new Error("no chart element " + f.id); }
    return Plotly.newPlot(gd, f.data, f.layout, config);
  }))
    .then(function () { return document.fonts.ready; })
    .then(function () { return figures.length; });
};
"""


@dataclass
class _Job:
    executable: str
    shell: str  # the printing page (plotly.js inlined), used when a browser starts
    html: str
    figures: list[dict[str, Any]]
    done: threading.Event = field(default_factory=threading.Event)
    result: bytes | None = None
    error: BaseException | None = None


class Printer:
    """One headless Chromium for this process, driven by one thread of its own.

    Playwright's sync API belongs to the thread that started it, and a web server answers each request on a thread
    of its own, so the browser lives in a worker thread that takes print jobs from a queue, one at a time: that
    bounds the process to one PDF in progress, and the browser's launch and plotly.js's parse (~1 s together) are
    paid once, not per PDF. A job that fails closes the browser; the next one launches a fresh one. After
    IDLE_SECONDS without work the browser and Playwright's driver stop (their memory returned) and the thread ends;
    the next job starts them again."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._guard = threading.Lock()
        self.launches = 0  # for tests and the benchmark: how often a browser was started

    def print_pdf(self, executable: str, shell: str, html: str, figures: list[dict[str, Any]]) -> bytes:
        job = _Job(executable, shell, html, figures)
        with self._guard:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="briefing-printer", daemon=True)
                self._thread.start()
            self._jobs.put(job)
        if not job.done.wait(PRINT_TIMEOUT_MS / 1000 * 4):
            raise PrintFailed("the printer did not answer in time")
        if job.error is not None:
            raise PrintFailed(f"{type(job.error).__name__}: {job.error}") from job.error
        assert job.result is not None
        return job.result

    def stop(self) -> None:
        """End the worker (at exit): it closes the browser and the driver."""
        with self._guard:
            thread = self._thread
            if thread is not None and thread.is_alive():
                self._jobs.put(None)
        if thread is not None:
            thread.join(timeout=10)

    def _work(self) -> None:
        from playwright.sync_api import sync_playwright  # a runtime dependency (pyproject), imported when first used

        try:
            playwright = sync_playwright().start()
        except BaseException as exc:  # no driver: the waiting requests are answered now, not after a timeout
            with self._guard:
                self._thread = None
                while not self._jobs.empty():
                    waiting = self._jobs.get_nowait()
                    if waiting is not None:
                        waiting.error = exc
                        waiting.done.set()
            return
        browser: Any = None
        page: Any = None
        try:
            while True:
                try:
                    job = self._jobs.get(timeout=IDLE_SECONDS)
                except queue.Empty:
                    with self._guard:  # idle: end, unless a job arrived meanwhile
                        if self._jobs.empty():
                            self._thread = None
                            return
                    continue
                if job is None:
                    return
                try:
                    if browser is None or not browser.is_connected():
                        browser = playwright.chromium.launch(executable_path=job.executable, args=CHROMIUM_ARGS)
                        self.launches += 1
                        page = _shell_page(browser, job.shell)
                    job.result = _render(page, job)
                except BaseException as exc:  # reported to the waiting request; the next job gets a new browser
                    job.error = exc
                    _close_quietly(browser)
                    browser = page = None
                finally:
                    job.done.set()
        finally:
            _close_quietly(browser)
            try:
                playwright.stop()
            except Exception as exc:  # the driver may already be gone at exit
                log.debug("stopping Playwright: %s", exc)


def _close_quietly(browser: Any) -> None:
    if browser is None:
        return
    try:
        browser.close()
    except Exception as exc:  # a crashed browser cannot be closed; it is replaced anyway
        log.warning("closing Chromium: %s", exc)


def _shell_page(browser: Any, shell: str) -> Any:
    """The page briefings are printed in: offline, every request refused (nothing is fetched, ever), plotly.js in."""
    context = browser.new_context(offline=True, java_script_enabled=True)
    page = context.new_page()
    page.set_default_timeout(PRINT_TIMEOUT_MS)
    page.route("**/*", lambda route: route.abort())
    page.set_content(shell, wait_until="load")
    return page


def _render(page: Any, job: _Job) -> bytes:
    """The briefing laid into the page, its charts drawn by plotly.js, printed to A4 (page size, margins, running
    header and footer from the document's @page rules)."""
    page.evaluate("([html, figures]) => window.printBriefing(html, figures)", [job.html, job.figures])
    pdf: bytes = page.pdf(
        format="A4",
        prefer_css_page_size=True,
        print_background=True,
        tagged=True,  # a structured PDF: screen readers and text extraction read it in order
        outline=True,  # the section headings as the PDF's bookmarks
    )
    return pdf


PRINTER = Printer()
atexit.register(PRINTER.stop)
_ONE_AT_A_TIME = threading.Lock()  # one briefing made at a time per process (the deck and the print)


# --------------------------------------------------------------------------- the route


def _shell() -> str:
    """The printing page with the app's own plotly.js bundle (the pages' partial build) inlined; read once per
    process."""
    cached: str | None = current_app.extensions.get("briefing_shell")
    if cached is None:
        bundle = sorted((ROOT / "assets").glob("01-plotly-*.min.js"))[-1]
        plotly_js = bundle.read_text(encoding="utf-8").replace("</script", "<\\/script")
        cached = (
            '<!doctype html><html><head><meta charset="utf-8"><style id="briefing-style"></style>'
            f"<script>{plotly_js}</script><script>{SHELL_SCRIPT}</script></head><body></body></html>"
        )
        current_app.extensions["briefing_shell"] = cached
    return cached


def render_html(b: Briefing) -> str:
    """The briefing's document (styles and body; the charts are drawn into it by the printing page)."""
    return render_template(
        "briefing.html",
        b=b,
        html_lang=b.html_lang,
        bad_news=t("briefing.bad_news", b.lang),
        css=lambda text: Markup(css_string(text)),
        page_counter=Markup(page_counter_css(b.lang)),
        t=lambda key, **kw: t(key, b.lang, **kw),
    )


def _refused(status: int, message: str, lang: Lang, retry: bool = False) -> tuple[str, int, dict[str, str]]:
    html = render_template(
        "briefing.html",
        b=None,
        error=message,
        html_lang="en" if lang == "en" else "zh-CN",
        t=lambda key, **kw: t(key, lang, **kw),
    )
    headers = {"Cache-Control": "no-store"}
    if retry:
        headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return html, status, headers


def _cache() -> Any:
    return current_app.extensions.get("result_cache")


def _key(wanted: Wanted) -> str:
    session = get_session()
    generation = f"{data_generation(session)}+{council_generation(session)}"
    a = wanted.area
    return f"briefing.pdf:{generation}:{a.city_id}:{a.district_id}:{wanted.year}:{today().isoformat()}:{wanted.lang}"


@dataclass(frozen=True)
class Made:
    """A printed briefing as the cache keeps it: the PDF and its file names (the UI language's, and plain ASCII for
    clients that do not read RFC 5987 names)."""

    pdf: bytes
    name: str
    ascii_name: str


@dataclass(frozen=True)
class Timing:
    """What a briefing took to make: the figures (the deck, and the HTML), and the print (drawing and the PDF)."""

    figures: float
    printing: float


def _pdf_response(made: Made, timing: Timing | None) -> Response:
    response = Response(made.pdf, mimetype="application/pdf")
    quoted = urllib.parse.quote(made.name, safe="")
    response.headers["Content-Disposition"] = f"inline; filename=\"{made.ascii_name}\"; filename*=UTF-8''{quoted}"
    response.headers["Cache-Control"] = "private, no-store"
    if timing is not None:  # how long it took to make (absent: served from the cache); bench/briefing_bench.py
        response.headers["Server-Timing"] = (
            f"figures;dur={timing.figures * 1000:.0f}, print;dur={timing.printing * 1000:.0f},"
            f" briefing;dur={(timing.figures + timing.printing) * 1000:.0f}"
        )
    return response


@bp.get("/briefing.pdf")
def briefing_pdf() -> Response | tuple[str, int, dict[str, str]]:
    """The briefing of the link's area and year for the signed-in viewer, from the cache or printed now."""
    lang = current_lang()
    viewer = current_viewer()
    if viewer is None:  # the gate redirects a signed-out browser first; this is the answer to anything else
        return _refused(401, t("login.need", lang), lang)
    try:
        wanted = read_link(request.args, viewer, lang)
    except Refusal as refusal:
        return _refused(refusal.status, refusal.message, refusal.lang)
    lang = wanted.lang
    cache = _cache()
    key = _key(wanted)
    hit: Made | None = cache.get(key) if cache is not None else None
    if hit is not None:
        return _pdf_response(hit, None)
    if not _ONE_AT_A_TIME.acquire(timeout=BUSY_SECONDS):
        return _refused(503, t("briefing.err.busy", lang), lang, retry=True)
    try:
        hit = cache.get(key) if cache is not None else None  # made by the request this one waited for
        if hit is not None:
            return _pdf_response(hit, None)
        started = time.perf_counter()
        data = deck(get_session(), wanted.area, wanted.year, today())
        b = briefing(data, lang)
        html = render_html(b)
        laid_out = time.perf_counter()
        try:
            pdf = fix_copied_text(PRINTER.print_pdf(current_app.config["CHROMIUM"], _shell(), html, charts_of(b)))
        except PrintFailed as exc:
            log.error("briefing of %s for %s not printed: %s", wanted.area, wanted.year, exc)
            return _refused(503, t("briefing.err.printer", lang), lang, retry=True)
        timing = Timing(laid_out - started, time.perf_counter() - laid_out)
        log.info(
            "briefing of %s for %s (%s): %d bytes in %.2f s (figures %.2f s, print %.2f s)",
            wanted.area,
            wanted.year,
            lang,
            len(pdf),
            timing.figures + timing.printing,
            timing.figures,
            timing.printing,
        )
        place = f"{wanted.code}-{wanted.area.district_id}" if wanted.area.district_id else wanted.code
        made = Made(pdf, f"{b.file_stem}.pdf", f"briefing-{place}-{data.as_of.isoformat()}.pdf")
        if cache is not None:
            cache.set(key, made)
        return _pdf_response(made, timing)
    finally:
        _ONE_AT_A_TIME.release()


def init_app(server: Flask) -> None:
    server.register_blueprint(bp)
