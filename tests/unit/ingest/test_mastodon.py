"""The Mastodon status parser: global identity, reblogs, replies, mentions, HTML text."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from app.ingest.base import ParseWarning
from app.ingest.mastodon import PARSER, full_acct
from app.ingest.record import FileError, MentionRecord, RowError
from factories import shared_data_files, sniff_head

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
STATUSES = FIXTURES / "mastodon" / "statuses.jsonl"
DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"

REBLOG = "https://social.tchncs.de/users/chainsawriot/statuses/109302355966430559/activity"
REPLY_TO_LOCAL = "https://social.tchncs.de/users/chainsawriot/statuses/109303330123967399"
LOCAL_PARENT = "https://social.tchncs.de/users/0xba/statuses/109303309876585639"
REPLY_TO_REMOTE = "https://social.tchncs.de/users/chainsawriot/statuses/109297423401070470"
SELF_REPLY = "https://social.tchncs.de/users/chainsawriot/statuses/109333002065949660"
FLOW = "https://mstdn.social/users/flow/statuses/109296144336690325"
MITTFH = "https://mastodon.lol/users/mittfh/statuses/109298444020587141"
UNRESOLVABLE = "https://social.linux.pizza/users/jackie/statuses/109297442415004507"
LOCAL_AUTHOR = "https://mastodon.social/users/linfavourite/statuses/109381959558229264"
QUOTE = "https://icosahedron.website/users/halcy/statuses/116386066936197501"


def parse_text(text: str) -> list:
    """Parse a string as a Mastodon file."""
    return list(PARSER.parse(io.StringIO(text), "statuses.jsonl"))


def fixture_lines() -> list[str]:
    """Return the fixture's lines."""
    return STATUSES.read_text(encoding="utf-8").splitlines()


def status(uri: str) -> dict:
    """Return the fixture status with this uri."""
    for line in fixture_lines():
        item = json.loads(line)
        if item["uri"] == uri:
            return item
    raise KeyError(uri)


@pytest.fixture
def records() -> dict[str, MentionRecord]:
    """Return the fixture's records by id."""
    with STATUSES.open(encoding="utf-8") as stream:
        items = list(PARSER.parse(stream, STATUSES.name))
    assert all(isinstance(item, MentionRecord) for item in items), items
    return {item.id: item for item in items}


def test_every_fixture_status_becomes_a_record(records):
    assert len(records) == len(fixture_lines())
    assert {record.platform for record in records.values()} == {"mastodon"}


def test_reblog_is_a_repost_of_the_reblogged_status(records):
    record = records[REBLOG]
    assert record.kind == "repost"
    assert record.author == "chainsawriot@social.tchncs.de"
    assert record.repost_of_id == "https://fosstodon.org/users/JBGruber/statuses/109302082337396296"
    assert record.repost_of_author == "JBGruber@fosstodon.org"
    assert record.text == "my first rtoot from #rstats :)\n\nhttps://github.com/schochastics/rtoot"
    assert record.tags == ["rstats"]
    assert record.mentions == []


def test_reply_to_a_local_account_gets_author_and_derived_uri(records):
    record = records[REPLY_TO_LOCAL]
    assert record.kind == "reply"
    assert record.reply_to_author == "0xba@social.tchncs.de"
    assert record.reply_to_id == LOCAL_PARENT
    assert LOCAL_PARENT in records  # the derived uri is the parent's real id
    assert record.text == "@0xba https://github.com/schochastics/rtoot"


def test_reply_to_a_remote_account_keeps_the_author_but_no_local_id(records):
    record = records[REPLY_TO_REMOTE]
    assert record.reply_to_author == "JaMoEberl@mastodon.wurzelmann.at"
    assert record.reply_to_id is None
    assert record.kind == "reply"


def test_reply_finds_a_remote_parent_in_the_same_file(records):
    record = records[MITTFH]
    assert record.reply_to_id == FLOW
    assert record.reply_to_author == "flow@mstdn.social"


def test_reply_waits_for_a_parent_further_down():
    lines = fixture_lines()
    child = next(line for line in lines if MITTFH in line)
    parent = next(line for line in lines if f'"uri": "{FLOW}"' in line)
    items = {item.id: item for item in parse_text(child + "\n" + parent + "\n")}
    assert set(items) == {FLOW, MITTFH}
    assert items[MITTFH].reply_to_id == FLOW


def test_unresolvable_reply_keeps_no_instance_local_ids(records):
    record = records[UNRESOLVABLE]
    assert status(UNRESOLVABLE)["in_reply_to_id"] == "109294719267373593"
    assert record.reply_to_id is None
    assert record.reply_to_author is None


def test_self_reply_resolves_to_the_author(records):
    record = records[SELF_REPLY]
    assert record.reply_to_author == record.author == "chainsawriot@social.tchncs.de"
    assert record.reply_to_id == (
        "https://social.tchncs.de/users/chainsawriot/statuses/109332950244519108"
    )


def test_spoiler_text_comes_first(records):
    assert records[SELF_REPLY].text.startswith("Die deutsche Sprache\n\nAlso, I lament")


def test_mentions_are_full_accts_with_domains(records):
    assert status(MITTFH)["mentions"][2]["acct"] == "Gargron"  # local to the serving server
    assert records[MITTFH].mentions == [
        "flow@mstdn.social",
        "austinkocher@mastodon.social",
        "Gargron@mastodon.social",
        "Mastodon@mastodon.social",
    ]


def test_local_author_gets_the_domain_of_its_profile_url(records):
    assert status(LOCAL_AUTHOR)["account"]["acct"] == "linfavourite"
    record = records[LOCAL_AUTHOR]
    assert record.author == "linfavourite@mastodon.social"
    assert record.author_name == "linfaovurite"
    assert record.author_followers == 44
    assert record.author_url == "https://mastodon.social/@linfavourite"


def test_html_content_becomes_plain_text_with_tags(records):
    record = records[LOCAL_AUTHOR]
    assert record.text == (
        "其實廢台派要指教馬來西亞政治可以考慮用馬來文或英文。\n\n"
        "馬華人只佔馬來西亞20%人口，要指教可以指教最多的馬來人。\n\n#比較爽啊lol"
    )
    assert record.tags == ["比較爽啊lol"]
    assert record.lang == "en"
    assert record.url == "https://mastodon.social/@linfavourite/109381959558229264"


def test_counts_and_time(records):
    record = records[FLOW]
    assert (record.likes, record.reposts, record.replies) == (1, 1, 2)
    assert record.created_at.isoformat() == "2022-11-06T09:26:51+00:00"


def test_quote_names_the_quoted_status(records):
    record = records[QUOTE]
    assert record.kind == "quote"
    assert (
        record.quote_of_id == "https://icosahedron.website/users/halcy/statuses/101256876982565163"
    )
    assert record.quote_of_author == "halcy@icosahedron.website"
    assert record.text.startswith("politics, hungary\n\nRE: https://icosahedron.website/")


def _array(items: list[dict]) -> str:
    return json.dumps(items, indent=2)


def _context(items: list[dict]) -> str:
    return json.dumps({"ancestors": items[:1], "descendants": items[1:]}, indent=2)


def _events(items: list[dict]) -> str:
    return "\n".join(json.dumps({"event": "update", "payload": json.dumps(i)}) for i in items)


@pytest.mark.parametrize("render", [_array, _context, _events], ids=["array", "context", "stream"])
def test_other_json_shapes(render):
    items = [status(FLOW), status(MITTFH)]
    records = {record.id: record for record in parse_text(render(items))}
    assert set(records) == {FLOW, MITTFH}
    assert records[MITTFH].reply_to_id == FLOW


def test_single_pretty_printed_status():
    [record] = parse_text(json.dumps(status(LOCAL_AUTHOR), indent=2))
    assert record.author == "linfavourite@mastodon.social"


def _without(key: str) -> str:
    item = status(FLOW)
    del item[key]
    return json.dumps(item)


def _local_without_url() -> str:
    item = status(LOCAL_AUTHOR)
    item["account"]["url"] = item["url"] = None
    item["uri"] = "urn:example:1"  # a uri without a host to take the domain from
    return json.dumps(item)


def _bad_date() -> str:
    item = status(FLOW)
    item["created_at"] = "yesterday"
    return json.dumps(item)


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ('{"id": "1", "uri": ', "not valid JSON"),
        (_without("uri"), "status has no uri"),
        (_without("account"), "status has no account.acct"),
        (_without("created_at"), "status has no created_at"),
        (_local_without_url(), "no domain"),
        (_bad_date(), "'yesterday' is not an ISO 8601 timestamp"),
        ("[1]", "not a Mastodon status object"),
    ],
)
def test_bad_row_is_reported_and_the_rest_is_read(bad_line, reason):
    good = json.dumps(status(LOCAL_AUTHOR))
    items = parse_text(f"{good}\n{bad_line}\n{good}\n")
    assert isinstance(items[0], MentionRecord)
    assert isinstance(items[1], RowError)
    assert items[1].line == 2
    assert reason in items[1].reason
    assert isinstance(items[2], MentionRecord)


@pytest.mark.parametrize(
    "junk",
    ["", "\n\n", "hello, world\n", "id,uri\n1,2\n", '{"statuses_count": 3,\n "x": 1}', "{broken"],
)
def test_junk_file_raises_file_error(junk):
    with pytest.raises(FileError):
        parse_text(junk)


def test_full_acct():
    assert full_acct("@alice", "https://Example.Social/@alice") == "alice@example.social"
    assert full_acct("bob@Remote.Example", None) == "bob@remote.example"
    assert full_acct("carol") is None
    assert full_acct(None) is None


def test_sniff_accepts_its_fixture_even_cut_mid_line():
    head = STATUSES.read_text(encoding="utf-8")[:5000]
    assert PARSER.sniff(head)


@pytest.mark.parametrize(
    "head",
    [
        '{"id_str": "1", "user": {"screen_name": "a"}, "text": "hi", "created_at": "x"}',
        '{"data": [{"id": "1", "text": "hi"}], "includes": {"users": []}}',
        '{"platform": "mastodon", "id": "1", "author": "a@b.c", "created_at": "2024-01-01",'
        ' "text": "hi", "uri": "x", "acct": "a", "content": ""}',
        "",
        "{",
        "\x00\x01",
        "[" * 5000,
    ],
)
def test_sniff_rejects_other_formats_and_junk(head):
    assert PARSER.sniff(head) is False


@pytest.mark.parametrize("other", ["reddit/things.jsonl", "telegram/result.json"])
def test_sniff_rejects_sibling_fixtures(other):
    assert PARSER.sniff((FIXTURES / other).read_text(encoding="utf-8")[:65536]) is False


@pytest.mark.parametrize("path", shared_data_files(), ids=lambda p: str(p.relative_to(DATA)))
def test_sniff_on_shared_data(path):
    assert PARSER.sniff(sniff_head(path)) == (path.parent.name == "mastodon-statuses")


@pytest.mark.skipif(not DATA.is_dir(), reason="shared data folder not present")
@pytest.mark.parametrize(
    "name", sorted(p.name for p in (DATA / "mastodon-statuses").glob("*.jsonl"))
)
def test_every_real_file_parses(name):
    path = DATA / "mastodon-statuses" / name
    with path.open(encoding="utf-8") as stream:
        items = list(PARSER.parse(stream, name))
    with path.open(encoding="utf-8") as stream:
        lines = sum(1 for line in stream if line.strip())
    assert not [item for item in items if isinstance(item, RowError | ParseWarning)]
    assert len(items) == lines
    assert all("@" in item.author and item.id.startswith("https://") for item in items)


def test_a_stream_event_name_that_is_not_text_is_skipped():
    """An array where the event's name belongs is not a status event (it raised TypeError)."""
    lines = [json.dumps({"event": ["update"], "payload": json.dumps(status(FLOW))}),
             json.dumps({"event": "update", "payload": json.dumps(status(MITTFH))})]  # fmt: skip
    records = [item for item in parse_text("\n".join(lines)) if isinstance(item, MentionRecord)]
    assert [record.id for record in records] == [MITTFH]
