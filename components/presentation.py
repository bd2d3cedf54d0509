"""The presentation deck (/present): a `Deck` (data_access/presentation.py) drawn as full-screen 16:9 slides.

Why the shapes: the deck is read from the back of a room, so every slide is laid out once on a fixed 1920×1080
canvas (assets/present.js scales it to the screen) with large type — a title, the slide's finding as a sentence,
a few big figures and one or two charts — and nothing a speaker would have to explain away: each slide states its
as-of date and source, and the demo mark where the figures are synthetic. Red means bad news and nothing else
(a missed target, an overdue task, complaints rising); other series are neutral greys and slate. Charts are static
pictures (no toolbar, no hover): a projected slide is not an instrument, and the figures are on it in words. The
charts themselves are components/presentation_charts.py's, drawn for the DECK medium (the briefing prints the same).

`finding_text` words a slide's `Finding` in the UI language; the printed briefing uses it too, so both say the
same sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dash import dcc, html
from dash.development.base_component import Component

from components import presentation_charts as charts
from components.formatting import count, day, money, one_or_many, percent, short_day
from components.i18n import t
from components.plots import chart_summary, figure, graph_config
from components.presentation_charts import DECK, Figure, Size, minutes_text
from data_access.presentation import (
    Case,
    Change,
    ComplaintsSlide,
    CouncilCase,
    Count,
    CoverageSlide,
    Deck,
    Finding,
    FundSlide,
    HeadlineSlide,
    InsuranceCase,
    Minutes,
    Money,
    Name,
    Param,
    Period,
    Rate,
    RedSlide,
    RescueSlide,
    ServiceSlide,
    Share,
    Slide,
    Term,
)

WIDTH, HEIGHT = 1920, 1080  # the canvas every slide is laid out on (assets/present.css, present.js)
TONE_CLASS = {"good": "present-good", "bad": "present-bad", "neutral": "present-neutral"}


# --------------------------------------------------------------------------- words


def name(n: Name, lang: str) -> str:
    return n.en if lang == "en" else n.zh


def period_text(p: Period, lang: str) -> str:
    """2025年 / 2025 for a whole calendar year; 2026年1月1日至11月23日 / January 1 to November 23, 2026 otherwise."""
    if p.whole_year:
        return t("present.period.year", lang, year=p.first.year)
    if lang == "zh":
        return t("present.period.part", lang, year=p.first.year, date=short_day(p.last, lang))
    return t("present.period.part", lang, date=day(p.last, lang))


def change_text(value: Decimal | None, lang: str) -> str:
    if value is None:
        return t("present.change.none", lang)
    if value == 0:
        return t("present.change.flat", lang)
    key = "present.change.down" if value < 0 else "present.change.up"
    return t(key, lang, pct=percent(abs(value), lang))


def param_text(value: Param, lang: str) -> str:
    """One finding parameter in the UI language: money in 万/亿, shares as percentages, days in the language's style."""
    if isinstance(value, bool):
        raise TypeError("a finding has no yes/no parameter; use a Term")
    if isinstance(value, int):
        return count(value, lang)
    if isinstance(value, Count):
        return counted(f"present.n.{value.noun}", value.n, lang)
    if isinstance(value, str):
        return value
    if isinstance(value, Name):
        return name(value, lang)
    if isinstance(value, Money):
        return money(value.fen, lang)
    if isinstance(value, Share):
        return percent(value.value, lang, value.digits)
    if isinstance(value, Change):
        return change_text(value.value, lang)
    if isinstance(value, Minutes):
        return minutes_text(value.value, lang)
    if isinstance(value, Period):
        return period_text(value, lang)
    if isinstance(value, Rate):
        return "—" if value.value is None else str(value.value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    if isinstance(value, Term):
        return t(value.key, lang)
    if isinstance(value, date):
        return day(value, lang)
    raise TypeError(f"unknown finding parameter {value!r}")


def finding_text(f: Finding, lang: str) -> str:
    """The finding as one sentence in the UI language (the deck's and the briefing's words)."""
    return t(f.key, lang, **{k: param_text(v, lang) for k, v in f.params})


# --------------------------------------------------------------------------- pieces of a slide


def _findings(findings: Sequence[Finding], lang: str, slide_id: str, lead: bool = True) -> html.Div:
    """The slide's finding in large type, the others below it; the tone marks bad news red."""
    items: list[Component] = []
    for i, f in enumerate(findings):
        cls = "present-finding " + TONE_CLASS[f.tone] + (" present-lead" if lead and i == 0 else "")
        items.append(html.P(finding_text(f, lang), className=cls, id=f"{slide_id}-finding-{i}"))
    return html.Div(items, className="present-findings")


def _kpi(label: str, value: str, note: str | None = None, tone: str = "neutral", kpi_id: str | None = None) -> html.Div:
    children: list[Component] = [
        html.Div(label, className="present-kpi-label"),
        html.Div(value, className="present-kpi-value " + TONE_CLASS.get(tone, "present-neutral")),
    ]
    if note:
        children.append(html.Div(note, className="present-kpi-note"))
    props: dict[str, Any] = {"className": "present-kpi"}
    if kpi_id:
        props["id"] = kpi_id
    return html.Div(children, **props)


def _kpis(tiles: Sequence[html.Div], columns: int) -> html.Div:
    return html.Div(list(tiles), className=f"present-kpis present-cols-{columns}")


def _chart(graph_id: str, title: str, fig: Figure, lang: str) -> html.Div:
    """A static chart of fixed size (components/presentation_charts.py draws it for the DECK medium): the canvas is
    scaled as a whole, so the chart is drawn once at its size."""
    config = graph_config(lang)
    config["staticPlot"] = True  # a projected picture: no toolbar, no hover
    config["displayModeBar"] = False
    config["responsive"] = False  # drawn at its own size; the stage is scaled as a whole
    size = fig["layout"]
    # the drawing's text alternative (assets/a11y.js makes plotly's <svg> role="img" named by it), as chart_graph
    summary: dict[str, Any] = {"data-chart-summary": chart_summary(title, fig["data"], fig["layout"], lang)}
    return html.Div(
        [
            html.Div(title, className="present-chart-title"),
            html.Div(
                dcc.Graph(
                    id=graph_id,
                    figure=figure(fig["data"], fig["layout"]),
                    config=config,
                    style={"width": f"{size['width']}px", "height": f"{size['height']}px"},
                ),
                **summary,
            ),
        ],
        className="present-chart",
    )


def _slide(
    index: int,
    total: int,
    deck: Deck,
    lang: str,
    slide_id: str,
    title: str,
    body: Sequence[Component | None],
    kicker: str | None = None,
) -> html.Section:
    """One 1920×1080 slide: kicker (place · year), title, body, and the footer every slide carries (source with the
    as-of date, the demo mark where it applies, the slide's number)."""
    footer: list[Component] = [html.Span(t("present.source", lang, date=day(deck.as_of, lang)), className="me-auto")]
    mark = demo_mark(deck, lang)
    if mark:
        footer.append(html.Span(mark, className="present-demo", id=f"{slide_id}-demo"))
    footer.append(
        html.Span(t("present.counter", lang, n=index + 1, total=total), className="present-counter"),
    )
    return html.Section(
        [
            html.Header(
                [
                    html.Div(kicker or place_line(deck, lang), className="present-kicker"),
                    html.H2(title, className="present-title", id=f"{slide_id}-title"),
                ],
                className="present-head",
            ),
            html.Div([b for b in body if b is not None], className="present-body"),
            html.Footer(footer, className="present-foot"),
        ],
        className="present-slide" + (" is-active" if index == 0 else ""),
        id=slide_id,
        **_data({"data-index": str(index)}),
    )


def _data(attributes: dict[str, str]) -> dict[str, Any]:
    """Dash's data-* props exist only as **kwargs."""
    return attributes


def place_line(deck: Deck, lang: str) -> str:
    """株洲市 天元区 · 2026年 / Tianyuan, Zhuzhou · 2026: the place and year every slide is about."""
    if deck.city is None:
        place = t("present.province", lang)
    elif deck.district is None:
        place = name(deck.city, lang)
    elif lang == "zh":
        place = f"{deck.city.zh} {deck.district.zh}"
    else:
        place = f"{deck.district.en}, {deck.city.en}"
    return f"{place} · {period_text(deck.period, lang)}"


def demo_mark(deck: Deck, lang: str) -> str | None:
    """The demo mark of the deck: all of it, or the cities whose figures are synthetic; None for real data."""
    if deck.demo_all:
        return t("present.demo", lang)
    if deck.demo_cities:
        sep = "、" if lang == "zh" else ", "
        return t("present.demo.some", lang, cities=sep.join(name(c, lang) for c in deck.demo_cities))
    return None


def counted(key: str, n: int, lang: str) -> str:
    """A count in its catalogue phrase, singular for one in English ("1 person trapped": formatting.one_or_many)."""
    return t(one_or_many(key, n, lang), lang, n=count(n, lang))


# --------------------------------------------------------------------------- the slides


def headline_slide(s: HeadlineSlide, deck: Deck, i: int, total: int, lang: str) -> html.Section:
    """The title slide: the deck's place and date, six figures of both reforms, and what they say."""
    f, c, comp, red = s.fund, s.coverage, s.complaints, s.red_property
    complaints_tone = s.findings[1].tone if len(s.findings) > 1 else "neutral"
    tiles = [
        _kpi(t("present.k.deposits", lang), money(f.deposits_total_fen, lang), kpi_id="present-kpi-deposits"),
        _kpi(
            t("present.k.usage", lang),
            percent(f.usage_rate, lang, 2),
            t("present.k.used_note", lang, money=money(f.used_in_year_fen, lang)),
            kpi_id="present-kpi-usage",
        ),
        _kpi(t("present.k.vai", lang), money(f.value_added_income_in_year_fen, lang), kpi_id="present-kpi-vai"),
        _kpi(
            t("present.k.insured", lang),
            counted("present.u.elevators", c.insured, lang),
            t("present.k.coverage", lang) + " " + percent(c.coverage_rate, lang),
            kpi_id="present-kpi-insured",
        ),
        _kpi(
            t("present.k.complaints", lang),
            counted("present.u.items", comp.this_period, lang),
            change_text(comp.change, lang) + " · " + t("present.vs_last", lang, n=count(comp.last_period, lang)),
            tone="bad" if complaints_tone == "bad" else "neutral",
            kpi_id="present-kpi-complaints",
        ),
        _kpi(
            t("present.k.resolved", lang),
            counted("present.u.items", red.council_items_resolved, lang),
            t("present.k.projects", lang) + " " + count(red.accepted_projects, lang),
            kpi_id="present-kpi-resolved",
        ),
    ]
    body = [
        html.Div(t("present.subtitle", lang), className="present-subtitle"),
        html.Div(t("present.as_of", lang, date=day(deck.as_of, lang)), className="present-asof", id="present-as-of"),
        _kpis(tiles, 3),
        _findings(s.findings, lang, "present-s0", lead=False),
        _city_table(s, lang) if s.cities else None,
    ]
    title = (t("present.province", lang) if deck.city is None else place_line(deck, lang).split(" · ")[0]) + (
        " · " + t("present.s.headline", lang)
    )
    return _slide(i, total, deck, lang, "present-s0", title, body, kicker=t("present.title", lang))


def _city_table(s: HeadlineSlide, lang: str) -> html.Table:
    """The province deck: the same figures for each city, side by side."""
    head = html.Tr(
        [
            html.Th(""),
            *(
                html.Th(t(k, lang))
                for k in (
                    "present.k.deposits",
                    "present.k.usage",
                    "present.k.insured",
                    "present.k.coverage",
                    "present.k.complaints",
                    "present.k.resolved",
                )
            ),
        ]
    )
    rows = [
        html.Tr(
            [
                html.Th(name(city, lang)),
                html.Td(money(h.fund.deposits_total_fen, lang)),
                html.Td(percent(h.fund.usage_rate, lang, 2)),
                html.Td(count(h.coverage.insured, lang)),
                html.Td(percent(h.coverage.coverage_rate, lang)),
                html.Td(count(h.complaints.this_period, lang)),
                html.Td(count(h.red_property.council_items_resolved, lang)),
            ]
        )
        for city, h in s.cities
    ]
    return html.Table([html.Thead(head), html.Tbody(rows)], className="present-table", id="present-cities")


def fund_slide(s: FundSlide, deck: Deck, i: int, total: int, lang: str) -> html.Section:
    """The fund hardly used (its usage rate year by year) and what the year's value-added income buys."""
    usage = charts.fund_usage_figure(s, lang, DECK, Size(1120, 470, (100, 30, 20, 90)))
    chart = _chart("present-fund-chart", t("present.c.usage", lang), usage, lang)
    cur = s.current
    tiles = [
        _kpi(
            t("present.k.usage", lang),
            percent(cur.usage_rate, lang, 2),
            money(cur.used_in_year_fen, lang) + " ÷ " + money(cur.deposits_total_fen, lang),
            kpi_id="present-kpi-fund-usage",
        ),
        _kpi(t("present.k.vai", lang), money(cur.value_added_income_in_year_fen, lang)),
        _kpi(
            t("present.k.elevator_years", lang),
            count(s.elevator_years, lang),
            _cover_note(s, lang),
            kpi_id="present-kpi-elevator-years",
        ),
    ]
    body = [
        html.Div([html.Div(_kpis(tiles, 1), className="present-col-narrow"), chart], className="present-split"),
        _findings(s.findings, lang, "present-s1"),
    ]
    return _slide(i, total, deck, lang, "present-s1", t("present.s.fund", lang), body)


def _cover_note(s: FundSlide, lang: str) -> str | None:
    """The cover each insured elevator gets a year, per city where the deck has several."""
    covers = [(b.city, b.cover_per_elevator_fen) for b in s.buys if b.cover_per_elevator_fen is not None]
    if not covers:
        return None
    if len({fen for _, fen in covers}) == 1:
        return t("present.k.cover", lang) + " " + money(covers[0][1], lang)
    return " · ".join(f"{name(city, lang)} {money(fen, lang)}" for city, fen in covers)


def coverage_slide(s: CoverageSlide, deck: Deck, i: int, total: int, lang: str) -> html.Section:
    """Each city's coverage line with its targets as marks: a missed target is the one red thing on it."""
    coverage = charts.coverage_figure(s, lang, DECK, Size(1120, 540, (90, 40, 60, 60)))
    chart = _chart("present-coverage-chart", t("present.c.coverage", lang), coverage, lang)
    c = s.coverage
    tiles = [
        _kpi(t("present.k.insured", lang), counted("present.u.elevators", c.insured, lang)),
        _kpi(
            t("present.k.coverage", lang),
            percent(c.coverage_rate, lang),
            counted("present.k.applied", c.eligible_applied, lang),
            kpi_id="present-kpi-coverage",
        ),
    ]
    body = [
        html.Div([html.Div(_kpis(tiles, 1), className="present-col-narrow"), chart], className="present-split"),
        _findings(s.findings, lang, "present-s2", lead=False),
    ]
    return _slide(i, total, deck, lang, "present-s2", t("present.s.coverage", lang), body)


def complaints_slide(s: ComplaintsSlide, deck: Deck, i: int, total: int, lang: str) -> html.Section:
    """Insured compounds before and after their first policy beside never-insured ones over as many months."""
    complaints = charts.complaints_figure(s, lang, DECK, Size(1120, 520, (80, 30, 60, 70)))
    chart = _chart("present-complaints-chart", t("present.c.complaints", lang), complaints, lang)
    e = s.elevator
    tiles = [
        _kpi(
            t("present.k.complaints", lang),
            counted("present.u.items", e.this_period, lang),
            change_text(e.change, lang) + " · " + t("present.vs_last", lang, n=count(e.last_period, lang)),
            tone="bad" if e.change is not None and e.change > 0 else "neutral",
            kpi_id="present-kpi-orders",
        ),
        _kpi(
            t("present.k.cohort_insured", lang, months=s.months),
            counted("present.u.compounds", s.insured.compounds, lang),
            counted("present.u.lifts", s.insured.elevators, lang),
        ),
        _kpi(
            t("present.k.cohort_never", lang),
            counted("present.u.compounds", s.never_insured.compounds, lang),
            counted("present.u.lifts", s.never_insured.elevators, lang),
        ),
    ]
    body = [
        html.Div([html.Div(_kpis(tiles, 1), className="present-col-narrow"), chart], className="present-split"),
        _findings(s.findings, lang, "present-s3"),
    ]
    return _slide(i, total, deck, lang, "present-s3", t("present.s.complaints", lang), body)


def service_slide(s: ServiceSlide, deck: Deck, i: int, total: int, lang: str) -> html.Section:
    """Three service measures, insured against uninsured elevators, as shares of 100%."""
    service = charts.service_figure(s, lang, DECK, Size(1720, 520, (40, 60, 60, 50)))
    chart = _chart("present-service-chart", t("present.c.service", lang), service, lang)
    body = [chart, _findings(s.findings, lang, "present-s4")]
    return _slide(i, total, deck, lang, "present-s4", t("present.s.service", lang), body)


def rescue_slide(s: RescueSlide, deck: Deck, i: int, total: int, lang: str) -> html.Section:
    """Rescue times against the 30-minute limit, and repair cost per elevator-year with and without insurance."""
    r = s.rescue
    rescue = charts.rescue_figure(s, lang, DECK, Size(840, 400, (20, 40, 50, 50)))
    repair = charts.repair_figure(s, lang, DECK, Size(840, 400, (20, 20, 30, 80)))
    tiles = [
        _kpi(
            t("present.k.incidents", lang),
            counted("present.u.incidents", r.incidents, lang),
            counted("present.u.trapped", r.trapped_passengers, lang),
        ),
        _kpi(
            t("present.k.median", lang),
            minutes_text(r.arrival_median_minutes, lang),
            tone="bad" if s.findings and s.findings[0].tone == "bad" else "neutral",
            kpi_id="present-kpi-rescue",
        ),
        _kpi(t("present.k.within", lang), percent(r.arrived_30min_share, lang)),
        _kpi(t("present.k.release", lang), minutes_text(r.release_median_minutes, lang)),
    ]
    body = [
        _kpis(tiles, 4),
        html.Div(
            [
                _chart("present-rescue-chart", t("present.c.rescue", lang), rescue, lang),
                *([_chart("present-repair-chart", t("present.c.repair", lang), repair, lang)] if repair else []),
            ],
            className="present-split present-even",
        ),
        _findings(s.findings, lang, "present-s5", lead=False),
    ]
    return _slide(i, total, deck, lang, "present-s5", t("present.s.rescue", lang), body)


def red_slide(s: RedSlide, deck: Deck, i: int, total: int, lang: str) -> html.Section:
    """Red property's stocks, and council meetings per quarter with the current quarter marked as a part quarter."""
    cur = s.current
    quarters = charts.quarters_figure(s.quarters, cur.as_of, lang, DECK, Size(1120, 470, (80, 20, 20, 110)))
    chart = _chart("present-red-chart", t("present.c.quarters", lang), quarters, lang)
    sm = cur.summary
    tiles = [
        _kpi(
            t("present.k.projects", lang),
            counted("present.u.projects", sm.accepted_projects, lang),
            counted("present.k.committees_note", sm.industry_party_committees, lang),
        ),
        _kpi(
            t("present.k.companies", lang),
            count(sm.companies_with_party_org, lang),
            percent(cur.company_share, lang),
        ),
        _kpi(
            t("present.k.stations", lang),
            count(sm.compounds_with_service_station, lang),
            percent(cur.station_share, lang),
        ),
        _kpi(
            t("present.k.resolved", lang),
            counted("present.u.items", sm.council_items_resolved, lang),
            kpi_id="present-kpi-red-resolved",
        ),
    ]
    body = [
        html.Div([html.Div(_kpis(tiles, 1), className="present-col-narrow"), chart], className="present-split"),
        _findings(s.findings, lang, "present-s6", lead=False),
    ]
    return _slide(i, total, deck, lang, "present-s6", t("present.s.red", lang), body)


def insurance_case_slide(s: InsuranceCase, deck: Deck, i: int, total: int, lang: str) -> html.Section:
    """A compound's insured elevators building by building, with its own figures and how it applied."""
    p, v = s.view.profile, s.view
    cover = max(p.cover_per_elevator_fen, default=None)
    tiles = [
        _kpi(
            t("present.k.buildings", lang),
            t("present.u.pair", lang, a=count(p.buildings, lang), b=count(p.elevators, lang)),
            t("present.k.age", lang, years=p.average_elevator_age_years)
            if p.average_elevator_age_years is not None
            else None,
        ),
        _kpi(
            t("present.k.insured_case", lang),
            counted("present.u.elevators", p.insured_elevators, lang),
            counted("present.k.in_buildings", p.buildings_with_insured_elevators, lang),
            kpi_id="present-kpi-case-insured",
        ),
        _kpi(t("present.k.cover", lang), money(cover, lang) if cover is not None else "—"),
        _kpi(t("present.k.pooled", lang), money(v.pooled_balance_fen, lang)),
    ]
    slide_id = f"present-s{i}"
    body: list[Component | None] = [
        html.Div(t("present.case.named" if s.named else "present.case.chosen", lang), className="present-tag"),
        _kpis(tiles, 4),
        _buildings_chart(s, lang),
        _findings(s.findings, lang, slide_id),
    ]
    title = t("present.s.case_insurance", lang, name=s.name)
    return _slide(i, total, deck, lang, slide_id, title, body, kicker=case_kicker(s, deck, lang))


def _buildings_chart(s: InsuranceCase, lang: str) -> html.Div | None:
    """Each building's elevators, insured ones dark and the others light: which of them the pooled accounts pay for."""
    fig = charts.buildings_figure(s, lang, DECK, Size(1720, 250, (60, 20, 50, 50)))
    if fig is None:
        return None
    title = t("present.c.buildings_numbered" if charts.buildings_numbered(s, DECK) else "present.c.buildings", lang)
    return _chart("present-case-buildings", title, fig, lang)


def case_kicker(s: Case, deck: Deck, lang: str) -> str:
    """株洲市 天元区 · 2026年1月1日至11月23日 / Tianyuan, Zhuzhou · …: where the case compound is."""
    where = f"{s.city.zh} {s.district.zh}" if lang == "zh" else f"{s.district.en}, {s.city.en}"
    return f"{where} · {period_text(deck.period, lang)}"


def council_case_slide(s: CouncilCase, deck: Deck, i: int, total: int, lang: str) -> html.Section:
    p, v, c = s.view.profile, s.view, s.councils
    done = c.follow_up_completion
    tiles = [
        _kpi(
            t("present.k.households", lang),
            counted("present.u.households", p.households, lang),
            counted("present.u.residents", p.residents, lang),
        ),
        _kpi(t("present.k.meetings", lang), counted("present.u.times", v.council_meetings, lang)),
        _kpi(
            t("present.k.resolved", lang),
            counted("present.u.items", v.council_items_resolved, lang),
            kpi_id="present-kpi-case-resolved",
        ),
        _kpi(t("present.k.follow_ups", lang), percent(Decimal(str(done)) if done is not None else None, lang)),
    ]
    slide_id = f"present-s{i}"
    outcomes = None
    if s.outcomes:
        outcomes = html.Div(
            [
                html.Div(t("present.c.outcomes", lang), className="present-chart-title"),
                html.Ul(
                    [
                        html.Li(
                            [
                                html.Span(day(held, lang), className="present-outcome-day"),
                                html.Span(title, className="present-outcome-title"),
                                html.Span(
                                    t(f"red_property.category.{category}", lang), className="present-outcome-cat"
                                ),
                            ]
                        )
                        for held, title, category in s.outcomes
                    ],
                    className="present-outcomes",
                    id=f"{slide_id}-outcomes",
                ),
            ]
        )
    body = [
        html.Div(t("present.case.named" if s.named else "present.case.chosen", lang), className="present-tag"),
        _kpis(tiles, 4),
        _findings(s.findings, lang, slide_id),
        outcomes,
    ]
    title = t("present.s.case_council", lang, name=s.name)
    return _slide(i, total, deck, lang, slide_id, title, body, kicker=case_kicker(s, deck, lang))


# --------------------------------------------------------------------------- the deck


def slide_view(slide: Slide | Case, deck: Deck, i: int, total: int, lang: str) -> html.Section:
    if isinstance(slide, HeadlineSlide):
        return headline_slide(slide, deck, i, total, lang)
    if isinstance(slide, FundSlide):
        return fund_slide(slide, deck, i, total, lang)
    if isinstance(slide, CoverageSlide):
        return coverage_slide(slide, deck, i, total, lang)
    if isinstance(slide, ComplaintsSlide):
        return complaints_slide(slide, deck, i, total, lang)
    if isinstance(slide, ServiceSlide):
        return service_slide(slide, deck, i, total, lang)
    if isinstance(slide, RescueSlide):
        return rescue_slide(slide, deck, i, total, lang)
    if isinstance(slide, RedSlide):
        return red_slide(slide, deck, i, total, lang)
    if isinstance(slide, InsuranceCase):
        return insurance_case_slide(slide, deck, i, total, lang)
    return council_case_slide(slide, deck, i, total, lang)


def deck_view(deck: Deck, lang: str, auto_seconds: int | None = None, pdf_href: str | None = None) -> html.Div:
    """The whole deck: every slide on the 1920×1080 stage (one shown at a time by assets/present.js), the
    keyboard help and the previous/next/full-screen buttons, and a link to the same deck as the A4 briefing PDF
    (`pdf_href`). `auto_seconds` starts the auto-advance."""
    slides = deck.slides
    sections = [slide_view(s, deck, i, len(slides), lang) for i, s in enumerate(slides)]
    help_text = t("present.keys", lang)
    if auto_seconds:
        help_text += " · " + t("present.auto", lang, seconds=auto_seconds)
    controls = html.Div(
        [
            html.Span(help_text, className="present-help", id="present-help"),
            html.Button("‹", className="present-btn", id="present-prev", title=t("present.prev", lang), n_clicks=0),
            html.Button("›", className="present-btn", id="present-next", title=t("present.next", lang), n_clicks=0),
            html.Button(
                "⛶", className="present-btn", id="present-fullscreen", title=t("present.fullscreen", lang), n_clicks=0
            ),
            html.A(
                "PDF",
                href=pdf_href,
                className="present-btn present-pdf",
                id="present-pdf",
                title=t("present.pdf", lang),
            )
            if pdf_href
            else None,
        ],
        className="present-controls",
    )
    return html.Div(
        [html.Div(sections, className="present-stage", id="present-stage"), controls],
        className="present-deck",
        id="present-deck",
        lang="zh-CN" if lang == "zh" else "en",
        tabIndex="0",
        **_data({"data-auto": str(auto_seconds or 0), "data-slides": str(len(slides))}),
    )
