"""/funds: cards, charts and the compound table, as pure functions of query results."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from components.filters import (
    change_badge,
    compound_column,
    compound_grid,
    grid_csv,
    grid_xlsx,
    money_column,
)
from components.formatting import count, day, money, one_or_many, percent
from components.i18n import t
from components.overview import kpi_card
from components.plots import (
    FONT,
    INK,
    LIGHT_GREY,
    NO_SCOPE,
    PRIMARY,
    ChartScope,
    chart_graph,
    mark_partial,
    money_axis,
    partial_legend,
    partial_note,
    partial_short,
    reference_line,
    with_references,
    wrap_label,
    year_is_partial,
)
from data_access.funds import CompoundFundRow, DistrictFund, FundYear, PooledCapacity
from data_access.indicators import FundSummary


def fund_cards(years: list[FundYear], previous: FundSummary | None, capacity: PooledCapacity, lang: str) -> dbc.Row:
    """Changes compare with the same day a year earlier, so a part-year is never set against a full one."""
    s, p = years[-1].summary, previous
    as_of = t("overview.as_of", lang, date=day(s.as_of, lang))
    cards = [
        kpi_card(
            "funds-card-deposits",
            t("card.deposits", lang),
            money(s.deposits_total_fen, lang),
            [change_badge(s.deposits_total_fen, p.deposits_total_fen if p else None, lang)],
            as_of,
        ),
        kpi_card(
            "funds-card-balance",
            t("funds.card.balance", lang),
            money(s.balance_fen, lang),
            [change_badge(s.balance_fen, p.balance_fen if p else None, lang)],
            as_of,
        ),
        kpi_card(
            "funds-card-used",
            t("funds.card.used", lang),
            money(s.used_in_year_fen, lang),
            [
                t("card.usage", lang) + " " + percent(s.usage_rate, lang, 2),
                change_badge(s.used_in_year_fen, p.used_in_year_fen if p else None, lang),
            ],
            as_of,
        ),
        kpi_card(
            "funds-card-vai",
            t("card.vai", lang),
            money(s.value_added_income_in_year_fen, lang),
            [change_badge(s.value_added_income_in_year_fen, p.value_added_income_in_year_fen if p else None, lang)],
            as_of,
        ),
        kpi_card(
            "funds-card-capacity",
            t("funds.card.capacity", lang),
            percent(
                Decimal(capacity.accounts_able_to_pay) / capacity.accounts_with_elevators
                if capacity.accounts_with_elevators
                else None,
                lang,
            ),
            [
                t(
                    one_or_many("funds.card.capacity.note", capacity.min_premium_years or 1, lang),
                    lang,
                    able=count(capacity.accounts_able_to_pay, lang),
                    total=count(capacity.accounts_with_elevators, lang),
                    years=capacity.min_premium_years or 1,
                )
            ],
            as_of,
        ),
        kpi_card(
            "funds-card-premiums",
            t("funds.card.premiums", lang),
            money(s.premiums_in_year_fen, lang),
            [change_badge(s.premiums_in_year_fen, p.premiums_in_year_fen if p else None, lang)],
            as_of,
        ),
    ]
    return dbc.Row([dbc.Col(c, xs=12, sm=6, xl=4, className="mb-3") for c in cards], className="g-3")


def _chart_card(
    title: str, graph: html.Figure, source: str, notes: list[str | None] | None = None, graph_id: str = ""
) -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(title, className="h6 mb-2"),
                graph,
                *(
                    html.Div(n, className="chart-source", id=f"{graph_id}-note-{i}")
                    for i, n in enumerate(notes or [])
                    if n
                ),
                html.Div(source, className="chart-source"),
            ]
        ),
        className="chart-card shadow-sm",
    )


def _layout(y_title: str, x_title: str) -> dict[str, Any]:
    return {
        "margin": {"l": 60, "r": 60, "t": 16, "b": 48},
        "height": 320,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "legend": {"orientation": "h", "y": 1.12, "x": 0},
        "font": FONT,
        "xaxis": {"title": {"text": x_title}, "type": "category"},
        "yaxis": {"title": {"text": y_title}, "gridcolor": "#eceff3", "rangemode": "tozero"},
    }


def _rate_axis(title: str) -> dict[str, Any]:
    """The right-hand axis for usage rates, over the bars' axis."""
    return {
        "overlaying": "y",
        "side": "right",
        "tickformat": ".1%",
        "rangemode": "tozero",
        "showgrid": False,
        "title": {"text": title},
    }


def _year_labels(years: list[FundYear], lang: str) -> tuple[list[str], list[bool]]:
    """The year axis: the year still running says to which day (2026 beside full years would read as a fall)."""
    as_of = years[-1].summary.as_of
    partial = [year_is_partial(y.year, as_of) for y in years]
    labels = [
        f"{y.year}<br>{partial_short(as_of, lang)}" if p else str(y.year) for y, p in zip(years, partial, strict=True)
    ]
    return labels, partial


def usage_chart(years: list[FundYear], lang: str, scope: ChartScope = NO_SCOPE) -> dbc.Card:
    """Use by year (bars) and the usage rate (line); the year to date hatched."""
    xs, partial = _year_labels(years, lang)
    as_of = years[-1].summary.as_of
    unit = money_axis([y.summary.used_in_year_fen for y in years], lang)
    used = {
        "type": "bar",
        "x": xs,
        "y": [unit.of(y.summary.used_in_year_fen) for y in years],
        "name": t("funds.series.used", lang),
        "marker": {"color": PRIMARY},
        "hovertemplate": "%{y:,.2f} " + unit.name + "<extra></extra>",
    }
    data = [
        mark_partial(used, partial, partial_note(as_of, lang)),
        {
            "type": "scatter",
            "x": xs,
            "y": [float(y.summary.usage_rate or 0) for y in years],
            "name": t("funds.chart.usage.rate", lang),
            "yaxis": "y2",
            "mode": "lines+markers",
            "line": {"color": INK},
            "hovertemplate": "%{y:.2%}<extra></extra>",
        },
    ]
    layout = {
        **_layout(t("funds.chart.usage.y", lang, unit=unit.name), t("chart.x.year", lang)),
        "yaxis2": _rate_axis(t("funds.chart.usage.rate", lang)),
    }
    title, source = t("funds.chart.usage", lang), t("chart.source.fund", lang, date=day(as_of, lang))
    notes = [partial_legend(as_of, lang) if any(partial) else None]
    graph = chart_graph(
        "funds-usage-chart", data, layout, lang, title=title, source=source, as_of=as_of, scope=scope, notes=notes
    )
    return _chart_card(title, graph, source, notes, "funds-usage")


def interest_chart(years: list[FundYear], lang: str, scope: ChartScope = NO_SCOPE) -> dbc.Card:
    """Interest by year: the benchmark part (owner ledgers, grey) under the value-added income (pooled accounts)."""
    xs, partial = _year_labels(years, lang)
    as_of = years[-1].summary.as_of
    unit = money_axis(
        [y.benchmark_interest_in_year_fen + y.summary.value_added_income_in_year_fen for y in years], lang
    )
    note = partial_note(as_of, lang)
    data = [
        mark_partial(
            {
                "type": "bar",
                "x": xs,
                "y": [unit.of(y.benchmark_interest_in_year_fen) for y in years],
                "name": t("funds.series.benchmark", lang),
                "marker": {"color": LIGHT_GREY},
                "hovertemplate": "%{y:,.2f} " + unit.name + "<extra>" + t("funds.series.benchmark", lang) + "</extra>",
            },
            partial,
            note,
        ),
        mark_partial(
            {
                "type": "bar",
                "x": xs,
                "y": [unit.of(y.summary.value_added_income_in_year_fen) for y in years],
                "name": t("funds.series.vai", lang),
                "marker": {"color": PRIMARY},
                "hovertemplate": "%{y:,.2f} " + unit.name + "<extra>" + t("funds.series.vai", lang) + "</extra>",
            },
            partial,
            note,
        ),
    ]
    layout = {**_layout(t("funds.chart.interest.y", lang, unit=unit.name), t("chart.x.year", lang)), "barmode": "stack"}
    title, source = t("funds.chart.interest", lang), t("chart.source.fund", lang, date=day(as_of, lang))
    notes = [partial_legend(as_of, lang) if any(partial) else None]
    graph = chart_graph(
        "funds-interest-chart", data, layout, lang, title=title, source=source, as_of=as_of, scope=scope, notes=notes
    )
    return _chart_card(title, graph, source, notes, "funds-interest")


def district_chart(rows: list[DistrictFund], as_of: date, lang: str, scope: ChartScope = NO_SCOPE) -> dbc.Card:
    """Deposits and usage per district, with the area's usage rate as a reference line on the rate axis (nine
    near-equal bars say nothing without it); customdata = district id for the click that filters the page."""
    names = [wrap_label(r.district if lang == "zh" else r.district_en, lang) for r in rows]
    unit = money_axis([r.deposits_total_fen for r in rows], lang)
    data = [
        {
            "type": "bar",
            "x": names,
            "y": [unit.of(r.deposits_total_fen) for r in rows],
            "customdata": [r.district_id for r in rows],
            "name": t("card.deposits", lang),
            "marker": {"color": LIGHT_GREY},
            "hovertemplate": "%{x}: %{y:,.2f} " + unit.name + "<extra></extra>",
        },
        {
            "type": "scatter",
            "x": names,
            "y": [float(r.usage_rate or 0) for r in rows],
            "customdata": [r.district_id for r in rows],
            "name": t("card.usage", lang),
            "yaxis": "y2",
            "mode": "markers",
            "marker": {"size": 11, "color": PRIMARY},
            "hovertemplate": "%{x}: %{y:.2%}<extra></extra>",
        },
    ]
    layout: dict[str, Any] = {
        **_layout(t("funds.chart.district.y", lang, unit=unit.name), t("filter.district", lang)),
        "yaxis2": _rate_axis(t("card.usage", lang)),
        "clickmode": "event",
    }
    deposits = sum(r.deposits_total_fen for r in rows)
    if deposits and len(rows) > 1:
        overall = Decimal(sum(r.used_in_year_fen for r in rows)) / deposits
        line = reference_line(float(overall), t("chart.average", lang, value=percent(overall, lang, 2)), axis="y2")
        layout = with_references(layout, line)
    title, source = t("funds.chart.district", lang), t("chart.source.fund", lang, date=day(as_of, lang))
    graph = chart_graph(
        "funds-district-chart", data, layout, lang, title=title, source=source, as_of=as_of, scope=scope
    )
    return _chart_card(title, graph, source, [t("chart.click_district", lang)], "funds-district")


def compound_columns(lang: str) -> list[dict[str, Any]]:
    return [
        compound_column(t("col.compound", lang)),
        {"field": "district", "headerName": t("col.district", lang)},
        {"field": "buildings", "headerName": t("col.buildings", lang), "type": "rightAligned"},
        _money_column("deposits_yuan", "col.deposits", lang),
        _money_column("used_yuan", "col.used", lang),
        _money_column("vai_total_yuan", "col.vai_total", lang),
        _money_column("pooled_balance_yuan", "col.pooled_balance", lang),
    ]


def _money_column(field: str, key: str, lang: str) -> dict[str, Any]:
    """A money column of exact yuan (as the server sorts and both exports write them, under headerName "…（元）").
    The Chinese grid shows them in 万元 under a 万元 header, as the cards and charts count (69,633,600.76 元 in a
    row of eight-digit figures is unreadable; 6,963.36 万元 is not); English keeps yuan with separators."""
    column = money_column(field, t(key, lang))
    if lang == "zh":
        column["valueFormatter"] = {"function": "d3.format(',.2f')(Number(params.value) / 10000)"}
        column["headerValueGetter"] = {"function": json.dumps(t(f"{key}.wan", lang), ensure_ascii=False)}
    return column


def _yuan(fen: int) -> str:
    """Exact yuan with two places ("-1234.05"), by integer arithmetic: every grid request formats every row."""
    sign, fen = ("-", -fen) if fen < 0 else ("", fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def compound_rows(rows: list[CompoundFundRow], lang: str) -> list[dict[str, Any]]:
    """Grid rows: yuan as exact decimal strings (the browser formats them; the server sorts them as numbers)."""
    zh = lang == "zh"
    return [
        {
            "compound_id": r.compound_id,
            "compound": r.compound,
            "district": r.district if zh else r.district_en,
            "buildings": r.buildings,
            "deposits_yuan": _yuan(r.deposits_total_fen),
            "used_yuan": _yuan(r.used_in_year_fen),
            "vai_total_yuan": _yuan(r.value_added_income_total_fen),
            "pooled_balance_yuan": _yuan(r.pooled_balance_fen),
        }
        for r in rows
    ]


def compound_table(lang: str) -> html.Div:
    """The compound grid without rows: pages/funds.py answers its block requests."""
    return compound_grid("funds-grid", compound_columns(lang), lang)


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    """A grid row's cells as the workbook holds them: exact decimal yuan."""
    return {k: Decimal(v) if k.endswith("_yuan") else v for k, v in row.items()}


def compound_csv(rows: list[CompoundFundRow], lang: str, sort_model: object = None) -> str:
    """The same rows and columns as the table, as UTF-8 CSV (with BOM) of decimal yuan."""
    return grid_csv(compound_rows(rows, lang), compound_columns(lang), sort_model)


def compound_xlsx(rows: list[CompoundFundRow], lang: str, sort_model: object = None) -> bytes:
    """The same rows as the table, in its order, as an Excel workbook with exact decimal yuan."""
    columns = compound_columns(lang)
    formats = {c["field"]: "#,##0.00" for c in columns if c["field"].endswith("_yuan")}
    return grid_xlsx(compound_rows(rows, lang), columns, lang, sort_model, _typed, formats)
