"""A campaign's report as people read it: the figures of
:func:`app.advocacy.services.effectiveness.campaign_report` with each placement's person and
ad-marking status (the relationship manager's warnings), the placements ranked by
engagements, each figure's plain-words explanation and, where a ratio has none, why; the
same as an Excel workbook (:func:`report_xlsx`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.advocacy.services import effectiveness
from app.crm import models as crm
from app.crm.services import campaigns
from app.extensions import db
from app.labels import glossary_entry
from app.models import Workspace
from app.services.spreadsheet import workbook

# the figures in the order the page and the workbook show them: (key, glossary key, kind)
FIGURES = (
    ("posts", "campaign_posts", "count"),
    ("engagements", "campaign_engagements", "count"),
    ("reach", "campaign_reach", "count"),
    ("views", "campaign_views", "count"),
    ("new_authors", "campaign_new_authors", "count"),
    ("cost", "campaign_cost", "money"),
    ("cpe", "campaign_cpe", "money"),
    ("cpm", "campaign_cpm", "money"),
    ("cpv", "campaign_cpv", "money"),
    ("emv", "campaign_emv", "money"),
    ("roi", "campaign_roi", "ratio"),
)
SENTIMENT_LABELS = {"positive": _l("positive"), "neutral": _l("neutral"),
                    "negative": _l("negative"), "unknown": _l("unknown")}  # fmt: skip
# the relationship manager's ad-marking warnings, by code, in the reader's language
WARNINGS = {
    "no_erid": _l("published without an erid token"),
    "no_label": _l("the «Реклама» label is not checked"),
    "not_in_registry": _l(
        "the blogger is not in the registry of bloggers with over 10,000 subscribers"
    ),
    "registry_unknown": _l("nobody checked whether the blogger is in the registry of bloggers"),
    "two_campaigns": _l("the person is also in another running campaign"),
}


@dataclass
class ReportView:
    """What the report page and the workbook show."""

    campaign: crm.Campaign
    report: dict
    placements: list[dict]  # most engagements first, each with "person" and "warnings"
    missing: dict[str, str]  # figure key -> why it has no value

    @property
    def lift_days(self) -> dict:
        """The daily series split by phase: ``{"before": [...], "during": [...]}``."""
        rows = self.report["daily"]
        return {phase: [r for r in rows if r["phase"] == phase] for phase in ("before", "during")}


def report_view(workspace: Workspace, campaign_id: int, today: date | None = None) -> ReportView:
    """Return a campaign's report for its page (``NotFound`` for another workspace's)."""
    report = effectiveness.campaign_report(workspace, campaign_id, today)
    campaign = campaigns.get_campaign(workspace, campaign_id)
    records = {
        p.id: p
        for p in db.session.scalars(
            db.select(crm.Placement).where(crm.Placement.campaign_id == campaign.id)
        )
    }
    warnings = campaigns.placement_warnings(workspace, list(records.values()))
    rows = []
    for figures in report["per_placement"]:
        record = records[figures["id"]]
        rows.append(figures | {
            "person": record.person.name if record.person else None,
            "warnings": [str(WARNINGS.get(w["code"], w["message"])) for w in warnings[record.id]],
        })  # fmt: skip
    rows.sort(key=lambda row: (-row["engagements"], -row["posts"], row["id"]))
    return ReportView(campaign, report, rows, missing_reasons(report))


def missing_reasons(report: dict) -> dict[str, str]:
    """Say, in plain words, why each figure without a value has none."""
    why = {}
    if report["views"] is None:
        why["views"] = _("no attributed post has its views reported")
    if report["cpe"] is None:
        why["cpe"] = _("no cost yet") if not report["cost"] else _("no engagements yet")
    if report["cpm"] is None:
        why["cpm"] = _("no cost yet") if not report["cost"] else _("no reach: no follower counts")
    if report["cpv"] is None:
        why["cpv"] = _("no cost yet") if not report["cost"] else _("no views reported")
    if report["emv"] is None:
        why["emv"] = _("no EMV rates set: a manager sets them in the advocacy settings")
    if report["roi"] is None:
        why["roi"] = why.get("emv") or _("no cost yet")
    for key in ("lift", "people_lift"):
        lift = report[key]
        if lift["lift"] is None:
            why[key] = (_("the campaign has not started") if not lift["days"]
                        else _("no mentions in the days before"))  # fmt: skip
    return why


def chart_data(view: ReportView) -> dict:
    """Return the daily chart's data: day ``n`` of the days before beside day ``n`` of the
    campaign, and the campaign's people's mentions during it."""
    days = view.lift_days
    return {
        "labels": [_("day %(n)s", n=n) for n in range(1, len(days["during"]) + 1)],
        "series": {
            "before": [r["mentions"] for r in days["before"]],
            "during": [r["mentions"] for r in days["during"]],
            "people": [r["people"] for r in days["during"]],
        },
        "names": {
            "before": _("Before the campaign"),
            "during": _("During the campaign"),
            "people": _("The campaign's people, during"),
        },
    }


def report_xlsx(view: ReportView) -> bytes:
    """Return the report as an Excel workbook: the figures with their explanations, the
    days, and the placements (text never runs as a formula)."""
    report = view.report
    figures = [[_("Figure"), _("Value"), _("What it means")]]
    for key, term, _kind in FIGURES:
        title, text = glossary_entry(term)
        figures.append([title, report[key], text if report[key] is not None
                        else f"{text} — {view.missing.get(key, '')}"])  # fmt: skip
    for key, term in (("lift", "campaign_lift"), ("people_lift", "campaign_people_lift")):
        title, text = glossary_entry(term)
        lift = report[key]
        figures.append([title, lift["lift"], text if lift["lift"] is not None
                        else f"{text} — {view.missing.get(key, '')}"])  # fmt: skip
        figures.append([f"{title}: {_('days counted')}", lift["days"], ""])
        figures.append([f"{title}: {_('mentions a day before')}", lift["before_per_day"], ""])
        figures.append([f"{title}: {_('mentions a day during')}", lift["during_per_day"], ""])
    for label, count in report["sentiment"].items():
        figures.append([f"{_('Sentiment')}: {SENTIMENT_LABELS.get(label, label)}", count, ""])
    days = [[_("Day"), _("Phase"), _("Brand mentions"), _("Mentions by the campaign's people")]]
    phases = {"before": _("before"), "during": _("during")}
    for row in report["daily"]:
        days.append([row["day"], phases[row["phase"]], row["mentions"], row["people"]])
    placements = [[
        _("Person"), _("Platform"), _("Deliverable"), _("Status"), _("Cost"), _("Posts"),
        _("Engagements"), _("Reach"), _("Views"), _("CPE"), _("CPM"), _("CPV"), _("EMV"), _("ROI"), "erid",
        _("«Реклама» label checked"), _("Post linked"), _("Ad-marking warnings"),
    ]]  # fmt: skip
    for p in view.placements:
        placements.append([
            p["person"] or _("erased person"), p["platform"], p["deliverable"], p["status"],
            p["cost"], p["posts"], p["engagements"], p["reach"], p["views"], p["cpe"], p["cpm"],
            p["cpv"], p["emv"], p["roi"], p["erid"], _("yes") if p["label_checked"] else _("no"),
            _("yes") if p["post_linked"] else _("no"), "; ".join(p["warnings"]),
        ])  # fmt: skip
    header = [[_("Campaign"), view.campaign.name], [_("From"), report["from"]],
              [_("To"), report["to"]], []]  # fmt: skip
    return workbook([
        (_("Figures"), header + figures),
        (_("Mentions by day"), days),
        (_("Placements"), placements),
    ])  # fmt: skip


def xlsx_name(workspace: Workspace, view: ReportView) -> str:
    """Return the workbook's download name."""
    return f"{workspace.slug}-campaign-{view.campaign.id}-report.xlsx"


