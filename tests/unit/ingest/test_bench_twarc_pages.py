"""The benchmark's synthetic twarc2 pages read back as the posts they were made from."""

import sys
from collections import Counter
from pathlib import Path

from app.ingest import MentionRecord, get_parser, open_text
from graph.synthetic import generate_records

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
import twarc_pages  # noqa: E402


def test_pages_read_back_as_the_generated_posts(tmp_path):
    path = tmp_path / "pages.jsonl"
    written = twarc_pages.write_pages(path, 600, seed=3)
    generated = list(generate_records(120, seed=3, kinds=twarc_pages.DEBATE_KINDS))[:written]
    with open_text(path) as (stream, head, _raw):
        assert get_parser("twitter-v2").sniff(head)
        items = list(get_parser("twitter-v2").parse(stream, str(path)))
    records = {item.id: item for item in items if isinstance(item, MentionRecord)}
    assert len(items) == len(records) == written == 600
    kinds = Counter()
    for row in generated:
        record = records[twarc_pages.tweet_id(row["id"])]
        assert record.author == row["author"] and record.lang == "en"
        assert record.sentiment is None
        assert record.author_followers == int(row["author_followers"])
        kinds[record.kind] += 1
        if record.kind == "repost":
            assert record.repost_of_author == row["repost_of_author"]
            # The original's whole text (a reply's starts with its "@target").
            assert record.text.startswith(f"RT @{row['repost_of_author']}: ")
            assert record.text.endswith(row["text"])
        elif record.kind == "reply":
            assert record.reply_to_author == row["reply_to_author"]
            assert record.text == f"@{row['reply_to_author']} {row['text']}"
        else:
            assert record.text == row["text"]
        if row["repost_of_id"] and record.repost_of_id.startswith("14"):
            assert record.repost_of_id == twarc_pages.tweet_id(row["repost_of_id"])
    # Mostly retweets, as in a debate collection.
    assert 0.45 < kinds["repost"] / written < 0.65
    assert kinds["reply"] and kinds["quote"] and kinds["post"]
