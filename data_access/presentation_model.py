"""The presentation deck's data (data_access/presentation.py): its slides and findings as plain frozen dataclasses.

A `Deck` is what /present shows and /briefing.pdf prints for one area and year; each slide carries its figures
(the indicator pages' own dataclasses) and its `Finding`s: a catalogue key, typed parameters and a tone, worded by
the renderer (components/presentation.py: `finding_text`) in the UI language. Split from presentation.py (issue 18)
to keep each module short; `data_access.presentation` re-exports every name here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from data_access.complaint_cohorts import CohortSummary
from data_access.complaints import BEFORE_AFTER_MONTHS
from data_access.compounds import CompoundView
from data_access.core.rules import RESPONSE_LIMIT_SECONDS
from data_access.core.scope import Area
from data_access.councils import CouncilRollup
from data_access.elevator_service import ServiceRow
from data_access.elevators import CityProgramme
from data_access.funds import FundYear
from data_access.indicators import (
    ComplaintComparison,
    CoverageSummary,
    FundSummary,
    Headline,
    RedPropertySummary,
)
from data_access.insurance_figures import LossRow, RepairCost, Rescue
from data_access.red_property import (
    QuarterCount,
    RedFigures,
    StageCount,
)

FIRST_YEAR = 2021  # the reform began in Zhuzhou in 2021: a deck for an earlier year would tell nothing
# The first year of the fund's history the deck charts: the /funds page's own (pages/funds.py FIRST_YEAR), so the
# deck's years are that page's; likewise the complaint and red-property pages start in FIRST_YEAR.
FUND_FIRST_YEAR = 2019
COHORT_MONTHS = BEFORE_AFTER_MONTHS  # complaints before and after insuring: the /complaints page's windows
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
    insurance: LossRow  # premiums against claims paid in the year: loss_ratios' total (the API's figures)
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
