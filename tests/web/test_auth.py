"""Signing in and out, login required everywhere, CSRF, secret key handling, accounts."""

import pytest

from app import ConfigurationError, create_app
from factories import PASSWORD, login, make_user, make_workspace


def test_pages_need_sign_in(app, client):
    make_workspace("acme")
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "auth.login", "auth.invitation") or rule.rule.startswith("/api/"):
            continue
        url = rule.rule.replace("<slug>", "acme")
        for name in ("int:membership_id", "int:invitation_id", "int:run_id", "int:author_id",
                     "int:mention_id", "int:token_id", "int:snapshot_id", "int:contact_id",
                     "int:export_id", "int:person_id", "int:account_id", "int:campaign_id",
                     "int:placement_id", "int:template_id", "int:task_id", "int:alert_id"):
            url = url.replace(f"<{name}>", "1")
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"], url


def test_sign_in_and_out(app, client):
    make_user()
    assert login(client, password="wrong").status_code == 200
    response = login(client)
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_sign_in_redirect_stays_on_this_site(app, client):
    make_user()
    response = client.post(
        "/login?next=https://evil.example/x", data={"email": "anna@example.com", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_forms_need_a_csrf_token(tmp_path):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/c.db",
         "INSTANCE_PATH": str(tmp_path / "instance")}  # fmt: skip
    )
    with app.app_context():
        from app.extensions import db

        db.create_all()
        make_user()
        response = app.test_client().post(
            "/login", data={"email": "anna@example.com", "password": PASSWORD}
        )
        assert response.status_code == 400
        db.session.remove()
        db.engine.dispose()


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("INFLUENCE_ENV", "production")
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db",
                    "INSTANCE_PATH": str(tmp_path / "instance")})  # fmt: skip


def test_api_tokens_are_shown_once_and_stored_hashed(app, client):
    user = make_user()
    login(client)
    response = client.post("/account", data={"token-name": "exporter", "token-submit": "1"})
    page = response.get_data(as_text=True)
    assert "icrm_" in page
    token = page.split('data-testid="new-token">')[1].split("<")[0]
    assert user.tokens[0].token_hash != token and token not in user.tokens[0].token_hash
    assert token not in client.get("/account").get_data(as_text=True)
    client.post(f"/account/tokens/{user.tokens[0].id}/revoke")
    assert user.tokens == []


def test_password_change(app, client):
    make_user()
    login(client)
    client.post(
        "/account",
        data={"password-current": PASSWORD, "password-password": "new password 1",
              "password-confirm": "new password 1", "password-submit": "1"},
    )  # fmt: skip
    client.post("/logout")
    assert login(client, password="new password 1").status_code == 302
