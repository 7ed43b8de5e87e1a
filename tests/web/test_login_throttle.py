"""Sign-in throttling: failed attempts per account and per client address are limited, and
the page says when to try again; Redis keeps the counts when REDIS_URL is set."""

import re

import pytest

from app import create_app
from app.extensions import db
from factories import PASSWORD, make_user


def attempt(client, password, email="anna@example.com", address="198.51.100.1"):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_ten_failures_then_even_the_right_password_waits(app, client):
    make_user()
    for _ in range(10):
        assert attempt(client, "wrong password").status_code == 200
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    match = re.search(r"Try again in (\d+) minutes?\.", page)
    assert match and 1 <= int(match.group(1)) <= 15
    assert int(response.headers["Retry-After"]) == int(match.group(1)) * 60
    assert 'name="email"' in page  # the sign-in form is still there
    # the account is throttled from any address, in any case of the e-mail
    assert attempt(client, PASSWORD, "ANNA@example.com", address="203.0.113.9").status_code == 429


def test_successful_sign_ins_do_not_count(app):
    make_user()
    for _ in range(12):
        response = attempt(app.test_client(), PASSWORD)
        assert response.status_code == 302


def test_other_accounts_are_not_throttled_by_one(app, client):
    make_user()
    make_user("boris@example.com", "Борис")
    for _ in range(10):
        attempt(client, "wrong password")
    assert attempt(client, PASSWORD).status_code == 429
    assert attempt(client, PASSWORD, "boris@example.com").status_code == 302


def test_one_address_trying_many_accounts_is_throttled(app, client):
    assert app.config["LOGIN_LIMIT_PER_ADDRESS"] == "50 per 15 minutes"
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "12 per 15 minutes"  # the same, in fewer hashes
    make_user()
    for number in range(12):
        assert attempt(client, "wrong", f"user{number}@example.com").status_code == 200
    assert attempt(client, PASSWORD).status_code == 429
    assert attempt(client, PASSWORD, address="203.0.113.9").status_code == 302


def test_the_limits_are_settings(app, client):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "2 per hour"
    make_user()
    attempt(client, "wrong")
    attempt(client, "wrong")
    response = attempt(client, PASSWORD)
    assert response.status_code == 429 and "Try again in 60 minutes." in response.get_data(
        as_text=True
    )


def test_the_counts_are_kept_in_redis_when_redis_url_is_set(tmp_path, postgres_url):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/6"
    server = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379 (the counts are kept in memory then)")
    server.flushdb()
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
         "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'r.db'}", "REDIS_URL": url,
         "JOBS_INLINE": True, "INSTANCE_PATH": str(tmp_path / "instance")}
    )  # fmt: skip
    try:
        assert app.config["RATELIMIT_STORAGE_URI"] == url
        with app.app_context():
            db.create_all()
            make_user()
            client = app.test_client()
            for _ in range(10):
                attempt(client, "wrong")
            assert attempt(client, PASSWORD).status_code == 429
            keys = [key.decode() for key in server.keys("*")]
            assert any("login-account" in key and "anna@example.com" in key for key in keys), keys
            db.session.remove()
            db.engine.dispose()
    finally:
        server.flushdb()
        server.close()


def test_memory_storage_without_redis(app):
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
