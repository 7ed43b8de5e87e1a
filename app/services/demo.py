"""The demo workspace: real sample mentions and a demo login, created once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from app.services import ingest as ingest_service
from app.services import mentions as mention_service
from app.services import users as user_service
from app.services import workspaces as workspace_service
from app.services.errors import NotFound

DEMO_SLUG = "demo"
DEMO_EMAIL = "demo@example.com"
DEMO_DATA = Path(__file__).resolve().parent.parent / "demo_data"
DEMO_FILES = (
    "twitter_v1_rtweet.jsonl.gz",
    "mastodon_statuses.jsonl.gz",
    "vk_wall.json",
    "twitter_v2_twarc.jsonl.gz",
    "reddit_praw.jsonl.gz",
)


@dataclass
class DemoOutcome:
    """What ``load_demo`` did, as lines for the console."""

    lines: list[str] = field(default_factory=list)


def _login_file() -> Path:
    return Path(current_app.instance_path) / "demo-login.txt"


def load_demo() -> DemoOutcome:
    """Create the demo workspace, its data and login if missing; change nothing that exists."""
    outcome = DemoOutcome()
    try:
        workspace = workspace_service.get_by_slug(DEMO_SLUG)
        outcome.lines.append(f"demo workspace '{DEMO_SLUG}' exists")
    except NotFound:
        workspace = workspace_service.create_workspace(
            DEMO_SLUG, "Demo: #rstats and friends",
            brand_terms=["rstats", "tidyverse", "Python"], timezone="Europe/Moscow",
        )  # fmt: skip
        # The samples span years (2013-2024): score them all, not only the last 90 days.
        workspace.score_window_days = 5000
        outcome.lines.append(f"created demo workspace '{DEMO_SLUG}'")

    user = user_service.get_by_email(DEMO_EMAIL)
    if user is None:
        password = secrets.token_urlsafe(12)
        user = user_service.create_user(DEMO_EMAIL, password, "Demo user")
        login_file = _login_file()
        login_file.write_text(f"{DEMO_EMAIL}\n{password}\n")
        login_file.chmod(0o600)
    if workspace_service.access_for(user, DEMO_SLUG) is None:
        workspace_service.add_member(workspace, user, "owner")

    if mention_service.mention_count(workspace) == 0:
        from app.extensions import db

        db.session.commit()
        paths = [DEMO_DATA / name for name in DEMO_FILES]
        run = ingest_service.start_run(workspace, "demo", list(DEMO_FILES))
        result = ingest_service.import_files(
            workspace, paths, run=run, display_names=list(DEMO_FILES)
        )
        ingest_service.finish_run(run, result)
        from app.services import search_index

        search_index.catch_up()
        outcome.lines.append(
            f"imported {result.imported:,} demo mentions ({result.rejected:,} rows rejected)"
        )
    else:
        outcome.lines.append("demo mentions already imported")

    from app.services import scoring

    if scoring.latest_snapshot(workspace) is None:
        snapshot = scoring.compute(workspace, trigger="demo")
        roles = {role: n for role, n in snapshot.counts["roles"].items() if role != "user"}
        outcome.lines.append(
            f"scored {snapshot.counts['authors']:,} demo authors: "
            + ", ".join(f"{n} {role.replace('_', ' ')}s" for role, n in sorted(roles.items()))
        )

    login_file = _login_file()
    if login_file.exists():
        email, password = login_file.read_text().split("\n")[:2]
        outcome.lines.append(f"demo login: {email} / {password}")
    else:
        outcome.lines.append(f"demo login: {DEMO_EMAIL} (its password was changed by hand)")
    return outcome
