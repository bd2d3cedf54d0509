"""The reference data a real deployment starts from: the province, its cities and districts, and each city's programme
rule — and nothing else (no companies, compounds, elevators, ledgers, work orders, councils or accounts).

Every import names a city by its code and a compound's district by name, and the insurance pages judge applications
by the city's rule, so these rows must exist before a bureau's first file; `seed-demo` used to be the only thing
that wrote them. They are the same places and published rules the demo uses (`data_access.demo.geography` and
`data_access.demo.config` hold them once): the demo's districts and rules are the real ones, only its compounds and
figures are invented. The data set is marked as not the demo (`dataset_info.demo = "false"`), so no page carries
the demo banner, and the (empty) pre-aggregated tables are built, so the pages read them from the first request.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from data_access.core.dataset import DEMO_KEY, decide_reader_again, renew_generation
from data_access.core.models import City, CoverageTarget, DatasetInfo, District, ProgrammeRule, Province
from data_access.demo.config import XIANGTAN_RULE, ZHUZHOU_RULE, RuleSpec
from data_access.demo.geography import XIANGTAN_DISTRICTS, ZHUZHOU_DISTRICTS
from data_access.rollup_refresh import refresh_rollups

PROVINCE = ("hunan", "湖南省", "Hunan")


@dataclass(frozen=True)
class CitySpec:
    code: str
    name: str
    name_en: str
    districts: tuple[tuple[str, str], ...]  # (name, English name)
    rule: RuleSpec


CITIES = (
    CitySpec("zhuzhou", "株洲市", "Zhuzhou", tuple((n, en) for n, en, _w in ZHUZHOU_DISTRICTS), ZHUZHOU_RULE),
    CitySpec("xiangtan", "湘潭市", "Xiangtan", tuple((n, en) for n, en, _w in XIANGTAN_DISTRICTS), XIANGTAN_RULE),
)


@dataclass(frozen=True)
class ReferenceReport:
    loaded: bool  # False: the database already held the province (nothing was written)
    cities: int
    districts: int
    rules: int


def load_reference(session: Session) -> ReferenceReport:
    """Write the province, cities, districts and programme rules into a migrated database that holds no place yet,
    in the caller's transaction (the caller commits). A database that already holds a city is left as it is: run
    twice, this writes once."""
    if session.scalar(select(func.count()).select_from(City)):
        return ReferenceReport(False, 0, 0, 0)
    code, name, name_en = PROVINCE
    province = Province(code=code, name=name, name_en=name_en)
    session.add(province)
    districts = 0
    for spec in CITIES:
        city = City(province=province, code=spec.code, name=spec.name, name_en=spec.name_en)
        session.add(city)
        for district_name, district_en in spec.districts:
            session.add(District(city=city, name=district_name, name_en=district_en))
            districts += 1
        session.flush()
        session.add(_rule(city.id, spec.rule))
    session.flush()
    session.execute(delete(DatasetInfo).where(DatasetInfo.key == DEMO_KEY))
    session.add(DatasetInfo(key=DEMO_KEY, value="false"))
    session.flush()
    renew_generation(session)
    refresh_rollups(session)  # empty, but built from this generation: the pages read them at once
    decide_reader_again(session)
    return ReferenceReport(True, len(CITIES), districts, len(CITIES))


def _rule(city_id: int, spec: RuleSpec) -> ProgrammeRule:
    return ProgrammeRule(
        city_id=city_id,
        title=spec.title,
        document_no=spec.document_no,
        effective_from=spec.effective_from,
        effective_to=spec.effective_to,
        warranty_years=spec.warranty_years,
        notice_days=spec.notice_days,
        min_applicant_owners=spec.min_applicant_owners,
        min_premium_years=spec.min_premium_years,
        cover_per_elevator_fen=spec.cover_per_elevator_fen,
        annual_premium_fen=spec.annual_premium_fen,
        vote_participation_num=spec.vote_participation_num,
        vote_participation_den=spec.vote_participation_den,
        vote_approval_num=spec.vote_approval_num,
        vote_approval_den=spec.vote_approval_den,
        targets=[CoverageTarget(due_on=due, share=share) for due, share in spec.targets],
    )


__all__ = ["CITIES", "PROVINCE", "CitySpec", "ReferenceReport", "load_reference"]
