"""List pagination: page 1 against page 1,000 of GET /v1/workshops?limit=100 over the seeded rows.

Atelier pages by keyset cursor; the cursor for page 1,000 is built the way
`service.pagination.encode_cursor` builds it, from the (created_at, id) of
the 99,900th row, and checked against the page it returns. The reference
pages by OFFSET (`offset=99900`).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass

import asyncpg
import httpx

from benchmarks.database import BENCH_QUERIES, Seeded, say
from benchmarks.servers import App, Server
from service.pagination import encode_cursor

__all__ = ["PageResult", "run_pagination"]

LIMIT = 100
FAR_PAGE = 1000


@dataclass(frozen=True)
class PageResult:
    app: App
    page: int
    how: str  # the query string of the far page, shortened
    median_ms: float
    p90_ms: float
    samples: int


async def _row_at(url: str, skip: int) -> tuple[object, str]:
    conn = await asyncpg.connect(url)
    try:
        row = await BENCH_QUERIES.workshop_key_at(conn, skip=skip)
    finally:
        await conn.close()
    assert row is not None, f"fewer than {skip + 1} workshops"
    return row["created_at"], row["id"]


def _time(client: httpx.Client, paths: dict[int, str], samples: int) -> dict[int, list[float]]:
    """Milliseconds per request, the pages alternating so drift hits them alike."""
    timings: dict[int, list[float]] = {page: [] for page in paths}
    for _ in range(5):  # warm-up
        for path in paths.values():
            client.get(path).raise_for_status()
    for _ in range(samples):
        for page, path in paths.items():
            started = time.perf_counter()
            response = client.get(path)
            timings[page].append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
    return timings


def run_pagination(servers: dict[App, Server], seeded: Seeded, samples: int) -> list[PageResult]:
    skip = (FAR_PAGE - 1) * LIMIT
    after, after_id = asyncio.run(_row_at(seeded.url, skip - 1))
    first_of_far_page = asyncio.run(_row_at(seeded.url, skip))[1]
    cursor = encode_cursor(after, after_id)  # type: ignore[arg-type]
    paths: dict[App, dict[int, str]] = {
        "atelier": {1: f"/v1/workshops?limit={LIMIT}", FAR_PAGE: f"/v1/workshops?limit={LIMIT}&cursor={cursor}"},
        "reference": {1: f"/v1/workshops?limit={LIMIT}", FAR_PAGE: f"/v1/workshops?limit={LIMIT}&offset={skip}"},
    }
    how = {"atelier": "cursor", "reference": f"offset={skip}"}
    results: list[PageResult] = []
    for app, server in servers.items():
        headers = {"Authorization": f"Bearer {seeded.api_key}"}
        with httpx.Client(base_url=server.url, headers=headers, timeout=60) as client:
            far = client.get(paths[app][FAR_PAGE]).json()
            assert len(far["items"]) == LIMIT and far["items"][0]["id"] == first_of_far_page, (
                f"{app}: page {FAR_PAGE} does not start at row {skip + 1}"
            )
            timings = _time(client, paths[app], samples)
        for page, ms in timings.items():
            ms.sort()
            result = PageResult(
                app,
                page,
                "first page" if page == 1 else how[app],
                statistics.median(ms),
                ms[int(0.9 * (len(ms) - 1))],
                len(ms),
            )
            say(f"{app:9} page {page:>5} ({result.how}): median {result.median_ms:.2f} ms")
            results.append(result)
    return results
