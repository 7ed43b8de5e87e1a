"""The demo command: real sample mentions and a login, created once."""

from app.services import mentions as mention_service
from app.services import workspaces as workspace_service


def test_demo_is_loaded_once_and_prints_a_login(app, runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "demo login: demo@example.com / " in first.output
    workspace = workspace_service.get_by_slug("demo")
    count = mention_service.mention_count(workspace)
    assert count > 1500  # tweets, toots, VK posts and Telegram messages
    assert set(mention_service.platforms_of(workspace)) >= {"twitter", "mastodon", "vk", "telegram"}
    assert "scored " in first.output and "demo authors" in first.output
    from app.services import scoring

    assert scoring.latest_snapshot(workspace).counts["authors"] > 1000
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "already imported" in second.output
    assert first.output.splitlines()[-1] == second.output.splitlines()[-1]  # same login
    assert mention_service.mention_count(workspace) == count
    assert len(scoring.snapshots(workspace)) == 1  # not scored again
