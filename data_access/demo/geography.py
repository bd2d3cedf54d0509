"""Stage 1: province, cities, districts, companies, compounds, buildings, units and elevators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from data_access.demo import names
from data_access.demo.config import (
    ARTICLE_CUTOFF,
    XIANGTAN_RULE,
    ZHUZHOU_RULE,
    ZZ_PARTY_COMPANIES_2022,
    ZZ_PROPERTY_COMPANIES,
)
from data_access.demo.world import (
    BuildingRec,
    CityRec,
    CompanyRec,
    CompoundRec,
    DistrictRec,
    ElevatorRec,
    UnitRec,
    WeightedPicker,
    World,
    rand_date,
)

ZHUZHOU_DISTRICTS = (
    ("天元区", "Tianyuan", 26),
    ("荷塘区", "Hetang", 22),
    ("芦淞区", "Lusong", 20),
    ("石峰区", "Shifeng", 17),
    ("渌口区", "Lukou", 15),
)
XIANGTAN_DISTRICTS = (
    ("雨湖区", "Yuhu", 36),
    ("岳塘区", "Yuetang", 36),
    ("湘潭高新区", "Xiangtan Hi-tech Zone", 14),
    ("湘潭经开区", "Xiangtan Economic Development Zone", 14),
)
RUIFENG = "株洲瑞丰物业服务有限公司"  # 瑞丰物业, Xinguidu's property company (seed-facts §3)
XT_PROPERTY_COMPANIES = 150


@dataclass(frozen=True)
class NamedCompound:
    """A compound the seed documents name, with the facts they publish about it."""

    name: str
    district: str
    households: int
    residents: int
    completed_on: date
    party_org_on: date
    committee_on: date
    # (floors, units, elevators per unit) per building, numbered from 1
    buildings: tuple[tuple[int, int, int], ...]


# 山水文园: 31 buildings, 116 elevators; buildings 1–27 hold the 104 elevators insured in July 2022.
SHANSHUI = NamedCompound(
    "山水文园",
    "天元区",
    2_860,
    9_310,
    date(2014, 12, 18),
    date(2021, 9, 10),
    date(2016, 5, 20),
    ((24, 2, 2),) * 23 + ((11, 3, 1),) * 8,
)
XINGUIDU = NamedCompound(
    "新桂都",
    "荷塘区",
    1_572,
    5_216,
    date(2012, 6, 30),
    date(2021, 6, 1),
    date(2014, 3, 15),
    tuple((18 + (i * 5) % 9, 2, 2) for i in range(14)),
)
ZHONGTAI = NamedCompound(
    "中泰财富湘江",
    "天元区",
    2_380,
    7_640,
    date(2016, 8, 28),
    date(2021, 4, 16),
    date(2018, 9, 1),
    ((30, 2, 2),) * 12,
)
XIANGSHUIWAN = NamedCompound(
    "湘水湾",
    "芦淞区",
    1_380,
    4_520,
    date(2013, 10, 10),
    date(2021, 5, 12),
    date(2015, 11, 20),
    ((18, 2, 2),) * 10,
)
NAMED_ZHUZHOU = (SHANSHUI, XINGUIDU, ZHONGTAI, XIANGSHUIWAN)


def build(w: World) -> None:
    wr = w.writer
    wr.add("province", {"id": wr.next_id("province"), "code": "hunan", "name": "湖南省", "name_en": "Hunan"})
    specs = (
        ("zhuzhou", "株洲市", "Zhuzhou", "株洲", "ZZ", "4302", ZHUZHOU_RULE, ZHUZHOU_DISTRICTS),
        ("xiangtan", "湘潭市", "Xiangtan", "湘潭", "XT", "4303", XIANGTAN_RULE, XIANGTAN_DISTRICTS),
    )
    for code, name, name_en, short, prefix, reg, rule, districts in specs:
        city = CityRec(wr.next_id("city"), code, name, short, prefix, reg, rule)
        wr.add("city", {"id": city.id, "province_id": 1, "code": code, "name": name, "name_en": name_en})
        for dname, den, _weight in districts:
            d = DistrictRec(wr.next_id("district"), dname)
            city.districts.append(d)
            wr.add("district", {"id": d.id, "city_id": city.id, "name": dname, "name_en": den})
        w.cities.append(city)

    insurer_ids = []
    for iname in names.INSURERS:
        insurer_ids.append(wr.next_id("insurer"))
        wr.add("insurer", {"id": insurer_ids[-1], "name": iname})
    maint_ids = []
    for mname in names.MAINTENANCE_COMPANIES:
        maint_ids.append(wr.next_id("maintenance_company"))
        wr.add("maintenance_company", {"id": maint_ids[-1], "name": mname})
    w.zhuzhou.insurer_ids = [insurer_ids[i] for i in names.ZHUZHOU_INSURERS]
    w.xiangtan.insurer_ids = [insurer_ids[i] for i in names.XIANGTAN_INSURERS]
    w.zhuzhou.maintainer_ids = [maint_ids[i] for i in names.ZHUZHOU_MAINTAINERS]
    w.xiangtan.maintainer_ids = [maint_ids[i] for i in names.XIANGTAN_MAINTAINERS]

    _companies(w, w.zhuzhou, ZZ_PROPERTY_COMPANIES)
    _companies(w, w.xiangtan, XT_PROPERTY_COMPANIES)
    _compounds(w, w.zhuzhou, ZHUZHOU_DISTRICTS, w.scale.zz_compounds, w.scale.zz_buildings)
    _compounds(w, w.xiangtan, XIANGTAN_DISTRICTS, w.scale.xt_compounds, w.scale.xt_buildings)
    wr.flush()


def _companies(w: World, city: CityRec, count: int) -> None:
    """Registered property companies; in Zhuzhou exactly 425 had a Party organisation by August 2022."""
    rng, today = w.rng, w.today
    seen = {RUIFENG}
    pool = [RUIFENG] if city.code == "zhuzhou" else []
    while len(pool) < count:
        name = names.company_name(rng, city.short)
        if name not in seen:
            seen.add(name)
            pool.append(name)
    if city.code == "zhuzhou":
        early = ZZ_PARTY_COMPANIES_2022
        late = 36
        party_dates: list[date | None] = [date(2021, 3, 18)]
        party_dates += [rand_date(rng, date(2021, 1, 5), ARTICLE_CUTOFF) for _ in range(early - 1)]
    else:
        early, late = 8, 40
        party_dates = [rand_date(rng, date(2021, 6, 1), date(2022, 11, 30)) for _ in range(early)]
    party_dates += [rand_date(rng, date(2023, 2, 1), today - timedelta(days=10)) for _ in range(late)]
    party_dates += [None] * (count - len(party_dates))
    # Ruifeng keeps its fixed date; every other company draws its status at random.
    rest = party_dates[1:] if city.code == "zhuzhou" else party_dates
    rng.shuffle(rest)
    if city.code == "zhuzhou":
        party_dates = party_dates[:1] + rest
    for name, founded in zip(pool, party_dates, strict=True):
        cid = w.writer.next_id("property_company")
        city.companies.append(CompanyRec(cid, name, founded))
        w.writer.add(
            "property_company",
            {
                "id": cid,
                "city_id": city.id,
                "name": name,
                "registered_on": rand_date(rng, date(1998, 1, 1), date(2020, 12, 31)),
                "party_org_founded_on": founded,
            },
        )


def _compounds(
    w: World,
    city: CityRec,
    districts: tuple[tuple[str, str, int], ...],
    count: int,
    building_range: tuple[int, int],
) -> None:
    rng = w.rng
    by_name = {d.name: d for d in city.districts}
    district_pick = WeightedPicker(city.districts, [wt for _n, _e, wt in districts])
    company_pick = WeightedPicker(city.companies, [2.5 if c.party_org_on else 1.0 for c in city.companies])
    used: set[str] = set()
    registration = [0]

    if city.code == "zhuzhou":
        ruifeng = city.companies[0]
        party_companies = [c for c in city.companies if c.party_org_on and c.party_org_on < date(2021, 6, 1)]
        for spec in NAMED_ZHUZHOU:
            company: CompanyRec | None = ruifeng if spec is XINGUIDU else rng.choice(party_companies)
            comp = CompoundRec(
                w.writer.next_id("compound"),
                city,
                by_name[spec.district],
                spec.name,
                spec.households,
                spec.completed_on,
                company,
                True,
                spec.party_org_on,
                spec.committee_on,
                named=True,
            )
            used.add(spec.name)
            w.named[spec.name] = comp
            _write_compound(w, comp, spec.residents)
            _named_buildings(w, comp, spec, registration)
            city.compounds.append(comp)

    while len(city.compounds) < count:
        name = names.compound_name(rng)
        if name in used:
            continue
        used.add(name)
        # Few compounds are newer than 2021, so that enough existed for the 2022 station count.
        if rng.random() < 0.97:
            completed = rand_date(rng, date(1998, 1, 1), date(2021, 12, 31))
        else:
            completed = rand_date(rng, date(2022, 1, 1), date(2023, 12, 31))
        company = None if rng.random() < (0.15 if completed.year < 2003 else 0.04) else company_pick.pick(rng)
        committee = None
        if rng.random() < 0.62:
            start = max(completed + timedelta(days=400), date(2006, 1, 1))
            if start < date(2025, 6, 30):
                committee = rand_date(rng, start, date(2025, 6, 30))
        comp = CompoundRec(
            w.writer.next_id("compound"),
            city,
            district_pick.pick(rng),
            name,
            0,
            completed,
            company,
            rng.random() < 0.90,
            _party_org_date(w, city, completed),
            committee,
        )
        plans = _generic_plans(w, comp, building_range)
        # Households follow the buildings' capacity (so that funds sit where the elevators are).
        capacity = sum(floors * units * flats for floors, units, _p, flats in plans)
        comp.households = min(3_000, max(200, int(capacity * w.scale.households_factor * rng.uniform(0.75, 1.0))))
        _write_compound(w, comp, int(comp.households * rng.uniform(3.0, 3.5)))
        _add_buildings(w, comp, plans, registration, named=False)
        city.compounds.append(comp)


def _party_org_date(w: World, city: CityRec, completed: date) -> date | None:
    """Most Zhuzhou compounds set up a Party organisation in 2021–22; Xiangtan mostly from 2023."""
    rng, r = w.rng, w.rng.random()
    late_end = w.today - timedelta(days=30)
    if city.code == "zhuzhou":
        if r < 0.72:
            window = (date(2019, 7, 1), date(2020, 12, 31)) if rng.random() < 0.15 else None
            start, end = window or (date(2021, 1, 1), ARTICLE_CUTOFF)
        elif r < 0.86:
            start, end = date(2023, 1, 1), late_end
        else:
            return None
    elif r < 0.10:
        start, end = date(2021, 3, 1), date(2022, 12, 31)
    elif r < 0.66:
        start, end = date(2023, 1, 1), late_end
    else:
        return None
    start = max(start, completed + timedelta(days=120))
    if start > end:
        start, end = max(completed + timedelta(days=120), date(2023, 1, 1)), late_end
        if start > end:
            return None
    return rand_date(rng, start, end)


def _write_compound(w: World, c: CompoundRec, residents: int) -> None:
    w.writer.add(
        "compound",
        {
            "id": c.id,
            "district_id": c.district.id,
            "name": c.name,
            "households": c.households,
            "residents": residents,
            "completed_on": c.completed_on,
            "property_company_id": c.company.id if c.company else None,
            "owners_committee_formed_on": c.committee_on,
            "management_orderly": c.orderly,
            "party_org_founded_on": c.party_org_on,
        },
    )


def _named_buildings(w: World, c: CompoundRec, spec: NamedCompound, registration: list[int]) -> None:
    rng = w.rng
    plans = [(floors, units, per_unit, rng.randint(2, 4)) for floors, units, per_unit in spec.buildings]
    _add_buildings(w, c, plans, registration, named=True)


def _generic_plans(w: World, c: CompoundRec, building_range: tuple[int, int]) -> list[tuple[int, int, int, int]]:
    """(floors, units, elevators per unit, flats per floor) for each building of a compound."""
    rng, scale = w.rng, w.scale
    year = c.completed_on.year
    p_high = min(0.95, (0.12 if year < 2005 else 0.45 if year < 2012 else 0.8) * scale.highrise_factor)
    plans = []
    for _ in range(rng.randint(*building_range)):
        units = rng.randint(*scale.units)
        if rng.random() < p_high:
            band = rng.random()
            if band < 0.25:
                floors, per_unit = rng.randint(7, 11), 1
            elif band < 0.60:
                floors, per_unit = rng.randint(12, 18), 1 if rng.random() < 0.6 else 2
            else:
                floors = rng.randint(19, 33)
                r = rng.random()
                per_unit = 2 if r < 0.65 else 3 if r < 0.93 else 4
        else:
            floors, per_unit = 6, 0
        plans.append((floors, units, per_unit, rng.randint(2, 4)))
    return plans


def _split(total: int, weights: list[int]) -> list[int]:
    """Split an integer total proportionally and exactly, giving every part at least one."""
    whole = sum(weights)
    parts = [total * wt // whole for wt in weights]
    for i in range(total - sum(parts)):
        parts[i % len(parts)] += 1
    for i, part in enumerate(parts):
        if part == 0:
            largest = max(range(len(parts)), key=parts.__getitem__)
            parts[largest] -= 1
            parts[i] = 1
    return parts


def _add_buildings(
    w: World,
    c: CompoundRec,
    plans: list[tuple[int, int, int, int]],
    registration: list[int],
    named: bool,
) -> None:
    rng, wr, city = w.rng, w.writer, c.city
    capacity = [floors * units * flats for floors, units, _p, flats in plans]
    households = _split(c.households, capacity)
    maintainer = rng.choice(city.maintainer_ids)
    old = c.completed_on.year < 2010
    for number, ((floors, units, per_unit, _flats), hh) in enumerate(zip(plans, households, strict=True), 1):
        b = BuildingRec(wr.next_id("building"), c, str(number), floors, hh)
        wr.add("building", {"id": b.id, "compound_id": c.id, "number": b.number, "floors": floors})
        for unit_no, unit_hh in enumerate(_split(hh, [1] * units), 1):
            u = UnitRec(wr.next_id("unit"), b, str(unit_no), unit_hh)
            b.units.append(u)
            wr.add("unit", {"id": u.id, "building_id": b.id, "number": u.number, "households": unit_hh})
            for _ in range(per_unit if floors >= 7 else 0):
                e = _elevator(w, b, u, maintainer, registration, named)
                u.elevators.append(e)
                b.elevators.append(e)
        if b.elevators and not named:
            b.poor = rng.random() < (0.28 if old else 0.19)
        c.buildings.append(b)


def _elevator(
    w: World, b: BuildingRec, u: UnitRec, maintainer: int, registration: list[int], named: bool
) -> ElevatorRec:
    rng = w.rng
    city = b.compound.city
    registration[0] += rng.randint(1, 40)
    in_service = b.compound.completed_on + timedelta(days=rng.randint(-150, 90))
    if named and b.compound.name == SHANSHUI.name:
        in_service = rand_date(rng, date(2014, 10, 1), date(2015, 9, 30))  # ≈7 years old in 2022
    in_service = min(in_service, w.today - timedelta(days=30))
    normal = named or rng.random() < 0.93
    insurer_ok = named or rng.random() < 0.95
    e = ElevatorRec(w.writer.next_id("elevator"), b, u, in_service, normal, insurer_ok)
    w.writer.add(
        "elevator",
        {
            "id": e.id,
            "registration_code": f"{city.reg_prefix}{registration[0]:09d}",
            "building_id": b.id,
            "unit_id": u.id,
            "in_service_on": in_service,
            "maintenance_company_id": maintainer,
            "maintenance_normal": normal,
            "insurer_conditions_met": insurer_ok,
        },
    )
    return e
