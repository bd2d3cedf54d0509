"""UI strings of the presentation deck (/present) and its findings, Chinese first, English second.

A "|" in a chart's axis label is a line break there (components/presentation.py turns it into <br>).

The `present.f.*` sentences are the slides' findings (data_access/presentation.py: `Finding`); their {parameters}
are worded by components/presentation.py `finding_text` (money in 万/亿, shares as percentages, days, periods,
changes as 下降/上升). Keep each sentence short enough to read from the back of a room: one line of a slide.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.present": ("演示", "Presentation"),
    "nav.present.menu": ("演示", "Present"),
    "nav.present.deck": ("全屏演示（幻灯片）", "Full-screen slides"),
    "nav.present.pdf": ("A4 新闻简报（PDF）", "A4 press briefing (PDF)"),
    "url.arg.auto": ("自动翻页秒数", "auto-advance seconds"),
    "present.title": ("维修资金增值收益买电梯保险 · 红色物业", "Elevator insurance from fund income · Red property"),
    "present.subtitle": (
        "住宅专项维修资金增值收益购买电梯维修保险；红色物业与四方议事会",
        "Elevator insurance bought with the fund's value-added income; red property and four-party councils",
    ),
    "present.as_of": ("数据截至 {date}", "Data as of {date}"),
    "present.source": (
        "来源：本系统数据库（实时读取）· 截至 {date}",
        "Source: this system's database, read live · as of {date}",
    ),
    "present.demo": ("演示数据 · 合成数据，非官方统计", "Demo data · synthetic, not official statistics"),
    "present.demo.some": (
        "演示数据：{cities}（合成数据，非官方统计）",
        "Demo data: {cities} (synthetic, not official)",
    ),
    "present.keys": (
        "← → 空格 翻页 · Home/End 首页/末页 · F 全屏",
        "← → Space: next/previous · Home/End: first/last · F: full screen",
    ),
    "present.auto": ("每 {seconds} 秒自动翻页", "Advancing every {seconds} s"),
    "present.prev": ("上一页", "Previous slide"),
    "present.next": ("下一页", "Next slide"),
    "present.fullscreen": ("全屏", "Full screen"),
    "present.pdf": ("下载 A4 简报（PDF）", "Download the A4 briefing (PDF)"),
    "present.counter": ("第 {n} / {total} 页", "{n} / {total}"),
    "present.province": ("全省", "Province-wide"),
    "present.case.named": ("公开报道案例", "Case from the published reports"),
    "present.case.chosen": ("本地区典型小区", "A compound of this area"),
    # slide titles
    "present.s.headline": ("总体成效", "At a glance"),
    "present.s.fund": ("沉睡的维修资金，增值收益能买什么", "A fund hardly used, and what its income buys"),
    "present.s.coverage": ("电梯保险覆盖率与目标", "Insurance coverage against the targets"),
    "present.s.complaints": ("投保前后的电梯投诉", "Complaints before and after insuring"),
    "present.s.service": ("维保服务：已投保与未投保电梯", "Service: insured and uninsured elevators"),
    "present.s.rescue": ("困人救援与维修支出", "Rescue times and repair costs"),
    "present.s.red": ("红色物业与四方议事会", "Red property and four-party councils"),
    "present.s.case_insurance": ("案例：{name} 电梯保险", "Case: elevator insurance at {name}"),
    "present.s.case_council": ("案例：{name} 四方议事会", "Case: the four-party council of {name}"),
    # headline figures
    "present.k.deposits": ("维修资金缴存总额", "Fund deposits to date"),
    "present.k.usage": ("当年使用率", "Used in the year"),
    "present.k.vai": ("当年增值收益", "Value-added income in the year"),
    "present.k.insured": ("已投保电梯", "Insured elevators"),
    "present.k.coverage": ("覆盖率", "Coverage"),
    "present.k.complaints": ("电梯类12345工单", "Elevator hotline work orders"),
    "present.k.projects": ("已验收示范项目", "Demonstration projects accepted"),
    "present.k.resolved": ("议事会解决事项", "Council items resolved"),
    "present.k.elevator_years": ("可投保电梯（台·年）", "Elevator-years it buys"),
    "present.k.committees_note": ("物业行业党委 {n} 个", "{n} industry Party committees"),
    "present.k.committees_note.one": ("物业行业党委 {n} 个", "{n} industry Party committee"),
    "present.k.used_note": ("使用 {money}", "{money} used"),
    "present.k.applied": ("符合条件且已申请 {n} 台", "of {n} eligible elevators that applied"),
    "present.k.applied.one": ("符合条件且已申请 {n} 台", "of {n} eligible elevator that applied"),
    "present.k.cohort_insured": ("投保满 {months} 个月的小区", "Compounds insured {months}+ months"),
    "present.k.cohort_never": ("从未投保的小区", "Compounds never insured"),
    "present.k.in_buildings": ("分布在 {n} 栋楼", "in {n} buildings"),
    "present.k.in_buildings.one": ("分布在 {n} 栋楼", "in {n} building"),
    "present.k.age": ("平均梯龄 {years} 年", "{years} years old on average"),
    "present.k.incidents": ("困人故障", "Trapped-passenger incidents"),
    "present.k.median": ("到达时间中位数", "Median arrival"),
    "present.k.within": ("30分钟内到达", "Arrived within 30 min"),
    "present.k.release": ("解困时间中位数", "Median release"),
    "present.k.companies": ("建立党组织的物业企业", "Property companies with Party organisations"),
    "present.k.stations": ("党群服务站覆盖小区", "Compounds with service stations"),
    "present.k.committees": ("物业行业党委", "Industry Party committees"),
    "present.k.households": ("户数", "Households"),
    "present.k.buildings": ("楼栋 / 电梯", "Buildings / elevators"),
    "present.k.insured_case": ("投保电梯", "Insured elevators"),
    "present.k.cover": ("每台年保额", "Cover per elevator a year"),
    "present.k.meetings": ("议事会次数", "Council meetings"),
    "present.k.pooled": ("统筹账户余额", "Pooled-account balance"),
    "present.k.follow_ups": ("到期任务按期落实", "Follow-ups done when due"),
    "present.u.elevators": ("{n} 台", "{n}"),
    "present.u.items": ("{n} 件", "{n}"),
    "present.u.projects": ("{n} 个", "{n}"),
    "present.u.times": ("{n} 次", "{n}"),
    "present.u.minutes": ("{n} 分钟", "{n} min"),
    "present.u.households": ("{n} 户", "{n}"),
    "present.u.residents": ("常住人口 {n} 人", "{n} residents"),
    "present.u.residents.one": ("常住人口 {n} 人", "{n} resident"),
    "present.u.compounds": ("{n} 个", "{n}"),
    "present.u.lifts": ("电梯 {n} 台", "{n} elevators"),
    "present.u.lifts.one": ("电梯 {n} 台", "{n} elevator"),
    "present.u.incidents": ("{n} 起", "{n}"),
    "present.u.trapped": ("被困 {n} 人", "{n} people trapped"),
    "present.u.trapped.one": ("被困 {n} 人", "{n} person trapped"),
    "present.u.pair": ("{a} 栋 / {b} 台", "{a} / {b}"),
    "present.vs_last": ("上年同期 {n}", "Same days last year: {n}"),
    # charts
    "present.c.usage": ("每年使用额占缴存总额的比例", "Share of the fund used each year"),
    "present.c.usage.y": ("使用率", "Used ÷ deposits"),
    "present.c.part_year": ("{year}年|（至{date}）", "{year}|(to {date})"),
    "present.c.coverage": (
        "覆盖率（已投保 ÷ 符合条件且已申请）",
        "Coverage (insured ÷ eligible elevators that applied)",
    ),
    "present.c.target": ("目标 {share}", "target {share}"),
    "present.c.complaints": ("电梯工单（每百台每月）", "Elevator work orders per 100 elevators a month"),
    "present.c.before": ("之前 {months} 个月", "{months} months before"),
    "present.c.before.one": ("之前 {months} 个月", "{months} month before"),
    "present.c.after": ("之后 {months} 个月", "{months} months after"),
    "present.c.after.one": ("之后 {months} 个月", "{months} month after"),
    "present.c.insured": ("投保小区（投保前 → 投保后）", "Insured compounds (before → after)"),
    "present.c.never": ("从未投保小区（同期前后）", "Never-insured compounds (same windows)"),
    "present.c.service": ("已投保与未投保电梯的服务水平", "Service on insured and uninsured elevators"),
    "present.c.service.insured": ("已投保", "Insured"),
    "present.c.service.uninsured": ("未投保", "Uninsured"),
    "present.c.service.response": ("30分钟内响应", "Answered in 30 min"),
    "present.c.service.major": ("重大故障24小时内修复", "Major faults fixed in 24 h"),
    "present.c.service.visits": ("维保时长40–70分钟", "Visits of 40–70 min"),
    "present.c.repair": ("每台电梯每年维修支出", "Repair cost per elevator-year"),
    "present.c.repair.insured": ("已投保|（保险赔付）", "Insured|(claims paid)"),
    "present.c.repair.before": ("同一批小区|投保前", "The same compounds|before insuring"),
    "present.c.repair.never": ("从未投保|（维修资金列支）", "Never insured|(paid from the fund)"),
    "present.c.rescue": ("救援到达时间（分钟）", "Rescue arrival (minutes)"),
    "present.c.rescue.median": ("中位数", "Median"),
    "present.c.rescue.mean": ("平均", "Mean"),
    "present.c.rescue.release": ("解困中位数", "Median release"),
    "present.c.rescue.limit": ("30 分钟时限", "30-minute limit"),
    "present.c.quarters": ("四方议事会召开次数（按季度）", "Four-party council meetings by quarter"),
    "present.c.quarter": ("{year}年|第{q}季度", "Q{q}|{year}"),
    "present.c.quarter_part": ("{year}年|第{q}季度|（至{date}）", "Q{q}|{year}|(to {date})"),
    "present.c.outcomes": ("已公示的议定事项", "Published council outcomes"),
    "present.c.buildings": ("各楼栋电梯投保情况（台）", "Elevators by building, insured and not"),
    "present.c.buildings_numbered": (
        "各楼栋电梯投保情况（按楼号，台）",
        "Elevators by building number, insured and not",
    ),
    "present.c.building": ("{n}栋", "{n}"),
    "present.c.insured_lifts": ("已投保", "Insured"),
    "present.c.uninsured_lifts": ("未投保", "Not insured"),
    # periods and changes inside findings
    "present.period.year": ("{year}年", "{year}"),
    "present.period.part": ("{year}年1月1日至{date}", "1 Jan to {date}"),
    "present.change.down": ("下降 {pct}", "down {pct}"),
    "present.change.up": ("上升 {pct}", "up {pct}"),
    "present.change.flat": ("持平", "level"),
    "present.change.none": ("无可比数据", "no earlier figure"),
    # what a finding's count counts (data_access/presentation.py `Count`): Chinese sentences carry their measure word
    # (台, 件, 起) and take the bare figure; English takes the figure with its noun, singular for one (`.one`)
    "present.n.eligible_applied": ("{n}", "{n} eligible elevators that applied"),
    "present.n.eligible_applied.one": ("{n}", "{n} eligible elevator that applied"),
    "present.n.work_orders": ("{n}", "{n} elevator hotline work orders"),
    "present.n.work_orders.one": ("{n}", "{n} elevator hotline work order"),
    "present.n.complaints": ("{n}", "{n} elevator hotline complaints"),
    "present.n.complaints.one": ("{n}", "{n} elevator hotline complaint"),
    "present.n.elevators": ("{n}", "{n} elevators"),
    "present.n.elevators.one": ("{n}", "{n} elevator"),
    "present.n.compounds": ("{n}", "{n} compounds"),
    "present.n.compounds.one": ("{n}", "{n} compound"),
    "present.n.incidents": ("{n}", "{n} trapped-passenger incidents"),
    "present.n.incidents.one": ("{n}", "{n} trapped-passenger incident"),
    "present.n.people": ("{n}", "{n} people"),
    "present.n.people.one": ("{n}", "{n} person"),
    "present.n.projects": ("{n}", "{n} demonstration projects"),
    "present.n.projects.one": ("{n}", "{n} demonstration project"),
    "present.n.companies": ("{n}", "{n} property companies"),
    "present.n.companies.one": ("{n}", "{n} property company"),
    "present.n.items": ("{n}", "{n} items"),
    "present.n.items.one": ("{n}", "{n} item"),
    "present.n.items_raised": ("{n}", "{n} items raised"),
    "present.n.items_raised.one": ("{n}", "{n} item raised"),
    "present.n.follow_ups": ("{n}", "{n} follow-ups"),
    "present.n.follow_ups.one": ("{n}", "{n} follow-up"),
    "present.n.buildings": ("{n}", "{n} buildings"),
    "present.n.buildings.one": ("{n}", "{n} building"),
    "present.n.applications": ("{n}", "{n} applications"),
    "present.n.applications.one": ("{n}", "{n} application"),
    "present.n.objections": ("{n}", "{n} written objections"),
    "present.n.objections.one": ("{n}", "{n} written objection"),
    "present.n.faults": ("{n}", "{n} elevator faults"),
    "present.n.faults.one": ("{n}", "{n} elevator fault"),
    "present.n.households": ("{n}", "{n} households"),
    "present.n.households.one": ("{n}", "{n} household"),
    "present.n.residents": ("{n}", "{n} residents"),
    "present.n.residents.one": ("{n}", "{n} resident"),
    "present.n.times": ("{n}", "{n} times"),
    "present.n.times.one": ("{n}", "{n} time"),
    "present.n.meetings": ("{n}", "{n} meetings"),
    "present.n.meetings.one": ("{n}", "{n} meeting"),
    # findings (data_access/presentation.py)
    "present.f.headline.insured": (
        "{place}已投保电梯 {insured} 台，覆盖率 {rate}（符合条件且已申请 {applied} 台）",
        "Insured elevators in {place}: {insured}, coverage {rate} of the {applied}",
    ),
    "present.f.headline.complaints": (
        "{period}，电梯类12345工单 {orders} 件，比上年同期（{last} 件）{change}",
        "{period}: {orders}, {change} on the same days a year earlier ({last})",
    ),
    "present.f.headline.complaints_none": (
        "{period}，电梯类12345工单 {orders} 件；上年同期没有可比的工单",
        "{period}: {orders}; none on the same days a year earlier",
    ),
    "present.f.fund.usage": (
        "{period}，维修资金使用 {used}，为缴存总额 {deposits}的 {rate}",
        "{period}: {used} of the {deposits} maintenance fund was used ({rate})",
    ),
    "present.f.fund.usage_low": (
        "{period}，维修资金仅使用 {used}，只占缴存总额 {deposits}的 {rate}",
        "{period}: only {used} of the {deposits} maintenance fund was used ({rate})",
    ),
    "present.f.fund.buys": (
        "同期增值收益 {income}，足够为 {elevators} 台电梯各买一年维修保险；实际已付保费 {premiums}",
        "{income} of value-added income in the same days: enough to insure {elevators} for a year;"
        " {premiums} of premiums paid",
    ),
    "present.f.fund.claims": (
        "保险公司同期赔付 {claims}，为保费 {premiums}的 {ratio}",
        "Insurers paid {claims} of claims against {premiums} of premiums ({ratio})",
    ),
    "present.f.fund.income": (
        "同期统筹账户增值收益 {income}，支付电梯维修保险保费 {premiums}",
        "The pooled accounts earned {income} of value-added income in the same days and paid {premiums} of elevator"
        " insurance premiums",
    ),
    "present.f.value.claims": (
        "{period}，保险公司赔付 {claims}，为所收保费 {premiums}的 {ratio}",
        "{period}: insurers paid {claims} of claims, {ratio} of the {premiums} of premiums they received",
    ),
    "present.f.value.none": (
        "{period}，没有起保的保单，也没有赔款",
        "{period}: no policy started and no claim was paid",
    ),
    "present.f.coverage.met": (
        "{city} {due}目标 {target}，实际 {rate}，已达成",
        "{city}: target {target} by {due}, reached {rate} — met",
    ),
    "present.f.coverage.missed": (
        "{city} {due}目标 {target}，实际 {rate}，未达成",
        "{city}: target {target} by {due}, reached {rate} — missed",
    ),
    "present.f.coverage.in_progress": (
        "{city} {due}前目标 {target}，目前 {rate}，进行中",
        "{city}: target {target} by {due}, {rate} so far — in progress",
    ),
    "present.f.coverage.none_applied": (
        "{city} {due}目标 {target}；尚无符合条件且已申请的电梯可计覆盖率",
        "{city}: target {target} by {due}; no eligible elevator had applied to measure it by",
    ),
    "present.f.coverage.no_target": (
        "{city}方案未设覆盖率目标；已投保 {insured} 台，覆盖率 {rate}",
        "{city} sets no coverage target; {insured} insured, coverage {rate}",
    ),
    "present.f.coverage.no_programme": (
        "{city}尚未实施电梯保险方案",
        "{city} has no elevator-insurance programme yet",
    ),
    "present.f.complaints.insured": (
        "投保满 {months} 个月的 {compounds} 个小区：每百台每月工单由 {before} 件变为 {after} 件，{change}",
        "{compounds} insured for {months}+ months: {before} → {after} work orders per 100 elevators a month, {change}",
    ),
    "present.f.complaints.never": (
        "同期从未投保的 {compounds} 个小区：由 {before} 件变为 {after} 件，{change}",
        "{compounds} never insured, over the same months: {before} → {after}, {change}",
    ),
    "present.f.complaints.none_insured": (
        "尚无投保满 {months} 个月的小区，暂不能比较投保前后",
        "No compound has been insured for {months} months yet: before and after cannot be compared",
    ),
    "present.f.service.response": (
        "{period}，已投保电梯故障 {insured} 在30分钟内响应，未投保电梯为 {uninsured}",
        "{period}: {insured} of faults on insured elevators answered within 30 minutes, {uninsured} on uninsured ones",
    ),
    "present.f.service.none": ("{period}，没有电梯故障记录", "{period}: no elevator faults recorded"),
    "present.f.service.major": (
        "重大故障24小时内修复：已投保 {insured}，未投保 {uninsured}",
        "Major faults repaired within 24 hours: {insured} insured, {uninsured} uninsured",
    ),
    "present.f.rescue.arrival": (
        "{period}，困人故障 {incidents} 起（{passengers} 人被困），"
        "救援到达中位数 {median}，{share} 在 {limit} 分钟内到达",
        "{period}: {incidents} ({passengers} trapped); median arrival {median}, {share} within {limit} minutes",
    ),
    "present.f.rescue.none": ("{period}，没有困人故障记录", "{period}: no trapped-passenger incidents recorded"),
    "present.f.rescue.repair": (
        "每台电梯每年维修支出：已投保 {insured}（保险赔付），从未投保 {never}（维修资金列支）",
        "Repairs per elevator-year: {insured} insured (paid by insurers), {never} never insured (paid from the fund)",
    ),
    "present.f.red.organisation": (
        "已验收示范项目 {projects} 个；{companies} 家物业企业建立党组织（{company_share}），"
        "党群服务站覆盖 {station_share} 的小区",
        "{projects} accepted; Party organisations in {companies}"
        " ({company_share}); service stations in {station_share} of compounds",
    ),
    "present.f.red.councils": (
        "四方议事会累计解决议定事项 {resolved} 件，其中{period}解决 {in_year} 件",
        "Four-party councils have resolved {resolved} in all; {period}: {in_year}",
    ),
    "present.f.red.overdue": (
        "另有 {overdue} 项落实任务逾期未完成",
        "{overdue} overdue",
    ),
    "present.f.case.insured": (
        "{name}（{district}）{insured_buildings} 栋楼的 {insured} 台电梯由增值收益投保，每台每年保额 {cover}",
        "{name} ({district}): {insured} in {insured_buildings} insured from value-added income, {cover} of cover each",
    ),
    "present.f.case.applied": (
        "{first}起共 {applications} 份申请获准投保（{elevators} 台，首份由{applicant}提出），"
        "公示期间书面异议 {objections} 件",
        "{applications} for {elevators} approved, the first filed on {first} ({applicant});"
        " {objections} during the notices",
    ),
    "present.f.case.orders": (
        "{period}，该小区电梯类12345工单 {orders} 件（上年同期 {last} 件），电梯故障 {faults} 次",
        "{period}: {orders} (a year earlier: {last}), {faults}",
    ),
    "present.f.case.council": (
        "{name}（{district}）{households} 户、{residents} 人；"
        "四方议事会已召开 {meetings} 次，解决议定事项 {resolved} 件",
        "{name} ({district}): {households}, {residents}; its four-party council has met"
        " {meetings} and resolved {resolved}",
    ),
    "present.f.case.council_year": (
        "{period}，议事会召开 {meetings} 次，议题 {items} 项，解决 {resolved} 项，从提出到解决中位 {median_days} 天",
        "{period}: {meetings}, {items}, {resolved} resolved; {median_days} days from raising to resolution (median)",
    ),
    "present.f.case.council_year_same_day": (
        "{period}，议事会召开 {meetings} 次，议题 {items} 项，解决 {resolved} 项，半数以上当场议定",
        "{period}: {meetings}, {items}, {resolved} resolved; most agreed at the meeting that raised them",
    ),
    "present.f.case.project": (
        "红色物业示范项目{status}，五红总分 {score}；党群服务站：{station}",
        "Red-property demonstration project: {status}, five-reds score {score}; Party–mass service station: {station}",
    ),
    # the indicator pages' headline (components/headline.py): the finding under the page's title
    "headline.label": ("本页结论", "What this page finds"),
}
