"""Workshop steps: row, create and merge-patch bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Final

from pydantic import BeforeValidator, Field, StringConstraints

from service.models.common import Body, Row, Title, json_integer

MAX_STEPS: Final = 500
"""Most steps a workshop may hold; a 501st is a 409 (`/problems/too-many-steps`)."""


Markdown = Annotated[
    str, StringConstraints(max_length=100_000), Field(description="Markdown, at most 100,000 characters.")
]
Duration = Annotated[
    int, BeforeValidator(json_integer), Field(ge=0, le=1440, description="Minutes, 0 to 1440; null when not planned.")
]
Position = Annotated[
    int,
    BeforeValidator(json_integer),
    Field(ge=1, le=MAX_STEPS, examples=[1], description="1 is the first step; positions are always 1..n."),
]


class Step(Row):
    id: str = Field(examples=["wst_q8m2x7c1v0b9n3l4k5j6h2g1"])
    workshop_id: str = Field(examples=["ws_k1x0b3c9q2m8w7e5r4t6y1u0"])
    position: int = Field(examples=[1])
    title: str = Field(examples=["Set up your database"])
    body: str = Field(examples=["Run `make db`, then `make migrate`."])
    duration_minutes: int | None = Field(examples=[15])
    created_at: datetime
    updated_at: datetime


class StepCreate(Body):
    """A new step; without `position` it is appended, with one it is inserted there (1..n+1)."""

    title: Title = Field(examples=["Set up your database"])
    body: Markdown = ""
    duration_minutes: Duration | None = None
    position: Position | None = None


class StepFields(Body):
    """Every writable field of a step: what a merge patch must add up to."""

    title: Title
    body: Markdown
    duration_minutes: Duration | None
    position: Position


class StepUpdate(Body):
    """A merge patch: absent fields stay, `null` clears `duration_minutes`; `position` (1..n) moves the step."""

    title: Title | None = None
    body: Markdown | None = None
    duration_minutes: Duration | None = None
    position: Position | None = None
