"""The same data gives the same mentions, edges and snapshot as the landed code did.

Speed work (parsers, language and sentiment caches, worker processes) must not change what
the app concludes. This test imports the demo's real posts and every real fixture under tests/fixtures, and a synthetic
workspace with computed sentiment, scores both, and compares everything a user sees (each
mention's kind, language, sentiment and topics; the interactions; every author's role, scores,
bot score, community and reasons; the topic rankings) with the record kept in
``tests/fixtures/same_results.json.gz``.

The record is rewritten only by a change meant to alter results (set ``WRITE_SAME_RESULTS=1``,
and say why in the commit): it was first written by the code before issue 9's speed work, then
by the role formulas of issue 11 and by CLD2's reading of three short posts ("Photo", "Spring
update", "+/u/noppoliss register": English now, German, Indonesian and Dutch before).
"""

from __future__ import annotations

import csv
import gzip
import json
import os
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import Author, AuthorScore, AuthorTopicScore, Interaction, Mention, MentionTopic
from app.services import ingest, scoring
from factories import make_workspace
from graph.synthetic import RECORD_FIELDS, generate_records

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures"
RECORD = FIXTURES / "same_results.json.gz"
# real posts of every format: some of the demo's (1,783 tweets, Mastodon, VK) and the fixtures'
DEMO = ROOT / "app" / "demo_data"
REAL = [
    DEMO / "twitter_v1_rtweet.jsonl.gz",
    DEMO / "mastodon_statuses.jsonl.gz",
    DEMO / "vk_wall.json",
] + sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".json", ".jsonl"))


def _synthetic_csv(path: Path) -> Path:
    """A synthetic workspace of ~3,000 posts with no sentiment and no language given."""
    fields = [f for f in RECORD_FIELDS if f not in ("sentiment", "lang")]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(generate_records(600, seed=21, bot_ring=8))
    return path


def _outcome(workspace) -> dict:
    """Everything a user sees of the workspace's mentions and latest snapshot, as plain data."""
    wid = workspace.id
    handles = dict(
        db.session.execute(select(Author.id, Author.handle).where(Author.workspace_id == wid)).all()
    )
    topics: dict[int, list[str]] = {}
    for mention_id, topic in db.session.execute(
        select(MentionTopic.mention_id, MentionTopic.topic).where(MentionTopic.workspace_id == wid)
    ):
        topics.setdefault(mention_id, []).append(topic)
    mentions = sorted(
        [m.platform, m.external_id, handles[m.author_id], m.kind, m.lang, m.sentiment,
         None if m.sentiment_score is None else round(m.sentiment_score, 4), m.sentiment_source,
         sorted(topics.get(m.id, []))]
        for m in db.session.scalars(select(Mention).where(Mention.workspace_id == wid))
    )  # fmt: skip
    edges = sorted(
        [handles[e.source_author_id], handles[e.target_author_id], e.kind]
        for e in db.session.scalars(select(Interaction).where(Interaction.workspace_id == wid))
    )
    snapshot = scoring.latest_snapshot(workspace)
    scores = sorted(
        [handles[s.author_id], s.role, s.networker, s.thought_leader, s.trendsetter, s.amplifier,
         s.bot_score, s.community, s.degree, s.detail]
        for s in db.session.scalars(select(AuthorScore).where(AuthorScore.snapshot_id == snapshot.id))
    )  # fmt: skip
    topic_scores = sorted(
        [t.topic, handles[t.author_id], t.thought_leader, t.trendsetter, t.posts]
        for t in db.session.scalars(
            select(AuthorTopicScore).where(AuthorTopicScore.snapshot_id == snapshot.id)
        )
    )
    return {"mentions": mentions, "edges": edges, "scores": scores, "topics": topic_scores,
            "counts": snapshot.counts}  # fmt: skip


def test_the_same_data_gives_the_same_results(app, tmp_path):
    real = make_workspace("real", brand_terms=("python", "Акме"))
    real.score_window_days = 20000  # the fixtures span years: score them all
    db.session.commit()
    # through the reading process and its helper, in small batches, as a big import runs
    result = ingest.import_files(real, REAL, worker=True, batch_size=50)
    assert result.imported > 1800 and result.files_failed == 1  # Gnip activity streams: refused
    scoring.compute(real)
    synthetic = make_workspace("synthetic", brand_terms=("delivery",))
    ingest.import_files(synthetic, [_synthetic_csv(tmp_path / "synthetic.csv")], worker=True)
    scoring.compute(synthetic)
    outcome = {"real": _outcome(real), "synthetic": _outcome(synthetic)}
    # through JSON, as the record is kept: tuples become lists, keys strings
    outcome = json.loads(json.dumps(outcome, ensure_ascii=False, default=str))
    if os.environ.get("WRITE_SAME_RESULTS") == "1":
        text = json.dumps(outcome, ensure_ascii=False, separators=(",", ":"))
        RECORD.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    expected = json.loads(gzip.decompress(RECORD.read_bytes()))
    for name in ("real", "synthetic"):
        assert outcome[name]["counts"] == expected[name]["counts"], f"{name}: counts differ"
        for part in ("mentions", "edges", "scores", "topics"):
            got, want = outcome[name][part], expected[name][part]
            first = next(
                (i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), None
            )
            assert first is None, f"{name} {part}[{first}]: {got[first]} != {want[first]}"
            assert len(got) == len(want), f"{name}: {len(got)} {part}, {len(want)} before"
