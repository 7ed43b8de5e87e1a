"""The columnar frame gives the same scores as the tuple path."""

import numpy as np
import pytest

from graph import score_authors
from graph.build import build_frame, frame_from_columns
from graph.synthetic import generate_workspace


def columns(posts, interactions, authors):
    return frame_from_columns(
        post_author=[p.author for p in posts], post_id=[p.id for p in posts],
        post_at=[p.at for p in posts], post_kind=[p.kind for p in posts],
        post_text=[p.text for p in posts], post_domains=[p.domains for p in posts],
        post_parent=[p.parent for p in posts],
        topic_post=[p.id for p in posts for _ in p.topics],
        topic_name=[t for p in posts for t in p.topics],
        edge_source=[e.source for e in interactions], edge_target=[e.target for e in interactions],
        edge_kind=[e.kind for e in interactions], edge_at=[e.at for e in interactions],
        edge_post=[e.post for e in interactions],
        followers={a.key: a.followers for a in authors.values()},
        platforms={a.key: a.platform for a in authors.values()},
    )  # fmt: skip


def integer_workspace():
    posts, interactions, authors = generate_workspace(600, seed=3)
    everyone = {p.author for p in posts} | {e.source for e in interactions}
    everyone |= {e.target for e in interactions} | set(authors)
    ids = {key: i for i, key in enumerate(sorted(everyone))}
    post_ids = {p.id: i for i, p in enumerate(posts)}
    posts = [p._replace(author=ids[p.author], id=post_ids[p.id],
                        parent=post_ids.get(p.parent)) for p in posts]  # fmt: skip
    interactions = [e._replace(source=ids[e.source], target=ids[e.target], post=post_ids.get(e.post))
                    for e in interactions]  # fmt: skip
    authors = {ids[k]: a._replace(key=ids[k]) for k, a in authors.items()}
    return posts, interactions, authors


def test_columns_and_tuples_make_the_same_frame():
    posts, interactions, authors = integer_workspace()
    a = build_frame(posts, interactions, authors=authors)
    b = columns(posts, interactions, authors)
    assert a.keys == b.keys and a.topics == b.topics
    for name in ("p_author", "p_at", "p_kind", "p_parent", "e_src", "e_dst", "e_kind", "e_post",
                 "t_post", "t_topic", "followers"):  # fmt: skip
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


def test_columns_and_tuples_score_the_same():
    posts, interactions, authors = integer_workspace()
    now = max(p.at for p in posts)
    a = score_authors(posts, interactions, authors=authors, now=now)
    b = score_authors([], [], frame=columns(posts, interactions, authors), now=now)
    assert a.keys == b.keys and a.roles == b.roles
    for role in ("networker", "thought_leader", "trendsetter", "amplifier"):
        assert np.allclose(a.scores[role], b.scores[role])


def test_kind_codes_and_topic_order_give_the_same_frame():
    """The service hands over kinds as codes and names the topic order; the frame is the same."""
    from graph.build import EDGE_CODE, POST_CODE

    posts, interactions, authors = integer_workspace()
    a = columns(posts, interactions, authors)
    topic_post = [p.id for p in posts for _ in p.topics][::-1]  # rows in another order
    topic_name = [t for p in posts for t in p.topics][::-1]
    b = frame_from_columns(
        post_author=[p.author for p in posts], post_id=[p.id for p in posts],
        post_at=[p.at for p in posts],
        post_kind=np.array([POST_CODE[p.kind] for p in posts], dtype=np.int8),
        post_text=[p.text for p in posts], post_domains=[p.domains for p in posts],
        post_parent=[p.parent for p in posts],
        topic_post=topic_post, topic_name=topic_name, topics=a.topics,
        edge_source=[e.source for e in interactions], edge_target=[e.target for e in interactions],
        edge_kind=np.array([EDGE_CODE[e.kind] for e in interactions], dtype=np.int8),
        edge_at=[e.at for e in interactions], edge_post=[e.post for e in interactions],
        followers={a.key: a.followers for a in authors.values()},
        platforms={a.key: a.platform for a in authors.values()},
    )  # fmt: skip
    assert a.topics == b.topics
    for name in ("p_kind", "e_kind", "t_post", "t_topic"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"post_kind": np.array([0, 7])}, "post kind code 7"),
        ({"edge_kind": np.array([-1])}, "interaction kind code -1"),
        ({"topics": ["#y"]}, "topic '#x' is not among the topics given"),
    ],
)
def test_bad_codes_and_unknown_topics_are_refused(change, message):
    given = dict(
        post_author=[10, 20], post_id=[1, 2], post_at=[5.0, 6.0], post_kind=["post", "reply"],
        post_text=["", ""], post_domains=[(), ()], post_parent=[None, 1],
        topic_post=[1], topic_name=["#x"], edge_source=[20], edge_target=[10],
        edge_kind=["reply"], edge_at=[6.0], edge_post=[2],
    )  # fmt: skip
    with pytest.raises(ValueError, match=message):
        frame_from_columns(**{**given, **change})


@pytest.mark.parametrize("high", [50, 10**12])  # dense ids take a table, sparse ones a sort
def test_id_tables_agree_with_sorting(high):
    from graph.build import _distinct_ranks, _row_lookup

    rng = np.random.default_rng(high)
    values = rng.integers(0, high, 400)
    keys, inverse = _distinct_ranks(values)
    want_keys, want_inverse = np.unique(values, return_inverse=True)
    assert keys.tolist() == want_keys.tolist() and inverse.tolist() == want_inverse.tolist()
    rows = _row_lookup(values)  # repeated ids: the first row holding the id
    wanted = np.concatenate([values, rng.integers(-5, high + 5, 100)])
    first = {}
    for row, value in enumerate(values.tolist()):
        first.setdefault(value, row)
    assert rows(wanted).tolist() == [first.get(w, -1) for w in wanted.tolist()]
