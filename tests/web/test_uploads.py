"""Uploads: a cap the import page states, and size and role checked before the body is read."""

import io

import pytest

from app import create_app
from app.services import users as user_service
from app.services import workspaces as workspace_service
from factories import login, make_user, make_workspace

MB = 1_000_000


class Untouchable(io.RawIOBase):
    """A request body of ``size`` bytes that fails the test if anything reads it."""

    def __init__(self, size: int):
        self.size, self.position = size, 0

    def readable(self):
        return True

    def seekable(self):  # the test client measures the body (Content-Length) by seeking
        return True

    def seek(self, offset, whence=io.SEEK_SET):
        self.position = self.size + offset if whence == io.SEEK_END else offset
        return self.position

    def tell(self):
        return self.position

    def readinto(self, buffer):
        raise AssertionError("the request body was read")


def upload(client, size, path="/w/acme/import", **kwargs):
    """Post ``size`` bytes with CSRF protection on, as in production: its check reads the
    whole form, so it must not run before the upload is refused."""
    config = client.application.config
    config["WTF_CSRF_ENABLED"] = True
    kwargs.setdefault("content_type", "multipart/form-data; boundary=x")
    try:
        return client.post(path, input_stream=Untouchable(size), **kwargs)
    finally:
        config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def acme(app):
    owner = make_user()
    workspace = make_workspace("acme", owner=owner)
    for email, role in (("vera@example.com", "viewer"), ("alex@example.com", "agent")):
        workspace_service.add_member(workspace, make_user(email, email[:4]), role)
    return workspace


def test_the_cap_is_200_mb_and_the_import_page_says_so(app, client, acme):
    assert app.config["MAX_CONTENT_LENGTH"] == 200 * MB
    login(client, "alex@example.com")
    page = client.get("/w/acme/import").get_data(as_text=True)
    assert "Up to 200.0 MB in all" in page and 'data-max-bytes="200000000"' in page


def test_a_viewers_upload_is_refused_before_it_is_read(app, client, acme):
    login(client, "vera@example.com")
    response = upload(client, 200 * MB)
    assert response.status_code == 403
    assert "your role (viewer) cannot import" in response.get_data(as_text=True)


def test_too_large_is_refused_before_it_is_read(app, client, acme):
    login(client, "alex@example.com")
    response = upload(client, 200 * MB + 1)
    assert response.status_code == 413
    assert "(200.0 MB at most)" in response.get_data(as_text=True)


def test_strangers_and_signed_out_people_are_refused_before_reading(app, client, acme):
    make_user("mallory@example.com")
    assert upload(client, 10 * MB).status_code == 302  # to the sign-in page
    login(client, "mallory@example.com")
    assert upload(client, 10 * MB).status_code == 404


def test_the_cap_is_a_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_MAX_CONTENT_LENGTH", str(5 * MB))
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/u.db",
                      "INSTANCE_PATH": str(tmp_path / "instance")})  # fmt: skip
    assert app.config["MAX_CONTENT_LENGTH"] == 5 * MB


def test_the_api_answers_413_in_json(app, client, acme):
    _, token = user_service.create_token(user_service.get_by_email("alex@example.com"), "t")
    response = upload(
        client, 200 * MB + 1, path="/api/v1/workspaces/acme/mentions",
        headers={"Authorization": f"Bearer {token}"}, content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
