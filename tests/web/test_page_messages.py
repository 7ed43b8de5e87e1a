"""Pages speak in page terms: no message a browser shows names a command-line flag or command.

Collects every source of words a page shows — the templates' text, the string literals of the
app's Python (flash() calls, errors raised by services and views, form labels) and the scripts'
strings — and fails when one names a ``--flag`` or ``flask --app``. The command line's own
module (app/cli.py) may, and the API's OpenAPI document (for script writers), as may docstrings
and comments, which no page shows.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLAG = re.compile(r"(?:^|[\s(“\"'`])--[a-z][a-z0-9-]+|flask\s+--app|\bmake run\b")
JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)


def template_sources() -> list[tuple[str, str]]:
    """Every template's text without its Jinja comments, as (name, text)."""
    return [
        (str(path.relative_to(ROOT)), JINJA_COMMENT.sub("", path.read_text(encoding="utf-8")))
        for path in sorted(
            [*(ROOT / "templates").rglob("*.html"), *(ROOT / "app").glob("*/templates/**/*.html")]
        )
    ]


def python_strings() -> list[tuple[str, str]]:
    """The string literals of app/ (docstrings excluded), as (file:line, text)."""
    found = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        if path.name == "cli.py" or path.relative_to(ROOT).as_posix() == "app/api/openapi.py":
            # the command line's own words may name its flags; the API's document is read by
            # people writing scripts, who get their tokens from the command line
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                text = "".join(
                    part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
                )
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", text))
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
            ):
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.value))
    return found


def script_strings() -> list[tuple[str, str]]:
    """The quoted strings of the app's own scripts (not the vendored libraries)."""
    found = []
    for path in sorted((ROOT / "app" / "static" / "js").glob("*.js")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in re.finditer(r"\"([^\"\\]*)\"|'([^'\\]*)'", line):
                text = match.group(0)[1:-1]
                if re.fullmatch(r"--[a-z][a-z0-9-]*", text):
                    continue  # a CSS custom property (style.setProperty("--swatch", ...))
                found.append((f"{path.relative_to(ROOT)}:{number}", text))
    return found


def flagged(sources: list[tuple[str, str]]) -> list[str]:
    return [
        f"{where}: {FLAG.search(text).group(0).strip()!r}"
        for where, text in sources
        if FLAG.search(text)
    ]


def test_the_collectors_find_what_pages_show():
    """The collectors see the strings they must check (else the test below proves nothing)."""
    assert any("Wrong e-mail or password." in text for _, text in python_strings())
    assert any("Scoring started." in text for _, text in python_strings())
    assert any("Sign in" in text for _, text in template_sources())
    assert any("the limit is " in text for _, text in script_strings())
    assert flagged([("x", "Name the format with --format if it is one of these.")])
    assert flagged([("x", "run flask --app wsgi scores compute")])
    assert not flagged([("x", "style --v is a CSS property"), ("x", "—")])


def test_no_page_message_names_a_command_line_flag():
    problems = flagged(template_sources() + python_strings() + script_strings())
    assert not problems, "page messages that name the command line:\n" + "\n".join(problems)
