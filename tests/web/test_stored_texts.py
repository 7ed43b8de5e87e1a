"""Texts stored or built in English are shown in the page's language (issue 12, item 7):
import rejects and warnings, background failures, service errors, zxcvbn's feedback."""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import pytest
from flask_babel import refresh

from app.services import job_records
from app.services import workspaces as workspace_service
from app.stored_texts import MESSAGES, _patterns, translated
from factories import PASSWORD, login, make_user, make_workspace

ROOT = Path(__file__).resolve().parents[2]
RU = {"Accept-Language": "ru-RU,ru;q=0.9"}
# Where user-facing English is written: the parsers and the import, background work, the
# services whose errors pages show.
SOURCES = [
    *sorted((ROOT / "app" / "ingest").glob("*.py")),
    *sorted((ROOT / "app" / "services").glob("ingest*.py")),
    *(ROOT / "app" / "services" / name for name in (
        "job_records.py", "workspaces.py", "users.py", "network.py", "graph_exports.py",
        "influencers.py",
    )),
    ROOT / "app" / "sentiment" / "services.py",
    ROOT / "app" / "params.py",
    *sorted((ROOT / "app" / "crm" / "services").glob("*.py")),
]  # fmt: skip
RAISERS = {
    "RowError", "ParseWarning", "FileError", "ValueError", "ServiceError", "FieldError",
    "NotFound", "Forbidden", "Conflict", "_warn", "warn", "_say", "refuse",
}  # fmt: skip
# A programming error, raised to the developer, never stored nor shown.
NEVER_SHOWN = {"X is not the record of a background job"}


def _text(node) -> str | None:
    """A string literal or f-string as the user reads it, each value shown as "X"."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else "X" for part in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        return left + right if left is not None and right is not None else None
    return None


def written_messages() -> list[tuple[str, int, str]]:
    """Every message the sources raise, warn with or return from the import's checks."""
    found = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            texts = []
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in RAISERS:
                    texts = [_text(arg) for arg in node.args]
            elif isinstance(node, ast.Return) and path.name == "vet.py" and node.value:
                texts = [_text(node.value)]
            for text in texts:
                if text in NEVER_SHOWN:
                    continue
                # a field's name ("password") or a bare join of values is not a message
                if text and " " in text.strip() and re.search(r"[a-z]{2}", re.sub("X", "", text)):
                    found.append((str(path.relative_to(ROOT)), node.lineno, text))
    return found


def test_the_scanner_finds_the_messages():
    found = {text for _path, _line, text in written_messages()}
    assert "created_at is empty" in found
    assert "post X: X" in found
    assert len(found) > 150


def test_every_written_message_has_a_template():
    patterns = [pattern for pattern, _template in _patterns()]
    missing = [
        f"{path}:{line}: {text}"
        for path, line, text in written_messages()
        if not any(pattern.fullmatch(text) for pattern in patterns)
    ]
    assert not missing, (
        "messages app.stored_texts cannot translate (add their template): " + "\n".join(missing)
    )


def test_templates_are_unique():
    assert len(MESSAGES) == len(set(MESSAGES))


@pytest.mark.parametrize(
    "english, russian",
    [
        ("created_at is missing", "нет поля created_at"),
        ("post 12: created_at is not a time with a zone", "пост 12: created_at — время без часового пояса"),
        ("m.csv: unknown column(s) ignored: colour", "m.csv: неизвестные колонки пропущены: colour"),
        ("tweet 5: author 7 is not in includes.users", "твит 5: автора 7 нет в includes.users"),
        ("Post has no id.", "У поста нет id."),
        ("m.csv: 12 more posts dated out of range", "m.csv: ещё 12: посты с датой вне диапазона"),
        ("Cannot train: needs 30 corrections of each sentiment, has positive 0.",
         "Cannot train: нужно по 30 исправлений каждой тональности, есть: positive 0."),
        ("something no template knows", "something no template knows"),
    ],
)  # fmt: skip
def test_stored_texts_read_in_russian(app, english, russian):
    with app.test_request_context(headers=RU):
        refresh()
        assert translated(english) == russian
    with app.test_request_context(headers={"Accept-Language": "en"}):
        refresh()
        assert translated(english) == english


def test_background_failures_read_in_russian(app):
    messages = [
        job_records.timed_out("scoring", 600),
        job_records.crashed("import", "killed by signal SIGKILL; the machine may have run out of memory"),
        job_records.internal_error("export", "KeyError"),
        job_records.lost("sentiment"),
    ]  # fmt: skip
    with app.test_request_context(headers=RU):
        refresh()
        shown = [translated(message) for message in messages]
    assert shown[0].startswith("остановлено через 10 мин — это предел времени. Прежние оценки")
    assert "завершён сигналом SIGKILL; возможно, на машине закончилась память" in shown[1]
    assert "разделите файл на меньшие" in shown[1]
    assert shown[2].startswith("остановлено из-за внутренней ошибки (KeyError;")
    assert "Упоминания сохраняют прежнюю тональность" in shown[3]
    for text in shown:
        assert not re.search(r"\b(the|is|it|was|again|if)\b", text), text


def test_a_russian_import_shows_its_rejects_and_warnings_in_russian(app, client):
    owner = make_user()
    make_workspace("acme", owner=owner)
    login(client)
    columns = ["platform", "id", "author", "created_at", "text", "sentiment", "likes", "tags", "colour"]
    csv = (
        ",".join(columns) + "\n"
        "twitter,1,anna,2026-11-01T10:00:00Z,Привет @bob,positive,3,#<svg ok,red\n"
        "twitter,2,,2026-11-01T10:00:00Z,no author,neutral,,,\n"
        "twitter,3,bob,yesterday,bad time,neutral,,,\n"
        "twitter,4,bob,2026-11-01T11:00:00Z,bad sentiment,very,,,\n"
        "twitter,5,bob,2026-11-01T11:00:00Z,bad count,neutral,-4,,\n"
        "twitter,6,bob,2026-11-01T11:00:00Z,short row\n"
    )
    response = client.post(
        "/w/acme/import", data={"files": [(io.BytesIO(csv.encode()), "m.csv")], "format": "auto"},
        content_type="multipart/form-data", headers=RU,
    )  # fmt: skip
    page = client.get(response.headers["Location"], headers=RU).get_data(as_text=True)
    reasons = re.findall(r'<td dir="auto">([^<]*)</td>\s*</tr>', page)
    warnings = re.findall(r'<li dir="auto">([^<]*)</li>', page)
    assert len(reasons) == 5 and len(warnings) == 2, (reasons, warnings)
    for text in reasons + warnings:
        # what may stay as it is: quoted values, the columns' names, codes and the labels
        words = re.sub(r"&#39;[^&]*&#39;|#&lt;svg|m\.csv|\b[A-Z0-9]{2,}\b", "", text)
        words = re.sub(rf"\b(?:{'|'.join(columns)}|positive|neutral|negative)\b", "", words)
        assert not re.search(r"[A-Za-z]{3,}", words), f"English left in {text!r}"
    assert "нет поля author" in page
    assert "неизвестные колонки пропущены: colour" in page
    # the stored texts and the API stay English
    english = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "author is missing" in english and "unknown column(s) ignored: colour" in english


def test_service_errors_on_pages_read_in_russian(app, client):
    owner = make_user()
    make_workspace("acme", owner=owner)
    login(client)
    page = client.post(
        "/w/acme/settings",
        data={"name": "Acme", "brand_terms": "", "timezone": "UTC", "work_start": "09:00",
              "work_end": "18:00", "expected_languages": "xx"},
        headers=RU, follow_redirects=True,
    ).get_data(as_text=True)  # fmt: skip
    assert "— язык, который детектор не знает" in page
    assert "is not a language the detector knows" not in page


def test_password_feedback_reads_in_russian(app, client):
    make_user()
    login(client)
    page = client.post(
        "/account",
        data={"password-current": PASSWORD, "password-password": "password1234",
              "password-confirm": "password1234", "password-submit": "1"},
        headers=RU,
    ).get_data(as_text=True)  # fmt: skip
    assert "это очень распространённый пароль" in page
    assert "this is a very common password" not in page


def test_a_workspace_id_error_reads_in_russian(app):
    with app.test_request_context(headers=RU):
        refresh()
        with pytest.raises(workspace_service.NotFound) as raised:
            workspace_service.get_by_slug("nowhere")
        assert translated(str(raised.value)) == "пространства 'nowhere' нет"


@pytest.fixture
def scored(app, client, tmp_path):
    from app.services import ingest, scoring
    from factories import mention, write_csv

    owner = make_user()
    workspace = make_workspace("acme", owner=owner)
    rows = [mention(str(i), "hub" if i % 2 else f"fan{i}", f"@hub привет #доставка {i}",
                    created_at=f"2026-11-0{1 + i % 5}T10:00:00Z") for i in range(1, 13)]  # fmt: skip
    rows += [mention(f"r{i}", "hub", f"@fan{i} спасибо", reply_to_id=str(i), reply_to_author=f"fan{i}",
                     created_at=f"2026-11-0{1 + i % 5}T11:00:00Z") for i in range(2, 13, 2)]  # fmt: skip
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows)])
    scoring.compute(workspace, trigger="manual")
    login(client)
    return workspace


def test_every_feature_has_a_name_in_both_languages():
    from app.labels import LABELS
    from graph.roles import FEATURES

    assert set(LABELS["feature"]) == set(FEATURES)


def test_the_author_pages_features_read_in_russian(scored, client):
    from app.services.mentions import find_author

    hub = find_author(scored, "twitter", "hub")
    page = client.get(f"/w/acme/authors/{hub.id}", headers=RU).get_data(as_text=True)
    tables = page.split('<details class="features"')[1:]  # "The numbers behind it"
    features = [
        cell for table in tables
        for cell in re.findall(r"<tr[^>]*>\s*<td>([^<]*)</td>", table.split("</table>")[0])
    ]  # fmt: skip
    assert len(features) >= 10
    for text in features:
        # PageRank is the method's name in both languages
        assert not re.search(r"[A-Za-z]{3,}", text.replace("PageRank", "")), text
    assert "люди, которые к ним обращаются: 6" in features


def test_why_they_matter_is_written_in_the_language_of_whoever_adds_the_person(scored, client):
    from app.crm import models as crm_models
    from app.extensions import db
    from app.services.mentions import find_author

    hub = find_author(scored, "twitter", "hub")
    client.post(f"/w/acme/authors/{hub.id}/person", headers=RU)
    person = db.session.scalars(db.select(crm_models.Person)).one()
    assert person.why_they_matter, "nothing prefilled"
    assert person.why_they_matter.startswith("Роль: сетевик.")
    assert not re.search(r"\b(the|of|with|people|percentile|Top topics)\b", person.why_they_matter)


def test_every_scoring_phase_has_words_in_both_languages():
    """A run's phases (graph.roles reports them as it goes) show in the run list's timings."""
    from app.labels import LABELS

    source = (ROOT / "graph" / "roles.py").read_text(encoding="utf-8")
    phases = set(re.findall(r'\bdone\("(\w+)"', source)) | {"load", "write"}
    assert phases and phases <= set(LABELS["phase"]), phases - set(LABELS["phase"])


def test_the_scoring_runs_page_names_its_phases_in_russian(scored, client):
    page = client.get("/w/acme/scores", headers=RU).get_data(as_text=True)
    timings = page.split('class="timings"')[1].split("</details>")[0]
    assert "ищем сообщества" in timings
    assert not re.search(r'<th scope="row">[a-z_]+</th>', timings)
