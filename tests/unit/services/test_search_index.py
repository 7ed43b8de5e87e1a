"""Text search through the SQLite FTS5 trigram index: the same posts as a full scan."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Mention
from app.services import ingest, mentions, search_index, users
from factories import make_user, make_workspace, mention, write_csv

TEXTS = [
    "Доставка опять опоздала",
    "ДОСТАВКА!!! ужас",
    "доставка ок, Ёлка приехала",
    "Delivery late again",
    'she said "fast delivery" 100% of the time',
    "50_50 chance, back\\slash",
    "emoji 🚚 truck",
    "x",
]
QUERIES = [
    "доставка", "ДОСТАВКА", "ёлка", "delivery", "DELIVERY late", '"fast', "100%", "50_50",
    "back\\slash", "🚚 tr", "ок", "x", "nothing like this",
]  # fmt: skip


@pytest.fixture
def workspace(app, tmp_path):
    workspace = make_workspace("acme")
    rows = [mention(str(n), f"user{n}", text) for n, text in enumerate(TEXTS, 1)]
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows)])
    return workspace


def found(workspace, query):
    page = mentions.list_mentions(workspace, mentions.MentionFilters.from_args({"q": query}))
    assert page.total == len(page.items)
    return sorted(item.text for item in page.items)


def scanned(query):
    """What a full scan with Python's lower() finds: the definition of a match."""
    return sorted(text for text in TEXTS if query.lower() in text.lower())


@pytest.fixture
def sqlite_index(app):
    if not search_index.available(db.session.connection()):
        pytest.skip("the FTS5 index is SQLite's (PostgreSQL has pg_trgm)")


@pytest.mark.parametrize("query", QUERIES)
def test_a_search_finds_what_a_scan_finds_before_and_after_indexing(workspace, query):
    assert found(workspace, query) == scanned(query)  # not indexed yet: all posts are candidates
    search_index.catch_up()
    assert found(workspace, query) == scanned(query)


def test_the_index_finds_any_case_of_cyrillic(workspace, sqlite_index):
    assert search_index.catch_up() == len(TEXTS)
    condition = search_index.candidates("ДоСтАвКа")
    ids = db.session.scalars(select(Mention.id).where(condition)).all()
    assert len(ids) == 3  # the index alone, before the exact check: every case folded


def test_posts_imported_after_the_catch_up_are_found_then_indexed(
    workspace, sqlite_index, tmp_path
):
    assert search_index.catch_up() == len(TEXTS)
    assert search_index.catch_up() == 0  # nothing new: nothing indexed twice
    upto = search_index.indexed_upto(db.session.connection())
    assert upto == db.session.scalar(select(func.max(Mention.id)))

    rows = [mention("100", "dora", "новая доставка"), mention("101", "eve", "more delivery")]
    ingest.import_files(workspace, [write_csv(tmp_path / "more.csv", rows)])
    assert "новая доставка" in found(workspace, "доставка")  # above the mark: still found
    assert search_index.catch_up(batch=1) == 2  # batches of one post each
    assert search_index.indexed_upto(db.session.connection()) == upto + 2
    assert "more delivery" in found(workspace, "delivery")


def test_short_queries_and_other_databases_scan(workspace):
    assert search_index.candidates("ок") is None  # under three characters: no trigram
    if db.engine.dialect.name != "sqlite":
        assert search_index.candidates("доставка") is None
        assert search_index.catch_up() == 0


def test_cli_import_indexes_unless_told_not_to_and_index_search_catches_up(
    app, runner, sqlite_index, tmp_path
):
    make_workspace("acme")
    first = write_csv(tmp_path / "a.csv", [mention("1", "anna", "Доставка")])
    second = write_csv(tmp_path / "b.csv", [mention("2", "bob", "доставка")])
    result = runner.invoke(args=["mentions", "import", str(first), "--workspace", "acme"])
    assert result.exit_code == 0, result.output
    assert search_index.indexed_upto(db.session.connection()) == 1

    args = ["mentions", "import", str(second), "--workspace", "acme", "--no-score"]
    assert runner.invoke(args=args).exit_code == 0
    assert search_index.indexed_upto(db.session.connection()) == 1  # left for later

    result = runner.invoke(args=["mentions", "index-search"])
    assert result.exit_code == 0 and "indexed 1 mentions for text search" in result.output
    assert search_index.indexed_upto(db.session.connection()) == 2


def test_index_search_on_postgresql_says_the_database_keeps_its_index(app, runner):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's message")
    result = runner.invoke(args=["mentions", "index-search"])
    assert result.exit_code == 0 and "keeps its text-search index (pg_trgm)" in result.output


def test_api_import_indexes_in_the_background(app, client, sqlite_index):
    owner = make_user()
    make_workspace("acme", owner=owner)
    _, token = users.create_token(owner, "script")
    record = {"platform": "twitter", "id": "9", "author": "anna", "text": "Доставка",
              "created_at": "2026-11-01T10:00:00Z"}  # fmt: skip
    headers = {"Authorization": f"Bearer {token}"}
    response = client.post("/api/v1/workspaces/acme/mentions", json=[record], headers=headers)
    assert response.status_code == 201, response.get_json()
    newest = db.session.scalar(select(func.max(Mention.id)))
    assert search_index.indexed_upto(db.session.connection()) == newest  # jobs run inline here


def test_postgres_serves_searches_from_its_trigram_index(workspace):
    """The search's own expression must be the one pg_trgm indexed, or the index sits unused."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's")
    conn = db.session.connection()
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # tiny table: make the index win

    def plan(query):
        statement = select(Mention.id).where(search_index.text_contains(query))
        sql = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
        return " ".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {sql}"))

    assert "mention_search_trgm" in plan("доставка")
    assert "mention_search_trgm" not in plan("ок")  # too short for trigrams: a scan
    assert found(workspace, "ок") == scanned("ок")
