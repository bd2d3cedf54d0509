"""Smoke test of the demo seed: the `small` province reproduces the published figures with plain SQL.

Every figure is read back with aggregates over the generated rows (never typed in), so a change to the
generator that breaks a calibration fails here first.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import distinct, func, select
from sqlalchemy.engine import Engine

from data_access.core.db import Base, make_engine
from data_access.core.models import (
    AgendaItem,
    ApplicationObjection,
    Building,
    City,
    Compound,
    CouncilMeeting,
    DatasetInfo,
    DemonstrationProject,
    District,
    Elevator,
    ElevatorFault,
    HotlineWorkOrder,
    IndustryPartyCommittee,
    InsuranceApplication,
    InsuranceClaim,
    InsurancePolicy,
    MaintenanceFundEntry,
    PooledAccount,
    PooledAccountEntry,
    ProgrammeRule,
    PropertyCompany,
    ServiceStation,
)
from data_access.core.rules import VoteFigures, vote_result
from data_access.demo import SeedReport, seed_demo
from data_access.demo.config import PILOT_UNTIL

TZ = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 23)
ARTICLE_DAY = date(2022, 8, 26)
END_2021 = date(2021, 12, 31)
END_2022 = date(2022, 12, 31)


def _seed(path: Path, progress=None) -> tuple[Engine, SeedReport]:
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    return engine, seed_demo(engine, scale="small", seed=20210101, today=TODAY, progress=progress)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, SeedReport, list]]:
    calls: list[tuple[str, int, int]] = []
    engine, report = _seed(tmp_path_factory.mktemp("seed") / "a.sqlite3", lambda *a: calls.append(a))
    yield engine, report, calls
    engine.dispose()


@pytest.fixture(scope="module")
def engine(seeded: tuple[Engine, SeedReport, list]) -> Engine:
    return seeded[0]


def scalar(engine: Engine, stmt):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(stmt).scalar_one()


def in_city(stmt, code: str):  # type: ignore[no-untyped-def]
    """Restrict a statement that already joins Compound to one city."""
    return (
        stmt.join(District, District.id == Compound.district_id)
        .join(City, City.id == District.city_id)
        .where(City.code == code)
    )


def fund_sum(engine: Engine, kind: str, first: date | None, last: date) -> int:
    stmt = (
        select(func.sum(MaintenanceFundEntry.amount_fen))
        .join(Building, Building.id == MaintenanceFundEntry.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .where(MaintenanceFundEntry.kind == kind, MaintenanceFundEntry.booked_on <= last)
    )
    if first is not None:
        stmt = stmt.where(MaintenanceFundEntry.booked_on >= first)
    return int(scalar(engine, in_city(stmt, "zhuzhou")))


def compound_id(engine: Engine, name: str) -> int:
    return scalar(engine, select(Compound.id).where(Compound.name == name))


# --------------------------------------------------------------------------- maintenance fund and hotline


def test_zhuzhou_deposits_to_2021_are_4532_million_yuan(engine: Engine) -> None:
    assert fund_sum(engine, "deposit", None, END_2021) == 453_200_000_000


def test_zhuzhou_use_in_2021_is_27_million_yuan(engine: Engine) -> None:
    used = fund_sum(engine, "use", date(2021, 1, 1), END_2021)
    assert used == 2_700_000_000
    assert round(used / 453_200_000_000, 4) == 0.006  # usage rate ≈ 0.6%


def test_zhuzhou_elevator_complaints_2021(engine: Engine) -> None:
    stmt = (
        select(func.count())
        .select_from(HotlineWorkOrder)
        .join(City, City.id == HotlineWorkOrder.city_id)
        .where(
            City.code == "zhuzhou",
            HotlineWorkOrder.category == "elevator",
            HotlineWorkOrder.received_at >= datetime(2021, 1, 1, tzinfo=TZ),
            HotlineWorkOrder.received_at < datetime(2022, 1, 1, tzinfo=TZ),
        )
    )
    assert scalar(engine, stmt) == 3033


def first_policies(engine: Engine) -> dict[int, tuple[date, bool]]:
    """Insured compounds: their first policy's start and whether they are pilots (Zhuzhou, first insured by
    PILOT_UNTIL: Shanshui Wenyuan and the 2021–2022 pilots)."""
    stmt = in_city(
        select(Building.compound_id, func.min(InsurancePolicy.period_start), City.code)
        .join(Elevator, Elevator.id == InsurancePolicy.elevator_id)
        .join(Building, Building.id == Elevator.building_id)
        .join(Compound, Compound.id == Building.compound_id)
        .group_by(Building.compound_id, City.code),
        "zhuzhou",
    )
    with engine.connect() as conn:
        zz = {cid: (since, since <= PILOT_UNTIL) for cid, since, _code in conn.execute(stmt)}
        everyone = conn.execute(
            select(Building.compound_id, func.min(InsurancePolicy.period_start))
            .join(Elevator, Elevator.id == InsurancePolicy.elevator_id)
            .join(Building, Building.id == Elevator.building_id)
            .group_by(Building.compound_id)
        ).all()
    return {cid: zz.get(cid, (since, False)) for cid, since in everyone}


def local_day(column):  # type: ignore[no-untyped-def]
    return func.date(column, "+8 hours")


def test_pilot_compounds_have_no_elevator_complaints_once_insured(engine: Engine) -> None:
    """Seed 000 (as of August 2022): no complaints from the pilot compounds since their pilot — to the end of 2022."""
    pilots = {cid: since for cid, (since, pilot) in first_policies(engine).items() if pilot}
    assert compound_id(engine, "山水文园") in pilots and len(pilots) >= 5
    with engine.connect() as conn:
        rows = conn.execute(
            select(HotlineWorkOrder.compound_id, local_day(HotlineWorkOrder.received_at)).where(
                HotlineWorkOrder.category == "elevator",
                HotlineWorkOrder.compound_id.in_(list(pilots)),
                local_day(HotlineWorkOrder.received_at) <= END_2022.isoformat(),
            )
        ).all()
    assert rows  # they had complaints before insuring
    assert [r for r in rows if date.fromisoformat(r[1]) >= pilots[r[0]]] == []


def test_other_insured_compounds_complain_less_but_not_never(engine: Engine) -> None:
    """Beyond the pilots, elevator complaints per compound-month fall by roughly half to two thirds after the first
    policy (whole months on either side, 2021 to October 2026), not to zero."""
    first = {cid: since for cid, (since, pilot) in first_policies(engine).items() if not pilot}
    last_month = 2026 * 12 + 9  # October 2026, the last whole month before TODAY
    counts: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    with engine.connect() as conn:
        for cid, day in conn.execute(
            select(HotlineWorkOrder.compound_id, local_day(HotlineWorkOrder.received_at)).where(
                HotlineWorkOrder.category == "elevator", HotlineWorkOrder.compound_id.in_(list(first))
            )
        ):
            d = date.fromisoformat(day)
            counts[cid][d.year * 12 + d.month - 1] += 1
    before = before_months = after = after_months = 0
    for cid, since in first.items():
        s = since.year * 12 + since.month - 1
        a = s + (0 if since.day == 1 else 1)
        if s - 2021 * 12 < 6 or last_month - a + 1 < 6:
            continue
        before += sum(n for m, n in counts[cid].items() if m < s)
        before_months += s - 2021 * 12
        after += sum(n for m, n in counts[cid].items() if a <= m <= last_month)
        after_months += last_month - a + 1
    assert before_months and after_months
    change = (after / after_months) / (before / before_months) - 1
    assert after > 0 and -0.75 <= change <= -0.4, change


# --------------------------------------------------------------------------- named compounds


def test_shanshui_wenyuan(engine: Engine) -> None:
    cid = compound_id(engine, "山水文园")
    buildings = select(func.count()).select_from(Building).where(Building.compound_id == cid)
    elevators = (
        select(func.count())
        .select_from(Elevator)
        .join(Building, Building.id == Elevator.building_id)
        .where(Building.compound_id == cid)
    )
    insured = (
        select(
            func.count(distinct(InsurancePolicy.elevator_id)),
            func.count(distinct(Elevator.building_id)),
            func.min(InsurancePolicy.cover_fen),
            func.max(InsurancePolicy.cover_fen),
            func.min(InsurancePolicy.period_start),
        )
        .join(Elevator, Elevator.id == InsurancePolicy.elevator_id)
        .join(Building, Building.id == Elevator.building_id)
        .where(Building.compound_id == cid)
    )
    assert scalar(engine, buildings) == 31
    assert scalar(engine, elevators) == 116
    with engine.connect() as conn:
        n_elevators, n_buildings, min_cover, max_cover, first = conn.execute(insured).one()
    assert (n_elevators, n_buildings) == (104, 27)
    assert min_cover == max_cover == 8_000_000
    assert first == date(2022, 7, 1)


def test_xinguidu(engine: Engine) -> None:
    with engine.connect() as conn:
        row = conn.execute(
            select(Compound.households, Compound.residents, Compound.party_org_founded_on, PropertyCompany.name)
            .join(PropertyCompany, PropertyCompany.id == Compound.property_company_id)
            .where(Compound.name == "新桂都")
        ).one()
    assert row[:3] == (1572, 5216, date(2021, 6, 1))
    assert "瑞丰物业" in row[3]


# --------------------------------------------------------------------------- red property


@pytest.mark.parametrize("as_of", [ARTICLE_DAY, END_2022])
def test_red_property_figures(engine: Engine, as_of: date) -> None:
    accepted = in_city(
        select(func.count())
        .select_from(DemonstrationProject)
        .join(Compound, Compound.id == DemonstrationProject.compound_id)
        .where(DemonstrationProject.status == "accepted", DemonstrationProject.accepted_on <= as_of),
        "zhuzhou",
    )
    committees = (
        select(func.count())
        .select_from(IndustryPartyCommittee)
        .join(City, City.id == IndustryPartyCommittee.city_id)
        .where(City.code == "zhuzhou", IndustryPartyCommittee.founded_on <= as_of)
    )
    companies = (
        select(func.count())
        .select_from(PropertyCompany)
        .join(City, City.id == PropertyCompany.city_id)
        .where(City.code == "zhuzhou", PropertyCompany.party_org_founded_on <= as_of)
    )
    stations = in_city(
        select(func.count(distinct(ServiceStation.compound_id)))
        .select_from(ServiceStation)
        .join(Compound, Compound.id == ServiceStation.compound_id)
        .where(ServiceStation.opened_on <= as_of),
        "zhuzhou",
    )
    resolved = in_city(
        select(func.count())
        .select_from(AgendaItem)
        .join(CouncilMeeting, CouncilMeeting.id == AgendaItem.meeting_id)
        .join(Compound, Compound.id == CouncilMeeting.compound_id)
        .where(AgendaItem.outcome == "resolved", AgendaItem.resolved_on <= as_of),
        "zhuzhou",
    )
    assert scalar(engine, accepted) == 10
    assert scalar(engine, committees) == 16
    assert scalar(engine, companies) == 425
    assert scalar(engine, stations) == 1163
    assert scalar(engine, resolved) == 1726


def test_named_compounds_among_accepted_projects(engine: Engine) -> None:
    stmt = (
        select(func.count())
        .select_from(DemonstrationProject)
        .join(Compound, Compound.id == DemonstrationProject.compound_id)
        .where(
            Compound.name.in_(["新桂都", "中泰财富湘江", "湘水湾"]),
            DemonstrationProject.status == "accepted",
            DemonstrationProject.accepted_on <= END_2022,
        )
    )
    assert scalar(engine, stmt) == 3


# --------------------------------------------------------------------------- elevators


def _insured_fault_minutes(engine: Engine) -> list[tuple[int, str, float]]:
    """(compound, local day, minutes to respond) of every responded fault of an elevator insured that day."""
    day = local_day(ElevatorFault.reported_at)
    insured = (
        select(InsurancePolicy.id)
        .where(
            InsurancePolicy.elevator_id == ElevatorFault.elevator_id,
            InsurancePolicy.period_start <= day,
            InsurancePolicy.period_end > day,
        )
        .exists()
    )
    minutes = (func.julianday(ElevatorFault.responded_at) - func.julianday(ElevatorFault.reported_at)) * 1440
    stmt = (
        select(Building.compound_id, day, minutes)
        .join(Elevator, Elevator.id == ElevatorFault.elevator_id)
        .join(Building, Building.id == Elevator.building_id)
        .where(insured, ElevatorFault.responded_at.is_not(None))
    )
    with engine.connect() as conn:
        return [(c, d, float(m)) for c, d, m in conn.execute(stmt)]


def test_pilot_faults_are_reached_within_30_minutes(engine: Engine) -> None:
    """Seed 000: every fault in the pilot compounds responded within 30 minutes (to the end of 2022)."""
    pilots = {cid for cid, (_since, pilot) in first_policies(engine).items() if pilot}
    faults = [m for c, d, m in _insured_fault_minutes(engine) if c in pilots and d <= END_2022.isoformat()]
    assert len(faults) > 30
    assert max(faults) <= 30.001


def test_other_insured_faults_are_mostly_but_not_all_reached_within_30_minutes(engine: Engine) -> None:
    pilots = {cid for cid, (_since, pilot) in first_policies(engine).items() if pilot}
    faults = [m for c, _d, m in _insured_fault_minutes(engine) if c not in pilots]
    assert len(faults) > 500
    share = sum(m <= 30.001 for m in faults) / len(faults)
    assert 0.95 <= share < 0.995, share


def test_rescues_arrive_in_about_13_minutes_and_release_after_arrival(engine: Engine) -> None:
    """Trapped passengers (96333: Jiangsu 13.1 minutes on average): median arrival 12–15 minutes, a small share past
    the 30-minute limit, released a few minutes to ~40 minutes after arrival."""
    arrival = (func.julianday(ElevatorFault.responded_at) - func.julianday(ElevatorFault.reported_at)) * 1440
    release = (func.julianday(ElevatorFault.released_at) - func.julianday(ElevatorFault.responded_at)) * 1440
    with engine.connect() as conn:
        rows = conn.execute(
            select(arrival, release).where(
                ElevatorFault.trapped_passengers > 0, ElevatorFault.responded_at.is_not(None)
            )
        ).all()
        stray = conn.execute(
            select(func.count()).where(ElevatorFault.trapped_passengers == 0, ElevatorFault.released_at.is_not(None))
        ).scalar_one()
    arrivals = [float(a) for a, _r in rows]
    releases = [float(r) for _a, r in rows if r is not None]
    assert len(arrivals) > 200 and stray == 0
    assert 12 <= statistics.median(arrivals) <= 15
    assert 0.01 <= sum(a > 30.001 for a in arrivals) / len(arrivals) <= 0.1
    assert len(releases) >= 0.99 * len(arrivals) and min(releases) >= 2 and max(releases) <= 45


def test_claims_give_a_plausible_loss_ratio(engine: Engine) -> None:
    """Insurers' repair payments: 40–80% of premiums over all policies, never more than a policy's cover, linked to
    faults of the insured elevator in the policy period where they answer one."""
    per_policy = (
        select(InsuranceClaim.insurance_policy_id.label("pid"), func.sum(InsuranceClaim.amount_fen).label("paid"))
        .group_by(InsuranceClaim.insurance_policy_id)
        .subquery("per_policy")
    )
    with engine.connect() as conn:
        premiums = conn.execute(select(func.sum(InsurancePolicy.premium_fen))).scalar_one()
        paid = conn.execute(select(func.sum(InsuranceClaim.amount_fen))).scalar_one()
        kinds = dict(conn.execute(select(InsuranceClaim.kind, func.count()).group_by(InsuranceClaim.kind)).all())
        over_cover = conn.execute(
            select(func.count())
            .select_from(per_policy)
            .join(InsurancePolicy, InsurancePolicy.id == per_policy.c.pid)
            .where(per_policy.c.paid > InsurancePolicy.cover_fen)
        ).scalar_one()
        mislinked = conn.execute(
            select(func.count())
            .select_from(InsuranceClaim)
            .join(InsurancePolicy, InsurancePolicy.id == InsuranceClaim.insurance_policy_id)
            .join(ElevatorFault, ElevatorFault.id == InsuranceClaim.elevator_fault_id)
            .where(
                (ElevatorFault.elevator_id != InsurancePolicy.elevator_id)
                | (local_day(ElevatorFault.reported_at) < InsurancePolicy.period_start)
                | (local_day(ElevatorFault.reported_at) >= InsurancePolicy.period_end)
            )
        ).scalar_one()
    assert 0.4 <= paid / premiums <= 0.8, paid / premiums
    assert set(kinds) == {"repair", "parts", "major_repair"}
    assert over_cover == 0 and mislinked == 0


def test_applications_name_applicants_objections_and_votes_by_the_rule(engine: Engine) -> None:
    """Every posted application's written objections are rows dated within its notice; every vote's decision is
    what core.rules.vote_result gives for its figures under the city's rule, and some votes fail; renewals name the
    policy they continue."""
    a, o = InsuranceApplication, ApplicationObjection
    with engine.connect() as conn:
        unnamed = conn.execute(select(func.count()).where(a.applicant_name.is_(None))).scalar_one()
        objections = conn.execute(
            select(a.id, a.written_objections, a.notice_from, a.notice_to, func.count(o.id), func.min(o.received_on))
            .add_columns(func.max(o.received_on))
            .outerjoin(o, o.application_id == a.id)
            .group_by(a.id)
        ).all()
        rules = {
            r.city_id: r
            for r in conn.execute(
                select(
                    ProgrammeRule.city_id,
                    ProgrammeRule.vote_participation_num,
                    ProgrammeRule.vote_participation_den,
                    ProgrammeRule.vote_approval_num,
                    ProgrammeRule.vote_approval_den,
                )
            )
        }
        votes = conn.execute(
            select(a, District.city_id)
            .join(PooledAccount, PooledAccount.id == a.pooled_account_id)
            .join(Building, Building.id == PooledAccount.building_id)
            .join(Compound, Compound.id == Building.compound_id)
            .join(District, District.id == Compound.district_id)
            .where(a.vote_held_on.is_not(None))
        ).all()
        unlinked_renewals = conn.execute(
            select(func.count())
            .select_from(InsurancePolicy)
            .join(
                (prior := InsurancePolicy.__table__.alias("prior")),
                (prior.c.elevator_id == InsurancePolicy.elevator_id)
                & (prior.c.period_end == InsurancePolicy.period_start),
            )
            .where(InsurancePolicy.renews_policy_id.is_(None))
        ).scalar_one()
        renewals = conn.execute(select(func.count()).where(InsurancePolicy.renews_policy_id.is_not(None))).scalar_one()
    assert unnamed == 0
    for _id, written, notice_from, notice_to, rows, first, last in objections:
        assert written == rows
        if rows:
            assert notice_from <= first <= last <= notice_to
    assert sum(w for _i, w, *_rest in objections) > 10
    outcomes = []
    for v in votes:
        figures = VoteFigures(
            v.vote_owners_total,
            Decimal(v.vote_area_total),
            v.vote_participants,
            Decimal(v.vote_participant_area),
            v.vote_for,
            Decimal(v.vote_for_area),
        )
        passed = vote_result(rules[v.city_id], figures).passed
        assert (v.decision == "approved") == passed and v.vote_against == v.vote_participants - v.vote_for
        assert 80 <= v.vote_area_total / v.vote_owners_total <= 140
        outcomes.append(passed)
    assert len(outcomes) >= 10 and 0 < outcomes.count(False) < outcomes.count(True)
    assert renewals > 0 and unlinked_renewals == 0


# --------------------------------------------------------------------------- the seed itself


def test_dataset_info_and_progress(seeded: tuple[Engine, SeedReport, list]) -> None:
    engine, report, calls = seeded
    with engine.connect() as conn:
        info = dict(conn.execute(select(DatasetInfo.key, DatasetInfo.value)).all())
    assert info["demo"] == "true" and info["scale"] == "small" and info["seed"] == "20210101"
    assert info["as_of"] == TODAY.isoformat()
    assert date.fromisoformat(info["seeded_on"])
    assert calls[0][1:] == (0, calls[0][2]) and calls[-1] == ("done", calls[-1][2], calls[-1][2])
    assert report.rows["compound"] == scalar(engine, select(func.count()).select_from(Compound))
    assert scalar(engine, in_city(select(func.count()).select_from(Compound), "zhuzhou")) >= 1_200
    assert report.seconds > 0


def test_refuses_a_database_with_compounds(engine: Engine) -> None:
    with pytest.raises(ValueError, match="not empty"):
        seed_demo(engine, scale="small", today=TODAY)


def test_unknown_scale_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown scale"):
        seed_demo(make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}"), scale="huge", today=TODAY)


def test_deterministic(seeded: tuple[Engine, SeedReport, list], tmp_path: Path) -> None:
    engine_a, report_a, _calls = seeded
    engine_b, report_b = _seed(tmp_path / "b.sqlite3")
    try:

        def fingerprint(engine: Engine) -> tuple:
            with engine.connect() as conn:
                return (
                    conn.execute(select(func.sum(MaintenanceFundEntry.amount_fen))).scalar_one(),
                    conn.execute(select(func.sum(PooledAccountEntry.amount_fen))).scalar_one(),
                    conn.execute(select(func.count(), func.max(HotlineWorkOrder.order_no))).one(),
                    conn.execute(select(func.max(ElevatorFault.reported_at))).scalar_one(),
                )

        assert report_a.rows == report_b.rows
        assert fingerprint(engine_a) == fingerprint(engine_b)
    finally:
        engine_b.dispose()
