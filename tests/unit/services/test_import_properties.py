"""Property tests of the whole import (issue 10): real sample files of every format, one value
swapped for a bad one, go through the import; nothing escapes, and every row the parser read
is imported, a duplicate or rejected (imported + duplicates + rejected = rows read)."""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.ingest import get_parser, open_text
from app.ingest.record import MentionRecord, RowError
from app.services import ingest
from factories import make_workspace

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SAMPLES = {
    "twitter-v1": ["twitter_v1/tweepy_statuses.jsonl", "twitter_v1/rtweet_search.jsonl"],
    "twitter-v2": ["twitter_v2/twarc_flat.jsonl", "twitter_v2/twarc_two_tweets.jsonl"],
    "mastodon": ["mastodon/statuses.jsonl"],
    "reddit": ["reddit/things.jsonl"],
    "telegram": ["telegram/result.json"],
    "vk": ["vk/hack_it_backend_posts_slice.json", "vk/vknet_Wall_GetComments802.json"],
}
DEEP = "\u0000deep\u0000"  # stands for a value nested 5,000 deep (json.dumps cannot write it)
BAD_VALUES = [
    [1], {"a": 1}, 1e20, 2**64, 10**30, -1, "1e400", float("inf"), None, True, "", 0,
    "0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-05:00", "9999-12-31T00:00:00Z",
    "\ud800", "x\udfffy", DEEP, "a" * 30_000, "Привет\u0000мир",
]  # fmt: skip
_slugs = itertools.count()


def leaves(value, path=()):
    """Yield the path of every scalar in a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path


def replaced(value, path, new):
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = replaced(value[path[0]], path[1:], new)
    return copy


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=True).replace(
        json.dumps(DEEP), "[" * 5_000 + "]" * 5_000
    )


def mutated_json(text: str, choice: int, bad) -> str:
    """Swap the ``choice``-th scalar (counted over the whole file) for ``bad``."""
    stripped = text.strip()
    if not stripped.startswith("{") or "\n{" not in stripped:  # one document
        values, joiner = [json.loads(text)], None
    else:
        values, joiner = [json.loads(line) for line in text.splitlines() if line.strip()], "\n"
    paths = [(i, path) for i, value in enumerate(values) for path in leaves(value)]
    index, path = paths[choice % len(paths)]
    values[index] = replaced(values[index], path, bad)
    if joiner is None:
        return dumps(values[0])
    return "\n".join(dumps(value) for value in values) + "\n"


def rows_read(path: Path, fmt: str) -> int:
    """Return how many rows the parser yields for a file: records and rejected rows."""
    with open_text(path) as (stream, _head, _raw):
        return sum(
            isinstance(item, MentionRecord | RowError)
            for item in get_parser(fmt).parse(stream, path.name)
        )


def check_import(path: Path, fmt: str) -> None:
    workspace = make_workspace(f"w{next(_slugs)}")
    expected = rows_read(path, fmt)
    result = ingest.import_files(workspace, [path], fmt="auto", worker=False)  # nothing escapes
    assert result.imported + result.duplicates + result.rejected == expected, result
    assert result.formats == {str(path): fmt}
    assert all(error["file"] == str(path) and error["reason"] for error in result.errors)


CASES = [(fmt, name) for fmt, names in SAMPLES.items() for name in names]


@pytest.mark.slow
@pytest.mark.parametrize(("fmt", "name"), CASES, ids=[name for _, name in CASES])
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(choice=st.integers(min_value=0, max_value=10**6), bad=st.sampled_from(BAD_VALUES))
def test_a_bad_value_in_a_real_sample_costs_at_most_its_row(app, tmp_path, fmt, name, choice, bad):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    path = tmp_path / f"{next(_slugs)}-{Path(name).name}"
    path.write_text(mutated_json(text, choice, bad), encoding="utf-8")
    check_import(path, fmt)


BAD_CELLS = ["[1]", "{}", "1e20", "1e400", "-5", "nan", "0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-05:00",
             "9999-12-31", "\x00", "a" * 30_000, '"', "\r", ""]  # fmt: skip


@pytest.mark.slow
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    row=st.integers(min_value=1, max_value=30),
    column=st.integers(0, 13),
    bad=st.sampled_from(BAD_CELLS),
)
def test_a_bad_cell_in_a_real_csv_costs_at_most_its_row(app, tmp_path, row, column, bad):
    rows = list(csv.reader(io.StringIO((FIXTURES / "roles/uk.csv").read_text(encoding="utf-8"))))[
        :31
    ]
    rows[row][column % len(rows[row])] = bad
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path = tmp_path / f"{next(_slugs)}.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    check_import(path, "csv")
    if bad not in ('"', "\r"):  # those two change how many rows the CSV holds
        assert rows_read(path, "csv") == 30
