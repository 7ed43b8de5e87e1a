"""The Telegram Desktop export parser: authors, channels, forwards, replies, entities."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from app.ingest.base import ParseWarning
from app.ingest.record import FileError, MentionRecord, RowError
from app.ingest.telegram import PARSER, plain_text
from factories import records_by_id, shared_data_files, sniff_head

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
RESULT = FIXTURES / "telegram" / "result.json"
DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"


def parse_text(text: str) -> list:
    """Parse a string as a Telegram export."""
    return list(PARSER.parse(io.StringIO(text), "result.json"))


def message(number: int, **fields) -> dict:
    """Return a minimal exported message with these fields changed."""
    return {
        "id": number,
        "type": "message",
        "date": "2026-02-01T09:00:00",
        "date_unixtime": str(1769936400 + number),
        "text": f"message {number}",
    } | fields


def channel(messages: list[dict], **fields) -> dict:
    """Return a channel export holding these messages."""
    return {
        "name": "Brand News",
        "type": "public_channel",
        "id": 1500,
        "messages": messages,
    } | fields


@pytest.fixture
def items() -> list:
    """Return everything the parser yields for the fixture."""
    with RESULT.open(encoding="utf-8") as stream:
        return list(PARSER.parse(stream, RESULT.name))


@pytest.fixture
def records(items) -> dict[str, MentionRecord]:
    """Return the fixture's records by id."""
    return records_by_id(items)


def test_messages_become_records_and_service_messages_one_warning(items, records):
    assert len(records) == 25
    assert not [item for item in items if isinstance(item, RowError)]
    warnings = [item for item in items if isinstance(item, ParseWarning)]
    assert warnings == [
        ParseWarning("skipped 62 messages that are not posts (61 service, 1 unsupported)")
    ]


def test_author_text_entities_and_reactions(records):
    record = records["10001/1"]
    assert (record.author, record.author_name) == ("user777000", "Me")
    assert record.text == "Base text with entities"
    assert record.mentions == ["alice"]
    assert record.likes == 2 + 1 + 3
    assert record.created_at.isoformat() == "2026-02-01T09:00:00+00:00"
    assert record.url is None  # a personal chat has no public link


def test_forwarded_reply_across_chats(records):
    record = records["10001/2"]
    assert record.kind == "repost"
    assert record.repost_of_author == "channel500"
    # reply_to_peer_id is only exported when the replied message is in another chat.
    assert record.reply_to_id == "777000/1"
    assert record.reply_to_author is None


def test_channel_posts_are_authored_by_the_channel():
    first = message(
        1,
        **{"from": "Brand News", "from_id": "channel1500"},
        text=[
            "Hi ",
            {"type": "mention", "text": "@bob"},
            " and ",
            {"type": "mention_name", "text": "Carol", "user_id": 42},
            " ",
            {"type": "hashtag", "text": "#launch"},
        ],
    )
    old_style = message(2, text="thanks", reply_to_message_id=1)  # older exports: no from_id
    service = {"id": 3, "type": "service", "action": "pin_message", "message_id": 1}
    forward = message(4, forwarded_from="Some  Person", reactions=[{"type": "emoji", "count": 5}])
    items = parse_text(json.dumps(channel([first, old_style, service, forward]), indent=1))
    post, reply, fwd, warning = items
    assert (post.id, post.author, post.author_name) == ("1500/1", "channel1500", "Brand News")
    assert post.text == "Hi @bob and Carol #launch"
    assert (post.mentions, post.tags) == (["bob", "user42"], ["launch"])
    assert (reply.author, reply.author_name) == ("channel1500", "Brand News")
    assert (reply.reply_to_id, reply.reply_to_author) == ("1500/1", "channel1500")
    assert (fwd.kind, fwd.repost_of_author, fwd.likes) == ("repost", "Some Person", 5)
    assert warning == ParseWarning("skipped 1 messages that are not posts (1 service)")


def test_reply_in_a_group_names_the_parent_author():
    chat = {
        "name": "Team",
        "type": "private_supergroup",
        "id": 77,
        "messages": [
            message(1, **{"from": "Ann", "from_id": "user1"}),
            message(2, **{"from": "Bob", "from_id": "user2"}, reply_to_message_id=1),
            message(3, **{"from": "Bob", "from_id": "user2"}, reply_to_message_id=99),
        ],
    }
    _, reply, orphan = parse_text(json.dumps(chat))
    assert (reply.reply_to_id, reply.reply_to_author) == ("77/1", "user1")
    assert (orphan.reply_to_id, orphan.reply_to_author) == ("77/99", None)


def test_text_entities_win_over_the_text_list():
    item = message(
        1,
        from_id="user1",
        text=["see ", {"type": "mention", "text": "@old"}],
        text_entities=[
            {"type": "plain", "text": "see "},
            {"type": "mention", "text": "@new"},
            {"type": "hashtag", "text": "#tag"},
        ],
    )
    [record] = parse_text(json.dumps(channel([item], type="private_group")))
    assert (record.text, record.mentions, record.tags) == ("see @old", ["new"], ["tag"])


def test_date_without_unixtime_and_numeric_from_id():
    item = message(1, from_id=12345)
    del item["date_unixtime"]
    [record] = parse_text(json.dumps(channel([item], type="personal_chat")))
    assert record.author == "user12345"
    assert record.created_at.isoformat() == "2026-02-01T09:00:00+00:00"


def test_full_account_export_reads_every_chat():
    group = {
        "name": "G",
        "type": "private_group",
        "id": 5,
        "messages": [message(1, from_id="user1"), message(2)],
    }
    document = {
        "about": "Here is the data you requested.",
        "personal_information": {"user_id": 1, "first_name": "Ann"},
        "chats": {"about": "...", "list": [channel([message(1)]), group]},
        "left_chats": {"list": [channel([message(9)], id=1600)]},
    }
    items = parse_text(json.dumps(document, indent=2))
    assert [getattr(item, "id", None) for item in items] == ["1500/1", "5/1", None, "1600/9"]
    assert items[2] == RowError(
        None, "message 2 has no from_id (and the chat is no channel)", "chats.list[1].messages[1]"
    )


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (message(2, from_id="user1") | {"id": None}, "message has no id"),
        (message(2), "has no from_id"),
        (message(2, from_id="user1", date_unixtime="soon"), "is not a Unix timestamp"),
        (
            {k: v for k, v in message(2, from_id="user1").items() if not k.startswith("date")},
            "message has no date",
        ),
        ("not a message", "not a Telegram message"),
    ],
)
def test_bad_message_is_reported_and_the_rest_is_read(bad, reason):
    chat = {
        "name": "G",
        "type": "private_group",
        "id": 5,
        "messages": [message(1, from_id="user1"), bad, message(3, from_id="user1")],
    }
    first, error, last = parse_text(json.dumps(chat, indent=2))
    assert isinstance(first, MentionRecord) and isinstance(last, MentionRecord)
    assert (error.line, error.where) == (None, "messages[1]")
    assert reason in error.reason


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "plain text",
        '{"name": "x", "type": "personal_chat"}',
        "[1, 2]",
        '{"messages": [',
        '{"id": 1}\n{"id": 2}',
    ],
)
def test_junk_file_raises_file_error(junk):
    with pytest.raises(FileError):
        parse_text(junk)


def test_plain_text_of_mixed_parts():
    assert plain_text(["a", {"type": "bold", "text": "b"}, {"type": "x"}, 3, "c"]) == "abc"
    assert plain_text(None) == ""


def test_sniff_accepts_its_fixture_and_a_full_export_head():
    assert PARSER.sniff(RESULT.read_text(encoding="utf-8")[:2000])
    assert PARSER.sniff('{\n "about": "Here is the data",\n "personal_information": {\n')


@pytest.mark.parametrize(
    "head",
    [
        '{"id_str": "1", "user": {"screen_name": "a"}, "text": "hi", "created_at": "x"}',
        '{"data": [{"id": "1", "text": "hi"}], "includes": {"users": []}}',
        '{"platform": "telegram", "id": "1/2", "author": "user1", "created_at": "2024-01-01",'
        ' "text": "hi"}',
        "",
        "\x00\x01",
        "{" * 5000,
    ],
)
def test_sniff_rejects_other_formats_and_junk(head):
    assert PARSER.sniff(head) is False


@pytest.mark.parametrize("other", ["mastodon/statuses.jsonl", "reddit/things.jsonl"])
def test_sniff_rejects_sibling_fixtures(other):
    assert PARSER.sniff((FIXTURES / other).read_text(encoding="utf-8")[:65536]) is False


@pytest.mark.parametrize("path", shared_data_files(), ids=lambda p: str(p.relative_to(DATA)))
def test_sniff_on_shared_data(path):
    assert PARSER.sniff(sniff_head(path)) == (path.parent.name == "telegram-export-samples")


@pytest.mark.skipif(not DATA.is_dir(), reason="shared data folder not present")
def test_the_real_export_parses():
    path = DATA / "telegram-export-samples" / "result.json"
    with path.open(encoding="utf-8") as stream:
        items = list(PARSER.parse(stream, path.name))
    records = [item for item in items if isinstance(item, MentionRecord)]
    assert len(records) == 25  # SOURCE.txt: 87 messages, of which 62 service/unsupported
    assert all(record.id.startswith("10001/") for record in records)
    assert not [item for item in items if isinstance(item, RowError)]


def test_a_chat_type_that_is_not_text_is_read_as_not_a_channel():
    """Found by the import's property test: a list where the chat type belongs raised
    TypeError (a list cannot be looked up in a set) and cost the whole file."""
    items = parse_text(json.dumps(channel([message(1, **{"from": "Anna", "from_id": "user7"})], type=[1])))
    (post,) = items
    assert (post.author, post.text) == ("user7", "message 1")
