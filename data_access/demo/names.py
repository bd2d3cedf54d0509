"""Word lists and text templates for plausible, clearly synthetic Chinese demo names.

Company and insurer names are invented (no real firm is implied); the four compound names that the
seed documents mention are real and are added by the generator, never produced here.
"""

from __future__ import annotations

import random

# Two-character words that Hunan developers like to put in front of a compound suffix (no place names,
# so that no Zhuzhou compound is named after a Xiangtan district or the other way round).
# fmt: off
COMPOUND_WORDS: tuple[str, ...] = (
    "金色", "华府", "锦绣", "翠竹", "碧水", "盛世", "龙泉", "凤凰", "湘江", "江南", "明珠", "泰和",
    "嘉禾", "和平", "福星", "瑞祥", "欣荣", "鑫源", "宏达", "富康", "丽景", "春华", "秋实", "云栖",
    "枫林", "桂花", "兰亭", "梅溪", "松涛", "竹韵", "星辰", "月湖", "阳光", "东方", "南湖", "西城",
    "北辰", "新天", "景苑", "御景", "君悦", "悦澜", "雅居", "怡园", "康乐", "安居", "馨园", "书香",
    "学府", "滨江", "湖畔", "山语", "听涛", "望岳", "时代", "世纪", "国际", "中央", "城市", "华庭",
    "金城", "银河", "长岭", "白石", "枫溪", "湘水", "红旗", "海棠", "香樟", "银杏", "梧桐", "锦华",
    "晴川", "观澜", "江山", "华章", "盛景", "润泽", "清风", "建设", "铁路", "钻石", "航空", "电力",
    "清水", "紫薇", "玉兰", "芙蓉", "锦江", "万家", "百合", "千禧", "恒泰", "美林", "绿洲", "翡翠",
    "尚品", "丽都", "华美", "金桥",
)
COMPOUND_SUFFIXES: tuple[str, ...] = (
    "花园", "小区", "家园", "苑", "雅苑", "华庭", "公馆", "新城", "名邸", "嘉园", "佳园", "山庄",
    "湾", "府", "广场", "新村", "一品", "城", "丽都", "御府", "公寓", "庭院", "雅居", "水岸",
    "名城", "天地", "星城", "首府", "世家", "花苑",
)
# fmt: on

SURNAMES: str = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫"
    "孔向汤易文欧阳"
)
GIVEN_CHARS: str = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志文辉鹏宇婷雪琴云飞斌波凯浩然晨"
    "俊峰亮林海燕萍春秋丹阳新利清德春生永福胜利国庆卫东小军红霞建华爱民桂芳湘湘潭株满香翠娥秋菊"
)

COMPANY_CHARS: str = "瑞丰华泰安宏盛嘉和祥鑫源康达永信诚邦恒远德隆兴旺顺佳美凯新湘江楚天宇星辰锦绣"
COMPANY_FORMS: tuple[str, ...] = (
    "{city}{brand}物业服务有限公司",
    "湖南{brand}物业管理有限公司",
    "{city}{brand}物业管理有限公司",
    "湖南{brand}物业服务集团有限公司{city}分公司",
    "{city}市{brand}物业有限公司",
)

# Invented insurers and elevator maintenance firms (deliberately not real company names).
INSURERS: tuple[str, ...] = (
    "湘安财产保险股份有限公司湖南分公司",
    "潇湘联合财产保险股份有限公司",
    "华瑞安泰财产保险股份有限公司湖南分公司",
    "中湘财产保险股份有限公司株洲中心支公司",
    "岳麓财产保险股份有限公司湘潭中心支公司",
)
ZHUZHOU_INSURERS: tuple[int, ...] = (0, 1, 2, 3)  # indexes into INSURERS: the tendered panel
XIANGTAN_INSURERS: tuple[int, ...] = (0, 1, 4)
MAINTENANCE_COMPANIES: tuple[str, ...] = (
    "株洲恒通电梯工程有限公司",
    "株洲安达电梯服务有限公司",
    "湖南湘运电梯安装维修有限公司",
    "湖南长株潭电梯技术服务有限公司",
    "湘潭宏升电梯工程有限公司",
    "湘潭顺安电梯维保有限公司",
)
ZHUZHOU_MAINTAINERS: tuple[int, ...] = (0, 1, 2, 3)
XIANGTAN_MAINTAINERS: tuple[int, ...] = (2, 3, 4, 5)

STATION_THEMES: tuple[str, ...] = (
    "{c}党建睦邻吧",
    "{c}“雷锋号”志愿者之家",
    "{c}“和事佬”红色工作室",
    "{c}党群服务站",
    "{c}红色驿站",
    "{c}邻里红色议事角",
)

FAULT_CAUSES: tuple[str, ...] = ("门系统故障", "曳引系统故障", "电气控制故障", "人为使用不当", "停电", "其他")
FAULT_CAUSE_WEIGHTS: tuple[int, ...] = (34, 10, 21, 20, 5, 10)

VENUES: tuple[str, ...] = ("小区党群服务站", "社区会议室", "物业服务中心会议室")
MAIN_VENUE = "红色议事厅"


def person(rng: random.Random) -> str:
    """A plausible Chinese personal name: surname plus one or two given-name characters."""
    surname = rng.choice(SURNAMES[:-2]) if rng.random() < 0.99 else "欧阳"
    given = rng.choice(GIVEN_CHARS)
    if rng.random() < 0.7:
        given += rng.choice(GIVEN_CHARS)
    return surname + given


def compound_name(rng: random.Random) -> str:
    """One candidate compound name; the caller keeps drawing until it is unique in its city."""
    first = rng.choice(COMPOUND_WORDS)
    if rng.random() < 0.45:
        second = rng.choice(COMPOUND_WORDS)
        if second != first:
            first += second
    return first + rng.choice(COMPOUND_SUFFIXES)


def company_name(rng: random.Random, city_short: str) -> str:
    brand = rng.choice(COMPANY_CHARS) + rng.choice(COMPANY_CHARS)
    return rng.choice(COMPANY_FORMS).format(city=city_short, brand=brand)


# --------------------------------------------------------------------------- 12345 work orders

WORK_ORDER_TEMPLATES: dict[str, tuple[str, ...]] = {
    "elevator": (
        "{c}{b}栋{u}单元电梯运行时异响明显，居民担心安全",
        "{c}{b}栋{u}单元电梯频繁停运，老人上下楼困难",
        "{c}{b}栋{u}单元电梯发生困人，救援等待时间较长",
        "{c}{b}栋{u}单元电梯停运多日仍未修复",
        "{c}{b}栋{u}单元电梯门开关不正常，存在夹人隐患",
        "{c}{b}栋{u}单元电梯维修费用分摊难，迟迟无人维修",
    ),
    "property_fee": (
        "{c}业主反映物业费收费标准不透明",
        "{c}物业费上调未征求业主意见",
        "{c}业主对公共收益使用情况有疑问",
    ),
    "water_leak": (
        "{c}{b}栋楼上住户渗水至楼下，协商无果",
        "{c}{b}栋外墙渗水，雨天屋内潮湿",
        "{c}{b}栋楼顶防水层破损漏水",
    ),
    "ebike_charging": (
        "{c}居民在楼道内给电动车充电，存在火灾隐患",
        "{c}地下车库缺少电动车充电设施",
        "{c}电动车飞线充电现象屡禁不止",
    ),
    "parking": (
        "{c}停车位不足，车辆乱停乱放堵塞消防通道",
        "{c}外来车辆占用小区车位",
        "{c}车位划线不合理，出入困难",
    ),
    "noise": (
        "{c}夜间装修噪音扰民",
        "{c}广场舞音响声音过大",
        "{c}{b}栋楼下商铺噪音影响休息",
    ),
    "sanitation": (
        "{c}垃圾清运不及时，异味明显",
        "{c}绿化带杂草丛生无人打理",
        "{c}化粪池堵塞外溢",
    ),
    "other": (
        "{c}小区路灯损坏多日无人维修",
        "{c}单元门禁损坏，陌生人随意进出",
        "{c}小区道路破损坑洼",
    ),
}

# --------------------------------------------------------------------------- four-party council texts

AGENDA_TEXTS: dict[str, dict[str, tuple[str, ...]]] = {
    "ebike_charging": {
        "title": ("地下车库电动车集中充电点建设", "楼道电动车充电安全整治", "增设电动自行车充电桩"),
        "description": (
            "居民反映部分住户把电动车推进楼道充电，消防隐患突出，希望在地下车库设置集中充电点。",
            "现有充电桩数量不足，晚间排队充电，部分居民私拉电线。",
        ),
        "resolution": (
            "在地下车库划定集中充电区，安装智能充电桩{n}个，由物业负责日常管理，按次计费。",
            "增设充电桩{n}个并配置灭火器材，楼道内禁止停放和充电，党员志愿者轮流劝导。",
        ),
    },
    "water_leak": {
        "title": ("{b}栋住户之间渗漏水纠纷调解", "{b}栋楼顶防水维修", "{b}栋外墙渗水处理"),
        "description": (
            "{b}栋楼上卫生间渗水影响楼下住户，双方多次协商未果。",
            "雨季{b}栋顶层住户屋内渗水，需动用维修资金修复防水层。",
        ),
        "resolution": (
            "由物业联系施工队维修，维修费用和楼下损失由相关住户协商分担，双方签字确认。",
            "按一般使用流程申请维修资金修复防水层，业委会全程监督施工质量。",
        ),
    },
    "add_elevator": {
        "title": ("{b}栋加装电梯意见征集", "{b}栋加装电梯费用分摊方案"),
        "description": (
            "{b}栋老年住户较多，上下楼不便，部分业主提出加装电梯。",
            "加装电梯方案已初步形成，低楼层住户对采光和费用分摊有顾虑。",
        ),
        "resolution": (
            "按楼层系数分摊加装费用，低楼层住户给予适当补偿，签字同意后报批施工。",
            "成立加装电梯业主小组，由社区协助办理审批手续。",
        ),
    },
    "parking": {
        "title": ("小区停车位改造及重新划线", "外来车辆管理办法", "消防通道停车整治"),
        "description": (
            "小区车位紧张，车辆占用消防通道现象严重。",
            "部分外来车辆长期占用小区车位，业主意见较大。",
        ),
        "resolution": (
            "利用闲置空地新增车位{n}个，重新规划行车路线，消防通道设置禁停标识。",
            "实行车辆登记管理，外来车辆限时停放，收益纳入公共收益账户。",
        ),
    },
    "unsafe_facility": {
        "title": ("破损健身器材更换", "{b}栋附近破损围栏整改", "小区儿童游乐设施安全整改"),
        "description": (
            "部分公共设施年久失修，存在安全隐患，居民要求尽快整改。",
            "{b}栋旁围栏锈蚀松动，雨后容易倒塌。",
        ),
        "resolution": (
            "由物业拆除破损设施，使用公共收益更换新设施，两周内完工。",
            "设置临时警示标志，业委会监督整改进度并向居民公示。",
        ),
    },
    "elevator_insurance": {
        "title": ("使用统筹账户资金投保电梯维修保险", "电梯维修保险续保方案"),
        "description": (
            "小区电梯使用年限较长，维修费用分摊难，业委会提出用统筹账户增值收益购买电梯维修保险。",
            "电梯维修保险即将到期，需确认续保及保险公司服务情况。",
        ),
        "resolution": (
            "同意向市维修资金管理中心提出投保申请，材料在单元和物业服务区公示7日。",
            "同意续保，保险公司须保证故障30分钟内到场、重大故障24小时内修复。",
        ),
    },
    "property_service": {
        "title": ("物业服务质量提升", "物业费收缴及公共收益公示", "保洁和绿化服务整改"),
        "description": (
            "居民反映保洁不及时、绿化养护差，希望物业改进服务。",
            "业主要求公开物业费收支和公共收益使用情况。",
        ),
        "resolution": (
            "物业制定整改清单，每月在公示栏公开收支，业委会按季度评议。",
            "增加保洁频次，设立服务意见箱，党支部每月回访。",
        ),
    },
    "other": {
        "title": ("小区路灯和门禁维修", "垃圾分类投放点调整", "小区绿化补种"),
        "description": ("居民提出小区公共设施和环境方面的意见建议。",),
        "resolution": ("由物业落实，业委会和居民代表跟踪反馈。",),
    },
}

DISCUSSIONS: tuple[str, ...] = (
    "四方代表逐一发表意见，业委会介绍前期入户征求意见情况，物业说明实施方案和费用测算。",
    "居民代表提出具体诉求，党支部书记归纳各方意见后形成初步方案。",
    "物业公司汇报现场勘察情况，业委会和居民代表就费用分摊充分讨论。",
    "各方对方案总体认可，对施工时间和安全措施提出补充意见。",
)
DEFERRED_RESOLUTION = "各方意见分歧较大，暂缓表决，会后进一步入户征求意见，提交下次议事会审议。"
PARTLY_RESOLUTION = "就主要事项达成一致，剩余问题继续协商，提交下次议事会。"
REFERRED_RESOLUTION = "涉及小区外部事项，提交社区和街道协调处理。"
REJECTED_RESOLUTION = "经表决未获通过，维持现状。"

FOLLOW_UP_ACTIONS: dict[str, tuple[str, ...]] = {
    "party_org": ("党支部督促各方落实并回访居民", "组织党员志愿者宣传劝导"),
    "property_company": ("物业公司组织施工并按期完工", "物业公司落实日常管理并公示进度"),
    "owners_committee": ("业委会监督施工质量并公示费用", "业委会收集业主签字确认"),
    "residents": ("居民代表收集意见并反馈", "楼栋长通知相关住户配合"),
}

ROLES: dict[str, tuple[str, ...]] = {
    "party_org": ("党支部书记", "党员代表"),
    "property_company": ("项目经理", "客服主管", "工程主管"),
    "owners_committee": ("业委会主任", "业委会委员"),
    "residents": ("居民代表", "楼栋长", "党员志愿者"),
}


# --------------------------------------------------------------------------- insurance applications

# Written objections owners hand in during the notice period ({b}/{u}: the objector's building and unit,
# {p}: the premium per elevator per year in yuan).
OBJECTION_TEXTS: tuple[str, ...] = (
    "本人系{b}栋{u}单元业主，认为每台电梯每年{p}元保费偏高，要求先比较几家保险公司的报价再决定。",
    "{b}栋电梯前两年刚更换过主机，近期故障不多，暂无必要投保，建议统筹账户资金留作其他维修。",
    "本人住{b}栋{u}单元低楼层，平时很少乘坐电梯，不同意用全体业主的增值收益为电梯投保。",
    "公示材料未附保险条款和理赔范围，无法判断保障内容，要求补充公示后再议。",
    "使用维修资金应由业主共同决定，要求按一般使用流程组织业主表决，不同意直接投保。",
    "对现维保单位的服务不满意，要求先更换维保单位，再讨论购买电梯维修保险。",
    "担心保险到期后统筹账户余额不够续保，要求先公开{b}栋统筹账户近三年收支明细。",
    "保险公司如何选定没有说明，要求公开招标情况，排除物业公司与保险公司的利益关联。",
    "{b}栋{u}单元部分业主未看到公示，公示时间过短，要求延长公示并入户征求意见。",
)
WITHDRAWN_NOTES: tuple[str, ...] = (
    "申请人撤回：业主意见尚未统一，协商一致后再行申请",
    "申请人撤回：电梯拟先行大修，暂缓投保",
    "申请人撤回：改由业主委员会统一提出申请",
    "申请人撤回：申请材料需补充业主反馈意见表，补齐后重新提交",
)
REFUSED_NOTES: dict[str, tuple[str, ...]] = {
    "management": (
        "经核查，小区物业管理不规范，不符合投保条件（第3项）",
        "小区物业服务合同已到期且未续签，管理不规范，暂不受理",
    ),
    "maintenance": (
        "经核查，申请电梯维保记录不全、维保不正常，不符合投保条件（第3项）",
        "电梯近一年多次未按期维保，维保不正常，暂不符合投保条件",
    ),
    "insurer": (
        "经保险公司勘察，申请电梯不符合承保基本条件（第5项）",
        "勘察意见书认定电梯存在重大隐患需先行整改，暂不符合承保条件",
    ),
}


def mobile(rng: random.Random) -> str:
    """A masked mobile number as notices print them (138****5678): clearly synthetic, never dialable."""
    return f"1{rng.choice('3589')}{rng.randint(0, 9)}****{rng.randint(0, 9999):04d}"
