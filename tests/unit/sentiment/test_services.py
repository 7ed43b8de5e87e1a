"""Corrections teach: training on a workspace's labels, labelling with the model, going back."""

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Mention
from app.sentiment import services as sentiment
from app.sentiment.models import SentimentModel
from app.services import ingest
from app.services.errors import ServiceError
from factories import make_workspace, mention, write_csv

UK = Path(__file__).resolve().parents[2] / "fixtures" / "roles" / "uk.csv"


def uk_rows(with_sentiment: bool, first: int, last: int) -> list[dict]:
    """The hand-coded UK candidate mentions, in English, labels kept or dropped."""
    with UK.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["sentiment"]][first:last]
    return [
        mention(r["id"], r["author"], r["text"], created_at=r["created_at"], lang="en",
                sentiment=r["sentiment"] if with_sentiment else "")
        for r in rows
    ]  # fmt: skip


def source_of(workspace, external_id: str) -> tuple[str, str]:
    m = db.session.scalar(
        select(Mention).where(Mention.workspace_id == workspace.id,
                              Mention.external_id == external_id)
    )  # fmt: skip
    return m.sentiment, m.sentiment_source


@pytest.fixture
def workspace(app, tmp_path):
    """400 posts whose file labels teach, and 150 more whose sentiment was computed."""
    workspace = make_workspace("acme", brand_terms=["election"])
    ingest.import_files(workspace, [write_csv(tmp_path / "labelled.csv", uk_rows(True, 0, 400))])
    ingest.import_files(workspace, [write_csv(tmp_path / "new.csv", uk_rows(False, 400, 550))])
    sentiment.update_settings(workspace, learn_from_imported=True)
    return workspace


def test_too_few_corrections_say_how_many_of_each(app):
    workspace = make_workspace("small")
    with pytest.raises(ServiceError, match="needs 15 corrections of each sentiment, has negative 0"):
        sentiment.train(workspace)
    with pytest.raises(ServiceError, match="needs 15"):
        sentiment.queue_training(workspace)


def test_training_labels_computed_posts_and_keeps_people_and_files(workspace):
    computed = db.session.scalars(
        select(Mention.external_id).where(Mention.sentiment_source == "computed")
    ).all()
    person = computed[0]
    sentiment.correct(workspace, [db.session.scalar(select(Mention.id).where(
        Mention.external_id == person))], "negative")  # fmt: skip
    model = sentiment.train(workspace)
    assert model.status == "done" and model.corrections == 401 and model.languages == ["en"]
    assert set(model.quality["classes"]) == {"negative", "neutral", "positive"}
    sources = dict(db.session.execute(
        select(Mention.sentiment_source, db.func.count()).group_by(Mention.sentiment_source)
    ).all())  # fmt: skip
    assert sources == {"imported": 400, "person": 1, "model": 149}
    assert source_of(workspace, person) == ("negative", "person")  # a person's label wins


def test_new_imports_are_labelled_and_the_base_model_comes_back(workspace, tmp_path):
    sentiment.train(workspace)
    later = [mention(f"new{i}", "voter", text, lang="en")
             for i, text in enumerate(["Awful campaign, liars", "Great speech tonight!"])]  # fmt: skip
    later.append(mention("ru1", "избиратель", "Ужасные дебаты", lang="ru"))
    ingest.import_files(workspace, [write_csv(tmp_path / "later.csv", later)])
    assert sentiment.label_new(workspace) == 2  # what the upload job, the CLI and the API call
    assert source_of(workspace, "new0")[1] == "model"
    assert source_of(workspace, "ru1")[1] == "computed"  # no Russian corrections: base analyser
    sentiment.update_settings(workspace, use_model=False)  # jobs run inline in tests
    assert source_of(workspace, "new0")[1] == "computed"
    assert db.session.scalar(select(db.func.count()).where(Mention.sentiment_source == "model")) == 0
    sentiment.update_settings(workspace, use_model=True)
    assert source_of(workspace, "new0")[1] == "model"


def test_labels_files_apply_and_count_what_they_could_not(workspace):
    ids = db.session.scalars(select(Mention.external_id).order_by(Mention.id).limit(2)).all()
    text = (
        "platform,id,sentiment\n"
        f"twitter,{ids[0]},negative\n"
        f"twitter,{ids[1]},POSITIVE\n"
        "twitter,nope,neutral\n"
        f"twitter,{ids[0]},angry\n"
        ",,positive\n"
    )
    result = sentiment.apply_labels(workspace, sentiment.read_labels(text, "labels.csv"))
    assert (result.applied, result.unknown, result.invalid) == (2, 1, 2)
    assert {e["line"] for e in result.errors} == {4, 5, 6}
    assert source_of(workspace, ids[1]) == ("positive", "person")
    as_json = json.dumps([{"platform": "twitter", "id": ids[0], "sentiment": "neutral"}])
    assert sentiment.apply_labels(workspace, sentiment.read_labels(as_json)).applied == 1
    with pytest.raises(ServiceError, match="first row must name the columns"):
        list(sentiment.read_labels("a,b\n1,2\n", "x.csv"))


def test_corrections_never_reach_another_workspace(workspace, tmp_path):
    other = make_workspace("other")
    ingest.import_files(other, [write_csv(tmp_path / "o.csv", [mention("o1", "x", "hi")])])
    theirs = db.session.scalar(select(Mention.id).where(Mention.workspace_id == other.id))
    assert sentiment.correct(workspace, [theirs], "negative") == 0


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_says_what_the_app_concluded_and_who_decided(workspace, fmt):
    sentiment.train(workspace)
    out = io.StringIO()
    assert sentiment.export_mentions(workspace, out, fmt) == 550
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    else:
        rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert list(rows[0]) == list(sentiment.EXPORT_FIELDS)
    assert {r["sentiment_source"] for r in rows} == {"imported", "model"}
    assert rows[0]["created_at"].startswith("2014-05")


def test_a_training_that_fails_is_stored_with_its_reason(workspace, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(sentiment.classifier, "train", broken)
    model = sentiment.queue_training(workspace)  # jobs run inline in tests
    db.session.refresh(model)
    assert model.status == "failed" and "internal error (RuntimeError" in model.message
    assert "Train the model again in Settings" in model.message
    assert db.session.scalar(select(db.func.count()).select_from(SentimentModel)) == 1
