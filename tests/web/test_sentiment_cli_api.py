"""Sentiment corrections, training and export at the command line and over the API."""

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Mention
from app.services import ingest
from app.services import users as user_service
from app.services import workspaces as workspace_service
from factories import make_user, make_workspace, mention, write_csv

UK = Path(__file__).resolve().parents[1] / "fixtures" / "roles" / "uk.csv"


@pytest.fixture
def workspace(app, tmp_path):
    """400 hand-coded UK posts imported without their labels (sentiment computed)."""
    workspace = make_workspace("acme")
    with UK.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["sentiment"]][:400]
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", [
        mention(r["id"], r["author"], r["text"], created_at=r["created_at"], lang="en")
        for r in rows
    ])])  # fmt: skip
    labels = tmp_path / "labels.csv"
    labels.write_text("platform,id,sentiment\n" + "".join(
        f"twitter,{r['id']},{r['sentiment']}\n" for r in rows), encoding="utf-8")  # fmt: skip
    workspace.labels_file = labels
    return workspace


def test_label_train_status_use_and_export_at_the_command_line(workspace, runner, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("platform,id,sentiment\ntwitter,nope,positive\ntwitter,x,furious\n")
    out = runner.invoke(args=["mentions", "label", str(bad), "--workspace", "acme"])
    assert out.exit_code == 0 and "0 corrections applied, 1 unknown ids, 1 invalid rows" in out.output
    assert "bad.csv: line 3: sentiment 'furious' is not positive" in out.output
    out = runner.invoke(args=["mentions", "label", str(workspace.labels_file), "--workspace",
                              "acme", "--json"])  # fmt: skip
    assert json.loads(out.output) == {"applied": 400, "unknown": 0, "invalid": 0, "errors": []}
    out = runner.invoke(args=["sentiment", "train", "--workspace", "acme", "--json"])
    assert out.exit_code == 0, out.output
    figures = json.loads(out.output)
    assert figures["corrections"] == 400 and 0 < figures["quality"]["accuracy"] <= 1
    out = runner.invoke(args=["sentiment", "status", "--workspace", "acme"])
    assert "learned from 400 corrections" in out.output and "cross-validated accuracy" in out.output
    target = tmp_path / "export.jsonl"
    out = runner.invoke(args=["mentions", "export", "--workspace", "acme", "--format", "jsonl",
                              "--output", str(target)])  # fmt: skip
    assert out.exit_code == 0 and "wrote 400 mentions" in out.output
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert {row["sentiment_source"] for row in rows} == {"person"}
    out = runner.invoke(args=["sentiment", "use", "base", "--workspace", "acme"])
    assert out.exit_code == 0 and "base analysers" in out.output


def test_cli_errors_are_one_line(workspace, runner, tmp_path):
    out = runner.invoke(args=["sentiment", "train", "--workspace", "acme"])
    assert out.exit_code != 0 and "needs 15 corrections of each sentiment" in out.output
    assert "Traceback" not in out.output
    out = runner.invoke(args=["mentions", "label", str(tmp_path / "none.csv"), "--workspace", "acme"])
    assert out.exit_code != 0 and "none.csv: cannot be read" in out.output
    out = runner.invoke(args=["mentions", "export", "--workspace", "nope"])
    assert out.exit_code != 0 and "Traceback" not in out.output


def test_new_imports_are_labelled_by_the_cli_import(workspace, runner, tmp_path):
    runner.invoke(args=["mentions", "label", str(workspace.labels_file), "--workspace", "acme"])
    runner.invoke(args=["sentiment", "train", "--workspace", "acme"])
    later = write_csv(tmp_path / "later.csv", [mention("n1", "voter", "What a disgrace of a debate")])
    out = runner.invoke(args=["mentions", "import", str(later), "--workspace", "acme", "--no-score"])
    assert "labelled 1 new mentions with the workspace's sentiment model" in out.output
    source = db.session.scalar(select(Mention.sentiment_source).where(Mention.external_id == "n1"))
    assert source == "model"


def token_for(role: str) -> str:
    user = make_user(f"{role}@example.com")
    workspace_service.add_member(workspace_service.get_by_slug("acme"), user, role)
    return user_service.create_token(user, "test")[1]


def test_the_api_records_labels_as_corrections(workspace, client):
    ids = db.session.scalars(select(Mention.external_id).order_by(Mention.id).limit(2)).all()
    headers = {"Authorization": f"Bearer {token_for('agent')}"}
    body = [{"platform": "twitter", "id": ids[0], "sentiment": "negative"},
            {"platform": "twitter", "id": "missing", "sentiment": "neutral"}]  # fmt: skip
    answer = client.post("/api/v1/workspaces/acme/mentions/labels", json=body, headers=headers)
    assert answer.status_code == 200
    assert answer.json | {"errors": []} == {"applied": 1, "unknown": 1, "invalid": 0, "errors": []}
    csv_body = f"platform,id,sentiment\ntwitter,{ids[1]},positive\n"
    answer = client.post("/api/v1/workspaces/acme/mentions/labels", data=csv_body,
                         headers=headers | {"Content-Type": "text/csv"})  # fmt: skip
    assert answer.json["applied"] == 1
    answer = client.post("/api/v1/workspaces/acme/mentions/labels", data="a,b\n",
                         headers=headers | {"Content-Type": "text/csv"})  # fmt: skip
    assert answer.status_code == 400 and answer.json["error"]["code"] == "bad_labels"
    viewer = {"Authorization": f"Bearer {token_for('viewer')}"}
    answer = client.post("/api/v1/workspaces/acme/mentions/labels", json=body, headers=viewer)
    assert answer.status_code == 403


def test_an_upload_is_labelled_by_the_learned_model(workspace, client, tmp_path):
    import io

    from app.sentiment import services as sentiment
    from factories import login

    workspace_service.add_member(workspace, make_user(), "owner")
    sentiment.import_labels(workspace, workspace.labels_file)
    model = sentiment.train(workspace)
    login(client)
    later = [mention("u1", "voter", "What a disgrace of a debate, liars all of them", lang="en"),
             mention("u2", "voter", "Ужасные дебаты", lang="ru"),
             mention("u3", "voter", "Great speech tonight", lang="en", sentiment="positive")]  # fmt: skip
    content = write_csv(tmp_path / "later.csv", later).read_bytes()
    answer = client.post("/w/acme/import", content_type="multipart/form-data",
                         data={"files": [(io.BytesIO(content), "later.csv")], "format": "auto"})  # fmt: skip
    assert answer.status_code == 302  # the upload job ran inline, and label_new after it
    db.session.expire_all()
    found = dict(db.session.execute(
        select(Mention.external_id, Mention.sentiment_source).where(Mention.external_id.like("u%"))
    ).all())  # fmt: skip
    # English, computed at import: the model's; Russian: no corrections, the base analyser's;
    # the file's own label is kept
    assert found == {"u1": "model", "u2": "computed", "u3": "imported"}
    db.session.refresh(model)
    newest = db.session.scalar(select(db.func.max(Mention.id)))
    assert model.labelled_up_to == newest
