"""/v1/workshops/{workshop_id}/sessions, /progress and /v1/sessions: SQL in queries/sessions.sql."""

from __future__ import annotations

from typing import Annotated, Literal

import asyncpg
from litestar import Controller, Response, get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from service.db import QUERIES
from service.errors import ProblemError, conflict, not_found
from service.ids import create_prefixed_id
from service.models.common import Page
from service.models.sessions import Session, SessionCreate, SessionStatus, WorkshopProgress
from service.openapi import problems
from service.pagination import CursorParam, LimitParam, decode_cursor
from service.routes.common import Conn, created, page_of, require_id, with_etag
from service.routes.workshops import require_workshop

MemberFilter = Annotated[
    str | None, QueryParameter(pattern=r"^wm_[a-z0-9]{24}$", description="Only this member's sessions.")
]
StatusFilter = Annotated[SessionStatus | None, QueryParameter(description="Only sessions in this status.")]


async def ended(conn: asyncpg.Connection, session_id: str) -> ProblemError:
    """Why a transition found no active session: 404 when there is none, else 409."""
    row = await QUERIES.sessions.get_session(conn, session_id=session_id)
    if row is None:
        return not_found("session", session_id)
    return conflict("session-ended", f"session {session_id} is {row.status}; only an active session changes")


class WorkshopSessionController(Controller):
    path = "/workshops/{workshop_id:str}"
    tags = ["sessions"]

    @post("/sessions", summary="Start a session for a member", responses=problems(404, 409))
    async def create_session(
        self, conn: Conn, workshop_id: FromPath[str], data: JSONBody[SessionCreate]
    ) -> Response[Session]:
        """Query: sessions.insert_session."""
        require_id(workshop_id, "ws", "workshop")
        row = await QUERIES.sessions.insert_session(
            conn, id=create_prefixed_id("ses"), workshop_id=workshop_id, member_id=data.member_id
        )
        if row is None:
            raise not_found("workshop", workshop_id)
        return created(row, f"/v1/sessions/{row.id}")

    @get("/sessions", summary="List a workshop's sessions", responses=problems(404))
    async def list_sessions(
        self,
        conn: Conn,
        workshop_id: FromPath[str],
        status: StatusFilter = None,
        member_id: MemberFilter = None,
        limit: LimitParam = 20,
        cursor: CursorParam = None,
    ) -> Page[Session]:
        """Queries: sessions.list_sessions, and workshops.workshop_exists when the page is empty."""
        require_id(workshop_id, "ws", "workshop")
        after = decode_cursor(cursor)
        rows = QUERIES.sessions.list_sessions(
            conn,
            workshop_id=workshop_id,
            status=status,
            member_id=member_id,
            after_started_at=after.after,
            after_id=after.after_id,
            row_limit=limit + 1,
        )
        page = await page_of(rows, limit, lambda s: (s.started_at, s.id))
        if not page.items:
            await require_workshop(conn, workshop_id)
        return page

    @get("/progress", summary="Where a workshop's sessions are, step by step", responses=problems(404))
    async def get_progress(self, conn: Conn, workshop_id: FromPath[str]) -> WorkshopProgress:
        """Query: sessions.get_progress."""
        require_id(workshop_id, "ws", "workshop")
        rows = [row async for row in QUERIES.sessions.get_progress(conn, workshop_id=workshop_id)]
        if not rows:
            raise not_found("workshop", workshop_id)
        return WorkshopProgress.from_rows(rows)


class SessionController(Controller):
    path = "/sessions/{session_id:str}"
    tags = ["sessions"]

    @get("/", summary="Get a session", responses=problems(404))
    async def get_session(self, conn: Conn, session_id: FromPath[str]) -> Response[Session]:
        """Query: sessions.get_session."""
        require_id(session_id, "ses", "session")
        row = await QUERIES.sessions.get_session(conn, session_id=session_id)
        if row is None:
            raise not_found("session", session_id)
        return with_etag(row)

    @post(
        "/advance",
        status_code=200,
        summary="Move to the next step; past the last step, complete",
        responses=problems(404, 409),
    )
    async def advance_session(self, conn: Conn, session_id: FromPath[str]) -> Response[Session]:
        """Queries: sessions.advance_session, and sessions.get_session when nothing is active."""
        require_id(session_id, "ses", "session")
        row = await QUERIES.sessions.advance_session(conn, session_id=session_id)
        if row is None:
            raise await ended(conn, session_id)
        return with_etag(row)

    @post("/complete", status_code=200, summary="Complete an active session", responses=problems(404, 409))
    async def complete_session(self, conn: Conn, session_id: FromPath[str]) -> Response[Session]:
        """Queries: sessions.end_session, and sessions.get_session when nothing is active."""
        return await end(conn, session_id, "completed")

    @post("/abandon", status_code=200, summary="Abandon an active session", responses=problems(404, 409))
    async def abandon_session(self, conn: Conn, session_id: FromPath[str]) -> Response[Session]:
        """Queries: sessions.end_session, and sessions.get_session when nothing is active."""
        return await end(conn, session_id, "abandoned")


async def end(
    conn: asyncpg.Connection, session_id: str, status: Literal["completed", "abandoned"]
) -> Response[Session]:
    require_id(session_id, "ses", "session")
    row = await QUERIES.sessions.end_session(conn, session_id=session_id, status=status)
    if row is None:
        raise await ended(conn, session_id)
    return with_etag(row)
