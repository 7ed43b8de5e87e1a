"""partial index of posts waiting for their parent post

Every import ends by linking replies, reposts and quotes known only by the parent's id; that
looked for them with three scans of all the workspace's posts. The partial index holds only
such posts, so the search costs nothing when there are none.

Revision ID: 5d3c1e2a9b7f
Revises: bb72eb384bdf
Create Date: 2026-11-23 16:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d3c1e2a9b7f'
down_revision = 'bb72eb384bdf'
branch_labels = None
depends_on = None

PENDING_TARGET = (
    "(reply_to_external_id IS NOT NULL AND reply_to_author_id IS NULL)"
    " OR (repost_of_external_id IS NOT NULL AND repost_of_author_id IS NULL)"
    " OR (quote_of_external_id IS NOT NULL AND quote_of_author_id IS NULL)"
)


def upgrade():
    with op.batch_alter_table('mentions', schema=None) as batch_op:
        batch_op.create_index(
            'ix_mentions_pending_targets', ['workspace_id'], unique=False,
            sqlite_where=sa.text(PENDING_TARGET), postgresql_where=sa.text(PENDING_TARGET),
        )


def downgrade():
    with op.batch_alter_table('mentions', schema=None) as batch_op:
        batch_op.drop_index('ix_mentions_pending_targets')
