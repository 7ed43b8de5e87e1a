"""Score authors for the four roles and explain every score in plain words.

:func:`score_authors` is the package's main entry point. It takes the posts and interactions
of one workspace (plain tuples from :mod:`graph.types`), keeps those inside the time window,
computes every feature for every author at once (numpy, with python-igraph for PageRank,
k-core and communities), turns each feature into a percentile within the workspace, and
combines the percentiles into four role scores (0-100):

* **networker** - talks with many distinct people, both ways, deep in the k-core, bridging
  communities;
* **thought_leader** - endorsed (replied to, quoted, reposted) by people who are themselves
  endorsed, on topics they post about consistently (Pal & Counts 2011; Weng et al. 2010);
* **trendsetter** - adopts topics early and is followed into them (Saez-Trumper et al. 2012);
* **amplifier** - passes on other people's content, links to media, is passed on in turn.

The formulas, weights and sources are in ``graph/README.md``. The result is plain data:
``result[author_key]`` is an :class:`AuthorScore`; :meth:`ScoringResult.table` gives the
columns the service writes to a snapshot in bulk.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any, NamedTuple

import numpy as np

from graph.bots import BotParams, BotSignals, bot_reasons, bot_signals
from graph.build import (
    EDGE_CODE,
    POST_CODE,
    Frame,
    build_frame,
    edge_list,
    to_igraph,
    unique_sorted,
)
from graph.communities import (
    METHODS,
    Community,
    _detect,
    _undirected_weighted,
    summarize_communities,
)
from graph.metrics import _core_edges, _pagerank_edges, partner_counts, resolve_backend
from graph.originals import ImpliedOriginals, implied_originals
from graph.parallel import Apart, Worker
from graph.topics import Adoptions, adoptions_of, followers_after
from graph.types import ROLES, AuthorInfo, Interaction, Post

__all__ = [
    "ROLES",
    "MEDIA_DOMAINS",
    "FEATURES",
    "DEFAULT_WEIGHTS",
    "ScoringParams",
    "AuthorScore",
    "TopicRank",
    "TopicScores",
    "ScoringResult",
    "score_authors",
    "explain_as_json",
    "topic_pageranks",
    "percentiles",
    "ordinal",
]

DAY = 86400.0
PARALLEL_MIN_POSTS = 50_000  # below this, a worker process for the topic ranks costs more than it saves

#: Domains of news media and blog platforms; a link to one (or a subdomain) is a media link.
MEDIA_DOMAINS = frozenset(
    [
        "nytimes.com",
        "washingtonpost.com",
        "wsj.com",
        "usatoday.com",
        "latimes.com",
        "cnn.com",
        "foxnews.com",
        "nbcnews.com",
        "cbsnews.com",
        "abcnews.go.com",
        "npr.org",
        "reuters.com",
        "apnews.com",
        "bloomberg.com",
        "ft.com",
        "economist.com",
        "forbes.com",
        "businessinsider.com",
        "cnbc.com",
        "theverge.com",
        "techcrunch.com",
        "wired.com",
        "arstechnica.com",
        "engadget.com",
        "axios.com",
        "politico.com",
        "theatlantic.com",
        "newyorker.com",
        "time.com",
        "vox.com",
        "bbc.co.uk",
        "bbc.com",
        "theguardian.com",
        "independent.co.uk",
        "telegraph.co.uk",
        "thetimes.co.uk",
        "dailymail.co.uk",
        "sky.com",
        "lemonde.fr",
        "lefigaro.fr",
        "spiegel.de",
        "zeit.de",
        "faz.net",
        "sueddeutsche.de",
        "elpais.com",
        "corriere.it",
        "repubblica.it",
        "aljazeera.com",
        "dw.com",
        "euronews.com",
        "france24.com",
        "ria.ru",
        "tass.ru",
        "rbc.ru",
        "kommersant.ru",
        "lenta.ru",
        "meduza.io",
        "novayagazeta.ru",
        "vedomosti.ru",
        "gazeta.ru",
        "iz.ru",
        "interfax.ru",
        "fontanka.ru",
        "vc.ru",
        "habr.com",
        "dtf.ru",
        "medium.com",
        "substack.com",
        "wordpress.com",
        "blogspot.com",
        "blogger.com",
        "tumblr.com",
        "livejournal.com",
        "ghost.io",
        "dev.to",
        "hashnode.dev",
        "telegra.ph",
        "dzen.ru",
        "zen.yandex.ru",
        "pikabu.ru",
    ]
)

#: feature -> (role, weight, reason template). ``{v}`` is the raw value; see _reason().
FEATURES: dict[str, tuple[str, float, str]] = {
    "partners": ("networker", 1.0, "in conversation with {v:,.0f} distinct people"),
    "reciprocated": ("networker", 1.0, "has {v:,.0f} two-way ties"),
    "coreness": ("networker", 0.5, "sits in the {v:,.0f}-core of the conversation"),
    "addressed_by": (
        "networker",
        1.0,
        "mentioned by, or in two-way conversation with, {v:,.0f} distinct people, {share} of the"
        " authors",
    ),
    "bridging": ("networker", 0.75, "talks with people in {v:,.0f} other communities"),
    "endorsed_by": (
        "thought_leader",
        1.5,
        "reposted, quoted or replied to by {v:,.0f} distinct people, {share} of the authors",
    ),
    "influence_rank": (
        "thought_leader",
        1.5,
        "PageRank on the reply/quote/repost graph {v:,.1f}x the average",
    ),
    "replies_per_post": (
        "thought_leader",
        1.0,
        "{v:,.1f} replies and quotes received per original post",
    ),
    "repliers": ("thought_leader", 1.0, "replied to or quoted by {v:,.0f} distinct people"),
    "topical_focus": ("thought_leader", 0.5, "{v:.0%} of their posts are about {topic}"),
    "earliness": ("trendsetter", 1.0, "adopted {topic} before {v:.0%} of its {adopters} adopters"),
    "followers_after": (
        "trendsetter",
        1.5,
        "{v:,.0f} people who interact with them took up their topics after them, {share} of the"
        " authors",
    ),
    "trend_rank": ("trendsetter", 1.0, "trendsetter rank {v:,.1f}x the average"),
    "repost_share": ("amplifier", 1.0, "{v:.0%} of their {posts} posts are reposts"),
    "reposted_authors": ("amplifier", 1.0, "reposted {v:,.0f} distinct authors"),
    "media_share": ("amplifier", 0.5, "{v:.0%} of their posts link to media or blogs"),
    "second_hand_reach": (
        "amplifier",
        1.0,
        "what they reposted was passed on {v:,.0f} times by people who follow them",
    ),
}

#: The feature whose reach (a share of the posting authors) can lift each role on its own.
REACH_FEATURE = {
    "networker": "addressed_by",
    "thought_leader": "endorsed_by",
    "trendsetter": "followers_after",
}

DEFAULT_WEIGHTS: dict[str, dict[str, float]] = {
    role: {f: w for f, (r, w, _) in FEATURES.items() if r == role} for role in ROLES
}


@dataclass(frozen=True)
class ScoringParams:
    """Everything that shapes a scoring run; stored with each snapshot (:meth:`to_dict`).

    Parameters
    ----------
    window_days : float
        Only posts and interactions in the last ``window_days`` before ``now`` count.
    role_threshold : float
        A role score (0-100) must reach this to be an author's primary role.
    min_partners : int
        Networker evidence: distinct people in conversation with them (mentions, replies,
        either way), not counting suspicious accounts.
    min_addressed_by : int
        Networker evidence: distinct people who mention or reply to them (not suspicious).
    min_endorsers : int
        Thought-leader evidence: distinct people who reply to, quote or repost them (not
        suspicious); they must also have an original post (or one known through its reposts).
    min_topic_posts : int
        Topical focus counts topics with at least this many original posts of the author.
    min_topic_endorsers : int
        Per-topic thought-leader evidence: distinct people endorsing their posts on the topic.
    min_followers_after : int
        Trendsetter evidence: people (not suspicious) who interact with the author and adopted
        a topic after them.
    min_reposts : int
        Amplifier evidence: reposts.
    min_reposted_authors : int
        Amplifier evidence: distinct authors reposted.
    min_adopters : int
        A topic counts for trends and per-topic rankings once this many authors used it.
    ubiquitous_share : float
        A topic used by at least this share of the posting authors is what the collection is
        about (a brand, the query hashtag): nobody is a trendsetter on it.
    reach_at_90 : float
        Share of the posting authors who address (networker), endorse (thought leader) or
        follow (trendsetter) an author at which that role scores 90 (see :func:`reach_score`).
    max_topics : int
        Per-topic rankings (and topic PageRank) for at most this many topics, most used first.
    bot_threshold : float
        Authors with a bot score at or above this are suspicious: they can never be amplifiers,
        and their interactions are no evidence for anyone's role.
    media_domains : tuple of str
        Extra media/blog domains, added to :data:`MEDIA_DOMAINS`.
    weights : mapping
        ``{role: {feature: weight}}``; a missing role or feature keeps its default.
    magnitude_weight : float
        Share (0-1) of a feature's log-scaled magnitude, next to its percentile, in role scores.
    percentile_power : float
        Percentiles enter role scores as ``100 * (pct / 100) ** percentile_power``.
    share_prior : float
        Shares (reposts, media links, replies per post) are ranked as ``count / (total + prior)``.
    alpha : float
        PageRank damping.
    community_method : {"leiden", "louvain"}
    community_resolution : float
    seed : int
        Seed of community detection.
    backend : {"auto", "igraph", "networkx"}
    bots : BotParams
    """

    window_days: float = 90.0
    role_threshold: float = 50.0
    min_partners: int = 5
    min_addressed_by: int = 5
    min_endorsers: int = 5
    min_topic_posts: int = 5
    min_topic_endorsers: int = 3
    min_followers_after: int = 3
    min_reposts: int = 5
    min_reposted_authors: int = 3
    min_adopters: int = 10
    ubiquitous_share: float = 0.5
    reach_at_90: float = 0.05
    max_topics: int = 20
    bot_threshold: float = 0.5
    media_domains: tuple[str, ...] = ()
    weights: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    magnitude_weight: float = 0.5
    percentile_power: float = 4.0
    share_prior: float = 5.0
    alpha: float = 0.85
    community_method: str = "leiden"
    community_resolution: float = 1.0
    seed: int = 0
    backend: str = "auto"
    bots: BotParams = field(default_factory=BotParams)

    def __post_init__(self):
        if self.window_days <= 0:
            raise ValueError(f"window_days must be positive, got {self.window_days}")
        if not 0 <= self.role_threshold <= 100:
            raise ValueError(f"role_threshold must lie in [0, 100], got {self.role_threshold}")
        if not 0 < self.ubiquitous_share <= 1:
            raise ValueError(f"ubiquitous_share must lie in (0, 1], got {self.ubiquitous_share}")
        if not 0 < self.reach_at_90 <= 1:
            raise ValueError(f"reach_at_90 must lie in (0, 1], got {self.reach_at_90}")
        if not 0 <= self.magnitude_weight <= 1:
            raise ValueError(f"magnitude_weight must lie in [0, 1], got {self.magnitude_weight}")
        if self.community_method not in METHODS:
            raise ValueError(f"community_method {self.community_method!r} not in {METHODS}")
        resolve_backend(self.backend)
        for role, ws in self.weights.items():
            if role not in ROLES:
                raise ValueError(f"unknown role {role!r} in weights")
            for f, w in ws.items():
                if FEATURES.get(f, (None,))[0] != role:
                    raise ValueError(f"{f!r} is not a {role} feature")
                if w < 0:
                    raise ValueError(f"weight of {f!r} must be non-negative")

    def role_weights(self, role: str) -> dict[str, float]:
        """Return ``{feature: weight}`` of ``role`` with overrides applied."""
        return {**DEFAULT_WEIGHTS[role], **self.weights.get(role, {})}

    def to_dict(self) -> dict[str, Any]:
        """Return the parameters as JSON-ready plain data (weights fully spelled out).

        Examples
        --------
        >>> ScoringParams(window_days=30).to_dict()["window_days"]
        30
        """
        d = asdict(self)
        d["weights"] = {role: self.role_weights(role) for role in ROLES}
        d["media_domains"] = list(self.media_domains)
        d["bots"]["weights"] = dict(self.bots.weights)
        return d


def percentiles(values: np.ndarray) -> np.ndarray:
    """Return, for each value, the percentage of the *other* values strictly below it.

    The smallest value (and every tie with it) is at the 0th percentile, a unique maximum at
    the 100th. Percentiles are taken of log-scaled features; log scaling is monotone, so the
    percentile equals that of the raw value.

    Examples
    --------
    >>> percentiles(np.array([0, 0, 3, 10, 10])).tolist()
    [0.0, 0.0, 50.0, 75.0, 75.0]
    """
    values = np.asarray(values, dtype=np.float64)
    if len(values) < 2:
        return np.zeros(len(values))
    ordered = np.sort(values)
    return 100.0 * np.searchsorted(ordered, values, side="left") / (len(values) - 1)


def _varies(values: np.ndarray) -> bool:
    """Say whether a feature tells its authors apart: one author has it, or the values of
    those who have it differ. (A feature nobody has, or everyone who has it has equally,
    carries nothing.)"""
    some = values[values > 0]
    return len(some) == 1 or (len(some) > 1 and bool(some.min() < some.max()))


def ordinal(n: int) -> str:
    """Return ``1st``, ``2nd``, ``97th``...

    Examples
    --------
    >>> [ordinal(i) for i in (1, 2, 3, 11, 12, 22, 97)]
    ['1st', '2nd', '3rd', '11th', '12th', '22nd', '97th']
    """
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }".replace(" ", "")


_ORDINALS = [ordinal(n) for n in range(101)]  # every percentile's, made once


@dataclass
class AuthorScore:
    """One author's scores with their explanation; plain data, safe to serialise.

    ``features`` maps a feature name to ``{"value", "percentile", "role", "share"}`` where
    ``share`` is the feature's share of its role score. ``reasons`` are sentences for the primary
    role (or for the best role when the author is a plain user); ``explanations`` has them for
    every role. ``topics`` maps a ranked topic to ``{"thought_leader", "trendsetter", "posts"}``.
    """

    key: Hashable
    role: str
    scores: dict[str, float]
    features: dict[str, dict[str, Any]]
    reasons: list[str]
    explanations: dict[str, list[str]]
    bot_score: float
    bot_reasons: list[str]
    community: int
    topics: dict[str, dict[str, float]]
    followers: int | None = None
    evidence: dict[str, bool] = field(default_factory=dict)


class TopicRank(NamedTuple):
    """One author's standing on one topic."""

    key: Hashable
    thought_leader: float
    trendsetter: float
    posts: int
    original_posts: int


@dataclass(eq=False)
class ScoringResult:
    """The outcome of :func:`score_authors`: columns per author plus summaries.

    Index it by author key for an :class:`AuthorScore`; iterate for the keys.
    :meth:`topic_ranking` lists :class:`TopicRank` per topic, ``communities`` the named
    communities, ``timings`` the seconds spent per phase.
    """

    keys: list
    index: dict
    roles: list[str]
    scores: dict[str, np.ndarray]
    evidence: dict[str, np.ndarray]
    values: dict[str, np.ndarray]
    percentile: dict[str, np.ndarray]
    level: dict[str, np.ndarray]
    context: dict[str, Any]
    bots: BotSignals
    community: np.ndarray
    communities: list[Community]
    topic_scores: dict[str, TopicScores]
    followers: np.ndarray
    params: ScoringParams
    window: tuple[float, float]
    counts: dict[str, int]
    timings: dict[str, float]
    _cache: dict = field(default_factory=dict, repr=False)
    _topic_index: dict | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self.keys)

    def __contains__(self, key) -> bool:
        return key in self.index

    def __getitem__(self, key) -> AuthorScore:
        if key not in self._cache:
            self._cache[key] = self._authors([self.index[key]])[0]
        return self._cache[key]

    def top(self, role: str, n: int = 20) -> list[Hashable]:
        """Return the keys of the ``n`` highest scorers of ``role`` (ties by key order)."""
        if role not in ROLES:
            raise ValueError(f"role {role!r} is not one of {ROLES}")
        order = np.argsort(-self.scores[role], kind="stable")[:n]
        return [self.keys[i] for i in order.tolist()]

    @property
    def topics(self) -> list[str]:
        """Return the ranked topics, most adopters first."""
        return list(self.topic_scores)

    def topic_ranking(
        self, topic: str, *, by: str = "thought_leader", limit: int | None = 50
    ) -> list[TopicRank]:
        """Return the authors leading ``topic`` by ``thought_leader`` or ``trendsetter`` score.

        Only authors with a positive score on that role are listed.
        """
        if by not in ("thought_leader", "trendsetter"):
            raise ValueError(f"by must be 'thought_leader' or 'trendsetter', got {by!r}")
        if topic not in self.topic_scores:
            raise ValueError(f"topic {topic!r} is not ranked; ranked: {self.topics[:10]}")
        ts = self.topic_scores[topic]
        main = getattr(ts, by)
        other = ts.trendsetter if by == "thought_leader" else ts.thought_leader
        order = np.lexsort((-other, -main))
        order = order[main[order] > 0][:limit]
        return [
            TopicRank(
                self.keys[ts.members[j]],
                float(ts.thought_leader[j]),
                float(ts.trendsetter[j]),
                int(ts.posts[j]),
                int(ts.original_posts[j]),
            )
            for j in order.tolist()
        ]

    def table(self) -> dict[str, list]:
        """Return per-author columns for bulk writing: key, role, scores, bot, community, features.

        Every list has one entry per author, in the order of :attr:`keys`.
        """
        cols: dict[str, list] = {"key": list(self.keys), "role": list(self.roles)}
        for role in ROLES:
            cols[role] = np.round(self.scores[role], 2).tolist()
        cols["bot_score"] = np.round(self.bots.score, 3).tolist()
        cols["community"] = self.community.tolist()
        for name, v in self.values.items():
            cols[name] = v.tolist()
        return cols

    def authors(self, keys: Iterable[Hashable]) -> list[AuthorScore]:
        """Return the :class:`AuthorScore` of each key, explained together.

        The same as ``[result[key] for key in keys]``, faster for thousands of authors: each
        column is read once for all of them rather than value by value.
        """
        return self._authors([self.index[key] for key in keys])

    def _reason(self, name: str, v: float, pct: float, topic: str, adopters: int, posts: int):
        share = _percent(v / max(self.context.get("posting", 0), 1))
        text = FEATURES[name][2].format(v=v, topic=topic, adopters=adopters, posts=posts, share=share)
        pct = int(pct)
        return f"{text} ({_ORDINALS[pct] if 0 <= pct <= 100 else ordinal(pct)} percentile)"

    def _topic_rows(self) -> dict[int, list[tuple[str, int]]]:
        """Return, per author index, the ranked topics they appear in and their row there.

        Built once: explaining thousands of authors must not search every topic each time.
        """
        if self._topic_index is None:
            rows: dict[int, list[tuple[str, int]]] = {}
            for t, ts in self.topic_scores.items():
                for j, i in enumerate(ts.members.tolist()):
                    rows.setdefault(i, []).append((t, j))
            self._topic_index = rows
        return self._topic_index

    def _authors(self, rows: list[int]) -> list[AuthorScore]:
        """Explain the authors at index ``rows`` (plain Python numbers, one pass per column)."""
        p = self.params
        at = np.asarray(rows, dtype=np.int64)
        values = {f: self.values[f][at].tolist() for f in FEATURES}
        pcts = {f: self.percentile[f][at].tolist() for f in FEATURES}
        levels = {f: self.level[f][at].tolist() for f in FEATURES}
        evidence = {role: self.evidence[role][at].tolist() for role in ROLES}
        scores_of = {role: self.scores[role][at].tolist() for role in ROLES}
        bot = self.bots.score[at].tolist()
        ctx = self.context
        topics_all = ctx["topics"]
        focus = ctx["focus_topic"][at].tolist()
        early = ctx["early_topic"][at].tolist()
        adopters_of = ctx["early_adopters"][at].tolist()
        posts_of = self.bots.posts[at].tolist()
        community = self.community[at].tolist()
        followers = self.followers[at].tolist()
        # the features that counted in this run (those that told authors apart)
        role_weights = ctx.get("weights") or {role: p.role_weights(role) for role in ROLES}
        reach_of = {role: r[at].tolist() for role, r in (ctx.get("reach") or {}).items()}
        posting = max(ctx.get("posting", 0), 1)
        topic_rows = self._topic_rows()
        out = []
        for j, i in enumerate(rows):
            topic_of = {
                "topical_focus": topics_all[focus[j]] if focus[j] >= 0 else "",
                "earliness": topics_all[early[j]] if early[j] >= 0 else "",
            }
            adopters, posts = int(adopters_of[j]), int(posts_of[j])
            feats: dict[str, dict[str, Any]] = {}
            explanations: dict[str, list[str]] = {}
            for role in ROLES:
                weights = role_weights[role]
                total = sum(w * levels[f][j] for f, w in weights.items()) or 1.0
                ranked = []
                for f in DEFAULT_WEIGHTS[role]:
                    share = weights.get(f, 0.0) * levels[f][j] / total
                    feats[f] = {
                        "value": values[f][j],
                        "percentile": round(pcts[f][j], 1),
                        "role": role,
                        "share": round(share, 3),
                    }
                    ranked.append((share, f))
                ranked.sort(key=lambda t: -t[0])
                # the reach behind the role's score comes first when it lifted the score
                lead = REACH_FEATURE.get(role)
                if lead and reach_score(reach_of[role][j] / posting, p.reach_at_90) >= 50:
                    ranked.sort(key=lambda t: t[1] != lead)
                explanations[role] = [
                    self._reason(f, values[f][j], pcts[f][j], topic_of.get(f, ""), adopters, posts)
                    for s, f in ranked
                    if s > 0 or f == lead and values[f][j] > 0
                ]
                if not evidence[role][j]:
                    missing = self._missing(role, i)
                    # first when the score alone would make the role, else last
                    if scores_of[role][j] >= p.role_threshold:
                        explanations[role].insert(0, missing)
                    else:
                        explanations[role].append(missing)
                if bot[j] > 0:
                    explanations[role].append(
                        f"score reduced by {100 * bot[j]:.0f}% for bot-like behaviour"
                    )
            scores = {role: round(scores_of[role][j], 1) for role in ROLES}
            role = self.roles[i]
            if role == "user":
                best = max(ROLES, key=lambda r: scores[r])
                reasons = [
                    f"no role: best is {best.replace('_', ' ')} at {scores[best]:.0f}, "
                    f"role threshold {p.role_threshold:.0f}"
                ] + explanations[best][:3]
            else:
                reasons = explanations[role]
            topics = {}
            for t, k in topic_rows.get(i, ()):
                ts = self.topic_scores[t]
                topics[t] = {
                    "thought_leader": float(ts.thought_leader[k]),
                    "trendsetter": float(ts.trendsetter[k]),
                    "posts": int(ts.posts[k]),
                    "original_posts": int(ts.original_posts[k]),
                }
            out.append(
                AuthorScore(
                    key=self.keys[i],
                    role=role,
                    scores=scores,
                    features=feats,
                    reasons=reasons,
                    explanations=explanations,
                    bot_score=round(bot[j], 3),
                    bot_reasons=bot_reasons(self.bots, i),
                    community=int(community[j]),
                    topics=topics,
                    followers=None if followers[j] < 0 else int(followers[j]),
                    evidence={role: bool(evidence[role][j]) for role in ROLES},
                )
            )
        return out

    def _missing(self, role: str, i: int) -> str:
        """Say what the author lacks for ``role`` (their score is held below the threshold)."""
        p = self.params
        counts = self.context.get("evidence_counts") or {}
        have = {name: int(column[i]) for name, column in counts.items()}
        held = "not enough evidence for the role: "
        if role == "networker":
            return held + (
                f"needs {p.min_partners} people in conversation with them and {p.min_addressed_by}"
                f" who address them (has {have.get('partners', 0)} and"
                f" {have.get('addressed_by', 0)}, suspicious accounts not counted)"
            )
        if role == "thought_leader":
            if have.get("originals", 1) < 1:
                return held + "needs a post of their own that others reply to, quote or repost"
            return held + (
                f"needs {p.min_endorsers} people replying to, quoting or reposting them (has"
                f" {have.get('endorsed_by', 0)}, suspicious accounts not counted)"
            )
        if role == "trendsetter":
            return held + (
                f"needs {p.min_followers_after} people taking up their topics after them"
                f" (has {int(self.values['followers_after'][i])})"
            )
        if self.bots.score[i] >= p.bot_threshold:
            return held + "a suspicious account cannot be an amplifier"
        return held + (
            f"needs {p.min_reposts} reposts of {p.min_reposted_authors} distinct authors (has"
            f" {int(self.bots.reposts[i])} of {have.get('reposted_authors', 0)})"
        )


def _percent(x: float) -> str:
    """Return a share as a short percentage: ``11%``, ``4.7%``, ``0.5%``, ``<0.1%``.

    Examples
    --------
    >>> [_percent(x) for x in (0.113, 0.047, 0.005, 0.0004)]
    ['11%', '4.7%', '0.5%', '<0.1%']
    """
    if x >= 0.1:
        return f"{x:.0%}"
    if x >= 0.001:
        return f"{x:.1%}"
    return "<0.1%"


# --------------------------------------------------------------------------- features


def _feature_level(
    values: np.ndarray, pct: np.ndarray, magnitude_weight: float, power: float = 1.0
) -> np.ndarray:
    """Blend a feature's percentile, raised to ``power``, with its log-scaled magnitude (0-100).

    The power makes the middle of the field a middling level (the median author with any
    conversation is at 25 with ``power=2``, not 50), so that a role score of 50 means standing
    out, and the top percentiles keep their spread.

    Percentiles squeeze the top 1% of a heavy-tailed feature into 99-100, so small changes of the
    data reorder the very authors people look at; the log magnitude, ``log1p(x) / log1p(max)``,
    keeps them apart by how much larger they really are.
    """
    pct = 100.0 * (pct / 100.0) ** power
    if magnitude_weight == 0 or not len(values):
        return pct
    logs = np.log1p(np.maximum(values, 0))
    top = logs.max()
    mag = 100.0 * logs / top if top > 0 else np.zeros(len(values))
    return (1 - magnitude_weight) * pct + magnitude_weight * mag


def _is_media(domain: str, media: frozenset, cache: dict) -> bool:
    hit = cache.get(domain)
    if hit is None:
        d = domain.lower().removeprefix("www.")
        parts = d.split(".")
        hit = any(".".join(parts[k:]) in media for k in range(len(parts) - 1))
        cache[domain] = hit
    return hit


def _group_max(group: np.ndarray, values: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Return per-group max of ``values`` and the row index reaching it (-1 if empty)."""
    best = np.zeros(n)
    arg = np.full(n, -1, dtype=np.int64)
    if len(group):
        order = np.lexsort((values, group))
        last = np.ones(len(order), dtype=bool)
        last[:-1] = group[order][1:] != group[order][:-1]
        rows = order[last]
        best[group[rows]] = values[rows]
        arg[group[rows]] = rows
    return best, arg


def _expand(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (position in ``rows``, CSR offset) for every entry of the given CSR rows."""
    starts, stops = indptr[rows], indptr[rows + 1]
    sizes = stops - starts
    total = int(sizes.sum())
    owner = np.repeat(np.arange(len(rows)), sizes)
    offs = np.repeat(stops - sizes.cumsum(), sizes) + np.arange(total)
    return owner, offs


def score_authors(
    posts: Iterable[Post],
    interactions: Iterable[Interaction],
    *,
    authors: Iterable[AuthorInfo] | Mapping[Hashable, AuthorInfo] | None = None,
    now: float | None = None,
    params: ScoringParams | None = None,
    overrides: Mapping[Hashable, str] | None = None,
    progress: Callable[[str, float], None] | None = None,
    frame: Frame | None = None,
    parallel: bool = False,
) -> ScoringResult:
    """Score every author active in the window for the four roles, with reasons.

    Parameters
    ----------
    posts : iterable of Post
    interactions : iterable of Interaction
    authors : iterable or mapping of AuthorInfo, optional
        Follower counts and platforms (shown, not scored).
    now : float, optional
        End of the window in Unix seconds; default: the latest post or interaction.
    params : ScoringParams, optional
    overrides : mapping, optional
        ``{author: "not_bot" | "bot"}``: a person's verdict on the bot score.
    progress : callable, optional
        Called as ``progress(phase, fraction_done)`` between phases.
    frame : Frame, optional
        The workspace already in columns (:func:`graph.build.frame_from_columns`), holding only
        the window's posts and edges; then ``posts``, ``interactions`` and ``authors`` are not
        used and ``now`` defaults to the frame's end.
    parallel : bool, default False
        Rank the topics (their personalised PageRanks) in a worker process while the other
        steps run here (:mod:`graph.parallel`), when there are at least ``PARALLEL_MIN_POSTS``
        posts. The result is the same.

    Returns
    -------
    ScoringResult

    Examples
    --------
    >>> posts = [Post("hub", 0, 0.0, text="hello")]
    >>> edges = [Interaction(f"u{i}", "hub", "mention", 10.0 + i) for i in range(8)]
    >>> edges += [Interaction("hub", f"u{i}", "mention", 20.0 + i) for i in range(8)]
    >>> edges += [Interaction("u0", "u1", "mention", 30.0), Interaction("u1", "u0", "mention", 31.0)]
    >>> result = score_authors(posts, edges)
    >>> result["hub"].role, result["hub"].scores["networker"]
    ('networker', 100.0)
    >>> result["hub"].reasons[0]
    'mentioned by, or in two-way conversation with, 8 distinct people, 89% of the authors (100th percentile)'
    >>> result["hub"].reasons[1]
    'in conversation with 8 distinct people (100th percentile)'
    >>> result["u5"].role
    'user'
    """
    p = params or ScoringParams()
    backend = resolve_backend(p.backend)
    timings: dict[str, float] = {}
    clock = [time.perf_counter()]

    def done(phase: str, fraction: float) -> None:
        t = time.perf_counter()
        timings[phase] = round(t - clock[0], 4)
        clock[0] = t
        if progress is not None:
            progress(phase, fraction)

    if frame is not None:
        if now is None:
            now = frame.end
            if not np.isfinite(now):
                now = float(max(frame.p_at.max(initial=0.0), frame.e_at.max(initial=0.0)))
        start = float(now) - p.window_days * DAY
        f = frame
    else:
        posts = posts if isinstance(posts, list) else list(posts)
        interactions = interactions if isinstance(interactions, list) else list(interactions)
        if now is None:
            latest = [max((x.at for x in posts), default=-np.inf)]
            latest.append(max((x.at for x in interactions), default=-np.inf))
            now = max(latest) if np.isfinite(max(latest)) else 0.0
        start = float(now) - p.window_days * DAY
        f = build_frame(posts, interactions, authors=authors, start=start, end=float(now))
    done("frame", 0.15)

    # The bot signals (two seconds of text work at a million posts) and the topics'
    # personalised PageRanks need nothing the other steps compute: with ``parallel`` a worker
    # process works them out meanwhile (the bot signals from the start), and they are
    # collected when needed; without, they are computed then.
    with Worker(parallel and f.n_posts >= PARALLEL_MIN_POSTS) as worker:
        if worker.running:
            bots = worker.submit(_bots_from_payload, _bot_payload(f, overrides), p.bots)
        else:
            bots = worker.submit(partial(bot_signals, overrides=overrides), f, p.bots)
        topics, endorse_edges, posting = _prepare_topics(f, p, backend, worker)
        return _score(f, p, backend, now, start, bots, done, timings, endorse_edges, posting,
                      topics)  # fmt: skip


class _Topics(NamedTuple):
    """What :func:`score_authors` works out about topics before the other steps."""

    adopt: Adoptions
    qualifying: np.ndarray  # topics one can be early on: enough adopters, not ubiquitous
    ranked: np.ndarray  # topics ranked per topic: the most used
    ubiquitous: np.ndarray  # per topic: what the collection is about
    members: list
    implied: ImpliedOriginals
    ranks: Apart


def _prepare_topics(f: Frame, p: ScoringParams, backend: str, worker: Worker):
    """Work out adoptions, the topics one can be early on and the ranked topics, and start
    the ranked topics' PageRanks on ``worker``; return them with the endorsement edges and
    the number of posting authors."""
    n = f.n
    # Topics are adopted by posts, replies, quotes, reposts and the originals known only
    # through their reposts; an adoption by a reply, quote or repost remembers whose post it
    # answered or spread (responding to someone's post is not following them into a topic).
    # A topic that half the posting authors use is what the collection is about (the brand,
    # the query hashtag), not a trend to be early on.
    n_t = len(f.topics)
    implied = implied_originals(f)
    t_author = f.p_author[f.t_post].astype(np.int64)
    pointing = np.isin(f.e_kind, [EDGE_CODE["reply"], EDGE_CODE["quote"], EDGE_CODE["repost"]])
    pointing &= f.e_post >= 0
    spread_from = np.full(f.n_posts, -1, dtype=np.int64)
    spread_from[f.e_post[pointing]] = f.e_dst[pointing]
    adopt = adoptions_of(
        np.concatenate([t_author, implied.author]),
        np.concatenate([f.p_at[f.t_post], implied.at]),
        np.concatenate([f.t_topic.astype(np.int64), implied.topic]),
        n_t,
        via=np.concatenate([spread_from[f.t_post], np.full(len(implied.author), -1)]),
    )
    users = _topic_users(t_author, f.t_topic, implied, n_t)
    # the authors who wrote anything in the window: a post, or a mention or reply or repost
    # (whose post may be missing from partial data)
    written = np.bincount(f.p_author, minlength=n) + np.bincount(f.e_src, minlength=n)
    posting = int(np.count_nonzero(written))
    ubiquitous = users >= max(p.ubiquitous_share * posting, 1)
    topic_adopters = np.bincount(adopt.topic, minlength=n_t)
    qualifying = np.flatnonzero((topic_adopters >= p.min_adopters) & ~ubiquitous)
    ranked_topics = np.flatnonzero(users >= p.min_adopters)
    ranked_topics = ranked_topics[np.argsort(-users[ranked_topics], kind="stable")][: p.max_topics]
    endorse = np.isin(f.e_kind, [EDGE_CODE["reply"], EDGE_CODE["quote"], EDGE_CODE["repost"]])
    endorse_edges = edge_list(f.e_src, f.e_dst, n, mask=endorse)
    members = _topic_members(t_author, f.t_topic, implied, ranked_topics)
    ranks = worker.submit(topic_pageranks, endorse_edges, p.alpha, backend, members)
    topics = _Topics(adopt, qualifying, ranked_topics, ubiquitous, members, implied, ranks)
    return topics, endorse_edges, posting


def _topic_users(t_author, t_topic, implied: ImpliedOriginals, n_t: int) -> np.ndarray:
    """Return, per topic, the distinct authors who used it (reposts and implied originals too)."""
    author = np.concatenate([t_author, implied.author])
    topic = np.concatenate([np.asarray(t_topic, dtype=np.int64), implied.topic])
    pairs = unique_sorted(author * max(n_t, 1) + topic)
    return np.bincount(pairs % max(n_t, 1), minlength=n_t)


def _conversation(f: Frame) -> np.ndarray:
    """Return the mask of the edges that are conversation: mentions and replies, without the
    mentions a post only repeats (those inside a repost are its original's; a reply's or
    quote's "@name" of the very author it answers is not a second contact)."""
    talk = np.isin(f.e_kind, [EDGE_CODE["mention"], EDGE_CODE["reply"]])
    mention = f.e_kind == EDGE_CODE["mention"]
    has_post = f.e_post >= 0
    in_repost = np.zeros(len(talk), dtype=bool)
    in_repost[has_post] = f.p_kind[f.e_post[has_post]] == POST_CODE["repost"]
    # (post, target) pairs that already have a reply, repost or quote edge
    pointed = has_post & ~mention
    key = f.e_post.astype(np.int64) * max(f.n, 1) + f.e_dst
    repeated = mention & has_post & np.isin(key, key[pointed])
    return talk & ~(mention & in_repost) & ~repeated


def _distinct(src: np.ndarray, dst: np.ndarray, n: int, counted: np.ndarray) -> np.ndarray:
    """Return, per node, the distinct ``src`` pointing at it that are ``counted``."""
    keep = counted[src] & (src != dst)
    pairs = unique_sorted(dst[keep].astype(np.int64) * n + src[keep])
    return np.bincount(pairs // max(n, 1), minlength=n)


def reach_score(share: np.ndarray, at_90: float) -> np.ndarray:
    """Return the 0-100 score of reaching ``share`` of the posting authors.

    Saturating and monotone: ``at_90`` of the authors scores 90, a tenth of that 21.

    Examples
    --------
    >>> reach_score(np.array([0.0, 0.005, 0.05, 0.11, 0.33]), 0.05).round(1).tolist()
    [0.0, 20.6, 90.0, 99.4, 100.0]
    """
    return 100.0 * (1.0 - np.power(10.0, -np.asarray(share, dtype=np.float64) / at_90))


def _bot_payload(f: Frame, overrides: Mapping[Hashable, str] | None) -> tuple:
    """Return what :func:`bot_signals` reads of the frame, packed to travel to a worker fast.

    One's own posts' texts go as one string and their lengths (pickling a million small
    strings would hold this process for a second), the reposts' parent ids as a list, people's
    verdicts by author index; no edges or topics.
    """
    own = np.flatnonzero(f.p_kind != POST_CODE["repost"])
    texts = [f.p_text[i] for i in own.tolist()]
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    reposts = np.flatnonzero(f.p_kind == POST_CODE["repost"])
    parents = [f.p_parent_id[i] for i in reposts.tolist()]
    verdicts = {f.index[k]: v for k, v in (overrides or {}).items() if k in f.index}
    return (f.n, f.p_author, f.p_at, f.p_kind, own, "".join(texts), lengths, reposts, parents,
            verdicts)  # fmt: skip


def _bots_from_payload(payload: tuple, params) -> BotSignals:
    """Return :func:`bot_signals` of a frame packed by :func:`_bot_payload` (in a worker)."""
    n, p_author, p_at, p_kind, own, joined, lengths, reposts, parents, verdicts = payload
    text = [""] * len(p_kind)
    ends = np.cumsum(lengths).tolist()
    for i, start, end in zip(own.tolist(), [0, *ends[:-1]], ends, strict=True):
        text[i] = joined[start:end]
    parent_id = [None] * len(p_kind)
    for i, parent in zip(reposts.tolist(), parents, strict=True):
        parent_id[i] = parent
    empty = np.zeros(0, dtype=np.int64)
    keys = list(range(n))
    frame = Frame(
        keys=keys, index=dict(zip(keys, keys, strict=True)), topics=[], p_author=p_author,
        p_at=p_at, p_kind=p_kind, p_parent=np.full(len(p_kind), -1), p_parent_id=parent_id,
        p_id=list(range(len(p_kind))), p_text=text, p_domains=[], t_post=empty, t_topic=empty,
        e_src=empty, e_dst=empty, e_kind=empty.astype(np.int8), e_at=np.zeros(0), e_post=empty,
        followers=np.full(n, -1), start=-np.inf, end=np.inf,
    )  # fmt: skip
    return bot_signals(frame, params, overrides=verdicts)


def _score(f, p, backend, now, start, bots_apart: Apart, done, timings, endorse_edges, posting,
           topics: _Topics) -> ScoringResult:  # fmt: skip
    """The body of :func:`score_authors` once the bot signals and topic ranks are under way."""
    n, n_t = f.n, len(f.topics)
    adopt, implied = topics.adopt, topics.implied
    done("topic_members", 0.2)

    # ---- networker: conversation (mentions and replies), either way
    talk = _conversation(f)
    t_src, t_dst = f.e_src[talk].astype(np.int64), f.e_dst[talk].astype(np.int64)
    pc = partner_counts(t_src, t_dst, n)
    # addressed: mentioned by them, or in conversation both ways (one-way replies to someone's
    # posts are what a thought leader draws)
    mentions = f.e_kind[talk] == EDGE_CODE["mention"]
    pair = unique_sorted(t_src * n + t_dst)
    two_way = np.isin(pair, (pair % n) * n + pair // n)
    a_src = np.concatenate([t_src[mentions], pair[two_way] // n])
    a_dst = np.concatenate([t_dst[mentions], pair[two_way] % n])
    addressed = _distinct(a_src, a_dst, n, np.ones(n, dtype=bool))
    talk_edges = edge_list(t_src, t_dst, n)
    coreness = _core_edges(_undirected_weighted(talk_edges), backend)
    all_edges = edge_list(f.e_src, f.e_dst, n)
    contacts = partner_counts(all_edges.src, all_edges.dst, n)["any"]
    done("partners", 0.35)
    und = _undirected_weighted(all_edges)
    g_und = to_igraph(und, directed=False) if backend == "igraph" else None
    community = _detect(und, p.community_method, p.community_resolution, p.seed, backend, graph=g_und)
    del g_und
    done("communities", 0.5)
    both_src = np.concatenate([talk_edges.src, talk_edges.dst])
    both_dst = np.concatenate([talk_edges.dst, talk_edges.src])
    cd = community[both_dst]
    other = (cd >= 0) & (cd != community[both_src])
    bridge_pairs = unique_sorted(both_src[other] * (n + 1) + cd[other])
    bridging = np.bincount(bridge_pairs // (n + 1), minlength=n)

    # ---- thought leader: people who reply to, quote or repost them
    endorsing = np.isin(f.e_kind, [EDGE_CODE["reply"], EDGE_CODE["quote"], EDGE_CODE["repost"]])
    e_src, e_dst = f.e_src[endorsing].astype(np.int64), f.e_dst[endorsing].astype(np.int64)
    endorsed_by = partner_counts(e_src, e_dst, n)["in"]
    pr = _pagerank_edges(endorse_edges, p.alpha, None, backend) * max(n, 1)
    done("pagerank", 0.55)
    bots = bots_apart.result()
    # Evidence counts people, and only people who do not look automated: five bot-like
    # accounts reposting a post do not make its author a thought leader.
    clean = bots.score < p.bot_threshold
    addressed_clean = _distinct(a_src, a_dst, n, clean)
    partners_clean = _distinct(np.concatenate([t_src, t_dst]), np.concatenate([t_dst, t_src]), n, clean)
    endorsed_clean = _distinct(e_src, e_dst, n, clean)
    done("bots", 0.57)
    rq = np.isin(f.e_kind, [EDGE_CODE["reply"], EDGE_CODE["quote"]])
    received_rq = np.bincount(f.e_dst[rq], minlength=n)
    repliers = partner_counts(f.e_src[rq], f.e_dst[rq], n)["in"]
    original = np.isin(f.p_kind, [POST_CODE["post"], POST_CODE["quote"]])
    originals = np.bincount(f.p_author[original], minlength=n) + implied.count
    replies_per_post = received_rq / np.maximum(originals, 1)
    # posts per (author, topic), and original ones: real posts plus implied originals
    t_author = f.p_author[f.t_post].astype(np.int64)
    at_key = np.concatenate([t_author * max(n_t, 1) + f.t_topic, implied.author * max(n_t, 1) + implied.topic])
    is_orig = np.concatenate([original[f.t_post], np.ones(len(implied.author), dtype=bool)])
    at_pairs, at_count = np.unique(at_key, return_counts=True)
    orig_pairs, orig_count = np.unique(at_key[is_orig], return_counts=True)
    at_origc = np.zeros(len(at_pairs), dtype=np.int64)
    at_origc[np.searchsorted(at_pairs, orig_pairs)] = orig_count
    pair_author, pair_topic = at_pairs // max(n_t, 1), at_pairs % max(n_t, 1)
    posts_n = bots.posts
    # topical focus (Pal & Counts' topical signal) on the author's main topic with evidence
    share = at_count / np.maximum((posts_n + implied.count)[pair_author], 1)
    share_ok = np.where(at_origc >= p.min_topic_posts, share, 0.0)
    topical_focus, focus_row = _group_max(pair_author, share_ok, n)
    focus_topic = np.full(n, -1, dtype=np.int64)
    has_focus = (focus_row >= 0) & (topical_focus > 0)
    focus_topic[has_focus] = pair_topic[focus_row[has_focus]]
    done("thought_leader", 0.6)

    # ---- trendsetter: early on a topic, followed into it by people who pay them attention
    qualifying = topics.qualifying
    fol, lead, ftop = followers_after(adopt, all_edges.src, all_edges.dst, n, qualifying)
    counted = clean[fol]
    fol, lead, ftop = fol[counted], lead[counted], ftop[counted]
    fa_pairs = unique_sorted(lead.astype(np.int64) * n + fol) if len(fol) else np.zeros(0, np.int64)
    followers_after_n = np.bincount(fa_pairs // max(n, 1), minlength=n)
    q_mask = np.isin(adopt.topic, qualifying)
    earliness, early_row = _group_max(adopt.author[q_mask], adopt.earliness[q_mask], n)
    early_topic = np.full(n, -1, dtype=np.int64)
    early_adopters = np.zeros(n, dtype=np.int64)
    has = early_row >= 0
    early_topic[has] = adopt.topic[q_mask][early_row[has]]
    early_adopters[has] = adopt.adopters[q_mask][early_row[has]]
    # Saez-Trumper: rank on follower -> leader edges, weighted by how early the leader was
    if len(fol):
        ekey = adopt.author * max(n_t, 1) + adopt.topic
        eorder = np.argsort(ekey)
        look = np.searchsorted(ekey[eorder], lead.astype(np.int64) * max(n_t, 1) + ftop)
        w = adopt.earliness[eorder][look] + 1e-3
        trend_edges = edge_list(fol, lead, n, weight=w)
        trend_rank = _pagerank_edges(trend_edges, p.alpha, None, backend) * n
        trend_rank[followers_after_n == 0] = 0.0
    else:
        trend_rank = np.zeros(n)
    done("trendsetter", 0.7)

    # ---- amplifier: passing on other people's posts
    is_repost = f.p_kind == POST_CODE["repost"]
    reposts = bots.reposts
    repost_share = reposts / np.maximum(posts_n, 1)
    rp_edges = f.e_kind == EDGE_CODE["repost"]
    reposted_authors = partner_counts(f.e_src[rp_edges], f.e_dst[rp_edges], n)["out"]
    media = MEDIA_DOMAINS | frozenset(d.lower() for d in p.media_domains)
    cache: dict = {}
    media_posts = np.zeros(n)
    with_links = [i for i, d in enumerate(f.p_domains) if d]
    if with_links:
        hit = np.fromiter(
            (any(_is_media(d, media, cache) for d in f.p_domains[i]) for i in with_links),
            dtype=bool,
            count=len(with_links),
        )
        media_posts = np.bincount(f.p_author[np.asarray(with_links)[hit]], minlength=n).astype(
            np.float64
        )
    media_share = media_posts / np.maximum(posts_n, 1)
    second_hand = _second_hand_reach(f, is_repost, all_edges)
    done("amplifier", 0.8)

    values = {
        "partners": pc["any"].astype(np.float64),
        "reciprocated": pc["both"].astype(np.float64),
        "coreness": coreness.astype(np.float64),
        "addressed_by": addressed.astype(np.float64),
        "bridging": bridging.astype(np.float64),
        "endorsed_by": endorsed_by.astype(np.float64),
        "influence_rank": np.round(pr, 4),
        "replies_per_post": replies_per_post,
        "repliers": repliers.astype(np.float64),
        "topical_focus": topical_focus,
        "earliness": earliness,
        "followers_after": followers_after_n.astype(np.float64),
        "trend_rank": np.round(trend_rank, 4),
        "repost_share": repost_share,
        "reposted_authors": reposted_authors.astype(np.float64),
        "media_share": media_share,
        "second_hand_reach": second_hand.astype(np.float64),
    }
    # shares are ranked with a prior of `share_prior` extra posts holding none, so 30 reposts out
    # of 30 posts outrank 3 of 3 (the raw share is still what the reasons show)
    k = p.share_prior
    ranked = {
        **values,
        "repost_share": reposts / (posts_n + k),
        "media_share": media_posts / (posts_n + k),
        "replies_per_post": received_rq / (originals + k),
    }
    # A feature that nobody has, or that is the same for everyone who has it (no post links to
    # media; every poster's share of reposts is 100% in a collection of retweets) says
    # nothing, so it is left out of its role's score rather than holding everyone down.
    # log scaling before ranking is monotone: the percentile of log1p(x) is that of x
    pct = {name: percentiles(np.log1p(np.maximum(v, 0))) for name, v in ranked.items()}
    level = {
        name: _feature_level(v, pct[name], p.magnitude_weight, p.percentile_power)
        for name, v in ranked.items()
    }
    informative = {name: _varies(v) for name, v in ranked.items()}
    # Reach: the share of the posting authors who address, endorse or follow them, counted
    # among people who do not look automated. It lifts the role score on its own, so that an
    # account that a twentieth of the workspace talks to scores 90 however the rest is spread.
    # A handful of people is no reach, whatever share of a small workspace they are: reach
    # counts from the role's minimum evidence on.
    reach = {
        "networker": np.where(addressed_clean >= p.min_addressed_by, addressed_clean, 0),
        "thought_leader": np.where(endorsed_clean >= p.min_endorsers, endorsed_clean, 0),
        "trendsetter": np.where(followers_after_n >= p.min_followers_after, followers_after_n, 0),
    }
    evidence = {
        "networker": (partners_clean >= p.min_partners) & (addressed_clean >= p.min_addressed_by),
        "thought_leader": (endorsed_clean >= p.min_endorsers) & (originals >= 1),
        "trendsetter": followers_after_n >= p.min_followers_after,
        "amplifier": (reposts >= p.min_reposts) & (reposted_authors >= p.min_reposted_authors)
        & clean,
    }  # fmt: skip
    def share_of(have, need):
        return np.minimum(np.asarray(have, dtype=np.float64) / max(need, 1), 1.0)

    progress = {
        "networker": share_of(partners_clean, p.min_partners)
        * share_of(addressed_clean, p.min_addressed_by),
        "thought_leader": share_of(endorsed_clean, p.min_endorsers) * share_of(originals, 1),
        "trendsetter": share_of(followers_after_n, p.min_followers_after),
        # reposts are posts (the distinct authors behind them are a condition of the role, not
        # a scale of the score: partial data loses edges more often than posts)
        "amplifier": share_of(reposts, p.min_reposts) * clean,
    }  # fmt: skip
    factor = 1.0 - bots.score
    scores, blends, weights_used = {}, {}, {}
    for role in ROLES:
        weights = {f_: w for f_, w in p.role_weights(role).items() if informative[f_]}
        weights_used[role] = weights
        total_w = sum(weights.values()) or 1.0
        blends[role] = sum(w * level[name] for name, w in weights.items()) / total_w
        s = blends[role]
        if role in reach:
            s = np.maximum(s, reach_score(reach[role] / max(posting, 1), p.reach_at_90))
        # A score whose evidence is missing is scaled by how much of it there is, so it rises
        # step by step as evidence comes in (no cliff at the minimum); its explanation says
        # what is missing.
        scores[role] = np.round(s * factor * progress[role], 2)
    # the primary role: the best score that makes its role; between equal scores (two roles
    # can both reach 100 by reach in a small workspace) the one its features support more
    stacked = np.vstack(
        [np.where(evidence[r] & (scores[r] >= p.role_threshold), scores[r] + blends[r] / 1e4, -1.0)
         for r in ROLES]
    )  # fmt: skip
    best = stacked.argmax(axis=0)
    role_names = np.array(ROLES + ("user",), dtype=object)
    primary = np.where(stacked.max(axis=0) >= 0, best, len(ROLES))
    roles = role_names[primary].tolist()
    done("roles", 0.85)

    # ---- topics: the worker's PageRanks (or this process's, now), then the rest here
    topic_scores = _topic_scores(f, p, topics, topics.ranks.result(), original, fol, lead, ftop,
                                 bots.score, clean)  # fmt: skip
    done("topics", 0.95)
    communities = summarize_communities(
        community,
        f.keys,
        post_author=t_author,
        post_topic=f.t_topic,
        topics=f.topics,
        rank=pr,
    )
    done("summaries", 1.0)
    return ScoringResult(
        keys=f.keys,
        index=f.index,
        roles=roles,
        scores=scores,
        evidence=evidence,
        values=values,
        percentile=pct,
        level=level,
        context={
            "topics": f.topics,
            "focus_topic": focus_topic,
            "early_topic": early_topic,
            "early_adopters": early_adopters,
            "posting": posting,
            "contacts": contacts,
            "weights": weights_used,
            "reach": {role: r.astype(np.int64) for role, r in reach.items()},
            "evidence_counts": {
                "partners": partners_clean, "addressed_by": addressed_clean,
                "endorsed_by": endorsed_clean, "originals": originals,
                "reposted_authors": reposted_authors,
            },  # fmt: skip
        },
        bots=bots,
        community=community,
        communities=communities,
        topic_scores=topic_scores,
        followers=f.followers,
        params=p,
        window=(start, float(now)),
        counts={"authors": n, "posts": f.n_posts, "interactions": f.n_edges, "topics": n_t},
        timings=timings,
    )


def explain_as_json(result: ScoringResult, keys: list, batch: int = 2000) -> list[str]:
    """Return the full explanation of each author of ``keys`` as a JSON text, in that order.

    This is the stored form of an :class:`AuthorScore`'s explanation: ``reasons``,
    ``explanations``, ``bot_reasons``, ``features`` as ``[value, percentile, share]``,
    ``evidence`` and ``topics``. Authors are explained ``batch`` at a time: faster than one by
    one, and the batches bound the memory. Module-level, so a worker process can run it.

    Examples
    --------
    >>> posts = [Post("a", 0, 0.0)]
    >>> result = score_authors(posts, [Interaction("b", "a", "mention", 1.0)])
    >>> sorted(json.loads(explain_as_json(result, ["a"])[0]))
    ['bot_reasons', 'evidence', 'explanations', 'features', 'reasons', 'topics']
    """
    texts = []
    for at in range(0, len(keys), batch):
        for score in result.authors(keys[at : at + batch]):
            detail = {
                "reasons": score.reasons,
                "explanations": score.explanations,
                "bot_reasons": score.bot_reasons,
                "features": {
                    name: [round(f["value"], 4), f["percentile"], f["share"]]
                    for name, f in score.features.items()
                },
                "evidence": score.evidence,
                "topics": score.topics,
            }
            texts.append(json.dumps(detail, ensure_ascii=False))
    return texts


def _second_hand_reach(f: Frame, is_repost: np.ndarray, all_edges) -> np.ndarray:
    """Count reposts of an author's reposts, plus later reposts of the same items by followers."""
    n = f.n
    rp = np.flatnonzero(is_repost)
    # (a) someone reposted the author's repost itself (platforms that keep repost chains)
    parent = f.p_parent[rp]
    chained = parent[(parent >= 0)]
    chained = chained[is_repost[chained]]
    reach = np.bincount(f.p_author[chained], minlength=n)
    # (b) a follower (an author who addresses them) reposted the same item later
    items = [f.p_parent_id[i] for i in rp.tolist()]
    known = np.fromiter((x is not None for x in items), bool, len(items))
    rp = rp[known]
    if not len(rp) or not len(all_edges.src):
        return reach
    item_hash = np.fromiter((hash(x) for x in items if x is not None), np.int64, len(rp))
    _, item = np.unique(item_hash, return_inverse=True)
    item = item.ravel().astype(np.int64)
    who = f.p_author[rp].astype(np.int64)
    when = f.p_at[rp]
    n_items = int(item.max()) + 1
    # the first repost of each item by each author
    key = who * n_items + item
    order = np.lexsort((when, key))
    key_s, when_s = key[order], when[order]
    first = np.ones(len(key_s), dtype=bool)
    first[1:] = key_s[1:] != key_s[:-1]
    key_s, when_s = key_s[first], when_s[first]
    by_author = key_s // n_items
    indptr = np.concatenate([[0], np.cumsum(np.bincount(by_author, minlength=n))])
    # followers B -> leaders A; expand A's reposted items
    fol, lead = all_edges.src.astype(np.int64), all_edges.dst.astype(np.int64)
    sizes = indptr[lead + 1] - indptr[lead]
    if int(sizes.sum()) > 50_000_000:  # guard against pathological fan-out
        return reach
    owner, offs = _expand(indptr, lead)
    b = fol[owner]
    cand = b * n_items + key_s[offs] % n_items
    pos = np.searchsorted(key_s, cand)
    pos = np.minimum(pos, len(key_s) - 1)
    hit = (key_s[pos] == cand) & (when_s[pos] > when_s[offs])
    reach += np.bincount(lead[owner[hit]], minlength=n)
    return reach


class TopicScores(NamedTuple):
    """Per-topic columns over the topic's participants (sorted author indices)."""

    members: np.ndarray
    thought_leader: np.ndarray
    trendsetter: np.ndarray
    posts: np.ndarray
    original_posts: np.ndarray


def _topic_members(
    t_author: np.ndarray, t_topic: np.ndarray, implied, topics: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return, per topic, its authors (sorted indices) and how many of its posts each wrote
    (their implied originals on it included)."""
    author = np.concatenate([t_author, implied.author])
    topic = np.concatenate([np.asarray(t_topic, dtype=np.int64), implied.topic])
    sel = np.isin(topic, topics)
    author, topic = author[sel], topic[sel]
    return [np.unique(author[topic == t], return_counts=True) for t in np.asarray(topics).tolist()]


def topic_pageranks(
    endorse_edges, alpha: float, backend: str, members: list[tuple[np.ndarray, np.ndarray]]
) -> list[np.ndarray]:
    """Return each topic's personalised PageRank on the endorsement graph, at its members.

    The walk restarts at the topic's authors in proportion to their posts on it (Haveliwala's
    topic-sensitive PageRank). Module-level and on plain arrays, so a worker process can run it.
    """
    graph = to_igraph(endorse_edges) if backend == "igraph" else None
    ranks = []
    for authors, posts in members:
        reset = np.zeros(endorse_edges.n)
        reset[authors] = posts
        ppr = _pagerank_edges(endorse_edges, alpha, reset / reset.sum(), backend, graph)
        ranks.append(ppr[authors])
    return ranks


def _topic_scores(
    f, p, topics: _Topics, pageranks, original, fol, lead, ftop, bot, clean
) -> dict[str, TopicScores]:
    """Return ``{topic: TopicScores}`` for the ranked topics, given their PageRanks."""
    n = f.n
    out: dict[str, TopicScores] = {}
    ranked, adopt, implied = topics.ranked, topics.adopt, topics.implied
    if not len(ranked):
        return out
    # replies, quotes and reposts received on a topic: the parent's topics, else the post's own
    # (a repost of a missing original carries the original's topics)
    rq = np.flatnonzero(
        np.isin(f.e_kind, [EDGE_CODE["reply"], EDGE_CODE["quote"], EDGE_CODE["repost"]])
        & clean[f.e_src]
    )
    src_post = f.e_post[rq]
    parent = np.where(src_post >= 0, f.p_parent[np.maximum(src_post, 0)], -1)
    topic_post = np.where(parent >= 0, parent, src_post)
    ok = topic_post >= 0
    rq, topic_post = rq[ok], topic_post[ok]
    indptr = np.searchsorted(f.t_post, np.arange(f.n_posts + 1))
    owner, offs = _expand(indptr, topic_post)
    r_topic = f.t_topic[offs]
    r_src = f.e_src[rq][owner].astype(np.int64)
    r_dst = f.e_dst[rq][owner].astype(np.int64)
    r_kind = f.e_kind[rq][owner]
    keep = np.isin(r_topic, ranked)
    r_topic, r_src, r_dst, r_kind = r_topic[keep], r_src[keep], r_dst[keep], r_kind[keep]
    factor = 1.0 - bot
    all_posts = np.maximum(np.bincount(f.p_author, minlength=n) + implied.count, 1)
    t_author = np.concatenate([f.p_author[f.t_post].astype(np.int64), implied.author])
    t_orig = np.concatenate([original[f.t_post], np.ones(len(implied.author), dtype=bool)])
    t_topic = np.concatenate([f.t_topic.astype(np.int64), implied.topic])
    sel_t = np.isin(t_topic, ranked)
    t_author, t_orig, t_topic = t_author[sel_t], t_orig[sel_t], t_topic[sel_t]
    q_adopt = np.isin(adopt.topic, ranked)
    a_author, a_topic, a_early = adopt.author[q_adopt], adopt.topic[q_adopt], adopt.earliness[q_adopt]
    is_rq = r_kind != EDGE_CODE["repost"]
    for t, (members, posts_m), ppr in zip(ranked.tolist(), topics.members, pageranks, strict=True):
        rows = t_topic == t
        om, oc = np.unique(t_author[rows & t_orig], return_counts=True)
        orig_m = np.zeros(len(members), dtype=np.int64)
        orig_m[np.searchsorted(members, om)] = oc
        sel = r_topic == t
        received = np.bincount(r_dst[sel & is_rq], minlength=n)[members]
        pairs = unique_sorted(r_dst[sel] * n + r_src[sel])
        endorsers = np.bincount(pairs // n, minlength=n)[members]
        feats = [ppr, received / np.maximum(orig_m, 1), endorsers, posts_m / all_posts[members]]
        weights = [1.5, 1.0, 1.0, 0.5]
        tl = sum(w * percentiles(x) for w, x in zip(weights, feats, strict=True)) / sum(weights)
        has_evidence = (orig_m >= 1) & (endorsers >= p.min_topic_endorsers)
        tl = np.where(has_evidence, tl * factor[members], 0.0)
        # trendsetter on this topic: earliness and followers adopting after; nobody is early
        # on what the whole collection is about
        arows = a_topic == t
        early = np.zeros(n)
        early[a_author[arows]] = a_early[arows]
        fsel = ftop == t
        fcount = (
            np.bincount(lead[fsel], minlength=n)[members] if fsel.any() else np.zeros(len(members))
        )
        ts = (percentiles(early[members]) + 1.5 * percentiles(fcount)) / 2.5
        ts = np.where((fcount >= 1) & ~topics.ubiquitous[t], ts * factor[members], 0.0)
        out[f.topics[t]] = TopicScores(members, np.round(tl, 1), np.round(ts, 1), posts_m, orig_m)
    return out
