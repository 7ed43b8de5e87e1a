"""The ingest service: dedupe, authors, mentions, topics and graph edges, in batches."""

import gzip

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Author, ImportRun, Interaction, Mention, MentionTopic
from app.services import ingest
from app.services.errors import ServiceError
from factories import make_workspace, mention, write_csv


def edges(workspace):
    target = aliased(Author)
    rows = db.session.execute(
        select(Author.handle, Interaction.kind, target.handle)
        .select_from(Interaction)
        .join(Author, Author.id == Interaction.source_author_id)
        .join(target, Interaction.target_author_id == target.id)
        .where(Interaction.workspace_id == workspace.id)
    ).all()
    return sorted(tuple(row) for row in rows)


def count(model, workspace):
    return db.session.scalar(
        select(func.count()).select_from(model).where(model.workspace_id == workspace.id)
    )


@pytest.fixture
def workspace(app):
    return make_workspace("acme", brand_terms=["Acme", "Яндекс"])


def test_import_writes_mentions_authors_edges_and_topics(workspace, tmp_path):
    path = write_csv(tmp_path / "m.csv", [
        mention("1", "Anna", "Love @Bob and @carl #Delivery from Acme", author_followers="100", sentiment="positive"),
        mention("2", "bob", "@anna thanks! @bob", reply_to_id="1", reply_to_author="anna", sentiment="neutral"),
        mention("3", "carl", "RT @anna: Love", repost_of_id="1", repost_of_author="@ANNA", sentiment="neutral"),
        mention("4", "dave", "Сервис Яндексу понравился", lang="ru", sentiment="positive"),
    ])  # fmt: skip
    result = ingest.import_files(workspace, [path], batch_size=2)
    assert (result.imported, result.duplicates, result.rejected) == (4, 0, 0)
    assert result.formats == {str(path): "csv"}
    assert count(Author, workspace) == 4
    assert edges(workspace) == [
        ("anna", "mention", "bob"), ("anna", "mention", "carl"),
        ("bob", "reply", "anna"), ("carl", "repost", "anna"),
    ]  # fmt: skip
    anna = db.session.scalar(select(Author).where(Author.handle == "anna"))
    assert (anna.display_handle, anna.followers, anna.posts_count) == ("Anna", 100, 1)
    topics = dict(
        db.session.execute(
            select(Mention.external_id, func.group_concat(MentionTopic.topic) if db.engine.name == "sqlite"
                   else func.string_agg(MentionTopic.topic, ","))
            .join(MentionTopic).group_by(Mention.external_id)
        ).all()
    )  # fmt: skip
    assert sorted(topics["1"].split(",")) == ["#acme", "#delivery"]  # the term and its hashtag
    assert topics["4"] == "#яндекс"
    kinds = dict(db.session.execute(select(Mention.external_id, Mention.kind)).all())
    assert kinds == {"1": "post", "2": "reply", "3": "repost", "4": "post"}


def test_reimport_is_a_no_op_and_duplicates_in_a_file_are_counted(workspace, tmp_path):
    rows = [
        mention("1", "anna", "hi", sentiment="neutral"),
        mention("1", "anna", "hi again", sentiment="neutral"),
    ]
    path = write_csv(tmp_path / "m.csv", rows)
    first = ingest.import_files(workspace, [path])
    second = ingest.import_files(workspace, [path])
    assert (first.imported, first.duplicates) == (1, 1)
    assert (second.imported, second.duplicates) == (0, 2)
    assert count(Mention, workspace) == 1
    assert db.session.scalar(select(Author.posts_count)) == 1


def test_same_post_id_in_two_workspaces_is_two_mentions(app, workspace, tmp_path):
    other = make_workspace("other")
    path = write_csv(tmp_path / "m.csv", [mention("1", "anna", "hi", sentiment="neutral")])
    assert ingest.import_files(workspace, [path]).imported == 1
    assert ingest.import_files(other, [path]).imported == 1


def test_bad_rows_are_reported_and_good_rows_kept(workspace, tmp_path):
    path = write_csv(tmp_path / "m.csv", [
        mention("1", "anna", "ok", sentiment="neutral"),
        mention("2", "", "no author"),
        mention("3", "bob", "bad date", created_at="soon"),
        mention("4", "carl", "ok", sentiment="neutral"),
    ])  # fmt: skip
    result = ingest.import_files(workspace, [path], display_names=["m.csv"])
    assert (result.imported, result.rejected) == (2, 2)
    assert result.errors == [
        {"file": "m.csv", "line": 3, "reason": "author is missing"},
        {"file": "m.csv", "line": 4, "reason": "created_at 'soon' is not an ISO 8601 timestamp"},
    ]


def test_errors_list_is_capped_but_all_are_counted(workspace, tmp_path):
    rows = [mention(str(i), "", "x") for i in range(150)]
    result = ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows)])
    assert result.rejected == 150 and len(result.errors) == 100


def test_unreadable_file_writes_nothing(workspace, tmp_path):
    path = tmp_path / "junk.csv"
    path.write_bytes(b"\x00\x01\x02 binary")
    with pytest.raises(ServiceError, match="binary"):
        ingest.import_files(workspace, [path])
    assert count(Mention, workspace) == 0


def test_one_bad_file_among_several_is_reported(workspace, tmp_path):
    good = write_csv(tmp_path / "good.csv", [mention("1", "anna", "hi", sentiment="neutral")])
    bad = tmp_path / "bad.txt"
    bad.write_text("nothing to see\n")
    result = ingest.import_files(workspace, [good, bad], display_names=["good.csv", "bad.txt"])
    assert result.imported == 1 and result.files_failed == 1
    assert (
        result.errors[0]["file"] == "bad.txt"
        and "could not recognise" in result.errors[0]["reason"]
    )


def test_gzip_files_are_read(workspace, tmp_path):
    plain = write_csv(tmp_path / "m.csv", [mention("1", "anna", "hi", sentiment="neutral")])
    packed = tmp_path / "m.csv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert ingest.import_files(workspace, [packed]).imported == 1


def test_reply_known_only_by_post_id_is_linked_when_the_parent_arrives(workspace, tmp_path):
    child = write_csv(
        tmp_path / "a.csv", [mention("c1", "bob", "me too", reply_to_id="p1", sentiment="neutral")]
    )
    parent = write_csv(tmp_path / "b.csv", [mention("p1", "anna", "hello", sentiment="neutral")])
    ingest.import_files(workspace, [child])
    assert edges(workspace) == []
    ingest.import_files(workspace, [parent])
    assert edges(workspace) == [("bob", "reply", "anna")]
    ingest.import_files(workspace, [parent])  # and only once
    assert edges(workspace) == [("bob", "reply", "anna")]


def test_profile_data_of_the_newest_post_wins(workspace, tmp_path):
    path = write_csv(tmp_path / "m.csv", [
        mention("2", "anna", "new", created_at="2026-11-02T00:00:00Z", author_followers="200", sentiment="neutral"),
        mention("1", "anna", "old", created_at="2026-11-01T00:00:00Z", author_followers="100", sentiment="neutral"),
    ])  # fmt: skip
    ingest.import_files(workspace, [path], batch_size=1)
    anna = db.session.scalar(select(Author))
    assert anna.followers == 200
    assert anna.first_seen_at.day == 1 and anna.last_seen_at.day == 2 and anna.posts_count == 2


def test_sentiment_and_language_are_computed_when_absent(workspace, tmp_path):
    path = write_csv(tmp_path / "m.csv", [
        mention("1", "anna", "I absolutely love this, wonderful service!", lang=""),
        mention("2", "bob", "Ужасный сервис, очень плохо", lang=""),
        mention("3", "carl", "Terrible, the worst", sentiment="positive"),
    ])  # fmt: skip
    ingest.import_files(workspace, [path])
    rows = {m.external_id: m for m in db.session.scalars(select(Mention))}
    assert (rows["1"].lang, rows["1"].sentiment, rows["1"].sentiment_source) == (
        "en",
        "positive",
        "computed",
    )
    assert (rows["2"].lang, rows["2"].sentiment) == ("ru", "negative")
    assert (rows["3"].sentiment, rows["3"].sentiment_source) == ("positive", "imported")


def test_run_counts_are_kept(workspace, tmp_path):
    path = write_csv(tmp_path / "m.csv", [mention("1", "anna", "x", sentiment="neutral")])
    run = ingest.start_run(workspace, "cli", ["m.csv"])
    result = ingest.import_files(workspace, [path], run=run)
    ingest.finish_run(run, result)
    stored = db.session.get(ImportRun, run.id)
    assert (stored.status, stored.imported, stored.formats) == ("done", 1, {str(path): "csv"})


@pytest.mark.parametrize(
    "text, found",
    [("Acme rocks", ["#acme"]), ("acme's app", ["#acme"]), ("Acmeville", []),
     ("спасибо Яндексу", ["#яндекс"]), ("Яндексоведение", []),
     ("at Yandex Market today", ["yandex market"])],
)  # fmt: skip
def test_brand_matcher(text, found):
    """A one-word brand term is the topic of its hashtag; a phrase stays itself."""
    assert ingest.brand_matcher(["Acme", "Яндекс", "Yandex Market"])(text) == found


def test_reading_in_a_worker_process_gives_the_same_result(workspace, tmp_path):
    rows = [
        mention(str(i), f"user{i % 7}", f"hi @user{(i + 1) % 7} #t{i % 3}", sentiment="neutral")
        for i in range(40)
    ]
    rows.append(mention("bad", "", "no author"))
    path = write_csv(tmp_path / "m.csv", rows)
    result = ingest.import_files(workspace, [path], worker=True, batch_size=16)
    assert (result.imported, result.rejected) == (40, 1)
    assert result.errors[0]["line"] == 42
    assert count(Interaction, workspace) == 40


def test_worker_reports_an_unreadable_single_file(workspace, tmp_path):
    path = tmp_path / "junk.json"
    path.write_text("{not json at all")
    with pytest.raises(ServiceError, match="junk.json"):
        ingest.import_files(workspace, [path], worker=True)


def test_bulk_import_refreshes_planner_statistics(workspace, tmp_path, monkeypatch):
    from sqlalchemy import text

    from app.services import statistics

    monkeypatch.setattr(statistics, "BULK_ROWS", 2)
    rows = [mention(str(i), f"user{i}", f"hi @user{i + 1}", sentiment="neutral") for i in range(3)]
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows)])
    if db.engine.name == "sqlite":
        analysed = db.session.scalar(
            text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'mentions'")
        )
    else:
        analysed = db.session.scalar(
            text(
                "SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'mentions' AND last_analyze IS NOT NULL"
            )
        )
    assert analysed >= 1


def test_a_postgres_import_refreshes_statistics_each_time_it_doubles(
    workspace, tmp_path, monkeypatch
):
    """Stale statistics made PostgreSQL walk the whole workspace for every duplicate lookup."""
    from app.services import ingest_writer, statistics

    monkeypatch.setattr(statistics, "BULK_ROWS", 2)
    writers, written_at_refresh = [], []
    real_init = ingest_writer.BatchWriter.__init__

    def init(self, workspace):
        real_init(self, workspace)
        self.postgres = True  # the schedule is the same whichever database runs the test
        writers.append(self)

    monkeypatch.setattr(ingest_writer.BatchWriter, "__init__", init)
    monkeypatch.setattr(
        statistics, "refresh", lambda conn, tables: written_at_refresh.append(writers[0].written)
    )
    rows = [mention(str(i), f"user{i}", "hi", sentiment="neutral") for i in range(9)]
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows)], batch_size=1)
    assert written_at_refresh == [2, 4, 8, 9]  # doubling during the import, then at its end


def _index_names():
    from sqlalchemy import inspect

    inspector = inspect(db.session.connection())
    return {index["name"] for table in ("mentions", "interactions", "mention_topics")
            for index in inspector.get_indexes(table)}  # fmt: skip


def test_big_import_defers_indexes_and_builds_them_again(workspace, tmp_path, monkeypatch):
    from app.services import bulk_load

    monkeypatch.setattr(bulk_load, "DEFER_MIN_ROWS", 10)
    expected = {index.name for index in bulk_load.deferrable_indexes()}
    assert expected <= _index_names()
    seen_during = []
    real_write = ingest.BatchWriter.write

    def spy(self, *args, **kwargs):
        seen_during.append(expected & _index_names())
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(ingest.BatchWriter, "write", spy)
    rows = [mention(str(i), f"user{i % 9}", f"hi @user{i % 5} #t{i % 4}", sentiment="neutral",
                    reply_to_id=str(i - 1) if i % 3 == 0 and i else "") for i in range(60)]  # fmt: skip
    result = ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows)], batch_size=20)
    assert result.imported == 60
    if db.engine.name == "sqlite":
        assert seen_during == [set(), set(), set()]  # dropped while the batches were written
    else:
        assert all(found == expected for found in seen_during)  # never on PostgreSQL
    assert expected <= _index_names()  # and all back afterwards
    assert count(Interaction, workspace) > 60
    assert (
        db.session.scalar(select(func.count()).where(Mention.reply_to_author_id.is_not(None))) == 19
    )


def test_a_failed_big_import_still_builds_the_indexes_again(workspace, tmp_path, monkeypatch):
    from app.services import bulk_load

    monkeypatch.setattr(bulk_load, "DEFER_MIN_ROWS", 10)
    real_write = ingest.BatchWriter._write
    calls = []

    def fail_second(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(ingest.BatchWriter, "_write", fail_second)
    rows = [mention(str(i), f"user{i}", "hi", sentiment="neutral") for i in range(40)]
    with pytest.raises(RuntimeError, match="disk full"):
        ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows)], batch_size=20)
    assert {index.name for index in bulk_load.deferrable_indexes()} <= _index_names()
    assert count(Mention, workspace) == 20  # the first batch landed, the second rolled back


def test_indexes_lost_by_a_killed_import_are_built_by_the_next(workspace, tmp_path):
    from app.services import bulk_load

    bulk_load.drop_indexes(db.session.connection())
    db.session.commit()
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", [mention("1", "anna", "hi")])])
    if db.engine.name == "sqlite":
        assert {index.name for index in bulk_load.deferrable_indexes()} <= _index_names()


def test_foreign_key_checks_are_on_again_after_an_import(workspace, tmp_path):
    from sqlalchemy import text

    ingest.import_files(
        workspace, [write_csv(tmp_path / "m.csv", [mention("1", "anna", "hi @bob")])]
    )
    if db.engine.name == "sqlite":
        assert db.session.scalar(text("PRAGMA foreign_keys")) == 1


def test_posts_with_different_optional_fields_keep_them_all(workspace, tmp_path):
    rows = [
        mention("1", "anna", "plain", sentiment="neutral"),
        mention("2", "bob", "with counts", likes="5", views="70", url="https://x.test/2", sentiment="0.5"),
        mention("3", "carl", "quote", quote_of_id="1", quote_of_author="anna", lang="", replies="2"),
        mention("4", "dave", "repost", repost_of_id="2", repost_of_author="bob", sentiment="negative"),
    ]  # fmt: skip
    header = ["platform", "id", "author", "created_at", "text", "lang", "url", "likes", "views",
              "replies", "quote_of_id", "quote_of_author", "repost_of_id", "repost_of_author",
              "sentiment"]  # fmt: skip
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows, header)])
    got = {
        m.external_id: (m.kind, m.url, m.likes, m.views, m.replies, m.sentiment, m.sentiment_score,
                        m.quote_of_external_id, m.repost_of_external_id, m.sentiment_source,
                        m.import_id)
        for m in db.session.scalars(select(Mention))
    }  # fmt: skip
    assert got["1"] == (
        "post",
        None,
        None,
        None,
        None,
        "neutral",
        0.0,
        None,
        None,
        "imported",
        None,
    )
    assert got["2"] == (
        "post",
        "https://x.test/2",
        5,
        70,
        None,
        "positive",
        0.5,
        None,
        None,
        "imported",
        None,
    )
    assert got["3"][:5] == ("quote", None, None, None, 2) and got["3"][7] == "1"
    assert got["3"][9] == "computed"
    assert got["4"][0] == "repost" and got["4"][8] == "2" and got["4"][5] == "negative"
    ids = sorted(m.id for m in db.session.scalars(select(Mention)))
    assert ids == list(range(ids[0], ids[0] + 4))  # one run of ids, whatever the groups


def test_workspace_deleted_during_an_import_stops_it_cleanly(workspace, tmp_path, monkeypatch):
    from app.services.ingest_writer import WorkspaceGone

    monkeypatch.setattr(ingest.BatchWriter, "_workspace_exists", lambda self, conn, driver: False)
    with pytest.raises(WorkspaceGone, match="deleted"):
        ingest.import_files(
            workspace, [write_csv(tmp_path / "m.csv", [mention("1", "anna", "hi")])]
        )
    assert count(Mention, workspace) == 0


def test_an_author_added_by_another_import_meanwhile_is_found(workspace):
    from datetime import UTC, datetime

    from app.ingest import MentionRecord
    from app.ingest.rows import prepare
    from app.services.ingest_writer import BatchWriter

    def records(*pairs):
        at = datetime(2026, 11, 1, tzinfo=UTC)
        return [MentionRecord(platform="twitter", id=i, author=a, created_at=at, text="hi",
                              sentiment="neutral") for i, a in pairs]  # fmt: skip

    writer = BatchWriter(workspace)
    result = ingest.ImportResult()
    writer.write(prepare(records(("1", "anna")), writer.find_brands), result, None)
    zed = Author(workspace_id=workspace.id, platform="twitter", handle="zed", display_handle="Zed")
    db.session.add(zed)  # as another import would, after this one loaded the authors
    db.session.commit()
    writer.write(prepare(records(("2", "zed"), ("3", "amy")), writer.find_brands), result, None)
    writer.finish()
    by_post = dict(db.session.execute(select(Mention.external_id, Mention.author_id)).all())
    assert by_post["2"] == zed.id
    amy = db.session.scalar(select(Author).where(Author.handle == "amy"))
    assert by_post["3"] == amy.id and amy.posts_count == 1


def test_a_file_overlapping_an_earlier_import_adds_only_the_new_posts(workspace, tmp_path):
    first = [
        mention(str(i), f"user{i}", f"hi @user{i + 1} #t{i}", sentiment="neutral") for i in range(4)
    ]
    second = [
        mention(str(i), f"user{i}", f"changed @other #x{i}", sentiment="negative")
        for i in range(2, 7)
    ]
    ingest.import_files(workspace, [write_csv(tmp_path / "a.csv", first)])
    result = ingest.import_files(workspace, [write_csv(tmp_path / "b.csv", second)])
    assert (result.imported, result.duplicates) == (3, 2)
    assert count(Mention, workspace) == 7
    assert count(MentionTopic, workspace) == 7  # one topic per post, none for the skipped two
    assert count(Interaction, workspace) == 7  # one edge per post
    texts = dict(db.session.execute(select(Mention.external_id, Mention.text)).all())
    assert texts["2"].startswith("hi") and texts["5"].startswith("changed")  # stored posts kept


def test_times_are_stored_in_utc_whatever_zone_they_come_in(workspace, tmp_path):
    from datetime import UTC, datetime, timedelta, timezone

    from app.ingest import MentionRecord

    moscow = timezone(timedelta(hours=3))
    records = [
        (MentionRecord("twitter", "1", "anna", datetime(2025, 3, 1, 12, 0, tzinfo=moscow)), "api"),
        (
            MentionRecord("twitter", "2", "bob", datetime(2025, 3, 1, 12, 0, 0, 5, tzinfo=UTC)),
            "api",
        ),
    ]
    path = write_csv(
        tmp_path / "m.csv", [mention("3", "carl", "hi", created_at="2025-03-01T15:00:00+03:00")]
    )
    ingest.import_records(workspace, records)
    ingest.import_files(workspace, [path])
    stored = dict(db.session.execute(select(Mention.external_id, Mention.created_at)).all())
    assert stored == {
        "1": datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
        "2": datetime(2025, 3, 1, 12, 0, 0, 5, tzinfo=UTC),
        "3": datetime(2025, 3, 1, 12, 0, tzinfo=UTC),
    }


def test_row_maker_remembers_keys_between_batches_within_its_bound(monkeypatch):
    from datetime import UTC, datetime

    from app.ingest import MentionRecord
    from app.ingest.rows import RowMaker, brand_matcher, prepare

    at = datetime(2025, 3, 1, tzinfo=UTC)
    batches = [
        [MentionRecord("twitter", f"{b}-{i}", f"@User{i}", at, f"hi @Friend{i} #Tag{i}",
                       mentions=[f"Friend{i}"], tags=[f"Tag{i}"]) for i in range(5)]
        for b in range(3)
    ]  # fmt: skip
    find = brand_matcher(["acme"])
    monkeypatch.setattr(RowMaker, "CACHE_LIMIT", 6)
    make_rows = RowMaker(find)
    for batch in batches:
        assert make_rows(batch) == prepare(batch, find)  # same rows as a fresh start
        assert len(make_rows.keys) <= 2 * 6  # cleared once past the bound
    assert make_rows.keys["@User1"] == "user1"


def test_a_lone_surrogate_escape_does_not_stop_the_import(workspace, tmp_path):
    # "\ud800" without its pair is valid JSON syntax but no text a database can store: it
    # used to stop the whole import at the first write, with a stack trace.
    path = tmp_path / "m.jsonl"
    path.write_text(
        '{"platform": "x", "id": "1", "author": "anna", "created_at": "2026-01-01T00:00:00Z",'
        ' "text": "hi \\ud800 there, the parcel came on time"}\n'
        '{"platform": "x", "id": "2", "author": "bob", "created_at": "2026-01-01T00:00:00Z",'
        ' "text": "all good"}\n'
    )
    result = ingest.import_files(workspace, [path])
    assert (result.imported, result.rejected) == (2, 0)
    texts = db.session.scalars(select(Mention.text).order_by(Mention.external_id)).all()
    assert texts == ["hi \ufffd there, the parcel came on time", "all good"]


def test_language_and_sentiment_see_only_the_first_part_of_a_long_text(monkeypatch):
    from datetime import UTC, datetime

    from app.ingest.record import MentionRecord
    from app.ingest.vet import ANALYSED_CHARS
    from app.services import enrich

    seen = []

    def detect(texts, *args):
        seen.extend(map(len, texts))
        return ["en"] * len(texts)

    def analyze(texts, langs):
        seen.extend(map(len, texts))
        return [("neutral", 0.0)] * len(texts)

    monkeypatch.setattr("app.nlp.detect_languages", detect)
    monkeypatch.setattr("app.nlp.analyze_sentiment", analyze)
    record = MentionRecord("x", "1", "a", datetime(2026, 11, 1, tzinfo=UTC), "a" * 1_000_000)
    enrich.enrich([record])
    assert seen == [ANALYSED_CHARS, ANALYSED_CHARS]
    assert len(record.text) == 1_000_000 and record.lang == "en"


def test_a_run_whose_process_was_killed_is_closed_on_the_next_start(workspace):
    import subprocess
    import sys

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    killed = ingest.start_run(workspace, "cli", ["big.jsonl"])
    killed.runner = f"{ingest.this_process().rpartition(':')[0]}:{gone.pid}"
    elsewhere = ingest.start_run(workspace, "cli", ["other.jsonl"])
    elsewhere.runner = "another-host:1"
    db.session.commit()
    current = ingest.start_run(workspace, "cli", ["next.jsonl"])
    db.session.refresh(killed)
    assert (killed.status, current.status, elsewhere.status) == ("failed", "running", "running")
    assert "did not finish" in killed.message and killed.finished_at is not None


def test_the_jobs_list_closes_a_killed_import_at_once(workspace, runner):
    import json
    import subprocess
    import sys

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    killed = ingest.start_run(workspace, "cli", ["big.jsonl"])
    killed.runner = f"{ingest.this_process().rpartition(':')[0]}:{gone.pid}"
    db.session.commit()
    listed = [
        json.loads(line)
        for line in runner.invoke(
            args=["jobs", "list", "--workspace", "acme", "--json"]
        ).output.splitlines()
    ]
    assert [(job["kind"], job["status"]) for job in listed] == [("import", "failed")]
    assert "did not finish" in listed[0]["message"]
