"""The campaign report (issue 15, section 2) on hand-made data whose figures are known.

The workspace is in Moscow (UTC+3). The campaign runs 10-12 November 2026, so it may claim
posts from 10 November 00:00 to 19 November 24:00 Moscow time (its end + 7 days), that is
2026-11-09T21:00Z to 2026-11-19T21:00Z, carrying #spring, acme.ru/promo or SPRING10; and
Frank's placement's post whenever it was posted.

| post | author (followers) | posted (UTC) | carries | likes / reposts / replies / views | claimed |
|---|---|---|---|---|---|
| m1 | anna (5,000) | 11-10 08:00 | #spring | 10 / 2 / 3 / 1,000 | yes |
| m2 | bob (100) | 11-19 20:00 (23:00 local) | spring10 | 1 / 0 / 0 / - | yes |
| m3 | carl (50) | 11-19 21:30 (00:30 local, the 20th) | #spring | 4 / 0 / 0 / - | no: after |
| m4 | dana (70) | 11-08 10:00 | #spring | 2 / 0 / 0 / - | no: before |
| m5 | anna | 11-01 10:00 | - | - | no |
| m6 | eve (-) | 11-11 12:00 | acme.ru/promo | 0 / 0 / 0 / - | yes |
| m7 | frank (200) | 10-01 10:00 | Frank's placement's post | 5 / 5 / 0 / - | yes |

Claimed: m1, m2, m6, m7: 4 posts, 15 + 1 + 0 + 10 = 26 engagements, reach 5,000 + 100 + 0 +
200 = 5,300, views 1,000 (only m1's are known), new authors bob and eve (anna and frank posted
before the window). Cost: Frank's placement 1,000 + a 500 gift; Anna's is cancelled (9,999 not
counted): 1,500. CPE 1,500 / 26 = 57.6923; CPM 1,000 x 1,500 / 5,300 = 283.0189; CPV 1.5.
EMV at twitter like 0.5, repost 1, reply 2, view 10 per thousand: m1 5 + 2 + 6 + 10 = 23, m2 0.5,
m6 0, m7 2.5 + 5 = 7.5: 31.0; ROI (31 - 1,500) / 1,500 = -0.9793.
Lift over the campaign's 3 days (2026-11-09T21:00Z to 11-12T21:00Z): m1 and m6 during (2, 0.6667
a day), m4 in the 3 days before (1, 0.3333 a day): lift 1.0. Its people (anna, frank): m1
during, nothing before: no lift.
"""

import pytest

from app.services import ingest
from app.services import users as user_service
from factories import HEADER, login, make_user, make_workspace, mention, write_csv

POSTS = [
    mention("m1", "anna", "Весна! #spring", created_at="2026-11-10T08:00:00Z", likes="10",
            reposts="2", replies="3", views="1000", author_followers="5000"),
    mention("m2", "bob", "my code Spring10 works", created_at="2026-11-19T20:00:00Z", likes="1",
            author_followers="100"),
    mention("m3", "carl", "late #spring", created_at="2026-11-19T21:30:00Z", likes="4",
            author_followers="50"),
    mention("m4", "dana", "early #spring", created_at="2026-11-08T10:00:00Z", likes="2",
            author_followers="70"),
    mention("m5", "anna", "hello acme", created_at="2026-11-01T10:00:00Z"),
    mention("m6", "eve", "see https://acme.ru/promo now", created_at="2026-11-11T12:00:00Z"),
    mention("m7", "frank", "my review of acme", created_at="2026-10-01T10:00:00Z", likes="5",
            reposts="5", author_followers="200"),
]  # fmt: skip
COLUMNS = [*HEADER, "likes", "reposts", "replies", "views"]


@pytest.fixture
def campaign(app, client, tmp_path):
    owner = make_user()
    workspace = make_workspace("acme", owner=owner, timezone="Europe/Moscow")
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", POSTS, COLUMNS)])
    _, token = user_service.create_token(owner, "t")
    headers = {"Authorization": f"Bearer {token}"}

    def api(method, path, **body):
        response = client.open(f"/api/v1/workspaces/acme{path}", method=method, json=body or None,
                               headers=headers)  # fmt: skip
        assert response.status_code < 300, response.get_json()
        return response.get_json()

    made = api("POST", "/campaigns", name="Весна", start="2026-11-10", end="2026-11-12",
               tags=["spring"], links=["acme.ru/promo"], promo_codes=["SPRING10"])  # fmt: skip
    frank = api("POST", "/people", name="Frank", accounts=[{"platform": "twitter", "handle": "frank"}])
    anna = api("POST", "/people", name="Анна", accounts=[{"platform": "twitter", "handle": "anna"}])
    paid = api("POST", f"/campaigns/{made['id']}/placements", person_id=frank["id"],
               platform="twitter", fee=1000, gift_value=500, status="agreed")  # fmt: skip
    api("PATCH", f"/placements/{paid['id']}", status="published", post_id="m7")
    api("POST", f"/campaigns/{made['id']}/placements", person_id=anna["id"], platform="twitter",
        fee=9999, status="cancelled")  # fmt: skip
    return {"api": api, "id": made["id"], "frank": frank["id"], "anna": anna["id"], "runner": app}


def test_the_report_of_a_campaign(campaign, app):
    report = campaign["api"]("GET", f"/campaigns/{campaign['id']}/report")
    assert (report["from"], report["to"]) == ("2026-11-09T21:00:00Z", "2026-11-19T21:00:00Z")
    assert report["posts"] == 4 and report["engagements"] == 26 and report["reach"] == 5300
    assert report["views"] == 1000 and report["new_authors"] == 2
    assert report["sentiment"]["unknown"] + report["sentiment"]["neutral"] + \
        report["sentiment"]["positive"] + report["sentiment"]["negative"] == 4  # fmt: skip
    assert report["cost"] == 1500 and report["cpe"] == 57.6923 and report["cpm"] == 283.0189
    assert report["cpv"] == 1.5
    assert report["emv"] is None and report["roi"] is None and not report["emv_rates_set"]
    assert report["lift"] == {"days": 3, "during_per_day": 0.6667, "before_per_day": 0.3333,
                              "lift": 1.0}  # fmt: skip
    assert report["people_lift"]["lift"] is None and report["people_lift"]["during_per_day"] == 0.3333
    daily = report["daily"]
    assert [row["day"] for row in daily] == ["2026-11-07", "2026-11-08", "2026-11-09",
                                             "2026-11-10", "2026-11-11", "2026-11-12"]  # fmt: skip
    assert [row["mentions"] for row in daily] == [0, 1, 0, 1, 1, 0]  # m4; m1, m6 (Moscow days)
    assert [row["people"] for row in daily] == [0, 0, 0, 1, 0, 0]  # Anna's m1
    assert {row["phase"] for row in daily[:3]} == {"before"} and daily[3]["phase"] == "during"
    placements = {p["person_id"]: p for p in report["per_placement"]}
    assert placements[campaign["frank"]]["post_linked"] and placements[campaign["frank"]]["posts"] == 1
    assert placements[campaign["frank"]]["engagements"] == 10 and placements[campaign["frank"]]["cost"] == 1500
    assert placements[campaign["anna"]]["cost"] == 0 and placements[campaign["anna"]]["cpe"] is None
    people = {p["person_id"]: p for p in report["per_person"]}
    assert people[campaign["anna"]]["posts"] == 1 and people[campaign["anna"]]["engagements"] == 15
    assert people[campaign["frank"]]["reach"] == 200


def test_emv_and_roi_once_the_rates_are_set(campaign, app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["advocacy", "rates", "--workspace", "acme", "twitter", "like=0.5",
                                 "repost=1", "reply=2", "view=10"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert '"twitter": {"like": 0.5, "reply": 2.0, "repost": 1.0, "view": 10.0}' in result.output
    report = campaign["api"]("GET", f"/campaigns/{campaign['id']}/report")
    assert report["emv"] == 31.0 and report["roi"] == -0.9793 and report["emv_rates_set"]
    bad = runner.invoke(args=["advocacy", "rates", "--workspace", "acme", "twitter", "likes=1"])
    assert bad.exit_code == 1 and "rate 'likes' is not one of: like, repost, reply, view" in bad.output


def test_a_report_of_another_workspaces_campaign_is_not_found(campaign, app, client):
    other = make_user("o@example.com")
    make_workspace("other", owner=other)
    _, token = user_service.create_token(other, "t")
    response = client.get(f"/api/v1/workspaces/other/campaigns/{campaign['id']}/report",
                          headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


# ---------------------------------------------------------------- the page, Excel and print


def test_the_report_page_shows_every_figure_explained(campaign, client):
    login(client)
    html = client.get(f"/w/acme/campaigns/{campaign['id']}").get_data(as_text=True)
    assert f'href="/w/acme/campaigns/{campaign["id"]}/report"' in html  # linked from the campaign
    page = client.get(f"/w/acme/campaigns/{campaign['id']}/report")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Весна" in html
    assert 'id="figure-posts"' in html and 'value="4"' in html and 'value="5300"' in html
    assert 'value="57.6923"' in html and 'value="283.0189"' in html  # CPE, CPM
    # no rates: EMV and ROI are "—" with the reason, and a manager is shown where to set them
    emv = html.split('id="figure-emv"')[1].split("</tr>")[0]
    assert "—" in emv and "no EMV rates set" in emv and "Set the EMV rates" in html
    assert "What is “EMV (earned media value)”?" in html and "What is “Lift”?" in html
    lift = html.split('id="lift"')[1].split("</tr>")[0]
    assert 'value="3"' in lift and 'value="0.3333"' in lift and 'value="0.6667"' in lift
    assert 'value="1.0"' in lift and "+1.00" in lift
    people = html.split('id="people-lift"')[1].split("</tr>")[0]
    assert "no mentions in the days before" in people
    assert 'id="report-data"' in html and "chart.umd.min.js" in html
    assert "2026-11-08" in html and "2026-11-12" in html  # the day-by-day table
    # placements: most engagements first, with their ad-marking status
    frank = html.index(f'id="placement-{_placement(campaign, "frank")}"')
    anna = html.index(f'id="placement-{_placement(campaign, "anna")}"')
    assert frank < anna
    row = html[frank:].split("</tr>")[0]
    assert "published without an erid token" in row and "the «Реклама» label is not checked" in row


def _placement(campaign, who: str) -> int:
    report = campaign["api"]("GET", f"/campaigns/{campaign['id']}/report")
    return next(p["id"] for p in report["per_placement"] if p["person_id"] == campaign[who])


def test_the_report_page_in_russian(campaign, client):
    login(client)
    html = client.get(f"/w/acme/campaigns/{campaign['id']}/report",
                      headers={"Accept-Language": "ru"}).get_data(as_text=True)  # fmt: skip
    assert "Что принесла кампания" in html and "опубликовано без токена erid" in html


def test_viewers_read_the_report_and_other_workspaces_do_not(campaign, client):
    from app.services import workspaces as workspace_service

    viewer = make_user("v@example.com", "V")
    workspace_service.add_member(workspace_service.get_by_slug("acme"), viewer, "viewer")
    login(client, "v@example.com")
    html = client.get(f"/w/acme/campaigns/{campaign['id']}/report").get_data(as_text=True)
    assert "Весна" in html and "Set the EMV rates" not in html
    assert client.get(f"/w/acme/campaigns/{campaign['id']}/report.xlsx").status_code == 200
    client.post("/logout")
    make_workspace("other", owner=make_user("o@example.com"))
    login(client, "o@example.com")
    for suffix in ("", ".xlsx", "/print"):
        assert client.get(f"/w/other/campaigns/{campaign['id']}/report{suffix}").status_code == 404
        assert client.get(f"/w/acme/campaigns/{campaign['id']}/report{suffix}").status_code == 404


def test_the_excel_download_holds_the_figures(campaign, client, app):
    import io

    from openpyxl import load_workbook

    app.test_cli_runner().invoke(args=["advocacy", "rates", "--workspace", "acme", "twitter",
                                       "like=0.5", "repost=1", "reply=2", "view=10"])  # fmt: skip
    campaign["api"]("PATCH", f"/campaigns/{campaign['id']}", name="=HYPERLINK(\"x\")")
    login(client)
    response = client.get(f"/w/acme/campaigns/{campaign['id']}/report.xlsx")
    assert response.status_code == 200
    assert f'acme-campaign-{campaign["id"]}-report.xlsx' in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Figures", "Mentions by day", "Placements"]
    figures = {row[0]: row[1] for row in book["Figures"].iter_rows(values_only=True) if row}
    assert figures["Campaign"] == '=HYPERLINK("x")'  # text, not a formula
    assert book["Figures"]["B1"].data_type == "s"
    assert figures["Attributed posts"] == 4 and figures["Engagements"] == 26
    assert figures["Reach"] == 5300 and figures["Cost"] == 1500 and figures["CPE (cost per engagement)"] == 57.6923
    assert figures["EMV (earned media value)"] == 31.0 and figures["ROI (return on investment)"] == -0.9793
    assert figures["Lift"] == 1.0 and figures["Lift: days counted"] == 3
    days = list(book["Mentions by day"].iter_rows(values_only=True))
    assert len(days) == 7 and days[2][2] == 1 and days[4][1] == "during"
    placements = list(book["Placements"].iter_rows(values_only=True))
    assert placements[1][0] == "Frank" and placements[1][6] == 10  # most engagements first
    assert "published without an erid token" in placements[1][-1]
    ru = client.get(f"/w/acme/campaigns/{campaign['id']}/report.xlsx",
                    headers={"Accept-Language": "ru"})  # fmt: skip
    assert load_workbook(io.BytesIO(ru.data)).sheetnames == ["Показатели", "Упоминания по дням", "Размещения"]


def test_the_printable_page_has_no_navigation_and_a_print_button(campaign, client):
    login(client)
    html = client.get(f"/w/acme/campaigns/{campaign['id']}/report/print").get_data(as_text=True)
    assert 'class="campaign-report printable"' in html and "data-print" in html
    assert "Download Excel" not in html and "css/advocacy.css" in html
    # on paper there is no "?" to open: each figure's meaning is written out
    assert "Likes + reposts + replies of the attributed posts" in html


def test_the_report_matches_the_openapi_document(campaign, client, app):
    from openapi_support import validate

    document = client.get("/api/v1/openapi.json").get_json()
    path = "/api/v1/workspaces/{slug}/campaigns/{campaign_id}/report"
    token = user_service.create_token(user_service.get_by_email("anna@example.com"), "doc")[1]
    headers = {"Authorization": f"Bearer {token}"}
    for cid, status in ((campaign["id"], 200), (999_999, 404)):
        response = client.get(f"/api/v1/workspaces/acme/campaigns/{cid}/report", headers=headers)
        assert response.status_code == status
        validate(document, path, "GET", response)
    app.test_cli_runner().invoke(args=["advocacy", "rates", "--workspace", "acme", "twitter",
                                       "like=1"])  # fmt: skip
    response = client.get(f"/api/v1/workspaces/acme/campaigns/{campaign['id']}/report", headers=headers)
    assert response.get_json()["emv"] is not None
    validate(document, path, "GET", response)
