"""The service behind a real PgBouncer in transaction pooling mode (SPEC 5, DATABASE_POOL_MODE=transaction).

These tests fail, never skip, when pgbouncer is missing: transaction pooling
is how Neon and most managed PostgreSQL are reached, so it must be proved.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from service.ids import create_prefixed_id
from tests.conftest import Api, LiveServer, _admin, _client, _new_key, run
from tests.pgbouncer import PgBouncer, PgBouncerMissing


@pytest.fixture(scope="module")
def bouncer(server_url: str) -> Iterator[PgBouncer]:
    try:
        pgbouncer = PgBouncer(server_url).start()
    except PgBouncerMissing as exc:
        pytest.fail(str(exc))
    yield pgbouncer
    pgbouncer.stop()


@pytest.fixture
def bounced(database_url: str, bouncer: PgBouncer) -> Iterator[Api]:
    """The live app whose every connection goes through PgBouncer; keys made directly."""
    write_key = run(_new_key(database_url, "write"))
    read_key = run(_new_key(database_url, "read"))
    pooled = bouncer.url(database_url)
    with LiveServer(pooled, database_pool_mode="transaction", database_pool_max=10) as server:
        clients = [_client(server.url, write_key), _client(server.url, read_key), _client(server.url, None)]
        yield Api(server.url, database_url, write_key, read_key, *clients)
        for c in clients:
            c.close()


def _workshop(api: Api, **fields: Any) -> dict[str, Any]:
    body = {"slug": f"ws-{uuid.uuid4().hex[:10]}", "title": "Through PgBouncer", **fields}
    response = api.client.post("/v1/workshops", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_clients_share_few_server_sessions_that_carry_application_name(bounced: Api) -> None:
    workshop = _workshop(bounced)
    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(
            pool.map(lambda _: bounced.reader.get(f"/v1/workshops/{workshop['id']}").status_code, range(60))
        )
    assert set(statuses) == {200}
    with _admin(bounced.database_url) as conn:
        row = conn.execute(
            "select count(*) from pg_stat_activity where datname = current_database() and application_name = 'atelier'"
        ).fetchone()
    # Up to 10 app connections were busy at once, yet the server saw at most the bouncer's 4.
    assert row is not None and 1 <= row[0] <= 4, row


def test_workshop_create_get_list_patch(bounced: Api) -> None:
    created = _workshop(bounced, capacity=5)
    location = f"/v1/workshops/{created['id']}"
    got = bounced.reader.get(location)
    assert got.status_code == 200 and got.json()["participant_count"] == 0
    listed = bounced.reader.get("/v1/workshops", params={"q": created["slug"]})
    assert [w["id"] for w in listed.json()["items"]] == [created["id"]]
    patched = bounced.client.patch(location, json={"title": "Renamed"}, headers={"If-Match": got.headers["etag"]})
    assert patched.status_code == 200, patched.text
    assert patched.json()["title"] == "Renamed" and patched.json()["capacity"] == 5
    stale = bounced.client.patch(location, json={"title": "Again"}, headers={"If-Match": got.headers["etag"]})
    assert stale.status_code == 412
    assert bounced.client.post("/v1/workshops", json={"slug": created["slug"], "title": "Dup"}).status_code == 409


def test_statement_timeout_holds_in_transaction_mode(database_url: str, bouncer: PgBouncer) -> None:
    """No startup parameter carries it through PgBouncer: each request transaction sets it.

    The server cancels the blocked statement after 200 ms; the client-side
    backstop (command_timeout) would only fire after 1.2 s.
    """
    key = run(_new_key(database_url, "write"))
    with LiveServer(
        bouncer.url(database_url), database_pool_mode="transaction", database_statement_timeout_ms=200
    ) as s:
        client = _client(s.url, key)
        workshop_id = client.post("/v1/workshops", json={"slug": "slow-lane", "title": "Locked"}).json()["id"]
        with _admin(database_url) as holder:
            holder.execute("begin")
            holder.execute("select 1 from workshop where id = %s for update", [workshop_id])
            started = time.monotonic()
            blocked = client.patch(f"/v1/workshops/{workshop_id}", json={"title": "Never"})
            elapsed = time.monotonic() - started
            holder.execute("rollback")
        assert blocked.status_code == 503, blocked.text
        assert elapsed < 1.0, f"the statement ran {elapsed:.2f}s: statement_timeout did not reach the server"
        assert client.patch(f"/v1/workshops/{workshop_id}", json={"title": "Now"}).status_code == 200
        client.close()


def test_jsonb_round_trips_through_pgbouncer(bounced: Api) -> None:
    """The jsonb codec is set up per connection, and must hold on whichever server session serves it."""
    workshop = _workshop(bounced)
    member = bounced.client.post(
        f"/v1/workshops/{workshop['id']}/members", json={"email": "p@example.com", "display_name": "P"}
    )
    assert member.status_code == 201, member.text
    with bounced.db() as db:
        session_id = create_prefixed_id("ses")
        db.execute(
            "insert into session (id, workshop_id, member_id) values (%s, %s, %s)",
            (session_id, workshop["id"], member.json()["id"]),
        )
    content = {"steps": [1, 2, {"note": "ünïcode", "ok": True, "none": None}], "n": 1.5}
    pack = bounced.client.post(f"/v1/sessions/{session_id}/build-packs", json={"title": "Pack", "content": content})
    assert pack.status_code == 201, pack.text
    assert bounced.reader.get(pack.headers["location"]).json()["content"] == content


def test_sixty_concurrent_joins_admit_exactly_capacity(bounced: Api) -> None:
    workshop = _workshop(bounced, capacity=10)

    def join(i: int) -> int:
        body = {"email": f"p{i}@example.com", "display_name": f"P {i}", "role": "participant"}
        return bounced.client.post(f"/v1/workshops/{workshop['id']}/members", json=body).status_code

    with ThreadPoolExecutor(max_workers=60) as pool:
        statuses = list(pool.map(join, range(60)))
    assert statuses.count(201) == 10, statuses
    assert statuses.count(409) == 50, statuses
    assert bounced.reader.get(f"/v1/workshops/{workshop['id']}").json()["participant_count"] == 10


def test_concurrent_creates_and_one_if_match_winner(bounced: Api) -> None:
    with ThreadPoolExecutor(max_workers=30) as pool:
        created = list(pool.map(lambda _: _workshop(bounced), range(30)))
    assert len({w["id"] for w in created}) == 30
    target = created[0]
    etag = bounced.reader.get(f"/v1/workshops/{target['id']}").headers["etag"]

    def patch(i: int) -> int:
        response = bounced.client.patch(
            f"/v1/workshops/{target['id']}", json={"title": f"Writer {i}"}, headers={"If-Match": etag}
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(patch, range(20)))
    assert sorted(statuses) == [200] + [412] * 19, statuses


def test_reads_outside_request_transactions_hold_under_load(bounced: Api) -> None:
    """/ready and the key check run outside the request transaction: they must not lose their statement."""
    workshop = _workshop(bounced)

    def hit(i: int) -> int:
        path = "/ready" if i % 2 else f"/v1/workshops/{workshop['id']}"
        client = bounced.anonymous if i % 2 else bounced.reader
        return client.get(path).status_code

    with ThreadPoolExecutor(max_workers=40) as pool:
        statuses = list(pool.map(hit, range(400)))
    assert set(statuses) == {200}, {s: statuses.count(s) for s in set(statuses)}


def test_missing_pgbouncer_fails_with_an_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests import pgbouncer

    monkeypatch.setattr(pgbouncer.shutil, "which", lambda _: None)
    monkeypatch.setattr(pgbouncer.os, "access", lambda *_: False)
    with pytest.raises(PgBouncerMissing, match="apt-get install pgbouncer"):
        pgbouncer.find_pgbouncer()
