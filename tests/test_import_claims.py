"""The kind `claims` (the insurers' repair payments): one test per validation rule (a file with one bad row is
refused whole, the report names its row, column, value and reason, and every table an import touches is unchanged),
loading (money exact to the fen, the policy and the fault linked), re-importing changes nothing, the cover counted
once per claim, the export imports back unchanged, and deleting policies or faults waits for the claims. On SQLite
and PostgreSQL (the `session` fixture).

The world is tests/test_import_ledgers.py's (policy PA-001 of IA-001, 2024-10-01 to 2025-09-30, cover 80,000.00
yuan; 乙市's PB-001 of IB-001), with claims on top (`build_claim_world`):

    导入甲市 (ia): CA-001 under PA-001, paid 2025-02-20, 1,200.00 yuan, repair, for IA-001's fault of 2025-02-01
                   10:00; IA-001 also failed on 2024-09-01 08:00, before its cover began.
    导入乙市 (ib): CB-001 under PB-001, paid 2025-03-10, 500.00 yuan, parts, for IB-001's fault of 2025-03-01 09:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.core.models import (
    ClaimKind,
    Elevator,
    ElevatorFault,
    FaultSeverity,
    InsuranceClaim,
    InsurancePolicy,
)
from data_access.imports import ImportReport, Source, delete_city_data, export_kind, load_file, plan_deletion
from tests.test_import_ledgers import build_ledger_world, counts, ledger_snapshot, spoil
from tests.test_import_world import TODAY, csv_bytes, local, xlsx_bytes


@dataclass
class ClaimWorld:
    policy_a: InsurancePolicy  # PA-001
    policy_b: InsurancePolicy  # PB-001, 乙市's
    fault_a: ElevatorFault  # IA-001, 2025-02-01 10:00 (the import world's)
    fault_b: ElevatorFault  # IB-001, 2025-03-01 09:00


def _elevator(s: Session, code: str) -> int:
    return s.scalars(select(Elevator.id).where(Elevator.registration_code == code)).one()


def build_claim_world(s: Session) -> ClaimWorld:
    w = build_ledger_world(s)
    ia1, ib1 = _elevator(s, "IA-001"), _elevator(s, "IB-001")
    fault_a = s.scalars(select(ElevatorFault).where(ElevatorFault.elevator_id == ia1)).one()
    fault_b = ElevatorFault(elevator_id=ib1, reported_at=local(2025, 3, 1, 9), severity=FaultSeverity.minor,
                            trapped_passengers=0, cause="按钮失灵")  # fmt: skip
    before_cover = ElevatorFault(elevator_id=ia1, reported_at=local(2024, 9, 1, 8), severity=FaultSeverity.minor,
                                 trapped_passengers=0, cause="平层不准")  # fmt: skip
    s.add_all([fault_b, before_cover])
    s.flush()
    policy_b = s.scalars(select(InsurancePolicy).where(InsurancePolicy.policy_no == "PB-001")).one()
    s.add_all(
        [
            InsuranceClaim(reference="CA-001", insurance_policy_id=w.policy.id, paid_on=date(2025, 2, 20),
                           amount_fen=120_000, kind=ClaimKind.repair, elevator_fault_id=fault_a.id),
            InsuranceClaim(reference="CB-001", insurance_policy_id=policy_b.id, paid_on=date(2025, 3, 10),
                           amount_fen=50_000, kind=ClaimKind.parts, elevator_fault_id=fault_b.id),
        ]
    )  # fmt: skip
    s.flush()
    return ClaimWorld(w.policy, policy_b, fault_a, fault_b)


def claim_snapshot(s: Session) -> dict[str, list[tuple[Any, ...]]]:
    """ledger_snapshot() plus the claims."""
    result = ledger_snapshot(s)
    rows = s.connection().execute(select(InsuranceClaim.__table__)).all()
    result["insurance_claim"] = sorted((tuple(r) for r in rows), key=repr)
    return result


def _claim(s: Session, reference: str) -> InsuranceClaim:
    return s.scalars(select(InsuranceClaim).where(InsuranceClaim.reference == reference)).one()


# --------------------------------------------------------------------------- files

HEADERS = ["理赔编号", "保单号", "电梯注册代码", "赔付日期", "赔付金额", "类别", "故障报告时间"]
GOOD = [  # 1,234.50 + 1,234.50 + 1,200.00 yuan: with CA-001, PA-001 has 4,869.00 of its 80,000.00 paid
    ["CA-002", "PA-001", "IA-001", "2025/3/5", "1,234.50", "更换配件", None],
    ["CA-003", "PA-001", None, "2025年4月1日", "1234.5元", "Major repair", "2025-02-01 10:00"],
    ["CA-004", "PA-001", "IA-001", "2025-05-06", "0.12万元", "维修", None],
]
SHEET = "理赔记录 Claims"


def claim_file(*rows: list[Any], good: list[list[Any]] = GOOD) -> Source:
    """The good rows (file rows 2–4), then `rows` (from row 5)."""
    return Source("理赔.xlsx", data=xlsx_bytes({SHEET: [HEADERS, *good, *rows]}))


def claim_row(**cells: Any) -> list[Any]:
    return spoil(["CA-020", "PA-001", "IA-001", "2025-06-01", "100.00", "维修", None], HEADERS, **cells)


# --------------------------------------------------------------------------- one test per rule


@dataclass
class Case:
    rule: str
    row: list[Any]
    column: str
    value: str
    key: str


CASES = [
    Case("claim number blank", claim_row(理赔编号=None), "理赔编号", "", "import.err.required"),
    Case("claim number too long", claim_row(理赔编号="C" * 41), "理赔编号", "C" * 41, "import.err.too_long"),
    Case("the same claim number twice", claim_row(理赔编号="CA-002"), "理赔编号", "CA-002", "import.err.duplicate"),
    Case("another city's claim number", claim_row(理赔编号="CB-001", 保单号="PA-001"), "理赔编号", "CB-001",
         "import.err.claim_other_city"),
    Case("policy number blank", claim_row(保单号=None), "保单号", "", "import.err.required"),
    Case("no such policy", claim_row(保单号="PA-999"), "保单号", "PA-999", "import.err.policy_unknown"),
    Case("another city's policy", claim_row(保单号="PB-001"), "保单号", "PB-001",
         "import.err.claim_policy_other_city"),
    Case("not the policy's elevator", claim_row(电梯注册代码="IA-002"), "电梯注册代码", "IA-002",
         "import.err.claim_elevator"),
    Case("paid in the future", claim_row(赔付日期="2025-07-01"), "赔付日期", "2025-07-01", "import.err.future"),
    Case("paid before the cover began", claim_row(赔付日期="2024-09-30"), "赔付日期", "2024-09-30",
         "import.err.before_cover"),
    Case("paid on blank", claim_row(赔付日期=None), "赔付日期", "", "import.err.required"),
    Case("not a date", claim_row(赔付日期="下周一"), "赔付日期", "下周一", "import.err.date"),
    Case("zero amount", claim_row(赔付金额="0"), "赔付金额", "0", "import.err.amount_positive"),
    Case("negative amount", claim_row(赔付金额="-100.00"), "赔付金额", "-100.00", "import.err.amount_positive"),
    Case("not an amount", claim_row(赔付金额="一百元"), "赔付金额", "一百元", "import.err.money"),
    Case("a fraction of a fen", claim_row(赔付金额="12.345"), "赔付金额", "12.345", "import.err.money_precision"),
    Case("kind not allowed", claim_row(类别="保养"), "类别", "保养", "import.err.choice"),
    Case("no fault at that time", claim_row(故障报告时间="2025-02-01 11:00"), "故障报告时间", "2025-02-01 11:00",
         "import.err.fault_unknown"),
    Case("another elevator's fault", claim_row(故障报告时间="2025-03-01 09:00"), "故障报告时间", "2025-03-01 09:00",
         "import.err.fault_unknown"),
    Case("a fault before the cover", claim_row(赔付日期="2024-10-20", 故障报告时间="2024-09-01 08:00"),
         "故障报告时间", "2024-09-01 08:00", "import.err.fault_outside_cover"),
    Case("over the cover", claim_row(赔付金额="75,131.01"), "赔付金额", "75,131.01", "import.err.over_cover"),
]  # fmt: skip


def _refused_whole(session: Session, report: ImportReport, before: dict[str, Any]) -> None:
    assert not report.ok and not report.loaded
    assert report.total.rejected == 1, report.rejections
    assert report.total.new >= 3  # the good rows were counted, and still nothing was written
    assert claim_snapshot(session) == before


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.rule)
def test_a_claim_file_with_one_bad_row_is_refused_whole(session: Session, case: Case) -> None:
    build_claim_world(session)
    before = claim_snapshot(session)
    report = load_file(session, "claims", claim_file(case.row), "ia", today=TODAY)
    found = [(r.sheet, r.row, r.column, r.value, r.reason.key) for r in report.rejections]
    assert (SHEET, 5, case.column, case.value, case.key) in found, found
    _refused_whole(session, report, before)


def test_the_reasons_name_the_policy_cover_and_city(session: Session) -> None:
    build_claim_world(session)
    rows = [
        claim_row(赔付金额="75,131.01"),
        claim_row(理赔编号="CA-021", 保单号="PB-001"),
        claim_row(理赔编号="CA-022", 故障报告时间="2025-02-01 11:00"),
        claim_row(理赔编号="CA-023", 赔付日期="2024-10-20", 故障报告时间="2024-09-01 08:00"),
    ]
    report = load_file(session, "claims", claim_file(*rows), "ia", today=TODAY)
    reasons = [r.reason.text("en") for r in report.rejections]
    assert reasons == [
        "the policy's claims would total 80,000.01 yuan, above its cover of 80,000.00 yuan",
        "a policy of IB City, not of the city of this import (IA City)",
        "the policy's elevator (IA-001) has no fault reported at this time (import the faults first)",
        "this fault was reported outside the policy's cover (2024-10-01 to 2025-09-30)",
    ]
    assert report.rejections[0].reason.text("zh") == "该保单的赔付合计将达 80,000.01 元，超过保额 80,000.00 元"


# --------------------------------------------------------------------------- loading


def test_claims_load_exact_to_the_fen_with_their_policy_and_fault(session: Session) -> None:
    w = build_claim_world(session)
    report = load_file(session, "claims", claim_file(), "ia", today=TODAY)
    assert report.loaded, report.rejections
    assert report.counts == {"claims": counts(new=3)}
    got = {
        ref: (c.insurance_policy_id, c.paid_on, c.amount_fen, c.kind, c.elevator_fault_id)
        for ref in ("CA-002", "CA-003", "CA-004")
        for c in [_claim(session, ref)]
    }
    assert got == {
        "CA-002": (w.policy_a.id, date(2025, 3, 5), 123_450, ClaimKind.parts, None),
        "CA-003": (w.policy_a.id, date(2025, 4, 1), 123_450, ClaimKind.major_repair, w.fault_a.id),
        "CA-004": (w.policy_a.id, date(2025, 5, 6), 120_000, ClaimKind.repair, None),
    }


def test_a_gbk_csv_with_english_headers_loads(session: Session) -> None:
    build_claim_world(session)
    headers = ["Claim number", "Policy no.", "Paid on", "Amount paid", "Kind"]
    rows = [headers, ["CA-030", "PA-001", "2025-06-01", "￥2,000.00", "parts"]]
    report = load_file(session, "claims", Source("claims.csv", data=csv_bytes(rows, "gbk")), "ia", today=TODAY)
    assert report.loaded, report.rejections
    assert (_claim(session, "CA-030").amount_fen, _claim(session, "CA-030").kind) == (200_000, ClaimKind.parts)


def test_reimporting_claims_changes_nothing(session: Session) -> None:
    build_claim_world(session)
    first = load_file(session, "claims", claim_file(), "ia", today=TODAY)
    assert first.loaded and first.total.new == 3, first.rejections
    before = claim_snapshot(session)
    second = load_file(session, "claims", claim_file(), "ia", today=TODAY)
    assert second.ok and second.total == counts(unchanged=3)
    after = claim_snapshot(session)
    assert after["dataset_info"] == before["dataset_info"]  # same generation: cached figures stay valid
    for table in set(before) - {"audit_log"}:
        assert after[table] == before[table], table


def test_claims_up_to_the_cover_load(session: Session) -> None:
    build_claim_world(session)
    report = load_file(session, "claims", claim_file(claim_row(赔付金额="75,131.00")), "ia", today=TODAY)
    assert report.loaded, report.rejections  # 4,869.00 + 75,131.00 = the cover exactly


def test_a_restated_claim_counts_once_against_the_cover(session: Session) -> None:
    """CA-001 restated at 79,000.00: the policy's claims are then 79,000.00 (not 80,200.00), so it loads and is
    updated in place; its fault stays linked."""
    w = build_claim_world(session)
    restated = ["CA-001", "PA-001", "IA-001", "2025-02-20", "79,000.00", "维修", "2025-02-01 10:00"]
    report = load_file(session, "claims", claim_file(good=[restated]), "ia", today=TODAY)
    assert report.loaded and report.counts == {"claims": counts(updated=1)}, report.rejections
    claim = _claim(session, "CA-001")
    assert (claim.amount_fen, claim.elevator_fault_id) == (7_900_000, w.fault_a.id)
    more = load_file(session, "claims", claim_file(claim_row(赔付金额="1,000.01"), good=[]), "ia", today=TODAY)
    assert [r.reason.key for r in more.rejections] == ["import.err.over_cover"]  # 79,000 + 1,000.01 > 80,000


def test_a_file_without_the_fault_column_leaves_the_stored_fault(session: Session) -> None:
    w = build_claim_world(session)
    rows = [HEADERS[:6], ["CA-001", "PA-001", "IA-001", "2025-02-20", "1,300.00", "维修"]]
    report = load_file(session, "claims", Source("c.xlsx", data=xlsx_bytes({SHEET: rows})), "ia", today=TODAY)
    assert report.loaded and report.counts == {"claims": counts(updated=1)}
    claim = _claim(session, "CA-001")
    assert (claim.amount_fen, claim.elevator_fault_id) == (130_000, w.fault_a.id)


# --------------------------------------------------------------------------- export


def test_the_export_imports_back_unchanged(session: Session) -> None:
    build_claim_world(session)
    assert load_file(session, "claims", claim_file(), "ia", today=TODAY).loaded
    data = export_kind(session, "claims", "ia")
    before = claim_snapshot(session)
    report = load_file(session, "claims", Source("claims.xlsx", data=data), "ia", today=TODAY)
    assert report.ok and report.counts == {"claims": counts(unchanged=4)}, report.rejections
    after = claim_snapshot(session)
    for table in set(before) - {"audit_log", "dataset_info"}:
        assert after[table] == before[table], table


def test_the_export_holds_only_the_citys_claims_with_their_fault(session: Session) -> None:
    build_claim_world(session)
    workbook = load_workbook(BytesIO(export_kind(session, "claims", "ia")))
    assert workbook.sheetnames == [SHEET, "说明 Notes"]
    rows = list(workbook[SHEET].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert list(rows[1]) == ["Claim number", "Policy no.", "Elevator registration code", "Paid on", "Amount paid",
                             "Kind", "Fault reported at"]  # fmt: skip
    assert len(rows) == 3  # not 乙市's CB-001
    reference, policy, elevator, paid_on, amount, kind, fault = rows[2]
    assert (reference, policy, elevator, amount, kind) == ("CA-001", "PA-001", "IA-001", 1200, "维修")
    assert paid_on.date() == date(2025, 2, 20) and (fault.date(), fault.hour) == (date(2025, 2, 1), 10)


# --------------------------------------------------------------------------- deleting


def test_policies_and_faults_wait_for_their_claims(session: Session) -> None:
    """Deleting what claims refer to is refused (naming the claims kind), not cascaded; claims go first, the city's
    only, and then the policies and faults can go."""
    build_claim_world(session)
    before = claim_snapshot(session)
    for kind in ("policies", "faults"):
        report = delete_city_data(session, kind, "ia")
        assert not report.deleted and {b.table: b.kind for b in report.blockers} == {"insurance_claim": "claims"}
        text = report.blockers[0].message().text("en")
        assert text == "1 records of Claims refer to them: delete the Claims records first"
    assert claim_snapshot(session) == before
    assert plan_deletion(session, "claims", "ia").blockers == []
    gone = delete_city_data(session, "claims", "ia")
    assert gone.deleted and gone.counts == {"insurance_claim": 1}
    assert session.scalars(select(InsuranceClaim.reference)).all() == ["CB-001"]  # 乙市's stays
    assert delete_city_data(session, "faults", "ia").deleted
    assert delete_city_data(session, "policies", "ia").deleted
