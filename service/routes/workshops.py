"""/v1/workshops: SQL in queries/workshops.sql."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from litestar import Controller, Response, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from service.db import QUERIES
from service.errors import not_found
from service.etags import check_if_match, etag
from service.ids import create_prefixed_id
from service.models.common import Page
from service.models.workshops import Workshop, WorkshopCreate, WorkshopDetail, WorkshopStatus, WorkshopUpdate
from service.openapi import problems
from service.pagination import CursorParam, LimitParam, decode_cursor
from service.patch import merge
from service.routes.common import Conn, IfMatch, created, page_of, require_id, with_etag

Search = Annotated[str | None, QueryParameter(max_length=200, description="Substring of title or slug, any case.")]


async def load_workshop(conn: asyncpg.Connection, workshop_id: str) -> WorkshopDetail:
    require_id(workshop_id, "ws", "workshop")
    workshop = await QUERIES.workshops.get_workshop(conn, workshop_id=workshop_id)
    if workshop is None:
        raise not_found("workshop", workshop_id)
    return workshop


async def require_workshop(conn: asyncpg.Connection, workshop_id: str) -> None:
    """404 unless the workshop exists; lists under a workshop ask only when they come back empty."""
    if not await QUERIES.workshops.workshop_exists(conn, workshop_id=workshop_id):
        raise not_found("workshop", workshop_id)


async def lock_workshop(conn: asyncpg.Connection, workshop_id: str) -> Workshop:
    """The workshop row, locked until the request's transaction ends."""
    require_id(workshop_id, "ws", "workshop")
    workshop = await QUERIES.workshops.lock_workshop(conn, workshop_id=workshop_id)
    if workshop is None:
        raise not_found("workshop", workshop_id)
    return workshop


class WorkshopController(Controller):
    path = "/workshops"
    tags = ["workshops"]

    @post("/", summary="Create a workshop", responses=problems(409))
    async def create_workshop(self, conn: Conn, data: JSONBody[WorkshopCreate]) -> Response[Workshop]:
        """Query: workshops.insert_workshop."""
        row = await QUERIES.workshops.insert_workshop(conn, id=create_prefixed_id("ws"), **data.model_dump())
        assert row is not None
        return created(row, f"/v1/workshops/{row.id}")

    @get("/", summary="List workshops", responses=problems(400))
    async def list_workshops(
        self,
        conn: Conn,
        status: FromQuery[WorkshopStatus | None] = None,
        q: Search = None,
        limit: LimitParam = 20,
        cursor: CursorParam = None,
    ) -> Page[Workshop]:
        """Query: workshops.list_workshops."""
        after = decode_cursor(cursor)
        rows = QUERIES.workshops.list_workshops(
            conn, status=status, q=q, after_created_at=after.after, after_id=after.after_id, row_limit=limit + 1
        )
        return await page_of(rows, limit, lambda w: (w.created_at, w.id))

    @get("/{workshop_id:str}", summary="Get a workshop with its counts", responses=problems(404))
    async def get_workshop(self, conn: Conn, workshop_id: FromPath[str]) -> Response[WorkshopDetail]:
        """Query: workshops.get_workshop."""
        return with_etag(await load_workshop(conn, workshop_id))

    @patch("/{workshop_id:str}", summary="Update a workshop (merge patch)", responses=problems(404, 409, 412))
    async def update_workshop(
        self, conn: Conn, workshop_id: FromPath[str], data: JSONBody[WorkshopUpdate], if_match: IfMatch = None
    ) -> Response[Workshop]:
        """Queries: workshops.lock_workshop, workshops.update_workshop."""
        current = await lock_workshop(conn, workshop_id)
        check_if_match(if_match, etag(current))
        merged = merge(current, data, WorkshopCreate)
        row = await QUERIES.workshops.update_workshop(conn, workshop_id=workshop_id, **merged.model_dump())
        assert row is not None
        return with_etag(row)

    @delete("/{workshop_id:str}", summary="Delete a workshop and everything under it", responses=problems(404))
    async def delete_workshop(self, conn: Conn, workshop_id: FromPath[str]) -> None:
        """Query: workshops.delete_workshop."""
        require_id(workshop_id, "ws", "workshop")
        if await QUERIES.workshops.delete_workshop(conn, workshop_id=workshop_id) is None:
            raise not_found("workshop", workshop_id)
