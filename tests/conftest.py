"""Fixtures: an app on a fresh database per test (SQLite, or PostgreSQL via TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # for `import factories` with --import-mode=importlib

from app import create_app  # noqa: E402
from app.advocacy import models as _advocacy_models  # noqa: E402,F401  (tables for create_all)
from app.extensions import db  # noqa: E402
from app.models import Base  # noqa: E402
from app.sentiment import models as _sentiment_models  # noqa: E402,F401  (tables for create_all)

SHARED_DATA = ROOT.parent / "shared" / "data"
FIXTURES = ROOT / "tests" / "fixtures"


def _database_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if url and url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


@pytest.fixture(scope="session")
def postgres_url():
    """The PostgreSQL test database, emptied once per session; ``None`` when testing SQLite."""
    url = _database_url()
    if not url:
        yield None
        return
    engine = create_engine(url)
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    Base.metadata.create_all(engine)
    engine.dispose()
    yield url


def truncate_all(url: str) -> None:
    """Empty every table of the PostgreSQL test database."""
    engine = create_engine(url)
    names = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def app(tmp_path, postgres_url):
    """An app on an empty database with every table, jobs run inline."""
    url = postgres_url or f"sqlite:///{tmp_path / 'test.db'}"
    if postgres_url:
        truncate_all(postgres_url)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "JOBS_INLINE": True,
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SERVER_NAME": "localhost",
        }
    )
    with app.app_context():
        if not postgres_url:
            db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def shared_data() -> Path:
    """The real samples in ../shared/data; the test is skipped where they are absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA
