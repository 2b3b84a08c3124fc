"""`make seed`: production-like volumes (db/seed.sql), so query plans can be judged.

A plan on a near-empty database says nothing: PostgreSQL rightly scans a
table of ten rows. The seed is plain SQL a DBA can read and run with psql;
this module only picks the database and the scale. Without `DATABASE_URL`
it seeds a dedicated embedded database, `atelier_seed`, dropped and
migrated afresh, so the developer's `atelier` database is never touched.
"""

from __future__ import annotations

import asyncio
import sys
import time

import asyncpg

from service.embedded import embedded_url
from service.migrate import MigrationError, fresh_database, migration_versions
from service.models.migrations import SeedCounts
from service.paths import ROOT

__all__ = [
    "SEED_DATABASE", "SEED_FILE", "counts", "describe_counts", "ensure_migrated", "fresh_seed_database",
    "prepare_target", "run_seed", "seed",
]  # fmt: skip

SEED_FILE = ROOT / "db" / "seed.sql"
SEED_DATABASE = "atelier_seed"
SCALE_SETTING = "atelier.seed_scale"  # read by db/seed.sql with current_setting()


def seed_database_url() -> str:
    return embedded_url(SEED_DATABASE)


def fresh_seed_database() -> str:
    """`atelier_seed`, dropped and migrated with dbmate."""
    return fresh_database(seed_database_url())


async def ensure_migrated(url: str) -> None:
    """Refuse a database whose applied migrations are not exactly the files: its plans would mislead."""
    from service.migration_lint import applied_versions

    applied = await applied_versions(url)
    if sorted(applied) != migration_versions():
        raise MigrationError("the database is not migrated to db/migrations: run `make migrate` first")


async def counts(url: str) -> SeedCounts:
    from service.db import QUERIES

    conn = await asyncpg.connect(url)
    try:
        found = await QUERIES.database.seed_counts(conn)
    finally:
        await conn.close()
    assert found is not None  # one row, always
    return found


async def seed(url: str, scale: float) -> SeedCounts:
    """Run db/seed.sql (one transaction, then ANALYZE) at `scale`; 1 is 10,000 workshops."""
    await ensure_migrated(url)
    conn = await asyncpg.connect(url, server_settings={SCALE_SETTING: format(scale, "g")})
    try:
        await conn.execute(SEED_FILE.read_text(encoding="utf-8"))
    finally:
        await conn.close()
    return await counts(url)


def describe_counts(found: SeedCounts) -> str:
    return (
        f"{found.workshops:,} workshops (largest: {found.largest_workshop_members:,} members), "
        f"{found.members:,} members, {found.steps:,} steps, "
        f"{found.sessions:,} sessions ({found.active_sessions:,} active), "
        f"{found.build_packs:,} build packs ({found.final_build_packs:,} final), {found.api_keys} API keys"
    )


async def _reusable(url: str) -> bool:
    """Whether `atelier_seed` exists, is migrated to exactly the files and holds a seed."""
    try:
        await ensure_migrated(url)
    except (MigrationError, OSError, asyncpg.PostgresError):
        return False
    return (await counts(url)).workshops > 0


def prepare_target(database_url: str | None, *, scale: float, fresh: bool) -> tuple[str, str]:
    """A seeded database for `make explain`, and a line saying which and how it was seeded.

    DATABASE_URL is used as it is, seeded only when it has no workshop. The
    embedded `atelier_seed` is reused when it is current (same migrations,
    seeded), otherwise made afresh: a new migration, say an index, is then
    planned against the full volume.
    """
    if database_url:
        url, where = database_url, "DATABASE_URL"
        asyncio.run(ensure_migrated(url))
        reuse = asyncio.run(counts(url)).workshops > 0
    else:
        url, where = seed_database_url(), f"embedded database {SEED_DATABASE}"
        reuse = not fresh and asyncio.run(_reusable(url))
        if not reuse:
            url = fresh_seed_database()
    if reuse:
        return url, f"explain: {where} already seeded: {describe_counts(asyncio.run(counts(url)))}"
    started = time.perf_counter()
    found = asyncio.run(seed(url, scale))
    took = time.perf_counter() - started
    return url, f"explain: seeded {where} at scale {scale:g} in {took:.1f}s: {describe_counts(found)}"


def run_seed(database_url: str | None, scale: float) -> int:
    """The command: seed DATABASE_URL, or a fresh `atelier_seed`; counts and time on standard error."""
    url = database_url or fresh_seed_database()
    started = time.perf_counter()
    found = asyncio.run(seed(url, scale))
    elapsed = time.perf_counter() - started
    where = "DATABASE_URL" if database_url else f"embedded database {SEED_DATABASE}"
    print(f"seeded {where} at scale {scale:g} in {elapsed:.1f}s: {describe_counts(found)}", file=sys.stderr)
    return 0
