"""The printed briefing (/briefing.pdf): a `Deck` (data_access/presentation.py) laid out for A4 paper.

Why a module of its own beside components/presentation.py: the deck's slides are Dash components sized for a
1920×1080 screen read from the back of a room, the briefing is paper read at arm's length and quoted from. So the
content is the deck's — the same slides in the same order, the same finding sentences (`finding_text`), the same
section titles and figure words, the same charts (components/presentation_charts.py, drawn here for the PRINT
medium at the sizes below) — but each section is laid out for a page: the slide's findings as sentences, its
chart(s) at print size, and a table of the figures behind them that a journalist can quote exactly. Every
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
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from components import presentation_charts as charts
from components.formatting import axis_money_unit, count, day, money, percent
from components.i18n import t
from components.presentation import (
    case_kicker,
    change_text,
    counted,
    demo_mark,
    finding_text,
    minutes_text,
    name,
    period_text,
    place_line,
)
from components.presentation_charts import PRINT, Size
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


# --------------------------------------------------------------------------- charts: the deck's, at print size

# Chart sizes in CSS pixels (96 per inch): an A4 page less the 16 mm side margins of the print is 673 px wide.
FULL_WIDTH, HALF_WIDTH = 664, 324
CHART_HEIGHT, HALF_HEIGHT = 250, 230
HALF = (HALF_WIDTH, HALF_HEIGHT)
FULL = (FULL_WIDTH, CHART_HEIGHT)


def _size(box: tuple[int, int], left: int, right: int, top: int, bottom: int) -> Size:
    return Size(box[0], box[1], (left, right, top, bottom))


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
            counted("present.k.applied", c.eligible_applied, lang),
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
    usage = charts.fund_usage_figure(s, lang, PRINT, _size(HALF, 48, 8, 12, 48))
    income = charts.fund_income_figure(s, lang, PRINT, _size(HALF, 56, 8, 12, 48))
    unit = axis_money_unit(max((y.summary.value_added_income_in_year_fen for y in s.years), default=0), lang)
    figures = [
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
            charts.flat_label(charts.year_label(y.year, y.summary.as_of, lang), lang),
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
    return Section("fund", number, t("present.s.fund", lang), None, _lines(s.findings, lang), figures, tables)


def coverage_section(s: CoverageSlide, deck: Deck, n: _Numbers, lang: str, number: int) -> Section:
    coverage = charts.coverage_figure(s, lang, PRINT, _size(FULL, 48, 16, 16, 36))
    figures = [n.chart("briefing-coverage", t("present.c.coverage", lang), coverage)]
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
    return Section("coverage", number, t("present.s.coverage", lang), None, _lines(s.findings, lang), figures, tables)


def complaints_section(s: ComplaintsSlide, deck: Deck, n: _Numbers, lang: str, number: int) -> Section:
    complaints = charts.complaints_figure(s, lang, PRINT, _size(FULL, 40, 16, 30, 36))
    figures = [n.chart("briefing-complaints", t("present.c.complaints", lang), complaints)]

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
        figures,
        tables,
    )


def service_section(s: ServiceSlide, deck: Deck, n: _Numbers, lang: str, number: int) -> Section:
    service = charts.service_figure(s, lang, PRINT, _size(FULL, 16, 16, 30, 32))
    figures = [n.chart("briefing-service", t("present.c.service", lang), service)]
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
    return Section("service", number, t("present.s.service", lang), None, _lines(s.findings, lang), figures, tables)


def rescue_section(s: RescueSlide, deck: Deck, n: _Numbers, lang: str, number: int) -> Section:
    rescue = charts.rescue_figure(s, lang, PRINT, _size(HALF, 8, 16, 22, 32))
    repair = charts.repair_figure(s, lang, PRINT, _size(HALF, 56, 8, 12, 58))
    figures = [n.chart("briefing-rescue", t("present.c.rescue", lang), rescue, half=repair is not None)]
    if repair is not None:
        figures.append(n.chart("briefing-repair", t("present.c.repair", lang), repair, half=True))
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
            charts.flat_label(t(key, lang), lang),
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
    return Section("rescue", number, t("present.s.rescue", lang), None, _lines(s.findings, lang), figures, tables)


def red_section(s: RedSlide, deck: Deck, n: _Numbers, lang: str, number: int) -> Section:
    cur, prev = s.current, s.previous
    quarters = charts.quarters_figure(s.quarters, cur.as_of, lang, PRINT, _size(FULL, 44, 8, 12, 60))
    figures = [n.chart("briefing-red", t("present.c.quarters", lang), quarters)]

    def column(r: Any) -> list[str]:
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
    now = column(cur)
    before = column(prev) if prev is not None else ["—"] * len(keys)
    rows = [[t(k, lang), a, b] for k, a, b in zip(keys, now, before, strict=True)]
    head = [
        t("briefing.col.figure", lang),
        t("briefing.col.now", lang, date=day(cur.as_of, lang)),
        t("briefing.col.previous", lang),
    ]
    bad = [6] if cur.overdue_follow_ups else []
    tables = [n.table(t("briefing.t.red", lang), head, rows, bad)]
    return Section("red", number, t("present.s.red", lang), None, _lines(s.findings, lang), figures, tables)


def insurance_case_section(s: InsuranceCase, deck: Deck, n: _Numbers, lang: str, number: int) -> Section:
    p, v = s.view.profile, s.view
    chart = charts.buildings_figure(s, lang, PRINT, Size(FULL_WIDTH, 200, (32, 8, 28, 32)))
    figures = []
    if chart is not None:
        title = t(
            "present.c.buildings_numbered" if charts.buildings_numbered(s, PRINT) else "present.c.buildings", lang
        )
        figures.append(n.chart("briefing-case-buildings", title, chart))
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
            + counted("present.k.in_buildings", p.buildings_with_insured_elevators, lang),
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
        "case-insurance", number, title, case_kicker(s, deck, lang), _lines(s.findings, lang), figures, tables, tag
    )


def council_case_section(s: CouncilCase, deck: Deck, n: _Numbers, lang: str, number: int) -> Section:
    p, v, c = s.view.profile, s.view, s.councils
    figures = []
    if any(q.meetings for q in c.quarters):
        quarters = charts.quarters_figure(c.quarters, c.as_of, lang, PRINT, _size(FULL, 44, 8, 12, 60))
        figures.append(n.chart("briefing-case-council", t("briefing.c.council_quarters", lang), quarters))
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
        "case-council", number, title, case_kicker(s, deck, lang), _lines(s.findings, lang), figures, tables, tag
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
