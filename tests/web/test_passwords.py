"""Passwords: new and changed ones need 12 characters and must not be guessable; old short
ones still sign in. Checked where people meet them: invitations, the account page, the CLI."""

import pytest
from werkzeug.security import generate_password_hash

from app.extensions import db
from app.services import users as user_service
from app.services import workspaces as workspace_service
from app.services.errors import FieldError
from factories import PASSWORD, login, make_user, make_workspace

WEAK = [
    "password",
    "12345678",
    " " * 8,
    " " * 12,
    "password1234",
    "qwertyuiop12",
    "123456789012",
    "aaaaaaaaaaaa",
    "пароль123456",  # "password" in Russian, the common "gfhjkm" on the English layout
    "йцукенгшщзхъ",  # "qwertyuiop[]" typed on the Russian layout
]
STRONG = ["correct horse battery", "Мой кот любит рыбу и сыр", "4nd3r-s7a1rs-?pluM", "ё" * 3 + "kx9!Lq2#vB7$"]


@pytest.mark.parametrize("password", WEAK)
def test_weak_passwords_are_refused(app, password):
    with pytest.raises(FieldError) as refused:
        user_service.check_password(password)
    assert refused.value.field == "password"
    assert "at least 12 characters" in str(refused.value) or "too easy to guess" in str(
        refused.value
    )


@pytest.mark.parametrize("password", STRONG)
def test_strong_passwords_are_accepted(app, password):
    user_service.check_password(password)


def test_the_persons_own_email_and_name_are_guessable(app):
    with pytest.raises(FieldError, match="too easy to guess"):
        user_service.check_password("anna.smith@example.com", user_inputs=["anna.smith@example.com"])
    with pytest.raises(FieldError, match="at most 256 characters"):
        user_service.check_password("x7!" * 100)


def test_an_old_short_password_still_signs_in(app, client):
    user = make_user()
    user.password_hash = generate_password_hash("short1")  # set before the rules
    db.session.commit()
    assert login(client, password="short1").status_code == 302


def change(client, current, new):
    return client.post(
        "/account",
        data={"password-current": current, "password-password": new,
              "password-confirm": new, "password-submit": "1"},
    )  # fmt: skip


def test_the_account_page_explains_a_refused_password(app, client):
    make_user()
    login(client)
    page = change(client, PASSWORD, "password1234").get_data(as_text=True)
    assert "the password is too easy to guess (this is a very common password)" in page
    page = change(client, PASSWORD, "short").get_data(as_text=True)
    assert "at least 12 characters" in page
    page = change(client, "not my password", "Ёжик в тумане 2026").get_data(as_text=True)
    assert "the current password is wrong" in page
    assert change(client, PASSWORD, "Ёжик в тумане 2026").status_code == 302


def test_an_invitation_refuses_a_weak_password(app, client):
    owner = make_user()
    workspace = make_workspace("acme", owner=owner)
    _, token = workspace_service.invite(workspace, "new@example.com", "agent", owner)
    data = {"name": "Nina", "password": "new@example.com", "confirm": "new@example.com"}
    page = client.post(f"/invitations/{token}", data=data).get_data(as_text=True)
    assert "too easy to guess" in page and user_service.get_by_email("new@example.com") is None
    data = {"name": "Nina", "password": "Nina's long password", "confirm": "Nina's long password"}
    assert client.post(f"/invitations/{token}", data=data).status_code == 302


@pytest.mark.parametrize("password", ["password", "12345678", "        ", "qwertyuiop12"])
def test_the_cli_refuses_a_weak_password(app, runner, password):
    result = runner.invoke(
        args=["users", "create", "ops@example.com", "--password-stdin"], input=password + "\n"
    )
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output or "too easy to guess" in result.output
    assert "Traceback" not in result.output
    assert user_service.get_by_email("ops@example.com") is None


def test_the_cli_generates_a_strong_password(app, runner):
    result = runner.invoke(args=["users", "create", "gen@example.com"])
    assert result.exit_code == 0
    password = result.output.split("password: ")[1].strip()
    user_service.check_password(password)
