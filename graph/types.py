"""Plain data the graph package reads: posts, interactions (edges) and author profiles.

Everything is a ``NamedTuple`` so the scoring service can build them straight from database
rows (``Post(*row)``) and so the package can transpose millions of them cheaply with
``zip(*rows)``. Author keys may be any hashable value; the service uses integer ids.

Times are Unix seconds as ``float`` (UTC).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import NamedTuple

__all__ = [
    "POST_KINDS",
    "INTERACTION_KINDS",
    "ROLES",
    "Post",
    "Interaction",
    "AuthorInfo",
    "check_post",
    "check_interaction",
    "link_domains",
]

POST_KINDS = ("post", "reply", "repost", "quote")
INTERACTION_KINDS = ("mention", "reply", "repost", "quote")
ROLES = ("networker", "thought_leader", "trendsetter", "amplifier")


class Post(NamedTuple):
    """One post by one author.

    ``parent`` is the id of the post this one replies to, reposts or quotes (``None`` for an
    original post or when the target is unknown). ``topics`` are lower-cased hashtags or
    brand terms; ``domains`` are the web domains linked from the text (``"bbc.co.uk"``).

    Examples
    --------
    >>> Post("alice", "p1", 1_700_000_000.0, "post", ("#delivery",), "Late again", ())
    Post(author='alice', id='p1', at=1700000000.0, kind='post', topics=('#delivery',), text='Late again', domains=(), parent=None)
    """

    author: Hashable
    id: Hashable
    at: float
    kind: str = "post"
    topics: tuple[str, ...] = ()
    text: str = ""
    domains: tuple[str, ...] = ()
    parent: Hashable | None = None


class Interaction(NamedTuple):
    """One directed edge: ``source`` mentioned, replied to, reposted or quoted ``target``.

    ``post`` is the id of the post by ``source`` that carries the interaction.

    Examples
    --------
    >>> Interaction("bob", "alice", "reply", 1_700_000_100.0, "p2")
    Interaction(source='bob', target='alice', kind='reply', at=1700000100.0, post='p2')
    """

    source: Hashable
    target: Hashable
    kind: str
    at: float
    post: Hashable | None = None


class AuthorInfo(NamedTuple):
    """Profile data the graph cannot see: follower count (``None`` if unknown) and platform.

    Examples
    --------
    >>> AuthorInfo(7, followers=1200, platform="mastodon").followers
    1200
    """

    key: Hashable
    followers: int | None = None
    platform: str = ""


def check_post(post: Post) -> Post:
    """Return ``post`` unchanged or raise ``ValueError`` naming what is wrong.

    Examples
    --------
    >>> check_post(Post("a", 1, 0.0, "retweet"))
    Traceback (most recent call last):
    ...
    ValueError: post 1: kind 'retweet' is not one of post, reply, repost, quote
    """
    if post.kind not in POST_KINDS:
        raise ValueError(
            f"post {post.id!r}: kind {post.kind!r} is not one of {', '.join(POST_KINDS)}"
        )
    if post.at != post.at:
        raise ValueError(f"post {post.id!r}: time is NaN")
    return post


def check_interaction(interaction: Interaction) -> Interaction:
    """Return ``interaction`` unchanged or raise ``ValueError`` naming what is wrong.

    Examples
    --------
    >>> check_interaction(Interaction("a", "b", "like", 0.0))
    Traceback (most recent call last):
    ...
    ValueError: interaction a->b: kind 'like' is not one of mention, reply, repost, quote
    """
    if interaction.kind not in INTERACTION_KINDS:
        raise ValueError(
            f"interaction {interaction.source}->{interaction.target}: kind "
            f"{interaction.kind!r} is not one of {', '.join(INTERACTION_KINDS)}"
        )
    return interaction


_URL = None


def link_domains(text: str) -> tuple[str, ...]:
    """Return the distinct web domains linked from ``text``, lower-cased, without ``www.``.

    Examples
    --------
    >>> link_domains("see https://www.BBC.co.uk/news/1 and http://medium.com/@x/y, https://bbc.co.uk")
    ('bbc.co.uk', 'medium.com')
    """
    global _URL
    if "http" not in text:
        return ()
    if _URL is None:
        import re

        _URL = re.compile(r"https?://(?:www\.)?([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
    return tuple(dict.fromkeys(d.lower() for d in _URL.findall(text)))
