"""/elevators: cards, charts and the compound table, as pure functions of query results."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from components import district_bars
from components.filters import change_badge, compound_column, compound_grid, grid_csv, grid_xlsx
from components.formatting import count, day, percent
from components.i18n import t
from components.overview import kpi_card
from components.plots import (
    BRAND_RED,
    CATEGORICAL,
    FONT,
    GOOD,
    GREY,
    INK,
    LIGHT_GREY,
    NO_SCOPE,
    PRIMARY,
    PRIMARY_LIGHT,
    ChartScope,
    chart_graph,
    reference_line,
    with_references,
)
from data_access.core.rules import REPEAT_FAULTS, Stage
from data_access.elevator_compounds import CompoundElevatorRow
from data_access.elevator_service import AgeBandRow, ServiceRow
from data_access.elevators import CityProgramme, DistrictFaultRow, ElevatorsPage
from data_access.indicators import CoverageSummary, TargetJudgement

RED = BRAND_RED  # "bad" only: a target missed
CITY_COLOURS = CATEGORICAL


# --------------------------------------------------------------------------- small helpers


def _name(zh: str, en: str, lang: str) -> str:
    return zh if lang == "zh" else en


def _terms(programmes: list[CityProgramme], attr: str) -> str:
    """A programme term for labels: one value, or each city's value joined ("5/6") when they differ."""
    values = sorted({getattr(p, attr) for p in programmes if getattr(p, attr) is not None})
    return "/".join(str(v) for v in values) if values else "—"


def pp_badge(current: Decimal | None, previous: Decimal | None, lang: str, higher_is_good: bool = True) -> html.Span:
    """Change of a share in percentage points (a relative change of a percentage misleads)."""
    if current is None or previous is None:
        return html.Span(t("change.none", lang), className="text-muted")
    diff = (Decimal(current) - Decimal(previous)) * 100
    good = (diff >= 0) == higher_is_good
    sign = "+" if diff > 0 else ("−" if diff < 0 else "")
    return html.Span(
        t("elevators.change.pp", lang, sign=sign, pp=f"{abs(diff):.1f}"),
        className="kpi-change-good" if good else "kpi-change-bad",
    )


def _total(rows: list[ServiceRow], attr: str) -> int:
    return sum(getattr(r, attr) for r in rows)


def _per_100(faults: int, elevators: int) -> Decimal | None:
    return (Decimal(faults) * 100 / elevators).quantize(Decimal("0.01")) if elevators else None


def period(first: date, last: date, lang: str) -> str:
    return t("overview.ytd", lang, year=first.year, date=day(last, lang))


# --------------------------------------------------------------------------- cards


def coverage_cards(data: ElevatorsPage, lang: str) -> dbc.Row:
    """The funnel's stocks on the as-of date against the same day a year earlier."""
    c, p = data.coverage, data.previous
    as_of = t("overview.as_of", lang, date=day(c.as_of, lang))
    insured, uninsured = data.service
    p_insured, p_uninsured = data.previous_service
    cards = [
        kpi_card(
            "elevators-card-registered",
            t("elevators.card.registered", lang),
            f"{count(c.registered, lang)} {t('unit.elevators', lang)}",
            [change_badge(c.registered, p.registered, lang)],
            as_of,
        ),
        kpi_card(
            "elevators-card-past-warranty",
            t("elevators.card.past_warranty", lang),
            f"{count(c.past_warranty, lang)} {t('unit.elevators', lang)}",
            [
                t("elevators.card.past_warranty.note", lang, years=_terms(data.programmes, "warranty_years")),
                change_badge(c.past_warranty, p.past_warranty, lang),
            ],
            as_of,
        ),
        kpi_card(
            "elevators-card-eligible",
            t("elevators.card.eligible", lang),
            f"{count(c.eligible, lang)} {t('unit.elevators', lang)}",
            [t("elevators.card.eligible.note", lang), change_badge(c.eligible, p.eligible, lang)],
            as_of,
        ),
        kpi_card(
            "elevators-card-insured",
            t("elevators.card.insured", lang),
            f"{count(c.insured, lang)} {t('unit.elevators', lang)}",
            [t("elevators.card.insured.note", lang), change_badge(c.insured, p.insured, lang)],
            as_of,
        ),
        kpi_card(
            "elevators-card-coverage",
            t("elevators.card.coverage", lang),
            percent(c.coverage_rate, lang),
            [
                t(
                    "elevators.card.coverage.note",
                    lang,
                    insured=count(c.insured, lang),
                    applied=count(c.eligible_applied, lang),
                ),
                pp_badge(c.coverage_rate, p.coverage_rate, lang),
                *target_notes(data.programmes, lang),
            ],
            as_of,
        ),
        kpi_card(
            "elevators-card-response",
            t("elevators.card.response", lang),
            percent(insured.answered_30min_share, lang),
            [
                t("elevators.card.response.note", lang, share=percent(uninsured.answered_30min_share, lang)),
                _gap(insured.answered_30min_share, uninsured.answered_30min_share, lang),
                pp_badge(insured.answered_30min_share, p_insured.answered_30min_share, lang),
            ],
            period(data.first, data.as_of, lang),
        ),
    ]
    return dbc.Row(
        [dbc.Col(card, xs=12, sm=6, xl=4, className="mb-3") for card in cards], className="g-3", id="elevators-cards"
    )


def _gap(insured: Decimal | None, uninsured: Decimal | None, lang: str) -> str | None:
    if insured is None or uninsured is None:
        return None
    diff = (insured - uninsured) * 100
    sign = "+" if diff > 0 else ("−" if diff < 0 else "")
    return t("elevators.card.response.gap", lang, sign=sign, pp=f"{abs(diff):.1f}")


def target_notes(programmes: list[CityProgramme], lang: str) -> list[html.Div]:
    """Each city's targets with their status; a city without targets says so."""
    notes: list[html.Div] = []
    for prog in programmes:
        city = _name(prog.name, prog.name_en, lang)
        if prog.starts_on is None:
            notes.append(html.Div(t("elevators.target.no_rule", lang, city=city), className="target-line"))
            continue
        if not prog.targets:
            notes.append(html.Div(t("elevators.target.none", lang, city=city), className="target-line"))
            continue
        for target in prog.targets:
            notes.append(_target_line(city, target, lang))
    return notes


def _target_line(city: str, target: TargetJudgement, lang: str) -> html.Div:
    cls = {"met": "text-success", "missed": "text-danger"}.get(target.status, "text-secondary")
    rate_key = "elevators.target.current" if target.status == "in_progress" else "elevators.target.judged"
    return html.Div(
        [
            t("elevators.target", lang, city=city, share=percent(target.share, lang, 0), due=day(target.due_on, lang)),
            " · ",
            t(rate_key, lang, rate=percent(target.coverage, lang)),
            " ",
            html.Span(t(f"elevators.target.{target.status}", lang), className=f"fw-semibold {cls}"),
        ],
        className="target-line",
    )


def fault_cards(data: ElevatorsPage, lang: str) -> dbc.Row:
    """Flows from 1 January to the as-of date against the same days a year earlier."""
    faults, p_faults = _total(data.service, "faults"), _total(data.previous_service, "faults")
    trapped, p_trapped = _total(data.service, "trapped_incidents"), _total(data.previous_service, "trapped_incidents")
    per100 = _per_100(faults, data.coverage.registered)
    p_per100 = _per_100(p_faults, data.previous.registered)
    ytd = period(data.first, data.as_of, lang)
    cards = [
        kpi_card(
            "elevators-card-faults",
            t("elevators.card.faults", lang),
            f"{count(faults, lang)} {t('elevators.unit.times', lang)}",
            [change_badge(faults, p_faults, lang, higher_is_good=False)],
            ytd,
        ),
        kpi_card(
            "elevators-card-per100",
            t("elevators.card.per100", lang),
            f"{per100}" if per100 is not None else "—",
            [change_badge(per100, p_per100, lang, higher_is_good=False)],
            ytd,
        ),
        kpi_card(
            "elevators-card-repeat",
            t("elevators.card.repeat", lang),
            f"{count(data.repeat_elevators, lang)} {t('unit.elevators', lang)}",
            [
                t("elevators.card.repeat.note", lang, n=REPEAT_FAULTS),
                change_badge(data.repeat_elevators, data.previous_repeat_elevators, lang, higher_is_good=False),
            ],
            ytd,
        ),
        kpi_card(
            "elevators-card-trapped",
            t("elevators.card.trapped", lang),
            f"{count(trapped, lang)} {t('elevators.unit.times', lang)}",
            [
                t("elevators.card.trapped.note", lang, n=count(data.service[0].trapped_incidents, lang)),
                change_badge(trapped, p_trapped, lang, higher_is_good=False),
            ],
            ytd,
        ),
    ]
    return dbc.Row([dbc.Col(card, xs=12, sm=6, xl=3, className="mb-3") for card in cards], className="g-3")


# --------------------------------------------------------------------------- charts

TARGET_COLOURS = {"met": GOOD, "missed": RED}  # a passed due date: met or missed


def _chart_card(title: str, graph: object, source: str, extra: list[object] | None = None) -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [html.H2(title, className="h6 mb-2"), graph, *(extra or []), html.Div(source, className="chart-source")]
        ),
        className="chart-card shadow-sm",
    )


def _layout(
    y_title: str,
    x_title: str,
    *,
    height: int = 320,
    left: int = 60,
    xaxis: dict[str, Any] | None = None,
    yaxis: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The charts' common layout; xaxis and yaxis add to (or override) the axes' defaults."""
    return {
        "margin": {"l": left, "r": 24, "t": 16, "b": 48},
        "height": height,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "legend": {"orientation": "h", "y": 1.12, "x": 0},
        "font": FONT,
        "xaxis": {"title": {"text": x_title}, **(xaxis or {})},
        "yaxis": {"title": {"text": y_title}, "gridcolor": "#eceff3", "rangemode": "tozero", **(yaxis or {})},
    }


def _graph(
    graph_id: str,
    data: list[dict[str, Any]],
    layout: dict[str, Any],
    lang: str,
    title: str,
    source: str,
    as_of: date,
    scope: ChartScope,
) -> html.Figure:
    return chart_graph(graph_id, data, layout, lang, title=title, source=source, as_of=as_of, scope=scope)


def _average(rows: list[DistrictFaultRow] | list[AgeBandRow], lang: str) -> list[dict[str, Any]]:
    """The area's faults per 100 elevators (all faults over all elevators) as a reference line over the bars."""
    faults, elevators = sum(r.faults for r in rows), sum(r.elevators for r in rows)
    if not elevators or len(rows) < 2:
        return []
    overall = _per_100(faults, elevators)
    return [reference_line(float(overall or 0), t("chart.average", lang, value=f"{overall:.2f}"))]


def funnel_chart(c: CoverageSummary, lang: str, scope: ChartScope = NO_SCOPE) -> dbc.Card:
    """Registered → past warranty → eligible → eligible and applied → insured, as horizontal bars."""
    stages = [
        ("registered", c.registered),
        ("past_warranty", c.past_warranty),
        ("eligible", c.eligible),
        ("applied", c.eligible_applied),
        ("insured", c.insured),
    ]
    labels = [t(f"elevators.stage.{key}", lang) for key, _ in stages]
    values = [n for _, n in stages]
    text = [f"{count(n, lang)} · {percent(Decimal(n) / c.registered, lang)}" if c.registered else "0" for n in values]
    data = [
        {
            "type": "bar",
            "y": labels,
            "x": values,
            "orientation": "h",
            "marker": {"color": [LIGHT_GREY, LIGHT_GREY, PRIMARY_LIGHT, PRIMARY_LIGHT, PRIMARY]},
            "text": text,
            "textposition": "auto",
            "cliponaxis": False,
            "hovertemplate": "%{y}: %{x}<extra></extra>",
            "showlegend": False,
        }
    ]
    layout = _layout(
        t("elevators.chart.funnel.y", lang),
        t("elevators.chart.funnel.x", lang),
        left=120,
        yaxis={"autorange": "reversed", "type": "category"},
    )
    title, source = t("elevators.chart.funnel", lang), t("elevators.source.coverage", lang, date=day(c.as_of, lang))
    return _chart_card(
        title, _graph("elevators-funnel-chart", data, layout, lang, title, source, c.as_of, scope), source
    )


STAGE_COLOURS = {"purchased": PRIMARY, "vote_failed": GREY, "refused": GREY, "withdrawn": GREY}


def stages_chart(
    stages: list[tuple[Stage, int, int]], as_of: date, lang: str, scope: ChartScope = NO_SCOPE
) -> dbc.Card:
    """The funnel's "applied" step by where each application stands: elevators per stage (filed, in notice,
    objected, approved, insured; and the ones that ended without insurance)."""
    shown = [(s, e) for s, a, e in stages if a]
    source = t("elevators.source.stages", lang, date=day(as_of, lang))
    if not shown:
        return _chart_card(t("elevators.chart.stages", lang), html.P(t("elevators.chart.stages.none", lang)), source)
    labels = [t(f"stage.{s.value}", lang) for s, _ in shown]
    data = [
        {
            "type": "bar",
            "y": labels,
            "x": [e for _, e in shown],
            "orientation": "h",
            "marker": {"color": [STAGE_COLOURS.get(s.value, PRIMARY_LIGHT) for s, _ in shown]},
            "text": [count(e, lang) for _, e in shown],
            "textposition": "auto",
            "cliponaxis": False,
            "hovertemplate": "%{y}: %{x}<extra></extra>",
            "showlegend": False,
        }
    ]
    layout = _layout(
        t("elevators.chart.stages.y", lang),
        t("elevators.chart.stages.x", lang),
        left=140,
        yaxis={"autorange": "reversed", "type": "category"},
    )
    title = t("elevators.chart.stages", lang)
    return _chart_card(title, _graph("elevators-stages-chart", data, layout, lang, title, source, as_of, scope), source)


def conditions_chart(
    c: CoverageSummary, programmes: list[CityProgramme], lang: str, scope: ChartScope = NO_SCOPE
) -> dbc.Card:
    """How many registered elevators fail each of the five conditions."""
    premium_years, warranty_years = _terms(programmes, "min_premium_years"), _terms(programmes, "warranty_years")
    rows = [
        (t("elevators.cond.1", lang), c.fail_no_deposit),
        (t("elevators.cond.2", lang, years=premium_years), c.fail_pooled_account),
        (t("elevators.cond.3", lang), c.fail_management),
        (t("elevators.cond.4", lang, years=warranty_years), c.fail_warranty),
        (t("elevators.cond.5", lang), c.fail_insurer),
    ]
    data = [
        {
            "type": "bar",
            "y": [label for label, _ in rows],
            "x": [n for _, n in rows],
            "orientation": "h",
            "marker": {"color": INK},
            "text": [count(n, lang) for _, n in rows],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{y}: %{x}<extra></extra>",
            "showlegend": False,
        }
    ]
    most = max((n for _, n in rows), default=0)
    layout = _layout(
        t("elevators.chart.fails.y", lang),
        t("elevators.chart.fails.x", lang),
        left=230 if lang == "en" else 190,
        xaxis={"range": [0, max(1, most) * 1.18]},  # room for the counts outside the bars
        yaxis={"autorange": "reversed", "type": "category"},
    )
    title, source = t("elevators.chart.fails", lang), t("elevators.source.coverage", lang, date=day(c.as_of, lang))
    return _chart_card(
        title,
        _graph("elevators-fails-chart", data, layout, lang, title, source, c.as_of, scope),
        source,
        [html.Div(t("elevators.chart.fails.note", lang), className="small text-muted")],
    )


def coverage_chart(programmes: list[CityProgramme], as_of: date, lang: str, scope: ChartScope = NO_SCOPE) -> dbc.Card:
    """Each city's coverage line with its targets as dashed horizontal lines labelled with their due dates; a
    passed due date is marked green where the target was met and red where it was missed."""
    data: list[dict[str, Any]] = []
    xs = [p.as_of for prog in programmes for p in prog.line]
    x0, x1 = (min(xs), max(xs)) if xs else (as_of, as_of)
    for i, prog in enumerate(programmes):
        colour = CITY_COLOURS[i % len(CITY_COLOURS)]
        city = _name(prog.name, prog.name_en, lang)
        if prog.line:
            data.append(
                {
                    "type": "scatter",
                    "x": [p.as_of.isoformat() for p in prog.line],
                    "y": [float(p.coverage_rate) if p.coverage_rate is not None else None for p in prog.line],
                    "customdata": [[p.insured, p.eligible_applied] for p in prog.line],
                    "name": city,
                    "mode": "lines+markers",
                    "line": {"color": colour, "width": 2.5},
                    "hovertemplate": "%{x|%Y-%m-%d}: %{y:.1%} (%{customdata[0]:,} / %{customdata[1]:,})<extra>"
                    + city
                    + "</extra>",
                }
            )
        for target in prog.targets:
            name = t(
                "elevators.target.series",
                lang,
                city=city,
                share=percent(target.share, lang, 0),
                due=day(target.due_on, lang),
            )
            end = max(x1, min(target.due_on, as_of))
            data.append(
                {
                    "type": "scatter",
                    "x": [x0.isoformat(), end.isoformat()],
                    "y": [float(target.share)] * 2,
                    "name": name,
                    "mode": "lines",
                    "line": {"color": colour, "dash": "dash", "width": 1.5},
                    "hovertemplate": name + "<extra></extra>",
                    "meta": {"target": True},
                }
            )
            if x0 <= target.due_on <= as_of:
                data.append(
                    {
                        "type": "scatter",
                        "x": [target.due_on.isoformat()],
                        "y": [float(target.share)],
                        "mode": "markers",
                        "marker": {
                            "symbol": "line-ns-open",
                            "size": 18,
                            "color": TARGET_COLOURS.get(target.status, colour),
                            "line": {"width": 3},
                        },
                        "hovertemplate": name + "<extra></extra>",
                        "showlegend": False,
                    }
                )
    layout = {
        **_layout(
            t("elevators.chart.coverage.y", lang),
            t("elevators.chart.coverage.x", lang),
            height=380,
            xaxis={"type": "date", "tickformat": "%Y-%m"},
            yaxis={"tickformat": ".0%", "range": [0, 1.08], "rangemode": "normal"},
        ),
        "legend": {"orientation": "h", "y": -0.25, "x": 0},
        "margin": {"l": 60, "r": 24, "t": 16, "b": 90},
    }
    extra: list[object] = [
        html.Div(t("elevators.chart.coverage.note", lang), className="small text-muted"),
        html.Div(target_notes(programmes, lang), id="elevators-targets", className="small"),
    ]
    if not xs:
        extra.insert(0, html.Div(t("elevators.chart.coverage.empty", lang), className="small text-muted"))
    title, source = t("elevators.chart.coverage", lang), t("elevators.source.coverage", lang, date=day(as_of, lang))
    return _chart_card(
        title, _graph("elevators-coverage-chart", data, layout, lang, title, source, as_of, scope), source, extra
    )


def service_chart(
    rows: list[ServiceRow], first: date, as_of: date, lang: str, scope: ChartScope = NO_SCOPE
) -> dbc.Card:
    """Seed 000's three service claims, insured against uninsured, plus a compact table of the means."""
    insured, uninsured = rows
    metrics = [
        ("answered", "answered_30min_share"),
        ("repaired", "major_repaired_24h_share"),
        ("band", "visits_in_band_share"),
    ]
    labels = [t(f"elevators.metric.{key}", lang) for key, _ in metrics]
    data: list[dict[str, Any]] = []
    for row, colour, key in ((insured, PRIMARY, "insured"), (uninsured, GREY, "uninsured")):
        values = [getattr(row, attr) for _, attr in metrics]
        data.append(
            {
                "type": "bar",
                "x": labels,
                "y": [float(v) if v is not None else None for v in values],
                "name": t(f"elevators.series.{key}", lang),
                "marker": {"color": colour},
                "text": [percent(v, lang) for v in values],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": "%{y:.1%}<extra>" + t(f"elevators.series.{key}", lang) + "</extra>",
            }
        )
    layout = {
        **_layout(
            t("elevators.chart.service.y", lang),
            t("elevators.chart.service.x", lang),
            height=300,
            yaxis={"tickformat": ".0%", "range": [0, 1.15], "rangemode": "normal"},
        ),
        "barmode": "group",
    }
    title, source = (
        t("elevators.chart.service", lang),
        t("elevators.source.faults", lang, period=period(first, as_of, lang)),
    )
    return _chart_card(
        title,
        _graph("elevators-service-chart", data, layout, lang, title, source, as_of, scope),
        source,
        [service_table(rows, lang), html.Div(t("elevators.chart.service.note", lang), className="small text-muted")],
    )


def _minutes(value: Decimal | None) -> str:
    return f"{value:.1f}" if value is not None else "—"


def service_table(rows: list[ServiceRow], lang: str) -> dbc.Table:
    insured, uninsured = rows
    lines = [
        ("faults", count(insured.faults, lang), count(uninsured.faults, lang)),
        ("mean_response", _minutes(insured.mean_response_minutes), _minutes(uninsured.mean_response_minutes)),
        ("major", count(insured.major_faults, lang), count(uninsured.major_faults, lang)),
        ("trapped", count(insured.trapped_incidents, lang), count(uninsured.trapped_incidents, lang)),
        ("visits", count(insured.visits, lang), count(uninsured.visits, lang)),
        ("mean_visit", _minutes(insured.mean_visit_minutes), _minutes(uninsured.mean_visit_minutes)),
    ]
    head = html.Thead(
        html.Tr(
            [
                html.Th(t("elevators.metric.name", lang)),
                html.Th(t("elevators.series.insured", lang), className="text-end"),
                html.Th(t("elevators.series.uninsured", lang), className="text-end"),
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(t(f"elevators.metric.{key}", lang)),
                    html.Td(a, className="text-end"),
                    html.Td(b, className="text-end"),
                ]
            )
            for key, a, b in lines
        ]
    )
    return dbc.Table([head, body], size="sm", className="mb-1 mt-2 small", id="elevators-service-table")


def district_chart(
    rows: list[DistrictFaultRow], first: date, as_of: date, lang: str, scope: ChartScope = NO_SCOPE
) -> dbc.Card:
    """Faults per 100 elevators by district, against the area's own rate (a dashed line: nine near-equal bars say
    nothing without it); customdata starts with (district id, city code) for the click. The bars lie along x with
    the names on the y axis (components/district_bars.py: long names never overlap, at a phone's width either)."""
    names = district_bars.labels([_name(r.name, r.name_en, lang) for r in rows], lang)
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": names,
            "x": [float(r.faults_per_100) if r.faults_per_100 is not None else None for r in rows],
            "customdata": [[r.district_id, r.city_code, r.faults, r.elevators] for r in rows],
            "marker": {"color": PRIMARY},
            "hovertemplate": "%{y}: %{x:.1f}<br>"
            + t("elevators.hover.faults", lang, n="%{customdata[2]:,}")
            + " · "
            + t("elevators.hover.elevators", lang, n="%{customdata[3]:,}")
            + "<extra></extra>",
            "showlegend": False,
        }
    ]
    layout = {
        **district_bars.layout(names, t("elevators.chart.per100.y", lang), t("filter.district", lang)),
        "font": FONT,
        "clickmode": "event",
    }
    layout = with_references(layout, *(district_bars.across(line) for line in _average(rows, lang)))
    title, source = (
        t("elevators.chart.district", lang),
        t("elevators.source.faults", lang, period=period(first, as_of, lang)),
    )
    return _chart_card(
        title,
        _graph("elevators-district-chart", data, layout, lang, title, source, as_of, scope),
        source,
        [html.Div(t("chart.click_district", lang), className="chart-source")],
    )


def hours_chart(
    hours: list[tuple[int, int]], first: date, as_of: date, lang: str, scope: ChartScope = NO_SCOPE
) -> dbc.Card:
    data = [
        {
            "type": "bar",
            "x": [h for h, _ in hours],
            "y": [n for _, n in hours],
            "marker": {"color": PRIMARY},
            "hovertemplate": "%{x}:00–%{x}:59 · %{y:,}<extra></extra>",
            "showlegend": False,
        }
    ]
    layout = _layout(
        t("elevators.chart.hours.y", lang),
        t("elevators.chart.hours.x", lang),
        xaxis={"tickmode": "linear", "dtick": 2, "range": [-0.5, 23.5]},
    )
    title, source = (
        t("elevators.chart.hours", lang),
        t("elevators.source.faults", lang, period=period(first, as_of, lang)),
    )
    return _chart_card(title, _graph("elevators-hours-chart", data, layout, lang, title, source, as_of, scope), source)


def age_chart(bands: list[AgeBandRow], first: date, as_of: date, lang: str, scope: ChartScope = NO_SCOPE) -> dbc.Card:
    """Faults per 100 elevators by the elevators' age, against the area's own rate."""
    data = [
        {
            "type": "bar",
            "x": [b.label for b in bands],
            "y": [float(b.faults_per_100) if b.faults_per_100 is not None else None for b in bands],
            "customdata": [[b.faults, b.elevators] for b in bands],
            "marker": {"color": PRIMARY},
            "hovertemplate": "%{x}: %{y:.1f}<br>"
            + t("elevators.hover.faults", lang, n="%{customdata[0]:,}")
            + " · "
            + t("elevators.hover.elevators", lang, n="%{customdata[1]:,}")
            + "<extra></extra>",
            "showlegend": False,
        }
    ]
    layout = _layout(t("elevators.chart.per100.y", lang), t("elevators.chart.age.x", lang), xaxis={"type": "category"})
    layout = with_references(layout, *_average(bands, lang))
    title, source = (
        t("elevators.chart.age", lang),
        t("elevators.source.faults", lang, period=period(first, as_of, lang)),
    )
    return _chart_card(title, _graph("elevators-age-chart", data, layout, lang, title, source, as_of, scope), source)


# --------------------------------------------------------------------------- compound table and its exports


def compound_columns(lang: str) -> list[dict[str, Any]]:
    def number(field: str, header: str, fmt: str = ",d") -> dict[str, Any]:
        return {
            "field": field,
            "headerName": header,
            "type": "rightAligned",
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
            "valueFormatter": {"function": f"params.value == null ? '—' : d3.format('{fmt}')(params.value)"},
        }

    return [
        compound_column(t("col.compound", lang)),
        {"field": "district", "headerName": t("col.district", lang)},
        number("elevators", t("elevators.col.elevators", lang)),
        number("past_warranty", t("elevators.col.past_warranty", lang)),
        number("insured", t("elevators.col.insured", lang)),
        number("faults", t("elevators.col.faults", lang)),
        number("faults_per_100", t("elevators.col.per100", lang), ",.2f"),
        number("trapped", t("elevators.col.trapped", lang)),
    ]


def compound_rows(rows: list[CompoundElevatorRow], lang: str) -> list[dict[str, Any]]:
    return [
        {
            "compound_id": r.compound_id,
            "compound": r.compound,
            "district": _name(r.district, r.district_en, lang),
            "elevators": r.elevators,
            "past_warranty": r.past_warranty,
            "insured": r.insured,
            "faults": r.faults,
            "faults_per_100": float(r.faults_per_100) if r.faults_per_100 is not None else None,
            "trapped": r.trapped_incidents,
        }
        for r in rows
    ]


def compound_table(lang: str) -> html.Div:
    """The compound grid without rows: pages/elevators.py answers its block requests."""
    return compound_grid("elevators-grid", compound_columns(lang), lang)


def _exact(rows: list[CompoundElevatorRow]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A grid row as the exports write it: faults per 100 as the exact two-place decimal the grid shows rounded."""
    exact = {r.compound_id: r.faults_per_100 for r in rows}
    return lambda row: {**row, "faults_per_100": exact[row["compound_id"]]}


def compound_csv(rows: list[CompoundElevatorRow], lang: str, sort_model: object = None) -> str:
    """The same rows and columns as the table, as UTF-8 CSV (with BOM); faults per 100 as exact two-place decimals."""
    return grid_csv(compound_rows(rows, lang), compound_columns(lang), sort_model, _exact(rows))


def compound_xlsx(rows: list[CompoundElevatorRow], lang: str, sort_model: object = None) -> bytes:
    """The same rows and columns as the table, in its order, faults per 100 as exact two-place decimals."""
    formats = {"faults_per_100": "#,##0.00"}
    return grid_xlsx(compound_rows(rows, lang), compound_columns(lang), lang, sort_model, _exact(rows), formats)
