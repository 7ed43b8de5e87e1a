"""Commands on a database that was never upgraded: one clear line, never a stack trace."""

import pytest

from app import create_app


@pytest.mark.parametrize(
    "args",
    [
        ["workspaces", "create", "acme", "--name", "Acme"],
        ["mentions", "import", "missing.csv", "--workspace", "acme"],
        ["scores", "compute", "--workspace", "acme"],
        ["authors", "list", "--workspace", "acme"],
        ["jobs", "list", "--workspace", "acme"],
        ["demo"],
    ],
)
def test_a_database_without_tables_says_to_upgrade_it(tmp_path, args):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.db'}",
         "INSTANCE_PATH": str(tmp_path / "instance")}
    )  # fmt: skip
    if args[1:3] == ["import", "missing.csv"]:
        (tmp_path / "missing.csv").write_text("platform,id\n")
        args = [args[0], args[1], str(tmp_path / "missing.csv"), *args[3:]]
    with app.app_context():  # as the flask command gives every command
        result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 1
    assert "run `flask --app wsgi db upgrade`" in result.output
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit


def test_index_search_says_the_index_is_missing(tmp_path):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.db'}",
         "INSTANCE_PATH": str(tmp_path / "instance")}
    )  # fmt: skip
    result = app.test_cli_runner().invoke(args=["mentions", "index-search"])
    assert result.exit_code == 1
    assert "the text-search index is missing: run `flask --app wsgi db upgrade`" in result.output
