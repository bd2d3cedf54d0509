"""The round trip (issue 15's must-hold): export every kind for Xiangtan, delete Xiangtan's records, import the
files back — every API figure for Xiangtan and each of its districts, 2024–2026, is what it was.

On the `small` demo (ROUNDTRIP_SCALE=city: the demo users see; seeded once per engine, each test on a copy),
through the command line a bureau uses (`export-data`, `delete-city-data`, `import`) and the API a data bureau
reads (signed in as the demo `admin`).
The `demo_data` flag is left out of the comparison: an import deliberately turns it off.

Some of Xiangtan's records come from no import kind — four-party councils and red-property records of its
compounds, insurance applications and their written objections (made in the product), organisers' compounds — and
deleting what they refer to is refused, not cascaded (tests/test_import_ledgers.py checks the refusals). So there
are two round trips:
- `test_every_kind_round_trips`: those product-made records are removed first (as a city starting from its own
  files would have none; a policy belongs to its application, so Xiangtan's policies, and the claims paid under
  them, go with them), the figures read, and then every kind is deleted — claims, visits, faults, work orders,
  policies, pooled accounts, fund ledger, registry — and imported back in load order;
- `test_the_seeded_demo_round_trips_what_it_can`: the demo as seeded; the kinds the product's own records hold
  (registry, pooled accounts, work orders) are refused and come back unchanged, the others are deleted (claims
  first: they name policies and faults) and reimported (claims last), policies linked again to the very
  applications they were bought under and claims to their policies and faults.

The deletion itself (`delete-city-data`) is checked on the small hand-made world of tests/test_import_ledgers.py,
on both engines: refused while other records refer to a kind (naming them), only the city's records, one
transaction with a new generation, rebuilt rollups and an audit entry, and only with --yes.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from app import create_app
from data_access.core.dataset import GENERATION_KEY, ROLLUP_KEY, renew_generation
from data_access.core.db import make_engine
from data_access.core.models import (
    AgendaItem,
    AgendaItemWorkOrder,
    AgendaPartyVote,
    ApplicationElevator,
    ApplicationObjection,
    AuditLog,
    Building,
    City,
    Compound,
    CouncilAttachment,
    CouncilAttendee,
    CouncilMeeting,
    DatasetInfo,
    DemonstrationProject,
    District,
    Elevator,
    ElevatorFault,
    FollowUp,
    FundEntryKind,
    HotlineWorkOrder,
    InsuranceApplication,
    InsuranceClaim,
    InsurancePolicy,
    Insurer,
    MaintenanceFundEntry,
    PooledAccount,
    PooledAccountEntry,
    ServiceStation,
    UserCompound,
)
from data_access.core.scope import ON_COMPOUND, ON_ELEVATOR, Area, on_building, on_elevator, within
from data_access.demo import seed_demo
from data_access.demo_accounts import DEMO_PASSWORD, create_demo_accounts
from data_access.imports import KINDS, DeletionReport, Who, delete_city_data, plan_deletion
from data_access.migrate import upgrade
from data_access.rollup_refresh import refresh_rollups
from tests.browser import DEMO_TODAY, seeded_demo_url
from tests.conftest import make_database_url
from tests.test_auth import sign_in
from tests.test_import_ledgers import build_ledger_world, ledger_snapshot
from tests.test_import_world import TODAY, build_import_world

CITY = "xiangtan"
SCALE = os.environ.get("ROUNDTRIP_SCALE", "small")  # `city`: the demo users see (minutes, not run by make test)
YEARS = (2024, 2025, 2026)
LOAD_ORDER = list(KINDS)  # registry first; each kind after the kinds its records name
DELETE_ORDER = list(reversed(LOAD_ORDER))
Figures = dict[tuple[int, str | None], dict[str, Any]]
Clone = Callable[[], str]


# --------------------------------------------------------------------------- the seeded demo, once per engine


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo_clone(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clone]:
    """Seed the demo (ROUNDTRIP_SCALE, small by default) once per engine; each call returns the URL of a fresh copy
    of it (a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL), dropped at the end of the module."""
    tmp = tmp_path_factory.mktemp(f"roundtrip-{request.param}")
    if request.param == "sqlite":
        template = Path(seeded_demo_url(tmp, SCALE).removeprefix("sqlite:///"))

        def copy_file() -> str:
            target = tmp / f"copy-{uuid.uuid4().hex[:8]}.sqlite3"
            shutil.copyfile(template, target)
            return f"sqlite:///{target}"

        yield copy_file
        return
    for url in make_database_url("postgresql", tmp):
        _seed(url)
        yield from _postgres_copies(url)


def _seed(url: str) -> None:
    upgrade(url)
    engine = make_engine(url)
    seed_demo(engine, scale=SCALE, today=DEMO_TODAY)
    with Session(engine) as session:
        create_demo_accounts(session)
        session.commit()
    engine.dispose()


def _postgres_copies(template_url: str) -> Iterator[Clone]:
    from tests.conftest import _pg_admin

    admin = _pg_admin()
    assert admin is not None
    base, template = template_url.rsplit("/", 1)
    made: list[str] = []

    def copy_database() -> str:
        name = f"{template}_{uuid.uuid4().hex[:6]}"
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        made.append(name)
        return f"{base}/{name}"

    try:
        yield copy_database
    finally:
        with admin.connect() as conn:
            for name in made:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture()
def server(demo_clone: Clone) -> Iterator[Flask]:
    app = create_app({"DATABASE_URL": demo_clone(), "SECRET_KEY": "roundtrip", "TESTING": True, "TODAY": DEMO_TODAY})
    yield app
    app.extensions["db_engine"].dispose()


# --------------------------------------------------------------------------- helpers


def figures(client: FlaskClient, districts: list[str]) -> Figures:
    """Every API figure for the city and each district, each year (without the demo flag)."""
    out: Figures = {}
    for year in YEARS:
        for district in (None, *districts):
            query = f"year={year}&city={CITY}" + (f"&district={district}" if district else "")
            response = client.get(f"/api/v1/indicators?{query}")
            assert response.status_code == 200, response.get_data(as_text=True)
            body = dict(response.json or {})
            body.pop("demo_data")
            out[(year, district)] = body
    return out


def signed_in(server: Flask) -> FlaskClient:
    client = server.test_client()
    assert sign_in(client, "admin", DEMO_PASSWORD).status_code in (200, 302)
    return client


def districts_of(server: Flask) -> list[str]:
    with Session(server.extensions["db_engine"]) as s:
        stmt = select(District.name).join(City).where(City.code == CITY).order_by(District.name)
        return list(s.scalars(stmt))


def cli(server: Flask, *args: str) -> Any:
    return server.test_cli_runner().invoke(args=list(args), catch_exceptions=False)


def export_all(server: Flask, folder: Path) -> dict[str, Path]:
    files = {}
    for kind in LOAD_ORDER:
        files[kind] = folder / f"{CITY}-{kind}.xlsx"
        result = cli(server, "export-data", kind, "--city", CITY, "--out", str(files[kind]))
        assert result.exit_code == 0, result.output
    return files


def import_all(server: Flask, files: dict[str, Path]) -> None:
    for kind in LOAD_ORDER:
        result = cli(server, "import", kind, str(files[kind]), "--city", CITY, "--lang", "en")
        assert result.exit_code == 0, (kind, result.output)


def city_rows(server: Flask) -> dict[str, int]:
    """Xiangtan's rows of every import kind's tables (what a deletion would take)."""
    with Session(server.extensions["db_engine"]) as s:
        return {table: n for kind in LOAD_ORDER for table, n in plan_deletion(s, kind, CITY).counts.items()}


def policies(server: Flask) -> dict[str, tuple[Any, ...]]:
    """Xiangtan's policies by number: elevator, application, insurer, period, money, and the voucher that paid."""
    p, e = InsurancePolicy, PooledAccountEntry
    voucher = select(func.min(e.reference)).where(e.insurance_policy_id == p.id).scalar_subquery()
    stmt = (
        select(p.policy_no, Elevator.registration_code, p.application_id, Insurer.name, p.period_start)
        .add_columns(p.period_end, p.premium_fen, p.cover_fen, voucher)
        .join(Elevator, Elevator.id == p.elevator_id)
        .join(Insurer, Insurer.id == p.insurer_id)
    )
    with Session(server.extensions["db_engine"]) as s:
        area = Area(city_id=s.scalar(select(City.id).where(City.code == CITY)))
        return {row[0]: tuple(row[1:]) for row in s.execute(within(stmt, area, ON_ELEVATOR))}


def claims(server: Flask) -> dict[str, tuple[Any, ...]]:
    """Xiangtan's claims by number: policy number, payment, and the fault they answer by its natural key (faults are
    reimported under new ids)."""
    c, p, f, faulty = InsuranceClaim, InsurancePolicy, ElevatorFault, aliased(Elevator)
    stmt = (
        select(c.reference, p.policy_no, c.paid_on, c.amount_fen, c.kind, f.reported_at, faulty.registration_code)
        .join(p, p.id == c.insurance_policy_id)
        .outerjoin(f, f.id == c.elevator_fault_id)
        .outerjoin(faulty, faulty.id == f.elevator_id)
    )
    with Session(server.extensions["db_engine"]) as s:
        area = Area(city_id=s.scalar(select(City.id).where(City.code == CITY)))
        return {row[0]: tuple(row[1:]) for row in s.execute(within(stmt, area, on_elevator(p.elevator_id)))}


def remove_product_records(server: Flask) -> None:
    """Delete Xiangtan's records that no import kind holds (and its policies, which belong to applications, with the
    claims paid under them), then renew the generation and rebuild the rollups — the state of a city that starts
    from its own files."""
    with Session(server.extensions["db_engine"]) as s:
        area = Area(city_id=s.scalar(select(City.id).where(City.code == CITY)))
        compounds = within(select(Compound.id), area, ON_COMPOUND)
        elevators = within(select(Elevator.id), area, ON_ELEVATOR)
        accounts = within(select(PooledAccount.id), area, on_building(PooledAccount.building_id))
        meetings = select(CouncilMeeting.id).where(CouncilMeeting.compound_id.in_(compounds))
        items = select(AgendaItem.id).where(AgendaItem.meeting_id.in_(meetings))
        orders = select(HotlineWorkOrder.id).where(HotlineWorkOrder.city_id == area.city_id)
        city_policies = select(InsurancePolicy.id).where(InsurancePolicy.elevator_id.in_(elevators))
        applications = select(InsuranceApplication.id).where(InsuranceApplication.pooled_account_id.in_(accounts))
        for stmt in (
            delete(AgendaItemWorkOrder).where(
                or_(AgendaItemWorkOrder.agenda_item_id.in_(items), AgendaItemWorkOrder.work_order_id.in_(orders))
            ),
            delete(AgendaPartyVote).where(AgendaPartyVote.agenda_item_id.in_(items)),
            delete(FollowUp).where(FollowUp.agenda_item_id.in_(items)),
            update(AgendaItem).where(AgendaItem.carried_from_id.in_(items)).values(carried_from_id=None),
            delete(AgendaItem).where(AgendaItem.id.in_(items)),
            delete(CouncilAttendee).where(CouncilAttendee.meeting_id.in_(meetings)),
            delete(CouncilAttachment).where(CouncilAttachment.meeting_id.in_(meetings)),
            delete(CouncilMeeting).where(CouncilMeeting.compound_id.in_(compounds)),
            delete(ServiceStation).where(ServiceStation.compound_id.in_(compounds)),
            delete(DemonstrationProject).where(DemonstrationProject.compound_id.in_(compounds)),
            delete(UserCompound).where(UserCompound.compound_id.in_(compounds)),
            update(PooledAccountEntry)
            .where(PooledAccountEntry.insurance_policy_id.in_(city_policies))
            .values(insurance_policy_id=None),
            delete(InsuranceClaim).where(InsuranceClaim.insurance_policy_id.in_(city_policies)),
            delete(InsurancePolicy).where(InsurancePolicy.elevator_id.in_(elevators)),
            delete(ApplicationElevator).where(
                or_(
                    ApplicationElevator.application_id.in_(applications), ApplicationElevator.elevator_id.in_(elevators)
                )
            ),
            delete(ApplicationObjection).where(ApplicationObjection.application_id.in_(applications)),
            delete(InsuranceApplication).where(InsuranceApplication.pooled_account_id.in_(accounts)),
        ):
            s.execute(stmt, execution_options={"synchronize_session": False})
        renew_generation(s)
        refresh_rollups(s)
        s.commit()


# --------------------------------------------------------------------------- the round trips


@pytest.mark.slow
def test_every_kind_round_trips(server: Flask, tmp_path: Path) -> None:
    remove_product_records(server)
    client, districts = signed_in(server), districts_of(server)
    before = figures(client, districts)
    assert before[(2025, None)]["fund"]["deposits_total_yuan"] != "0.00"  # there is something to lose
    assert before[(2025, None)]["complaints"]["elevator_work_orders"] > 0
    files = export_all(server, tmp_path)

    for kind in DELETE_ORDER:  # children first: each kind before the kinds its records name
        result = cli(server, "delete-city-data", kind, "--city", CITY, "--yes", "--lang", "en")
        assert result.exit_code == 0, (kind, result.output)
    assert set(city_rows(server).values()) == {0}  # nothing of Xiangtan's is left in any kind
    emptied = figures(client, districts)
    assert emptied[(2025, None)]["elevators"]["registered"] == 0

    import_all(server, files)
    assert figures(client, districts) == before


@pytest.mark.slow
def test_the_seeded_demo_round_trips_what_it_can(server: Flask, tmp_path: Path) -> None:
    client, districts = signed_in(server), districts_of(server)
    before, policies_before, rows_before = figures(client, districts), policies(server), city_rows(server)
    claims_before = claims(server)
    assert before[(2025, None)]["elevators"]["insured"] > 0 and before[(2025, None)]["elevators"]["applied"] > 0
    assert rows_before["insurance_claim"] == len(claims_before) > 0
    assert any(claim[-1] is not None for claim in claims_before.values())  # some answer a fault
    files = export_all(server, tmp_path)

    held = {
        "work-orders": "council agenda items' work orders",
        "pooled-accounts": "insurance applications",
        "registry": "council meetings",
    }
    for kind in DELETE_ORDER:
        result = cli(server, "delete-city-data", kind, "--city", CITY, "--yes", "--lang", "en")
        if kind in held:
            assert result.exit_code == 1 and held[kind] in result.output, (kind, result.output)
            assert "Nothing was deleted" in result.output
        else:
            assert result.exit_code == 0, (kind, result.output)
    gone = city_rows(server)
    assert gone["insurance_policy"] == gone["maintenance_fund_entry"] == gone["elevator_fault"] == 0
    assert gone["insurance_claim"] == 0
    assert gone["hotline_work_order"] == rows_before["hotline_work_order"] > 0  # refused: left whole
    assert gone["elevator"] == rows_before["elevator"]

    import_all(server, files)
    assert city_rows(server) == rows_before
    assert policies(server) == policies_before  # each linked again to the application it was bought under
    assert claims(server) == claims_before  # each under its policy again, answering the same fault
    assert figures(client, districts) == before


# --------------------------------------------------------------------------- deleting a city's records of a kind


def _held_by(report: DeletionReport) -> dict[str, str | None]:
    return {b.table: b.kind for b in report.blockers}


def test_a_kind_others_refer_to_is_refused_naming_them(session: Session) -> None:
    build_ledger_world(session)
    before = ledger_snapshot(session)
    report = delete_city_data(session, "registry", "ia")
    assert not report.deleted and ledger_snapshot(session) == before
    assert _held_by(report) == {
        "maintenance_fund_entry": "fund-ledger",
        "pooled_account": "pooled-accounts",
        "insurance_policy": "policies",
        "hotline_work_order": "work-orders",
        "elevator_fault": "faults",
        "maintenance_visit": "visits",
        "application_elevator": None,  # made in the product: no import could bring it back
    }
    texts = {b.table: b.message().text("en") for b in report.blockers}
    assert texts["maintenance_fund_entry"] == (
        "3 records of Owner ledgers refer to them: delete the Maintenance-fund owner ledgers records first"
    )
    assert "no import template can bring those back" in texts["application_elevator"]


def test_pooled_accounts_wait_for_the_policies_that_name_their_entries(session: Session) -> None:
    build_ledger_world(session)
    held = delete_city_data(session, "pooled-accounts", "ia")
    assert not held.deleted
    assert _held_by(held) == {"pooled_account_entry": "policies", "insurance_application": None}
    assert "1 of these Pooled-account entries are named by Insurance policies" in held.blockers[-1].message().text("en")
    gone = delete_city_data(session, "policies", "ia")
    assert gone.deleted and gone.counts == {"insurance_policy": 1}
    links = dict(session.execute(select(PooledAccountEntry.reference, PooledAccountEntry.insurance_policy_id)).all())
    assert links["TA-002"] is None and links["TB-001"] is not None  # the city's links cleared, 乙市's kept
    assert _held_by(plan_deletion(session, "pooled-accounts", "ia")) == {"insurance_application": None}


def test_a_deletion_takes_only_the_citys_records_renews_the_generation_and_audits(session: Session) -> None:
    build_ledger_world(session)
    session.add(DatasetInfo(key=GENERATION_KEY, value="before"))
    session.flush()
    report = delete_city_data(session, "fund-ledger", "ia", who=Who(None, "tester"))
    assert report.deleted and report.counts == {"maintenance_fund_entry": 3}
    assert session.scalars(select(MaintenanceFundEntry.reference)).all() == ["FB-001"]
    generation = session.scalar(select(DatasetInfo.value).where(DatasetInfo.key == GENERATION_KEY))
    assert generation != "before"
    assert session.scalar(select(DatasetInfo.value).where(DatasetInfo.key == ROLLUP_KEY)) == generation
    entry = session.scalars(select(AuditLog).where(AuditLog.action == "delete")).one()
    assert entry.username == "tester"
    assert json.loads(entry.detail or "{}") == {"kind": "fund-ledger", "city": "ia", "deleted": report.counts}


def test_children_first_every_kind_of_a_city_can_be_deleted(session: Session) -> None:
    """Without the product's own records (no insurance application), every kind goes, in the reverse load order."""
    w = build_import_world(session)
    ledger = "FA-1", "FB-1"
    for reference, compound in zip(ledger, (w.c1, w.cb), strict=True):
        building = session.scalars(select(Building.id).where(Building.compound_id == compound.id)).first()
        session.add(PooledAccount(building_id=building, opened_on=date(2023, 1, 1)))
        session.add(MaintenanceFundEntry(reference=reference, building_id=building, booked_on=date(2020, 1, 1),
                                         kind=FundEntryKind.deposit, amount_fen=100))  # fmt: skip
    session.flush()
    for kind in DELETE_ORDER:
        assert delete_city_data(session, kind, "ia").deleted, kind
    assert {n for kind in LOAD_ORDER for n in plan_deletion(session, kind, "ia").counts.values()} == {0}
    assert session.scalars(select(Compound.name)).all() == ["乙小区"]
    assert session.scalars(select(MaintenanceFundEntry.reference)).all() == ["FB-1"]


@pytest.fixture()
def ledger_server(tmp_path: Path) -> Iterator[Flask]:
    url = f"sqlite:///{tmp_path / 'ledgers.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        build_ledger_world(s)
        s.commit()
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "t", "TESTING": True, "TODAY": TODAY})
    yield app
    app.extensions["db_engine"].dispose()


def _fund_rows(server: Flask) -> int:
    with Session(server.extensions["db_engine"]) as s:
        return int(s.scalar(select(func.count()).select_from(MaintenanceFundEntry)) or 0)


def test_the_command_deletes_only_with_yes(ledger_server: Flask) -> None:
    asked = cli(ledger_server, "delete-city-data", "fund-ledger", "--city", "ia", "--lang", "en")
    assert asked.exit_code == 1 and "add --yes" in asked.output
    assert "maintenance_fund_entry" in asked.output and _fund_rows(ledger_server) == 4
    done = cli(ledger_server, "delete-city-data", "fund-ledger", "--city", "ia", "--yes", "--lang", "en")
    assert done.exit_code == 0 and "Deleted 3" in done.output
    assert _fund_rows(ledger_server) == 1


def test_the_command_refuses_a_kind_others_refer_to(ledger_server: Flask) -> None:
    result = cli(ledger_server, "delete-city-data", "registry", "--city", "ia", "--yes")
    assert result.exit_code == 1
    assert "请先删除“维修资金分户账”" in result.output and "未删除任何记录" in result.output
    unknown = ledger_server.test_cli_runner().invoke(args=["delete-city-data", "visits", "--city", "nowhere", "--yes"])
    assert unknown.exit_code == 1 and "nowhere" in unknown.output
