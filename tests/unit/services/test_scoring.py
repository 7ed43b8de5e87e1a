"""The scoring service: loading a workspace, writing snapshots, the CLI and the API."""

import json

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuthorScore, AuthorTopicScore, ScoreSnapshot
from app.services import influencers, ingest, scoring
from app.services import users as user_service
from app.services.errors import ServiceError
from factories import make_user, make_workspace, mention, write_csv


def hub_rows(start_day: int = 1) -> list[dict]:
    """A hub everyone talks to, who answers; a reposter; a topic expert with replies."""
    rows = []
    for i in range(12):
        day = f"2026-11-{start_day + i % 5:02d}T{10 + i % 8:02d}:00:00Z"
        rows.append(
            mention(
                f"h{i}", f"fan{i}", "@hub thanks! #delivery", created_at=day, sentiment="positive"
            )
        )
        rows.append(mention(f"r{i}", "hub", f"@fan{i} you are welcome", created_at=day, reply_to_id=f"h{i}",
                            reply_to_author=f"fan{i}", sentiment="neutral"))  # fmt: skip
    for i in range(8):
        rows.append(mention(f"rp{i}", "echo", f"RT @fan{i}: thanks", created_at="2026-11-06T12:00:00Z",
                            repost_of_id=f"h{i}", repost_of_author=f"fan{i}", sentiment="neutral"))  # fmt: skip
    for i in range(6):  # a topic expert: original posts on #delivery that draw replies
        rows.append(mention(f"e{i}", "expert", f"How we cut #delivery times, part {i}",
                            created_at=f"2026-11-0{1 + i % 5}T09:00:00Z", sentiment="neutral"))  # fmt: skip
        for j in range(3):
            rows.append(mention(f"e{i}r{j}", f"fan{(i + j) % 12}", "great point #delivery",
                                created_at=f"2026-11-0{1 + i % 5}T09:30:00Z", reply_to_id=f"e{i}",
                                reply_to_author="expert", sentiment="positive"))  # fmt: skip
    return rows


@pytest.fixture
def workspace(app, tmp_path):
    workspace = make_workspace("acme")
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", hub_rows())])
    return workspace


def test_compute_writes_a_snapshot_with_every_author(workspace):
    snapshot = scoring.compute(workspace)
    assert snapshot.status == "done" and snapshot.counts["authors"] == 15
    assert snapshot.counts["posts"] == 56 and snapshot.counts["interactions"] > 20
    assert snapshot.window_end.day == 6
    hub = influencers.author_score(workspace, influencers_id(workspace, "hub"))
    assert hub.role == "networker"
    assert hub.networker == max(
        s.networker
        for s in db.session.scalars(
            select(AuthorScore).where(AuthorScore.snapshot_id == snapshot.id)
        )
    )
    assert any("distinct people" in reason for reason in hub.detail["reasons"])
    assert hub.posts == 12 and hub.degree >= 12
    fan = influencers.author_score(workspace, influencers_id(workspace, "fan1"))
    assert fan.sentiment == pytest.approx(1.0)


def influencers_id(workspace, handle: str) -> int:
    from app.services.mentions import find_author

    return find_author(workspace, "twitter", handle).id


def test_second_snapshot_keeps_history_and_moves_the_explanations(workspace):
    first = scoring.compute(workspace)
    second = scoring.compute(workspace)
    hub_id = influencers_id(workspace, "hub")
    history = influencers.score_history(workspace, hub_id)
    assert [snap.id for snap, _ in history] == [first.id, second.id]
    old = db.session.scalar(
        select(AuthorScore).where(
            AuthorScore.snapshot_id == first.id, AuthorScore.author_id == hub_id
        )
    )
    assert old.detail is None and old.networker == history[-1][1].networker


def test_window_is_per_workspace(workspace):
    workspace.score_window_days = 2
    db.session.commit()
    snapshot = scoring.compute(workspace)
    assert snapshot.counts["posts"] < 56
    assert snapshot.params["window_days"] == 2


def test_table_scan_and_index_reads_load_the_same_workspace(workspace, tmp_path, monkeypatch):
    """A workspace owning most rows is read whole; a small one along its index: same data."""
    import numpy as np

    other = make_workspace("other")
    ingest.import_files(other, [write_csv(tmp_path / "o.csv", hub_rows(start_day=10))])
    conn = db.session.connection()
    on_sqlite = conn.dialect.name == "sqlite"  # PostgreSQL's planner chooses for itself
    assert scoring._scan_hint(conn, 56) == (" NOT INDEXED" if on_sqlite else "")
    assert scoring._scan_hint(conn, 10) == ""
    whole = scoring.load_workspace(conn, workspace.id, 90)
    monkeypatch.setattr(scoring, "_scan_hint", lambda conn, posts: "")
    indexed = scoring.load_workspace(conn, workspace.id, 90)
    a, b = whole.frame, indexed.frame
    assert a.keys == b.keys and a.topics == b.topics and whole.activity == indexed.activity
    for name in ("p_author", "p_at", "p_kind", "p_parent", "t_post", "t_topic"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert edge_rows(a) == edge_rows(b)  # the same edges; their order may differ


def edge_rows(frame) -> list[tuple]:
    columns = (frame.e_src, frame.e_dst, frame.e_kind, frame.e_at, frame.e_post)
    return sorted(zip(*(c.tolist() for c in columns), strict=True))


def test_empty_workspace_cannot_be_scored(app):
    workspace = make_workspace("empty")
    with pytest.raises(ServiceError, match="no mentions"):
        scoring.compute(workspace)


def test_failed_background_run_is_recorded(app):
    workspace = make_workspace("empty")
    snapshot = scoring.queue_scoring(workspace)  # JOBS_INLINE: runs now
    db.session.refresh(snapshot)
    assert snapshot.status == "failed" and "no mentions" in snapshot.message


def test_topic_rankings_are_stored(workspace):
    snapshot = scoring.compute(workspace)
    topics = set(
        db.session.scalars(
            select(AuthorTopicScore.topic).where(AuthorTopicScore.snapshot_id == snapshot.id)
        )
    )
    assert snapshot.counts["topics"] == 1 and topics == {"#delivery"}
    leaders = [rank.author_id for rank in db.session.scalars(
        select(AuthorTopicScore).where(AuthorTopicScore.snapshot_id == snapshot.id)
        .order_by(AuthorTopicScore.thought_leader.desc()))]  # fmt: skip
    assert leaders[0] == influencers_id(workspace, "expert")


def test_bot_verdict_is_honoured(workspace):
    echo = influencers_id(workspace, "echo")
    scoring.set_bot_verdict(workspace, echo, "bot")
    scoring.compute(workspace)
    score = influencers.author_score(workspace, echo)
    assert (
        score.bot_score == 1.0 and "confirmed as a bot by a person" in score.detail["bot_reasons"]
    )
    scoring.set_bot_verdict(workspace, echo, None)
    scoring.compute(workspace)
    assert influencers.author_score(workspace, echo).bot_score < 1.0


def test_cli_scores_and_lists(workspace, runner):
    result = runner.invoke(args=["scores", "compute", "--workspace", "acme", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["counts"]["authors"] == 15
    listed = runner.invoke(
        args=["authors", "list", "--workspace", "acme", "--role", "networker", "--json"]
    )
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert rows[0]["handle"] == "hub" and rows[0]["role"] == "networker"
    assert set(rows[0]["scores"]) == {"networker", "thought_leader", "trendsetter", "amplifier"}
    assert {"platform", "followers", "mentions"} <= rows[0].keys()
    bad = runner.invoke(args=["authors", "list", "--workspace", "acme", "--sort", "nonsense"])
    assert bad.exit_code != 0 and "sort must be one of" in bad.output


def test_cli_import_rescores(app, runner, tmp_path):
    make_workspace("fresh")
    path = write_csv(tmp_path / "m.csv", hub_rows())
    result = runner.invoke(args=["mentions", "import", str(path), "--workspace", "fresh"])
    assert result.exit_code == 0 and "scored 15 authors" in result.output
    assert db.session.scalar(select(func.count()).select_from(ScoreSnapshot)) == 1


def test_api_lists_authors_and_queues_scoring(workspace, client):
    owner = make_user()
    from app.services import workspaces

    workspaces.add_member(workspace, owner, "agent")
    _, token = user_service.create_token(owner, "t")
    headers = {"Authorization": f"Bearer {token}"}
    response = client.post("/api/v1/workspaces/acme/scores", headers=headers)
    assert response.status_code == 202
    body = client.get("/api/v1/workspaces/acme/authors?role=networker", headers=headers).get_json()
    assert body["total"] >= 1 and body["authors"][0]["handle"] == "hub"
    assert (
        client.get("/api/v1/workspaces/acme/authors?sort=bad", headers=headers).status_code == 400
    )


def test_real_samples_import_and_score_without_error(app, shared_data):
    workspace = make_workspace("real", brand_terms=["rstats", "brexit", "ВКонтакте"])
    workspace.score_window_days = 20000  # the samples span a decade
    db.session.commit()
    files = [
        "twitter-v1-rtweet-fixtures/tweets_v1.jsonl",
        "twitter-v2-twarc/twarc-csv_brexit.jsonl",
        "mastodon-statuses/rtoot_fixture_statuses.jsonl",
        "reddit-praw-cassettes/reddit_things.jsonl.gz",
        "vk-wall-samples/hack_it_backend_posts_example_raw.json",
        "telegram-export-samples/result.json",
    ]
    result = ingest.import_files(workspace, [shared_data / name for name in files], worker=False)
    assert result.imported > 10_000 and set(result.formats.values()) >= {
        "twitter-v1",
        "reddit",
        "vk",
    }
    snapshot = scoring.compute(workspace)
    assert snapshot.status == "done" and snapshot.counts["authors"] > 5000
    roles = snapshot.counts["roles"]
    assert set(roles) - {"user"}, roles  # some real people get a role


def test_quiet_accounts_are_explained_without_stored_reasons(workspace, monkeypatch):
    monkeypatch.setattr(scoring, "DETAIL_TOP", 1)
    scoring.compute(workspace)
    fan = influencers.author_score(workspace, influencers_id(workspace, "fan7"))
    assert fan.role == "user" and fan.detail is None
    reasons = influencers.reasons_of(fan)
    assert reasons[0].startswith("no role: best is") and "role threshold 50" in reasons[0]
    assert "in the window, in touch with" in reasons[1]


def stored_scores(snapshot_id: int) -> list[tuple]:
    columns = [c for c in AuthorScore.__table__.columns if c.name not in ("id", "snapshot_id")]
    return [
        tuple(row)
        for row in db.session.execute(
            select(*columns)
            .where(AuthorScore.snapshot_id == snapshot_id)
            .order_by(AuthorScore.author_id)
        )
    ]


def test_authors_explained_in_a_worker_process_are_stored_the_same(workspace, monkeypatch):
    """Many notable authors are explained by a worker process while the scores are written."""
    import graph.parallel

    here = scoring.compute(workspace)
    expected = stored_scores(here.id)
    monkeypatch.setattr(scoring, "DETAIL_APART", 1)
    jobs = []
    start = graph.parallel.apart
    monkeypatch.setattr(
        graph.parallel, "apart", lambda *a, **k: jobs.append(start(*a, **k)) or jobs[-1]
    )
    apart = scoring.compute(workspace)
    assert jobs and jobs[0].parallel and not jobs[0]._worker.running  # in a worker, stopped
    assert stored_scores(apart.id) == expected
    assert sum(row[-1] is not None for row in expected) > 3  # explanations were compared


def test_a_failed_worker_process_is_made_up_for_here(workspace, monkeypatch, caplog):
    monkeypatch.setattr(scoring, "DETAIL_APART", 1)
    # a lambda does not pickle, so the worker never gets the call: it is then computed here
    import graph.roles

    real = graph.roles.explain_as_json
    monkeypatch.setattr(graph.roles, "explain_as_json", lambda *args: real(*args))
    with caplog.at_level("WARNING", logger="graph.parallel"):
        snapshot = scoring.compute(workspace)
    assert "failed in a worker process" in caplog.text
    hub = influencers.author_score(workspace, influencers_id(workspace, "hub"))
    assert snapshot.status == "done" and hub.detail["reasons"]


def test_a_post_dated_9999_neither_moves_the_window_nor_empties_the_list(workspace, tmp_path):
    before = scoring.compute(workspace)
    late = [mention("late", "clock", "@hub hi #delivery", created_at="9999-12-31T00:00:00Z"),
            mention("early", "clock", "@hub hi", created_at="1999-01-01T00:00:00Z")]  # fmt: skip
    result = ingest.import_files(workspace, [write_csv(tmp_path / "late.csv", late)])
    assert result.imported == 2 and any("left out of the scores" in w for w in result.warnings)
    after = scoring.compute(workspace)
    assert after.window_end == before.window_end  # 2026-11-06: the newest post in range
    assert after.counts["posts"] == before.counts["posts"] == 56  # the two are left out

    def roles(snapshot):
        return {
            (s.author_id, s.role, s.networker)
            for s in db.session.scalars(select(AuthorScore).where(AuthorScore.snapshot_id == snapshot.id))
            if s.role != "user" or s.networker
        }

    assert roles(after) == roles(before) and len(roles(before)) >= 3


def test_the_window_never_ends_after_now(app, tmp_path):
    from datetime import UTC, datetime, timedelta

    workspace = make_workspace("soon")
    soon = (datetime.now(UTC) + timedelta(hours=12)).strftime("%Y-%m-%dT%H:%M:%SZ")
    rows = [mention("1", "anna", "@bob hi", created_at=soon), mention("2", "bob", "@anna hi")]
    ingest.import_files(workspace, [write_csv(tmp_path / "soon.csv", rows)])
    snapshot = scoring.compute(workspace)
    assert snapshot.window_end.replace(tzinfo=UTC) <= datetime.now(UTC)
