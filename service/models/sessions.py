"""Sessions: row, start body, and a workshop's progress."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from service.models.common import Body, Row

SessionStatus = Literal["active", "completed", "abandoned"]
MemberId = Annotated[
    str,
    StringConstraints(pattern=r"^wm_[a-z0-9]{24}$"),
    Field(examples=["wm_k1x0b3c9q2m8w7e5r4t6y1u0"], description="A member of this workshop."),
]


class Session(Row):
    id: str = Field(examples=["ses_k1x0b3c9q2m8w7e5r4t6y1u0"])
    workshop_id: str = Field(examples=["ws_k1x0b3c9q2m8w7e5r4t6y1u0"])
    member_id: str = Field(examples=["wm_k1x0b3c9q2m8w7e5r4t6y1u0"])
    status: SessionStatus
    current_step_id: str | None = Field(
        examples=["wst_k1x0b3c9q2m8w7e5r4t6y1u0"], description="Null when the workshop has no steps."
    )
    started_at: datetime
    ended_at: datetime | None = Field(description="Set exactly when the session is no longer active.")


class SessionCreate(Body):
    member_id: MemberId


class ProgressRow(Row):
    """One row of sessions.get_progress: a step (null fields when there are none) and the totals."""

    step_id: str | None
    position: int | None
    title: str | None
    step_active_sessions: int
    active_sessions: int
    completed_sessions: int
    abandoned_sessions: int


class ProgressStep(BaseModel):
    step_id: str = Field(examples=["wst_k1x0b3c9q2m8w7e5r4t6y1u0"])
    position: int = Field(examples=[1])
    title: str = Field(examples=["Set up"])
    active_sessions: int = Field(examples=[3], description="Active sessions now on this step.")


class WorkshopProgress(BaseModel):
    steps: list[ProgressStep] = Field(description="Every step, in position order.")
    active_sessions: int = Field(examples=[3])
    completed_sessions: int = Field(examples=[5])
    abandoned_sessions: int = Field(examples=[1])

    @classmethod
    def from_rows(cls, rows: list[ProgressRow]) -> WorkshopProgress:
        """Fold the rows of sessions.get_progress (at least one) into the response."""
        first = rows[0]
        steps = [
            ProgressStep(step_id=r.step_id, position=r.position, title=r.title, active_sessions=r.step_active_sessions)
            for r in rows
            if r.step_id is not None and r.position is not None and r.title is not None
        ]
        return cls(
            steps=steps,
            active_sessions=first.active_sessions,
            completed_sessions=first.completed_sessions,
            abandoned_sessions=first.abandoned_sessions,
        )
