"""A seeded synthetic workspace: MentionRecord-shaped rows and their graph input.

:func:`generate_records` yields one plain ``dict`` per post with the MentionRecord fields
(``platform, id, author, created_at, text, reply_to_id, reply_to_author, repost_of_id,
repost_of_author, quote_of_id, quote_of_author, mentions, tags, author_followers, lang,
sentiment``), ready for ``csv.DictWriter`` in ``bench/ingest.py``. :func:`to_graph_input`
turns such rows (or real imported ones) into :class:`~graph.types.Post`,
:class:`~graph.types.Interaction` and :class:`~graph.types.AuthorInfo` tuples, the way the
scoring service does from the database; :func:`generate_workspace` does both.

The shape: authors belong to interest groups with their own topics; post authors follow a
heavy-tailed activity (about ``posts_per_author`` posts each on average); targets of replies,
reposts, quotes and mentions are Zipf-distributed by popularity, mostly inside the author's
group; 30% of posts are reposts, 20% replies, 5% quotes; replies and reposts usually carry
their parent's topics, so topics spread along the graph. An optional planted ring of bots
posts on a clock, repeats the same texts, reposts the same items within the same minute and
mentions each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime

import numpy as np

from graph.types import AuthorInfo, Interaction, Post, link_domains

__all__ = ["generate_records", "to_graph_input", "generate_workspace", "RECORD_FIELDS"]

RECORD_FIELDS = (
    "platform",
    "id",
    "author",
    "created_at",
    "text",
    "reply_to_id",
    "reply_to_author",
    "repost_of_id",
    "repost_of_author",
    "quote_of_id",
    "quote_of_author",
    "mentions",
    "tags",
    "author_followers",
    "lang",
    "sentiment",
)

_WORDS = [
    "delivery",
    "order",
    "late",
    "fast",
    "price",
    "service",
    "app",
    "update",
    "support",
    "great",
    "bad",
    "love",
    "hate",
    "new",
    "launch",
    "store",
    "coffee",
    "phone",
    "battery",
    "screen",
    "camera",
    "deal",
    "sale",
    "week",
    "today",
    "really",
    "never",
    "always",
    "team",
    "help",
    "thanks",
    "issue",
    "fixed",
    "broken",
    "refund",
    "shipping",
    "quality",
    "taste",
    "menu",
    "city",
    "park",
    "music",
    "game",
    "review",
    "video",
    "stream",
    "design",
    "code",
    "data",
    "cloud",
    "bank",
    "card",
    "travel",
    "flight",
    "hotel",
    "weather",
    "news",
]
_MEDIA = ("nytimes.com", "bbc.co.uk", "theguardian.com", "medium.com", "substack.com", "rbc.ru")
_SENTIMENTS = ("positive", "neutral", "negative")
DAY = 86400.0


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, tz=UTC).isoformat().replace("+00:00", "Z")


def _zipf_rank(rng, a: float, size: int, upper: np.ndarray | int) -> np.ndarray:
    """Draw Zipf ranks 0.. below ``upper`` (rejection by wrapping: cheap and heavy-tailed)."""
    r = rng.zipf(a, size) - 1
    return r % upper


def generate_records(
    n_authors: int = 1000,
    *,
    posts_per_author: float = 5.0,
    mentions_per_post: float = 0.45,
    n_groups: int | None = None,
    n_topics: int | None = None,
    bot_ring: int = 0,
    bot_posts: int = 30,
    days: float = 90.0,
    end: float = 1_767_225_600.0,
    platform: str = "twitter",
    zipf: float = 1.6,
    kinds: tuple[float, float, float, float] = (0.45, 0.20, 0.30, 0.05),
    seed: int = 0,
) -> Iterator[dict]:
    """Yield MentionRecord-shaped dicts for a synthetic workspace, oldest first.

    Parameters
    ----------
    n_authors : int
        Human authors (handles ``u0``, ``u1``, ... with ``u0`` the most popular).
    posts_per_author, mentions_per_post : float
        Averages; about ``n_authors * posts_per_author`` posts and, with the defaults, about
        as many interactions.
    n_groups, n_topics : int, optional
        Interest groups and topic vocabulary (defaults scale with ``n_authors``).
    bot_ring : int
        Number of planted bots (handles ``bot0``, ``bot1``, ...), each with ``bot_posts`` posts.
    days, end : float
        The posts fall in the ``days`` before ``end`` (Unix seconds).
    kinds : tuple of four floats
        Shares of posts, replies, reposts and quotes drawn (summing to 1). A reply, repost or
        quote whose author would address themselves becomes a post, so the realised shares
        of the last three are a little lower.
    seed : int

    Examples
    --------
    >>> rows = list(generate_records(50, seed=1))
    >>> sorted(rows[0]) == sorted(RECORD_FIELDS)
    True
    >>> 150 < len(rows) < 350, rows == list(generate_records(50, seed=1))
    (True, True)
    """
    if n_authors < 2:
        raise ValueError("n_authors must be at least 2")
    if posts_per_author <= 0 or mentions_per_post < 0:
        raise ValueError("posts_per_author must be positive and mentions_per_post non-negative")
    if len(kinds) != 4 or min(kinds) < 0 or abs(sum(kinds) - 1.0) > 1e-9:
        raise ValueError("kinds must be four non-negative shares summing to 1")
    rng = np.random.default_rng(seed)
    G = n_groups or max(2, n_authors // 400)
    T = n_topics or max(12, min(400, n_authors // 100))
    P = int(round(n_authors * posts_per_author))
    start = end - days * DAY

    activity = rng.lognormal(0.0, 1.0, n_authors)
    author = rng.choice(n_authors, P, p=activity / activity.sum())
    at = np.sort(rng.uniform(start, end, P))
    author = author[rng.permutation(P)]  # authors independent of time order
    kind = rng.choice(4, P, p=list(kinds))  # post reply repost quote
    group = author % G
    # target author: Zipf inside the group (80%) or across the workspace
    size = (n_authors - 1 - np.arange(G)) // G + 1
    local = rng.random(P) < 0.8
    target = np.where(
        local,
        group + G * _zipf_rank(rng, zipf, P, size[group]),
        _zipf_rank(rng, zipf, P, n_authors),
    )
    # parent post: a random earlier post of the target author, when there is one
    order = np.argsort(author, kind="stable")
    indptr = np.concatenate([[0], np.cumsum(np.bincount(author, minlength=n_authors))])
    count = indptr[target + 1] - indptr[target]
    pick = indptr[target] + (rng.random(P) * np.maximum(count, 1)).astype(np.int64)
    parent = np.where(count > 0, order[np.minimum(pick, P - 1)], -1)
    parent = np.where((kind > 0) & (parent < np.arange(P)), parent, -1)
    target = np.where(kind == 0, -1, target)
    parent_author = np.where(parent >= 0, author[np.maximum(parent, 0)], target)
    self_target = parent_author == author
    kind = np.where((kind > 0) & self_target, 0, kind)
    parent = np.where(kind == 0, -1, parent)
    parent_author = np.where(kind == 0, -1, parent_author)

    # topics: group topics, a few workspace-wide trends; replies/reposts inherit the parent's
    group_topics = rng.integers(0, T, (G, 3))
    topic_draw = rng.random(P)
    own_topic = np.where(
        topic_draw < 0.55,
        group_topics[group, rng.integers(0, 3, P)],
        np.where(topic_draw < 0.7, _zipf_rank(rng, 1.3, P, T), -1),
    )
    inherit = (parent >= 0) & (rng.random(P) < 0.7)
    n_mentions = rng.poisson(mentions_per_post, P)
    mention_local = rng.random(int(n_mentions.sum())) < 0.8
    mpost = np.repeat(np.arange(P), n_mentions)
    mtarget = np.where(
        mention_local,
        group[mpost] + G * _zipf_rank(rng, zipf, len(mpost), size[group[mpost]]),
        _zipf_rank(rng, zipf, len(mpost), n_authors),
    )
    mptr = np.concatenate([[0], np.cumsum(n_mentions)])
    link = rng.random(P) < 0.2
    media_link = rng.random(P) < 0.4
    media_pick = rng.integers(0, len(_MEDIA), P)
    words = rng.integers(0, len(_WORDS), (P, 8))
    n_words = rng.integers(4, 9, P)
    popularity = 1.0 / (1.0 + np.arange(n_authors)) ** 0.7
    followers = (2e5 * popularity * rng.lognormal(0, 0.8, n_authors)).astype(np.int64) + 3
    sentiment = rng.integers(0, 3, P)
    kinds = ("post", "reply", "repost", "quote")

    topics_of: list[tuple[str, ...]] = [()] * P
    texts: list[str] = [""] * P
    bot_rows = _bot_ring(rng, bot_ring, bot_posts, start, end, T, P) if bot_ring else []
    rows = []
    for i in range(P):
        k = kinds[kind[i]]
        pa = int(parent[i])
        if inherit[i] and pa >= 0:
            tags = topics_of[pa]
        elif own_topic[i] >= 0:
            tags = (f"#t{own_topic[i]}",)
        else:
            tags = ()
        topics_of[i] = tags
        ments = [f"u{m}" for m in mtarget[mptr[i] : mptr[i + 1]].tolist() if m != author[i]]
        if k == "repost" and pa >= 0:
            text = texts[pa]
        else:
            text = " ".join(_WORDS[w] for w in words[i, : n_words[i]].tolist())
            if tags:
                text += " " + " ".join(tags)
            if ments:
                text += " " + " ".join("@" + m for m in ments)
            if link[i]:
                dom = _MEDIA[media_pick[i]] if media_link[i] else f"site{words[i, 0]}.example"
                text += f" https://{dom}/{i}"
        texts[i] = text
        tgt = f"u{parent_author[i]}" if parent_author[i] >= 0 else None
        pid = f"p{pa}" if pa >= 0 else None
        rows.append(
            {
                "platform": platform,
                "id": f"p{i}",
                "author": f"u{author[i]}",
                "created_at": float(at[i]),
                "text": text,
                "reply_to_id": pid if k == "reply" else None,
                "reply_to_author": tgt if k == "reply" else None,
                "repost_of_id": pid if k == "repost" else None,
                "repost_of_author": tgt if k == "repost" else None,
                "quote_of_id": pid if k == "quote" else None,
                "quote_of_author": tgt if k == "quote" else None,
                "mentions": " ".join(ments),
                "tags": " ".join(tags),
                "author_followers": int(followers[author[i]]),
                "lang": "en",
                "sentiment": _SENTIMENTS[sentiment[i]],
            }
        )
    rows.extend(bot_rows)
    rows.sort(key=lambda r: r["created_at"])
    for row in rows:
        row["created_at"] = _iso(row["created_at"])
        yield row


def _bot_ring(rng, k: int, n_posts: int, start: float, end: float, T: int, P: int) -> list[dict]:
    """Rows of a planted ring: clockwork, duplicate texts, burst reposts, mutual mentions."""
    rows = []
    step = (end - start) / (n_posts + 1)
    templates = [f"Amazing offer on #t{t} grab yours now before it ends" for t in range(3)]
    targets = rng.integers(0, P, n_posts)  # items the ring reposts together
    for b in range(k):
        for j in range(n_posts):
            t = start + step * (j + 1) + b * 2.0  # same minute for the whole ring
            others = [f"bot{(b + d) % k}" for d in (1, 2, 3) if (b + d) % k != b]
            repost = j % 2 == 1
            rows.append(
                {
                    "platform": "twitter",
                    "id": f"bot{b}-{j}",
                    "author": f"bot{b}",
                    "created_at": t,
                    "text": ""
                    if repost
                    else templates[j % 3] + " " + " ".join("@" + o for o in others),
                    "reply_to_id": None,
                    "reply_to_author": None,
                    "repost_of_id": f"p{targets[j]}" if repost else None,
                    "repost_of_author": f"u{targets[j] % 50}" if repost else None,
                    "quote_of_id": None,
                    "quote_of_author": None,
                    "mentions": "" if repost else " ".join(others),
                    "tags": "" if repost else f"#t{j % 3}",
                    "author_followers": 40,
                    "lang": "en",
                    "sentiment": "positive",
                }
            )
    return rows


def _epoch(value) -> float:
    if isinstance(value, int | float):
        return float(value)
    text = str(value)
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _tag(t: str) -> str:
    t = t.strip().lower()
    return t if t.startswith("#") or "/" in t else "#" + t


def to_graph_input(
    records: Iterable[Mapping],
) -> tuple[list[Post], list[Interaction], dict[str, AuthorInfo]]:
    """Return ``(posts, interactions, authors)`` from MentionRecord-shaped mappings.

    Handles are lower-cased without ``@`` and used as author keys. A post that replies to B
    and mentions C gives ``A -> B`` (reply) and ``A -> C`` (mention); self-loops are dropped.

    Examples
    --------
    >>> posts, edges, authors = to_graph_input([{"platform": "x", "id": "1", "author": "@Bob",
    ...     "created_at": "2025-01-01T00:00:00Z", "text": "hi @amy https://bbc.co.uk/a",
    ...     "reply_to_id": "0", "reply_to_author": "Cat", "mentions": "amy cat", "tags": "News"}])
    >>> posts[0].kind, posts[0].parent, posts[0].topics, posts[0].domains
    ('reply', '0', ('#news',), ('bbc.co.uk',))
    >>> [(e.source, e.target, e.kind) for e in edges]
    [('bob', 'cat', 'reply'), ('bob', 'amy', 'mention')]
    """
    posts: list[Post] = []
    edges: list[Interaction] = []
    authors: dict[str, AuthorInfo] = {}
    for r in records:
        a = str(r["author"]).strip().lstrip("@").lower()
        at = _epoch(r["created_at"])
        pid = r["id"]
        kind, parent, target = "post", None, None
        for k, id_field, author_field in (
            ("repost", "repost_of_id", "repost_of_author"),
            ("quote", "quote_of_id", "quote_of_author"),
            ("reply", "reply_to_id", "reply_to_author"),
        ):
            if r.get(id_field) or r.get(author_field):
                kind, parent, target = k, r.get(id_field) or None, r.get(author_field)
                break
        text = r.get("text") or ""
        tags = tuple(dict.fromkeys(_tag(t) for t in (r.get("tags") or "").split()))
        posts.append(Post(a, pid, at, kind, tags, text, link_domains(text), parent))
        seen = {a}
        if target:
            t = str(target).strip().lstrip("@").lower()
            if t not in seen:
                edges.append(Interaction(a, t, kind, at, pid))
                seen.add(t)
        for m in (r.get("mentions") or "").split():
            m = m.lstrip("@").lower()
            if m not in seen:
                edges.append(Interaction(a, m, "mention", at, pid))
                seen.add(m)
        f = r.get("author_followers")
        if a not in authors or f not in (None, ""):
            authors[a] = AuthorInfo(
                a, int(f) if f not in (None, "") else None, r.get("platform", "")
            )
    return posts, edges, authors


def generate_workspace(
    n_authors: int = 1000, **kwargs
) -> tuple[list[Post], list[Interaction], dict[str, AuthorInfo]]:
    """Return ``to_graph_input(generate_records(n_authors, **kwargs))``.

    Examples
    --------
    >>> posts, edges, authors = generate_workspace(200, bot_ring=5, seed=2)
    >>> len(posts) > 1000, len(edges) > 800, "bot0" in authors
    (True, True, True)
    """
    return to_graph_input(generate_records(n_authors, **kwargs))
