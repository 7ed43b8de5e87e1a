"""The generic MentionRecord CSV and JSON Lines parsers."""

import io
import json
from datetime import UTC, datetime

import pytest

from app.ingest import ParseWarning, detect_format
from app.ingest.generic import CSV, JSONL
from app.ingest.record import (
    FileError,
    MentionRecord,
    RowError,
    brand_topic,
    is_topic_word,
    normalize_topic,
    parse_sentiment,
)


def parse(parser, content: str) -> list:
    return list(parser.parse(io.StringIO(content, newline=""), "file.csv"))


def test_csv_reads_every_field():
    content = (
        "platform,id,author,created_at,text,author_followers,reply_to_author,tags,mentions,sentiment,likes\n"
        'Twitter,1,@Anna,2026-11-01T10:00:00,"Hi @bob, #Доставка рулит",1200,carl,promo,dave,0.6,5\n'
    )
    [record] = parse(CSV, content)
    assert isinstance(record, MentionRecord)
    assert record.platform == "twitter"
    assert record.author == "Anna"
    assert record.created_at == datetime(2026, 11, 1, 10, tzinfo=UTC)
    assert record.author_followers == 1200
    assert record.reply_to_author == "carl"
    assert record.mentions == ["bob", "dave"]
    assert record.tags == ["Доставка", "promo"]
    assert (record.sentiment, record.sentiment_score) == ("positive", 0.6)
    assert record.likes == 5
    assert record.kind == "reply"


def test_csv_reports_bad_rows_with_their_line_and_keeps_the_good_ones():
    content = (
        "platform,id,author,created_at,text\n"
        "twitter,1,anna,2026-11-01,ok\n"
        "twitter,2,,2026-11-01,no author\n"
        'twitter,3,bob,yesterday,"multi\nline"\n'
        "twitter,4,carl,2026-11-02,fine\n"
        "twitter,5,dave\n"
    )
    items = parse(CSV, content)
    errors = [item for item in items if isinstance(item, RowError)]
    records = [item for item in items if isinstance(item, MentionRecord)]
    assert [r.id for r in records] == ["1", "4"]
    assert [(e.line, e.reason) for e in errors] == [
        (3, "author is missing"),
        (4, "created_at 'yesterday' is not an ISO 8601 timestamp"),
        (7, "has 3 fields, the header has 5"),
    ]


def test_csv_warns_once_about_unknown_columns():
    items = parse(CSV, "platform,id,author,created_at,text,klout\ntwitter,1,a,2026-01-01,x,5\n")
    assert isinstance(items[0], ParseWarning) and "klout" in items[0].message
    assert isinstance(items[1], MentionRecord)


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "empty"),
        ("id,author,text\n1,a,b\n", "platform, created_at"),
    ],
)
def test_csv_without_required_columns_is_a_file_error(content, message):
    with pytest.raises(FileError, match=message):
        parse(CSV, content)


def test_jsonl_reads_records_and_reports_bad_lines():
    lines = [
        json.dumps(
            {
                "platform": "vk",
                "id": 7,
                "author": "id1",
                "created_at": "2026-11-01T00:00:00+03:00",
                "text": "Привет",
            }
        ),
        "{broken",
        json.dumps(
            {
                "platform": "vk",
                "id": 8,
                "author": "id2",
                "created_at": "2026-11-01",
                "text": "x",
                "sentiment": "awful",
            }
        ),
        json.dumps(
            {
                "platform": "vk",
                "id": 9,
                "author": "id2",
                "created_at": "2026-11-01",
                "text": "x",
                "score": 1,
            }
        ),
    ]
    items = parse(JSONL, "\n".join(lines) + "\n")
    assert items[0].id == "7" and items[0].created_at == datetime(2026, 10, 31, 21, tzinfo=UTC)
    assert isinstance(items[1], RowError) and items[1].line == 2
    assert isinstance(items[2], RowError) and "sentiment 'awful'" in items[2].reason
    assert isinstance(items[3], ParseWarning) and "score" in items[3].message
    assert items[4].id == "9"


def test_jsonl_that_is_not_json_is_a_file_error():
    with pytest.raises(FileError):
        parse(JSONL, "hello world\n")


@pytest.mark.parametrize(
    "value, expected",
    [("positive", ("positive", 1.0)), ("NEG", ("negative", -1.0)), ("0.01", ("neutral", 0.01)),
     (-0.5, ("negative", -0.5)), ("", (None, None)), (None, (None, None))],
)  # fmt: skip
def test_parse_sentiment(value, expected):
    assert parse_sentiment(value) == expected


@pytest.mark.parametrize("value", ["2", "great", "nan"])
def test_parse_sentiment_rejects_nonsense(value):
    with pytest.raises(ValueError):
        parse_sentiment(value)


def test_detection_of_generic_formats():
    assert detect_format("platform,id,author,created_at,text\n") == "csv"
    head = json.dumps(
        {"platform": "x", "id": "1", "author": "a", "created_at": "2026-01-01", "text": ""}
    )
    assert detect_format(head + "\n") == "jsonl"
    with pytest.raises(FileError, match="could not recognise"):
        detect_format("just some words\n")


HEADER = "platform,id,author,created_at,text"


def test_tags_that_are_not_words_are_left_out_with_the_rows_line():
    content = (
        HEADER + ",tags\n"
        "twitter,1,anna,2024-01-01T10:00:00Z,hi,python <svg #ok →\n"
        "twitter,2,bob,2024-01-01T10:00:00Z,hi,c++ r/rstats #covid-19 нейросети\n"
    )
    items = list(CSV.parse(io.StringIO(content), "tags.csv"))
    records = [item for item in items if isinstance(item, MentionRecord)]
    warnings = [item.message for item in items if isinstance(item, ParseWarning)]
    assert [r.tags for r in records] == [
        ["python", "#ok"],
        ["c++", "r/rstats", "#covid-19", "нейросети"],
    ]
    assert warnings == ["line 2: tag(s) '<svg', '→' left out: a tag must be a word"]


def test_a_file_of_junk_tags_gives_a_bounded_number_of_warnings():
    rows = "".join(f"twitter,{i},anna,2024-01-01T10:00:00Z,hi,<b>\n" for i in range(50))
    items = list(CSV.parse(io.StringIO(HEADER + ",tags\n" + rows), "junk.csv"))
    warnings = [item.message for item in items if isinstance(item, ParseWarning)]
    assert (
        len(warnings) == 21
        and warnings[-1] == "30 more row(s) had tags that are not words, left out"
    )
    assert sum(isinstance(item, MentionRecord) for item in items) == 50


@pytest.mark.parametrize(
    "tag, ok",
    [("python", True), ("#Python", True), ("#нейросети", True), ("#नोटबंदी", True),
     ("#<svg", False), ("#", False), ("→", False), ("#_", False), ("<script>", False)],
)  # fmt: skip
def test_is_topic_word(tag, ok):
    assert is_topic_word(tag) is ok


def test_a_brand_term_and_its_hashtag_are_one_topic():
    assert brand_topic("Python") == "#python" == normalize_topic("#python")
    assert brand_topic("Яндекс") == "#яндекс"
    assert brand_topic("Yandex Market") == "yandex market"


def test_a_workspace_may_keep_brand_terms_apart_from_their_hashtags():
    assert brand_topic(" Python ", apart=True) == "python" != normalize_topic("#python")
    assert brand_topic("Яндекс", apart=True) == "яндекс"
    assert brand_topic("Yandex Market", apart=True) == "yandex market"
