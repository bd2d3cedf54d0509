"""UI strings of the /red-property page (merged into the one catalogue in components/i18n.py)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.red_property": ("红色物业", "Red property"),
    "red_property.to_councils": ("查看四方议事会议题与落实记录 →", "Open the council records behind these figures →"),
    "red_property.title": ("红色物业与四方议事会", "Red property and four-party councils"),
    "red_property.subtitle": (
        "示范项目“五红”创建与验收、物业行业党建、党群服务站覆盖，四方议事会议定事项及落实情况",
        "Demonstration projects scored on the five reds, Party building in the property industry, service-station"
        " coverage, and what four-party councils decide and follow up",
    ),
    # cards
    "red_property.card.accepted": ("已验收示范项目", "Demonstration projects accepted"),
    "red_property.card.committees": ("物业行业党委", "Property-industry Party committees"),
    "red_property.card.companies": ("建立党组织的物业企业", "Property companies with a Party organisation"),
    "red_property.card.companies.note": (
        "占登记物业企业 {share}（共 {total} 家）",
        "{share} of the {total} registered property companies",
    ),
    "red_property.card.stations": ("建有党群服务站的小区", "Compounds with a Party–mass service station"),
    "red_property.card.stations.note": ("占小区总数 {share}（共 {total} 个）", "{share} of {total} compounds"),
    "red_property.card.resolved": ("四方议事会已解决事项（累计）", "Council items resolved (cumulative)"),
    "red_property.card.resolved.note": (
        "{year}年内解决 {n} 件（上年同期 {last} 件）",
        "{n} resolved in {year} ({last} in the same period last year)",
    ),
    "red_property.card.overdue": ("逾期未落实的跟进事项", "Follow-ups overdue"),
    "red_property.card.overdue.note": (
        "已过期限仍未完成（不含已删除会议）",
        "Past their due date and not done (deleted meetings excluded)",
    ),
    "red_property.unit.projects": ("个", "projects"),
    "red_property.unit.committees": ("个", "committees"),
    "red_property.unit.companies": ("家", "companies"),
    "red_property.unit.compounds": ("个", "compounds"),
    "red_property.unit.items": ("件", "items"),
    # stages, five reds, categories, outcomes
    "red_property.stage.declared": ("已申报", "Declared"),
    "red_property.stage.building": ("创建中", "Building"),
    "red_property.stage.inspected": ("已检查评分", "Inspected"),
    "red_property.stage.accepted": ("已验收", "Accepted"),
    "red_property.red.organisation": ("组织红", "Organisation"),
    "red_property.red.team": ("队伍红", "Team"),
    "red_property.red.venue": ("阵地红", "Venue"),
    "red_property.red.mechanism": ("机制红", "Mechanism"),
    "red_property.red.service": ("服务红", "Service"),
    "red_property.category.ebike_charging": ("电动车充电", "E-bike charging"),
    "red_property.category.water_leak": ("渗漏水", "Water leaks"),
    "red_property.category.add_elevator": ("加装电梯", "Adding elevators"),
    "red_property.category.parking": ("停车位改造", "Parking"),
    "red_property.category.unsafe_facility": ("安全隐患设施", "Unsafe facilities"),
    "red_property.category.elevator_insurance": ("电梯维修保险", "Elevator insurance"),
    "red_property.category.property_service": ("物业服务", "Property service"),
    "red_property.category.other": ("其他", "Other"),
    "red_property.outcome.resolved": ("已解决", "Resolved"),
    "red_property.outcome.partly_resolved": ("部分解决", "Partly resolved"),
    "red_property.outcome.deferred": ("暂缓再议", "Deferred"),
    "red_property.outcome.referred": ("转交街道社区", "Referred to street/community"),
    "red_property.outcome.rejected": ("未通过", "Rejected"),
    "red_property.outcome.none": ("尚无结果", "No outcome yet"),
    # charts
    "red_property.chart.pipeline": ("示范项目创建到哪一步：各阶段项目数", "Demonstration projects at each stage"),
    "red_property.chart.pipeline.x": ("项目数（个）", "Projects"),
    "red_property.chart.pipeline.y": ("创建阶段", "Stage"),
    "red_property.chart.pipeline.note": (
        "截至日已申报的项目；截至日之后才验收的项目计入“已检查评分”。",
        "Projects declared by the as-of date; a project accepted after that date is counted as inspected.",
    ),
    "red_property.chart.scores": (
        "“五红”评分（已检查、已验收项目）",
        "Five-reds scores (inspected and accepted projects)",
    ),
    "red_property.chart.scores.x": ("评分项（每项 0–20 分）", "Criterion (0–20 points each)"),
    "red_property.chart.scores.y": ("示范项目（小区）", "Project (compound)"),
    "red_property.chart.scores.colour": ("分", "points"),
    "red_property.chart.scores.hover": (
        "{compound} · {red}：{score} 分（{stage}）",
        "{compound} · {red}: {score} ({stage})",
    ),
    "red_property.chart.scores.empty": (
        "截至该日没有已检查评分的示范项目（评分只在检查、验收后产生）。",
        "No inspected or accepted project by this date (scores exist only after inspection).",
    ),
    "red_property.chart.scores.note": (
        "按总分从高到低排列；共 {n} 个项目。",
        "Ordered by total score, highest first; {n} projects.",
    ),
    "red_property.chart.scores.top": (
        "按总分从高到低排列；显示前 {shown} 个，共 {n} 个项目（全部项目的总分见下方小区明细）。",
        "Ordered by total score, highest first; the top {shown} of {n} projects (every project's total is in the"
        " compound table below).",
    ),
    "red_property.chart.district": (
        "各区县党群服务站覆盖率",
        "Service-station coverage by district",
    ),
    "red_property.chart.district.y": ("有服务站的小区占比", "Share with a station"),
    "red_property.chart.district.hover": (
        "{district}：{with_station} / {compounds} 个小区",
        "{district}: {with_station} of {compounds} compounds",
    ),
    "red_property.chart.agenda": (
        "{year}年议事会议题：类别与结果",
        "Council agenda items in {year}: category and outcome",
    ),
    "red_property.chart.agenda.x": ("议题类别", "Category"),
    "red_property.chart.agenda.y": ("议题数（件）", "Items"),
    "red_property.chart.resolve": ("{year}年解决事项用时", "Time to resolve, items resolved in {year}"),
    "red_property.chart.resolve.x": ("自首次上会至解决的天数", "Days from first raised to resolved"),
    "red_property.chart.resolve.y": ("事项数（件）", "Items"),
    "red_property.chart.resolve.summary": (
        "共 {n} 件 · 平均 {mean} 天 · 中位数 {median} 天",
        "{n} items · mean {mean} days · median {median} days",
    ),
    "red_property.band.same_day": ("当场解决", "Same day"),
    "red_property.band.d1_30": ("1–30 天", "1–30 days"),
    "red_property.band.d31_90": ("31–90 天", "31–90 days"),
    "red_property.band.d91_180": ("91–180 天", "91–180 days"),
    "red_property.band.d181": ("180 天以上", "Over 180 days"),
    "red_property.chart.quarters": ("每季度四方议事会召开次数", "Four-party council meetings each quarter"),
    "red_property.chart.quarters.x": ("季度", "Quarter"),
    "red_property.chart.quarters.y": ("会议次数（次）", "Meetings"),
    "red_property.quarter": ("第{q}季度", "Q{q}"),
    "red_property.source.projects": (
        "来源：红色物业示范项目台账 · 截至 {date}",
        "Source: red-property demonstration project register · as of {date}",
    ),
    "red_property.source.stations": (
        "来源：党群服务站与小区台账 · 截至 {date}",
        "Source: service-station and compound registers · as of {date}",
    ),
    "red_property.source.councils": (
        "来源：四方议事会会议记录（不含已删除的会议） · 截至 {date}",
        "Source: four-party council minutes (deleted meetings excluded) · as of {date}",
    ),
    # table
    "red_property.col.stage": ("示范项目状态", "Project stage"),
    "red_property.col.total_score": ("五红总分", "Five-reds total"),
    "red_property.col.station": ("党群服务站", "Service station"),
    "red_property.col.meetings": ("本年议事会（次）", "Meetings this year"),
    "red_property.col.resolved": ("本年解决事项（件）", "Items resolved this year"),
    "red_property.col.overdue": ("逾期跟进事项（件）", "Follow-ups overdue"),
    "red_property.yes": ("有", "Yes"),
    "red_property.no": ("无", "No"),
    "red_property.none": ("未申报", "None declared"),
}
