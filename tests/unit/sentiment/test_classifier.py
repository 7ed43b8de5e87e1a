"""The learned classifier on real hand-coded posts: it learns, it measures itself, it keeps."""

import csv
import random
from pathlib import Path

import pytest

from app.sentiment import classifier

UK = Path(__file__).resolve().parents[2] / "fixtures" / "roles" / "uk.csv"


@pytest.fixture(scope="module")
def labelled():
    with UK.open(encoding="utf-8", newline="") as handle:
        rows = [(r["text"], r["sentiment"]) for r in csv.DictReader(handle) if r["sentiment"]]
    random.Random(3).shuffle(rows)
    return rows


@pytest.fixture(scope="module")
def trained(labelled):
    learn = labelled[:400]
    return classifier.train([t for t, _ in learn], [label for _, label in learn])


def test_it_finds_every_sentiment_far_better_than_chance(labelled, trained):
    """Balanced accuracy (the mean of the per-class recalls): a constant guess, or chance,
    scores a third, whatever the classes' sizes (this sample is mostly neutral)."""
    rest = labelled[400:]
    guessed = classifier.predict(trained.pipeline, [t for t, _ in rest])
    recalls = []
    for label in classifier.LABELS:
        wanted = [g for (g, _), (_, want) in zip(guessed, rest, strict=True) if want == label]
        recalls.append(sum(g == label for g in wanted) / len(wanted))
    assert sum(recalls) / 3 > 0.45
    assert all(-1 <= score <= 1 for _, score in guessed)


def test_it_reports_cross_validated_quality_per_class(trained):
    quality = trained.quality
    assert 0 < quality["accuracy"] <= 1 and quality["folds"] == 5
    assert set(quality["classes"]) == {"negative", "neutral", "positive"}
    assert sum(c["support"] for c in quality["classes"].values()) == trained.corrections == 400


def test_too_few_of_a_class_is_refused_with_the_counts():
    texts = [f"great {i}" for i in range(20)] + [f"bad {i}" for i in range(20)] + ["meh"] * 3
    labels = ["positive"] * 20 + ["negative"] * 20 + ["neutral"] * 3
    with pytest.raises(classifier.NotEnough, match="neutral 3"):
        classifier.train(texts, labels)
    with pytest.raises(ValueError, match="labels must be one of"):
        classifier.train(["x"], ["angry"])


def test_a_kept_model_labels_exactly_as_before(trained, labelled):
    texts = [t for t, _ in labelled[400:450]]
    again = classifier.loads(classifier.dumps(trained.pipeline))
    assert classifier.predict(again, texts) == classifier.predict(trained.pipeline, texts)


def test_handles_and_links_are_not_learned_by_heart():
    assert classifier.prepare("@Nigel_Farage LOL https://t.co/a www.x.org") == "@user lol url url"
    assert len(classifier.prepare("ж" * 1_000_000)) == classifier.MAX_CHARS
