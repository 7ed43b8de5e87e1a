"""Sessions end on the server: sign-out, a password change and "sign out everywhere" make
copied cookies useless; the remember cookie is per sign-in, 30 days, HttpOnly, SameSite=Lax
and changes each time it restores a session."""

from datetime import timedelta

import pytest
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import select, update

from app.extensions import db
from app.models import UserSession, utcnow
from app.services import sessions
from factories import PASSWORD, login, make_user

NEW_PASSWORD = "Ёжик в тумане 2026"


class Browser:
    """A test client whose every request runs in an application context of its own, as in
    production: the test's context (and Flask-Login's user cached in ``g``) is not shared
    between browsers."""

    def __init__(self, app):
        self.app, self.client = app, app.test_client()

    def open(self, *args, **kwargs):
        with self.app.app_context():
            response = self.client.open(*args, **kwargs)
            response.get_data()
            return response

    def get(self, url, **kwargs):
        return self.open(url, method="GET", **kwargs)

    def post(self, url, **kwargs):
        return self.open(url, method="POST", **kwargs)

    def __getattr__(self, name):  # get_cookie, set_cookie, delete_cookie
        return getattr(self.client, name)


def signed_in(app, remember=False, email="anna@example.com"):
    """A new browser, signed in."""
    browser = Browser(app)
    data = {"email": email, "password": PASSWORD} | ({"remember": "y"} if remember else {})
    assert browser.post("/login", data=data).status_code == 302
    return browser


def copy_of(app, browser):
    """Another browser holding a copy of ``browser``'s cookies (a stolen cookie)."""
    thief = Browser(app)
    for name in ("session", "remember_token"):
        cookie = browser.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value)
    return thief


def is_signed_in(browser) -> bool:
    return browser.get("/account").status_code == 200


def test_sign_out_ends_the_session_for_a_copied_cookie_too(app):
    make_user()
    browser = signed_in(app)
    thief = copy_of(app, browser)
    assert is_signed_in(thief)
    browser.post("/logout")
    assert not is_signed_in(browser)
    assert not is_signed_in(thief)


def test_sign_out_ends_only_this_browsers_session(app):
    make_user()
    laptop, phone = signed_in(app), signed_in(app)
    laptop.post("/logout")
    assert is_signed_in(phone) and not is_signed_in(laptop)


def test_a_password_change_signs_out_every_other_browser(app):
    user = make_user()
    browser, other = signed_in(app, remember=True), signed_in(app, remember=True)
    thief = copy_of(app, browser)
    response = browser.post(
        "/account",
        data={"password-current": PASSWORD, "password-password": NEW_PASSWORD,
              "password-confirm": NEW_PASSWORD, "password-submit": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    page = browser.get("/account")  # this browser got a new session
    assert page.status_code == 200 and "Every other browser is signed out" in page.get_data(as_text=True)
    assert not is_signed_in(other) and not is_signed_in(thief)
    [record] = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id))
    assert record.remember  # "keep me signed in" survives the change
    assert signed_in_with(app, NEW_PASSWORD)


def signed_in_with(app, password):
    response = Browser(app).post("/login", data={"email": "anna@example.com", "password": password})
    return response.status_code == 302


def test_sign_out_everywhere(app):
    make_user()
    browser, other = signed_in(app), signed_in(app, remember=True)
    page = browser.get("/account").get_data(as_text=True)
    assert 'data-testid="open-sessions">You are signed in on 2 browsers' in page
    assert page.count("<tr>") == 3 and page.count("(this browser)") == 1
    response = browser.post("/account/sign-out-everywhere", follow_redirects=True)
    assert "You are signed out everywhere (2 browsers)" in response.get_data(as_text=True)
    assert not is_signed_in(browser) and not is_signed_in(other)
    assert db.session.scalar(select(UserSession.id)) is None


def test_the_remember_cookie(app):
    make_user()
    browser = signed_in(app, remember=True)
    cookie = browser.get_cookie("remember_token")
    assert cookie.http_only and cookie.same_site == "Lax"
    lifetime = cookie.expires - utcnow()
    assert timedelta(days=29, hours=23) < lifetime <= timedelta(days=30)
    again = signed_in(app, remember=True)
    assert again.get_cookie("remember_token").value != cookie.value  # new per sign-in
    assert not cookie.value.startswith("1|")  # not the user id alone, as before


def test_the_remember_cookie_restores_a_session_and_changes(app):
    make_user()
    browser = signed_in(app, remember=True)
    first = browser.get_cookie("remember_token").value
    browser.delete_cookie("session")  # the browser was closed
    assert is_signed_in(browser)
    second = browser.get_cookie("remember_token").value
    assert second != first
    # A copy of the old cookie works for a minute (requests already under way), then not.
    late = Browser(app)
    late.set_cookie("remember_token", first)
    assert is_signed_in(late)
    db.session.execute(update(UserSession).values(rotated_at=utcnow() - timedelta(minutes=2)))
    db.session.commit()
    stale = Browser(app)
    stale.set_cookie("remember_token", first)
    assert not is_signed_in(stale)
    fresh = Browser(app)
    fresh.set_cookie("remember_token", second)
    assert is_signed_in(fresh)


def test_sessions_expire_after_30_days(app):
    make_user()
    browser = signed_in(app, remember=True)
    db.session.execute(update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert not is_signed_in(browser)
    browser.delete_cookie("session")
    assert not is_signed_in(browser)  # the remember cookie names the same, expired session


def test_cookies_from_before_sessions_were_stored_sign_in_again(app):
    user = make_user()
    old = Browser(app)
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    old.set_cookie("session", serializer.dumps({"_user_id": str(user.id), "_fresh": True}))
    assert not is_signed_in(old)


@pytest.mark.parametrize(
    "value", ["1", "1:", ":token", "abc:token", "99999999999999999999:token", "1:wrong"]
)
def test_unknown_session_ids_load_nobody(app, value):
    make_user()
    signed_in(app)
    assert sessions.load(value) is None


def test_signing_in_keeps_the_account_page_and_next_working(app, client):
    make_user()
    response = login(client)
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
