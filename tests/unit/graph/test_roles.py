"""Each role on a small hand-built workspace where the right answer is obvious."""

import random
import re

import pytest

from graph import ROLES, Interaction, Post, ScoringParams, score_authors

DAY = 86400.0
T0 = 1_750_000_000.0
WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "omicron",
]


def sentence(rng):
    return " ".join(rng.choice(WORDS) for _ in range(7)) + f" {rng.random():.6f}"


def workspace():
    """Return posts and interactions: 40 background authors plus one planted author per role."""
    rng = random.Random(7)
    posts, edges = [], []
    pid = iter(range(1, 10**6))

    def post(author, at, kind="post", topics=(), domains=(), parent=None, target=None):
        i = next(pid)
        posts.append(
            Post(author, i, at, kind, tuple(topics), sentence(rng), tuple(domains), parent)
        )
        if target is not None and kind != "post":
            edges.append(Interaction(author, target, kind, at, i))
        return i

    def mention(a, b, at):
        i = post(a, at, "post")
        edges.append(Interaction(a, b, "mention", at, i))

    background = [f"b{i}" for i in range(40)]
    first_post = {}
    for b in background:
        for _ in range(3):
            first_post[b] = post(b, T0 + rng.uniform(0, 60) * DAY)
    for _ in range(60):
        a, b = rng.sample(background, 2)
        mention(a, b, T0 + rng.uniform(0, 60) * DAY)
    for _ in range(15):
        a, b = rng.sample(background, 2)
        post(a, T0 + rng.uniform(0, 60) * DAY, "reply", parent=first_post[b], target=b)

    # networker: two-way conversations with 20 people
    for k, b in enumerate(background[:20]):
        mention("hub", b, T0 + (10 + k + rng.uniform(0, 0.9)) * DAY)  # not clockwork
        mention(b, "hub", T0 + (10.95 + k) * DAY)

    # thought leader: 6 original posts on #delivery, each answered and quoted by 5 people
    for k in range(6):
        p = post("expert", T0 + (5 + 7 * k) * DAY, topics=["#delivery"])
        for j in range(5):
            who = background[(5 * k + j) % 40]
            kind = "quote" if j == 4 else "reply"
            post(
                who,
                T0 + (5.2 + 7 * k + 0.1 * j) * DAY,
                kind,
                ["#delivery"],
                parent=p,
                target="expert",
            )

    # amplifier: reposts 15 posts of 10 authors, links to media, and is passed on
    for k in range(15):
        src = background[20 + k % 10]
        at = T0 + (3 + 3 * k) * DAY
        post("amp", at, "repost", domains=["bbc.co.uk"], parent=first_post[src], target=src)
        follower = background[(k * 3) % 20]
        if k < 8:
            post(follower, at + 3600, "repost", parent=first_post[src], target=src)
    for k in range(5):
        post("amp", T0 + (4 + 9 * k) * DAY, domains=["www.theguardian.com"])
    for b in background[:8]:
        mention(b, "amp", T0 + rng.uniform(0, 2) * DAY)

    # trendsetter: first on #newthing; 12 people who interact with them adopt it later
    post("early", T0 + 1 * DAY, topics=["#newthing"])
    for k, b in enumerate(background[10:22]):
        mention(b, "early", T0 + 1.5 * DAY)
        post(b, T0 + (3 + k) * DAY, topics=["#newthing"])
    # a lone early adopter: first on #oddtag, then 12 others take it up, none of them follows
    post("lonely", T0 + 1 * DAY, topics=["#oddtag"])
    for k, b in enumerate(background[22:34]):
        post(b, T0 + (3 + k) * DAY, topics=["#oddtag"])

    post("quiet", T0 + 30 * DAY)
    return posts, edges


def score(**kwargs):
    posts, edges = workspace()
    return score_authors(posts, edges, now=T0 + 80 * DAY, **kwargs)


@pytest.fixture(scope="module")
def result():
    return score()


@pytest.mark.parametrize(
    "key, role",
    [
        ("hub", "networker"),
        ("expert", "thought_leader"),
        ("amp", "amplifier"),
        ("early", "trendsetter"),
        ("quiet", "user"),
    ],
)
def test_planted_author_gets_the_obvious_role(result, key, role):
    author = result[key]
    assert author.role == role, (author.scores, author.reasons)
    if role != "user":
        assert author.scores[role] == max(author.scores.values())
        assert key in result.top(role, 3)


def test_early_adopter_nobody_follows_is_not_a_trendsetter(result):
    lonely = result["lonely"]
    assert lonely.role != "trendsetter"
    assert lonely.evidence["trendsetter"] is False
    assert lonely.features["followers_after"]["value"] == 0
    assert lonely.features["earliness"]["value"] == 1.0  # early indeed, but unfollowed
    assert any("needs 3 people taking up their topics" in r for r in lonely.explanations["trendsetter"])
    assert lonely.scores["trendsetter"] < 50  # held below the threshold, and it says so


@pytest.mark.parametrize(
    "key, pattern",
    [
        ("hub", r"in conversation with 20 distinct people \(\d+(st|nd|rd|th) percentile\)"),
        ("expert", r"reposted, quoted or replied to by 30 distinct people, \d+% of the authors"),
        ("expert", r"replied to or quoted by 30 distinct people \(\d+\w\w percentile\)"),
        ("expert", r"5\.0 replies and quotes received per original post"),
        ("early", r"12 people who interact with them took up their topics after them"),
        ("early", r"adopted #newthing before 100% of its 13 adopters"),
        ("amp", r"75% of their 20 posts are reposts"),
        ("amp", r"reposted 10 distinct authors"),
    ],
)
def test_reasons_carry_raw_numbers_and_percentiles(result, key, pattern):
    assert any(re.search(pattern, r) for r in result[key].reasons), result[key].reasons


def test_author_score_is_plain_data(result):
    a = result["hub"]
    assert set(a.scores) == set(ROLES)
    assert all(0 <= s <= 100 for s in a.scores.values())
    assert a.features["partners"] == {
        "value": 20.0,
        "percentile": a.features["partners"]["percentile"],
        "role": "networker",
        "share": a.features["partners"]["share"],
    }
    shares = [f["share"] for f in a.features.values() if f["role"] == "networker"]
    assert sum(shares) == pytest.approx(1.0, abs=0.01)
    assert a.bot_score == 0 and a.bot_reasons == []


def test_authors_explained_together_match_one_by_one(result):
    keys = list(result)[::-1]  # any order, each author in its own place
    together = result.authors(keys)
    assert [a.key for a in together] == keys
    assert together == [result[key] for key in keys]
    for a in together:  # the numbers are the result's own columns
        i = result.index[a.key]
        for name, feature in a.features.items():
            assert feature["value"] == float(result.values[name][i])
            assert feature["percentile"] == round(float(result.percentile[name][i]), 1)
        assert a.scores == {role: round(float(result.scores[role][i]), 1) for role in ROLES}


def test_topic_ranking_puts_the_expert_first(result):
    assert "#delivery" in result.topics
    ranking = result.topic_ranking("#delivery")
    assert ranking[0].key == "expert"
    assert ranking[0].original_posts == 6
    assert result["expert"].topics["#delivery"]["thought_leader"] == ranking[0].thought_leader
    assert result.topic_ranking("#newthing", by="trendsetter")[0].key == "early"
    with pytest.raises(ValueError):
        result.topic_ranking("#nope")


def test_table_has_one_row_per_author(result):
    table = result.table()
    assert len(table["key"]) == len(result) == len(table["networker"]) == len(table["role"])
    i = table["key"].index("hub")
    assert table["role"][i] == "networker"


def test_window_excludes_old_activity():
    posts, edges = workspace()
    r = score_authors(posts, edges, now=T0 + 80 * DAY, params=ScoringParams(window_days=20))
    assert "early" not in r  # active only in the first days
    assert r.window == (T0 + 60 * DAY, T0 + 80 * DAY)


@pytest.mark.parametrize("verdict, expected", [("bot", 1.0), ("not_bot", 0.0)])
def test_overrides_set_the_bot_score(verdict, expected):
    r = score(overrides={"hub": verdict})
    assert r["hub"].bot_score == expected
    if verdict == "bot":
        assert r["hub"].role == "user"
        assert r["hub"].bot_reasons[0] == "confirmed as a bot by a person"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"window_days": 0},
        {"role_threshold": 120},
        {"community_method": "infomap"},
        {"backend": "cuda"},
        {"weights": {"networker": {"repost_share": 1.0}}},
        {"weights": {"guru": {}}},
    ],
)
def test_bad_params_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        ScoringParams(**kwargs)


def test_bad_override_raises_value_error():
    with pytest.raises(ValueError, match="override"):
        score(overrides={"hub": "maybe"})


def test_networkx_backend_gives_the_same_roles(result):
    nx_result = score(params=ScoringParams(backend="networkx"))
    for key in ("hub", "expert", "amp", "early", "quiet", "lonely"):
        assert nx_result[key].role == result[key].role
        # communities (hence bridging) may differ between Louvain and Leiden; the rest agrees
        assert (
            nx_result[key].features["coreness"]["value"]
            == result[key].features["coreness"]["value"]
        )
        assert nx_result[key].features["influence_rank"]["value"] == pytest.approx(
            result[key].features["influence_rank"]["value"], abs=1e-3
        )


def test_empty_workspace_scores_nothing():
    r = score_authors([], [])
    assert len(r) == 0 and r.table()["key"] == []
