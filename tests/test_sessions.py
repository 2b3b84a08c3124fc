"""/v1/workshops/{workshop_id}/sessions and /v1/sessions over real HTTP against a real database."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api, walk_pages
from tests.test_members import join, new_workshop

MISSING_WS = "ws_" + "z" * 24
MISSING_SES = "ses_" + "z" * 24


def add_steps(api: Api, workshop_id: str, count: int) -> list[str]:
    """Steps 1..count, written straight to the database (the steps API is tested elsewhere)."""
    ids = [f"wst_{workshop_id[3:13]}{n:014d}" for n in range(1, count + 1)]
    with api.db() as db, db.transaction():
        for position, step_id in enumerate(ids, start=1):
            db.execute(
                "insert into workshop_step (id, workshop_id, position, title) values (%s, %s, %s, %s)",
                (step_id, workshop_id, position, f"Step {position}"),
            )
    return ids


def start(api: Api, workshop_id: str, member_id: Any) -> Any:
    return api.client.post(f"/v1/workshops/{workshop_id}/sessions", json={"member_id": member_id})


def member(api: Api, workshop_id: str, email: str = "ada@example.com") -> str:
    response = join(api, workshop_id, email=email)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def session_rows(api: Api) -> list[tuple[Any, ...]]:
    with api.db() as db:
        return db.execute(
            "select id, status, current_step_id, ended_at is not null from session order by id"
        ).fetchall()


def test_start_answers_201_at_the_first_step(api: Api, workshop: dict[str, Any]) -> None:
    steps = add_steps(api, workshop["id"], 3)
    member_id = member(api, workshop["id"])
    response = start(api, workshop["id"], member_id)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"].startswith("ses_") and len(body["id"]) == 28
    assert (body["workshop_id"], body["member_id"]) == (workshop["id"], member_id)
    assert (body["status"], body["current_step_id"], body["ended_at"]) == ("active", steps[0], None)
    assert response.headers["location"] == f"/v1/sessions/{body['id']}"
    fetched = api.client.get(response.headers["location"])
    assert fetched.status_code == 200
    assert fetched.json() == body
    assert fetched.headers["etag"] == response.headers["etag"]


def test_start_without_steps_has_no_current_step(api: Api, workshop: dict[str, Any]) -> None:
    response = start(api, workshop["id"], member(api, workshop["id"]))
    assert response.status_code == 201
    assert response.json()["current_step_id"] is None


def test_second_start_is_409_until_the_first_ends(api: Api, workshop: dict[str, Any]) -> None:
    member_id = member(api, workshop["id"])
    first = start(api, workshop["id"], member_id).json()
    again = start(api, workshop["id"], member_id)
    assert again.status_code == 409
    assert again.json()["type"].endswith("/session-active")
    assert len(session_rows(api)) == 1
    assert api.client.post(f"/v1/sessions/{first['id']}/abandon").status_code == 200
    assert start(api, workshop["id"], member_id).status_code == 201
    assert sorted(r[1] for r in session_rows(api)) == ["abandoned", "active"]


@pytest.mark.parametrize("member_id", ["wm_" + "z" * 24, "wm_short", "ws_" + "a" * 24, "", 42, None])
def test_start_for_a_non_member_is_422_naming_member_id(api: Api, workshop: dict[str, Any], member_id: Any) -> None:
    response = start(api, workshop["id"], member_id)
    assert response.status_code == 422, response.text
    assert "member_id" in [e["field"] for e in response.json()["errors"]]
    assert session_rows(api) == []


def test_start_for_a_member_of_another_workshop_is_422(api: Api, workshop: dict[str, Any]) -> None:
    other = new_workshop(api, "other")
    response = start(api, workshop["id"], member(api, other["id"]))
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "member_id", "message": "is not a member of this workshop"}]
    assert session_rows(api) == []


def test_start_with_unknown_field_or_no_body_is_4xx(api: Api, workshop: dict[str, Any]) -> None:
    member_id = member(api, workshop["id"])
    url = f"/v1/workshops/{workshop['id']}/sessions"
    extra = api.client.post(url, json={"member_id": member_id, "step": 2})
    assert extra.status_code == 422
    assert "step" in [e["field"] for e in extra.json()["errors"]]
    for raw in (b"", b"{", b"[]"):
        response = api.client.post(url, content=raw, headers={"content-type": "application/json"})
        assert 400 <= response.status_code < 500, response.text
    assert session_rows(api) == []


@pytest.mark.parametrize("workshop_id", [MISSING_WS, "ws_nope", "ses_" + "a" * 24])
def test_unknown_or_malformed_workshop_is_404(api: Api, workshop_id: str) -> None:
    for response in (
        start(api, workshop_id, "wm_" + "a" * 24),
        api.client.get(f"/v1/workshops/{workshop_id}/sessions"),
    ):
        assert response.status_code == 404, response.text
        assert response.json()["type"].endswith("/not-found")


def test_advance_walks_the_steps_then_completes(api: Api, workshop: dict[str, Any]) -> None:
    steps = add_steps(api, workshop["id"], 3)
    session = start(api, workshop["id"], member(api, workshop["id"])).json()
    url = f"/v1/sessions/{session['id']}"
    seen = []
    for _ in range(3):
        response = api.client.post(f"{url}/advance")
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == api.client.get(url).headers["etag"]
        seen.append((response.json()["status"], response.json()["current_step_id"]))
    assert seen == [("active", steps[1]), ("active", steps[2]), ("completed", steps[2])]
    final = api.client.get(url).json()
    assert final["ended_at"] is not None and final["ended_at"] >= final["started_at"]


def test_advance_without_steps_completes(api: Api, workshop: dict[str, Any]) -> None:
    session = start(api, workshop["id"], member(api, workshop["id"])).json()
    response = api.client.post(f"/v1/sessions/{session['id']}/advance")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["current_step_id"]) == ("completed", None)
    assert body["ended_at"] is not None


def test_advance_after_steps_were_added_goes_to_the_first(api: Api, workshop: dict[str, Any]) -> None:
    session = start(api, workshop["id"], member(api, workshop["id"])).json()
    steps = add_steps(api, workshop["id"], 2)
    response = api.client.post(f"/v1/sessions/{session['id']}/advance")
    assert (response.json()["status"], response.json()["current_step_id"]) == ("active", steps[0])


@pytest.mark.parametrize(("action", "status"), [("complete", "completed"), ("abandon", "abandoned")])
def test_complete_and_abandon_end_the_session(api: Api, workshop: dict[str, Any], action: str, status: str) -> None:
    steps = add_steps(api, workshop["id"], 2)
    session = start(api, workshop["id"], member(api, workshop["id"])).json()
    response = api.client.post(f"/v1/sessions/{session['id']}/{action}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["current_step_id"]) == (status, steps[0])
    assert body["ended_at"] is not None
    assert session_rows(api) == [(session["id"], status, steps[0], True)]


@pytest.mark.parametrize("first", ["advance", "complete", "abandon"])
def test_any_transition_from_an_ended_session_is_409(api: Api, workshop: dict[str, Any], first: str) -> None:
    session = start(api, workshop["id"], member(api, workshop["id"])).json()
    url = f"/v1/sessions/{session['id']}"
    assert api.client.post(f"{url}/{first}").status_code == 200
    before = api.client.get(url).json()
    for action in ("advance", "complete", "abandon"):
        response = api.client.post(f"{url}/{action}")
        assert response.status_code == 409, (action, response.text)
        assert response.json()["type"].endswith("/session-ended")
    assert api.client.get(url).json() == before


@pytest.mark.parametrize("session_id", [MISSING_SES, "ses_short", "ws_" + "a" * 24, "SES_" + "a" * 24, "%00"])
def test_unknown_or_malformed_session_ids_are_404(api: Api, session_id: str) -> None:
    url = f"/v1/sessions/{session_id}"
    for response in (
        api.client.get(url),
        api.client.post(f"{url}/advance"),
        api.client.post(f"{url}/complete"),
        api.client.post(f"{url}/abandon"),
    ):
        assert response.status_code == 404, response.text
        assert response.json()["type"].endswith("/not-found")


def test_list_filters_by_status_and_member(api: Api, workshop: dict[str, Any]) -> None:
    ada, bob = member(api, workshop["id"], "ada@example.com"), member(api, workshop["id"], "bob@example.com")
    done = start(api, workshop["id"], ada).json()
    api.client.post(f"/v1/sessions/{done['id']}/complete")
    running = start(api, workshop["id"], ada).json()
    other = start(api, workshop["id"], bob).json()
    url = f"/v1/workshops/{workshop['id']}/sessions"

    def ids(**params: Any) -> list[str]:
        response = api.client.get(url, params=params)
        assert response.status_code == 200, response.text
        return [s["id"] for s in response.json()["items"]]

    assert ids() == [done["id"], running["id"], other["id"]]
    assert ids(status="active") == [running["id"], other["id"]]
    assert ids(status="completed") == [done["id"]]
    assert ids(member_id=ada) == [done["id"], running["id"]]
    assert ids(member_id=bob, status="completed") == []
    assert ids(member_id="wm_" + "z" * 24) == []
    for bad in ({"status": "paused"}, {"member_id": "bob"}, {"member_id": "ws_" + "a" * 24}):
        assert api.client.get(url, params=bad).status_code in (400, 422)


def test_list_shows_only_this_workshops_sessions(api: Api, workshop: dict[str, Any]) -> None:
    other = new_workshop(api, "other")
    start(api, other["id"], member(api, other["id"]))
    response = api.client.get(f"/v1/workshops/{workshop['id']}/sessions")
    assert response.json() == {"items": [], "next_cursor": None}


def test_pages_walk_every_session_once(api: Api) -> None:
    ws = new_workshop(api, "big")
    expected = []
    for n in range(11):
        expected.append(start(api, ws["id"], member(api, ws["id"], f"m{n}@example.com")).json()["id"])
    items, pages = walk_pages(api.client, f"/v1/workshops/{ws['id']}/sessions", 4)
    assert [s["id"] for s in items] == expected
    assert pages == 3
    bad = api.client.get(f"/v1/workshops/{ws['id']}/sessions", params={"cursor": "garbage"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "cursor"


def test_keys_read_may_get_but_not_write_and_none_is_401(api: Api, workshop: dict[str, Any]) -> None:
    member_id = member(api, workshop["id"])
    session = start(api, workshop["id"], member_id).json()
    url = f"/v1/sessions/{session['id']}"
    assert api.reader.get(url).status_code == 200
    assert api.reader.get(f"/v1/workshops/{workshop['id']}/sessions").status_code == 200
    writes = [
        (f"/v1/workshops/{workshop['id']}/sessions", {"member_id": member_id}),
        (f"{url}/advance", None),
        (f"{url}/complete", None),
        (f"{url}/abandon", None),
    ]
    for target, body in writes:
        assert api.reader.post(target, json=body).status_code == 403
        unauthorized = api.anonymous.post(target, json=body)
        assert unauthorized.status_code == 401
        assert unauthorized.headers["www-authenticate"].startswith("Bearer")
    assert api.anonymous.get(url).status_code == 401
    assert api.client.get(url).json() == session
