"""The /complaints page's own queries, on the hand-made world of tests/test_complaint_queries.py, both backends.

Answers are computed by hand from that module's table of work orders W1–W15 (local times, Asia/Shanghai).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from data_access.complaint_counts import district_labels
from data_access.complaints import chart_window, complaints_page_data
from data_access.core.scope import Area
from data_access.facts import facts
from data_access.indicators import elevator_complaints
from tests.test_complaint_queries import H1, build

BOTH_READERS = True  # every test runs on the raw tables and on the rollups (tests/rollup_modes.py)


def _rows(rows):  # type: ignore[no-untyped-def]
    return [
        (r.compound, r.elevator_orders, r.elevator_orders_last_year, r.orders, r.insured_since, r.mean_days_to_close)
        for r in rows
    ]


def test_compound_table_first_half_of_2024(session: Session) -> None:
    """As of 30 June 2024 (same period last year: 1 Jan–30 Jun 2023).

    C1: elevator W1–W5 = 5 (W1 at 00:10 on 1 January is 2024 locally); last year W10 (10 June 2023) = 1;
        all W1–W5 + W13 = 6; insured since 15 March; closed W1 2.5 + W2 1 + W5 0.5 = 4 days / 3 = 1.33.
    C2: elevator W6, W7 = 2; all + W11, W14 = 4; closed W7 4 + W11 3 + W14 0.5 (closed in July) = 7.5 / 3 = 2.50.
    C3: elevator W8 = 1 (W9 is December 2023); all + W12 = 2; closed W12 0.25. W15 has no compound.
    """
    w = build(session)
    rows = facts(session).compound_work_orders.compound_table(Area(city_id=w.x.id), H1[1])
    assert _rows(rows) == [
        ("一号", 5, 1, 6, date(2024, 3, 15), Decimal("1.33")),
        ("二号", 2, 0, 4, None, Decimal("2.50")),
        ("三号", 1, 0, 2, None, Decimal("0.25")),
    ]
    assert [(r.district, r.district_en) for r in rows] == [("甲一区", "D1"), ("甲一区", "D1"), ("甲二区", "D2")]


def test_compound_table_whole_year_catches_the_last_minutes_of_the_previous_year(session: Session) -> None:
    """As of 31 Dec 2024 the same period last year is all of 2023: C3's W9 (23:50 on 31 Dec 2023) counts, once."""
    build(session)
    rows = facts(session).compound_work_orders.compound_table(Area(), date(2024, 12, 31))
    assert _rows(rows) == [
        ("一号", 5, 1, 6, date(2024, 3, 15), Decimal("1.33")),
        ("二号", 2, 0, 4, None, Decimal("2.50")),
        ("三号", 1, 1, 2, None, Decimal("0.25")),
    ]


def test_compound_table_before_the_first_policy_and_by_district(session: Session) -> None:
    """As of 14 March 2024 C1 is not insured yet. C1: W1–W4 = 4, all + W13 = 5, closed W1, W2 → 1.75;
    C2: W6 = 1, all + W11 = 2, closed W11 → 3.00; C3: no elevator order, W12 → 0.25 (still listed)."""
    w = build(session)
    rows = facts(session).compound_work_orders.compound_table(Area(city_id=w.x.id), date(2024, 3, 14))
    assert _rows(rows) == [
        ("一号", 4, 0, 5, None, Decimal("1.75")),
        ("二号", 1, 0, 2, None, Decimal("3.00")),
        ("三号", 0, 0, 1, None, Decimal("0.25")),
    ]
    d2 = facts(session).compound_work_orders.compound_table(Area(city_id=w.x.id, district_id=w.d2.id), H1[1])
    assert _rows(d2) == [("三号", 1, 0, 2, None, Decimal("0.25"))]
    assert facts(session).compound_work_orders.compound_table(Area(city_id=w.y.id), H1[1]) == []
    # A compound without any order in either period is listed with zeros and no mean.
    assert _rows(facts(session).compound_work_orders.compound_table(Area(district_id=w.d2.id), date(2022, 6, 30))) == [
        ("三号", 0, 0, 0, None, None)
    ]


def test_period_totals(session: Session) -> None:
    """City X, H1 2024: W1–W8 (elevator) + W11–W14 = 12 orders; closed W1, W2, W5, W7, W11, W12, W14 = 7 with
    2.5 + 1 + 0.5 + 4 + 3 + 0.25 + 0.5 = 11.75 days → 1.68; elevator 8 / 4 = 2.00; rated W1 5, W2 4, W5 2, W7 3,
    W11 3, W12 4: 3 of 6 scored 4–5, elevator 2 of 4.

    District D1: W1–W7 + W11, W13, W14 = 10; closed 6 (no W12) = 11.5 / 6 → 1.92; rated 5, two 4–5 → 0.4.
    """
    w = build(session)
    x = facts(session).work_orders.period_totals(Area(city_id=w.x.id), *H1)
    assert (x.orders, x.elevator_orders, x.closed, x.rated, x.elevator_rated) == (12, 8, 7, 6, 4)
    assert (x.mean_days_to_close, x.elevator_mean_days_to_close) == (Decimal("1.68"), Decimal("2.00"))
    assert (x.share_satisfied, x.elevator_share_satisfied) == (Decimal("0.5"), Decimal("0.5"))
    d1 = facts(session).work_orders.period_totals(Area(city_id=w.x.id, district_id=w.d1.id), *H1)
    assert (d1.orders, d1.elevator_orders, d1.closed, d1.rated) == (10, 7, 6, 5)
    assert (d1.mean_days_to_close, d1.elevator_mean_days_to_close) == (Decimal("1.92"), Decimal("2.00"))
    assert (d1.share_satisfied, d1.elevator_share_satisfied) == (Decimal("0.4"), Decimal("0.5"))
    province = facts(session).work_orders.period_totals(Area(), *H1)
    assert (province.orders, province.elevator_orders) == (13, 9)  # + W15 in city Y
    jan1 = facts(session).work_orders.period_totals(Area(city_id=w.x.id), date(2024, 1, 1), date(2024, 1, 1))
    assert (jan1.orders, jan1.closed, jan1.mean_days_to_close) == (1, 1, Decimal("2.50"))  # W1 only
    empty = facts(session).work_orders.period_totals(Area(city_id=w.y.id), date(2022, 1, 1), date(2022, 12, 31))
    assert (empty.orders, empty.mean_days_to_close, empty.share_satisfied) == (0, None, None)


def test_period_totals_agree_with_the_per_category_queries(session: Session) -> None:
    w = build(session)
    for area in (Area(), Area(city_id=w.x.id), Area(city_id=w.x.id, district_id=w.d1.id)):
        totals = facts(session).work_orders.period_totals(area, *H1)
        close = facts(session).work_orders.time_to_close(area, *H1)
        sat = facts(session).work_orders.satisfaction(area, *H1)
        assert totals.orders == sum(r.orders for r in close) == sum(r.orders for r in sat)
        assert totals.closed == sum(r.closed for r in close)
        assert totals.rated == sum(r.rated for r in sat)
        elevator = next(r for r in close if r.category == "elevator")
        assert totals.elevator_mean_days_to_close == elevator.mean_days_to_close
        assert totals.elevator_orders == elevator_complaints(session, area, H1[1]).this_period


def test_district_labels(session: Session) -> None:
    w = build(session)
    assert [(d.name, d.name_en, d.city_code) for d in district_labels(session, Area(city_id=w.x.id))] == [
        ("甲一区", "D1", "x"),
        ("甲二区", "D2", "x"),
    ]
    assert [d.city_code for d in district_labels(session, Area())] == ["x", "x", "y"]
    assert [d.district_id for d in district_labels(session, Area(district_id=w.d2.id))] == [w.d2.id]


def test_chart_window() -> None:
    """24 months ending with as_of's month, never before the first year; the trend stops at a complete month."""
    assert chart_window(date(2026, 11, 23), 2021) == (date(2024, 12, 1), date(2026, 10, 31))
    assert chart_window(date(2021, 12, 31), 2021) == (date(2021, 1, 1), date(2021, 12, 31))
    assert chart_window(date(2024, 2, 29), 2019) == (date(2022, 3, 1), date(2024, 2, 29))
    assert chart_window(date(2021, 1, 15), 2021) == (date(2021, 1, 1), None)


def test_complaints_page_data(session: Session) -> None:
    """Today 15 July 2024: flows from 1 January to today, compared with 1 January–15 July 2023."""
    w = build(session)
    area = Area(city_id=w.x.id)
    data = complaints_page_data(session, area, 2024, date(2024, 7, 15), 2023)
    assert data.as_of == date(2024, 7, 15)
    assert (data.chart_first, data.trend_last) == (date(2023, 1, 1), date(2024, 6, 30))
    assert data.elevator is not None and (data.elevator.this_period, data.elevator.last_period) == (8, 1)  # W10
    assert data.totals is not None and data.totals.orders == 12
    assert data.previous is not None
    assert (data.previous.first, data.previous.last) == (date(2023, 1, 1), date(2023, 7, 15))
    assert data.previous.orders == 1
    # The monthly charts reach back into 2023 (W10 in June, W9 on 31 December).
    assert [(r.year, r.month) for r in data.by_category if r.year == 2023] == [(2023, 6), (2023, 12)]
    assert sum(r.count for r in data.by_district) == 10
    assert (data.trend[0].year, data.trend[0].month) == (2023, 1)
    assert (data.trend[-1].year, data.trend[-1].month) == (2024, 6)
    insured, never = data.before_after
    assert insured.compounds == 0  # C1's twelve months after insuring are not over yet
    assert never.compounds == 2
    assert [r.category for r in data.close][0] == "elevator"
    assert data.compounds == facts(session).compound_work_orders.compound_table(area, data.as_of)

    past = complaints_page_data(session, area, 2023, date(2024, 7, 15), 2023)
    assert past.as_of == date(2023, 12, 31)
    assert past.elevator is not None and (past.elevator.this_period, past.elevator.change) == (2, None)  # W9, W10

    export = complaints_page_data(session, area, 2024, date(2024, 7, 15), 2023, compounds_only=True)
    assert export.compounds == data.compounds
    assert export.totals is None and export.by_category == [] and export.trend == []


def test_page_components_render_in_both_languages(session: Session) -> None:
    """The components take the bundle as it is; every string they need exists in both languages."""
    from components.complaints import (
        category_chart,
        cohort_chart,
        complaint_cards,
        district_chart,
        handling_table,
    )

    w = build(session)
    data = complaints_page_data(session, Area(city_id=w.x.id), 2024, date(2024, 7, 15), 2023)
    for lang in ("zh", "en"):
        cards = complaint_cards(data, 2023, lang)
        text = str(cards)
        assert "complaints-card-elevator-value" in text and "complaints-card-before-after" in text
        cohort_chart(data.trend, data.chart_first, data.trend_last, lang)
        category_chart(data.by_category, data.chart_first, data.as_of, lang)
        handling_table(data.close, data.satisfaction, data.as_of, lang)
        chart = district_chart(data.by_district, data.districts, data.chart_first, data.as_of, lang)
        graph = chart.children.children[1].children[0].children  # figure > role=img box > graph
        assert [tr["customdata"][0] for tr in graph.figure["data"]] == [[w.d1.id, "x"], [w.d2.id, "x"]]
        assert len(graph.figure["data"][0]["x"]) == 19  # January 2023 to July 2024
    assert "8 件" in str(complaint_cards(data, 2023, "zh"))


def test_compound_xlsx_holds_the_table_rows(session: Session) -> None:
    import io

    from openpyxl import load_workbook

    from components.complaints import compound_columns, compound_rows, compound_xlsx

    w = build(session)
    rows = facts(session).compound_work_orders.compound_table(Area(city_id=w.x.id), H1[1])
    sheet = load_workbook(io.BytesIO(compound_xlsx(rows, "zh"))).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == [c["headerName"] for c in compound_columns("zh")]
    grid = compound_rows(rows, "zh")
    assert [r[0] for r in values[1:]] == [g["compound"] for g in grid] == ["一号", "二号", "三号"]
    assert values[1][2:5] == (5, 1, 6) and values[1][5].date() == date(2024, 3, 15)
    assert values[2][5] == "—" and grid[1]["insured_since"] == "—"
    assert [float(r[6]) for r in values[1:]] == [1.33, 2.5, 0.25]
