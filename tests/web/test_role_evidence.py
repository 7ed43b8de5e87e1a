"""A score that reaches the role threshold without the role's evidence says so on the pages."""

from pathlib import Path

from app.services import ingest, scoring
from app.services.mentions import find_author
from factories import login, make_user, make_workspace

SLICE = Path(__file__).resolve().parents[1] / "fixtures" / "roles" / "demonetization.csv"


def test_a_score_without_its_evidence_is_marked_in_the_list_and_explained(app, client):
    workspace = make_workspace("acme", owner=make_user(), brand_terms=["demonetization"])
    ingest.import_files(workspace, [SLICE])
    scoring.compute(workspace)
    login(client)
    # innovativehindu reposted 4 posts of 2 authors: a high amplifier score, but the role
    # needs 5 reposts of 3 distinct authors
    page = client.get("/w/acme/influencers?q=innovativehindu").get_data(as_text=True)
    assert 'class="score lacking"' in page and "not enough evidence for the role" in page
    author = find_author(workspace, "twitter", "innovativehindu")
    profile = client.get(f"/w/acme/authors/{author.id}").get_data(as_text=True)
    assert "(not enough evidence)" in profile
    assert "needs 5 reposts of 3 distinct authors (has 4 of 2)" in profile
    # an author with the role is not marked
    top = client.get("/w/acme/influencers?q=suhana41").get_data(as_text=True)
    assert 'class="score lacking"' not in top
