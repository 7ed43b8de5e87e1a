"""Suspicious accounts from mention data alone: clockwork, duplicates, coordination, stuffing.

Each signal is behaviour that people rarely show and automated or paid accounts often do; none
is the behaviour a role is defined by (reposting a lot is what an amplifier does, and a
monitoring export of a topic holds an amplifier's reposts and little else). Four cheap
signals, each in 0..1, computed with numpy over all authors at once:

``clockwork``
    Humans post in bursts (the coefficient of variation, CV, of the gaps between their posts
    is around or above 1; a Poisson process gives exactly 1). Schedulers post on a clock.
    With at least ``clock_min_posts`` posts, ``s = clip(1 - CV / clock_cv, 0, 1)``.
``duplicates``
    Texts are normalised (lower case; links, @handles, numbers and punctuation removed;
    whitespace collapsed) and hashed; a post is a near-duplicate when its normalised text
    (at least ``dup_min_chars`` long) was posted by ``dup_min_accounts`` or more accounts, or
    more than once by the same account. ``s`` is the share of the author's own posts that are
    near-duplicates, once there are ``dup_min_posts`` of them.
``coordinated``
    Reposts of the same item by ``coord_min_accounts`` or more accounts inside the same
    ``coord_window`` seconds form a burst. ``s`` is the share of the author's reposts that fall in
    bursts, once they took part in bursts on ``coord_min_items`` different items.
``hashtag_stuffing``
    A post is stuffed when it carries ``stuff_min_tags`` or more hashtags and they make up at
    least half of its words (spam that rides trending tags). ``s`` is the share of the
    author's own posts that are stuffed.

Sources: clockwork timing, Chu, Gianvecchio, Wang & Jajodia (2012), "Detecting automation of
Twitter accounts" (IEEE TDSC); copy-pasted texts across accounts, Cresci, Di Pietro, Petrocchi,
Spognardi & Tesconi (2017), "The paradigm-shift of social spambots" (WWW Companion);
co-reposting the same item in the same minutes, Pacheco, Hui, Torres-Lugo, Truong, Flammini
& Menczer (2021), "Uncovering coordinated networks on social media" (ICWSM); hashtags per word,
Benevenuto, Magno, Rodrigues & Almeida (2010), "Detecting spammers on Twitter" (CEAS), and
the platform's own spam rules against excessive, unrelated hashtags.

The bot score combines them as a noisy-or, ``1 - prod(1 - w_i * s_i)``, with weights
``BotParams.weights``; every role score is multiplied by ``1 - bot_score`` (see
:mod:`graph.roles`). A person's verdict (``overrides``) wins: ``"not_bot"`` sets the score to 0,
``"bot"`` to 1.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from graph.build import POST_CODE, Frame, build_frame, unique_sorted
from graph.types import Post

__all__ = [
    "BotParams",
    "OVERRIDES",
    "normalize_text",
    "BotSignals",
    "bot_signals",
    "bot_reasons",
    "detect_bots",
]

OVERRIDES = ("not_bot", "bot")
SIGNALS = ("clockwork", "duplicates", "coordinated", "hashtag_stuffing")


@dataclass(frozen=True)
class BotParams:
    """Thresholds and weights of the bot signals (see the module docstring)."""

    clock_min_posts: int = 10
    clock_cv: float = 0.35
    dup_min_chars: int = 20
    dup_min_accounts: int = 3
    dup_min_posts: int = 3
    coord_window: float = 60.0
    coord_min_accounts: int = 5
    coord_min_items: int = 3
    stuff_min_tags: int = 5
    weights: Mapping[str, float] = field(
        default_factory=lambda: {
            "clockwork": 0.7,
            "duplicates": 0.7,
            "coordinated": 0.8,
            "hashtag_stuffing": 0.6,
        }
    )

    def __post_init__(self):
        unknown = set(self.weights) - set(SIGNALS)
        if unknown:
            raise ValueError(f"unknown bot signal weights: {sorted(unknown)}")
        if any(not 0 <= w <= 1 for w in self.weights.values()):
            raise ValueError("bot signal weights must lie in [0, 1]")


_WORDS = re.compile(r"https?://\S+|www\.\S+|@\w+|([^\W\d_]+)")
# The same pattern for ASCII text, spelled out for the ASCII engine (cheaper per character):
# \s of a str pattern is str.isspace(), which includes \x1c-\x1f.
_ASCII_WORDS = re.compile(
    r"https?://[^ \t\n\r\f\v\x1c-\x1f]+|www\.[^ \t\n\r\f\v\x1c-\x1f]+|@[A-Za-z0-9_]+|([A-Za-z]+)",
    re.ASCII,
)
# ASCII text with no link or handle is only words: every other character becomes a space.
_NOT_LETTERS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalpha()})


def normalize_text(text: str) -> str:
    """Return the comparison form of a post text for near-duplicate detection.

    Examples
    --------
    >>> normalize_text("WIN a phone!!! @bob https://t.co/x1 #Promo 2024")
    'win a phone promo'
    """
    low = text.lower()
    if not low.isascii():
        return " ".join(filter(None, _WORDS.findall(low)))
    if "@" in low or "http" in low or "www." in low:
        return " ".join(filter(None, _ASCII_WORDS.findall(low)))
    return " ".join(low.translate(_NOT_LETTERS).split())


class BotSignals(NamedTuple):
    """Per-author arrays: the four signals, their evidence and the combined ``score``."""

    score: np.ndarray
    clockwork: np.ndarray
    duplicates: np.ndarray
    coordinated: np.ndarray
    hashtag_stuffing: np.ndarray
    posts: np.ndarray
    cv: np.ndarray
    dup_posts: np.ndarray
    own_posts: np.ndarray
    burst_items: np.ndarray
    reposts: np.ndarray
    override: list


_HASHTAG = re.compile(r"(?:^|(?<=\s))#\w")


def _stuffed(text: str, min_tags: int) -> bool:
    """Say whether a post is mostly hashtags: ``min_tags`` or more, half its words or more.

    Examples
    --------
    >>> _stuffed("great #python #code #dev #ai #ml #data #tips", 5), _stuffed("#a #b #c", 5)
    (True, False)
    """
    tags = len(_HASHTAG.findall(text))
    return tags >= min_tags and 2 * tags >= len(text.split())


def _group_first(keys_sorted: np.ndarray) -> np.ndarray:
    first = np.ones(len(keys_sorted), dtype=bool)
    first[1:] = keys_sorted[1:] != keys_sorted[:-1]
    return first


def bot_signals(
    frame: Frame,
    params: BotParams | None = None,
    *,
    overrides: Mapping[Hashable, str] | None = None,
) -> BotSignals:
    """Return the bot signals of every author of ``frame``.

    Examples
    --------
    >>> posts = [Post("clock", i, 3600.0 * i, text=f"tick {i}") for i in range(12)]
    >>> posts += [Post("human", 100 + i, t) for i, t in enumerate([0, 5, 9, 4000, 4100, 90000,
    ...                                                              90050, 200000, 200001, 500000])]
    >>> s = bot_signals(build_frame(posts, []))
    >>> [round(float(x), 2) for x in s.clockwork], [round(float(x), 2) for x in s.score]
    ([1.0, 0.0], [0.7, 0.0])
    """
    p = params or BotParams()
    n = frame.n
    author = frame.p_author.astype(np.int64)
    at = frame.p_at
    posts = np.bincount(author, minlength=n)

    # clockwork: CV of inter-post gaps per author
    order = np.lexsort((at, author))
    a_s, t_s = author[order], at[order]
    same = np.zeros(len(a_s), dtype=bool)
    same[1:] = a_s[1:] == a_s[:-1]
    gaps = np.diff(t_s, prepend=0.0)[same]
    ga = a_s[same]
    g_n = np.bincount(ga, minlength=n)
    g_sum = np.bincount(ga, weights=gaps, minlength=n)
    g_sq = np.bincount(ga, weights=gaps * gaps, minlength=n)
    mean = np.divide(g_sum, g_n, out=np.zeros(n), where=g_n > 0)
    var = np.divide(g_sq, g_n, out=np.zeros(n), where=g_n > 0) - mean**2
    cv = np.divide(np.sqrt(np.maximum(var, 0)), mean, out=np.full(n, np.inf), where=mean > 0)
    clockwork = np.where(posts >= p.clock_min_posts, np.clip(1 - cv / p.clock_cv, 0, 1), 0.0)

    # near-duplicate texts among own (non-repost) posts; only authors with enough own posts
    # can reach dup_min_posts, so only their texts are normalised (the costly step)
    own = np.flatnonzero(frame.p_kind != POST_CODE["repost"])
    own_posts = np.bincount(author[own], minlength=n)
    own = own[own_posts[author[own]] >= p.dup_min_posts]
    # texts long enough before and after normalising, in one pass
    text, min_chars = frame.p_text, p.dup_min_chars
    picked, keys = [], []
    for i in own.tolist():
        if len(text[i]) >= min_chars:
            t = normalize_text(text[i])
            if len(t) >= min_chars:
                picked.append(i)
                keys.append(hash(t))
    idx = np.array(picked, dtype=np.int64)
    hashes = np.array(keys, dtype=np.int64)
    dup_posts = np.zeros(n, dtype=np.int64)
    if len(idx):
        who = author[idx]
        o = np.lexsort((who, hashes))
        h_s, w_s = hashes[o], who[o]
        h_first = _group_first(h_s)
        h_group = np.cumsum(h_first) - 1
        pair_first = h_first | np.r_[True, w_s[1:] != w_s[:-1]]
        accounts = np.bincount(h_group[pair_first])[h_group]
        pair_group = np.cumsum(pair_first) - 1
        repeats = np.bincount(pair_group)[pair_group]
        is_dup = (accounts >= p.dup_min_accounts) | (repeats >= 2)
        dup_posts = np.bincount(w_s[is_dup], minlength=n)
    dup_share = np.divide(dup_posts, own_posts, out=np.zeros(n), where=own_posts > 0)
    duplicates = np.where(dup_posts >= p.dup_min_posts, dup_share, 0.0)

    # coordinated reposting: many accounts, same item, same time bucket
    rp = np.flatnonzero(frame.p_kind == POST_CODE["repost"])
    reposts = np.bincount(author[rp], minlength=n)
    burst_items = np.zeros(n, dtype=np.int64)
    burst_reposts = np.zeros(n, dtype=np.int64)
    parents = [frame.p_parent_id[i] for i in rp.tolist()]
    has_item = np.fromiter((x is not None for x in parents), bool, len(parents))
    rp = rp[has_item]
    if len(rp):
        item = np.fromiter(
            (hash(x) for x in parents if x is not None), dtype=np.int64, count=len(rp)
        )
        bucket = np.floor(at[rp] / p.coord_window).astype(np.int64)
        who = author[rp]
        o = np.lexsort((who, bucket, item))
        i_s, b_s, w_s = item[o], bucket[o], who[o]
        g_first = _group_first(i_s) | np.r_[True, b_s[1:] != b_s[:-1]]
        group = np.cumsum(g_first) - 1
        acc_first = g_first | np.r_[True, w_s[1:] != w_s[:-1]]
        accounts = np.bincount(group[acc_first])[group]
        in_burst = accounts >= p.coord_min_accounts
        burst_reposts = np.bincount(w_s[in_burst], minlength=n)
        # distinct items per author among burst reposts
        _, item_code = np.unique(i_s[in_burst], return_inverse=True)
        n_items = int(item_code.max()) + 1 if len(item_code) else 1
        bi = unique_sorted(w_s[in_burst] * n_items + item_code.ravel())
        if len(bi):
            burst_items = np.bincount(bi // n_items, minlength=n)
    burst_share = np.divide(burst_reposts, reposts, out=np.zeros(n), where=reposts > 0)
    coordinated = np.where(burst_items >= p.coord_min_items, burst_share, 0.0)

    # hashtag stuffing: only texts with enough "#" are looked at word by word
    stuffed_posts = np.zeros(n, dtype=np.int64)
    own_all = np.flatnonzero(frame.p_kind != POST_CODE["repost"])
    min_tags = p.stuff_min_tags
    stuffed = [
        i for i in own_all.tolist() if text[i].count("#") >= min_tags and _stuffed(text[i], min_tags)
    ]
    if stuffed:
        stuffed_posts = np.bincount(author[np.array(stuffed, dtype=np.int64)], minlength=n)
    hashtag_stuffing = np.divide(stuffed_posts, own_posts, out=np.zeros(n), where=own_posts > 0)

    keep = np.ones(n)
    signals = (clockwork, duplicates, coordinated, hashtag_stuffing)
    for name, s in zip(SIGNALS, signals, strict=True):
        keep *= 1 - p.weights.get(name, 0.0) * s
    score = 1 - keep
    override = [None] * n
    for key, verdict in (overrides or {}).items():
        if verdict not in OVERRIDES:
            raise ValueError(f"override {verdict!r} for {key!r} is not one of {OVERRIDES}")
        i = frame.index.get(key)
        if i is not None:
            override[i] = verdict
            score[i] = 0.0 if verdict == "not_bot" else 1.0
    return BotSignals(
        score,
        clockwork,
        duplicates,
        coordinated,
        hashtag_stuffing,
        posts,
        cv,
        dup_posts,
        own_posts,
        burst_items,
        reposts,
        override,
    )


def bot_reasons(signals: BotSignals, i: int) -> list[str]:
    """Return the plain-language reasons behind author ``i``'s bot score.

    Examples
    --------
    >>> posts = [Post("clock", i, 3600.0 * i) for i in range(12)]
    >>> bot_reasons(bot_signals(build_frame(posts, [])), 0)
    ['posts like clockwork: 12 posts, gaps between them vary by 0% (coefficient of variation 0.00)']
    """
    s = signals
    if s.override[i] == "not_bot":
        return ["marked as not a bot by a person"]
    out = []
    if s.override[i] == "bot":
        out.append("confirmed as a bot by a person")
    if s.clockwork[i] > 0:
        out.append(
            f"posts like clockwork: {s.posts[i]} posts, gaps between them vary by "
            f"{100 * s.cv[i]:.0f}% (coefficient of variation {s.cv[i]:.2f})"
        )
    if s.duplicates[i] > 0:
        out.append(
            f"{s.dup_posts[i]} of {s.own_posts[i]} own posts are near-duplicates "
            "(same text posted by several accounts or repeated)"
        )
    if s.coordinated[i] > 0:
        out.append(
            f"reposted {s.burst_items[i]} items within the same minute as many other accounts "
            f"({100 * s.coordinated[i]:.0f}% of their {s.reposts[i]} reposts)"
        )
    if s.hashtag_stuffing[i] > 0:
        out.append(
            f"stuffs hashtags: {100 * s.hashtag_stuffing[i]:.0f}% of their own posts are mostly "
            "hashtags"
        )
    return out


class BotVerdict(NamedTuple):
    """An author's bot score in 0..1 and the reasons for it."""

    score: float
    reasons: list[str]


def detect_bots(
    posts: Iterable[Post],
    *,
    params: BotParams | None = None,
    overrides: Mapping[Hashable, str] | None = None,
) -> dict[Hashable, BotVerdict]:
    """Return ``{author: BotVerdict}`` for every author of ``posts``.

    Examples
    --------
    >>> posts = [Post("clock", i, 3600.0 * i) for i in range(12)] + [Post("me", 99, 5.0)]
    >>> {k: round(v.score, 2) for k, v in detect_bots(posts).items()}
    {'clock': 0.7, 'me': 0.0}
    >>> detect_bots(posts, overrides={"clock": "not_bot"})["clock"]
    BotVerdict(score=0.0, reasons=['marked as not a bot by a person'])
    """
    frame = build_frame(posts, [])
    sig = bot_signals(frame, params, overrides=overrides)
    return {
        key: BotVerdict(float(sig.score[i]), bot_reasons(sig, i))
        for i, key in enumerate(frame.keys)
    }
