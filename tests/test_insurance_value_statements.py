"""/insurance-value reads each figure once (issue 18), and the shared reads give the figures' own answers.

The page's assembler used to compute the loss ratios and the rescue figures twice (once for the headline, once for
the page) and to read the year's claims three times (loss ratios, insured repair cost, major repairs). Now the
premiums and claims per insurer and district are read once (`year_cells`) and every figure adds them up. On the
hand-made world of tests/figures_world.py (answers worked by hand in tests/test_insurance_figures.py), on SQLite and
PostgreSQL and both readers, for the province, each city and district and the years around the world's: the
figures built from the shared cells equal the stand-alone figure functions, and a render repeats no statement.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from data_access.core.models import City, District
from data_access.core.scope import Area
from data_access.insurance_figures import (
    LossRow,
    insurance_summary,
    loss_ratios,
    loss_ratios_of,
    loss_total,
    major_repairs,
    major_repairs_of,
    repair_cost,
    repair_cost_of,
    rescue,
    summary_of,
    year_cells,
)
from data_access.insurance_value import insurance_value_page
from tests.figures_world import TODAY, YEAR, build_figures_world

BOTH_READERS = True


def every_area(session: Session) -> list[Area]:
    out = [Area()]
    for city_id, district_id in session.execute(
        select(City.id, District.id).join(District, District.city_id == City.id)
    ):
        out += [Area(city_id=city_id), Area(city_id=city_id, district_id=district_id)]
    return out


@pytest.mark.parametrize("year", [YEAR - 1, YEAR, YEAR + 1])
def test_shared_cells_give_each_figure(session: Session, year: int) -> None:
    build_figures_world(session)
    session.flush()
    for area in every_area(session):
        cells = year_cells(session, area, year)
        loss = loss_ratios(session, area, year)
        assert loss_ratios_of(session, cells) == loss
        assert loss_total(cells) == loss.total
        assert repair_cost_of(session, area, year, cells.all_claims) == repair_cost(session, area, year)
        assert major_repairs_of(session, area, year, cells.claims) == major_repairs(session, area, year)
        summary = summary_of(session, area, year, TODAY, loss.total, rescue(session, area, year))
        assert summary == insurance_summary(session, area, year, TODAY)


def test_the_year_totals_by_hand(session: Session) -> None:
    """2025, province: premiums of P1r 230,000 + P5 250,000 + P3 240,000 + P4 200,000 = 920,000 fen (4 policies);
    claims K1 50,000 + K2 300,000 + K3 80,000 + K4 120,000 = 550,000 fen (4 claims), 550,000 / 920,000 = 0.597826;
    of them major repairs K2 and K4: 2 claims, 420,000 fen."""
    build_figures_world(session)
    session.flush()
    cells = year_cells(session, Area(), YEAR)
    assert loss_total(cells) == LossRow(None, "合计", "Total", None, 4, 920_000, 4, 550_000, Decimal("0.597826"))
    major = major_repairs_of(session, Area(), YEAR, cells.claims)
    assert (major.insurance_claims, major.insurance_fen) == (2, 420_000)


def test_a_render_repeats_no_statement(session: Session) -> None:
    build_figures_world(session)
    session.flush()
    seen: list[tuple[str, str]] = []

    def record(_c: object, _cur: object, statement: str, params: object, _ctx: object, _many: bool) -> None:
        seen.append((statement, repr(params)))

    conn = session.connection()
    event.listen(conn, "before_cursor_execute", record)
    try:
        insurance_value_page(session, Area(), YEAR, TODAY)
    finally:
        event.remove(conn, "before_cursor_execute", record)
    repeated = {s for s in seen if seen.count(s) > 1}
    assert not repeated, repeated
    assert date(YEAR, 12, 31) <= TODAY
