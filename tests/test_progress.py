"""GET /v1/workshops/{workshop_id}/progress over real HTTP against a real database."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.test_members import new_workshop
from tests.test_sessions import add_steps, member, start


def progress(api: Api, workshop_id: str) -> Any:
    response = api.client.get(f"/v1/workshops/{workshop_id}/progress")
    assert response.status_code == 200, response.text
    return response.json()


def test_workshop_without_steps_or_sessions(api: Api, workshop: dict[str, Any]) -> None:
    assert progress(api, workshop["id"]) == {
        "steps": [],
        "active_sessions": 0,
        "completed_sessions": 0,
        "abandoned_sessions": 0,
    }


def test_counts_sessions_per_step_and_by_status(api: Api, workshop: dict[str, Any]) -> None:
    steps = add_steps(api, workshop["id"], 3)
    sessions = [start(api, workshop["id"], member(api, workshop["id"], f"p{n}@example.com")).json() for n in range(6)]
    # p0, p1 stay on step 1; p2 moves to step 3; p3 completes; p4 abandons on step 1; p5 completes by advancing.
    api.client.post(f"/v1/sessions/{sessions[2]['id']}/advance")
    api.client.post(f"/v1/sessions/{sessions[2]['id']}/advance")
    api.client.post(f"/v1/sessions/{sessions[3]['id']}/complete")
    api.client.post(f"/v1/sessions/{sessions[4]['id']}/abandon")
    for _ in range(3):
        api.client.post(f"/v1/sessions/{sessions[5]['id']}/advance")
    # Another workshop's sessions never count here.
    other = new_workshop(api, "other")
    start(api, other["id"], member(api, other["id"]))
    assert progress(api, workshop["id"]) == {
        "steps": [
            {"step_id": steps[0], "position": 1, "title": "Step 1", "active_sessions": 2},
            {"step_id": steps[1], "position": 2, "title": "Step 2", "active_sessions": 0},
            {"step_id": steps[2], "position": 3, "title": "Step 3", "active_sessions": 1},
        ],
        "active_sessions": 3,
        "completed_sessions": 2,
        "abandoned_sessions": 1,
    }


def test_steps_come_in_position_order(api: Api, workshop: dict[str, Any]) -> None:
    with api.db() as db, db.transaction():
        for position, letter in [(3, "c"), (1, "a"), (2, "b")]:
            db.execute(
                "insert into workshop_step (id, workshop_id, position, title) values (%s, %s, %s, %s)",
                ("wst_" + letter * 24, workshop["id"], position, letter.upper()),
            )
    body = progress(api, workshop["id"])
    assert [(s["position"], s["title"]) for s in body["steps"]] == [(1, "A"), (2, "B"), (3, "C")]


def test_active_sessions_without_a_step_count_in_the_total_only(api: Api, workshop: dict[str, Any]) -> None:
    start(api, workshop["id"], member(api, workshop["id"]))
    steps = add_steps(api, workshop["id"], 1)
    body = progress(api, workshop["id"])
    assert body["steps"] == [{"step_id": steps[0], "position": 1, "title": "Step 1", "active_sessions": 0}]
    assert body["active_sessions"] == 1


@pytest.mark.parametrize("workshop_id", ["ws_" + "z" * 24, "ws_bad", "wm_" + "a" * 24])
def test_unknown_or_malformed_workshop_is_404(api: Api, workshop_id: str) -> None:
    response = api.client.get(f"/v1/workshops/{workshop_id}/progress")
    assert response.status_code == 404
    assert response.json()["type"].endswith("/not-found")


def test_read_key_may_read_and_no_key_is_401(api: Api, workshop: dict[str, Any]) -> None:
    url = f"/v1/workshops/{workshop['id']}/progress"
    assert api.reader.get(url).status_code == 200
    response = api.anonymous.get(url)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
