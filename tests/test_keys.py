"""The development key that `make run` prints once, on a database with no key."""

from __future__ import annotations

import asyncpg
import httpx

from service.keys import ensure_development_key
from tests.conftest import LiveServer, run


async def _ensure(url: str) -> str | None:
    conn = await asyncpg.connect(url)
    try:
        return await ensure_development_key(conn)
    finally:
        await conn.close()


def test_first_start_creates_one_write_key_and_later_starts_none(database_url: str) -> None:
    secret = run(_ensure(database_url))
    assert secret is not None and secret.startswith("atelier_")
    assert run(_ensure(database_url)) is None
    with LiveServer(database_url) as live:
        response = httpx.post(
            f"{live.url}/v1/workshops",
            json={"slug": "first", "title": "First"},
            headers={"Authorization": f"Bearer {secret}"},
        )
        assert response.status_code == 201
