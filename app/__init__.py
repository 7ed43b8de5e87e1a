"""Influence CRM: the application factory."""

from __future__ import annotations

import os

from flask import Flask, render_template

from app import config
from app.extensions import csrf, db, init_migrations, login_manager


class ConfigurationError(RuntimeError):
    """The app cannot start with this configuration."""


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the app: defaults, then ``FLASK_*`` variables, then ``test_config``."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        # Tests keep their instance folder (secret key, demo login, uploads) to themselves.
        instance_path=(test_config or {}).get("INSTANCE_PATH"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config.defaults(app.instance_path))
    app.config.from_prefixed_env()
    if test_config is not None:
        app.config.from_mapping(test_config)
    _configure_secret_key(app)
    try:
        app.config["JOB_TIME_LIMIT"] = config.check_job_time_limit(app.config["JOB_TIME_LIMIT"])
    except ValueError as error:
        raise ConfigurationError(str(error)) from None

    db.init_app(app)
    init_migrations(app, directory=os.path.join(app.root_path, "..", "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)

    from app import models  # noqa: F401  (register every table)

    _register_blueprints(app)
    _register_cli(app)
    _register_error_pages(app)
    _register_template_helpers(app)
    return app


def _configure_secret_key(app: Flask) -> None:
    """Use ``SECRET_KEY`` from the environment; locally fall back to one kept in ``instance/``."""
    if app.config.get("SECRET_KEY"):
        return
    env_key = os.environ.get("SECRET_KEY")
    if env_key:
        app.config["SECRET_KEY"] = env_key
        return
    production = (
        os.environ.get("FLASK_ENV") == "production"
        or os.environ.get("INFLUENCE_ENV") == "production"
    )
    if production:
        raise ConfigurationError(
            "SECRET_KEY is not set: in production set the SECRET_KEY environment variable "
            "(for example: export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))'))"
        )
    app.config["SECRET_KEY"] = config.local_secret_key(app.instance_path)


def _register_blueprints(app: Flask) -> None:
    from app.api import bp as api_bp
    from app.auth import bp as auth_bp
    from app.influencers import bp as influencers_bp
    from app.mentions import bp as mentions_bp
    from app.network import bp as network_bp
    from app.workspaces import bp as workspaces_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(workspaces_bp)
    app.register_blueprint(mentions_bp)
    app.register_blueprint(influencers_bp)
    app.register_blueprint(network_bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)


def _register_cli(app: Flask) -> None:
    from app.cli import register

    register(app)


def _register_error_pages(app: Flask) -> None:
    for code, title in (
        (400, "Bad request"),
        (403, "Not allowed"),
        (404, "Not found"),
        (413, "File too large"),
        (500, "Something went wrong"),
    ):

        def handler(error, code=code, title=title):
            from flask import request

            if request.path.startswith("/api/"):
                return {"error": title, "detail": getattr(error, "description", title)}, code
            return render_template("error.html", code=code, title=title, error=error), code

        app.register_error_handler(code, handler)


def _register_template_helpers(app: Flask) -> None:
    from app.web import inject_navigation, register_filters

    app.context_processor(inject_navigation)
    register_filters(app)
