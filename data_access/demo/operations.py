"""Stages 4–6: elevator faults, maintenance visits and 12345 hotline work orders.

Insured elevators (an active policy on the day) fault less, are always reached within 30 minutes
and have major faults repaired within 24 hours; compounds stop generating elevator complaints from
their first policy on. Zhuzhou's 2021 elevator complaints are exactly 3,033 at every scale.
"""

from __future__ import annotations

from datetime import date, timedelta

from data_access.demo import names
from data_access.demo.config import REFORM_START, ZZ_ELEVATOR_ORDERS_2021
from data_access.demo.world import (
    HOUR_WEIGHTS,
    CityRec,
    CompoundRec,
    ElevatorRec,
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


def faults(w: World) -> None:
    rng, today, wr = w.rng, w.today, w.writer
    cutoff = w.cutoff
    hours = WeightedPicker(list(range(24)), list(HOUR_WEIGHTS))
    causes = WeightedPicker(list(names.FAULT_CAUSES), list(names.FAULT_CAUSE_WEIGHTS))
    end = today.toordinal()
    for city in w.cities:
        for e in city.elevators():
            rate = rng.uniform(1.2, 2.0) * (1.15 if e.in_service_on.year < 2010 else 1.0) / 365.0
            t = float(max(REFORM_START, e.in_service_on).toordinal())
            while True:
                t += rng.expovariate(rate)
                if t >= end:
                    break
                day = date.fromordinal(int(t))
                insured = e.insured_on(day)
                if insured and rng.random() < 0.3:
                    continue  # insured elevators are maintained better and fault ~30% less
                reported = local(day, peak_minute(rng, hours))
                major = rng.random() < 0.12
                if insured:
                    respond = rng.randint(5, 30)
                    repair = respond + (rng.randint(120, 1_200) if major else rng.randint(20, 240))
                else:
                    respond = int(rng.triangular(15, 180, 45))
                    repair = respond + (rng.randint(2 * 1_440, 10 * 1_440) if major else rng.randint(60, 720))
                responded = reported + timedelta(minutes=respond)
                repaired = reported + timedelta(minutes=repair)
                trapped = 0
                if rng.random() < 0.08:
                    trapped = rng.choices((1, 2, 3, 4), (50, 30, 13, 7))[0]
                wr.add(
                    "elevator_fault",
                    {
                        "id": wr.next_id("elevator_fault"),
                        "elevator_id": e.id,
                        "reported_at": reported,
                        "responded_at": responded if responded < cutoff else None,
                        "repaired_at": repaired if repaired < cutoff else None,
                        "severity": "major" if major else "minor",
                        "trapped_passengers": trapped,
                        "cause": causes.pick(rng),
                    },
                )
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


def hotline(w: World) -> None:
    rng, today = w.rng, w.today
    hours = WeightedPicker(list(range(24)), list(HOUR_WEIGHTS))
    categories = WeightedPicker(list(OTHER_CATEGORIES), list(OTHER_WEIGHTS))
    satisfaction = WeightedPicker([s for s, _w in SATISFACTION], [wt for _s, wt in SATISFACTION])
    for city in w.cities:
        elevators = city.elevators()
        compounds = WeightedPicker(city.compounds, [c.households for c in city.compounds])
        for year in range(REFORM_START.year, today.year + 1):
            elapsed, days = year_fraction(year, today)
            last = min(date(year, 12, 31), today - timedelta(days=1))
            orders: list[tuple] = []
            for _ in range(_elevator_orders(city, year, len(elevators), elapsed, days)):
                day = rand_date(rng, date(year, 1, 1), last)
                e = _complaint_elevator(w, elevators, day)
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


def _complaint_elevator(w: World, elevators: list[ElevatorRec], day: date) -> ElevatorRec | None:
    """A random elevator in service whose compound is not yet insured (pilots get no complaints)."""
    for _ in range(200):
        e = elevators[w.rng.randrange(len(elevators))]
        insured_from = e.building.compound.first_insured_on
        if e.in_service_on <= day and (insured_from is None or day < insured_from):
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
