"""In-memory records of the synthetic province shared by the generator stages.

Only what later stages need is kept (ids, dates, links); rows themselves go to the writer.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from data_access.demo.config import PILOT_UNTIL, RuleSpec, Scale
from data_access.demo.writer import RowWriter

TZ = ZoneInfo("Asia/Shanghai")
PPM = 1_000_000  # rates are integers in parts per million so that money stays integer


class DemoRandom(random.Random):
    """random.Random with cheaper integer draws (one random() call instead of rejection sampling).

    The generator makes millions of small draws; the tiny bias for huge ranges does not matter here,
    and the sequence stays fully determined by the seed, which is all the demo needs.
    """

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]


# --------------------------------------------------------------------------- time helpers


def local(d: date, minute_of_day: float = 0) -> datetime:
    """An aware Asia/Shanghai instant on day d, minute_of_day minutes after midnight."""
    return datetime(d.year, d.month, d.day, tzinfo=TZ) + timedelta(minutes=minute_of_day)


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def rand_date(rng: random.Random, start: date, end: date) -> date:
    """A uniformly random day in [start, end] (both inclusive)."""
    span = (end - start).days
    return start + timedelta(days=rng.randint(0, max(span, 0)))


def year_end(year: int, today: date) -> date:
    """Year-end booking date; the running year books on today instead."""
    return today if year == today.year else date(year, 12, 31)


def year_fraction(year: int, today: date) -> tuple[int, int]:
    """(elapsed days, days in year) for prorating the running year's flows."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    if year < today.year:
        return 1, 1
    return (today - start).days + 1, (end - start).days


class WeightedPicker:
    """Fast repeated weighted choice (bisect over cumulative weights)."""

    def __init__(self, items: list, weights: list[float]) -> None:
        self.items = items
        self.cum: list[float] = []
        total = 0.0
        for wgt in weights:
            total += wgt
            self.cum.append(total)
        self.total = total

    def pick(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


# Hour-of-day profile with morning and evening peaks (used for faults and hotline calls).
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 4, 8, 10, 9, 8, 7, 6, 6, 7, 8, 8, 9, 10, 11, 10, 7, 4, 2)


def peak_minute(rng: random.Random, hours: WeightedPicker) -> float:
    return hours.pick(rng) * 60 + rng.random() * 60


# --------------------------------------------------------------------------- records


@dataclass(slots=True, eq=False)
class Rule:
    id: int
    spec: RuleSpec


@dataclass(slots=True, eq=False)
class DistrictRec:
    id: int
    name: str


@dataclass(slots=True, eq=False)
class CompanyRec:
    id: int
    name: str
    party_org_on: date | None


@dataclass(slots=True, eq=False)
class PolicyRec:
    """One written policy of an elevator, for the claims paid under it."""

    id: int
    start: date
    end: date  # exclusive
    insurer_id: int
    cover_fen: int
    claimed_fen: int = 0


@dataclass(slots=True, eq=False)
class ElevatorRec:
    id: int
    building: BuildingRec
    unit: UnitRec
    in_service_on: date
    normal: bool
    insurer_ok: bool
    policies: list[tuple[date, date]] = field(default_factory=list)  # [start, end)
    written: list[PolicyRec] = field(default_factory=list)  # the same periods with their policy rows

    def insured_on(self, d: date) -> bool:
        return any(start <= d < end for start, end in self.policies)

    def policy_on(self, d: date) -> PolicyRec | None:
        for p in self.written:
            if p.start <= d < p.end:
                return p
        return None


@dataclass(slots=True, eq=False)
class UnitRec:
    id: int
    building: BuildingRec
    number: str
    households: int
    elevators: list[ElevatorRec] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class AccountRec:
    """A pooled account; credits and debits are (date, fen) so that balances can be replayed."""

    id: int
    building: BuildingRec
    unit: UnitRec | None
    opened_on: date
    elevators: list[ElevatorRec]
    credits: list[tuple[date, int]] = field(default_factory=list)
    debits: list[tuple[date, int]] = field(default_factory=list)

    def balance_at(self, d: date) -> int:
        """Balance at the end of day d."""
        return sum(a for day, a in self.credits if day <= d) - sum(a for day, a in self.debits if day <= d)


@dataclass(slots=True, eq=False)
class BuildingRec:
    id: int
    compound: CompoundRec
    number: str
    floors: int
    households: int
    units: list[UnitRec] = field(default_factory=list)
    elevators: list[ElevatorRec] = field(default_factory=list)
    poor: bool = False  # owners paid in very little: the pooled account cannot buy insurance
    start_balance: dict[int, int] = field(default_factory=dict)  # owner-ledger balance on 1 Jan
    accounts: list[AccountRec] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class CompoundRec:
    id: int
    city: CityRec
    district: DistrictRec
    name: str
    households: int
    completed_on: date
    company: CompanyRec | None
    orderly: bool
    party_org_on: date | None
    committee_on: date | None
    named: bool = False
    buildings: list[BuildingRec] = field(default_factory=list)
    first_insured_on: date | None = None  # first policy start: the compound counts as insured from then
    station_on: date | None = None

    @property
    def pilot(self) -> bool:
        """山水文园 and the other Zhuzhou compounds first insured in 2021–2022 (config.PILOT_UNTIL)."""
        return (
            self.city.code == "zhuzhou" and self.first_insured_on is not None and self.first_insured_on <= PILOT_UNTIL
        )


@dataclass(slots=True, eq=False)
class CityRec:
    id: int
    code: str
    name: str
    short: str  # 株洲 / 湘潭
    prefix: str  # ZZ / XT in order numbers
    reg_prefix: str  # elevator registration-code prefix (administrative code)
    rule_spec: RuleSpec
    districts: list[DistrictRec] = field(default_factory=list)
    companies: list[CompanyRec] = field(default_factory=list)
    compounds: list[CompoundRec] = field(default_factory=list)
    insurer_ids: list[int] = field(default_factory=list)
    maintainer_ids: list[int] = field(default_factory=list)
    rule: Rule | None = None

    def buildings(self) -> list[BuildingRec]:
        return [b for c in self.compounds for b in c.buildings]

    def elevators(self) -> list[ElevatorRec]:
        return [e for c in self.compounds for b in c.buildings for e in b.elevators]


@dataclass(eq=False)
class World:
    rng: random.Random
    scale: Scale
    today: date
    writer: RowWriter
    cities: list[CityRec] = field(default_factory=list)
    named: dict[str, CompoundRec] = field(default_factory=dict)
    # work orders by compound, for linking council agenda items: (received day, category, id)
    orders_by_compound: dict[int, list[tuple[date, str, int]]] = field(default_factory=dict)

    @property
    def cutoff(self) -> datetime:
        """Start of today: no instant at or after it is generated (the data is as of this morning)."""
        return local(self.today)

    @property
    def zhuzhou(self) -> CityRec:
        return self.cities[0]

    @property
    def xiangtan(self) -> CityRec:
        return self.cities[1]
