"""import runs remember the process that runs them ("host:pid"), so that a run whose process
was killed is closed on the next start instead of saying "running" for an hour

Revision ID: e4a8c2f6b1d9
Revises: e3a9c4d2b8f1
Create Date: 2026-12-06 10:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4a8c2f6b1d9'
down_revision = 'e3a9c4d2b8f1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('runner', sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.drop_column('runner')
