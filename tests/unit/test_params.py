"""The shared query-parameter reader: values within bounds pass, the rest are refused by name."""

import pytest
from werkzeug.datastructures import MultiDict

from app.params import MAX_ID, MAX_PAGE, Params


def read(method, query: dict, *args, **kwargs):
    params = Params(MultiDict(query))
    value = getattr(params, method)(*args, **kwargs)
    return value, [(e.parameter, str(e)) for e in params.errors]


@pytest.mark.parametrize(
    "raw, expected, refused",
    [
        ("7", 7, False), (" 7 ", 7, False), ("", 1, False), ("1", 1, False),
        (str(MAX_PAGE), MAX_PAGE, False), (str(MAX_PAGE + 1), 1, True),
        ("0", 1, True), ("-3", 1, True), ("abc", 1, True), ("1.5", 1, True),
        ("99999999999999999999", 1, True), ("9" * 5000, 1, True), ("٣", 3, False),
    ],
)  # fmt: skip
def test_integer(raw, expected, refused):
    value, errors = read("integer", {"page": raw}, "page", 1, 1, MAX_PAGE)
    assert value == expected
    assert errors == ([("page", "page must be a whole number from 1 to 100,000")] if refused else [])


@pytest.mark.parametrize("raw", ["nan", "inf", "-inf", "1e400", "101", "-0.5", "lots", "1" * 30])
def test_number_refuses_what_is_not_a_finite_number_in_range(raw):
    value, errors = read("number", {"min_score": raw}, "min_score", None, 0, 100)
    assert value is None and errors[0][0] == "min_score"


def test_number_keeps_a_good_one():
    assert read("number", {"min_score": "42.5"}, "min_score", None, 0, 100) == (42.5, [])


@pytest.mark.parametrize(
    "raw, expected, message",
    [
        ("2026-11-23", "2026-11-23", None),
        ("1970-01-01", "1970-01-01", None),
        ("2100-12-31", "2100-12-31", None),
        ("0001-01-01", "", "since must be a date from 1970-01-01 to 2100-12-31"),
        ("9999-12-31", "", "since must be a date from 1970-01-01 to 2100-12-31"),
        ("2026-02-30", "", "since '2026-02-30' is not a date like 2026-11-23"),
        ("yesterday", "", "since 'yesterday' is not a date like 2026-11-23"),
    ],
)
def test_day(raw, expected, message):
    value, errors = read("day", {"since": raw}, "since")
    assert value == expected
    assert errors == ([("since", message)] if message else [])


def test_identifier_is_bounded_by_the_database():
    assert read("identifier", {"ego": str(MAX_ID)}, "ego") == (MAX_ID, [])
    assert read("identifier", {"ego": str(MAX_ID + 1)}, "ego")[0] is None
    assert read("identifier", {"ego": "0"}, "ego")[1][0][0] == "ego"


def test_choice():
    assert read("choice", {"order": "asc"}, "order", ("asc", "desc"), "desc") == ("asc", [])
    assert read("choice", {"order": "up"}, "order", ("asc", "desc"), "desc") == (
        "desc", [("order", "order must be one of asc, desc")],
    )  # fmt: skip


def test_text_keeps_cyrillic_cuts_length_and_drops_control_characters():
    assert read("text", {"q": " Доставка\x00 Акме "}, "q") == ("Доставка Акме", [])
    assert read("text", {"q": "я" * 500}, "q")[0] == "я" * 200
    assert read("text", {}, "q") == ("", [])


def test_errors_collect_in_order_and_name_their_parameter():
    params = Params(MultiDict({"page": "x", "per_page": "0", "q": "ok"}))
    params.integer("page", 1, 1, MAX_PAGE)
    params.text("q")
    params.integer("per_page", 100, 1, 1000)
    assert [e.as_json()["parameter"] for e in params.errors] == ["page", "per_page"]
    assert params.errors[1].as_json() == {
        "parameter": "per_page", "message": "per_page must be a whole number from 1 to 1,000",
    }  # fmt: skip


def test_an_instant_is_read_in_utc_and_a_bad_one_named():
    params = Params({"after": "2026-11-30T13:00+03:00", "before": "2026-11-30 10:00",
                     "when": "half past ten", "far": "9999-01-01T00:00Z"})  # fmt: skip
    assert params.moment("after") == "2026-11-30T10:00:00Z"
    assert params.moment("before") == "2026-11-30T10:00:00Z"  # no zone: UTC
    assert params.moment("when") == "" and params.moment("far") == ""
    assert [error.parameter for error in params.errors] == ["when", "far"]
    assert "is not a time like 2026-11-23T14:00Z" in str(params.errors[0])
