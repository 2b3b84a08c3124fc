"""`make migrate`: dbmate under a polled advisory lock, then a checked schema dump.

dbmate takes no lock of its own by default, so two deploys migrating at once
could both apply a migration. We hold a session advisory lock on the target
database around it, polled with `pg_try_advisory_lock` because a blocking
`pg_advisory_lock` can deadlock against a concurrent index build.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import asyncpg

from service.embedded import BIN_DIR
from service.paths import MIGRATIONS_DIR, ROOT, SCHEMA_FILE

__all__ = ["MigrationError", "dbmate", "dump_schema", "fresh_database", "migrate", "pending_versions", "rollback"]

log = logging.getLogger(__name__)

LOCK_KEY = 0x61746C6D  # "atlm": one key for every Atelier migrate run
_VERSION = re.compile(r"^(\d{14})_[a-z0-9_]+\.sql$")


class MigrationError(Exception):
    """dbmate or the schema dump failed; the message says how."""


def _dbmate_binary() -> str:
    candidate = Path(sys.executable).parent / "dbmate"
    return str(candidate) if candidate.exists() else "dbmate"


def dbmate(url: str, *args: str, migrations_dir: Path = MIGRATIONS_DIR, schema_file: Path = SCHEMA_FILE) -> str:
    """Run dbmate with the bundled PostgreSQL binaries first on PATH (pg_dump must match the server)."""
    env = dict(os.environ, PATH=f"{BIN_DIR}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("DATABASE_URL", None)
    command = [
        _dbmate_binary(), "--url", url, "--migrations-dir", str(migrations_dir),
        "--schema-file", str(schema_file), "--no-dump-schema", *args,
    ]  # fmt: skip
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise MigrationError(f"dbmate {' '.join(args)} failed: {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout


def fresh_database(url: str) -> str:
    """Drop the database at `url` and migrate it anew: the migrations alone, no rows."""
    dbmate(url, "drop")
    dbmate(url, "up")
    return url


def migration_versions(migrations_dir: Path = MIGRATIONS_DIR) -> list[str]:
    """Versions of the migration files, checked for shape and duplicates."""
    versions: list[str] = []
    for path in sorted(migrations_dir.glob("*.sql")):
        match = _VERSION.match(path.name)
        if match is None:
            raise MigrationError(f"{path.name}: name must be YYYYMMDDHHMMSS_name.sql")
        if match.group(1) in versions:
            raise MigrationError(f"{path.name}: version {match.group(1)} is used twice")
        versions.append(match.group(1))
    return versions


@functools.cache
def shipped_versions() -> tuple[str, ...]:
    """The migrations this build carries, read once: they do not change under a running process."""
    return tuple(migration_versions())


def pending_versions(applied: list[str]) -> list[str]:
    done = set(applied)
    return [v for v in shipped_versions() if v not in done]


async def _database_exists(url: str) -> bool:
    try:
        conn = await asyncpg.connect(url, timeout=10)
    except asyncpg.InvalidCatalogNameError:
        return False
    await conn.close()
    return True


async def _ensure_database(url: str) -> None:
    """Create the target database if need be; two runs racing to create it both go on."""
    if await _database_exists(url):
        return
    try:
        dbmate(url, "create")
    except MigrationError:
        # The loser of a concurrent CREATE DATABASE gets "already exists" or a
        # unique violation on pg_database, depending on timing: look again.
        if not await _database_exists(url):
            raise


async def _with_lock(url: str, timeout_s: float, work: list[str]) -> None:
    from service.db import QUERIES  # after the database exists: the query layer needs no server

    await _ensure_database(url)
    conn = await asyncpg.connect(url, timeout=10)
    try:
        deadline = time.monotonic() + timeout_s
        waited = False
        while not await QUERIES.database.try_migration_lock(conn, lock_key=LOCK_KEY):
            if time.monotonic() > deadline:
                raise MigrationError(
                    f"gave up after {timeout_s:g}s waiting for the migration lock: another migrate holds it "
                    f"(pg_locks shows its session: an advisory lock with objid {LOCK_KEY})"
                )
            if not waited:
                log.info("another migration is running: waiting up to %gs for it to finish", timeout_s)
                waited = True
            await asyncio.sleep(0.2)
        try:
            for command in work:
                out = dbmate(url, *command.split())
                if out.strip():
                    log.info(out.strip())
        finally:
            await QUERIES.database.release_migration_lock(conn, lock_key=LOCK_KEY)
    finally:
        await conn.close()


def dump_schema(url: str, target: Path = SCHEMA_FILE) -> None:
    """Write the schema with dbmate and prove the dump happened (dbmate hides pg_dump's errors)."""
    before = target.stat().st_mtime_ns if target.exists() else None
    dbmate(url, "dump", schema_file=target)
    if not target.exists() or target.stat().st_mtime_ns == before:
        raise MigrationError(f"dbmate dump wrote no {target.name}: is pg_dump on PATH?")
    text = target.read_text(encoding="utf-8")
    if "PostgreSQL database dump complete" not in text:
        raise MigrationError(f"{target.name} is incomplete: pg_dump failed")
    # pg_dump 18 fences its output with a random \restrict key; keep the file deterministic.
    cleaned = re.sub(r"^\\(un)?restrict \S+\n", "", text, flags=re.MULTILINE)
    if cleaned != text:
        target.write_text(cleaned, encoding="utf-8")


def migrate(url: str, *, dump: bool = True, lock_timeout_s: float = 300) -> None:
    migration_versions()
    asyncio.run(_with_lock(url, lock_timeout_s, ["migrate --strict"]))
    if dump:
        dump_schema(url)


def rollback(url: str, *, dump: bool = True, lock_timeout_s: float = 300) -> None:
    asyncio.run(_with_lock(url, lock_timeout_s, ["rollback"]))
    if dump:
        dump_schema(url)
