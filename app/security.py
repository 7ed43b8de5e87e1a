"""HTTP hardening: security headers on every response, cookie flags and HSTS in production,
and the client's address when the app runs behind a proxy.

The Content-Security-Policy allows scripts and styles from this site only: no inline
``<script>``, no ``onclick=``, no ``style=`` attribute, no ``eval``. Templates load their
scripts from ``app/static/js/`` and pass data in ``data-*`` attributes or JSON blocks
(``<script type="application/json">`` is data, which the policy does not block).
"""

from __future__ import annotations

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",  # Pico CSS draws its icons (select arrows, checkmarks) as data: SVGs
        "font-src 'self'",
        "connect-src 'self'",
        # The network page's layout (graphology's FA2Layout) runs in a worker made from a blob: URL.
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    # frame-ancestors for current browsers, X-Frame-Options for old ones: no page can be framed,
    # so the one-click POST buttons cannot be clickjacked.
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # The full address only to this site: Flask-WTF's CSRF check over HTTPS needs the Referer,
    # and links out to authors' posts should not tell other sites our paths and workspace ids.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}

HSTS = "max-age=31536000; includeSubDomains"
"""Strict-Transport-Security in production: browsers use HTTPS only, for a year."""

MIN_SECRET_KEY_BYTES = 32


def is_production(app: Flask) -> bool:
    """Return whether the app runs in production (``INFLUENCE_ENV=production``)."""
    return app.config.get("INFLUENCE_ENV") == "production"


def init_app(app: Flask) -> None:
    """Add the security headers to every response; in production, Secure cookies and HSTS.

    ``TRUSTED_PROXIES`` (``FLASK_TRUSTED_PROXIES``) is how many proxies stand in front of the
    app: their ``X-Forwarded-*`` headers then give the client's address (used to throttle
    sign-ins), the scheme (HTTPS links) and the host. Left at 0, those headers are ignored, as
    anyone could send them.
    """
    production = is_production(app)
    if production:
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if production:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response


def secret_key_problem(key: str | bytes) -> str | None:
    """Return why ``key`` is not fit to sign production cookies, or ``None`` if it is."""
    size = len(key.encode() if isinstance(key, str) else key)
    if size >= MIN_SECRET_KEY_BYTES:
        return None
    return (
        f"SECRET_KEY is too short ({size} byte{'s' if size != 1 else ''}): production needs at "
        f"least {MIN_SECRET_KEY_BYTES} random bytes, for example "
        "export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')"
    )
