"""The settings page's sentiment section: what the model learned, training, the choices."""

import csv
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import Mention
from app.sentiment import services as sentiment
from app.sentiment.models import SentimentModel
from app.services import ingest
from app.services import workspaces as workspace_service
from factories import PASSWORD, login, make_user, make_workspace, mention, write_csv

UK = Path(__file__).resolve().parents[1] / "fixtures" / "roles" / "uk.csv"


def uk_workspace(tmp_path, owner, labelled: int = 300):
    """300 hand-coded UK posts imported without their labels; the first ``labelled`` of them
    corrected by people to their hand-coded label."""
    workspace = make_workspace("acme", owner=owner)
    with UK.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["sentiment"]][:300]
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", [
        mention(r["id"], r["author"], r["text"], created_at=r["created_at"], lang="en")
        for r in rows
    ])])  # fmt: skip
    text = "platform,id,sentiment\n" + "".join(
        f"twitter,{r['id']},{r['sentiment']}\n" for r in rows[:labelled]
    )
    sentiment.apply_labels(workspace, sentiment.read_labels(text))
    return workspace


@pytest.fixture
def workspace(app, client, tmp_path):
    workspace = uk_workspace(tmp_path, make_user())
    login(client)
    return workspace


def page_of(client) -> str:
    response = client.get("/w/acme/settings")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def sources() -> dict[str, int]:
    return dict(db.session.execute(
        select(Mention.sentiment_source, func.count()).group_by(Mention.sentiment_source)
    ).all())  # fmt: skip


def test_before_any_training_the_page_says_base_analysers_and_what_is_missing(
    app, client, tmp_path
):
    uk_workspace(tmp_path, make_user(), labelled=20)
    login(client)
    page = page_of(client)
    assert "labelled by the <strong>base analysers</strong>" in page
    assert "No model has been trained yet." in page
    counts = sentiment.correction_counts(workspace_service.get_by_slug("acme"))
    assert sum(counts.values()) == 20
    shown = re.search(r'data-testid="sentiment-corrections">\s*Corrections now: ([^(]+)\(', page)
    assert shown.group(1).split() == [
        "negative", f"{counts['negative']},", "neutral", f"{counts['neutral']},",
        "positive", str(counts["positive"]),
    ]  # fmt: skip
    assert "A model needs 15 of each sentiment: correct" in page
    assert re.search(
        r'<input disabled id="train-submit" name="train-submit" type="submit" value="Train now"',
        page,
    )
    assert "Use learned model" not in page and "Back to base analysers" not in page


def test_too_few_corrections_are_explained_not_trained(app, client, tmp_path):
    uk_workspace(tmp_path, make_user(), labelled=20)
    login(client)
    response = client.post("/w/acme/settings/sentiment/train", follow_redirects=True)
    assert (
        "Cannot train yet: needs 15 corrections of each sentiment, has negative"
        in response.get_data(as_text=True)
    )
    assert db.session.scalar(select(func.count()).select_from(SentimentModel)) == 0


def test_train_now_trains_in_the_background_and_the_page_shows_what_it_learned(workspace, client):
    response = client.post("/w/acme/settings/sentiment/train")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/w/acme/settings#sentiment"
    )
    model = sentiment.latest_model(workspace)  # jobs run inline in tests
    assert model.status == "done" and model.corrections == 300
    assert sources() == {"person": 300}  # every post was corrected: nothing left to label
    page = page_of(client)
    assert "Training is under way." in page
    assert "labelled by the <strong>learned model</strong>, in en." in page
    assert "trained <time" in page and "<strong>300</strong> corrections" in page
    accuracy = model.quality["accuracy"] * 100
    assert f"Cross-validated accuracy: <strong>{accuracy:.1f}%</strong> (5 folds)" in page
    table = page.split('data-testid="sentiment-quality"')[1].split("</table>")[0]
    for label, figures in model.quality["classes"].items():
        row = table.split(f'<th scope="row">{label}</th>')[1].split("</tr>")[0]
        assert f'value="{figures["support"]}"' in row
        assert (
            f"{figures['recall'] * 100:.1f}%" in row and f"{figures['precision'] * 100:.1f}%" in row
        )
    assert sum(f["support"] for f in model.quality["classes"].values()) == 300
    assert "Back to base analysers" in page
    status = client.get("/w/acme/settings/sentiment/status").get_data(as_text=True)
    assert 'data-status="done"' in status and "Training done" in status and "hx-get" not in status


def test_a_running_training_shows_its_progress_and_is_polled(workspace, client):
    model = SentimentModel(workspace_id=workspace.id, status="queued")
    db.session.add(model)
    db.session.commit()
    page = page_of(client)
    assert 'hx-get="/w/acme/settings/sentiment/status"' in page and "waiting to start" in page
    assert re.search(r"<input disabled id=\"train-submit\"", page)  # one training at a time
    model.status, model.phase, model.progress, model.labelled = "running", "labelling", 0.42, 2100
    db.session.commit()
    status = client.get("/w/acme/settings/sentiment/status").get_data(as_text=True)
    assert 'data-status="running"' in status and 'hx-trigger="every 1s"' in status
    assert '<progress value="42" max="100">' in status and "2,100 mentions labelled" in status
    model.status, model.message = (
        "failed",
        "stopped on an internal error (RuntimeError; it was logged)",
    )
    db.session.commit()
    assert "Training failed" in page_of(client) and "internal error (RuntimeError" in page_of(
        client
    )


def test_back_to_base_analysers_and_to_the_learned_model_again(app, client, tmp_path):
    workspace = uk_workspace(tmp_path, make_user(), labelled=250)
    login(client)
    answer = client.post("/w/acme/settings/sentiment/use", data={"choice-use": "model"},
                         follow_redirects=True)  # fmt: skip
    assert "there is no learned model yet: train one first" in answer.get_data(as_text=True).lower()
    client.post("/w/acme/settings/sentiment/train")
    assert sources() == {"person": 250, "model": 50}
    answer = client.post("/w/acme/settings/sentiment/use", data={"choice-use": "base"},
                         follow_redirects=True)  # fmt: skip
    assert "now uses the base analysers" in answer.get_data(as_text=True)
    assert (
        sources() == {"person": 250, "computed": 50}
        and not sentiment.settings_of(workspace).use_model
    )
    page = page_of(client)
    assert (
        "labelled by the <strong>base analysers</strong>" in page
        and "the learned model is not used" in page
    )
    assert "Use learned model" in page
    client.post("/w/acme/settings/sentiment/use", data={"choice-use": "model"})
    assert sources() == {"person": 250, "model": 50}
    answer = client.post("/w/acme/settings/sentiment/use", data={"choice-use": "both"},
                         follow_redirects=True)  # fmt: skip
    assert "Choose the learned model or the base analysers." in answer.get_data(as_text=True)


def test_imported_labels_count_as_corrections_when_the_workspace_says_so(app, client, tmp_path):
    owner = make_user()
    workspace = make_workspace("acme", owner=owner)
    rows = [mention(f"p{i}", "anna", f"post {i}", sentiment=("positive", "negative")[i % 2])
            for i in range(6)]  # fmt: skip
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows)])
    login(client)
    assert "Corrections now: negative 0, neutral 0, positive 0" in page_of(client)
    assert (
        'id="sentiment-learn_from_imported" name="sentiment-learn_from_imported" type="checkbox" value="y">'
        in page_of(client)
    )
    client.post("/w/acme/settings/sentiment", data={"sentiment-learn_from_imported": "y"})
    assert sentiment.settings_of(workspace).learn_from_imported
    page = page_of(client)
    assert "Corrections now: negative 3, neutral 0, positive 3" in page
    assert "people&#39;s corrections and imported labels" in page
    assert 'checked id="sentiment-learn_from_imported"' in page
    client.post("/w/acme/settings/sentiment", data={})
    assert not sentiment.settings_of(workspace).learn_from_imported


@pytest.mark.parametrize("role", ["viewer", "agent"])
def test_below_managers_see_the_section_read_only(app, client, tmp_path, role):
    workspace = uk_workspace(tmp_path, make_user())
    sentiment.train(workspace)
    other = make_user("vera@example.com", "Vera")
    workspace_service.add_member(workspace, other, role)
    login(client, "vera@example.com")
    page = page_of(client)
    assert (
        "labelled by the <strong>learned model</strong>" in page
        and 'data-testid="sentiment-quality"' in page
    )
    assert "Train now" not in page and "Back to base analysers" not in page
    assert "Only managers and owners train the model" in page
    assert re.search(r"<fieldset disabled>\s*<div class=\"field field-booleanfield", page)
    for url, data in (("/w/acme/settings/sentiment/train", {}),
                      ("/w/acme/settings/sentiment/use", {"choice-use": "base"}),
                      ("/w/acme/settings/sentiment", {"sentiment-learn_from_imported": "y"})):  # fmt: skip
        assert client.post(url, data=data).status_code == 403
    settings = sentiment.settings_of(workspace)
    assert settings.use_model and not settings.learn_from_imported
    assert db.session.scalar(select(func.count()).select_from(SentimentModel)) == 1


def test_a_manager_may_change_it(app, client, tmp_path):
    workspace = uk_workspace(tmp_path, make_user())
    workspace_service.add_member(workspace, make_user("max@example.com", "Max"), "manager")
    login(client, "max@example.com")
    assert "Train now" in page_of(client)
    client.post("/w/acme/settings/sentiment/train")
    assert sentiment.latest_model(workspace).status == "done"


def test_the_forms_need_their_csrf_token(tmp_path, postgres_url):
    from conftest import truncate_all

    if postgres_url:
        truncate_all(postgres_url)
    url = postgres_url or f"sqlite:///{tmp_path / 'csrf.db'}"
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url, "JOBS_INLINE": True,
         "INSTANCE_PATH": str(tmp_path / "instance"), "UPLOAD_FOLDER": str(tmp_path / "up")}
    )  # fmt: skip
    with app.app_context():
        if not postgres_url:
            db.create_all()
        workspace = uk_workspace(tmp_path, make_user())
        client = app.test_client()

        def token(page: str, name: str) -> str:
            return re.search(rf'name="{name}" type="hidden" value="([^"]+)"', page).group(1)

        login_page = client.get("/login").get_data(as_text=True)
        client.post("/login", data={"email": "anna@example.com", "password": PASSWORD,
                                    "csrf_token": token(login_page, "csrf_token")})  # fmt: skip
        for url, prefix, data in (
            ("/w/acme/settings/sentiment", "sentiment", {"sentiment-learn_from_imported": "y"}),
            ("/w/acme/settings/sentiment/train", "train", {}),
            ("/w/acme/settings/sentiment/use", "choice", {"choice-use": "base"}),
        ):
            assert client.post(url, data=data).status_code == 400, url
            page = client.get("/w/acme/settings").get_data(as_text=True)
            data[f"{prefix}-csrf_token"] = token(page, f"{prefix}-csrf_token")
            assert client.post(url, data=data).status_code == 302, url
        settings = sentiment.settings_of(workspace)
        assert settings.learn_from_imported and not settings.use_model
        assert sentiment.latest_model(workspace).status == "done"
        db.session.remove()
        db.engine.dispose()
