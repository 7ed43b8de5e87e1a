"""Work done in a forked process gives the same result as work done here."""

import os

import numpy as np
import pytest

import graph.parallel
import graph.roles
from graph import score_authors
from graph.parallel import apart
from graph.synthetic import generate_workspace

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")


@pytest.fixture
def forking(monkeypatch):
    """Fork whatever the test runner's threads (none of them runs during these tests)."""
    monkeypatch.setattr(graph.parallel, "can_fork", lambda: True)


def test_a_forked_child_returns_the_value(forking):
    job = apart(sorted, [3, 1, 2])
    assert job.forked and job.result() == [1, 2, 3] and job.pid == 0
    assert job.result() == [1, 2, 3]


def test_a_failed_child_is_made_up_for_here(forking, monkeypatch):
    monkeypatch.setattr(graph.parallel.pickle, "dump", lambda *args, **kwargs: os._exit(3))
    job = apart(sorted, [3, 1, 2])
    assert job.forked and job.result() == [1, 2, 3]


def test_a_closed_child_is_stopped(forking):
    job = apart(sum, range(10))
    job.close()
    assert job.pid == 0
    with pytest.raises(RuntimeError, match="stopped"):
        job.result()


def test_without_fork_the_function_runs_when_its_value_is_asked_for():
    calls = []
    job = apart(calls.append, 1, fork=False)
    assert not job.forked and calls == []
    assert job.result() is None and job.result() is None and calls == [1]


def test_bot_signals_in_a_child_process_score_the_same(forking, monkeypatch):
    posts, interactions, authors = generate_workspace(600, seed=5)
    now = max(p.at for p in posts)
    here = score_authors(posts, interactions, authors=authors, now=now)
    monkeypatch.setattr(graph.roles, "PARALLEL_MIN_POSTS", 0)
    jobs = []
    start = graph.roles.apart
    monkeypatch.setattr(
        graph.roles, "apart", lambda *a, **k: jobs.append(start(*a, **k)) or jobs[-1]
    )
    apart_ = score_authors(posts, interactions, authors=authors, now=now, parallel=True)
    assert len(jobs) == 2 and all(job.forked for job in jobs)  # bot signals, topic rankings
    assert here.keys == apart_.keys and here.roles == apart_.roles
    for role in ("networker", "thought_leader", "trendsetter", "amplifier"):
        assert np.array_equal(here.scores[role], apart_.scores[role])
    assert np.array_equal(here.bots.score, apart_.bots.score)
    keys = here.keys[:50]
    assert here.authors(keys) == apart_.authors(keys)
