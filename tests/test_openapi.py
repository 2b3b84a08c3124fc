"""The OpenAPI document describes every route, its bodies, its answers and its problems."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api

METHODS = ("get", "post", "patch", "put", "delete")


@pytest.fixture
def document(api: Api) -> dict[str, Any]:
    response = api.anonymous.get("/schema/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_every_route_of_the_spec_is_documented(document: dict[str, Any]) -> None:
    documented = {f"{m} {p}" for m, p, _ in operations(document)}
    expected = {
        "POST /v1/workshops", "GET /v1/workshops", "GET /v1/workshops/{workshop_id}",
        "PATCH /v1/workshops/{workshop_id}", "DELETE /v1/workshops/{workshop_id}",
        "GET /v1/workshops/{workshop_id}/progress",
        "POST /v1/workshops/{workshop_id}/members", "GET /v1/workshops/{workshop_id}/members",
        "GET /v1/workshops/{workshop_id}/members/{member_id}",
        "PATCH /v1/workshops/{workshop_id}/members/{member_id}",
        "DELETE /v1/workshops/{workshop_id}/members/{member_id}",
        "POST /v1/workshops/{workshop_id}/steps", "GET /v1/workshops/{workshop_id}/steps",
        "GET /v1/workshops/{workshop_id}/steps/{step_id}", "PATCH /v1/workshops/{workshop_id}/steps/{step_id}",
        "DELETE /v1/workshops/{workshop_id}/steps/{step_id}",
        "POST /v1/workshops/{workshop_id}/sessions", "GET /v1/workshops/{workshop_id}/sessions",
        "GET /v1/sessions/{session_id}", "POST /v1/sessions/{session_id}/advance",
        "POST /v1/sessions/{session_id}/complete", "POST /v1/sessions/{session_id}/abandon",
        "POST /v1/sessions/{session_id}/build-packs", "GET /v1/workshops/{workshop_id}/build-packs",
        "GET /v1/build-packs/{build_pack_id}", "PATCH /v1/build-packs/{build_pack_id}",
        "DELETE /v1/build-packs/{build_pack_id}", "POST /v1/build-packs/{build_pack_id}/finalize",
        "GET /health", "GET /ready",
    }  # fmt: skip
    assert expected <= documented, sorted(expected - documented)


def test_every_v1_operation_documents_its_problems(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        if not path.startswith("/v1"):
            continue
        responses = operation["responses"]
        assert any(code.startswith("2") for code in responses), (method, path)
        for status in ("400", "401", "403", "422", "503"):
            assert status in responses, (method, path, status)
        for status, response in responses.items():
            if not status.startswith("2"):
                content = response["content"]
                assert list(content) == ["application/problem+json"], (method, path, status)
                assert content["application/problem+json"]["schema"]["$ref"].endswith("/Problem")
        assert operation.get("security") == [{"bearer": []}], (method, path)


def test_bodies_carry_constraints_and_examples(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    create = schemas["WorkshopCreate"]
    assert create["properties"]["slug"]["pattern"] == "^[a-z0-9]+(-[a-z0-9]+)*$"
    assert create["properties"]["slug"]["maxLength"] == 64
    for name in ("WorkshopCreate", "WorkshopUpdate", "MemberCreate", "StepUpdate", "BuildPackUpdate", "SessionCreate"):
        assert schemas[name]["additionalProperties"] is False, name  # unknown fields are a 422
    assert "additionalProperties" not in schemas["Workshop"]
    # Optional fields keep their bounds: a merge patch is validated as strictly as a create.
    slug = next(b for b in schemas["WorkshopUpdate"]["properties"]["slug"]["oneOf"] if b["type"] == "string")
    assert slug["pattern"] == "^[a-z0-9]+(-[a-z0-9]+)*$"
    position = next(b for b in schemas["StepUpdate"]["properties"]["position"]["oneOf"] if b["type"] == "integer")
    assert (position["minimum"], position["maximum"]) == (1, 500)
    capacity = next(b for b in schemas["WorkshopCreate"]["properties"]["capacity"]["oneOf"] if b["type"] == "integer")
    assert capacity["minimum"] == 1
    assert "examples" in create["properties"]["slug"]
    problem = schemas["Problem"]
    assert {"type", "title", "status", "detail", "errors"} <= set(problem["properties"])


def test_write_routes_with_bodies_document_them(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        if (
            method in ("POST", "PATCH")
            and path.startswith("/v1")
            and not path.endswith(("/advance", "/complete", "/abandon", "/finalize"))
        ):
            assert "requestBody" in operation, (method, path)
