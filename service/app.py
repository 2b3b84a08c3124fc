"""The Litestar application: routes, the pool's lifespan, one error boundary."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Router
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin

from service.auth import require_key
from service.config import Settings
from service.db import Database
from service.errors import EXCEPTION_HANDLERS
from service.routes.common import provide_connection
from service.routes.system import health, ready
from service.routes.workshops import WorkshopController

__all__ = ["create_app"]


def create_app(settings: Settings, database_url: str) -> Litestar:
    db = Database(database_url, settings)

    @asynccontextmanager
    async def pool_lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.db = db
        await db.open()
        try:
            yield
        finally:
            await db.close()

    v1 = Router(
        path="/v1",
        route_handlers=[WorkshopController],
        guards=[require_key],
        dependencies={"conn": Provide(provide_connection)},
        security=[{"bearer": []}],
    )
    return Litestar(
        route_handlers=[health, ready, v1],
        lifespan=[pool_lifespan],
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=OpenAPIConfig(
            title="Atelier",
            version="1.0.0",
            description="Workshops, members, steps, sessions and build packs over REST.",
            path="/schema",
            render_plugins=[ScalarRenderPlugin()],
        ),
        debug=False,
    )
