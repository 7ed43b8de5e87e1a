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

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Influence CRM API",
        "version": "1",
        "description": "Token auth: `Authorization: Bearer <token>` (from the account page or "
        "`flask --app wsgi tokens create`). Lists answer `{items, page, per_page, "
        "total}`; errors `{error: {code, message, field}}`.",
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
