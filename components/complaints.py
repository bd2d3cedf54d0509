"""/complaints: cards, charts, the handling table and the compound grid, as pure functions of query results."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import dash_bootstrap_components as dbc
from babel.numbers import format_decimal
from dash import html
from dash.development.base_component import ComponentSingleType

from components.filters import compound_column, compound_grid, grid_csv, grid_xlsx
from components.formatting import count, day, locale_of, percent
from components.i18n import t
from components.overview import complaint_change, kpi_card
from components.plots import (
    CATEGORICAL,
    FONT,
    GREY,
    NO_SCOPE,
    PRIMARY,
    PRIMARY_LIGHT,
    ChartScope,
    bar_label,
    chart_graph,
    mark_partial,
    month_is_partial,
    partial_legend,
    partial_note,
    partial_short,
)
from data_access.complaint_cohorts import CohortMonth, CohortSummary
from data_access.complaint_compounds import CompoundComplaintRow
from data_access.complaint_counts import CategoryMonth, CloseStats, DistrictLabel, DistrictMonth, SatisfactionRow
from data_access.complaints import ComplaintsPage
from data_access.core.models import WorkOrderCategory

# Elevator orders in the strong blue at the bottom of the stack; the other categories in quiet tones so it reads
# against them. No red: a kind of complaint is not "bad" beside another. Each at 3:1 or more on white (WCAG 1.4.11;
# the quieter tones were 1.3–2.4:1), and the data table under the chart names every figure.
CATEGORY_COLOURS = {
    "elevator": PRIMARY,
    "property_fee": "#7c8f99",
    "water_leak": "#6f8fb0",
    "ebike_charging": "#a07a2a",
    "parking": "#8794a8",
    "noise": "#8b6f9c",
    "sanitation": "#5f8a55",
    "other": "#8a95a1",
}
DISTRICT_COLOURS = list(CATEGORICAL)
COHORT_STYLE = {
    "insured_before": {"color": PRIMARY_LIGHT, "dash": "dot"},
    "insured_after": {"color": PRIMARY, "dash": "solid"},
    "never_insured": {"color": GREY, "dash": "solid"},
}


# --------------------------------------------------------------------------- small helpers


def number(value: Decimal | None, lang: str, digits: int = 2) -> str:
    if value is None:
        return "—"
    return format_decimal(value, format="#,##0." + "0" * digits, locale=locale_of(lang))


def months_between(first: date, last: date) -> list[tuple[int, int]]:
    """Every (year, month) from first's month to last's month, both included."""
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_label(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def month_x(year: int, month: int) -> str:
    """A month as plotly's date axis takes it: its first day."""
    return f"{year}-{month:02d}-01"


def relative_change(current: int | Decimal | None, previous: int | Decimal | None) -> Decimal | None:
    if current is None or not previous:
        return None
    return (Decimal(current) - Decimal(previous)) / Decimal(previous)


def change_span(
    current: int | Decimal | None, previous: int | Decimal | None, lang: str, higher_is_good: bool
) -> html.Span:
    """Change against the same days a year earlier, green when the direction is good news."""
    change = relative_change(current, previous)
    if change is None:
        return html.Span(t("card.change.none", lang), className="text-muted")
    if change == 0:
        return html.Span(t("card.change.flat", lang))
    key = "card.change.up" if change > 0 else "card.change.down"
    good = (change > 0) == higher_is_good
    return html.Span(
        t(key, lang, pct=percent(abs(change), lang)), className="kpi-change-good" if good else "kpi-change-bad"
    )


def _signed(change: Decimal | None, lang: str) -> str:
    if change is None:
        return "—"
    sign = "+" if change > 0 else ("−" if change < 0 else "")
    return sign + percent(abs(change), lang)


# --------------------------------------------------------------------------- cards


def complaint_cards(data: ComplaintsPage, first_year: int, lang: str) -> dbc.Row:
    """Flows from 1 January to as_of, each set against the same days a year earlier."""
    assert data.elevator and data.totals and data.previous
    e, now, prev = data.elevator, data.totals, data.previous
    ytd = t("overview.ytd", lang, year=data.as_of.year, date=day(data.as_of, lang))
    elevator_share = Decimal(now.elevator_orders) / now.orders if now.orders else None
    cards = [
        kpi_card(
            "complaints-card-elevator",
            t("card.complaints", lang),
            f"{count(e.this_period, lang)} {t('unit.items', lang)}",
            [complaint_change(e, lang), t("card.complaints.note", lang, last=count(e.last_period, lang))],
            ytd,
        ),
        kpi_card(
            "complaints-card-all",
            t("complaints.card.all", lang),
            f"{count(now.orders, lang)} {t('unit.items', lang)}",
            [
                change_span(now.orders, prev.orders, lang, higher_is_good=False),
                t("complaints.card.all.note", lang, share=percent(elevator_share, lang)),
            ],
            ytd,
        ),
        kpi_card(
            "complaints-card-days",
            t("complaints.card.days", lang),
            t("complaints.card.days.value", lang, days=number(now.mean_days_to_close, lang, 1))
            if now.mean_days_to_close is not None
            else "—",
            [
                change_span(now.mean_days_to_close, prev.mean_days_to_close, lang, higher_is_good=False),
                t(
                    "complaints.card.days.note",
                    lang,
                    days=number(now.elevator_mean_days_to_close, lang, 1),
                    open=count(now.orders - now.closed, lang),
                ),
            ],
            ytd,
        ),
        kpi_card(
            "complaints-card-satisfaction",
            t("complaints.card.satisfaction", lang),
            percent(now.share_satisfied, lang),
            [
                t("complaints.card.last_year", lang, value=percent(prev.share_satisfied, lang)),
                t(
                    "complaints.card.satisfaction.note",
                    lang,
                    share=percent(now.elevator_share_satisfied, lang),
                    rated=count(now.rated, lang),
                ),
            ],
            ytd,
        ),
        before_after_card(data.before_after, data.as_of, first_year, lang),
    ]
    return dbc.Row(
        [dbc.Col(c, className="mb-3") for c in cards],
        className="g-3 row-cols-1 row-cols-sm-2 row-cols-lg-3 row-cols-xl-5",
        id="complaints-cards",
    )


def before_after_card(rows: list[CohortSummary], as_of: date, first_year: int, lang: str) -> dbc.Card:
    """The insured compounds' before/after rate next to the never-insured compounds' change over two windows."""
    insured, never = rows
    n = insured.months
    if never.before_window is None or never.after_window is None or never.before_window[0] < date(first_year, 1, 1):
        never_note = t("complaints.card.before_after.never_nodata", lang, months=n)
    else:
        never_note = t(
            "complaints.card.before_after.never",
            lang,
            first=month_label(never.after_window[0].year, never.after_window[0].month),
            last=month_label(never.after_window[1].year, never.after_window[1].month),
            months=n,
            before=number(never.before_per_100, lang),
            after=number(never.after_per_100, lang),
            change=_signed(relative_change(never.after_per_100, never.before_per_100), lang),
        )
    if insured.compounds == 0:
        value = "—"
        notes: list[ComponentSingleType] = [t("complaints.card.before_after.none", lang, months=n), never_note]
    else:
        value = f"{number(insured.before_per_100, lang)} → {number(insured.after_per_100, lang)}"
        change = relative_change(insured.after_per_100, insured.before_per_100)
        notes = [
            html.Span(
                t("complaints.card.before_after.change", lang, change=_signed(change, lang)),
                className="kpi-change-good" if change is not None and change <= 0 else "kpi-change-bad",
            ),
            t(
                "complaints.card.before_after.scope",
                lang,
                compounds=count(insured.compounds, lang),
                elevators=count(insured.elevators, lang),
                months=n,
            ),
            never_note,
        ]
    return kpi_card(
        "complaints-card-before-after",
        t("complaints.card.before_after", lang, months=n),
        value,
        notes,
        t("overview.as_of", lang, date=day(as_of, lang)),
    )


# --------------------------------------------------------------------------- charts


def _chart_card(title: str, graph: object, footer: list[object]) -> dbc.Card:
    return dbc.Card(
        dbc.CardBody([html.H2(title, className="h6 mb-2"), graph, *footer]),
        className="chart-card shadow-sm",
    )


def _layout(y_title: str, lang: str, months: int) -> dict[str, Any]:
    """Month axis as dates (one tick a month, or a quarter beyond a year) so plotly spaces the labels itself."""
    return {
        "margin": {"l": 60, "r": 16, "t": 16, "b": 90},
        "height": 380,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "legend": {"orientation": "h", "y": -0.28, "x": 0},
        "font": FONT,
        "hovermode": "closest",
        "showlegend": True,
        "xaxis": {
            "title": {"text": t("complaints.chart.x.month", lang)},
            "type": "date",
            "tickformat": "%Y-%m",
            "hoverformat": "%Y-%m",
            "dtick": "M1" if months <= 12 else "M3",
        },
        "yaxis": {"title": {"text": y_title}, "gridcolor": "#eceff3", "rangemode": "tozero"},
    }


def _source(first: date, last: date, lang: str, key: str = "complaints.source") -> html.Div:
    return html.Div(t(key, lang, first=day(first, lang), last=day(last, lang)), className="chart-source")


def _running_month(data: list[dict[str, Any]], months: list[tuple[int, int]], last: date, lang: str) -> list[str]:
    """Hatch the month of `last` in every stacked trace when it is still running, and label its stack: the notes
    under the chart (none when every month is complete)."""
    if not months or not month_is_partial(*months[-1], last):
        return []
    flags = [i == len(months) - 1 for i in range(len(months))]
    for trace in data:
        mark_partial(trace, flags, partial_note(last, lang))
    return [partial_legend(last, lang)]


def _running_label(data: list[dict[str, Any]], months: list[tuple[int, int]], last: date, lang: str) -> dict[str, Any]:
    """The layout's annotations: the running month's mark over its stack, if it is still running."""
    if not months or not month_is_partial(*months[-1], last):
        return {}
    total = sum(trace["y"][-1] for trace in data)
    return {"annotations": [bar_label(month_x(*months[-1]), total, partial_short(last, lang))]}


def category_chart(
    rows: list[CategoryMonth], first: date, last: date, lang: str, scope: ChartScope = NO_SCOPE
) -> dbc.Card:
    """Stacked work orders per month and category: elevator orders at the bottom, against all the rest; the month
    still running hatched."""
    months = months_between(first, last)
    labels = [month_x(y, m) for y, m in months]
    counts = {(r.year, r.month, r.category): r.count for r in rows}
    data: list[dict[str, Any]] = []
    for category in WorkOrderCategory:
        if not any(r.category == category.value for r in rows) and category is not WorkOrderCategory.elevator:
            continue
        name = t(f"complaints.cat.{category.value}", lang)
        data.append(
            {
                "type": "bar",
                "x": labels,
                "y": [counts.get((y, m, category.value), 0) for y, m in months],
                "name": name,
                "marker": {"color": CATEGORY_COLOURS[category.value]},
                "hovertemplate": "%{x} · %{y}<extra>" + name + "</extra>",
            }
        )
    layout = {
        **_layout(t("complaints.chart.y.orders", lang), lang, len(months)),
        "barmode": "stack",
        **_running_label(data, months, last, lang),
    }
    notes = _running_month(data, months, last, lang)
    title, source = t("complaints.chart.category", lang, months=len(months)), _source(first, last, lang)
    graph = chart_graph(
        "complaints-category-chart",
        data,
        layout,
        lang,
        title=title,
        source=source.children,
        as_of=last,
        scope=scope,
        notes=notes,
    )
    return _chart_card(title, graph, [*(html.Div(n, className="chart-source") for n in notes), source])


def district_chart(
    rows: list[DistrictMonth],
    districts: list[DistrictLabel],
    first: date,
    last: date,
    lang: str,
    scope: ChartScope = NO_SCOPE,
) -> dbc.Card:
    """Elevator orders per district and month, the month still running hatched; a click on a district's bar filters
    the page to it."""
    months = months_between(first, last)
    labels = [month_x(y, m) for y, m in months]
    counts = {(r.district_id, r.year, r.month): r.count for r in rows}
    data: list[dict[str, Any]] = []
    for i, d in enumerate(districts):
        name = d.name if lang == "zh" else d.name_en
        data.append(
            {
                "type": "bar",
                "x": labels,
                "y": [counts.get((d.district_id, y, m), 0) for y, m in months],
                "customdata": [[d.district_id, d.city_code]] * len(labels),
                "name": name,
                "marker": {"color": DISTRICT_COLOURS[i % len(DISTRICT_COLOURS)]},
                "hovertemplate": "%{x} · %{y}<extra>" + name + "</extra>",
            }
        )
    layout = {
        **_layout(t("complaints.chart.y.orders", lang), lang, len(months)),
        "barmode": "stack",
        "clickmode": "event",
        **_running_label(data, months, last, lang),
    }
    running = _running_month(data, months, last, lang)
    notes = [*running, t("chart.click_district", lang)]
    title, source = t("complaints.chart.district", lang, months=len(months)), _source(first, last, lang)
    graph = chart_graph(
        "complaints-district-chart",
        data,
        layout,
        lang,
        title=title,
        source=source.children,
        as_of=last,
        scope=scope,
        notes=running,
    )
    return _chart_card(title, graph, [*(html.Div(n, className="chart-source") for n in notes), source])


COHORT_HOVER = {
    "zh": "%{x} · %{y:.2f}（%{customdata[0]} 件 ÷ %{customdata[1]} 台电梯 × 100）",
    "en": "%{x} · %{y:.2f} (%{customdata[0]} orders ÷ %{customdata[1]} elevators × 100)",
}


def cohort_chart(
    rows: list[CohortMonth], first: date, last: date | None, lang: str, scope: ChartScope = NO_SCOPE
) -> dbc.Card:
    """The fair comparison: per-100-elevator monthly rates of insured compounds before and after insuring and of
    compounds never insured, over the same complete months."""
    method = html.P(t("complaints.chart.cohort.method", lang), className="small mb-1", id="complaints-cohort-method")
    if last is None:
        body: object = html.Div(t("complaints.chart.cohort.empty", lang), className="text-muted py-5 text-center")
        return _chart_card(t("complaints.chart.cohort", lang), body, [method])
    months = months_between(first, last)
    labels = [month_x(y, m) for y, m in months]
    by_key = {(r.year, r.month, r.cohort): r for r in rows}
    data: list[dict[str, Any]] = []
    for cohort in ("insured_before", "insured_after", "never_insured"):
        if not any(r.cohort == cohort for r in rows):
            continue
        points = [by_key.get((y, m, cohort)) for y, m in months]
        style = COHORT_STYLE[cohort]
        data.append(
            {
                "type": "scatter",
                "x": labels,
                "y": [float(p.per_100) if p and p.per_100 is not None else None for p in points],
                "customdata": [[p.work_orders, p.elevators] if p else [0, 0] for p in points],
                "name": t(f"complaints.cohort.{cohort}", lang),
                "mode": "lines+markers",
                "line": {"color": style["color"], "dash": style["dash"], "width": 2.5},
                "marker": {"size": 6},
                "connectgaps": False,
                "hovertemplate": COHORT_HOVER.get(lang, COHORT_HOVER["zh"]) + "<extra></extra>",
            }
        )
    layout = _layout(t("complaints.chart.cohort.y", lang), lang, len(months))
    title, source = t("complaints.chart.cohort", lang), _source(first, last, lang, "complaints.source.cohort")
    graph = chart_graph(
        "complaints-cohort-chart", data, layout, lang, title=title, source=source.children, as_of=last, scope=scope
    )
    return _chart_card(title, graph, [method, source])


# --------------------------------------------------------------------------- handling by category


def handling_table(close: list[CloseStats], sat: list[SatisfactionRow], as_of: date, lang: str) -> dbc.Card:
    """Time to close and satisfaction per category, elevator first."""
    scores = {r.category: r for r in sat}
    heads = ["category", "orders", "closed", "open", "days", "rated", "score", "share"]
    header = html.Thead(
        html.Tr(
            [
                html.Th(t(f"complaints.handling.{h}", lang), className="text-end" if h != "category" else "")
                for h in heads
            ]
        )
    )
    body = []
    for r in close:
        s = scores.get(r.category)
        cells = [
            t(f"complaints.cat.{r.category}", lang),
            count(r.orders, lang),
            count(r.closed, lang),
            count(r.still_open, lang),
            number(r.mean_days_to_close, lang, 1),
            count(s.rated, lang) if s else "—",
            number(s.mean_score, lang) if s else "—",
            percent(s.share_satisfied if s else None, lang),
        ]
        body.append(
            html.Tr(
                [html.Td(c, className="text-end" if i else "") for i, c in enumerate(cells)],
                className="fw-semibold" if r.category == "elevator" else "",
            )
        )
    table = dbc.Table(
        [header, html.Tbody(body)],
        size="sm",
        striped=True,
        hover=True,
        responsive=True,
        className="mb-1",
        id="complaints-handling",
    )
    source = html.Div(
        t("complaints.handling.source", lang, year=as_of.year, date=day(as_of, lang)), className="chart-source"
    )
    return _chart_card(t("complaints.handling.title", lang), table, [source])


# --------------------------------------------------------------------------- compound grid


def compound_columns(lang: str) -> list[dict[str, Any]]:
    def int_column(field: str, key: str) -> dict[str, Any]:
        return {"field": field, "headerName": t(key, lang), "type": "rightAligned", "headerTooltip": t(key, lang)}

    columns: list[dict[str, Any]] = [
        compound_column(t("col.compound", lang)),
        {"field": "district", "headerName": t("col.district", lang)},
        int_column("elevator_orders", "complaints.col.elevator_orders"),
        int_column("elevator_orders_last_year", "complaints.col.elevator_last_year"),
        int_column("orders", "complaints.col.orders"),
        {"field": "insured_since", "headerName": t("complaints.col.insured_since", lang)},
        {
            "field": "mean_days",
            "headerName": t("complaints.col.mean_days", lang),
            "headerTooltip": t("complaints.col.mean_days", lang),
            "type": "rightAligned",
            "valueFormatter": {"function": "params.value == null ? '—' : d3.format(',.2f')(Number(params.value))"},
        },
    ]
    for c in columns:  # long headers wrap instead of being cut off
        c.update(wrapHeaderText=True, autoHeaderHeight=True)
    return columns


def compound_rows(rows: list[CompoundComplaintRow], lang: str) -> list[dict[str, Any]]:
    """Grid rows: the mean as a decimal string (converted to a number only in the browser), no date as "—"."""
    return [
        {
            "compound_id": r.compound_id,
            "compound": r.compound,
            "district": r.district if lang == "zh" else r.district_en,
            "elevator_orders": r.elevator_orders,
            "elevator_orders_last_year": r.elevator_orders_last_year,
            "orders": r.orders,
            "insured_since": r.insured_since.isoformat() if r.insured_since else "—",
            "mean_days": str(r.mean_days_to_close) if r.mean_days_to_close is not None else None,
        }
        for r in rows
    ]


def compound_table(lang: str) -> html.Div:
    """The compound grid without rows: pages/complaints.py answers its block requests."""
    return compound_grid("complaints-grid", compound_columns(lang), lang)


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    """A grid row's cells as the workbook holds them: real dates and exact decimal means."""
    since, mean = row["insured_since"], row["mean_days"]
    return {
        **row,
        "insured_since": date.fromisoformat(since) if since != "—" else since,
        "mean_days": Decimal(mean) if mean is not None else None,
    }


def compound_csv(rows: list[CompoundComplaintRow], lang: str, sort_model: object = None) -> str:
    """The same rows and columns as the table, as UTF-8 CSV (with BOM): ISO dates, "—" for none, exact means."""
    return grid_csv(compound_rows(rows, lang), compound_columns(lang), sort_model)


def compound_xlsx(rows: list[CompoundComplaintRow], lang: str, sort_model: object = None) -> bytes:
    """The same rows and columns as the table, in its order, as an Excel workbook (real dates and exact decimals)."""
    formats = {"insured_since": "yyyy-mm-dd", "mean_days": "0.00"}
    return grid_xlsx(compound_rows(rows, lang), compound_columns(lang), lang, sort_model, _typed, formats)
