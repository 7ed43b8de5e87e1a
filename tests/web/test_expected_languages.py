"""A workspace's expected languages: set on the settings page, the prior for the language of
the short posts it imports (upload, command line and API)."""

import io

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Mention
from app.services import users as user_service
from app.services import workspaces as workspace_service
from factories import login, make_user, make_workspace, mention, write_csv

# Real short English posts of the shared samples that the detector alone, in a small batch,
# reads as other languages (tests/unit/nlp/test_language.py), and a short Ukrainian thanks
# with no letter that Russian lacks, which is read as Russian.
SHORT_ENGLISH = ["omg i have kfc", "@DaRealDavid_db yessir", "@XainabNadeem Its ok he got me kfc",
                 "@artemagnus95 Fresh af🔥🏀", "no.", "OK, 10"]  # fmt: skip
UKRAINIAN = "Дякую, все добре"


def rows() -> list[dict]:
    texts = [*SHORT_ENGLISH, UKRAINIAN, "Да!"]
    return [mention(str(i), f"a{i}", text, lang="") for i, text in enumerate(texts)]


def langs(workspace) -> list[str | None]:
    return list(db.session.scalars(
        select(Mention.lang).where(Mention.workspace_id == workspace.id).order_by(Mention.external_id)
    ))  # fmt: skip


@pytest.fixture
def signed_in(app, client):
    make_workspace("acme", owner=make_user())
    login(client)
    return client


def settings(client, languages: str):
    return client.post("/w/acme/settings", follow_redirects=True, data={
        "name": "Acme", "brand_terms": "Acme", "timezone": "UTC", "work_start": "09:00",
        "work_end": "18:00", "work_days": ["1", "2", "3", "4", "5"], "score_window_days": "90",
        "expected_languages": languages})  # fmt: skip


def test_the_settings_page_keeps_known_codes_and_names_an_unknown_one(signed_in):
    page = settings(signed_in, "RU, en ru").get_data(as_text=True)
    assert "Settings saved." in page
    assert workspace_service.get_by_slug("acme").expected_languages == ["ru", "en"]
    assert 'name="expected_languages" type="text" value="ru, en"' in signed_in.get(
        "/w/acme/settings"
    ).get_data(as_text=True)
    page = settings(signed_in, "en, klingon").get_data(as_text=True)
    assert (
        "&#39;klingon&#39; is not a language the detector knows; use two-letter codes from: "
        in page
    )
    assert workspace_service.get_by_slug("acme").expected_languages == ["ru", "en"]
    settings(signed_in, "")
    assert workspace_service.get_by_slug("acme").expected_languages == []


def test_the_upload_reads_short_posts_in_the_expected_languages(signed_in, tmp_path):
    alone = make_workspace("alone")
    from app.services import ingest

    ingest.import_files(alone, [write_csv(tmp_path / "m.csv", rows())])
    by_itself = langs(alone)
    assert by_itself[: len(SHORT_ENGLISH)] != ["en"] * len(SHORT_ENGLISH)
    assert by_itself[-2:] == ["ru", None]

    settings(signed_in, "en, uk")
    content = write_csv(tmp_path / "m.csv", rows()).read_bytes()
    answer = signed_in.post("/w/acme/import", content_type="multipart/form-data",
                            data={"files": [(io.BytesIO(content), "m.csv")], "format": "auto"})  # fmt: skip
    assert answer.status_code == 302  # the upload job ran inline
    acme = workspace_service.get_by_slug("acme")
    assert langs(acme) == ["en"] * len(SHORT_ENGLISH) + ["uk", "uk"]


def test_the_command_line_and_the_api_import_with_the_prior_too(app, runner, client, tmp_path):
    owner = make_user()
    workspace = make_workspace("acme", owner=owner)
    workspace_service.update_workspace(
        workspace, name="Acme", brand_terms="", timezone="UTC", work_start="09:00",
        work_end="18:00", expected_languages="ru",
    )  # fmt: skip
    path = write_csv(tmp_path / "m.csv", rows())
    out = runner.invoke(args=["mentions", "import", str(path), "--workspace", "acme", "--no-score"])
    assert out.exit_code == 0, out.output
    assert langs(workspace)[-2:] == ["ru", "ru"]  # "Да!": two letters, Russian expected
    _, token = user_service.create_token(owner, "t")
    body = [{**row, "id": f"api{row['id']}"} for row in rows()]
    answer = client.post("/api/v1/workspaces/acme/mentions", json=body,
                         headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert answer.status_code == 201, answer.json
    by_id = dict(db.session.execute(select(Mention.external_id, Mention.lang)).all())
    assert by_id["api7"] == "ru" and by_id["api6"] == "ru"


def test_big_imports_read_in_a_second_process_use_the_prior_too(app, tmp_path):
    from app.services import ingest

    workspace = make_workspace("acme")
    workspace_service.update_workspace(
        workspace, name="Acme", brand_terms="", timezone="UTC", work_start="09:00",
        work_end="18:00", expected_languages=["en", "uk"],
    )  # fmt: skip
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows())], worker=True)
    assert langs(workspace) == ["en"] * len(SHORT_ENGLISH) + ["uk", "uk"]
