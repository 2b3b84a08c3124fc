"""No input, however malformed, yields a 500: every route, fed junk, answers 4xx problems.

Real ids are used where a route needs them, so the junk reaches the handlers
and the database, not only the id check.
"""

from __future__ import annotations

from tests.conftest import Api, v1_operations

JUNK_BODIES: list[bytes] = [
    b"",
    b"null",
    b"[]",
    b"[1, 2, 3]",
    b'"string"',
    b"12",
    b"{",
    b'{"a": }',
    b"\xff\xfe\x00",
    b'{"title": null, "slug": null, "position": null, "content": null, "email": null, "member_id": null}',
    b'{"title": 12, "slug": ["x"], "position": "first", "content": [], "email": 5, "member_id": {}}',
    b'{"position": 1e400, "capacity": 99999999999999999999999, "duration_minutes": -1}',
    b'{"position": true, "capacity": 1.5, "role": "admin", "status": "live"}',
    b'{"content": {"deep": ' + b'{"a": ' * 200 + b"1" + b"}" * 200 + b"}}",
    b"[" * 5000 + b"]" * 5000,
    b'{"title": "' + b"x" * 300_000 + b'"}',
    b'{"title": "\\ud800", "email": "a@b.c\\u0000"}',
    b'{"member_id": "wm_\' or 1=1 --", "email": "x@y.z\'); drop table workshop; --"}',
    b'{"starts_at": "0000-00-00T00:00:00Z", "capacity": 0}',
    b'{"__proto__": {}, "constructor": 1}',
]
JUNK_QUERIES: list[dict[str, str]] = [
    {"limit": "1e9"},
    {"limit": "-5", "cursor": "\x00"},
    {"cursor": "%%%"},
    {"status": "' or 1=1 --", "role": "x", "member_id": "nope"},
    {"q": "%" * 300},
    {"q": "\\"},
]


def _ids(api: Api) -> dict[str, str]:
    client = api.client
    ws = client.post("/v1/workshops", json={"slug": "fuzz", "title": "Fuzz"}).json()["id"]
    member = client.post(f"/v1/workshops/{ws}/members", json={"email": "f@z.io", "display_name": "F"}).json()["id"]
    step = client.post(f"/v1/workshops/{ws}/steps", json={"title": "S"}).json()["id"]
    session = client.post(f"/v1/workshops/{ws}/sessions", json={"member_id": member}).json()["id"]
    pack = client.post(f"/v1/sessions/{session}/build-packs", json={"title": "P"}).json()["id"]
    return {"workshop_id": ws, "member_id": member, "step_id": step, "session_id": session, "build_pack_id": pack}


def test_junk_never_gives_a_500(api: Api) -> None:
    ids = _ids(api)
    operations = [(m, p) for m, p in v1_operations(api, ids) if m != "DELETE"]
    seen: set[int] = set()
    for method, path in operations:
        for body in JUNK_BODIES if method in ("POST", "PATCH") else [b""]:
            headers = {"content-type": "application/json", "If-Match": '"x"'}
            response = api.client.request(method, path, content=body, headers=headers)
            assert response.status_code < 500, (method, path, body[:80], response.text[:300])
            seen.add(response.status_code)
            if response.status_code >= 400:
                assert response.headers["content-type"].startswith("application/problem+json"), (method, path)
        if method == "GET":
            for params in JUNK_QUERIES:
                response = api.client.get(path, params=params)
                assert response.status_code < 500, (method, path, params, response.text[:300])
    assert {400, 422} <= seen
    # Junk changed nothing: the fixture's rows are as they were.
    with api.db() as db:
        assert db.execute("select count(*) from workshop").fetchone() == (1,)
        assert db.execute("select title, version from build_pack").fetchone() == ("P", 1)
        assert db.execute("select count(*) from workshop_step").fetchone() == (1,)


def test_junk_path_ids_are_404(api: Api) -> None:
    ids = _ids(api)
    junk = ["x", "ws_", "' or '1'='1", "%00", "a" * 2000, "ws_" + "a" * 24 + "%0a", "..%2f..%2fetc"]
    for method, path in v1_operations(api, ids):
        for value in junk:
            for real in ids.values():
                if real in path:
                    response = api.client.request(method, path.replace(real, value, 1), json={})
                    # A body this route cannot accept may be refused (422) before the id is looked at.
                    allowed = (404, 422) if method in ("POST", "PATCH") else (404,)
                    assert response.status_code in allowed, (method, path, value, response.text[:200])
