"""Stages 4–6: elevator faults (with the insurers' claims and trapped-passenger rescues), maintenance visits
and 12345 hotline work orders.

Insured elevators (an active policy on the day) fault less and are served far better than uninsured ones. The
seed's claims hold for the pilot compounds (world.CompoundRec.pilot) up to config.PILOT_UNTIL: every fault
reached within 30 minutes, major faults repaired within 24 hours, no elevator complaint after insuring. Other
insured elevators, and the pilots from 2023 on, are clearly better but not perfect: about 95–99% of faults
reached within 30 minutes, varying by district and year; a few major repairs wait for parts beyond 24 hours;
their compounds' elevator complaints fall by roughly half to two thirds, with month-to-month noise.

Trapped passengers are reached like a 96333 rescue (median ≈ 13 minutes, a small share beyond the 30-minute
limit) and let out a few minutes to ~40 minutes after arrival. Insurers pay claims (repair, parts, major repair)
for insured elevators' faults and for worn parts found on maintenance, giving loss ratios of roughly 40–80% by
insurer and year. Zhuzhou's 2021 elevator complaints are exactly 3,033 at every scale.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from data_access.demo import names
from data_access.demo.config import PILOT_UNTIL, REFORM_START, ZZ_ELEVATOR_ORDERS_2021
from data_access.demo.world import (
    HOUR_WEIGHTS,
    CityRec,
    CompoundRec,
    ElevatorRec,
    PolicyRec,
    WeightedPicker,
    World,
    local,
    peak_minute,
    rand_date,
    year_fraction,
)

ZZ_ELEVATOR_ORDERS = {
    2021: ZZ_ELEVATOR_ORDERS_2021,
    2022: 3_140,
    2023: 2_990,
    2024: 2_920,
    2025: 2_860,
    2026: 2_800,
}
XT_ELEVATOR_ORDER_RATE = {2021: 0.20, 2022: 0.21, 2023: 0.22, 2024: 0.22, 2025: 0.19, 2026: 0.18}
OTHER_ORDER_RATE = {"zhuzhou": 2.6, "xiangtan": 2.4}  # non-elevator orders per compound per year
OTHER_CATEGORIES = ("property_fee", "water_leak", "ebike_charging", "parking", "noise", "sanitation", "other")
OTHER_WEIGHTS = (22, 15, 12, 16, 12, 13, 10)
SATISFACTION = ((5, 38), (4, 30), (3, 16), (2, 9), (1, 7))
LINKABLE = {"elevator", "property_fee", "water_leak", "ebike_charging", "parking"}

# Share of an insured elevator's faults not reached within 30 minutes, by year (outside the pilots' perfect
# period); each district draws a factor, each district-year some noise, and the result stays within 1–5%.
LATE_SHARE = {2022: 0.034, 2023: 0.03, 2024: 0.026, 2025: 0.022, 2026: 0.02}
LATE_BOUNDS = (0.01, 0.05)
PILOT_LATE_FACTOR = 0.5  # pilot compounds after PILOT_UNTIL: still the best served
SLOW_MAJOR_SHARE = 0.04  # insured major repairs (outside the pilots' perfect period) waiting for parts past 24 h
# 96333-style rescue arrival: lognormal medians in minutes (σ of the log) for insured and uninsured elevators.
RESCUE_INSURED = (11.0, 0.45)
RESCUE_UNINSURED = (13.0, 0.5)
RELEASE_MINUTES = (3, 40, 9)  # triangular (low, high, mode): from arrival to letting the passengers out

# Claims. Insurers differ in what they accept and how they price repairs; every insurer-year draws some noise.
INSURER_FACTORS = (0.82, 0.93, 1.0, 1.08, 1.18)  # dealt out to the insurers in a seeded order
INSURER_YEAR_NOISE = (0.88, 1.14)
MAJOR_CLAIM_P = 0.66  # a major fault of an insured elevator → major_repair claim
MINOR_CLAIM_P = 0.27  # a minor fault → repair (60%) or parts (40%) claim
WEAR_PARTS_PER_YEAR = 0.2  # parts claims found on maintenance, with no fault behind them
MAJOR_YUAN = (8_800.0, 0.6, 3_000, 60_000)  # lognormal median, σ, and bounds
PARTS_YUAN = (1_300.0, 0.55, 300, 8_000)
REPAIR_YUAN = (550.0, 0.5, 150, 2_500)
CLAIM_LAG_DAYS = (5, 30)  # from the repair to the insurer's payment


def _lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return math.exp(rng.gauss(math.log(median), sigma))


class _Claims:
    """Insurer claims for insured elevators, linked to the fault they answer where there is one."""

    def __init__(self, w: World) -> None:
        self.w = w
        rng = w.rng
        insurers = sorted({i for c in w.cities for i in c.insurer_ids})
        factors = list(INSURER_FACTORS)
        rng.shuffle(factors)
        self.insurer = {i: factors[k % len(factors)] for k, i in enumerate(insurers)}
        self.noise = {(i, y): rng.uniform(*INSURER_YEAR_NOISE) for i in insurers for y in range(2021, w.today.year + 1)}

    def _factor(self, policy: PolicyRec, day: date) -> float:
        return self.insurer[policy.insurer_id] * self.noise.get((policy.insurer_id, day.year), 1.0)

    def _add(
        self, city: CityRec, policy: PolicyRec, repaired: date, kind: str, yuan: float, fault_id: int | None
    ) -> None:
        w = self.w
        paid = repaired + timedelta(days=w.rng.randint(*CLAIM_LAG_DAYS))
        if paid >= w.today:
            return  # not paid yet
        amount = int(yuan) * 100
        amount = min(amount, policy.cover_fen - policy.claimed_fen)  # the cover caps a policy-year's claims
        if amount <= 0:
            return
        policy.claimed_fen += amount
        claim_id = w.writer.next_id("insurance_claim")
        w.writer.add(
            "insurance_claim",
            {
                "id": claim_id,
                "insurance_policy_id": policy.id,
                "paid_on": paid,
                "amount_fen": amount,
                "kind": kind,
                "elevator_fault_id": fault_id,
                "reference": f"{city.prefix}LP{claim_id:08d}",
            },
        )

    def for_fault(
        self, city: CityRec, policy: PolicyRec, day: date, repaired: date, major: bool, fault_id: int
    ) -> None:
        rng = self.w.rng
        f = self._factor(policy, day)
        if major:
            if rng.random() < min(0.95, MAJOR_CLAIM_P * f):
                self._add(city, policy, repaired, "major_repair", _bounded(rng, MAJOR_YUAN, f), fault_id)
        elif rng.random() < MINOR_CLAIM_P * f:
            if rng.random() < 0.6:
                self._add(city, policy, repaired, "repair", _bounded(rng, REPAIR_YUAN, f), fault_id)
            else:
                self._add(city, policy, repaired, "parts", _bounded(rng, PARTS_YUAN, f), fault_id)

    def wear_parts(self, city: CityRec, e: ElevatorRec) -> None:
        """Worn parts replaced on routine maintenance, claimed without a fault."""
        rng, today = self.w.rng, self.w.today
        for policy in e.written:
            last = min(policy.end, today) - timedelta(days=1)
            if last < policy.start:
                continue
            years = ((last - policy.start).days + 1) / 365.0
            expected = WEAR_PARTS_PER_YEAR * years * self._factor(policy, policy.start)
            while rng.random() < expected:
                expected -= 1.0
                day = rand_date(rng, policy.start, last)
                self._add(city, policy, day, "parts", _bounded(rng, PARTS_YUAN, self._factor(policy, day)), None)


def _bounded(rng: random.Random, spec: tuple[float, float, int, int], factor: float) -> float:
    median, sigma, low, high = spec
    return min(high, max(low, _lognormal(rng, median, sigma) * (0.85 + 0.15 * factor)))


def _late_shares(w: World) -> dict[tuple[int, int], float]:
    """(district id, year) → share of insured faults not reached within 30 minutes (outside the pilots)."""
    rng = w.rng
    shares = {}
    low, high = LATE_BOUNDS
    for city in w.cities:
        for d in city.districts:
            factor = rng.uniform(0.6, 1.45)
            for year in range(2021, w.today.year + 1):
                base = LATE_SHARE.get(year, min(LATE_SHARE.values()))
                if city.code == "xiangtan" and year == 2024:
                    base *= 1.2  # the first months of a new programme
                shares[(d.id, year)] = min(high, max(low, base * factor * rng.uniform(0.85, 1.2)))
    return shares


def faults(w: World) -> None:
    rng, today, wr = w.rng, w.today, w.writer
    cutoff = w.cutoff
    hours = WeightedPicker(list(range(24)), list(HOUR_WEIGHTS))
    causes = WeightedPicker(list(names.FAULT_CAUSES), list(names.FAULT_CAUSE_WEIGHTS))
    late_shares = _late_shares(w)
    claims = _Claims(w)
    end = today.toordinal()
    for city in w.cities:
        for e in city.elevators():
            compound = e.building.compound
            pilot = compound.pilot
            rate = rng.uniform(1.2, 2.0) * (1.15 if e.in_service_on.year < 2010 else 1.0) / 365.0
            t = float(max(REFORM_START, e.in_service_on).toordinal())
            while True:
                t += rng.expovariate(rate)
                if t >= end:
                    break
                day = date.fromordinal(int(t))
                policy = e.policy_on(day)
                insured = policy is not None
                if insured and rng.random() < 0.3:
                    continue  # insured elevators are maintained better and fault ~30% less
                reported = local(day, peak_minute(rng, hours))
                major = rng.random() < 0.12
                trapped = 0
                if rng.random() < 0.08:
                    trapped = rng.choices((1, 2, 3, 4), (50, 30, 13, 7))[0]
                if insured:
                    perfect = pilot and day <= PILOT_UNTIL  # seed 000's claims for the pilot compounds
                    late_p = 0.0 if perfect else late_shares[(compound.district.id, day.year)]
                    if pilot and not perfect:
                        late_p *= PILOT_LATE_FACTOR
                    if rng.random() < late_p:
                        respond = rng.randint(31, 50) if trapped else rng.randint(31, 80)
                    elif trapped:
                        respond = min(30, max(3, round(_lognormal(rng, *RESCUE_INSURED))))
                    else:
                        respond = rng.randint(5, 30)
                    if major:
                        slow = not perfect and rng.random() < SLOW_MAJOR_SHARE
                        repair = respond + (rng.randint(26 * 60, 72 * 60) if slow else rng.randint(120, 1_200))
                    else:
                        repair = respond + rng.randint(20, 240)
                else:
                    if trapped:
                        respond = max(3, round(_lognormal(rng, *RESCUE_UNINSURED)))
                    else:
                        respond = int(rng.triangular(15, 180, 45))
                    repair = respond + (rng.randint(2 * 1_440, 10 * 1_440) if major else rng.randint(60, 720))
                responded = reported + timedelta(minutes=respond)
                repaired = reported + timedelta(minutes=repair)
                released = None
                if trapped:
                    released = responded + timedelta(minutes=round(rng.triangular(*RELEASE_MINUTES), 1))
                fault_id = wr.next_id("elevator_fault")
                wr.add(
                    "elevator_fault",
                    {
                        "id": fault_id,
                        "elevator_id": e.id,
                        "reported_at": reported,
                        "responded_at": responded if responded < cutoff else None,
                        "repaired_at": repaired if repaired < cutoff else None,
                        "severity": "major" if major else "minor",
                        "trapped_passengers": trapped,
                        "cause": causes.pick(rng),
                        "released_at": released if released is not None and released < cutoff else None,
                    },
                )
                if policy is not None and repaired < cutoff:
                    claims.for_fault(city, policy, day, repaired.date(), major, fault_id)
            claims.wear_parts(city, e)
    wr.flush()


def visits(w: World) -> None:
    """One maintenance visit per elevator per 30-day period over the last year."""
    rng, today, wr = w.rng, w.today, w.writer
    for city in w.cities:
        for e in city.elevators():
            for k in range(12):
                day = rand_date(rng, today - timedelta(days=30 * (k + 1)), today - timedelta(days=30 * k + 1))
                if day < e.in_service_on:
                    continue
                minutes = rng.randint(40, 70) if e.insured_on(day) else rng.randint(15, 50)
                wr.add(
                    "maintenance_visit",
                    {
                        "id": wr.next_id("maintenance_visit"),
                        "elevator_id": e.id,
                        "started_at": local(day, rng.randint(8 * 60 + 30, 17 * 60)),
                        "duration_minutes": minutes,
                    },
                )
    wr.flush()


class _Complaints:
    """How likely an elevator complaint drawn for a compound is kept once the compound is insured.

    Pilots keep none up to PILOT_UNTIL (seed 000). Otherwise each insured compound keeps a share of its
    complaints (its own factor), which each city-month shakes by some noise, so that after insuring the
    compounds' elevator complaints fall by roughly half to two thirds, not to zero. The city's yearly totals
    are fixed, so the draws the insured compounds decline go to the other compounds."""

    KEEP = (0.3, 0.52)  # per insured compound
    PILOT_KEEP = 0.6  # pilots after PILOT_UNTIL keep this much of their own factor
    MONTH_NOISE = (0.55, 1.45)

    def __init__(self, w: World) -> None:
        rng = w.rng
        self.rng = rng
        self.keep: dict[int, float] = {}
        for city in w.cities:
            for c in city.compounds:
                if c.first_insured_on is not None:
                    self.keep[c.id] = rng.uniform(*self.KEEP) * (self.PILOT_KEEP if c.pilot else 1.0)
        self.noise: dict[tuple[int, int], float] = {}

    def month_noise(self, city: CityRec, year: int) -> None:
        for month in range(1, 13):
            self.noise[(city.id, year * 12 + month)] = self.rng.uniform(*self.MONTH_NOISE)

    def kept(self, e: ElevatorRec, day: date) -> bool:
        c = e.building.compound
        if c.first_insured_on is None or day < c.first_insured_on:
            return True
        if c.pilot and day <= PILOT_UNTIL:
            return False  # no complaints from the pilot compounds since insuring (seed 000, August 2022)
        keep = self.keep[c.id] * self.noise[(c.city.id, day.year * 12 + day.month)]
        return self.rng.random() < keep


def hotline(w: World) -> None:
    rng, today = w.rng, w.today
    hours = WeightedPicker(list(range(24)), list(HOUR_WEIGHTS))
    categories = WeightedPicker(list(OTHER_CATEGORIES), list(OTHER_WEIGHTS))
    satisfaction = WeightedPicker([s for s, _w in SATISFACTION], [wt for _s, wt in SATISFACTION])
    complaints = _Complaints(w)
    for city in w.cities:
        elevators = city.elevators()
        compounds = WeightedPicker(city.compounds, [c.households for c in city.compounds])
        for year in range(REFORM_START.year, today.year + 1):
            elapsed, days = year_fraction(year, today)
            last = min(date(year, 12, 31), today - timedelta(days=1))
            complaints.month_noise(city, year)
            orders: list[tuple] = []
            for _ in range(_elevator_orders(city, year, len(elevators), elapsed, days)):
                day = rand_date(rng, date(year, 1, 1), last)
                e = _complaint_elevator(w, elevators, day, complaints)
                if e is not None:
                    orders.append((local(day, peak_minute(rng, hours)), "elevator", e.building.compound, e))
            n_other = round(len(city.compounds) * OTHER_ORDER_RATE[city.code] * elapsed / days)
            for _ in range(n_other):
                day = rand_date(rng, date(year, 1, 1), last)
                orders.append((local(day, peak_minute(rng, hours)), categories.pick(rng), compounds.pick(rng), None))
            orders.sort(key=lambda o: o[0])
            for seq, (received, category, compound, elevator) in enumerate(orders, 1):
                _write_order(
                    w,
                    city,
                    f"{city.prefix}{year}{seq:07d}",
                    received,
                    category,
                    compound,
                    elevator,
                    satisfaction,
                )
    w.writer.flush()


def _elevator_orders(city: CityRec, year: int, n_elevators: int, elapsed: int, days: int) -> int:
    if city.code == "zhuzhou":
        if year == 2021:
            return ZZ_ELEVATOR_ORDERS_2021
        return ZZ_ELEVATOR_ORDERS.get(year, 2_750) * elapsed // days
    return round(n_elevators * XT_ELEVATOR_ORDER_RATE.get(year, 0.18) * elapsed / days)


def _complaint_elevator(
    w: World, elevators: list[ElevatorRec], day: date, complaints: _Complaints
) -> ElevatorRec | None:
    """A random elevator in service, kept with the probability its compound's insurance leaves (_Complaints)."""
    for _ in range(200):
        e = elevators[w.rng.randrange(len(elevators))]
        if e.in_service_on <= day and complaints.kept(e, day):
            return e
    return None


def _write_order(
    w: World,
    city: CityRec,
    order_no: str,
    received,
    category: str,
    compound: CompoundRec,
    elevator: ElevatorRec | None,
    satisfaction: WeightedPicker,
) -> None:
    rng, wr = w.rng, w.writer
    if elevator is not None:
        building, unit = elevator.building.number, elevator.unit.number
    else:
        building, unit = rng.choice(compound.buildings).number, "1"
    summary = rng.choice(names.WORK_ORDER_TEMPLATES[category]).format(c=compound.name, b=building, u=unit)
    closed = received + timedelta(minutes=rng.randint(1_440, 15 * 1_440))
    is_closed = closed < w.cutoff
    order_id = wr.next_id("hotline_work_order")
    wr.add(
        "hotline_work_order",
        {
            "id": order_id,
            "order_no": order_no,
            "received_at": received,
            "category": category,
            "city_id": city.id,
            "district_id": compound.district.id,
            "compound_id": compound.id,
            "elevator_id": elevator.id if elevator else None,
            "summary": summary,
            "closed_at": closed if is_closed else None,
            "satisfaction": satisfaction.pick(rng) if is_closed else None,
        },
    )
    if category in LINKABLE:
        w.orders_by_compound.setdefault(compound.id, []).append((received.date(), category, order_id))
