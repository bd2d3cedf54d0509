"""The presentation deck (/present) and the printed briefing: one `Deck` per area and year, drawn live from the data.

Why one assembler: the same content is shown as full-screen slides to a press conference and printed as an A4
briefing, and a speaker quotes what both say. So the figures are collected once, here, as plain frozen dataclasses
(no Dash objects), and the two renderers only lay them out. Nothing is computed anew: every figure is the one the
indicator pages and the API show, read from the functions the pages' assemblers call for them (`indicators.headline`,
the fund facts' `by_year`, the elevator page's funnel and programmes and `service_comparison`, the cohorts'
`before_after_summary`, `red_property`'s figures, pipeline and quarters, `insurance_figures`, `compounds.compound_view`,
`councils.council_rollup`), so the deck cannot drift from the pages. It asks only for what a slide shows: the pages'
whole assemblers would also compute their month charts, district tables, score and hour charts and worklists, which
no slide draws (issue 18: that was most of a deck's 150–170 statements on a cache miss).

The module holds the assembler and the case compounds; the deck's dataclasses are in `presentation_model` and the
findings in `presentation_findings`, both re-exported here (import them from `data_access.presentation`).

What is added here is the *finding* of each slide: which way the figures point, as a `Finding` (a catalogue key,
its typed parameters and a tone). The sentence itself is worded by the renderer in the UI language
(components/presentation.py: `finding_text`), since the data layer formats no text; the tone says whether the
finding is bad news (the only thing drawn in red), good news or neither.

Conventions (those of data_access/indicators.py):
- `year` is a calendar year from FIRST_YEAR to today's; `as_of` is its last day, or `today` in the current year;
  stocks are as of `as_of`, flows run from 1 January of the year to `as_of` (a part year says so: `Period`);
- the `area` is already narrowed to the viewer (pages/_common.page_context, `Viewer.area_for`); every figure is
  scoped to it, the case compounds too;
- money is integer fen, shares are Decimal (None when there is nothing to divide by), minutes Decimal.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.cache import cached_query
from data_access.complaints import BEFORE_AFTER_MONTHS
from data_access.compounds import CompoundView, compound_view
from data_access.core.dataset import demo_city_codes
from data_access.core.models import Compound, ProgrammeRule, Role
from data_access.core.rules import minus_years, rule_in_force
from data_access.core.scope import ON_COMPOUND, Area, within
from data_access.council_access import CouncilAccess
from data_access.councils import CouncilFilter, council_rollup, list_items
from data_access.elevators import coverage_and_programmes, elevators_page_data, rules_by_city
from data_access.facts import facts
from data_access.geography import CityRow, district_options, list_cities
from data_access.indicators import (
    FundSummary,
    Headline,
    as_of_for_year,
    city_headlines,
    headline,
    sum_headlines,
)
from data_access.insurance_figures import loss_total, repair_cost_of, rescue, year_cells
from data_access.presentation_findings import (
    _change_tone,
    _fund_findings,
    _headline_findings,
    _place,
    _red_findings,
    _rescue_findings,
    _service_findings,
    _service_rows,
    complaint_findings,
    coverage_findings,
    elevator_findings,
    funds_findings,
    insurance_value_findings,
    overview_findings,
    place_name,
    red_property_findings,
    year_to,
)
from data_access.presentation_findings import (
    _complaint_findings as _complaint_findings,  # re-exported (tests/test_presentation_queries.py)
)
from data_access.presentation_model import (
    CASE_OUTCOMES,
    COHORT_MONTHS,
    COUNCIL_CASE,
    FIRST_YEAR,
    FUND_FIRST_YEAR,
    INSURANCE_CASE,
    LIMIT_MINUTES,
    Case,
    Change,
    CityBuys,
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
    Tone,
    _finding,
)
from data_access.red_property import (
    project_pipeline,
    red_figures,
    red_property_compounds,
)

# --------------------------------------------------------------------------- assembling


@cached_query(councils=True)  # the council case and figures expire with every council write
def deck(session: Session, area: Area, year: int, today: date) -> Deck:
    """The deck of an area (already narrowed to the viewer) for a calendar year from FIRST_YEAR to today's year."""
    year = max(FIRST_YEAR, min(year, today.year))
    as_of = as_of_for_year(year, today)
    period = Period(date(year, 1, 1), as_of)
    cities = list_cities(session)
    names = {c.id: Name(c.name, c.name_en) for c in cities}
    shown = [c for c in cities if area.city_id is None or c.id == area.city_id]
    demo = demo_city_codes(session, [c.code for c in shown])
    city = names[area.city_id] if area.city_id is not None else None
    district = _district_name(session, area)
    place = _place(city, district)

    first = date(as_of.year, 1, 1)
    facts_ = facts(session)
    head, by_city = _headlines(session, area, as_of)
    city_heads = [(names[cid], h) for cid, h in by_city if cid in names]
    fund_years = facts_.funds.by_year(area, FUND_FIRST_YEAR, as_of)
    rules = rules_by_city(session, [c.id for c in shown])  # read once: the funnel, the programmes and the buys
    coverage, _previous, programmes = coverage_and_programmes(session, area, as_of, minus_years(as_of, 1), rules)
    service = facts_.service.service_comparison(area, first, as_of)
    insured_cohort, never_cohort = facts_.cohorts.before_after_summary(area, BEFORE_AFTER_MONTHS, as_of=as_of)
    # A city's or district's headline card is red_property_summary of the deck's area and day: read once. The
    # province's card is its cities' summed, which a count of companies serving two cities would not equal.
    summary = head.red_property if area.city_id is not None or area.district_id is not None else None
    red_now = red_figures(session, area, as_of, summary)
    red_before = red_figures(session, area, minus_years(as_of, 1))
    stages = project_pipeline(session, area, as_of)
    quarters = facts_.councils.meetings_by_quarter(area, as_of)
    cells = year_cells(session, area, year)  # premiums and claims read once: the fund slide's total and repair costs
    insurance = loss_total(cells)
    rescued = rescue(session, area, year)
    repairs = repair_cost_of(session, area, year, cells.all_claims)

    buys = _buys(as_of, shown, head.fund, dict(city_heads), names, rules)
    insured_row, uninsured_row = _service_rows(service)

    return Deck(
        area=area,
        city=city,
        district=district,
        year=year,
        today=today,
        as_of=as_of,
        demo_cities=[Name(c.name, c.name_en) for c in shown if c.code in demo],
        demo_all=bool(shown) and len(demo) == len(shown),
        headline=HeadlineSlide(
            fund=head.fund,
            coverage=head.coverage,
            complaints=head.complaints,
            red_property=head.red_property,
            cities=city_heads,
            findings=_headline_findings(place, period, head.coverage, head.complaints),
        ),
        fund=FundSlide(
            years=[y for y in fund_years if y.year <= year],
            current=head.fund,
            buys=buys,
            insurance=insurance,
            findings=_fund_findings(period, head.fund, buys, insurance),
        ),
        coverage=CoverageSlide(
            coverage=coverage,
            programmes=programmes,
            findings=coverage_findings(programmes),
        ),
        complaints=ComplaintsSlide(
            insured=insured_cohort,
            never_insured=never_cohort,
            elevator=head.complaints,  # elevator_complaints of the area and day (the province: its cities summed)
            months=COHORT_MONTHS,
            findings=_complaint_findings(insured_cohort, never_cohort),
        ),
        service=ServiceSlide(
            period=period,
            insured=insured_row,
            uninsured=uninsured_row,
            findings=_service_findings(period, insured_row, uninsured_row),
        ),
        rescue=RescueSlide(
            period=period,
            rescue=rescued,
            limit_minutes=LIMIT_MINUTES,
            repair=repairs,
            findings=_rescue_findings(period, rescued, repairs),
        ),
        red=RedSlide(
            current=red_now,
            previous=red_before,
            stages=stages,
            quarters=quarters,
            findings=_red_findings(period, red_now),
        ),
        cases=_cases(session, area, year, today, as_of, period),
    )


def _headlines(session: Session, area: Area, as_of: date) -> tuple[Headline, list[tuple[int, Headline]]]:
    """The overview's cards (`indicators.overview` without its month chart and targets, which no slide shows): the
    province's are its cities' summed, and each city's are returned beside them."""
    if area.city_id is None and area.district_id is None:
        by_city = city_headlines(session, as_of)
        return sum_headlines(as_of, [h for _, h in by_city]), by_city
    return headline(session, area, as_of), []


def _district_name(session: Session, area: Area) -> Name | None:
    if area.district_id is None or area.city_id is None:
        return None
    row = next((d for d in district_options(session, area.city_id) if d.id == area.district_id), None)
    return Name(row.name, row.name_en) if row else None


def _buys(
    as_of: date,
    shown: list[CityRow],
    total: FundSummary,
    heads: dict[Name, Headline],
    names: dict[int, Name],
    rules: dict[int, list[ProgrammeRule]],
) -> list[CityBuys]:
    """Per city of the deck, its year's value-added income against its own programme's premium: the province's
    cities each by their rule (premiums differ), a city or district by its city's."""
    out: list[CityBuys] = []
    for c in shown:
        name = names[c.id]
        fund = heads[name].fund if name in heads else total  # a city or district deck: the deck's own figures
        rule = rule_in_force(rules[c.id], as_of)  # indicators.programme_rule_for, from the rules read once
        premium = rule.annual_premium_fen if rule else None
        out.append(
            CityBuys(
                city=name,
                value_added_income_fen=fund.value_added_income_in_year_fen,
                annual_premium_fen=premium,
                cover_per_elevator_fen=rule.cover_per_elevator_fen if rule else None,
                elevator_years=fund.value_added_income_in_year_fen // premium if premium else None,
                premiums_paid_fen=fund.premiums_in_year_fen,
            )
        )
    return out


# --------------------------------------------------------------------------- the case compounds


def _named_in_area(session: Session, area: Area, name: str) -> int | None:
    """The compound of that name inside the area (None: elsewhere or nowhere): a case is told only in its own
    city's, district's or the province's deck."""
    stmt = within(select(Compound.id).where(Compound.name == name), area, ON_COMPOUND)
    return session.scalar(stmt.order_by(Compound.id).limit(1))


def _largest_insured(session: Session, area: Area, year: int, today: date) -> int | None:
    """The area's compound with the most insured elevators on the deck's day (the /elevators grid's figure)."""
    rows = elevators_page_data(session, area, year, today, compounds_only=True).compounds
    best = max(rows, key=lambda r: (r.insured, -r.compound_id), default=None)
    return best.compound_id if best is not None and best.insured else None


def _most_active_council(session: Session, area: Area, year: int, today: date) -> int | None:
    """The area's compound whose council resolved the most items this year (the /red-property grid's figure)."""
    rows = red_property_compounds(session, area, year, today, FIRST_YEAR)
    best = max(rows, key=lambda r: (r.resolved_in_year, r.meetings_in_year, -r.compound_id), default=None)
    return best.compound_id if best is not None and best.resolved_in_year else None


def _case_place(session: Session, view: CompoundView) -> tuple[Name, Name]:
    """The case compound's city and district in both languages."""
    city = next((Name(c.name, c.name_en) for c in list_cities(session) if c.id == view.city_id), Name("", ""))
    for d in district_options(session, view.city_id):
        if d.name == view.profile.district:
            return city, Name(d.name, d.name_en)
    return city, Name(view.profile.district, view.profile.district)


def _cases(session: Session, area: Area, year: int, today: date, as_of: date, period: Period) -> list[Case]:
    """The insurance case and the council case of the area: the published reports' compounds where they lie in
    it (and have something to tell by then), otherwise the area's largest insured compound and its most active
    council."""
    cases: list[Case] = []
    named = _named_in_area(session, area, INSURANCE_CASE)
    view = compound_view(session, named, as_of) if named is not None else None
    is_named = view is not None and view.profile.insured_elevators > 0
    if not is_named:
        chosen = _largest_insured(session, area, year, today)
        view = compound_view(session, chosen, as_of) if chosen is not None else None
    if view is not None:
        cases.append(_insurance_case(session, view, is_named, period))

    named = _named_in_area(session, area, COUNCIL_CASE)
    view = compound_view(session, named, as_of) if named is not None else None
    is_named = view is not None and view.council_meetings > 0
    if not is_named:
        chosen = _most_active_council(session, area, year, today)
        view = compound_view(session, chosen, as_of) if chosen is not None else None
    if view is not None:
        cases.append(_council_case(session, view, is_named, today, as_of, period))
    return cases


def _insurance_case(session: Session, view: CompoundView, named: bool, period: Period) -> InsuranceCase:
    p = view.profile
    city, district = _case_place(session, view)
    findings = [
        _finding(
            "present.f.case.insured",
            name=p.name,
            district=district,
            insured_buildings=Count(p.buildings_with_insured_elevators, "buildings"),
            insured=Count(p.insured_elevators, "elevators"),
            cover=Money(max(p.cover_per_elevator_fen, default=0)),
        )
    ]
    approved = [a for a in view.applications if a.decision == "approved"]
    if approved:
        first = min(approved, key=lambda a: a.filed_on)
        findings.append(
            _finding(
                "present.f.case.applied",
                first=first.filed_on,
                applicant=Term(f"compound.applicant.{first.applicant_type}"),
                applications=Count(len(approved), "applications"),
                elevators=Count(sum(a.elevators for a in approved), "elevators"),
                objections=Count(sum(a.written_objections for a in approved), "objections"),
            )
        )
    findings.append(
        _finding(
            "present.f.case.orders",
            _change_tone(
                None
                if not view.elevator_work_orders_last_year
                else Decimal(view.elevator_work_orders_in_year - view.elevator_work_orders_last_year)
            ),
            period=period,
            orders=Count(view.elevator_work_orders_in_year, "complaints"),
            last=view.elevator_work_orders_last_year,
            faults=Count(view.faults_in_year, "faults"),
        )
    )
    return InsuranceCase(p.name, city, district, named, view, findings)


def _published_outcomes(session: Session, compound_id: int, today: date, as_of: date) -> list[tuple[date, str, str]]:
    """Resolved items the compound published in its notices by as_of, as the public reads them (no names): the
    earliest, one per category where it can (a council's first outcomes are the ones its story is told by)."""
    public = CouncilAccess(
        role=Role.press,  # what anyone may read on the public notices: published outcomes, never a person's name
        user_id=0,
        username="",
        city_ids=None,
        compound_ids=frozenset({compound_id}),
        published_only=True,
        posted_by=min(today, as_of),
    )
    rows = list_items(session, public, CouncilFilter(compound_id=compound_id, outcome="resolved", last=as_of), as_of)
    rows.sort(key=lambda r: (r.held_on, r.item_id))
    picked: list[tuple[date, str, str]] = []
    seen: set[str] = set()
    for second_pass in (False, True):
        for r in rows:
            if len(picked) == CASE_OUTCOMES:
                break
            entry = (r.held_on, r.title, r.category)
            if entry in picked or (not second_pass and r.category in seen):
                continue
            picked.append(entry)
            seen.add(r.category)
    return sorted(picked)


def _council_case(
    session: Session, view: CompoundView, named: bool, today: date, as_of: date, period: Period
) -> CouncilCase:
    p = view.profile
    city, district = _case_place(session, view)
    councils = council_rollup(session, Area(), as_of, view.profile.id)
    findings = [
        _finding(
            "present.f.case.council",
            name=p.name,
            district=district,
            households=Count(p.households, "households"),
            residents=Count(p.residents, "residents"),
            meetings=Count(view.council_meetings, "times"),
            resolved=Count(view.council_items_resolved, "items"),
        ),
    ]
    if councils.meetings_in_year:
        same_day = councils.resolve.median_days == 0  # most items are agreed at the meeting that raises them
        findings.append(
            _finding(
                "present.f.case.council_year_same_day" if same_day else "present.f.case.council_year",
                period=period,
                meetings=Count(councils.meetings_in_year, "meetings"),
                items=Count(councils.items_in_year, "items_raised"),
                resolved=councils.resolved_in_year,
                median_days=str(councils.resolve.median_days) if councils.resolve.median_days is not None else "—",
            )
        )
    if view.project_status is not None:
        findings.append(
            _finding(
                "present.f.case.project",
                status=Term(f"compound.status.{view.project_status}"),
                score=str(view.project_score) if view.project_score is not None else "—",
                station=Term("compound.yes" if view.has_service_station else "compound.no"),
            )
        )
    outcomes = _published_outcomes(session, p.id, today, as_of)
    return CouncilCase(p.name, city, district, named, view, councils, outcomes, findings)


__all__ = [
    "COHORT_MONTHS",
    "COUNCIL_CASE",
    "FIRST_YEAR",
    "FUND_FIRST_YEAR",
    "INSURANCE_CASE",
    "LIMIT_MINUTES",
    "Case",
    "Change",
    "CityBuys",
    "ComplaintsSlide",
    "CouncilCase",
    "Count",
    "CoverageSlide",
    "Deck",
    "Finding",
    "FundSlide",
    "HeadlineSlide",
    "InsuranceCase",
    "Minutes",
    "Money",
    "Name",
    "Param",
    "Period",
    "Rate",
    "RedSlide",
    "RescueSlide",
    "ServiceSlide",
    "Share",
    "Slide",
    "Term",
    "Tone",
    "complaint_findings",
    "coverage_findings",
    "deck",
    "elevator_findings",
    "funds_findings",
    "insurance_value_findings",
    "overview_findings",
    "place_name",
    "red_property_findings",
    "year_to",
]
