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


def populated_workspace(owner, tmp_path: Path, slug: str = "acme") -> dict:
    """Create a workspace with one of everything a URL can name: mentions, an import run, a
    scoring snapshot, a contact, an invitation and a network export.

    Return the real ids by URL argument name (``author_id``, ``token``, ...), for tests that
    walk every route.
    """
    from sqlalchemy import select

    from app.crm.services import touches as contacts
    from app.extensions import db
    from app.models import Author, Membership, Mention
    from app.services import graph_exports, ingest, scoring
    from app.services.network import NetworkFilters

    workspace = make_workspace(slug, owner=owner)
    rows = [
        mention("1", "anna", "Acme delivery #delivery", sentiment="positive"),
        mention("2", "bob", "@anna so true", reply_to_id="1", reply_to_author="anna"),
        mention("3", "carl", "RT Acme", repost_of_id="1", repost_of_author="anna"),
        mention("4", "дарья", "@anna Акме? #доставка", created_at="2026-11-03T22:30:00Z"),
    ]
    ingest.import_files(workspace, [write_csv(tmp_path / f"{slug}.csv", rows)])
    run = ingest.start_run(workspace, "cli", [f"{slug}.csv"])
    snapshot = scoring.compute(workspace)
    author_id = db.session.scalar(
        select(Author.id).where(Author.workspace_id == workspace.id, Author.handle == "anna")
    )
    access = workspace_service.access_for(owner, slug)
    contact = contacts.log_contact(access, owner, author_id, channel="email")
    crm = _crm_records(access, owner, contact.person_id)
    invitation, token = workspace_service.invite(workspace, "new@example.com", "agent", owner)
    export = graph_exports.start_export(workspace, owner, "gexf", NetworkFilters())
    _, api_token = user_service.create_token(owner, "tests")
    revocable, _ = user_service.create_token(owner, "to revoke")
    return {
        "slug": slug,
        "membership_id": db.session.scalar(
            select(Membership.id).where(Membership.workspace_id == workspace.id)
        ),
        "run_id": run.id,
        "author_id": author_id,
        "contact_id": contact.id,
        "mention_id": db.session.scalar(
            select(Mention.id).where(Mention.workspace_id == workspace.id)
        ),
        "invitation_id": invitation.id,
        "token": token,
        "snapshot_id": snapshot.id,
        "export_id": export.id,
        "token_id": revocable.id,
        "filename": "css/app.css",
        "api_token": api_token,
        "alert_id": _alert(workspace),
        **crm,
    }


def _alert(workspace) -> int:
    """One crisis alert (a negative spike in an hour), for routes that name one."""
    from datetime import datetime

    from app.advocacy.models import AdvocacyAlert
    from app.extensions import db

    hour = datetime(2026, 11, 3, 22)
    alert = AdvocacyAlert(
        workspace_id=workspace.id, key=f"spike:{hour:%Y-%m-%dT%H}", kind="spike",
        starts_at=hour, ends_at=hour.replace(hour=23), count=6, baseline_mean=1.0, baseline_sd=0.5,
        threshold=5.0,
    )  # fmt: skip
    db.session.add(alert)
    db.session.commit()
    return alert.id


def _crm_records(access, owner, person_id: int) -> dict:
    """One of each relationship-manager record, by URL argument name."""
    from app.crm.models import Person
    from app.crm.services import campaigns, tasks, templates
    from app.extensions import db

    campaign = campaigns.create_campaign(access, owner, {"name": "Весна", "start": "2026-01-01"})
    placement = campaigns.create_placement(access, owner, campaign.id, {"person_id": person_id})
    template = templates.create_template(access, owner, {"name": "Hi", "body": "Hi {name}"})
    task = tasks.create_task(access, owner, person_id, {"title": "Call", "due_on": "2026-12-01"})
    return {
        "person_id": person_id,
        "account_id": db.session.get(Person, person_id).accounts[0].id,
        "campaign_id": campaign.id,
        "placement_id": placement.id,
        "template_id": template.id,
        "task_id": task.id,
    }


SIGN_OUT_ENDPOINTS = {"auth.logout", "auth.sign_out_everywhere"}


def route_requests(app, values: dict, methods=("GET", "POST")) -> list[tuple[str, str, str]]:
    """Return ``(method, url, endpoint)`` for every route of the app, its arguments filled
    from ``values`` (see :func:`populated_workspace`); the sign-out routes come last."""
    import re

    requests = []
    for rule in app.url_map.iter_rules():
        url = re.sub(r"<(?:[^:<>]+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule.rule)
        for method in sorted(set(methods) & rule.methods):
            requests.append((method, url, rule.endpoint))
    return sorted(requests, key=lambda request: request[2] in SIGN_OUT_ENDPOINTS)


def alert_and_advocate_rows() -> list[dict]:
    """Mentions that make one crisis alert and one advocate to recruit (browser journeys)."""
    # six negative posts in one hour with nothing at that hour before: an alert
    data = [mention(f"n{i}", f"angry{i}", f"Acme сломал мой заказ #{i}", sentiment="negative",
                    created_at=f"2026-11-30T10:{i:02d}:00Z") for i in range(6)]  # fmt: skip
    # a fan with three positive posts and none negative: an advocate to recruit
    data += [mention(f"p{i}", "fan", "Acme спасибо!", sentiment="positive",
                     created_at=f"2026-11-2{i}T09:00:00Z") for i in range(3)]  # fmt: skip
    data.append(mention("later", "calm", "Acme ok", sentiment="negative",
                        created_at="2026-11-30T12:00:00Z"))  # fmt: skip
    return data
