"""a workspace may keep its brand terms apart from their hashtags ("python" and "#python")

Revision ID: a6d2f8c4e1b9
Revises: f4c2a8d1e7b3
Create Date: 2026-12-06 13:20:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a6d2f8c4e1b9"
down_revision = "f4c2a8d1e7b3"
branch_labels = None
depends_on = None


def upgrade():
    # false for every workspace: one topic, as since e3a9c4d2f6b1; no topic changes
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "brand_hashtags_apart", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade():
    # a workspace that kept them apart keeps its topics as they are; the code before this
    # revision merges them again only for what it imports next
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("brand_hashtags_apart")
