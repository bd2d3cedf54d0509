"""A tiny hand-made province whose every indicator was computed by hand (see the test docstrings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from data_access.core.clock import CITY_TZ
from data_access.core.models import (
    AgendaCategory,
    AgendaItem,
    AgendaOutcome,
    ApplicantType,
    ApplicationDecision,
    ApplicationElevator,
    Building,
    City,
    Compound,
    CouncilMeeting,
    CouncilParty,
    CoverageTarget,
    DemonstrationProject,
    District,
    Elevator,
    FundEntryKind,
    HotlineWorkOrder,
    IndustryPartyCommittee,
    InsuranceApplication,
    InsurancePolicy,
    Insurer,
    MaintenanceFundEntry,
    PooledAccount,
    PooledAccountEntry,
    PooledEntryKind,
    ProgrammeRule,
    ProjectStatus,
    PropertyCompany,
    Province,
    ServiceStation,
    WorkOrderCategory,
)


def local(y: int, m: int, d: int, hh: int = 12, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=CITY_TZ)


@dataclass
class World:
    city_a: City
    city_b: City
    a1: District
    a2: District
    c1: Compound
    c2: Compound
    c3: Compound


def build_world(s: Session) -> World:
    p = Province(code="p", name="测试省", name_en="Test")
    a = City(province=p, code="a", name="甲市", name_en="A City")
    b = City(province=p, code="b", name="乙市", name_en="B City")
    a1 = District(city=a, name="甲一区", name_en="A1")
    a2 = District(city=a, name="甲二区", name_en="A2")
    b1 = District(city=b, name="乙一区", name_en="B1")
    s.add_all([p, a, b, a1, a2, b1])
    s.flush()

    rule_a = ProgrammeRule(
        city_id=a.id,
        title="A rule",
        effective_from=date(2021, 1, 1),
        warranty_years=5,
        notice_days=7,
        min_applicant_owners=3,
        min_premium_years=1,
        cover_per_elevator_fen=8_000_000,
        annual_premium_fen=100_000,
    )
    rule_a.targets = [
        CoverageTarget(due_on=date(2024, 12, 31), share=Decimal("0.40")),
        CoverageTarget(due_on=date(2025, 12, 31), share=Decimal("1.00")),
    ]
    rule_b = ProgrammeRule(
        city_id=b.id,
        title="B rule",
        effective_from=date(2021, 1, 1),
        warranty_years=5,
        notice_days=7,
        min_applicant_owners=3,
        min_premium_years=1,
        cover_per_elevator_fen=8_000_000,
        annual_premium_fen=200_000,
    )
    companies = [
        PropertyCompany(
            city_id=a.id, name="甲物业一", registered_on=date(2015, 1, 1), party_org_founded_on=date(2021, 7, 1)
        ),
        PropertyCompany(
            city_id=a.id, name="甲物业二", registered_on=date(2015, 1, 1), party_org_founded_on=date(2022, 3, 1)
        ),
        PropertyCompany(
            city_id=a.id, name="甲物业三", registered_on=date(2015, 1, 1), party_org_founded_on=date(2024, 3, 1)
        ),
        PropertyCompany(
            city_id=a.id, name="甲物业四", registered_on=date(2015, 1, 1), party_org_founded_on=date(2025, 3, 1)
        ),
        PropertyCompany(city_id=a.id, name="甲物业五", registered_on=date(2015, 1, 1)),
        PropertyCompany(
            city_id=b.id, name="乙物业", registered_on=date(2015, 1, 1), party_org_founded_on=date(2022, 1, 1)
        ),
    ]
    s.add_all([rule_a, rule_b, *companies])
    s.flush()

    def compound(name: str, d: District, orderly: bool = True, company: PropertyCompany | None = None) -> Compound:
        c = Compound(
            district_id=d.id,
            name=name,
            households=100,
            residents=320,
            completed_on=date(2014, 1, 1),
            management_orderly=orderly,
            property_company_id=company.id if company else None,
        )
        s.add(c)
        return c

    c1 = compound("一号小区", a1, company=companies[0])
    c2 = compound("二号小区", a2, orderly=False, company=companies[1])
    c3 = compound("三号小区", a1)
    cb = compound("乙小区", b1, company=companies[5])
    s.flush()
    b1_ = Building(compound_id=c1.id, number="1", floors=18)
    b2_ = Building(compound_id=c1.id, number="2", floors=18)
    b3_ = Building(compound_id=c2.id, number="1", floors=18)
    b4_ = Building(compound_id=c3.id, number="1", floors=18)
    bb = Building(compound_id=cb.id, number="1", floors=18)
    s.add_all([b1_, b2_, b3_, b4_, bb])
    s.flush()

    def elevator(code: str, b: Building, since: date, insurer_ok: bool = True) -> Elevator:
        e = Elevator(registration_code=code, building_id=b.id, in_service_on=since, insurer_conditions_met=insurer_ok)
        s.add(e)
        return e

    e1 = elevator("E1", b1_, date(2015, 1, 1))
    e2 = elevator("E2", b1_, date(2015, 6, 1))
    elevator("E3", b1_, date(2022, 1, 1))  # inside the warranty
    elevator("E4", b1_, date(2015, 1, 1), insurer_ok=False)
    elevator("E5", b3_, date(2015, 1, 1))  # compound management not orderly
    e6 = elevator("E6", b2_, date(2015, 1, 1))  # its account cannot pay
    elevator("E7", b4_, date(2015, 1, 1))  # compound has no deposits
    elevator("EB", bb, date(2015, 1, 1))
    s.flush()

    def fund(b: Building, kind: FundEntryKind, on: date, fen: int) -> None:
        s.add(MaintenanceFundEntry(building_id=b.id, kind=kind, booked_on=on, amount_fen=fen))

    fund(b1_, FundEntryKind.deposit, date(2018, 12, 31), 10_000_000)
    fund(b1_, FundEntryKind.deposit, date(2024, 12, 31), 1_000_000)
    fund(b2_, FundEntryKind.deposit, date(2020, 12, 31), 5_000_000)
    fund(b3_, FundEntryKind.deposit, date(2019, 12, 31), 4_000_000)
    fund(bb, FundEntryKind.deposit, date(2024, 1, 1), 7_000_000)
    fund(b1_, FundEntryKind.benchmark_interest, date(2024, 12, 31), 200_000)
    fund(b1_, FundEntryKind.use, date(2024, 3, 1), 120_000)
    fund(b2_, FundEntryKind.use, date(2023, 5, 1), 30_000)
    fund(bb, FundEntryKind.use, date(2024, 3, 1), 999_000)

    accounts = {}
    for bld in (b1_, b2_, b3_, b4_, bb):
        accounts[bld.id] = PooledAccount(building_id=bld.id, opened_on=date(2021, 1, 1))
    s.add_all(accounts.values())
    s.flush()

    def pooled(b: Building, kind: PooledEntryKind, on: date, fen: int, policy: int | None = None) -> None:
        s.add(
            PooledAccountEntry(
                pooled_account_id=accounts[b.id].id, kind=kind, booked_on=on, amount_fen=fen, insurance_policy_id=policy
            )
        )

    pooled(b1_, PooledEntryKind.value_added_income, date(2023, 12, 31), 500_000)
    pooled(b2_, PooledEntryKind.value_added_income, date(2024, 12, 31), 50_000)
    pooled(b3_, PooledEntryKind.value_added_income, date(2024, 12, 31), 1_000_000)
    pooled(b4_, PooledEntryKind.value_added_income, date(2024, 12, 31), 1_000_000)
    pooled(bb, PooledEntryKind.value_added_income, date(2024, 12, 31), 3_000_000)

    insurer = Insurer(name="测试保险")
    app1 = InsuranceApplication(
        pooled_account_id=accounts[b1_.id].id,
        applicant_type=ApplicantType.owners_committee,
        filed_on=date(2024, 5, 1),
        notice_from=date(2024, 5, 3),
        notice_to=date(2024, 5, 9),
        written_objections=0,
        decision=ApplicationDecision.approved,
        decided_on=date(2024, 5, 20),
    )
    app1.elevators = [ApplicationElevator(elevator_id=e1.id), ApplicationElevator(elevator_id=e2.id)]
    app2 = InsuranceApplication(
        pooled_account_id=accounts[b2_.id].id,
        applicant_type=ApplicantType.unit_owners,
        applicant_owner_count=4,
        filed_on=date(2024, 9, 1),
        written_objections=0,
        decision=ApplicationDecision.pending,
    )
    app2.elevators = [ApplicationElevator(elevator_id=e6.id)]
    s.add_all([insurer, app1, app2])
    s.flush()
    policy = InsurancePolicy(
        elevator_id=e1.id,
        application_id=app1.id,
        insurer_id=insurer.id,
        policy_no="P1",
        period_start=date(2024, 6, 1),
        period_end=date(2025, 6, 1),
        premium_fen=100_000,
        cover_fen=8_000_000,
    )
    s.add(policy)
    s.flush()
    pooled(b1_, PooledEntryKind.premium, date(2024, 6, 1), 100_000, policy.id)

    def order(no: str, at: datetime, c: Compound, d: District, city: City, cat: WorkOrderCategory) -> None:
        s.add(
            HotlineWorkOrder(
                order_no=no,
                received_at=at,
                category=cat,
                city_id=city.id,
                district_id=d.id,
                compound_id=c.id,
                summary="测试",
            )
        )

    elev = WorkOrderCategory.elevator
    order("W1", local(2024, 1, 1, 0, 10), c1, a1, a, elev)  # 2023-12-31 16:10 UTC: still January 2024 locally
    order("W2", local(2024, 6, 1), c2, a2, a, elev)
    order("W3", local(2023, 12, 31, 23, 50), c1, a1, a, elev)
    order("W4", local(2023, 3, 1), c1, a1, a, elev)
    order("W5", local(2024, 2, 1), c1, a1, a, WorkOrderCategory.water_leak)
    order("W6", local(2024, 2, 1), cb, b1, b, elev)

    s.add_all(
        [
            DemonstrationProject(
                compound_id=c1.id,
                declared_on=date(2022, 4, 1),
                status=ProjectStatus.accepted,
                accepted_on=date(2022, 5, 1),
                score_organisation=18,
                score_team=19,
                score_venue=17,
                score_mechanism=18,
                score_service=20,
            ),
            DemonstrationProject(compound_id=c2.id, declared_on=date(2022, 4, 1), status=ProjectStatus.inspected),
            IndustryPartyCommittee(city_id=a.id, name="甲市物业行业党委", founded_on=date(2022, 3, 1)),
            IndustryPartyCommittee(
                city_id=a.id, district_id=a1.id, name="甲一区物业行业党委", founded_on=date(2022, 4, 1)
            ),
            IndustryPartyCommittee(city_id=b.id, name="乙市物业行业党委", founded_on=date(2022, 3, 1)),
            ServiceStation(compound_id=c1.id, name="党建睦邻吧", opened_on=date(2022, 1, 1)),
            ServiceStation(compound_id=c2.id, name="和事佬工作室", opened_on=date(2025, 1, 1)),
        ]
    )
    m1 = CouncilMeeting(compound_id=c1.id, held_at=local(2023, 4, 1), venue="红色议事厅", convener="张三")
    m2 = CouncilMeeting(
        compound_id=c1.id, held_at=local(2023, 5, 1), venue="红色议事厅", convener="张三", deleted_at=local(2023, 5, 2)
    )
    s.add_all([m1, m2])
    s.flush()
    s.add_all(
        [
            AgendaItem(
                meeting_id=m1.id,
                title="电动车充电",
                category=AgendaCategory.ebike_charging,
                raising_party=CouncilParty.residents,
                outcome=AgendaOutcome.resolved,
                resolved_on=date(2023, 4, 1),
            ),
            AgendaItem(
                meeting_id=m1.id,
                title="车位改造",
                category=AgendaCategory.parking,
                raising_party=CouncilParty.owners_committee,
                outcome=AgendaOutcome.deferred,
            ),
            AgendaItem(
                meeting_id=m2.id,
                title="已删除会议的议题",
                category=AgendaCategory.other,
                raising_party=CouncilParty.party_org,
                outcome=AgendaOutcome.resolved,
                resolved_on=date(2023, 5, 1),
            ),
        ]
    )
    s.flush()
    return World(a, b, a1, a2, c1, c2, c3)
