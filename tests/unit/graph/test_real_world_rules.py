"""The rules that real collections need: seen failing on them, kept here on small workspaces."""

import numpy as np
import pytest

from graph import Interaction, Post, score_authors
from graph.build import build_frame
from graph.originals import implied_originals

T0 = 1_750_000_000.0
MINUTE, DAY = 60.0, 86400.0


def retweet_collection(reposters: int = 200, sources: int = 20, heavy: int = 100):
    """A monitoring export of a topic made of retweets only, as twitteR or twarc write it:
    every poster's posts are reposts, nobody links to media, the originals are missing."""
    posts, edges = [], []
    pid = iter(range(1, 10**6))

    def repost(who, source, at):
        i = next(pid)
        posts.append(Post(who, i, at, "repost", ("#topic",), f"RT @{source}: news {source}"))
        edges.append(Interaction(who, source, "repost", at, i))

    for k in range(reposters):  # ordinary people: one or two retweets of popular sources
        repost(f"fan{k}", f"src{k % 3}", T0 + k * 3 * MINUTE)
        if k % 4 == 0:
            repost(f"fan{k}", f"src{(k + 1) % sources}", T0 + k * 3 * MINUTE + 30 * MINUTE)
    rng = np.random.default_rng(3)  # people post in bursts, not on a clock
    for k, at in enumerate(np.cumsum(rng.exponential(40 * MINUTE, heavy))):
        repost("megaphone", f"src{k}", T0 + at)  # the heavy amplifier: 100 distinct sources
    for k, at in enumerate(np.cumsum(rng.exponential(60 * MINUTE, 17))):
        repost("echo", f"src{k % 6}", T0 + at)  # a lighter one: 17 reposts of 6 sources
    return posts, edges


def test_heavy_reposters_of_many_authors_are_amplifiers_not_suspects():
    result = score_authors(*retweet_collection())
    mega, echo = result["megaphone"], result["echo"]
    assert mega.role == "amplifier" and mega.bot_score == 0
    assert mega.scores["amplifier"] >= 90
    assert mega.scores["amplifier"] > echo.scores["amplifier"]  # more evidence, more score
    # every poster's share of reposts is 100% and nobody links to media: those features tell
    # nobody apart and hold nobody down
    assert mega.features["media_share"]["share"] == 0


def test_the_author_reposted_by_a_large_share_is_a_thought_leader_at_90():
    posts, edges = retweet_collection()
    result = score_authors(posts, edges)
    # src0 is reposted by a third of the posters; its originals are not in the collection
    src0 = result["src0"]
    assert src0.role == "thought_leader" and src0.scores["thought_leader"] >= 90
    assert any("of the authors" in r and "reposted, quoted or replied to by" in r for r in src0.reasons)
    # monotone: a source reposted by fewer people scores no higher
    assert result["src5"].scores["thought_leader"] <= src0.scores["thought_leader"]


def test_hashtag_stuffing_reposted_by_a_bot_ring_is_no_role():
    """The demo's old #1: one post of two words and 24 hashtags, reposted by five bot-like
    accounts, taken up later by 30 people."""
    posts, edges = [], []
    pid = iter(range(1, 10**6))
    tags = tuple(f"#t{k}" for k in range(23)) + ("#coding",)
    spam = next(pid)
    posts.append(Post("spammer", spam, T0, "post", tags, "great stuff " + " ".join(tags)))
    for b in range(5):  # a ring: the same text on a clock, and the spam reposted together
        for k in range(12):
            text = "follow back now, the best offer on the whole internet"
            posts.append(Post(f"bot{b}", next(pid), T0 + 3600.0 * k + b, text=text))
        i = next(pid)
        posts.append(Post(f"bot{b}", i, T0 + 60.0 + b, "repost", tags, "RT great stuff", parent=spam))
        edges.append(Interaction(f"bot{b}", "spammer", "repost", T0 + 60.0 + b, i))
    for k in range(30):  # people who take up #coding later, talking to the bots
        i = next(pid)
        posts.append(Post(f"dev{k}", i, T0 + DAY + k * 3000.0, "post", ("#coding",), f"learning #coding {k}"))
        edges.append(Interaction(f"dev{k}", f"bot{k % 5}", "mention", T0 + DAY + k * 3000.0, i))
    result = score_authors(posts, edges)
    spammer = result["spammer"]
    assert spammer.role == "user"
    assert any("stuffs hashtags" in r for r in spammer.bot_reasons)
    assert all(result[f"bot{b}"].bot_score >= 0.5 for b in range(5))
    assert max(spammer.scores.values()) < 50


def test_an_original_known_only_through_its_reposts_counts_until_it_arrives():
    reposts = [Post(f"fan{k}", k, 10.0 + k, "repost", ("#x",), "RT @star: hello", parent="p1")
               for k in range(12)]  # fmt: skip
    edges = [Interaction(f"fan{k}", "star", "repost", 10.0 + k, k) for k in range(12)]
    before = build_frame(reposts, edges)
    implied = implied_originals(before)
    assert implied.count[before.index["star"]] == 1  # one original, twelve reposts of it
    # the original arrives: it takes the place of the implied one, nothing is counted twice
    after = build_frame([Post("star", "p1", 5.0, "post", ("#x",), "hello"), *reposts], edges)
    assert implied_originals(after).count[after.index["star"]] == 0
    for frame in (before, after):
        result = score_authors([], [], frame=frame)
        assert result["star"].role == "thought_leader"
        assert result["star"].topics["#x"]["original_posts"] == 1


@pytest.mark.parametrize("share", [0.05, 0.08, 0.2])
def test_reach_of_five_percent_scores_at_least_90(share):
    n = 400
    posts = [Post(f"u{k}", k, float(k), text=f"post {k}") for k in range(n)]
    posts.append(Post("star", "s", 0.5, text="the original"))
    reposters = int(np.ceil(share * (n + 1)))
    edges = [Interaction(f"u{k}", "star", "repost", 1000.0 + k) for k in range(reposters)]
    result = score_authors(posts, edges)
    assert result["star"].scores["thought_leader"] >= 90
