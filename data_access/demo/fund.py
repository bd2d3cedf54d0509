"""Stage 2: the maintenance fund (owner-ledger side) and the pooled accounts' value-added income.

Calibration: Zhuzhou's deposits booked up to 2021-12-31 sum to exactly 4,532,000,000 yuan and its
2021 uses to exactly 27,000,000 yuan, at every scale. Raw amounts are drawn per building, scaled to
the target with integer arithmetic, and the rounding remainder goes to the last scaled row.
"""

from __future__ import annotations

from datetime import date, timedelta

from data_access.demo.config import (
    XT_DEPOSITS_TO_2021_FEN,
    XT_POOLED_OPENED,
    ZZ_DEPOSITS_TO_2021_FEN,
    ZZ_POOLED_OPENED,
    ZZ_USE_2021_FEN,
)
from data_access.demo.world import (
    PPM,
    AccountRec,
    BuildingRec,
    CityRec,
    World,
    rand_date,
    year_end,
    year_fraction,
)

END_2021 = date(2021, 12, 31)
FIRST_YEAR = 2019

# Benchmark rate credited to owner ledgers, and usage rate (use ÷ cumulative deposits), per year.
BENCHMARK_PPM = {
    2019: 26_000,
    2020: 25_500,
    2021: 25_000,
    2022: 24_000,
    2023: 23_000,
    2024: 22_000,
    2025: 21_000,
    2026: 20_500,
}
USE_PPM = {
    "zhuzhou": {
        2019: 4_500,
        2020: 5_200,
        2022: 8_500,
        2023: 10_500,
        2024: 12_500,
        2025: 14_000,
        2026: 13_000,
    },
    "xiangtan": {
        2019: 4_300,
        2020: 4_800,
        2021: 5_500,
        2022: 6_000,
        2023: 6_800,
        2024: 8_500,
        2025: 11_000,
        2026: 10_500,
    },
}
REPAIRS = ("屋面防水维修", "外墙修缮", "消防设施维修", "二次供水设施维修", "管网改造", "楼道照明维修")
ELEVATOR_REPAIRS = ("电梯主机维修", "电梯钢丝绳更换", "电梯门机改造")

DepositRow = list  # [booked_on, amount_fen, memo, fixed]


def build(w: World) -> None:
    for city in w.cities:
        zz = city.code == "zhuzhou"
        target = ZZ_DEPOSITS_TO_2021_FEN if zz else XT_DEPOSITS_TO_2021_FEN * w.scale.xt_fund_factor
        plans = _deposit_plans(w, city, target)
        _ledger(w, city, plans)
        _pooled_accounts(w, city)
    w.writer.flush()


def _base_fen(w: World, b: BuildingRec, opened: date, premium: int) -> tuple[int, bool]:
    """What the owners of a building have paid in over its life (before scaling), and whether fixed.

    Named compounds and 'poor' buildings get fixed amounts in fen, outside the scaling, so that
    Shanshui Wenyuan can afford its premiums and poor accounts stay unable to at every scale.
    """
    rng = w.rng
    n_elev = len(b.elevators)
    if b.compound.named:
        return (b.households * 12_000 + n_elev * 300_000) * 100, True
    if b.poor:
        open_days = max((w.today - opened).days, 365)
        # ≈35% of one year's premium from all value-added income up to today (spread ≈1.25%).
        return n_elev * premium * 35 // 100 * PPM * 365 // (12_500 * open_days), True
    per_household_yuan = (2_500 + 120 * (b.compound.completed_on.year - 1998)) * rng.uniform(0.7, 1.3)
    if n_elev:
        per_household_yuan *= 1.8  # elevator buildings pay a higher deposit standard
    return int(b.households * per_household_yuan) * 100, False


def _deposit_plans(w: World, city: CityRec, target: int) -> dict[int, list[DepositRow]]:
    rng, today = w.rng, w.today
    zz = city.code == "zhuzhou"
    opened = ZZ_POOLED_OPENED if zz else XT_POOLED_OPENED
    premium = city.rule_spec.annual_premium_fen
    plans: dict[int, list[DepositRow]] = {}
    fixed_to_2021 = raw_to_2021 = 0
    for b in city.buildings():
        base, fixed = _base_fen(w, b, opened, premium)
        done = b.compound.completed_on.year
        rows: list[DepositRow] = []
        if done < FIRST_YEAR:
            rows.append([date(FIRST_YEAR - 1, 12, 31), base * 92 // 100, "2019年前累计缴存", fixed])
        for y in range(FIRST_YEAR, today.year + 1):
            if y < done:
                continue
            booked = year_end(y, today)
            if y == done:
                rows.append([booked, base * 92 // 100, f"{y}年新建房屋首次缴存", fixed])
            else:
                elapsed, days = year_fraction(y, today)
                amount = base * rng.randint(6_000, 16_000) // PPM * elapsed // days
                rows.append([booked, max(amount, 100), f"{y}年新增缴存", fixed])
        for row in rows:
            if row[0] <= END_2021:
                if fixed:
                    fixed_to_2021 += row[1]
                else:
                    raw_to_2021 += row[1]
        plans[b.id] = rows

    # Scale the non-fixed rows so that deposits up to 2021 hit the target exactly.
    num, den = target - fixed_to_2021, raw_to_2021
    assert num > 0 and den > 0, "fixed deposits exceed the calibrated total"
    last: DepositRow | None = None
    total = fixed_to_2021
    for rows in plans.values():
        for row in rows:
            if not row[3]:
                row[1] = max(1, row[1] * num // den)
                if row[0] <= END_2021:
                    last = row
                    total += row[1]
    assert last is not None
    last[1] += target - total
    assert last[1] > 0
    return plans


def _ledger(w: World, city: CityRec, plans: dict[int, list[DepositRow]]) -> None:
    """Replay the owner ledgers year by year: uses during the year, interest and deposits at year-end."""
    rng, today, wr = w.rng, w.today, w.writer
    buildings = city.buildings()
    balance: dict[int, int] = {}

    def entry(b: BuildingRec, booked: date, kind: str, amount: int, memo: str) -> None:
        entry_id = wr.next_id("maintenance_fund_entry")
        wr.add(
            "maintenance_fund_entry",
            {
                "id": entry_id,
                "building_id": b.id,
                "booked_on": booked,
                "kind": kind,
                "amount_fen": amount,
                "memo": memo,
                "reference": ledger_reference(city, "FZ", entry_id),
            },
        )

    cumulative = 0
    for b in buildings:
        balance[b.id] = 0
        for booked, amount, memo, _fixed in plans[b.id]:
            if booked.year < FIRST_YEAR:
                entry(b, booked, "deposit", amount, memo)
                balance[b.id] += amount
                cumulative += amount

    for y in range(FIRST_YEAR, today.year + 1):
        elapsed, days = year_fraction(y, today)
        year_deposits = sum(r[1] for b in buildings for r in plans[b.id] if r[0].year == y)
        for b in buildings:
            b.start_balance[y] = balance[b.id]

        # Uses: repairs drawn through the general usage procedure, scaled to the year's usage rate.
        use_target = _use_target(city, y, cumulative + year_deposits, elapsed, days)
        raw: list[tuple[BuildingRec, date, int, str]] = []
        last_day = min(date(y, 12, 31), today)
        for b in buildings:
            start = balance[b.id]
            old = b.compound.completed_on.year < 2008
            p_use = (0.10 if y < 2021 else 0.16) + (0.08 if old else 0.0)
            if start <= 0 or rng.random() >= p_use:
                continue
            for _ in range(rng.randint(1, 3)):
                repairs = ELEVATOR_REPAIRS + REPAIRS if b.elevators else REPAIRS
                memo = f"{b.number}栋{rng.choice(repairs)}"
                raw.append(
                    (
                        b,
                        rand_date(rng, date(y, 1, 1), last_day),
                        start * rng.randint(2_000, 30_000) // PPM,
                        memo,
                    )
                )
        raw_total = sum(r[2] for r in raw)
        if raw and use_target > 0:
            spent = 0
            for i, (b, booked, amount, memo) in enumerate(raw):
                scaled = amount * use_target // raw_total if i < len(raw) - 1 else use_target - spent
                if scaled <= 0:
                    continue
                spent += scaled
                entry(b, booked, "use", scaled, memo)
                balance[b.id] -= scaled
                assert balance[b.id] >= 0, "a building's uses exceeded its balance"

        rate = BENCHMARK_PPM.get(y, 20_000)
        booked = year_end(y, today)
        for b in buildings:
            interest = b.start_balance[y] * rate // PPM * elapsed // days
            if interest > 0:
                entry(b, booked, "benchmark_interest", interest, f"{y}年度基准利率利息")
                balance[b.id] += interest
            for r in plans[b.id]:
                if r[0].year == y:
                    entry(b, r[0], "deposit", r[1], r[2])
                    balance[b.id] += r[1]
        cumulative += year_deposits


def _use_target(city: CityRec, year: int, cumulative: int, elapsed: int, days: int) -> int:
    if city.code == "zhuzhou" and year == 2021:
        return ZZ_USE_2021_FEN
    rate = USE_PPM[city.code].get(year, 12_000)
    return cumulative * rate // PPM * elapsed // days


def _pooled_accounts(w: World, city: CityRec) -> None:
    """Zhuzhou pools per building from 2021; Xiangtan per unit (elevator buildings) from 2023."""
    rng, today, wr = w.rng, w.today, w.writer
    zz = city.code == "zhuzhou"
    opened_from = ZZ_POOLED_OPENED if zz else XT_POOLED_OPENED
    spreads = {y: rng.randint(11_500, 13_500) for y in range(opened_from.year, today.year + 1)}
    no_elevator_accounts: list[AccountRec] = []
    for b in city.buildings():
        opened = max(opened_from, b.compound.completed_on)
        scopes = [(u, u.elevators) for u in b.units] if (b.elevators and not zz) else [(None, b.elevators)]
        for unit, elevators in scopes:
            acct = AccountRec(wr.next_id("pooled_account"), b, unit, opened, list(elevators))
            b.accounts.append(acct)
            wr.add(
                "pooled_account",
                {
                    "id": acct.id,
                    "building_id": b.id,
                    "unit_id": unit.id if unit else None,
                    "opened_on": opened,
                },
            )
            if not elevators:
                no_elevator_accounts.append(acct)
        noise = rng.randint(-400, 400)
        for y in range(opened.year, today.year + 1):
            booked = year_end(y, today)
            elapsed, days = year_fraction(y, today)
            income = b.start_balance.get(y, 0) * (spreads[y] + noise) // PPM * elapsed // days
            if income <= 0:
                continue
            if len(b.accounts) == 1:
                shares = [income]
            else:
                shares = [income * a.unit.households // b.households for a in b.accounts[:-1]]  # type: ignore[union-attr]
                shares.append(income - sum(shares))
            for acct, amount in zip(b.accounts, shares, strict=True):
                if amount > 0:
                    pooled_entry(w, acct, booked, "value_added_income", amount)
                    acct.credits.append((booked, amount))

    # A few accounts without elevators spend part of their income on other facility cover or repairs.
    for acct in no_elevator_accounts:
        if rng.random() >= 0.03:
            continue
        booked = rand_date(rng, max(date(2023, 3, 1), acct.opened_on + timedelta(days=400)), today)
        if booked > today:
            continue
        amount = acct.balance_at(booked) * rng.randint(30, 60) // 100
        if amount > 0:
            pooled_entry(w, acct, booked, "other_use", amount)
            acct.debits.append((booked, amount))


def ledger_reference(city: CityRec, ledger: str, entry_id: int) -> str:
    """The voucher number of a demo ledger entry (its natural key on import): city prefix, ledger (FZ owner
    ledgers, TC pooled accounts) and the entry's id, e.g. XTFZ00012345 — unique and the same on every seed."""
    return f"{city.prefix}{ledger}{entry_id:08d}"


def pooled_entry(
    w: World, acct: AccountRec, booked: date, kind: str, amount: int, policy_id: int | None = None
) -> None:
    wr = w.writer
    entry_id = wr.next_id("pooled_account_entry")
    wr.add(
        "pooled_account_entry",
        {
            "id": entry_id,
            "pooled_account_id": acct.id,
            "booked_on": booked,
            "kind": kind,
            "amount_fen": amount,
            "insurance_policy_id": policy_id,
            "reference": ledger_reference(acct.building.compound.city, "TC", entry_id),
        },
    )
