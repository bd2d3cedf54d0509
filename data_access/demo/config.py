"""Scales, the published figures the demo must reproduce, and the two cities' programme rules.

Every figure below comes from shared/seed-facts.md. The generator distributes them over synthetic
rows so that the product's own queries (sums, counts) give them back exactly at every scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Scale:
    """How big the synthetic province is; calibrated Zhuzhou totals never depend on it."""

    name: str
    zz_compounds: int
    xt_compounds: int
    zz_buildings: tuple[int, int]  # buildings per generated compound (inclusive range)
    xt_buildings: tuple[int, int]
    units: tuple[int, int]  # units per building
    highrise_factor: float  # multiplies the chance that a building has 7+ floors (and elevators)
    xt_fund_factor: int  # Xiangtan's fund (not a published figure) grows with the province
    projects_2022: int  # Zhuzhou demonstration projects declared in the 2022 campaign
    projects_per_year: int  # declared per later year
    council_rate: float  # four-party meetings per compound per year from 2023
    # Households per unit of modelled building capacity: the small scale models only a few buildings
    # per compound, each standing for several real ones.
    households_factor: float


SCALES: dict[str, Scale] = {
    "small": Scale("small", 1_250, 150, (1, 3), (1, 3), (1, 2), 0.7, 1, 36, 10, 1.6, 3.0),
    "city": Scale("city", 1_500, 600, (3, 9), (2, 8), (1, 3), 1.0, 1, 45, 15, 2.0, 1.5),
    "large": Scale("large", 15_000, 6_000, (3, 9), (2, 8), (1, 3), 1.0, 10, 300, 120, 2.0, 1.5),
}

# ----------------------------------------------------------------- published figures (seed-facts §1, §3)

ZZ_DEPOSITS_TO_2021_FEN = 453_200_000_000  # 4,532,000,000 yuan deposited by end of 2021 ("45亿多元")
ZZ_USE_2021_FEN = 2_700_000_000  # 27,000,000 yuan used in 2021 (usage rate ≈ 0.6%)
ZZ_ELEVATOR_ORDERS_2021 = 3_033  # 12345 complaints about compound elevators in 2021
ZZ_PROPERTY_COMPANIES = 540  # registered companies (the article: 425 of them set up Party organisations)
ZZ_PARTY_COMPANIES_2022 = 425
ZZ_INDUSTRY_COMMITTEES = 16
ZZ_STATIONS_2022 = 1_163
ZZ_ACCEPTED_PROJECTS_2022 = 10
ZZ_RESOLVED_ITEMS_2022 = 1_726  # "1,700+" major items resolved by four-party councils

# The article's figures are as of its date (late August 2022); nothing that would change them is
# dated between then and the end of 2022, so queries "as of 2022-12-31" return the same numbers.
ARTICLE_CUTOFF = date(2022, 8, 25)
CAMPAIGN_LAUNCH = date(2022, 4, 8)  # red-property demonstration campaign, April 2022
LAST_ACCEPTANCE_2022 = date(2022, 8, 20)
REFORM_START = date(2021, 1, 1)
COUNCILS_START = date(2021, 3, 1)

XT_DEPOSITS_TO_2021_FEN = 160_000_000_000  # Xiangtan's fund is about 1.6 billion yuan (assumed)

# Pilot compounds: Shanshui Wenyuan and the other Zhuzhou compounds first insured in 2021–2022. Seed 000's claims
# about them (every fault reached within 30 minutes, major faults repaired within 24 hours, no elevator complaint
# since insuring) hold for them up to this day, the end of the article's year; other insured compounds, and the
# pilots from 2023 on, are clearly better than uninsured ones but not perfect.
PILOT_UNTIL = date(2022, 12, 31)

# Pooled accounts: Zhuzhou pools per building from the 2021 reform; Xiangtan per unit from 2023.
ZZ_POOLED_OPENED = date(2021, 1, 1)
XT_POOLED_OPENED = date(2023, 1, 1)


@dataclass(frozen=True)
class RuleSpec:
    title: str
    document_no: str | None
    effective_from: date
    effective_to: date | None
    warranty_years: int
    notice_days: int
    min_applicant_owners: int
    min_premium_years: int
    cover_per_elevator_fen: int
    annual_premium_fen: int
    targets: tuple[tuple[date, Decimal], ...]
    # The owners' vote after a written objection (core.rules.vote_result): Civil Code art. 278 by default,
    # participation of at least 2/3 of the owners by number and area, approval by more than 1/2 of participants.
    vote_participation_num: int = 2
    vote_participation_den: int = 3
    vote_approval_num: int = 1
    vote_approval_den: int = 2


ZHUZHOU_RULE = RuleSpec(
    title="株洲市物业专项维修资金增值收益用途试点改革实施办法",
    document_no=None,
    effective_from=date(2021, 1, 1),
    effective_to=None,
    warranty_years=5,
    notice_days=7,
    min_applicant_owners=3,
    min_premium_years=1,
    cover_per_elevator_fen=8_000_000,
    annual_premium_fen=240_000,
    targets=(),
)

XIANGTAN_RULE = RuleSpec(
    title="湘潭市城区住宅专项维修资金增值收益引入电梯维修保险改革试点工作方案",
    document_no="潭住建联发〔2024〕12号",
    effective_from=date(2024, 9, 15),
    effective_to=date(2025, 12, 31),
    warranty_years=5,
    notice_days=7,
    min_applicant_owners=3,
    min_premium_years=1,
    cover_per_elevator_fen=8_000_000,
    annual_premium_fen=220_000,
    targets=((date(2024, 12, 31), Decimal("0.4000")), (date(2025, 12, 31), Decimal("1.0000"))),
)
