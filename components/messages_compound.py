"""UI strings of the compound view's buildings, meetings, trend and way back, and of the navbar's compound search
(merged into the one catalogue in components/i18n.py; the view's older strings, compound.*, live there)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # the way back
    "compound.back": ("返回上一页", "Back"),
    "compound.crumbs": ("位置", "Breadcrumb"),
    # buildings
    "compound.building_list": ("楼栋与电梯", "Buildings and their elevators"),
    "compound.building_no": ("{n}栋", "Building {n}"),
    "compound.unit_no": ("{n}单元", "unit {n}"),
    "compound.bcol.building": ("楼栋", "Building"),
    "compound.bcol.floors": ("层数", "Floors"),
    "compound.bcol.units": ("单元", "Units"),
    "compound.bcol.elevators": ("电梯（台）", "Elevators"),
    "compound.bcol.insured": ("在保（台）", "Insured"),
    "compound.bcol.first_insured": ("首次投保", "First insured"),
    "compound.bcol.faults": ("近12个月故障", "Faults, last 12 months"),
    "compound.buildings.none": ("没有楼栋记录", "No building recorded"),
    "compound.col.building": ("楼栋", "Building"),
    # meetings
    "compound.meetings": ("四方议事会", "Four-party council meetings"),
    "compound.meetings.none": ("暂无议事会记录", "No council meeting recorded"),
    "compound.meetings.none_published": ("暂无已公示的议定结果", "No published outcome yet"),
    "compound.meetings.published_only": (
        "仅显示已公示的议定结果。",
        "Published outcomes only.",
    ),
    "compound.meeting.items": ("议题 {n} 项，已解决 {resolved} 项", "{n} items, {resolved} resolved"),
    "compound.meeting.items.one": ("议题 {n} 项，已解决 {resolved} 项", "{n} item, {resolved} resolved"),
    "compound.meeting.no_items": ("未记录议题", "No agenda item recorded"),
    "compound.meeting.planned": ("计划召开", "planned"),
    "compound.meeting.record": ("会议记录", "Record"),
    "compound.meeting.notice": ("公示", "Public notice"),
    "compound.meeting.more": ("等 {n} 项", "and {n} more"),
    "compound.meetings.all": ("该小区全部议事记录", "All of this compound's council records"),
    "compound.meetings.latest": ("最近 {n} 次", "Latest {n}"),
    # the trend
    "compound.trend.title": (
        "近24个月电梯投诉与故障（按月）",
        "Elevator complaints and faults by month, last 24 months",
    ),
    "compound.trend.title_since": (
        "电梯投诉与故障（按月，{first}起，含首次投保前后）",
        "Elevator complaints and faults by month since {first}, before and after insuring",
    ),
    "compound.trend.complaints": ("电梯类12345工单", "Elevator hotline work orders"),
    "compound.trend.faults": ("电梯故障", "Elevator faults"),
    "compound.trend.y": ("件数", "Count"),
    "compound.trend.insured": ("首次投保 {date}", "First insured {date}"),
    "compound.trend.insured_before": (
        "本小区电梯于 {date} 首次投保，早于图表起点。",
        "The compound's elevators were first insured on {date}, before the chart begins.",
    ),
    "compound.trend.never_insured": ("本小区电梯尚未投保。", "None of the compound's elevators is insured yet."),
    "compound.trend.partial": (
        "{month}为截至 {date} 的部分月份（浅色）。",
        "{month} is a partial month, up to {date} (lighter).",
    ),
    "compound.trend.source": (
        "来源：12345热线工单（电梯类）与电梯故障记录 · 截至 {date}",
        "Source: 12345 hotline work orders (elevator) and elevator fault records · as of {date}",
    ),
    # the navbar's search
    "search.compound": ("搜索小区", "Find a compound"),
    "search.compound.placeholder": ("输入小区名称…", "Type a compound name…"),
    "search.compound.none": ("没有找到可查看的小区", "No compound you may see matches"),
    "search.compound.clear": ("清除", "Clear"),
}
