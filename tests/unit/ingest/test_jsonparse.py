"""The fast JSON reader gives exactly what json.loads gives: values, types and errors."""

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.ingest.jsonparse import loads

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


def same(a, b) -> bool:
    """Equal and of the same types all the way down (1 == 1.0 is not enough here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


@given(JSON_VALUES, st.booleans())
def test_values_and_types_match_the_standard_library(value, ascii_only):
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert same(loads(text), json.loads(text))


@pytest.mark.parametrize(
    "text",
    [
        "123456789012345678901234567890",  # beyond 64 bits: an exact int, not a float
        "[NaN, Infinity, -Infinity]",  # json reads these; strict parsers refuse them
        "1e400",  # beyond a double: json gives inf
        '{"a": 1, "a": 2}',  # the last key wins
        "-0.0",
        "[" * 200 + "]" * 200,
    ],
)
def test_corners_where_parsers_differ_read_as_before(text):
    assert same(loads(text), json.loads(text))


@pytest.mark.parametrize("text", ['{"a": 1,}', "nul", '"a\tb"', "\ufeff{}", "[1] x", ""])
def test_bad_json_raises_the_standard_library_error(text):
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(json.JSONDecodeError) as got:
        loads(text)
    assert str(got.value) == str(expected.value)


def test_lone_surrogates_become_replacement_characters():
    # json gives a lone surrogate, which no database stores: it stopped whole imports.
    text = '{"text\\udc00": ["a\\ud800b", "\\ud83d\\ude00", "\\uDBFF"], "n": NaN}'
    value = loads(text)
    assert value["text\ufffd"][:3] == ["a\ufffdb", "\U0001f600", "\ufffd"]
    assert math.isnan(value["n"])


def test_too_deep_nesting_is_a_json_error_that_costs_its_row():
    text = "[" * 100_000 + "]" * 100_000
    with pytest.raises(json.JSONDecodeError, match="nested too deeply"):
        loads(text)
