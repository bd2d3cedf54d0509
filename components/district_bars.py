"""Districts as horizontal bars: the geometry the by-district charts share (/elevators' faults per 100 elevators,
/red-property's service-station coverage).

Why horizontal: a district's name is the long label of these charts ("Xiangtan Economic Development Zone", nine of
them province-wide). Under vertical bars the names stood side by side and ran into each other at a phone's 390 px,
wrapped or not; on the y axis each name has a row of its own at any width (automargin gives the axis the room its
longest name needs), and the chart grows by rows instead.
"""

from __future__ import annotations

from typing import Any

from components.plots import wrap_label

ROW_PX = 16  # a row's room besides its label's lines: the bar's padding
LINE_PX = 15  # one line of a tick label at the charts' 12 px font
NAME_CHARS = 18  # an English name's line: "Xiangtan Economic" beside a bar still 2/3 of a 390 px screen
FRAME_PX = 110  # the legend above and the value axis with its title below


def height(labels: list[str], least: int = 260) -> int:
    """The chart's height for these (possibly <br>-wrapped) names: each row tall enough for its longest name."""
    lines = max((label.count("<br>") + 1 for label in labels), default=1)
    return max(least, FRAME_PX + len(labels) * (ROW_PX + LINE_PX * lines))


def labels(names: list[str], lang: str) -> list[str]:
    """English names over two lines at most at a phone's width ("Xiangtan Economic<br>Development Zone"); the
    Chinese ones are short and stay on one."""
    return [wrap_label(name, lang, NAME_CHARS) for name in names]


def layout(names: list[str], value_title: str, name_title: str, **xaxis: Any) -> dict[str, Any]:
    """The chart's layout: one row per name (the first at the top) under `name_title`, the value axis along the
    bottom with its title, the legend (the reference line's name) above the plot whatever the chart's height."""
    return {
        "height": height(names),
        "margin": {"l": 8, "r": 24, "t": 16, "b": 48},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"},
        "xaxis": {"title": {"text": value_title}, "gridcolor": "#eceff3", "rangemode": "tozero", **xaxis},
        "yaxis": {
            "title": {"text": name_title},
            "type": "category",
            "autorange": "reversed",
            "automargin": True,
            "ticksuffix": " ",
        },
    }


def across(line: dict[str, Any], *, behind: bool = False) -> dict[str, Any]:
    """A reference line (plots.reference_line, drawn across the plot at a y value) turned upright: at the same
    value of the x axis, from the bottom of the plot to its top, for bars that lie along x. `behind`: under the
    bars, where labels written on the bars would otherwise be crossed by it (it shows between the bars)."""
    value = line["y0"]
    upright = {**line, "xref": "x", "x0": value, "x1": value, "yref": "paper", "y0": 0, "y1": 1}
    return {**upright, "layer": "below"} if behind else upright
