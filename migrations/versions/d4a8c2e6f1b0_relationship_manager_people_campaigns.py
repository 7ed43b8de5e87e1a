"""relationship manager: people, accounts, stages, touches, tasks, templates, campaigns,
placements, audit; the contact history becomes touches of people

Revision ID: d4a8c2e6f1b0
Revises: e4a8c2f6b1d9
Create Date: 2026-12-06 10:00:00.000000

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4a8c2e6f1b0'
down_revision = 'e4a8c2f6b1d9'
branch_labels = None
depends_on = None


def _fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint(
        [column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}'), ondelete=ondelete
    )


def upgrade():
    op.create_table(
        'people',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('sort_name', sa.String(length=300), nullable=False),
        sa.Column('search_text', sa.Text(), nullable=False),
        sa.Column('organisation', sa.String(length=300), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('phone', sa.String(length=64), nullable=False),
        sa.Column('city', sa.String(length=200), nullable=False),
        sa.Column('language', sa.String(length=16), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.Column('notes', sa.Text(), nullable=False),
        sa.Column('why_they_matter', sa.Text(), nullable=False),
        sa.Column('legal_name', sa.String(length=300), nullable=False),
        sa.Column('inn', sa.String(length=12), nullable=False),
        sa.Column('registry_status', sa.String(length=8), nullable=False),
        sa.Column('registry_checked_on', sa.Date(), nullable=True),
        sa.Column('cadence_days', sa.Integer(), nullable=True),
        sa.Column('stage', sa.String(length=16), nullable=False),
        sa.Column('stage_changed_at', sa.DateTime(), nullable=True),
        sa.Column('last_touch_at', sa.DateTime(), nullable=True),
        sa.Column('last_touch_direction', sa.String(length=8), nullable=True),
        sa.Column('next_touch_due', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        _fk('people', 'owner_id', 'users', 'SET NULL'),
        _fk('people', 'workspace_id', 'workspaces', 'CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index('ix_people_workspace_due', ['workspace_id', 'next_touch_due'], unique=False)
        batch_op.create_index('ix_people_workspace_last_touch', ['workspace_id', 'last_touch_at'], unique=False)
        batch_op.create_index('ix_people_workspace_name', ['workspace_id', 'sort_name', 'id'], unique=False)
        batch_op.create_index('ix_people_workspace_owner', ['workspace_id', 'owner_id', 'sort_name'], unique=False)
        batch_op.create_index('ix_people_workspace_stage', ['workspace_id', 'stage', 'sort_name'], unique=False)

    op.create_table(
        'person_tags',
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('tag', sa.String(length=100), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        _fk('person_tags', 'person_id', 'people', 'CASCADE'),
        _fk('person_tags', 'workspace_id', 'workspaces', 'CASCADE'),
        sa.PrimaryKeyConstraint('person_id', 'tag', name=op.f('pk_person_tags')),
    )
    with op.batch_alter_table('person_tags', schema=None) as batch_op:
        batch_op.create_index('ix_person_tags_workspace_tag', ['workspace_id', 'tag', 'person_id'], unique=False)

    op.create_table(
        'tag_cadences',
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('tag', sa.String(length=100), nullable=False),
        sa.Column('cadence_days', sa.Integer(), nullable=False),
        _fk('tag_cadences', 'workspace_id', 'workspaces', 'CASCADE'),
        sa.PrimaryKeyConstraint('workspace_id', 'tag', name=op.f('pk_tag_cadences')),
    )

    op.create_table(
        'person_accounts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('platform', sa.String(length=32), nullable=False),
        sa.Column('handle', sa.String(length=255), nullable=False),
        sa.Column('display_handle', sa.String(length=255), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        _fk('person_accounts', 'author_id', 'authors', 'SET NULL'),
        _fk('person_accounts', 'person_id', 'people', 'CASCADE'),
        _fk('person_accounts', 'workspace_id', 'workspaces', 'CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_person_accounts')),
        sa.UniqueConstraint('workspace_id', 'platform', 'handle', name=op.f('uq_person_accounts_workspace_id_platform_handle')),
    )
    with op.batch_alter_table('person_accounts', schema=None) as batch_op:
        batch_op.create_index('ix_person_accounts_person', ['person_id'], unique=False)
        batch_op.create_index('ix_person_accounts_workspace_author', ['workspace_id', 'author_id'], unique=False)

    op.create_table(
        'stage_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('from_stage', sa.String(length=16), nullable=True),
        sa.Column('to_stage', sa.String(length=16), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('by_id', sa.Integer(), nullable=True),
        _fk('stage_changes', 'by_id', 'users', 'SET NULL'),
        _fk('stage_changes', 'person_id', 'people', 'CASCADE'),
        _fk('stage_changes', 'workspace_id', 'workspaces', 'CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_changes')),
    )
    with op.batch_alter_table('stage_changes', schema=None) as batch_op:
        batch_op.create_index('ix_stage_changes_person', ['workspace_id', 'person_id', 'at'], unique=False)

    op.create_table(
        'templates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        _fk('templates', 'created_by_id', 'users', 'SET NULL'),
        _fk('templates', 'workspace_id', 'workspaces', 'CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_templates')),
    )
    with op.batch_alter_table('templates', schema=None) as batch_op:
        batch_op.create_index('ix_templates_workspace_name', ['workspace_id', 'name'], unique=False)

    op.create_table(
        'touches',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('direction', sa.String(length=8), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('template_id', sa.Integer(), nullable=True),
        sa.Column('by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        _fk('touches', 'by_id', 'users', 'SET NULL'),
        _fk('touches', 'person_id', 'people', 'CASCADE'),
        _fk('touches', 'template_id', 'templates', 'SET NULL'),
        _fk('touches', 'workspace_id', 'workspaces', 'CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_touches')),
    )
    with op.batch_alter_table('touches', schema=None) as batch_op:
        batch_op.create_index('ix_touches_person', ['workspace_id', 'person_id', 'at'], unique=False)

    op.create_table(
        'tasks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('assignee_id', sa.Integer(), nullable=True),
        sa.Column('done_at', sa.DateTime(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        _fk('tasks', 'assignee_id', 'users', 'SET NULL'),
        _fk('tasks', 'created_by_id', 'users', 'SET NULL'),
        _fk('tasks', 'person_id', 'people', 'CASCADE'),
        _fk('tasks', 'workspace_id', 'workspaces', 'CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks')),
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_assignee', ['workspace_id', 'assignee_id', 'done_at', 'due_on'], unique=False)
        batch_op.create_index('ix_tasks_person', ['workspace_id', 'person_id', 'created_at'], unique=False)

    op.create_table(
        'campaigns',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('goal', sa.Text(), nullable=False),
        sa.Column('start_on', sa.Date(), nullable=True),
        sa.Column('end_on', sa.Date(), nullable=True),
        sa.Column('budget_cents', sa.BigInteger(), nullable=True),
        sa.Column('tags', sa.JSON(), nullable=False),
        sa.Column('links', sa.JSON(), nullable=False),
        sa.Column('promo_codes', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        _fk('campaigns', 'workspace_id', 'workspaces', 'CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns')),
    )
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.create_index('ix_campaigns_workspace_start', ['workspace_id', 'start_on'], unique=False)

    op.create_table(
        'placements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=True),
        sa.Column('platform', sa.String(length=32), nullable=False),
        sa.Column('deliverable', sa.String(length=16), nullable=False),
        sa.Column('planned_at', sa.Date(), nullable=True),
        sa.Column('fee_cents', sa.BigInteger(), nullable=True),
        sa.Column('gift_value_cents', sa.BigInteger(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('post_url', sa.String(length=1000), nullable=False),
        sa.Column('post_external_id', sa.String(length=255), nullable=False),
        sa.Column('mention_id', sa.Integer(), nullable=True),
        sa.Column('contract_number', sa.String(length=100), nullable=False),
        sa.Column('contract_date', sa.Date(), nullable=True),
        sa.Column('erid', sa.String(length=100), nullable=False),
        sa.Column('label_checked', sa.Boolean(), nullable=False),
        sa.Column('act', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        _fk('placements', 'campaign_id', 'campaigns', 'CASCADE'),
        _fk('placements', 'mention_id', 'mentions', 'SET NULL'),
        _fk('placements', 'person_id', 'people', 'SET NULL'),
        _fk('placements', 'workspace_id', 'workspaces', 'CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_placements')),
    )
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index('ix_placements_campaign', ['workspace_id', 'campaign_id', 'status', 'planned_at'], unique=False)
        batch_op.create_index('ix_placements_person', ['workspace_id', 'person_id', 'created_at'], unique=False)
        batch_op.create_index('ix_placements_planned', ['workspace_id', 'planned_at'], unique=False)

    op.create_table(
        'crm_audit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(length=16), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('detail', sa.JSON(), nullable=False),
        _fk('crm_audit', 'user_id', 'users', 'SET NULL'),
        _fk('crm_audit', 'workspace_id', 'workspaces', 'CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_audit')),
    )
    with op.batch_alter_table('crm_audit', schema=None) as batch_op:
        batch_op.create_index('ix_crm_audit_person', ['workspace_id', 'person_id', 'at'], unique=False)
        batch_op.create_index('ix_crm_audit_workspace_at', ['workspace_id', 'at'], unique=False)

    _contacts_to_touches()

    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_workspace_author')
    op.drop_table('contacts')


# Lightweight tables for the data migration (never the app's models: they change later).
authors = sa.table(
    'authors', sa.column('id'), sa.column('workspace_id'), sa.column('platform'),
    sa.column('handle'), sa.column('display_handle'), sa.column('name'),
)
contacts = sa.table(
    'contacts', sa.column('id'), sa.column('workspace_id'), sa.column('author_id'),
    sa.column('user_id'), sa.column('contacted_at'), sa.column('channel'), sa.column('note'),
    sa.column('created_at'),
)
people = sa.table(
    'people', sa.column('id', sa.Integer), sa.column('workspace_id'), sa.column('name'),
    sa.column('sort_name'), sa.column('search_text'), sa.column('organisation'),
    sa.column('email'), sa.column('phone'), sa.column('city'), sa.column('language'),
    sa.column('notes'), sa.column('why_they_matter'), sa.column('legal_name'), sa.column('inn'),
    sa.column('registry_status'), sa.column('stage'), sa.column('stage_changed_at'),
    sa.column('last_touch_at'), sa.column('last_touch_direction'), sa.column('created_at'),
    sa.column('updated_at'), sa.column('version'),
)
person_accounts = sa.table(
    'person_accounts', sa.column('workspace_id'), sa.column('person_id'), sa.column('platform'),
    sa.column('handle'), sa.column('display_handle'), sa.column('author_id'),
    sa.column('created_at'),
)
stage_changes = sa.table(
    'stage_changes', sa.column('workspace_id'), sa.column('person_id'), sa.column('from_stage'),
    sa.column('to_stage'), sa.column('at'), sa.column('by_id'),
)
touches = sa.table(
    'touches', sa.column('workspace_id'), sa.column('person_id'), sa.column('channel'),
    sa.column('direction'), sa.column('at'), sa.column('note'), sa.column('by_id'),
    sa.column('created_at'),
)


def _contacts_to_touches():
    """Each author someone contacted becomes a person (at the stage "contacted") with that
    account, and each contact a touch sent to them, by the same member at the same time."""
    bind = op.get_bind()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    contacted = bind.execute(
        sa.select(
            authors.c.id, authors.c.workspace_id, authors.c.platform, authors.c.handle,
            authors.c.display_handle, authors.c.name,
            sa.func.min(contacts.c.contacted_at), sa.func.max(contacts.c.contacted_at),
        )
        .select_from(contacts.join(authors, authors.c.id == contacts.c.author_id))
        .group_by(authors.c.id, authors.c.workspace_id, authors.c.platform, authors.c.handle,
                  authors.c.display_handle, authors.c.name)
        .order_by(authors.c.id)
    ).all()
    for author_id, workspace_id, platform, handle, display, name, first, last in contacted:
        name = (name or '').strip() or '@' + display
        person_id = bind.execute(
            people.insert().returning(people.c.id).values(
                workspace_id=workspace_id, name=name[:300], sort_name=name.casefold()[:300],
                search_text=f'{name.casefold()} {handle}', organisation='', email='', phone='',
                city='', language='', notes='', why_they_matter='', legal_name='', inn='',
                registry_status='unknown', stage='contacted', stage_changed_at=first,
                last_touch_at=last, last_touch_direction='sent', created_at=first,
                updated_at=now, version=1,
            )
        ).scalar_one()
        bind.execute(person_accounts.insert().values(
            workspace_id=workspace_id, person_id=person_id, platform=platform, handle=handle,
            display_handle=display, author_id=author_id, created_at=first,
        ))
        bind.execute(stage_changes.insert().values(
            workspace_id=workspace_id, person_id=person_id, from_stage='identified',
            to_stage='contacted', at=first, by_id=None,
        ))
        bind.execute(
            touches.insert().from_select(
                ['workspace_id', 'person_id', 'channel', 'direction', 'at', 'note', 'by_id',
                 'created_at'],
                sa.select(
                    contacts.c.workspace_id, sa.literal(person_id), contacts.c.channel,
                    sa.literal('sent'), contacts.c.contacted_at, contacts.c.note,
                    contacts.c.user_id, contacts.c.created_at,
                ).where(contacts.c.author_id == author_id).order_by(contacts.c.id),
            )
        )


def downgrade():
    op.create_table(
        'contacts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('contacted_at', sa.DateTime(), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['authors.id'], name=op.f('fk_contacts_author_id_authors'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_contacts_user_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_contacts_workspace_id_workspaces'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index('ix_contacts_workspace_author', ['workspace_id', 'author_id', 'contacted_at'], unique=False)
    # Touches go back to the contact history of each person's first linked author.
    first_author = (
        sa.select(sa.func.min(person_accounts.c.author_id))
        .where(person_accounts.c.person_id == touches.c.person_id,
               person_accounts.c.author_id.is_not(None))
        .scalar_subquery()
    )
    op.get_bind().execute(
        contacts.insert().from_select(
            ['workspace_id', 'author_id', 'user_id', 'contacted_at', 'channel', 'note',
             'created_at'],
            sa.select(
                touches.c.workspace_id, first_author, touches.c.by_id, touches.c.at,
                touches.c.channel, touches.c.note, touches.c.created_at,
            ).where(first_author.is_not(None)),
        )
    )
    for table in ('crm_audit', 'placements', 'campaigns', 'tasks', 'touches', 'templates',
                  'stage_changes', 'person_accounts', 'tag_cadences', 'person_tags', 'people'):
        op.drop_table(table)
