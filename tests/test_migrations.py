"""Alembic migrations are the only way the schema is made: head must match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text

from app import create_app
from app.extensions import db
from app.models import Base, Workspace
from app.models.mention import SEARCH_TABLE_PREFIX


def include_name(name, type_, parent_names):
    """The text-search tables and index are made by hand (FTS5, pg_trgm): not compared."""
    return not (type_ in ("table", "index") and name.startswith(SEARCH_TABLE_PREFIX))


def _fresh_url(tmp_path, postgres_url):
    if not postgres_url:
        return f"sqlite:///{tmp_path / 'migrated.db'}"
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS migration_test CASCADE"))
        conn.execute(text("CREATE SCHEMA migration_test"))
    engine.dispose()
    separator = "&" if "?" in postgres_url else "?"
    return f"{postgres_url}{separator}options=-csearch_path%3Dmigration_test"


def test_upgrade_to_head_matches_the_models(tmp_path, postgres_url):
    url = _fresh_url(tmp_path, postgres_url)
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url,
         "INSTANCE_PATH": str(tmp_path / "instance")}
    )  # fmt: skip
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": include_name}
            )
            differences = compare_metadata(context, Base.metadata)
            tables = set(inspect(conn).get_table_names())
            indexes = {index["name"] for index in inspect(conn).get_indexes("mentions")}
        db.engine.dispose()
    assert differences == []
    assert {"workspaces", "users", "mentions", "authors", "interactions"} <= tables
    if postgres_url:  # text search: a pg_trgm index (the test user may install it) ...
        assert "mention_search_trgm" in indexes
    else:  # ... or an FTS5 table
        assert {"mention_search", "mention_search_state"} <= tables
    if postgres_url:
        engine = create_engine(postgres_url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA migration_test CASCADE"))
        engine.dispose()


def write_older_rows(brand_terms: str, posts: list[tuple[str, str, str]]) -> None:
    """Write workspace 1 (``brand_terms`` as JSON), one author per post and the posts
    ``(id, author, text)`` in SQL, as an older schema has them: today's models have columns
    such a schema lacks."""
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO workspaces (id, slug, name, brand_terms, timezone, work_start, work_end,"
            " work_days, created_at) VALUES (1, 'acme', 'Acme', :terms, 'UTC', '09:00', '18:00',"
            " '[1, 2, 3, 4, 5]', '2026-11-01 10:00:00')"
        ), {"terms": brand_terms})  # fmt: skip
        for number, (external, author, body) in enumerate(posts, start=1):
            values = {"n": number, "e": external, "h": author, "t": body}
            conn.execute(text(
                "INSERT INTO authors (id, workspace_id, platform, handle, display_handle,"
                " posts_count) VALUES (:n, 1, 'twitter', :h, :h, 1)"
            ), values)  # fmt: skip
            conn.execute(text(
                "INSERT INTO mentions (id, workspace_id, platform, external_id, author_id,"
                " created_at, kind, text, sentiment, sentiment_source) VALUES (:n, 1, 'twitter',"
                " :e, :n, '2026-11-01 10:00:00', 'post', :t, 'neutral', 'computed')"
            ), values)  # fmt: skip


def test_the_search_index_migration_indexes_the_posts_already_stored(tmp_path):
    from app.services import mentions, search_index

    url = f"sqlite:///{tmp_path / 'older.db'}"
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url,
         "INSTANCE_PATH": str(tmp_path / "instance")}
    )  # fmt: skip
    with app.app_context():
        upgrade(revision="5d3c1e2a9b7f")  # the schema before the index
        write_older_rows("[]", [("1", "anna", "Ужасная ДОСТАВКА"), ("2", "bob", "fine")])
        workspace_id = 1
        upgrade()
        assert search_index.indexed_upto(db.session.connection()) == 2
        assert search_index.catch_up() == 0  # all there already
        workspace = db.session.get(Workspace, workspace_id)
        page = mentions.list_mentions(
            workspace, mentions.MentionFilters.from_args({"q": "доставка"})
        )
        assert [item.text for item in page.items] == ["Ужасная ДОСТАВКА"]
        db.session.remove()
        db.engine.dispose()


def test_brand_term_topics_become_their_hashtags(tmp_path):
    """The migration that makes "acme" and "#acme" one topic, on topics stored before it."""
    url = f"sqlite:///{tmp_path / 'older.db'}"
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url,
         "INSTANCE_PATH": str(tmp_path / "instance")}
    )  # fmt: skip
    with app.app_context():
        upgrade(revision="b7d1e5a3c9f2")
        write_older_rows('["Acme", "Acme Cloud"]',
                         [("1", "anna", "Acme rocks"), ("2", "bob", "#acme on Acme Cloud")])  # fmt: skip
        # as the code before it stored them: the term itself, beside its hashtag
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO mention_topics (mention_id, workspace_id, topic) VALUES"
                " (1, 1, 'acme'), (2, 1, '#acme'), (2, 1, 'acme cloud'), (2, 1, 'acme')"
            ))  # fmt: skip
        upgrade()
        stored = db.session.execute(
            text("SELECT m.external_id, t.topic FROM mention_topics t JOIN mentions m ON m.id = t.mention_id"
                 " ORDER BY 1, 2")
        ).all()  # fmt: skip
        assert [tuple(row) for row in stored] == [
            ("1", "#acme"),
            ("2", "#acme"),
            ("2", "acme cloud"),
        ]
        db.session.remove()
        db.engine.dispose()
