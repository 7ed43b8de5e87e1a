"""The VK parser: id/club handles, wiki-markup mentions, reposts, comments, response shapes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from app.ingest.base import ParseWarning
from app.ingest.record import FileError, MentionRecord, RowError
from app.ingest.vk import PARSER, Directory, display_text
from factories import shared_data_files, sniff_head

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
VK = FIXTURES / "vk"
DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"


def parse_file(name: str) -> list:
    """Parse a VK fixture, byte-order mark and all."""
    with (VK / name).open(encoding="utf-8") as stream:
        return list(PARSER.parse(stream, name))


def parse_text(text: str) -> list:
    """Parse a string as a VK file."""
    return list(PARSER.parse(io.StringIO(text), "vk.json"))


def post(**fields) -> dict:
    """Return a minimal wall post with these fields changed."""
    return {
        "id": 7,
        "owner_id": -5,
        "from_id": 42,
        "date": 1592509821,
        "post_type": "post",
        "text": "hello",
    } | fields


def test_community_post_with_wiki_markup_mention():
    first, second = parse_file("hack_it_backend_posts_slice.json")
    assert first.id == "-109125816_519471"
    assert first.author == "club109125816"
    assert first.url == "https://vk.com/wall-109125816_519471"
    assert first.mentions == ["club109125816"]
    assert "группу Фудшеринг Отдам даром еду \n" in first.text
    assert "[club" not in first.text
    assert (first.likes, first.reposts, first.replies, first.views) == (146, 92, 104, 8887)
    assert first.created_at.isoformat() == "2020-06-18T19:50:21+00:00"
    # A user's post on the community's wall: the wall owns the id, the user is the author.
    assert (second.id, second.author) == ("-109125816_520290", "id203608876")
    assert second.author_url == "https://vk.com/id203608876"


def test_markup_forms_become_names_and_id_mentions():
    directory = Directory()
    directory.add("id1", "Павел Дуров", "durov", None)
    text, mentions = display_text(
        "[id1|Павел], [public2|Группа] и [event9?ref=x|Встреча], @id3 (Иван), *club4 (Клуб), "
        "@durov (Дуров), [https://vk.com/about|ссылка] и #тег@club5 &amp; <br>конец",
        directory,
    )
    assert text == ("Павел, Группа и Встреча, Иван, Клуб, Дуров, ссылка и #тег@club5 & \nконец")
    assert mentions == ["id1", "club2", "club9", "id3", "club4"]


def test_hashtags_lose_their_community_suffix():
    [record] = parse_text(json.dumps({"response": {"items": [post(text="#скидки@shop и #new")]}}))
    assert record.tags == ["скидки", "new"]


def test_repost_names_the_original_and_shows_its_text():
    [record] = parse_file("vknet_Wall_Get_Geo_NormalCase.json")
    assert record.kind == "repost"
    assert record.id == "1563369_1164"
    assert record.author == "id1563369"
    assert record.repost_of_id == "-42895313_128"
    assert record.repost_of_author == "club42895313"
    assert record.text == "Мы оформляем храм...\n#пасха #весна #праздник #цветы #храм"
    assert record.tags == ["пасха", "весна", "праздник", "цветы", "храм"]
    assert record.mentions == []


def test_comments_reply_to_the_post_and_deleted_ones_are_rejected():
    first, deleted, third = parse_file("vknet_Wall_GetComments802.json")
    assert first.id == "-69459624_482124"
    assert first.author == "id287979664"
    assert first.kind == "reply"
    assert first.reply_to_id == "-69459624_482121"
    assert first.url == "https://vk.com/wall-69459624_482121?reply=482124"
    assert first.text == "Текст 1го комментария"
    assert deleted == RowError(None, "comment deleted", "response.items[1]")
    assert third.reply_to_id == "-69459624_482121"


def test_comment_reply_to_a_user_and_a_comment_and_its_thread():
    comment = {
        "id": 73674,
        "owner_id": -1,
        "post_id": 73600,
        "from_id": 233754083,
        "date": 1534927387,
        "text": "[id6099|Дмитрий], согласен",
        "reply_to_user": 6099,
        "reply_to_comment": 73673,
        "thread": {
            "count": 1,
            "items": [
                {
                    "id": 73675,
                    "owner_id": -1,
                    "post_id": 73600,
                    "from_id": -7,
                    "date": 1534927400,
                    "text": "ответ",
                    "parents_stack": [73674],
                },
            ],
        },
    }
    reply, nested = parse_text(json.dumps({"response": {"items": [comment]}}))
    assert reply.id == "-1_73674"
    assert reply.reply_to_id == "-1_73673"
    assert reply.reply_to_author == "id6099"
    assert reply.mentions == ["id6099"]
    assert reply.text == "Дмитрий, согласен"
    assert reply.replies == 1
    assert (nested.id, nested.author, nested.reply_to_id) == ("-1_73675", "club7", "-1_73674")


def test_comment_without_its_wall_has_no_global_id():
    [error] = parse_file("vknet_Wall_GetComment_ReturnCorrectResults.json")
    assert isinstance(error, RowError)
    assert error.where == "response.items[0]"
    assert "no owner_id" in error.reason


def test_file_with_a_byte_order_mark_and_html_entities():
    [record] = parse_file("vknet_NewsFeed_Search_Coordinates_Exception.json")
    assert (VK / "vknet_NewsFeed_Search_Coordinates_Exception.json").read_bytes()[:3] == (
        b"\xef\xbb\xbf"
    )
    assert record.id == "-168119259_5225"
    assert record.text.startswith("✈️ Вильнюс (Литва) → Прага (Чехия)")


def test_newsfeed_post_and_skipped_non_posts():
    record, warning = parse_file("vknet_NewsFeed_Get.json")
    assert record.id == "-106879986_32860"
    assert record.author == "club106879986"
    assert record.views == 4
    assert warning == ParseWarning("skipped newsfeed items that are not posts: 1 wall_photo")


def test_profiles_and_groups_label_the_author():
    response = {
        "items": [post(owner_id=-9, from_id=-9), post(id=8, owner_id=3, from_id=3)],
        "groups": [{"id": 9, "name": "Клуб", "screen_name": "theclub", "members_count": 120}],
        "profiles": [{"id": 3, "first_name": "Иван", "last_name": "Иванов", "screen_name": "ivan"}],
    }
    group_post, user_post = parse_text(json.dumps({"response": response}))
    assert (group_post.author, group_post.author_name) == ("club9", "Клуб")
    assert (group_post.author_followers, group_post.author_url) == (120, "https://vk.com/theclub")
    assert (user_post.author, user_post.author_name) == ("id3", "Иван Иванов")


def test_response_without_posts_warns():
    assert parse_file("vknet_Wall_Repost_ReturnCorrectResults.json") == [
        ParseWarning("the VK response holds no posts or comments")
    ]


@pytest.mark.parametrize(
    "document",
    [
        {"response": [2, post(), post(id=8)]},
        {"response": {"count": 2, "items": [post(), post(id=8)]}},
        {"count": 2, "items": [post(), post(id=8)]},
        [post(), post(id=8)],
    ],
    ids=["old-style", "items", "unwrapped", "bare-array"],
)
def test_response_shapes(document):
    records = parse_text(json.dumps(document, ensure_ascii=False, indent=2))
    assert [record.id for record in records] == ["-5_7", "-5_8"]


def test_json_lines_of_responses():
    lines = [json.dumps({"response": {"items": [post()]}}), json.dumps(post(id=8)), "{oops"]
    first, second, error = parse_text("\n".join(lines))
    assert (first.id, second.id) == ("-5_7", "-5_8")
    assert (error.line, error.reason[:14]) == (3, "not valid JSON")


def test_old_api_to_id_and_reply_post():
    item = {
        "id": 3,
        "to_id": 10,
        "from_id": 11,
        "date": 1,
        "post_type": "reply",
        "text": "",
        "reply_owner_id": 10,
        "reply_post_id": 2,
    }
    [record] = parse_text(json.dumps({"response": [1, item]}))
    assert (record.id, record.author, record.reply_to_id) == ("10_3", "id11", "10_2")


def test_error_response_raises_with_the_api_message():
    error = {"error": {"error_code": 5, "error_msg": "User authorization failed: invalid token"}}
    with pytest.raises(FileError, match="VK API error 5: User authorization failed"):
        parse_text(json.dumps(error, indent=2))


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ({"id": 1, "from_id": 2, "date": 3, "text": "x"}, "no owner_id"),
        (post(date=None), "has no date"),
        (post(date="soon"), "is not a Unix timestamp"),
        (post(id=None), "post has no id"),
        ("text", "not a VK post or comment"),
    ],
)
def test_bad_item_is_reported_and_the_rest_is_read(item, reason):
    items = parse_text(json.dumps({"response": {"items": [post(), item, post(id=9)]}}, indent=2))
    assert isinstance(items[0], MentionRecord)
    assert isinstance(items[1], RowError)
    assert (items[1].line, items[1].where) == (None, "response.items[1]")
    assert reason in items[1].reason
    assert isinstance(items[2], MentionRecord)


@pytest.mark.parametrize("junk", ["", "   \n", "привет", '{"response": {"items": [', "\ufeff{"])
def test_junk_file_raises_file_error(junk):
    with pytest.raises(FileError):
        parse_text(junk)


@pytest.mark.parametrize("path", sorted(VK.glob("*.json")), ids=lambda p: p.name)
def test_sniff_accepts_its_fixtures(path):
    assert PARSER.sniff(path.read_text(encoding="utf-8")[:65536])


@pytest.mark.parametrize(
    "head",
    [
        '{"id_str": "1", "user": {"screen_name": "a"}, "text": "hi", "created_at": "x"}',
        '{"data": [{"id": "1", "text": "hi"}], "includes": {"users": []}}',
        '{"platform": "vk", "id": "1_2", "author": "id1", "created_at": "2024-01-01",'
        ' "text": "hi", "owner_id": 1, "date": 1}',
        "",
        "\x00\x01",
        "{" * 5000,
    ],
)
def test_sniff_rejects_other_formats_and_junk(head):
    assert PARSER.sniff(head) is False


@pytest.mark.parametrize(
    "other", ["mastodon/statuses.jsonl", "reddit/things.jsonl", "telegram/result.json"]
)
def test_sniff_rejects_sibling_fixtures(other):
    assert PARSER.sniff((FIXTURES / other).read_text(encoding="utf-8")[:65536]) is False


@pytest.mark.parametrize("path", shared_data_files(), ids=lambda p: str(p.relative_to(DATA)))
def test_sniff_on_shared_data(path):
    assert PARSER.sniff(sniff_head(path)) == (path.parent.name == "vk-wall-samples")


@pytest.mark.skipif(not DATA.is_dir(), reason="shared data folder not present")
def test_every_real_file_parses():
    records, errors = [], []
    for path in sorted((DATA / "vk-wall-samples").glob("*.json")):
        with path.open(encoding="utf-8") as stream:  # BOM left in: the parser copes
            for item in PARSER.parse(stream, path.name):
                (records if isinstance(item, MentionRecord) else errors).append(item)
    rejected = [item for item in errors if isinstance(item, RowError)]
    # Two comment files lack owner_id (3 comments) and one comment is deleted.
    assert len(rejected) == 4
    assert len(records) == 31
    assert all(record.author[:2] == "id" or record.author[:4] == "club" for record in records)
    assert all("_" in record.id for record in records)
