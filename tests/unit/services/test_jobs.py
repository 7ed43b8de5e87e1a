"""The background runner: each job in a child process under the time limit, its record marked
when it does not finish, and records of jobs that died without a trace closed."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from app import ConfigurationError, create_app
from app.extensions import db
from app.models import ScoreSnapshot, utcnow
from app.services import ingest, job_process, job_records, jobs, scoring
from factories import make_workspace, mention, write_csv

pytestmark = pytest.mark.timeout(120)
# A job's process needs 1-2 s to start here (Python, Flask, SQLAlchemy, the app): where a test
# needs the job to be under way when the limit strikes, the limit leaves time for that.
UNDER_WAY = 4


@pytest.fixture
def workspace(app):
    app.config["JOB_TIME_LIMIT"] = 1
    return make_workspace("acme")


def queued_run(workspace, status: str = "queued") -> ScoreSnapshot:
    snapshot = ScoreSnapshot(workspace_id=workspace.id, status=status)
    db.session.add(snapshot)
    db.session.commit()
    return snapshot


def reloaded(record: ScoreSnapshot) -> ScoreSnapshot:
    return db.session.get(ScoreSnapshot, record.id, populate_existing=True)


def alive(pid: int) -> bool:
    """Return whether the process is there and not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def gone_soon(pid: int, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_job_past_its_limit_is_killed_with_its_helpers_and_its_record_failed(
    app, workspace, tmp_path
):
    app.config["JOB_TIME_LIMIT"] = UNDER_WAY
    run = queued_run(workspace)
    started = time.monotonic()
    failure = jobs.run_job("sample_jobs.sleep", (60, str(tmp_path)), ("scoring", run.id))
    assert UNDER_WAY <= time.monotonic() - started < UNDER_WAY + 10
    run = reloaded(run)
    assert run.status == "failed" and run.message == failure and run.finished_at
    assert run.started_at is not None
    assert f"stopped after {UNDER_WAY} seconds, the time limit" in run.message
    assert "The previous scores are still shown" in run.message
    assert "raise FLASK_JOB_TIME_LIMIT or score a shorter window in Settings" in run.message
    for name in ("job.pid", "helper.pid"):  # the job and the process it started
        assert gone_soon(int((tmp_path / name).read_text())), name


@pytest.mark.parametrize(
    "path, args, expected",
    [
        ("sample_jobs.fail", ("secret internals",),
         "stopped on an internal error (RuntimeError; it was logged). The previous scores are"
         " still shown. Try Recompute again"),
        ("sample_jobs.refuse", ("the file is gone",), "the file is gone"),  # its own words
        ("sample_jobs.crash", (3,),
         "its process ended unexpectedly (exit code 3). The previous scores are still shown."
         " Try Recompute again; if it keeps failing, score a shorter window in Settings"),
    ],
)  # fmt: skip
def test_a_job_that_raises_or_crashes_is_failed_with_its_reason(
    app, workspace, path, args, expected
):
    app.config["JOB_TIME_LIMIT"] = 60  # time enough to start: this is not about the limit
    run = queued_run(workspace)
    jobs.run_job(path, args, ("scoring", run.id))
    run = reloaded(run)
    assert run.status == "failed" and expected in run.message
    assert "secret internals" not in run.message  # an internal error's text stays in the log


def test_a_real_scoring_job_runs_in_its_own_process(app, workspace, tmp_path):
    rows = [mention(str(i), f"fan{i}", "@hub thanks #acme") for i in range(5)]
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows)])
    app.config["JOB_TIME_LIMIT"] = 120
    run = queued_run(workspace)
    assert jobs.run_job("app.services.scoring.run_snapshot", (run.id,), ("scoring", run.id)) is None
    run = reloaded(run)
    assert run.status == "done" and run.counts["authors"] == 6
    assert scoring.latest_snapshot(workspace).id == run.id


def test_jobs_a_job_submits_are_started_by_its_runner(app, workspace, monkeypatch):
    app.config["JOB_TIME_LIMIT"] = 60
    submitted = []
    monkeypatch.setattr(jobs, "submit_record", lambda *call: submitted.append(call))
    jobs.run_job("sample_jobs.submit_another", (["scoring", 7],), None)
    assert submitted == [("sample_jobs.sleep", (0,), ("scoring", 7))]


def test_a_record_that_ended_while_its_job_waited_is_not_run(workspace, monkeypatch):
    run = queued_run(workspace, status="failed")
    monkeypatch.setattr(job_process, "run", lambda *args: pytest.fail("the job was started"))
    assert jobs.run_job("sample_jobs.sleep", (0,), ("scoring", run.id)) is None
    assert reloaded(run).started_at is None


def test_the_thread_runner_enforces_the_limit(app, workspace):
    app.config["JOBS_INLINE"] = False
    run = queued_run(workspace)
    jobs.submit("sample_jobs.sleep", 60, record=run)
    deadline = time.monotonic() + 60
    while reloaded(run).status == "queued" or reloaded(run).finished_at is None:
        assert time.monotonic() < deadline, "the job was not stopped"
        time.sleep(0.2)
    assert "stopped after 1 second" in reloaded(run).message


def test_a_record_left_running_past_its_limit_is_closed_when_read(workspace):
    long_ago = utcnow() - timedelta(seconds=1) - job_records.STALE_GRACE - timedelta(seconds=1)
    dead = queued_run(workspace, status="running")
    dead.created_at = long_ago
    waited = queued_run(workspace, status="running")  # waited long, then started just now
    waited.created_at, waited.started_at = long_ago, utcnow()
    fresh = queued_run(workspace, status="queued")
    db.session.commit()
    assert scoring.current_run(workspace).id == fresh.id
    dead = reloaded(dead)
    assert dead.status == "failed" and dead.finished_at
    assert "did not finish: it timed out or was stopped" in dead.message
    assert reloaded(waited).status == "running" and reloaded(fresh).status == "queued"


def test_a_new_run_starts_when_the_pending_one_died(app, workspace, monkeypatch):
    monkeypatch.setattr(jobs, "submit_record", lambda *call: None)  # nobody runs the jobs
    dead = scoring.queue_scoring(workspace)
    assert scoring.queue_scoring(workspace).id == dead.id  # still waiting: the same run
    dead.created_at -= timedelta(hours=2)
    db.session.commit()
    new = scoring.queue_scoring(workspace)
    assert new.id != dead.id and reloaded(dead).status == "failed"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_job_dies_with_its_runner(app, tmp_path):
    """A runner killed outright (a web server's worker, say) takes its job with it."""
    script = (
        "import sys; sys.path[:0] = sys.argv[1:3]\n"
        "from app.services import job_process\n"
        "job_process.run({'SECRET_KEY': 'x', 'SQLALCHEMY_DATABASE_URI': 'sqlite://',"
        f" 'INSTANCE_PATH': {str(tmp_path / 'instance')!r}}},"
        f" 'sample_jobs.sleep', (60, {str(tmp_path)!r}), 60)\n"
    )
    root = Path(__file__).resolve().parents[3]
    runner = subprocess.Popen([sys.executable, "-c", script, str(root), str(root / "tests")])
    try:
        deadline = time.monotonic() + 30
        while not (tmp_path / "job.pid").exists():
            assert time.monotonic() < deadline and runner.poll() is None, "the job did not start"
            time.sleep(0.05)
        job = int((tmp_path / "job.pid").read_text())
        os.kill(runner.pid, signal.SIGKILL)
        runner.wait(10)
        assert gone_soon(job)
    finally:
        runner.kill()
        runner.wait(10)


@pytest.mark.parametrize("value", ["abc", "0", "-5", "true"])
def test_a_bad_time_limit_is_refused_naming_the_setting(tmp_path, monkeypatch, value):
    monkeypatch.setenv("FLASK_JOB_TIME_LIMIT", value)
    with pytest.raises(ConfigurationError, match="FLASK_JOB_TIME_LIMIT must be a number"):
        create_app({"SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path)})


def test_the_time_limit_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_JOB_TIME_LIMIT", "90")
    app = create_app({"SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path)})
    assert app.config["JOB_TIME_LIMIT"] == 90
    assert job_records.duration(90) == "90 seconds" and job_records.duration(3600) == "60 minutes"
