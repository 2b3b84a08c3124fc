"""/health and /ready: for load balancers and orchestrators, no key needed."""

from __future__ import annotations

from typing import Any

from litestar import Response, get
from litestar.datastructures import State

from service.db import QUERIES, Database
from service.migrate import pending_versions


@get("/health", summary="Liveness: the process answers", tags=["system"], sync_to_thread=False)
def health() -> dict[str, str]:
    return {"status": "ok"}


@get("/ready", summary="Readiness: the database answers and no migration is pending", tags=["system"])
async def ready(state: State) -> Response[dict[str, Any]]:
    """Query: database.list_applied_migrations."""
    db: Database = state.db
    async with db.connection() as conn:
        applied = [m.version async for m in QUERIES.database.list_applied_migrations(conn)]
    pending = pending_versions(applied)
    if pending:
        body = {"status": "migrations pending", "pending": pending}
        return Response(body, status_code=503, headers={"Retry-After": "5"})
    return Response({"status": "ready", "migrations": len(applied)})
