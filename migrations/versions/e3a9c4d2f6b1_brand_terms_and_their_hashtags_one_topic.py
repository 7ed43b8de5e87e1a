"""a one-word brand term and its hashtag are one topic: "python" becomes "#python"

Revision ID: e3a9c4d2f6b1
Revises: b7d1e5a3c9f2
Create Date: 2026-12-06 10:30:00.000000

"""
import json
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3a9c4d2f6b1'
down_revision = 'b7d1e5a3c9f2'
branch_labels = None
depends_on = None

JOINERS = frozenset("_-./+#&'’")


def _hashtag_of(term):
    """The topic a one-word brand term is now stored as (app.ingest.record.brand_topic as of
    this revision), or None for a phrase or a term that is not a word."""
    word = term.strip().lower()
    if not word or word.startswith("#") or "/" in word or any(c.isspace() for c in word):
        return None
    if not any(c.isalnum() for c in word):
        return None
    if not all(c.isalnum() or c in JOINERS or unicodedata.category(c)[0] == "M" for c in word):
        return None
    return "#" + word


def _rename(old_of_new):
    connection = op.get_bind()
    workspaces = connection.execute(sa.text("SELECT id, brand_terms FROM workspaces")).all()
    for workspace_id, terms in workspaces:
        if isinstance(terms, str):
            terms = json.loads(terms)
        for term in terms or []:
            hashtag = _hashtag_of(term)
            if hashtag is None:
                continue
            old, new = old_of_new(term.strip().lower()[:200], hashtag[:200])
            params = {"w": workspace_id, "old": old, "new": new}
            # a mention that has both keeps one
            connection.execute(sa.text(
                "DELETE FROM mention_topics WHERE workspace_id = :w AND topic = :old"
                " AND mention_id IN (SELECT mention_id FROM mention_topics"
                " WHERE workspace_id = :w AND topic = :new)"
            ), params)
            connection.execute(sa.text(
                "UPDATE mention_topics SET topic = :new WHERE workspace_id = :w AND topic = :old"
            ), params)


def upgrade():
    _rename(lambda term, hashtag: (term, hashtag))


def downgrade():
    # the brand term's own mentions cannot be told from its hashtag's any more: all go back
    _rename(lambda term, hashtag: (hashtag, term))
