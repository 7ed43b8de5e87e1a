"""started_at of background work records

When a background runner takes up a scoring run, an upload's import or a graph export, it
stamps ``started_at``: the job's time limit counts from then, and a record still queued or
running well past that limit is closed as failed (its job died without a trace). A record
that waited in the queue is not judged by the time it was created.

Revision ID: 53cbe41e46ad
Revises: 8e41c7a2d5f3
Create Date: 2026-12-06 06:17:34.737078

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '53cbe41e46ad'
down_revision = '8e41c7a2d5f3'
branch_labels = None
depends_on = None

TABLES = ('graph_exports', 'import_runs', 'score_snapshots')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('started_at', sa.DateTime(), nullable=True))


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('started_at')
