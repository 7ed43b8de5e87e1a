"""Alembic migrations are the only way the schema is made: head must match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text

from app import create_app
from app.extensions import db
from app.models import Base


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
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
            tables = set(inspect(conn).get_table_names())
        db.engine.dispose()
    assert differences == []
    assert {"workspaces", "users", "mentions", "authors", "interactions"} <= tables
    if postgres_url:
        engine = create_engine(postgres_url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA migration_test CASCADE"))
        engine.dispose()
