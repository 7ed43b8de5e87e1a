"""Query parameters out of bounds never cost an HTTP 500: pages ignore them with a notice,
the API answers 400 naming the parameter, and ids too big for the database are a 404."""

import re
from urllib.parse import quote

import pytest

from factories import login, make_user, populated_workspace, route_requests

# The values that gave HTTP 500 (issue 10), and their neighbours.
BAD_QUERIES = [
    "per_page=abc",
    "per_page=0",
    "page=99999999999999999999",
    "since=0001-01-01&until=9999-12-31",
    "community=12345678901234567890",
    "per_page=-1&page=-3&min_score=1e400&community=-1&ego=99999999999999999999"
    "&max_nodes=99999999999999999999&min_degree=-1&hops=9&since=2026-02-30&until=x"
    "&role=king&sort=..%2F&order=up&kind=%2C%2Cnope&sentiment=%F0%9F%92%A9&format=exe"
    "&min_score=nan&topic=" + quote("#" + "я" * 5000) + "&q=%00%ff&contacted=maybe",
]


@pytest.fixture
def walk(app, client, tmp_path):
    """A signed-in owner of a workspace with one of everything, and its routes' GETs."""
    owner = make_user()
    values = populated_workspace(owner, tmp_path)
    login(client)
    gets = [(url, endpoint) for method, url, endpoint in route_requests(app, values, ("GET",))]
    return values, gets


def test_no_route_fails_on_bad_parameters(client, walk):
    values, gets = walk
    auth = {"Authorization": f"Bearer {values['api_token']}"}
    assert len(gets) > 25
    for url, _ in gets:
        for query in BAD_QUERIES:
            headers = auth if url.startswith("/api/") else {}
            with client.get(f"{url}?{query}", headers=headers) as response:
                assert response.status_code < 500, f"{url}?{query}"


def test_ids_too_big_for_the_database_are_not_found(app, client, walk):
    values, _ = walk
    big = {key: 10**20 if key.endswith("_id") else value for key, value in values.items()}
    checked = 0
    for method, url, _ in route_requests(app, big):
        if "100000000000000000000" in url:
            assert client.open(url, method=method).status_code == 404, f"{method} {url}"
            checked += 1
    assert checked >= 15


@pytest.mark.parametrize(
    "path, query, notice",
    [
        ("/w/acme/", "page=99999999999999999999", "page must be a whole number from 1 to 100,000"),
        ("/w/acme/", "since=0001-01-01&until=9999-12-31", "since must be a date from 1970-01-01 to 2100-12-31"),
        ("/w/acme/influencers", "community=12345678901234567890", "community must be a whole number"),
        ("/w/acme/influencers", "min_score=1e400", "min_score must be a number from 0 to 100"),
        ("/w/acme/communities", "page=abc", "page must be a whole number"),
        ("/w/acme/suspicious", "page=0", "page must be a whole number"),
        ("/w/acme/network", "ego=99999999999999999999", "ego must be a whole number"),
        ("/w/acme/authors/{author_id}", "page=-1", "page must be a whole number"),
    ],
)  # fmt: skip
def test_pages_ignore_a_bad_value_with_a_notice(client, walk, path, query, notice):
    values, _ = walk
    response = client.get(f"{path.format(**values)}?{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Filter ignored: " + notice in page, page[:3000]


@pytest.mark.parametrize(
    "path, query, parameter",
    [
        ("mentions", "per_page=abc", "per_page"),
        ("mentions", "per_page=0", "per_page"),
        ("mentions", "page=99999999999999999999", "page"),
        ("mentions", "since=0001-01-01&until=9999-12-31", "since"),
        ("authors", "community=12345678901234567890", "community"),
        ("authors", "per_page=1001", "per_page"),
        ("authors", "min_score=nan", "min_score"),
    ],
)
def test_the_api_answers_400_naming_the_parameter(client, walk, path, query, parameter):
    values, _ = walk
    response = client.get(
        f"/api/v1/workspaces/acme/{path}?{query}",
        headers={"Authorization": f"Bearer {values['api_token']}"},
    )
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_parameter" and error["parameter"] == parameter
    assert re.match(rf"{parameter} (must|'.*' is not)", error["message"])
    assert {"parameter": parameter, "message": error["parameters"][0]["message"]} in error[
        "parameters"
    ]


def test_the_api_keeps_good_parameters(client, walk):
    values, _ = walk
    response = client.get(
        "/api/v1/workspaces/acme/mentions?per_page=2&page=2&since=2026-01-01&until=2026-12-31",
        headers={"Authorization": f"Bearer {values['api_token']}"},
    )
    body = response.get_json()
    assert response.status_code == 200 and body["page"] == 2 and len(body["mentions"]) == 2


def test_api_errors_have_one_shape(client, walk):
    values, _ = walk
    unauthorized = client.get("/api/v1/workspaces/acme/mentions").get_json()
    assert unauthorized["error"]["code"] == "unauthorized"
    missing = client.get(
        "/api/v1/workspaces/nope/mentions",
        headers={"Authorization": f"Bearer {values['api_token']}"},
    )
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
