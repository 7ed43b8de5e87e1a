"""Influence CRM: the application factory (``app`` re-exports it; see app/__init__.py)."""

from __future__ import annotations

import os

import flask_babel
from flask import Flask, render_template
from flask_babel import lazy_gettext as _l

from app import config, i18n, security
from app.extensions import csrf, db, init_migrations, limiter, login_manager


class ConfigurationError(RuntimeError):
    """The app cannot start with this configuration."""


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the app: defaults, then ``FLASK_*`` variables, then ``test_config``."""
    app = Flask(
        "app",  # the package: its folder holds static/, and instance/ sits beside it
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
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"

    db.init_app(app)
    init_migrations(app, directory=os.path.join(app.root_path, "..", "migrations"))
    login_manager.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    _register_upload_guard(app)  # before CSRF, whose check reads the whole body
    csrf.init_app(app)
    limiter.init_app(app)

    from app import models  # noqa: F401  (register every table)
    from app.advocacy import models as advocacy_models  # noqa: F401
    from app.sentiment import models as sentiment_models  # noqa: F401  (its tables too)

    _register_blueprints(app)
    _register_cli(app)
    _register_error_pages(app)
    _register_template_helpers(app)
    _register_favicon(app)
    return app


def _register_favicon(app: Flask) -> None:
    """Serve ``/favicon.ico`` (browsers and tools ask for it on every site, signed in or not);
    pages link the SVG version too."""
    from flask import send_from_directory

    @app.get("/favicon.ico")
    def favicon():
        return send_from_directory(
            app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400
        )


def _configure_secret_key(app: Flask) -> None:
    """Use ``SECRET_KEY`` from the environment; locally fall back to one kept in ``instance/``.

    Production refuses to start without a key of at least 32 bytes: a short key lets anyone
    who guesses it forge session cookies.
    """
    production = security.is_production(app)
    if not app.config.get("SECRET_KEY"):
        env_key = os.environ.get("SECRET_KEY")
        if env_key:
            app.config["SECRET_KEY"] = env_key
        elif production:
            raise ConfigurationError(
                "SECRET_KEY is not set: in production set the SECRET_KEY environment variable "
                "(for example: export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))'))"
            )
        else:
            app.config["SECRET_KEY"] = config.local_secret_key(app.instance_path)
    problem = security.secret_key_problem(app.config["SECRET_KEY"]) if production else None
    if problem:
        raise ConfigurationError(problem)


def _register_upload_guard(app: Flask) -> None:
    from app.web import guard_uploads, remember_workspace

    app.before_request(guard_uploads)
    app.after_request(remember_workspace)


def _register_blueprints(app: Flask) -> None:
    from app.web import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route is added
    from app.advocacy import api as advocacy_api  # noqa: F401  (its routes join the API's)
    from app.advocacy import bp as advocacy_bp
    from app.advocacy import effectiveness_api  # noqa: F401  (the campaign report, too)
    from app.api import bp as api_bp
    from app.auth import bp as auth_bp
    from app.dashboard import bp as dashboard_bp
    from app.influencers import bp as influencers_bp
    from app.mentions import bp as mentions_bp
    from app.network import bp as network_bp
    from app.workspaces import bp as workspaces_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(workspaces_bp)
    app.register_blueprint(mentions_bp)
    app.register_blueprint(influencers_bp)
    app.register_blueprint(network_bp)
    app.register_blueprint(advocacy_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)
    from app.crm.api import bp as crm_api_bp
    from app.crm.routes import bp as crm_bp

    app.register_blueprint(crm_bp)

    app.register_blueprint(crm_api_bp)
    csrf.exempt(crm_api_bp)


def _register_cli(app: Flask) -> None:
    from app.advocacy.cli import advocacy_cli
    from app.cli import register

    register(app)
    app.cli.add_command(advocacy_cli)


ERROR_PAGES = (
    (400, _l("Bad request"), "bad_request"),
    (403, _l("Not allowed"), "forbidden"),
    (404, _l("Not found"), "not_found"),
    (405, _l("Method not allowed"), "method_not_allowed"),
    (413, _l("Too large"), "too_large"),
    (429, _l("Too many requests"), "too_many_requests"),
    (500, _l("Something went wrong"), "internal_error"),
)
"""Errors with a page of their own (and, under ``/api/``, a JSON answer): code, title, API code."""


def _register_error_pages(app: Flask) -> None:
    for code, title, api_code in ERROR_PAGES:

        def handler(error, code=code, title=title, api_code=api_code):
            from flask import request

            description = getattr(error, "description", None) or title
            if code == 500:  # never show the exception: it was logged
                description = "the server failed to answer; the error was logged"
            if request.path.startswith("/api/"):
                from app.api import error_response

                with flask_babel.force_locale("en"):  # programs read the API: English
                    return error_response(code, api_code, str(description))
            return render_template("error.html", code=code, title=title, error=error), code

        app.register_error_handler(code, handler)


def _register_template_helpers(app: Flask) -> None:
    from app.web import inject_navigation, register_filters

    app.context_processor(inject_navigation)
    register_filters(app)
