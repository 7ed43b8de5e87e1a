"""Measure language detection against the labels of real posts, and its speed.

    .venv/bin/python bench/language_accuracy.py

The labelled posts are the shared samples' tweets (Twitter's own ``lang``, v1.1 and v2) and
Mastodon statuses (the ``language`` their authors' apps set), read through the app's own parsers
so the texts are the ones the import sees (a retweet as ``RT @author: <original>``). Each
distinct text counts once; posts Twitter could not label (``und``) are left out.

For every detector it prints the share of posts whose detected language is the label's, over
all posts, over the Latin-script ones (the only ones a statistical model decides: other
scripts are decided by their letters), and over the short ones (under 40 letters once links,
mentions and tags are removed), then texts per second on the bench's CSV texts when that file
exists. Detectors: the app's ``detect_languages`` (``app``: CLD2, then lingua where CLD2 names
none of the common Latin-script languages), and the same script rules with lingua alone for
Latin-script texts (``lingua``: the detector before issue 9).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.ingest import MentionRecord, get_parser, open_text  # noqa: E402
from app.nlp import language  # noqa: E402

DATA = Path(os.environ.get("INFLUENCE_DATA", "/work/shared/data"))
SAMPLES = [
    ("twitter-v1", "twitter-v1-rtweet-fixtures/tweets_v1.jsonl"),
    ("twitter-v1", "twitter-v1-streaming-barbera/tweets_geo.json"),
    ("twitter-v1", "twitter-v1-streaming-barbera/japanese-tweets.json"),
    ("twitter-v1", "twitter-tweepy-cassettes/statuses_v1.jsonl"),
    ("twitter-v2", "twitter-tweepy-cassettes/responses_v2.jsonl"),
    *[("twitter-v2", f"twitter-v2-twarc/{p.name}") for p in sorted((DATA / "twitter-v2-twarc").glob("*.jsonl"))],
    ("mastodon", "mastodon-statuses/rtoot_fixture_statuses.jsonl"),
    ("mastodon", "mastodon-statuses/rtoot_testdata_mastodonsocial.jsonl"),
    ("mastodon", "mastodon-statuses/mastodonpy_entity_test_statuses.jsonl"),
]  # fmt: skip
SHORT_LETTERS = 40
# Collections of English tweets without a language label: everything in them should be "en".
ENGLISH_CSV = [
    "demonetization-tweets/demonetization-tweets.csv",
    "uk-ep2014-candidate-mentions/UK-tweets.csv",
    "uk-ep2014-candidate-mentions/EP-elections-tweets.csv",
]


def labelled_posts() -> dict[str, str]:
    """Return distinct text -> label (primary language subtag) over the samples."""
    posts: dict[str, str] = {}
    for fmt, relative in SAMPLES:
        path = DATA / relative
        if not path.exists():
            print(f"skip: {path} is missing")
            continue
        with open_text(path) as (stream, _head, _raw):
            for item in get_parser(fmt).parse(stream, str(path)):
                if isinstance(item, MentionRecord) and item.lang and item.text.strip():
                    posts.setdefault(item.text, item.lang.split("-")[0].lower())
    return posts


def letters(text: str) -> int:
    """Return how many letters are left once links, mentions and tags are taken out."""
    return sum(char.isalpha() for char in language._NOISE_RE.sub(" ", text))


def is_latin(text: str) -> bool:
    """Say whether the detector's script rules hand this text to the Latin-script model."""
    stripped = language._NOISE_RE.sub(" ", text)
    return language._decide_cheaply(stripped) is language._LATIN or (
        language._decide_cheaply(stripped) == "en"
    )


def score(name: str, texts: list[str], labels: list[str]) -> dict[str, str | None]:
    """Print a detector's accuracy over all, Latin-script and short posts; return its answers."""
    found = language.detect_languages(texts)
    groups = {
        "all": range(len(texts)),
        "Latin script": [i for i, t in enumerate(texts) if is_latin(t)],
        f"short (< {SHORT_LETTERS} letters)": [
            i for i, t in enumerate(texts) if letters(t) < SHORT_LETTERS
        ],
    }
    parts = []
    for group, indexes in groups.items():
        right = sum(found[i] == labels[i] for i in indexes)
        parts.append(f"{group}: {right}/{len(indexes)} = {right / max(1, len(indexes)):.1%}")
    said_en = [i for i, code in enumerate(found) if code == "en"]
    are_en = [i for i, label in enumerate(labels) if label == "en"]
    both = sum(labels[i] == "en" for i in said_en)
    parts.append(
        f"English: precision {both / max(1, len(said_en)):.1%}, recall {both / max(1, len(are_en)):.1%}"
    )
    print(f"{name:<7} " + "; ".join(parts))
    return dict(zip(texts, found, strict=True))


def english_samples() -> list[str]:
    """Return the texts of the English-only CSV samples (no labels: all of them are English)."""
    import csv

    texts = []
    for relative in ENGLISH_CSV:
        path = DATA / relative
        if path.exists():
            with path.open(encoding="utf-8", newline="") as handle:
                texts.extend(row["text"] for row in csv.DictReader(handle))
    return list(dict.fromkeys(texts))


def speed(texts: list[str]) -> float:
    """Return texts per second (CPU of this process and its threads) in batches of 20,000."""
    start = time.process_time()
    for at in range(0, len(texts), 20_000):
        language.detect_languages(texts[at : at + 20_000])
    return len(texts) / (time.process_time() - start)


APP_LATIN = language._detect_latin


def _without_prior(texts, expected=()):
    """CLD2 then lingua, with no prior for short posts (the detector of issue 9)."""
    kept = language.PRIOR_MIN_POSTS
    language.PRIOR_MIN_POSTS = 10**12
    try:
        return APP_LATIN(texts, ())
    finally:
        language.PRIOR_MIN_POSTS = kept


MODELS = {
    "app": APP_LATIN,  # CLD2; lingua where CLD2 names none; the batch's prior for short posts
    "cld2": _without_prior,  # the same without the prior (issue 9)
    "lingua": lambda texts, expected=(): (language._lingua(texts), ()),  # before issue 9
}


def use_latin_model(name: str) -> None:
    """Make ``detect_languages`` decide Latin-script texts with the named model."""
    language._detect_latin = MODELS[name]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latin", nargs="*", default=["lingua", "cld2", "app"], choices=list(MODELS))
    parser.add_argument("--csv", default=str(ROOT / "bench/out/mentions-200000-nolang.csv"))
    args = parser.parse_args()
    posts = labelled_posts()
    texts, labels = list(posts), list(posts.values())
    print(f"{len(texts):,} distinct labelled posts; labels: {Counter(labels).most_common(12)}")
    answers = {}
    for model in args.latin:
        use_latin_model(model)
        answers[model] = score(model, texts, labels)
    english = english_samples()
    for model in args.latin:
        use_latin_model(model)
        # in import-sized batches, as the reading process sends them (the prior is a batch's)
        found = [code for at in range(0, len(english), 20_000)
                 for code in language.detect_languages(english[at : at + 20_000])]  # fmt: skip
        print(f"{model:<7} English CSV samples ({len(english):,} distinct texts): "
              f"{found.count('en') / len(english):.1%} en, {found.count(None) / len(english):.1%} "
              f"undecided, other: {Counter(c for c in found if c not in ('en', None)).most_common(5)}")  # fmt: skip
    names = list(answers)
    for a, b in zip(names, names[1:], strict=False):
        differ = [t for t in texts if answers[a][t] != answers[b][t]]
        print(f"{a} and {b} disagree on {len(differ)} posts")
    csv_path = Path(args.csv)
    if csv_path.exists():
        import csv

        with csv_path.open(encoding="utf-8", newline="") as handle:
            bench_texts = [row["text"] for row in csv.DictReader(handle)]
        for model in args.latin:
            use_latin_model(model)
            print(f"{model:<10} {speed(bench_texts):,.0f} texts/s CPU on {csv_path.name}")


if __name__ == "__main__":
    main()
