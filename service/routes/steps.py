"""/v1/workshops/{workshop_id}/steps: SQL in queries/steps.sql.

Every write locks the workshop row first (workshops.lock_workshop), so the
changes to one workshop's steps queue there and positions stay 1..n.
"""

from __future__ import annotations

import asyncpg
from litestar import Controller, Response, delete, get, patch, post
from litestar.params import FromPath, JSONBody

from service.db import QUERIES
from service.errors import conflict, invalid, not_found
from service.etags import check_if_match, etag
from service.ids import create_prefixed_id
from service.models.common import Items
from service.models.steps import MAX_STEPS, Step, StepCreate, StepFields, StepUpdate
from service.openapi import problems
from service.patch import merge
from service.routes.common import Conn, IfMatch, created, require_id, with_etag
from service.routes.workshops import lock_workshop, require_workshop


async def load_step(conn: asyncpg.Connection, workshop_id: str, step_id: str) -> Step:
    require_id(step_id, "wst", "step")
    step = await QUERIES.steps.get_step(conn, workshop_id=workshop_id, step_id=step_id)
    if step is None:
        raise not_found("step", step_id)
    return step


async def count_steps(conn: asyncpg.Connection, workshop_id: str) -> int:
    return await QUERIES.steps.count_steps(conn, workshop_id=workshop_id) or 0


class StepController(Controller):
    path = "/workshops/{workshop_id:str}/steps"
    tags = ["steps"]

    @post("/", summary="Add a step: append, or insert at `position` and shift the rest", responses=problems(404, 409))
    async def create_step(self, conn: Conn, workshop_id: FromPath[str], data: JSONBody[StepCreate]) -> Response[Step]:
        """Queries: workshops.lock_workshop, steps.count_steps, steps.insert_step."""
        await lock_workshop(conn, workshop_id)
        count = await count_steps(conn, workshop_id)
        if count >= MAX_STEPS:
            raise conflict("too-many-steps", f"a workshop has at most {MAX_STEPS} steps")
        position = count + 1 if data.position is None else data.position
        if position > count + 1:
            raise invalid("position", f"must be between 1 and {count + 1}")
        row = await QUERIES.steps.insert_step(
            conn,
            id=create_prefixed_id("wst"),
            workshop_id=workshop_id,
            position=position,
            title=data.title,
            body=data.body,
            duration_minutes=data.duration_minutes,
        )
        assert row is not None
        return created(row, f"/v1/workshops/{workshop_id}/steps/{row.id}")

    @get("/", summary="List a workshop's steps in order (not paged)", responses=problems(404))
    async def list_steps(self, conn: Conn, workshop_id: FromPath[str]) -> Items[Step]:
        """Queries: steps.list_steps; workshops.workshop_exists when there is no step."""
        require_id(workshop_id, "ws", "workshop")
        items = [step async for step in QUERIES.steps.list_steps(conn, workshop_id=workshop_id)]
        if not items:
            await require_workshop(conn, workshop_id)
        return Items[Step](items=items)

    @get("/{step_id:str}", summary="Get a step", responses=problems(404))
    async def get_step(self, conn: Conn, workshop_id: FromPath[str], step_id: FromPath[str]) -> Response[Step]:
        """Query: steps.get_step."""
        require_id(workshop_id, "ws", "workshop")
        return with_etag(await load_step(conn, workshop_id, step_id))

    @patch("/{step_id:str}", summary="Update a step (merge patch); `position` moves it", responses=problems(404, 412))
    async def update_step(
        self,
        conn: Conn,
        workshop_id: FromPath[str],
        step_id: FromPath[str],
        data: JSONBody[StepUpdate],
        if_match: IfMatch = None,
    ) -> Response[Step]:
        """Queries: workshops.lock_workshop, steps.get_step, steps.count_steps, steps.move_step, steps.update_step."""
        require_id(step_id, "wst", "step")
        await lock_workshop(conn, workshop_id)
        current = await load_step(conn, workshop_id, step_id)
        check_if_match(if_match, etag(current))
        merged = merge(current, data, StepFields)
        if merged.position != current.position:
            count = await count_steps(conn, workshop_id)
            if merged.position > count:
                raise invalid("position", f"must be between 1 and {count}")
            await QUERIES.steps.move_step(conn, workshop_id=workshop_id, step_id=step_id, position=merged.position)
        row = await QUERIES.steps.update_step(
            conn,
            workshop_id=workshop_id,
            step_id=step_id,
            title=merged.title,
            body=merged.body,
            duration_minutes=merged.duration_minutes,
        )
        assert row is not None
        return with_etag(row)

    @delete("/{step_id:str}", summary="Delete a step and close the gap", responses=problems(404))
    async def delete_step(self, conn: Conn, workshop_id: FromPath[str], step_id: FromPath[str]) -> None:
        """Sessions on the step move to the step that takes its place (see the query).

        Queries: workshops.lock_workshop, steps.move_sessions_off_step, steps.delete_step.
        """
        require_id(step_id, "wst", "step")
        await lock_workshop(conn, workshop_id)
        await QUERIES.steps.move_sessions_off_step(conn, workshop_id=workshop_id, step_id=step_id)
        if await QUERIES.steps.delete_step(conn, workshop_id=workshop_id, step_id=step_id) is None:
            raise not_found("step", step_id)
