"""Security headers on every response, production cookies and HSTS, the secret key, and
templates that keep within the Content-Security-Policy."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from app import ConfigurationError, create_app
from app.security import CONTENT_SECURITY_POLICY
from factories import (
    PASSWORD,
    login,
    make_user,
    populated_workspace,
    route_requests,
)

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def assert_secure_headers(response, where: str) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in policy, where
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, where
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, where
    for name, value in REQUIRED.items():
        assert response.headers.get(name) == value, f"{where}: {name}"


def test_every_route_sends_the_security_headers(app, client, tmp_path):
    owner = make_user()
    values = populated_workspace(owner, tmp_path)
    auth = {"Authorization": f"Bearer {values['api_token']}"}
    login(client)
    requests = route_requests(app, values)
    assert len(requests) > 40
    for method, url, _ in requests:
        with client.open(url, method=method, headers=auth if "/api/" in url else {}) as response:
            assert response.status_code < 500, f"{method} {url}"
            assert_secure_headers(response, f"{method} {url} -> {response.status_code}")
    # signed out, errors and redirects too
    for url in ("/login", "/", "/no/such/page", "/w/acme/", "/api/v1/workspaces/acme/mentions"):
        assert_secure_headers(client.get(url), url)


def test_no_hsts_nor_secure_cookies_outside_production(app, client):
    make_user()
    response = login(client)
    assert "Strict-Transport-Security" not in response.headers
    assert "Secure" not in response.headers["Set-Cookie"]


def production_app(tmp_path, **settings):
    return create_app(
        {"TESTING": True, "INFLUENCE_ENV": "production", "SECRET_KEY": "k" * 32,
         "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db",
         "INSTANCE_PATH": str(tmp_path / "instance"), "WTF_CSRF_ENABLED": False, **settings}
    )  # fmt: skip


def test_production_sends_hsts_and_secure_cookies(tmp_path):
    app = production_app(tmp_path)
    with app.app_context():
        from app.extensions import db

        db.create_all()
        make_user()
        client = app.test_client()
        response = client.post(
            "/login",
            data={"email": "anna@example.com", "password": PASSWORD, "remember": "y"},
            base_url="https://crm.example.com",
        )
        assert response.status_code == 302
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        cookies = response.headers.getlist("Set-Cookie")
        assert {cookie.split("=")[0] for cookie in cookies} == {"session", "remember_token"}
        for cookie in cookies:
            assert "; Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("key", ["x", "k" * 31, "ключ" * 3])
def test_production_refuses_a_short_secret_key(tmp_path, key):
    with pytest.raises(ConfigurationError, match="at least 32 random bytes"):
        production_app(tmp_path, SECRET_KEY=key)


def test_production_checks_the_key_from_the_environment_too(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_SECRET_KEY", "short")
    monkeypatch.setenv("INFLUENCE_ENV", "production")
    with pytest.raises(ConfigurationError, match=r"too short \(5 bytes\)"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db",
                    "INSTANCE_PATH": str(tmp_path / "instance")})  # fmt: skip
    monkeypatch.setenv("FLASK_SECRET_KEY", "ключ-" * 8)  # 32 characters, 56 bytes: accepted
    create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db",
                "INSTANCE_PATH": str(tmp_path / "instance")})  # fmt: skip


def test_a_short_production_key_is_one_line_at_the_command_line(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "INFLUENCE_ENV": "production",
        "SECRET_KEY": "x",
        "DATABASE_URL": f"sqlite:///{tmp_path}/p.db",
        "HOME": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "workspaces", "list"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 4  # gunicorn's "App failed to load": it stops, too
    assert result.stderr.strip().splitlines() == [
        result.stderr.strip(),
    ], result.stderr
    assert result.stderr.startswith("Influence CRM cannot start: SECRET_KEY is too short (1 byte)")
    assert "Traceback" not in result.stderr


def test_trusted_proxy_gives_the_client_address_and_scheme(tmp_path):
    app = production_app(tmp_path, TRUSTED_PROXIES=1)
    seen = {}

    @app.get("/whoami")
    def whoami():
        from flask import request

        seen.update(address=request.remote_addr, scheme=request.scheme)
        return ""

    app.test_client().get(
        "/whoami", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    )
    assert seen == {"address": "203.0.113.7", "scheme": "https"}
    plain = production_app(tmp_path / "plain")
    plain.add_url_rule("/whoami", view_func=whoami)
    plain.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.7"})
    assert seen["address"] == "127.0.0.1"  # without trusted proxies the header is ignored


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"<style", re.I), "<style> element"),
    (re.compile(r"hx-on|hx-vars|js:", re.I), "htmx code in attributes"),
]


TEMPLATES = sorted((ROOT / "templates").rglob("*.html")) + sorted(
    (ROOT / "app").glob("*/templates/**/*.html")  # the domains' own templates
)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_templates_have_no_inline_script_or_style(path):
    text = re.sub(r"{#.*?#}", "", path.read_text(encoding="utf-8"), flags=re.S)  # comments
    for pattern, what in INLINE:
        match = pattern.search(text)
        assert match is None, f"{path.name}: {what}: {text[match.start():match.start() + 60]!r}"


def test_the_policy_allows_what_the_pages_load():
    # The network layout runs in a worker made from a blob: URL; Pico draws icons as data: SVGs.
    assert "worker-src 'self' blob:" in CONTENT_SECURITY_POLICY
    assert "img-src 'self' data:" in CONTENT_SECURITY_POLICY
    assert "object-src 'none'" in CONTENT_SECURITY_POLICY


def test_score_bars_have_a_rule_for_every_value():
    css = (ROOT / "app" / "static" / "css" / "app.css").read_text(encoding="utf-8")
    found = {int(v) for v in re.findall(r'\.scorebar\[data-v="(\d+)"\]\{--v:\1\}', css)}
    assert found == set(range(101))
