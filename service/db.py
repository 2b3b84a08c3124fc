"""The query layer: `queries/*.sql` loaded once, one asyncpg pool per process.

Every statement carries a leading `/* atelier:<file>.<query> */` comment, so
`pg_stat_activity`, `pg_stat_statements` and the server log name the query.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, cast

import aiosql
import asyncpg

from service.catalog import TaggedAsyncPGAdapter, query_files
from service.config import Settings
from service.models import RECORD_CLASSES

if TYPE_CHECKING:
    from service.query_types import Queries

__all__ = ["QUERIES", "Connection", "Database", "DatabaseUnavailable", "load_queries"]

log = logging.getLogger(__name__)

Connection = asyncpg.Connection


class DatabaseUnavailable(Exception):
    """The database cannot be reached now; the request may be retried."""


class _Namespaces:
    """One attribute per query file: `QUERIES.workshops.get_workshop(conn, ...)`."""


def load_queries() -> Queries:
    namespaces = _Namespaces()
    for path in query_files():
        queries = aiosql.from_path(
            path,
            TaggedAsyncPGAdapter,
            record_classes=RECORD_CLASSES,
            attribute=None,
            kwargs={"namespace": path.stem},
        )
        setattr(namespaces, path.stem, queries)
    return cast("Queries", namespaces)


QUERIES = load_queries()


async def _init_connection(conn: asyncpg.Connection) -> None:
    for name in ("json", "jsonb"):
        await conn.set_type_codec(name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def _keep_server_session(conn: asyncpg.Connection) -> None:
    """Release without asyncpg's RESET ALL: behind PgBouncer in transaction mode the server
    session is shared, holds nothing of ours between transactions, and resetting it costs a
    round trip per request and wipes the application_name PgBouncer set on it."""


class Database:
    """Owns the pool; opens it lazily so the service starts, and heals, without the database."""

    def __init__(self, url: str, settings: Settings) -> None:
        self.url = url
        self.settings = settings
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()

    async def _open(self) -> asyncpg.Pool:
        async with self._opening:
            if self._pool is None:
                s = self.settings
                transaction_mode = s.database_pool_mode == "transaction"
                server_settings = {"application_name": "atelier"}
                if not transaction_mode:
                    server_settings["statement_timeout"] = str(s.database_statement_timeout_ms)
                    # Optional filters and keyset cursors plan well only with their values
                    # known; a cached prepared statement would go generic after five runs.
                    server_settings["plan_cache_mode"] = "force_custom_plan"
                self._pool = await asyncpg.create_pool(
                    self.url,
                    min_size=s.database_pool_min,
                    max_size=s.database_pool_max,
                    # PgBouncer in transaction mode keeps no named prepared statement.
                    statement_cache_size=0 if transaction_mode else 100,
                    max_cached_statement_lifetime=0 if transaction_mode else 300,
                    server_settings=server_settings,
                    command_timeout=s.database_statement_timeout_ms / 1000 + 1,
                    timeout=5,
                    init=_init_connection,
                    reset=_keep_server_session if transaction_mode else None,
                )
            return self._pool

    async def open(self) -> None:
        """Open the pool now if the database answers; later requests retry if it does not."""
        try:
            await self._open()
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as exc:
            log.warning("database not reachable at start-up, will retry per request: %s", exc)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        """A pooled connection; unreachable database raises `DatabaseUnavailable`."""
        try:
            pool = await self._open()
            conn = await pool.acquire(timeout=self.settings.database_statement_timeout_ms / 1000)
        except (OSError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError, TimeoutError) as exc:
            raise DatabaseUnavailable(str(exc) or type(exc).__name__) from exc
        try:
            yield cast(asyncpg.Connection, conn)
        finally:
            await pool.release(conn)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[asyncpg.Connection]:
        """A connection inside one transaction: committed on success, rolled back on error."""
        async with self.connection() as conn, conn.transaction():
            if self.settings.database_pool_mode == "transaction":
                await QUERIES.database.set_statement_timeout(
                    conn, timeout=str(self.settings.database_statement_timeout_ms)
                )
            yield conn
