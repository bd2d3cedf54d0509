"""covering indexes for the elevator service figures (faults and maintenance visits of a period)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 11:15:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_elevator_fault_reported_at_service",
        "elevator_fault",
        ["reported_at", "elevator_id", "severity", "trapped_passengers", "responded_at", "repaired_at"],
    )
    op.drop_index("ix_elevator_fault_reported_at_elevator", table_name="elevator_fault")
    op.create_index(
        "ix_maintenance_visit_started_at_duration",
        "maintenance_visit",
        ["started_at", "elevator_id", "duration_minutes"],
    )
    op.drop_index("ix_maintenance_visit_started_at", table_name="maintenance_visit")


def downgrade() -> None:
    op.create_index("ix_maintenance_visit_started_at", "maintenance_visit", ["started_at"])
    op.drop_index("ix_maintenance_visit_started_at_duration", table_name="maintenance_visit")
    op.create_index("ix_elevator_fault_reported_at_elevator", "elevator_fault", ["reported_at", "elevator_id"])
    op.drop_index("ix_elevator_fault_reported_at_service", table_name="elevator_fault")
