"""The Twitter API v2 parser, on real twarc2 pages, flattened tweets and tweepy responses."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.ingest.record import FileError, MentionRecord, RowError
from app.ingest.twitter_v2 import PARSER
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


def read_page(name: str, index: int = 0) -> dict:
    return json.loads((V2 / name).read_text(encoding="utf-8").splitlines()[index])


def head_of(path: Path) -> str:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return stream.read(SNIFF_CHARS)


def test_parser_is_registered_under_its_format_name():
    from app.ingest import get_parser

    assert get_parser("twitter-v2") is PARSER
    assert PARSER.name == "twitter-v2" and PARSER.label


@pytest.fixture
def search() -> list:
    return parse_path(V2 / "twarc_search_pages.jsonl")


def test_retweet_resolves_author_and_original_through_includes(search):
    repost = records_by_id(search)["1408876829491015681"]
    assert repost.kind == "repost"
    assert (repost.author, repost.author_name, repost.author_followers) == (
        "unionist_trade",
        "Trade Unionist",
        79,
    )
    assert repost.created_at == datetime(2021, 6, 26, 19, 56, 26, tzinfo=UTC)
    # includes.tweets[id] -> author_id -> includes.users[author_id].username
    assert (repost.repost_of_id, repost.repost_of_author) == (
        "1408678886733451268",
        "MbuyiseniNdlozi",
    )
    assert repost.text.startswith("RT @MbuyiseniNdlozi: Yesterday George Floyd’s murderer")
    assert "#icantbreathe & #BlackLivesMatter protests" in repost.text  # whole, &amp; decoded
    assert repost.mentions == []
    assert repost.tags == ["icantbreathe", "BlackLivesMatter"]
    assert (repost.likes, repost.reposts, repost.replies, repost.views) == (None, None, None, None)
    assert repost.url == "https://twitter.com/unionist_trade/status/1408876829491015681"


def test_quote_that_replies_gets_both_edges(search):
    record = records_by_id(search)["1408876788839763968"]
    assert record.kind == "quote"
    assert (record.quote_of_id, record.quote_of_author) == ("1408654908576894978", "IngColombo")
    assert (record.reply_to_id, record.reply_to_author) == ("1408848277550911489", "FlaDems")
    assert record.mentions == []  # @FlaDems is the reply target
    assert record.lang == "de"


def test_reply_keeps_mentions_other_than_its_target(search):
    reply = records_by_id(search)["1408876714776621058"]
    assert (reply.reply_to_id, reply.reply_to_author) == ("1408571374319378439", "RepKarenBass")
    assert reply.mentions == ["SenateFloor", "CBSThisMorning", "ABC", "NBCNews", "etnow"]
    assert reply.tags == ["BlackLivesMatter", "BLM", "derekchauvin", "NEWS"]


def test_reply_to_a_user_without_a_replied_tweet(search):
    reply = records_by_id(search)["1408875258824716292"]
    assert (reply.reply_to_id, reply.reply_to_author) == (None, "POTUS")
    assert reply.kind == "reply"
    assert reply.mentions == ["ClimateChangeUS"]
    assert reply.author_followers == 0


def test_plain_post_has_public_metrics(search):
    post = records_by_id(search)["1408876564545261570"]
    assert post.kind == "post"
    assert (post.likes, post.reposts, post.replies) == (5, 0, 0)
    assert post.tags == ["EURO2020", "26giugno", "BlackLivesMatter", "iomiinginocchio"]


def test_tweet_whose_author_is_missing_is_a_row_error_on_its_page_line(search):
    (error,) = row_errors(search)
    assert (error.line, error.where) == (2, "data[1]")
    assert error.reason == (
        "tweet 1404393119253250054: author 1358082450635829249 is withheld in IN "
        "and not in includes.users"
    )
    assert records_by_id(search)["1404374446257934336"].author == "irshad_rathi"


def test_flattened_tweets_use_their_embedded_author_and_references():
    records = records_by_id(parse_path(V2 / "twarc_flat.jsonl"))
    repost = records["1380242611781386245"]
    assert (repost.author, repost.author_followers) == ("Alexandravm12", 58)
    assert (repost.repost_of_id, repost.repost_of_author) == (
        "1380175475545362437",
        "williamserafino",
    )
    reply = records["1380242586288328707"]
    assert (reply.reply_to_id, reply.reply_to_author) == ("1380229267770933248", "TalkToTheFoot")
    assert reply.mentions == ["JackPosobiec"]
    quote = records["1380242403009966082"]
    assert (quote.quote_of_id, quote.quote_of_author) == ("1380226330034372610", "Breaking911")
    assert records["1380242597881409537"].mentions == ["gatewaypundit"]


def test_streamed_tweets_and_a_cut_line():
    items = parse_path(V2 / "twarc_streaming_with_error.jsonl")
    quote, reply, error = items
    assert (quote.quote_of_id, quote.quote_of_author) == ("1377640162566496258", "Manie_DS")
    assert (reply.reply_to_author, reply.mentions) == ("PoliceMutual", [])
    assert error.line == 3 and "not valid JSON" in error.reason


def test_small_pages_retweet_and_quote_of_a_reply():
    (repost,) = parse_path(V2 / "twarc_two_tweets.jsonl")
    assert (repost.repost_of_author, repost.text, repost.lang) == (
        "bibaigna96",
        "RT @bibaigna96: #POIUYTREWQ",
        None,  # "und"
    )
    (quote,) = parse_path(V2 / "twarc_quoted_edit.jsonl")
    assert (quote.quote_of_id, quote.quote_of_author) == ("1576994746135764992", "wongmjane")
    assert (quote.reply_to_id, quote.reply_to_author) == ("1576994789110992896", "wongmjane")
    assert (quote.likes, quote.replies) == (1, 1)


def test_a_page_of_users_is_one_row_error():
    assert parse_path(V2 / "twarc_users_page.jsonl") == [
        RowError(1, "this page holds 3 users, not tweets", None)
    ]


def test_tweets_without_author_expansion_are_row_errors():
    items = parse_path(V2 / "tweepy_search_recent.jsonl")
    assert [(error.line, error.where) for error in items] == [
        (1, "data[0]"),
        (1, "data[1]"),
        (1, "data[2]"),
    ]
    assert items[0].reason == (
        "tweet 1578522194770296832: no author_id (request it with expansions=author_id)"
    )


def test_missing_includes_fall_back_to_the_rt_prefix_and_the_quote_link():
    page = read_page("twarc_search_pages.jsonl")
    page["includes"]["tweets"] = []
    records = records_by_id(parse_text(json.dumps(page)))
    assert records["1408876829491015681"].repost_of_author == "MbuyiseniNdlozi"
    quote_page = read_page("twarc_streaming_with_error.jsonl")
    quote_page["includes"]["tweets"] = []
    (quote,) = parse_text(json.dumps(quote_page))
    assert (
        quote.quote_of_author == "Manie_DS"
    )  # from its https://twitter.com/Manie_DS/status/... link


def test_long_note_tweet_text_and_impressions_are_used():
    page = read_page("twarc_search_pages.jsonl")
    tweet = next(t for t in page["data"] if t["id"] == "1408876564545261570")
    tweet["note_tweet"] = {"text": tweet["text"] + " and much more &amp; more", "entities": {}}
    tweet["public_metrics"]["impression_count"] = 1234
    record = records_by_id(parse_text(json.dumps(page)))["1408876564545261570"]
    assert record.text.endswith(" and much more & more")
    assert record.views == 1234


def test_errors_only_lines_empty_pages_and_foreign_lines():
    lines = [
        json.dumps({"errors": [{"title": "operational-disconnect", "detail": "Stream reset"}]}),
        json.dumps({"meta": {"result_count": 0}, "__twarc": {"version": "2.10"}}),
        json.dumps(read_page("twarc_two_tweets.jsonl")),
        (V1 / "tweepy_statuses.jsonl").read_text(encoding="utf-8").splitlines()[0],
        json.dumps({"hello": "world"}),
        "42",
    ]
    items = parse_text("\n".join(lines))
    assert [type(item).__name__ for item in items] == [
        "RowError",
        "MentionRecord",
        "RowError",
        "RowError",
        "RowError",
    ]
    assert items[0] == RowError(
        1, "Twitter API error, no tweets: operational-disconnect: Stream reset", None
    )
    assert items[2].line == 4 and "twitter-v1" in items[2].reason
    assert items[3].reason == "not Twitter v2 data (found: hello)"
    assert items[4].line == 6


def test_json_array_and_pretty_printed_response_carry_where():
    page = read_page("twarc_search_pages.jsonl", 1)
    items = parse_text(json.dumps([page, read_page("twarc_two_tweets.jsonl")], indent=2))
    assert [
        (type(item).__name__, item.line if isinstance(item, RowError) else None) for item in items
    ] == [
        ("MentionRecord", None),
        ("RowError", None),
        ("MentionRecord", None),
    ]
    assert items[1].where == "[0].data[1]"
    single = read_page("twarc_streaming_with_error.jsonl")
    (quote,) = parse_text(json.dumps(single, indent=2))
    assert quote.id == "1377650090978992134"


def test_bad_tweet_fields_are_row_errors():
    page = read_page("twarc_search_pages.jsonl")
    page["data"][0]["created_at"] = "last week"
    del page["data"][1]["created_at"]
    page["data"][2]["author_id"] = "999"
    page["data"][3] = {"id": "5"}
    items = parse_text(json.dumps(page))
    errors = row_errors(items)
    assert [(error.line, error.where) for error in errors] == [
        (1, "data[0]"),
        (1, "data[1]"),
        (1, "data[2]"),
        (1, "data[3]"),
    ]
    assert "created_at 'last week'" in errors[0].reason
    assert errors[1].reason == (
        "tweet 1408876788839763968: no created_at (request it with tweet.fields=created_at)"
    )
    assert errors[2].reason == "tweet 1408876745718108161: author 999 is not in includes.users"
    assert errors[3].reason == "tweet 5: no text"
    assert len(items) == 6


@pytest.mark.parametrize("text", ["id,author\n1,a\n", "<html></html>", ""])
def test_a_file_that_is_not_json_raises_file_error(text):
    with pytest.raises(FileError):
        parse_text(text)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (V1 / "rtweet_search.jsonl", "twitter-v1"),
        (V1 / "gnip_activity_streams.jsonl", "Gnip Activity Streams"),
    ],
)
def test_other_twitter_formats_are_refused(path, message):
    with pytest.raises(FileError, match=message):
        parse_path(path)


@pytest.mark.parametrize("path", sorted(V2.glob("*.jsonl")), ids=lambda path: path.name)
def test_sniff_accepts_v2_files(path):
    assert PARSER.sniff(head_of(path)) is True


@pytest.mark.parametrize("path", sorted(V1.glob("*.jsonl")), ids=lambda path: path.name)
def test_sniff_rejects_v1_and_gnip_files(path):
    assert PARSER.sniff(head_of(path)) is False


def test_sniff_accepts_a_page_longer_than_the_head():
    page = read_page("twarc_search_pages.jsonl")
    page["data"] = page["data"] * 40
    text = json.dumps(page)
    assert len(text) > SNIFF_CHARS
    assert PARSER.sniff(text[:SNIFF_CHARS])


@pytest.mark.parametrize(
    "head",
    [
        "",
        "nonsense",
        "{" * 100_000,
        '{"data": {"children": [{"kind": "t3", "data": {"id": "abc", "title": "x"}}]}}\n',
        '{"response": {"count": 1, "items": [{"id": 1, "from_id": 2, "text": "x"}]}}\n',
        '{"id": "1", "text": "x", "account": {"acct": "a"}}\n',
        '{"platform": "twitter", "id": "1", "author": "a", "created_at": "2021-01-01"}\n',
        '{"name": "Chat", "type": "personal_chat", "id": 1, "messages": []}',
    ],
)
def test_sniff_rejects_other_formats_and_never_raises(head):
    assert PARSER.sniff(head) is False


def test_json_lines_are_read_one_line_at_a_time():
    text = (V2 / "twarc_flat.jsonl").read_text(encoding="utf-8")
    stream = io.StringIO(text)
    first = next(iter(PARSER.parse(stream, "flat.jsonl")))
    assert first.id == "1380242611781386245"
    assert stream.tell() < len(text) / 2


def _real(name: str) -> Path:
    path = SHARED_DATA / name
    if not path.is_file():
        pytest.skip(f"shared data not present: {path}")
    return path


TWARC_FILES = [
    "twarc-csv_brexit.jsonl",
    "twarc-csv_cashtags.jsonl",
    "twarc-csv_cotweet.jsonl",
    "twarc-csv_edited_after.jsonl",
    "twarc-csv_edited_before.jsonl",
    "twarc-csv_entities_test.jsonl",
    "twarc-csv_flat.jsonl",
    "twarc-csv_geo_tweets.jsonl",
    "twarc-csv_kpop.jsonl",
    "twarc-csv_many_urls.jsonl",
    "twarc-csv_media_policy_violation_off.jsonl",
    "twarc-csv_media_tweet.jsonl",
    "twarc-csv_mentions_tweet.jsonl",
    "twarc-csv_noflat.jsonl",
    "twarc-csv_quoted_edit.jsonl",
    "twarc-csv_streaming_output_with_error.jsonl",
    "twarc-csv_two_tweets.jsonl",
    "twarc-csv_verified_type.jsonl",
    "twarc-csv_withheld.jsonl",
    "twarc-network_tweets.jsonl",
]


@pytest.mark.parametrize("name", TWARC_FILES)
def test_every_real_twarc_file_parses_end_to_end(name):
    path = _real(f"twitter-v2-twarc/{name}")
    assert PARSER.sniff(head_of(path))
    items = parse_path(path)
    records = [item for item in items if isinstance(item, MentionRecord)]
    assert records
    assert len(items) - len(records) <= max(1, 0.05 * len(items))
    assert all(record.author and record.created_at.tzinfo is UTC for record in records)
    assert all(record.repost_of_author for record in records if record.repost_of_id)
    assert all(not record.mentions for record in records if record.kind == "repost")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("twitter-v2-twarc/twarc-csv_users.jsonl", "users, not tweets"),
        ("twitter-tweepy-cassettes/responses_v2.jsonl", ""),
    ],
)
def test_real_files_without_usable_tweets_give_only_row_errors(name, reason):
    items = parse_path(_real(name))
    assert items and all(isinstance(item, RowError) for item in items)
    assert all(reason in item.reason for item in items)


def test_flat_and_page_forms_of_the_same_tweets_give_the_same_records():
    flat = records_by_id(parse_path(_real("twitter-v2-twarc/twarc-csv_flat.jsonl")))
    page = records_by_id(parse_path(_real("twitter-v2-twarc/twarc-csv_noflat.jsonl")))
    assert len(flat) == 100
    assert flat == page
