"""Flask extensions, created unbound so that the factory can bind them to each app."""

import sqlite3

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

from app.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message_category = "info"
csrf = CSRFProtect()


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, connection_record) -> None:
    """Make SQLite behave: foreign keys on, WAL for concurrent readers, Unicode-aware lower().

    SQLite's own lower() folds ASCII only; searching Cyrillic text needs Python's.
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    # A big page cache keeps the indexes of large workspaces in memory during bulk imports.
    cursor.execute("PRAGMA cache_size=-131072")
    cursor.execute("PRAGMA temp_store=MEMORY")
    # Reading through memory-mapped pages: scoring scans a million rows along indexes.
    # (Mapped pages count as the process's memory: 256 MiB keeps a big import under 1 GB.)
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


@event.listens_for(Pool, "checkout")
def _foreign_keys_on(dbapi_connection, connection_record, connection_proxy) -> None:
    """Every checkout starts with SQLite's foreign-key checks on, whatever the last user did.

    Bulk imports switch them off for their own transactions (app.services.bulk_load); this
    makes sure no other code ever runs without them.
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA foreign_keys=ON")


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value
