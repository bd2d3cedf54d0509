"""The overview page's cards and chart: pure functions of plain data, testable without a server."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import dash_bootstrap_components as dbc
from dash import html
from dash.development.base_component import Component, ComponentSingleType

from components.formatting import count, day, money, month_name, percent
from components.i18n import t
from components.plots import (
    FONT,
    LIGHT_GREY,
    NO_SCOPE,
    PRIMARY,
    ChartScope,
    bar_label,
    chart_graph,
    group_offset,
    mark_partial,
    month_is_partial,
    partial_legend,
    partial_note,
    partial_short,
)
from data_access.geography import CityRow
from data_access.indicators import ComplaintComparison, Headline, MonthlyCount, Overview, TargetJudgement


def kpi_card(card_id: str, label: str, value: str, notes: Sequence[ComponentSingleType], as_of: str) -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(label, className="kpi-label"),
                html.Div(value, className="kpi-value", id=f"{card_id}-value"),
                *[html.Div(n, className="kpi-note") for n in notes if n],
                html.Div(as_of, className="kpi-asof mt-1"),
            ]
        ),
        className="kpi-card shadow-sm",
        id=card_id,
    )


def complaint_change(c: ComplaintComparison, lang: str) -> html.Span:
    """Fewer complaints is good news: a fall is green, a rise red."""
    if c.change is None:
        return html.Span(t("card.change.none", lang))
    if c.change == 0:
        return html.Span(t("card.change.flat", lang))
    pct = percent(abs(c.change), lang)
    if c.change > 0:
        return html.Span(t("card.change.up", lang, pct=pct), className="kpi-change-bad")
    return html.Span(t("card.change.down", lang, pct=pct), className="kpi-change-good")


def target_lines(targets: list[TargetJudgement], current_rate: Decimal | None, lang: str) -> list[Component]:
    if not targets:
        return []
    lines: list[Component] = []
    for target in targets:
        status = t(f"card.target.{target.status}", lang)
        cls = {"met": "text-success", "missed": "text-danger"}.get(target.status, "text-secondary")
        lines.append(
            html.Div(
                [
                    t("card.target", lang, share=percent(target.share, lang, 0), due=day(target.due_on, lang)),
                    " · ",
                    percent(target.coverage, lang),
                    " ",
                    html.Span(status, className=f"fw-semibold {cls}"),
                ],
                className="target-line",
            )
        )
    nxt = next((x for x in targets if x.status == "in_progress"), targets[-1])
    progress = float(min(Decimal(1), (current_rate or Decimal(0)) / nxt.share)) * 100
    lines.append(dbc.Progress(value=progress, className="mt-1", style={"height": "6px"}, color="danger"))
    return lines


def overview_cards(data: Overview, lang: str, city_has_rule_targets: bool, is_city: bool) -> dbc.Row:
    as_of = t("overview.as_of", lang, date=day(data.as_of, lang))
    ytd = t("overview.ytd", lang, year=data.as_of.year, date=day(data.as_of, lang))
    fund, cov, comp, red = data.fund, data.coverage, data.complaints, data.red_property
    target_notes: Sequence[ComponentSingleType]
    if is_city and not city_has_rule_targets:
        target_notes = [t("card.target.none", lang)]
    else:
        target_notes = target_lines(data.targets, cov.coverage_rate, lang)
    cards = [
        kpi_card(
            "card-deposits",
            t("card.deposits", lang),
            money(fund.deposits_total_fen, lang),
            [t("card.deposits.note", lang, balance=money(fund.balance_fen, lang))],
            as_of,
        ),
        kpi_card(
            "card-usage",
            t("card.usage", lang),
            percent(fund.usage_rate, lang, 2),
            [t("card.usage.note", lang, year=data.as_of.year, used=money(fund.used_in_year_fen, lang))],
            ytd,
        ),
        kpi_card(
            "card-vai",
            t("card.vai", lang),
            money(fund.value_added_income_in_year_fen, lang),
            [t("card.vai.note", lang, year=data.as_of.year, total=money(fund.value_added_income_total_fen, lang))],
            ytd,
        ),
        kpi_card(
            "card-insured",
            t("card.insured", lang),
            f"{count(cov.insured, lang)} {t('unit.elevators', lang)}",
            [
                t(
                    "card.insured.note",
                    lang,
                    rate=percent(cov.coverage_rate, lang),
                    applied=count(cov.eligible_applied, lang),
                ),
                *target_notes,
            ],
            as_of,
        ),
        kpi_card(
            "card-complaints",
            t("card.complaints", lang),
            f"{count(comp.this_period, lang)} {t('unit.items', lang)}",
            [complaint_change(comp, lang), t("card.complaints.note", lang, last=count(comp.last_period, lang))],
            ytd,
        ),
        kpi_card(
            "card-projects",
            t("card.projects", lang),
            f"{count(red.accepted_projects, lang)} {t('unit.projects', lang)}",
            [
                t(
                    "card.projects.note",
                    lang,
                    committees=count(red.industry_party_committees, lang),
                    stations=count(red.compounds_with_service_station, lang),
                )
            ],
            as_of,
        ),
        kpi_card(
            "card-council",
            t("card.council", lang),
            f"{count(red.council_items_resolved, lang)} {t('unit.items', lang)}",
            [t("card.council.note", lang, companies=count(red.companies_with_party_org, lang))],
            as_of,
        ),
    ]
    return dbc.Row(
        [dbc.Col(c, xs=12, md=6, xl=4 if i < 3 else 3, className="mb-3") for i, c in enumerate(cards)],
        className="g-3",
        id="overview-cards",
    )


def complaints_chart(series: list[MonthlyCount], as_of: date, lang: str, scope: ChartScope = NO_SCOPE) -> dbc.Card:
    """This year's months beside last year's. The month of the as-of date is still running (five days of December
    beside all of last December read as a collapse): its bar is hatched, its tick and hover say to which day."""
    years = sorted({s.year for s in series})
    data: list[dict[str, Any]] = []
    partial_month = as_of.month if month_is_partial(as_of.year, as_of.month, as_of) else None
    labels_over: list[dict[str, Any]] = []
    for i, year in enumerate(years):
        points = [s for s in series if s.year == year]
        name = t("overview.year", lang, year=year)
        trace = {
            "type": "bar",
            "x": [s.month for s in points],
            "y": [s.count for s in points],
            "name": name,
            "marker": {"color": PRIMARY if year == as_of.year else LIGHT_GREY},
            "hovertemplate": "%{y:,}<extra>" + name + "</extra>",
        }
        if year == as_of.year and partial_month is not None:
            mark_partial(trace, [s.month == partial_month for s in points], partial_note(as_of, lang))
            # the mark stands over the bar, or over where it will stand when the month has no order yet
            running = next((s.count for s in points if s.month == partial_month), 0)
            x = partial_month + group_offset(i, len(years))
            labels_over.append(bar_label(x, running, partial_short(as_of, lang)))
        data.append(trace)
    months = list(range(1, 13))
    labels = [month_name(date(2000, m, 1), lang) for m in months]
    layout = {
        "barmode": "group",
        "margin": {"l": 56, "r": 16, "t": 16, "b": 48},
        "height": 320,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "legend": {"orientation": "h", "y": 1.08, "x": 0},
        "font": FONT,
        **({"annotations": labels_over} if labels_over else {}),
        "xaxis": {
            "title": {"text": t("chart.complaints.x", lang)},
            "tickmode": "array",
            "tickvals": months,
            "ticktext": labels,
            "range": [0.5, 12.5],
        },
        "yaxis": {"title": {"text": t("chart.complaints.y", lang)}, "gridcolor": "#eceff3", "rangemode": "tozero"},
    }
    title = t("chart.complaints.title", lang)
    source = t("chart.source", lang, date=day(as_of, lang))
    note = partial_legend(as_of, lang) if partial_month else None
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(title, className="h6 mb-2"),
                chart_graph(
                    "complaints-chart",
                    data,
                    layout,
                    lang,
                    title=title,
                    source=source,
                    as_of=as_of,
                    scope=scope,
                    notes=[note],
                ),
                html.Div(note, className="chart-source", id="complaints-chart-partial") if note else None,
                html.Div(source, className="chart-source"),
            ]
        ),
        className="chart-card shadow-sm",
    )


def city_comparison(cities: list[tuple[CityRow, Headline]], lang: str) -> dbc.Card:
    """The province view: the same indicators for each city, side by side."""
    rows: list[tuple[str, list[str]]] = [
        (t("card.deposits", lang), [money(h.fund.deposits_total_fen, lang) for _, h in cities]),
        (t("card.usage", lang), [percent(h.fund.usage_rate, lang, 2) for _, h in cities]),
        (t("card.vai", lang), [money(h.fund.value_added_income_in_year_fen, lang) for _, h in cities]),
        (t("card.insured", lang), [count(h.coverage.insured, lang) for _, h in cities]),
        (t("compare.coverage", lang), [percent(h.coverage.coverage_rate, lang) for _, h in cities]),
        (t("compare.complaints", lang), [count(h.complaints.this_period, lang) for _, h in cities]),
        (t("card.projects", lang), [count(h.red_property.accepted_projects, lang) for _, h in cities]),
        (t("card.council", lang), [count(h.red_property.council_items_resolved, lang) for _, h in cities]),
    ]
    header = html.Thead(
        html.Tr(
            [html.Th(t("compare.indicator", lang))]
            + [html.Th(c.name if lang == "zh" else c.name_en, className="text-end") for c, _ in cities]
        )
    )
    body = html.Tbody(
        [html.Tr([html.Td(label)] + [html.Td(v, className="text-end") for v in values]) for label, values in rows]
    )
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(t("compare.title", lang), className="h6 mb-2"),
                dbc.Table(
                    [header, body], size="sm", hover=True, responsive=True, className="mb-0", id="city-comparison"
                ),
            ]
        ),
        className="chart-card shadow-sm mb-3",
    )
