"""interface languages: a person's choice and a workspace's default

Revision ID: f4c2a8d1e7b3
Revises: f1c8e2a7d3b5
Create Date: 2026-12-06 10:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "f4c2a8d1e7b3"
down_revision = "f1c8e2a7d3b5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("language")
