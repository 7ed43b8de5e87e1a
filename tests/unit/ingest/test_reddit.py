"""The Reddit parser: fullnames, parents, subreddit topics, rejected authors, u/ mentions."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from app.ingest.record import FileError, MentionRecord, RowError
from app.ingest.reddit import PARSER, extract_user_mentions
from factories import records_by_id, shared_data_files, sniff_head

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
THINGS = FIXTURES / "reddit" / "things.jsonl"
DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
REAL = DATA / "reddit-praw-cassettes" / "reddit_things.jsonl.gz"


def parse_text(text: str) -> list:
    """Parse a string as a Reddit file."""
    return list(PARSER.parse(io.StringIO(text), "things.jsonl"))


def thing(fullname: str) -> dict:
    """Return the fixture line (wrapped thing) with this fullname."""
    for line in THINGS.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["data"]["name"] == fullname:
            return item
    raise KeyError(fullname)


@pytest.fixture
def items() -> list:
    """Return everything the parser yields for the fixture."""
    with THINGS.open(encoding="utf-8") as stream:
        return list(PARSER.parse(stream, THINGS.name))


@pytest.fixture
def records(items) -> dict[str, MentionRecord]:
    """Return the fixture's records by id."""
    return records_by_id(items)


def test_fixture_yields_records_and_rejects_unknown_authors(items, records):
    assert set(records) == {"t3_2gmzqe", "t1_cklfmye", "t1_cklhv0f", "t1_clkozxv", "t3_1tp51gf"}
    errors = [item for item in items if isinstance(item, RowError)]
    assert [(error.line, error.reason) for error in errors] == [
        (1, "author '<USERNAME>' is not a Reddit username"),
        (6, "author deleted"),
    ]


def test_submission_text_url_and_counts(records):
    record = records["t3_2gmzqe"]
    assert record.kind == "post"
    assert record.author == "bboe"
    assert record.text.startswith(
        "[PRAW] HTTPS enabled PRAW testing needed\n\nPRAW client developers,\n\n"
    )
    assert record.url == (
        "https://www.reddit.com/r/redditdev/comments/2gmzqe/praw_https_enabled_praw_testing_needed/"
    )
    assert (record.likes, record.replies) == (11, 2)
    assert record.created_at.isoformat() == "2014-09-17T06:34:31+00:00"
    assert record.tags == ["r/redditdev"]


def test_comment_on_the_submission_replies_to_its_fullname(records):
    record = records["t1_cklfmye"]
    assert record.kind == "reply"
    assert record.reply_to_id == "t3_2gmzqe"
    assert record.reply_to_author is None  # the ingest service finds it: the parent is in the data
    assert record.tags == ["r/redditdev"]
    assert record.likes == 1


def test_comment_on_a_comment_and_its_built_url(records):
    record = records["t1_cklhv0f"]
    assert "permalink" not in thing("t1_cklhv0f")["data"]
    assert record.reply_to_id == "t1_cklfmye"
    assert record.url == "https://www.reddit.com/r/redditdev/comments/2gmzqe/_/cklhv0f/"


def test_placeholder_subreddit_is_no_topic_and_u_mentions_are_found(records):
    record = records["t1_clkozxv"]
    assert thing("t1_clkozxv")["data"]["subreddit"] == "<TEST_SUBREDDIT>"
    assert record.tags == []
    assert record.text == "+/u/noppoliss register"
    assert record.mentions == ["noppoliss"]


def test_crosspost_is_a_repost_and_a_link_post_shows_its_link(records):
    record = records["t3_1tp51gf"]
    assert record.kind == "repost"
    assert record.repost_of_id == "t3_1tp4wsi"
    assert record.repost_of_author == "rddt_IR"
    assert record.text.endswith(
        "\n\nhttps://www.reddit.com/r/RDDT/comments/1tp4wsi/reddit_to_present_at_the_bofa_securities_2026/"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thanks /u/Alice and u/bob_2!", ["Alice", "bob_2"]),
        ("see https://www.reddit.com/u/notme or menu/u/nothere", []),
        ("^/u/swim1929 ^with", ["swim1929"]),
        ("u/ab is too short, u/x-y-z is fine", ["x-y-z"]),
    ],
)
def test_extract_user_mentions(text, expected):
    assert extract_user_mentions(text) == expected


def test_bare_pushshift_objects_and_escaped_text():
    lines = [
        {
            "id": "abc",
            "author": "alice",
            "body": "fish &amp; chips",
            "parent_id": "t3_xyz",
            "link_id": "t3_xyz",
            "subreddit": "food",
            "created_utc": "1600000000",
            "score": 3,
        },
        {
            "id": "xyz",
            "author": "bob",
            "title": "Lunch?",
            "selftext": "",
            "is_self": True,
            "subreddit": "food",
            "created_utc": 1599999000,
            "num_comments": 1,
        },
    ]
    comment, submission = parse_text("\n".join(json.dumps(line) for line in lines))
    assert (comment.id, comment.text, comment.reply_to_id) == ("t1_abc", "fish & chips", "t3_xyz")
    assert comment.url == "https://www.reddit.com/r/food/comments/xyz/_/abc/"
    assert (submission.id, submission.text, submission.replies) == ("t3_xyz", "Lunch?", 1)


def test_api_listing_with_nested_replies_yields_a_repeated_comment_again_for_the_count():
    reply = {
        "kind": "t1",
        "data": {
            "name": "t1_b",
            "author": "bob",
            "body": "child",
            "parent_id": "t1_a",
            "created_utc": 2,
            "replies": "",
        },
    }
    top = {
        "kind": "t1",
        "data": {
            "name": "t1_a",
            "author": "alice",
            "body": "top",
            "parent_id": "t3_s",
            "created_utc": 1,
            "replies": {"kind": "Listing", "data": {"children": [reply]}},
        },
    }
    more = {"kind": "more", "data": {"children": ["c1", "c2"]}}
    listing = {"kind": "Listing", "data": {"children": [top, more]}}
    records = parse_text(json.dumps([listing]) + "\n" + json.dumps(reply) + "\n")
    # the repeat is yielded again: the import counts it as a duplicate, not as nothing
    assert [(r.id, r.reply_to_id) for r in records] == [
        ("t1_a", "t3_s"), ("t1_b", "t1_a"), ("t1_b", "t1_a"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ('{"kind": "t1", "data": {', "not valid JSON"),
        ('{"kind": "t1", "data": {"name": "t1_q", "body": "x", "created_utc": 1}}', "no author"),
        (
            '{"kind": "t1", "data": {"name": "t1_q", "author": "alice", "body": "x"}}',
            "no created_utc",
        ),
        ('{"kind": "t3", "data": {"author": "alice", "title": "x", "created_utc": 1}}', "no id"),
        ('{"kind": "t5", "data": {"display_name": "python"}}', "not a comment or submission (t5)"),
        (
            '{"kind": "t1", "data": {"id": "q", "author": "alice", "body": "", "created_utc": "x"}}',
            "is not a Unix timestamp",
        ),
        ("42", "not a Reddit thing"),
    ],
)
def test_bad_row_is_reported_and_the_rest_is_read(bad_line, reason):
    good = '{"kind": "t1", "data": {"id": "%s", "author": "al_1", "body": "", "created_utc": 1}}'
    items = parse_text(f"{good % 'one'}\n{bad_line}\n{good % 'two'}\n")
    assert isinstance(items[0], MentionRecord)
    assert isinstance(items[1], RowError)
    assert items[1].line == 2
    assert reason in items[1].reason
    assert isinstance(items[2], MentionRecord)


@pytest.mark.parametrize("junk", ["", "not json at all\n", "a,b,c\n1,2,3\n", '{"x":\n 1}'])
def test_junk_file_raises_file_error(junk):
    with pytest.raises(FileError):
        parse_text(junk)


def test_sniff_accepts_its_fixture_even_cut_mid_line():
    assert PARSER.sniff(THINGS.read_text(encoding="utf-8")[:3000])


@pytest.mark.parametrize(
    "head",
    [
        '{"id_str": "1", "user": {"screen_name": "a"}, "text": "hi", "created_at": "x"}',
        '{"data": [{"id": "1", "text": "hi"}], "includes": {"users": []}}',
        '{"platform": "reddit", "id": "t1_a", "author": "a", "created_at": "2024-01-01",'
        ' "text": "hi", "subreddit": "x", "created_utc": 1}',
        "",
        "\x00\x01",
        "[" * 5000,
    ],
)
def test_sniff_rejects_other_formats_and_junk(head):
    assert PARSER.sniff(head) is False


@pytest.mark.parametrize("other", ["mastodon/statuses.jsonl", "telegram/result.json"])
def test_sniff_rejects_sibling_fixtures(other):
    assert PARSER.sniff((FIXTURES / other).read_text(encoding="utf-8")[:65536]) is False


@pytest.mark.parametrize("path", shared_data_files(), ids=lambda p: str(p.relative_to(DATA)))
def test_sniff_on_shared_data(path):
    assert PARSER.sniff(sniff_head(path)) == (path.parent.name == "reddit-praw-cassettes")


@pytest.mark.skipif(not REAL.is_file(), reason="shared data folder not present")
def test_the_real_file_parses():
    with gzip.open(REAL, "rt", encoding="utf-8") as stream:
        items = list(PARSER.parse(stream, REAL.name))
    records = [item for item in items if isinstance(item, MentionRecord)]
    errors = [item for item in items if isinstance(item, RowError)]
    # Every thing read is yielded, repeats too (the cassettes repeat nested replies as their own
    # lines): the import counts those as duplicates (or rejects them again), so the counts add
    # up to the things read. 10,341 distinct things, 9,513 of them valid.
    assert len(records) + len(errors) == 15_025 and len({r.id for r in records}) == 9_513
    # SOURCE.txt: 297 "[deleted]" and 531 redacted "<USERNAME>" authors; with their repeats:
    assert sum(error.reason == "author deleted" for error in errors) == 536
    assert sum("<USERNAME>" in error.reason for error in errors) == 825
    assert all(record.id[:3] in ("t1_", "t3_") for record in records)
    assert sum(record.id.startswith("t1_") for record in records) > 5000
