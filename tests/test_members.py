"""/v1/workshops/{workshop_id}/members over real HTTP against a real database."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api, walk_pages

MISSING_WS = "ws_" + "z" * 24
MISSING_WM = "wm_" + "z" * 24


def members_url(workshop_id: str) -> str:
    return f"/v1/workshops/{workshop_id}/members"


def join(api: Api, workshop_id: str, **body: Any) -> Any:
    body = {"email": "ada@example.com", "display_name": "Ada", **body}
    return api.client.post(members_url(workshop_id), json=body)


def new_workshop(api: Api, slug: str, capacity: int | None = None) -> dict[str, Any]:
    response = api.client.post("/v1/workshops", json={"slug": slug, "title": slug, "capacity": capacity})
    assert response.status_code == 201, response.text
    return dict(response.json())


def member_count(api: Api, workshop_id: str) -> int:
    with api.db() as db:
        row = db.execute("select count(*) from workshop_member where workshop_id = %s", (workshop_id,)).fetchone()
    assert row is not None
    return int(row[0])


def test_join_answers_201_with_location_and_etag(api: Api, workshop: dict[str, Any]) -> None:
    response = join(api, workshop["id"], email="Ada.Lovelace@Example.COM", display_name="Ada Lovelace")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"].startswith("wm_") and len(body["id"]) == 27
    assert body["workshop_id"] == workshop["id"]
    assert body["email"] == "Ada.Lovelace@Example.COM"  # stored as given
    assert body["role"] == "participant"
    assert response.headers["location"] == f"/v1/workshops/{workshop['id']}/members/{body['id']}"
    fetched = api.client.get(response.headers["location"])
    assert fetched.status_code == 200
    assert fetched.json() == body
    assert fetched.headers["etag"] == response.headers["etag"]
    assert api.client.get(f"/v1/workshops/{workshop['id']}").json()["participant_count"] == 1


@pytest.mark.parametrize("email", ["ada@example.com", "ADA@EXAMPLE.COM", "Ada@Example.Com"])
def test_duplicate_email_in_any_case_is_409_naming_email(api: Api, workshop: dict[str, Any], email: str) -> None:
    assert join(api, workshop["id"], email="ada@example.com").status_code == 201
    response = join(api, workshop["id"], email=email, role="facilitator")
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"].endswith("/duplicate")
    assert [e["field"] for e in problem["errors"]] == ["email"]
    assert member_count(api, workshop["id"]) == 1


def test_same_email_may_join_another_workshop(api: Api, workshop: dict[str, Any]) -> None:
    other = new_workshop(api, "other")
    assert join(api, workshop["id"]).status_code == 201
    assert join(api, other["id"]).status_code == 201


def test_joining_a_full_workshop_is_409_workshop_full_but_staff_still_join(api: Api) -> None:
    small = new_workshop(api, "small", capacity=2)
    assert join(api, small["id"], email="p1@example.com").status_code == 201
    assert join(api, small["id"], email="p2@example.com").status_code == 201
    response = join(api, small["id"], email="p3@example.com")
    assert response.status_code == 409
    assert response.json()["type"].endswith("/workshop-full")
    assert join(api, small["id"], email="f@example.com", role="facilitator").status_code == 201
    assert join(api, small["id"], email="o@example.com", role="owner").status_code == 201
    assert member_count(api, small["id"]) == 4


def test_unlimited_capacity_admits_many(api: Api) -> None:
    open_ws = new_workshop(api, "open")
    for n in range(12):
        assert join(api, open_ws["id"], email=f"p{n}@example.com").status_code == 201


@pytest.mark.parametrize("workshop_id", [MISSING_WS, "ws_short", "wm_" + "a" * 24, "' or 1=1 --"])
def test_join_unknown_or_malformed_workshop_is_404(api: Api, workshop_id: str) -> None:
    response = join(api, workshop_id)
    assert response.status_code == 404, response.text
    assert response.json()["type"].endswith("/not-found")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "a@b"}, "email"),
        ({"email": "two@@example.com"}, "email"),
        ({"email": "sp ace@example.com"}, "email"),
        ({"email": "a@" + "e" * 250 + ".com"}, "email"),
        ({"email": None}, "email"),
        ({"display_name": ""}, "display_name"),
        ({"display_name": "x" * 101}, "display_name"),
        ({"role": "admin"}, "role"),
        ({"role": None}, "role"),
        ({"nickname": "Ada"}, "nickname"),
    ],
)
def test_bad_join_is_422_naming_the_field(api: Api, workshop: dict[str, Any], body: dict[str, Any], field: str) -> None:
    response = join(api, workshop["id"], **body)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"].endswith("/validation")
    assert field in [e["field"] for e in problem["errors"]]
    assert member_count(api, workshop["id"]) == 0


def test_missing_required_fields_are_422(api: Api, workshop: dict[str, Any]) -> None:
    response = api.client.post(members_url(workshop["id"]), json={"email": "a@example.com"})
    assert response.status_code == 422
    assert "display_name" in [e["field"] for e in response.json()["errors"]]


@pytest.mark.parametrize("raw", [b"{not json", b"[]", b"null", b"", b'{"email": "a@b.co", "display_name": "\\u0000"}'])
def test_malformed_bodies_are_4xx_never_500(api: Api, workshop: dict[str, Any], raw: bytes) -> None:
    response = api.client.post(members_url(workshop["id"]), content=raw, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def test_list_filters_by_role(api: Api, workshop: dict[str, Any]) -> None:
    join(api, workshop["id"], email="o@example.com", role="owner")
    join(api, workshop["id"], email="p1@example.com")
    join(api, workshop["id"], email="p2@example.com")

    def emails(**params: Any) -> list[str]:
        response = api.client.get(members_url(workshop["id"]), params=params)
        assert response.status_code == 200, response.text
        return [m["email"] for m in response.json()["items"]]

    assert emails() == ["o@example.com", "p1@example.com", "p2@example.com"]
    assert emails(role="participant") == ["p1@example.com", "p2@example.com"]
    assert emails(role="facilitator") == []
    assert api.client.get(members_url(workshop["id"]), params={"role": "boss"}).status_code == 422


def test_list_shows_only_this_workshops_members(api: Api, workshop: dict[str, Any]) -> None:
    other = new_workshop(api, "other")
    join(api, other["id"], email="elsewhere@example.com")
    body = api.client.get(members_url(workshop["id"])).json()
    assert body == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("workshop_id", [MISSING_WS, "ws_bad", "ses_" + "a" * 24])
def test_list_of_unknown_workshop_is_404(api: Api, workshop_id: str) -> None:
    response = api.client.get(members_url(workshop_id))
    assert response.status_code == 404
    assert response.json()["type"].endswith("/not-found")


def test_pages_walk_every_member_once_even_while_members_join(api: Api) -> None:
    ws = new_workshop(api, "big")
    for n in range(25):
        assert join(api, ws["id"], email=f"m{n:02d}@example.com").status_code == 201
    items, pages = walk_pages(
        api.client, members_url(ws["id"]), 7, lambda page: page == 2 and join(api, ws["id"], email="late@example.com")
    )
    seen = [m["email"] for m in items]
    assert len(seen) == len(set(seen))
    assert seen[:25] == [f"m{n:02d}@example.com" for n in range(25)]
    assert seen == [f"m{n:02d}@example.com" for n in range(25)] + ["late@example.com"]
    assert pages == 4


@pytest.mark.parametrize(("params", "field"), [({"cursor": "garbage"}, "cursor"), ({"limit": "0"}, "limit")])
def test_bad_cursor_or_limit_is_4xx(api: Api, workshop: dict[str, Any], params: dict[str, str], field: str) -> None:
    response = api.client.get(members_url(workshop["id"]), params=params)
    assert response.status_code in (400, 422)
    assert field in response.text


def test_member_of_another_workshop_is_404(api: Api, workshop: dict[str, Any]) -> None:
    other = new_workshop(api, "other")
    member = join(api, other["id"]).json()
    url = f"{members_url(workshop['id'])}/{member['id']}"
    assert api.client.get(url).status_code == 404
    assert api.client.patch(url, json={"display_name": "Hijacked"}).status_code == 404
    assert api.client.delete(url).status_code == 404
    assert api.client.get(f"{members_url(other['id'])}/{member['id']}").json()["display_name"] == "Ada"


@pytest.mark.parametrize("member_id", [MISSING_WM, "wm_short", "ws_" + "a" * 24, "WM_" + "a" * 24, "%00"])
def test_unknown_or_malformed_member_ids_are_404(api: Api, workshop: dict[str, Any], member_id: str) -> None:
    url = f"{members_url(workshop['id'])}/{member_id}"
    for method in ("GET", "PATCH", "DELETE"):
        response = api.client.request(method, url, json={} if method == "PATCH" else None)
        assert response.status_code == 404, (method, response.text)
        assert response.json()["type"].endswith("/not-found")


def test_patch_merges_absent_fields_stay(api: Api, workshop: dict[str, Any]) -> None:
    created = join(api, workshop["id"], role="facilitator").json()
    url = f"{members_url(workshop['id'])}/{created['id']}"
    response = api.client.patch(url, json={"display_name": "Countess"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["display_name"] == "Countess"
    assert (body["email"], body["role"], body["joined_at"]) == (created["email"], "facilitator", created["joined_at"])
    assert api.client.get(url).json() == body


def test_patch_email_may_change_its_own_case(api: Api, workshop: dict[str, Any]) -> None:
    created = join(api, workshop["id"]).json()
    url = f"{members_url(workshop['id'])}/{created['id']}"
    response = api.client.patch(url, json={"email": "ADA@example.com"})
    assert response.status_code == 200, response.text
    assert response.json()["email"] == "ADA@example.com"


@pytest.mark.parametrize(
    ("body", "field"),
    [({"email": None}, "email"), ({"display_name": None}, "display_name"), ({"role": None}, "role"),
     ({"email": "nope"}, "email"), ({"colour": "red"}, "colour")],
)  # fmt: skip
def test_patch_null_bad_or_unknown_field_is_422(
    api: Api, workshop: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    created = join(api, workshop["id"]).json()
    url = f"{members_url(workshop['id'])}/{created['id']}"
    response = api.client.patch(url, json=body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
    assert api.client.get(url).json() == created


def test_patch_to_taken_email_in_any_case_is_409(api: Api, workshop: dict[str, Any]) -> None:
    join(api, workshop["id"], email="taken@example.com")
    other = join(api, workshop["id"], email="free@example.com").json()
    url = f"{members_url(workshop['id'])}/{other['id']}"
    response = api.client.patch(url, json={"email": "TAKEN@example.com"})
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "email"
    assert api.client.get(url).json()["email"] == "free@example.com"


def test_patch_with_stale_if_match_is_412_and_current_one_passes(api: Api, workshop: dict[str, Any]) -> None:
    response = join(api, workshop["id"])
    url, etag = response.headers["location"], response.headers["etag"]
    first = api.client.patch(url, json={"display_name": "One"}, headers={"If-Match": etag})
    assert first.status_code == 200
    assert first.headers["etag"] != etag
    stale = api.client.patch(url, json={"display_name": "Two"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.json()["type"].endswith("/precondition-failed")
    assert api.client.get(url).json()["display_name"] == "One"
    fresh = api.client.patch(url, json={"display_name": "Two"}, headers={"If-Match": first.headers["etag"]})
    assert fresh.status_code == 200
    assert fresh.json()["display_name"] == "Two"


def test_role_change_to_participant_respects_capacity(api: Api) -> None:
    small = new_workshop(api, "small", capacity=1)
    participant = join(api, small["id"], email="p@example.com").json()
    staff = join(api, small["id"], email="f@example.com", role="facilitator").json()
    staff_url = f"{members_url(small['id'])}/{staff['id']}"
    response = api.client.patch(staff_url, json={"role": "participant"})
    assert response.status_code == 409
    assert response.json()["type"].endswith("/workshop-full")
    assert api.client.get(staff_url).json()["role"] == "facilitator"
    # A participant of a full workshop may still change other fields.
    participant_url = f"{members_url(small['id'])}/{participant['id']}"
    assert api.client.patch(participant_url, json={"display_name": "Still in"}).status_code == 200
    # Once the participant steps back, there is room.
    assert api.client.patch(participant_url, json={"role": "owner"}).status_code == 200
    assert api.client.patch(staff_url, json={"role": "participant"}).status_code == 200


def test_delete_removes_the_member_and_their_sessions(api: Api, workshop: dict[str, Any]) -> None:
    member = join(api, workshop["id"]).json()
    started = api.client.post(f"/v1/workshops/{workshop['id']}/sessions", json={"member_id": member["id"]})
    assert started.status_code == 201
    url = f"{members_url(workshop['id'])}/{member['id']}"
    assert api.client.delete(url).status_code == 204
    assert api.client.get(url).status_code == 404
    assert api.client.delete(url).status_code == 404
    assert api.client.get(started.headers["location"]).status_code == 404
    assert member_count(api, workshop["id"]) == 0


def test_keys_read_may_list_but_not_write_and_none_is_401(api: Api, workshop: dict[str, Any]) -> None:
    member = join(api, workshop["id"]).json()
    url = members_url(workshop["id"])
    one = f"{url}/{member['id']}"
    assert api.reader.get(url).status_code == 200
    assert api.reader.get(one).status_code == 200
    for method, target, body in [("POST", url, {"email": "r@example.com", "display_name": "R"}),
                                 ("PATCH", one, {"display_name": "R"}), ("DELETE", one, None)]:  # fmt: skip
        forbidden = api.reader.request(method, target, json=body)
        assert forbidden.status_code == 403, (method, forbidden.text)
        unauthorized = api.anonymous.request(method, target, json=body)
        assert unauthorized.status_code == 401
        assert unauthorized.headers["www-authenticate"].startswith("Bearer")
    anonymous_get = api.anonymous.get(url)
    assert anonymous_get.status_code == 401
    assert anonymous_get.headers["www-authenticate"].startswith("Bearer")
    assert member_count(api, workshop["id"]) == 1
    assert api.client.get(one).json()["display_name"] == "Ada"
