"""insurance operations: the fund centre's role, vote rule, objections, documents, renewals, claims, rescue release

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 12:00:00

Issue 16 runs the insurance programme inside the product. The owners' vote rule becomes data per city (default:
Civil Code art. 278 — 2/3 take part, more than 1/2 agree, by number and by floor area); an application keeps its
applicant, vote figures and decision note; written objections and the published documents get their own rows;
a renewal names the policy it renews; the insurer's repair payments (claims) are recorded; a fault with trapped
passengers records when they were let out.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_ROLE_CHECK = 'ck_user_account_user_role'
_ROLES_BEFORE = "role IN ('admin', 'leader', 'organiser', 'press', 'data_steward')"
_ROLES_AFTER = "role IN ('admin', 'leader', 'organiser', 'press', 'data_steward', 'fund_centre')"


def _replace_role_check(condition: str) -> None:
    with op.batch_alter_table('user_account') as batch:
        batch.drop_constraint(op.f(_ROLE_CHECK), type_='check')
        batch.create_check_constraint(op.f(_ROLE_CHECK), condition)


def upgrade() -> None:
    """Upgrade schema."""
    _replace_role_check(_ROLES_AFTER)
    with op.batch_alter_table('programme_rule') as batch:
        batch.add_column(sa.Column('vote_participation_num', sa.Integer(), server_default='2', nullable=False))
        batch.add_column(sa.Column('vote_participation_den', sa.Integer(), server_default='3', nullable=False))
        batch.add_column(sa.Column('vote_approval_num', sa.Integer(), server_default='1', nullable=False))
        batch.add_column(sa.Column('vote_approval_den', sa.Integer(), server_default='2', nullable=False))
        batch.create_check_constraint(
            op.f('ck_programme_rule_vote_participation'),
            'vote_participation_num > 0 AND vote_participation_num <= vote_participation_den',
        )
        batch.create_check_constraint(
            op.f('ck_programme_rule_vote_approval'), 'vote_approval_num > 0 AND vote_approval_num < vote_approval_den'
        )
    with op.batch_alter_table('insurance_application') as batch:
        batch.add_column(sa.Column('applicant_name', sa.String(length=60), nullable=True))
        batch.add_column(sa.Column('applicant_contact', sa.String(length=60), nullable=True))
        batch.add_column(sa.Column('filed_by_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('vote_owners_total', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('vote_area_total', sa.Numeric(precision=12, scale=2), nullable=True))
        batch.add_column(sa.Column('vote_participants', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('vote_participant_area', sa.Numeric(precision=12, scale=2), nullable=True))
        batch.add_column(sa.Column('vote_for_area', sa.Numeric(precision=12, scale=2), nullable=True))
        batch.add_column(sa.Column('decision_note', sa.String(length=200), nullable=True))
        batch.create_foreign_key(
            op.f('fk_insurance_application_filed_by_id_user_account'), 'user_account', ['filed_by_id'], ['id']
        )
        batch.create_check_constraint(
            op.f('ck_insurance_application_vote_counts'),
            'vote_participants IS NULL OR (vote_participants >= 0 AND vote_participants <= vote_owners_total'
            ' AND vote_for <= vote_participants)',
        )
        batch.create_check_constraint(
            op.f('ck_insurance_application_vote_areas'),
            'vote_participant_area IS NULL OR (vote_participant_area >= 0'
            ' AND vote_participant_area <= vote_area_total AND vote_for_area <= vote_participant_area)',
        )
    with op.batch_alter_table('insurance_policy') as batch:
        batch.add_column(sa.Column('renews_policy_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f('fk_insurance_policy_renews_policy_id_insurance_policy'),
            'insurance_policy',
            ['renews_policy_id'],
            ['id'],
        )
        batch.create_index(batch.f('ix_insurance_policy_renews_policy_id'), ['renews_policy_id'], unique=False)
    with op.batch_alter_table('elevator_fault') as batch:
        batch.add_column(sa.Column('released_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'application_objection',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('objector', sa.String(length=60), nullable=True),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['application_id'],
            ['insurance_application.id'],
            name=op.f('fk_application_objection_application_id_insurance_application'),
        ),
        sa.ForeignKeyConstraint(
            ['recorded_by_id'], ['user_account.id'], name=op.f('fk_application_objection_recorded_by_id_user_account')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_application_objection')),
    )
    op.create_index(
        op.f('ix_application_objection_application_id'), 'application_objection', ['application_id'], unique=False
    )
    op.create_table(
        'application_document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column(
            'kind',
            sa.Enum(
                'application_form',
                'owner_feedback',
                'policy_basis',
                'contact_letter',
                'survey_opinion',
                name='document_kind',
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column('filename', sa.String(length=120), nullable=False),
        sa.Column('stored_name', sa.String(length=80), nullable=False),
        sa.Column('content_type', sa.String(length=40), nullable=False),
        sa.Column('size_bytes', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['application_id'],
            ['insurance_application.id'],
            name=op.f('fk_application_document_application_id_insurance_application'),
        ),
        sa.ForeignKeyConstraint(
            ['uploaded_by_id'], ['user_account.id'], name=op.f('fk_application_document_uploaded_by_id_user_account')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_application_document')),
        sa.UniqueConstraint('stored_name', name=op.f('uq_application_document_stored_name')),
    )
    op.create_index(
        op.f('ix_application_document_application_id'), 'application_document', ['application_id'], unique=False
    )
    op.create_table(
        'insurance_claim',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('insurance_policy_id', sa.Integer(), nullable=False),
        sa.Column('paid_on', sa.Date(), nullable=False),
        sa.Column('amount_fen', sa.BigInteger(), nullable=False),
        sa.Column(
            'kind',
            sa.Enum(
                'repair', 'parts', 'major_repair', name='claim_kind', native_enum=False, create_constraint=True, length=24
            ),
            nullable=False,
        ),
        sa.Column('elevator_fault_id', sa.Integer(), nullable=True),
        sa.Column('reference', sa.String(length=40), nullable=False),
        sa.CheckConstraint('amount_fen > 0', name=op.f('ck_insurance_claim_amount_positive')),
        sa.ForeignKeyConstraint(
            ['elevator_fault_id'], ['elevator_fault.id'], name=op.f('fk_insurance_claim_elevator_fault_id_elevator_fault')
        ),
        sa.ForeignKeyConstraint(
            ['insurance_policy_id'],
            ['insurance_policy.id'],
            name=op.f('fk_insurance_claim_insurance_policy_id_insurance_policy'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_insurance_claim')),
        sa.UniqueConstraint('reference', name=op.f('uq_insurance_claim_reference')),
    )
    op.create_index(
        op.f('ix_insurance_claim_elevator_fault_id'), 'insurance_claim', ['elevator_fault_id'], unique=False
    )
    op.create_index(
        op.f('ix_insurance_claim_insurance_policy_id'), 'insurance_claim', ['insurance_policy_id'], unique=False
    )
    op.create_index('ix_insurance_claim_paid_on', 'insurance_claim', ['paid_on'], unique=False)


def downgrade() -> None:
    """Downgrade schema (the role check fails while a fund-centre account exists, as it should)."""
    op.drop_table('insurance_claim')
    op.drop_table('application_document')
    op.drop_table('application_objection')
    with op.batch_alter_table('elevator_fault') as batch:
        batch.drop_column('released_at')
    with op.batch_alter_table('insurance_policy') as batch:
        batch.drop_index(batch.f('ix_insurance_policy_renews_policy_id'))
        batch.drop_constraint(op.f('fk_insurance_policy_renews_policy_id_insurance_policy'), type_='foreignkey')
        batch.drop_column('renews_policy_id')
    with op.batch_alter_table('insurance_application') as batch:
        batch.drop_constraint(op.f('ck_insurance_application_vote_areas'), type_='check')
        batch.drop_constraint(op.f('ck_insurance_application_vote_counts'), type_='check')
        batch.drop_constraint(op.f('fk_insurance_application_filed_by_id_user_account'), type_='foreignkey')
        for column in (
            'decision_note', 'vote_for_area', 'vote_participant_area', 'vote_participants', 'vote_area_total',
            'vote_owners_total', 'filed_by_id', 'applicant_contact', 'applicant_name',
        ):
            batch.drop_column(column)
    with op.batch_alter_table('programme_rule') as batch:
        batch.drop_constraint(op.f('ck_programme_rule_vote_approval'), type_='check')
        batch.drop_constraint(op.f('ck_programme_rule_vote_participation'), type_='check')
        for column in ('vote_approval_den', 'vote_approval_num', 'vote_participation_den', 'vote_participation_num'):
            batch.drop_column(column)
    _replace_role_check(_ROLES_BEFORE)
