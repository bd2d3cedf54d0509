"""/red-property: cards, charts and the compound table, as pure functions of query results.

Everything here is an aggregate or a compound-level figure: no person's name reaches this page.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

import dash_bootstrap_components as dbc
from babel.numbers import format_decimal
from dash import html

from components import district_bars
from components.filters import change_badge, compound_column, compound_grid, grid_csv, grid_xlsx
from components.formatting import bracketed, colon, count, day, locale_of, percent
from components.i18n import t
from components.overview import kpi_card
from components.plots import (
    FONT,
    INK,
    LIGHT_GREY,
    NO_SCOPE,
    PRIMARY,
    PRIMARY_LIGHT,
    SEQUENTIAL,
    ChartScope,
    bar_label,
    chart_graph,
    group_offset,
    mark_partial,
    partial_legend,
    partial_note,
    partial_short,
    quarter_is_partial,
    reference_line,
    with_references,
)
from data_access.red_property import (
    REDS,
    AgendaCount,
    CompoundRedRow,
    DistrictStations,
    ProjectScore,
    QuarterCount,
    RedFigures,
    ResolveTimes,
    StageCount,
)

SCORE_ROWS = 15  # the heat-map's rows: the best projects; more would need a scroll that cuts a row in half
CATEGORIES = (
    "ebike_charging",
    "water_leak",
    "add_elevator",
    "parking",
    "unsafe_facility",
    "elevator_insurance",
    "property_service",
    "other",
)
# An item's outcome: resolved in the strong blue, the open ones in lighter and warmer tones; none is "bad".
OUTCOME_COLOURS = {
    "resolved": PRIMARY,
    "partly_resolved": PRIMARY_LIGHT,
    "deferred": "#a07a2a",  # 3.9:1 on white (was 2.0:1)
    "referred": "#7e8c99",
    "rejected": INK,
    None: LIGHT_GREY,
}
# A project's stage, from declared (light) to accepted (the strong blue): a sequence, not a judgement.
# Each stage at 3:1 or more on white (WCAG 1.4.11; declared was 1.3:1).
STAGE_COLOURS = {"declared": "#8794a8", "building": "#6f8fb0", "inspected": "#45719b", "accepted": PRIMARY}


def _with_unit(n: int, unit_key: str, lang: str) -> str:
    return f"{count(n, lang)} {t(unit_key, lang)}"


def red_cards(current: RedFigures, previous: RedFigures | None, lang: str) -> dbc.Row:
    """Stocks as of the date; changes against the same day a year earlier (flows from 1 January to then)."""
    s, p = current.summary, previous.summary if previous else None
    as_of = t("overview.as_of", lang, date=day(current.as_of, lang))
    year = current.as_of.year

    def was(field: str) -> int | None:
        return getattr(p, field) if p else None

    cards = [
        kpi_card(
            "red-property-card-accepted",
            t("red_property.card.accepted", lang),
            _with_unit(s.accepted_projects, "red_property.unit.projects", lang),
            [change_badge(s.accepted_projects, was("accepted_projects"), lang)],
            as_of,
        ),
        kpi_card(
            "red-property-card-committees",
            t("red_property.card.committees", lang),
            _with_unit(s.industry_party_committees, "red_property.unit.committees", lang),
            [change_badge(s.industry_party_committees, was("industry_party_committees"), lang)],
            as_of,
        ),
        kpi_card(
            "red-property-card-companies",
            t("red_property.card.companies", lang),
            _with_unit(s.companies_with_party_org, "red_property.unit.companies", lang),
            [
                t(
                    "red_property.card.companies.note",
                    lang,
                    share=percent(current.company_share, lang),
                    total=count(current.companies_registered, lang),
                ),
                change_badge(s.companies_with_party_org, was("companies_with_party_org"), lang),
            ],
            as_of,
        ),
        kpi_card(
            "red-property-card-stations",
            t("red_property.card.stations", lang),
            _with_unit(s.compounds_with_service_station, "red_property.unit.compounds", lang),
            [
                t(
                    "red_property.card.stations.note",
                    lang,
                    share=percent(current.station_share, lang),
                    total=count(current.compounds, lang),
                ),
                change_badge(s.compounds_with_service_station, was("compounds_with_service_station"), lang),
            ],
            as_of,
        ),
        kpi_card(
            "red-property-card-resolved",
            t("red_property.card.resolved", lang),
            _with_unit(s.council_items_resolved, "red_property.unit.items", lang),
            [
                html.Span(
                    t(
                        "red_property.card.resolved.note",
                        lang,
                        year=year,
                        n=count(current.resolved_in_year, lang),
                        last="—" if previous is None else count(previous.resolved_in_year, lang),
                    ),
                    id="red-property-card-resolved-year",
                ),
                change_badge(s.council_items_resolved, was("council_items_resolved"), lang),
            ],
            as_of,
        ),
        kpi_card(
            "red-property-card-overdue",
            t("red_property.card.overdue", lang),
            _with_unit(current.overdue_follow_ups, "red_property.unit.items", lang),
            [
                t("red_property.card.overdue.note", lang),
                change_badge(
                    current.overdue_follow_ups,
                    previous.overdue_follow_ups if previous else None,
                    lang,
                    higher_is_good=False,
                ),
            ],
            as_of,
        ),
    ]
    return dbc.Row(
        [dbc.Col(c, xs=12, sm=6, xl=4, className="mb-3") for c in cards], className="g-3", id="red-property-cards"
    )


def _chart_card(title: str, body: object, source: str, *notes: str | None) -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(title, className="h6 mb-2"),
                body,
                *(html.Div(note, className="chart-source") for note in notes if note),
                html.Div(source, className="chart-source"),
            ]
        ),
        className="chart-card shadow-sm",
    )


def _layout(
    y_title: str,
    x_title: str,
    *,
    height: int = 320,
    x_category: bool = True,
    xaxis: dict[str, Any] | None = None,
    yaxis: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The charts' common layout; xaxis and yaxis add to (or override) the axes' defaults."""
    return {
        "margin": {"l": 60, "r": 24, "t": 16, "b": 48},
        "height": height,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "legend": {"orientation": "h", "y": 1.12, "x": 0},
        "font": FONT,
        "xaxis": {"title": {"text": x_title}, **({"type": "category"} if x_category else {}), **(xaxis or {})},
        "yaxis": {"title": {"text": y_title}, "gridcolor": "#eceff3", "rangemode": "tozero", **(yaxis or {})},
    }


def _count_axis(top: int) -> dict[str, Any]:
    """Counts are whole numbers: small ranges get a tick per unit instead of 0.5 steps."""
    return {"tickformat": ",d", "dtick": 1} if top < 5 else {"tickformat": ",d"}


def _graph(
    graph_id: str,
    data: list[dict[str, Any]],
    layout: dict[str, Any],
    lang: str,
    title: str,
    source: str,
    as_of: date,
    scope: ChartScope,
    notes: list[str | None] | None = None,
) -> html.Figure:
    return chart_graph(
        graph_id, data, layout, lang, title=title, source=source, as_of=as_of, scope=scope, notes=notes or []
    )


def pipeline_chart(stages: list[StageCount], as_of: date, lang: str, scope: ChartScope = NO_SCOPE) -> dbc.Card:
    """Declared → building → inspected → accepted, top to bottom, as horizontal bars."""
    labels = [t(f"red_property.stage.{s.stage}", lang) for s in stages]
    data = [
        {
            "type": "bar",
            "y": labels,
            "x": [s.projects for s in stages],
            "orientation": "h",
            "marker": {"color": [STAGE_COLOURS[s.stage] for s in stages]},
            "text": [count(s.projects, lang) for s in stages],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{y}: %{x}<extra></extra>",
            "showlegend": False,
        }
    ]
    layout = {
        **_layout(
            t("red_property.chart.pipeline.y", lang),
            t("red_property.chart.pipeline.x", lang),
            height=400,
            x_category=False,
            xaxis={"rangemode": "tozero", "gridcolor": "#eceff3", **_count_axis(max(s.projects for s in stages))},
            yaxis={"type": "category", "autorange": "reversed", "gridcolor": "rgba(0,0,0,0)"},
        ),
        "margin": {"l": 100, "r": 40, "t": 16, "b": 48},
    }
    title, source = (
        t("red_property.chart.pipeline", lang),
        t("red_property.source.projects", lang, date=day(as_of, lang)),
    )
    return _chart_card(
        title,
        _graph("red-property-pipeline-chart", data, layout, lang, title, source, as_of, scope),
        source,
        t("red_property.chart.pipeline.note", lang),
    )


def _project_labels(scores: list[ProjectScore], lang: str) -> list[str]:
    """Compound names, with the district added where two projects share a name."""
    names = Counter(s.compound for s in scores)
    return [
        s.compound
        if names[s.compound] == 1
        else s.compound + bracketed(s.district if lang == "zh" else s.district_en, lang)
        for s in scores
    ]


def scores_chart(scores: list[ProjectScore], as_of: date, lang: str, scope: ChartScope = NO_SCOPE) -> dbc.Card:
    """Heat-map: one row per scored project (best total on top, at most SCORE_ROWS: the chart grows with its rows
    and never scrolls, so no row is cut and it prints whole), one column per red, 0–20 points on a light-to-dark
    blue scale with a tick every 5 points (dark is a high score, not a warning)."""
    source = t("red_property.source.projects", lang, date=day(as_of, lang))
    title = t("red_property.chart.scores", lang)
    if not scores:
        return _chart_card(
            title,
            html.Div(t("red_property.chart.scores.empty", lang), className="text-muted py-5 text-center"),
            source,
        )
    total = len(scores)
    scores = scores[:SCORE_ROWS]
    reds = [t(f"red_property.red.{r}", lang) for r in REDS]
    labels = _project_labels(scores, lang)
    hover = [
        [
            t(
                "red_property.chart.scores.hover",
                lang,
                compound=label,
                red=red,
                score=s.scores[i],
                stage=t(f"red_property.stage.{s.stage}", lang),
            )
            for i, red in enumerate(reds)
        ]
        for s, label in zip(scores, labels, strict=True)
    ]
    data = [
        {
            "type": "heatmap",
            "z": [list(s.scores) for s in scores],
            "x": reds,
            "y": labels,
            "zmin": 0,
            "zmax": 20,
            "colorscale": SEQUENTIAL,
            "text": [[str(v) for v in s.scores] for s in scores],
            "texttemplate": "%{text}",
            "customdata": hover,
            "hovertemplate": "%{customdata}<extra></extra>",
            "xgap": 2,
            "ygap": 2,
            "colorbar": {
                "title": {"text": t("red_property.chart.scores.colour", lang)},
                "thickness": 12,
                "len": 1,
                "lenmode": "fraction",
                "tickmode": "array",
                "tickvals": [0, 5, 10, 15, 20],
                "ticktext": ["0", "5", "10", "15", "20"],
                "outlinewidth": 0,
            },
        }
    ]
    layout = {
        "margin": {"l": 150, "r": 16, "t": 64, "b": 16},
        "height": max(240, 28 * len(scores) + 110),
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": FONT,
        "xaxis": {"title": {"text": t("red_property.chart.scores.x", lang)}, "side": "top", "type": "category"},
        "yaxis": {
            "title": {"text": t("red_property.chart.scores.y", lang)},
            "autorange": "reversed",
            "type": "category",
            "automargin": True,
        },
    }
    graph = _graph("red-property-scores-chart", data, layout, lang, title, source, as_of, scope)
    note = (
        t("red_property.chart.scores.note", lang, n=count(total, lang))
        if total <= SCORE_ROWS
        else t("red_property.chart.scores.top", lang, shown=count(SCORE_ROWS, lang), n=count(total, lang))
    )
    return _chart_card(title, graph, source, note)


def district_chart(rows: list[DistrictStations], as_of: date, lang: str, scope: ChartScope = NO_SCOPE) -> dbc.Card:
    """Share of compounds with a station per district, against the area's own share (dashed); customdata =
    (district id, city code) for the click. The bars lie along x with the names on the y axis
    (components/district_bars.py: long names never overlap, at a phone's width either)."""
    names = [r.district if lang == "zh" else r.district_en for r in rows]
    labels = district_bars.labels(names, lang)
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": labels,
            "x": [float(r.share or 0) for r in rows],
            "customdata": [[r.district_id, r.city_code] for r in rows],
            "text": [percent(r.share, lang) for r in rows],
            # inside the bar's end, over the average line drawn behind the bars: outside, the line crossed them
            "textposition": "auto",
            "insidetextanchor": "end",
            "cliponaxis": False,
            "hovertext": [
                t(
                    "red_property.chart.district.hover",
                    lang,
                    district=n,
                    with_station=count(r.with_station, lang),
                    compounds=count(r.compounds, lang),
                )
                for n, r in zip(names, rows, strict=True)
            ],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {"color": PRIMARY},
            "name": t("red_property.chart.district.y", lang),
            "showlegend": False,
        }
    ]
    axis = {"tickformat": ".0%", "range": [0, 1.05], "tickvals": [0, 0.25, 0.5, 0.75, 1]}
    layout = {
        **district_bars.layout(labels, t("red_property.chart.district.y", lang), t("filter.district", lang), **axis),
        "font": FONT,
        "clickmode": "event",
    }
    compounds = sum(r.compounds for r in rows)
    if compounds and len(rows) > 1:
        overall = Decimal(sum(r.with_station for r in rows)) / compounds
        average = reference_line(float(overall), t("chart.average", lang, value=percent(overall, lang)))
        layout = with_references(layout, district_bars.across(average, behind=True))
    title = t("red_property.chart.district", lang)
    source = t("red_property.source.stations", lang, date=day(as_of, lang))
    return _chart_card(
        title,
        _graph("red-property-district-chart", data, layout, lang, title, source, as_of, scope),
        source,
        t("chart.click_district", lang),
    )


def agenda_chart(rows: list[AgendaCount], as_of: date, lang: str, scope: ChartScope = NO_SCOPE) -> dbc.Card:
    """Stacked bars: the year's agenda items per category, split by recorded outcome."""
    present = {r.category for r in rows}
    categories = [c for c in CATEGORIES if c in present] + sorted(present - set(CATEGORIES))
    counts = {(r.category, r.outcome): r.items for r in rows}
    labels = [t(f"red_property.category.{c}", lang) if c in CATEGORIES else c for c in categories]
    data: list[dict[str, Any]] = []
    for outcome, colour in OUTCOME_COLOURS.items():
        ys = [counts.get((c, outcome), 0) for c in categories]
        if not any(ys):
            continue
        name = t(f"red_property.outcome.{outcome or 'none'}", lang)
        data.append(
            {
                "type": "bar",
                "x": labels,
                "y": ys,
                "name": name,
                "marker": {"color": colour},
                "hovertemplate": "%{x} · " + name + colon(lang) + "%{y}<extra></extra>",
            }
        )
    totals = [sum(counts.get((c, o), 0) for o in OUTCOME_COLOURS) for c in categories]
    base = _layout(
        t("red_property.chart.agenda.y", lang),
        t("red_property.chart.agenda.x", lang),
        height=360,
        yaxis=_count_axis(max(totals, default=0)),
    )
    layout = {
        **base,
        "barmode": "stack",
        "legend": {**base["legend"], "y": 1.2, "traceorder": "normal"},
        "margin": {**base["margin"], "t": 40},
    }
    title = t("red_property.chart.agenda", lang, year=as_of.year)
    source = t("red_property.source.councils", lang, date=day(as_of, lang))
    return _chart_card(
        title, _graph("red-property-agenda-chart", data, layout, lang, title, source, as_of, scope), source
    )


def _days(value: Decimal | int | None, lang: str) -> str:
    return "—" if value is None else format_decimal(value, locale=locale_of(lang))


def resolve_chart(resolve: ResolveTimes, as_of: date, lang: str, scope: ChartScope = NO_SCOPE) -> dbc.Card:
    """How long resolved items took, from the meeting that first raised them, in day bands."""
    data = [
        {
            "type": "bar",
            "x": [t(f"red_property.band.{key}", lang) for key, _ in resolve.bands],
            "y": [n for _, n in resolve.bands],
            "text": [count(n, lang) for _, n in resolve.bands],
            "textposition": "outside",
            "cliponaxis": False,
            "marker": {"color": PRIMARY},
            "hovertemplate": "%{x}: %{y}<extra></extra>",
            "showlegend": False,
        }
    ]
    layout = _layout(
        t("red_property.chart.resolve.y", lang),
        t("red_property.chart.resolve.x", lang),
        height=360,
        yaxis=_count_axis(max((n for _, n in resolve.bands), default=0)),
    )
    summary = t(
        "red_property.chart.resolve.summary",
        lang,
        n=count(resolve.items, lang),
        mean=_days(resolve.mean_days, lang),
        median=_days(resolve.median_days, lang),
    )
    title = t("red_property.chart.resolve", lang, year=as_of.year)
    source = t("red_property.source.councils", lang, date=day(as_of, lang))
    return _chart_card(
        title,
        html.Div(
            [
                html.Div(summary, className="small mb-1", id="red-property-resolve-summary"),
                _graph("red-property-resolve-chart", data, layout, lang, title, source, as_of, scope),
            ]
        ),
        source,
    )


def quarter_chart(rows: list[QuarterCount], as_of: date, lang: str, scope: ChartScope = NO_SCOPE) -> dbc.Card:
    """Meetings per quarter: this year (to the as-of date) against the previous year. The quarter still running is
    hatched and labelled with the day it runs to (a partial Q4 beside a whole one read as a collapse)."""
    data: list[dict[str, Any]] = []
    labels: list[dict[str, Any]] = []
    years = sorted({r.year for r in rows})
    running = False
    for i, year in enumerate(years):
        points = [r for r in rows if r.year == year]
        name = t("overview.year", lang, year=year)
        partial = [quarter_is_partial(r.year, r.quarter, as_of) for r in points]
        trace = {
            "type": "bar",
            "x": [t("red_property.quarter", lang, q=r.quarter) for r in points],
            "y": [r.meetings for r in points],
            "name": name,
            "marker": {"color": PRIMARY if year == as_of.year else LIGHT_GREY},
            "hovertemplate": "%{x}: %{y}<extra>" + name + "</extra>",
        }
        data.append(mark_partial(trace, partial, partial_note(as_of, lang)))
        for r, p in zip(points, partial, strict=True):
            if p:
                running = True
                labels.append(
                    bar_label(r.quarter - 1 + group_offset(i, len(years)), r.meetings, partial_short(as_of, lang))
                )
    layout = {
        **_layout(
            t("red_property.chart.quarters.y", lang),
            t("red_property.chart.quarters.x", lang),
            xaxis={
                "categoryorder": "array",
                "categoryarray": [t("red_property.quarter", lang, q=q) for q in range(1, 5)],
            },
            yaxis=_count_axis(max((r.meetings for r in rows), default=0)),
        ),
        "barmode": "group",
        **({"annotations": labels} if labels else {}),
    }
    title, source = (
        t("red_property.chart.quarters", lang),
        t("red_property.source.councils", lang, date=day(as_of, lang)),
    )
    note = partial_legend(as_of, lang) if running else None
    return _chart_card(
        title,
        _graph("red-property-quarter-chart", data, layout, lang, title, source, as_of, scope, [note]),
        source,
        note,
    )


# --------------------------------------------------------------------------- compound table


def compound_columns(lang: str) -> list[dict[str, Any]]:
    wrap = {"wrapHeaderText": True, "autoHeaderHeight": True}
    number = {"type": "rightAligned", **wrap}
    return [
        compound_column(t("col.compound", lang)),
        {"field": "district", "headerName": t("col.district", lang)},
        {"field": "stage", "headerName": t("red_property.col.stage", lang), **wrap},
        {"field": "total_score", "headerName": t("red_property.col.total_score", lang), **number},
        {"field": "station", "headerName": t("red_property.col.station", lang), **wrap},
        {"field": "meetings", "headerName": t("red_property.col.meetings", lang), **number},
        {"field": "resolved", "headerName": t("red_property.col.resolved", lang), **number},
        {"field": "overdue", "headerName": t("red_property.col.overdue", lang), **number},
    ]


def compound_rows(rows: list[CompoundRedRow], lang: str) -> list[dict[str, Any]]:
    """Grid rows (the Excel export writes exactly these values, in this order)."""
    return [
        {
            "compound_id": r.compound_id,
            "compound": r.compound,
            "district": r.district if lang == "zh" else r.district_en,
            "stage": t(f"red_property.stage.{r.stage}", lang) if r.stage else t("red_property.none", lang),
            "total_score": r.total_score,
            "station": t("red_property.yes" if r.has_station else "red_property.no", lang),
            "meetings": r.meetings_in_year,
            "resolved": r.resolved_in_year,
            "overdue": r.overdue_follow_ups,
        }
        for r in rows
    ]


def compound_table(lang: str) -> html.Div:
    """The compound grid without rows: pages/red_property.py answers its block requests."""
    return compound_grid("red-property-grid", compound_columns(lang), lang)


def compound_csv(rows: list[CompoundRedRow], lang: str, sort_model: object = None) -> str:
    """The same rows and columns as the table, as UTF-8 CSV (with BOM)."""
    return grid_csv(compound_rows(rows, lang), compound_columns(lang), sort_model)


def compound_xlsx(rows: list[CompoundRedRow], lang: str, sort_model: object = None) -> bytes:
    """The same rows and columns as the table, in its order, as an Excel workbook."""
    return grid_xlsx(compound_rows(rows, lang), compound_columns(lang), lang, sort_model)
