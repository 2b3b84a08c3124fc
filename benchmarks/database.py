"""A dedicated PostgreSQL cluster in a temporary directory, migrated and seeded for one run."""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import aiosql
import asyncpg

from service.embedded import EmbeddedPostgres
from service.keys import create_key
from service.migrate import dbmate

__all__ = ["BENCH_QUERIES", "BenchCluster", "Seeded", "say"]

BENCH_QUERIES: Any = aiosql.from_path(Path(__file__).with_name("bench.sql"), "asyncpg")


def say(message: str) -> None:
    """Progress goes to standard error; the table alone goes to standard output."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Seeded:
    url: str
    api_key: str  # a write key, sent to both apps
    hot_workshop_ids: list[str]  # workshops with steps and members: the HTTP load picks from these
    workshops: int
    steps_each: int
    server_version: str


class BenchCluster:
    """`with BenchCluster() as cluster:` starts a fresh cluster; leaving stops it and removes its files."""

    def __init__(self, keep: bool = False) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="atelier-bench-"))
        self.server = EmbeddedPostgres(self.directory)
        self.keep = keep

    def __enter__(self) -> BenchCluster:
        started = time.monotonic()
        self.server.start()
        say(f"PostgreSQL cluster in {self.directory} ({time.monotonic() - started:.1f}s)")
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.server.stop("immediate")
        if self.keep:
            say(f"kept {self.directory}")
        else:
            shutil.rmtree(self.directory, ignore_errors=True)

    def seed(self, workshops: int, hot: int, steps_each: int) -> Seeded:
        url = self.server.url("atelier")
        dbmate(url, "up")
        return asyncio.run(_seed(url, workshops, hot, steps_each))


async def _seed(url: str, workshops: int, hot: int, steps_each: int) -> Seeded:
    started = time.monotonic()
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            await BENCH_QUERIES.seed_workshops(conn, total=workshops)
            await BENCH_QUERIES.seed_steps(conn, workshops=hot, steps_each=steps_each)
            await BENCH_QUERIES.seed_members(conn, workshops=hot)
            _, secret = await create_key(conn, "bench", "write")
        await BENCH_QUERIES.vacuum_analyze(conn)
        ids = [row["id"] async for row in BENCH_QUERIES.workshop_ids_with_steps(conn, n=hot)]
        total = await BENCH_QUERIES.count_workshops(conn)
        version = await BENCH_QUERIES.server_version(conn)
    finally:
        await conn.close()
    say(
        f"seeded {total:,} workshops, {hot:,} of them with {steps_each} steps and 3 members "
        f"({time.monotonic() - started:.1f}s)"
    )
    return Seeded(url, secret, ids, total, steps_each, version)
