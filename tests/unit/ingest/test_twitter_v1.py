"""The Twitter API v1.1 parser, on real tweets from rtweet, streaming, tweepy and Gnip files."""

from __future__ import annotations

import html
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.ingest.record import FileError, MentionRecord, RowError
from app.ingest.twitter_v1 import PARSER, parse_twitter_time
from factories import records_by_id, row_errors

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
V1 = FIXTURES / "twitter_v1"
V2 = FIXTURES / "twitter_v2"
SHARED_DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
SNIFF_CHARS = 64 * 1024


def parse_path(path: Path) -> list:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(PARSER.parse(stream, path.name))


def parse_text(text: str) -> list:
    return list(PARSER.parse(io.StringIO(text), "upload.json"))


def raw_tweets(name: str) -> dict[str, dict]:
    lines = (V1 / name).read_text(encoding="utf-8").splitlines()
    return {tweet["id_str"]: tweet for tweet in map(json.loads, lines) if "id_str" in tweet}


def head_of(path: Path) -> str:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return stream.read(SNIFF_CHARS)


def test_parser_is_registered_under_its_format_name():
    from app.ingest import get_parser

    assert get_parser("twitter-v1") is PARSER
    assert PARSER.name == "twitter-v1" and PARSER.label


@pytest.fixture
def rtweet() -> dict[str, MentionRecord]:
    return records_by_id(parse_path(V1 / "rtweet_search.jsonl"))


def test_original_post_carries_author_profile_counts_and_links(rtweet):
    post = rtweet["1589632502309990401"]
    assert post.kind == "post"
    assert (post.platform, post.author, post.author_name) == (
        "twitter",
        "hadleywickham",
        "Hadley Wickham",
    )
    assert post.author_followers == 139970
    assert post.created_at == datetime(2022, 11, 7, 14, 54, 57, tzinfo=UTC)
    assert post.text.startswith("New chapter on regular expressions in R4DS")
    assert post.tags == ["rstats"]
    assert post.mentions == []
    assert (post.likes, post.reposts, post.replies, post.views) == (408, 77, None, None)
    assert post.lang == "en"
    assert post.url == "https://twitter.com/hadleywickham/status/1589632502309990401"
    assert post.author_url == "https://twitter.com/hadleywickham"


def test_retweet_is_a_repost_of_the_original_with_its_full_text(rtweet):
    repost = rtweet["1590090962788765696"]
    assert repost.kind == "repost"
    assert repost.author == "edisonjscode"
    assert (repost.repost_of_id, repost.repost_of_author) == ("1562609631402176512", "CStoreNews_")
    original = raw_tweets("rtweet_search.jsonl")["1590090962788765696"]["retweeted_status"]
    assert repost.text == "RT @CStoreNews_: " + html.unescape(original["full_text"])
    assert not repost.text.endswith("…")
    # Hashtags past the retweet's 140-character cut come from the original.
    assert repost.tags[0] == "infographic" and repost.tags[-1] == "Excel"
    # Twitter copies the original's counts onto a retweet: they are not the retweeter's.
    assert (repost.likes, repost.reposts, repost.replies) == (None, None, None)


@pytest.mark.parametrize(
    ("fixture", "tweet_id", "original_author"),
    [
        (
            "rtweet_search.jsonl",
            "1588148815105777664",
            "scRNAtools",
        ),  # "...Congratulations @Bioconductor"
        (
            "tweepy_statuses.jsonl",
            "486663181901627392",
            "Twitter",
        ),  # "RT @Twitter: RT @TwitterEng: ..."
        (
            "gnip_original.jsonl",
            "867478374385557508",
            "notFromShrek",
        ),  # ".@ericmbudd is sitting..."
        ("streaming_ja.jsonl", "893117590129659904", "Hegireallyee"),
    ],
)
def test_handles_inside_retweeted_text_are_not_the_retweeters_mentions(
    fixture, tweet_id, original_author
):
    raw = raw_tweets(fixture)[tweet_id]
    assert raw["entities"]["user_mentions"], "the fixture should carry entity mentions"
    repost = records_by_id(parse_path(V1 / fixture))[tweet_id]
    assert repost.kind == "repost"
    assert repost.repost_of_id == raw["retweeted_status"]["id_str"]
    assert repost.repost_of_author == original_author
    assert repost.mentions == []


def test_retweet_of_a_quote_tweet_is_only_a_repost(rtweet):
    repost = rtweet["1590090777123639296"]
    assert (repost.repost_of_id, repost.repost_of_author) == ("1590090211215568896", "cvidonne")
    # The top-level quoted_status_id_str belongs to the retweeted tweet, not to the retweeter.
    assert (repost.quote_of_id, repost.quote_of_author) == (None, None)
    assert repost.tags == ["RStats"]


def test_reply_names_its_target_once_and_keeps_other_mentions(rtweet):
    reply = rtweet["1590090924662886400"]
    assert reply.kind == "reply"
    assert (reply.reply_to_id, reply.reply_to_author) == ("1589816408636264448", "robinson_es")
    assert reply.mentions == ["hadleywickham", "SaveToNotion"]
    assert reply.tags == ["thread", "rstats", "regex"]
    assert reply.lang is None  # Twitter's "und"


def test_quote_tweet_names_the_quoted_tweet_and_author(rtweet):
    quote = rtweet["1589010849867657216"]
    assert quote.kind == "quote"
    assert (quote.quote_of_id, quote.quote_of_author) == ("1589009644114284544", "elonmusk")
    assert quote.mentions == []


def test_quote_author_comes_from_the_link_when_the_quoted_tweet_is_missing():
    tweet = raw_tweets("rtweet_search.jsonl")["1589010849867657216"]
    del tweet["quoted_status"]
    del tweet["quoted_status_permalink"]
    (quote,) = parse_text(json.dumps(tweet))
    assert (quote.quote_of_id, quote.quote_of_author) == ("1589009644114284544", "elonmusk")


def test_streaming_file_gives_tweets_and_reports_limit_notices_by_line():
    items = parse_path(V1 / "streaming_geo.jsonl")
    records = records_by_id(items)
    assert records["955913071565848576"].reply_to_author == "chrstnetorralba"
    assert records["955913071565848576"].mentions == []
    assert records["955913071565848576"].replies == 0
    assert (records["955913072278781952"].quote_of_author, records["955913072278781952"].lang) == (
        "trufelman",
        "en",
    )
    (notice,) = row_errors(items)
    assert notice.line == 3
    assert "limit notice" in notice.reason and "not a tweet" in notice.reason


def test_extended_tweet_gives_full_text_and_the_entities_past_the_cut():
    raw = raw_tweets("streaming_geo.jsonl")["955913149823311872"]
    assert raw["truncated"] is True
    record = records_by_id(parse_path(V1 / "streaming_geo.jsonl"))["955913149823311872"]
    assert record.text == html.unescape(raw["extended_tweet"]["full_text"])
    assert len(record.text) > len(raw["text"])
    assert record.mentions == ["cannexus", "trina_l_foster"]
    assert record.tags == ["cannexus18"]


def test_html_entities_in_text_are_decoded(rtweet):
    assert "R&B Song" in rtweet["1590090539017195520"].text
    assert "&amp;" not in rtweet["1590090539017195520"].text


def test_gnip_original_format_is_read_as_v1():
    records = records_by_id(parse_path(V1 / "gnip_original.jsonl"))
    reply = records["867473446648676352"]
    assert (reply.reply_to_author, reply.mentions) == ("notFromShrek", ["ericmbudd"])
    raw = raw_tweets("gnip_original.jsonl")["867473446648676352"]
    assert reply.text == html.unescape(raw["extended_tweet"]["full_text"])
    assert len(reply.text) > 140


def test_gnip_activity_streams_are_refused_with_a_clear_reason():
    with pytest.raises(FileError, match="Gnip Activity Streams"):
        parse_path(V1 / "gnip_activity_streams.jsonl")
    tweet = (V1 / "tweepy_statuses.jsonl").read_text(encoding="utf-8").splitlines()[0]
    activity = (V1 / "gnip_activity_streams.jsonl").read_text(encoding="utf-8").splitlines()[0]
    items = parse_text(f"{tweet}\n{activity}\n")
    assert isinstance(items[0], MentionRecord)
    assert items[1].line == 2 and "Gnip Activity Streams" in items[1].reason


def test_v2_data_is_refused_with_a_pointer_to_the_v2_format():
    with pytest.raises(FileError, match="twitter-v2"):
        parse_path(V2 / "twarc_two_tweets.jsonl")


def test_bad_rows_become_row_errors_with_line_numbers():
    good = raw_tweets("tweepy_statuses.jsonl")["145344012"]
    no_user = {key: value for key, value in good.items() if key != "user"}
    bad_date = {**good, "id_str": "77", "created_at": "yesterday"}
    no_id = {key: value for key, value in good.items() if key not in ("id", "id_str")}
    lines = [
        json.dumps(good),
        '{"created_at": "Wed Jul 11 20:48:41 +0000 2007", "id_str": "1", "user": {"scre',
        "",
        json.dumps(no_user),
        json.dumps(bad_date),
        json.dumps({"delete": {"status": {"id_str": "42", "user_id_str": "9"}}}),
        json.dumps([1, 2]),
        json.dumps(no_id),
    ]
    items = parse_text("\n".join(lines) + "\n")
    assert [item.id for item in items if isinstance(item, MentionRecord)] == ["145344012"]
    errors = row_errors(items)
    assert [error.line for error in errors] == [2, 4, 5, 6, 7, 7, 8]
    reasons = [error.reason for error in errors]
    assert "not valid JSON" in reasons[0]
    assert reasons[1] == "tweet 145344012: no user object"
    assert reasons[2].startswith("tweet 77: created_at 'yesterday'")
    assert reasons[3] == "a streaming delete notice (tweet 42 was deleted), not a tweet"
    assert [error.where for error in errors[4:6]] == ["[0]", "[1]"]
    assert reasons[6] == "no id_str"


def test_a_numeric_id_is_used_only_when_it_is_exact():
    good = raw_tweets("tweepy_statuses.jsonl")["145344012"]
    small = {key: value for key, value in good.items() if key != "id_str"}
    big = {**small, "id": 1589632502309990401}
    items = parse_text(json.dumps(small) + "\n" + json.dumps(big) + "\n")
    assert items[0].id == "145344012"
    assert items[1] == RowError(2, "no id_str", None)


@pytest.mark.parametrize(
    "text",
    ["platform,id,author,created_at,text\ntwitter,1,a,2020-01-01,hi\n", "hello world\n", "\n\n"],
)
def test_a_file_that_is_not_json_raises_file_error(text):
    with pytest.raises(FileError):
        parse_text(text)


def test_a_broken_json_array_raises_file_error_naming_the_place():
    with pytest.raises(FileError, match="line 2"):
        parse_text('[{"id_str": "1",\n "user": }]')


def test_array_search_response_and_pretty_printed_tweet_are_read():
    tweets = list(raw_tweets("rtweet_search.jsonl").values())
    array = parse_text(json.dumps(tweets[:3], indent=2))
    assert [item.id for item in array] == [tweet["id_str"] for tweet in tweets[:3]]
    broken_array = parse_text(json.dumps([tweets[0], {"id_str": "5", "text": "x"}]))
    assert (broken_array[1].line, broken_array[1].where) == (1, "[1]")  # one line, item 1
    assert broken_array[1].reason == "tweet 5: no user object"
    search = parse_text(json.dumps({"statuses": tweets[:2], "search_metadata": {}}))
    assert [item.id for item in search] == [t["id_str"] for t in tweets[:2]]
    broken = parse_text(json.dumps({"statuses": [tweets[0], {"id_str": "5"}]}))
    assert broken[1].where == "statuses[1]" and broken[1].line == 1
    (single,) = parse_text(json.dumps(tweets[0], indent=2))
    assert single.id == tweets[0]["id_str"]


def test_json_lines_are_read_one_line_at_a_time():
    lines = (V1 / "rtweet_search.jsonl").read_text(encoding="utf-8")
    stream = io.StringIO(lines)
    first = next(iter(PARSER.parse(stream, "big.jsonl")))
    assert first.id == "1589632502309990401"
    assert stream.tell() < len(lines) / 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Wed Oct 10 20:19:24 +0000 2018", datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)),
        ("Wed Oct 10 22:19:24 +0200 2018", datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)),
        ("Thu Aug  3 14:33:15 -0130 2017", datetime(2017, 8, 3, 16, 3, 15, tzinfo=UTC)),
        ("2018-10-10T20:19:24.000Z", datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)),
    ],
)
def test_twitter_and_iso_timestamps_are_parsed_to_utc(value, expected):
    assert parse_twitter_time(value) == expected


@pytest.mark.parametrize(
    "value", ["Wed Foo 10 20:19:24 +0000 2018", "Wed Feb 30 20:19:24 +0000 2018", None]
)
def test_bad_timestamps_raise_value_error(value):
    with pytest.raises(ValueError):
        parse_twitter_time(value)


@pytest.mark.parametrize(
    "name",
    [
        "rtweet_search.jsonl",
        "streaming_geo.jsonl",
        "streaming_ja.jsonl",
        "tweepy_statuses.jsonl",
        "gnip_original.jsonl",
    ],
)
def test_sniff_accepts_v1_files(name):
    assert PARSER.sniff(head_of(V1 / name)) is True


@pytest.mark.parametrize("path", [V1 / "gnip_activity_streams.jsonl", *sorted(V2.glob("*.jsonl"))])
def test_sniff_rejects_activity_streams_and_v2_files(path):
    assert PARSER.sniff(head_of(path)) is False


def test_sniff_accepts_a_head_cut_inside_a_long_array_or_search_response():
    tweets = list(raw_tweets("rtweet_search.jsonl").values()) * 4
    assert PARSER.sniff(json.dumps({"statuses": tweets}, indent=1)[:SNIFF_CHARS])
    assert PARSER.sniff(json.dumps(tweets)[:SNIFF_CHARS])
    limit_first = '{"limit":{"track":1}}\n' + json.dumps(tweets[0])[:-100]
    assert PARSER.sniff(limit_first)


@pytest.mark.parametrize(
    "head",
    [
        "",
        "garbage",
        "{",
        "[" * 100_000,
        "platform,id,author,created_at,text\n",
        '{"platform": "twitter", "id": "1", "author": "a", "created_at": "2020-01-01", "text": "x"}\n',
        '{"id": "1", "account": {"acct": "a", "username": "a"}, "content": "<p>x</p>"}\n',
        '{"limit":{"track":1}}\n',
    ],
)
def test_sniff_rejects_other_text_and_never_raises(head):
    assert PARSER.sniff(head) is False


REAL_FILES = [
    "twitter-v1-rtweet-fixtures/tweets_v1.jsonl",
    "twitter-v1-streaming-barbera/tweets_geo.json",
    "twitter-v1-streaming-barbera/japanese-tweets.json",
    "twitter-tweepy-cassettes/statuses_v1.jsonl",
    "twitter-gnip-formats-tweet_parser/original_format_examples.json",
]


@pytest.mark.parametrize("name", REAL_FILES)
def test_every_real_v1_file_parses_end_to_end(name):
    path = SHARED_DATA / name
    if not path.is_file():
        pytest.skip(f"shared data not present: {path}")
    assert PARSER.sniff(head_of(path))
    items = parse_path(path)
    records = [item for item in items if isinstance(item, MentionRecord)]
    assert len(records) >= 0.98 * len(items)
    assert all(record.author and record.created_at.tzinfo is UTC for record in records)
    assert all(record.repost_of_author for record in records if record.repost_of_id)
    assert all(not record.mentions for record in records if record.kind == "repost")
    # Real data: every error is a streaming notice, never a tweet that failed to parse.
    assert all("notice" in error.reason for error in row_errors(items))
