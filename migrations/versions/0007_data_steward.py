"""role data_steward: a city's data clerk, who imports that city's records

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 09:00:00

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_NAME = 'ck_user_account_user_role'
_BEFORE = "role IN ('admin', 'leader', 'organiser', 'press')"
_AFTER = "role IN ('admin', 'leader', 'organiser', 'press', 'data_steward')"


def _replace_check(condition: str) -> None:
    # SQLite cannot alter a CHECK: batch mode copies the table with the new one (PostgreSQL alters in place).
    with op.batch_alter_table('user_account') as batch:
        batch.drop_constraint(op.f(_NAME), type_='check')
        batch.create_check_constraint(op.f(_NAME), condition)


def upgrade() -> None:
    """Upgrade schema."""
    _replace_check(_AFTER)


def downgrade() -> None:
    """Downgrade schema (fails while a data steward account exists, as it should)."""
    _replace_check(_BEFORE)
