"""policy cancellation with refund: the contracted end and reason on a policy, a refund kind of pooled entry

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 15:00:00

Issue 16 asks for cancellation with refund. A cancelled policy's `period_end` becomes the day its cover stopped
(every "insured on a day" query stays right without knowing about cancellations) and `contracted_end` keeps the
end it was signed for; the insurer's refund of the unearned premium is a credit entry of the pooled account
(`premium_refund`), so balances stay sums of entries.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_KIND_CHECK = 'ck_pooled_account_entry_pooled_entry_kind'
_KINDS_BEFORE = "kind IN ('value_added_income', 'premium', 'other_use')"
_KINDS_AFTER = "kind IN ('value_added_income', 'premium', 'other_use', 'premium_refund')"


def _replace_kind_check(condition: str) -> None:
    with op.batch_alter_table('pooled_account_entry') as batch:
        batch.drop_constraint(op.f(_KIND_CHECK), type_='check')
        batch.create_check_constraint(op.f(_KIND_CHECK), condition)


def upgrade() -> None:
    """Upgrade schema."""
    _replace_kind_check(_KINDS_AFTER)
    with op.batch_alter_table('insurance_policy') as batch:
        batch.add_column(sa.Column('contracted_end', sa.Date(), nullable=True))
        batch.add_column(sa.Column('cancel_reason', sa.String(length=200), nullable=True))
        batch.create_check_constraint(
            op.f('ck_insurance_policy_cancelled_early'), 'contracted_end IS NULL OR contracted_end > period_end'
        )
        batch.create_check_constraint(
            op.f('ck_insurance_policy_cancel_reason_given'), '(contracted_end IS NULL) = (cancel_reason IS NULL)'
        )


def downgrade() -> None:
    """Downgrade schema: cancelled policies keep the shortened period; their refunds are removed with the kind."""
    op.execute("DELETE FROM pooled_account_entry WHERE kind = 'premium_refund'")
    with op.batch_alter_table('insurance_policy') as batch:
        batch.drop_constraint(op.f('ck_insurance_policy_cancel_reason_given'), type_='check')
        batch.drop_constraint(op.f('ck_insurance_policy_cancelled_early'), type_='check')
        batch.drop_column('cancel_reason')
        batch.drop_column('contracted_end')
    _replace_kind_check(_KINDS_BEFORE)
