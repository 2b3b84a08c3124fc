"""`python -m service migrate` run twice at once, or while another run holds the lock.

Deploys start several processes that each migrate; the advisory lock must
make them apply each migration exactly once and all succeed.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import asyncpg
import pytest

from service.db import QUERIES
from service.migrate import LOCK_KEY
from service.paths import MIGRATIONS_DIR, ROOT
from tests.conftest import _admin, with_database

MIGRATE = [sys.executable, "-m", "service", "migrate", "--no-dump"]


@pytest.fixture
def fresh_url(server_url: str) -> Iterator[str]:
    """A database name that does not exist yet: migrate creates it."""
    name = f"atelier_migrate_{uuid.uuid4().hex[:12]}"
    yield with_database(server_url, name)
    with _admin(server_url) as admin:
        admin.execute(f'drop database if exists "{name}" with (force)')


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "info", "LOG_FORMAT": "console"}


def _applied(url: str) -> list[str]:
    with _admin(url) as conn:
        return [row[0] for row in conn.execute("select version from schema_migrations order by version")]


def _files() -> list[str]:
    return sorted(p.name for p in MIGRATIONS_DIR.glob("*.sql"))


def test_concurrent_migrates_apply_each_migration_once(fresh_url: str) -> None:
    """Three runs against a database that does not exist yet: they also race to create it."""
    runs = [
        subprocess.Popen(
            MIGRATE, cwd=ROOT, env=_env(fresh_url), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, out + err
    assert _applied(fresh_url) == [name[:14] for name in _files()]
    combined = "".join(out + err for out, err in outputs)
    for name in _files():
        assert combined.count(f"Applying: {name}") == 1, combined


async def _hold_lock_then(url: str, *extra: str, release_after_wait: bool) -> tuple[int, str]:
    """Hold the migration lock, start a migrate, and release once it reports that it waits."""
    with _admin(with_database(url, "postgres")) as admin:
        admin.execute(f'create database "{urlsplit(url).path.strip("/")}"')
    holder = await asyncpg.connect(url)
    try:
        assert await QUERIES.database.try_migration_lock(holder, lock_key=LOCK_KEY)
        run = await asyncio.create_subprocess_exec(
            *MIGRATE, *extra, cwd=ROOT, env=_env(url), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert run.stderr is not None
        waiting = await asyncio.wait_for(run.stderr.readline(), 30)
        assert b"another migration is running" in waiting, waiting
        if release_after_wait:
            await asyncio.sleep(0.5)
            assert not await holder.fetchval("select to_regclass('schema_migrations') is not null")
            assert await QUERIES.database.release_migration_lock(holder, lock_key=LOCK_KEY)
        out, err = await asyncio.wait_for(run.communicate(), 60)
        assert run.returncode is not None
        return run.returncode, (waiting + out + err).decode()
    finally:
        await holder.close()


def test_migrate_waits_for_the_lock_then_proceeds(fresh_url: str) -> None:
    code, output = asyncio.run(_hold_lock_then(fresh_url, release_after_wait=True))
    assert code == 0, output
    assert _applied(fresh_url) == [name[:14] for name in _files()]


def test_migrate_gives_up_after_its_lock_timeout_with_a_clear_message(fresh_url: str) -> None:
    code, output = asyncio.run(_hold_lock_then(fresh_url, "--lock-timeout", "1", release_after_wait=False))
    assert code == 1
    assert "gave up after 1s waiting for the migration lock: another migrate holds it" in output
    assert "Traceback" not in output
    with _admin(fresh_url) as conn:
        assert conn.execute("select to_regclass('schema_migrations')").fetchone() == (None,)


@pytest.mark.parametrize("command", ["migrate", "rollback"])
def test_migrations_refuse_a_transaction_pooler(fresh_url: str, command: str) -> None:
    """A pooled URL (DATABASE_POOL_MODE=transaction) would split the lock and the DDL across sessions."""
    env = {**_env(fresh_url), "DATABASE_POOL_MODE": "transaction"}
    result = subprocess.run(
        [sys.executable, "-m", "service", command, "--no-dump"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "migrations need a session" in result.stderr and "direct (unpooled) DATABASE_URL" in result.stderr
    with _admin(with_database(fresh_url, "postgres")) as admin:
        name = urlsplit(fresh_url).path.strip("/")
        assert admin.execute("select 1 from pg_database where datname = %s", [name]).fetchone() is None
