"""/insurance-value: cards, charts, tables and the maintenance-company league, as pure functions of the page's data
(data_access/insurance_value.py: InsuranceValuePage).

Why the shapes: the question is whether ~2,200 yuan of premium per elevator-year is a better use of the owners'
money than repairs paid from their ledgers, so every comparison puts insured and uninsured (or before and after)
side by side, each chart says where its figures come from and for which days, money is compact (万/亿) on the cards
and exact to the fen in the tables, and every caveat the data layer documents is printed next to its figure.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import html

from components.elevators import period
from components.filters import AG_GRID_ZH
from components.formatting import count, exact_money, money, one_or_many, percent
from components.i18n import t
from components.overview import kpi_card
from components.plots import (
    BAD,
    FONT,
    GREY,
    INK,
    LIGHT_GREY,
    NO_SCOPE,
    PRIMARY,
    PRIMARY_LIGHT,
    ChartScope,
    chart_graph,
    money_axis,
)
from data_access.core.rules import REPEAT_FAULTS, RESPONSE_LIMIT_SECONDS
from data_access.geography import CityRow
from data_access.insurance_figures import (
    BEFORE_YEARS,
    CompanyRow,
    LossRatios,
    LossRow,
    MajorRepairs,
    RepairCost,
    Rescue,
)
from data_access.insurance_value import InsuranceValuePage

PREFIX = "insurance-value"  # every id of the page starts with it (pages/_grid.py: register_navigation)
GRID = f"{PREFIX}-grid"
LIMIT_MINUTES = Decimal(RESPONSE_LIMIT_SECONDS) / 60  # the 30-minute statutory arrival limit


# --------------------------------------------------------------------------- small helpers


def _name(zh: str, en: str | None, lang: str) -> str:
    """English where the register has it; insurers and companies have only their Chinese legal names."""
    return en if lang == "en" and en else zh


def minutes(value: Decimal | None) -> str:
    """Minutes to one place, rounded half up (the figures carry two); — for none."""
    if value is None:
        return "—"
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _share_pct(value: Decimal | None) -> float | None:
    """A share (0–1) as a percentage to two places, for grid cells that sort and export as numbers."""
    return None if value is None else float((value * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def year_period(page: InsuranceValuePage, lang: str) -> str:
    """The days the year's flows cover: the calendar year, or 1 January to today in the current year."""
    return period(date(page.year, 1, 1), page.as_of, lang)


def _chart_card(card_id: str, title: str, body: Sequence[Any], source: str) -> dbc.Card:
    return dbc.Card(
        dbc.CardBody([html.H2(title, className="h6 mb-2"), *body, html.Div(source, className="chart-source")]),
        className="chart-card shadow-sm",
        id=card_id,
    )


def _layout(x_title: str, y_title: str, *, height: int = 300, left: int = 60, **extra: Any) -> dict[str, Any]:
    """The charts' common layout (as components/elevators.py draws them); `extra` adds or overrides keys."""
    return {
        "margin": {"l": left, "r": 24, "t": 16, "b": 48},
        "height": height,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "legend": {"orientation": "h", "y": 1.12, "x": 0},
        "font": FONT,
        "xaxis": {"title": {"text": x_title}},
        "yaxis": {"title": {"text": y_title}, "gridcolor": "#eceff3", "rangemode": "tozero"},
        **extra,
    }


def _graph(
    graph_id: str,
    data: list[dict[str, Any]],
    layout: dict[str, Any],
    lang: str,
    title: str,
    source: str,
    as_of: date | None,
    scope: ChartScope,
) -> html.Figure:
    return chart_graph(graph_id, data, layout, lang, title=title, source=source, as_of=as_of, scope=scope)


def _vline(x: float, colour: str) -> dict[str, Any]:
    """A dashed vertical line across the plot at x (a total, a limit)."""
    return {
        "type": "line",
        "x0": x,
        "x1": x,
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "line": {"color": colour, "dash": "dash"},
    }


def _wrap_words(text: str, lang: str, width: int = 12) -> str:
    """An English place name over lines of about `width` characters, broken between words (Chinese names are
    short: they keep their own breaks)."""
    if lang != "en":
        return text
    return "<br>".join("<br>".join(textwrap.wrap(part, width, break_on_hyphens=False)) for part in text.split("<br>"))


def _wrap(text: str, width: int = 12) -> str:
    """A long name over several axis lines (the insurers' legal names run to twenty characters)."""
    return "<br>".join(text[i : i + width] for i in range(0, len(text), width))


# --------------------------------------------------------------------------- cards


def value_cards(page: InsuranceValuePage, lang: str) -> dbc.Row:
    """The headline: the figures of `insurance_summary`, which GET /api/v1/indicators serves as `insurance` and
    `elevators` fields; the notes add counts from the same year's loss ratios and rescue figures."""
    s, total, r = page.summary, page.loss.total, page.rescue
    flows = year_period(page, lang)
    service = period(date(s.as_of.year, 1, 1), s.as_of, lang)
    rescue_notes: list[Any]
    if r.incidents:
        over = s.rescue_arrival_median_minutes is not None and s.rescue_arrival_median_minutes > LIMIT_MINUTES
        rescue_notes = [
            html.Span(
                t("value.card.rescue.over_limit" if over else "value.card.rescue.within_limit", lang),
                className="kpi-change-bad" if over else "kpi-change-good",
            ),
            t(
                one_or_many("value.card.rescue.note", r.incidents, lang),
                lang,
                n=count(r.incidents, lang),
                share=percent(r.arrived_30min_share, lang),
            ),
        ]
    else:
        rescue_notes = [t("value.card.rescue.none", lang)]
    median = s.rescue_arrival_median_minutes
    cards = [
        kpi_card(
            f"{PREFIX}-card-premiums",
            t("value.card.premiums", lang),
            money(s.premiums_fen, lang),
            [t(one_or_many("value.card.premiums.note", total.policies, lang), lang, n=count(total.policies, lang))],
            flows,
        ),
        kpi_card(
            f"{PREFIX}-card-claims",
            t("value.card.claims", lang),
            money(s.claims_paid_fen, lang),
            [t(one_or_many("value.card.claims.note", total.claims, lang), lang, n=count(total.claims, lang))],
            flows,
        ),
        kpi_card(
            f"{PREFIX}-card-loss-ratio",
            t("value.card.loss_ratio", lang),
            percent(s.loss_ratio, lang),
            [t("value.card.loss_ratio.note" if s.loss_ratio is not None else "value.card.loss_ratio.none", lang)],
            flows,
        ),
        kpi_card(
            f"{PREFIX}-card-rescue",
            t("value.card.rescue", lang),
            t("value.card.rescue.value", lang, m=minutes(median)) if median is not None else "—",
            rescue_notes,
            flows,
        ),
        kpi_card(
            f"{PREFIX}-card-response",
            t("value.card.response", lang),
            percent(s.insured_answered_30min_share, lang),
            [
                html.Span(
                    t("value.card.response.uninsured", lang, share=percent(s.uninsured_answered_30min_share, lang)),
                    id=f"{PREFIX}-card-response-uninsured",
                ),
                _gap(s.insured_answered_30min_share, s.uninsured_answered_30min_share, lang),
                t("value.card.response.note", lang),
            ],
            service,
        ),
    ]
    return dbc.Row(
        [dbc.Col(card, xs=12, sm=6, lg=4, xxl=True, className="mb-3") for card in cards],
        className="g-3",
        id=f"{PREFIX}-cards",
    )


def _gap(insured: Decimal | None, uninsured: Decimal | None, lang: str) -> html.Span | None:
    """Insured against uninsured in percentage points (a relative change of a share misleads)."""
    if insured is None or uninsured is None:
        return None
    diff = (insured - uninsured) * 100
    sign = "+" if diff > 0 else ("−" if diff < 0 else "")
    return html.Span(
        t("value.card.response.gap", lang, sign=sign, pp=f"{abs(diff):.1f}"),
        className="kpi-change-good" if diff >= 0 else "kpi-change-bad",
    )


# --------------------------------------------------------------------------- premiums against claims


def _money_table(
    rows: list[tuple[str, LossRow]], first_header: str, table_id: str, lang: str, *, counts: bool = True
) -> dbc.Table:
    """Loss rows with exact money (never broken over two lines); the last row (the total) in bold. Without
    `counts` the policy and claim counts are left out, for a narrow card."""
    right = "text-end text-nowrap"

    def cells(r: LossRow) -> list[tuple[str, str]]:
        shown = [
            ("value.col.policies", count(r.policies, lang)),
            ("value.col.premiums", exact_money(r.premiums_fen, lang)),
            ("value.col.claims", count(r.claims, lang)),
            ("value.col.claims_paid", exact_money(r.claims_paid_fen, lang)),
            ("value.col.loss_ratio", percent(r.loss_ratio, lang)),
        ]
        return [c for c in shown if counts or c[0] not in ("value.col.policies", "value.col.claims")]

    head = html.Thead(
        html.Tr([html.Th(first_header)] + [html.Th(t(k, lang), className="text-end") for k, _ in cells(rows[0][1])])
    )
    body = [
        html.Tr(
            [html.Td(label)] + [html.Td(text, className=right) for _, text in cells(r)],
            className="fw-semibold" if r.id is None else None,
        )
        for label, r in rows
    ]
    return dbc.Table(
        [head, html.Tbody(body)], size="sm", responsive=True, className="mb-2 small value-table", id=table_id
    )


def insurer_chart(
    loss: LossRatios, period_text: str, lang: str, as_of: date | None = None, scope: ChartScope = NO_SCOPE
) -> dbc.Card:
    """Each insurer's loss ratio as a bar and all insurers together as a last, dark bar (a dashed line for the total
    crossed the figures of bars near it), then the exact figures beneath."""
    title = t("value.chart.insurers", lang)
    source = t("value.source.policies", lang, period=period_text)
    if not loss.by_insurer:
        return _chart_card(f"{PREFIX}-insurers", title, [html.P(t("value.chart.insurers.none", lang))], source)
    rows = [*loss.by_insurer, loss.total]
    names = [_wrap(r.name) for r in loss.by_insurer] + [t("value.chart.insurers.all", lang)]
    data = [
        {
            "type": "bar",
            "y": names,
            "x": [_number(r.loss_ratio) for r in rows],
            "orientation": "h",
            "marker": {"color": [PRIMARY] * len(loss.by_insurer) + [INK]},
            "text": [percent(r.loss_ratio, lang) for r in rows],
            "textposition": "outside",
            "cliponaxis": False,
            "customdata": [[exact_money(r.premiums_fen, lang), exact_money(r.claims_paid_fen, lang)] for r in rows],
            "hovertemplate": "%{y}<br>"
            + t("value.hover.ratio", lang, ratio="%{x:.1%}")
            + "<br>"
            + t("value.series.premiums", lang)
            + " %{customdata[0]} · "
            + t("value.series.claims", lang)
            + " %{customdata[1]}<extra></extra>",
            "showlegend": False,
        }
    ]
    layout = _layout(t("value.chart.insurers.x", lang), "", height=max(220, 64 * len(rows) + 80), left=170)
    most = max([float(r.loss_ratio) for r in rows if r.loss_ratio is not None] + [0.5])
    layout["xaxis"] |= {"tickformat": ".0%", "range": [0, most * 1.25]}  # room for the figures beside the bars
    layout["yaxis"] |= {"autorange": "reversed", "type": "category"}
    table = _money_table(
        [(r.name, r) for r in loss.by_insurer] + [(t("value.total", lang), loss.total)],
        t("value.col.insurer", lang),
        f"{PREFIX}-insurer-table",
        lang,
        counts=False,
    )
    graph = _graph(f"{PREFIX}-insurer-chart", data, layout, lang, title, source, as_of, scope)
    return _chart_card(f"{PREFIX}-insurers", title, [graph, table], source)


def district_chart(
    loss: LossRatios,
    cities: list[CityRow],
    show_cities: bool,
    period_text: str,
    lang: str,
    as_of: date | None = None,
    scope: ChartScope = NO_SCOPE,
) -> dbc.Card:
    """Premiums and claims per district (a click on a bar filters the page to the district: its customdata is
    [district id, city code, loss ratio]), then the exact table: by city first in the province view, then by
    district, then the total."""
    by_id = {c.id: c for c in cities}

    def district_label(r: LossRow, sep: str = " ") -> str:
        name = _name(r.name, r.name_en, lang)
        city = by_id.get(r.city_id or 0)
        return f"{_name(city.name, city.name_en, lang)}{sep}{name}" if show_cities and city else name

    rows = loss.by_district
    # Bars stand at positions 0…n−1 named by tick texts: two cities' districts of one name never merge into a bar,
    # and the names go over lines instead of slanting (a slanted "Xiangtan Economic Development Zone" left the
    # bars a third of the chart).
    ticks = [_wrap_words(district_label(r, "<br>"), lang) for r in rows]
    custom = [
        [r.id, by_id[r.city_id].code if r.city_id in by_id else "", percent(r.loss_ratio, lang), district_label(r)]
        for r in rows
    ]
    data: list[dict[str, Any]] = []
    unit = money_axis([f for r in rows for f in (r.premiums_fen, r.claims_paid_fen)], lang)
    for key, colour, attr in (("premiums", LIGHT_GREY, "premiums_fen"), ("claims", PRIMARY, "claims_paid_fen")):
        series = t(f"value.series.{key}", lang)
        data.append(
            {
                "type": "bar",
                "x": list(range(len(rows))),
                "y": [unit.of(getattr(r, attr)) for r in rows],
                "name": series,
                "marker": {"color": colour},
                "customdata": custom,
                "hovertemplate": "%{customdata[3]}: %{y:,.2f} "
                + unit.name
                + "<br>"
                + t("value.hover.ratio", lang, ratio="%{customdata[2]}")
                + "<extra>"
                + series
                + "</extra>",
            }
        )
    layout = _layout(
        t("filter.district", lang),
        t("value.chart.districts.y", lang, unit=unit.name),
        height=360 if show_cities else 320,  # the province's ticks name the city too: a line more
        barmode="group",
        clickmode="event",
    )
    layout["xaxis"] |= {
        "tickmode": "array",
        "tickvals": list(range(len(rows))),
        "ticktext": ticks,
        "tickangle": 0,
        "automargin": True,
    }
    tables: list[Any] = []
    if show_cities and loss.by_city:
        tables += [
            html.H3(t("value.table.by_city", lang), className="h6 small fw-semibold mt-2"),
            _money_table(
                [(_name(r.name, r.name_en, lang), r) for r in loss.by_city] + [(t("value.total", lang), loss.total)],
                t("col.city", lang),
                f"{PREFIX}-city-table",
                lang,
            ),
        ]
    tables += [
        html.H3(t("value.table.by_district", lang), className="h6 small fw-semibold mt-2"),
        _money_table(
            [(district_label(r), r) for r in rows] + [(t("value.total", lang), loss.total)],
            t("col.district", lang),
            f"{PREFIX}-district-table",
            lang,
        ),
    ]
    title, source = t("value.chart.districts", lang), t("value.source.policies", lang, period=period_text)
    graph = _graph(f"{PREFIX}-district-chart", data, layout, lang, title, source, as_of, scope)
    hint = html.Div(t("chart.click_district", lang), className="chart-source")
    return _chart_card(f"{PREFIX}-districts", title, [graph, hint, *tables], source)


# --------------------------------------------------------------------------- what repairs cost


def repair_chart(
    repair: RepairCost, period_text: str, lang: str, as_of: date | None = None, scope: ChartScope = NO_SCOPE
) -> dbc.Card:
    """Repair cost per elevator-year, three ways (insured, the same compounds before insuring, never insured), with
    the data layer's caveat printed under it: ledger uses pay for every common part, not only elevators."""
    groups = [
        (t("value.repair.insured", lang), repair.insured, PRIMARY),
        (t("value.repair.before", lang, n=BEFORE_YEARS), repair.before_insuring, PRIMARY_LIGHT),
        (t("value.repair.never", lang), repair.never_insured, GREY),
    ]
    per_year = [g.cost_per_elevator_year_fen for _, g, _ in groups]
    data = [
        {
            "type": "bar",
            "x": [label for label, _, _ in groups],
            "y": [None if fen is None else fen / 100 for fen in per_year],
            "marker": {"color": [colour for _, _, colour in groups]},
            "text": ["—" if fen is None else exact_money(fen, lang) for fen in per_year],
            "textposition": "outside",
            "cliponaxis": False,
            "customdata": [
                [
                    t(
                        "value.repair.hover",
                        lang,
                        compounds=count(g.compounds, lang),
                        years=f"{g.elevator_years:,}",
                        repairs=count(g.repairs, lang),
                        cost=money(g.cost_fen, lang),
                    )
                ]
                for _, g, _ in groups
            ],
            "hovertemplate": "%{customdata[0]}<extra></extra>",
            "showlegend": False,
        }
    ]
    most = max((fen for fen in per_year if fen is not None), default=0) / 100
    layout = _layout("", t("value.chart.repair.y", lang), height=320, left=70)
    layout["xaxis"] |= {"type": "category"}
    layout["yaxis"] |= {"range": [0, max(1.0, most) * 1.18], "rangemode": "normal", "tickformat": ",.0f"}
    title = t("value.chart.repair", lang)
    source = t("value.source.repair", lang, period=period_text, n=BEFORE_YEARS)
    return _chart_card(
        f"{PREFIX}-repair",
        title,
        [
            _graph(f"{PREFIX}-repair-chart", data, layout, lang, title, source, as_of, scope),
            html.Div(t("value.repair.caveat", lang), className="small text-muted", id=f"{PREFIX}-repair-caveat"),
        ],
        source,
    )


def major_chart(
    major: MajorRepairs, period_text: str, lang: str, as_of: date | None = None, scope: ChartScope = NO_SCOPE
) -> dbc.Card:
    """Major repairs paid by the insurers against those charged to the owners' ledgers: amounts, with the counts."""
    rows = [
        (t("value.major.insurance", lang), major.insurance_claims, major.insurance_fen, PRIMARY),
        (t("value.major.ledger", lang), major.ledger_uses, major.ledger_fen, GREY),
    ]
    unit = money_axis([fen for _, _, fen, _ in rows], lang)
    data = [
        {
            "type": "bar",
            "y": [label for label, _, _, _ in rows],
            "x": [unit.of(fen) for _, _, fen, _ in rows],
            "orientation": "h",
            "marker": {"color": [colour for _, _, _, colour in rows]},
            "text": [t("value.major.text", lang, n=count(n, lang), amount=money(fen, lang)) for _, n, fen, _ in rows],
            "textposition": "auto",
            "cliponaxis": False,
            "hovertemplate": "%{y}: %{x:,.2f} " + unit.name + "<extra></extra>",
            "showlegend": False,
        }
    ]
    most = max(unit.of(fen) for _, _, fen, _ in rows)
    layout = _layout(t("value.chart.major.x", lang, unit=unit.name), "", height=220, left=150)
    layout["xaxis"] |= {"range": [0, max(1.0, most) * 1.45], "tickformat": ",.0f"}
    layout["yaxis"] |= {"autorange": "reversed", "type": "category"}
    table = dbc.Table(
        html.Tbody(
            [
                html.Tr(
                    [
                        html.Td(label.replace("<br>", " " if lang == "en" else "")),
                        html.Td(count(n, lang), className="text-end"),
                        html.Td(exact_money(fen, lang), className="text-end"),
                    ]
                )
                for label, n, fen, _ in rows
            ]
        ),
        size="sm",
        className="mb-1 small",
        id=f"{PREFIX}-major-table",
    )
    title, source = t("value.chart.major", lang), t("value.source.major", lang, period=period_text)
    return _chart_card(
        f"{PREFIX}-major",
        title,
        [
            _graph(f"{PREFIX}-major-chart", data, layout, lang, title, source, as_of, scope),
            table,
            html.Div(t("value.major.note", lang), className="small text-muted"),
        ],
        source,
    )


# --------------------------------------------------------------------------- rescue


def rescue_chart(
    r: Rescue, period_text: str, lang: str, as_of: date | None = None, scope: ChartScope = NO_SCOPE
) -> dbc.Card:
    """Median and mean arrival and the median release against the 30-minute limit (red: the limit, and a time past
    it), the counts beside them."""
    title, source = t("value.chart.rescue", lang), t("value.source.rescue", lang, period=period_text)
    if not r.incidents:
        return _chart_card(f"{PREFIX}-rescue", title, [html.P(t("value.rescue.none", lang))], source)
    limit = float(LIMIT_MINUTES)

    def colour(value: Decimal | None, usual: str) -> str:
        return BAD if value is not None and value > LIMIT_MINUTES else usual

    bars = [
        (t("value.rescue.median_arrival", lang), r.arrival_median_minutes, colour(r.arrival_median_minutes, PRIMARY)),
        (t("value.rescue.mean_arrival", lang), r.arrival_mean_minutes, colour(r.arrival_mean_minutes, INK)),
        (t("value.rescue.median_release", lang), r.release_median_minutes, PRIMARY_LIGHT),
    ]
    most = max([limit] + [float(v) for _, v, _ in bars if v is not None])
    data = [
        {
            "type": "bar",
            "y": [label for label, _, _ in bars],
            "x": [_number(v) for _, v, _ in bars],
            "orientation": "h",
            "marker": {"color": [colour for _, _, colour in bars]},
            "text": [minutes(v) for _, v, _ in bars],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{y}: %{x:.2f}<extra></extra>",
            "showlegend": False,
        }
    ]
    layout = _layout(
        t("value.chart.rescue.x", lang),
        "",
        height=220,
        left=120,
        shapes=[_vline(limit, BAD)],
        annotations=[
            {
                "x": limit,
                "y": 1,
                "yref": "paper",
                "text": t("value.rescue.limit", lang),
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"size": 11, "color": BAD},
            }
        ],
    )
    layout["margin"]["t"] = 28
    layout["xaxis"] |= {"range": [0, most * 1.2]}
    layout["yaxis"] |= {"autorange": "reversed", "type": "category", "automargin": True, "ticksuffix": " "}
    lines = [
        ("value.rescue.incidents", count(r.incidents, lang)),
        ("value.rescue.passengers", count(r.trapped_passengers, lang)),
        ("value.rescue.arrived", count(r.arrived, lang)),
        (
            "value.rescue.within",
            t(
                "value.rescue.within.value",
                lang,
                n=count(r.arrived_30min, lang),
                share=percent(r.arrived_30min_share, lang),
            ),
        ),
        ("value.rescue.released", count(r.released, lang)),
    ]
    table = dbc.Table(
        html.Tbody([html.Tr([html.Td(t(k, lang)), html.Td(v, className="text-end")]) for k, v in lines]),
        size="sm",
        className="mb-1 small",
        id=f"{PREFIX}-rescue-table",
    )
    return _chart_card(
        f"{PREFIX}-rescue",
        title,
        [
            dbc.Row(
                [
                    dbc.Col(_graph(f"{PREFIX}-rescue-chart", data, layout, lang, title, source, as_of, scope), lg=7),
                    dbc.Col([table, html.Div(t("value.rescue.note", lang), className="small text-muted")], lg=5),
                ],
                className="g-3 align-items-center",
            )
        ],
        source,
    )


# --------------------------------------------------------------------------- maintenance-company league


def league_columns(show_cities: bool, lang: str) -> list[dict[str, Any]]:
    """The league's columns: numbers right-aligned, sortable by value; shares as percentages to two places."""

    def number(field: str, key: str, fmt: str = ",d") -> dict[str, Any]:
        return {
            "field": field,
            "headerName": t(key, lang),
            "type": "rightAligned",
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
            "minWidth": 96,
            "valueFormatter": {"function": f"params.value == null ? '—' : d3.format('{fmt}')(params.value)"},
        }

    columns: list[dict[str, Any]] = []
    if show_cities:
        columns.append({"field": "city", "headerName": t("value.col.city", lang), "minWidth": 90, "maxWidth": 120})
    columns += [
        {
            "field": "company",
            "headerName": t("value.col.company", lang),
            "minWidth": 230,
            "flex": 2,
            "tooltipField": "company",  # the long legal names are cut: hovering shows them whole
        },
        number("elevators", "value.col.elevators"),
        number("faults", "value.col.faults"),
        number("faults_per_100", "value.col.per100", ",.2f"),
        number("repeat", "value.col.repeat"),
        number("answered_pct", "value.col.answered", ",.2f"),
        number("band_pct", "value.col.band", ",.2f"),
        number("complaints", "value.col.complaints"),
        number("complaints_per_100", "value.col.complaints100", ",.2f"),
    ]
    return columns


def league_rows(rows: list[CompanyRow], cities: list[CityRow], lang: str) -> list[dict[str, Any]]:
    """One grid row per city and company, in the league's order (fewest faults per 100 elevators first)."""
    by_id = {c.id: c for c in cities}
    return [
        {
            "row_id": f"{r.city_id}-{r.company_id}",
            "city": _name(by_id[r.city_id].name, by_id[r.city_id].name_en, lang) if r.city_id in by_id else "",
            "company": r.name,
            "elevators": r.elevators,
            "faults": r.faults,
            "faults_per_100": _number(r.faults_per_100),
            "repeat": r.repeat_fault_elevators,
            "answered_pct": _share_pct(r.answered_30min_share),
            "band_pct": _share_pct(r.visits_in_band_share),
            "complaints": r.complaints,
            "complaints_per_100": _number(r.complaints_per_100),
        }
        for r in rows
    ]


def league_table(
    rows: list[CompanyRow], cities: list[CityRow], show_cities: bool, year: int, period_text: str, lang: str
) -> dbc.Card:
    """The maintenance companies' league (the market regulator's view), sortable, with a CSV of what it shows (the
    grid's own export: a few dozen rows the browser already holds, with formula-looking text neutralised)."""
    grid = dag.AgGrid(
        id=GRID,
        columnDefs=[{"headerTooltip": c["headerName"], **c} for c in league_columns(show_cities, lang)],
        rowData=league_rows(rows, cities, lang),
        getRowId="params.data.row_id",
        defaultColDef={"sortable": True, "resizable": True, "filter": False, "flex": 1},
        dashGridOptions={
            "pagination": True,
            "paginationPageSize": 20,
            "animateRows": False,
            "domLayout": "autoHeight",
            **({"localeText": AG_GRID_ZH} if lang == "zh" else {}),
        },
        csvExportParams={
            "fileName": f"{PREFIX}-league-{year}.csv",
            "processCellCallback": {"function": "csvSafe(params.value)"},
            "processHeaderCallback": {"function": "csvSafe(params.column.getColDef().headerName)"},
        },
        className="ag-theme-alpine",
        style={"width": "100%"},
    )
    head = html.Div(
        [
            html.H2(t("value.league.title", lang), className="h6 mb-0 me-auto"),
            dbc.Button(t("export.csv", lang), id=f"{GRID}-csv", size="sm", color="secondary", outline=True),
        ],
        className="d-flex align-items-center mb-2",
    )
    return dbc.Card(
        dbc.CardBody(
            [
                head,
                grid,
                html.Div(t("value.league.note", lang, n=REPEAT_FAULTS), className="small text-muted mt-2"),
                html.Div(t("value.source.league", lang, period=period_text), className="chart-source"),
            ]
        ),
        className="chart-card shadow-sm",
        id=f"{PREFIX}-league",
    )


# --------------------------------------------------------------------------- how the figures are counted


def notes(lang: str) -> html.Div:
    """The definitions behind the page's figures, at its foot (indicator_layout's table slot)."""
    keys = ("value.notes.money", "value.notes.response", "value.notes.cost", "value.notes.api")
    return html.Div(
        [
            html.H2(t("value.notes.title", lang), className="h6 mb-2"),
            html.Ul([html.Li(t(k, lang, n=BEFORE_YEARS)) for k in keys], className="small text-muted mb-0"),
        ],
        id=f"{PREFIX}-notes",
    )


__all__ = [
    "GRID",
    "PREFIX",
    "district_chart",
    "insurer_chart",
    "league_columns",
    "league_rows",
    "league_table",
    "major_chart",
    "minutes",
    "notes",
    "repair_chart",
    "rescue_chart",
    "value_cards",
    "year_period",
]
