"""``flask --app wsgi advocacy ...``: rebuild the daily aggregate, look for alerts, print figures."""

from __future__ import annotations

import json

import click

from app.cli import CommandGroup, _workspace

advocacy_cli = CommandGroup("advocacy", help="Brand advocacy: the daily aggregate and its figures.")


@advocacy_cli.command("refresh")
@click.option("--workspace", "slug", required=True)
def refresh(slug: str) -> None:
    """Rebuild the workspace's daily aggregate now, then look for crisis alerts."""
    from app.advocacy.services import alerts, daily

    workspace = _workspace(slug)
    state = daily.refresh(workspace)
    new = alerts.detect(workspace)
    click.echo(f"advocacy aggregate of {slug} rebuilt in {state.seconds:.1f} s "
               f"({state.mentions_upto:,} mentions); {len(new)} new alerts")  # fmt: skip


@advocacy_cli.command("summary")
@click.option("--workspace", "slug", required=True)
@click.option("--from", "first", default="", help="First day, YYYY-MM-DD (local).")
@click.option("--to", "last", default="", help="Last day, YYYY-MM-DD (local).")
@click.option("--platform", default="")
@click.option("--topic", default="")
@click.option("--tz", default="", help="Time zone of the days (the workspace's by default).")
def summary(slug: str, first: str, last: str, platform: str, topic: str, tz: str) -> None:
    """Print the period's advocacy figures as JSON."""
    from app.advocacy.routes import scope_from_args

    workspace = _workspace(slug)
    args = {"from": first, "to": last, "platform": platform, "topic": topic, "tz": tz}
    scope, errors = scope_from_args(workspace, args)
    if errors:
        raise click.ClickException("; ".join(map(str, errors)))
    from app.advocacy.services import figures

    click.echo(json.dumps(figures.summary(workspace, scope) | {"period": scope.as_json()},
                          ensure_ascii=False))  # fmt: skip


@advocacy_cli.command("rates")
@click.option("--workspace", "slug", required=True)
@click.argument("platform")
@click.argument("rates", nargs=-1)
def rates(slug: str, platform: str, rates: tuple[str, ...]) -> None:
    """Set a platform's earned-media-value rates, e.g. ``twitter like=0.02 repost=0.1
    reply=0.15 view=2`` (a view's rate is per thousand views); none given: print them."""
    from app.advocacy.services import effectiveness

    workspace = _workspace(slug)
    if rates:
        try:
            effectiveness.set_rates(workspace, platform, dict(r.partition("=")[::2] for r in rates))
        except ValueError as error:
            raise click.ClickException(str(error)) from None
    click.echo(json.dumps(effectiveness.emv_rates(workspace), ensure_ascii=False, sort_keys=True))
