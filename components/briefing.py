"""The printed briefing (/briefing.pdf): a `Deck` (data_access/presentation.py) laid out for A4 paper.

Why a module of its own beside components/presentation.py: the deck's slides are Dash components sized for a
1920×1080 screen read from the back of a room, the briefing is paper read at arm's length and quoted from. So the
content is the deck's — the same slides in the same order, the same finding sentences (`finding_text`), the same
section titles and figure words — but each section is laid out for a page: the slide's findings as sentences, its
chart(s) drawn at print size, and a table of the figures behind them that a journalist can quote exactly. Every
chart and table carries its number, its as-of date and, where the figures are synthetic, the demo mark (a printed
page travels without the banner of the screen).

The output is plain data (`Briefing`: strings, and plotly figure dicts that plotly.js draws inside the printing
browser); templates/briefing.html lays it out and briefing_routes.py prints it. Nothing here touches Flask or the
database. Chinese money is in 万/亿 everywhere (formatting.money, axis_money_unit), never "k"; red marks bad news
only, as on the deck.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from components.formatting import axis_money_unit, count, day, money, percent, short_day
from components.i18n import t
from components.presentation import (
    GREY,
    INK,
    LIGHT,
    RED,
    SLATE,
    STEEL,
    change_text,
    demo_mark,
    finding_text,
    minutes_text,
    name,
    period_text,
    place_line,
)
from data_access.presentation import (
    Case,
    ComplaintsSlide,
    CouncilCase,
    CoverageSlide,
    Deck,
    Finding,
    FundSlide,
    HeadlineSlide,
    InsuranceCase,
    RedSlide,
    RescueSlide,
    ServiceSlide,
    Slide,
)

# Chart sizes in CSS pixels (96 per inch): an A4 page less the 16 mm side margins of the print is 673 px wide.
FULL_WIDTH, HALF_WIDTH = 664, 324
CHART_HEIGHT, HALF_HEIGHT = 250, 230
FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, sans-serif"  # Debian fonts-noto-cjk (make system-deps)
GRID = "#e3e7ec"
COLOURS = (SLATE, STEEL, "#8d6e63", "#5c6bc0")  # the deck's city lines


# --------------------------------------------------------------------------- what the template lays out


@dataclass(frozen=True)
class Line:
    """A finding as printed: the sentence and its tone (red for "bad" only)."""

    text: str
    tone: str


@dataclass(frozen=True)
class Chart:
    """A numbered chart: a plotly figure drawn by plotly.js in the printing browser, and its dated caption."""

    element_id: str
    label: str  # 图 3 / Figure 3
    title: str
    caption: str  # as of, and the demo mark where it applies
    figure: dict[str, Any]  # {"data": [...], "layout": {...}}: JSON-ready (floats, strings)
    half: bool = False  # two charts side by side


@dataclass(frozen=True)
class Table:
    """A numbered table of the figures behind a section: the first column names, the others are numbers (right)."""

    label: str
    title: str
    caption: str
    head: list[str]
    rows: list[list[str]]
    bad_rows: frozenset[int] = frozenset()  # rows that are bad news (red), by index
    text_columns: frozenset[int] = frozenset({0})  # left-aligned; the others are figures, right-aligned


@dataclass(frozen=True)
class Section:
    """One slide of the deck on paper."""

    anchor: str
    number: int
    title: str
    kicker: str | None  # where and when, where it is not the running header's: 株洲市 荷塘区 · 2026年…
    lines: list[Line]
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    tag: str | None = None  # a case: from the published reports, or chosen from the area


@dataclass(frozen=True)
class Briefing:
    """Everything templates/briefing.html prints, in the UI language."""

    lang: str
    html_lang: str
    doc_title: str
    kind: str  # 新闻简报
    title: str  # the deck's title (both reforms)
    subtitle: str
    place: str
    period: str
    as_of: str  # 数据截至 2026年11月23日
    as_of_day: str  # 2026年11月23日
    flows_note: str
    source: str
    footer: str  # the running footer's source line
    demo: str | None  # the demo mark, printed on every page; None: real data
    sections: list[Section]
    file_stem: str  # the download's name without .pdf


# --------------------------------------------------------------------------- numbering


class _Numbers:
    """Figures and tables are numbered through the document, as a report's are."""

    def __init__(self, deck: Deck, lang: str) -> None:
        self.figures = 0
        self.tables = 0
        dated = t("briefing.caption.as_of", lang, date=day(deck.as_of, lang))
        mark = demo_mark(deck, lang)
        self.caption = f"{t('briefing.source', lang, date=day(deck.as_of, lang))}" + (f" · {mark}" if mark else "")
        self.short_caption = dated + (f" · {mark}" if mark else "")
        self.lang = lang

    def chart(self, element_id: str, title: str, figure: dict[str, Any], half: bool = False) -> Chart:
        self.figures += 1
        label = t("briefing.figure", self.lang, n=self.figures)
        return Chart(element_id, label, title, self.caption, figure, half)

    def table(
        self,
        title: str,
        head: list[str],
        rows: list[list[str]],
        bad_rows: Iterable[int] = (),
        text_columns: Iterable[int] = (0,),
    ) -> Table:
        self.tables += 1
        label = t("briefing.table", self.lang, n=self.tables)
        return Table(label, title, self.short_caption, head, rows, frozenset(bad_rows), frozenset(text_columns))


# --------------------------------------------------------------------------- charts


def _layout(width: int, height: int, **extra: Any) -> dict[str, Any]:
    """A print chart's layout: white, the CJK font at a reading size, ticks kept clear of the labels."""
    layout: dict[str, Any] = {
        "width": width,
        "height": height,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {"family": FONT_FAMILY, "size": 11, "color": INK},
        "showlegend": False,
        "margin": {"l": 56, "r": 16, "t": 16, "b": 44},
    }
    for key, value in extra.items():
        layout[key] = value
    for axis in ("xaxis", "yaxis"):
        layout[axis] = {"ticks": "outside", "ticklen": 4, "tickcolor": "rgba(0,0,0,0)", **layout.get(axis, {})}
    return layout


def _figure(data: list[dict[str, Any]], layout: dict[str, Any]) -> dict[str, Any]:
    return {"data": data, "layout": layout}


def _f(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)


def _part_year(year: int, as_of: date) -> bool:
    return as_of.year == year and (as_of.month, as_of.day) != (12, 31)


def _year_label(year: int, as_of: date, lang: str) -> str:
    """A year on an axis; a part year says where it ends, so it is not read as a fall against whole years."""
    if _part_year(year, as_of):
        return t("present.c.part_year", lang, year=year, date=short_day(as_of, lang)).replace("|", "<br>")
    return str(year)


def fund_charts(s: FundSlide, lang: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fund year by year: the share of it used (the deck's chart) and the value-added income it earned, in
    万元/亿元; the part year light, so it is not read as a fall."""
    labels = [_year_label(y.year, y.summary.as_of, lang) for y in s.years]
    part = [_part_year(y.year, y.summary.as_of) for y in s.years]
    rates = [_f(y.summary.usage_rate) for y in s.years]
    top = max((r for r in rates if r is not None), default=0.01) or 0.01
    usage = _figure(
        [
            {
                "type": "bar",
                "x": labels,
                "y": rates,
                "marker": {"color": [GREY if p else SLATE for p in part]},
                "text": [percent(r, lang, 2) if r is not None else "" for r in rates],
                "textposition": "outside",
                "cliponaxis": False,
            }
        ],
        _layout(
            HALF_WIDTH,
            HALF_HEIGHT,
            yaxis={"tickformat": ".1%", "range": [0, top * 1.3], "gridcolor": GRID},
            xaxis={"type": "category", "tickangle": 0, "tickfont": {"size": 10}},
            margin={"l": 48, "r": 8, "t": 12, "b": 48},
        ),
    )
    incomes = [y.summary.value_added_income_in_year_fen for y in s.years]
    unit = axis_money_unit(max(incomes, default=0), lang)
    income = _figure(
        [
            {
                "type": "bar",
                "x": labels,
                "y": [unit.of(v) for v in incomes],
                "marker": {"color": [GREY if p else STEEL for p in part]},
                "text": [f"{unit.of(v):,.0f}" if v else "" for v in incomes],  # in the axis's unit
                "textposition": "outside",
                "cliponaxis": False,
            }
        ],
        _layout(
            HALF_WIDTH,
            HALF_HEIGHT,
            yaxis={
                "range": [0, max((unit.of(v) for v in incomes), default=1) * 1.3 or 1],
                "gridcolor": GRID,
                "tickformat": ",.0f",
                "title": {"text": unit.name, "font": {"size": 10}},
            },
            xaxis={"type": "category", "tickangle": 0, "tickfont": {"size": 10}},
            margin={"l": 56, "r": 8, "t": 12, "b": 48},
        ),
    )
    return usage, income


def coverage_chart(s: CoverageSlide, lang: str) -> dict[str, Any]:
    """Each city's coverage line with its targets as diamonds: a missed target is the one red thing on it."""
    data: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    several = sum(1 for p in s.programmes if p.line) > 1
    for n, p in enumerate(s.programmes):
        if not p.line:
            continue
        colour = COLOURS[n % len(COLOURS)]
        city = p.name if lang == "zh" else p.name_en
        pts = [pt for pt in p.line if pt.coverage_rate is not None]
        # The latest coverage by the city's name: at the line's end for one city; in the legend for several, whose
        # lines end close together (labels there would overlap).
        latest = f"{city} {percent(pts[-1].coverage_rate, lang)}" if pts else city
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": [pt.as_of.isoformat() for pt in pts],
                "y": [_f(pt.coverage_rate) for pt in pts],
                "line": {"color": colour, "width": 2.5},
                "marker": {"size": 5, "color": colour},
                "name": latest,
                "showlegend": several,
            }
        )
        if pts and not several:
            annotations.append(
                {
                    "x": pts[-1].as_of.isoformat(),
                    "y": _f(pts[-1].coverage_rate),
                    "text": latest,
                    "showarrow": False,
                    "xanchor": "left",
                    "xshift": 6,
                    "font": {"size": 11, "color": colour},
                }
            )
        for target in p.targets:
            bad = target.status == "missed"
            colour_t = RED if bad else INK
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "x": [target.due_on.isoformat()],
                    "y": [float(target.share)],
                    "marker": {"symbol": "diamond-open", "size": 11, "color": colour_t, "line": {"width": 2}},
                    "showlegend": False,
                }
            )
            # The label on the side away from the line: below a target the line passed, above one it fell short of.
            below = target.coverage is not None and target.coverage >= target.share
            annotations.append(
                {
                    "x": target.due_on.isoformat(),
                    "y": float(target.share),
                    "text": f"{city} " + t("present.c.target", lang, share=percent(target.share, lang, 0)),
                    "showarrow": False,
                    "xanchor": "left" if below else "center",
                    "xshift": 8 if below else 0,
                    "yanchor": "top" if below else "bottom",
                    "yshift": -8 if below else 8,
                    "font": {"size": 10, "color": colour_t},
                }
            )
    days = [pt.as_of for p in s.programmes for pt in p.line] + [tg.due_on for p in s.programmes for tg in p.targets]
    x_range = None
    if days:
        pad = timedelta(days=max((max(days) - min(days)).days // 25, 10))
        x_range = [(min(days) - pad).isoformat(), (max(days) + pad).isoformat()]
    return _figure(
        data,
        _layout(
            FULL_WIDTH,
            CHART_HEIGHT,
            yaxis={"tickformat": ".0%", "range": [0, 1.12], "gridcolor": GRID},
            xaxis={
                "type": "date",
                "tickformat": "%b %Y" if lang == "en" else "%Y年%-m月",
                "range": x_range,
                "tickangle": 0,
                "nticks": 7,
                "gridcolor": GRID,
            },
            annotations=annotations,
            showlegend=several,
            legend={"orientation": "h", "x": 0, "y": 1.1, "font": {"size": 11}},
            margin={"l": 48, "r": 16 if several else 110, "t": 28 if several else 16, "b": 36},
        ),
    )


def _rate_label(v: float | None) -> str:
    return "" if v is None else f"{v:.1f}"


def complaints_chart(s: ComplaintsSlide, lang: str) -> dict[str, Any]:
    """Insured compounds before and after their first policy beside never-insured ones over as many months."""
    groups = [t("present.c.insured", lang), t("present.c.never", lang)]
    before = [_f(s.insured.before_per_100), _f(s.never_insured.before_per_100)]
    after = [_f(s.insured.after_per_100), _f(s.never_insured.after_per_100)]
    after_colour = RED if s.findings and s.findings[0].tone == "bad" else SLATE
    top = max((v for v in before + after if v is not None), default=1.0) or 1.0
    data = [
        {
            "type": "bar",
            "x": groups,
            "y": before,
            "name": t("present.c.before", lang, months=s.months),
            "marker": {"color": GREY},
            "text": [_rate_label(v) for v in before],
            "textposition": "outside",
            "cliponaxis": False,
        },
        {
            "type": "bar",
            "x": groups,
            "y": after,
            "name": t("present.c.after", lang, months=s.months),
            "marker": {"color": after_colour},
            "text": [_rate_label(v) for v in after],
            "textposition": "outside",
            "cliponaxis": False,
        },
    ]
    return _figure(
        data,
        _layout(
            FULL_WIDTH,
            CHART_HEIGHT,
            barmode="group",
            bargap=0.35,
            showlegend=True,
            legend={"orientation": "h", "x": 0, "y": 1.12, "font": {"size": 11}},
            yaxis={"range": [0, top * 1.25], "gridcolor": GRID},
            margin={"l": 40, "r": 16, "t": 30, "b": 36},
        ),
    )


def service_chart(s: ServiceSlide, lang: str) -> dict[str, Any]:
    """Three service measures, insured against uninsured elevators, as shares of 100%."""
    measures = [
        ("present.c.service.response", s.insured.answered_30min_share, s.uninsured.answered_30min_share),
        ("present.c.service.major", s.insured.major_repaired_24h_share, s.uninsured.major_repaired_24h_share),
        ("present.c.service.visits", s.insured.visits_in_band_share, s.uninsured.visits_in_band_share),
    ]
    labels = [t(k, lang) for k, _, _ in measures]
    data = []
    for side, key, colour in ((1, "present.c.service.insured", SLATE), (2, "present.c.service.uninsured", GREY)):
        values = [_f(m[side]) for m in measures]  # type: ignore[arg-type]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "x": values,
                "name": t(key, lang),
                "marker": {"color": colour},
                "text": [percent(v, lang) if v is not None else "—" for v in values],
                "textposition": "outside",
                "cliponaxis": False,
            }
        )
    return _figure(
        data,
        _layout(
            FULL_WIDTH,
            CHART_HEIGHT,
            barmode="group",
            bargap=0.3,
            showlegend=True,
            legend={"orientation": "h", "x": 0, "y": 1.12, "font": {"size": 11}, "traceorder": "normal"},
            xaxis={"tickformat": ".0%", "range": [0, 1.18], "gridcolor": GRID},
            yaxis={"autorange": "reversed", "automargin": True},
            margin={"l": 16, "r": 16, "t": 30, "b": 32},
        ),
    )


def rescue_charts(s: RescueSlide, lang: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Arrival against the 30-minute limit (a dashed line; beyond it red), and repair cost per elevator-year in
    元/万元 (each bar labelled with its amount)."""
    r = s.rescue
    limit = float(s.limit_minutes)
    bars = [("present.c.rescue.median", r.arrival_median_minutes), ("present.c.rescue.mean", r.arrival_mean_minutes)]
    shown = [(t(k, lang), float(v)) for k, v in bars if v is not None]
    top = max([limit, *(v for _, v in shown)])
    rescue = _figure(
        [
            {
                "type": "bar",
                "orientation": "h",
                "y": [label for label, _ in shown],
                "x": [v for _, v in shown],
                "marker": {"color": [RED if v > limit else SLATE for _, v in shown]},
                "text": [minutes_text(Decimal(str(v)), lang) for _, v in shown],
                "textposition": "outside",
                "cliponaxis": False,
            }
        ],
        _layout(
            HALF_WIDTH,
            HALF_HEIGHT,
            xaxis={"range": [0, top * 1.35], "gridcolor": GRID},
            yaxis={"autorange": "reversed", "automargin": True},
            shapes=[
                {
                    "type": "line",
                    "x0": limit,
                    "x1": limit,
                    "yref": "paper",
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": INK, "dash": "dash", "width": 1.5},
                }
            ],
            annotations=[
                {
                    "x": limit,
                    "yref": "paper",
                    "y": 1.0,
                    "text": t("present.c.rescue.limit", lang),
                    "showarrow": False,
                    "yanchor": "bottom",
                    "font": {"size": 10},
                }
            ],
            margin={"l": 8, "r": 16, "t": 22, "b": 32},
        ),
    )
    rep = s.repair
    groups = [
        ("present.c.repair.insured", rep.insured.cost_per_elevator_year_fen),
        ("present.c.repair.before", rep.before_insuring.cost_per_elevator_year_fen),
        ("present.c.repair.never", rep.never_insured.cost_per_elevator_year_fen),
    ]
    # the long group names broken before their bracket ("已投保<br>（保险赔付）"): three fit side by side at half width
    costs = [(_wrap(t(k, lang)), v) for k, v in groups if v is not None]
    if not costs:
        return rescue, None
    unit = axis_money_unit(max(v for _, v in costs), lang)
    repair = _figure(
        [
            {
                "type": "bar",
                "x": [label for label, _ in costs],
                "y": [unit.of(v) for _, v in costs],
                "marker": {"color": [SLATE, GREY, STEEL][: len(costs)]},
                "text": [money(v, lang) for _, v in costs],
                "textposition": "outside",
                "cliponaxis": False,
            }
        ],
        _layout(
            HALF_WIDTH,
            HALF_HEIGHT,
            yaxis={
                "range": [0, max(unit.of(v) for _, v in costs) * 1.3],
                "gridcolor": GRID,
                "tickformat": ",.0f",
                "title": {"text": unit.name, "font": {"size": 10}},
            },
            xaxis={"tickfont": {"size": 10}, "tickangle": 0},
            margin={"l": 56, "r": 8, "t": 12, "b": 58},
        ),
    )
    return rescue, repair


def _wrap(label: str, width: int = 16) -> str:
    """A bar's label in lines that fit under it: a bracketed remark on a line of its own ("已投保<br>（保险赔付）"),
    and English words wrapped at about `width` characters."""
    lines = [label]
    for bracket in ("（", " ("):
        head, found, tail = label.partition(bracket)
        if found and head:
            lines = [head, f"{found.strip()}{tail}"]
            break
    wrapped: list[str] = []
    for line in lines:
        current = ""
        for word in line.split(" ") if " " in line else [line]:
            if current and len(current) + 1 + len(word) > width:
                wrapped.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        wrapped.append(current)
    return "<br>".join(wrapped)


def _quarter_end(year: int, quarter: int) -> date:
    return date(year, 12, 31) if quarter == 4 else date(year, 3 * quarter + 1, 1) - timedelta(days=1)


def quarters_chart(quarters: Sequence[Any], as_of: date, lang: str) -> dict[str, Any]:
    """Council meetings per quarter, last year and this; the running quarter light and labelled as partial."""
    labels, values, colours = [], [], []
    for q in quarters:
        partial = _quarter_end(q.year, q.quarter) > as_of
        key = "present.c.quarter_part" if partial else "present.c.quarter"
        labels.append(t(key, lang, year=q.year, q=q.quarter, date=short_day(as_of, lang)).replace("|", "<br>"))
        values.append(q.meetings)
        colours.append(LIGHT if partial else (SLATE if q.year == as_of.year else GREY))
    return _figure(
        [
            {
                "type": "bar",
                "x": labels,
                "y": values,
                "marker": {"color": colours, "line": {"color": STEEL, "width": 1}},
                "text": [count(v, lang) for v in values],
                "textposition": "outside",
                "cliponaxis": False,
            }
        ],
        _layout(
            FULL_WIDTH,
            CHART_HEIGHT,
            xaxis={"type": "category", "tickangle": 0, "tickfont": {"size": 10}},
            # whole meetings: a compound's few meetings get a tick per meeting, never 1.5
            yaxis={
                "range": [0, (max(values, default=0) or 1) * 1.25],
                "gridcolor": GRID,
                "dtick": 1 if max(values, default=0) <= 6 else None,
                "tickformat": ",d",
            },
            margin={"l": 44, "r": 8, "t": 12, "b": 60},
        ),
    )


def buildings_chart(s: InsuranceCase, lang: str) -> dict[str, Any] | None:
    """Each building's elevators, insured dark and the others light: which of them the pooled accounts pay for."""
    rows = [b for b in s.view.buildings if b.elevators]
    if not rows:
        return None
    many = len(rows) > 12  # numbers alone then, so that 31 buildings keep a readable size
    labels = [b.number if many else t("present.c.building", lang, n=b.number) for b in rows]
    data = [
        {
            "type": "bar",
            "x": labels,
            "y": [b.insured_elevators for b in rows],
            "name": t("present.c.insured_lifts", lang),
            "marker": {"color": SLATE},
        },
        {
            "type": "bar",
            "x": labels,
            "y": [b.elevators - b.insured_elevators for b in rows],
            "name": t("present.c.uninsured_lifts", lang),
            "marker": {"color": LIGHT},
        },
    ]
    return _figure(
        data,
        _layout(
            FULL_WIDTH,
            200,
            barmode="stack",
            bargap=0.25,
            showlegend=True,
            legend={"orientation": "h", "x": 0, "y": 1.16, "font": {"size": 11}, "traceorder": "normal"},
            xaxis={"type": "category", "tickangle": 0, "tickfont": {"size": 9 if many else 10}},
            yaxis={"dtick": 1 if max(b.elevators for b in rows) <= 6 else None, "gridcolor": GRID},
            margin={"l": 32, "r": 8, "t": 28, "b": 32},
        ),
    )


# --------------------------------------------------------------------------- the sections


def _lines(findings: Sequence[Finding], lang: str) -> list[Line]:
    return [Line(finding_text(f, lang), f.tone) for f in findings]


def _minutes(value: Decimal | None, lang: str) -> str:
    return minutes_text(value, lang)


def _share(value: Decimal | float | None, lang: str, digits: int = 1) -> str:
    return percent(value, lang, digits)


def headline_section(s: HeadlineSlide, deck: Deck, n: _Numbers, lang: str) -> Section:
    """The headline figures of both reforms (the overview's and the API's), and per city in a province deck."""
    f, c, comp, red = s.fund, s.coverage, s.complaints, s.red_property
    head = [t("briefing.col.figure", lang), t("briefing.col.value", lang), t("briefing.col.note", lang)]
    rows = [
        [
            t("present.k.deposits", lang),
            money(f.deposits_total_fen, lang),
            t("card.deposits.note", lang, balance=money(f.balance_fen, lang)),
        ],
        [t("briefing.col.used", lang), money(f.used_in_year_fen, lang), period_text(deck.period, lang)],
        [t("present.k.usage", lang), _share(f.usage_rate, lang, 2), t("present.c.usage", lang)],
        [t("present.k.vai", lang), money(f.value_added_income_in_year_fen, lang), period_text(deck.period, lang)],
        [t("present.k.insured", lang), t("present.u.elevators", lang, n=count(c.insured, lang)), ""],
        [
            t("present.k.coverage", lang),
            _share(c.coverage_rate, lang),
            t("present.k.applied", lang, n=count(c.eligible_applied, lang)),
        ],
        [
            t("present.k.complaints", lang),
            t("present.u.items", lang, n=count(comp.this_period, lang)),
            change_text(comp.change, lang) + " · " + t("present.vs_last", lang, n=count(comp.last_period, lang)),
        ],
        [t("present.k.resolved", lang), t("present.u.items", lang, n=count(red.council_items_resolved, lang)), ""],
        [t("present.k.projects", lang), t("present.u.projects", lang, n=count(red.accepted_projects, lang)), ""],
    ]
    bad = [6] if comp.change is not None and comp.change > 0 else []
    tables = [n.table(t("briefing.t.headline", lang), head, rows, bad, text_columns=(0, 2))]
    if s.cities:
        city_head = [
            t("briefing.col.city", lang),
            t("present.k.deposits", lang),
            t("present.k.usage", lang),
            t("present.k.vai", lang),
            t("present.k.insured", lang),
            t("present.k.coverage", lang),
            t("present.k.complaints", lang),
            t("present.k.resolved", lang),
        ]
        city_rows = [
            [
                name(city, lang),
                money(h.fund.deposits_total_fen, lang),
                _share(h.fund.usage_rate, lang, 2),
                money(h.fund.value_added_income_in_year_fen, lang),
                count(h.coverage.insured, lang),
                _share(h.coverage.coverage_rate, lang),
                count(h.complaints.this_period, lang),
                count(h.red_property.council_items_resolved, lang),
            ]
            for city, h in s.cities
        ]
        tables.append(n.table(t("briefing.t.cities", lang), city_head, city_rows))
    return Section("headline", 1, t("present.s.headline", lang), None, _lines(s.findings, lang), [], tables)


def fund_section(s: FundSlide, deck: Deck, n: _Numbers, lang: str, number: int) -> Section:
    usage, income = fund_charts(s, lang)
    unit = axis_money_unit(max((y.summary.value_added_income_in_year_fen for y in s.years), default=0), lang)
    charts = [
        n.chart("briefing-fund-usage", t("present.c.usage", lang), usage, half=True),
        n.chart("briefing-fund-income", t("briefing.c.vai", lang, unit=unit.name), income, half=True),
    ]
    head = [
        t("briefing.col.year", lang),
        t("briefing.col.deposits", lang),
        t("briefing.col.used", lang),
        t("briefing.col.usage", lang),
        t("briefing.col.vai", lang),
    ]
    rows = [
        [
            _year_label(y.year, y.summary.as_of, lang).replace("<br>", ""),
            money(y.summary.deposits_total_fen, lang),
            money(y.summary.used_in_year_fen, lang),
            _share(y.summary.usage_rate, lang, 2),
            money(y.summary.value_added_income_in_year_fen, lang),
        ]
        for y in s.years
    ]
    tables = [n.table(t("briefing.t.fund_years", lang), head, rows)]
    if s.buys:
        buy_head = [
            t("briefing.col.city", lang),
            t("briefing.col.vai", lang),
            t("briefing.col.premium", lang),
            t("briefing.col.cover", lang),
            t("briefing.col.elevator_years", lang),
            t("briefing.col.premiums_paid", lang),
        ]
        buy_rows = [
            [
                name(b.city, lang),
                money(b.value_added_income_fen, lang),
                money(b.annual_premium_fen, lang) if b.annual_premium_fen is not None else "—",
                money(b.cover_per_elevator_fen, lang) if b.cover_per_elevator_fen is not None else "—",
                count(b.elevator_years, lang) if b.elevator_years is not None else "—",
                money(b.premiums_paid_fen, lang),
            ]
            for b in s.buys
        ]
        tables.append(n.table(t("briefing.t.buys", lang), buy_head, buy_rows))
    return Section("fund", number, t("present.s.fund", lang), None, _lines(s.findings, lang), charts, tables)


def coverage_section(s: CoverageSlide, deck: Deck, n: _Numbers, lang: str, number: int) -> Section:
    charts = [n.chart("briefing-coverage", t("present.c.coverage", lang), coverage_chart(s, lang))]
    tables: list[Table] = []
    targets = [(p, tg) for p in s.programmes for tg in p.targets]
    if targets:
        head = [
            t("briefing.col.city", lang),
            t("briefing.col.due", lang),
            t("briefing.col.target", lang),
            t("briefing.col.actual", lang),
            t("briefing.col.status", lang),
        ]
        rows = [
            [
                p.name if lang == "zh" else p.name_en,
                day(tg.due_on, lang),
                _share(tg.share, lang, 0),
                _share(tg.coverage, lang),
                t(f"briefing.status.{tg.status}", lang),
            ]
            for p, tg in targets
        ]
        bad = [i for i, (_, tg) in enumerate(targets) if tg.status == "missed"]
        tables.append(n.table(t("briefing.t.targets", lang), head, rows, bad, text_columns=(0, 1, 4)))
    c = s.coverage
    funnel = [
        ("briefing.r.registered", count(c.registered, lang)),
        ("briefing.r.past_warranty", count(c.past_warranty, lang)),
        ("briefing.r.eligible", count(c.eligible, lang)),
        ("briefing.r.applied", count(c.applied, lang)),
        ("briefing.r.eligible_applied", count(c.eligible_applied, lang)),
        ("briefing.r.insured", count(c.insured, lang)),
        ("briefing.r.coverage", _share(c.coverage_rate, lang)),
    ]
    tables.append(
        n.table(
            t("briefing.t.funnel", lang),
            [t("briefing.col.figure", lang), t("briefing.col.value", lang)],
            [[t(k, lang), v] for k, v in funnel],
        )
    )
    return Section("coverage", number, t("present.s.coverage", lang), None, _lines(s.findings, lang), charts, tables)


def complaints_section(s: ComplaintsSlide, deck: Deck, n: _Numbers, lang: str, number: int) -> Section:
    charts = [n.chart("briefing-complaints", t("present.c.complaints", lang), complaints_chart(s, lang))]

    def rate(v: Decimal | None) -> str:
        return "—" if v is None else str(v.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

    def change(before: Decimal | None, after: Decimal | None) -> str:
        if before is None or after is None or before == 0:
            return change_text(None, lang)
        return change_text((after - before) / before, lang)

    head = [
        t("briefing.col.cohort", lang),
        t("briefing.col.compounds", lang),
        t("briefing.col.elevators", lang),
        t("briefing.col.before", lang),
        t("briefing.col.after", lang),
        t("briefing.col.change", lang),
    ]
    rows = [
        [
            t(label, lang, months=s.months),
            count(c.compounds, lang),
            count(c.elevators, lang),
            rate(c.before_per_100),
            rate(c.after_per_100),
            change(c.before_per_100, c.after_per_100),
        ]
        for label, c in (("present.k.cohort_insured", s.insured), ("present.k.cohort_never", s.never_insured))
    ]
    e = s.elevator
    orders = [
        [t("briefing.r.orders", lang, period=period_text(deck.period, lang)), count(e.this_period, lang)],
        [t("briefing.r.orders_last", lang), count(e.last_period, lang)],
        [t("briefing.col.change", lang), change_text(e.change, lang)],
    ]
    bad = [0, 2] if e.change is not None and e.change > 0 else []
    tables = [
        n.table(t("briefing.t.cohorts", lang), head, rows),
        n.table(
            t("present.k.complaints", lang),
            [t("briefing.col.figure", lang), t("briefing.col.value", lang)],
            orders,
            bad,
        ),
    ]
    return Section(
        "complaints",
        number,
        t("present.s.complaints", lang),
        None,
        _lines(s.findings, lang),
        charts,
        tables,
    )


def service_section(s: ServiceSlide, deck: Deck, n: _Numbers, lang: str, number: int) -> Section:
    charts = [n.chart("briefing-service", t("present.c.service", lang), service_chart(s, lang))]
    a, b = s.insured, s.uninsured
    rows = [
        [t("briefing.r.faults", lang), count(a.faults, lang), count(b.faults, lang)],
        [t("briefing.r.response", lang), _share(a.answered_30min_share, lang), _share(b.answered_30min_share, lang)],
        [
            t("briefing.r.mean_response", lang),
            _minutes(a.mean_response_minutes, lang),
            _minutes(b.mean_response_minutes, lang),
        ],
        [
            t("briefing.r.major", lang),
            _share(a.major_repaired_24h_share, lang),
            _share(b.major_repaired_24h_share, lang),
        ],
        [t("briefing.r.visits", lang), _share(a.visits_in_band_share, lang), _share(b.visits_in_band_share, lang)],
    ]
    head = [t("briefing.col.measure", lang), t("briefing.col.insured", lang), t("briefing.col.uninsured", lang)]
    tables = [n.table(t("briefing.t.service", lang) + " · " + period_text(s.period, lang), head, rows)]
    return Section("service", number, t("present.s.service", lang), None, _lines(s.findings, lang), charts, tables)


def rescue_section(s: RescueSlide, deck: Deck, n: _Numbers, lang: str, number: int) -> Section:
    rescue, repair = rescue_charts(s, lang)
    charts = [n.chart("briefing-rescue", t("present.c.rescue", lang), rescue, half=repair is not None)]
    if repair is not None:
        charts.append(n.chart("briefing-repair", t("present.c.repair", lang), repair, half=True))
    r = s.rescue
    late = r.arrival_median_minutes is not None and r.arrival_median_minutes > s.limit_minutes
    rows = [
        [t("briefing.r.incidents", lang), count(r.incidents, lang)],
        [t("briefing.r.trapped", lang), count(r.trapped_passengers, lang)],
        [t("briefing.r.median", lang), _minutes(r.arrival_median_minutes, lang)],
        [t("briefing.r.mean", lang), _minutes(r.arrival_mean_minutes, lang)],
        [t("briefing.r.within", lang, limit=s.limit_minutes), _share(r.arrived_30min_share, lang)],
        [t("briefing.r.release", lang), _minutes(r.release_median_minutes, lang)],
    ]
    head = [t("briefing.col.figure", lang), t("briefing.col.value", lang)]
    rep = s.repair
    repair_rows = [
        [
            t(key, lang),
            count(g.compounds, lang),
            count(g.repairs, lang),
            money(g.cost_fen, lang),
            f"{g.elevator_years:,.2f}",
            money(g.cost_per_elevator_year_fen, lang) if g.cost_per_elevator_year_fen is not None else "—",
        ]
        for key, g in (
            ("present.c.repair.insured", rep.insured),
            ("present.c.repair.before", rep.before_insuring),
            ("present.c.repair.never", rep.never_insured),
        )
    ]
    repair_head = [
        t("briefing.col.group", lang),
        t("briefing.col.compounds", lang),
        t("briefing.col.repairs", lang),
        t("briefing.col.cost", lang),
        t("briefing.col.elevator_years_exact", lang),
        t("briefing.col.per_year", lang),
    ]
    tables = [
        n.table(t("briefing.t.rescue", lang) + " · " + period_text(s.period, lang), head, rows, [2] if late else []),
        n.table(t("briefing.t.repair", lang) + " · " + str(rep.year), repair_head, repair_rows),
    ]
    return Section("rescue", number, t("present.s.rescue", lang), None, _lines(s.findings, lang), charts, tables)


def red_section(s: RedSlide, deck: Deck, n: _Numbers, lang: str, number: int) -> Section:
    cur, prev = s.current, s.previous
    charts = [n.chart("briefing-red", t("present.c.quarters", lang), quarters_chart(s.quarters, cur.as_of, lang))]

    def figures(r: Any) -> list[str]:
        sm = r.summary
        return [
            count(sm.accepted_projects, lang),
            count(sm.industry_party_committees, lang),
            t("briefing.r.of", lang, n=count(sm.companies_with_party_org, lang), share=_share(r.company_share, lang)),
            t(
                "briefing.r.of",
                lang,
                n=count(sm.compounds_with_service_station, lang),
                share=_share(r.station_share, lang),
            ),
            count(sm.council_items_resolved, lang),
            count(r.resolved_in_year, lang),
            count(r.overdue_follow_ups, lang),
        ]

    keys = [
        "briefing.r.projects",
        "briefing.r.committees",
        "briefing.r.companies",
        "briefing.r.stations",
        "briefing.r.resolved",
        "briefing.r.resolved_year",
        "briefing.r.overdue",
    ]
    now = figures(cur)
    before = figures(prev) if prev is not None else ["—"] * len(keys)
    rows = [[t(k, lang), a, b] for k, a, b in zip(keys, now, before, strict=True)]
    head = [
        t("briefing.col.figure", lang),
        t("briefing.col.now", lang, date=day(cur.as_of, lang)),
        t("briefing.col.previous", lang),
    ]
    bad = [6] if cur.overdue_follow_ups else []
    tables = [n.table(t("briefing.t.red", lang), head, rows, bad)]
    return Section("red", number, t("present.s.red", lang), None, _lines(s.findings, lang), charts, tables)


def _case_kicker(s: Case, deck: Deck, lang: str) -> str:
    where = f"{s.city.zh} {s.district.zh}" if lang == "zh" else f"{s.district.en}, {s.city.en}"
    return f"{where} · {period_text(deck.period, lang)}"


def insurance_case_section(s: InsuranceCase, deck: Deck, n: _Numbers, lang: str, number: int) -> Section:
    p, v = s.view.profile, s.view
    chart = buildings_chart(s, lang)
    charts = []
    if chart is not None:
        many = sum(1 for b in v.buildings if b.elevators) > 12
        title = t("present.c.buildings_numbered" if many else "present.c.buildings", lang)
        charts.append(n.chart("briefing-case-buildings", title, chart))
    cover = max(p.cover_per_elevator_fen, default=None)
    rows = [
        [t("briefing.r.households", lang), f"{count(p.households, lang)} / {count(p.residents, lang)}"],
        [
            t("briefing.r.buildings", lang),
            t("present.u.pair", lang, a=count(p.buildings, lang), b=count(p.elevators, lang)),
        ],
        [
            t("briefing.r.insured_case", lang),
            t("present.u.elevators", lang, n=count(p.insured_elevators, lang))
            + " · "
            + t("present.k.in_buildings", lang, n=count(p.buildings_with_insured_elevators, lang)),
        ],
        [t("briefing.r.cover", lang), money(cover, lang) if cover is not None else "—"],
        [t("briefing.r.pooled", lang), money(v.pooled_balance_fen, lang)],
        [
            t("briefing.r.case_orders", lang),
            f"{count(v.elevator_work_orders_in_year, lang)} / {count(v.elevator_work_orders_last_year, lang)}",
        ],
        [t("briefing.r.case_faults", lang), count(v.faults_in_year, lang)],
    ]
    head = [t("briefing.col.figure", lang), t("briefing.col.value", lang)]
    tables = [n.table(t("briefing.t.case", lang), head, rows)]
    grouped: dict[tuple[date, str, str, date | None], list[int]] = {}
    for a in v.applications:  # one application per building's account: grouped by day, applicant and decision
        entry = grouped.setdefault((a.filed_on, a.applicant_type, a.decision, a.decided_on), [0, 0, 0])
        entry[0] += 1
        entry[1] += a.elevators
        entry[2] += a.written_objections
    if grouped:
        app_head = [
            t("briefing.col.filed", lang),
            t("briefing.col.applicant", lang),
            t("briefing.col.applications", lang),
            t("briefing.col.elevators", lang),
            t("briefing.col.objections", lang),
            t("briefing.col.decision", lang),
        ]
        app_rows = [
            [
                day(filed, lang),
                t(f"compound.applicant.{applicant}", lang),
                count(apps, lang),
                count(lifts, lang),
                count(objections, lang),
                t(f"compound.decision.{decision}", lang) + (f" · {day(decided, lang)}" if decided else ""),
            ]
            for (filed, applicant, decision, decided), (apps, lifts, objections) in sorted(grouped.items())
        ]
        tables.append(n.table(t("briefing.t.applications", lang), app_head, app_rows, text_columns=(0, 1, 5)))
    tag = t("present.case.named" if s.named else "present.case.chosen", lang)
    title = t("present.s.case_insurance", lang, name=s.name)
    return Section(
        "case-insurance", number, title, _case_kicker(s, deck, lang), _lines(s.findings, lang), charts, tables, tag
    )


def council_case_section(s: CouncilCase, deck: Deck, n: _Numbers, lang: str, number: int) -> Section:
    p, v, c = s.view.profile, s.view, s.councils
    charts = []
    if any(q.meetings for q in c.quarters):
        charts.append(
            n.chart(
                "briefing-case-council",
                t("briefing.c.council_quarters", lang),
                quarters_chart(c.quarters, c.as_of, lang),
            )
        )
    done = c.follow_up_completion
    rows = [
        [t("briefing.r.households", lang), f"{count(p.households, lang)} / {count(p.residents, lang)}"],
        [t("briefing.r.meetings", lang), f"{count(v.council_meetings, lang)} / {count(c.meetings_in_year, lang)}"],
        [t("briefing.r.items", lang), f"{count(c.items_in_year, lang)} / {count(c.resolved_in_year, lang)}"],
        [t("briefing.r.resolved", lang), count(v.council_items_resolved, lang)],
        [t("briefing.r.follow_ups", lang), _share(done, lang)],
        [t("briefing.r.overdue", lang), count(c.overdue_follow_ups, lang)],
    ]
    if v.project_status is not None:
        score = str(v.project_score) if v.project_score is not None else "—"
        rows.append([t("briefing.r.project", lang), f"{t(f'compound.status.{v.project_status}', lang)} / {score}"])
    rows.append([t("briefing.r.station", lang), t("compound.yes" if v.has_service_station else "compound.no", lang)])
    head = [t("briefing.col.figure", lang), t("briefing.col.value", lang)]
    bad = [5] if c.overdue_follow_ups else []
    tables = [n.table(t("briefing.t.case", lang), head, rows, bad)]
    if s.outcomes:
        out_head = [t("briefing.col.day", lang), t("briefing.col.item", lang), t("briefing.col.category", lang)]
        out_rows = [
            [day(held, lang), title, t(f"red_property.category.{category}", lang)]
            for held, title, category in s.outcomes
        ]
        tables.append(n.table(t("briefing.t.outcomes", lang), out_head, out_rows, text_columns=(0, 1, 2)))
    tag = t("present.case.named" if s.named else "present.case.chosen", lang)
    title = t("present.s.case_council", lang, name=s.name)
    return Section(
        "case-council", number, title, _case_kicker(s, deck, lang), _lines(s.findings, lang), charts, tables, tag
    )


def section(slide: Slide | Case, deck: Deck, n: _Numbers, lang: str, number: int) -> Section:
    """One slide of the deck as a section of the briefing."""
    if isinstance(slide, HeadlineSlide):
        return headline_section(slide, deck, n, lang)
    if isinstance(slide, FundSlide):
        return fund_section(slide, deck, n, lang, number)
    if isinstance(slide, CoverageSlide):
        return coverage_section(slide, deck, n, lang, number)
    if isinstance(slide, ComplaintsSlide):
        return complaints_section(slide, deck, n, lang, number)
    if isinstance(slide, ServiceSlide):
        return service_section(slide, deck, n, lang, number)
    if isinstance(slide, RescueSlide):
        return rescue_section(slide, deck, n, lang, number)
    if isinstance(slide, RedSlide):
        return red_section(slide, deck, n, lang, number)
    if isinstance(slide, InsuranceCase):
        return insurance_case_section(slide, deck, n, lang, number)
    return council_case_section(slide, deck, n, lang, number)


def briefing(deck: Deck, lang: str) -> Briefing:
    """The whole briefing of a deck in the UI language: cover, then one section per slide, in the deck's order."""
    numbers = _Numbers(deck, lang)
    sections = [section(slide, deck, numbers, lang, i + 1) for i, slide in enumerate(deck.slides)]
    line = place_line(deck, lang)
    place, _, _ = line.rpartition(" · ")
    period = period_text(deck.period, lang)
    as_of_day = day(deck.as_of, lang)
    kind = t("briefing.kind", lang)
    stem = "-".join([place.replace(" ", "").replace(",", ""), t("briefing.file", lang), deck.as_of.isoformat()])
    return Briefing(
        lang=lang,
        html_lang="en" if lang == "en" else "zh-CN",
        doc_title=t("briefing.doc_title", lang, place=place, period=period),
        kind=kind,
        title=t("present.title", lang),
        subtitle=t("present.subtitle", lang),
        place=place,
        period=period,
        as_of=t("briefing.as_of", lang, date=as_of_day),
        as_of_day=as_of_day,
        flows_note=t("briefing.flows", lang, date=as_of_day, period=period),
        source=t("briefing.generated", lang, date=day(deck.today, lang)),
        footer=t("briefing.footer", lang, date=day(deck.today, lang)),
        demo=demo_mark(deck, lang),
        sections=sections,
        file_stem=stem,
    )


def charts_of(b: Briefing) -> list[dict[str, Any]]:
    """Every chart of the briefing as the page's script draws it: its element's id and its figure."""
    return [{"id": c.element_id, **c.figure} for s in b.sections for c in s.charts]


def css_string(text: str) -> str:
    """Text as a CSS string literal, for the page-margin boxes' `content`: quotes, backslashes, control characters
    and the characters that could end the <style> element are written as CSS escapes."""
    escaped = "".join(f"\\{ord(ch):x} " if ch in '"\\<>&' or ord(ch) < 0x20 else ch for ch in text)
    return f'"{escaped}"'


def page_counter_css(lang: str) -> str:
    """The footer's "第 n 页，共 m 页" as a CSS `content` value: the catalogue's words with the page counters."""
    text = t("briefing.page", lang, n="\x00", total="\x01")
    parts: list[str] = []
    for piece in re.split("(\x00|\x01)", text):
        if piece == "\x00":
            parts.append("counter(page)")
        elif piece == "\x01":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)
