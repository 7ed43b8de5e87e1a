"""Scores on a synthetic workspace: stable under edge loss, blind to a planted bot ring."""

import random

import numpy as np
import pytest
from scipy.stats import spearmanr

from graph import ROLES, score_authors
from graph.synthetic import RECORD_FIELDS, generate_records, generate_workspace, to_graph_input


@pytest.fixture(scope="module")
def synthetic():
    return generate_workspace(3000, bot_ring=12, seed=11)


@pytest.fixture(scope="module")
def scored(synthetic):
    posts, edges, authors = synthetic
    return score_authors(posts, edges, authors=authors)


def test_generator_is_seeded_and_shaped():
    a = list(generate_records(100, seed=3))
    assert a == list(generate_records(100, seed=3))
    assert a != list(generate_records(100, seed=4))
    assert all(set(r) == set(RECORD_FIELDS) for r in a)
    kinds = [p.kind for p in to_graph_input(a)[0]]
    assert 0.2 < kinds.count("repost") / len(kinds) < 0.4
    assert 0.1 < kinds.count("reply") / len(kinds) < 0.3


def test_generator_rejects_bad_sizes():
    with pytest.raises(ValueError):
        list(generate_records(1))


def test_generator_takes_the_shares_of_post_kinds():
    kinds = [
        p.kind
        for p in to_graph_input(generate_records(300, seed=3, kinds=(0.3, 0.1, 0.55, 0.05)))[0]
    ]
    assert 0.45 < kinds.count("repost") / len(kinds) < 0.6
    assert list(generate_records(50, seed=1)) == list(
        generate_records(50, seed=1, kinds=(0.45, 0.20, 0.30, 0.05))
    )  # the default is the shares used so far
    for bad in [(0.5, 0.5), (0.5, 0.5, 0.5, -0.5), (0.3, 0.3, 0.3, 0.3)]:
        with pytest.raises(ValueError):
            list(generate_records(50, kinds=bad))


@pytest.mark.parametrize("role", ROLES)
def test_planted_bot_ring_stays_out_of_every_top_20(scored, role):
    bots = {k for k in scored if str(k).startswith("bot")}
    assert len(bots) == 12
    assert all(scored[b].bot_score > 0.5 for b in bots)
    assert not bots & set(scored.top(role, 20))


def test_bot_reasons_name_the_signals(scored):
    reasons = " ".join(scored["bot0"].bot_reasons)
    assert "clockwork" in reasons and "near-duplicates" in reasons and "same minute" in reasons


@pytest.mark.parametrize("role", ROLES)
def test_scores_are_stable_when_10_percent_of_edges_go(synthetic, scored, role):
    posts, edges, authors = synthetic
    rng = random.Random(5)
    kept = [e for e in edges if rng.random() >= 0.1]
    perturbed = score_authors(posts, kept, authors=authors, now=scored.window[1])
    top = scored.top(role, 100)
    before = [scored.scores[role][scored.index[k]] for k in top]
    after = [perturbed.scores[role][perturbed.index[k]] if k in perturbed else 0.0 for k in top]
    rho = spearmanr(before, after).statistic
    assert rho >= 0.9, rho


def test_communities_are_named(scored):
    assert scored.communities
    c = scored.communities[0]
    assert c.size >= scored.communities[-1].size
    assert c.top_topics and c.label.startswith("#")
    assert all(scored[m].community == c.id for m in c.top_members)


def test_most_authors_are_plain_users(scored):
    roles = np.array(scored.roles)
    assert (roles == "user").mean() > 0.7
    assert set(roles) >= {"user", "networker", "amplifier", "trendsetter"}
