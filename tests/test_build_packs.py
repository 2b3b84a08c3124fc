"""Build packs over real HTTP against a real database."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from service.ids import create_prefixed_id
from tests.conftest import Api, walk_pages

LIMIT = 262_144


def start_session(api: Api, workshop_id: str) -> str:
    """A member and a session in the workshop, inserted directly."""
    member_id, session_id = create_prefixed_id("wm"), create_prefixed_id("ses")
    with api.db() as db:
        db.execute(
            "insert into workshop_member (id, workshop_id, email, display_name) values (%s, %s, %s, 'P')",
            (member_id, workshop_id, f"{member_id}@example.com"),
        )
        db.execute(
            "insert into session (id, workshop_id, member_id) values (%s, %s, %s)", (session_id, workshop_id, member_id)
        )
    return session_id


@pytest.fixture
def session_id(api: Api, workshop: dict[str, Any]) -> str:
    return start_session(api, workshop["id"])


def create(api: Api, session_id: str, **body: Any) -> Any:
    return api.client.post(f"/v1/sessions/{session_id}/build-packs", json={"title": "Cheat sheet", **body})


def pack_in_db(api: Api, pack_id: str) -> tuple[Any, ...] | None:
    with api.db() as db:
        return db.execute("select title, content, status, version from build_pack where id = %s", (pack_id,)).fetchone()


def pack_count(api: Api) -> int:
    with api.db() as db:
        row = db.execute("select count(*) from build_pack").fetchone()
    assert row is not None
    return int(row[0])


def content_of_size(size: int, char: str = "x") -> dict[str, str]:
    """An object whose jsonb text, `{"k": "..."}`, is exactly `size` bytes."""
    room = size - len('{"k": ""}')
    width = len(char.encode())
    return {"k": char * (room // width) + "x" * (room % width)}


def nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth - 1):
        value = {"a": value}
    return value


def test_create_answers_201_with_location_etag_and_the_sessions_workshop(
    api: Api, workshop: dict[str, Any], session_id: str
) -> None:
    response = create(api, session_id, content={"notes": ["joins", "indexes"], "score": 9.5})
    assert response.status_code == 201, response.text
    pack = response.json()
    assert pack["id"].startswith("bp_") and len(pack["id"]) == 27
    assert (pack["session_id"], pack["workshop_id"]) == (session_id, workshop["id"])
    assert (pack["status"], pack["version"]) == ("draft", 1)
    assert pack["content"] == {"notes": ["joins", "indexes"], "score": 9.5}
    assert response.headers["location"] == f"/v1/build-packs/{pack['id']}"
    fetched = api.client.get(response.headers["location"])
    assert fetched.status_code == 200
    assert fetched.json() == pack
    assert fetched.headers["etag"] == response.headers["etag"]
    assert create(api, session_id).json()["content"] == {}


def test_create_for_unknown_or_malformed_session_is_404(api: Api, workshop: dict[str, Any]) -> None:
    for session_id in ("ses_" + "a" * 24, "ses_short", "ws_" + "a" * 24, workshop["id"]):
        response = create(api, session_id)
        assert response.status_code == 404, (session_id, response.text)
        assert response.json()["type"].endswith("/not-found")
    assert pack_count(api) == 0


BAD_CREATES = [
    ({"title": ""}, "title"),
    ({"title": "t" * 201}, "title"),
    ({"title": None}, "title"),
    ({"content": [1, 2]}, "content"),
    ({"content": "text"}, "content"),
    ({"content": 7}, "content"),
    ({"content": True}, "content"),
    ({"content": None}, "content"),
    ({"content": content_of_size(LIMIT + 1)}, "content"),
    ({"content": nested(65)}, "content"),
    ({"version": 5}, "version"),
    ({"status": "final"}, "status"),
]


def test_bad_create_input_is_422_naming_the_field(api: Api, session_id: str) -> None:
    for body, field in BAD_CREATES:
        response = create(api, session_id, **body)
        assert response.status_code == 422, (str(body)[:80], response.text)
        assert field in [e["field"] for e in response.json()["errors"]], str(body)[:80]
    assert pack_count(api) == 0


def test_missing_title_is_422(api: Api, session_id: str) -> None:
    response = api.client.post(f"/v1/sessions/{session_id}/build-packs", json={"content": {}})
    assert response.status_code == 422
    assert "title" in [e["field"] for e in response.json()["errors"]]


def test_content_of_exactly_256_kib_is_accepted_and_one_byte_more_is_not(api: Api, session_id: str) -> None:
    for char in ("x", "é", "€"):  # 1, 2 and 3 bytes in UTF-8
        at_limit = create(api, session_id, content=content_of_size(LIMIT, char))
        assert at_limit.status_code == 201, (char, at_limit.text[:300])
        with api.db() as db:
            row = db.execute(
                "select octet_length(content::text) from build_pack where id = %s", (at_limit.json()["id"],)
            )
            assert row.fetchone() == (LIMIT,)
        over = create(api, session_id, content=content_of_size(LIMIT + 1, char))
        assert over.status_code == 422, char
        assert over.json()["errors"][0]["field"] == "content"
    assert pack_count(api) == 3


def test_content_nesting_limit(api: Api, session_id: str) -> None:
    assert create(api, session_id, content=nested(64)).status_code == 201
    assert create(api, session_id, content={"list": [[[[]]]]}).status_code == 201


MALFORMED = [
    b"{not json",
    b"[]",
    b"",
    b"\xff\xfe",
    b'{"title": "nul \\u0000"}',
    b'{"title": "t", "content": {"k": "nul \\u0000"}}',
    b'{"title": "t", "content": {"nul \\u0000": 1}}',
    b'{"title": "t", "content": {"k": "\\ud800"}}',
    b'{"title": "t", "content": {"k": 1e999}}',
    b'{"title": "t", "content": ' + b'{"a": ' * 2000 + b"1" + b"}" * 2001,
]


def test_malformed_bodies_are_4xx_never_500(api: Api, session_id: str) -> None:
    url = f"/v1/sessions/{session_id}/build-packs"
    pack = create(api, session_id).json()
    for method, target in (("POST", url), ("PATCH", f"/v1/build-packs/{pack['id']}")):
        for raw in MALFORMED:
            headers = {"content-type": "application/json", "If-Match": "*"}
            response = api.client.request(method, target, content=raw, headers=headers)
            assert 400 <= response.status_code < 500, (method, raw[:60], response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
    assert pack_count(api) == 1
    assert pack_in_db(api, pack["id"]) == ("Cheat sheet", {}, "draft", 1)


def test_numbers_are_kept(api: Api, session_id: str) -> None:
    big = 123456789012345678901234567890
    response = create(api, session_id, content={"big": big, "pi": 3.14159, "neg": -1, "e": 1e300})
    assert response.status_code == 201, response.text
    fetched = api.client.get(response.headers["location"]).json()["content"]
    assert (fetched["big"], fetched["pi"], fetched["neg"]) == (big, 3.14159, -1)
    assert float(fetched["e"]) == 1e300  # jsonb keeps numbers as numeric: 1e300 comes back as 1000...0


def test_list_filters_by_status_and_needs_a_workshop(api: Api, workshop: dict[str, Any], session_id: str) -> None:
    ids = [create(api, session_id, title=f"Pack {n}").json()["id"] for n in range(3)]
    assert api.client.post(f"/v1/build-packs/{ids[1]}/finalize").status_code == 200
    other_ws = api.client.post("/v1/workshops", json={"slug": "other", "title": "Other"}).json()["id"]
    create(api, start_session(api, other_ws), title="Elsewhere")
    url = f"/v1/workshops/{workshop['id']}/build-packs"

    def listed(**params: Any) -> list[str]:
        response = api.client.get(url, params=params)
        assert response.status_code == 200, response.text
        assert response.json()["next_cursor"] is None
        return [p["id"] for p in response.json()["items"]]

    assert listed() == ids
    assert listed(status="draft") == [ids[0], ids[2]]
    assert listed(status="final") == [ids[1]]
    assert api.client.get(url, params={"status": "sealed"}).status_code == 422
    empty = api.client.get(f"/v1/workshops/{other_ws}/build-packs", params={"status": "final"})
    assert empty.json() == {"items": [], "next_cursor": None}
    for missing in ("ws_" + "a" * 24, "ws_short", "bp_" + "a" * 24):
        response = api.client.get(f"/v1/workshops/{missing}/build-packs")
        assert response.status_code == 404, missing


def test_pages_walk_every_pack_once_even_while_packs_are_added(
    api: Api, workshop: dict[str, Any], session_id: str
) -> None:
    created = {create(api, session_id, title=f"Pack {n}").json()["id"] for n in range(25)}
    url = f"/v1/workshops/{workshop['id']}/build-packs"

    def late(page: int) -> None:
        if page == 2:
            created.add(create(api, session_id, title="Late").json()["id"])

    items, pages = walk_pages(api.client, url, 7, late)
    seen = [p["id"] for p in items]
    assert len(seen) == len(set(seen)) == 26
    assert set(seen) == created
    assert pages == 4


def test_bad_list_parameters_are_4xx(api: Api, workshop: dict[str, Any]) -> None:
    for params, field in (({"cursor": "garbage"}, "cursor"), ({"limit": 0}, "limit"), ({"limit": 101}, "limit")):
        response = api.client.get(f"/v1/workshops/{workshop['id']}/build-packs", params=params)
        assert response.status_code in (400, 422), params
        assert field in response.text


def test_patch_needs_if_match_and_bumps_the_version(api: Api, session_id: str) -> None:
    response = create(api, session_id, content={"a": 1})
    url, etag = response.headers["location"], response.headers["etag"]
    missing = api.client.patch(url, json={"title": "New"})
    assert missing.status_code == 428
    assert missing.json()["type"].endswith("/precondition-required")
    assert api.client.patch(url, json={"title": "New"}, headers={"If-Match": ""}).status_code == 428
    changed = api.client.patch(url, json={"title": "New"}, headers={"If-Match": etag})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["title"], body["content"], body["version"]) == ("New", {"a": 1}, 2)
    assert body["updated_at"] > response.json()["updated_at"]
    assert changed.headers["etag"] not in (etag, None)
    assert changed.headers["etag"] == api.client.get(url).headers["etag"]
    stale = api.client.patch(url, json={"title": "Newer"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.headers["etag"] == changed.headers["etag"]
    assert pack_in_db(api, body["id"]) == ("New", {"a": 1}, "draft", 2)
    third = api.client.patch(url, json={"content": {"b": 2}}, headers={"If-Match": changed.headers["etag"]})
    assert third.json()["version"] == 3


def test_patch_merges_content_key_by_key(api: Api, session_id: str) -> None:
    response = create(api, session_id, content={"a": 1, "nested": {"x": 1, "y": 2}, "list": [1, 2]})
    url, etag = response.headers["location"], response.headers["etag"]
    patch = {"content": {"a": None, "nested": {"y": None, "z": 3}, "list": [3], "new": "yes"}}
    merged = api.client.patch(url, json=patch, headers={"If-Match": etag})
    assert merged.status_code == 200, merged.text
    assert merged.json()["content"] == {"nested": {"x": 1, "z": 3}, "list": [3], "new": "yes"}
    assert merged.json()["title"] == "Cheat sheet"


def test_patch_that_changes_nothing_keeps_the_version(api: Api, session_id: str) -> None:
    response = create(api, session_id, content={"a": 1})
    url, etag = response.headers["location"], response.headers["etag"]
    for patch in ({}, {"title": "Cheat sheet"}, {"content": {"a": 1}}, {"content": {"gone": None}}):
        same = api.client.patch(url, json=patch, headers={"If-Match": etag})
        assert same.status_code == 200, (patch, same.text)
        assert (same.json()["version"], same.headers["etag"]) == (1, etag)


BAD_PATCHES = [
    ({"title": None}, "title"),
    ({"title": ""}, "title"),
    ({"content": None}, "content"),
    ({"content": [1]}, "content"),
    ({"content": content_of_size(LIMIT + 1)}, "content"),
    ({"content": nested(65)}, "content"),
    ({"version": 9}, "version"),
    ({"status": "final"}, "status"),
]


def test_bad_patches_are_422_naming_the_field(api: Api, session_id: str) -> None:
    response = create(api, session_id)
    url, etag = response.headers["location"], response.headers["etag"]
    for patch, field in BAD_PATCHES:
        refused = api.client.patch(url, json=patch, headers={"If-Match": etag})
        assert refused.status_code == 422, (str(patch)[:80], refused.text)
        assert field in [e["field"] for e in refused.json()["errors"]], str(patch)[:80]
    assert pack_in_db(api, response.json()["id"]) == ("Cheat sheet", {}, "draft", 1)


def test_a_merge_that_grows_content_past_the_limit_is_422(api: Api, session_id: str) -> None:
    half = content_of_size(LIMIT // 2)
    response = create(api, session_id, content=half)
    url, etag = response.headers["location"], response.headers["etag"]
    refused = api.client.patch(url, json={"content": {"k2": half["k"]}}, headers={"If-Match": etag})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "content"
    assert pack_in_db(api, response.json()["id"])[3] == 1  # type: ignore[index]


def test_finalize_then_every_change_is_409(api: Api, session_id: str) -> None:
    response = create(api, session_id)
    url, etag = response.headers["location"], response.headers["etag"]
    final = api.client.post(f"{url}/finalize")
    assert final.status_code == 200, final.text
    assert (final.json()["status"], final.json()["version"]) == ("final", 2)
    assert final.headers["etag"] == api.client.get(url).headers["etag"]
    again = api.client.post(f"{url}/finalize")
    assert again.status_code == 409
    assert again.json()["type"].endswith("/build-pack-final")
    for if_match in (final.headers["etag"], etag, "*"):
        refused = api.client.patch(url, json={"title": "Late edit"}, headers={"If-Match": if_match})
        assert refused.status_code == 409, refused.text
        assert refused.json()["type"].endswith("/build-pack-final")
    assert api.client.patch(url, json={"title": "Late edit"}).status_code == 428  # 428 comes before 409
    assert pack_in_db(api, response.json()["id"]) == ("Cheat sheet", {}, "final", 2)
    assert api.client.delete(url).status_code == 204  # final packs may still be deleted
    assert api.client.get(url).status_code == 404
    assert api.client.delete(url).status_code == 404


def test_finalize_honours_if_match(api: Api, session_id: str) -> None:
    response = create(api, session_id)
    url, etag = response.headers["location"], response.headers["etag"]
    api.client.patch(url, json={"title": "Edited"}, headers={"If-Match": etag})
    assert api.client.post(f"{url}/finalize", headers={"If-Match": etag}).status_code == 412
    current = api.client.get(url).headers["etag"]
    assert api.client.post(f"{url}/finalize", headers={"If-Match": current}).json()["version"] == 3


def test_the_database_refuses_changes_to_a_final_pack(api: Api, session_id: str) -> None:
    pack_id = create(api, session_id).json()["id"]
    api.client.post(f"/v1/build-packs/{pack_id}/finalize")
    with api.db() as db, pytest.raises(psycopg.errors.CheckViolation, match="final"):
        db.execute("update build_pack set title = 'sneaky' where id = %s", (pack_id,))


def test_wrong_ids_are_404_problems(api: Api) -> None:
    for pack_id in ("bp_" + "a" * 24, "bp_short", "ses_" + "a" * 24, "BP_" + "a" * 24, "' or 1=1 --"):
        url = f"/v1/build-packs/{pack_id}"
        for method, path, headers in (
            ("GET", url, {}),
            ("PATCH", url, {}),
            ("PATCH", url, {"If-Match": '"x"'}),
            ("DELETE", url, {}),
            ("POST", f"{url}/finalize", {}),
        ):
            response = api.client.request(method, path, json={} if method == "PATCH" else None, headers=headers)
            assert response.status_code == 404, (method, path, response.text)
            assert response.json()["type"].endswith("/not-found")


def test_keys_guard_build_pack_routes(api: Api, workshop: dict[str, Any], session_id: str) -> None:
    response = create(api, session_id)
    url, etag = response.headers["location"], response.headers["etag"]
    list_url = f"/v1/workshops/{workshop['id']}/build-packs"
    create_url = f"/v1/sessions/{session_id}/build-packs"
    assert api.reader.get(url).status_code == 200
    assert api.reader.get(list_url).status_code == 200
    writes = (
        ("POST", create_url, {"title": "x"}),
        ("PATCH", url, {"title": "x"}),
        ("DELETE", url, None),
        ("POST", f"{url}/finalize", None),
    )
    for method, path, body in writes:
        refused = api.reader.request(method, path, json=body, headers={"If-Match": etag})
        assert refused.status_code == 403, (method, path, refused.text)
    for method, path, body in (("GET", url, None), ("GET", list_url, None), *writes):
        refused = api.anonymous.request(method, path, json=body, headers={"If-Match": etag})
        assert refused.status_code == 401, (method, path)
        assert refused.headers["www-authenticate"].startswith("Bearer")
    assert pack_in_db(api, response.json()["id"]) == ("Cheat sheet", {}, "draft", 1)
    assert pack_count(api) == 1


def test_deleting_the_session_deletes_its_packs(api: Api, session_id: str) -> None:
    url = create(api, session_id).headers["location"]
    with api.db() as db:
        db.execute("delete from session where id = %s", (session_id,))
    assert api.client.get(url).status_code == 404


def test_openapi_documents_the_routes(api: Api) -> None:
    document = api.client.get("/schema/openapi.json").json()
    paths = document["paths"]
    for path in (
        "/v1/sessions/{session_id}/build-packs",
        "/v1/workshops/{workshop_id}/build-packs",
        "/v1/build-packs/{build_pack_id}",
        "/v1/build-packs/{build_pack_id}/finalize",
        "/v1/workshops/{workshop_id}/steps",
        "/v1/workshops/{workshop_id}/steps/{step_id}",
    ):
        assert path in paths, path
    assert "If-Match" in {p["name"] for p in paths["/v1/build-packs/{build_pack_id}"]["patch"]["parameters"]}
    assert {"404", "409", "412", "428"} <= set(paths["/v1/build-packs/{build_pack_id}"]["patch"]["responses"])
    assert {"404", "409"} <= set(paths["/v1/workshops/{workshop_id}/steps"]["post"]["responses"])
