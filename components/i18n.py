"""The one catalogue of UI strings: Chinese first, English second.

Every visible string goes through `t(key, lang)`, so a missing translation is a KeyError
in tests rather than a silently English page.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"

MESSAGES: dict[str, tuple[str, str]] = {
    # app shell
    "app.title": ("住房维修资金与红色物业治理看板", "Housing Fund & Red Property Governance Dashboard"),
    "app.short_title": ("住建治理看板", "Housing Governance"),
    "app.lang_switch": ("English", "中文"),
    "app.sign_out": ("退出登录", "Sign out"),
    "app.signed_in_as": ("当前用户", "Signed in as"),
    "app.scope": ("范围", "Scope"),
    "app.province": ("全省", "Province-wide"),
    "app.demo_banner": (
        "演示数据：本页数字由合成数据生成（按公开报道校准），不是官方统计，请勿作为正式数据引用。",
        "Demo data: the figures on this page come from synthetic data (calibrated to published reports);"
        " they are not official statistics and must not be quoted as such.",
    ),
    "app.demo_banner.some": (
        "演示数据：{cities}的数字由合成数据生成（按公开报道校准），不是官方统计；其余城市为本市导入的数据。",
        "Demo data: the figures of {cities} come from synthetic data (calibrated to published reports), not official"
        " statistics; the other cities' are their own imported records.",
    ),
    "app.footer": (
        "数据来源：本系统数据库 · 时区 Asia/Shanghai",
        "Source: this system's database · times in Asia/Shanghai",
    ),
    "app.not_found": ("页面不存在", "Page not found"),
    "nav.tools": ("管理", "Manage"),
    "app.forbidden": ("您的账户无权查看此范围", "Your account may not view this scope"),
    # roles
    "role.admin": ("系统管理员", "Administrator"),
    "role.leader": ("领导", "Leader"),
    "role.organiser": ("小区组织者", "Community organiser"),
    "role.press": ("新闻媒体", "Press"),
    "role.data_steward": ("数据管理员", "Data steward"),
    "role.fund_centre": ("维修资金管理中心", "Fund centre"),
    # navigation
    "nav.overview": ("总览", "Overview"),
    # sign-in
    "login.title": ("登录", "Sign in"),
    "login.username": ("用户名", "Username"),
    "login.password": ("密码", "Password"),
    "login.remember": ("在此设备上保持登录", "Keep me signed in on this device"),
    "login.submit": ("登录", "Sign in"),
    "login.failed": ("用户名或密码不正确。", "Wrong username or password."),
    "login.throttled": ("登录尝试过于频繁，请稍后再试。", "Too many sign-in attempts. Please wait and try again."),
    # A database outage (outage.py, assets/outage.js)
    "outage.title": ("数据暂时无法读取", "Data temporarily unavailable"),
    "outage.body": (
        "数据库暂时无法连接，已保存的数据不受影响。请稍后重试。",
        "The database cannot be reached at the moment; nothing saved is affected. Please try again shortly.",
    ),
    "outage.retry": ("重试", "Try again"),
    "login.required": ("请输入用户名和密码。", "Enter your username and password."),
    "login.csrf": ("表单已过期，请刷新页面后重试。", "The form expired. Reload the page and try again."),
    "login.signed_out": ("您已退出登录。", "You have signed out."),
    "login.need": ("请先登录。", "Please sign in first."),
    # overview
    "overview.title": ("总览", "Overview"),
    "overview.subtitle": (
        "维修资金增值收益购买电梯维修保险 · 红色物业与四方议事会",
        "Elevator insurance from maintenance-fund value-added income · red property and four-party councils",
    ),
    "overview.as_of": ("截至 {date}", "As of {date}"),
    "overview.year": ("{year}年", "{year}"),
    "overview.ytd": ("{year}年1月1日至{date}", "1 Jan {year} to {date}"),
    "card.deposits": ("维修资金缴存总额", "Maintenance fund deposits (cumulative)"),
    "card.deposits.note": ("余额 {balance}", "Balance {balance}"),
    "card.usage": ("维修资金使用率", "Fund usage rate"),
    "card.usage.note": ("{year}年使用 {used} ÷ 缴存总额", "{used} used in {year} ÷ cumulative deposits"),
    "card.vai": ("增值收益（统筹账户）", "Value-added income (pooled accounts)"),
    "card.vai.note": ("{year}年入账；累计 {total}", "Credited in {year}; {total} in total"),
    "card.insured": ("已投保电梯", "Insured elevators"),
    "card.insured.note": (
        "覆盖率 {rate}（已投保 ÷ 符合条件且已申请 {applied} 台）",
        "Coverage {rate} (insured ÷ {applied} eligible elevators that applied)",
    ),
    "card.target": ("目标：{due}前达到 {share}", "Target: {share} by {due}"),
    "card.target.met": ("已达成", "met"),
    "card.target.missed": ("未达成", "missed"),
    "card.target.on_track": ("进行中", "in progress"),
    "card.target.none": ("本市方案未设覆盖率目标", "The city's programme sets no coverage target"),
    "card.complaints": ("电梯类12345工单", "Elevator 12345 hotline work orders"),
    "card.complaints.note": ("上年同期 {last}", "Same period last year {last}"),
    "card.projects": ("红色物业示范项目（已验收）", "Red-property demonstration projects accepted"),
    "card.projects.note": (
        "行业党委 {committees} 个 · 党群服务站覆盖 {stations} 个小区",
        "{committees} industry Party committees · service stations in {stations} compounds",
    ),
    "card.council": ("四方议事会议定事项（已解决）", "Four-party council items resolved"),
    "card.council.note": (
        "累计；建立党组织的物业企业 {companies} 家",
        "Cumulative; {companies} property companies with Party organisations",
    ),
    "card.change.up": ("比上年同期 +{pct}", "+{pct} vs same period last year"),
    "card.change.down": ("比上年同期 −{pct}", "−{pct} vs same period last year"),
    "card.change.flat": ("与上年同期持平", "Level with last year"),
    "card.change.none": ("上年同期无数据", "No data for last year"),
    "chart.complaints.title": (
        "每月电梯类12345工单：本年与上年同月对比",
        "Elevator hotline work orders each month, against the same month a year earlier",
    ),
    "chart.complaints.y": ("工单数（件）", "Work orders"),
    "chart.complaints.x": ("月份", "Month"),
    "chart.source": ("来源：12345热线工单 · 截至 {date}", "Source: 12345 hotline work orders · as of {date}"),
    # every chart (components/plots.py): what a downloaded image adds, running periods, reference lines
    "chart.export.sep": ("；", "; "),
    "chart.export.demo": ("演示数据（合成数据，非官方统计）", "demo data (synthetic, not official statistics)"),
    "chart.partial": ("（截至 {date}，不完整）", " (to {date}, incomplete)"),
    "chart.partial.short": ("截至{date}", "to {date}"),
    "chart.partial.legend": (
        "斜线：统计期尚未结束（截至 {date}），不宜与完整期间直接比较",
        "Hatched: a period still running (to {date}); not comparable with complete periods",
    ),
    "chart.average": ("平均 {value}", "average {value}"),
    "chart.click_district": ("点击图中区县可筛选本页", "Click a district in the chart to filter the page"),
    "compound.title": ("小区详情", "Compound"),
    "compound.not_found": ("没有这个小区。", "No such compound."),
    "compound.households": (
        "户数 {households} · 常住人口 {residents}",
        "{households} households · {residents} residents",
    ),
    "compound.buildings": ("楼栋", "Buildings"),
    "compound.elevators": ("电梯", "Elevators"),
    "compound.avg_age": ("平均梯龄 {years} 年", "Average age {years} years"),
    "compound.insured": ("已投保电梯", "Insured elevators"),
    "compound.insured.note": (
        "分布在 {buildings} 栋；每台年保额 {cover}",
        "In {buildings} buildings; cover {cover} each",
    ),
    "compound.deposits": ("维修资金累计缴存", "Maintenance-fund deposits"),
    "compound.pooled": ("统筹账户余额", "Pooled-account balance"),
    "compound.faults": ("本年电梯故障", "Elevator faults this year"),
    "compound.orders": ("本年电梯类12345工单", "Elevator hotline work orders this year"),
    "compound.orders.note": ("上年同期 {last}", "Same period last year {last}"),
    "compound.red": ("红色物业", "Red property"),
    "compound.red.project": ("示范项目：{status}", "Demonstration project: {status}"),
    "compound.red.score": ("五红总分 {score}", "Five-reds score {score}"),
    "compound.red.none": ("未申报示范项目", "No demonstration project"),
    "compound.red.station": ("党群服务站：{yes}", "Party–mass service station: {yes}"),
    "compound.red.council": (
        "四方议事会 {meetings} 次，议定事项已解决 {items} 件",
        "{meetings} four-party council meetings, {items} items resolved",
    ),
    "compound.applications": ("电梯保险申请", "Elevator insurance applications"),
    "compound.applications.none": ("尚无申请", "No applications yet"),
    "compound.col.filed_on": ("申请日期", "Filed"),
    "compound.col.applicant": ("申请人", "Applicant"),
    "compound.col.elevators": ("电梯数", "Elevators"),
    "compound.col.notice": ("公示期", "Public notice"),
    "compound.col.objections": ("书面异议", "Written objections"),
    "compound.col.decision": ("结果", "Decision"),
    "compound.yes": ("有", "yes"),
    "compound.no": ("无", "no"),
    "compound.status.declared": ("已申报", "declared"),
    "compound.status.building": ("创建中", "building"),
    "compound.status.inspected": ("已检查", "inspected"),
    "compound.status.accepted": ("已验收", "accepted"),
    "compound.applicant.unit_owners": ("单元业主（3户以上）", "Owners of the unit (3+)"),
    "compound.applicant.owners_committee": ("业主委员会", "Owners' committee"),
    "compound.applicant.property_company": ("物业服务企业", "Property company"),
    "compound.decision.pending": ("审核中", "pending"),
    "compound.decision.approved": ("已投保", "insured"),
    "compound.decision.vote_failed": ("表决未通过", "vote failed"),
    "compound.decision.refused": ("不符合条件", "refused"),
    "compound.decision.withdrawn": ("已撤回", "withdrawn"),
    "compare.title": ("各市主要指标对比", "The cities' headline figures side by side"),
    "compare.indicator": ("指标", "Indicator"),
    "compare.coverage": ("投保覆盖率（已投保 ÷ 符合条件且已申请）", "Coverage (insured ÷ eligible and applied)"),
    "compare.complaints": ("电梯类工单（本年至今）", "Elevator work orders (year to date)"),
    "unit.elevators": ("台", "elevators"),
    "unit.items": ("件", "items"),
    "unit.projects": ("个", "projects"),
    "health.ok": ("正常", "ok"),
    # filters and tables shared by the indicator pages
    "filter.city": ("城市", "City"),
    "filter.district": ("区县", "District"),
    "filter.all_districts": ("全部区县", "All districts"),
    "filter.year": ("年度", "Year"),
    "export.csv": ("导出 CSV", "Export CSV"),
    "export.xlsx": ("导出 Excel", "Export Excel"),
    "table.compounds": ("小区明细", "Compounds"),
    "col.compound": ("小区", "Compound"),
    "col.district": ("区县", "District"),
    "col.city": ("城市", "City"),
    "col.buildings": ("楼栋数", "Buildings"),
    "col.deposits": ("累计缴存（元）", "Deposits to date (yuan)"),
    "col.used": ("本年使用（元）", "Used this year (yuan)"),
    "col.vai_total": ("累计增值收益（元）", "Value-added income to date (yuan)"),
    "col.pooled_balance": ("统筹账户余额（元）", "Pooled-account balance (yuan)"),
    # the same columns as the Chinese grid shows them (in 万元; its exports keep exact yuan under the headers above)
    "col.deposits.wan": ("累计缴存（万元）", "Deposits to date (10k yuan)"),
    "col.used.wan": ("本年使用（万元）", "Used this year (10k yuan)"),
    "col.vai_total.wan": ("累计增值收益（万元）", "Value-added income to date (10k yuan)"),
    "col.pooled_balance.wan": ("统筹账户余额（万元）", "Pooled-account balance (10k yuan)"),
    "change.vs_last_year": ("较上年 {sign}{pct}", "{sign}{pct} vs previous year"),
    "change.none": ("上年无可比数据", "No previous-year figure"),
    # /funds
    "nav.funds": ("维修资金", "Funds"),
    "funds.title": ("维修资金使用与增值收益", "Maintenance fund: use and value-added income"),
    "funds.subtitle": (
        "缴存、余额、使用率；利息中基准部分计入分户账，超出部分为增值收益计入统筹账户",
        "Deposits, balance and usage; interest up to the benchmark goes to owner ledgers, the rest is value-added"
        " income in pooled accounts",
    ),
    "funds.card.balance": ("资金余额", "Fund balance"),
    "funds.card.used": ("本年使用额", "Used this year"),
    "funds.card.capacity": ("可支付保费的统筹账户", "Pooled accounts able to pay a premium"),
    "funds.card.capacity.note": (
        "{able} / {total} 个有电梯的统筹账户余额 ≥ {years} 年保费",
        "{able} of {total} pooled accounts with elevators hold ≥ {years} years of premium",
    ),
    "funds.card.capacity.note.one": (
        "{able} / {total} 个有电梯的统筹账户余额 ≥ {years} 年保费",
        "{able} of {total} pooled accounts with elevators hold ≥ {years} year of premium",
    ),
    "funds.card.premiums": ("本年已付保费", "Premiums paid this year"),
    "funds.chart.usage": (
        "每年维修资金使用额及其占缴存总额的比例",
        "Fund used each year, and its share of all deposits",
    ),
    "funds.chart.usage.y": ("使用额（{unit}）", "Used ({unit})"),
    "funds.chart.usage.rate": ("使用率", "Usage rate"),
    "funds.chart.interest": (
        "每年利息收入：分户账基准利息与统筹账户增值收益",
        "Interest earned each year: benchmark interest on owner ledgers, value-added income in pooled accounts",
    ),
    "funds.chart.interest.y": ("金额（{unit}）", "Amount ({unit})"),
    "funds.series.benchmark": ("基准利息（分户账）", "Benchmark interest (owner ledgers)"),
    "funds.series.vai": ("增值收益（统筹账户）", "Value-added income (pooled accounts)"),
    "funds.series.used": ("使用额", "Used"),
    "funds.chart.district": (
        "各区县累计缴存与本年使用率",
        "Deposits to date and this year's usage rate by district",
    ),
    "funds.chart.district.y": ("累计缴存（{unit}）", "Deposits ({unit})"),
    "chart.source.fund": (
        "来源：维修资金分户账与统筹账户分录 · 截至 {date}",
        "Source: owner-ledger and pooled-account entries · as of {date}",
    ),
    "chart.x.year": ("年度", "Year"),
    # URL arguments and not-found (pages/_urlargs.py: a notice over a page whose link was corrected; the 404 page)
    "url.arg.year": ("年份", "year"),
    "url.arg.city": ("城市", "city"),
    "url.arg.district": ("区县", "district"),
    "url.arg.compound": ("小区", "compound"),
    "url.arg.id": ("记录编号", "record number"),
    "url.arg.category": ("议题类别", "category"),
    "url.arg.outcome": ("议定结果", "outcome"),
    "url.arg.from": ("起始日期", "start date"),
    "url.arg.to": ("截止日期", "end date"),
    "url.arg.carry": ("结转议题", "carried-over items"),
    "url.invalid": ("{arg} {value} 无效，已忽略", "{Arg} {value} is not valid and was ignored."),
    "url.invalid_shown": ("{arg} {value} 无效，已显示 {shown}", "{Arg} {value} is not valid; showing {shown}."),
    "url.conflict": (
        "链接中的{arg}有多个不同的值（{value}），已忽略",
        "The link gives more than one {arg} ({value}); it was ignored.",
    ),
    "url.conflict_shown": (
        "链接中的{arg}有多个不同的值（{value}），已显示 {shown}",
        "The link gives more than one {arg} ({value}); showing {shown}.",
    ),
    "url.year_clamped": ("{value} 年无数据，已显示 {shown} 年", "There are no figures for {value}; showing {shown}."),
    "notfound.body": (
        "您打开的地址没有对应的页面。请检查链接，或从导航栏进入。",
        "There is no page at this address. Check the link, or use the navigation bar.",
    ),
    "notfound.compound": ("没有找到这个小区，或您无权查看。", "No such compound, or you may not see it."),
    "notfound.home": ("返回总览", "Back to the overview"),
    # the overview's target status for a year whose target is still ahead (/?year=2022): it had no string, a 500
    "card.target.in_progress": ("进行中", "in progress"),
}


def _merge_sections() -> None:
    """Each indicator page keeps its strings in its own section module; keys must not collide."""
    from components import (
        messages_a11y,
        messages_admin,
        messages_briefing,
        messages_complaints,
        messages_compound,
        messages_councils,
        messages_elevators,
        messages_import,
        messages_insurance,
        messages_insurance_value,
        messages_presentation,
        messages_red_property,
        messages_titles,
    )

    sections = (messages_elevators, messages_complaints, messages_red_property, messages_councils, messages_admin)
    extra = (
        messages_import,
        messages_insurance,
        messages_insurance_value,
        messages_compound,
        messages_presentation,
        messages_briefing,
        messages_titles,
        messages_a11y,
    )
    for section in (*sections, *extra):
        clash = MESSAGES.keys() & section.MESSAGES.keys()
        if clash:
            raise KeyError(f"duplicate UI string keys: {sorted(clash)}")
        MESSAGES.update(section.MESSAGES)


_merge_sections()


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """Look up a UI string; `values` fill its {placeholders}. A day among them is written in the language's date
    style (formatting.day): a writer below the components (a validation error's parameters) passes the `date`
    itself, and it reads 2026年11月23日 / 23 Nov 2026 like every other date, never as an ISO string."""
    zh, en = MESSAGES[key]
    text = en if lang == "en" else zh
    if not values:
        return text
    if any(type(v) is date for v in values.values()):
        from components.formatting import day  # imported here: formatting reads this module's MESSAGES

        values = {k: day(v, lang) if type(v) is date else v for k, v in values.items()}
    return text.format(**values)


def normalise_lang(value: str | None) -> Lang:
    return "en" if value == "en" else "zh"
