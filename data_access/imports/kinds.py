"""The kinds of data a bureau imports, described once (see `spec`): tables, columns, natural keys.

**registry** is one workbook with one sheet per entity — property companies, compounds, buildings, units,
elevators — rather than one flat sheet with a record-type column: a clerk's registry already comes as one list
per entity (the fund centre keeps compounds and buildings, the market regulator the elevators), each sheet
then has only its own columns with none left blank "because this row is a building", a sheet can be sorted and
filtered like the list it came from, and a CSV of one list (say the regulator's elevators) imports on its own:
its headers tell which table it is. Parents come before children and a child names its parent by the parent's
natural key (district + compound name, + building number, + unit number), so a new compound and its buildings
can arrive in the same workbook.
"""

from __future__ import annotations

from dataclasses import replace

from data_access.core.models import ClaimKind, FaultSeverity, FundEntryKind, PooledEntryKind, WorkOrderCategory
from data_access.imports.messages import Text
from data_access.imports.spec import Choice, Column, KindSpec, SheetSpec

# --------------------------------------------------------------------------- columns several tables share

CITY = Column(
    "city",
    "城市",
    "City",
    "text",
    description=Text(
        "可不填；填写时须是本次导入的城市（代码、中文名或英文名均可）",
        "optional; when given it must be the city of this import (its code, Chinese or English name)",
    ),
    example="株洲市",
    aliases=("所属城市", "市"),
)
DISTRICT = Column(
    "district",
    "区县",
    "District",
    "text",
    required=True,
    description=Text("本市的区县名称，与系统中的名称一致", "a district of the city, named as in the product"),
    example="天元区",
    max_length=40,
    aliases=("区", "所属区县", "行政区", "区域"),
)
COMPOUND = Column(
    "compound",
    "小区名称",
    "Compound",
    "text",
    required=True,
    description=Text("小区名称；区县加小区名称确定一个小区", "the compound's name; district and name identify it"),
    example="山水文园",
    max_length=80,
    aliases=("小区", "项目名称"),
)
BUILDING = Column(
    "building",
    "楼栋号",
    "Building no.",
    "code",
    required=True,
    description=Text("楼栋（栋/幢）编号，如 1、12、A", "the building's number (栋/幢), e.g. 1, 12, A"),
    example="1",
    max_length=16,
    aliases=("楼栋", "栋号", "幢号", "楼号"),
)
ELEVATOR = Column(
    "elevator",
    "电梯注册代码",
    "Elevator registration code",
    "code",
    required=True,
    description=Text("特种设备注册代码（市场监管部门登记）", "the registration code the market regulator issued"),
    example="43022001000123",
    max_length=32,
    aliases=("注册代码", "设备注册代码", "registration code"),
)
YES_NO_DEFAULT = Text("不填视为“是”", "blank means yes")


def _date(key: str, zh: str, en: str, description: Text, required: bool = False, **more: object) -> Column:
    """A calendar-day column; none of the dates the registry holds can lie in the future."""
    return Column(
        key,
        zh,
        en,
        "date",
        required=required,
        description=description,
        example="2015-03-01",
        not_future=True,
        **more,  # type: ignore[arg-type]
    )


def _count(key: str, zh: str, en: str, unit: Text, description: Text, minimum: int = 0, **more: object) -> Column:
    return Column(
        key,
        zh,
        en,
        "int",
        required=True,
        description=description,
        example="120",
        unit=unit,
        minimum=minimum,
        **more,  # type: ignore[arg-type]
    )


# --------------------------------------------------------------------------- registry

COMPANIES = SheetSpec(
    "companies",
    "物业服务企业",
    "Property companies",
    Text("本市登记的物业服务企业", "property-service companies registered in the city"),
    (
        Column(
            "name",
            "企业名称",
            "Company name",
            "text",
            required=True,
            description=Text("企业全称；本市内按名称识别", "full name; identifies the company within the city"),
            example="株洲瑞丰物业服务有限公司",
            max_length=80,
            aliases=("物业服务企业", "物业公司", "企业"),
        ),
        CITY,
        _date("registered_on", "登记日期", "Registered on", Text("企业登记日期", "date of registration"), True),
        _date(
            "party_org_founded_on",
            "党组织成立日期",
            "Party organisation founded on",
            Text("企业党组织成立日期；尚未成立的不填", "when its Party organisation was founded; blank if none"),
        ),
    ),
    ("name",),
    Text("企业名称", "company name"),
)

COMPOUNDS = SheetSpec(
    "compounds",
    "小区",
    "Compounds",
    Text("住宅小区", "residential compounds"),
    (
        CITY,
        DISTRICT,
        replace(COMPOUND, key="name"),  # the compound's own table calls it "name"; its children "compound"
        _count("households", "户数", "Households", Text("户", "households"), Text("住户数", "number of households")),
        _count("residents", "居住人数", "Residents", Text("人", "people"), Text("常住人口", "resident population")),
        _date("completed_on", "竣工日期", "Completed on", Text("小区竣工日期", "when it was completed"), True),
        Column(
            "property_company",
            "物业服务企业",
            "Property company",
            "text",
            description=Text(
                "服务该小区的物业服务企业名称，须在本市已登记或在本文件的“物业服务企业”表中",
                "the company serving it: registered in the city, or in this file's property-company sheet",
            ),
            example="株洲瑞丰物业服务有限公司",
            max_length=80,
            aliases=("物业公司", "物业企业"),
        ),
        _date(
            "owners_committee_formed_on",
            "业委会成立日期",
            "Owners' committee formed on",
            Text("业主委员会成立日期；尚未成立的不填", "when the owners' committee was formed; blank if none"),
        ),
        Column(
            "management_orderly",
            "物业管理有序",
            "Management orderly",
            "bool",
            description=Text(
                f"住建部门对物业管理是否有序的认定（投保条件之三）；{YES_NO_DEFAULT.zh}",
                f"the bureau's finding that management is orderly (eligibility condition 3); {YES_NO_DEFAULT.en}",
            ),
            example="是",
        ),
        _date(
            "party_org_founded_on",
            "小区党组织成立日期",
            "Party organisation founded on",
            Text("小区党组织成立日期；尚未成立的不填", "when the compound's Party organisation was founded"),
        ),
    ),
    ("district", "name"),
    Text("区县和小区名称", "district and compound name"),
)
BUILDINGS = SheetSpec(
    "buildings",
    "楼栋",
    "Buildings",
    Text("小区的楼栋（栋/幢）", "the compounds' buildings"),
    (
        CITY,
        DISTRICT,
        COMPOUND,
        replace(BUILDING, key="number"),
        _count("floors", "层数", "Floors", Text("层", "floors"), Text("地上层数", "above ground"), 1, maximum=99),
    ),
    ("district", "compound", "number"),
    Text("区县、小区和楼栋号", "district, compound and building number"),
)

UNITS = SheetSpec(
    "units",
    "单元",
    "Units",
    Text("楼栋的单元（梯位）", "the buildings' units (stairwells)"),
    (
        CITY,
        DISTRICT,
        COMPOUND,
        BUILDING,
        Column(
            "number",
            "单元号",
            "Unit no.",
            "code",
            required=True,
            description=Text("单元编号，如 1、2", "the unit's number, e.g. 1, 2"),
            example="1",
            max_length=16,
            aliases=("单元",),
        ),
        _count("households", "户数", "Households", Text("户", "households"), Text("该单元的住户数", "households")),
    ),
    ("district", "compound", "building", "number"),
    Text("区县、小区、楼栋号和单元号", "district, compound, building and unit number"),
)

ELEVATORS = SheetSpec(
    "elevators",
    "电梯",
    "Elevators",
    Text("在用电梯（市场监管部门的注册信息）", "elevators in use (as registered with the market regulator)"),
    (
        replace(
            ELEVATOR,
            key="registration_code",
            zh="注册代码",
            en="Registration code",
            aliases=("电梯注册代码", "设备注册代码", "注册码"),
        ),
        CITY,
        DISTRICT,
        COMPOUND,
        BUILDING,
        Column(
            "unit",
            "单元号",
            "Unit no.",
            "code",
            description=Text("电梯所在单元；整栋共用的电梯不填", "the unit it serves; blank for a whole building"),
            example="1",
            max_length=16,
            aliases=("单元",),
        ),
        _date(
            "in_service_on",
            "投入使用日期",
            "In service since",
            Text("投入使用日期（判断是否过了质保期）", "when it entered service (decides the warranty)"),
            True,
            aliases=("使用日期", "投用日期"),
        ),
        Column(
            "maintenance_company",
            "维保单位",
            "Maintenance company",
            "text",
            description=Text("维护保养单位名称；系统中没有的会新增", "its maintenance company; a new name is added"),
            example="湖南某电梯工程有限公司",
            max_length=80,
            aliases=("维保公司", "维护保养单位"),
        ),
        Column(
            "maintenance_normal",
            "维保正常",
            "Maintenance normal",
            "bool",
            description=Text(
                f"最近一次检查维保是否正常（投保条件之三）；{YES_NO_DEFAULT.zh}",
                f"the last inspection found maintenance normal (condition 3); {YES_NO_DEFAULT.en}",
            ),
            example="是",
        ),
        Column(
            "insurer_conditions_met",
            "符合承保条件",
            "Meets the insurer's conditions",
            "bool",
            description=Text(
                f"是否符合保险公司的基本承保条件（投保条件之五）；{YES_NO_DEFAULT.zh}",
                f"meets the insurer's basic conditions (condition 5); {YES_NO_DEFAULT.en}",
            ),
            example="是",
        ),
    ),
    ("registration_code",),
    Text("注册代码", "registration code"),
)

REGISTRY = KindSpec(
    "registry",
    "房屋与电梯登记",
    "Registry",
    Text("物业服务企业、小区、楼栋、单元和电梯", "property companies, compounds, buildings, units and elevators"),
    (COMPANIES, COMPOUNDS, BUILDINGS, UNITS, ELEVATORS),
)

# --------------------------------------------------------------------------- 12345 work orders

_CATEGORY_LABELS = {
    "elevator": ("电梯", "Elevators"),
    "property_fee": ("物业费", "Property fees"),
    "water_leak": ("漏水", "Water leaks"),
    "ebike_charging": ("电动车充电", "E-bike charging"),
    "parking": ("停车", "Parking"),
    "noise": ("噪音", "Noise"),
    "sanitation": ("环境卫生", "Sanitation"),
    "other": ("其他", "Other"),
}

WORK_ORDERS = SheetSpec(
    "work_orders",
    "12345工单",
    "Work orders",
    Text("12345 市长热线中与住宅小区有关的工单", "12345 mayor-hotline work orders about residential compounds"),
    (
        Column(
            "order_no",
            "工单编号",
            "Work-order no.",
            "code",
            required=True,
            description=Text("热线系统的工单编号（唯一）", "the hotline system's work-order number (unique)"),
            example="ZZ20240000123",
            max_length=24,
            aliases=("工单号",),
        ),
        Column(
            "received_at",
            "受理时间",
            "Received at",
            "datetime",
            required=True,
            description=Text("热线受理时间（北京时间）", "when the hotline received it (Beijing time)"),
            example="2024-09-15 08:30",
            not_future=True,
            aliases=("来电时间",),
        ),
        Column(
            "category",
            "诉求类别",
            "Category",
            "enum",
            required=True,
            description=Text("诉求分类", "what the complaint is about"),
            example="电梯",
            choices=tuple(Choice(c.value, *_CATEGORY_LABELS[c.value]) for c in WorkOrderCategory),
            enum=WorkOrderCategory,
            aliases=("类别", "诉求分类"),
        ),
        CITY,
        DISTRICT,
        replace(
            COMPOUND,
            required=False,
            description=Text(
                "涉及的小区；须是系统中该区县已有的小区，不涉及具体小区的不填",
                "the compound concerned: one the product already holds in that district; blank if none",
            ),
        ),
        replace(
            ELEVATOR,
            required=False,
            description=Text(
                "涉及的电梯（可不填）；须是所填小区的电梯", "the elevator concerned (optional): one of that compound's"
            ),
        ),
        Column(
            "summary",
            "诉求摘要",
            "Summary",
            "text",
            required=True,
            description=Text("诉求内容摘要，不含来电人个人信息", "what was asked, without the caller's personal data"),
            example="3栋2单元电梯频繁停运",
            max_length=200,
            aliases=("诉求内容", "摘要"),
        ),
        Column(
            "closed_at",
            "办结时间",
            "Closed at",
            "datetime",
            description=Text("办结时间；未办结的不填", "when it was closed; blank while open"),
            example="2024-09-18 17:00",
            not_future=True,
            not_before="received_at",
        ),
        Column(
            "satisfaction",
            "满意度",
            "Satisfaction",
            "int",
            description=Text(
                "回访满意度：1 非常不满意 … 5 非常满意；未回访的不填",
                "1 very dissatisfied … 5 very satisfied; blank if none",
            ),
            example="5",
            minimum=1,
            maximum=5,
            aliases=("满意度评价",),
        ),
    ),
    ("order_no",),
    Text("工单编号", "work-order number"),
)

WORK_ORDERS_KIND = KindSpec(
    "work-orders",
    "12345热线工单",
    "12345 hotline work orders",
    WORK_ORDERS.description,
    (WORK_ORDERS,),
)

# --------------------------------------------------------------------------- elevator faults and visits

FAULTS = SheetSpec(
    "faults",
    "电梯故障",
    "Faults",
    Text("96333 / 智慧电梯平台记录的电梯故障", "elevator faults as the 96333 / smart-elevator platform records them"),
    (
        ELEVATOR,
        Column(
            "reported_at",
            "报告时间",
            "Reported at",
            "datetime",
            required=True,
            description=Text(
                "故障报告时间（北京时间）；与注册代码一起确定一条故障",
                "when reported; with the code it identifies the fault",
            ),
            example="2024-09-15 08:30",
            not_future=True,
            aliases=("报警时间", "故障时间"),
        ),
        Column(
            "responded_at",
            "响应时间",
            "Responded at",
            "datetime",
            description=Text("维保人员到场响应时间；未响应的不填", "when the maintenance company responded"),
            example="2024-09-15 08:52",
            not_future=True,
            not_before="reported_at",
            aliases=("到场时间",),
        ),
        Column(
            "repaired_at",
            "修复时间",
            "Repaired at",
            "datetime",
            description=Text("修复时间；未修复的不填", "when it was repaired; blank while not"),
            example="2024-09-15 11:00",
            not_future=True,
            not_before="reported_at",
        ),
        Column(
            "severity",
            "故障等级",
            "Severity",
            "enum",
            required=True,
            description=Text("一般故障或重大故障（重大故障须 24 小时内修复）", "minor, or major (repair due in 24 h)"),
            example="一般",
            choices=(Choice("minor", "一般", "minor"), Choice("major", "重大", "major")),
            enum=FaultSeverity,
        ),
        Column(
            "trapped_passengers",
            "困人数",
            "Trapped passengers",
            "int",
            description=Text("被困乘客人数；不填视为 0", "passengers trapped; blank means 0"),
            example="0",
            unit=Text("人", "people"),
            minimum=0,
        ),
        Column(
            "released_at",
            "解困时间",
            "Released at",
            "datetime",
            description=Text(
                "被困乘客全部救出的时间；无人被困或未记录的不填",
                "when every trapped passenger was let out; blank when nobody was trapped",
            ),
            example="",
            not_future=True,
            not_before="reported_at",
            aliases=("救出时间",),
        ),
        Column(
            "cause",
            "故障原因",
            "Cause",
            "text",
            required=True,
            description=Text("故障原因", "the fault's cause"),
            example="门锁回路故障",
            max_length=40,
            aliases=("原因",),
        ),
    ),
    ("elevator", "reported_at"),
    Text("注册代码和报告时间", "registration code and time reported"),
)

VISITS = SheetSpec(
    "visits",
    "维保记录",
    "Maintenance visits",
    Text("电梯维护保养记录", "elevator maintenance visits"),
    (
        ELEVATOR,
        Column(
            "started_at",
            "开始时间",
            "Started at",
            "datetime",
            required=True,
            description=Text(
                "维保开始时间；与注册代码一起确定一次维保", "when it began; with the code it identifies the visit"
            ),
            example="2024-09-15 09:00",
            not_future=True,
            aliases=("维保时间", "维保开始时间"),
        ),
        Column(
            "duration_minutes",
            "维保时长",
            "Duration",
            "int",
            required=True,
            description=Text("维保用时", "how long it took"),
            example="55",
            unit=Text("分钟", "minutes"),
            minimum=1,
            maximum=1_440,
            aliases=("时长",),
        ),
    ),
    ("elevator", "started_at"),
    Text("注册代码和开始时间", "registration code and start time"),
)

FAULTS_KIND = KindSpec("faults", "电梯故障", "Elevator faults", FAULTS.description, (FAULTS,))
VISITS_KIND = KindSpec("visits", "电梯维保记录", "Maintenance visits", VISITS.description, (VISITS,))

# --------------------------------------------------------------------------- maintenance-fund ledgers
#
# The fund centre's ledgers are lists of entries, each under its own voucher number (`reference`, the natural
# key: unique across the province, as work-order and policy numbers are). An amount is always above zero; the
# entry kind says whether it is money in (deposit, interest, value-added income) or out (use, premium). Every
# entry belongs to a building that is already registered (the registry kind comes first).

_FUND_KIND_LABELS = {
    "deposit": ("缴存", "Deposit"),
    "benchmark_interest": ("基准利率利息", "Benchmark interest"),
    "use": ("使用", "Use"),
}
_POOLED_KIND_LABELS = {
    "value_added_income": ("增值收益", "Value-added income"),
    "premium": ("保费", "Premium"),
    "other_use": ("其他使用", "Other use"),
    "premium_refund": ("退保退费", "Premium refund"),
}
FUND_CHOICES = tuple(Choice(k.value, *_FUND_KIND_LABELS[k.value]) for k in FundEntryKind)
POOLED_CHOICES = tuple(Choice(k.value, *_POOLED_KIND_LABELS[k.value]) for k in PooledEntryKind)
OWNER_LEDGER = Text("业主分户账（“维修资金分户账”模板）", "the owner ledgers (the fund-ledger template)")
POOLED_LEDGER = Text("统筹账户（“统筹账户”模板）", "the pooled accounts (the pooled-accounts template)")


def _reference(description: Text, example: str) -> Column:
    return Column(
        "reference",
        "凭证号",
        "Reference",
        "code",
        required=True,
        description=description,
        example=example,
        max_length=40,
        aliases=("记账凭证号", "凭证编号", "业务流水号", "流水号", "voucher no."),
    )


def _booked_on(description: Text) -> Column:
    return Column(
        "booked_on",
        "记账日期",
        "Booked on",
        "date",
        required=True,
        description=description,
        example="2024-12-31",
        not_future=True,
        aliases=("入账日期", "交易日期", "日期"),
    )


def _money(key: str, zh: str, en: str, description: Text, example: str, aliases: tuple[str, ...]) -> Column:
    """A required amount of yuan above zero (exact to the fen)."""
    return Column(
        key,
        zh,
        en,
        "money",
        required=True,
        description=description,
        example=example,
        unit=Text("元", "yuan"),
        positive=True,
        aliases=aliases,
    )


def _amount(description: Text) -> Column:
    return _money("amount", "金额", "Amount", description, "1,234.50", ("发生额",))


UNIT_OF_ACCOUNT = Column(
    "unit",
    "单元号",
    "Unit no.",
    "code",
    description=Text("按单元设立的统筹账户填单元号；按楼栋设立的不填", "for an account per unit; blank per building"),
    example="1",
    max_length=16,
    aliases=("单元",),
)

FUND_ENTRIES = SheetSpec(
    "fund_entries",
    "维修资金分户账",
    "Owner ledgers",
    Text(
        "维修资金管理中心的业主分户账记录（按楼栋汇总）：缴存、基准利率利息、使用",
        "the fund centre's owner-ledger entries, per building: deposits, benchmark interest, uses",
    ),
    (
        _reference(
            Text("记账凭证号（唯一）；重复导入时据此识别同一笔记录", "the voucher number (unique): names the entry"),
            "XT-2024-000123",
        ),
        CITY,
        DISTRICT,
        COMPOUND,
        BUILDING,
        _booked_on(Text("记账日期", "the day it was booked")),
        Column(
            "kind",
            "业务类型",
            "Entry kind",
            "enum",
            required=True,
            description=Text(
                "缴存、基准利率利息（记入业主分户账）或使用；增值收益记入统筹账户",
                "deposit, benchmark interest (to the owners' ledgers) or use; value-added income goes to the pooled"
                " accounts",
            ),
            example="缴存",
            choices=FUND_CHOICES,
            enum=FundEntryKind,
            misplaced=POOLED_CHOICES,
            elsewhere=POOLED_LEDGER,
            aliases=("类型", "业务类别", "收支类型"),
        ),
        _amount(Text("金额，精确到分；一律填正数，收支方向由业务类型表示", "exact to the fen; always positive")),
        Column(
            "memo",
            "摘要",
            "Memo",
            "text",
            description=Text("摘要，如“3栋屋面防水维修”", "what it was for, e.g. a repair"),
            example="3栋屋面防水维修",
            max_length=120,
            aliases=("备注", "用途"),
        ),
    ),
    ("reference",),
    Text("凭证号", "reference"),
)

FUND_LEDGER_KIND = KindSpec(
    "fund-ledger",
    "维修资金分户账",
    "Maintenance-fund owner ledgers",
    FUND_ENTRIES.description,
    (FUND_ENTRIES,),
)

POOLED_ACCOUNTS = SheetSpec(
    "pooled_accounts",
    "统筹账户",
    "Pooled accounts",
    Text("按楼栋或单元设立的统筹账户（归集增值收益）", "pooled accounts per building or unit (value-added income)"),
    (
        CITY,
        DISTRICT,
        COMPOUND,
        BUILDING,
        UNIT_OF_ACCOUNT,
        Column(
            "opened_on",
            "开户日期",
            "Opened on",
            "date",
            required=True,
            description=Text("统筹账户设立日期", "the day the account was opened"),
            example="2023-01-01",
            not_future=True,
            aliases=("设立日期",),
        ),
    ),
    ("district", "compound", "building", "unit"),
    Text("区县、小区、楼栋号和单元号", "district, compound, building and unit number"),
)

POOLED_ENTRIES = SheetSpec(
    "pooled_entries",
    "统筹账户收支",
    "Pooled-account entries",
    Text("统筹账户的收支：增值收益、保费、其他使用", "the accounts' entries: value-added income, premiums, uses"),
    (
        _reference(
            Text("记账凭证号（唯一）；保单的“缴费凭证号”引用保费支出的凭证号", "the voucher number (unique)"),
            "XT-TC-2024-000045",
        ),
        CITY,
        DISTRICT,
        COMPOUND,
        BUILDING,
        replace(
            UNIT_OF_ACCOUNT,
            description=Text("账户按单元设立时填单元号；按楼栋设立的不填", "the account's unit; blank per building"),
        ),
        _booked_on(Text("记账日期；不早于账户的开户日期", "the day it was booked; not before the account opened")),
        Column(
            "kind",
            "收支类型",
            "Entry kind",
            "enum",
            required=True,
            description=Text(
                "增值收益（收入）、保费或其他使用（支出）", "value-added income (in), premium or other use (out)"
            ),
            example="增值收益",
            choices=POOLED_CHOICES,
            enum=PooledEntryKind,
            misplaced=FUND_CHOICES,
            elsewhere=OWNER_LEDGER,
            aliases=("类型", "业务类型"),
        ),
        _amount(Text("金额，精确到分；一律填正数，收支方向由收支类型表示", "exact to the fen; always positive")),
    ),
    ("reference",),
    Text("凭证号", "reference"),
)

POOLED_ACCOUNTS_KIND = KindSpec(
    "pooled-accounts",
    "统筹账户",
    "Pooled accounts",
    Text("统筹账户及其收支", "the pooled accounts and their entries"),
    (POOLED_ACCOUNTS, POOLED_ENTRIES),
)

# --------------------------------------------------------------------------- insurance policies

POLICIES = SheetSpec(
    "policies",
    "电梯维修保险保单",
    "Insurance policies",
    Text(
        "电梯维修保险保单（每部电梯每个保险期间一张）；须有已批准的投保申请",
        "elevator maintenance insurance policies, one per elevator and period, bought under an approved application",
    ),
    (
        Column(
            "policy_no",
            "保单号",
            "Policy no.",
            "code",
            required=True,
            description=Text("保险单号（唯一）", "the policy number (unique)"),
            example="PDAA202443030000123",
            max_length=40,
            aliases=("保险单号", "保单编号"),
        ),
        replace(ELEVATOR, description=Text("投保电梯的注册代码（本市电梯）", "the insured elevator (of the city)")),
        Column(
            "insurer",
            "保险公司",
            "Insurer",
            "text",
            required=True,
            description=Text(
                "承保的保险公司全称；系统中没有的会新增（试运行的报告会列出新增数）",
                "the insurer's full name; a new name is added (the dry run counts the additions)",
            ),
            example="中国人民财产保险股份有限公司湘潭市分公司",
            max_length=80,
            aliases=("承保公司", "保险人"),
        ),
        Column(
            "period_start",
            "保险起期",
            "Cover from",
            "date",
            required=True,
            description=Text("保险期间的第一天；须在投保申请批准之后", "the first day of cover; after the approval"),
            example="2024-10-01",
            aliases=("起保日期", "保险起始日期"),
        ),
        Column(
            "period_end",
            "保险止期",
            "Cover to (last day)",
            "date",
            required=True,
            description=Text("保险期间的最后一天（含当日），如保单所载", "the last day covered, as on the policy"),
            example="2025-09-30",
            not_before="period_start",
            aliases=("终保日期", "保险终止日期", "Cover to"),
        ),
        _money(
            "premium",
            "保费",
            "Premium",
            Text("本期保费，精确到分", "the premium for the period, exact to the fen"),
            "2,200.00",
            ("保险费", "保费金额"),
        ),
        _money(
            "cover",
            "保额",
            "Cover",
            Text("每部电梯每年的维修保险金额", "repair cover per elevator and year"),
            "8万元",
            ("保险金额", "每年保额"),
        ),
        Column(
            "premium_reference",
            "缴费凭证号",
            "Premium voucher",
            "code",
            description=Text(
                "从统筹账户支付本期保费的凭证号（统筹账户收支中的保费支出，同一楼栋）；未记账的不填",
                "the pooled-account premium entry that paid it (same building); blank if not booked",
            ),
            example="XT-TC-2024-000045",
            max_length=40,
            aliases=("保费凭证号",),
        ),
    ),
    ("policy_no",),
    Text("保单号", "policy number"),
)
POLICIES_KIND = KindSpec(
    "policies",
    "电梯维修保险保单",
    "Insurance policies",
    POLICIES.description,
    (POLICIES,),
)

# --------------------------------------------------------------------------- insurance claims
#
# The insurer's repair payments (理赔), each under the insurer's claim number. A claim names its policy by number;
# the policy names the elevator, so the fault a claim answers needs only the time it was reported: with the
# policy's registration code that is the faults template's own key. The registration code column is optional and,
# when filled, a check that the policy number is the one meant (insurers' claim lists carry it).

_CLAIM_KIND_LABELS = {
    "repair": ("维修", "Repair"),
    "parts": ("更换配件", "Parts"),
    "major_repair": ("大修", "Major repair"),
}
CLAIM_CHOICES = tuple(Choice(k.value, *_CLAIM_KIND_LABELS[k.value]) for k in ClaimKind)

CLAIMS = SheetSpec(
    "claims",
    "理赔记录",
    "Claims",
    Text(
        "保险公司按电梯维修保险保单支付的维修费用（理赔）；保单须已在系统中",
        "the repairs insurers paid under the elevator maintenance insurance policies; the policy must be stored",
    ),
    (
        Column(
            "reference",
            "理赔编号",
            "Claim number",
            "code",
            required=True,
            description=Text(
                "保险公司的理赔（赔案）编号（唯一）；重复导入时据此识别同一笔理赔",
                "the insurer's claim number (unique): names the claim when a file is imported again",
            ),
            example="XTLP2025000123",
            max_length=40,
            aliases=("理赔号", "赔案号", "赔案编号", "claim no."),
        ),
        Column(
            "policy_no",
            "保单号",
            "Policy no.",
            "code",
            required=True,
            description=Text(
                "所依据的保单号：须是本市已导入（或在系统中购买）的保单",
                "the policy it was paid under: a policy of the city, imported or bought in the product",
            ),
            example="PDAA202443030000123",
            max_length=40,
            aliases=("保险单号", "保单编号"),
        ),
        replace(
            ELEVATOR,
            required=False,
            description=Text(
                "可不填；填写时须是该保单所保电梯的注册代码（用于核对保单号）",
                "optional; when given it must be the policy's elevator (a check on the policy number)",
            ),
        ),
        Column(
            "paid_on",
            "赔付日期",
            "Paid on",
            "date",
            required=True,
            description=Text(
                "保险公司支付赔款的日期；不早于保险起期", "the day the insurer paid; not before the cover began"
            ),
            example="2025-03-05",
            not_future=True,
            aliases=("支付日期", "赔款日期", "赔款支付日期"),
        ),
        _money(
            "amount",
            "赔付金额",
            "Amount paid",
            Text(
                "赔款金额，精确到分；一张保单的赔付合计不超过其保额",
                "the amount paid, exact to the fen; a policy's claims together stay within its cover",
            ),
            "1,234.50",
            ("赔款金额", "理赔金额", "赔付额"),
        ),
        Column(
            "kind",
            "类别",
            "Kind",
            "enum",
            required=True,
            description=Text("维修、更换配件或大修", "repair, parts or major repair"),
            example="维修",
            choices=CLAIM_CHOICES,
            enum=ClaimKind,
            aliases=("理赔类别", "赔付类别", "类型"),
        ),
        Column(
            "fault_reported_at",
            "故障报告时间",
            "Fault reported at",
            "datetime",
            description=Text(
                "所赔故障的报告时间：与保单所保电梯一起确定“电梯故障”中的一条故障，须在保险期间内；"
                "与故障无关的（如保养中更换配件）不填",
                "when the fault it answers was reported: with the policy's elevator it names a fault of the faults"
                " template, within the cover; blank when no fault (parts replaced on maintenance)",
            ),
            example="2025-02-01 10:00",
            not_future=True,
            aliases=("故障时间", "对应故障报告时间"),
        ),
    ),
    ("reference",),
    Text("理赔编号", "claim number"),
)
CLAIMS_KIND = KindSpec("claims", "理赔记录", "Claims", CLAIMS.description, (CLAIMS,))

# In the order a city's files load: the registry first, each kind after the kinds its records name (claims name
# policies and faults, so they come last).
KINDS: dict[str, KindSpec] = {
    k.key: k
    for k in (
        REGISTRY,
        FUND_LEDGER_KIND,
        POOLED_ACCOUNTS_KIND,
        POLICIES_KIND,
        WORK_ORDERS_KIND,
        FAULTS_KIND,
        VISITS_KIND,
        CLAIMS_KIND,
    )
}
# How a report names its counts: each table, and what an import adds on the side.
TABLE_LABELS: dict[str, Text] = {
    **{s.key: s.label for k in KINDS.values() for s in k.sheets},
    "maintenance_companies": Text("维保单位（新增）", "Maintenance companies (added)"),
    "insurers": Text("保险公司（新增）", "Insurers (added)"),
}
