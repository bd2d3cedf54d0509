"""Smoke test of the demo seed: the `small` province reproduces the published figures with plain SQL.

Every figure is read back with aggregates over the generated rows (never typed in), so a change to the
generator that breaks a calibration fails here first.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import case, distinct, func, select
from sqlalchemy.engine import Engine

from data_access.core.db import Base, make_engine
from data_access.core.models import (
    AgendaItem,
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
    InsurancePolicy,
    MaintenanceFundEntry,
    PooledAccountEntry,
    PropertyCompany,
    ServiceStation,
)
from data_access.demo import SeedReport, seed_demo

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


def test_no_elevator_complaints_from_compounds_once_insured(engine: Engine) -> None:
    first_policy = (
        select(Building.compound_id, func.min(InsurancePolicy.period_start).label("since"))
        .join(Elevator, Elevator.id == InsurancePolicy.elevator_id)
        .join(Building, Building.id == Elevator.building_id)
        .group_by(Building.compound_id)
        .subquery()
    )
    stmt = (
        select(func.count())
        .select_from(HotlineWorkOrder)
        .join(first_policy, first_policy.c.compound_id == HotlineWorkOrder.compound_id)
        .where(
            HotlineWorkOrder.category == "elevator",
            func.date(HotlineWorkOrder.received_at, "+8 hours") >= first_policy.c.since,
        )
    )
    assert scalar(engine, stmt) == 0


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


def test_insured_faults_are_reached_within_30_minutes(engine: Engine) -> None:
    local_day = func.date(ElevatorFault.reported_at, "+8 hours")
    insured = (
        select(InsurancePolicy.id)
        .where(
            InsurancePolicy.elevator_id == ElevatorFault.elevator_id,
            InsurancePolicy.period_start <= local_day,
            InsurancePolicy.period_end > local_day,
        )
        .exists()
    )
    minutes = (func.julianday(ElevatorFault.responded_at) - func.julianday(ElevatorFault.reported_at)) * 1440
    late = func.coalesce(func.sum(case((minutes > 30.001, 1), else_=0)), 0)
    with engine.connect() as conn:
        n_insured, late = conn.execute(select(func.count(), late).where(insured)).one()
    assert n_insured > 100
    assert late == 0


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
