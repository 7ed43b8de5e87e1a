"""Export and import of people, placements and timelines (CSV and Excel): a re-import
updates by id and never duplicates, a bad row is refused with its line and field, and each
export is in the audit log."""

import csv
import io
import re

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.crm import models as m
from app.crm.services import audit, campaigns, people
from app.extensions import db
from app.services import workspaces
from factories import login, make_user, make_workspace


@pytest.fixture
def crm(app, client):
    owner = make_user("owner@example.com", "Olga")
    workspace = make_workspace("acme", owner=owner)
    workspaces.add_member(workspace, make_user("viewer@example.com", "V"), "viewer")
    access = workspaces.access_for(owner, "acme")
    masha = people.create_person(access, owner, {
        "name": "Маша Котова", "tags": ["food"], "email": "m@example.ru",
        "accounts": [{"platform": "twitter", "handle": "маша_кот"}]})  # fmt: skip
    ivan = people.create_person(access, owner, {"name": "Иван", "organisation": "Акме"})
    campaign = campaigns.create_campaign(access, owner, {"name": "Весна"})
    placement = campaigns.create_placement(access, owner, campaign.id,
                                           {"person_id": masha.id, "fee": "1500"})  # fmt: skip
    login(client, "owner@example.com")
    return {"access": access, "owner": owner, "masha": masha.id, "ivan": ivan.id,
            "campaign": campaign.id, "placement": placement.id}  # fmt: skip


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def upload(client, url, name, data: bytes):
    return client.post(url, data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)  # fmt: skip


def test_people_csv_round_trip_updates_by_id_and_adds_new_rows(client, crm):
    response = client.get("/w/acme/people.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["name"] for row in rows} == {"Маша Котова", "Иван"}
    masha = next(row for row in rows if row["name"] == "Маша Котова")
    assert masha["accounts"] == "twitter:@маша_кот" and masha["tags"] == "food"
    masha["city"] = "Казань"
    masha["accounts"] = "twitter:@маша_кот; vk:@masha_vk"
    rows.append({"name": "Новая Персона", "tags": "vip, москва"})
    rows.append({"id": "999999", "name": "Ghost"})
    rows.append({"name": "Bad", "inn": "12"})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    page = upload(client, "/w/acme/people/import", "people.csv", out.getvalue().encode())
    text = page.get_data(as_text=True)
    assert "Imported: 1 added, 2 updated, 2 refused." in text
    assert "people.csv, line 5: no such person in this workspace" in text
    assert "people.csv, line 6, inn: an INN has 10 digits" in text
    assert count(m.Person) == 3
    db.session.expire_all()
    person = db.session.get(m.Person, crm["masha"])
    assert person.city == "Казань" and sorted(a.platform for a in person.accounts) == [
        "twitter",
        "vk",
    ]
    # the export of that, imported again, adds nobody and duplicates no account
    again = client.get("/w/acme/people.csv").get_data()
    text = upload(client, "/w/acme/people/import", "again.csv", again).get_data(as_text=True)
    assert "Imported: 0 added, 3 updated, 0 refused." in text
    assert count(m.Person) == 3 and count(m.PersonAccount) == 2


def test_people_excel_export_follows_the_view_and_is_audited(client, crm):
    response = client.get("/w/acme/people.xlsx?tag=food")
    book = load_workbook(io.BytesIO(response.get_data()))
    values = list(book.active.iter_rows(values_only=True))
    assert values[0][:2] == ("id", "name") and [row[1] for row in values[1:]] == ["Маша Котова"]
    entries = audit.entries(crm["access"].workspace, crm["masha"]).items
    assert "export" in {entry.action for entry in entries}
    # an Excel file imports too
    sheet_book = Workbook()
    sheet = sheet_book.active
    sheet.append(["id", "name", "stage"])
    sheet.append([crm["ivan"], "Иван Петров", "engaged"])
    data = io.BytesIO()
    sheet_book.save(data)
    text = upload(client, "/w/acme/people/import", "p.xlsx", data.getvalue()).get_data(as_text=True)
    assert "0 added, 1 updated, 0 refused" in text
    db.session.expire_all()
    ivan = db.session.get(m.Person, crm["ivan"])
    assert ivan.name == "Иван Петров" and ivan.stage == "engaged"


def test_placements_round_trip_and_timeline_export(client, crm):
    text = client.get(f"/w/acme/campaigns/{crm['campaign']}/placements.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0]["fee"] == "1500" and rows[0]["person"] == "Маша Котова"
    rows[0]["status"] = "agreed"
    rows[0]["erid"] = "2VtzqxABC"
    rows.append({"person_id": str(crm["ivan"]), "deliverable": "story", "fee": "700,50"})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    page = upload(client, f"/w/acme/campaigns/{crm['campaign']}/placements/import", "pl.csv",
                  out.getvalue().encode())  # fmt: skip
    body = page.get_data(as_text=True)
    assert "1 added, 1 updated, 0 refused" in body, re.findall(r"flash-text\">([^<]*)", body)
    db.session.expire_all()
    placement = db.session.get(m.Placement, crm["placement"])
    assert placement.status == "agreed" and placement.erid == "2VtzqxABC"
    assert count(m.Placement) == 2
    timeline = client.get(f"/w/acme/people/{crm['masha']}/timeline.csv").get_data(as_text=True)
    assert timeline.lstrip("\ufeff").startswith("kind,at,") and "placement" in timeline


def test_viewers_cannot_import(client, crm):
    client.post("/logout")
    login(client, "viewer@example.com")
    response = client.post("/w/acme/people/import",
                           data={"file": (io.BytesIO(b"name\nX\n"), "p.csv")},
                           content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 403
    assert client.get("/w/acme/people.csv").status_code == 200  # viewers read (and export)
    assert count(m.Person) == 2


def test_a_name_that_looks_like_a_formula_stays_text_in_excel(client, crm):
    person = db.session.get(m.Person, crm["masha"])
    person.name = '=HYPERLINK("http://example.com","click")'
    db.session.commit()
    response = client.get("/w/acme/people.xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    found = next(cell for cell in cells if str(cell.value).startswith("=HYPERLINK"))
    assert found.data_type == "s"  # a string cell: Excel shows it, never runs it
