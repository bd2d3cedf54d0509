"""Shared plotly configuration: plotly's zh-CN locale for Chinese, a quiet mode bar, figures as plain dicts."""

from __future__ import annotations

from typing import Any

import plotly.io as pio
from dash import dcc

# plotly.js' zh-CN locale (dates and mode-bar texts), passed with each graph so no extra
# script has to be loaded from a CDN.
ZH_CN_LOCALE: dict[str, Any] = {
    "moduleType": "locale",
    "name": "zh-CN",
    "dictionary": {
        "Autoscale": "自动缩放",
        "Box Select": "矩形框选",
        "Download plot as a png": "下载图表为PNG格式",
        "Download plot": "下载图表",
        "Pan": "平移",
        "Reset axes": "重置轴",
        "Zoom": "缩放",
        "Zoom in": "放大",
        "Zoom out": "缩小",
        "Toggle Spike Lines": "切换显示数据点辅助线",
        "Show closest data on hover": "悬停时显示最近的数据",
        "Compare data on hover": "悬停时比较数据",
        "Double-click on legend to isolate one trace": "双击图例来突显对应轨迹",
        "Double-click to zoom back out": "双击返回缩小显示",
    },
    "format": {
        "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
        "months": ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"],
        "shortMonths": ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
        "date": "%Y-%m-%d",
    },
}


def graph_config(lang: str) -> dcc.Graph.Config:
    config: dcc.Graph.Config = {
        "displaylogo": False,
        "responsive": True,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    }
    if lang == "zh":
        config["locale"] = "zh-CN"
        config["locales"] = {"zh-CN": ZH_CN_LOCALE}
    return config


# plotly's default template, which go.Figure() wrote into every figure's layout: plotly.js takes colours, grid lines
# and fonts from it, so the plain-dict figures carry it too. Built once at import and shared: never mutate it.
PLOTLY_TEMPLATE: dict[str, Any] = pio.templates["plotly"].to_plotly_json()


def figure(data: list[dict[str, Any]], layout: dict[str, Any]) -> dict[str, Any]:
    """A figure as plain dicts for dcc.Graph: plotly's validating Figure objects cost 100–220 ms a page render."""
    return {"data": data, "layout": {**layout, "template": PLOTLY_TEMPLATE}}
