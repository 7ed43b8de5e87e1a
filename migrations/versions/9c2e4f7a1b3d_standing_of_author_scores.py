"""standing of author scores: the influencer list shows people with a role first

Revision ID: 9c2e4f7a1b3d
Revises: 99f6a86c12a8
Create Date: 2026-12-06 09:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9c2e4f7a1b3d'
down_revision = '99f6a86c12a8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('author_scores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('standing', sa.Float(), nullable=False, server_default='0'))
    # the snapshots already written: a role holder stands at their role's score, everyone else
    # below every role holder, in the order of their best score
    op.execute(
        "UPDATE author_scores SET standing = CASE role"
        " WHEN 'networker' THEN networker WHEN 'thought_leader' THEN thought_leader"
        " WHEN 'trendsetter' THEN trendsetter WHEN 'amplifier' THEN amplifier"
        " ELSE best_score - 100 END"
    )
    with op.batch_alter_table('author_scores', schema=None) as batch_op:
        batch_op.create_index('ix_author_scores_snapshot_standing', ['snapshot_id', 'standing'], unique=False)


def downgrade():
    with op.batch_alter_table('author_scores', schema=None) as batch_op:
        batch_op.drop_index('ix_author_scores_snapshot_standing')
        batch_op.drop_column('standing')
