"""/v1/workshops over real HTTP against a real database."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api, walk_pages


def create(api: Api, **body: Any) -> Any:
    body = {"slug": "intro-to-sql", "title": "Introduction to SQL", **body}
    return api.client.post("/v1/workshops", json=body)


def test_create_answers_201_with_location_and_etag(api: Api) -> None:
    response = create(api, capacity=12, description="Joins and groups")
    assert response.status_code == 201
    body = response.json()
    assert body["id"].startswith("ws_") and len(body["id"]) == 27
    assert response.headers["location"] == f"/v1/workshops/{body['id']}"
    assert response.headers["etag"].startswith('"')
    assert body["status"] == "draft" and body["capacity"] == 12
    fetched = api.client.get(response.headers["location"])
    assert fetched.status_code == 200
    assert fetched.json()["slug"] == "intro-to-sql"
    assert fetched.headers["etag"] == response.headers["etag"]


def test_get_carries_counts(api: Api, workshop: dict[str, Any]) -> None:
    with api.db() as db:
        for n, role in enumerate(["owner", "participant", "participant"]):
            db.execute(
                "insert into workshop_member (id, workshop_id, email, display_name, role) values (%s, %s, %s, 'X', %s)",
                (f"wm_{n:024d}", workshop["id"], f"p{n}@example.com", role),
            )
        db.execute(
            "insert into workshop_step (id, workshop_id, position, title) values (%s, %s, 1, 'One')",
            ("wst_" + "a" * 24, workshop["id"]),
        )
    body = api.client.get(f"/v1/workshops/{workshop['id']}").json()
    assert (body["step_count"], body["member_count"], body["participant_count"]) == (1, 3, 2)


def test_duplicate_slug_is_409_naming_the_field(api: Api) -> None:
    assert create(api).status_code == 201
    response = create(api, title="Another")
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["errors"] == [{"field": "slug", "message": "a workshop with this slug exists"}]
    with api.db() as db:
        assert db.execute("select count(*) from workshop").fetchone() == (1,)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"slug": "Not A Slug"}, "slug"),
        ({"slug": "a" * 65}, "slug"),
        ({"slug": "double--hyphen"}, "slug"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": "ten"}, "capacity"),
        ({"status": "live"}, "status"),
        ({"description": "d" * 10_001}, "description"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"starts_at": "2026-12-01T10:00:00"}, "starts_at"),
        ({"surprise": True}, "surprise"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_changes_nothing(api: Api, body: dict[str, Any], field: str) -> None:
    response = create(api, **body)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["status"] == 422 and problem["type"].endswith("/validation")
    assert field in [e["field"] for e in problem["errors"]]
    with api.db() as db:
        assert db.execute("select count(*) from workshop").fetchone() == (0,)


@pytest.mark.parametrize(
    "raw", [b"{not json", b"[]", b'"a string"', b"null", b"", b"\xff\xfe", b'{"slug": "x", "title": "\x00"}']
)
def test_malformed_bodies_are_4xx_never_500(api: Api, raw: bytes) -> None:
    response = api.client.post("/v1/workshops", content=raw, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "path",
    [
        "/v1/workshops/ws_short",
        "/v1/workshops/wm_" + "a" * 24,
        "/v1/workshops/ws_" + "a" * 24,
        "/v1/workshops/' or 1=1 --",
        "/v1/workshops/%00",
        "/v1/workshops/" + "ws_" + "A" * 24,
    ],
)
def test_wrong_ids_are_404_problems(api: Api, path: str) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        response = api.client.request(method, path, json={} if method == "PATCH" else None)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["type"].endswith("/not-found")


def test_injection_shaped_strings_are_stored_verbatim(api: Api) -> None:
    title = "Robert'); drop table workshop; --"
    response = create(api, title=title)
    assert response.status_code == 201
    found = api.client.get("/v1/workshops", params={"q": "'); drop"}).json()["items"]
    assert [w["title"] for w in found] == [title]


def test_list_filters_by_status_and_q(api: Api) -> None:
    create(api, slug="sql-basics", title="SQL Basics", status="published")
    create(api, slug="python-intro", title="Intro to Python")
    create(api, slug="rust-intro", title="Rust: 100% safe_code", status="archived")

    def slugs(**params: Any) -> list[str]:
        response = api.client.get("/v1/workshops", params=params)
        assert response.status_code == 200, response.text
        return sorted(w["slug"] for w in response.json()["items"])

    assert slugs(status="published") == ["sql-basics"]
    assert slugs(q="INTRO") == ["python-intro", "rust-intro"]
    assert slugs(q="sql") == ["sql-basics"]
    assert slugs(q="100%") == ["rust-intro"]
    assert slugs(q="%") == ["rust-intro"]  # a literal percent sign, not a wildcard
    assert slugs(q="_") == ["rust-intro"]  # a literal underscore, not "any one character"
    assert api.client.get("/v1/workshops", params={"status": "live"}).status_code == 422


def test_pages_walk_every_row_once_even_while_rows_are_inserted(api: Api) -> None:
    for n in range(25):
        create(api, slug=f"w-{n:02d}", title=f"Workshop {n}")
    items, pages = walk_pages(
        api.client, "/v1/workshops", 7, lambda page: page == 2 and create(api, slug="late", title="Mid-walk")
    )
    seen = [w["slug"] for w in items]
    assert len(seen) == len(set(seen))
    assert set(seen) >= {f"w-{n:02d}" for n in range(25)}
    assert pages == 4


@pytest.mark.parametrize("cursor", ["garbage", "e30", "WyJ4IiwgMV0", "!!!"])
def test_bad_cursor_is_400_naming_cursor(api: Api, cursor: str) -> None:
    response = api.client.get("/v1/workshops", params={"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "cursor"


@pytest.mark.parametrize("limit", ["0", "101", "-1", "abc"])
def test_limit_out_of_range_is_4xx(api: Api, limit: str) -> None:
    response = api.client.get("/v1/workshops", params={"limit": limit})
    assert response.status_code in (400, 422)
    assert "limit" in response.text


def test_patch_merges_and_null_clears_nullable_fields(api: Api) -> None:
    created = create(api, capacity=5, starts_at="2026-12-01T10:00:00Z").json()
    url = f"/v1/workshops/{created['id']}"
    response = api.client.patch(url, json={"title": "Renamed", "capacity": None})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["title"] == "Renamed" and body["capacity"] is None
    assert body["starts_at"] == "2026-12-01T10:00:00Z" and body["slug"] == created["slug"]
    assert body["updated_at"] > created["updated_at"]


def test_patch_null_on_required_field_and_unknown_field_are_422(api: Api) -> None:
    created = create(api).json()
    url = f"/v1/workshops/{created['id']}"
    assert api.client.patch(url, json={"title": None}).json()["errors"][0]["field"] == "title"
    assert api.client.patch(url, json={"colour": "red"}).status_code == 422
    assert api.client.get(url).json()["title"] == created["title"]


def test_patch_with_stale_if_match_is_412_and_current_one_passes(api: Api) -> None:
    response = create(api)
    url = response.headers["location"]
    etag = response.headers["etag"]
    first = api.client.patch(url, json={"title": "One"}, headers={"If-Match": etag})
    assert first.status_code == 200
    assert first.headers["etag"] != etag
    stale = api.client.patch(url, json={"title": "Two"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert api.client.get(url).json()["title"] == "One"
    fresh = api.client.patch(url, json={"title": "Two"}, headers={"If-Match": first.headers["etag"]})
    assert fresh.status_code == 200


def test_lowering_capacity_below_participants_is_409(api: Api, workshop: dict[str, Any]) -> None:
    with api.db() as db:
        for n in range(3):
            db.execute(
                "insert into workshop_member (id, workshop_id, email, display_name) values (%s, %s, %s, 'P')",
                (f"wm_{n:024d}", workshop["id"], f"p{n}@example.com"),
            )
    url = f"/v1/workshops/{workshop['id']}"
    response = api.client.patch(url, json={"capacity": 2})
    assert response.status_code == 409
    assert response.json()["type"].endswith("capacity-below-participants")
    assert api.client.patch(url, json={"capacity": 3}).status_code == 200


def test_patch_to_taken_slug_is_409(api: Api) -> None:
    create(api, slug="taken")
    other = create(api, slug="free").json()
    response = api.client.patch(f"/v1/workshops/{other['id']}", json={"slug": "taken"})
    assert response.status_code == 409


def test_delete_removes_everything_under_it(api: Api, workshop: dict[str, Any]) -> None:
    with api.db() as db:
        db.execute(
            "insert into workshop_member (id, workshop_id, email, display_name) values (%s, %s, 'a@b.co', 'A')",
            ("wm_" + "b" * 24, workshop["id"]),
        )
    url = f"/v1/workshops/{workshop['id']}"
    assert api.client.delete(url).status_code == 204
    assert api.client.get(url).status_code == 404
    assert api.client.delete(url).status_code == 404
    with api.db() as db:
        assert db.execute("select count(*) from workshop_member").fetchone() == (0,)


def test_nul_character_is_422_naming_the_field(api: Api) -> None:
    response = create(api, title="bad\u0000title")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "title"


def test_cursor_without_timezone_is_refused(api: Api) -> None:
    import base64
    import json

    naive = base64.urlsafe_b64encode(json.dumps(["2026-01-01T00:00:00", "ws_x"]).encode()).decode().rstrip("=")
    assert api.client.get("/v1/workshops", params={"cursor": naive}).status_code == 400


@pytest.mark.parametrize(
    "body", [{"starts_at": -10000000.0}, {"starts_at": 1700000000}, {"capacity": True}, {"capacity": 2.0}]
)
def test_json_types_are_not_coerced(api: Api, body: dict[str, Any]) -> None:
    response = create(api, **body)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == next(iter(body))
