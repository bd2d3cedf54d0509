"""UI strings of the /complaints page (merged into the one catalogue in components/i18n.py)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.complaints": ("电梯投诉", "Complaints"),
    "complaints.title": ("电梯投诉（12345热线工单）", "Elevator complaints (12345 hotline work orders)"),
    "complaints.subtitle": (
        "电梯类工单是否在减少：投保小区投保前后与从未投保小区同期对比，按每百台电梯计",
        "Are elevator work orders falling? Insured compounds before and after insuring, set against never-insured"
        " compounds over the same months, per 100 elevators",
    ),
    # cards
    "complaints.card.all": ("全部12345工单", "All 12345 hotline work orders"),
    "complaints.card.all.note": ("其中电梯类占 {share}", "Elevator share {share}"),
    "complaints.card.days": ("平均办结天数（全部工单）", "Mean days to close (all work orders)"),
    "complaints.card.days.value": ("{days} 天", "{days} days"),
    "complaints.card.days.note": ("电梯类 {days} 天 · 未办结 {open} 件", "Elevator {days} days · {open} still open"),
    "complaints.card.last_year": ("上年同期 {value}", "Same period last year {value}"),
    "complaints.card.satisfaction": ("满意率（评4–5分占比）", "Satisfied callers (share scoring 4–5)"),
    "complaints.card.satisfaction.note": (
        "电梯类 {share} · 已评价 {rated} 件",
        "Elevator {share} · {rated} rated",
    ),
    "complaints.card.before_after": (
        "投保小区：投保前后各{months}个月（每百台电梯月均电梯工单）",
        "Insured compounds: {months} months before vs after insuring (elevator orders per 100 elevators a month)",
    ),
    "complaints.card.before_after.change": ("投保后 {change}", "{change} after insuring"),
    "complaints.card.before_after.scope": (
        "{compounds} 个小区、{elevators} 台电梯投保已满{months}个月",
        "{compounds} compounds with {elevators} elevators insured at least {months} months",
    ),
    "complaints.card.before_after.none": (
        "尚无投保满{months}个月的小区",
        "No compound has been insured for {months} months yet",
    ),
    "complaints.card.before_after.never": (
        "从未投保小区 {first}–{last} 对比前{months}个月：{before} → {after}（{change}）",
        "Never-insured compounds, {first}–{last} vs the {months} months before: {before} → {after} ({change})",
    ),
    "complaints.card.before_after.never_nodata": (
        "从未投保小区：数据不足两个{months}个月窗口",
        "Never-insured compounds: not enough data for two {months}-month windows",
    ),
    # categories
    "complaints.cat.elevator": ("电梯", "Elevators"),
    "complaints.cat.property_fee": ("物业费", "Property fees"),
    "complaints.cat.water_leak": ("漏水", "Water leaks"),
    "complaints.cat.ebike_charging": ("电动车充电", "E-bike charging"),
    "complaints.cat.parking": ("停车", "Parking"),
    "complaints.cat.noise": ("噪音", "Noise"),
    "complaints.cat.sanitation": ("环境卫生", "Sanitation"),
    "complaints.cat.other": ("其他", "Other"),
    # charts
    "complaints.chart.x.month": ("月份", "Month"),
    "complaints.chart.y.orders": ("工单数（件）", "Work orders"),
    "complaints.chart.category": (
        "各类12345工单（按月，近{months}个月）",
        "12345 work orders by category and month (last {months} months)",
    ),
    "complaints.chart.district": (
        "电梯类工单按区县（按月，近{months}个月）",
        "Elevator work orders by district and month (last {months} months)",
    ),
    "complaints.chart.cohort": (
        "每百台电梯月均电梯工单：投保小区投保前 / 投保后 与从未投保小区",
        "Elevator work orders per 100 elevators a month: insured compounds before / after, never-insured compounds",
    ),
    "complaints.chart.cohort.y": ("件 / 百台电梯 / 月", "Orders per 100 elevators a month"),
    "complaints.chart.cohort.empty": ("所选年度尚无完整月份", "No complete month in the selected year yet"),
    "complaints.cohort.insured_before": ("投保小区·投保前", "Insured compounds, before"),
    "complaints.cohort.insured_after": ("投保小区·投保后", "Insured compounds, after"),
    "complaints.cohort.never_insured": ("从未投保小区", "Never-insured compounds"),
    "complaints.chart.cohort.method": (
        "方法：每月电梯类工单数 ÷ 当月末在用电梯数 × 100；"
        "投保小区以首张保单起保月为界分投保前、投保后（起保当月不计），"
        "从未投保小区为同期对照——两者同降是全市趋势，只有投保后下降更多才说明保险起了作用。",
        "Method: each month's elevator work orders ÷ elevators in service at the month's end × 100. Insured compounds"
        " are split at the month their first policy starts (that month is left out); never-insured compounds over the"
        " same months are the control — if both fall it is a city-wide trend; only a larger fall after insuring"
        " points to the insurance.",
    ),
    "complaints.source": (
        "来源：12345热线工单 · {first}至{last}",
        "Source: 12345 hotline work orders · {first} to {last}",
    ),
    "complaints.source.cohort": (
        "来源：12345热线工单、电梯登记与保单 · {first}至{last}（只含完整月份）",
        "Source: 12345 work orders, elevator register and policies · {first} to {last} (complete months only)",
    ),
    # handling table
    "complaints.handling.title": ("办理时效与满意度（按类别）", "Time to close and satisfaction by category"),
    "complaints.handling.category": ("类别", "Category"),
    "complaints.handling.orders": ("工单（件）", "Work orders"),
    "complaints.handling.closed": ("已办结", "Closed"),
    "complaints.handling.open": ("未办结", "Still open"),
    "complaints.handling.days": ("平均办结天数", "Mean days to close"),
    "complaints.handling.rated": ("已评价", "Rated"),
    "complaints.handling.score": ("平均评分（1–5）", "Mean score (1–5)"),
    "complaints.handling.share": ("满意率（4–5分）", "Satisfied (4–5)"),
    "complaints.handling.source": (
        "来源：12345热线工单 · {year}年1月1日至{date}受理，办结情况截至今日",
        "Source: 12345 hotline work orders received 1 Jan {year} to {date}; closing as recorded today",
    ),
    # compound grid
    "complaints.col.elevator_orders": ("本年电梯类工单", "Elevator work orders this year"),
    "complaints.col.elevator_last_year": ("上年同期电梯类工单", "Elevator work orders same period last year"),
    "complaints.col.orders": ("本年全部工单", "All work orders this year"),
    "complaints.col.insured_since": ("投保起始日", "Insured since"),
    "complaints.col.mean_days": ("平均办结天数（全部工单）", "Mean days to close (all work orders)"),
}
