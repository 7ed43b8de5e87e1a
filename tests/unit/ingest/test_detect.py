"""Format detection through the registry, on the fixtures and on every real sample file."""

from pathlib import Path

import pytest

from app.ingest import FORMATS, FileError, MentionRecord, detect_format, get_parser, open_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

EXPECTED = {
    "twitter_v1/rtweet_search.jsonl": "twitter-v1",
    "twitter_v1/streaming_ja.jsonl": "twitter-v1",
    "twitter_v1/gnip_original.jsonl": "twitter-v1",
    "twitter_v2/twarc_search_pages.jsonl": "twitter-v2",
    "twitter_v2/twarc_flat.jsonl": "twitter-v2",
    "mastodon/statuses.jsonl": "mastodon",
    "reddit/things.jsonl": "reddit",
    "vk/hack_it_backend_posts_slice.json": "vk",
    "vk/vknet_Wall_GetComments802.json": "vk",
    "telegram/result.json": "telegram",
}

# Real samples (../shared/data) and the format each must be detected as.
REAL = {
    "twitter-v1-rtweet-fixtures/tweets_v1.jsonl": "twitter-v1",
    "twitter-v1-streaming-barbera/tweets_geo.json": "twitter-v1",
    "twitter-v1-streaming-barbera/japanese-tweets.json": "twitter-v1",
    "twitter-tweepy-cassettes/statuses_v1.jsonl": "twitter-v1",
    "twitter-v2-twarc/twarc-csv_brexit.jsonl": "twitter-v2",
    "twitter-v2-twarc/twarc-csv_kpop.jsonl": "twitter-v2",
    "mastodon-statuses/rtoot_fixture_statuses.jsonl": "mastodon",
    "mastodon-statuses/mastodonpy_entity_test_statuses.jsonl": "mastodon",
    "reddit-praw-cassettes/reddit_things.jsonl.gz": "reddit",
    "vk-wall-samples/hack_it_backend_posts_example_raw.json": "vk",
    "vk-wall-samples/vknet_NewsFeed_Get2.json": "vk",
    "telegram-export-samples/result.json": "telegram",
}


def detected(path: Path) -> str:
    with open_text(path) as (_, head, _raw):
        return detect_format(head)


@pytest.mark.parametrize("name, fmt", sorted(EXPECTED.items()))
def test_fixture_is_detected(name, fmt):
    assert detected(FIXTURES / name) == fmt


def test_gnip_activity_streams_are_not_taken_for_tweets():
    with pytest.raises(FileError):
        detected(FIXTURES / "twitter_v1/gnip_activity_streams.jsonl")


def test_every_format_has_a_parser():
    for name in FORMATS:
        parser = get_parser(name)
        assert parser.name == name and parser.label


@pytest.mark.parametrize("name, fmt", sorted(REAL.items()))
def test_real_samples_are_detected_and_parse_without_error(shared_data, name, fmt):
    path = shared_data / name
    assert detected(path) == fmt
    with open_text(path) as (stream, _, _raw):
        items = list(get_parser(fmt).parse(stream, name))
    records = [item for item in items if isinstance(item, MentionRecord)]
    assert len(records) >= len(items) * 0.5
