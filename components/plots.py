"""Shared plotly configuration and chart conventions, so every chart of the product behaves the same:

- the mode bar offers no Plotly Cloud / Chart Studio upload (plotly.js 4 shows "Share chart…" by default, which
  uploads the figure's data to cloud.plotly.com) and speaks the UI language (plotly's zh-CN locale, shipped with
  each graph so nothing is loaded from a CDN);
- the camera downloads a PNG that carries the chart's title, its source and as-of date and the demo mark, under a
  file name a journalist can keep (湘潭市-电梯保险覆盖率与目标-2026-11-23.png). The page shows title and source as
  HTML around the chart (they wrap on a phone; plotly's titles do not), so the figure carries them in
  `layout.meta.export` and assets/chart-export.js puts them into the downloaded image only;
- colours: red only for "bad" (below target, over a limit) and the brand; the series a chart is about in a calm
  blue, comparisons in greys; reference lines (averages, targets) dashed;
- periods still running (this month, this quarter, this year to date) are hatched and say so, so a reader never
  takes five days of December for a collapse;
- money on axes in 万元/亿元 (formatting.axis_money_unit) and plain numbers with separators: plotly's SI ticks
  wrote "10k" for 1亿 in 万元.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

import plotly.io as pio
from dash import dcc, html

from components.formatting import MoneyUnit, axis_money_unit, short_day
from components.i18n import t

# plotly.js' zh-CN locale (dates and the mode bar), passed with each graph. The keys are the English texts of the
# bundled plotly.js 4 (assets/01-plotly-cartesian-*.js: its `_(gd, "…")` calls); older spellings stay for an older
# bundle ("Download plot as a png" became "… PNG").
ZH_CN_LOCALE: dict[str, Any] = {
    "moduleType": "locale",
    "name": "zh-CN",
    "dictionary": {
        "Autoscale": "自动缩放",
        "Box Select": "矩形框选",
        "Lasso Select": "套索选择",
        "Click to enter Colorscale title": "点击输入色标标题",
        "Click to enter Component A title": "点击输入A分量标题",
        "Click to enter Component B title": "点击输入B分量标题",
        "Click to enter Component C title": "点击输入C分量标题",
        "Click to enter Plot title": "点击输入图表标题",
        "Click to enter Plot subtitle": "点击输入图表副标题",
        "Click to enter X axis title": "点击输入X轴标题",
        "Click to enter Y axis title": "点击输入Y轴标题",
        "Compare data on hover": "悬停时比较数据",
        "Double-click on legend to isolate one trace": "双击图例只显示该系列",
        "Double-click to zoom back out": "双击恢复缩放",
        "Download plot as a PNG": "下载图表（PNG 图片）",
        "Download plot as a png": "下载图表（PNG 图片）",
        "Download plot as JSON": "下载图表数据（JSON）",
        "Download plot": "下载图表",
        "Draw circle": "画圆",
        "Draw closed freeform": "画闭合曲线",
        "Draw line": "画线",
        "Draw open freeform": "画开放曲线",
        "Draw rectangle": "画矩形",
        "Erase active shape": "删除所选图形",
        "Image download succeeded": "图片已下载",
        "JSON download succeeded": "JSON 已下载",
        "Orbital rotation": "轨道旋转",
        "Pan": "平移",
        "Preparing image - this may take a few seconds": "正在生成图片，请稍候",
        "Reset": "重置",
        "Reset axes": "重置坐标轴",
        "Reset camera to default": "重置视角",
        "Reset camera to last save": "恢复上次保存的视角",
        "Reset view": "重置视图",
        "Reset views": "重置视图",
        "Show closest data on hover": "悬停时显示最近的数据",
        "Sorry, there was a problem downloading your image!": "抱歉，图片下载失败！",
        "Sorry, there was a problem downloading your JSON file!": "抱歉，JSON 文件下载失败！",
        "Toggle Spike Lines": "显示或隐藏辅助线",
        "Toggle show closest data on hover": "切换悬停显示最近数据",
        "Turntable rotation": "转台旋转",
        "Zoom": "缩放",
        "Zoom in": "放大",
        "Zoom out": "缩小",
    },
    "format": {
        "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
        "months": ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"],
        "shortMonths": ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
        "periods": ["上午", "下午"],
        "date": "%Y-%m-%d",
        "decimal": ".",
        "thousands": ",",
    },
}

# Every way plotly.js has had to send a figure to Plotly's servers: plotly.js 4's "Share chart…" (sendChartToCloud,
# shown unless showSendToCloud is false) and the older "Edit in Chart Studio" buttons.
CLOUD_BUTTONS = ("sendChartToCloud", "sendDataToCloud", "editInChartStudio")
# What the camera's tooltip says (plotly's own text, translated above): chart-export.js knows the camera by it.
CAMERA_TITLE = {"zh": ZH_CN_LOCALE["dictionary"]["Download plot as a PNG"], "en": "Download plot as a PNG"}
SCALE = 2  # the PNG at twice the screen's pixels: sharp in a slide or a newspaper's layout

# ------------------------------------------------------------------------------------------------ colours
# Every colour that draws data stands at 3:1 or more against the white plot (WCAG 1.4.11, non-text contrast; issue
# 18 measured eight below it): the "light" and "grey" roles are as light as that allows, no lighter.
BRAND_RED = "#b71c1c"  # the brand, and "bad": below target, past a limit, overdue
BAD = BRAND_RED
PRIMARY = "#2f5d8a"  # the series a chart is about
PRIMARY_LIGHT = "#5a85ad"  # 3.9:1
INK = "#37474f"  # a second series, totals
GREY = "#6b7785"  # what it is compared with: last year, a benchmark, the uninsured (4.6:1)
LIGHT_GREY = "#8a95a1"  # 3.05:1
GOOD = "#1b7f3b"  # a target met
REFERENCE = "#5f6b7a"  # average and reference lines
# Categories with no order (districts, cities, complaint kinds): distinct, calm, no red; each 3:1 or more on white.
CATEGORICAL = ("#2f5d8a", "#9a7a10", "#4f7f4e", "#7e6b8f", "#00796b", "#8d6e63", "#2b7fbf", "#738a96", "#9c6a9e")
# Lines of one chart also differ in dash and marker, so no series is told from another by its colour alone.
LINE_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
MARKER_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross", "triangle-down", "pentagon")
# A sequential scale for scores and shares (light → dark blue), never red: dark means more, not worse.
SEQUENTIAL = [[0.0, "#f3f6fa"], [0.25, "#c8d8ea"], [0.5, "#8fb0cf"], [0.75, "#4f7fad"], [1.0, "#1f4e79"]]
FONT = {"family": "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, sans-serif"}
# A period still running: hatched white over the bar's own colour.
PARTIAL_PATTERN_SHAPE = "/"


@dataclass(frozen=True)
class ChartScope:
    """What a page's charts are about, for what their downloads say: the place (file name and title) and whether
    the figures shown are the synthetic demo's (the image is marked, as the page's banner marks the page)."""

    place: str = ""
    demo: bool = False


NO_SCOPE = ChartScope()


def graph_config(
    lang: str, *, title: str | None = None, as_of: date | None = None, place: str = ""
) -> dcc.Graph.Config:
    """The one mode-bar configuration of every chart: no cloud button, the UI's language, and a PNG download named
    after the place, the chart and the date (`download_name`)."""
    config: dcc.Graph.Config = {
        "displaylogo": False,
        "responsive": True,
        # plotly.js 4 defaults to a "Share chart…" button that uploads the data to cloud.plotly.com; the press
        # role sees every chart. Off, its destination emptied, and its button names removed for older bundles.
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "plotlyServerURL": "",
        "showLink": False,
        "sendData": False,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", *CLOUD_BUTTONS],
        "toImageButtonOptions": {"format": "png", "filename": download_name(place, title, as_of), "scale": SCALE},
    }
    if lang == "zh":
        config["locale"] = "zh-CN"
        config["locales"] = {"zh-CN": ZH_CN_LOCALE}
    return config


_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\s]+')


def download_name(place: str, title: str | None, as_of: date | None) -> str:
    """A file name for the PNG: place, chart and date joined by hyphens (湘潭市-电梯保险覆盖率与目标-2026-11-23);
    characters that no file system takes (and spaces) become hyphens."""
    parts = [p for p in (place, title or "", as_of.isoformat() if as_of else "") if p]
    name = "-".join(_UNSAFE_IN_NAMES.sub("-", p).strip("-") for p in parts)
    return name or "chart"


# plotly's default template, which go.Figure() wrote into every figure's layout: plotly.js takes colours, grid lines
# and fonts from it, so the plain-dict figures carry it too. Built once at import and shared: never mutate it.
# Lean (issue 18): the full template (6.5 KB in every figure's JSON) also styles polar, ternary, 3-D and geographic
# subplots, which the bundled plotly.js (the cartesian partial bundle in assets/) cannot draw, and 21 trace types the
# product does not draw. Kept: the full template's own entries, unchanged, for the layout and the trace types the
# charts use, so every chart looks the same. A chart of another type must add it here (tests/test_render_identical.py
# fails on a rendered trace type the template lacks).
TEMPLATE_TRACES = ("bar", "heatmap", "scatter")
NON_CARTESIAN_LAYOUT = ("geo", "mapbox", "map", "polar", "scene", "smith", "ternary")


def _lean_template() -> dict[str, Any]:
    full = pio.templates["plotly"].to_plotly_json()
    return {
        "data": {kind: traces for kind, traces in full["data"].items() if kind in TEMPLATE_TRACES},
        "layout": {key: value for key, value in full["layout"].items() if key not in NON_CARTESIAN_LAYOUT},
    }


PLOTLY_TEMPLATE: dict[str, Any] = _lean_template()
_AXIS = re.compile(r"^[xy]axis\d*$")


def figure(data: list[dict[str, Any]], layout: dict[str, Any]) -> dict[str, Any]:
    """A figure as plain dicts for dcc.Graph: plotly's validating Figure objects cost 100–220 ms a page render.
    Numeric ticks are written out with separators (exponentformat none): plotly's SI suffixes read "10k" and "1M",
    which a Chinese reader takes for nothing (万 and 亿 are not SI)."""
    axes = {
        key: {"exponentformat": "none", "separatethousands": True, **value}
        for key, value in layout.items()
        if _AXIS.match(key) and isinstance(value, dict)
    }
    return {"data": data, "layout": {**layout, **axes, "template": PLOTLY_TEMPLATE}}


def export_caption(
    title: str, source: str, lang: str, scope: ChartScope = NO_SCOPE, notes: Sequence[str | None] = ()
) -> dict[str, str]:
    """What the downloaded image adds to the chart (layout.meta.export, read by assets/chart-export.js): the title
    with its place, the source line with its date, the chart's notes (a running period's hatching) and the demo
    mark, and the camera's tooltip (how the script knows the button). Only the downloaded copy draws them: the
    page keeps them as HTML around the chart."""
    heading = f"{scope.place} · {title}" if scope.place else title
    parts = [source, *(note for note in notes if note), t("chart.export.demo", lang) if scope.demo else None]
    line = t("chart.export.sep", lang).join(part for part in parts if part)
    return {"title": heading, "source": line, "camera": CAMERA_TITLE.get(lang, CAMERA_TITLE["en"])}


def chart_graph(
    graph_id: str,
    data: list[dict[str, Any]],
    layout: dict[str, Any],
    lang: str,
    *,
    title: str,
    source: str,
    as_of: date | None,
    scope: ChartScope = NO_SCOPE,
    notes: Sequence[str | None] = (),
    **graph: Any,
) -> html.Figure:
    """A chart: the figure (with what its download adds), and the mode bar of graph_config named for its download.
    Every chart of the indicator pages is drawn through here; a new chart should be too.

    A chart is a picture to a screen reader: its drawing is a `role="img"` named by a one-sentence summary of its
    figures (chart_summary, put on plotly's <svg> by assets/a11y.js), and a closed "数据表 / Data table" under it
    holds every figure it draws (chart_table), so a reader who cannot see the bars can still read them. Lines of one
    chart differ in dash and marker as well as colour (distinct_lines)."""
    data = distinct_lines(data)
    fig = figure(data, layout)
    caption = export_caption(title, source, lang, scope, notes)
    fig["layout"]["meta"] = {**fig["layout"].get("meta", {}), "export": caption}
    config = graph_config(lang, title=title, as_of=as_of, place=scope.place)
    # assets/a11y.js makes plotly's drawing <svg> role="img" named by the summary: an img role around the whole graph
    # would swallow the mode bar's buttons, which the keyboard reaches (axe: nested-interactive)
    series = _series(data, layout, lang)  # read once for the summary and the table
    summary: dict[str, Any] = {"data-chart-summary": chart_summary(title, data, layout, lang, series)}  # data-*: kwargs
    return html.Figure(
        [
            html.Div(
                dcc.Graph(id=graph_id, figure=fig, config=config, **graph),
                className="chart-img",
                **summary,
            ),
            chart_table(title, data, layout, lang, series),
        ],
        className="chart-figure m-0",
        id=f"{graph_id}-figure",
    )


def distinct_lines(data: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The traces, with each line of a chart of several lines given its own dash and marker where the chart set
    none, so series are told apart without colour (WCAG 1.4.1). A chart of one line, and bars, are left as drawn."""
    lines = [i for i, tr in enumerate(data) if tr.get("type") == "scatter" and "lines" in str(tr.get("mode", "lines"))]
    if len(lines) < 2:
        return data
    out = list(data)
    taken = {(data[i].get("line") or {}).get("dash") for i in lines}
    free_dashes = [d for d in LINE_DASHES if d not in taken] or list(LINE_DASHES)
    taken = {(data[i].get("marker") or {}).get("symbol") for i in lines}
    free_symbols = [m for m in MARKER_SYMBOLS if m not in taken] or list(MARKER_SYMBOLS)
    for n, i in enumerate(lines):
        trace = dict(out[i])
        line = dict(trace.get("line") or {})
        if "dash" not in line:
            line["dash"] = free_dashes[n % len(free_dashes)]
        marker = dict(trace.get("marker") or {})
        if "symbol" not in marker:
            marker["symbol"] = free_symbols[n % len(free_symbols)]
        trace["line"], trace["marker"] = line, marker
        if "markers" not in str(trace.get("mode", "lines")):
            trace["mode"] = "lines+markers"
        out[i] = trace
    return out


_TAG = re.compile(r"<[^>]+>")


def _plain(value: Any) -> str:
    """A category or series name as text: plotly's <br> line breaks become spaces and other markup is dropped."""
    text = str(value).replace("<br>", " ")
    return " ".join(_TAG.sub("", text).split())


def _number(value: Any, percent: bool = False) -> str:
    """A figure as the table writes it: separators, at most two decimals, "—" for none; a share drawn on a percent
    axis as a percentage (0.0097 → 0.97%)."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return "—" if value is None or value == "" else _plain(value)
    if percent:
        return f"{value * 100:,.2f}".rstrip("0").rstrip(".") + "%"
    if isinstance(value, float):
        if value != value:  # NaN: a gap in the line
            return "—"
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,}"


def _axis_title(layout: dict[str, Any], key: str) -> str:
    axis = layout.get(key)
    title = axis.get("title") if isinstance(axis, dict) else None
    text = title.get("text") if isinstance(title, dict) else title
    return _plain(text) if text else ""


@dataclass(frozen=True)
class _Series:
    name: str
    categories: list[str]
    values: list[Any]
    percent: bool = False  # drawn on an axis that writes its ticks as percentages
    unit: str = ""  # its value axis' unit (万元), from the axis title

    def text(self, index: int) -> str:
        return _number(self.values[index], self.percent)

    def heading(self, lang: str) -> str:
        """The series' column heading: its name, with its axis' unit (使用额（万元））."""
        return t("chart.table.heading", lang, name=self.name, unit=self.unit) if self.unit else self.name


_UNIT = re.compile(r"[（(]([^（）()]+)[）)]\s*$")


def _value_axis(layout: dict[str, Any], trace: dict[str, Any], horizontal: bool) -> dict[str, Any]:
    """The layout axis a trace's values are drawn on (yaxis, yaxis2, …; the x axis of horizontal bars)."""
    letter = "x" if horizontal else "y"
    ref = str(trace.get(f"{letter}axis") or letter)
    axis = layout.get(f"{letter}axis{ref[1:]}")
    return axis if isinstance(axis, dict) else {}


def _tick_names(layout: dict[str, Any], key: str) -> dict[str, str]:
    """What an axis writes for its values (tickvals → ticktext), when it names them itself (months as 1–12)."""
    axis = layout.get(key)
    if not isinstance(axis, dict) or not axis.get("tickvals") or not axis.get("ticktext"):
        return {}
    return {_plain(v): _plain(text) for v, text in zip(axis["tickvals"], axis["ticktext"], strict=False)}


def _series(data: list[dict[str, Any]], layout: dict[str, Any], lang: str) -> list[_Series]:
    """Each bar or line trace as (name, categories, values): the category axis is x, or y for horizontal bars."""
    out = []
    for trace in data:
        if trace.get("type", "scatter") not in ("bar", "scatter") or trace.get("visible") is False:
            continue
        horizontal = trace.get("orientation") == "h"
        cats, vals = (trace.get("y"), trace.get("x")) if horizontal else (trace.get("x"), trace.get("y"))
        if not isinstance(vals, list | tuple):
            continue
        cats = list(cats) if isinstance(cats, list | tuple) else list(range(1, len(vals) + 1))
        ticks = _tick_names(layout, "yaxis" if horizontal else "xaxis")
        name = _plain(trace.get("name") or "") or t("chart.table.value", lang)
        axis = _value_axis(layout, trace, horizontal)
        percent = str(axis.get("tickformat", "")).endswith("%")
        title = axis.get("title")
        unit = _UNIT.search(_plain((title.get("text") if isinstance(title, dict) else title) or ""))
        labels = [ticks.get(_plain(c), _plain(c)) for c in cats]
        out.append(_Series(name, labels, list(vals), percent, "" if percent or not unit else unit.group(1)))
    return out


def _kind(data: list[dict[str, Any]], lang: str) -> str:
    types = {tr.get("type", "scatter") for tr in data}
    kind = "heatmap" if "heatmap" in types else "bar" if "bar" in types else "line" if types == {"scatter"} else "chart"
    return t(f"chart.summary.kind.{kind}", lang)


def _numeric(values: Sequence[Any]) -> list[tuple[int, float]]:
    return [(i, float(v)) for i, v in enumerate(values) if isinstance(v, int | float) and not isinstance(v, bool)]


def _category(series: _Series, index: int) -> str:
    return series.categories[index] if index < len(series.categories) else str(index + 1)


MAX_SUMMARY_SERIES = 3  # a longer sentence is not read to the end; the table holds the rest


def chart_summary(
    title: str, data: list[dict[str, Any]], layout: dict[str, Any], lang: str, series: list[_Series] | None = None
) -> str:
    """One sentence a screen reader says for the chart: its title, kind and value axis, then for each series (the
    first three) its first and last figure and its highest, each with its category."""
    axis = _axis_title(layout, "yaxis") or _axis_title(layout, "xaxis")
    heat = [tr for tr in data if tr.get("type") == "heatmap"]
    parts: list[str] = []
    if heat:
        z = [v for row in heat[0].get("z") or [] for v in (row or [])]
        values = [v for _, v in _numeric(z)]
        if values:
            parts.append(
                t(
                    "chart.summary.heat",
                    lang,
                    rows=len(heat[0].get("z") or []),
                    cols=len(heat[0].get("x") or (heat[0].get("z") or [[]])[0]),
                    low=_number(min(values)),
                    high=_number(max(values)),
                )
            )
    series = _series(data, layout, lang) if series is None else series
    for s in series[:MAX_SUMMARY_SERIES]:
        points = _numeric(s.values)
        if not points:
            continue
        i0, i1 = points[0][0], points[-1][0]
        ih = max(points, key=lambda p: p[1])[0]
        at = partial(_category, s)
        if len(points) == 1:
            parts.append(t("chart.summary.single", lang, name=s.name, value=s.text(i0), at=at(i0)))
            continue
        parts.append(
            t(
                "chart.summary.series",
                lang,
                name=s.name,
                first=s.text(i0),
                first_at=at(i0),
                last=s.text(i1),
                last_at=at(i1),
                high=s.text(ih),
                high_at=at(ih),
            )
        )
    if len(series) > MAX_SUMMARY_SERIES:
        parts.append(t("chart.summary.more", lang, n=len(series) - MAX_SUMMARY_SERIES))
    return t(
        "chart.summary",
        lang,
        title=title,
        kind=_kind(data, lang),
        axis=t("chart.summary.axis", lang, axis=axis) if axis else "",
        series=t("chart.summary.sep", lang).join(parts) or t("chart.summary.empty", lang),
    )


def chart_table_rows(
    data: list[dict[str, Any]], layout: dict[str, Any], lang: str, series: list[_Series] | None = None
) -> list[list[str]]:
    """The chart's figures as text rows, the header first: a row per category, a column per series (for a heat map,
    a row per y and a column per x), the values as the chart draws them; the header's first cell names the
    categories (the category axis' title)."""
    heat = next((tr for tr in data if tr.get("type") == "heatmap"), None)
    if heat is not None:
        z = heat.get("z") or []
        columns = [_plain(x) for x in (heat.get("x") or range(1, len(z[0]) + 1 if z else 1))]
        rows = [
            [_plain(y), *(_number(v) for v in (row or []))]
            for y, row in zip(heat.get("y") or range(1, len(z) + 1), z, strict=False)
        ]
        corner = _axis_title(layout, "yaxis") or t("chart.table.category", lang)
    else:
        series = _series(data, layout, lang) if series is None else series
        categories: list[str] = []
        seen: set[str] = set()
        for s in series:  # as before: a category repeated within one series keeps its repeats
            new = [c for c in s.categories if c not in seen]
            categories += new
            seen.update(new)
        cells = [{c: s.text(i) for i, c in enumerate(s.categories) if i < len(s.values)} for s in series]
        columns = [s.heading(lang) for s in series]
        rows = [[c, *(by.get(c, "—") for by in cells)] for c in categories]
        horizontal = any(tr.get("orientation") == "h" for tr in data)
        corner = _axis_title(layout, "yaxis" if horizontal else "xaxis") or t("chart.table.category", lang)
    return [[corner, *columns], *rows]


# A cell never holds a tab or a line break (names and figures are _plain), but the encoding must not depend on it.
_TSV_SAFE = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def table_text(rows: list[list[str]]) -> str:
    """Rows as the data-chart-table attribute carries them: cells separated by tabs, rows by line breaks."""
    return "\n".join("\t".join(cell.translate(_TSV_SAFE) for cell in row) for row in rows)


def chart_table(
    title: str,
    data: list[dict[str, Any]],
    layout: dict[str, Any],
    lang: str,
    series: list[_Series] | None = None,
) -> html.Details:
    """The chart's figures as a table in a closed <details> ("数据表 / Data table"), built when it is opened.

    Issue 18: a table of Dash components (a <tr> and a <td> component per figure) was most of a page's render and
    of its answer (/complaints: ~8,500 components, 77 → 130 KB). The rows are now written here as text, once, into
    the details' data-chart-table attribute (tab-separated cells, one line a row, the header first; the caption in
    data-chart-caption), and assets/chart-table.js builds the real <table> (a visually hidden <caption>, <th
    scope="col"> headings, a <th scope="row"> per category) inside the empty .chart-data-body when the reader
    opens the details, and again if the chart's figures change while it is open."""
    text: dict[str, Any] = {  # data-*: kwargs only
        "data-chart-table": table_text(chart_table_rows(data, layout, lang, series)),
        "data-chart-caption": t("chart.table.caption", lang, title=title),
    }
    return html.Details(
        [html.Summary(t("chart.table", lang)), html.Div(className="chart-data-body")],
        className="chart-data small mt-1 no-print",
        **text,
    )


def wrap_label(text: str, lang: str, width: int = 14) -> str:
    """A category's English name over lines of about `width` characters, broken between words (two long district
    names side by side ran into each other); Chinese names are short and stay on one line."""
    if lang != "en" or len(text) <= width:
        return text
    return "<br>".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


# ------------------------------------------------------------------------------------------------ money axes


def money_axis(fens: Sequence[int | None], lang: str) -> MoneyUnit:
    """The unit for a money axis over these amounts (fen): 元/万元/亿元 in Chinese, yuan/million yuan in English.
    Plot `unit.of(fen)` and title the axis with `unit.name`."""
    return axis_money_unit(max((abs(f) for f in fens if f is not None), default=0), lang)


def unit_title(label: str, unit: str, lang: str) -> str:
    """An axis title with its unit: 使用额（万元） / Used (million yuan)."""
    return f"{label}（{unit}）" if lang == "zh" else f"{label} ({unit})"


# ------------------------------------------------------------------------------------------------ partial periods


def partial_note(as_of: date, lang: str) -> str:
    """What a running period's bar says: （截至 12-05，不完整） / (to 5 Dec, incomplete)."""
    return t("chart.partial", lang, date=short_day(as_of, lang))


def _month_ends(d: date) -> bool:
    return (d + timedelta(days=1)).month != d.month


def partial_short(as_of: date, lang: str) -> str:
    """The short mark over a running period's bar: 截至12-05 / to 5 Dec."""
    return t("chart.partial.short", lang, date=short_day(as_of, lang))


def partial_legend(as_of: date, lang: str) -> str:
    """The line under a chart with a running period: what the hatching means."""
    return t("chart.partial.legend", lang, date=short_day(as_of, lang))


def month_is_partial(year: int, month: int, as_of: date) -> bool:
    """The month of `as_of` is still running unless `as_of` is its last day."""
    return (year, month) == (as_of.year, as_of.month) and not _month_ends(as_of)


def quarter_is_partial(year: int, quarter: int, as_of: date) -> bool:
    """The quarter of `as_of` is still running unless `as_of` is its last day."""
    if (year, quarter) != (as_of.year, (as_of.month - 1) // 3 + 1):
        return False
    return not (as_of.month % 3 == 0 and _month_ends(as_of))


def year_is_partial(year: int, as_of: date) -> bool:
    """The year of `as_of` is still running unless `as_of` is 31 December."""
    return year == as_of.year and (as_of.month, as_of.day) != (12, 31)


def mark_partial(trace: dict[str, Any], partial: Sequence[bool], note: str) -> dict[str, Any]:
    """Hatch a bar trace's running-period bars and add `note` to their hover (the trace's hovertemplate, if any,
    gets the note before its <extra>). Returns the trace, changed in place."""
    if not any(partial):
        return trace
    marker = trace.setdefault("marker", {})
    marker["pattern"] = {
        "shape": [PARTIAL_PATTERN_SHAPE if p else "" for p in partial],
        "fillmode": "overlay",
        "fgcolor": "#ffffff",
        "fgopacity": 0.75,
        "size": 7,
        "solidity": 0.45,
    }
    trace["hovertext"] = [note if p else "" for p in partial]
    template = trace.get("hovertemplate")
    if template:
        head, sep, tail = template.partition("<extra>")
        trace["hovertemplate"] = f"{head}%{{hovertext}}{sep}{tail}"
    return trace


def group_offset(index: int, traces: int, gap: float = 0.2) -> float:
    """Where the `index`-th of `traces` grouped bars stands from its category's centre (plotly's default bargap
    0.2, no group gap), for a label placed over one bar of a group."""
    width = (1 - gap) / traces
    return -(1 - gap) / 2 + (index + 0.5) * width


def bar_label(x: Any, y: float, text: str, *, colour: str = REFERENCE) -> dict[str, Any]:
    """A small note just over a bar (a running period's "截至 12-05")."""
    return {
        "x": x,
        "y": y,
        "text": text,
        "showarrow": False,
        "yanchor": "bottom",
        "yshift": 2,
        "font": {"size": 10, "color": colour},
    }


# ------------------------------------------------------------------------------------------------ reference lines


def reference_line(value: float, name: str, *, axis: str = "y", colour: str = REFERENCE) -> dict[str, Any]:
    """A dashed horizontal line across the plot at `value` of the y axis `axis` (an average, a target), named in the
    legend ("平均 126.78"): a label on the line itself sat on the bars' own figures."""
    return {
        "type": "line",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "yref": axis,
        "y0": value,
        "y1": value,
        "line": {"color": colour, "width": 1.5, "dash": "dash"},
        "layer": "above",
        "name": name,
        "showlegend": True,
    }


def with_references(layout: dict[str, Any], *lines: dict[str, Any]) -> dict[str, Any]:
    """The layout with these reference lines drawn and named in the legend (shown even beside a single series)."""
    if not lines:
        return layout
    return {**layout, "shapes": [*layout.get("shapes", []), *lines], "showlegend": True}
