"""Export and import of people, placements and timelines as CSV or Excel.

An export is the view as seen (the people list's filters) with an ``id`` column; importing
the file back updates each row by its ``id`` and adds the rows without one, so a re-import
never duplicates anybody. A bad row is refused with its line, field and reason; the others
are kept. Every exported person is noted in the audit log.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from openpyxl import load_workbook

from app.crm import models as m
from app.crm.services import audit, campaigns, people, timeline
from app.crm.services import values as v
from app.extensions import db
from app.models import User, Workspace
from app.services.errors import ServiceError
from app.services.workspaces import Access

MAX_ROWS = 100_000
PEOPLE_COLUMNS = (
    "id", "name", "organisation", "email", "phone", "city", "language", "tags", "owner_id",
    "stage", "cadence_days", "notes", "why_they_matter", "legal_name", "inn",
    "registry_status", "registry_checked_on", "accounts", "last_touch_at", "next_touch_due",
)  # fmt: skip
PEOPLE_READ_ONLY = {"last_touch_at", "next_touch_due"}
PLACEMENT_COLUMNS = (
    "id", "person_id", "person", "platform", "deliverable", "planned_at", "fee", "gift_value",
    "status", "post_url", "post_id", "contract_number", "contract_date", "erid",
    "label_checked", "act",
)  # fmt: skip
PLACEMENT_READ_ONLY = {"person"}


def _cell(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def person_row(person: m.Person) -> dict:
    """Return a person as an export row."""
    return {
        "id": person.id, "name": person.name, "organisation": person.organisation,
        "email": person.email, "phone": person.phone, "city": person.city,
        "language": person.language, "tags": ", ".join(person.tags),
        "owner_id": person.owner_id, "stage": person.stage, "cadence_days": person.cadence_days,
        "notes": person.notes, "why_they_matter": person.why_they_matter,
        "legal_name": person.legal_name, "inn": person.inn,
        "registry_status": person.registry_status,
        "registry_checked_on": person.registry_checked_on,
        "accounts": "; ".join(f"{a.platform}:@{a.display_handle}" for a in person.accounts),
        "last_touch_at": person.last_touch_at, "next_touch_due": person.next_touch_due,
    }  # fmt: skip


def placement_row(p: m.Placement) -> dict:
    """Return a placement as an export row."""
    return {
        "id": p.id, "person_id": p.person_id, "person": p.person.name if p.person else "",
        "platform": p.platform, "deliverable": p.deliverable, "planned_at": p.planned_at,
        "fee": v.amount_out(p.fee_cents), "gift_value": v.amount_out(p.gift_value_cents),
        "status": p.status, "post_url": p.post_url, "post_id": p.post_external_id,
        "contract_number": p.contract_number, "contract_date": p.contract_date, "erid": p.erid,
        "label_checked": p.label_checked, "act": p.act,
    }  # fmt: skip


def people_rows(access: Access, user: User | None, filters: people.PeopleFilters) -> list[dict]:
    """Return the rows of the people view (every page), noting the export in the audit log."""
    query = people.people_query(access.workspace, filters).limit(MAX_ROWS)
    from sqlalchemy.orm import selectinload

    found = list(
        db.session.scalars(
            query.options(selectinload(m.Person.accounts), selectinload(m.Person.tag_rows))
        )
    )
    for person in found:
        audit.record(access.workspace, user, "export", person.id)
    db.session.commit()
    return [person_row(person) for person in found]


def placement_rows(workspace: Workspace, campaign_id: int) -> list[dict]:
    """Return every placement of a campaign as export rows."""
    campaigns.get_campaign(workspace, campaign_id)
    page = campaigns.list_placements(workspace, campaign_id, "", 1, MAX_ROWS)
    return [placement_row(p) for p in page.items]


def timeline_rows(access: Access, user: User | None, person: m.Person) -> list[dict]:
    """Return a person's whole timeline, newest first, as rows (kind, at, what)."""
    page = timeline.timeline(access.workspace, person, (), 1, MAX_ROWS)
    audit.record(access.workspace, user, "export", person.id, what="timeline")
    db.session.commit()
    return [{"kind": e.kind, "at": e.at.isoformat(),
             **{key: value for key, value in e.data.items() if key != "id"}}
            for e in page.items]  # fmt: skip


def to_csv(rows: list[dict], columns: Iterable[str] | None = None) -> str:
    """Return rows as CSV text (with a byte-order mark: Excel then reads Cyrillic right)."""
    columns = list(columns or (rows[0].keys() if rows else ()))
    if rows and not columns:
        columns = list(rows[0])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return "\ufeff" + out.getvalue()


def to_xlsx(rows: list[dict], columns: Iterable[str], title: str) -> bytes:
    """Return rows as an Excel workbook (a name like ``=HYPERLINK(...)`` stays text)."""
    from app.services.spreadsheet import workbook

    columns = list(columns)
    return workbook([(title, [columns, *([_cell(row.get(key)) for key in columns] for row in rows)])])


# ---------------------------------------------------------------- import


@dataclass
class ImportResult:
    """What an import did: rows added, updated, refused (with line, field and reason)."""

    added: int = 0
    updated: int = 0
    errors: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        """Return the result as the pages and the API show it."""
        return {"added": self.added, "updated": self.updated, "rejected": len(self.errors),
                "errors": self.errors[:100]}  # fmt: skip


def read_table(filename: str, data: bytes) -> Iterator[tuple[int, dict]]:
    """Yield ``(line, row)`` from a CSV or Excel file; raise ``ServiceError`` when unreadable."""
    if filename.lower().endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a bad file
            raise ServiceError(f"{filename}: not an Excel workbook ({error})") from None
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [str(c or "").strip().lower() for c in next(rows, ())]
        for number, values in enumerate(rows, start=2):
            row = {
                key: ("" if value is None else value)
                for key, value in zip(header, values, strict=False)
            }
            if any(str(value).strip() for value in row.values()):
                yield number, row
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError(f"{filename}: not UTF-8 text; save the CSV as UTF-8") from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise ServiceError(f"{filename}: empty file")
    reader.fieldnames = [name.strip().lower() for name in reader.fieldnames]
    for row in reader:
        if any((value or "").strip() for value in row.values() if isinstance(value, str)):
            yield reader.line_num, row


CHOICES = {"stage", "status", "deliverable"}  # an empty cell keeps the value


def _clean(row: dict, columns, read_only, new: bool = False) -> dict:
    """Return the row's fields that can be set; a new row's empty cells are left out."""
    return {key: value for key, value in row.items()
            if key in columns and key not in read_only and key != "id" and key
            and not (value in ("", None) and (new or key in CHOICES))}  # fmt: skip


def _accounts(value) -> list[dict]:
    found = []
    for part in str(value or "").replace("\n", ";").split(";"):
        if part.strip():
            platform, _, handle = part.strip().partition(":")
            if not handle:
                raise ServiceError(f"account {part.strip()!r} is not platform:@handle")
            found.append({"platform": platform.strip(), "handle": handle.strip()})
    return found


def _row_id(row: dict) -> int | None:
    return v.whole("id", row.get("id"), 1, 2**31 - 1)


def import_people(access: Access, user: User | None, filename: str, data: bytes) -> ImportResult:
    """Add or update people from a file like the export (by ``id``; no id: a new person)."""
    people.require(access, "agent", "import people")
    result = ImportResult()
    for line, row in read_table(filename, data):
        if result.added + result.updated + len(result.errors) >= MAX_ROWS:
            result.errors.append({"file": filename, "line": line, "field": None,
                                  "reason": f"at most {MAX_ROWS:,} rows per file"})  # fmt: skip
            break
        try:
            person_id = _row_id(row)
            fields = _clean(row, PEOPLE_COLUMNS, PEOPLE_READ_ONLY, new=person_id is None)
            accounts = _accounts(fields.pop("accounts", ""))
            for key in ("owner_id", "cadence_days", "registry_checked_on"):
                if key in fields and fields[key] == "":
                    fields[key] = None
            if person_id is None:
                people.create_person(access, user, {**fields, "accounts": accounts})
                result.added += 1
            else:
                person = people.get_person(access.workspace, person_id)
                known = {(a.platform, a.handle) for a in person.accounts}
                people.update_person(access, user, person_id, fields)
                for account in accounts:
                    key = (account["platform"].lower(), account["handle"].lstrip("@").lower())
                    if key not in known:
                        people.add_account(access, user, person_id, account["platform"],
                                           account["handle"])  # fmt: skip
                result.updated += 1
        except ServiceError as error:
            db.session.rollback()
            result.errors.append({"file": filename, "line": line,
                                  "field": getattr(error, "field", None), "reason": str(error)})  # fmt: skip
    return result


def import_placements(access: Access, user: User | None, campaign_id: int, filename: str,
                      data: bytes) -> ImportResult:  # fmt: skip
    """Add or update a campaign's placements from a file like the export (by ``id``)."""
    people.require(access, "manager", "import placements")
    campaign = campaigns.get_campaign(access.workspace, campaign_id)
    result = ImportResult()
    for line, row in read_table(filename, data):
        try:
            placement_id = _row_id(row)
            fields = _clean(row, PLACEMENT_COLUMNS, PLACEMENT_READ_ONLY, new=placement_id is None)
            fields = {key: (None if value == "" and key in ("fee", "gift_value", "planned_at",
                                                           "contract_date") else value)
                      for key, value in fields.items()}  # fmt: skip
            if placement_id is None:
                campaigns.create_placement(access, user, campaign.id, fields)
                result.added += 1
            else:
                placement = campaigns.get_placement(access.workspace, placement_id)
                if placement.campaign_id != campaign.id:
                    raise ServiceError(f"placement {placement_id} is in another campaign")
                campaigns.update_placement(access, user, placement_id, fields)
                result.updated += 1
        except ServiceError as error:
            db.session.rollback()
            result.errors.append({"file": filename, "line": line,
                                  "field": getattr(error, "field", None), "reason": str(error)})  # fmt: skip
    return result
