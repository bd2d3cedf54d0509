"""The deck asks only for what its slides show (issue 18), and shows exactly what the pages' assemblers computed.

Until issue 18 `deck()` called the indicator pages' whole assemblers (`overview`, `funds_page_data`,
`elevators_page_data`, `complaints_page_data`, `red_property_page_data`, `insurance_summary`) and kept a few fields
of each; it now calls, per slide, the functions those assemblers call for those fields. This test builds the deck
of the hand-made world of tests/world.py (figures worked by hand in tests/test_presentation_queries.py) for the
province, a city and a district and several years, on SQLite and PostgreSQL and on both readers, and checks every
slide's figures against the assemblers' own output: what the pages show and what the deck shows cannot differ.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from data_access.complaints import complaints_page_data
from data_access.core.scope import Area
from data_access.elevators import elevators_page_data
from data_access.funds import funds_page_data
from data_access.indicators import overview
from data_access.insurance_figures import insurance_summary, loss_ratios, repair_cost, rescue
from data_access.presentation import FIRST_YEAR, FUND_FIRST_YEAR, Deck, deck
from data_access.red_property import red_property_page_data
from tests.world import World, build_world

BOTH_READERS = True

TODAY = date(2026, 1, 10)


def areas(w: World) -> list[Area]:
    return [
        Area(),
        Area(city_id=w.city_a.id),
        Area(city_id=w.city_b.id),
        Area(city_id=w.city_a.id, district_id=w.a2.id),
    ]


def assert_same_as_the_pages(session: Session, d: Deck) -> None:
    area, year, as_of = d.area, d.year, d.as_of
    ov = overview(session, area, as_of)
    h = d.headline
    assert (h.fund, h.coverage, h.complaints, h.red_property) == (
        ov.fund,
        ov.coverage,
        ov.complaints,
        ov.red_property,
    )
    assert [head for _, head in h.cities] == [head for _, head in ov.cities]
    assert d.fund.current == ov.fund

    funds = funds_page_data(session, area, year, TODAY, FUND_FIRST_YEAR, include_compounds=False)
    assert d.fund.years == [y for y in funds.years if y.year <= year]

    elevators = elevators_page_data(session, area, year, TODAY, include_compounds=False)
    assert d.coverage.coverage == elevators.coverage
    assert d.coverage.programmes == elevators.programmes
    by_side = {r.insured: r for r in elevators.service}
    for side, row in ((True, d.service.insured), (False, d.service.uninsured)):
        if side in by_side:
            assert row == by_side[side]
        else:
            assert row.faults == 0

    complaints = complaints_page_data(session, area, year, TODAY, FIRST_YEAR, include_compounds=False)
    assert [d.complaints.insured, d.complaints.never_insured] == complaints.before_after
    assert d.complaints.elevator == complaints.elevator  # the province's: its cities' headlines summed

    red = red_property_page_data(session, area, year, TODAY, FIRST_YEAR, include_compounds=False)
    assert (d.red.current, d.red.previous, d.red.stages, d.red.quarters) == (
        red.current,
        red.previous,
        red.stages,
        red.quarters,
    )

    summary = insurance_summary(session, area, year, TODAY)
    total = loss_ratios(session, area, year).total
    assert d.fund.insurance == total
    assert (d.fund.insurance.premiums_fen, d.fund.insurance.claims_paid_fen, d.fund.insurance.loss_ratio) == (
        summary.premiums_fen,
        summary.claims_paid_fen,
        summary.loss_ratio,
    )
    assert d.rescue.rescue == rescue(session, area, year)
    assert d.rescue.repair == repair_cost(session, area, year)


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_every_slide_is_what_the_pages_compute(session: Session, year: int) -> None:
    w = build_world(session)
    for area in areas(w):
        assert_same_as_the_pages(session, deck(session, area, year, TODAY))


def test_the_deck_repeats_no_statement_of_its_slides(session: Session) -> None:
    """Each slide's statements run once: the premiums and claims of the year are read once for the fund slide's
    total and the repair costs, and the headline's complaint comparison is the complaints slide's."""
    w = build_world(session)
    seen: list[tuple[str, str]] = []

    def record(_c: object, _cur: object, statement: str, params: object, _ctx: object, _many: bool) -> None:
        seen.append((statement, repr(params)))

    conn = session.connection()
    event.listen(conn, "before_cursor_execute", record)
    try:
        deck(session, Area(city_id=w.city_a.id), 2024, TODAY)
    finally:
        event.remove(conn, "before_cursor_execute", record)
    claims = [s for s, _ in seen if "insurance_claim" in s and "GROUP BY" in s and "amount_fen" in s]
    assert len(claims) == 1, claims
