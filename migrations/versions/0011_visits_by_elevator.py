"""a covering index on maintenance visits in elevator order (the maintenance league of /insurance-value)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 22:20:00

Issue 18: the league counts a year's visits per elevator before placing them. Read through the
(started_at, elevator_id, duration_minutes) index, SQLite sorted ~230k visits by elevator into a temporary
B-tree; read through (elevator_id, started_at, duration_minutes) the visits arrive grouped and covered.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_maintenance_visit_elevator_started_duration",
        "maintenance_visit",
        ["elevator_id", "started_at", "duration_minutes"],
    )


def downgrade() -> None:
    op.drop_index("ix_maintenance_visit_elevator_started_duration", table_name="maintenance_visit")
