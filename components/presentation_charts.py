"""The deck's charts as plotly figures, drawn once for the projected slide (/present) and once for the A4 briefing
(/briefing.pdf).

Why one module for both: the briefing promises the deck's content on paper — the same bars, the same colours,
the same labels, the same reference lines — so each chart is built here once, from its slide, and only the medium
differs. A `Medium` says how large type and strokes are where the chart is read (a 1920×1080 slide from the back
of a room, an A4 page at arm's length) and a `Size` how much room the chart has there; components/presentation.py
wraps a figure in a static dcc.Graph, components/briefing.py hands it to the printing browser.

Every function is pure: a slide (data_access/presentation.py) and the UI language in, a JSON-ready figure
(`{"data": [...], "layout": {...}}`, floats and strings) out. Red marks bad news only (a missed target, arrival
beyond the limit, complaints that rose); other series are neutral greys and slate. Chinese money is in 万/亿
(formatting.axis_money_unit), never "k".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from components.formatting import axis_money_unit, count, money, one_or_many, percent, short_day
from components.i18n import t
from data_access.presentation import (
    ComplaintsSlide,
    CoverageSlide,
    FundSlide,
    InsuranceCase,
    RescueSlide,
    ServiceSlide,
)
from data_access.red_property import QuarterCount

RED = "#b71c1c"  # bad news only
INK = "#1f2933"
SLATE = "#455a64"
STEEL = "#78909c"
GREY = "#b0bac5"
LIGHT = "#d9dee4"
CITY_COLOURS = (SLATE, STEEL, "#8d6e63", "#5c6bc0")  # one line per city on the coverage chart

Figure = dict[str, Any]


@dataclass(frozen=True)
class Medium:
    """Type and strokes where a chart is read. The slide's numbers are about twice the page's: a slide is read from
    the back of a room at 1920×1080, the page at arm's length at 96 px per inch."""

    family: str
    font: int  # the chart's own text: ticks, bar labels
    legend: int  # legends and the labels at a line's end
    note: int  # the smaller notes on a chart: a target's or a limit's label
    tick: int  # category labels that must fit side by side under their bars
    ticklen: int  # invisible ticks that keep the two axes' labels apart at the corner
    grid: str
    scale: float  # strokes, markers and label offsets: the page's sizes times this
    headroom: float  # above the tallest bar, for its label written outside it
    numbered_above: int  # more buildings than this: their numbers alone under the bars, so each stays readable
    money_axis: bool  # bars labelled with amounts also get a value axis (paper is measured; a slide is not)
    label_chars: int  # a bar's English label wraps at about this many characters


DECK = Medium(
    family="Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, sans-serif",
    font=24,
    legend=24,
    note=22,
    tick=22,
    ticklen=10,
    grid="#eceff3",
    scale=2.0,
    headroom=1.25,
    numbered_above=16,
    money_axis=False,
    label_chars=24,
)
PRINT = Medium(
    family="Noto Sans CJK SC, Noto Sans SC, sans-serif",  # Debian fonts-noto-cjk (make system-deps)
    font=11,
    legend=11,
    note=10,
    tick=10,
    ticklen=4,
    grid="#e3e7ec",
    scale=1.0,
    headroom=1.3,
    numbered_above=12,
    money_axis=True,
    label_chars=16,
)


class Size(NamedTuple):
    """A chart's room: its width and height in CSS pixels and its margins (left, right, top, bottom)."""

    width: int
    height: int
    margin: tuple[int, int, int, int]


def layout(medium: Medium, size: Size, **extra: Any) -> dict[str, Any]:
    """A chart's layout: white, the CJK font at the medium's size, no legend unless asked, ticks kept clear of the
    labels; `extra` adds to it (an axis given there keeps the tick settings)."""
    left, right, top, bottom = size.margin
    out: dict[str, Any] = {
        "width": size.width,
        "height": size.height,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {"family": medium.family, "size": medium.font, "color": INK},
        "showlegend": False,
        "margin": {"l": left, "r": right, "t": top, "b": bottom},
        **extra,
    }
    for axis in ("xaxis", "yaxis"):
        ticks = {"ticks": "outside", "ticklen": medium.ticklen, "tickcolor": "rgba(0,0,0,0)"}
        out[axis] = {**ticks, **out.get(axis, {})}
    return out


def legend(medium: Medium) -> dict[str, Any]:
    """A horizontal legend just above the plot, wherever the top margin ends."""
    return {
        "orientation": "h",
        "x": 0,
        "xanchor": "left",
        "y": 1.0,
        "yanchor": "bottom",
        "font": {"size": medium.legend},
        "traceorder": "normal",
    }


def _f(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)


def rate_label(value: float | None) -> str:
    """Work orders per 100 elevators a month, as a bar's label: one decimal."""
    return "" if value is None else f"{value:.1f}"


def minutes_text(value: Decimal | None, lang: str) -> str:
    """Minutes to one decimal (a rescue's arrival, a bar's label and a finding's words alike)."""
    if value is None:
        return "—"
    return t("present.u.minutes", lang, n=value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _lines(label: str) -> str:
    """A catalogue label's "|" as a line break on the chart (components/messages_presentation.py)."""
    return label.replace("|", "<br>")


def flat_label(label: str, lang: str) -> str:
    """A chart's label on one line, for a table's cell: the catalogue's "|" breaks dropped (a space in English)."""
    return label.replace("|", "" if lang == "zh" else " ")


def wrap_label(label: str, width: int = 16) -> str:
    """A bar's label in lines that fit under it: the catalogue's breaks ("|"), and English words wrapped at about
    `width` characters, so that three long group names stand side by side at half a page's width."""
    wrapped: list[str] = []
    for line in label.split("|"):
        current = ""
        for word in line.split(" "):
            if current and len(current) + 1 + len(word) > width:
                wrapped.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        wrapped.append(current)
    return "<br>".join(wrapped)


# --------------------------------------------------------------------------- periods on axes


def part_year(year: int, as_of: date) -> bool:
    """Whether a year's figures stop before its end (the running year)."""
    return as_of.year == year and (as_of.month, as_of.day) != (12, 31)


def year_label(year: int, as_of: date, lang: str) -> str:
    """A year on an axis; a part year says where it ends (its flows beside whole years' would read as a fall).
    The line break is the catalogue's "|"; a table cell drops it."""
    if part_year(year, as_of):
        return t("present.c.part_year", lang, year=year, date=short_day(as_of, lang))
    return str(year)


def quarter_end(year: int, quarter: int) -> date:
    return date(year, 12, 31) if quarter == 4 else date(year, 3 * quarter + 1, 1) - timedelta(days=1)


# --------------------------------------------------------------------------- the charts


def fund_usage_figure(s: FundSlide, lang: str, medium: Medium, size: Size) -> Figure:
    """The share of the fund used each year (the fund hardly used); the part year light, so it is not read as a
    fall."""
    labels = [_lines(year_label(y.year, y.summary.as_of, lang)) for y in s.years]
    part = [part_year(y.year, y.summary.as_of) for y in s.years]
    rates = [_f(y.summary.usage_rate) for y in s.years]
    top = max((r for r in rates if r is not None), default=0.01) or 0.01
    data = [
        {
            "type": "bar",
            "x": labels,
            "y": rates,
            "marker": {"color": [GREY if p else SLATE for p in part]},
            "text": [percent(r, lang, 2) if r is not None else "" for r in rates],
            "textposition": "outside",
            "cliponaxis": False,
        }
    ]
    return {
        "data": data,
        "layout": layout(
            medium,
            size,
            yaxis={
                "tickformat": ".1%",
                "rangemode": "tozero",
                "range": [0, top * medium.headroom],
                "gridcolor": medium.grid,
            },
            xaxis={"type": "category", "tickangle": 0, "tickfont": {"size": medium.tick}},
        ),
    }


def fund_income_figure(s: FundSlide, lang: str, medium: Medium, size: Size) -> Figure:
    """The value-added income the fund earned each year, in 万元/亿元 (the axis's unit names it)."""
    labels = [_lines(year_label(y.year, y.summary.as_of, lang)) for y in s.years]
    part = [part_year(y.year, y.summary.as_of) for y in s.years]
    incomes = [y.summary.value_added_income_in_year_fen for y in s.years]
    unit = axis_money_unit(max(incomes, default=0), lang)
    data = [
        {
            "type": "bar",
            "x": labels,
            "y": [unit.of(v) for v in incomes],
            "marker": {"color": [GREY if p else STEEL for p in part]},
            "text": [f"{unit.of(v):,.0f}" if v else "" for v in incomes],  # in the axis's unit
            "textposition": "outside",
            "cliponaxis": False,
        }
    ]
    top = max((unit.of(v) for v in incomes), default=1) or 1
    return {
        "data": data,
        "layout": layout(
            medium,
            size,
            yaxis={
                "range": [0, top * medium.headroom],
                "gridcolor": medium.grid,
                "tickformat": ",.0f",
                "title": {"text": unit.name, "font": {"size": medium.note}},
            },
            xaxis={"type": "category", "tickangle": 0, "tickfont": {"size": medium.tick}},
        ),
    }


def coverage_figure(s: CoverageSlide, lang: str, medium: Medium, size: Size) -> Figure:
    """Each city's coverage line with its targets as diamonds: a missed target is the one red thing on it. The
    latest coverage stands by the city's name: at the line's end for one city; in the legend for several, whose
    lines end close together (labels there would overlap)."""
    k = medium.scale
    data: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    several = sum(1 for p in s.programmes if p.line) > 1
    for n, p in enumerate(s.programmes):
        if not p.line:
            continue
        colour = CITY_COLOURS[n % len(CITY_COLOURS)]
        city = p.name if lang == "zh" else p.name_en
        pts = [pt for pt in p.line if pt.coverage_rate is not None]
        latest = f"{city} {percent(pts[-1].coverage_rate, lang)}" if pts else city
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": [pt.as_of.isoformat() for pt in pts],
                "y": [_f(pt.coverage_rate) for pt in pts],
                "line": {"color": colour, "width": 2.5 * k},
                "marker": {"size": 5 * k, "color": colour},
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
                    "xshift": 6 * k,
                    "font": {"size": medium.legend, "color": colour},
                }
            )
        for target in p.targets:
            colour_t = RED if target.status == "missed" else INK
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "x": [target.due_on.isoformat()],
                    "y": [float(target.share)],
                    "marker": {
                        "symbol": "diamond-open",
                        "size": 11 * k,
                        "color": colour_t,
                        "line": {"width": 2 * k, "color": colour_t},
                    },
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
                    "xshift": 8 * k if below else 0,
                    "yanchor": "top" if below else "bottom",
                    "yshift": (-8 if below else 8) * k,
                    "font": {"size": medium.note, "color": colour_t},
                }
            )
    days = [pt.as_of for p in s.programmes for pt in p.line] + [tg.due_on for p in s.programmes for tg in p.targets]
    x_range = None
    if days:
        pad = timedelta(days=max((max(days) - min(days)).days // 25, 10))
        x_range = [(min(days) - pad).isoformat(), (max(days) + pad).isoformat()]
    left, right, top, bottom = size.margin
    # room at the right for the one city's end label, or at the top for the several cities' legend
    if several:
        margin = (left, right, top + round(1.1 * medium.legend), bottom)
    else:
        margin = (left, right + 8 * medium.legend, top, bottom)
    return {
        "data": data,
        "layout": layout(
            medium,
            size._replace(margin=margin),
            yaxis={"tickformat": ".0%", "range": [0, 1.12], "gridcolor": medium.grid},
            xaxis={
                "type": "date",
                "tickformat": "%b %Y" if lang == "en" else "%Y年%-m月",
                "range": x_range,
                "tickangle": 0,
                "nticks": 7,
                "gridcolor": medium.grid,
            },
            annotations=annotations,
            showlegend=several,
            legend=legend(medium),
        ),
    }


def complaints_figure(s: ComplaintsSlide, lang: str, medium: Medium, size: Size) -> Figure:
    """Insured compounds before and after their first policy beside never-insured ones over as many months; the
    "after" bars red only when complaints rose."""
    groups = [t("present.c.insured", lang), t("present.c.never", lang)]
    before = [_f(s.insured.before_per_100), _f(s.never_insured.before_per_100)]
    after = [_f(s.insured.after_per_100), _f(s.never_insured.after_per_100)]
    after_colour = RED if s.findings and s.findings[0].tone == "bad" else SLATE
    top = max((v for v in before + after if v is not None), default=1.0) or 1.0
    data = [
        {
            "type": "bar",
            "x": groups,
            "y": values,
            "name": t(one_or_many(key, s.months, lang), lang, months=s.months),
            "marker": {"color": colour},
            "text": [rate_label(v) for v in values],
            "textposition": "outside",
            "cliponaxis": False,
        }
        for key, values, colour in (("present.c.before", before, GREY), ("present.c.after", after, after_colour))
    ]
    return {
        "data": data,
        "layout": layout(
            medium,
            size,
            barmode="group",
            bargap=0.3,
            showlegend=True,
            legend=legend(medium),
            yaxis={"range": [0, top * medium.headroom], "gridcolor": medium.grid},
        ),
    }


def service_figure(s: ServiceSlide, lang: str, medium: Medium, size: Size) -> Figure:
    """Three service measures, insured against uninsured elevators, as shares of 100%."""
    measures = [
        ("present.c.service.response", s.insured.answered_30min_share, s.uninsured.answered_30min_share),
        ("present.c.service.major", s.insured.major_repaired_24h_share, s.uninsured.major_repaired_24h_share),
        ("present.c.service.visits", s.insured.visits_in_band_share, s.uninsured.visits_in_band_share),
    ]
    labels = [t(key, lang) for key, _, _ in measures]
    sides = (
        ("present.c.service.insured", [_f(m[1]) for m in measures], SLATE),
        ("present.c.service.uninsured", [_f(m[2]) for m in measures], GREY),
    )
    data = [
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
        for key, values, colour in sides
    ]
    return {
        "data": data,
        "layout": layout(
            medium,
            size,
            barmode="group",
            bargap=0.3,
            showlegend=True,
            legend=legend(medium),
            xaxis={"tickformat": ".0%", "range": [0, 1.18], "gridcolor": medium.grid},
            yaxis={"autorange": "reversed", "automargin": True},
        ),
    }


def rescue_figure(s: RescueSlide, lang: str, medium: Medium, size: Size) -> Figure:
    """Arrival against the 30-minute limit: a dashed line, and a bar beyond it red."""
    r = s.rescue
    limit = float(s.limit_minutes)
    bars = [("present.c.rescue.median", r.arrival_median_minutes), ("present.c.rescue.mean", r.arrival_mean_minutes)]
    shown = [(t(key, lang), float(v)) for key, v in bars if v is not None]
    top = max([limit, *(v for _, v in shown)])
    data = [
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
    ]
    limit_line = {
        "type": "line",
        "x0": limit,
        "x1": limit,
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "line": {"color": INK, "dash": "dash", "width": 1.5 * medium.scale},
    }
    limit_label = {
        "x": limit,
        "yref": "paper",
        "y": 1.0,
        "text": t("present.c.rescue.limit", lang),
        "showarrow": False,
        "yanchor": "bottom",
        "font": {"size": medium.note},
    }
    return {
        "data": data,
        "layout": layout(
            medium,
            size,
            xaxis={"range": [0, top * (medium.headroom + 0.05)], "gridcolor": medium.grid},
            yaxis={"autorange": "reversed", "automargin": True},
            shapes=[limit_line],
            annotations=[limit_label],
        ),
    }


def repair_figure(s: RescueSlide, lang: str, medium: Medium, size: Size) -> Figure | None:
    """Repair cost per elevator-year: insured (claims paid), the same compounds before insuring, never insured.
    Each bar carries its amount in 元/万元; on paper a value axis in the same unit too. None: no group has a cost."""
    rep = s.repair
    groups = [
        ("present.c.repair.insured", rep.insured.cost_per_elevator_year_fen),
        ("present.c.repair.before", rep.before_insuring.cost_per_elevator_year_fen),
        ("present.c.repair.never", rep.never_insured.cost_per_elevator_year_fen),
    ]
    costs = [(wrap_label(t(key, lang), medium.label_chars), v) for key, v in groups if v is not None]
    if not costs:
        return None
    unit = axis_money_unit(max(v for _, v in costs), lang)
    top = max(unit.of(v) for _, v in costs) or 1.0
    data = [
        {
            "type": "bar",
            "x": [label for label, _ in costs],
            "y": [unit.of(v) for _, v in costs],
            "marker": {"color": [SLATE, GREY, STEEL][: len(costs)]},
            "text": [money(v, lang) for _, v in costs],
            "textposition": "outside",
            "cliponaxis": False,
        }
    ]
    yaxis: dict[str, Any] = {"range": [0, top * medium.headroom]}
    if medium.money_axis:
        title = {"text": unit.name, "font": {"size": medium.note}}
        yaxis |= {"gridcolor": medium.grid, "tickformat": ",.0f", "title": title}
    else:  # the labels say the amounts; an axis beside them would be a second way to read the same
        yaxis |= {"showticklabels": False, "showgrid": False}
    return {
        "data": data,
        "layout": layout(
            medium,
            size,
            yaxis=yaxis,
            xaxis={"tickangle": 0, "tickfont": {"size": medium.tick}},
        ),
    }


def quarters_figure(quarters: Sequence[QuarterCount], as_of: date, lang: str, medium: Medium, size: Size) -> Figure:
    """Council meetings per quarter, last year and this; the running quarter light and labelled as partial."""
    labels, values, colours = [], [], []
    for q in quarters:
        partial = quarter_end(q.year, q.quarter) > as_of
        key = "present.c.quarter_part" if partial else "present.c.quarter"
        labels.append(_lines(t(key, lang, year=q.year, q=q.quarter, date=short_day(as_of, lang))))
        values.append(q.meetings)
        colours.append(LIGHT if partial else (SLATE if q.year == as_of.year else GREY))
    most = max(values, default=0)
    data = [
        {
            "type": "bar",
            "x": labels,
            "y": values,
            "marker": {"color": colours, "line": {"color": STEEL, "width": medium.scale}},
            "text": [count(v, lang) for v in values],
            "textposition": "outside",
            "cliponaxis": False,
        }
    ]
    return {
        "data": data,
        "layout": layout(
            medium,
            size,
            xaxis={"type": "category", "tickangle": 0, "tickfont": {"size": medium.tick}},
            # whole meetings: a compound's few meetings get a tick per meeting, never 1.5
            yaxis={
                "range": [0, (most or 1) * medium.headroom],
                "gridcolor": medium.grid,
                "dtick": 1 if most <= 6 else None,
                "tickformat": ",d",
            },
        ),
    }


def buildings_numbered(s: InsuranceCase, medium: Medium) -> bool:
    """Whether the buildings chart shows numbers alone (many buildings): its title then says so."""
    return sum(1 for b in s.view.buildings if b.elevators) > medium.numbered_above


def buildings_figure(s: InsuranceCase, lang: str, medium: Medium, size: Size) -> Figure | None:
    """Each building's elevators, insured dark and the others light: which of them the pooled accounts pay for.
    None: no building has an elevator."""
    rows = [b for b in s.view.buildings if b.elevators]
    if not rows:
        return None
    many = buildings_numbered(s, medium)
    labels = [b.number if many else t("present.c.building", lang, n=b.number) for b in rows]
    stacks = (
        ("present.c.insured_lifts", [b.insured_elevators for b in rows], SLATE),
        ("present.c.uninsured_lifts", [b.elevators - b.insured_elevators for b in rows], LIGHT),
    )
    data = [
        {"type": "bar", "x": labels, "y": values, "name": t(key, lang), "marker": {"color": colour}}
        for key, values, colour in stacks
    ]
    return {
        "data": data,
        "layout": layout(
            medium,
            size,
            barmode="stack",
            bargap=0.25,
            showlegend=True,
            legend=legend(medium),
            xaxis={"type": "category", "tickangle": 0, "tickfont": {"size": medium.tick - (1 if many else 0)}},
            yaxis={"dtick": 1 if max(b.elevators for b in rows) <= 6 else None, "gridcolor": medium.grid},
        ),
    }
