"""a workspace's expected languages: the prior for its short posts' language

Revision ID: cc37544c4002
Revises: d4a8c2e6f1b0
Create Date: 2026-12-06 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cc37544c4002'
down_revision = 'd4a8c2e6f1b0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workspaces', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expected_languages', sa.JSON(), server_default='[]', nullable=False))


def downgrade():
    with op.batch_alter_table('workspaces', schema=None) as batch_op:
        batch_op.drop_column('expected_languages')
