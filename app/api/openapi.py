"""The API's OpenAPI 3.1 document, served at ``/api/v1/openapi.json`` (no token needed).

Schemas are JSON Schema 2020-12 (what OpenAPI 3.1 uses); a test validates real responses
against them, so the document cannot drift from what the API answers.
"""

from __future__ import annotations

from flask import jsonify

from app.api import bp
from app.crm import models as crm_models
from app.crm.services.timeline import KINDS

STR = {"type": "string"}
INT = {"type": "integer"}
NUM = {"type": "number"}
BOOL = {"type": "boolean"}
DATE = {"type": ["string", "null"], "format": "date"}
TIME = {"type": "string", "format": "date-time"}


def nullable(schema: dict) -> dict:
    """Return ``schema`` that also allows null."""
    kind = schema.get("type")
    if kind is None:
        return {"anyOf": [schema, {"type": "null"}]}
    kinds = kind if isinstance(kind, list) else [kind]
    return {**schema, "type": [*kinds, "null"]} if "null" not in kinds else schema


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict, required=(), extra: bool = True) -> dict:
    schema = {"type": "object", "properties": properties, "required": list(required)}
    if not extra:
        schema["additionalProperties"] = False
    return schema


def listing(item: str) -> dict:
    return obj({"items": {"type": "array", "items": ref(item)}, "page": INT, "per_page": INT,
                "total": INT}, ["items", "page", "per_page", "total"])  # fmt: skip


WARNING = obj({"code": STR, "message": STR}, ["code", "message"])
ACCOUNT = obj({"id": INT, "platform": STR, "handle": STR, "author_id": nullable(INT)},
              ["id", "platform", "handle", "author_id"])  # fmt: skip
TOTALS = obj({
    "placements": INT, "by_status": {"type": "object", "additionalProperties": INT},
    "fees": NUM, "gifts": NUM, "spent": NUM, "left": nullable(NUM),
}, ["placements", "by_status", "fees", "gifts", "spent", "left"])  # fmt: skip

SCHEMAS = {
    "Error": obj(
        {
            "error": obj(
                {"code": STR, "message": STR, "field": nullable(STR)}, ["code", "message", "field"]
            )
        },
        ["error"],
    ),  # fmt: skip
    "Person": obj(
        {
            "id": INT,
            "name": STR,
            "organisation": STR,
            "email": STR,
            "phone": STR,
            "city": STR,
            "language": STR,
            "tags": {"type": "array", "items": STR},
            "owner_id": nullable(INT),
            "notes": STR,
            "why_they_matter": STR,
            "legal_name": STR,
            "inn": STR,
            "registry_status": {"enum": list(crm_models.REGISTRY_STATUSES)},
            "registry_checked_on": DATE,
            "stage": {"enum": list(crm_models.STAGES)},
            "stage_changed_at": nullable(TIME),
            "cadence_days": nullable(INT),
            "effective_cadence_days": nullable(INT),
            "last_touch_at": nullable(TIME),
            "last_touch_direction": {"enum": [*crm_models.DIRECTIONS, None]},
            "next_touch_due": nullable(TIME),
            "due": {"enum": ["never", "none", "overdue", "soon", "ok"]},
            "due_level": {"enum": ["yellow", "red", None]},
            "accounts": {"type": "array", "items": ACCOUNT},
            "created_at": TIME,
            "updated_at": TIME,
            "version": INT,
        },
        [
            "id",
            "name",
            "accounts",
            "stage",
            "tags",
            "cadence_days",
            "last_touch_at",
            "next_touch_due",
            "version",
        ],
    ),  # fmt: skip
    "PersonInput": obj(
        {
            "name": STR,
            "accounts": {
                "type": "array",
                "items": obj({"platform": STR, "handle": STR}, ["platform", "handle"]),
            },
            "tags": {"type": "array", "items": STR},
            "cadence_days": nullable(INT),
            "owner_id": nullable(INT),
            "email": STR,
            "notes": STR,
            "organisation": STR,
            "phone": STR,
            "city": STR,
            "language": STR,
            "why_they_matter": STR,
            "legal_name": STR,
            "inn": STR,
            "registry_status": STR,
            "registry_checked_on": DATE,
            "stage": STR,
            "version": INT,
        }
    ),  # fmt: skip
    "Touch": obj(
        {
            "id": INT,
            "person_id": INT,
            "channel": {"enum": list(crm_models.CHANNELS)},
            "direction": {"enum": list(crm_models.DIRECTIONS)},
            "at": TIME,
            "note": STR,
            "template_id": nullable(INT),
            "by_id": nullable(INT),
        },
        ["id", "channel", "direction", "at", "note", "template_id"],
    ),  # fmt: skip
    "TouchInput": obj(
        {
            "channel": {"enum": list(crm_models.CHANNELS)},
            "direction": {"enum": list(crm_models.DIRECTIONS)},
            "at": TIME,
            "note": STR,
            "template_id": nullable(INT),
        },
        ["channel"],
    ),  # fmt: skip
    "TimelineEntry": obj({"kind": {"enum": list(KINDS)}, "at": TIME}, ["kind", "at"]),
    "Task": obj(
        {
            "id": INT,
            "person_id": INT,
            "title": STR,
            "due_on": DATE,
            "assignee_id": nullable(INT),
            "done_at": nullable(TIME),
            "created_at": TIME,
        },
        ["id", "person_id", "title", "due_on"],
    ),  # fmt: skip
    "Campaign": obj(
        {
            "id": INT,
            "name": STR,
            "goal": STR,
            "start": DATE,
            "end": DATE,
            "budget": nullable(NUM),
            "tags": {"type": "array", "items": STR},
            "links": {"type": "array", "items": STR},
            "promo_codes": {"type": "array", "items": STR},
            "running": BOOL,
            "totals": TOTALS,
            "created_at": TIME,
            "updated_at": TIME,
            "version": INT,
        },
        ["id", "name", "goal", "start", "end", "budget", "tags", "links", "promo_codes", "version"],
    ),  # fmt: skip
    "CampaignInput": obj(
        {
            "name": STR,
            "goal": STR,
            "start": DATE,
            "end": DATE,
            "budget": nullable(NUM),
            "tags": {"type": "array", "items": STR},
            "links": {"type": "array", "items": STR},
            "promo_codes": {"type": "array", "items": STR},
            "version": INT,
        }
    ),
    "Placement": obj(
        {
            "id": INT,
            "campaign_id": INT,
            "person_id": nullable(INT),
            "person": nullable(STR),
            "platform": STR,
            "deliverable": {"enum": list(crm_models.DELIVERABLES)},
            "planned_at": DATE,
            "fee": nullable(NUM),
            "gift_value": nullable(NUM),
            "status": {"enum": list(crm_models.PLACEMENT_STATUSES)},
            "post_url": STR,
            "post_id": STR,
            "mention_id": nullable(INT),
            "contract_number": STR,
            "contract_date": DATE,
            "erid": STR,
            "label_checked": BOOL,
            "act": STR,
            "warnings": {"type": "array", "items": WARNING},
            "created_at": TIME,
            "updated_at": TIME,
            "version": INT,
        },
        [
            "id",
            "campaign_id",
            "person_id",
            "platform",
            "deliverable",
            "planned_at",
            "fee",
            "gift_value",
            "status",
            "erid",
            "warnings",
            "version",
        ],
    ),  # fmt: skip
    "PlacementInput": obj(
        {
            "person_id": INT,
            "platform": STR,
            "deliverable": {"enum": list(crm_models.DELIVERABLES)},
            "planned_at": DATE,
            "fee": nullable(NUM),
            "gift_value": nullable(NUM),
            "erid": STR,
            "status": {"enum": list(crm_models.PLACEMENT_STATUSES)},
            "post_url": STR,
            "post_id": STR,
            "contract_number": STR,
            "contract_date": DATE,
            "label_checked": BOOL,
            "act": STR,
            "version": INT,
        }
    ),  # fmt: skip
    "Template": obj(
        {"id": INT, "name": STR, "channel": STR, "body": STR, "updated_at": TIME},
        ["id", "name", "channel", "body"],
    ),  # fmt: skip
    "AuditEntry": obj(
        {
            "action": {"enum": list(crm_models.AUDIT_ACTIONS)},
            "at": TIME,
            "user_id": nullable(INT),
            "person_id": nullable(INT),
            "detail": {"type": "object"},
        },
        ["action", "at"],
    ),  # fmt: skip
    "CadenceResult": obj(
        {"tag": STR, "cadence_days": nullable(INT), "people_changed": INT},
        ["tag", "cadence_days", "people_changed"],
    ),
    "RenderedTemplate": obj(
        {"text": STR, "placeholders": {"type": "object", "additionalProperties": STR}},
        ["text", "placeholders"],
    ),
    "Suggestion": obj(
        {
            "author_id": INT,
            "platform": STR,
            "handle": STR,
            "name": nullable(STR),
            "followers": nullable(INT),
        },
        ["author_id", "platform", "handle"],
    ),
}
for name in ("Person", "Campaign", "Placement", "Touch", "Template", "Task", "TimelineEntry",
             "AuditEntry"):  # fmt: skip
    SCHEMAS[f"{name}List"] = listing(name)

ERRORS = {
    str(code): {"description": text, "content": {"application/json": {"schema": ref("Error")}}}
    for code, text in (  # fmt: skip
        (400, "a query parameter or the body cannot be read (`field` names the parameter)"),
        (401, "no valid token"),
        (403, "the role does not allow this"),
        (404, "no such record (or workspace) of yours"),
        (409, "changed by someone else since you read it: reload, then try again"),
        (422, "a value that cannot be stored (`field` names it)"),
    )
}


def answer(status: int, schema: str | None, description: str = "done") -> dict:
    response = {"description": description}
    if schema:
        response["content"] = {"application/json": {"schema": ref(schema)}}
    return {str(status): response, **ERRORS}


def param(name: str, description: str, schema: dict | None = None, where: str = "query",
          required: bool = False) -> dict:  # fmt: skip
    return {"name": name, "in": where, "description": description,
            "required": required or where == "path", "schema": schema or STR}  # fmt: skip


def body(schema: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": ref(schema)}}}


PAGE = [param("page", "page number from 1", INT), param("per_page", "1 to 100 (50)", INT)]
SLUG = param("slug", "the workspace", where="path")


def path_id(name: str) -> dict:
    return param(name, "an id", INT, where="path")


W = "/api/v1/workspaces/{slug}"
PATHS = {
    f"{W}/people": {
        "parameters": [SLUG],
        "get": {
            "summary": "List people",
            "parameters": [
                param("stage", "one stage", {"enum": list(crm_models.STAGES)}),
                param("tag", "a tag"),
                param("owner", "the owner's user id", INT),
                param("due", "keep-in-touch list", {"enum": ["soon", "overdue", "never"]}),
                param("q", "name, organisation, e-mail or handle contains"),
                param("not_contacted_days", "no touch in this many days", INT),
                *PAGE,
            ],
            "responses": answer(200, "PersonList"),
        },  # fmt: skip
        "post": {
            "summary": "Add a person",
            "requestBody": body("PersonInput"),
            "responses": answer(201, "Person"),
        },
    },
    f"{W}/people/{{person_id}}": {
        "parameters": [SLUG, path_id("person_id")],
        "get": {"summary": "A person", "responses": answer(200, "Person")},
        "patch": {
            "summary": "Change a person (send version: 409 if changed meanwhile)",
            "requestBody": body("PersonInput"),
            "responses": answer(200, "Person"),
        },
        "delete": {"summary": "Erase a person", "responses": answer(204, None)},
    },
    f"{W}/people/{{person_id}}/touches": {
        "parameters": [SLUG, path_id("person_id")],
        "get": {
            "summary": "A person's touches",
            "parameters": PAGE,
            "responses": answer(200, "TouchList"),
        },
        "post": {
            "summary": "Log a touch",
            "requestBody": body("TouchInput"),
            "responses": answer(201, "Touch"),
        },
    },
    f"{W}/people/{{person_id}}/stage": {
        "parameters": [SLUG, path_id("person_id")],
        "post": {
            "summary": "Move a person to a stage",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": obj(
                            {"stage": {"enum": list(crm_models.STAGES)}, "version": INT}, ["stage"]
                        )
                    }
                },
            },
            "responses": answer(200, "Person"),
        },  # fmt: skip
    },
    f"{W}/people/{{person_id}}/timeline": {
        "parameters": [SLUG, path_id("person_id")],
        "get": {
            "summary": "A person's timeline, newest first",
            "parameters": [param("kind", "comma-separated kinds: " + ", ".join(KINDS)), *PAGE],
            "responses": answer(200, "TimelineEntryList"),
        },  # fmt: skip
    },
    f"{W}/people/{{person_id}}/accounts": {
        "parameters": [SLUG, path_id("person_id")],
        "post": {
            "summary": "Link an account",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": obj({"platform": STR, "handle": STR}, ["platform", "handle"])
                    }
                },
            },
            "responses": answer(201, "Person"),
        },  # fmt: skip
    },
    f"{W}/people/{{person_id}}/accounts/{{account_id}}": {
        "parameters": [SLUG, path_id("person_id"), path_id("account_id")],
        "delete": {"summary": "Unlink an account", "responses": answer(204, None)},
    },
    f"{W}/people/{{person_id}}/suggestions": {
        "parameters": [SLUG, path_id("person_id")],
        "get": {
            "summary": "Accounts that may be the same person",
            "responses": answer(200, None)
            | {
                "200": {
                    "description": "done",
                    "content": {
                        "application/json": {
                            "schema": obj(
                                {"items": {"type": "array", "items": ref("Suggestion")}}, ["items"]
                            )
                        }
                    },
                }
            },
        },  # fmt: skip
    },
    f"{W}/people/{{person_id}}/merge": {
        "parameters": [SLUG, path_id("person_id")],
        "post": {
            "summary": "Merge another person into this one",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": obj({"other_id": INT}, ["other_id"])}},
            },
            "responses": answer(200, "Person"),
        },
    },  # fmt: skip
    f"{W}/people/{{person_id}}/tasks": {
        "parameters": [SLUG, path_id("person_id")],
        "post": {
            "summary": "Add a task",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": obj(
                            {"title": STR, "due_on": DATE, "assignee_id": nullable(INT)}, ["title"]
                        )
                    }
                },
            },
            "responses": answer(201, "Task"),
        },  # fmt: skip
    },
    f"{W}/people/{{person_id}}/audit": {
        "parameters": [SLUG, path_id("person_id")],
        "get": {
            "summary": "Who viewed, changed, exported or erased a person",
            "parameters": PAGE,
            "responses": answer(200, "AuditEntryList"),
        },
    },
    f"{W}/cadences": {
        "parameters": [SLUG],
        "post": {
            "summary": "Set a tag's keep-in-touch cadence",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": obj({"tag": STR, "cadence_days": nullable(INT)}, ["tag"])
                    }
                },
            },
            "responses": answer(200, "CadenceResult"),
        },  # fmt: skip
    },
    f"{W}/campaigns": {
        "parameters": [SLUG],
        "get": {
            "summary": "List campaigns",
            "parameters": PAGE,
            "responses": answer(200, "CampaignList"),
        },
        "post": {
            "summary": "Start a campaign",
            "requestBody": body("CampaignInput"),
            "responses": answer(201, "Campaign"),
        },
    },
    f"{W}/campaigns/{{campaign_id}}": {
        "parameters": [SLUG, path_id("campaign_id")],
        "get": {"summary": "A campaign with its totals", "responses": answer(200, "Campaign")},
        "patch": {
            "summary": "Change a campaign",
            "requestBody": body("CampaignInput"),
            "responses": answer(200, "Campaign"),
        },
    },
    f"{W}/campaigns/{{campaign_id}}/placements": {
        "parameters": [SLUG, path_id("campaign_id")],
        "get": {
            "summary": "A campaign's placements",
            "parameters": [
                param("status", "one status", {"enum": list(crm_models.PLACEMENT_STATUSES)}),
                *PAGE,
            ],
            "responses": answer(200, "PlacementList"),
        },  # fmt: skip
        "post": {
            "summary": "Add a placement",
            "requestBody": body("PlacementInput"),
            "responses": answer(201, "Placement"),
        },
    },
    f"{W}/placements/{{placement_id}}": {
        "parameters": [SLUG, path_id("placement_id")],
        "get": {"summary": "A placement", "responses": answer(200, "Placement")},
        "patch": {
            "summary": "Change a placement (agents: status only)",
            "requestBody": body("PlacementInput"),
            "responses": answer(200, "Placement"),
        },
    },
    f"{W}/templates": {
        "parameters": [SLUG],
        "get": {
            "summary": "Outreach templates",
            "parameters": PAGE,
            "responses": answer(200, "TemplateList"),
        },
        "post": {
            "summary": "Add a template",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": obj({"name": STR, "channel": STR, "body": STR}, ["name", "body"])
                    }
                },
            },
            "responses": answer(201, "Template"),
        },  # fmt: skip
    },
    f"{W}/templates/{{template_id}}": {
        "parameters": [SLUG, path_id("template_id")],
        "patch": {
            "summary": "Change a template",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": obj({"name": STR, "channel": STR, "body": STR})}
                },
            },
            "responses": answer(200, "Template"),
        },  # fmt: skip
    },
    f"{W}/templates/{{template_id}}/render": {
        "parameters": [SLUG, path_id("template_id")],
        "get": {
            "summary": "A template filled for a person",
            "parameters": [
                param("person_id", "the person", INT, required=True),
                param("campaign_id", "the campaign", INT),
            ],
            "responses": answer(200, "RenderedTemplate"),
        },  # fmt: skip
    },
}

# ---------------------------------------------------------------- advocacy and effectiveness
# (app/advocacy/api.py, app/advocacy/effectiveness_api.py). Their errors carry no ``field``;
# a refused query parameter names it in ``parameter`` (and each in ``parameters``).


def period_list(key: str, item: str) -> dict:
    """The advocacy lists' shape: ``{period, total, <key>: [item, ...]}``."""
    return obj({"period": ref("Scope"), "total": INT, key: {"type": "array", "items": ref(item)}},
               ["period", "total", key])  # fmt: skip


NULL_NUM, NULL_INT, NULL_STR = nullable(NUM), nullable(INT), nullable(STR)
FIGURES = {
    "promoters": INT, "passives": INT, "detractors": INT, "score": NULL_NUM,
    "score_reach_weighted": NULL_NUM, "net_sentiment": NULL_NUM, "positive": INT,
    "neutral": INT, "negative": INT,
}  # fmt: skip
FIGURE_KEYS = ["promoters", "passives", "detractors", "score", "score_reach_weighted",
               "net_sentiment"]  # fmt: skip
PERIOD = {"from": DATE, "to": DATE, "timezone": STR}
LIFT = obj({"days": INT, "during_per_day": NULL_NUM, "before_per_day": NULL_NUM,
            "lift": NULL_NUM}, ["days", "during_per_day", "before_per_day", "lift"])  # fmt: skip
SENTIMENT_SPLIT = obj({k: INT for k in ("positive", "neutral", "negative", "unknown")},
                      ["positive", "neutral", "negative", "unknown"])  # fmt: skip
EFFECT = {
    "posts": INT, "engagements": INT, "reach": INT, "views": NULL_INT, "new_authors": INT,
    "sentiment": SENTIMENT_SPLIT, "cost": NUM, "cpe": NULL_NUM, "cpm": NULL_NUM,
    "cpv": NULL_NUM, "emv": NULL_NUM, "roi": NULL_NUM,
}  # fmt: skip
EFFECT_KEYS = list(EFFECT)

SCHEMAS.update({
    "ApiError": obj({"error": obj(
        {"code": STR, "message": STR, "field": NULL_STR, "parameter": NULL_STR,
         "parameters": {"type": "array", "items": obj({"parameter": STR, "message": STR},
                                                       ["parameter", "message"])}},
        ["code", "message"])}, ["error"]),
    "Period": obj(PERIOD, ["from", "to", "timezone"]),
    "Scope": obj({**PERIOD, "platform": NULL_STR, "topic": NULL_STR}, ["from", "to", "timezone"]),
    "AdvocacyFigures": obj({**FIGURES, "period": ref("Scope"), "groups": {
        "type": "array",
        "items": obj({**FIGURES, "start": DATE, "days": INT, "platform": STR, "topic": STR},
                     FIGURE_KEYS),
    }}, [*FIGURE_KEYS, "period"]),
    "AdvocacyPost": obj({"id": INT, "external_id": STR, "kind": STR, "created_at": STR,
                         "text": STR, "url": NULL_STR},
                        ["id", "external_id", "kind", "created_at", "text"]),
    "AdvocacyAuthor": obj({
        "author_id": INT, "handle": STR, "name": NULL_STR, "platform": STR,
        "followers": NULL_INT, "class": {"enum": ["promoter", "passive", "detractor"]},
        "net": NUM, "positive": INT, "neutral": INT, "negative": INT, "counted": INT,
        "role": NULL_STR, "best_score": NULL_NUM, "suspicious": BOOL,
        "posts": {"type": "array", "items": ref("AdvocacyPost")},
    }, ["author_id", "handle", "platform", "class", "net", "positive", "neutral", "negative",
        "counted", "best_score", "suspicious"]),
    "AdvocacyAuthorList": obj({
        "period": ref("Scope"), "class": {"enum": ["promoter", "passive", "detractor"]},
        "total": INT, "page": INT, "authors": {"type": "array", "items": ref("AdvocacyAuthor")},
    }, ["period", "class", "total", "page", "authors"]),
    "AdvocateList": period_list("advocates", "AdvocacyAuthor"),
    "DetractorList": period_list("detractors", "AdvocacyAuthor"),
    "ShareOfVoice": obj({
        "period": ref("Period"),
        "competitors": nullable({"type": "array", "items": STR}),
        "weeks": nullable({"type": "array", "items": obj(
            {"start": DATE, "brand": INT, "total": INT, "share": NULL_NUM,
             "brands": {"type": "object", "additionalProperties": INT}},
            ["start", "brand", "total", "share", "brands"])}),
    }, ["period", "competitors", "weeks"]),
    "Alert": obj({
        "id": INT, "kind": {"enum": ["spike", "influencer"]}, "workspace": STR,
        "starts_at": STR, "ends_at": STR, "negative_mentions": INT,
        "baseline_mean": NULL_NUM, "baseline_sd": NULL_NUM, "threshold": NULL_NUM,
        "author": nullable(obj({"id": INT, "platform": STR, "handle": STR,
                                "best_score": NULL_NUM}, ["id", "platform", "handle"])),
        "mention": nullable(obj({"id": INT, "external_id": STR, "url": NULL_STR, "text": STR,
                                 "created_at": STR}, ["id", "external_id", "text", "created_at"])),
        "mentions_path": STR, "created_at": STR, "acknowledged_at": NULL_STR,
        "delivery": {"enum": ["none", "queued", "sent", "failed"]}, "attempts": INT,
    }, ["id", "kind", "starts_at", "ends_at", "negative_mentions", "mentions_path",
        "acknowledged_at", "delivery"]),
    "AlertList": obj({"alerts": {"type": "array", "items": ref("Alert")}}, ["alerts"]),
    "CampaignReport": obj({
        "campaign_id": INT, "from": TIME, "to": TIME, **EFFECT, "lift": LIFT,
        "people_lift": LIFT,
        "per_placement": {"type": "array", "items": obj({
            "id": INT, "person_id": NULL_INT, "platform": STR, "deliverable": STR,
            "status": {"enum": list(crm_models.PLACEMENT_STATUSES)}, "erid": STR,
            "label_checked": BOOL, "post_linked": BOOL, **EFFECT,
        }, ["id", "person_id", "status", "post_linked", *EFFECT_KEYS])},
        "per_person": {"type": "array", "items": obj({"person_id": INT, **EFFECT},
                                                      ["person_id", *EFFECT_KEYS])},
        "daily": {"type": "array", "items": obj(
            {"day": DATE, "phase": {"enum": ["before", "during"]}, "mentions": INT,
             "people": INT}, ["day", "phase", "mentions", "people"])},
        "emv_rates_set": BOOL,
    }, ["campaign_id", "from", "to", *EFFECT_KEYS, "lift", "people_lift", "per_placement",
        "per_person", "daily", "emv_rates_set"]),
})  # fmt: skip

API_ERRORS = {
    str(code): {"description": text, "content": {"application/json": {"schema": ref("ApiError")}}}
    for code, text in (  # fmt: skip
        (400, "a query parameter cannot be read (`parameter` names it)"),
        (401, "no valid token"),
        (403, "the role does not allow this"),
        (404, "no such record (or workspace) of yours"),
    )
}


def api_answer(schema: str) -> dict:
    """A 200 answer with ``schema``, and the errors of the advocacy endpoints."""
    return {"200": {"description": "done",
                    "content": {"application/json": {"schema": ref(schema)}}}, **API_ERRORS}  # fmt: skip


SCOPE = [
    param("from", "first local day, YYYY-MM-DD (default: 90 days before `to`)", DATE),
    param("to", "last local day, YYYY-MM-DD (default: the newest mention's day)", DATE),
    param("tz", "IANA time zone of the days (default: the workspace's)"),
    param("platform", "one platform"),
    param("topic", "one topic (#tag or brand term)"),
]
LIMIT = param("limit", "1 to 500 (50)", INT)
PATHS.update({
    f"{W}/advocacy": {"parameters": [SLUG], "get": {
        "summary": "Promoters, passives, detractors, advocacy score (plain and reach-weighted) "
                   "and net sentiment of a period",
        "parameters": [*SCOPE, param("by", "adds `groups`", {"enum": ["week", "month",
                                                                    "platform", "topic"]})],
        "responses": api_answer("AdvocacyFigures"),
    }},
    f"{W}/advocacy/authors": {"parameters": [SLUG], "get": {
        "summary": "The period's authors of one class, most mentions counted first",
        "parameters": [*SCOPE, param("class", "promoter (default), passive or detractor",
                                     {"enum": ["promoter", "passive", "detractor"]}),
                       param("page", "page number from 1", INT),
                       param("per_page", "1 to 1000 (100)", INT)],
        "responses": api_answer("AdvocacyAuthorList"),
    }},
    f"{W}/advocates": {"parameters": [SLUG], "get": {
        "summary": "Advocates to recruit, best role score first, with their positive posts",
        "parameters": [*SCOPE, LIMIT], "responses": api_answer("AdvocateList"),
    }},
    f"{W}/advocacy/detractors": {"parameters": [SLUG], "get": {
        "summary": "Detractors to win back, best role score first, with their negative posts",
        "parameters": [*SCOPE, LIMIT], "responses": api_answer("DetractorList"),
    }},
    f"{W}/advocacy/share-of-voice": {"parameters": [SLUG], "get": {
        "summary": "Share of voice by week (`weeks` null without tracked competitors)",
        "parameters": SCOPE[:3], "responses": api_answer("ShareOfVoice"),
    }},
    f"{W}/alerts": {"parameters": [SLUG], "get": {
        "summary": "Crisis alerts, newest first",
        "parameters": [param("status", "open (default) or all", {"enum": ["open", "all"]}),
                       param("limit", "1 to 1000 (100)", INT)],
        "responses": api_answer("AlertList"),
    }},
    f"{W}/alerts/{{alert_id}}/ack": {"parameters": [SLUG, path_id("alert_id")], "post": {
        "summary": "Acknowledge an alert (agents and above)", "responses": api_answer("Alert"),
    }},
    f"{W}/campaigns/{{campaign_id}}/report": {"parameters": [SLUG, path_id("campaign_id")], "get": {
        "summary": "What a campaign brought for its cost: posts, engagements, reach, views, new "
                   "authors, cost, CPE, CPM, CPV, EMV, ROI, lift (null where a ratio has no "
                   "denominator), per placement and person, and brand mentions per day",
        "responses": api_answer("CampaignReport"),
    }},
})  # fmt: skip

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Influence CRM API",
        "version": "1",
        "description": "Token auth: `Authorization: Bearer <token>` (from the account page or "
        "`flask --app wsgi tokens create`). The relationship manager's lists answer "
        "`{items, page, per_page, total}`, advocacy's `{period, total, <name>: [...]}`; "
        "errors `{error: {code, message, field}}` (a refused query parameter: `parameter`).",
    },  # fmt: skip
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
    },
    "security": [{"token": []}],
    "paths": PATHS,
}


@bp.get("/openapi.json")
def openapi_document():
    """Answer with the API's OpenAPI 3.1 document."""
    return jsonify(DOCUMENT)
