"""flask tokens create/revoke: API tokens for operators' scripts and checks."""

from app.services import users as user_service
from factories import make_user, make_workspace


def test_create_prints_only_a_token_that_works(app, client, runner):
    owner = make_user()
    make_workspace("acme", owner=owner)
    result = runner.invoke(args=["tokens", "create", "anna@example.com", "--name", "uptime check"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert result.output == token + "\n" and token.startswith("icrm_") and len(token) > 40
    assert owner.tokens[0].name == "uptime check"
    response = client.get(
        "/api/v1/workspaces/acme/mentions", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200


def test_create_for_an_unknown_user_fails_clearly(app, runner):
    result = runner.invoke(args=["tokens", "create", "nobody@example.com"])
    assert result.exit_code != 0
    assert "there is no user with e-mail nobody@example.com" in result.output
    assert "Traceback" not in result.output


def test_revoke_by_the_token_or_from_standard_input(app, client, runner):
    owner = make_user()
    make_workspace("acme", owner=owner)
    _, first = user_service.create_token(owner, "скрипт выгрузки")
    _, second = user_service.create_token(owner, "скрипт выгрузки")  # the same name
    result = runner.invoke(args=["tokens", "revoke", first])
    assert result.exit_code == 0
    assert result.output == f"revoked token 'скрипт выгрузки' ({first[:12]}...) of anna@example.com\n"
    headers = {"Authorization": f"Bearer {first}"}
    assert client.get("/api/v1/workspaces/acme/mentions", headers=headers).status_code == 401
    assert [token.prefix for token in owner.tokens] == [second[:12]]  # the other one stays
    result = runner.invoke(args=["tokens", "revoke", "-"], input=second + "\n")
    assert result.exit_code == 0 and owner.tokens == []
    again = runner.invoke(args=["tokens", "revoke", second])
    assert again.exit_code != 0 and "no such API token" in again.output
