"""Topic adoption: who used a tag first, how early, and who followed them into it.

An author *adopts* a topic the first time one of their posts in the window carries it.
Following Saez-Trumper, Comarela, Almeida, Baeza-Yates & Benevenuto (2012), "Finding
trendsetters in information networks" (KDD), an adoption counts for the earlier author when
someone who pays attention to them (mentions, replies to, reposts or quotes them: an edge
``follower -> leader``) adopts the same topic *later*. An early adopter whom nobody follows
into the topic is not a trendsetter.

The dict-based functions suit small inputs and explanations; :func:`adoptions` and
:func:`followers_after` are the vectorised versions the scorer uses on a
:class:`~graph.build.Frame`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import NamedTuple

import numpy as np

from graph.types import Interaction, Post

__all__ = [
    "first_use_times",
    "early_adoption_percentiles",
    "adopters_after",
    "Adoptions",
    "adoptions",
    "adoptions_of",
    "followers_after",
]


def first_use_times(posts: Iterable[Post]) -> dict[str, dict[Hashable, float]]:
    """Return ``{topic: {author: first time the author used the topic}}``.

    Examples
    --------
    >>> first_use_times([Post("a", 1, 5.0, topics=("#x",)), Post("a", 2, 3.0, topics=("#x",)),
    ...                  Post("b", 3, 4.0, topics=("#x", "#y"))])
    {'#x': {'a': 3.0, 'b': 4.0}, '#y': {'b': 4.0}}
    """
    first: dict[str, dict[Hashable, float]] = {}
    for p in posts:
        for t in p.topics:
            seen = first.setdefault(t, {})
            if p.author not in seen or p.at < seen[p.author]:
                seen[p.author] = float(p.at)
    return {t: dict(sorted(d.items(), key=lambda kv: kv[1])) for t, d in first.items()}


def early_adoption_percentiles(
    first_use: dict[str, dict[Hashable, float]],
) -> dict[str, dict[Hashable, float]]:
    """Return, per topic, the percentage of the other adopters who adopted strictly later.

    The first adopter of a topic with 5 adopters gets 100.0, the last gets 0.0; a lone
    adopter gets 0.0 (there is nobody to be early against).

    Examples
    --------
    >>> early_adoption_percentiles({"#x": {"a": 1.0, "b": 2.0, "c": 2.0, "d": 9.0, "e": 9.5}})
    {'#x': {'a': 100.0, 'b': 50.0, 'c': 50.0, 'd': 25.0, 'e': 0.0}}
    """
    out = {}
    for topic, times in first_use.items():
        values = np.array(list(times.values()), dtype=np.float64)
        later = len(values) - np.searchsorted(np.sort(values), values, side="right")
        denom = max(len(values) - 1, 1)
        out[topic] = dict(zip(times, (100.0 * later / denom).tolist(), strict=True))
    return out


def adopters_after(
    first_use: dict[str, dict[Hashable, float]], interactions: Iterable[Interaction]
) -> dict[str, dict[Hashable, set]]:
    """Return ``{topic: {leader: {followers who interacted with leader and adopted later}}}``.

    Examples
    --------
    >>> fu = {"#x": {"a": 1.0, "b": 2.0, "c": 3.0}}
    >>> adopters_after(fu, [Interaction("b", "a", "reply", 2.5), Interaction("a", "c", "mention", 4.0)])
    {'#x': {'a': {'b'}}}
    """
    pairs = {(it.source, it.target) for it in interactions if it.source != it.target}
    out: dict[str, dict[Hashable, set]] = {}
    for topic, times in first_use.items():
        for follower, leader in pairs:
            if follower in times and leader in times and times[follower] > times[leader]:
                out.setdefault(topic, {}).setdefault(leader, set()).add(follower)
    return out


class Adoptions(NamedTuple):
    """First uses as arrays, one row per (author, topic), sorted by topic then time.

    ``earliness`` is the share (0..1) of the topic's other adopters who adopted strictly later;
    ``adopters`` the number of adopters of the row's topic; ``via`` the author whose post the
    adopting post replied to, quoted or reposted (``-1`` for a post of one's own).
    """

    author: np.ndarray
    topic: np.ndarray
    at: np.ndarray
    earliness: np.ndarray
    adopters: np.ndarray
    via: np.ndarray


def adoptions(p_author, p_at, t_post, t_topic, n_topics: int) -> Adoptions:
    """Return the first use of every topic by every author from post-topic pairs.

    Examples
    --------
    >>> a = adoptions(np.array([0, 1, 0]), np.array([5.0, 4.0, 3.0]),
    ...               np.array([0, 1, 2]), np.array([0, 0, 0]), 1)
    >>> a.author.tolist(), a.at.tolist(), a.earliness.tolist()
    ([0, 1], [3.0, 4.0], [1.0, 0.0])
    """
    author = np.asarray(p_author)[t_post].astype(np.int64)
    return adoptions_of(author, np.asarray(p_at)[t_post], t_topic, n_topics)


def adoptions_of(author, at, topic, n_topics: int, via=None) -> Adoptions:
    """Return the first use of every topic by every author from (author, time, topic) uses.

    ``via`` gives, per use, the author whose post it answers or spreads (``-1`` for none).

    Examples
    --------
    >>> a = adoptions_of(np.array([0, 1, 0]), np.array([5.0, 4.0, 3.0]), np.array([0, 0, 0]), 1)
    >>> a.author.tolist(), a.earliness.tolist()
    ([0, 1], [1.0, 0.0])
    """
    author = np.asarray(author, dtype=np.int64)
    at = np.asarray(at, dtype=np.float64)
    topic = np.asarray(topic, dtype=np.int64)
    via = np.full(len(author), -1, dtype=np.int64) if via is None else np.asarray(via, np.int64)
    order = np.lexsort((at, author, topic))
    author, topic, at, via = author[order], topic[order], at[order], via[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (author[1:] != author[:-1]) | (topic[1:] != topic[:-1])
    author, topic, at, via = author[first], topic[first], at[first], via[first]
    order = np.lexsort((at, topic))
    author, topic, at, via = author[order], topic[order], at[order], via[order]
    counts = np.bincount(topic, minlength=n_topics)
    adopters = counts[topic]
    # rank of the last row with the same (topic, time): rows after it adopted strictly later
    key_topic_start = np.concatenate([[0], np.cumsum(counts)])[topic]
    same = np.ones(len(at), dtype=bool)
    if len(at):
        same[:-1] = (topic[1:] != topic[:-1]) | (at[1:] != at[:-1])
    # last index of each tie group: scan from the right
    idx = np.where(same, np.arange(len(at)), len(at))
    last_pos = np.minimum.accumulate(idx[::-1])[::-1]
    later = key_topic_start + adopters - 1 - last_pos
    earliness = np.divide(later, adopters - 1, out=np.zeros(len(at)), where=adopters > 1)
    return Adoptions(author, topic, at, earliness, adopters, via)


def followers_after(
    adopt: Adoptions, pair_src: np.ndarray, pair_dst: np.ndarray, n: int, topics: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(follower, leader, topic)`` triples for the given topics.

    ``pair_src -> pair_dst`` are distinct attention edges (the follower addresses the leader);
    a triple means the follower adopted ``topic`` strictly after the leader did, and not by
    replying to, quoting or reposting the leader's own post (responding to someone's post
    endorses them; following them into a topic is taking it up oneself, or from others).

    Examples
    --------
    >>> a = adoptions(np.array([0, 1, 2]), np.array([1.0, 2.0, 3.0]),
    ...               np.array([0, 1, 2]), np.array([0, 0, 0]), 1)
    >>> f, l, t = followers_after(a, np.array([1, 0]), np.array([0, 2]), 3, np.array([0]))
    >>> f.tolist(), l.tolist(), t.tolist()
    ([1], [0], [0])
    """
    pair_src = np.asarray(pair_src, dtype=np.int64)
    pair_dst = np.asarray(pair_dst, dtype=np.int64)
    order = np.argsort(pair_dst, kind="stable")
    s_sorted, d_sorted = pair_src[order], pair_dst[order]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(d_sorted, minlength=n))])
    out_f, out_l, out_t = [], [], []
    times = np.full(n, np.inf)
    via = np.full(n, -1, dtype=np.int64)
    topics = np.asarray(topics, dtype=np.int64)
    # rows come sorted by topic (see Adoptions): each topic's rows are one slice
    by_topic = len(adopt.topic) < 2 or bool((adopt.topic[1:] >= adopt.topic[:-1]).all())
    lo = np.searchsorted(adopt.topic, topics, side="left") if by_topic else topics
    hi = np.searchsorted(adopt.topic, topics, side="right") if by_topic else topics
    for t, a, b in zip(topics.tolist(), lo.tolist(), hi.tolist(), strict=True):
        rows = slice(a, b) if by_topic else adopt.topic == t
        who, when = adopt.author[rows], adopt.at[rows]
        times[who] = when
        via[who] = adopt.via[rows]
        starts, stops = indptr[who], indptr[who + 1]
        sizes = stops - starts
        total = int(sizes.sum())
        if total:
            offs = np.repeat(stops - sizes.cumsum(), sizes) + np.arange(total)
            fol = s_sorted[offs]
            lead = d_sorted[offs]
            ok = np.isfinite(times[fol]) & (times[fol] > times[lead]) & (via[fol] != lead)
            out_f.append(fol[ok])
            out_l.append(lead[ok])
            out_t.append(np.full(int(ok.sum()), t, dtype=np.int64))
        times[who] = np.inf
        via[who] = -1
    if not out_f:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return np.concatenate(out_f), np.concatenate(out_l), np.concatenate(out_t)
