"""/health, /ready and the unknown: routes that do not exist, methods that are not allowed."""

from __future__ import annotations

from tests.conftest import Api


def test_ready_reports_applied_migrations(api: Api) -> None:
    response = api.anonymous.get("/ready")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"


def test_ready_is_503_while_a_migration_is_pending(api: Api) -> None:
    with api.db() as db:
        db.execute("delete from schema_migrations")
    response = api.anonymous.get("/ready")
    assert response.status_code == 503
    assert response.headers["retry-after"]
    assert response.json()["pending"]


def test_unknown_route_and_method_are_problems(api: Api) -> None:
    missing = api.client.get("/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    wrong = api.client.put("/v1/workshops")
    assert wrong.status_code == 405
    assert wrong.headers["content-type"].startswith("application/problem+json")


def test_openapi_describes_workshops_with_problem_responses(api: Api) -> None:
    document = api.anonymous.get("/schema/openapi.json").json()
    assert "/v1/workshops" in document["paths"]
    assert "/v1/workshops/{workshop_id}" in document["paths"]
    post = document["paths"]["/v1/workshops"]["post"]
    assert "201" in post["responses"]
    assert "bearer" in document["components"]["securitySchemes"]
