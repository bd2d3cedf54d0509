"""Stage 7: red property — industry Party committees, service stations and demonstration projects.

Zhuzhou's published counts (16 committees, 1,163 compounds with a station, 10 accepted projects) are
reached exactly and dated no later than late August 2022, so they read the same at the end of 2022.
"""

from __future__ import annotations

from datetime import date, timedelta

from data_access.demo import names
from data_access.demo.config import (
    ARTICLE_CUTOFF,
    CAMPAIGN_LAUNCH,
    COUNCILS_START,
    LAST_ACCEPTANCE_2022,
    ZZ_ACCEPTED_PROJECTS_2022,
    ZZ_STATIONS_2022,
)
from data_access.demo.world import CityRec, CompoundRec, World, rand_date, year_fraction

ZZ_COMMITTEES = (
    ("株洲市物业服务行业党委", None),
    ("天元区物业服务行业党委", "天元区"),
    ("荷塘区物业服务行业党委", "荷塘区"),
    ("芦淞区物业服务行业党委", "芦淞区"),
    ("石峰区物业服务行业党委", "石峰区"),
    ("渌口区物业服务行业党委", "渌口区"),
    ("醴陵市物业服务行业党委", None),
    ("攸县物业服务行业党委", None),
    ("茶陵县物业服务行业党委", None),
    ("炎陵县物业服务行业党委", None),
    ("株洲云龙示范区物业服务行业党委", None),
    ("株洲高新区物业服务行业党委", "天元区"),
    ("天元区高层住宅小区物业联合党委", "天元区"),
    ("荷塘区老旧小区物业联合党委", "荷塘区"),
    ("芦淞区商圈片区物业联合党委", "芦淞区"),
    ("石峰区工业片区物业联合党委", "石峰区"),
)
XT_COMMITTEES = (
    ("湘潭市物业服务行业党委", None, date(2023, 5, 18)),
    ("雨湖区物业服务行业党委", "雨湖区", date(2023, 8, 22)),
    ("岳塘区物业服务行业党委", "岳塘区", date(2023, 9, 12)),
    ("湘潭高新区物业服务行业党委", "湘潭高新区", date(2024, 4, 26)),
)
ZZ_ACCEPTED_NAMED = ("新桂都", "中泰财富湘江", "湘水湾")


def build(w: World) -> None:
    _committees(w)
    _stations(w)
    _projects_zhuzhou(w)
    _projects_xiangtan(w)
    w.writer.flush()


def _committees(w: World) -> None:
    rng, wr = w.rng, w.writer
    for city, rows in ((w.zhuzhou, [(n, d, None) for n, d in ZZ_COMMITTEES]), (w.xiangtan, XT_COMMITTEES)):
        by_name = {d.name: d.id for d in city.districts}
        for i, (name, district, founded) in enumerate(rows):
            if founded is None:  # Zhuzhou: the city committee first (March 2022), the others by July
                founded = date(2022, 3, 16) if i == 0 else rand_date(rng, date(2022, 3, 20), date(2022, 7, 28))
            wr.add(
                "industry_party_committee",
                {
                    "id": wr.next_id("industry_party_committee"),
                    "city_id": city.id,
                    "district_id": by_name.get(district) if district else None,
                    "name": name,
                    "founded_on": founded,
                },
            )


def _stations(w: World) -> None:
    """Exactly 1,163 Zhuzhou compounds had a station by the article; more opened from 2023 on."""
    rng, today = w.rng, w.today
    zz = w.zhuzhou
    latest_open = ARTICLE_CUTOFF - timedelta(days=20)
    existing = [c for c in zz.compounds if c.completed_on <= latest_open]
    with_party = [c for c in existing if c.party_org_on and c.party_org_on <= ARTICLE_CUTOFF]
    named = [c for c in with_party if c.named]
    others = [c for c in with_party if not c.named]
    rng.shuffle(others)
    party_ids = {c.id for c in with_party}
    rest = [c for c in existing if c.id not in party_ids]
    rng.shuffle(rest)
    chosen = (named + others + rest)[:ZZ_STATIONS_2022]
    if len(chosen) < ZZ_STATIONS_2022:
        raise ValueError("scale too small: not enough Zhuzhou compounds for 1,163 service stations")
    for c in chosen:
        start = max(COUNCILS_START, c.completed_on + timedelta(days=20), c.party_org_on or COUNCILS_START)
        _station(w, c, rand_date(rng, min(start, ARTICLE_CUTOFF), ARTICLE_CUTOFF))
    chosen_ids = {c.id for c in chosen}
    for c in zz.compounds:
        if c.id not in chosen_ids and rng.random() < 0.55:
            start = max(date(2023, 1, 15), c.completed_on + timedelta(days=60))
            if start < today:
                _station(w, c, rand_date(rng, start, today - timedelta(days=1)))
    for c in w.xiangtan.compounds:
        if rng.random() < 0.45:
            start = max(date(2023, 3, 1), c.completed_on + timedelta(days=60), c.party_org_on or date(2023, 3, 1))
            if start < today:
                _station(w, c, rand_date(rng, start, today - timedelta(days=1)))


def _station(w: World, c: CompoundRec, opened: date) -> None:
    c.station_on = opened
    name = w.rng.choice(names.STATION_THEMES).format(c=c.name)
    w.writer.add(
        "service_station",
        {"id": w.writer.next_id("service_station"), "compound_id": c.id, "name": name, "opened_on": opened},
    )


def _project(w: World, c: CompoundRec, declared: date, status: str, accepted: date | None) -> None:
    rng = w.rng
    scores: list[int | None]
    if status == "accepted":
        scores = [rng.randint(16, 20) for _ in range(5)]
    elif status == "inspected":
        scores = [rng.randint(10, 19) for _ in range(5)]
    else:
        scores = [None] * 5
    keys = ("score_organisation", "score_team", "score_venue", "score_mechanism", "score_service")
    row = {
        "id": w.writer.next_id("demonstration_project"),
        "compound_id": c.id,
        "declared_on": declared,
        "status": status,
        "accepted_on": accepted,
        **dict(zip(keys, scores, strict=True)),
    }
    w.writer.add("demonstration_project", row)


def _later_status(w: World, declared: date) -> tuple[str, date | None]:
    """Status today of a project declared after the 2022 acceptance round."""
    rng, today = w.rng, w.today
    if declared + timedelta(days=240) <= today:
        r = rng.random()
        if r < 0.5:
            accepted = declared + timedelta(days=rng.randint(180, 300))
            if accepted < today:
                return "accepted", accepted
            return "inspected", None
        return ("inspected", None) if r < 0.7 else ("building", None) if r < 0.9 else ("declared", None)
    return ("building", None) if rng.random() < 0.5 else ("declared", None)


def _projects_zhuzhou(w: World) -> None:
    """April 2022 campaign: 10 accepted by 20 August 2022 (incl. 新桂都, 中泰财富湘江, 湘水湾)."""
    rng, today, scale = w.rng, w.today, w.scale
    zz = w.zhuzhou
    ready = [c for c in zz.compounds if c.station_on and c.party_org_on and c.party_org_on <= date(2022, 3, 31)]
    named = [w.named[n] for n in ZZ_ACCEPTED_NAMED if n in w.named]
    pool = [c for c in ready if not c.named]
    rng.shuffle(pool)
    accepted_2022 = named + pool[: ZZ_ACCEPTED_PROJECTS_2022 - len(named)]
    used = {c.id for c in accepted_2022}
    for c in accepted_2022:
        declared = rand_date(rng, CAMPAIGN_LAUNCH + timedelta(days=2), date(2022, 5, 20))
        _project(w, c, declared, "accepted", rand_date(rng, date(2022, 7, 12), LAST_ACCEPTANCE_2022))

    shanshui = w.named.get("山水文园")
    later_2022 = ([shanshui] if shanshui else []) + [c for c in pool if c.id not in used]
    for i, c in enumerate(later_2022[: scale.projects_2022 - ZZ_ACCEPTED_PROJECTS_2022]):
        used.add(c.id)
        declared = rand_date(rng, CAMPAIGN_LAUNCH + timedelta(days=2), date(2022, 12, 20))
        r = 0.0 if i == 0 and c is shanshui else rng.random()
        if r < 0.55:
            accepted = rand_date(rng, date(2023, 3, 1), date(2024, 6, 30))
            status, when = ("accepted", accepted) if accepted < today else ("inspected", None)
        else:
            status, when = ("inspected", None) if r < 0.7 else ("building", None) if r < 0.85 else ("declared", None)
        _project(w, c, declared, status, when)
    _later_projects(w, zz, used, scale.projects_per_year, 2023)


def _projects_xiangtan(w: World) -> None:
    per_year = max(3, len(w.xiangtan.compounds) // 100)
    _later_projects(w, w.xiangtan, set(), per_year, 2024)


def _later_projects(w: World, city: CityRec, used: set[int], per_year: int, first_year: int) -> None:
    rng, today = w.rng, w.today
    for year in range(first_year, today.year + 1):
        elapsed, days = year_fraction(year, today)
        last = min(date(year, 10, 31), today - timedelta(days=1))
        if last < date(year, 3, 1):
            continue
        pool = [c for c in city.compounds if c.id not in used and c.party_org_on and c.party_org_on < date(year, 1, 1)]
        rng.shuffle(pool)
        for c in pool[: per_year * elapsed // days]:
            used.add(c.id)
            declared = rand_date(rng, date(year, 3, 1), last)
            status, accepted = _later_status(w, declared)
            _project(w, c, declared, status, accepted)
