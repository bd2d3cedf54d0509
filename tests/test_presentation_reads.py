"""The deck's shared reads (issue 18), on a small hand-made world, on SQLite and PostgreSQL.

    city A: two programme rules (2021-01-01 with targets due 2024-12-31 and 2022-06-30; 2025-01-01 with none),
            inserted newest first so that the order comes from the query, not the insertion
    city B: one rule (2023-03-01, one target)
    city C: no rule

`elevators.rules_by_city` must give each city exactly `indicators.city_rules` (same rules, same order, targets by
due date), and `red_property.red_figures` with the headline's summary handed in must equal the one that reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from data_access.core.models import City, CoverageTarget, District, ProgrammeRule, Province
from data_access.core.scope import Area
from data_access.elevators import rules_by_city
from data_access.indicators import city_rules, red_property_summary
from data_access.red_property import red_figures


@dataclass
class RWorld:
    a: City
    b: City
    c: City
    d: District


def _rule(city: City, title: str, start: date, *due: tuple[date, str]) -> ProgrammeRule:
    rule = ProgrammeRule(
        city_id=city.id, title=title, effective_from=start, warranty_years=5, notice_days=7,
        min_applicant_owners=3, min_premium_years=1, cover_per_elevator_fen=8_000_000, annual_premium_fen=100_000,
    )  # fmt: skip
    rule.targets = [CoverageTarget(due_on=d, share=Decimal(s)) for d, s in due]
    return rule


def build(s: Session) -> RWorld:
    p = Province(code="rp", name="规则测试省", name_en="Rules Test")
    a = City(province=p, code="ra", name="规则甲市", name_en="RA City")
    b = City(province=p, code="rb", name="规则乙市", name_en="RB City")
    c = City(province=p, code="rc", name="规则丙市", name_en="RC City")
    d = District(city=a, name="规则甲一区", name_en="RA1")
    s.add_all([p, a, b, c, d])
    s.flush()
    s.add_all(
        [
            _rule(a, "A 2025", date(2025, 1, 1)),
            _rule(a, "A 2021", date(2021, 1, 1), (date(2024, 12, 31), "0.8"), (date(2022, 6, 30), "0.5")),
            _rule(b, "B 2023", date(2023, 3, 1), (date(2025, 6, 30), "0.6")),
        ]
    )
    s.flush()
    s.expire_all()  # read back from the database, not the objects made here
    return RWorld(a, b, c, d)


def _shape(rules: list[ProgrammeRule]) -> list[tuple[str, date, list[tuple[date, Decimal]]]]:
    return [(r.title, r.effective_from, [(t.due_on, Decimal(t.share)) for t in r.targets]) for r in rules]


def test_rules_by_city_is_city_rules_of_each_city(session: Session) -> None:
    w = build(session)
    ids = [w.a.id, w.b.id, w.c.id]
    got = rules_by_city(session, ids)
    assert list(got) == ids
    for cid in ids:
        assert _shape(got[cid]) == _shape(city_rules(session, cid))
    assert [r.title for r in got[w.a.id]] == ["A 2021", "A 2025"]
    assert _shape(got[w.a.id])[0][2] == [(date(2022, 6, 30), Decimal("0.5")), (date(2024, 12, 31), Decimal("0.8"))]
    assert got[w.c.id] == []
    assert rules_by_city(session, [w.b.id]) == {w.b.id: got[w.b.id]}
    assert rules_by_city(session, []) == {}


@pytest.mark.parametrize("day", [date(2024, 12, 31), date(2025, 6, 30)])
def test_red_figures_with_the_summary_handed_in(session: Session, day: date) -> None:
    w = build(session)
    for area in (Area(city_id=w.a.id), Area(city_id=w.a.id, district_id=w.d.id), Area()):
        summary = red_property_summary(session, area, day)
        assert red_figures(session, area, day, summary) == red_figures(session, area, day)
    with pytest.raises(ValueError):
        red_figures(
            session, Area(city_id=w.a.id), day, red_property_summary(session, Area(city_id=w.a.id), date(2020, 1, 1))
        )
