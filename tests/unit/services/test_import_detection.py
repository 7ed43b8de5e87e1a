"""Format detection reads a file's structure, not one line (issue 10): a damaged first line, a
stray NUL or invalid byte near the start, or a first row longer than the head costs that row,
never the file; Telegram and VK are told apart by the document's shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.ingest import FileError, detect_file_format, open_text
from app.services import ingest
from app.services.errors import ServiceError
from factories import make_workspace

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ROW = {"platform": "twitter", "author": "anna", "created_at": "2026-11-01T10:00:00Z", "text": "hi acme",
       "sentiment": "neutral"}  # fmt: skip


def rows(count: int, start: int = 1, **fields) -> list[str]:
    return [json.dumps({**ROW, "id": str(i), **fields}) for i in range(start, start + count)]


@pytest.fixture
def workspace(app):
    return make_workspace("acme")


def imported(workspace, path: Path):
    result = ingest.import_files(workspace, [path], worker=False)
    return result, (result.imported, result.duplicates, result.rejected)


def detected(path: Path) -> str:
    with open_text(path) as (_stream, head, _raw):
        return detect_file_format(path, head)


def test_a_damaged_first_line_costs_that_row(workspace, tmp_path):
    path = tmp_path / "m.jsonl"
    path.write_text(rows(1)[0][:40] + "\n" + "\n".join(rows(3, start=2)) + "\n")
    result, counts = imported(workspace, path)
    assert counts == (3, 0, 1) and result.formats == {str(path): "jsonl"}
    assert result.errors[0]["line"] == 1


@pytest.mark.parametrize(
    "name", ["mastodon/statuses.jsonl", "reddit/things.jsonl", "twitter_v1/rtweet_search.jsonl"]
)
def test_a_damaged_first_line_of_a_platform_file_costs_that_row(workspace, tmp_path, name):
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    whole = tmp_path / "whole.jsonl"
    whole.write_text("\n".join(lines) + "\n", encoding="utf-8")
    damaged = tmp_path / "damaged.jsonl"
    damaged.write_text(
        "\n".join([lines[0][: len(lines[0]) // 2], *lines[1:]]) + "\n", encoding="utf-8"
    )
    assert detected(damaged) == detected(whole)
    _, counts = imported(make_workspace("other"), whole)
    result, damaged_counts = imported(workspace, damaged)
    assert damaged_counts[2] >= 1 and result.errors[0]["line"] == 1
    assert sum(damaged_counts) <= sum(counts)


def test_a_first_row_longer_than_the_head_is_read(workspace, tmp_path):
    path = tmp_path / "m.jsonl"
    long_row = json.dumps({**ROW, "id": "1", "text": "acme " * 30_000})  # 150 KB on one line
    path.write_text("\n".join([long_row, *rows(2, start=2)]) + "\n")
    result, counts = imported(workspace, path)
    assert counts == (3, 0, 0) and result.formats == {str(path): "jsonl"}


def test_a_stray_nul_near_the_start_is_no_binary_file(workspace, tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(b"platform,id,author,created_at,text\ntwitter,1,anna,2026-11-01T10:00:00Z,h\x00i\n"
                     b"twitter,2,bob,2026-11-01T10:00:00Z,fine\n")  # fmt: skip
    _, counts = imported(workspace, path)
    assert counts == (2, 0, 0)
    from app.models import Mention

    assert "\x00" not in "".join(m.text for m in workspace_mentions(Mention))


def workspace_mentions(model):
    from app.extensions import db

    return db.session.scalars(db.select(model)).all()


def test_a_stray_invalid_byte_near_the_start_costs_no_row(workspace, tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(b"platform,id,author,created_at,text\ntwitter,1,anna,2026-11-01T10:00:00Z,caf\xe9\n"
                     b"twitter,2,bob,2026-11-01T10:00:00Z,fine\n")  # fmt: skip
    result, counts = imported(workspace, path)
    assert counts == (2, 0, 0)
    assert any("1 byte sequence(s) that are not UTF-8" in warning for warning in result.warnings)


def test_a_file_in_another_encoding_is_still_refused_whole(workspace, tmp_path):
    path = tmp_path / "m.csv"
    text = "platform,id,author,created_at,text\n" + "".join(
        f"vk,{i},анна,2026-11-01T10:00:00Z,Привет, как дела у Акме?\n" for i in range(10)
    )
    path.write_bytes(text.encode("cp1251"))
    with pytest.raises(ServiceError, match="not UTF-8 text"):
        ingest.import_files(workspace, [path], worker=False)


def test_a_binary_file_is_still_refused(workspace, tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20)
    with pytest.raises(FileError, match="binary"):
        detected(path)


def test_a_telegram_export_with_a_numeric_from_id_is_telegram(workspace, tmp_path):
    document = json.loads((FIXTURES / "telegram/result.json").read_text(encoding="utf-8"))
    document["messages"][0]["from_id"] = 777000
    document["messages"][0]["date"] = 1769936400  # the epoch "date" that VK posts have too
    path = tmp_path / "result.json"
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8")
    assert detected(path) == "telegram"
    assert detected(FIXTURES / "vk/hack_it_backend_posts_slice.json") == "vk"
