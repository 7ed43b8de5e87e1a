"""Command-line interface: ``flask --app wsgi <group> <command>``; each a thin wrapper over a service."""

from __future__ import annotations

import json
import secrets
import sys
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from app.extensions import db
from app.ingest import FORMATS
from app.models.mention import sqlite_has_trigram_search
from app.services import demo as demo_service
from app.services import ingest as ingest_service
from app.services import job_records
from app.services import users as user_service
from app.services import workspaces as workspace_service
from app.services.errors import ServiceError


class DatabaseCommand(click.Command):
    """A command whose database errors reach the user as one clear line, not a trace."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (OperationalError, ProgrammingError) as error:
            raise click.ClickException(database_problem(error)) from None


class CommandGroup(AppGroup):
    """The app's command groups: their commands are :class:`DatabaseCommand`."""

    command_class = DatabaseCommand


def database_problem(error: DBAPIError) -> str:
    """Say what a database error means for the person at the command line."""
    reason = str(error.orig).strip().splitlines()[0]
    if "no such table" in reason or ("relation" in reason and "does not exist" in reason):
        return f"the database is not set up, or is older than the code ({reason}): run `flask --app wsgi db upgrade`"
    return f"the database refused the command: {reason}"


workspaces_cli = CommandGroup("workspaces", help="Create and list workspaces.")
users_cli = CommandGroup("users", help="Create users and give them access.")
mentions_cli = CommandGroup("mentions", help="Import mentions.")
tokens_cli = CommandGroup("tokens", help="Create and revoke API tokens for scripts and checks.")


def _fail(message: str) -> None:
    raise click.ClickException(message)


@workspaces_cli.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="Display name of the brand or client.")
@click.option("--brand", "brands", multiple=True, help="A brand term (repeat for several).")
@click.option("--timezone", default="UTC", show_default=True, help="IANA time zone.")
def create_workspace(slug: str, name: str, brands: tuple[str, ...], timezone: str) -> None:
    """Create a workspace SLUG."""
    try:
        workspace = workspace_service.create_workspace(
            slug, name, brand_terms=list(brands), timezone=timezone
        )
    except ServiceError as error:
        _fail(str(error))
    click.echo(f"created workspace {workspace.slug} ({workspace.name})")


@workspaces_cli.command("list")
def list_workspaces() -> None:
    """List all workspaces."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Workspace

    for workspace in db.session.scalars(select(Workspace).order_by(Workspace.slug)):
        click.echo(f"{workspace.slug}\t{workspace.name}")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", default="", help="The user's name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--workspace", "slug", help="Give access to this workspace...")
@click.option(
    "--role", type=click.Choice(["owner", "manager", "agent", "viewer"]), help="...with this role."
)
def create_user(
    email: str, name: str, password_stdin: bool, slug: str | None, role: str | None
) -> None:
    """Create a user EMAIL; without --password-stdin a password is generated and printed."""
    if bool(slug) != bool(role):
        _fail("--workspace and --role go together")
    workspace = None
    if slug:
        try:
            workspace = workspace_service.get_by_slug(slug)
        except ServiceError as error:
            _fail(str(error))
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        generated = False
    else:
        password = secrets.token_urlsafe(12)
        generated = True
    try:
        user = user_service.create_user(email, password, name)
        if workspace is not None:
            workspace_service.add_member(workspace, user, role)
    except ServiceError as error:
        _fail(str(error))
    click.echo(f"created user {user.email}" + (f" ({role} of {slug})" if slug else ""))
    if generated:
        click.echo(f"password: {password}")


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", default="command line", show_default=True, help="What will use it.")
def create_token(email: str, name: str) -> None:
    """Create an API token for the user EMAIL and print it, and only it, on standard output.

    The token acts with the user's role in each workspace; it is shown once and kept only
    as a hash. Example: TOKEN=$(flask --app wsgi tokens create ops@example.com --name uptime)
    """
    try:
        user = user_service.get_by_email(email)
    except ServiceError as error:
        _fail(str(error))
    if user is None:
        _fail(f"there is no user with e-mail {email}: create one with `users create`")
    try:
        _, plain = user_service.create_token(user, name)
    except ServiceError as error:
        _fail(str(error))
    click.echo(plain)


@tokens_cli.command("revoke")
@click.argument("token")
def revoke_token(token: str) -> None:
    """Revoke the API token TOKEN (the token itself; "-" reads it from standard input).

    By the token, not by its name: names are free text and several tokens may share one,
    while the token names exactly one, and a script that made it holds it. Reading it from
    standard input keeps it out of the shell history and the process list. A person revokes
    a token by name on their account page, where they see which one.
    """
    if token == "-":
        token = sys.stdin.readline().strip()
    try:
        revoked = user_service.revoke_token_value(token)
    except ServiceError as error:
        _fail(str(error))
    click.echo(f"revoked token {revoked.name!r} ({revoked.prefix}...) of {revoked.email}")


@mentions_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--workspace", "slug", required=True, help="The workspace to import into.")
@click.option(
    "--format", "fmt", type=click.Choice(["auto", *FORMATS]), default="auto", show_default=True,
    help="The files' format; auto detects it from the content.",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option(
    "--no-score", is_flag=True,
    help="Do not index the new texts for search nor rescore the workspace after the import"
    " (searches still find them; 'mentions index-search' indexes them).",
)  # fmt: skip
def import_mentions(
    paths: tuple[Path, ...], slug: str, fmt: str, as_json: bool, no_score: bool
) -> None:
    """Import mention files (gzip allowed) and rescore; exits non-zero only when nothing could be read."""
    try:
        workspace = workspace_service.get_by_slug(slug)
    except ServiceError as error:
        _fail(str(error))
    run = ingest_service.start_run(workspace, "cli", [str(p) for p in paths])
    total = sum(p.stat().st_size for p in paths if p.is_file())
    show_bar = not as_json and sys.stderr.isatty()
    with click.progressbar(
        length=max(total, 1), label="Importing", file=sys.stderr, show_pos=False,
        hidden=not show_bar, item_show_func=lambda n: n,
    ) as bar:  # fmt: skip
        done = [0]

        def progress(result, position: int) -> None:
            bar.update(max(0, position - done[0]), f"{result.imported:,} new")
            done[0] = max(done[0], position)

        try:
            result = ingest_service.import_files(
                workspace, list(paths), fmt=fmt, run=run, progress=progress
            )
        except KeyboardInterrupt:  # what landed is kept; the run must not stay "running"
            ingest_service.finish_run(run, None, job_records.interrupted("import"))
            raise
        except ServiceError as error:
            ingest_service.finish_run(run, None, str(error))
            if as_json:
                click.echo(json.dumps({"error": str(error)}, ensure_ascii=False))
                sys.exit(1)
            _fail(str(error))
        except Exception as error:  # the run must end, the user gets a sentence, the log the trace
            ingest_service.fail_run(run, error)
            _fail(run.message)
    ingest_service.finish_run(run, result)
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        _print_result(result)
    if not result.read_anything:
        sys.exit(1)
    if result.imported:
        from app.sentiment import services as sentiment

        labelled = sentiment.label_new(workspace)  # the workspace's learned model, if any
        if labelled and not as_json:
            click.echo(f"labelled {labelled:,} new mentions with the workspace's sentiment model")
    if result.imported and not no_score:
        from app.services import scoring, search_index

        try:
            search_index.catch_up()
        except OperationalError as error:  # another writer held the database too long
            db.session.rollback()
            click.echo(
                f"warning: the text-search index will catch up later ({error.orig})", err=True
            )
        snapshot = scoring.compute(workspace, trigger="import", refresh_advocacy=False)
        if not as_json:
            click.echo(f"scored {snapshot.counts['authors']:,} authors (snapshot {snapshot.id})")
            click.echo("advocacy figures: brought up to date by the web app, or now with "
                       f"flask --app wsgi advocacy refresh --workspace {workspace.slug}")  # fmt: skip


@mentions_cli.command("label")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--workspace", "slug", required=True, help="The workspace whose mentions these are.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
def label_mentions(path: Path, slug: str, as_json: bool) -> None:
    """Record sentiments from a CSV / JSON of platform,id,sentiment as people's corrections."""
    from app.sentiment import services as sentiment

    try:
        workspace = workspace_service.get_by_slug(slug)
        result = sentiment.import_labels(workspace, path)
    except ServiceError as error:
        _fail(str(error))
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False))
        return
    click.echo(f"{result.applied:,} corrections applied, {result.unknown:,} unknown ids,"
               f" {result.invalid:,} invalid rows")  # fmt: skip
    for error in result.errors[:20]:
        where = f"line {error['line']}: " if error["line"] else ""
        click.echo(f"  {path.name}: {where}{error['reason']}", err=True)


@mentions_cli.command("export")
@click.option("--workspace", "slug", required=True, help="The workspace to export.")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default: standard output).")  # fmt: skip
def export_mentions(slug: str, fmt: str, output: Path | None) -> None:
    """Write every mention's platform, id, author, created_at, lang, sentiment and its source."""
    from app.sentiment import services as sentiment

    try:
        workspace = workspace_service.get_by_slug(slug)
    except ServiceError as error:
        _fail(str(error))
    if output is None:
        sentiment.export_mentions(workspace, sys.stdout, fmt)
        return
    part = output.with_name(output.name + ".part")  # a file is complete or absent
    with part.open("w", encoding="utf-8", newline="") as handle:
        count = sentiment.export_mentions(workspace, handle, fmt)
    part.replace(output)
    click.echo(f"wrote {count:,} mentions to {output}", err=True)


@mentions_cli.command("index-search")
def index_search() -> None:
    """Add every mention not yet in the text-search index (SQLite; imports do it themselves)."""
    from app.services import search_index

    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        click.echo("PostgreSQL keeps its text-search index (pg_trgm) up to date itself")
        return
    if not search_index.available(conn):
        if sqlite_has_trigram_search(None, None, conn):
            _fail("the text-search index is missing: run `flask --app wsgi db upgrade`")
        click.echo("this SQLite has no FTS5: searches scan, there is nothing to index")
        return
    started = time.perf_counter()
    try:
        added = search_index.catch_up()
    except OperationalError as error:
        _fail(f"the text-search index could not be updated: {error.orig}")
    seconds = time.perf_counter() - started
    click.echo(f"indexed {added:,} mentions for text search in {seconds:.1f} s")


def _print_result(result: ingest_service.ImportResult) -> None:
    for name, fmt in result.formats.items():
        click.echo(f"{name}: {fmt}")
    click.echo(
        f"imported {result.imported:,}, duplicates skipped {result.duplicates:,}, "
        f"rejected {result.rejected:,}"
    )
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for error in result.errors:
        where = f"{error['file']}:{error['line']}" if error["line"] else error["file"]
        click.echo(f"rejected {where}: {error['reason']}", err=True)
    if result.rejected > len(result.errors):
        click.echo(f"... and {result.rejected - len(result.errors):,} more rejected rows", err=True)


@click.command("demo", cls=DatabaseCommand)
def demo() -> None:
    """Create the demo workspace with real sample mentions and a demo login (idempotent)."""
    outcome = demo_service.load_demo()
    for line in outcome.lines:
        click.echo(line)


scores_cli = CommandGroup("scores", help="Score authors: roles, scores and reasons.")
authors_cli = CommandGroup("authors", help="List scored authors.")


@scores_cli.command("compute")
@click.option("--workspace", "slug", required=True, help="The workspace to score.")
@click.option(
    "--window-days", type=click.FloatRange(min=1), help="Override the workspace's window."
)
@click.option("--json", "as_json", is_flag=True, help="Print the snapshot as one JSON object.")
def compute_scores(slug: str, window_days: float | None, as_json: bool) -> None:
    """Score every author of the workspace now and keep the result as a snapshot."""
    from app.services import scoring

    workspace = _workspace(slug)
    show = not as_json and sys.stderr.isatty()

    def progress(phase: str, done: float) -> None:
        if show:
            click.echo(f"\r{phase:<16} {done:4.0%}", nl=False, err=True)

    try:
        snapshot = scoring.compute(
            workspace, trigger="cli", window_days=window_days, progress=progress,
            refresh_advocacy=False,
        )  # fmt: skip
    except ServiceError as error:
        _fail(str(error))
    if show:
        click.echo("", err=True)
    summary = {
        "snapshot": snapshot.id,
        "window": [snapshot.window_start.isoformat(), snapshot.window_end.isoformat()],
        "counts": snapshot.counts,
        "timings": snapshot.timings,
    }
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
        return
    counts = snapshot.counts
    click.echo(
        f"snapshot {snapshot.id}: {counts['authors']:,} authors, {counts['posts']:,} posts, "
        f"{counts['interactions']:,} interactions, {counts['communities']:,} communities"
    )
    for role, number in sorted(counts["roles"].items(), key=lambda item: -item[1]):
        click.echo(f"  {role}: {number:,}")
    click.echo("advocacy figures: brought up to date by the web app, or now with "
               f"flask --app wsgi advocacy refresh --workspace {slug}")  # fmt: skip


@authors_cli.command("list")
@click.option("--workspace", "slug", required=True)
@click.option(
    "--role", type=click.Choice(["networker", "thought_leader", "trendsetter", "amplifier", "user"])
)
@click.option("--topic", help="Rank by this topic (#tag or brand term).")
@click.option("--platform")
@click.option("--min-score", type=float)
@click.option(
    "--contacted",
    type=click.Choice(["yes", "no"]),
    help="Only authors someone has (yes) or nobody has yet (no) contacted.",
)
@click.option("--sort", default="score", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per line.")
def list_authors(slug, role, topic, platform, min_score, contacted, sort, limit, as_json) -> None:
    """List the workspace's authors from the latest snapshot, best first."""
    from app.services import influencers

    workspace = _workspace(slug)
    args = {"role": role, "topic": topic, "platform": platform, "sort": sort, "contacted": contacted,
            "min_score": "" if min_score is None else str(min_score)}  # fmt: skip
    filters, errors = influencers.InfluencerFilters.from_args({k: v for k, v in args.items() if v})
    if errors:
        _fail("; ".join(map(str, errors)))
    if topic and not filters.sort.startswith("topic_") and sort == "score":
        filters.sort = "topic_thought_leader"
    page = influencers.list_influencers(workspace, filters, per_page=limit)
    if not page.items and influencers.latest_snapshot(workspace) is None:
        _fail(
            f"workspace {slug} has no scores yet: run `flask --app wsgi scores compute --workspace {slug}`"
        )
    for row in page.items:
        data = influencers.row_json(row)
        if as_json:
            click.echo(json.dumps(data, ensure_ascii=False))
        else:
            scores = " ".join(f"{name[:2]}={value:5.1f}" for name, value in data["scores"].items())
            click.echo(f"{data['platform']:<9} @{data['handle']:<24} {data['role']:<15} {scores}  "
                       f"followers={data['followers'] or 0:,} mentions={data['mentions']:,}")  # fmt: skip


sentiment_cli = CommandGroup("sentiment", help="The workspace's sentiment model: train, use, status.")


@sentiment_cli.command("train")
@click.option("--workspace", "slug", required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the model's figures as JSON.")
def train_sentiment(slug: str, as_json: bool) -> None:
    """Train the workspace's model on its corrections now, then label its mentions with it."""
    from app.sentiment import services as sentiment

    try:
        workspace = workspace_service.get_by_slug(slug)
        with click.progressbar(length=100, label="Labelling", file=sys.stderr,
                               hidden=as_json or not sys.stderr.isatty()) as bar:  # fmt: skip
            seen = [0]

            def progress(fraction: float) -> None:
                bar.update(int(fraction * 100) - seen[0])
                seen[0] = int(fraction * 100)

            model = sentiment.train(workspace, progress=progress)
    except ServiceError as error:
        _fail(str(error))
    figures = {"model": model.id, "corrections": model.corrections, "quality": model.quality,
               "languages": model.languages, "labelled": model.labelled, "seconds": model.seconds}
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False))
        return
    click.echo(_describe_model(model))


@sentiment_cli.command("status")
@click.option("--workspace", "slug", required=True)
def sentiment_status(slug: str) -> None:
    """Say which model labels the workspace's posts, and how good it is."""
    from app.sentiment import services as sentiment

    try:
        workspace = workspace_service.get_by_slug(slug)
    except ServiceError as error:
        _fail(str(error))
    counts = sentiment.correction_counts(workspace)
    click.echo("corrections: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    model = sentiment.latest_model(workspace)
    if model is None:
        click.echo("no learned model yet: the base analysers label every post")
        return
    click.echo(_describe_model(model))
    if not sentiment.settings_of(workspace).use_model:
        click.echo("the workspace uses the base analysers ('sentiment use model' to switch)")


@sentiment_cli.command("use")
@click.argument("choice", type=click.Choice(["model", "base"]))
@click.option("--workspace", "slug", required=True)
def use_sentiment(choice: str, slug: str) -> None:
    """Label the workspace's posts with its learned model, or with the base analysers."""
    from app.sentiment import services as sentiment

    try:
        workspace = workspace_service.get_by_slug(slug)
        sentiment.update_settings(workspace, use_model=choice == "model")
    except ServiceError as error:
        _fail(str(error))
    click.echo(f"the workspace now uses {'its learned model' if choice == 'model' else 'the base analysers'};"
               " its mentions are relabelled in the background")  # fmt: skip


def _describe_model(model) -> str:
    quality = model.quality or {}
    lines = [f"model {model.id}: {model.status}, learned from {model.corrections:,} corrections"
             f" in {model.seconds or 0:.1f} s, labels {', '.join(model.languages) or 'no language yet'}"]  # fmt: skip
    if quality:
        lines.append(f"cross-validated accuracy {quality['accuracy']:.1%} ({quality['folds']} folds)")
        for label, q in quality.get("classes", {}).items():
            lines.append(f"  {label}: {q['recall']:.1%} found, {q['precision']:.1%} right,"
                         f" {q['support']:,} corrections")  # fmt: skip
    if model.message:
        lines.append(model.message)
    return "\n".join(lines)


jobs_cli = CommandGroup("jobs", help="Background work: list it, or run a worker for it.")


@jobs_cli.command("list")
@click.option("--workspace", "slug", required=True, help="The workspace whose work to list.")
@click.option(
    "--kind", "kinds", type=click.Choice(list(job_records.KINDS)), multiple=True,
    help="Only this kind of work (repeat for several).",
)  # fmt: skip
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per line.")
def list_jobs(slug: str, kinds: tuple[str, ...], limit: int, as_json: bool) -> None:
    """List the workspace's scoring runs, imports and exports, newest first, with why any failed."""
    workspace = _workspace(slug)
    work = job_records.recent_work(workspace, kinds or tuple(job_records.KINDS), limit)
    if not work and not as_json:
        click.echo(f"workspace {slug} has no background work yet")
    for item in work:
        if as_json:
            click.echo(json.dumps(item.as_json(), ensure_ascii=False))
            continue
        times = " · ".join(
            f"{label} {at:%Y-%m-%d %H:%M:%S}"
            for label, at in (("queued", item.created_at), ("started", item.started_at),
                              ("finished", item.finished_at))
            if at is not None
        )  # fmt: skip
        click.echo(f"{item.kind} #{item.id} {item.status} · {times} UTC · {item.what}")
        if item.message:
            click.echo(f"  {item.message}")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def run_worker(burst: bool) -> None:
    """Run an RQ worker for the background jobs (when REDIS_URL is set)."""
    from redis.exceptions import RedisError

    from app.services import rq_jobs

    url = current_app.config.get("REDIS_URL")
    if not url:
        _fail("REDIS_URL is not set: jobs run inside the web server and need no worker")
    try:
        rq_jobs.work(url, burst=burst)
    except RedisError as error:
        _fail(f"Redis at REDIS_URL did not answer: {error}")


def _workspace(slug: str):
    try:
        return workspace_service.get_by_slug(slug)
    except ServiceError as error:
        _fail(str(error))


def register(app: Flask) -> None:
    """Add the command groups to the app's CLI."""
    app.cli.add_command(workspaces_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(mentions_cli)
    app.cli.add_command(tokens_cli)
    app.cli.add_command(demo)
    app.cli.add_command(scores_cli)
    app.cli.add_command(authors_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(sentiment_cli)
