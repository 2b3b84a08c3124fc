"""The Litestar application: routes, the pool's lifespan, one error boundary."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.di import Provide

from service.auth import require_key
from service.config import Settings
from service.db import Database
from service.errors import EXCEPTION_HANDLERS
from service.metrics import Metrics, metrics_endpoint
from service.openapi import OPENAPI_CONFIG, document_bodies
from service.routes.build_packs import BuildPackController
from service.routes.common import provide_connection
from service.routes.members import MemberController
from service.routes.sessions import SessionController, WorkshopSessionController
from service.routes.steps import StepController
from service.routes.system import health, ready
from service.routes.workshops import WorkshopController

__all__ = ["create_app"]


def create_app(settings: Settings, database_url: str) -> Litestar:
    db = Database(database_url, settings)
    metrics = Metrics()  # one registry per app: see service/metrics.py

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
        route_handlers=[
            WorkshopController,
            MemberController,
            WorkshopSessionController,
            SessionController,
            StepController,
            BuildPackController,
        ],
        guards=[require_key],
        dependencies={"conn": Provide(provide_connection)},
        security=[{"bearer": []}],
    )
    return Litestar(
        route_handlers=[health, ready, metrics_endpoint, v1],
        middleware=[metrics.middleware],
        state=State({"metrics": metrics}),
        lifespan=[pool_lifespan],
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=OPENAPI_CONFIG,
        on_startup=[document_bodies],
        logging_config=None,  # service.logs configures logging, as LOG_LEVEL and LOG_FORMAT say
        debug=False,
    )
