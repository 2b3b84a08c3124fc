"""Fixtures: a real PostgreSQL, a fresh database per test, the real app over real HTTP.

The session migrates one template database with dbmate; every test gets its
own database cloned from it (`create database ... template ...`, a file
copy that takes milliseconds), so tests may commit, run concurrently
against the server and inspect the result, without seeing each other.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import psycopg
import pytest
import uvicorn

from service.app import create_app
from service.config import Settings
from service.embedded import default_server
from service.keys import create_key
from service.migrate import dbmate

logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per request drowns failures


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(url: str) -> psycopg.Connection[Any]:
    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)


@pytest.fixture(scope="session")
def server_url() -> str:
    """A PostgreSQL server whose role may create databases: TEST_DATABASE_URL, or the embedded one."""
    return os.environ.get("TEST_DATABASE_URL") or default_server().start()


@pytest.fixture(scope="session")
def template_name(server_url: str) -> Iterator[str]:
    name = f"atelier_template_{os.getpid()}"
    url = with_database(server_url, name)
    dbmate(url, "drop")
    dbmate(url, "up")
    yield name
    dbmate(url, "drop")


@pytest.fixture
def database_url(server_url: str, template_name: str) -> Iterator[str]:
    """A fresh, migrated database for this test alone."""
    name = f"atelier_test_{uuid.uuid4().hex[:12]}"
    with _admin(server_url) as admin:
        admin.execute(f'create database "{name}" template "{template_name}"')
    yield with_database(server_url, name)
    with _admin(server_url) as admin:
        admin.execute(f'drop database if exists "{name}" with (force)')


def run(coro: Any) -> Any:
    return asyncio.run(coro)


async def _new_key(url: str, scope: str) -> str:
    conn = await asyncpg.connect(url)
    try:
        _, secret = await create_key(conn, f"test-{scope}", scope)  # type: ignore[arg-type]
        return secret
    finally:
        await conn.close()


class LiveServer:
    """The real app under uvicorn on a free loopback port, in a thread of the test process."""

    def __init__(self, database_url: str, **settings: Any) -> None:
        app = create_app(Settings(database_url=database_url, **settings), database_url)
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)


@dataclass
class Api:
    """Clients for one live server: with a write key, a read key, and none."""

    url: str
    database_url: str
    write_key: str
    read_key: str
    client: httpx.Client
    reader: httpx.Client
    anonymous: httpx.Client

    def db(self) -> psycopg.Connection[Any]:
        """A direct connection to the test's database, to check what the API did."""
        return _admin(self.database_url)


def _client(url: str, key: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.Client(base_url=url, headers=headers, timeout=30)


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    write_key = run(_new_key(database_url, "write"))
    read_key = run(_new_key(database_url, "read"))
    with LiveServer(database_url) as server:
        clients = [_client(server.url, write_key), _client(server.url, read_key), _client(server.url, None)]
        yield Api(server.url, database_url, write_key, read_key, *clients)
        for c in clients:
            c.close()


@pytest.fixture
def workshop(api: Api) -> dict[str, Any]:
    """A workshop with capacity 10, created through the API."""
    response = api.client.post(
        "/v1/workshops", json={"slug": f"ws-{uuid.uuid4().hex[:8]}", "title": "Fixture workshop", "capacity": 10}
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def walk_pages(
    client: httpx.Client, url: str, limit: int, after_page: Callable[[int], object] | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Every item of a keyset-paginated list, following next_cursor; `after_page(n)` runs after page n."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        response = client.get(url, params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        pages += 1
        if after_page is not None:
            after_page(pages)
        cursor = body["next_cursor"]
        if cursor is None:
            return items, pages


def v1_operations(api: Api, ids: dict[str, str]) -> list[tuple[str, str]]:
    """(METHOD, concrete path) for every /v1 operation of the OpenAPI document, path ids filled from `ids`."""
    document: dict[str, Any] = api.anonymous.get("/schema/openapi.json").json()
    found = []
    for path, item in document["paths"].items():
        if path.startswith("/v1"):
            concrete = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)
            found += [(m.upper(), concrete) for m in item if m in ("get", "post", "patch", "delete")]
    return found
