"""The data model of both reforms, for any number of cities.

Names follow the glossary in shared/seed-facts.md. Money is integer fen (BigInteger);
instants are aware (AwareDateTime, stored in UTC); calendar facts are dates in the
cities' zone. Balances are never stored: they are sums of ledger entries.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from data_access.core.clock import now_utc
from data_access.core.db import AwareDateTime, Base


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    """Store enum values (not member names) as VARCHAR with a CHECK, identical on both engines."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=24,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


# --------------------------------------------------------------------------- geography


class Province(Base):
    __tablename__ = "province"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(40))

    cities: Mapped[list[City]] = relationship(back_populates="province")


class City(Base):
    __tablename__ = "city"

    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("province.id"), index=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(40))

    province: Mapped[Province] = relationship(back_populates="cities")
    districts: Mapped[list[District]] = relationship(back_populates="city")


class District(Base):
    __tablename__ = "district"
    __table_args__ = (UniqueConstraint("city_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(60))

    city: Mapped[City] = relationship(back_populates="districts")


class PropertyCompany(Base):
    """A property-service company (物业服务企业) registered in a city."""

    __tablename__ = "property_company"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    registered_on: Mapped[date] = mapped_column(Date)
    # Date its Party organisation was founded; NULL while it has none.
    party_org_founded_on: Mapped[date | None] = mapped_column(Date)


class Compound(Base):
    """A residential compound (小区)."""

    __tablename__ = "compound"
    __table_args__ = (
        CheckConstraint("households >= 0", name="households_nonneg"),
        CheckConstraint("residents >= 0", name="residents_nonneg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    households: Mapped[int] = mapped_column(Integer)
    residents: Mapped[int] = mapped_column(Integer)
    completed_on: Mapped[date] = mapped_column(Date)
    property_company_id: Mapped[int | None] = mapped_column(ForeignKey("property_company.id"), index=True)
    owners_committee_formed_on: Mapped[date | None] = mapped_column(Date)
    # The city's assessment that property management is orderly (eligibility condition 3).
    management_orderly: Mapped[bool] = mapped_column(Boolean, default=True)
    party_org_founded_on: Mapped[date | None] = mapped_column(Date)

    district: Mapped[District] = relationship()
    property_company: Mapped[PropertyCompany | None] = relationship()
    buildings: Mapped[list[Building]] = relationship(back_populates="compound")


class Building(Base):
    """A building (栋/幢)."""

    __tablename__ = "building"
    __table_args__ = (UniqueConstraint("compound_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compound.id"), index=True)
    number: Mapped[str] = mapped_column(String(16))
    floors: Mapped[int] = mapped_column(Integer)

    compound: Mapped[Compound] = relationship(back_populates="buildings")
    units: Mapped[list[Unit]] = relationship(back_populates="building")


class Unit(Base):
    """A unit (单元, one stairwell) of a building."""

    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("building_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"), index=True)
    number: Mapped[str] = mapped_column(String(16))
    households: Mapped[int] = mapped_column(Integer)

    building: Mapped[Building] = relationship(back_populates="units")


# --------------------------------------------------------------------------- programme rules


class ProgrammeRule(Base):
    """A city's elevator-insurance programme: every rule is data, never a constant in code."""

    __tablename__ = "programme_rule"
    __table_args__ = (
        CheckConstraint("warranty_years > 0", name="warranty_positive"),
        CheckConstraint("notice_days > 0", name="notice_positive"),
        CheckConstraint("min_applicant_owners > 0", name="owners_positive"),
        CheckConstraint("min_premium_years > 0", name="premium_years_positive"),
        CheckConstraint("cover_per_elevator_fen > 0", name="cover_positive"),
        CheckConstraint(
            "vote_participation_num > 0 AND vote_participation_num <= vote_participation_den", name="vote_participation"
        ),
        CheckConstraint("vote_approval_num > 0 AND vote_approval_num < vote_approval_den", name="vote_approval"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    document_no: Mapped[str | None] = mapped_column(String(60))
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    warranty_years: Mapped[int] = mapped_column(Integer)
    notice_days: Mapped[int] = mapped_column(Integer)
    min_applicant_owners: Mapped[int] = mapped_column(Integer)
    min_premium_years: Mapped[int] = mapped_column(Integer)
    cover_per_elevator_fen: Mapped[int] = mapped_column(BigInteger)
    # The tendered annual premium per elevator, used to judge whether a pooled account can pay.
    annual_premium_fen: Mapped[int] = mapped_column(BigInteger)
    # The owners' vote after a written objection (一般使用流程表决), as fractions: participation of at least
    # num/den of the owners by number and by floor area; approval by more than num/den of the participants by
    # number and by area. Default: Civil Code art. 278 for using maintenance funds (2/3 take part, > 1/2 agree).
    vote_participation_num: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    vote_participation_den: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    vote_approval_num: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    vote_approval_den: Mapped[int] = mapped_column(Integer, default=2, server_default="2")

    targets: Mapped[list[CoverageTarget]] = relationship(
        back_populates="programme_rule", order_by="CoverageTarget.due_on"
    )


class CoverageTarget(Base):
    """Share of eligible, applying elevators that must be insured by a date."""

    __tablename__ = "coverage_target"
    __table_args__ = (CheckConstraint("share > 0 AND share <= 1", name="share_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_rule_id: Mapped[int] = mapped_column(ForeignKey("programme_rule.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    share: Mapped[Decimal] = mapped_column(Numeric(5, 4))

    programme_rule: Mapped[ProgrammeRule] = relationship(back_populates="targets")


# --------------------------------------------------------------------------- elevators


class MaintenanceCompany(Base):
    __tablename__ = "maintenance_company"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)


class Insurer(Base):
    __tablename__ = "insurer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)


class Elevator(Base):
    __tablename__ = "elevator"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_code: Mapped[str] = mapped_column(String(32), unique=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    in_service_on: Mapped[date] = mapped_column(Date)
    maintenance_company_id: Mapped[int | None] = mapped_column(ForeignKey("maintenance_company.id"))
    # Last inspection found maintenance normal (eligibility condition 3, elevator side).
    maintenance_normal: Mapped[bool] = mapped_column(Boolean, default=True)
    # The insurer's basic conditions for an insured elevator are met (condition 5).
    insurer_conditions_met: Mapped[bool] = mapped_column(Boolean, default=True)

    building: Mapped[Building] = relationship()
    unit: Mapped[Unit | None] = relationship()


class FaultSeverity(enum.StrEnum):
    minor = "minor"
    major = "major"


class ElevatorFault(Base):
    __tablename__ = "elevator_fault"
    __table_args__ = (
        CheckConstraint("trapped_passengers >= 0", name="trapped_nonneg"),
        # Covers the service figures (response, repair, severity, trapped) of a period: no table reads.
        Index(
            "ix_elevator_fault_reported_at_service",
            "reported_at",
            "elevator_id",
            "severity",
            "trapped_passengers",
            "responded_at",
            "repaired_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    elevator_id: Mapped[int] = mapped_column(ForeignKey("elevator.id"), index=True)
    reported_at: Mapped[datetime] = mapped_column(AwareDateTime())
    responded_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    repaired_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    severity: Mapped[FaultSeverity] = mapped_column(_enum(FaultSeverity, "fault_severity"))
    trapped_passengers: Mapped[int] = mapped_column(Integer, default=0)
    cause: Mapped[str] = mapped_column(String(40))
    # When trapped passengers were let out (困人救援: arrival is responded_at); None when nobody was trapped.
    released_at: Mapped[datetime | None] = mapped_column(AwareDateTime())


class MaintenanceVisit(Base):
    __tablename__ = "maintenance_visit"
    __table_args__ = (
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        # Covers the visit figures of a period (the largest table): no table reads.
        Index("ix_maintenance_visit_started_at_duration", "started_at", "elevator_id", "duration_minutes"),
        # Covers a year's visits read in elevator order (the maintenance league): grouped per elevator, no sort.
        Index("ix_maintenance_visit_elevator_started_duration", "elevator_id", "started_at", "duration_minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    elevator_id: Mapped[int] = mapped_column(ForeignKey("elevator.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(AwareDateTime())
    duration_minutes: Mapped[int] = mapped_column(Integer)


# --------------------------------------------------------------------------- maintenance fund


class FundEntryKind(enum.StrEnum):
    deposit = "deposit"  # owners' deposits into their ledgers
    benchmark_interest = "benchmark_interest"  # interest up to the benchmark rate, to owner ledgers
    use = "use"  # money drawn from owner ledgers for repairs (general usage procedure)


def new_ledger_reference() -> str:
    """A reference for a ledger entry the product writes itself (not read from a fund centre's ledger file): unique
    without coordination, and recognisably the product's own ("SYS-" and 32 hex digits)."""
    return f"SYS-{uuid.uuid4().hex}"


class MaintenanceFundEntry(Base):
    """Owner-ledger side of the maintenance fund, summed per building and booking date.

    `reference` is the fund centre's voucher number: the natural key by which an import recognises an entry it
    already holds (unique across the province, as work-order and policy numbers are)."""

    __tablename__ = "maintenance_fund_entry"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        Index("ix_maintenance_fund_entry_building_kind_booked", "building_id", "kind", "booked_on"),
        Index("ix_maintenance_fund_entry_kind_booked", "kind", "booked_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"))
    booked_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[FundEntryKind] = mapped_column(_enum(FundEntryKind, "fund_entry_kind"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    memo: Mapped[str | None] = mapped_column(String(120))
    reference: Mapped[str] = mapped_column(String(40), unique=True, default=new_ledger_reference)


class PooledAccount(Base):
    """统筹账户: value-added income pooled per building, or per unit where the city allows."""

    __tablename__ = "pooled_account"
    __table_args__ = (UniqueConstraint("building_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    opened_on: Mapped[date] = mapped_column(Date)

    building: Mapped[Building] = relationship()


class PooledEntryKind(enum.StrEnum):
    value_added_income = "value_added_income"  # credit: interest above the benchmark rate
    premium = "premium"  # debit: elevator maintenance insurance premium
    other_use = "other_use"  # debit: other facility insurance or approved use
    premium_refund = "premium_refund"  # credit: the unearned premium an insurer returns when a policy is cancelled


class PooledAccountEntry(Base):
    """A credit or debit of a pooled account; `reference` is the fund centre's voucher number (as for
    MaintenanceFundEntry). A premium entry names the policy it paid."""

    __tablename__ = "pooled_account_entry"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        Index("ix_pooled_account_entry_account_booked", "pooled_account_id", "booked_on"),
        Index("ix_pooled_account_entry_kind_booked", "kind", "booked_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pooled_account_id: Mapped[int] = mapped_column(ForeignKey("pooled_account.id"))
    booked_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[PooledEntryKind] = mapped_column(_enum(PooledEntryKind, "pooled_entry_kind"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    insurance_policy_id: Mapped[int | None] = mapped_column(ForeignKey("insurance_policy.id"), index=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True, default=new_ledger_reference)


# --------------------------------------------------------------------------- insurance


class ApplicantType(enum.StrEnum):
    unit_owners = "unit_owners"  # N or more owners of the same unit (N from the programme rule)
    owners_committee = "owners_committee"
    property_company = "property_company"


class ApplicationDecision(enum.StrEnum):
    pending = "pending"
    approved = "approved"  # no written objection in the notice period, or the owners' vote passed
    vote_failed = "vote_failed"
    refused = "refused"  # the fund centre found it ineligible
    withdrawn = "withdrawn"


class InsuranceApplication(Base):
    """An application to insure elevators from a pooled account (seed 002's procedure).

    Its stage is derived, never stored (core.rules.application_stage): filed → in notice → objected → voted →
    approved → purchased. The vote figures are the counts and floor areas the fund centre records; the
    decision is computed from them by the city's rule (core.rules.vote_result), never typed."""

    __tablename__ = "insurance_application"
    __table_args__ = (
        CheckConstraint("written_objections >= 0", name="objections_nonneg"),
        CheckConstraint("notice_to >= notice_from", name="notice_order"),
        CheckConstraint(
            "vote_participants IS NULL OR (vote_participants >= 0 AND vote_participants <= vote_owners_total"
            " AND vote_for <= vote_participants)",
            name="vote_counts",
        ),
        CheckConstraint(
            "vote_participant_area IS NULL OR (vote_participant_area >= 0"
            " AND vote_participant_area <= vote_area_total AND vote_for_area <= vote_participant_area)",
            name="vote_areas",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pooled_account_id: Mapped[int] = mapped_column(ForeignKey("pooled_account.id"), index=True)
    applicant_type: Mapped[ApplicantType] = mapped_column(_enum(ApplicantType, "applicant_type"))
    applicant_owner_count: Mapped[int | None] = mapped_column(Integer)
    # The applicant's name and contact: personal data, never shown to the press.
    applicant_name: Mapped[str | None] = mapped_column(String(60))
    applicant_contact: Mapped[str | None] = mapped_column(String(60))
    filed_on: Mapped[date] = mapped_column(Date, index=True)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    notice_from: Mapped[date | None] = mapped_column(Date)
    notice_to: Mapped[date | None] = mapped_column(Date)
    # Kept equal to the number of live ApplicationObjection rows by the writer (the demo's older cases have
    # only the count).
    written_objections: Mapped[int] = mapped_column(Integer, default=0)
    vote_held_on: Mapped[date | None] = mapped_column(Date)
    vote_owners_total: Mapped[int | None] = mapped_column(Integer)
    vote_area_total: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))  # m², all owners of the building/unit
    vote_participants: Mapped[int | None] = mapped_column(Integer)
    vote_participant_area: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    vote_for: Mapped[int | None] = mapped_column(Integer)
    vote_for_area: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    vote_against: Mapped[int | None] = mapped_column(Integer)  # participants not agreeing (against or abstaining)
    decision: Mapped[ApplicationDecision] = mapped_column(_enum(ApplicationDecision, "application_decision"))
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_note: Mapped[str | None] = mapped_column(String(200))  # why refused or withdrawn

    pooled_account: Mapped[PooledAccount] = relationship()
    elevators: Mapped[list[ApplicationElevator]] = relationship(back_populates="application")


class ApplicationElevator(Base):
    __tablename__ = "application_elevator"

    application_id: Mapped[int] = mapped_column(ForeignKey("insurance_application.id"), primary_key=True)
    elevator_id: Mapped[int] = mapped_column(ForeignKey("elevator.id"), primary_key=True, index=True)

    application: Mapped[InsuranceApplication] = relationship(back_populates="elevators")


class ApplicationObjection(Base):
    """A written objection received during the notice period (书面异议): it sends the case to the owners' vote."""

    __tablename__ = "application_objection"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("insurance_application.id"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    objector: Mapped[str | None] = mapped_column(String(60))  # personal data, never shown to the press
    content: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=now_utc)


class DocumentKind(enum.StrEnum):
    """The documents an application is published with (seed 000)."""

    application_form = "application_form"  # 试点申请表
    owner_feedback = "owner_feedback"  # 业主反馈意见表
    policy_basis = "policy_basis"  # 政策文件依据摘要
    contact_letter = "contact_letter"  # 工作联系函
    survey_opinion = "survey_opinion"  # 勘察意见书


class ApplicationDocument(Base):
    """A scan kept with an application; the file lives under instance/, outside the web root."""

    __tablename__ = "application_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("insurance_application.id"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(_enum(DocumentKind, "document_kind"))
    filename: Mapped[str] = mapped_column(String(120))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=now_utc)


class InsurancePolicy(Base):
    """One elevator's maintenance insurance for one policy period.

    A cancelled policy (退保) keeps its cover up to the day it was cancelled: `period_end` becomes that day, so every
    query that asks whether an elevator was insured on a day stays right without knowing about cancellations, and the
    end the policy was signed for is kept in `contracted_end` (set only when cancelled: it is the cancellation flag).
    The refund is a `premium_refund` entry of the pooled account that paid the premium."""

    __tablename__ = "insurance_policy"
    __table_args__ = (
        CheckConstraint("period_end > period_start", name="period_order"),
        CheckConstraint("premium_fen > 0", name="premium_positive"),
        CheckConstraint("cover_fen > 0", name="cover_positive"),
        CheckConstraint("contracted_end IS NULL OR contracted_end > period_end", name="cancelled_early"),
        CheckConstraint("(contracted_end IS NULL) = (cancel_reason IS NULL)", name="cancel_reason_given"),
        Index("ix_insurance_policy_elevator_period", "elevator_id", "period_start", "period_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    elevator_id: Mapped[int] = mapped_column(ForeignKey("elevator.id"))
    application_id: Mapped[int] = mapped_column(ForeignKey("insurance_application.id"), index=True)
    insurer_id: Mapped[int] = mapped_column(ForeignKey("insurer.id"))
    policy_no: Mapped[str] = mapped_column(String(40), unique=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)  # exclusive
    premium_fen: Mapped[int] = mapped_column(BigInteger)
    cover_fen: Mapped[int] = mapped_column(BigInteger)
    renews_policy_id: Mapped[int | None] = mapped_column(ForeignKey("insurance_policy.id"), index=True)
    contracted_end: Mapped[date | None] = mapped_column(Date)  # cancelled: the end it was signed for (exclusive)
    cancel_reason: Mapped[str | None] = mapped_column(String(200))


class ClaimKind(enum.StrEnum):
    repair = "repair"  # 维修
    parts = "parts"  # 更换配件
    major_repair = "major_repair"  # 大修


class InsuranceClaim(Base):
    """A repair the insurer paid under a policy (理赔 / 赔付); `reference` is the insurer's claim number."""

    __tablename__ = "insurance_claim"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        Index("ix_insurance_claim_paid_on", "paid_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    insurance_policy_id: Mapped[int] = mapped_column(ForeignKey("insurance_policy.id"), index=True)
    paid_on: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[ClaimKind] = mapped_column(_enum(ClaimKind, "claim_kind"))
    elevator_fault_id: Mapped[int | None] = mapped_column(ForeignKey("elevator_fault.id"), index=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True, default=new_ledger_reference)


# --------------------------------------------------------------------------- 12345 hotline


class WorkOrderCategory(enum.StrEnum):
    elevator = "elevator"
    property_fee = "property_fee"
    water_leak = "water_leak"
    ebike_charging = "ebike_charging"
    parking = "parking"
    noise = "noise"
    sanitation = "sanitation"
    other = "other"


class HotlineWorkOrder(Base):
    """A 12345 mayor-hotline work order about a compound."""

    __tablename__ = "hotline_work_order"
    __table_args__ = (
        CheckConstraint("satisfaction IS NULL OR (satisfaction BETWEEN 1 AND 5)", name="satisfaction_range"),
        Index("ix_hotline_work_order_city_received", "city_id", "received_at"),
        Index("ix_hotline_work_order_category_received", "category", "received_at"),
        Index("ix_hotline_work_order_compound_received", "compound_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_no: Mapped[str] = mapped_column(String(24), unique=True)
    received_at: Mapped[datetime] = mapped_column(AwareDateTime())
    category: Mapped[WorkOrderCategory] = mapped_column(_enum(WorkOrderCategory, "work_order_category"))
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    compound_id: Mapped[int | None] = mapped_column(ForeignKey("compound.id"))
    elevator_id: Mapped[int | None] = mapped_column(ForeignKey("elevator.id"), index=True)
    summary: Mapped[str] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    satisfaction: Mapped[int | None] = mapped_column(Integer)  # 1 (very dissatisfied) .. 5


# --------------------------------------------------------------------------- red property


class IndustryPartyCommittee(Base):
    """物业行业党委 at city level (district NULL) or county/district level."""

    __tablename__ = "industry_party_committee"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"))
    name: Mapped[str] = mapped_column(String(80))
    founded_on: Mapped[date] = mapped_column(Date)


class ServiceStation(Base):
    """党群服务站 (Party–mass service station) in a compound."""

    __tablename__ = "service_station"

    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compound.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    opened_on: Mapped[date] = mapped_column(Date, index=True)


class ProjectStatus(enum.StrEnum):
    declared = "declared"
    building = "building"
    inspected = "inspected"
    accepted = "accepted"


class DemonstrationProject(Base):
    """A red-property demonstration project, scored 0–20 on each of the five reds."""

    __tablename__ = "demonstration_project"
    __table_args__ = (
        *(
            CheckConstraint(f"score_{k} IS NULL OR (score_{k} BETWEEN 0 AND 20)", name=f"score_{k}_range")
            for k in ("organisation", "team", "venue", "mechanism", "service")
        ),
        CheckConstraint("status <> 'accepted' OR accepted_on IS NOT NULL", name="accepted_has_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compound.id"), unique=True)
    declared_on: Mapped[date] = mapped_column(Date)
    status: Mapped[ProjectStatus] = mapped_column(_enum(ProjectStatus, "project_status"))
    score_organisation: Mapped[int | None] = mapped_column(Integer)
    score_team: Mapped[int | None] = mapped_column(Integer)
    score_venue: Mapped[int | None] = mapped_column(Integer)
    score_mechanism: Mapped[int | None] = mapped_column(Integer)
    score_service: Mapped[int | None] = mapped_column(Integer)
    accepted_on: Mapped[date | None] = mapped_column(Date, index=True)


class CouncilParty(enum.StrEnum):
    party_org = "party_org"  # 小区党组织
    property_company = "property_company"  # 物业服务企业
    owners_committee = "owners_committee"  # 业委会
    residents = "residents"  # 居民代表


class MeetingStatus(enum.StrEnum):
    planned = "planned"  # scheduled; nothing decided yet
    held = "held"


class CouncilMeeting(Base):
    """A four-party council (四方议事会) meeting of one compound.

    The meeting is the unit of editing: every change to it, its attendees, agenda items or
    follow-ups bumps `version`, so a second editor working from an older copy is refused.
    """

    __tablename__ = "council_meeting"
    __table_args__ = (
        Index("ix_council_meeting_compound_held", "compound_id", "held_at"),
        CheckConstraint("notice_to IS NULL OR notice_from <= notice_to", name="notice_period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compound.id"))
    held_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    status: Mapped[MeetingStatus] = mapped_column(
        _enum(MeetingStatus, "meeting_status"), default=MeetingStatus.held, server_default="held"
    )
    venue: Mapped[str] = mapped_column(String(120))
    convener: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    updated_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    # The public notice of the outcomes (公示): posted from–to; which items it shows is agenda_item.published_at.
    notice_from: Mapped[date | None] = mapped_column(Date)
    notice_to: Mapped[date | None] = mapped_column(Date)
    deleted_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    attendees: Mapped[list[CouncilAttendee]] = relationship(back_populates="meeting")
    agenda_items: Mapped[list[AgendaItem]] = relationship(back_populates="meeting")

    __mapper_args__ = {"version_id_col": version}


class CouncilAttendee(Base):
    __tablename__ = "council_attendee"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("council_meeting.id"), index=True)
    party: Mapped[CouncilParty] = mapped_column(_enum(CouncilParty, "council_party"))
    name: Mapped[str] = mapped_column(String(60))
    role: Mapped[str | None] = mapped_column(String(60))

    meeting: Mapped[CouncilMeeting] = relationship(back_populates="attendees")


class AgendaCategory(enum.StrEnum):
    ebike_charging = "ebike_charging"
    water_leak = "water_leak"
    add_elevator = "add_elevator"
    parking = "parking"
    unsafe_facility = "unsafe_facility"
    elevator_insurance = "elevator_insurance"
    property_service = "property_service"
    other = "other"


class DecisionMethod(enum.StrEnum):
    consensus = "consensus"
    vote = "vote"


class AgendaOutcome(enum.StrEnum):
    resolved = "resolved"
    partly_resolved = "partly_resolved"
    deferred = "deferred"
    referred = "referred"  # to the street or community
    rejected = "rejected"


class AgendaItem(Base):
    __tablename__ = "agenda_item"
    __table_args__ = (
        CheckConstraint(
            "(votes_for IS NULL OR votes_for >= 0) AND (votes_against IS NULL OR votes_against >= 0)"
            " AND (votes_abstain IS NULL OR votes_abstain >= 0)",
            name="votes_nonneg",
        ),
        Index("ix_agenda_item_outcome_resolved", "outcome", "resolved_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("council_meeting.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    category: Mapped[AgendaCategory] = mapped_column(_enum(AgendaCategory, "agenda_category"))
    raising_party: Mapped[CouncilParty] = mapped_column(_enum(CouncilParty, "council_party"))
    description: Mapped[str | None] = mapped_column(Text)
    discussion: Mapped[str | None] = mapped_column(Text)
    decision_method: Mapped[DecisionMethod | None] = mapped_column(_enum(DecisionMethod, "decision_method"))
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_against: Mapped[int | None] = mapped_column(Integer)
    votes_abstain: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[AgendaOutcome | None] = mapped_column(_enum(AgendaOutcome, "agenda_outcome"))
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_on: Mapped[date | None] = mapped_column(Date)
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id"), index=True)
    published_at: Mapped[datetime | None] = mapped_column(AwareDateTime())  # shown in the public notice
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    deleted_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    meeting: Mapped[CouncilMeeting] = relationship(back_populates="agenda_items")
    follow_ups: Mapped[list[FollowUp]] = relationship(back_populates="agenda_item")
    party_votes: Mapped[list[AgendaPartyVote]] = relationship(cascade="all, delete-orphan")


class AgendaPartyVote(Base):
    """A vote's counts within one of the four parties (optional; the totals are on the item)."""

    __tablename__ = "agenda_party_vote"
    __table_args__ = (
        CheckConstraint("votes_for >= 0 AND votes_against >= 0 AND votes_abstain >= 0", name="votes_nonneg"),
    )

    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id"), primary_key=True)
    party: Mapped[CouncilParty] = mapped_column(_enum(CouncilParty, "council_party"), primary_key=True)
    votes_for: Mapped[int] = mapped_column(Integer)
    votes_against: Mapped[int] = mapped_column(Integer)
    votes_abstain: Mapped[int] = mapped_column(Integer)


class AgendaItemWorkOrder(Base):
    """Links an agenda item to the hotline work orders it answers."""

    __tablename__ = "agenda_item_work_order"

    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id"), primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("hotline_work_order.id"), primary_key=True)


class FollowUpStatus(enum.StrEnum):
    open = "open"
    in_progress = "in_progress"
    done = "done"


class FollowUp(Base):
    """A follow-up action (落实) owned by one of the four parties, as an organisation."""

    __tablename__ = "follow_up"
    __table_args__ = (
        CheckConstraint("status <> 'done' OR completed_on IS NOT NULL", name="done_has_date"),
        Index("ix_follow_up_status_due", "status", "due_on"),
        # Lists of follow-ups are ordered by due day: read in that order, the first 500 come without a sort.
        Index("ix_follow_up_due_on_id", "due_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id"), index=True)
    owner_party: Mapped[CouncilParty] = mapped_column(_enum(CouncilParty, "council_party"))
    action: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(60))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[FollowUpStatus] = mapped_column(_enum(FollowUpStatus, "follow_up_status"))
    completed_on: Mapped[date | None] = mapped_column(Date)
    deleted_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="follow_ups")


class AttachmentKind(enum.StrEnum):
    sign_in_sheet = "sign_in_sheet"  # 签到表
    minutes = "minutes"  # 会议纪要
    notice_photo = "notice_photo"  # 公示照片
    other = "other"


class CouncilAttachment(Base):
    """A scan or photo kept with a meeting; the file lives under instance/, outside the web root."""

    __tablename__ = "council_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("council_meeting.id"), index=True)
    kind: Mapped[AttachmentKind] = mapped_column(_enum(AttachmentKind, "attachment_kind"))
    filename: Mapped[str] = mapped_column(String(120))  # as uploaded, shown to people
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)  # random; never derived from input
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=now_utc)
    deleted_at: Mapped[datetime | None] = mapped_column(AwareDateTime())


# --------------------------------------------------------------------------- accounts


class Role(enum.StrEnum):
    admin = "admin"
    leader = "leader"  # scoped to one city, or to the province when city_id is NULL
    organiser = "organiser"  # bound to one or more compounds
    press = "press"
    data_steward = "data_steward"  # a city's data clerk: reads that city like its leader, imports its records
    fund_centre = "fund_centre"  # a city's maintenance-fund centre: runs its insurance applications and policies


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum(Role, "user_role"))
    city_id: Mapped[int | None] = mapped_column(ForeignKey("city.id"))  # see users.CITY_ROLES
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=now_utc)
    # Part of every session and remember cookie; raised on sign-out, a password change and disabling, so every
    # cookie issued before no longer signs anyone in (the cookies are signed, not stored: this is how they end).
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    compounds: Mapped[list[UserCompound]] = relationship(cascade="all, delete-orphan")


class UserCompound(Base):
    __tablename__ = "user_compound"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compound.id"), primary_key=True, index=True)


class AuditLog(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime(), default=now_utc, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    username: Mapped[str | None] = mapped_column(String(60))  # kept when the attempt had no valid user
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str | None] = mapped_column(Text)  # JSON: old and new values


class DatasetInfo(Base):
    """Key/value facts about the loaded data set, e.g. that it is synthetic demo data."""

    __tablename__ = "dataset_info"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class ApiToken(Base):
    """A token for the data-sharing API; only its SHA-256 is stored, so a leaked database leaks no token."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=now_utc)
    revoked_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(AwareDateTime())


# The pre-aggregated tables live on the same metadata (Alembic sees them through this import).
from data_access.core import rollup_tables  # noqa: E402, F401
