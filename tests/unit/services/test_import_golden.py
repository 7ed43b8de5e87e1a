"""Importing and scoring real samples gives what the code before issue 9 (item 7) gave.

The speed work of issue 9 (msgspec, VADER's shortcut, the helper process, CLD2) must not change
what is stored: the same mentions with the same sentiments and topics, the same edges and the
same snapshot. ``tests/fixtures/golden/import_summary.json`` was written by this module run on
bd98f88 (the code before that work) with ``INFLUENCE_WRITE_GOLDEN=<path>``; this test imports
the same files through the reading process and its helper and compares. The one deliberate
difference is the language of posts imported without one: CLD2 reads them now (measured
better, see bench/RESULTS.md); :data:`LANGUAGE_CHANGES` lists each post that changed, and
:data:`AUTHOR_SENTIMENT_CHANGES` what that did to their authors' average sentiment.
"""

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Author, AuthorScore, AuthorTopicScore, Interaction, Mention
from app.services import ingest, scoring
from factories import make_workspace, write_csv
from graph.synthetic import generate_records

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
GOLDEN = FIXTURES / "golden" / "import_summary.json"
SAMPLES = [
    "twitter_v1/rtweet_search.jsonl", "twitter_v1/streaming_geo.jsonl",
    "twitter_v1/streaming_ja.jsonl", "twitter_v1/tweepy_statuses.jsonl",
    "twitter_v2/twarc_search_pages.jsonl", "twitter_v2/twarc_flat.jsonl",
    "twitter_v2/twarc_two_tweets.jsonl", "twitter_v2/twarc_quoted_edit.jsonl",
    "mastodon/statuses.jsonl", "reddit/things.jsonl", "telegram/result.json",
    "vk/hack_it_backend_posts_slice.json", "vk/vknet_NewsFeed_Get.json",
]  # fmt: skip
# Posts whose detected language changed from lingua's to CLD2's, and with it their sentiment
# (English is scored, a language without an analyser is "unknown"): (language, sentiment,
# score) before and now. All three are English.
LANGUAGE_CHANGES = {
    "reddit:t1_clkozxv": (
        ["de", "unknown", None],
        ["en", "neutral", 0.0],
    ),  # "+/u/noppoliss register"
    "telegram:10001/3": (["id", "unknown", None], ["en", "neutral", 0.0]),  # "Photo"
    "telegram:10001/85": (["nl", "unknown", None], ["en", "neutral", 0.0]),  # "Spring update"
}
# ... and so the average sentiment of their authors (index 7 of a score row).
AUTHOR_SENTIMENT_CHANGES = {
    "reddit:testdummy12": (None, 0.0),
    "telegram:user10001": (-0.034, -0.025),
}
# Wide enough for every sample (2005 to 2026): the default 90 days would score a handful.
WINDOW_DAYS = 10_000


def _synthetic_csv(path: Path) -> Path:
    """Write generated posts with lang=en and no sentiment: VADER scores each of them."""
    rows = []
    for row in generate_records(120, seed=5, kinds=(0.30, 0.10, 0.55, 0.05)):
        row = {key: value for key, value in row.items() if key != "sentiment"}
        rows.append(row)
    return write_csv(path, rows, header=list(rows[0]))


def _import_all(workspace, tmp_path: Path) -> None:
    paths = [FIXTURES / sample for sample in SAMPLES] + [_synthetic_csv(tmp_path / "synth.csv")]
    # worker=True: the reading process and its helper, as a big import runs.
    result = ingest.import_files(workspace, paths, worker=True, batch_size=50)
    assert result.imported > 500 and not result.files_failed


def _summary(workspace) -> dict:
    """Return what an import and a scoring run stored, as plain sorted lists."""
    authors = db.session.execute(select(Author.id, Author.platform, Author.handle)).all()
    by_id = {id_: f"{platform}:{handle}" for id_, platform, handle in authors}
    mentions = {}
    for m in db.session.scalars(select(Mention).where(Mention.workspace_id == workspace.id)):
        score = None if m.sentiment_score is None else round(m.sentiment_score, 9)
        mentions[f"{m.platform}:{m.external_id}"] = [
            by_id[m.author_id], m.kind, m.lang, m.sentiment, score, m.sentiment_source,
            m.reply_to_external_id, m.repost_of_external_id, m.quote_of_external_id,
            by_id.get(m.reply_to_author_id), by_id.get(m.repost_of_author_id),
            by_id.get(m.quote_of_author_id), sorted(topic.topic for topic in m.topics),
        ]  # fmt: skip
    target = aliased(Author)
    edges = db.session.execute(
        select(Author.handle, target.handle, Interaction.kind, Mention.external_id)
        .select_from(Interaction)
        .join(Author, Author.id == Interaction.source_author_id)
        .join(target, target.id == Interaction.target_author_id)
        .join(Mention, Mention.id == Interaction.mention_id)
        .where(Interaction.workspace_id == workspace.id)
    ).all()
    snapshot = scoring.compute(workspace, window_days=WINDOW_DAYS)
    scores = {}
    for s in db.session.scalars(select(AuthorScore).where(AuthorScore.snapshot_id == snapshot.id)):
        figures = (s.networker, s.thought_leader, s.trendsetter, s.amplifier, s.best_score,
                   s.bot_score, s.sentiment)  # fmt: skip
        scores[by_id[s.author_id]] = [
            s.role, *(None if f is None else round(f, 9) for f in figures),
            s.community, s.followers, s.posts, s.engagement, s.degree,
        ]  # fmt: skip
    topics = db.session.execute(
        select(AuthorTopicScore.author_id, AuthorTopicScore.topic,
               AuthorTopicScore.thought_leader, AuthorTopicScore.trendsetter)
        .where(AuthorTopicScore.snapshot_id == snapshot.id)
    ).all()  # fmt: skip
    return {
        "mentions": mentions,
        "edges": sorted(list(edge) for edge in edges),
        "scores": scores,
        "topic_scores": sorted(
            [by_id[a], t, round(tl, 9), round(ts, 9)] for a, t, tl, ts in topics
        ),
        "counts": snapshot.counts,
    }


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_import_and_scores_are_as_before(app, tmp_path):
    workspace = make_workspace("golden", brand_terms=["Acme", "Twitter", "Яндекс"])
    _import_all(workspace, tmp_path)
    summary = json.loads(json.dumps(_summary(workspace)))  # tuples as lists, as in the file
    if os.environ.get("INFLUENCE_WRITE_GOLDEN"):
        Path(os.environ["INFLUENCE_WRITE_GOLDEN"]).write_text(json.dumps(summary, indent=0))
        pytest.skip("golden summary written")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for key, (before, now) in LANGUAGE_CHANGES.items():
        entry = expected["mentions"][key]
        assert entry[2:5] == before
        entry[2:5] = now
    assert summary["mentions"].keys() == expected["mentions"].keys()
    changed = {k: (expected["mentions"][k], v) for k, v in summary["mentions"].items()
               if v != expected["mentions"][k]}  # fmt: skip
    assert changed == {}
    assert summary["edges"] == expected["edges"]
    for author, (before, now) in AUTHOR_SENTIMENT_CHANGES.items():
        assert expected["scores"][author][7] == before
        expected["scores"][author][7] = now
    assert summary["scores"] == expected["scores"]
    assert summary["topic_scores"] == expected["topic_scores"]
    assert summary["counts"] == expected["counts"]
