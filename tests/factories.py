"""Test data as plain functions: users, workspaces, signed-in clients and mention files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from app.services import users as user_service
from app.services import workspaces as workspace_service

PASSWORD = "correct horse battery"
HEADER = [
    "platform", "id", "author", "created_at", "text", "author_followers", "lang",
    "reply_to_id", "reply_to_author", "repost_of_id", "repost_of_author", "sentiment",
]  # fmt: skip


def make_user(email: str = "anna@example.com", name: str = "Anna", password: str = PASSWORD):
    """Create and return a user."""
    return user_service.create_user(email, password, name)


def make_workspace(slug: str = "acme", owner=None, brand_terms=("Acme",), **settings):
    """Create and return a workspace (with ``owner`` as its owner, if given)."""
    return workspace_service.create_workspace(
        slug, slug.title(), owner=owner, brand_terms=list(brand_terms), **settings
    )


def login(client, email: str = "anna@example.com", password: str = PASSWORD):
    """Sign the test client in; return the response."""
    return client.post("/login", data={"email": email, "password": password})


def write_csv(path: Path, rows: list[dict], header: list[str] | None = None) -> Path:
    """Write MentionRecord rows as CSV (missing fields empty) and return the path."""
    header = header or HEADER
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: row.get(key, "") for key in header})
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def mention(id: str, author: str, text: str = "", **fields) -> dict:
    """Return a MentionRecord row (a dict) with sensible defaults."""
    row = {
        "platform": "twitter",
        "id": id,
        "author": author,
        "created_at": "2026-11-01T10:00:00Z",
        "text": text,
        "lang": "en",
    }
    row.update(fields)
    return row


SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
TEXT_SUFFIXES = {".json", ".jsonl", ".gz", ".csv"}


def shared_data_files() -> list[Path]:
    """Return the text files of ../shared/data (none when the folder is absent)."""
    if not SHARED_DATA.is_dir():
        return []
    return sorted(p for p in SHARED_DATA.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES)


def sniff_head(path: Path) -> str:
    """Return the first 64 KiB of a data file as the importer's sniffers see it."""
    import gzip

    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as raw:
        data = raw.read(65536)
    return data.decode("utf-8-sig", errors="ignore")


def records_by_id(items: list) -> dict:
    """Return the parsed records among a parser's items, by post id."""
    from app.ingest.record import MentionRecord

    return {item.id: item for item in items if isinstance(item, MentionRecord)}


def row_errors(items: list) -> list:
    """Return the rejected rows among a parser's items."""
    from app.ingest.record import RowError

    return [item for item in items if isinstance(item, RowError)]
