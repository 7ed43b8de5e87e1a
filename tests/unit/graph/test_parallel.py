"""Work done in a worker process gives the same result as work done here, and never hangs."""

import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

import graph.parallel
import graph.roles
from graph import score_authors
from graph.parallel import Worker, apart, start_method
from graph.synthetic import generate_workspace

ROOT = Path(__file__).resolve().parents[3]


def _crash(code: int) -> None:
    os._exit(code)


def _sleep_then(seconds: float, value):
    time.sleep(seconds)
    return value


def test_a_worker_returns_the_value():
    job = apart(sorted, [3, 1, 2])
    assert job.parallel and job.result() == [1, 2, 3]
    assert job.result() == [1, 2, 3]


def test_workers_never_come_from_a_plain_fork():
    assert start_method() in ("forkserver", "spawn")


def test_a_worker_that_dies_is_made_up_for_here(caplog):
    calls = []
    job = apart(_crash, 3)
    job.func = lambda code: calls.append(code) or "here"  # what the caller computes instead
    with caplog.at_level(logging.WARNING, logger="graph.parallel"):
        assert job.result() == "here"
    assert calls == [3] and "failed in a worker process" in caplog.text


@pytest.mark.timeout(30)
def test_a_worker_past_its_time_limit_is_stopped_and_the_value_computed_here(caplog):
    job = apart(_sleep_then, 60, "late", timeout=1)
    job.args = (0, "here")
    start = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="graph.parallel"):
        assert job.result() == "here"
    assert time.monotonic() - start < 20
    assert "no answer in 1 s" in caplog.text


@pytest.mark.timeout(30)
def test_a_closed_worker_is_stopped_at_once():
    job = apart(_sleep_then, 60, "late")
    start = time.monotonic()
    job.close()
    assert time.monotonic() - start < 20


def test_without_parallel_the_function_runs_when_its_value_is_asked_for():
    calls = []
    job = apart(calls.append, 1, parallel=False)
    assert not job.parallel and calls == []
    assert job.result() is None and job.result() is None and calls == [1]


def test_bot_signals_and_topic_ranks_in_a_worker_score_the_same(monkeypatch):
    posts, interactions, authors = generate_workspace(600, seed=5)
    now = max(p.at for p in posts)
    here = score_authors(posts, interactions, authors=authors, now=now)
    monkeypatch.setattr(graph.roles, "PARALLEL_MIN_POSTS", 0)
    jobs = []
    submit = graph.parallel.Worker.submit
    monkeypatch.setattr(
        graph.parallel.Worker, "submit", lambda self, *a: jobs.append(submit(self, *a)) or jobs[-1]
    )
    apart_ = score_authors(posts, interactions, authors=authors, now=now, parallel=True)
    assert len(jobs) == 2 and all(job.parallel for job in jobs)  # bot signals, topic ranks
    assert here.keys == apart_.keys and here.roles == apart_.roles
    for role in ("networker", "thought_leader", "trendsetter", "amplifier"):
        assert np.array_equal(here.scores[role], apart_.scores[role])
    assert np.array_equal(here.bots.score, apart_.bots.score)
    assert here.topics == apart_.topics
    for topic in here.topics:
        assert here.topic_ranking(topic, limit=None) == apart_.topic_ranking(topic, limit=None)
    keys = here.keys[:50]
    assert here.authors(keys) == apart_.authors(keys)


def test_a_worker_runs_its_calls_in_order_and_stops_with_the_work():
    with Worker() as worker:
        jobs = [worker.submit(sorted, [k, 1, 0]) for k in range(3)]
        assert worker.running and [job.result() for job in jobs] == [[0, 0, 1], [0, 1, 1], [0, 1, 2]]
    assert not worker.running


# igraph's PageRank (PRPACK) runs on an OpenMP thread pool from a few thousand nodes on. The
# script starts that pool here first, then scores in parallel on a graph big enough for the
# worker's PageRanks to use OpenMP too: a worker forked from this process would wait forever
# for pool threads it does not have (igraph 1.0 with the fork-based graph.parallel did).
OPENMP_THEN_PARALLEL = textwrap.dedent(
    """
    import random

    import igraph

    import graph.roles
    from graph import score_authors
    from graph.types import Interaction, Post

    igraph.Graph.Erdos_Renyi(3000, m=15000, directed=True).personalized_pagerank(
        reset_vertices=[0, 1, 2]
    )
    graph.roles.PARALLEL_MIN_POSTS = 0
    rng = random.Random(3)
    posts, edges = [], []
    for i in range(9000):
        a, b = rng.randrange(3000), rng.randrange(3000)
        if a != b:
            posts.append(Post(f"u{a}", i, float(i), kind="reply", topics=(f"#t{i % 3}",)))
            edges.append(Interaction(f"u{a}", f"u{b}", "reply", float(i), i))
    result = score_authors(posts, edges, parallel=True)
    print("scored", len(result.keys))
    """
)


@pytest.mark.timeout(240)
def test_parallel_scoring_after_an_openmp_pagerank_finishes():
    process = subprocess.Popen(
        [sys.executable, "-c", OPENMP_THEN_PARALLEL],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its whole process group can be stopped if it hangs
    )  # fmt: skip
    try:
        out, err = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("scoring in parallel after an OpenMP PageRank hung for 120 s")
    assert process.returncode == 0, err
    assert out.startswith("scored ")
