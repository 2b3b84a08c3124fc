"""SPEC 11 under concurrency: many simultaneous requests at the live server, then the database is checked."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.conftest import Api
from tests.test_members import join, new_workshop
from tests.test_sessions import add_steps, member, start


def fire(count: int, request: Callable[[httpx.Client, int], httpx.Response], api: Api) -> list[httpx.Response]:
    """`count` requests released together, each from its own thread and connection."""
    barrier = threading.Barrier(count)
    clients = [httpx.Client(base_url=api.url, headers={"Authorization": f"Bearer {api.write_key}"}, timeout=60)]
    clients += [httpx.Client(base_url=api.url, headers=clients[0].headers, timeout=60) for _ in range(count - 1)]

    def one(n: int) -> httpx.Response:
        barrier.wait()
        return request(clients[n], n)

    try:
        with ThreadPoolExecutor(max_workers=count) as pool:
            return list(pool.map(one, range(count)))
    finally:
        for client in clients:
            client.close()


def statuses(responses: list[httpx.Response]) -> Counter[int]:
    return Counter(r.status_code for r in responses)


def kinds(responses: list[httpx.Response], status: int) -> set[str]:
    return {r.json()["type"] for r in responses if r.status_code == status}


def test_concurrent_joins_never_exceed_capacity(api: Api) -> None:
    ws = new_workshop(api, "tight", capacity=10)
    url = f"/v1/workshops/{ws['id']}/members"
    responses = fire(60, lambda c, n: c.post(url, json={"email": f"p{n}@example.com", "display_name": f"P{n}"}), api)
    assert statuses(responses) == {201: 10, 409: 50}, [r.text for r in responses if r.status_code not in (201, 409)]
    assert kinds(responses, 409) == {"/problems/workshop-full"}
    with api.db() as db:
        count = db.execute(
            "select count(*) from workshop_member where workshop_id = %s and role = 'participant'", (ws["id"],)
        ).fetchone()
    assert count == (10,)
    assert api.client.get(f"/v1/workshops/{ws['id']}").json()["participant_count"] == 10


def test_concurrent_role_changes_never_exceed_capacity(api: Api) -> None:
    ws = new_workshop(api, "promotions", capacity=4)
    staff = [join(api, ws["id"], email=f"f{n}@example.com", role="facilitator").json()["id"] for n in range(16)]
    url = f"/v1/workshops/{ws['id']}/members"
    responses = fire(16, lambda c, n: c.patch(f"{url}/{staff[n]}", json={"role": "participant"}), api)
    assert statuses(responses) == {200: 4, 409: 12}
    assert kinds(responses, 409) == {"/problems/workshop-full"}
    with api.db() as db:
        count = db.execute(
            "select count(*) from workshop_member where workshop_id = %s and role = 'participant'", (ws["id"],)
        ).fetchone()
    assert count == (4,)


def test_concurrent_starts_create_exactly_one_active_session(api: Api, workshop: dict[str, Any]) -> None:
    member_id = member(api, workshop["id"])
    responses = fire(
        20, lambda c, n: c.post(f"/v1/workshops/{workshop['id']}/sessions", json={"member_id": member_id}), api
    )
    assert statuses(responses) == {201: 1, 409: 19}, [r.text for r in responses if r.status_code not in (201, 409)]
    assert kinds(responses, 409) == {"/problems/session-active"}
    with api.db() as db:
        rows = db.execute("select member_id, status from session").fetchall()
    assert rows == [(member_id, "active")]


def test_concurrent_advances_each_move_one_step(api: Api, workshop: dict[str, Any]) -> None:
    steps = add_steps(api, workshop["id"], 3)
    session = start(api, workshop["id"], member(api, workshop["id"])).json()
    url = f"/v1/sessions/{session['id']}/advance"
    responses = fire(8, lambda c, n: c.post(url), api)
    # Step 1 -> 2 -> 3 -> completed: exactly three transitions, the rest find it ended.
    assert statuses(responses) == {200: 3, 409: 5}
    assert sorted((r.json()["status"], r.json()["current_step_id"]) for r in responses if r.status_code == 200) == [
        ("active", steps[1]),
        ("active", steps[2]),
        ("completed", steps[2]),
    ]
    with api.db() as db:
        row = db.execute("select status, current_step_id, ended_at is not null from session").fetchone()
    assert row == ("completed", steps[2], True)
