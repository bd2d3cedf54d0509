"""Every chart has a text alternative (issue 18): a one-sentence summary for plotly's drawing (role="img", set by
assets/a11y.js from the chart box's data-chart-summary) and its figures as a table, both carrying the figure's own
numbers; lines differ by more than colour; the palette stands at 3:1 against the white plot."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from dash import dcc, html

from components import complaints, overview, red_property
from components.plots import (
    CATEGORICAL,
    GOOD,
    GREY,
    INK,
    LIGHT_GREY,
    PRIMARY,
    PRIMARY_LIGHT,
    REFERENCE,
    chart_graph,
    chart_summary,
    distinct_lines,
)
from data_access.indicators import MonthlyCount

AS_OF = date(2026, 11, 23)


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str = "#ffffff") -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def parts(node: Any) -> tuple[dict[str, Any], list[list[str]], str]:
    """A chart_graph's box props, its table's rows as text (header first) and the table's summary line.

    The table travels as text on the closed details (data-chart-table: tab-separated cells, a line a row) and
    assets/chart-table.js makes the <table> when it is opened (tests/test_browser_chart_tables.py checks the
    browser's table holds exactly these cells)."""
    figure_box, details = node.children
    summary, body = details.children
    props = details.to_plotly_json()["props"]
    assert isinstance(summary, html.Summary) and isinstance(body, html.Div) and body.children is None  # built later
    assert "chart-data" in props["className"].split() and props["data-chart-caption"]
    rows = [line.split("\t") for line in props["data-chart-table"].split("\n")]
    return figure_box.to_plotly_json()["props"], rows, summary.children


BARS: list[dict[str, Any]] = [
    {"type": "bar", "x": ["2024", "2025", "2026<br>截至11月23日"], "y": [1200, 3456.5, 2100], "name": "使用额"},
    {"type": "bar", "x": ["2024", "2025"], "y": [800, None], "name": "上年"},
]
LAYOUT = {"yaxis": {"title": {"text": "使用额（万元）"}}}


def test_a_chart_is_a_figure_with_a_summary_and_a_table() -> None:
    node = chart_graph("x-chart", BARS, LAYOUT, "zh", title="维修资金使用", source="来源", as_of=AS_OF)
    assert isinstance(node, html.Figure) and node.to_plotly_json()["props"]["id"] == "x-chart-figure"
    box, rows, summary_line = parts(node)
    assert isinstance(box["children"], dcc.Graph) and box["children"].to_plotly_json()["props"]["id"] == "x-chart"
    summary = box["data-chart-summary"]
    assert summary.startswith("维修资金使用（柱状图，使用额（万元））")
    assert "从 1,200（2024）到 2,100（2026 截至11月23日），最高 3,456.5（2025）" in summary  # <br> read as a space
    assert "上年 从 800（2024）到 800（2024）" not in summary and "上年 800（2024）" in summary  # one figure: said once
    assert summary.endswith("。") and summary.count("。") == 1  # one sentence
    assert summary_line == "数据表"
    assert rows == [
        ["类别", "使用额（万元）", "上年（万元）"],  # the value axis' unit on each series
        ["2024", "1,200", "800"],
        ["2025", "3,456.5", "—"],
        ["2026 截至11月23日", "2,100", "—"],
    ]


def test_the_table_is_text_not_components() -> None:
    """Issue 18: a chart's table costs the answer one attribute, not a component per figure (a 24-month chart of ten
    series was ~270 components); its caption names the chart, and a cell can never break the encoding."""
    months = [f"month {m}" for m in range(1, 25)]
    many = [{"type": "bar", "x": months, "y": list(range(24)), "name": f"D{i}"} for i in range(10)]
    node = chart_graph("m", many, {}, "en", title="Orders\tby district", source="s", as_of=None)
    details = node.children[1]

    def count(component: Any) -> int:
        children = getattr(component, "children", None)
        kids = children if isinstance(children, list) else [children] if children is not None else []
        return 1 + sum(count(k) for k in kids if hasattr(k, "to_plotly_json"))

    assert count(details) == 3  # details, summary, the empty body
    props = details.to_plotly_json()["props"]
    assert props["data-chart-caption"] == "Orders\tby district: the chart's figures"
    text = props["data-chart-table"]
    assert text.count("\n") == 24 and all(line.count("\t") == 10 for line in text.split("\n"))
    weird = [{"type": "bar", "x": ["a\tb", "c\nd"], "y": [1, 2], "name": "x\ty"}]
    _box, rows, _line = parts(chart_graph("w", weird, {}, "en", title="t", source="s", as_of=None))
    assert rows == [["Category", "x y"], ["a b", "1"], ["c d", "2"]]


def test_shares_on_a_percent_axis_read_as_percentages() -> None:
    """A rate on a second axis whose ticks are percentages: 0.0097 is said and tabled as 0.97%, under the first
    axis' title for the categories."""
    data: list[dict[str, Any]] = [
        {"type": "bar", "x": [2024, 2025], "y": [660.67, 756.72], "name": "Used"},
        {"type": "scatter", "x": [2024, 2025], "y": [0.0097, 0.0121], "name": "Share used", "yaxis": "y2"},
    ]
    layout = {
        "xaxis": {"title": {"text": "Year"}},
        "yaxis": {"title": {"text": "Used (million yuan)"}},
        "yaxis2": {"title": {"text": "Share"}, "tickformat": ".1%", "overlaying": "y"},
    }
    summary = chart_summary("Fund use", data, layout, "en")
    assert "Share used from 0.97% (2024) to 1.21% (2025)" in summary
    _box, rows, _line = parts(chart_graph("f", data, layout, "en", title="Fund use", source="s", as_of=None))
    assert rows == [
        ["Year", "Used (million yuan)", "Share used"],
        ["2024", "660.67", "0.97%"],
        ["2025", "756.72", "1.21%"],
    ]


def test_the_summary_in_english_and_its_length() -> None:
    many = [{"type": "bar", "x": ["a", "b"], "y": [i, i + 1], "name": f"District {i}"} for i in range(6)]
    summary = chart_summary("Orders by district", many, {}, "en")
    assert summary.startswith("Orders by district (bar chart): District 0 from 0 (a) to 1 (b), highest 1 (b)")
    assert summary.endswith("; 3 more series in the data table.")  # the rest are in the table, not the sentence
    assert chart_summary("Empty", [], {}, "en") == "Empty (chart): no data."


def test_a_heat_map_reads_as_rows_by_columns() -> None:
    heat = [{"type": "heatmap", "x": ["A", "B"], "y": ["p", "q", "r"], "z": [[1, 2], [3, 4], [5, 20]]}]
    summary = chart_summary("Scores", heat, {}, "en")
    assert "heat map" in summary and "3 rows by 2 columns, values from 1 to 20" in summary
    _box, rows, _line = parts(chart_graph("h", heat, {}, "en", title="Scores", source="s", as_of=None))
    assert rows == [["Category", "A", "B"], ["p", "1", "2"], ["q", "3", "4"], ["r", "5", "20"]]


def test_a_real_chart_carries_its_figures() -> None:
    """The overview's complaints chart: months named as the axis names them (tickvals → ticktext), counts as drawn."""
    series = [MonthlyCount(2025, 1, 8), MonthlyCount(2025, 2, 9), MonthlyCount(2026, 1, 7), MonthlyCount(2026, 2, 12)]
    card = overview.complaints_chart(series, AS_OF, "en")
    figure_node = card.children.children[1]
    box, rows, _line = parts(figure_node)
    graph = box["children"]
    drawn = {tr["name"]: tr["y"] for tr in graph.figure["data"]}
    summary = box["data-chart-summary"]
    for name, values in drawn.items():
        numbers = [v for v in values if v]
        assert name in summary and f"highest {max(numbers)}" in summary
    header, *body = rows
    assert header[1:] == list(drawn)
    for i, name in enumerate(drawn, start=1):
        assert [row[i] for row in body][: len(drawn[name])] == [str(v) if v else "—" for v in drawn[name]]


def test_lines_differ_in_dash_and_marker_not_colour_alone() -> None:
    lines: list[dict[str, Any]] = [
        {"type": "scatter", "mode": "lines", "x": [1, 2], "y": [1, 2], "name": n} for n in "abc"
    ]
    lines[1]["line"] = {"dash": "dot"}  # a chart's own choice stays
    styled = distinct_lines(lines)
    assert len({tr["line"]["dash"] for tr in styled}) == 3 and styled[1]["line"]["dash"] == "dot"
    assert len({tr["marker"]["symbol"] for tr in styled}) == 3 and all("markers" in tr["mode"] for tr in styled)
    assert lines[0].get("marker") is None  # the caller's traces are not changed
    one = [{"type": "scatter", "mode": "lines", "x": [1], "y": [1]}]
    assert distinct_lines(one) is one  # a single line needs nothing


PAGE_PALETTES = [
    *complaints.CATEGORY_COLOURS.values(),
    *red_property.OUTCOME_COLOURS.values(),
    *red_property.STAGE_COLOURS.values(),
]


@pytest.mark.parametrize(
    "colour", sorted({PRIMARY, PRIMARY_LIGHT, INK, GREY, LIGHT_GREY, GOOD, REFERENCE, *CATEGORICAL, *PAGE_PALETTES})
)
def test_chart_colours_stand_at_three_to_one_on_white(colour: str) -> None:
    assert contrast(colour) >= 3.0, colour
