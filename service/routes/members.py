"""/v1/workshops/{workshop_id}/members: SQL in queries/members.sql."""

from __future__ import annotations

from litestar import Controller, Response, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from service.db import QUERIES
from service.errors import not_found
from service.etags import check_if_match, etag
from service.ids import create_prefixed_id
from service.models.common import Page
from service.models.members import Member, MemberCreate, MemberRole, MemberUpdate
from service.openapi import problems
from service.pagination import CursorParam, LimitParam, decode_cursor
from service.patch import merge
from service.routes.common import Conn, IfMatch, created, page_of, require_id, with_etag
from service.routes.workshops import lock_workshop, require_workshop


def member_ids(workshop_id: str, member_id: str) -> None:
    """Both path ids, checked for shape before any query."""
    require_id(workshop_id, "ws", "workshop")
    require_id(member_id, "wm", "member")


class MemberController(Controller):
    path = "/workshops/{workshop_id:str}/members"
    tags = ["members"]

    @post("/", summary="Join a workshop", responses=problems(404, 409))
    async def create_member(
        self, conn: Conn, workshop_id: FromPath[str], data: JSONBody[MemberCreate]
    ) -> Response[Member]:
        """Query: members.insert_member."""
        require_id(workshop_id, "ws", "workshop")
        row = await QUERIES.members.insert_member(
            conn, id=create_prefixed_id("wm"), workshop_id=workshop_id, **data.model_dump()
        )
        if row is None:
            raise not_found("workshop", workshop_id)
        return created(row, f"/v1/workshops/{workshop_id}/members/{row.id}")

    @get("/", summary="List a workshop's members", responses=problems(404))
    async def list_members(
        self,
        conn: Conn,
        workshop_id: FromPath[str],
        role: FromQuery[MemberRole | None] = None,
        limit: LimitParam = 20,
        cursor: CursorParam = None,
    ) -> Page[Member]:
        """Queries: members.list_members, and workshops.workshop_exists when the page is empty."""
        require_id(workshop_id, "ws", "workshop")
        after = decode_cursor(cursor)
        rows = QUERIES.members.list_members(
            conn,
            workshop_id=workshop_id,
            role=role,
            after_joined_at=after.after,
            after_id=after.after_id,
            row_limit=limit + 1,
        )
        page = await page_of(rows, limit, lambda m: (m.joined_at, m.id))
        if not page.items:
            await require_workshop(conn, workshop_id)
        return page

    @get("/{member_id:str}", summary="Get a member", responses=problems(404))
    async def get_member(self, conn: Conn, workshop_id: FromPath[str], member_id: FromPath[str]) -> Response[Member]:
        """Query: members.get_member."""
        member_ids(workshop_id, member_id)
        row = await QUERIES.members.get_member(conn, workshop_id=workshop_id, member_id=member_id)
        if row is None:
            raise not_found("member", member_id)
        return with_etag(row)

    @patch("/{member_id:str}", summary="Update a member (merge patch)", responses=problems(404, 409, 412))
    async def update_member(
        self,
        conn: Conn,
        workshop_id: FromPath[str],
        member_id: FromPath[str],
        data: JSONBody[MemberUpdate],
        if_match: IfMatch = None,
    ) -> Response[Member]:
        """Queries: workshops.lock_workshop, members.lock_member, members.update_member.

        The workshop row is locked before the member's, the order every writer under
        a workshop takes (joins via the capacity trigger, deletes via the cascade),
        so a role change cannot deadlock against them.
        """
        member_ids(workshop_id, member_id)
        await lock_workshop(conn, workshop_id)
        current = await QUERIES.members.lock_member(conn, workshop_id=workshop_id, member_id=member_id)
        if current is None:
            raise not_found("member", member_id)
        check_if_match(if_match, etag(current))
        merged = merge(current, data, MemberCreate)
        row = await QUERIES.members.update_member(
            conn, workshop_id=workshop_id, member_id=member_id, **merged.model_dump()
        )
        assert row is not None
        return with_etag(row)

    @delete(
        "/{member_id:str}",
        summary="Remove a member, with their sessions and build packs",
        responses=problems(404),
    )
    async def delete_member(self, conn: Conn, workshop_id: FromPath[str], member_id: FromPath[str]) -> None:
        """Query: members.delete_member."""
        member_ids(workshop_id, member_id)
        if await QUERIES.members.delete_member(conn, workshop_id=workshop_id, member_id=member_id) is None:
            raise not_found("member", member_id)
