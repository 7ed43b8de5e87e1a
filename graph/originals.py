"""Originals known only through the posts that repost, quote or reply to them.

A monitoring export holds the posts that name the brand or topic, not everything their
authors wrote: "RT @x: ..." is often in it while x's post is not. Each such missing original
still is an original post by x, so x is credited with it: one per distinct original (its id
when the repost, quote or reply names it; for a repost that names none, its text), carrying
the topics of the reposts and quotes of it, dated by the first of them. Nothing is invented
in the data: the credit exists only while the original is missing, and a real original in
the data takes its place.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from graph.build import EDGE_CODE, POST_CODE, Frame

__all__ = ["ImpliedOriginals", "implied_originals"]


class ImpliedOriginals(NamedTuple):
    """Per author: ``count`` of implied originals; per (author, topic) pair: the first time an
    implied original of theirs carried the topic (``author``, ``topic``, ``at`` rows)."""

    count: np.ndarray
    author: np.ndarray
    topic: np.ndarray
    at: np.ndarray


def _origin_key(f: Frame, i: int) -> int | None:
    """Return a key of the original post ``i`` reposts, quotes or replies to, when it is
    missing from the data: its id if known, else (for a repost) its normalised text."""
    parent = f.p_parent_id[i]
    if parent is not None:
        return hash(("id", parent))
    if f.p_kind[i] == POST_CODE["repost"]:
        return _text_key(f.p_text[i])
    return None


def _text_key(text: str) -> int | None:
    """Return the key of a post's words: lower case, without a repost's "RT @x:" prefix and
    its spacing, the first 100 characters (a repost may be cut short).

    Examples
    --------
    >>> _text_key("RT @star:  Hello  world") == _text_key("hello world")
    True
    """
    words = text.lower()
    if words.startswith("rt @"):
        words = words.partition(":")[2]
    words = " ".join(words.split())[:100]
    return hash(("text", words)) if words else None


def implied_originals(f: Frame) -> ImpliedOriginals:
    """Return the originals each author is credited with through posts that point at them.

    Examples
    --------
    >>> from graph.build import build_frame
    >>> from graph.types import Interaction, Post
    >>> posts = [Post("fan1", 1, 5.0, "repost", ("#x",), "RT @star: hello", parent=99),
    ...          Post("fan2", 2, 6.0, "repost", ("#x",), "RT @star: hello", parent=99),
    ...          Post("fan3", 3, 7.0, "repost", (), "RT @star: other words")]
    >>> edges = [Interaction(f"fan{i}", "star", "repost", 4.0 + i, i) for i in (1, 2, 3)]
    >>> f = build_frame(posts, edges)
    >>> implied = implied_originals(f)
    >>> int(implied.count[f.index["star"]])
    2
    >>> [(f.keys[a], f.topics[t], float(at)) for a, t, at in zip(*implied[1:])]
    [('star', '#x', 5.0)]
    """
    n = f.n
    empty = np.zeros(0, dtype=np.int64)
    # the author each post points at: the target of its repost, quote or reply edge
    pointing = (f.e_post >= 0) & np.isin(
        f.e_kind, [EDGE_CODE["repost"], EDGE_CODE["quote"], EDGE_CODE["reply"]]
    )
    target = np.full(f.n_posts, -1, dtype=np.int64)
    target[f.e_post[pointing]] = f.e_dst[pointing]
    kinds = [POST_CODE["repost"], POST_CODE["quote"], POST_CODE["reply"]]
    rows = np.flatnonzero((f.p_parent < 0) & (target >= 0) & np.isin(f.p_kind, kinds))
    keys = [_origin_key(f, i) for i in rows.tolist()]
    known = np.fromiter((k is not None for k in keys), dtype=bool, count=len(keys))
    if not known.any():
        return ImpliedOriginals(np.zeros(n, dtype=np.int64), empty, empty, np.zeros(0))
    rows = rows[known]
    key = np.fromiter((k for k in keys if k is not None), dtype=np.int64, count=len(rows))
    who = target[rows]
    # a repost that names no original may still point at one in the data: the same words
    # by the same author are that original, not a missing one
    by_text = np.fromiter((f.p_parent_id[i] is None for i in rows.tolist()), bool, len(rows))
    if by_text.any():
        authors = np.unique(who[by_text])
        own = np.flatnonzero(
            np.isin(f.p_author, authors) & np.isin(f.p_kind, [POST_CODE["post"], POST_CODE["quote"]])
        )
        present = {(int(f.p_author[i]), _text_key(f.p_text[i])) for i in own.tolist()}
        keep = np.fromiter(
            (not (t and (int(w), int(k)) in present) for w, k, t in zip(who, key, by_text, strict=True)),
            bool, len(rows),
        )  # fmt: skip
        rows, key, who = rows[keep], key[keep], who[keep]
    # one original per (author, key)
    order = np.lexsort((f.p_at[rows], key, who))
    who_s, key_s = who[order], key[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (who_s[1:] != who_s[:-1]) | (key_s[1:] != key_s[:-1])
    count = np.bincount(who_s[first], minlength=n)
    # topics: those of the reposts and quotes of it (a reply's own topics are its author's)
    spreading = np.isin(f.p_kind[rows], [POST_CODE["repost"], POST_CODE["quote"]])
    post_row = np.full(f.n_posts, -1, dtype=np.int64)
    post_row[rows[spreading]] = np.flatnonzero(spreading)
    t_row = post_row[f.t_post]
    carried = t_row >= 0
    if not carried.any():
        return ImpliedOriginals(count, empty, empty, np.zeros(0))
    t_author = who[t_row[carried]]
    t_topic = f.t_topic[carried].astype(np.int64)
    t_at = f.p_at[f.t_post[carried]]
    order = np.lexsort((t_at, t_topic, t_author))
    a, t, at = t_author[order], t_topic[order], t_at[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (a[1:] != a[:-1]) | (t[1:] != t[:-1])
    return ImpliedOriginals(count, a[first], t[first], at[first])
