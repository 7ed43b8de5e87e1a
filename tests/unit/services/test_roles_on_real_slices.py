"""Each role on a hand-checkable slice of a real collection (tests/fixtures/roles).

What each account must be was worked out from the raw posts (who reposts, replies to or
mentions whom, how many distinct people), not from the scores; see bench/roles_real.py for
the whole collections.
"""

from pathlib import Path

import pytest

from app.models import AuthorScore
from app.services import influencers, ingest, scoring
from app.services.mentions import find_author
from factories import make_workspace

SLICES = Path(__file__).resolve().parents[2] / "fixtures" / "roles"


def scored(name: str, brand: str, platform: str = "twitter"):
    """Import a slice into a workspace that scores all of it; return a handle -> score lookup."""
    workspace = make_workspace(name, brand_terms=(brand,))
    workspace.score_window_days = 36500  # the slices span years: score every post
    result = ingest.import_files(workspace, [SLICES / f"{name}.csv"])
    assert result.imported and not result.rejected
    scoring.compute(workspace)

    def score(handle: str) -> AuthorScore:
        author = find_author(workspace, platform, handle)
        return influencers.author_score(workspace, author.id)

    return score


def test_retweets_make_thought_leaders_and_amplifiers_and_mentions_a_networker(app):
    score = scored("demonetization", "demonetization")
    # reposted by 541 distinct people; the original posts are not in the export at all
    guru = score("gauravcsawant")
    assert guru.role == "thought_leader" and guru.thought_leader >= 90
    assert guru.posts == 0
    assert any("reposted, quoted or replied to by 541 distinct people" in r
               for r in influencers.reasons_of(guru))  # fmt: skip
    # reposting 11 and 8 distinct authors: amplifiers, not suspicious for it
    for handle in ("suhana41", "atlantesindia"):
        assert score(handle).role == "amplifier" and score(handle).bot_score == 0
    # mentioned by 91 distinct people in this slice, never posting: a networker
    assert score("narendramodi").role == "networker" and score("narendramodi").networker >= 90


def test_reply_trees_make_networkers_and_thought_leaders(app):
    score = scored("emory", "Emory", platform="reddit")
    # in two-way conversation with 15 distinct people of 118 here
    assert score("oldeaglenewute2022").role == "networker"
    assert score("oldeaglenewute2022").networker >= 90
    # their posts draw replies from 21 and 19 distinct people
    for handle in ("bearmeyer", "marflowr"):
        assert score(handle).role == "thought_leader" and score(handle).thought_leader >= 90


def test_followed_into_a_hashtag_makes_a_trendsetter(app):
    score = scored("uk", "election")
    # first on #ukip, then 11 people who address them used it in posts of their own
    coburn = score("DavidCoburnUKip")
    assert coburn.role == "trendsetter"
    assert any("took up their topics after them" in r for r in influencers.reasons_of(coburn))
    # mentioned by 25 distinct people of this slice's 149 authors
    assert score("Nigel_Farage").role == "networker" and score("Nigel_Farage").networker >= 90


@pytest.mark.parametrize("name, brand", [("demonetization", "demonetization"), ("uk", "election")])
def test_one_post_and_a_few_reactions_is_no_role(app, name, brand):
    scored(name, brand)
    from sqlalchemy import select

    from app.extensions import db

    lone = db.session.scalars(
        select(AuthorScore).where(AuthorScore.role != "user", AuthorScore.posts <= 1,
                                  AuthorScore.degree < 3)
    ).all()  # fmt: skip
    assert lone == []
