"""Background work that overran its time limit or died, as a user meets it: on its page, with
what to do, the previous scores still in place, and in ``flask --app wsgi jobs list``."""

import io
import json
import time
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import ScoreSnapshot
from app.services import ingest, jobs, scoring
from factories import login, make_user, make_workspace, mention, write_csv

pytestmark = pytest.mark.timeout(120)


def rows() -> list[dict]:
    """A hub a dozen fans thank, who answers them all."""
    out = []
    for i in range(12):
        day = f"2026-11-{1 + i % 5:02d}T{10 + i % 8:02d}:00:00Z"
        out.append(mention(f"h{i}", f"fan{i}", "@hub thanks! #delivery", created_at=day))
        out.append(mention(f"r{i}", "hub", f"@fan{i} you are welcome", created_at=day,
                           reply_to_id=f"h{i}", reply_to_author=f"fan{i}"))  # fmt: skip
    return out


@pytest.fixture
def workspace(app, client, tmp_path):
    """A scored workspace, its owner signed in, and a one-second time limit."""
    workspace = make_workspace("acme", owner=make_user())
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows())])
    scoring.compute(workspace)
    login(client)
    app.config["JOB_TIME_LIMIT"] = 1
    return workspace


@pytest.fixture
def waiting(monkeypatch):
    """The jobs submitted, kept for the test to run (as a busy runner would, later)."""
    submitted = []
    monkeypatch.setattr(jobs, "submit_record", lambda *job: submitted.append(job))
    return submitted


def hang(submitted: list) -> None:
    """Run the submitted job's record with a job that hangs: the time limit stops it."""
    [(_path, _args, record)] = submitted
    jobs.run_job("sample_jobs.sleep", (60,), record)


def test_a_scoring_run_that_overran_says_what_to_do_and_the_scores_stay(
    workspace, client, waiting
):
    shown = scoring.latest_snapshot(workspace)
    client.post("/w/acme/scores")
    hang(waiting)
    page = client.get("/w/acme/influencers").get_data(as_text=True)
    assert "Scoring failed" in page
    assert (
        "stopped after 1 second, the time limit. The previous scores are still shown. Try"
        " Recompute again; if it keeps stopping, raise FLASK_JOB_TIME_LIMIT or score a shorter"
        " window in Settings." in page
    )
    assert "@hub" in page and "@fan3" in page  # the previous scores, still listed
    assert scoring.latest_snapshot(workspace).id == shown.id
    failed = scoring.snapshots(workspace)[0]
    status = client.get(f"/w/acme/scores/{failed.id}/status").get_data(as_text=True)
    assert "stopped after 1 second" in status and "hx-trigger" not in status  # polling ends
    runs = client.get("/w/acme/scores").get_data(as_text=True)
    assert "✕ failed" in runs and "raise FLASK_JOB_TIME_LIMIT" in runs


def test_a_run_that_died_without_a_trace_is_closed_and_recompute_starts_anew(workspace, client):
    dead = ScoreSnapshot(workspace_id=workspace.id, status="running", phase="scoring")
    db.session.add(dead)
    db.session.commit()
    dead.created_at -= timedelta(hours=1)
    db.session.commit()
    page = client.get("/w/acme/influencers").get_data(as_text=True)
    assert "did not finish: it timed out or was stopped (the server may have restarted)" in page
    assert "@hub" in page
    client.post("/w/acme/scores")  # not blocked by the dead run: a new one runs (inline here)
    newest = scoring.snapshots(workspace)[0]
    assert newest.id != dead.id and newest.status == "done"


def test_an_import_that_overran_says_what_to_do(workspace, client, waiting):
    upload = io.BytesIO(b"platform,id,author,created_at,text\ntwitter,1,anna,2026-11-01,hi\n")
    response = client.post(
        "/w/acme/import", data={"files": [(upload, "big.csv")], "format": "auto"},
        content_type="multipart/form-data",
    )  # fmt: skip
    hang(waiting)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The import failed:" in page
    assert (
        "stopped after 1 second, the time limit. Mentions imported before it stopped are kept,"
        " and importing the same file again skips them. Import the file again; if it keeps"
        " stopping, raise FLASK_JOB_TIME_LIMIT or split the file into smaller ones." in page
    )
    history = client.get("/w/acme/import").get_data(as_text=True)
    assert "✕ failed" in history and "split the file into smaller ones" in history


def test_an_export_that_overran_says_what_to_do(workspace, client, waiting):
    response = client.post("/w/acme/network/exports", data={"format": "gexf", "view": ""})
    hang(waiting)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The GEXF export failed" in page
    assert (
        "stopped after 1 second, the time limit. Start the export again; if it keeps stopping,"
        " raise FLASK_JOB_TIME_LIMIT or export a smaller view (one topic, a shorter period or"
        " fewer people)." in page
    )


def test_recompute_runs_in_a_process_of_its_own_and_reports_done(app, workspace, client):
    app.config.update(JOBS_INLINE=False, JOB_TIME_LIMIT=60)
    client.post("/w/acme/scores")
    run = scoring.snapshots(workspace)[0]
    deadline = time.monotonic() + 60
    status = ""
    while "Scoring done" not in status:
        assert time.monotonic() < deadline, status
        time.sleep(0.3)
        db.session.expire_all()  # as a new request's session would: the runner changed the run
        status = client.get(f"/w/acme/scores/{run.id}/status").get_data(as_text=True)
    assert scoring.latest_snapshot(workspace).id == run.id


def test_jobs_list_shows_the_work_and_why_it_failed(workspace, client, runner, waiting):
    client.post("/w/acme/scores")
    hang(waiting)
    result = runner.invoke(args=["jobs", "list", "--workspace", "acme"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    failed = scoring.snapshots(workspace)[0]
    assert lines[0].startswith(f"scoring #{failed.id} failed · queued 20")
    assert " · started 20" in lines[0] and " · finished 20" in lines[0]
    assert lines[0].endswith("UTC · manual run")
    assert lines[1] == (
        "  stopped after 1 second, the time limit. The previous scores are still shown. Try"
        " Recompute again; if it keeps stopping, raise FLASK_JOB_TIME_LIMIT or score a shorter"
        " window in Settings"
    )
    assert any(line.startswith("scoring #") and " done · " in line for line in lines[2:])
    as_json = runner.invoke(args=["jobs", "list", "--workspace", "acme", "--json"])
    newest = json.loads(as_json.output.splitlines()[0])
    assert newest["kind"] == "scoring" and newest["status"] == "failed"
    assert newest["message"].startswith("stopped after 1 second")
    assert newest["started_at"] and newest["finished_at"]
    upload = io.BytesIO(b"platform,id,author,created_at,text\n")
    client.post("/w/acme/import", data={"files": [(upload, "later.csv")], "format": "auto"},
                content_type="multipart/form-data")  # fmt: skip
    imports = runner.invoke(args=["jobs", "list", "--workspace", "acme", "--kind", "import"])
    assert imports.output.startswith("import #") and "scoring #" not in imports.output
    assert " queued · queued 20" in imports.output and "started" not in imports.output
    assert imports.output.endswith("UTC · upload: later.csv\n")


def test_jobs_list_errors_are_one_line(app, runner):
    result = runner.invoke(args=["jobs", "list", "--workspace", "nope"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1 and "nope" in result.output
    make_workspace("empty")
    empty = runner.invoke(args=["jobs", "list", "--workspace", "empty"])
    assert empty.output == "workspace empty has no background work yet\n"
    worker = runner.invoke(args=["jobs", "worker"])
    assert worker.exit_code == 1
    assert "REDIS_URL is not set: jobs run inside the web server and need no worker" in worker.output


def test_a_cli_scoring_run_that_fails_is_not_left_running(app, runner):
    make_workspace("empty")
    result = runner.invoke(args=["scores", "compute", "--workspace", "empty"])
    assert result.exit_code == 1 and "no mentions to score yet" in result.output
    listed = runner.invoke(args=["jobs", "list", "--workspace", "empty"]).output
    assert listed.startswith("scoring #") and " failed · " in listed
    assert "no mentions to score yet" in listed


def test_command_line_work_stopped_by_ctrl_c_is_marked_failed(workspace, runner, monkeypatch, tmp_path):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(scoring, "_compute", interrupt)
    monkeypatch.setattr(ingest, "import_files", interrupt)
    assert runner.invoke(args=["scores", "compute", "--workspace", "acme"]).exit_code == 1
    path = write_csv(tmp_path / "more.csv", rows())
    assert runner.invoke(args=["mentions", "import", str(path), "--workspace", "acme"]).exit_code == 1
    listed = runner.invoke(args=["jobs", "list", "--workspace", "acme", "--json"]).output
    work = {item["kind"]: item for item in map(json.loads, reversed(listed.splitlines()))}
    for kind in ("scoring", "import"):
        assert work[kind]["status"] == "failed"
        assert work[kind]["message"].startswith("was interrupted before it finished")
    assert scoring.latest_snapshot(workspace).status == "done"  # the scores shown before
