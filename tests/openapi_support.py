"""Checking real API responses against /api/v1/openapi.json (tests share this)."""

from __future__ import annotations

import jsonschema


def validate(document: dict, path: str, method: str, response) -> None:
    """Validate a response's JSON against the document's schema for its path and status."""
    operation = document["paths"][path][method.lower()]
    assert str(response.status_code) in operation["responses"], (path, method, response.status_code)
    content = operation["responses"][str(response.status_code)].get("content")
    if content is None:
        assert not response.get_data(), (path, method)
        return
    schema = dict(content["application/json"]["schema"], components=document["components"])
    jsonschema.Draft202012Validator(schema).validate(response.get_json())
