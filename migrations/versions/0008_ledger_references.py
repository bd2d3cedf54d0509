"""ledger references: the natural key of fund-ledger and pooled-account entries

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 10:00:00

An import recognises a ledger entry it already holds by the fund centre's own voucher number (`reference`), so
re-importing a ledger changes nothing. Rows written before this migration get a deterministic reference from
their id (`FZ-<id>` for owner-ledger entries, `TC-<id>` for pooled-account entries): the same database always
gets the same references. The references are unique across the province (like work-order and policy numbers).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_ENTRY_TABLES = (('maintenance_fund_entry', 'FZ-'), ('pooled_account_entry', 'TC-'))


def upgrade() -> None:
    """Upgrade schema."""
    for table, prefix in _ENTRY_TABLES:
        # SQLite cannot add a NOT NULL column without a default, nor a constraint to a table: batch mode copies
        # the table (PostgreSQL alters in place). Add it nullable, fill it, then require it and make it unique.
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('reference', sa.String(length=40), nullable=True))
        op.execute(f"UPDATE {table} SET reference = '{prefix}' || CAST(id AS VARCHAR(20))")
        with op.batch_alter_table(table) as batch:
            batch.alter_column('reference', existing_type=sa.String(length=40), nullable=False)
            batch.create_unique_constraint(op.f(f'uq_{table}_reference'), ['reference'])


def downgrade() -> None:
    """Downgrade schema."""
    for table, _prefix in reversed(_ENTRY_TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f'uq_{table}_reference'), type_='unique')
            batch.drop_column('reference')
