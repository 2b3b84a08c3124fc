"""The OpenAPI document's shared parts: the bearer scheme and the problem responses."""

from __future__ import annotations

from litestar import Litestar
from litestar.openapi import OpenAPIConfig
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.openapi.spec import Components, Reference, SecurityScheme

from service.models.common import Body, Problem

__all__ = ["OPENAPI_CONFIG", "document_closed_bodies", "problems"]

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


def _bodies(cls: type[Body] = Body) -> set[str]:
    names: set[str] = set()
    for sub in cls.__subclasses__():
        names |= {sub.__name__} | _bodies(sub)
    return names


def document_closed_bodies(app: Litestar) -> None:
    """Say in the document what the models do: request bodies refuse unknown fields (422).

    Litestar's schema for a pydantic model leaves `additionalProperties` out, which
    reads as "anything more is welcome"; run at start-up, once the routes are known.
    """
    schemas = app.openapi_schema.components.schemas or {}
    for name in _bodies() & set(schemas):
        schema = schemas[name]
        if not isinstance(schema, Reference):
            schema.additional_properties = False
