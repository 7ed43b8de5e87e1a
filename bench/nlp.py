"""Print the throughput (texts/s) of language detection and sentiment on real posts.

Reads the samples under ``/work/shared/data`` (or ``$INFLUENCE_DATA``) and skips any that are
missing. Run: ``.venv/bin/python bench/nlp.py``.
"""

from __future__ import annotations

import csv
import json
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.nlp import analyze_sentiment, detect_languages  # noqa: E402
from app.nlp import sentiment as sentiment_module  # noqa: E402

DATA = Path(os.environ.get("INFLUENCE_DATA", "/work/shared/data"))
BATCH = 5_000  # the ingest's batch size


def tweet_texts(path: Path) -> Iterator[tuple[str, str | None]]:
    """Yield (text, Twitter's lang label) from a Twitter v1.1 JSON Lines file."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            tweet = json.loads(line)
            if "id_str" not in tweet and "id" not in tweet:
                continue  # stream notices such as {"limit": ...}
            extended = tweet.get("extended_tweet") or {}
            text = extended.get("full_text") or tweet.get("full_text") or tweet.get("text")
            if text is not None:
                yield text, tweet.get("lang")


def csv_texts(path: Path) -> Iterator[tuple[str, str | None]]:
    """Yield (text, hand-coded sentiment or None) from a CSV file with a ``text`` column."""
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield row["text"], row.get("sentiment")


def json_texts(node: object) -> Iterator[str]:
    """Yield every non-empty ``text`` string found anywhere in a JSON document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str) and value.strip():
                yield value
            else:
                yield from json_texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from json_texts(item)


def vk_texts() -> list[str]:
    """Return the Cyrillic post and comment texts of the VK samples."""
    texts = []
    for path in sorted((DATA / "vk-wall-samples").glob("*.json")):
        with path.open(encoding="utf-8-sig") as handle:
            texts.extend(json_texts(json.load(handle)))
    return [text for text in texts if any("а" <= char <= "я" for char in text.lower())]


def existing(*parts: str) -> Path | None:
    """Return the data path when it exists, else say it is skipped."""
    path = DATA.joinpath(*parts)
    if path.exists():
        return path
    print(f"skip: {path} is missing")
    return None


def rate(function: Callable[[], object], count: int, repeat: int = 3) -> float:
    """Return the best texts/s over ``repeat`` runs of ``function`` on ``count`` texts."""
    best = min(_timed(function) for _ in range(repeat))
    return count / best


def _timed(function: Callable[[], object]) -> float:
    """Return the seconds one call takes."""
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def in_batches(function: Callable[[list], object], items: list) -> Callable[[], None]:
    """Return a callable that runs ``function`` over ``items`` in ingest-sized batches."""

    def run() -> None:
        for start in range(0, len(items), BATCH):
            function(items[start : start + BATCH])

    return run


def cold(function: Callable[[], object], *, lemmas: bool = True) -> Callable[[], object]:
    """Return ``function`` wrapped to start from empty sentiment caches (first sight of texts)."""

    def run() -> object:
        sentiment_module.clear_caches(lemmas=lemmas)
        return function()

    return run


def bench_languages() -> None:
    """Print language detection throughput and agreement with Twitter's own labels."""
    labelled: list[tuple[str, str | None]] = []
    for parts in [
        ("twitter-v1-rtweet-fixtures", "tweets_v1.jsonl"),
        ("twitter-v1-streaming-barbera", "tweets_geo.json"),
        ("twitter-v1-streaming-barbera", "japanese-tweets.json"),
    ]:
        if path := existing(*parts):
            labelled.extend(tweet_texts(path))
    unlabelled = []
    for name in ("UK-tweets.csv", "EP-elections-tweets.csv"):
        if path := existing("uk-ep2014-candidate-mentions", name):
            unlabelled.extend(text for text, _ in csv_texts(path))
    if existing("vk-wall-samples"):
        unlabelled.extend(vk_texts())
    texts = [text for text, _ in labelled] + unlabelled
    if not texts:
        return
    random.Random(1).shuffle(texts)
    detect_languages(texts[:10])  # build the detector outside the timing
    per_second = rate(in_batches(detect_languages, texts), len(texts))
    print(f"language: {per_second:,.0f} texts/s on {len(texts):,} mixed real texts")
    print(f"  codes: {Counter(detect_languages(texts)).most_common(12)}")
    _print_agreement(labelled)


def _print_agreement(labelled: list[tuple[str, str | None]]) -> None:
    """Print how often the detected code equals Twitter's label (where Twitter had one)."""
    known = [(text, label) for text, label in labelled if label and len(label) == 2]
    if not known:
        return
    codes = detect_languages([text for text, _ in known])
    same = sum(code == label for code, (_, label) in zip(codes, known, strict=True))
    undecided = sum(code is None for code in codes)
    print(
        f"  agreement with Twitter's lang: {same / len(known):.1%} of {len(known):,}"
        f" ({undecided} undecided)"
    )


def bench_english() -> None:
    """Print English sentiment throughput, cold and with repeats cached."""
    texts = []
    for name in ("UK-tweets.csv", "EP-elections-tweets.csv"):
        if path := existing("uk-ep2014-candidate-mentions", name):
            texts.extend(text for text, _ in csv_texts(path))
    if path := existing("twitter-v1-rtweet-fixtures", "tweets_v1.jsonl"):
        texts.extend(text for text, lang in tweet_texts(path) if lang == "en")
    if not texts:
        return
    unique = list(dict.fromkeys(texts))
    langs = ["en"] * len(unique)
    run = in_batches(lambda batch: analyze_sentiment(batch, langs[: len(batch)]), unique)
    print(f"sentiment en: {rate(cold(run), len(unique)):,.0f} texts/s on {len(unique):,} distinct")
    print(f"  same texts again (cached): {rate(run, len(unique)):,.0f} texts/s")
    _print_hand_coded_agreement()


def _print_hand_coded_agreement() -> None:
    """Print how often VADER's label equals the hand-coded sentiment of the UK tweets."""
    path = DATA / "uk-ep2014-candidate-mentions" / "UK-tweets.csv"
    if not path.exists():
        return
    rows = [(text, label) for text, label in csv_texts(path) if label in SENTIMENT_LABELS]
    results = analyze_sentiment([text for text, _ in rows], ["en"] * len(rows))
    same = sum(label == result[0] for (_, label), result in zip(rows, results, strict=True))
    print(f"  agreement with hand-coded UK tweets: {same / len(rows):.1%} of {len(rows):,}")


SENTIMENT_LABELS = ("positive", "neutral", "negative")


def bench_russian() -> None:
    """Print Russian sentiment throughput on the VK texts and on texts remixed from them."""
    if not existing("vk-wall-samples"):
        return
    texts = list(dict.fromkeys(vk_texts()))
    run = in_batches(lambda batch: analyze_sentiment(batch, ["ru"] * len(batch)), texts)
    print(
        f"sentiment ru: {rate(cold(run), len(texts)):,.0f} texts/s on {len(texts)} VK texts"
        " (every word lemmatised for the first time)"
    )
    print(f"  {rate(cold(run, lemmas=False), len(texts)):,.0f} texts/s with lemmas cached")
    remixed = remix(texts, count=20_000)
    run = in_batches(lambda batch: analyze_sentiment(batch, ["ru"] * len(batch)), remixed)
    print(
        f"  {rate(cold(run, lemmas=False), len(remixed)):,.0f} texts/s on {len(remixed):,}"
        " distinct texts remixed from VK words (lemmas cached, no repeated texts)"
    )
    print(f"  same texts again (cached): {rate(run, len(remixed)):,.0f} texts/s")


def remix(texts: list[str], count: int) -> list[str]:
    """Return ``count`` distinct tweet-length texts made of words drawn from ``texts``."""
    words = [word for text in texts for word in text.split()]
    randomness = random.Random(2)
    remixed: dict[str, None] = {}
    while len(remixed) < count:
        remixed[" ".join(randomness.choices(words, k=randomness.randint(5, 30)))] = None
    return list(remixed)


def main() -> None:
    """Run the benchmarks that have data."""
    bench_languages()
    bench_english()
    bench_russian()


if __name__ == "__main__":
    main()
