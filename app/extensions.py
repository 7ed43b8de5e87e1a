"""Flask extensions, created unbound so that the factory can bind them to each app."""

import sqlite3

import click
from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

from app.models.base import Base

db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message_category = "info"
login_manager.login_message = "Please sign in to see this page."


def _localize(message: str) -> str:
    from flask_babel import gettext

    return gettext(message)


login_manager.localize_callback = _localize
csrf = CSRFProtect()
# No default limits: only sign-in is throttled (app.auth.routes); its storage is Redis when
# REDIS_URL is set, else memory (RATELIMIT_STORAGE_URI, set by the factory).
limiter = Limiter(key_func=get_remote_address)

MIGRATE_OPTIONS = {"render_as_batch": True, "compare_type": True}


def init_migrations(app: Flask, directory: str) -> None:
    """Offer Flask-Migrate to the app (``flask db ...``, ``flask_migrate.upgrade()``) unbound.

    Importing Flask-Migrate brings in Alembic, a tenth of a second or more that every
    command, test and web worker paid at start-up while only migrations use it: it is bound
    on first use instead (see :func:`migrations`).
    """
    app.extensions["migrate"] = _MigrationsOnDemand(app, directory)
    app.cli.add_command(_MigrationCommands())


def migrations(app: Flask):
    """Return Flask-Migrate's configuration of ``app``, binding Flask-Migrate on first use."""
    config = app.extensions["migrate"]
    if isinstance(config, _MigrationsOnDemand):
        from flask_migrate import Migrate

        Migrate(app, db, directory=config.directory, **MIGRATE_OPTIONS)  # replaces both stand-ins
        config = app.extensions["migrate"]
    return config


class _MigrationsOnDemand:
    """Stands in for ``app.extensions["migrate"]``: the first attribute read binds the real one."""

    def __init__(self, app: Flask, directory: str) -> None:
        self.app, self.directory = app, directory

    def __getattr__(self, name: str):
        return getattr(migrations(self.app), name)


class _MigrationCommands(click.Group):
    """``flask db``: Flask-Migrate's command group, imported only when it is run.

    Click runs a subcommand in the context its ``make_context`` returns, so handing over to
    the real group there gives its options, help and commands unchanged.
    """

    def __init__(self) -> None:
        super().__init__("db", help="Perform database migrations.")

    def make_context(self, info_name, args, parent=None, **extra):
        migrations(current_app._get_current_object())
        from flask_migrate.cli import db as commands

        return commands.make_context(info_name, args, parent=parent, **extra)


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
