"""Build packs under /v1/sessions, /v1/workshops and /v1/build-packs: SQL in queries/build_packs.sql.

A draft changes only with `If-Match` (428 without it), checked against the
row locked for the change, so concurrent PATCHes never lose an update.
"""

from __future__ import annotations

from typing import Annotated

import asyncpg
from litestar import Controller, Response, delete, get, patch, post
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody

from service.db import QUERIES
from service.errors import conflict, not_found
from service.etags import check_if_match, etag, require_if_match
from service.ids import create_prefixed_id
from service.models.build_packs import BuildPack, BuildPackCreate, BuildPackStatus, BuildPackUpdate
from service.models.common import Page
from service.openapi import problems
from service.pagination import CursorParam, LimitParam, decode_cursor
from service.patch import merge
from service.routes.common import Conn, IfMatch, created, page_of, require_id, with_etag
from service.routes.workshops import require_workshop

IfMatchRequired = Annotated[
    str | None,
    HeaderParameter(name="If-Match", description="ETag from a GET: required (428 without it), 412 if stale."),
]


async def lock_build_pack(conn: asyncpg.Connection, build_pack_id: str) -> BuildPack:
    """The pack, locked until the transaction ends; 404 when there is none."""
    require_id(build_pack_id, "bp", "build pack")
    pack = await QUERIES.build_packs.lock_build_pack(conn, build_pack_id=build_pack_id)
    if pack is None:
        raise not_found("build pack", build_pack_id)
    return pack


def refuse_final(pack: BuildPack) -> None:
    if pack.status == "final":
        raise conflict("build-pack-final", f"build pack {pack.id} is final and cannot change")


class BuildPackController(Controller):
    path = "/"
    tags = ["build packs"]

    @post(
        "/sessions/{session_id:str}/build-packs",
        summary="Create a draft build pack from a session",
        responses=problems(404, 409),
    )
    async def create_build_pack(
        self, conn: Conn, session_id: FromPath[str], data: JSONBody[BuildPackCreate]
    ) -> Response[BuildPack]:
        """Query: build_packs.insert_build_pack."""
        require_id(session_id, "ses", "session")
        row = await QUERIES.build_packs.insert_build_pack(
            conn, id=create_prefixed_id("bp"), session_id=session_id, title=data.title, content=data.content
        )
        if row is None:
            raise not_found("session", session_id)
        return created(row, f"/v1/build-packs/{row.id}")

    @get("/workshops/{workshop_id:str}/build-packs", summary="List a workshop's build packs", responses=problems(404))
    async def list_build_packs(
        self,
        conn: Conn,
        workshop_id: FromPath[str],
        status: FromQuery[BuildPackStatus | None] = None,
        limit: LimitParam = 20,
        cursor: CursorParam = None,
    ) -> Page[BuildPack]:
        """Queries: build_packs.list_build_packs; workshops.workshop_exists when the page is empty."""
        require_id(workshop_id, "ws", "workshop")
        after = decode_cursor(cursor)
        rows = QUERIES.build_packs.list_build_packs(
            conn,
            workshop_id=workshop_id,
            status=status,
            after_created_at=after.after,
            after_id=after.after_id,
            row_limit=limit + 1,
        )
        page = await page_of(rows, limit, lambda p: (p.created_at, p.id))
        if not page.items:
            await require_workshop(conn, workshop_id)
        return page

    @get("/build-packs/{build_pack_id:str}", summary="Get a build pack", responses=problems(404))
    async def get_build_pack(self, conn: Conn, build_pack_id: FromPath[str]) -> Response[BuildPack]:
        """Query: build_packs.get_build_pack."""
        require_id(build_pack_id, "bp", "build pack")
        row = await QUERIES.build_packs.get_build_pack(conn, build_pack_id=build_pack_id)
        if row is None:
            raise not_found("build pack", build_pack_id)
        return with_etag(row)

    @patch(
        "/build-packs/{build_pack_id:str}",
        summary="Update a draft build pack (merge patch, If-Match required)",
        responses=problems(404, 409, 412, 428),
    )
    async def update_build_pack(
        self,
        conn: Conn,
        build_pack_id: FromPath[str],
        data: JSONBody[BuildPackUpdate],
        if_match: IfMatchRequired = None,
    ) -> Response[BuildPack]:
        """Checks in order: 404, 428 without If-Match, 409 final, 412 stale.

        Queries: build_packs.lock_build_pack, build_packs.update_build_pack.
        """
        current = await lock_build_pack(conn, build_pack_id)
        require_if_match(if_match)
        refuse_final(current)
        check_if_match(if_match, etag(current))
        merged = merge(current, data, BuildPackCreate)
        if merged.title == current.title and merged.content == current.content:
            return with_etag(current)  # nothing changes, so neither does the version
        row = await QUERIES.build_packs.update_build_pack(
            conn, build_pack_id=build_pack_id, title=merged.title, content=merged.content
        )
        assert row is not None
        return with_etag(row)

    @post(
        "/build-packs/{build_pack_id:str}/finalize",
        summary="Make a draft build pack final",
        status_code=200,
        responses=problems(404, 409, 412),
    )
    async def finalize_build_pack(
        self, conn: Conn, build_pack_id: FromPath[str], if_match: IfMatch = None
    ) -> Response[BuildPack]:
        """409 when already final; an optional If-Match is honoured (412 if stale).

        Queries: build_packs.lock_build_pack, build_packs.finalize_build_pack.
        """
        current = await lock_build_pack(conn, build_pack_id)
        refuse_final(current)
        check_if_match(if_match, etag(current))
        row = await QUERIES.build_packs.finalize_build_pack(conn, build_pack_id=build_pack_id)
        assert row is not None
        return with_etag(row)

    @delete("/build-packs/{build_pack_id:str}", summary="Delete a build pack, draft or final", responses=problems(404))
    async def delete_build_pack(self, conn: Conn, build_pack_id: FromPath[str]) -> None:
        """Query: build_packs.delete_build_pack."""
        require_id(build_pack_id, "bp", "build pack")
        if await QUERIES.build_packs.delete_build_pack(conn, build_pack_id=build_pack_id) is None:
            raise not_found("build pack", build_pack_id)
