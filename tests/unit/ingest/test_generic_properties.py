"""Property tests for the generic parsers: any text survives, no input crashes them."""

import csv
import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from app.ingest.base import ParseWarning
from app.ingest.generic import CSV, JSONL
from app.ingest.record import FileError, MentionRecord, RowError

texts = st.text(max_size=300)  # any Unicode: Cyrillic, emoji, RTL marks, NULs, new lines


@settings(max_examples=150, deadline=None)
@given(texts, st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=20))
def test_any_text_survives_a_csv_round_trip(text, author):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["platform", "id", "author", "created_at", "text"])
    writer.writerow(["twitter", "1", author, "2026-11-01T10:00:00Z", text])
    [record] = list(CSV.parse(io.StringIO(buffer.getvalue(), newline=""), "f.csv"))
    assert isinstance(record, MentionRecord)
    assert record.text == text.replace("\x00", "\ufffd") and record.author == author  # no NUL stored


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=6))
def test_garbage_lines_never_crash_the_jsonl_parser(lines):
    content = "\n".join([json.dumps({"platform": "x", "id": "1", "author": "a",
                                     "created_at": "2026-01-01", "text": ""})] + lines)  # fmt: skip
    items = list(JSONL.parse(io.StringIO(content), "f.jsonl"))
    assert all(isinstance(item, MentionRecord | RowError | ParseWarning) for item in items)
    assert isinstance(items[0], MentionRecord)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_garbage_never_crashes_the_csv_parser(content):
    try:
        items = list(CSV.parse(io.StringIO("platform,id,author,created_at,text\n" + content, newline=""), "f"))
    except FileError:
        return
    assert all(isinstance(item, MentionRecord | RowError | ParseWarning) for item in items)
