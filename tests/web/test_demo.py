"""The demo command: real sample mentions and a login, created once."""

from datetime import UTC, datetime

from sqlalchemy import func, or_, select

from app.extensions import db
from app.models import Mention
from app.services import mentions as mention_service
from app.services import workspaces as workspace_service

ROLES = ("networker", "thought_leader", "trendsetter", "amplifier")


def test_demo_is_loaded_once_and_prints_a_login(app, runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "demo login: demo@example.com / " in first.output
    workspace = workspace_service.get_by_slug("demo")
    count = mention_service.mention_count(workspace)
    assert count > 10_000  # tweets, toots, VK posts and Reddit threads
    assert set(mention_service.platforms_of(workspace)) == {"twitter", "mastodon", "vk", "reddit"}
    assert "scored " in first.output and "demo authors" in first.output
    from app.services import scoring

    snapshot = scoring.latest_snapshot(workspace)
    assert snapshot.counts["authors"] > 1000
    # the demo shows what the product is for: every role is held by someone
    roles = snapshot.counts["roles"]
    assert all(roles.get(role, 0) > 0 for role in ROLES), roles
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "already imported" in second.output
    assert first.output.splitlines()[-1] == second.output.splitlines()[-1]  # same login
    assert mention_service.mention_count(workspace) == count
    assert len(scoring.snapshots(workspace)) == 1  # not scored again


def test_demo_posts_are_real_and_dated_in_the_past(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    workspace = workspace_service.get_by_slug("demo")
    newest = db.session.scalar(
        select(func.max(Mention.created_at)).where(Mention.workspace_id == workspace.id)
    )
    assert newest.replace(tzinfo=UTC) < datetime.now(UTC)
    made_up = db.session.scalar(
        select(func.count()).where(
            Mention.workspace_id == workspace.id,
            or_(Mention.text.contains("<USERNAME>"), Mention.text.contains("<TEST_SUBREDDIT>")),
        )
    )
    assert made_up == 0  # PRAW's redacted test posts are left out
