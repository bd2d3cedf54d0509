"""The presentation deck (/present) and the printed briefing: one `Deck` per area and year, drawn live from the data.

Why one assembler: the same content is shown as full-screen slides to a press conference and printed as an A4
briefing, and a speaker quotes what both say. So the figures are collected once, here, as plain frozen dataclasses
(no Dash objects), and the two renderers only lay them out. Nothing is computed anew: every figure is the one the
indicator pages and the API show, read from their own assemblers (`indicators.overview`, `funds.funds_page_data`,
`elevators.elevators_page_data`, `complaints.complaints_page_data`, `insurance_figures`,
`red_property.red_property_page_data`, `compounds.compound_view`, `councils.council_rollup`), so the deck cannot
drift from the pages — and the pages' cache entries (warmed every morning) serve it.

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

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.cache import cached_query
from data_access.complaint_cohorts import CohortSummary
from data_access.complaints import ComplaintsPage, complaints_page_data
from data_access.compounds import CompoundView, compound_view
from data_access.core.dataset import demo_city_codes
from data_access.core.models import Compound, Role
from data_access.core.rules import RESPONSE_LIMIT_SECONDS
from data_access.core.scope import ON_COMPOUND, Area, within
from data_access.council_access import CouncilAccess
from data_access.councils import CouncilFilter, CouncilRollup, council_rollup, list_items
from data_access.elevator_service import ServiceRow
from data_access.elevators import CityProgramme, ElevatorsPage, elevators_page_data
from data_access.funds import FundsPage, FundYear, funds_page_data
from data_access.geography import CityRow, district_options, list_cities
from data_access.indicators import (
    ComplaintComparison,
    CoverageSummary,
    FundSummary,
    Headline,
    Overview,
    RedPropertySummary,
    TargetJudgement,
    as_of_for_year,
    overview,
    programme_rule_for,
)
from data_access.insurance_figures import InsuranceSummary, RepairCost, Rescue, insurance_summary, repair_cost, rescue
from data_access.insurance_value import InsuranceValuePage
from data_access.red_property import (
    QuarterCount,
    RedFigures,
    RedPropertyPage,
    StageCount,
    red_property_compounds,
    red_property_page_data,
)

FIRST_YEAR = 2021  # the reform began in Zhuzhou in 2021: a deck for an earlier year would tell nothing
# The first year of the fund's history the deck charts: the /funds page's own (pages/funds.py FIRST_YEAR), so
# the deck reads that page's cache entry; likewise the complaint and red-property pages start in FIRST_YEAR.
FUND_FIRST_YEAR = 2019
COHORT_MONTHS = 12  # complaints before and after insuring: the /complaints page's windows (BEFORE_AFTER_MONTHS)
LIMIT_MINUTES = RESPONSE_LIMIT_SECONDS // 60  # the 30-minute arrival limit (TSG T5002; seed 000)
# The compounds the published reports tell (seed 000): their stories are told wherever they lie in the deck's area.
INSURANCE_CASE = "山水文园"
COUNCIL_CASE = "新桂都"
CASE_OUTCOMES = 5  # council outcomes a case slide quotes
LOW_USAGE = Decimal("0.02")  # a year's use below 2% of the deposits is "hardly used" (Zhuzhou 2021: 0.6%)

Tone = Literal["good", "bad", "neutral"]


# --------------------------------------------------------------------------- finding parameters


@dataclass(frozen=True)
class Name:
    """A place's (or compound's) name in both languages; compounds have only their Chinese name (en repeats it)."""

    zh: str
    en: str


@dataclass(frozen=True)
class Money:
    fen: int


@dataclass(frozen=True)
class Share:
    """A share of 0–1 (shown as a percentage with `digits` decimals); None: nothing to divide by."""

    value: Decimal | None
    digits: int = 1


@dataclass(frozen=True)
class Change:
    """A relative change (−0.25 = down a quarter); None: no earlier figure to compare with."""

    value: Decimal | None


@dataclass(frozen=True)
class Minutes:
    value: Decimal | None


@dataclass(frozen=True)
class Period:
    """Local days first..last: a whole calendar year reads "2025年", a part year "2026年1月1日至11月23日"."""

    first: date
    last: date

    @property
    def whole_year(self) -> bool:
        return (self.first.month, self.first.day, self.last.month, self.last.day) == (1, 1, 12, 31) and (
            self.first.year == self.last.year
        )


@dataclass(frozen=True)
class Term:
    """A word of the UI catalogue, by its key (an applicant type, a project's stage): worded in the UI language."""

    key: str


@dataclass(frozen=True)
class Count:
    """A count and what it counts (`noun`: components/messages_presentation.py `present.n.<noun>`). Chinese puts the
    measure word in the sentence (困人故障 3 起); English needs the noun beside the figure and in the singular for one
    ("1 trapped-passenger incident", not "1 … incidents"), so the sentence leaves the noun to the count."""

    n: int
    noun: str


@dataclass(frozen=True)
class Rate:
    """A rate with one decimal place (work orders per 100 elevators a month); None: no elevators to divide by."""

    value: Decimal | None


# int: a bare figure (a limit, months); Count: a count with its noun; str: shown as is (a compound's name, an item's
# title, a figure already written); date: a day.
Param = int | str | date | Name | Money | Share | Change | Minutes | Period | Rate | Term | Count


@dataclass(frozen=True)
class Finding:
    """What a slide says in one sentence: the catalogue key (components/messages_presentation.py, `present.f.*`), its
    parameters by name, and whether it is bad news (red), good news or neither."""

    key: str
    params: tuple[tuple[str, Param], ...]
    tone: Tone = "neutral"

    def param(self, name: str) -> Param:
        return dict(self.params)[name]


def _finding(key: str, tone: Tone = "neutral", **params: Param) -> Finding:
    return Finding(key, tuple(params.items()), tone)


# --------------------------------------------------------------------------- the slides


@dataclass(frozen=True)
class HeadlineSlide:
    """Both reforms in six figures (the overview's cards): the fund, its income, coverage, complaints, councils."""

    fund: FundSummary
    coverage: CoverageSummary
    complaints: ComplaintComparison
    red_property: RedPropertySummary
    cities: list[tuple[Name, Headline]]  # the province deck: each city's figures; otherwise empty
    findings: list[Finding]


@dataclass(frozen=True)
class CityBuys:
    """What one city's value-added income of the year would buy at its own programme's premium."""

    city: Name
    value_added_income_fen: int  # credited to the pooled accounts from 1 January to as_of
    annual_premium_fen: int | None  # per elevator and year by the rule in force; None: the city has no programme
    cover_per_elevator_fen: int | None  # repair cover per insured elevator and year
    elevator_years: int | None  # income ÷ premium, rounded down: elevators it could insure for a year
    premiums_paid_fen: int  # premiums actually debited to the pooled accounts in the same days


@dataclass(frozen=True)
class FundSlide:
    """The fund that was hardly used, and what its value-added income buys."""

    years: list[FundYear]  # FUND_FIRST_YEAR to the deck's year; the last one is a part year in the current year
    current: FundSummary
    buys: list[CityBuys]
    insurance: InsuranceSummary  # premiums against claims paid in the year (the API's figures)
    findings: list[Finding]

    @property
    def elevator_years(self) -> int:
        return sum(b.elevator_years or 0 for b in self.buys)


@dataclass(frozen=True)
class CoverageSlide:
    """Insured elevators against each city's targets (the /elevators page's lines and judgements)."""

    coverage: CoverageSummary
    programmes: list[CityProgramme]  # per city: its coverage line (month ends) and its targets, judged
    findings: list[Finding]  # one per target, and one per city without targets


@dataclass(frozen=True)
class ComplaintsSlide:
    """12345 elevator complaints per 100 elevators a month before and after insuring, against never-insured
    compounds over the same length of time (the /complaints page's before/after)."""

    insured: CohortSummary
    never_insured: CohortSummary
    elevator: ComplaintComparison  # this year's elevator work orders against the same days a year earlier
    months: int
    findings: list[Finding]


@dataclass(frozen=True)
class ServiceSlide:
    """Service on insured against uninsured elevators over the year's days (the /elevators page's comparison)."""

    period: Period
    insured: ServiceRow
    uninsured: ServiceRow
    findings: list[Finding]


@dataclass(frozen=True)
class RescueSlide:
    """Trapped passengers: arrival against the 30-minute limit; and what repairs cost per elevator-year."""

    period: Period
    rescue: Rescue
    limit_minutes: int
    repair: RepairCost
    findings: list[Finding]


@dataclass(frozen=True)
class RedSlide:
    """Red property: demonstration projects, Party organisations, service stations and the councils' work."""

    current: RedFigures
    previous: RedFigures | None  # the same day a year earlier
    stages: list[StageCount]
    quarters: list[QuarterCount]  # council meetings per quarter, last year and this (the current one partial)
    findings: list[Finding]


@dataclass(frozen=True)
class InsuranceCase:
    """A compound whose elevators the pooled accounts insured, told with its own figures."""

    name: str
    city: Name
    district: Name
    named: bool  # True: the case the published reports tell (INSURANCE_CASE); False: the area's largest
    view: CompoundView
    findings: list[Finding]


@dataclass(frozen=True)
class CouncilCase:
    """A compound's four-party council, told with its figures and the outcomes it published."""

    name: str
    city: Name
    district: Name
    named: bool  # True: the case the published reports tell (COUNCIL_CASE); False: the area's most active
    view: CompoundView
    councils: CouncilRollup
    outcomes: list[tuple[date, str, str]]  # (meeting day, item title, category) of published resolved items
    findings: list[Finding]


Slide = HeadlineSlide | FundSlide | CoverageSlide | ComplaintsSlide | ServiceSlide | RescueSlide | RedSlide
Case = InsuranceCase | CouncilCase


@dataclass(frozen=True)
class Deck:
    """Everything /present shows (and /briefing.pdf prints) for one area and year, slide by slide."""

    area: Area
    city: Name | None  # None: the province
    district: Name | None
    year: int
    today: date
    as_of: date
    demo_cities: list[Name]  # cities of the deck whose figures are the synthetic demo's (shown with the mark)
    demo_all: bool  # every city of the deck is demo data: the whole deck carries the mark
    headline: HeadlineSlide
    fund: FundSlide
    coverage: CoverageSlide
    complaints: ComplaintsSlide
    service: ServiceSlide
    rescue: RescueSlide
    red: RedSlide
    cases: list[Case] = field(default_factory=list)

    @property
    def period(self) -> Period:
        """The days the year's flows cover."""
        return Period(date(self.as_of.year, 1, 1), self.as_of)

    @property
    def slides(self) -> list[Slide | Case]:
        """The slides in the order they are shown."""
        return [
            self.headline,
            self.fund,
            self.coverage,
            self.complaints,
            self.service,
            self.rescue,
            self.red,
            *self.cases,
        ]


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

    ov = overview(session, area, as_of)
    city_heads = [(names[cid], h) for cid, h in ov.cities if cid in names]
    funds = funds_page_data(session, area, year, today, FUND_FIRST_YEAR, include_compounds=False)
    elevators = elevators_page_data(session, area, year, today, include_compounds=False)
    complaints = complaints_page_data(session, area, year, today, FIRST_YEAR, include_compounds=False)
    red = red_property_page_data(session, area, year, today, FIRST_YEAR, include_compounds=False)
    insurance = insurance_summary(session, area, year, today)
    rescued = rescue(session, area, year)
    repairs = repair_cost(session, area, year)

    buys = _buys(session, area, as_of, shown, ov.fund, dict(city_heads), names)
    insured_row, uninsured_row = _service_rows(elevators.service)
    insured_cohort, never_cohort = complaints.before_after
    assert complaints.elevator is not None  # complaints_page_data without compounds_only always has it

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
            fund=ov.fund,
            coverage=ov.coverage,
            complaints=ov.complaints,
            red_property=ov.red_property,
            cities=city_heads,
            findings=_headline_findings(place, period, ov.coverage, ov.complaints),
        ),
        fund=FundSlide(
            years=[y for y in funds.years if y.year <= year],
            current=ov.fund,
            buys=buys,
            insurance=insurance,
            findings=_fund_findings(period, ov.fund, buys, insurance),
        ),
        coverage=CoverageSlide(
            coverage=elevators.coverage,
            programmes=elevators.programmes,
            findings=coverage_findings(elevators.programmes),
        ),
        complaints=ComplaintsSlide(
            insured=insured_cohort,
            never_insured=never_cohort,
            elevator=complaints.elevator,
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
            current=red.current,
            previous=red.previous,
            stages=red.stages,
            quarters=red.quarters,
            findings=_red_findings(period, red.current),
        ),
        cases=_cases(session, area, year, today, as_of, period),
    )


def _district_name(session: Session, area: Area) -> Name | None:
    if area.district_id is None or area.city_id is None:
        return None
    row = next((d for d in district_options(session, area.city_id) if d.id == area.district_id), None)
    return Name(row.name, row.name_en) if row else None


def _place(city: Name | None, district: Name | None) -> Name:
    """The deck's place as its findings name it; the province is "全省"/"the province" (the shell's word)."""
    if city is None:
        return Name("全省", "the province")
    if district is None:
        return city
    return Name(f"{city.zh}{district.zh}", f"{district.en}, {city.en}")


def _service_rows(rows: list[ServiceRow]) -> tuple[ServiceRow, ServiceRow]:
    """(insured, uninsured) rows of service_comparison, an empty row where a side had nothing."""

    def empty(insured: bool) -> ServiceRow:
        return ServiceRow(insured, 0, 0, None, None, 0, 0, None, 0, 0, None, 0, None)

    by_side = {r.insured: r for r in rows}
    return by_side.get(True, empty(True)), by_side.get(False, empty(False))


def _buys(
    session: Session,
    area: Area,
    as_of: date,
    shown: list[CityRow],
    total: FundSummary,
    heads: dict[Name, Headline],
    names: dict[int, Name],
) -> list[CityBuys]:
    """Per city of the deck, its year's value-added income against its own programme's premium: the province's
    cities each by their rule (premiums differ), a city or district by its city's."""
    out: list[CityBuys] = []
    for c in shown:
        name = names[c.id]
        fund = heads[name].fund if name in heads else total  # a city or district deck: the deck's own figures
        rule = programme_rule_for(session, c.id, as_of)
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


# --------------------------------------------------------------------------- findings


def _change_tone(change: Decimal | None) -> Tone:
    """Fewer complaints is good news, more is bad."""
    if change is None or change == 0:
        return "neutral"
    return "good" if change < 0 else "bad"


def _headline_findings(
    place: Name, period: Period, coverage: CoverageSummary, complaints: ComplaintComparison
) -> list[Finding]:
    return [_insured_finding(place, coverage), _complaints_finding(period, complaints)]


def _insured_finding(place: Name, coverage: CoverageSummary) -> Finding:
    return _finding(
        "present.f.headline.insured",
        place=place,
        insured=coverage.insured,
        rate=Share(coverage.coverage_rate),
        applied=Count(coverage.eligible_applied, "eligible_applied"),
    )


def _complaints_finding(period: Period, complaints: ComplaintComparison) -> Finding:
    """The year's elevator work orders against the same days a year earlier: fewer is good news, more bad."""
    return _finding(
        "present.f.headline.complaints" if complaints.last_period else "present.f.headline.complaints_none",
        _change_tone(complaints.change),
        period=period,
        orders=Count(complaints.this_period, "work_orders"),
        last=complaints.last_period,
        change=Change(complaints.change),
    )


def _fund_findings(
    period: Period, fund: FundSummary, buys: list[CityBuys], insurance: InsuranceSummary
) -> list[Finding]:
    low = fund.usage_rate is not None and fund.usage_rate < LOW_USAGE
    findings = [
        _finding(
            "present.f.fund.usage_low" if low else "present.f.fund.usage",
            period=period,
            deposits=Money(fund.deposits_total_fen),
            used=Money(fund.used_in_year_fen),
            rate=Share(fund.usage_rate),
        )
    ]
    priced = [b for b in buys if b.elevator_years is not None]
    if priced and fund.value_added_income_in_year_fen:
        findings.append(
            _finding(
                "present.f.fund.buys",
                income=Money(fund.value_added_income_in_year_fen),
                elevators=Count(sum(b.elevator_years or 0 for b in priced), "elevators"),
                premiums=Money(fund.premiums_in_year_fen),
            )
        )
    if insurance.premiums_fen or insurance.claims_paid_fen:
        findings.append(
            _finding(
                "present.f.fund.claims",
                premiums=Money(insurance.premiums_fen),
                claims=Money(insurance.claims_paid_fen),
                ratio=Share(insurance.loss_ratio),
            )
        )
    return findings


def coverage_findings(programmes: list[CityProgramme]) -> list[Finding]:
    """One sentence per target ("湘潭市 2025年12月31日目标 100%，实际 91.1%，未达成"), one per city without targets
    (its coverage on the deck's day), one per city without a programme: the deck's coverage slide, in the
    programmes' order and each city's targets by due date."""
    return [f for programme in programmes for f in _programme_findings(programme, programme.targets)]


def _programme_findings(programme: CityProgramme, targets: list[TargetJudgement]) -> list[Finding]:
    """A city's sentences about its programme: one per target given (in that order), or, without targets, its
    coverage at the line's end (the page's or deck's day), or that it has no programme."""
    city = Name(programme.name, programme.name_en)
    if programme.starts_on is None:
        return [_finding("present.f.coverage.no_programme", city=city)]
    findings = [_target_finding(city, target) for target in targets]
    if not programme.targets and programme.line:
        now = programme.line[-1]  # the line ends on the as-of day
        findings.append(
            _finding(
                "present.f.coverage.no_target",
                city=city,
                insured=Count(now.insured, "elevators"),
                rate=Share(now.coverage_rate),
            )
        )
    return findings


def _target_finding(city: Name, target: TargetJudgement) -> Finding:
    tone: Tone = {"met": "good", "missed": "bad"}.get(target.status, "neutral")  # type: ignore[assignment]
    return _finding(
        f"present.f.coverage.{target.status}" if target.coverage is not None else "present.f.coverage.none_applied",
        tone,
        city=city,
        due=target.due_on,
        target=Share(target.share, 0),
        rate=Share(target.coverage),
    )


def _relative(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    if before is None or after is None or before == 0:
        return None
    return ((after - before) / before).quantize(Decimal("0.0001"))


def _complaint_findings(insured: CohortSummary, never: CohortSummary) -> list[Finding]:
    ins = _relative(insured.before_per_100, insured.after_per_100)
    nev = _relative(never.before_per_100, never.after_per_100)
    # Red only when insured compounds' complaints rose: a fall slower than the never-insured control's is not "bad"
    # news to a reader of this sentence (the next one states the control), only not a clear win.
    tone: Tone = "neutral"
    if ins is not None and ins > 0:
        tone = "bad"
    elif ins is not None and nev is not None and ins < nev:
        tone = "good"
    findings = []
    if insured.compounds:
        findings.append(
            _finding(
                "present.f.complaints.insured",
                tone,
                compounds=Count(insured.compounds, "compounds"),
                months=insured.months,
                before=Rate(insured.before_per_100),
                after=Rate(insured.after_per_100),
                change=Change(ins),
            )
        )
    else:
        findings.append(_finding("present.f.complaints.none_insured", months=insured.months))
    if never.compounds:
        findings.append(
            _finding(
                "present.f.complaints.never",
                compounds=Count(never.compounds, "compounds"),
                before=Rate(never.before_per_100),
                after=Rate(never.after_per_100),
                change=Change(nev),
            )
        )
    return findings


def _service_findings(period: Period, insured: ServiceRow, uninsured: ServiceRow) -> list[Finding]:
    a, b = insured.answered_30min_share, uninsured.answered_30min_share
    if not insured.faults and not uninsured.faults:
        return [_finding("present.f.service.none", period=period)]
    tone: Tone = "neutral"
    if a is not None and b is not None and a != b:
        tone = "good" if a > b else "bad"
    findings = [
        _finding(
            "present.f.service.response",
            tone,
            period=period,
            insured=Share(a),
            uninsured=Share(b),
        )
    ]
    c, d = insured.major_repaired_24h_share, uninsured.major_repaired_24h_share
    if c is not None or d is not None:
        major_tone: Tone = "neutral"
        if c is not None and d is not None and c != d:
            major_tone = "good" if c > d else "bad"
        findings.append(_finding("present.f.service.major", major_tone, insured=Share(c), uninsured=Share(d)))
    return findings


def _rescue_findings(period: Period, r: Rescue, repair: RepairCost) -> list[Finding]:
    findings: list[Finding] = []
    if r.incidents:
        late = r.arrival_median_minutes is not None and r.arrival_median_minutes > LIMIT_MINUTES
        findings.append(
            _finding(
                "present.f.rescue.arrival",
                "bad" if late else "neutral",
                period=period,
                incidents=Count(r.incidents, "incidents"),
                passengers=Count(r.trapped_passengers, "people"),
                median=Minutes(r.arrival_median_minutes),
                share=Share(r.arrived_30min_share),
                limit=LIMIT_MINUTES,
            )
        )
    else:
        findings.append(_finding("present.f.rescue.none", period=period))
    insured, never = repair.insured.cost_per_elevator_year_fen, repair.never_insured.cost_per_elevator_year_fen
    if insured is not None and never is not None:
        findings.append(
            _finding(
                "present.f.rescue.repair",
                period=period,
                insured=Money(insured),
                never=Money(never),
            )
        )
    return findings


def _red_findings(period: Period, red: RedFigures) -> list[Finding]:
    s = red.summary
    findings = [
        _finding(
            "present.f.red.organisation",
            projects=Count(s.accepted_projects, "projects"),
            companies=Count(s.companies_with_party_org, "companies"),
            company_share=Share(red.company_share),
            station_share=Share(red.station_share),
        ),
        _finding(
            "present.f.red.councils",
            resolved=Count(s.council_items_resolved, "items"),
            period=period,
            in_year=red.resolved_in_year,
        ),
    ]
    if red.overdue_follow_ups:
        findings.append(_finding("present.f.red.overdue", "bad", overdue=Count(red.overdue_follow_ups, "follow_ups")))
    return findings


# --------------------------------------------------------------------------- the indicator pages' headlines
#
# Each indicator page states its finding in a sentence under its title (components/headline.py), worded like the
# deck's: the same `Finding`s, built here from the page's own assembler output (the dataclass its callback already
# has), so a page neither computes the deck nor asks the database again. The first finding is the page's lead
# sentence; the rest (at most two) support it.


def place_name(city: CityRow | None) -> Name:
    """A page's place as its findings name it: the city, or the province ("全省" / "the province")."""
    return _place(Name(city.name, city.name_en) if city is not None else None, None)


def year_to(as_of: date) -> Period:
    """The days a page's flows cover: 1 January of the as-of day's year to that day."""
    return Period(date(as_of.year, 1, 1), as_of)


def _targets_first(targets: list[TargetJudgement], as_of: date) -> list[TargetJudgement]:
    """A city's targets, the one a reader asks about first: the first due in the page's year or later (judged at
    the year's end, or still ahead), else the last one judged; then the others, latest first."""
    ahead = [t for t in targets if t.due_on >= date(as_of.year, 1, 1)]
    lead = min(ahead, key=lambda t: t.due_on) if ahead else max(targets, key=lambda t: t.due_on, default=None)
    if lead is None:
        return []
    return [lead, *sorted((t for t in targets if t is not lead), key=lambda t: t.due_on, reverse=True)]


def overview_findings(place: Name, page: Overview) -> list[Finding]:
    """/ : the place's insured elevators and coverage; a city's coverage target (the one of the year, judged or
    ahead); its elevator complaints against the same days a year earlier."""
    insured, complaints = _headline_findings(place, year_to(page.as_of), page.coverage, page.complaints)
    targets = _targets_first(page.targets, page.as_of)[:1]
    return [insured, *(_target_finding(place, t) for t in targets), complaints]


def funds_findings(page: FundsPage) -> list[Finding]:
    """/funds : how little of the fund was used in the year, and the value-added income the pooled accounts earned
    against the premiums they paid (both the year's last `FundYear`, the page's cards)."""
    fund = page.years[-1].summary
    period = year_to(fund.as_of)
    low = fund.usage_rate is not None and fund.usage_rate < LOW_USAGE
    return [
        _finding(
            "present.f.fund.usage_low" if low else "present.f.fund.usage",
            period=period,
            deposits=Money(fund.deposits_total_fen),
            used=Money(fund.used_in_year_fen),
            rate=Share(fund.usage_rate),
        ),
        _finding(
            "present.f.fund.income",
            income=Money(fund.value_added_income_in_year_fen),
            premiums=Money(fund.premiums_in_year_fen),
        ),
    ]


def elevator_findings(place: Name, page: ElevatorsPage) -> list[Finding]:
    """/elevators : one city's (or district's) page leads with the city's target of the year — met, missed or in
    progress — and adds how insured elevators were served against uninsured ones; the province's page leads with
    its coverage and adds each city's target sentence."""
    if len(page.programmes) != 1:
        lead = _insured_finding(place, page.coverage)
        by_city = [_programme_findings(p, _targets_first(p.targets, page.as_of)[:1])[:1] for p in page.programmes]
        return [lead, *(f for found in by_city for f in found)]
    [programme] = page.programmes
    insured, uninsured = _service_rows(page.service)
    targets = _programme_findings(programme, _targets_first(programme.targets, page.as_of))
    return [*targets[:1], *_service_findings(year_to(page.as_of), insured, uninsured)[:1], *targets[1:]]


def complaint_findings(page: ComplaintsPage) -> list[Finding]:
    """/complaints : complaints before and after insuring against never-insured compounds (the fair comparison the
    page's trend draws), then the year's elevator work orders against the same days a year earlier."""
    findings: list[Finding] = []
    if len(page.before_after) == 2:
        insured, never = page.before_after
        findings.extend(_complaint_findings(insured, never))
    if page.elevator is not None:
        findings.append(_complaints_finding(year_to(page.as_of), page.elevator))
    return findings


def red_property_findings(page: RedPropertyPage) -> list[Finding]:
    """/red-property : projects, Party organisations and stations; the councils' resolved items; overdue tasks."""
    return _red_findings(year_to(page.as_of), page.current)


def insurance_value_findings(page: InsuranceValuePage) -> list[Finding]:
    """/insurance-value : what insurers paid back of the premiums, what repairs cost an insured elevator a year
    against a never-insured one, and how fast trapped passengers were reached (the year's flows, to its as-of day)."""
    period = Period(date(page.year, 1, 1), page.as_of)
    s = page.summary
    if s.premiums_fen or s.claims_paid_fen:
        findings = [
            _finding(
                "present.f.value.claims",
                period=period,
                premiums=Money(s.premiums_fen),
                claims=Money(s.claims_paid_fen),
                ratio=Share(s.loss_ratio),
            )
        ]
    else:
        findings = [_finding("present.f.value.none", period=period)]
    repair = page.repair
    insured, never = repair.insured.cost_per_elevator_year_fen, repair.never_insured.cost_per_elevator_year_fen
    if insured is not None and never is not None:
        findings.append(_finding("present.f.rescue.repair", insured=Money(insured), never=Money(never)))
    findings.append(_rescue_findings(period, page.rescue, page.repair)[0])
    return findings


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
    "COUNCIL_CASE",
    "FIRST_YEAR",
    "INSURANCE_CASE",
    "Case",
    "Change",
    "CityBuys",
    "ComplaintsSlide",
    "CouncilCase",
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
    "Term",
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
