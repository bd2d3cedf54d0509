"""Charts are plain-dict figures (no plotly validation at render time), so plotly checks them here instead.

`go.Figure(fig)` validates on construction and raises on a misspelt property, which plotly.js would silently
ignore. It accepts magic-underscore keys such as `marker_color`, though, expanding them: so the figure must also
come back from plotly unchanged, which it does only if it is already written the way plotly.js reads it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
import pytest
from dash import dcc

from components import complaints, elevators, funds, overview, red_property
from components.plots import PLOTLY_TEMPLATE
from data_access.complaint_cohorts import CohortMonth
from data_access.complaint_counts import CategoryMonth, DistrictLabel, DistrictMonth
from data_access.elevator_coverage import CoveragePoint
from data_access.elevator_service import AgeBandRow, ServiceRow
from data_access.elevators import CityProgramme, DistrictFaultRow
from data_access.funds import DistrictFund, FundYear
from data_access.indicators import CoverageSummary, FundSummary, MonthlyCount, TargetJudgement
from data_access.red_property import (
    AgendaCount,
    DistrictStations,
    ProjectScore,
    QuarterCount,
    ResolveTimes,
    StageCount,
)

AS_OF = date(2026, 11, 23)
FIRST = date(2026, 1, 1)
LANGS = ("zh", "en")


def _figures(node: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every dcc.Graph in a component tree, as (id, figure)."""
    if isinstance(node, dcc.Graph):
        yield node.id, node.figure
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and hasattr(child, "to_plotly_json"):
            yield from _figures(child)


def _figure(card: Any) -> dict[str, Any]:
    (found,) = list(_figures(card))
    return found[1]


def _assert_valid(fig: dict[str, Any]) -> None:
    assert type(fig) is dict and set(fig) == {"data", "layout"}
    plain = json.dumps(fig)  # plain JSON data only: no plotly objects, Decimals or dates left for an encoder
    validated = go.Figure(fig).to_plotly_json()  # plotly's validation: raises on a property plotly.js does not know
    assert json.loads(json.dumps(validated)) == json.loads(plain)  # and nothing expanded, coerced or added


def _fund_year(year: int, used: int, rate: str | None) -> FundYear:
    summary = FundSummary(
        date(year, 12, 31) if year < AS_OF.year else AS_OF,
        900_000_000,
        800_000_000,
        used,
        Decimal(rate) if rate else None,
        40_000,
        90_000,
        10_000,
    )
    return FundYear(year, summary, 30_000)


FUND_YEARS = [_fund_year(2025, 3_000_000, "0.004"), _fund_year(2026, 5_000_000, None)]
FUND_DISTRICTS = [
    DistrictFund(11, "天元区", "Tianyuan", "株洲市", 500_000_000, 2_000_000, Decimal("0.004"), 20_000),
    DistrictFund(12, "荷塘区", "Hetang", "株洲市", 400_000_000, 0, None, 0),
]
COVERAGE = CoverageSummary(AS_OF, 100, 80, 60, 50, 45, 30, Decimal("0.6667"), 10, 12, 3, 20, 1)
TARGET = TargetJudgement(1, date(2026, 6, 30), Decimal("0.5"), Decimal("0.6"), "met")
PROGRAMMES = [
    CityProgramme(
        1,
        "zhuzhou",
        "株洲市",
        "Zhuzhou",
        date(2021, 1, 1),
        5,
        3,
        [CoveragePoint(date(2026, 1, 31), 20, 45, Decimal("0.4444")), CoveragePoint(AS_OF, 30, 45, Decimal("0.6667"))],
        [TARGET],
    ),
    CityProgramme(2, "xiangtan", "湘潭市", "Xiangtan", None, None, None, [], []),
]
SERVICE = [
    ServiceRow(
        True, 40, 38, Decimal("0.95"), Decimal("12.5"), 5, 5, Decimal("1"), 2, 100, Decimal("40"), 90, Decimal("0.9")
    ),
    ServiceRow(False, 60, 30, Decimal("0.5"), Decimal("45"), 8, 4, Decimal("0.5"), 6, 80, None, 40, None),
]
FAULT_DISTRICTS = [
    DistrictFaultRow(11, "天元区", "Tianyuan", "zhuzhou", 50, 20, Decimal("40.00")),
    DistrictFaultRow(21, "雨湖区", "Yuhu", "xiangtan", 0, 0, None),
]
AGE_BANDS = [AgeBandRow("0–5", 3, 30, Decimal("10.00")), AgeBandRow("15+", 0, 0, None)]
COMPLAINT_DISTRICTS = [
    DistrictLabel(11, "天元区", "Tianyuan", "zhuzhou"),
    DistrictLabel(12, "荷塘区", "Hetang", "zhuzhou"),
]
STATIONS = [
    DistrictStations(11, "天元区", "Tianyuan", "zhuzhou", 10, 7),
    DistrictStations(12, "荷塘区", "Hetang", "zhuzhou", 0, 0),
]

# (chart builder for a language, the trace types it draws)
CHARTS: dict[str, tuple[Callable[[str], Any], list[str]]] = {
    "funds.usage": (lambda lang: funds.usage_chart(FUND_YEARS, lang), ["bar", "scatter"]),
    "funds.interest": (lambda lang: funds.interest_chart(FUND_YEARS, lang), ["bar", "bar"]),
    "funds.district": (lambda lang: funds.district_chart(FUND_DISTRICTS, AS_OF, lang), ["bar", "scatter"]),
    "elevators.funnel": (lambda lang: elevators.funnel_chart(COVERAGE, lang), ["bar"]),
    "elevators.conditions": (lambda lang: elevators.conditions_chart(COVERAGE, PROGRAMMES, lang), ["bar"]),
    "elevators.coverage": (
        lambda lang: elevators.coverage_chart(PROGRAMMES, AS_OF, lang),
        ["scatter", "scatter", "scatter"],  # the line, the target's dashed line, the mark at its due date
    ),
    "elevators.service": (lambda lang: elevators.service_chart(SERVICE, FIRST, AS_OF, lang), ["bar", "bar"]),
    "elevators.district": (lambda lang: elevators.district_chart(FAULT_DISTRICTS, FIRST, AS_OF, lang), ["bar"]),
    "elevators.hours": (lambda lang: elevators.hours_chart([(8, 3), (18, 5)], FIRST, AS_OF, lang), ["bar"]),
    "elevators.age": (lambda lang: elevators.age_chart(AGE_BANDS, FIRST, AS_OF, lang), ["bar"]),
    "complaints.category": (
        lambda lang: complaints.category_chart(
            [CategoryMonth(2026, 1, "elevator", 4), CategoryMonth(2026, 2, "noise", 2)], FIRST, AS_OF, lang
        ),
        ["bar", "bar"],
    ),
    "complaints.district": (
        lambda lang: complaints.district_chart(
            [DistrictMonth(11, "天元区", 2026, 1, 3), DistrictMonth(12, "荷塘区", 2026, 3, 1)],
            COMPLAINT_DISTRICTS,
            FIRST,
            AS_OF,
            lang,
        ),
        ["bar", "bar"],
    ),
    "complaints.cohort": (
        lambda lang: complaints.cohort_chart(
            [
                CohortMonth(2026, 1, "insured_before", 4, 200, Decimal("2.00")),
                CohortMonth(2026, 2, "insured_after", 1, 200, Decimal("0.50")),
                CohortMonth(2026, 2, "never_insured", 0, 0, None),
            ],
            FIRST,
            date(2026, 10, 31),
            lang,
        ),
        ["scatter", "scatter", "scatter"],
    ),
    "red_property.pipeline": (
        lambda lang: red_property.pipeline_chart(
            [StageCount("declared", 9), StageCount("building", 4), StageCount("accepted", 2)], AS_OF, lang
        ),
        ["bar"],
    ),
    "red_property.scores": (
        lambda lang: red_property.scores_chart(
            [
                ProjectScore(1, "一号小区", "天元区", "Tianyuan", "accepted", (20, 18, 17, 16, 19), 90),
                ProjectScore(2, "一号小区", "荷塘区", "Hetang", "inspected", (10, 12, 0, 8, 9), 39),
            ],
            AS_OF,
            lang,
        ),
        ["heatmap"],
    ),
    "red_property.district": (lambda lang: red_property.district_chart(STATIONS, AS_OF, lang), ["bar"]),
    "red_property.agenda": (
        lambda lang: red_property.agenda_chart(
            [AgendaCount("parking", "resolved", 3), AgendaCount("parking", None, 1), AgendaCount("noise?", None, 2)],
            AS_OF,
            lang,
        ),
        ["bar", "bar"],
    ),
    "red_property.resolve": (
        lambda lang: red_property.resolve_chart(
            ResolveTimes({0: 2, 40: 1}, [("same_day", 2), ("d1_30", 0), ("d31_90", 1), ("d91_180", 0), ("d181", 0)]),
            AS_OF,
            lang,
        ),
        ["bar"],
    ),
    "red_property.quarters": (
        lambda lang: red_property.quarter_chart(
            [QuarterCount(2025, 1, 2), QuarterCount(2025, 2, 3), QuarterCount(2026, 1, 1)], AS_OF, lang
        ),
        ["bar", "bar"],
    ),
    "overview.complaints": (
        lambda lang: overview.complaints_chart([MonthlyCount(2025, 1, 4), MonthlyCount(2026, 1, 3)], AS_OF, lang),
        ["bar", "bar"],
    ),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_is_a_valid_plain_figure(name: str, lang: str) -> None:
    build, trace_types = CHARTS[name]
    fig = _figure(build(lang))
    _assert_valid(fig)
    assert [trace["type"] for trace in fig["data"]] == trace_types
    # go.Figure() used to add plotly's default template; without it the charts would change colours and grids.
    assert fig["layout"]["template"] is PLOTLY_TEMPLATE
    for axis in ("xaxis", "yaxis"):
        assert fig["layout"][axis]["title"]["text"], (name, axis)


def test_axis_titles_follow_the_language() -> None:
    zh = _figure(elevators.district_chart(FAULT_DISTRICTS, FIRST, AS_OF, "zh"))
    en = _figure(elevators.district_chart(FAULT_DISTRICTS, FIRST, AS_OF, "en"))
    # districts lie along the y axis (components/district_bars.py: long names never overlap)
    assert zh["layout"]["yaxis"]["title"]["text"] == "区县" and zh["data"][0]["y"] == ["天元区", "雨湖区"]
    assert en["layout"]["yaxis"]["title"]["text"] == "District" and en["data"][0]["y"] == ["Tianyuan", "Yuhu"]
    usage = _figure(funds.usage_chart(FUND_YEARS, "en"))
    assert usage["layout"]["yaxis2"]["overlaying"] == "y" and usage["data"][1]["yaxis"] == "y2"
    assert usage["layout"]["yaxis2"]["title"]["text"] == usage["data"][1]["name"]


@pytest.mark.parametrize("lang", LANGS)
def test_district_charts_carry_what_a_click_filters_by(lang: str) -> None:
    """The pages' click callbacks read the district (and city) from the clicked point's customdata."""
    fund = _figure(funds.district_chart(FUND_DISTRICTS, AS_OF, lang))
    assert [trace["customdata"] for trace in fund["data"]] == [[11, 12], [11, 12]]
    fault = _figure(elevators.district_chart(FAULT_DISTRICTS, FIRST, AS_OF, lang))
    assert [row[:2] for row in fault["data"][0]["customdata"]] == [[11, "zhuzhou"], [21, "xiangtan"]]
    months = len(complaints.months_between(FIRST, AS_OF))
    orders = _figure(
        complaints.district_chart([DistrictMonth(11, "天元区", 2026, 1, 3)], COMPLAINT_DISTRICTS, FIRST, AS_OF, lang)
    )
    assert [trace["customdata"] for trace in orders["data"]] == [[[11, "zhuzhou"]] * months, [[12, "zhuzhou"]] * months]
    stations = _figure(red_property.district_chart(STATIONS, AS_OF, lang))
    assert stations["data"][0]["customdata"] == [[11, "zhuzhou"], [12, "zhuzhou"]]
    for fig in (fund, fault, orders, stations):
        assert fig["layout"]["clickmode"] == "event"


def test_empty_data_still_gives_valid_figures_or_a_note() -> None:
    for card in (
        funds.district_chart([], AS_OF, "zh"),
        elevators.coverage_chart([], AS_OF, "en"),
        elevators.district_chart([], FIRST, AS_OF, "zh"),
        elevators.hours_chart([], FIRST, AS_OF, "en"),
        complaints.category_chart([], FIRST, AS_OF, "zh"),
        complaints.district_chart([], [], FIRST, AS_OF, "en"),
        complaints.cohort_chart([], FIRST, date(2026, 10, 31), "zh"),
        red_property.district_chart([], AS_OF, "en"),
        red_property.agenda_chart([], AS_OF, "zh"),
        red_property.quarter_chart([], AS_OF, "en"),
        overview.complaints_chart([], AS_OF, "zh"),
    ):
        _assert_valid(_figure(card))
    # With nothing to draw, these two show a note instead of an empty chart.
    assert not list(_figures(complaints.cohort_chart([], FIRST, None, "zh")))
    assert not list(_figures(red_property.scores_chart([], AS_OF, "en")))


def test_figures_share_the_template_without_changing_it() -> None:
    """The template is one shared dict: building charts must never write into it, nor may it drift from plotly's."""
    before = json.dumps(PLOTLY_TEMPLATE, sort_keys=True)
    for build, _ in CHARTS.values():
        for lang in LANGS:
            build(lang)
    assert json.dumps(PLOTLY_TEMPLATE, sort_keys=True) == before
    # The lean template keeps plotly's own entries for what the charts draw (layout, bar, scatter, heatmap) unchanged.
    plotly_default = go.Figure().to_plotly_json()["layout"]["template"]
    assert PLOTLY_TEMPLATE["layout"].items() <= plotly_default["layout"].items()
    for kind, entries in PLOTLY_TEMPLATE["data"].items():
        assert entries == plotly_default["data"][kind]
