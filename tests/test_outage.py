"""A database that goes away: 503 with Retry-After, then the same process serves again.

This test runs its own PostgreSQL cluster (same binaries as the embedded
one), so stopping it does not disturb the rest of the suite.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from service.embedded import EmbeddedPostgres
from service.migrate import dbmate
from tests.conftest import LiveServer, _new_key, run


@pytest.fixture
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedPostgres]:
    server = EmbeddedPostgres(Path(tmp_path_factory.mktemp("outage")))
    server.start()
    yield server
    server.stop("immediate")


def _wait_for(client: httpx.Client, path: str, status: int, seconds: float) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while True:
        response = client.get(path)
        if response.status_code == status or time.monotonic() > deadline:
            return response
        time.sleep(0.1)


def test_outage_gives_503_then_heals_without_restart(own_server: EmbeddedPostgres) -> None:
    url = own_server.url("atelier")
    dbmate(url, "up")
    key = run(_new_key(url, "write"))
    with LiveServer(url, database_statement_timeout_ms=2000) as live:
        client = httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {key}"}, timeout=30)
        created = client.post("/v1/workshops", json={"slug": "before-outage", "title": "Committed"})
        assert created.status_code == 201
        location = created.headers["location"]

        own_server.stop("fast")
        for path in ("/v1/workshops", location, "/ready"):
            started = time.monotonic()
            response = client.get(path)
            assert response.status_code == 503, (path, response.text)
            assert response.headers["retry-after"]
            assert time.monotonic() - started < 10, "a request hung past the timeouts"
            if path != "/ready":
                assert response.json()["type"].endswith("/database-unavailable")
        write = client.post("/v1/workshops", json={"slug": "during-outage", "title": "Lost?"})
        assert write.status_code == 503
        assert client.get("/health").status_code == 200

        own_server.start()
        healed = _wait_for(client, location, 200, 20)
        assert healed.status_code == 200, healed.text
        assert healed.json()["slug"] == "before-outage"
        assert client.post("/v1/workshops", json={"slug": "after-outage", "title": "New"}).status_code == 201
        slugs = {w["slug"] for w in client.get("/v1/workshops").json()["items"]}
        assert slugs == {"before-outage", "after-outage"}
        client.close()


def test_service_starts_without_a_database_and_heals_when_it_appears(own_server: EmbeddedPostgres) -> None:
    url = own_server.url("atelier")
    dbmate(url, "up")
    key = run(_new_key(url, "read"))
    own_server.stop("fast")
    with LiveServer(url) as live:
        client = httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {key}"}, timeout=30)
        assert client.get("/v1/workshops").status_code == 503
        own_server.start()
        assert _wait_for(client, "/v1/workshops", 200, 20).status_code == 200
        client.close()
