"""earned media value: a workspace's rates per platform (likes, reposts, replies, views)

Revision ID: f1c8e2a7d3b5
Revises: cc37544c4002
Create Date: 2026-12-06 11:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1c8e2a7d3b5'
down_revision = 'cc37544c4002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('advocacy_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('emv_rates', sa.JSON(), nullable=False, server_default='{}'))


def downgrade():
    with op.batch_alter_table('advocacy_settings', schema=None) as batch_op:
        batch_op.drop_column('emv_rates')
