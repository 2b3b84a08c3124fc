"""The OpenAPI document's shared parts: the bearer scheme and the problem responses."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.openapi import OpenAPIConfig
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.openapi.spec import Components, Reference, Schema, SecurityScheme

from service.models.common import Body, Problem

__all__ = ["OPENAPI_CONFIG", "document_bodies", "problems"]

_MEANINGS = {
    400: "Malformed request (JSON that does not parse, a cursor this service did not issue)",
    401: "No API key, or an unknown or revoked one (see WWW-Authenticate)",
    403: "The key's scope does not allow this (read keys cannot write)",
    404: "No such resource (ids of the wrong prefix or shape name nothing)",
    409: "Conflicts with the current state (duplicate, capacity, ended session, final pack)",
    412: "If-Match names an older version: GET it again",
    422: "Invalid input; `errors` names each field",
    428: "If-Match is required here",
    503: "The database is not answering; retry after Retry-After seconds",
}
_EVERY_V1_ROUTE = (400, 401, 403, 422, 503)


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """Problem responses of a /v1 handler: its own, plus those every /v1 route may answer."""
    return {
        status: ResponseSpec(
            Problem, description=_MEANINGS[status], media_type="application/problem+json", generate_examples=False
        )
        for status in sorted({*statuses, *_EVERY_V1_ROUTE})
    }


OPENAPI_CONFIG = OpenAPIConfig(
    title="Atelier",
    version="1.0.0",
    description=(
        "Workshops, their members, ordered steps, participant sessions and build packs. "
        "Every /v1 route needs `Authorization: Bearer <API key>`; errors are RFC 9457 problems."
    ),
    path="/schema",
    render_plugins=[ScalarRenderPlugin()],
    components=Components(
        security_schemes={
            "bearer": SecurityScheme(
                type="http", scheme="bearer", description="An API key from `python -m service keys create`."
            )
        }
    ),
)


def _bodies(cls: type[Body] = Body) -> dict[str, type[Body]]:
    found: dict[str, type[Body]] = {}
    for sub in cls.__subclasses__():
        found[sub.__name__] = sub
        found.update(_bodies(sub))
    return found


# JSON Schema keyword -> attribute of Litestar's Schema. Behind a BeforeValidator
# pydantic leaves the bounds under their own names (ge, le, gt, lt).
_CONSTRAINTS = {
    "ge": "minimum",
    "le": "maximum",
    "gt": "exclusive_minimum",
    "lt": "exclusive_maximum",
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusiveMinimum": "exclusive_minimum",
    "exclusiveMaximum": "exclusive_maximum",
    "minLength": "min_length",
    "maxLength": "max_length",
    "pattern": "pattern",
}


def _constraints(field_schema: dict[str, Any]) -> dict[str, Any]:
    """The constraint keywords of a pydantic field schema, from its non-null branch if it has one."""
    branches = [b for b in field_schema.get("anyOf", [field_schema]) if b.get("type") != "null"]
    return {_CONSTRAINTS[k]: v for b in branches[:1] for k, v in b.items() if k in _CONSTRAINTS}


def document_bodies(app: Litestar) -> None:
    """Make the document say what the request models enforce, run once at start-up.

    Litestar's schema for a pydantic model leaves out `additionalProperties`
    (which then reads as "anything more is welcome", while unknown fields are a
    422), and drops the bounds of an optional constrained field (`Slug | None`
    loses its pattern). Both are filled in from pydantic's own JSON schema.
    """
    schemas = app.openapi_schema.components.schemas or {}
    for name, model in _bodies().items():
        schema = schemas.get(name)
        if schema is None or isinstance(schema, Reference):
            continue
        schema.additional_properties = False
        properties = model.model_json_schema()["properties"]
        for field, prop in (schema.properties or {}).items():
            if isinstance(prop, Reference) or field not in properties:
                continue
            for target in [b for b in prop.one_of or [prop] if isinstance(b, Schema) and b.type != "null"]:
                for attribute, value in _constraints(properties[field]).items():
                    if getattr(target, attribute) is None:
                        setattr(target, attribute, value)
