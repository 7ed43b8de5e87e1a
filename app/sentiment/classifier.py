"""The learned sentiment classifier: word and character n-gram TF-IDF, logistic regression.

Plain scikit-learn over plain texts and labels, nothing of the app's: :func:`train` fits a
pipeline on a team's corrections and measures it by cross-validation, :func:`predict` labels
texts, :func:`dumps` and :func:`loads` keep the fitted pipeline as bytes. Texts are prepared
the same way for both: lower case, links and @handles replaced by placeholders (a handle names
someone, not a sentiment, and would otherwise be learned by heart), at most
:data:`MAX_CHARS` characters.

Why this model: word n-grams carry the vocabulary, character n-grams the misspellings,
inflections (Russian) and emoji; logistic regression gives a probability per class. It is
trained by stochastic gradient descent (scikit-learn's ``SGDClassifier`` with the log loss):
on the UK 2014 candidate mentions, learning from 20% of the hand-coded labels, it agreed with
the people on 69.2% of the rest, as the L-BFGS solver's 68.7%, in a fifteenth of the time
(bench/sentiment.py; the base analysers: 50.1%). Class weights are balanced: corrections
over-represent the class the base model gets wrong.
"""

from __future__ import annotations

import pickle
import re
import time
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["LABELS", "MIN_PER_CLASS", "NotEnough", "Trained", "dumps", "loads", "predict", "train"]

LABELS = ("negative", "neutral", "positive")
MIN_PER_CLASS = 15  # corrections of each class before a model is trained
MAX_CHARS = 2000  # a post is read up to here: a 1 MB text costs no more than a long one
FOLDS = 5
FEW_FOLDS_FROM = 5000  # from this many corrections, 3 folds measure as well and train faster

_LINK = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"@\w+")


class NotEnough(ValueError):
    """Too few corrections of some class to train on; ``counts`` says how many of each."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        short = ", ".join(f"{label} {counts.get(label, 0)}" for label in LABELS)
        super().__init__(f"needs {MIN_PER_CLASS} corrections of each sentiment, has {short}")


@dataclass
class Trained:
    """A fitted pipeline and how good it is: ``quality`` has the cross-validated ``accuracy``
    and per class its ``recall``, ``precision`` and ``support`` (number of corrections)."""

    pipeline: object
    quality: dict
    corrections: int
    seconds: float


def prepare(text: str) -> str:
    """Return a text as the model reads it.

    Examples
    --------
    >>> prepare("Thanks @Delta for the 3-hour delay https://t.co/x")
    'thanks @user for the 3-hour delay url'
    """
    text = _LINK.sub(" url ", text[:MAX_CHARS].lower())
    return " ".join(_HANDLE.sub("@user", text).split())


def _pipeline():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1,
                                  token_pattern=r"(?u)@?\b\w+\b", max_features=200_000)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                  min_df=2, max_features=300_000)),
    ])  # fmt: skip
    model = SGDClassifier(loss="log_loss", alpha=1e-4, class_weight="balanced", max_iter=50,
                          tol=1e-4, random_state=0)  # fmt: skip
    return Pipeline([("features", features), ("model", model)])


def train(texts: Sequence[str], labels: Sequence[str], *, seed: int = 0) -> Trained:
    """Fit the classifier on ``texts`` labelled ``labels`` and measure it by cross-validation.

    Raises :class:`NotEnough` when a class has fewer than :data:`MIN_PER_CLASS` examples and
    ``ValueError`` on a label that is not one of :data:`LABELS`.
    """
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    unknown = set(labels) - set(LABELS)
    if unknown:
        raise ValueError(f"labels must be one of {LABELS}, got {sorted(unknown)}")
    counts = Counter(labels)
    if any(counts.get(label, 0) < MIN_PER_CLASS for label in LABELS):
        raise NotEnough(dict(counts))
    start = time.perf_counter()
    prepared = [prepare(t) for t in texts]
    n_folds = FOLDS if len(prepared) < FEW_FOLDS_FROM else 3
    folds = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    guessed = cross_val_predict(_pipeline(), prepared, list(labels), cv=folds)
    precision, recall, _, support = precision_recall_fscore_support(
        labels, guessed, labels=list(LABELS), zero_division=0
    )
    quality = {
        "accuracy": round(float(accuracy_score(labels, guessed)), 4),
        "classes": {
            label: {"recall": round(float(r), 4), "precision": round(float(p), 4),
                    "support": int(s)}  # fmt: skip
            for label, p, r, s in zip(LABELS, precision, recall, support, strict=True)
        },
        "folds": n_folds,
    }
    pipeline = _pipeline().fit(prepared, list(labels))
    return Trained(pipeline, quality, len(prepared), round(time.perf_counter() - start, 2))


def predict(pipeline, texts: Sequence[str]) -> list[tuple[str, float]]:
    """Return ``(label, score)`` per text: the likeliest label, and P(positive) − P(negative)
    in [-1, 1] as the score (the app's sentiment scores share that scale)."""
    if not texts:
        return []
    probabilities = pipeline.predict_proba([prepare(t) for t in texts])
    classes = list(pipeline.classes_)
    neg, pos = classes.index("negative"), classes.index("positive")
    return [
        (classes[int(row.argmax())], round(float(row[pos] - row[neg]), 4))
        for row in probabilities
    ]


def dumps(pipeline) -> bytes:
    """Return the fitted pipeline as compressed bytes."""
    return zlib.compress(pickle.dumps(pipeline, protocol=pickle.HIGHEST_PROTOCOL), 6)


def loads(blob: bytes):
    """Return the pipeline :func:`dumps` kept (only ever bytes this app wrote)."""
    return pickle.loads(zlib.decompress(blob))  # noqa: S301 - the app's own model
