"""Strings that make the product usable without sight or a mouse (issue 18): the skip link, the charts' text
alternatives and their data tables, labels of controls that show no visible label. Chinese first."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "a11y.skip": ("跳到主要内容", "Skip to main content"),
    "chart.table": ("数据表", "Data table"),
    "chart.table.caption": ("{title}：图中数据", "{title}: the chart's figures"),
    "chart.table.category": ("类别", "Category"),
    "chart.table.value": ("数值", "Value"),
    "chart.table.heading": ("{name}（{unit}）", "{name} ({unit})"),
    "chart.summary.kind.bar": ("柱状图", "bar chart"),
    "chart.summary.kind.line": ("折线图", "line chart"),
    "chart.summary.kind.heatmap": ("热力图", "heat map"),
    "chart.summary.kind.chart": ("图表", "chart"),
    "chart.summary": ("{title}（{kind}{axis}）：{series}。", "{title} ({kind}{axis}): {series}."),
    "chart.summary.axis": ("，{axis}", ", {axis}"),
    "chart.summary.series": (
        "{name} 从 {first}（{first_at}）到 {last}（{last_at}），最高 {high}（{high_at}）",
        "{name} from {first} ({first_at}) to {last} ({last_at}), highest {high} ({high_at})",
    ),
    "chart.summary.single": ("{name} {value}（{at}）", "{name} {value} ({at})"),
    "chart.summary.heat": (
        "{rows} 行 × {cols} 列，数值从 {low} 到 {high}",
        "{rows} rows by {cols} columns, values from {low} to {high}",
    ),
    "chart.summary.more": ("另有 {n} 个系列见数据表", "{n} more series in the data table"),
    "chart.summary.sep": ("；", "; "),
    "chart.summary.empty": ("暂无数据", "no data"),
    "import.progress": ("导入进度", "Import progress"),
}
