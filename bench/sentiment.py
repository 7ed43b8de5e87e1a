"""Measure sentiment on labelled posts: the base analysers, and the learned model's curve.

    python bench/sentiment.py                          # the labelled shared samples
    python bench/sentiment.py labels.csv               # and a file of your own (text,sentiment[,lang])
    python bench/sentiment.py --train-size 10000       # time training on that many corrections

For each labelled collection: the base accuracy (what an import computes: language detected,
VADER for English, the lexicon analyser for Russian, "unknown" elsewhere, counted wrong), then
the learning curve: the model of app.sentiment.classifier trained on 5%, 10% and 20% of the
labels (fixed seed) and measured on the rest, with the training time (cross-validation
included, as the app trains). Labels are positive / neutral / negative. Figures go to
bench/RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data"

from app.nlp.language import detect_languages  # noqa: E402
from app.nlp.sentiment import analyze_sentiment  # noqa: E402
from app.sentiment import classifier  # noqa: E402


def uk_candidates() -> list[tuple[str, str]]:
    """The UK 2014 candidate mentions with their hand-coded sentiment (4,566 of 4,733)."""
    path = SHARED / "uk-ep2014-candidate-mentions" / "UK-tweets.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [(r["text"], r["sentiment"]) for r in csv.DictReader(handle)
                if r["sentiment"] in classifier.LABELS]  # fmt: skip


def labelled_file(path: Path) -> list[tuple[str, str]]:
    """A CSV with a header naming at least text and sentiment."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [(r["text"], r["sentiment"].strip().lower()) for r in csv.DictReader(handle)
                if (r.get("sentiment") or "").strip().lower() in classifier.LABELS]  # fmt: skip


def base_accuracy(rows: list[tuple[str, str]]) -> float:
    texts = [t for t, _ in rows]
    results = analyze_sentiment(texts, detect_languages(texts))
    return sum(label == want for (label, _), (_, want) in zip(results, rows, strict=True)) / len(rows)


def curve(rows: list[tuple[str, str]], shares=(0.05, 0.10, 0.20), seed: int = 7) -> list[tuple]:
    out = []
    for share in shares:
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        k = int(len(shuffled) * share)
        learn, rest = shuffled[:k], shuffled[k:]
        try:
            trained = classifier.train([t for t, _ in learn], [label for _, label in learn])
        except classifier.NotEnough as error:
            out.append((share, k, None, None, str(error)))
            continue
        guessed = classifier.predict(trained.pipeline, [t for t, _ in rest])
        right = sum(g == want for (g, _), (_, want) in zip(guessed, rest, strict=True))
        out.append((share, k, right / len(rest), trained.seconds, trained.quality["accuracy"]))
    return out


def time_training(rows: list[tuple[str, str]], size: int) -> None:
    """Train on ``size`` corrections (the collection repeated with variations if too small)."""
    texts = [f"{t} {i // len(rows)}" for i, (t, _) in zip(range(size), rows * (size // len(rows) + 1), strict=False)]
    labels = [label for _, (__, label) in zip(range(size), rows * (size // len(rows) + 1), strict=False)]
    start = time.perf_counter()
    classifier.train(texts, labels)
    print(f"training on {size:,} corrections (cross-validation included): "
          f"{time.perf_counter() - start:.1f} s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--train-size", type=int, default=0)
    args = parser.parse_args()
    collections = {}
    if (SHARED / "uk-ep2014-candidate-mentions").is_dir():
        collections["UK 2014 candidate mentions"] = uk_candidates()
    for path in args.files:
        collections[path.name] = labelled_file(path)
    for name, rows in collections.items():
        counts = Counter(label for _, label in rows)
        print(f"\n{name}: {len(rows):,} labelled posts "
              f"({', '.join(f'{k} {v:,}' for k, v in sorted(counts.items()))})")  # fmt: skip
        start = time.perf_counter()
        print(f"  base analysers: {base_accuracy(rows):.1%} ({time.perf_counter() - start:.1f} s)")
        for share, k, accuracy, seconds, cv in curve(rows):
            if accuracy is None:
                print(f"  learned from {share:.0%} ({k:,}): not enough: {cv}")
            else:
                print(f"  learned from {share:.0%} ({k:,} corrections): {accuracy:.1%} on the rest;"
                      f" cross-validated {cv:.1%}; trained in {seconds:.1f} s")  # fmt: skip
        if args.train_size:
            time_training(rows, args.train_size)


if __name__ == "__main__":
    main()
