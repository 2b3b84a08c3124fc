"""SPEC 11 under real concurrency: many requests at once against the live server, then the database.

- Step positions stay exactly 1..n under concurrent inserts, moves and deletes.
- No lost update on a build pack under concurrent PATCHes with If-Match.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from typing import Any

import httpx

from tests.conftest import Api
from tests.test_build_packs import start_session
from tests.test_steps import add_session


async def fire(
    api: Api, requests: list[tuple[str, str, dict[str, Any] | None, dict[str, str]]]
) -> list[httpx.Response]:
    """Send every request at once, each on its own connection."""
    headers = {"Authorization": f"Bearer {api.write_key}"}
    limits = httpx.Limits(max_connections=len(requests), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=api.url, headers=headers, limits=limits, timeout=30) as client:
        return await asyncio.gather(
            *(client.request(method, url, json=body, headers=extra) for method, url, body, extra in requests)
        )


def step_rows(api: Api, workshop_id: str) -> list[tuple[int, str]]:
    with api.db() as db:
        return db.execute(
            "select position, id from workshop_step where workshop_id = %s order by position", (workshop_id,)
        ).fetchall()


def test_concurrent_moves_inserts_and_deletes_keep_positions_1_to_n(api: Api, workshop: dict[str, Any]) -> None:
    ws = workshop["id"]
    url = f"/v1/workshops/{ws}/steps"
    ids = [api.client.post(url, json={"title": f"Step {n}"}).json()["id"] for n in range(16)]
    kept, doomed = ids[:12], ids[12:]
    riders = [add_session(api, ws, step_id) for step_id in doomed]
    rng = random.Random(11)
    # n stays between 12 and 22, so every move to 1..12 and every insert at 1..13 is valid whenever it runs.
    moves = [("PATCH", f"{url}/{kept[n % 12]}", {"position": rng.randint(1, 12)}, {}) for n in range(24)]
    inserts = [("POST", url, {"title": f"New {n}", "position": rng.randint(1, 13)}, {}) for n in range(6)]
    deletes = [("DELETE", f"{url}/{step_id}", None, {}) for step_id in doomed]
    batch = moves + inserts + deletes
    rng.shuffle(batch)

    responses = asyncio.run(fire(api, batch))

    statuses = Counter((method, r.status_code) for (method, *_), r in zip(batch, responses, strict=True))
    assert statuses == {("PATCH", 200): 24, ("POST", 201): 6, ("DELETE", 204): 4}, [
        r.text for r in responses if r.status_code >= 300
    ]
    rows = step_rows(api, ws)
    assert [position for position, _ in rows] == list(range(1, 19))
    inserted = {r.json()["id"] for (method, *_), r in zip(batch, responses, strict=True) if method == "POST"}
    assert {step_id for _, step_id in rows} == set(kept) | inserted
    listed = api.client.get(url).json()["items"]
    assert [(s["position"], s["id"]) for s in listed] == [tuple(row) for row in rows]
    with api.db() as db:
        currents = db.execute("select current_step_id from session where id = any(%s)", (riders,)).fetchall()
    assert all(current in {step_id for _, step_id in rows} for (current,) in currents)


def test_concurrent_inserts_at_the_same_position_all_land(api: Api, workshop: dict[str, Any]) -> None:
    ws = workshop["id"]
    url = f"/v1/workshops/{ws}/steps"
    for n in range(3):
        api.client.post(url, json={"title": f"Old {n}"})
    batch = [("POST", url, {"title": f"New {n}", "position": 1}, {}) for n in range(20)]
    responses = asyncio.run(fire(api, batch))
    assert [r.status_code for r in responses] == [201] * 20
    rows = step_rows(api, ws)
    assert [position for position, _ in rows] == list(range(1, 24))


def test_concurrent_patches_with_one_if_match_change_a_pack_once(api: Api, workshop: dict[str, Any]) -> None:
    session_id = start_session(api, workshop["id"])
    created = api.client.post(f"/v1/sessions/{session_id}/build-packs", json={"title": "Start", "content": {"n": 0}})
    url, etag = created.headers["location"], created.headers["etag"]
    batch = [("PATCH", url, {"title": f"Writer {n}", "content": {"n": n}}, {"If-Match": etag}) for n in range(10)]

    responses = asyncio.run(fire(api, batch))

    codes = Counter(r.status_code for r in responses)
    assert codes == {200: 1, 412: 9}, [r.text for r in responses]
    winner = next(r.json() for r in responses if r.status_code == 200)
    assert winner["version"] == 2
    with api.db() as db:
        row = db.execute("select title, content, version from build_pack where id = %s", (winner["id"],)).fetchone()
    assert row == (winner["title"], winner["content"], 2)


def test_concurrent_finalizes_finalize_once(api: Api, workshop: dict[str, Any]) -> None:
    session_id = start_session(api, workshop["id"])
    url = api.client.post(f"/v1/sessions/{session_id}/build-packs", json={"title": "Start"}).headers["location"]
    responses = asyncio.run(fire(api, [("POST", f"{url}/finalize", None, {})] * 10))
    assert Counter(r.status_code for r in responses) == {200: 1, 409: 9}
    with api.db() as db:
        assert db.execute("select status, version from build_pack").fetchall() == [("final", 2)]


def test_concurrent_step_deletes_of_one_step_delete_it_once(api: Api, workshop: dict[str, Any]) -> None:
    ws = workshop["id"]
    url = f"/v1/workshops/{ws}/steps"
    ids = [api.client.post(url, json={"title": f"Step {n}"}).json()["id"] for n in range(5)]
    member_session = add_session(api, ws, ids[2])
    responses = asyncio.run(fire(api, [("DELETE", f"{url}/{ids[2]}", None, {})] * 8))
    assert Counter(r.status_code for r in responses) == {204: 1, 404: 7}
    assert [position for position, _ in step_rows(api, ws)] == [1, 2, 3, 4]
    with api.db() as db:
        row = db.execute("select current_step_id from session where id = %s", (member_session,)).fetchone()
    assert row == (ids[3],)
