"""UI strings of the /insurance-value page (merged into the one catalogue in components/i18n.py)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.insurance_value": ("保险成效", "Is it worth it?"),
    "value.title": ("保险成效：电梯维修保险值不值", "Is the elevator insurance worth it?"),
    "value.subtitle": (
        "保费与赔款、每台电梯每年的维修花费、困人救援和维保单位表现：用统筹账户的钱买保险，是否比从业主分户账支付维修更划算",
        "Premiums against claims, repair cost per elevator-year, rescue times and maintenance companies: is insurance"
        " bought from the pooled accounts a better use of the owners' money than repairs paid from their ledgers?",
    ),
    # headline cards (the figures GET /api/v1/indicators serves)
    "value.card.premiums": ("保费", "Premiums"),
    "value.card.premiums.note": ("本年起保的保单 {n} 份", "{n} policies starting in the year"),
    "value.card.premiums.note.one": ("本年起保的保单 {n} 份", "{n} policy starting in the year"),
    "value.card.claims": ("赔款", "Claims paid"),
    "value.card.claims.note": ("保险公司本年支付 {n} 笔", "{n} payments by the insurers in the year"),
    "value.card.claims.note.one": ("保险公司本年支付 {n} 笔", "{n} payment by the insurers in the year"),
    "value.card.loss_ratio": ("赔付率", "Loss ratio"),
    "value.card.loss_ratio.note": ("赔款 ÷ 保费", "Claims paid ÷ premiums"),
    "value.card.loss_ratio.none": ("本年无保费，无法计算", "No premiums in the year: no ratio"),
    "value.card.rescue": ("困人救援到达时间（中位数）", "Rescue arrival time (median)"),
    "value.card.rescue.value": ("{m} 分钟", "{m} min"),
    "value.card.rescue.within_limit": ("在30分钟法定时限内", "Within the 30-minute limit"),
    "value.card.rescue.over_limit": ("超过30分钟法定时限", "Beyond the 30-minute limit"),
    "value.card.rescue.note": (
        "困人故障 {n} 次，30分钟内到达 {share}",
        "{n} trapped-passenger incidents, {share} reached within 30 min",
    ),
    "value.card.rescue.note.one": (
        "困人故障 {n} 次，30分钟内到达 {share}",
        "{n} trapped-passenger incident, {share} reached within 30 min",
    ),
    "value.card.rescue.none": ("本年无困人故障", "No trapped-passenger incidents in the year"),
    "value.card.response": ("30分钟内响应故障（已投保电梯）", "Faults answered within 30 min (insured)"),
    "value.card.response.uninsured": ("未投保电梯 {share}", "Uninsured elevators {share}"),
    "value.card.response.gap": ("已投保比未投保 {sign}{pp} 个百分点", "Insured {sign}{pp} pts vs uninsured"),
    "value.card.response.note": (
        "按故障当天是否有有效保单区分（与“电梯保险”页一致）",
        "Insured: a policy in force on the day of the fault (as on the Elevators page)",
    ),
    # premiums against claims
    "value.section.money": ("保费与赔款", "Premiums and claims"),
    "value.chart.insurers": ("各保险公司赔付率", "Loss ratio by insurer"),
    "value.chart.insurers.x": ("赔付率（赔款 ÷ 保费）", "Loss ratio"),
    "value.chart.insurers.all": ("全部保险公司", "All insurers"),
    "value.chart.insurers.none": ("本年没有保费，也没有赔款", "No premiums and no claims in the year"),
    "value.chart.districts": (
        "各区县保费与赔款",
        "Premiums and claims by district",
    ),
    "value.chart.districts.y": ("金额（{unit}）", "Amount ({unit})"),
    "value.series.premiums": ("保费", "Premiums"),
    "value.series.claims": ("赔款", "Claims paid"),
    "value.hover.ratio": ("赔付率 {ratio}", "Loss ratio {ratio}"),
    "value.table.by_city": ("按城市", "By city"),
    "value.table.by_district": ("按区县", "By district"),
    "value.col.insurer": ("保险公司", "Insurer"),
    "value.col.place": ("城市 / 区县", "City / district"),
    "value.col.policies": ("保单（份）", "Policies"),
    "value.col.premiums": ("保费（元）", "Premiums (yuan)"),
    "value.col.claims": ("赔款（笔）", "Claims"),
    "value.col.claims_paid": ("赔款（元）", "Claims paid (yuan)"),
    "value.col.loss_ratio": ("赔付率", "Loss ratio"),
    "value.total": ("合计", "Total"),
    "value.source.policies": (
        "来源：电梯维修保险保单（按起保日）与理赔记录（按支付日） · {period}",
        "Source: elevator insurance policies (by start date) and claims (by payment date) · {period}",
    ),
    # repair cost per elevator-year
    "value.section.cost": ("维修花费", "What repairs cost"),
    "value.chart.repair": (
        "每台电梯每年维修花费：投保后、投保前与从未投保",
        "Repair cost per elevator-year: insured, before insuring and never insured",
    ),
    "value.chart.repair.y": ("元 / 台·年", "Yuan"),
    "value.repair.insured": ("已投保小区<br>（保险赔款）", "Insured compounds<br>(claims paid)"),
    "value.repair.before": (
        "同一批小区投保前{n}年<br>（分户账支出）",
        "Same compounds, {n} years<br>before insuring (ledgers)",
    ),
    "value.repair.never": ("从未投保小区<br>（分户账支出）", "Never-insured compounds<br>(ledgers)"),
    "value.repair.hover": (
        "{compounds} 个小区 · {years} 台·年 · {repairs} 笔 · 合计 {cost}",
        "{compounds} compounds · {years} elevator-years · {repairs} payments · {cost} in all",
    ),
    "value.repair.caveat": (
        "注意：分户账支出包括屋面、管道、外墙等全部共用部位的维修，不只是电梯；投保小区业主所付的是保费（见上方卡片）。",
        "Note: ledger uses pay every repair of the common parts (roofs, pipes, façades), not only elevators; what the"
        " insured compounds' owners pay is the premium (see the cards above).",
    ),
    "value.source.repair": (
        "来源：理赔记录、保单期间与维修资金分户账使用分录 · {period}；投保前为各小区首份保单年度之前的{n}个自然年",
        'Source: claims, policy periods and owner-ledger uses · {period}; "before insuring" is the {n} calendar years'
        " before each compound's first policy",
    ),
    # major repairs
    "value.chart.major": ("大修：保险赔付与分户账列支", "Major repairs: paid by insurance or charged to the ledgers"),
    "value.chart.major.x": ("金额（{unit}）", "Amount ({unit})"),
    "value.major.insurance": ("保险赔付<br>（大修理赔）", "Insurance<br>(major-repair claims)"),
    "value.major.ledger": ("业主分户账列支<br>（维修资金使用）", "Owners' ledgers<br>(fund uses)"),
    "value.major.text": ("{n} 笔 · {amount}", "{n} · {amount}"),
    "value.major.note": (
        "维修资金只用于共用部位的大修、更新和改造，所以每一笔使用都计为大修，并不只是电梯。",
        "The maintenance fund pays only major repairs, renewals and rebuilding of common parts, so every use counts"
        " as a major repair, elevators or not.",
    ),
    "value.source.major": (
        "来源：大修类理赔（按支付日）与维修资金使用分录（按记账日） · {period}",
        "Source: major-repair claims (by payment date) and fund uses (by booking date) · {period}",
    ),
    # rescue
    "value.section.service": ("救援与维保", "Rescue and maintenance"),
    "value.chart.rescue": ("困人救援：到达与解困时间", "Trapped passengers: arrival and release times"),
    "value.chart.rescue.x": ("分钟（自报警起）", "Minutes from the report"),
    "value.rescue.median_arrival": ("到达时间中位数", "Median arrival"),
    "value.rescue.mean_arrival": ("平均到达时间", "Mean arrival"),
    "value.rescue.median_release": ("解困时间中位数", "Median release"),
    "value.rescue.limit": ("到场30分钟法定时限", "30-minute arrival limit"),
    "value.rescue.incidents": ("困人故障（次）", "Incidents"),
    "value.rescue.passengers": ("被困乘客（人）", "Passengers trapped"),
    "value.rescue.arrived": ("有到达记录（次）", "With an arrival time"),
    "value.rescue.within": ("30分钟内到达", "Reached within 30 min"),
    "value.rescue.within.value": ("{n} 次（{share}）", "{n} ({share})"),
    "value.rescue.released": ("有解困记录（次）", "With a release time"),
    "value.rescue.none": ("本年没有困人故障", "No trapped-passenger incidents in the year"),
    "value.rescue.note": (
        "未到场的困人故障不计为30分钟内到达。参考：江苏96333平台2020年平均到达13.1分钟。",
        "An incident nobody reached does not count as within 30 min. For reference: Jiangsu's 96333 platforms"
        " reported 13.1 min average arrival in 2020.",
    ),
    "value.source.rescue": (
        "来源：电梯故障记录（有被困乘客的故障；到达为维保人员到场时间） · {period}",
        "Source: elevator fault records (faults with trapped passengers; arrival is the maintenance crew's) · {period}",
    ),
    # maintenance-company league
    "value.league.title": (
        "维保单位排行（按每百台故障由少到多）",
        "Maintenance companies (fewest faults per 100 elevators first)",
    ),
    "value.col.city": ("城市", "City"),
    "value.col.company": ("维保单位", "Maintenance company"),
    "value.col.elevators": ("电梯（台）", "Elevators"),
    "value.col.faults": ("故障（次）", "Faults"),
    "value.col.per100": ("每百台故障", "Faults per 100"),
    "value.col.repeat": ("重复故障电梯（台）", "Repeat-fault elevators"),
    "value.col.answered": ("30分钟内响应（%）", "Answered within 30 min (%)"),
    "value.col.band": ("维保40–70分钟（%）", "Visits of 40–70 min (%)"),
    "value.col.complaints": ("电梯投诉（件）", "Complaints"),
    "value.col.complaints100": ("每百台投诉", "Complaints per 100"),
    "value.league.note": (
        "电梯按当前登记的维保单位归属；重复故障电梯：本年故障 ≥ {n} 次；投诉为指向该电梯的12345电梯类工单。",
        "Elevators belong to the maintenance company the register names today; a repeat-fault elevator has {n} or"
        " more faults in the year; complaints are 12345 elevator work orders naming the elevator.",
    ),
    "value.source.league": (
        "来源：电梯登记、故障、维保与12345工单记录 · {period}",
        "Source: elevator register, faults, maintenance visits and 12345 work orders · {period}",
    ),
    # how the figures are counted (the card at the foot of the page)
    "value.notes.title": ("口径说明", "How these figures are counted"),
    "value.notes.money": (
        "保费：本年起保的保单的保费；赔款：本年支付的理赔，不论保单哪年起保；赔付率 = 赔款 ÷ 保费。"
        "这是按支付口径的自然年数字，可与维修资金中心的凭证核对。",
        "Premiums: those of the policies starting in the year; claims paid: claims paid in the year, whatever year"
        " their policy started; loss ratio = claims paid ÷ premiums. A paid-basis calendar-year figure, checkable"
        " against the fund centre's vouchers.",
    ),
    "value.notes.response": (
        "30分钟内响应：1月1日至截止日报修的故障中，维保人员30分钟内到场的比例；未到场的不计入。",
        "Answered within 30 min: of the faults reported from 1 January to the as-of date, the share reached within"
        " 30 minutes; faults nobody reached count as not.",
    ),
    "value.notes.cost": (
        "每台每年维修花费：已投保小区为本年赔款 ÷ 本年有保单覆盖的台·年；"
        "投保前为同一批小区首份保单年度之前{n}年的分户账支出 ÷ 那几年在用电梯的台·年；"
        "从未投保为本年分户账支出 ÷ 年初前已投入使用的电梯台数。",
        "Repair cost per elevator-year: insured compounds, the year's claims ÷ the elevator-years their policies"
        " covered; before insuring, the same compounds' ledger uses in the {n} years before their first policy's"
        " year ÷ their elevators' years in service then; never insured, the year's ledger uses ÷ the elevators in"
        " service before the year.",
    ),
    "value.notes.api": (
        "上方卡片的数字与数据共享接口 GET /api/v1/indicators 的 insurance 与 elevators 字段相同。",
        "The cards above show the same figures as the insurance and elevators fields of the data-sharing API"
        " (GET /api/v1/indicators).",
    ),
}
