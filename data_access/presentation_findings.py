"""The deck's and the indicator pages' findings: which way the figures point, as `Finding`s.

Built from figures already computed (a slide's, or the dataclass a page's callback already has): nothing here asks
the database. Split from presentation.py (issue 18); `data_access.presentation` re-exports the public names.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from data_access.complaint_cohorts import CohortSummary
from data_access.complaints import ComplaintsPage
from data_access.elevator_service import ServiceRow
from data_access.elevators import CityProgramme, ElevatorsPage
from data_access.funds import FundsPage
from data_access.geography import CityRow
from data_access.indicators import (
    ComplaintComparison,
    CoverageSummary,
    FundSummary,
    Overview,
    TargetJudgement,
)
from data_access.insurance_figures import LossRow, RepairCost, Rescue
from data_access.insurance_value import InsuranceValuePage
from data_access.presentation_model import (
    LIMIT_MINUTES,
    LOW_USAGE,
    Change,
    CityBuys,
    Count,
    Finding,
    Minutes,
    Money,
    Name,
    Period,
    Rate,
    Share,
    Tone,
    _finding,
)
from data_access.red_property import (
    RedFigures,
    RedPropertyPage,
)

# --------------------------------------------------------------------------- findings


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


def _fund_findings(period: Period, fund: FundSummary, buys: list[CityBuys], insurance: LossRow) -> list[Finding]:
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
