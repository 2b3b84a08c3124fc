"""/v1/workshops/{workshop_id}/steps over real HTTP against a real database."""

from __future__ import annotations

from typing import Any

from service.ids import create_prefixed_id
from tests.conftest import Api


def steps_url(workshop_id: str) -> str:
    return f"/v1/workshops/{workshop_id}/steps"


def add(api: Api, workshop_id: str, title: str, **body: Any) -> Any:
    return api.client.post(steps_url(workshop_id), json={"title": title, **body})


def add_all(api: Api, workshop_id: str, *titles: str) -> dict[str, str]:
    """Append steps; their ids by title."""
    ids = {}
    for title in titles:
        response = add(api, workshop_id, title)
        assert response.status_code == 201, response.text
        ids[title] = response.json()["id"]
    return ids


def api_titles(api: Api, workshop_id: str) -> list[str]:
    response = api.client.get(steps_url(workshop_id))
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [s["position"] for s in items] == list(range(1, len(items) + 1))
    return [s["title"] for s in items]


def db_titles(api: Api, workshop_id: str) -> list[str]:
    """Titles in position order, after checking in the database that positions are exactly 1..n."""
    with api.db() as db:
        rows = db.execute(
            "select position, title from workshop_step where workshop_id = %s order by position", (workshop_id,)
        ).fetchall()
    assert [p for p, _ in rows] == list(range(1, len(rows) + 1))
    return [t for _, t in rows]


def add_session(api: Api, workshop_id: str, step_id: str | None) -> str:
    """A member and an active session standing on `step_id`, inserted directly."""
    member_id, session_id = create_prefixed_id("wm"), create_prefixed_id("ses")
    with api.db() as db:
        db.execute(
            "insert into workshop_member (id, workshop_id, email, display_name) values (%s, %s, %s, 'P')",
            (member_id, workshop_id, f"{member_id}@example.com"),
        )
        db.execute(
            "insert into session (id, workshop_id, member_id, current_step_id) values (%s, %s, %s, %s)",
            (session_id, workshop_id, member_id, step_id),
        )
    return session_id


def current_step(api: Api, session_id: str) -> str | None:
    with api.db() as db:
        row = db.execute("select current_step_id from session where id = %s", (session_id,)).fetchone()
    assert row is not None
    return row[0]  # type: ignore[no-any-return]


def test_create_appends_with_location_and_etag(api: Api, workshop: dict[str, Any]) -> None:
    response = add(api, workshop["id"], "Install", body="Run `make install`.", duration_minutes=10)
    assert response.status_code == 201, response.text
    step = response.json()
    assert step["id"].startswith("wst_") and len(step["id"]) == 28
    assert (step["position"], step["workshop_id"], step["duration_minutes"]) == (1, workshop["id"], 10)
    assert response.headers["location"] == f"{steps_url(workshop['id'])}/{step['id']}"
    fetched = api.client.get(response.headers["location"])
    assert fetched.status_code == 200
    assert fetched.json() == step
    assert fetched.headers["etag"] == response.headers["etag"]
    second = add(api, workshop["id"], "Migrate").json()
    assert (second["position"], second["body"], second["duration_minutes"]) == (2, "", None)
    assert api.client.get(f"/v1/workshops/{workshop['id']}").json()["step_count"] == 2


def test_insert_at_position_shifts_the_rest(api: Api, workshop: dict[str, Any]) -> None:
    ws = workshop["id"]
    add_all(api, ws, "A", "B", "C")
    assert add(api, ws, "X", position=2).json()["position"] == 2
    assert add(api, ws, "first", position=1).status_code == 201
    assert add(api, ws, "last", position=6).json()["position"] == 6
    expected = ["first", "A", "X", "B", "C", "last"]
    assert api_titles(api, ws) == expected
    assert db_titles(api, ws) == expected


BAD_POSITIONS = [0, -1, 5, 500, 501, 2**40, "two", "1", 1.5, 2.0, True, [1]]
BAD_STEPS = [
    ({"title": ""}, "title"),
    ({"title": "t" * 201}, "title"),
    ({"title": None}, "title"),
    ({"title": 7}, "title"),
    ({"body": "b" * 100_001}, "body"),
    ({"body": None}, "body"),
    ({"duration_minutes": -1}, "duration_minutes"),
    ({"duration_minutes": 1441}, "duration_minutes"),
    ({"duration_minutes": "long"}, "duration_minutes"),
    ({"duration_minutes": True}, "duration_minutes"),
    ({"colour": "red"}, "colour"),
]


def test_insert_position_out_of_range_is_422_naming_position(api: Api, workshop: dict[str, Any]) -> None:
    add_all(api, workshop["id"], "A", "B", "C")
    for position in BAD_POSITIONS:
        response = add(api, workshop["id"], "X", position=position)
        assert response.status_code == 422, (position, response.text)
        assert "position" in [e["field"] for e in response.json()["errors"]], position
    assert db_titles(api, workshop["id"]) == ["A", "B", "C"]


def test_bad_step_input_is_422_naming_the_field(api: Api, workshop: dict[str, Any]) -> None:
    for body, field in BAD_STEPS:
        response = api.client.post(steps_url(workshop["id"]), json={"title": "Step", **body})
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field in [e["field"] for e in response.json()["errors"]], body
    assert db_titles(api, workshop["id"]) == []


def test_missing_title_is_422_and_limits_are_inclusive(api: Api, workshop: dict[str, Any]) -> None:
    response = api.client.post(steps_url(workshop["id"]), json={"body": "no title"})
    assert response.status_code == 422
    assert "title" in response.text
    at_limits = add(api, workshop["id"], "t" * 200, body="b" * 100_000, duration_minutes=1440)
    assert at_limits.status_code == 201, at_limits.text
    assert add(api, workshop["id"], "zero", duration_minutes=0).json()["duration_minutes"] == 0


MALFORMED = [
    b"{not json",
    b"[]",
    b"null",
    b"",
    b"\xff\xfe",
    b'{"title": "nul \\u0000 inside"}',
    b'{"title": "' + b"[" * 2000 + b'"}',
    b'{"title": "x", "body": ' + b"[" * 5000 + b"]" * 5000 + b"}",
]


def test_malformed_step_bodies_are_4xx_never_500(api: Api, workshop: dict[str, Any]) -> None:
    step = add(api, workshop["id"], "A").json()
    for url, method in ((steps_url(workshop["id"]), "POST"), (f"{steps_url(workshop['id'])}/{step['id']}", "PATCH")):
        for raw in MALFORMED:
            response = api.client.request(method, url, content=raw, headers={"content-type": "application/json"})
            assert 400 <= response.status_code < 500, (method, raw[:40], response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
    assert db_titles(api, workshop["id"]) == ["A"]


def test_at_most_500_steps(api: Api, workshop: dict[str, Any]) -> None:
    ws = workshop["id"]
    with api.db() as db:
        db.execute(
            "insert into workshop_step (id, workshop_id, position, title)"
            " select 'wst_' || lpad(n::text, 24, '0'), %s, n, 'Step ' || n from generate_series(1, 500) as n",
            (ws,),
        )
    for body in ({}, {"position": 1}):
        response = add(api, ws, "One too many", **body)
        assert response.status_code == 409, response.text
        assert response.json()["type"].endswith("/too-many-steps")
    assert len(api_titles(api, ws)) == 500
    assert api.client.delete(f"{steps_url(ws)}/wst_{1:024d}").status_code == 204
    assert add(api, ws, "Fits again", position=1).status_code == 201
    titles = db_titles(api, ws)
    assert (len(titles), titles[0], titles[1], titles[-1]) == (500, "Fits again", "Step 2", "Step 500")


def test_list_is_in_position_order_and_needs_a_workshop(api: Api, workshop: dict[str, Any]) -> None:
    ws = workshop["id"]
    body = api.client.get(steps_url(ws)).json()
    assert body == {"items": []}
    add_all(api, ws, "A", "B")
    add(api, ws, "Z", position=1)
    assert api_titles(api, ws) == ["Z", "A", "B"]
    for missing in ("ws_" + "a" * 24, "ws_short", "wst_" + "a" * 24):
        response = api.client.get(steps_url(missing))
        assert response.status_code == 404, missing
        assert response.json()["type"].endswith("/not-found")


def test_wrong_ids_and_steps_of_other_workshops_are_404(api: Api, workshop: dict[str, Any]) -> None:
    ws = workshop["id"]
    other = api.client.post("/v1/workshops", json={"slug": "other", "title": "Other"}).json()["id"]
    mine = add(api, ws, "Mine").json()["id"]
    theirs = add(api, other, "Theirs").json()["id"]
    paths = [
        f"{steps_url(ws)}/{theirs}",  # a step of another workshop
        f"{steps_url(other)}/{mine}",
        f"{steps_url('ws_' + 'a' * 24)}/{mine}",  # unknown workshop
        f"{steps_url(ws)}/wst_{'a' * 24}",  # unknown step
        f"{steps_url(ws)}/wst_short",
        f"{steps_url(ws)}/ws_{'a' * 24}",  # wrong prefix
        f"{steps_url(ws)}/WST_{'a' * 24}",
        f"{steps_url('wst_' + 'a' * 24)}/{mine}",
    ]
    for path in paths:
        for method in ("GET", "PATCH", "DELETE"):
            response = api.client.request(method, path, json={"title": "x"} if method == "PATCH" else None)
            assert response.status_code == 404, (method, path, response.text)
            assert response.json()["type"].endswith("/not-found")
    assert db_titles(api, ws) == ["Mine"] and db_titles(api, other) == ["Theirs"]


def test_patch_merges_and_null_clears_duration(api: Api, workshop: dict[str, Any]) -> None:
    created = add(api, workshop["id"], "Install", body="Text", duration_minutes=5).json()
    url = f"{steps_url(workshop['id'])}/{created['id']}"
    response = api.client.patch(url, json={"title": "Set up"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["title"], body["body"], body["duration_minutes"], body["position"]) == ("Set up", "Text", 5, 1)
    assert body["updated_at"] > created["updated_at"]
    assert response.headers["etag"] == api.client.get(url).headers["etag"]
    cleared = api.client.patch(url, json={"duration_minutes": None, "body": ""}).json()
    assert (cleared["duration_minutes"], cleared["body"], cleared["title"]) == (None, "", "Set up")


BAD_PATCHES = [
    ({"title": None}, "title"),
    ({"body": None}, "body"),
    ({"position": None}, "position"),
    ({"position": 0}, "position"),
    ({"position": 3}, "position"),
    ({"position": "2"}, "position"),
    ({"title": ""}, "title"),
    ({"duration_minutes": 2000}, "duration_minutes"),
    ({"colour": "red"}, "colour"),
]


def test_bad_patches_are_422_naming_the_field_and_change_nothing(api: Api, workshop: dict[str, Any]) -> None:
    ids = add_all(api, workshop["id"], "A", "B")
    url = f"{steps_url(workshop['id'])}/{ids['A']}"
    before = api.client.get(url).json()
    for patch, field in BAD_PATCHES:
        response = api.client.patch(url, json=patch)
        assert response.status_code == 422, (patch, response.text)
        assert field in [e["field"] for e in response.json()["errors"]], patch
    assert api.client.get(url).json() == before
    assert db_titles(api, workshop["id"]) == ["A", "B"]


def test_patch_with_stale_if_match_is_412(api: Api, workshop: dict[str, Any]) -> None:
    response = add(api, workshop["id"], "A")
    url, etag = response.headers["location"], response.headers["etag"]
    first = api.client.patch(url, json={"title": "One"}, headers={"If-Match": etag})
    assert first.status_code == 200
    stale = api.client.patch(url, json={"title": "Two"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.headers["etag"] == first.headers["etag"]
    assert api.client.get(url).json()["title"] == "One"
    assert api.client.patch(url, json={"title": "Two"}, headers={"If-Match": first.headers["etag"]}).status_code == 200


def test_a_move_shifts_the_steps_in_between(api: Api, workshop: dict[str, Any]) -> None:
    ws = workshop["id"]
    ids = add_all(api, ws, "A", "B", "C", "D", "E")

    def move(name: str, position: int, **more: Any) -> Any:
        response = api.client.patch(f"{steps_url(ws)}/{ids[name]}", json={"position": position, **more})
        assert response.status_code == 200, response.text
        assert response.json()["position"] == position
        return response.json()

    move("A", 4)
    assert db_titles(api, ws) == ["B", "C", "D", "A", "E"]
    move("E", 1)
    assert db_titles(api, ws) == ["E", "B", "C", "D", "A"]
    move("A", 5)  # already there
    assert db_titles(api, ws) == ["E", "B", "C", "D", "A"]
    moved = move("C", 2, title="C2", duration_minutes=3)
    assert (moved["title"], moved["duration_minutes"]) == ("C2", 3)
    assert db_titles(api, ws) == ["E", "C2", "B", "D", "A"]
    move("E", 5)
    assert api_titles(api, ws) == ["C2", "B", "D", "A", "E"]
    response = api.client.patch(f"{steps_url(ws)}/{ids['B']}", json={"position": 6})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "position", "message": "must be between 1 and 5"}]


def test_delete_closes_the_gap(api: Api, workshop: dict[str, Any]) -> None:
    ws = workshop["id"]
    ids = add_all(api, ws, "A", "B", "C", "D")
    assert api.client.delete(f"{steps_url(ws)}/{ids['B']}").status_code == 204
    assert db_titles(api, ws) == ["A", "C", "D"]
    assert api.client.delete(f"{steps_url(ws)}/{ids['B']}").status_code == 404
    assert api.client.delete(f"{steps_url(ws)}/{ids['D']}").status_code == 204
    assert api.client.delete(f"{steps_url(ws)}/{ids['A']}").status_code == 204
    assert api_titles(api, ws) == ["C"]
    assert api.client.get(f"{steps_url(ws)}/{ids['C']}").json()["position"] == 1


def test_delete_moves_sessions_to_the_step_that_takes_its_place(api: Api, workshop: dict[str, Any]) -> None:
    ws = workshop["id"]
    ids = add_all(api, ws, "A", "B", "C")
    on_a, on_b, on_c = (add_session(api, ws, ids[t]) for t in "ABC")
    assert api.client.delete(f"{steps_url(ws)}/{ids['B']}").status_code == 204
    assert (current_step(api, on_a), current_step(api, on_b), current_step(api, on_c)) == (ids["A"], ids["C"], ids["C"])
    assert api.client.delete(f"{steps_url(ws)}/{ids['C']}").status_code == 204  # the last: back to the new last
    assert {current_step(api, s) for s in (on_a, on_b, on_c)} == {ids["A"]}
    assert api.client.delete(f"{steps_url(ws)}/{ids['A']}").status_code == 204  # the only one: nowhere
    assert {current_step(api, s) for s in (on_a, on_b, on_c)} == {None}


def test_delete_moves_only_sessions_on_that_step(api: Api, workshop: dict[str, Any]) -> None:
    ws = workshop["id"]
    ids = add_all(api, ws, "A", "B", "C", "D")
    on_a, on_b, on_d = (add_session(api, ws, ids[t]) for t in "ABD")
    assert api.client.delete(f"{steps_url(ws)}/{ids['A']}").status_code == 204
    assert (current_step(api, on_a), current_step(api, on_b), current_step(api, on_d)) == (ids["B"], ids["B"], ids["D"])


def test_keys_guard_step_routes(api: Api, workshop: dict[str, Any]) -> None:
    ws = workshop["id"]
    step = add(api, ws, "A").json()
    url = f"{steps_url(ws)}/{step['id']}"
    assert api.reader.get(steps_url(ws)).status_code == 200
    assert api.reader.get(url).status_code == 200
    for response in (
        api.reader.post(steps_url(ws), json={"title": "B"}),
        api.reader.patch(url, json={"title": "B"}),
        api.reader.delete(url),
    ):
        assert response.status_code == 403, response.text
    for response in (
        api.anonymous.get(steps_url(ws)),
        api.anonymous.get(url),
        api.anonymous.post(steps_url(ws), json={"title": "B"}),
        api.anonymous.patch(url, json={"title": "B"}),
        api.anonymous.delete(url),
    ):
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert db_titles(api, ws) == ["A"]
