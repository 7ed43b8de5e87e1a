"""Campaigns and their placements: the board by status, totals, the ad-marking record and
its warnings, and the published post linked when it arrives in the mentions.

Managers and owners manage campaigns and placements; agents move placements between
statuses (the board's cards); viewers read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select, union_all
from sqlalchemy.orm import joinedload

from app.crm import models as m
from app.crm.i18n import gettext as _
from app.crm.services import audit, people
from app.crm.services import values as v
from app.crm.services.people import check_version, require
from app.extensions import db
from app.i18n import ngettext
from app.models import Mention, User, Workspace, utcnow
from app.services.errors import FieldError, NotFound
from app.services.mentions import Page
from app.services.workspaces import Access

CAMPAIGN_FIELDS = {"name", "goal", "start", "end", "budget", "tags", "links", "promo_codes"}
PLACEMENT_FIELDS = {"person_id", "platform", "deliverable", "planned_at", "fee", "gift_value",
                    "erid", "status", "post_url", "post_id", "contract_number",
                    "contract_date", "label_checked", "act"}  # fmt: skip
CAMPAIGN_READ_ONLY = {"id", "version", "created_at", "updated_at", "totals", "running"}
PLACEMENT_READ_ONLY = {"id", "version", "created_at", "updated_at", "campaign_id", "person",
                       "mention_id", "warnings", "campaign"}  # fmt: skip
LIVE = ("proposed", "agreed", "published", "paid")  # not cancelled


def today() -> date:
    """Return today's date in UTC (campaign dates are calendar days)."""
    return utcnow().date()


# ---------------------------------------------------------------- campaigns


def get_campaign(workspace: Workspace, campaign_id: int) -> m.Campaign:
    """Return one of the workspace's campaigns, or raise ``NotFound``."""
    campaign = db.session.get(m.Campaign, campaign_id)
    if campaign is None or campaign.workspace_id != workspace.id:
        raise NotFound("no such campaign in this workspace")
    return campaign


def _apply_campaign(campaign: m.Campaign, data: dict) -> list[str]:
    unknown = sorted(set(data) - CAMPAIGN_FIELDS - CAMPAIGN_READ_ONLY)
    if unknown:
        raise FieldError(unknown[0], f"{unknown[0]} is not a field of a campaign: use "
                         f"{', '.join(sorted(CAMPAIGN_FIELDS))}")  # fmt: skip
    readers = {
        "name": ("name", lambda x: v.text("name", x, 300, required=True)),
        "goal": ("goal", lambda x: v.text("goal", x, 5000, lines=True)),
        "start": ("start_on", lambda x: v.day("start", x)),
        "end": ("end_on", lambda x: v.day("end", x)),
        "budget": ("budget_cents", lambda x: v.money("budget", x)),
        "tags": ("tags", lambda x: v.words("tags", x)),
        "links": ("links", lambda x: v.words("links", x, max_length=1000, lower=False)),
        "promo_codes": ("promo_codes", lambda x: v.words("promo_codes", x, lower=False)),
    }
    changed = []
    for key, (attribute, read) in readers.items():
        if key in data:
            value = read(data[key])
            if getattr(campaign, attribute) != value:
                setattr(campaign, attribute, value)
                changed.append(key)
    if campaign.start_on and campaign.end_on and campaign.end_on < campaign.start_on:
        raise FieldError("end", f"the campaign ends ({campaign.end_on}) before it starts "
                         f"({campaign.start_on})")  # fmt: skip
    return changed


def create_campaign(access: Access, user: User | None, data: dict) -> m.Campaign:
    """Start a campaign."""
    require(access, "manager", "manage campaigns")
    now = utcnow()
    campaign = m.Campaign(workspace_id=access.workspace.id, name="", created_at=now,
                          updated_at=now, tags=[], links=[], promo_codes=[])  # fmt: skip
    _apply_campaign(campaign, {"name": "", **data})
    db.session.add(campaign)
    db.session.commit()
    return campaign


def update_campaign(access: Access, user: User | None, campaign_id: int, data: dict,
                    version=None) -> m.Campaign:  # fmt: skip
    """Change a campaign; refused (``Conflict``) when edited on an older version."""
    require(access, "manager", "manage campaigns")
    campaign = get_campaign(access.workspace, campaign_id)
    check_version(campaign, version)
    if _apply_campaign(campaign, data):
        campaign.updated_at = utcnow()
    db.session.commit()
    return campaign


def is_running(campaign: m.Campaign, on: date | None = None) -> bool:
    """Return whether the campaign runs on the day (open-ended dates count as running)."""
    on = on or today()
    return (campaign.start_on is None or campaign.start_on <= on) and (
        campaign.end_on is None or on <= campaign.end_on
    )


def running_campaigns(workspace: Workspace, on: date | None = None,
                      limit: int = 5) -> tuple[int, list[m.Campaign]]:  # fmt: skip
    """Return how many campaigns run on the day (today by default; see :func:`is_running`)
    and the ``limit`` that ends soonest (open-ended last), for the dashboard."""
    on = on or today()
    C = m.Campaign
    where = (C.workspace_id == workspace.id, or_(C.start_on.is_(None), C.start_on <= on),
             or_(C.end_on.is_(None), C.end_on >= on))  # fmt: skip
    total = db.session.scalar(select(func.count()).select_from(C).where(*where)) or 0
    items = list(db.session.scalars(
        select(C).where(*where).order_by(C.end_on.is_(None), C.end_on, C.id).limit(limit)
    ))  # fmt: skip
    return total, items


def list_campaigns(workspace: Workspace, page: int = 1, per_page: int = 50) -> Page:
    """Return one page of the workspace's campaigns, latest start first."""
    where = m.Campaign.workspace_id == workspace.id
    total = db.session.scalar(select(func.count()).where(where)) or 0
    items = list(db.session.scalars(
        select(m.Campaign).where(where)
        .order_by(m.Campaign.start_on.desc().nulls_first(), m.Campaign.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ))  # fmt: skip
    return Page(items, total, page, per_page)


def campaign_menu(workspace: Workspace, limit: int = 100) -> list:
    """Return the latest campaigns' ids and names (``.id``, ``.name``), for a menu: the
    order of ``list_campaigns`` without reading each campaign whole."""
    C = m.Campaign
    return list(db.session.execute(
        select(C.id, C.name).where(C.workspace_id == workspace.id)
        .order_by(C.start_on.desc().nulls_first(), C.id.desc()).limit(limit)
    ))  # fmt: skip


@dataclass
class Totals:
    """A campaign's money and placements: what is kept when a person is erased."""

    placements: int = 0
    by_status: dict | None = None
    fees_cents: int = 0
    gifts_cents: int = 0

    def as_json(self, budget_cents: int | None) -> dict:
        """Return the totals as the API shows them."""
        spent = self.fees_cents + self.gifts_cents
        return {
            "placements": self.placements,
            "by_status": self.by_status,
            "fees": v.amount_out(self.fees_cents),
            "gifts": v.amount_out(self.gifts_cents),
            "spent": v.amount_out(spent),
            "left": v.amount_out(budget_cents - spent) if budget_cents is not None else None,
        }


def totals(workspace: Workspace, campaign_ids: list[int]) -> dict[int, Totals]:
    """Return each campaign's totals (cancelled placements cost nothing)."""
    found = {campaign_id: Totals(by_status={s: 0 for s in m.PLACEMENT_STATUSES})
             for campaign_id in campaign_ids}  # fmt: skip
    if not campaign_ids:
        return found
    P = m.Placement
    live = P.status != "cancelled"
    rows = db.session.execute(
        select(P.campaign_id, P.status, func.count(),
               func.sum(func.coalesce(P.fee_cents, 0)).filter(live),
               func.sum(func.coalesce(P.gift_value_cents, 0)).filter(live))
        .where(P.workspace_id == workspace.id, P.campaign_id.in_(campaign_ids))
        .group_by(P.campaign_id, P.status)
    ).all()  # fmt: skip
    for campaign_id, status, count, fees, gifts in rows:
        item = found[campaign_id]
        item.placements += count
        item.by_status[status] = count
        item.fees_cents += int(fees or 0)
        item.gifts_cents += int(gifts or 0)
    return found


# ---------------------------------------------------------------- placements


def get_placement(workspace: Workspace, placement_id: int) -> m.Placement:
    """Return one of the workspace's placements, or raise ``NotFound``."""
    placement = db.session.get(m.Placement, placement_id)
    if placement is None or placement.workspace_id != workspace.id:
        raise NotFound("no such placement in this workspace")
    return placement


def _flag(field: str, value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text in ("", "0", "false", "no", "off", "нет"):
        return False
    if text in ("1", "true", "yes", "on", "y", "да"):
        return True
    raise FieldError(field, f"{field} must be true or false")


def _apply_placement(access: Access, placement: m.Placement, data: dict) -> list[str]:
    unknown = sorted(set(data) - PLACEMENT_FIELDS - PLACEMENT_READ_ONLY)
    if unknown:
        raise FieldError(unknown[0], f"{unknown[0]} is not a field of a placement: use "
                         f"{', '.join(sorted(PLACEMENT_FIELDS))}")  # fmt: skip
    workspace = access.workspace

    def person(x):
        person_id = v.whole("person_id", x, 1, 2**31 - 1)
        if person_id is None:
            raise FieldError("person_id", "a placement needs a person (person_id)")
        try:
            return people.get_person(workspace, person_id).id
        except NotFound:
            raise FieldError("person_id", f"there is no person {person_id} here") from None

    readers = {
        "person_id": ("person_id", person),
        "platform": ("platform", lambda x: v.text("platform", x, 32).lower()),
        "deliverable": ("deliverable", lambda x: v.choice("deliverable", x, m.DELIVERABLES)),
        "planned_at": ("planned_at", lambda x: v.day("planned_at", x)),
        "fee": ("fee_cents", lambda x: v.money("fee", x)),
        "gift_value": ("gift_value_cents", lambda x: v.money("gift_value", x)),
        "erid": ("erid", lambda x: v.text("erid", x, 100)),
        "status": ("status", lambda x: v.choice("status", x, m.PLACEMENT_STATUSES)),
        "post_url": ("post_url", lambda x: v.text("post_url", x, 1000)),
        "post_id": ("post_external_id", lambda x: v.text("post_id", x, 255)),
        "contract_number": ("contract_number", lambda x: v.text("contract_number", x, 100)),
        "contract_date": ("contract_date", lambda x: v.day("contract_date", x)),
        "label_checked": ("label_checked", lambda x: _flag("label_checked", x)),
        "act": ("act", lambda x: v.text("act", x, 200)),
    }
    changed = []
    for key, (attribute, read) in readers.items():
        if key in data:
            value = read(data[key])
            if getattr(placement, attribute) != value:
                setattr(placement, attribute, value)
                changed.append(key)
    if placement.post_url and not placement.post_url.startswith(("http://", "https://")):
        raise FieldError("post_url", "post_url must be a link starting with https://")
    if {"post_url", "post_id"} & set(changed):
        placement.mention_id = None
        _link_posts(workspace, [placement], commit=False)
    return changed


def create_placement(access: Access, user: User | None, campaign_id: int,
                     data: dict) -> m.Placement:  # fmt: skip
    """Add a person's placement to a campaign."""
    require(access, "manager", "manage placements")
    campaign = get_campaign(access.workspace, campaign_id)
    now = utcnow()
    placement = m.Placement(workspace_id=access.workspace.id, campaign_id=campaign.id,
                            created_at=now, updated_at=now, status="proposed",
                            deliverable="post", platform="")  # fmt: skip
    if "person_id" not in data:
        raise FieldError("person_id", "a placement needs a person (person_id)")
    _apply_placement(access, placement, data)
    if not placement.platform and placement.person_id:
        person = db.session.get(m.Person, placement.person_id)
        placement.platform = person.accounts[0].platform if person.accounts else ""
    db.session.add(placement)
    db.session.commit()
    return placement


def add_people(access: Access, user: User | None, campaign_id: int,
               person_ids: list[int]) -> list[m.Placement]:  # fmt: skip
    """Propose a placement for each of several people (skipping those already in it)."""
    require(access, "manager", "manage placements")
    campaign = get_campaign(access.workspace, campaign_id)
    present = set(
        db.session.scalars(
            select(m.Placement.person_id).where(
                m.Placement.campaign_id == campaign.id, m.Placement.person_id.in_(person_ids)
            )
        )
    )
    added = []
    now = utcnow()
    for person_id in dict.fromkeys(person_ids):
        if person_id in present:
            continue
        person = people.get_person(access.workspace, person_id)
        placement = m.Placement(
            workspace_id=access.workspace.id, campaign_id=campaign.id, person_id=person.id,
            platform=person.accounts[0].platform if person.accounts else "",
            created_at=now, updated_at=now, status="proposed", deliverable="post")  # fmt: skip
        db.session.add(placement)
        added.append(placement)
    db.session.commit()
    return added


def update_placement(access: Access, user: User | None, placement_id: int, data: dict,
                     version=None) -> m.Placement:  # fmt: skip
    """Change a placement: agents move it between statuses, managers change the rest;
    refused (``Conflict``) when made on an older version."""
    require(access, "agent", "move placements")
    data = {key: value for key, value in data.items() if key not in PLACEMENT_READ_ONLY}
    if set(data) - {"status"}:
        require(access, "manager", "change placements (agents move them between statuses)")
    placement = get_placement(access.workspace, placement_id)
    check_version(placement, version)
    if _apply_placement(access, placement, data):
        placement.updated_at = utcnow()
    db.session.commit()
    return placement


def delete_placement(access: Access, user: User | None, placement_id: int) -> None:
    """Remove a placement from its campaign."""
    require(access, "manager", "manage placements")
    db.session.delete(get_placement(access.workspace, placement_id))
    db.session.commit()


def list_placements(workspace: Workspace, campaign_id: int, status: str = "",
                    page: int = 1, per_page: int = 50) -> Page:  # fmt: skip
    """Return one page of a campaign's placements (of one status), by planned date."""
    P = m.Placement
    where = [P.workspace_id == workspace.id, P.campaign_id == campaign_id]
    if status:
        where.append(P.status == status)
    total = db.session.scalar(select(func.count()).where(*where)) or 0
    items = list(db.session.scalars(
        select(P).where(*where).options(joinedload(P.person))
        .order_by(P.planned_at.nulls_last(), P.id).limit(per_page).offset((page - 1) * per_page)
    ))  # fmt: skip
    _link_posts(workspace, items)
    return Page(items, total, page, per_page)


CARD_PERSON = (m.Person.id, m.Person.name, m.Person.registry_status, m.Person.workspace_id)
"""What a card (and its warnings) shows of the person: read in the placements' own query."""


def board(workspace: Workspace, campaign_id: int, per_status: int = 50) -> dict[str, Page]:
    """Return the campaign board: each status's first placements (all columns in one query,
    each card with its person) and its count (in one grouped query)."""
    P = m.Placement
    counts = dict(db.session.execute(
        select(P.status, func.count()).where(P.workspace_id == workspace.id,
                                              P.campaign_id == campaign_id).group_by(P.status)
    ).all())  # fmt: skip
    # every column's first cards in one query: the union of each column's first ids (each
    # read from the campaign's index by status), then those placements with their people
    order = (P.planned_at.nulls_last(), P.id)
    firsts = [
        select(P.id).where(P.workspace_id == workspace.id, P.campaign_id == campaign_id,
                           P.status == status).order_by(*order).limit(per_status).subquery()
        for status in m.PLACEMENT_STATUSES if counts.get(status)
    ]  # fmt: skip
    cards = db.session.scalars(
        select(P).where(P.id.in_(union_all(*(select(first.c.id) for first in firsts))))
        .options(joinedload(P.person).load_only(*CARD_PERSON)).order_by(*order)
    ) if firsts else []  # fmt: skip
    by_status: dict[str, list] = {}
    for placement in cards:
        by_status.setdefault(placement.status, []).append(placement)
    columns = {status: Page(by_status.get(status, []), counts.get(status, 0), 1, per_status)
               for status in m.PLACEMENT_STATUSES}  # fmt: skip
    _link_posts(workspace, [p for page in columns.values() for p in page.items])
    return columns


def _link_posts(workspace: Workspace, placements: list[m.Placement], commit: bool = True) -> None:
    """Link placements to their published post once it is among the mentions: by its id on
    the platform, or by its URL among the person's own posts (both read an index)."""
    pending = [p for p in placements
               if p.mention_id is None and (p.post_external_id or p.post_url)]  # fmt: skip
    for placement in pending:
        query = select(Mention.id).where(Mention.workspace_id == workspace.id)
        if placement.post_external_id:
            query = query.where(Mention.external_id == placement.post_external_id)
            if placement.platform:
                query = query.where(Mention.platform == placement.platform)
        else:
            person = db.session.get(m.Person, placement.person_id) if placement.person_id else None
            authors = people.author_ids_of(person) if person else []
            if not authors:
                continue
            url = placement.post_url
            query = query.where(
                Mention.author_id.in_(authors),
                or_(Mention.url == url, Mention.url == url.rstrip("/")),
            )
        placement.mention_id = db.session.scalar(query.limit(1))
    if commit and any(p.mention_id for p in pending):
        db.session.commit()


def warning_messages() -> dict[str, str]:
    """Return the warnings' words in the page's language (translated once for a whole board)."""
    return {
        "no_erid": _("published without an erid token"),
        "no_label": _("the «Реклама» label is not checked"),
        "not_in_registry": _(
            "the blogger is not in the registry of bloggers with over 10,000 subscribers"
        ),
        "registry_unknown": _("nobody checked whether the blogger is in the registry of bloggers"),
    }


def warnings(placement: m.Placement, person: m.Person | None = None,
             running_elsewhere: int = 0, messages: dict | None = None) -> list[dict]:  # fmt: skip
    """Return what is wrong with a placement's ad-marking record, in plain words."""
    person = person if person is not None else placement.person
    codes = []
    published = placement.status in ("published", "paid")
    if published and not placement.erid:
        codes.append("no_erid")
    if published and not placement.label_checked:
        codes.append("no_label")
    if person is not None and placement.status != "cancelled":
        if person.registry_status == "no":
            codes.append("not_in_registry")
        elif person.registry_status == "unknown" and published:
            codes.append("registry_unknown")
    if codes and messages is None:
        messages = warning_messages()
    found = [{"code": code, "message": messages[code]} for code in codes]
    if running_elsewhere:
        found.append(
            {
                "code": "two_campaigns",
                "message": ngettext(
                    "%(name)s is also in %(num)s other running campaign",
                    "%(name)s is also in %(num)s other running campaigns",
                    running_elsewhere,
                    name=person.name if person else _("the person"),
                ),
            }
        )
    return found


def running_campaigns_of(workspace: Workspace, person_ids: list[int],
                         on: date | None = None) -> dict[int, set[int]]:  # fmt: skip
    """Return, per person, the running campaigns they have a live placement in."""
    if not person_ids:
        return {}
    on = on or today()
    C, P = m.Campaign, m.Placement
    rows = db.session.execute(
        select(P.person_id, C.id).join(C, C.id == P.campaign_id)
        .where(P.workspace_id == workspace.id, P.person_id.in_(person_ids), P.status.in_(LIVE),
               or_(C.start_on.is_(None), C.start_on <= on), or_(C.end_on.is_(None), C.end_on >= on))
    ).all()  # fmt: skip
    found: dict[int, set[int]] = {}
    for person_id, campaign_id in rows:
        found.setdefault(person_id, set()).add(campaign_id)
    return found


def placement_warnings(workspace: Workspace, placements: list[m.Placement]) -> dict[int, list]:
    """Return the warnings of several placements (one query for the running campaigns)."""
    running = running_campaigns_of(workspace, [p.person_id for p in placements if p.person_id])
    messages = warning_messages() if placements else {}
    out, live = {}, {}
    for p in placements:
        others = len(running.get(p.person_id, set()) - {p.campaign_id}) if p.person_id else 0
        if p.campaign_id not in live:
            live[p.campaign_id] = is_running(db.session.get(m.Campaign, p.campaign_id))
        out[p.id] = warnings(p, p.person, others if live[p.campaign_id] else 0, messages)
    return out


def due_this_week(workspace: Workspace, owner_id: int | None = None, limit: int = 50):
    """Return placements planned within the next seven days and not yet published."""
    start = today()
    P = m.Placement
    query = (
        select(P).where(P.workspace_id == workspace.id, P.planned_at >= start,
                        P.planned_at <= start + timedelta(days=7),
                        P.status.in_(("proposed", "agreed")))
        .options(joinedload(P.person), joinedload(P.campaign))
        .order_by(P.planned_at, P.id).limit(limit)
    )  # fmt: skip
    if owner_id is not None:
        # Joined, not "person in (the owner's people)": the week's few placements each look
        # their person up, where the set of an owner's people would be built from a scan.
        query = query.outerjoin(m.Person, m.Person.id == P.person_id).where(
            or_(m.Person.owner_id == owner_id, P.person_id.is_(None))
        )
    return list(db.session.scalars(query))


def record_export(workspace: Workspace, user: User | None, person_ids: list[int]) -> None:
    """Note in the audit log that these people's data was exported."""
    for person_id in person_ids:
        audit.record(workspace, user, "export", person_id)
    db.session.commit()


def person_placements(workspace: Workspace, person_id: int, limit: int = 100) -> list[m.Placement]:
    """Return a person's placements, newest first, with their campaigns (in the same query;
    the person, already read, comes from the session)."""
    P = m.Placement
    return list(db.session.scalars(
        select(P).where(P.workspace_id == workspace.id, P.person_id == person_id)
        .options(joinedload(P.campaign))
        .order_by(P.created_at.desc(), P.id.desc()).limit(limit)
    ))  # fmt: skip
