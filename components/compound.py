"""The compound view: one compound's facts across both reforms, from plain data.

Its buildings (so that the building-by-building insurance applications are told apart), its council meetings as the
viewer may read them, the monthly trend of elevator complaints and faults around the day it was insured, and a way
back to the list the viewer came from. Text typed by people (meeting topics) is passed as string children only.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.formatting import count, day, day_span, money, month_year, one_or_many
from components.i18n import t
from components.overview import kpi_card
from components.plots import (
    FONT,
    GOOD,
    INK,
    NO_SCOPE,
    PRIMARY,
    ChartScope,
    chart_graph,
    mark_partial,
    month_is_partial,
    partial_legend,
    partial_note,
)
from data_access.compounds import TREND_MONTHS, ApplicationRow, BuildingRow, CompoundTrend, CompoundView
from data_access.councils import CompoundMeeting

TOPICS_SHOWN = 3


def building_label(number: str, unit: str | None, lang: str) -> str:
    text = t("compound.building_no", lang, n=number)
    if unit:
        text += (" " if lang == "en" else "") + t("compound.unit_no", lang, n=unit)
    return text


def _aria(name: str, value: str) -> dict[str, Any]:
    """An aria-* attribute (Dash takes them as keyword arguments only)."""
    return {f"aria-{name}": value}


def _short(d: date | None, lang: str) -> str:
    return day(d, lang) if d else "—"


# --------------------------------------------------------------------------- the way back


def way_back(v: CompoundView, city_code: str | None, city_name: str, lang: str) -> tuple[html.Div, dcc.Store]:
    """A back link and a breadcrumb (province or city › district › compound). The back link's address is filled in
    the browser from the list the viewer came from (the navbar's `nav-last-list`, pages/compound.py); without one
    (a link opened afresh) it leads to the compound's district view of the overview, whose address the store keeps."""
    p = v.profile
    district = p.district if lang == "zh" else (p.district_en or p.district)
    city_href = "/?" + urlencode({"city": city_code}) if city_code else "/"
    district_href = "/?" + urlencode({"city": city_code, "district": p.district_id}) if city_code else "/"
    crumbs = html.Nav(
        html.Ol(
            [
                html.Li(dcc.Link(city_name or t("app.province", lang), href=city_href), className="breadcrumb-item"),
                html.Li(dcc.Link(district, href=district_href), className="breadcrumb-item"),
                html.Li(p.name, className="breadcrumb-item active", **_aria("current", "page")),
            ],
            className="breadcrumb mb-0 small",
        ),
        **_aria("label", t("compound.crumbs", lang)),
    )
    back = dcc.Link(
        ["← ", t("compound.back", lang)],
        href=district_href,
        id="compound-back",
        className="btn btn-sm btn-outline-secondary",
    )
    return (
        html.Div([back, crumbs], className="d-flex align-items-center gap-3 mt-3", id="compound-way-back"),
        dcc.Store(id="compound-back-home", data=district_href),
    )


# --------------------------------------------------------------------------- buildings and applications


def _buildings(rows: list[BuildingRow], lang: str) -> object:
    if not rows:
        return html.P(t("compound.buildings.none", lang), className="text-muted mb-0")
    keys = (
        "compound.bcol.building",
        "compound.bcol.floors",
        "compound.bcol.units",
        "compound.bcol.elevators",
        "compound.bcol.insured",
        "compound.bcol.first_insured",
        "compound.bcol.faults",
    )
    head = html.Thead(html.Tr([html.Th(t(k, lang), className="text-end" if n else None) for n, k in enumerate(keys)]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(building_label(r.number, None, lang)),
                    html.Td(count(r.floors, lang), className="text-end"),
                    html.Td(count(r.units, lang), className="text-end"),
                    html.Td(count(r.elevators, lang), className="text-end"),
                    html.Td(count(r.insured_elevators, lang), className="text-end"),
                    html.Td(_short(r.first_insured_on, lang), className="text-end text-nowrap"),
                    html.Td(count(r.faults_last_12_months, lang), className="text-end"),
                ]
            )
            for r in rows
        ]
    )
    return html.Div(
        dbc.Table([head, body], size="sm", hover=True, className="mb-0", id="compound-buildings-table"),
        className="table-responsive",
    )


def _applications(rows: list[ApplicationRow], lang: str) -> object:
    if not rows:
        return html.P(t("compound.applications.none", lang), className="text-muted mb-0")
    head = html.Thead(
        html.Tr(
            [
                html.Th(t(k, lang))
                for k in (
                    "compound.col.building",
                    "compound.col.filed_on",
                    "compound.col.applicant",
                    "compound.col.elevators",
                    "compound.col.notice",
                    "compound.col.objections",
                    "compound.col.decision",
                )
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(building_label(r.building, r.unit, lang), className="text-nowrap"),
                    html.Td(_short(r.filed_on, lang), className="text-nowrap"),
                    html.Td(t(f"compound.applicant.{r.applicant_type}", lang)),
                    html.Td(r.elevators, className="text-end"),
                    html.Td(
                        day_span(r.notice_from, r.notice_to, lang) if r.notice_from and r.notice_to else "—",
                        className="text-nowrap",
                    ),
                    html.Td(r.written_objections, className="text-end"),
                    html.Td(t(f"compound.decision.{r.decision}", lang)),
                ]
            )
            for r in rows
        ]
    )
    return html.Div(
        dbc.Table([head, body], size="sm", hover=True, className="mb-0", id="compound-applications"),
        className="table-responsive",
    )


# --------------------------------------------------------------------------- meetings


def _meeting(m: CompoundMeeting, published_only: bool, lang: str) -> html.Li:
    """One meeting: its date (opening what the viewer may read of it), its topics, and what came of them."""
    record = f"/councils/meeting?id={m.meeting_id}"
    notice = f"/notices/{m.meeting_id}"
    when = day(m.held_on, lang)
    head: list[Any] = [
        html.A(when, href=notice, className="fw-semibold")
        if published_only
        else dcc.Link(when, href=record, className="fw-semibold")
    ]
    if m.status == "planned":
        head.append(dbc.Badge(t("compound.meeting.planned", lang), color="secondary", className="ms-2"))
    links: list[Any] = []
    if not published_only:
        links.append(dcc.Link(t("compound.meeting.record", lang), href=record, className="me-3"))
    if m.notice_up:
        links.append(html.A(t("compound.meeting.notice", lang), href=notice))
    sep = "；" if lang == "zh" else "; "
    topics = sep.join(m.topics[:TOPICS_SHOWN])
    if len(m.topics) > TOPICS_SHOWN:
        topics += (" " if lang == "en" else "") + t("compound.meeting.more", lang, n=len(m.topics) - TOPICS_SHOWN)
    return html.Li(
        [
            html.Div([*head, html.Span(links, className="ms-auto small")], className="d-flex align-items-center"),
            html.Div(topics, className="small") if topics else None,
            html.Div(
                t(one_or_many("compound.meeting.items", m.items, lang), lang, n=m.items, resolved=m.resolved)
                if m.items
                else t("compound.meeting.no_items", lang),
                className="small text-muted",
            ),
        ],
        className="list-group-item px-0",
        id={"type": "compound-meeting", "id": m.meeting_id},
    )


def _meetings(meetings: list[CompoundMeeting], published_only: bool, all_href: str | None, lang: str) -> dbc.Card:
    if meetings:
        body: Any = html.Ul(
            [_meeting(m, published_only, lang) for m in meetings], className="list-group list-group-flush"
        )
    else:
        key = "compound.meetings.none_published" if published_only else "compound.meetings.none"
        body = html.P(t(key, lang), className="text-muted mb-0")
    note = (
        html.Div(t("compound.meetings.published_only", lang), className="small text-muted") if published_only else None
    )
    more = dcc.Link(t("compound.meetings.all", lang) + " →", href=all_href, className="small") if all_href else None
    latest = html.Span(t("compound.meetings.latest", lang, n=len(meetings)), className="small text-muted ms-2")
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2([t("compound.meetings", lang), latest if meetings else None], className="h6 mb-1"),
                note,
                body,
                html.Div(more, className="mt-2") if meetings and more else None,
            ]
        ),
        className="shadow-sm h-100",
        id="compound-meetings",
    )


# --------------------------------------------------------------------------- the trend


def _month_name(d: date, lang: str) -> str:
    return month_year(d, lang)


def trend_traces(trend: CompoundTrend, lang: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Bars of elevator work orders and a line of faults per month, the running month hatched (plots.mark_partial);
    the day the compound's elevators were first insured as a vertical line, when it falls inside the window."""
    x = [m.first_day.isoformat() for m in trend.months]
    month_labels = [_month_name(m.first_day, lang) for m in trend.months]
    complaints = t("compound.trend.complaints", lang)
    faults = t("compound.trend.faults", lang)
    running = [month_is_partial(m.year, m.month, trend.as_of) for m in trend.months]
    bars = {
        "type": "bar",
        "x": x,
        "y": [m.complaints for m in trend.months],
        "name": complaints,
        "xperiod": "M1",
        "xperiodalignment": "middle",
        "marker": {"color": PRIMARY},
        "customdata": month_labels,
        "hovertemplate": "%{customdata}: %{y}<extra>" + complaints + "</extra>",
    }
    data: list[dict[str, Any]] = [
        mark_partial(bars, running, partial_note(trend.as_of, lang)),
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": x,
            "y": [m.faults for m in trend.months],
            "name": faults,
            "xperiod": "M1",
            "xperiodalignment": "middle",
            "line": {"color": INK, "width": 2},
            "marker": {"size": 5},
            "customdata": month_labels,
            "hovertemplate": "%{customdata}: %{y}<extra>" + faults + "</extra>",
        },
    ]
    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    insured = trend.first_insured_on
    if insured is not None and trend.months and insured >= trend.months[0].first_day:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": insured.isoformat(),
                "x1": insured.isoformat(),
                "y0": 0,
                "y1": 1,
                "line": {"color": GOOD, "width": 2, "dash": "dash"},
            }
        )
        annotations.append(
            {
                "x": insured.isoformat(),
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "text": t("compound.trend.insured", lang, date=day(insured, lang)),
                "font": {"color": GOOD, "size": 12},
            }
        )
    layout = {
        "margin": {"l": 48, "r": 16, "t": 36, "b": 40},
        "height": 300,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "bargap": 0.25,
        "legend": {"orientation": "h", "y": -0.18, "x": 0},
        "font": FONT,
        "xaxis": {"type": "date", "tickformat": "%Y-%m", "dtick": "M3", "ticklabelmode": "period"},
        "yaxis": {
            "title": {"text": t("compound.trend.y", lang)},
            "gridcolor": "#eceff3",
            "rangemode": "tozero",
            "tickformat": ",d",
        },
        "shapes": shapes,
        "annotations": annotations,
    }
    return data, layout


def _trend_title(trend: CompoundTrend, lang: str) -> str:
    if len(trend.months) == TREND_MONTHS or not trend.months:
        return t("compound.trend.title", lang)
    return t("compound.trend.title_since", lang, first=_month_name(trend.months[0].first_day, lang))


def _trend(trend: CompoundTrend, lang: str, scope: ChartScope) -> dbc.Card:
    notes = []
    insured = trend.first_insured_on
    if insured is None:
        notes.append(t("compound.trend.never_insured", lang))
    elif trend.months and insured < trend.months[0].first_day:
        notes.append(t("compound.trend.insured_before", lang, date=day(insured, lang)))
    if trend.months and month_is_partial(trend.months[-1].year, trend.months[-1].month, trend.as_of):
        notes.append(partial_legend(trend.as_of, lang))
    title = _trend_title(trend, lang)
    source = t("compound.trend.source", lang, date=day(trend.as_of, lang))
    data, layout = trend_traces(trend, lang)
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(title, className="h6 mb-2"),
                chart_graph(
                    "compound-trend", data, layout, lang, title=title, source=source, as_of=trend.as_of, scope=scope
                ),
                *[html.Div(n, className="small text-muted") for n in notes],
                html.Div(source, className="chart-source"),
            ]
        ),
        className="chart-card shadow-sm",
    )


# --------------------------------------------------------------------------- the page


def _cards(v: CompoundView, as_of_text: str, lang: str) -> list[dbc.Card]:
    p = v.profile
    covers = ", ".join(money(c, lang) for c in p.cover_per_elevator_fen) or "—"
    red_lines = [
        t("compound.red.project", lang, status=t(f"compound.status.{v.project_status}", lang))
        if v.project_status
        else t("compound.red.none", lang),
        t("compound.red.score", lang, score=v.project_score) if v.project_score is not None else None,
        t("compound.red.station", lang, yes=t("compound.yes" if v.has_service_station else "compound.no", lang)),
        t(
            "compound.red.council",
            lang,
            meetings=count(v.council_meetings, lang),
            items=count(v.council_items_resolved, lang),
        ),
    ]
    return [
        kpi_card(
            "compound-buildings",
            t("compound.buildings", lang),
            count(p.buildings, lang),
            [t("compound.households", lang, households=count(p.households, lang), residents=count(p.residents, lang))],
            as_of_text,
        ),
        kpi_card(
            "compound-elevators",
            t("compound.elevators", lang),
            count(p.elevators, lang),
            [
                t("compound.avg_age", lang, years=p.average_elevator_age_years)
                if p.average_elevator_age_years is not None
                else None
            ],
            as_of_text,
        ),
        kpi_card(
            "compound-insured",
            t("compound.insured", lang),
            count(p.insured_elevators, lang),
            [t("compound.insured.note", lang, buildings=p.buildings_with_insured_elevators, cover=covers)],
            as_of_text,
        ),
        kpi_card(
            "compound-deposits",
            t("compound.deposits", lang),
            money(v.deposits_total_fen, lang),
            [f"{t('compound.pooled', lang)} {money(v.pooled_balance_fen, lang)}"],
            as_of_text,
        ),
        kpi_card(
            "compound-orders",
            t("compound.orders", lang),
            count(v.elevator_work_orders_in_year, lang),
            [
                t("compound.orders.note", lang, last=count(v.elevator_work_orders_last_year, lang)),
                f"{t('compound.faults', lang)} {count(v.faults_in_year, lang)}",
            ],
            as_of_text,
        ),
        kpi_card(
            "compound-red",
            t("compound.red", lang),
            t(f"compound.status.{v.project_status}", lang) if v.project_status else "—",
            red_lines,
            as_of_text,
        ),
    ]


def compound_page(
    v: CompoundView,
    city_name: str,
    as_of: date,
    lang: str,
    *,
    city_code: str | None = None,
    published_only: bool = False,
    scope: ChartScope = NO_SCOPE,
) -> list[object]:
    """The whole view. `published_only`: the viewer reads councils as the public does (press, city clerks), so a
    meeting opens its public notice and the view says that only published outcomes are listed."""
    p = v.profile
    as_of_text = t("overview.as_of", lang, date=day(as_of, lang))
    back, home = way_back(v, city_code, city_name, lang)
    district = p.district if lang == "zh" else (p.district_en or p.district)
    all_meetings = "/councils?" + urlencode({**({"city": city_code} if city_code else {}), "compound": p.id})
    section = "shadow-sm"
    return [
        back,
        home,
        html.Div(
            [
                html.H1([p.name, html.Small(f" {city_name} {district}", className="text-muted fs-6")], id="page-title"),
                html.Div(as_of_text, className="small text-muted"),
            ],
            className="page-head my-3",
        ),
        dbc.Row(
            [dbc.Col(c, xs=12, sm=6, xl=4, className="mb-3") for c in _cards(v, as_of_text, lang)], className="g-3"
        ),
        html.Div(_trend(v.trend, lang, scope), className="mb-3", id="compound-trend-card") if v.trend else None,
        dbc.Row(
            [
                dbc.Col(
                    dbc.Card(
                        dbc.CardBody(
                            [
                                html.H2(t("compound.building_list", lang), className="h6 mb-2"),
                                _buildings(v.buildings, lang),
                            ]
                        ),
                        className=section + " h-100",
                        id="compound-buildings-card",
                    ),
                    xs=12,
                    lg=7,
                ),
                dbc.Col(_meetings(v.meetings, published_only, all_meetings, lang), xs=12, lg=5),
            ],
            className="g-3 mb-3",
        ),
        dbc.Card(
            dbc.CardBody(
                [html.H2(t("compound.applications", lang), className="h6 mb-2"), _applications(v.applications, lang)]
            ),
            className=section,
        ),
    ]
