"""The kinds `fund-ledger`, `pooled-accounts` and `policies`: one test per validation rule new to them (a file with
one bad row is refused whole, the report names its row and column, the database is unchanged — every row of every
table an import touches compared), loading (money exact to the fen, natural keys, links), re-importing changes
nothing, and an export imports back unchanged. On SQLite and PostgreSQL (the `session` fixture).

The world is tests/test_import_world.py's, with ledgers on top (`build_ledger_world`):

    导入甲市 (ia): 一号小区 building 1 — owner-ledger entries FA-001 (deposit), FA-002 (interest); pooled account
                   of unit 1 (opened 2023-01-01): TA-001 value-added income, TA-002 premium paying policy PA-001;
                   building 2 — FA-003 (use); its own pooled account: TA-003 income, TA-004 premium (unlinked).
                   IA-001 (unit 1) is insured by PA-001 (甲保险, 2024-10-01 to 2025-09-30) under application
                   APP-A, approved 2024-09-20; IA-002 has no application.
    导入乙市 (ib): FB-001 at 乙小区 building 1; its pooled account, TB-001; IB-001 insured by PB-001.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.core.models import (
    ApplicantType,
    ApplicationDecision,
    ApplicationElevator,
    Building,
    Elevator,
    FundEntryKind,
    InsuranceApplication,
    InsurancePolicy,
    Insurer,
    MaintenanceFundEntry,
    PooledAccount,
    PooledAccountEntry,
    PooledEntryKind,
    Unit,
)
from data_access.imports import KINDS, Counts, ImportReport, Source, export_kind, load_file, validate_file
from tests.test_import_world import TODAY, build_import_world, csv_bytes, snapshot, xlsx_bytes

LEDGER_TABLES = (MaintenanceFundEntry, PooledAccount, PooledAccountEntry, InsurancePolicy, Insurer)
# The kinds this world holds records of: every kind but claims, which have a world of their own (claims block the
# deletion of policies that the deletion tests make here) in tests/test_import_claims.py.
WORLD_KINDS = [k for k in KINDS if k != "claims"]


@dataclass
class LedgerWorld:
    account_u1: PooledAccount  # 一号小区 building 1, unit 1
    account_b12: PooledAccount  # 一号小区 building 2
    application: InsuranceApplication  # APP-A, for IA-001
    policy: InsurancePolicy  # PA-001


def _one(s: Session, stmt: Any) -> Any:
    return s.scalars(stmt).one()


def build_ledger_world(s: Session) -> LedgerWorld:
    w = build_import_world(s)
    b11 = _one(s, select(Building).where(Building.compound_id == w.c1.id, Building.number == "1"))
    b12 = _one(s, select(Building).where(Building.compound_id == w.c1.id, Building.number == "2"))
    bb1 = _one(s, select(Building).where(Building.compound_id == w.cb.id))
    u1 = _one(s, select(Unit).where(Unit.building_id == b11.id, Unit.number == "1"))
    ia1 = _one(s, select(Elevator).where(Elevator.registration_code == "IA-001"))
    ib1 = _one(s, select(Elevator).where(Elevator.registration_code == "IB-001"))
    fund = FundEntryKind
    s.add_all(
        [
            MaintenanceFundEntry(reference="FA-001", building_id=b11.id, booked_on=date(2020, 12, 31),
                                 kind=fund.deposit, amount_fen=100_000_000, memo="首次缴存"),
            MaintenanceFundEntry(reference="FA-002", building_id=b11.id, booked_on=date(2021, 12, 31),
                                 kind=fund.benchmark_interest, amount_fen=2_500_000),
            MaintenanceFundEntry(reference="FA-003", building_id=b12.id, booked_on=date(2022, 5, 1),
                                 kind=fund.use, amount_fen=300_000, memo="电梯维修"),
            MaintenanceFundEntry(reference="FB-001", building_id=bb1.id, booked_on=date(2020, 12, 31),
                                 kind=fund.deposit, amount_fen=50_000_000),
        ]
    )  # fmt: skip
    u1_account = PooledAccount(building_id=b11.id, unit_id=u1.id, opened_on=date(2023, 1, 1))
    b12_account = PooledAccount(building_id=b12.id, opened_on=date(2023, 1, 1))
    bb1_account = PooledAccount(building_id=bb1.id, opened_on=date(2023, 1, 1))
    insurer = Insurer(name="甲保险")
    s.add_all([u1_account, b12_account, bb1_account, insurer])
    s.flush()
    app_a = _application(s, u1_account, ia1)
    app_b = _application(s, bb1_account, ib1)
    policy_a = _policy(s, "PA-001", ia1, app_a, insurer)
    policy_b = _policy(s, "PB-001", ib1, app_b, insurer)
    pooled = PooledEntryKind
    s.add_all(
        [
            PooledAccountEntry(reference="TA-001", pooled_account_id=u1_account.id, booked_on=date(2023, 12, 31),
                               kind=pooled.value_added_income, amount_fen=5_000_000),
            PooledAccountEntry(reference="TA-002", pooled_account_id=u1_account.id, booked_on=date(2024, 10, 1),
                               kind=pooled.premium, amount_fen=220_000, insurance_policy_id=policy_a.id),
            PooledAccountEntry(reference="TA-003", pooled_account_id=b12_account.id, booked_on=date(2023, 12, 31),
                               kind=pooled.value_added_income, amount_fen=1_000_000),
            PooledAccountEntry(reference="TA-004", pooled_account_id=b12_account.id, booked_on=date(2024, 10, 1),
                               kind=pooled.premium, amount_fen=220_000),
            PooledAccountEntry(reference="TB-001", pooled_account_id=bb1_account.id, booked_on=date(2023, 12, 31),
                               kind=pooled.value_added_income, amount_fen=700_000, insurance_policy_id=policy_b.id),
        ]
    )  # fmt: skip
    s.flush()
    return LedgerWorld(u1_account, b12_account, app_a, policy_a)


def _application(s: Session, account: PooledAccount, elevator: Elevator) -> InsuranceApplication:
    application = InsuranceApplication(
        pooled_account_id=account.id,
        applicant_type=ApplicantType.owners_committee,
        filed_on=date(2024, 9, 1),
        notice_from=date(2024, 9, 3),
        notice_to=date(2024, 9, 9),
        decision=ApplicationDecision.approved,
        decided_on=date(2024, 9, 20),
    )
    s.add(application)
    s.flush()
    s.add(ApplicationElevator(application_id=application.id, elevator_id=elevator.id))
    return application


def _policy(
    s: Session, number: str, elevator: Elevator, application: InsuranceApplication, insurer: Insurer
) -> InsurancePolicy:
    policy = InsurancePolicy(
        policy_no=number,
        elevator_id=elevator.id,
        application_id=application.id,
        insurer_id=insurer.id,
        period_start=date(2024, 10, 1),
        period_end=date(2025, 10, 1),
        premium_fen=220_000,
        cover_fen=8_000_000,
    )
    s.add(policy)
    s.flush()
    return policy


def ledger_snapshot(s: Session) -> dict[str, list[tuple[Any, ...]]]:
    """snapshot() of test_import_world plus the ledger and policy tables."""
    result = snapshot(s)
    for model in LEDGER_TABLES:
        rows = s.connection().execute(select(model.__table__)).all()
        result[model.__tablename__] = sorted((tuple(r) for r in rows), key=repr)
    return result


def counts(new: int = 0, updated: int = 0, unchanged: int = 0, rejected: int = 0) -> Counts:
    return Counts(new, updated, unchanged, rejected)


# --------------------------------------------------------------------------- files

FUND_HEADERS = ["凭证号", "区县", "小区名称", "楼栋号", "记账日期", "业务类型", "金额", "摘要"]
FUND_GOOD = [
    ["FA-010", "甲一区", "一号小区", "1", "2024/12/31", "缴存", "1,234.50", "2024年新增缴存"],
    ["FA-011", "甲一区", "一号小区", "2", "2024年12月31日", "基准利率利息", "12.3万元", None],
]
ACCOUNT_HEADERS = ["区县", "小区名称", "楼栋号", "单元号", "开户日期"]
ACCOUNTS_GOOD = [["甲二区", "二号小区", "1", None, "2024-01-01"]]
ENTRY_HEADERS = ["凭证号", "区县", "小区名称", "楼栋号", "单元号", "记账日期", "收支类型", "金额"]
ENTRIES_GOOD = [
    ["TA-010", "甲二区", "二号小区", "1", None, "2024-12-31", "增值收益", "800.00"],  # the account above, new
    ["TA-011", "甲一区", "一号小区", "1", "1", "2024-12-31", "增值收益", "５００元"],
]
POLICY_HEADERS = ["保单号", "电梯注册代码", "保险公司", "保险起期", "保险止期", "保费", "保额", "缴费凭证号"]
POLICIES_GOOD = [
    ["PA-002", "IA-001", "甲保险", "2025-10-01", "2026-09-30", "2,200.00", "8万元", None],
    ["PA-003", "IA-001", "甲保险", "2026-10-01", "2027-09-30", 2200, 80000, None],
]
ACCOUNTS_SHEET, ENTRIES_SHEET = "统筹账户 Pooled accounts", "统筹账户收支 Pooled-account entries"


def fund_file(*rows: list[Any]) -> Source:
    """The two good fund rows (file rows 2 and 3), then `rows` (from row 4)."""
    return Source("分户账.xlsx", data=xlsx_bytes({"分户账": [FUND_HEADERS, *FUND_GOOD, *rows]}))


def pooled_file(accounts: list[list[Any]] = (), entries: list[list[Any]] = ()) -> Source:  # type: ignore[assignment]
    """Both sheets: the good rows (rows 2…), then the given ones."""
    sheets = {
        ACCOUNTS_SHEET: [ACCOUNT_HEADERS, *ACCOUNTS_GOOD, *accounts],
        ENTRIES_SHEET: [ENTRY_HEADERS, *ENTRIES_GOOD, *entries],
    }
    return Source("统筹账户.xlsx", data=xlsx_bytes(sheets))


def policy_file(*rows: list[Any]) -> Source:
    return Source("保单.xlsx", data=xlsx_bytes({"保单": [POLICY_HEADERS, *POLICIES_GOOD, *rows]}))


def spoil(good: list[Any], headers: list[str], **cells: Any) -> list[Any]:
    row = list(good)
    for header, value in cells.items():
        row[headers.index(header)] = value
    return row


def fund_row(**cells: Any) -> list[Any]:
    return spoil(["FA-020", "甲一区", "一号小区", "1", "2025-01-31", "使用", "100.00", "维修"], FUND_HEADERS, **cells)


def entry_row(**cells: Any) -> list[Any]:
    good = ["TA-020", "甲一区", "一号小区", "1", "1", "2025-01-31", "其他使用", "100.00"]
    return spoil(good, ENTRY_HEADERS, **cells)


def policy_row(**cells: Any) -> list[Any]:
    good = ["PA-020", "IA-001", "甲保险", "2027-10-01", "2028-09-30", "2200", "80000", None]
    return spoil(good, POLICY_HEADERS, **cells)


# --------------------------------------------------------------------------- one test per rule


@dataclass
class Case:
    rule: str
    kind: str
    source: Source
    row: int
    column: str
    key: str
    sheet: str = ""


CASES = [
    # fund-ledger: the owner ledgers
    Case("negative amount", "fund-ledger", fund_file(fund_row(金额="-100.00")), 4, "金额",
         "import.err.amount_positive"),
    Case("zero amount", "fund-ledger", fund_file(fund_row(金额="0")), 4, "金额", "import.err.amount_positive"),
    Case("a fraction of a fen", "fund-ledger", fund_file(fund_row(金额="12.345")), 4, "金额",
         "import.err.money_precision"),
    Case("not an amount", "fund-ledger", fund_file(fund_row(金额="一百元")), 4, "金额", "import.err.money"),
    Case("unknown building", "fund-ledger", fund_file(fund_row(楼栋号="9")), 4, "楼栋号",
         "import.err.building_unknown"),
    Case("unknown compound", "fund-ledger", fund_file(fund_row(小区名称="无此小区")), 4, "小区名称",
         "import.err.compound_unknown"),
    Case("another city's district", "fund-ledger", fund_file(fund_row(区县="乙一区", 小区名称="乙小区")), 4, "区县",
         "import.err.district_other_city"),
    Case("entry kind not allowed", "fund-ledger", fund_file(fund_row(业务类型="利差")), 4, "业务类型",
         "import.err.choice"),
    Case("a pooled-account kind in the owner ledger", "fund-ledger", fund_file(fund_row(业务类型="增值收益")), 4,
         "业务类型", "import.err.choice_elsewhere"),
    Case("booked in the future", "fund-ledger", fund_file(fund_row(记账日期="2025-07-01")), 4, "记账日期",
         "import.err.future"),
    Case("reference blank", "fund-ledger", fund_file(fund_row(凭证号=None)), 4, "凭证号", "import.err.required"),
    Case("duplicate reference in the file", "fund-ledger", fund_file(fund_row(凭证号="FA-010")), 4, "凭证号",
         "import.err.duplicate"),
    Case("another city's reference", "fund-ledger", fund_file(fund_row(凭证号="FB-001")), 4, "凭证号",
         "import.err.reference_other_city"),
    Case("memo too long", "fund-ledger", fund_file(fund_row(摘要="长" * 121)), 4, "摘要", "import.err.too_long"),
    # pooled-accounts: the accounts sheet
    Case("account of an unknown unit", "pooled-accounts", pooled_file([["甲一区", "一号小区", "1", "9", "2024-01-01"]]),
         3, "单元号", "import.err.unit_unknown", ACCOUNTS_SHEET),
    Case("account opened in the future", "pooled-accounts",
         pooled_file([["甲一区", "一号小区", "1", "2", "2025-08-01"]]), 3, "开户日期", "import.err.future",
         ACCOUNTS_SHEET),
    Case("the same account twice", "pooled-accounts", pooled_file([["甲二区", "二号小区", "1", None, "2024-02-01"]]),
         3, "单元号", "import.err.duplicate", ACCOUNTS_SHEET),
    # pooled-accounts: the entries sheet
    Case("no pooled account for the building", "pooled-accounts",
         pooled_file(entries=[entry_row(单元号="2")]), 4, "单元号", "import.err.account_unknown", ENTRIES_SHEET),
    Case("booked before the stored account opened", "pooled-accounts",
         pooled_file(entries=[entry_row(记账日期="2022-12-31")]), 4, "记账日期", "import.err.before_opened",
         ENTRIES_SHEET),
    Case("booked before the file's account opened", "pooled-accounts",
         pooled_file(entries=[entry_row(区县="甲二区", 小区名称="二号小区", 单元号=None, 记账日期="2023-12-31")]), 4,
         "记账日期", "import.err.before_opened", ENTRIES_SHEET),
    Case("an owner-ledger kind in a pooled account", "pooled-accounts",
         pooled_file(entries=[entry_row(收支类型="缴存")]), 4, "收支类型", "import.err.choice_elsewhere",
         ENTRIES_SHEET),
    Case("negative pooled amount", "pooled-accounts", pooled_file(entries=[entry_row(金额="-5")]), 4, "金额",
         "import.err.amount_positive", ENTRIES_SHEET),
    Case("another city's pooled reference", "pooled-accounts", pooled_file(entries=[entry_row(凭证号="TB-001")]), 4,
         "凭证号", "import.err.reference_other_city", ENTRIES_SHEET),
    Case("duplicate pooled reference", "pooled-accounts", pooled_file(entries=[entry_row(凭证号="TA-010")]), 4,
         "凭证号", "import.err.duplicate", ENTRIES_SHEET),
    # policies
    Case("period end before start", "policies", policy_file(policy_row(保险止期="2027-09-30")), 4, "保险止期",
         "import.err.before"),
    Case("unknown elevator", "policies", policy_file(policy_row(电梯注册代码="IA-999")), 4, "电梯注册代码",
         "import.err.elevator_unknown"),
    Case("another city's elevator", "policies", policy_file(policy_row(电梯注册代码="IB-001")), 4, "电梯注册代码",
         "import.err.elevator_other_city"),
    Case("no approved application", "policies", policy_file(policy_row(电梯注册代码="IA-002")), 4, "电梯注册代码",
         "import.err.no_application"),
    Case("cover before the application was approved", "policies",
         policy_file(policy_row(保险起期="2024-09-19", 保险止期="2025-09-18")), 4, "保险起期",
         "import.err.before_approval"),
    Case("another city's policy number", "policies", policy_file(policy_row(保单号="PB-001")), 4, "保单号",
         "import.err.policy_other_city"),
    Case("premium not above zero", "policies", policy_file(policy_row(保费="0")), 4, "保费",
         "import.err.amount_positive"),
    Case("cover not an amount", "policies", policy_file(policy_row(保额="八万")), 4, "保额", "import.err.money"),
    Case("duplicate policy number", "policies", policy_file(policy_row(保单号="PA-002")), 4, "保单号",
         "import.err.duplicate"),
    Case("unknown premium voucher", "policies", policy_file(policy_row(缴费凭证号="TA-999")), 4, "缴费凭证号",
         "import.err.voucher_unknown"),
    Case("voucher not a premium", "policies", policy_file(policy_row(缴费凭证号="TA-001")), 4, "缴费凭证号",
         "import.err.voucher_not_premium"),
    Case("voucher of another building's account", "policies", policy_file(policy_row(缴费凭证号="TA-004")), 4,
         "缴费凭证号", "import.err.voucher_other_building"),
    Case("voucher paying another policy", "policies", policy_file(policy_row(缴费凭证号="TA-002")), 4, "缴费凭证号",
         "import.err.voucher_taken"),
]  # fmt: skip


def _refused_whole(session: Session, report: ImportReport, before: dict[str, Any]) -> None:
    assert not report.ok and not report.loaded
    assert report.total.rejected == 1, report.rejections
    assert report.total.new >= 2  # the good rows were counted, and still nothing was written
    assert ledger_snapshot(session) == before


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.kind}: {c.rule}")
def test_a_ledger_file_with_one_bad_row_is_refused_whole(session: Session, case: Case) -> None:
    build_ledger_world(session)
    before = ledger_snapshot(session)
    report = load_file(session, case.kind, case.source, "ia", today=TODAY)
    found = [(r.sheet, r.row, r.column, r.reason.key) for r in report.rejections]
    assert (case.sheet if case.sheet else found[0][0], case.row, case.column, case.key) in found, found
    _refused_whole(session, report, before)


def test_a_rejection_says_where_a_misplaced_entry_belongs(session: Session) -> None:
    build_ledger_world(session)
    report = validate_file(session, "fund-ledger", fund_file(fund_row(业务类型="增值收益")), "ia", today=TODAY)
    assert "统筹账户" in report.rejections[0].reason.text("zh")
    assert "pooled-accounts template" in report.rejections[0].reason.text("en")


# --------------------------------------------------------------------------- loading


def _fund(session: Session, reference: str) -> MaintenanceFundEntry:
    return session.scalars(select(MaintenanceFundEntry).where(MaintenanceFundEntry.reference == reference)).one()


def test_fund_entries_load_exact_to_the_fen(session: Session) -> None:
    build_ledger_world(session)
    numeric = ["FA-012", "甲一区", "一号小区", "2", 45657, "使用", 1234.5, None]  # a date and a number cell
    full_width = ["FA-013", "甲一区", "一号小区", "1", "2024-12-30", "deposit", "１２３４．５６元", None]
    report = load_file(session, "fund-ledger", fund_file(numeric, full_width), "ia", today=TODAY)
    assert report.loaded and report.counts == {"fund_entries": counts(new=4)}
    assert (_fund(session, "FA-010").amount_fen, _fund(session, "FA-010").booked_on) == (123_450, date(2024, 12, 31))
    assert _fund(session, "FA-011").amount_fen == 12_300_000 and _fund(session, "FA-011").kind == "benchmark_interest"
    assert (_fund(session, "FA-012").amount_fen, _fund(session, "FA-012").booked_on) == (123_450, date(2024, 12, 31))
    assert _fund(session, "FA-013").amount_fen == 123_456 and _fund(session, "FA-013").memo is None


def test_a_gbk_csv_of_the_ledger_loads(session: Session) -> None:
    build_ledger_world(session)
    source = Source("分户账.csv", data=csv_bytes([FUND_HEADERS, *FUND_GOOD], "gbk"))
    report = load_file(session, "fund-ledger", source, "ia", today=TODAY)
    assert report.loaded and report.counts == {"fund_entries": counts(new=2)}
    assert _fund(session, "FA-010").memo == "2024年新增缴存"


@pytest.mark.parametrize(
    ("kind", "source"),
    [("fund-ledger", fund_file()), ("pooled-accounts", pooled_file()), ("policies", policy_file())],
    ids=["fund-ledger", "pooled-accounts", "policies"],
)
def test_reimporting_a_ledger_changes_nothing(session: Session, kind: str, source: Source) -> None:
    build_ledger_world(session)
    first = load_file(session, kind, source, "ia", today=TODAY)
    assert first.loaded and first.total.new >= 2, first.rejections
    before = ledger_snapshot(session)
    second = load_file(session, kind, source, "ia", today=TODAY)
    assert second.ok and second.total == counts(unchanged=first.total.new)
    after = ledger_snapshot(session)
    assert after["dataset_info"] == before["dataset_info"]  # same generation: cached figures stay valid
    for table in set(before) - {"audit_log"}:
        assert after[table] == before[table], table


def test_a_changed_amount_is_updated_in_place(session: Session) -> None:
    build_ledger_world(session)
    changed = ["FA-003", "甲一区", "一号小区", "2", "2022-05-01", "使用", "3,100.00", "电梯维修"]
    report = load_file(session, "fund-ledger", fund_file(changed), "ia", today=TODAY)
    assert report.counts == {"fund_entries": counts(new=2, updated=1)}
    assert _fund(session, "FA-003").amount_fen == 310_000


def test_an_account_and_its_entries_load_from_one_workbook(session: Session) -> None:
    build_ledger_world(session)
    report = load_file(session, "pooled-accounts", pooled_file(), "ia", today=TODAY)
    assert report.loaded and report.counts == {"pooled_accounts": counts(new=1), "pooled_entries": counts(new=2)}
    account = session.scalars(select(PooledAccount).where(PooledAccount.opened_on == date(2024, 1, 1))).one()
    entry = session.scalars(select(PooledAccountEntry).where(PooledAccountEntry.reference == "TA-010")).one()
    assert (entry.pooled_account_id, entry.amount_fen, entry.kind) == (account.id, 80_000, "value_added_income")
    assert account.unit_id is None
    unit_entry = session.scalars(select(PooledAccountEntry).where(PooledAccountEntry.reference == "TA-011")).one()
    assert unit_entry.amount_fen == 50_000


def test_a_policy_loads_with_its_application_voucher_and_a_new_insurer(session: Session) -> None:
    w = build_ledger_world(session)
    voucher = ["TA-005", "甲一区", "一号小区", "1", "1", "2025-06-01", "保费", "2200"]
    assert load_file(session, "pooled-accounts", pooled_file(entries=[voucher]), "ia", today=TODAY).loaded
    row = ["PA-009", "IA-001", "乙保险", "2025-06-01", "2026-05-31", "2,200.00", "8万元", "TA-005"]
    report = load_file(session, "policies", policy_file(row), "ia", today=TODAY)
    assert report.loaded, report.rejections
    assert report.counts == {"policies": counts(new=3), "insurers": counts(new=1)}
    policy = session.scalars(select(InsurancePolicy).where(InsurancePolicy.policy_no == "PA-009")).one()
    insurer = session.scalar(select(Insurer.id).where(Insurer.name == "乙保险"))
    assert (policy.application_id, policy.insurer_id) == (w.application.id, insurer)
    assert (policy.period_start, policy.period_end) == (date(2025, 6, 1), date(2026, 6, 1))  # stored exclusive
    assert (policy.premium_fen, policy.cover_fen) == (220_000, 8_000_000)
    linked = session.scalar(
        select(PooledAccountEntry.insurance_policy_id).where(PooledAccountEntry.reference == "TA-005")
    )
    assert linked == policy.id


def test_naming_another_voucher_moves_the_link(session: Session) -> None:
    w = build_ledger_world(session)
    voucher = ["TA-005", "甲一区", "一号小区", "1", "1", "2024-10-01", "保费", "2200"]
    assert load_file(session, "pooled-accounts", pooled_file(entries=[voucher]), "ia", today=TODAY).loaded
    moved = ["PA-001", "IA-001", "甲保险", "2024-10-01", "2025-09-30", "2200", "80000", "TA-005"]
    report = load_file(session, "policies", policy_file(moved), "ia", today=TODAY)
    assert report.counts["policies"] == counts(new=2, updated=1)
    links = dict(session.execute(select(PooledAccountEntry.reference, PooledAccountEntry.insurance_policy_id)).all())
    assert (links["TA-002"], links["TA-005"]) == (None, w.policy.id)


@pytest.mark.parametrize("kind", WORLD_KINDS)
def test_an_export_of_a_ledger_imports_back_unchanged(session: Session, kind: str) -> None:
    """Every kind but claims (tests/test_import_claims.py), on a world that holds records of each (test_import_load's
    world has no ledgers or policies)."""
    build_ledger_world(session)
    data = export_kind(session, kind, "ia")
    before = ledger_snapshot(session)
    report = load_file(session, kind, Source(f"{kind}.xlsx", data=data), "ia", today=TODAY)
    assert report.ok, report.rejections
    assert all(c.new == c.updated == c.rejected == 0 for c in report.counts.values()), report.counts
    assert sum(c.unchanged for c in report.counts.values()) > 0
    after = ledger_snapshot(session)
    for table in set(before) - {"audit_log", "dataset_info"}:
        assert after[table] == before[table], table


def test_a_policy_export_shows_the_last_day_of_cover_and_only_the_citys(session: Session) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    build_ledger_world(session)
    sheet = load_workbook(BytesIO(export_kind(session, "policies", "ia")))["电梯维修保险保单 Insurance policies"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == ["PA-001"]  # not 乙市's PB-001
    assert rows[0][3].date() == date(2024, 10, 1) and rows[0][4].date() == date(2025, 9, 30)
    assert (rows[0][5], rows[0][6], rows[0][7]) == (2200, 80000, "TA-002")
