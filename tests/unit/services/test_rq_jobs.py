"""Jobs on RQ: queued with the time limit, and every way a job ends reaches its record.

These use Redis's database 5 on 127.0.0.1 and are skipped when it is not there. A worker runs
as an operator runs it, ``flask --app wsgi jobs worker``, in a process of its own.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.exceptions import AbandonedJobError
from rq.registry import FailedJobRegistry
from rq.timeouts import JobTimeoutException

from app.extensions import db
from app.models import ScoreSnapshot
from app.services import jobs, rq_jobs
from factories import make_workspace

REDIS = "redis://127.0.0.1:6379/5"
ROOT = Path(__file__).resolve().parents[3]
LIMIT = 5  # seconds: a job's process starts well within it, and a sleeping job overruns it

pytestmark = pytest.mark.timeout(120, method="thread")  # RQ uses SIGALRM itself


@pytest.fixture
def redis_db():
    try:
        connection = Redis.from_url(REDIS, socket_connect_timeout=1)
        connection.ping()
    except RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS} ({error})")
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


@pytest.fixture
def on_rq(app, redis_db, monkeypatch):
    """The app and the environment an RQ worker builds its app from: the same database,
    Redis's database 5 and a short time limit."""
    environment = {
        "REDIS_URL": REDIS,
        "FLASK_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "FLASK_SECRET_KEY": "test-secret",
        "FLASK_JOB_TIME_LIMIT": str(LIMIT),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), str(ROOT)]),
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    app.config.update(REDIS_URL=REDIS, JOBS_INLINE=False, JOB_TIME_LIMIT=LIMIT)
    return make_workspace("acme")


def queued_run(workspace) -> ScoreSnapshot:
    snapshot = ScoreSnapshot(workspace_id=workspace.id, status="queued")
    db.session.add(snapshot)
    db.session.commit()
    return snapshot


def reloaded(record: ScoreSnapshot) -> ScoreSnapshot:
    return db.session.get(ScoreSnapshot, record.id, populate_existing=True)


def test_jobs_are_queued_with_the_time_limit_and_the_failure_hooks(on_rq, redis_db):
    run = queued_run(on_rq)
    jobs.submit("sample_jobs.sleep", 0, record=run)
    [job] = Queue(rq_jobs.QUEUE, connection=redis_db).jobs
    assert job.func_name == "app.services.rq_jobs.execute"
    assert job.args == ("sample_jobs.sleep", [0], ("scoring", run.id))
    assert job.timeout == LIMIT + rq_jobs.RQ_MARGIN
    assert job.failure_callback is rq_jobs.on_failure
    assert job.stopped_callback is rq_jobs.on_stopped


def test_a_worker_fails_the_records_of_jobs_that_overran_raised_or_lost_their_horse(
    on_rq, redis_db
):
    overran, raised, killed, finished = (queued_run(on_rq) for _ in range(4))
    jobs.submit("sample_jobs.sleep", 60, record=overran)
    jobs.submit("sample_jobs.fail", "secret internals", record=raised)
    jobs.submit("sample_jobs.kill_runner", record=killed)  # the OOM killer takes the horse
    jobs.submit("app.services.scoring.run_snapshot", finished.id, record=finished)
    worker = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "worker", "--burst"],
        cwd=ROOT, capture_output=True, text=True, timeout=100,
    )  # fmt: skip
    assert worker.returncode == 0, worker.stderr
    overran, raised, killed, finished = map(reloaded, (overran, raised, killed, finished))
    assert overran.status == "failed"
    assert overran.message.startswith(f"stopped after {LIMIT} seconds, the time limit")
    assert raised.status == "failed" and "internal error (RuntimeError" in raised.message
    assert killed.status == "failed" and "the RQ work horse was killed by signal" in killed.message
    # a job of an empty workspace fails in its own words, like any other run
    assert finished.status == "failed" and "no mentions to score" in finished.message
    failed = FailedJobRegistry(rq_jobs.QUEUE, connection=redis_db)
    assert failed.count == 3  # RQ knows of the failures too (an own-words failure is a result)


@pytest.mark.parametrize(
    "error, expected",
    [
        (JobTimeoutException("Task exceeded maximum timeout value"),
         f"stopped after {LIMIT} seconds, the time limit"),
        (AbandonedJobError(), "did not finish: it timed out or was stopped"),
        (MemoryError(), "internal error (MemoryError"),
    ],
)  # fmt: skip
def test_rq_failure_callbacks_mark_the_record(on_rq, redis_db, error, expected):
    run = queued_run(on_rq)
    jobs.submit("sample_jobs.sleep", 0, record=run)
    [job] = Queue(rq_jobs.QUEUE, connection=redis_db).jobs
    rq_jobs.on_failure(job, redis_db, type(error), error, None)
    run = reloaded(run)
    assert run.status == "failed" and expected in run.message


def test_a_stopped_job_fails_its_record(on_rq, redis_db):
    run = queued_run(on_rq)
    jobs.submit("sample_jobs.sleep", 0, record=run)
    [job] = Queue(rq_jobs.QUEUE, connection=redis_db).jobs
    rq_jobs.on_stopped(job, redis_db)
    assert "was stopped" in reloaded(run).message


def test_a_job_redis_does_not_take_fails_at_once_saying_so(app):
    app.config.update(REDIS_URL="redis://127.0.0.1:1/5", JOBS_INLINE=False)
    run = queued_run(make_workspace("acme"))
    jobs.submit("sample_jobs.sleep", 0, record=run)
    run = reloaded(run)
    assert run.status == "failed"
    assert "could not be started: the job queue did not answer (ConnectionError)" in run.message
    assert "check that Redis runs at REDIS_URL" in run.message
