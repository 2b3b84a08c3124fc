"""Workshop members: row, join and merge-patch bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from service.models.common import Body, Row

MemberRole = Literal["owner", "facilitator", "participant"]
Email = Annotated[
    str,
    # The same shape as the CHECK workshop_member_email_format.
    StringConstraints(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    Field(examples=["ada@example.com"], description="Unique in the workshop regardless of case; stored as given."),
]
DisplayName = Annotated[str, StringConstraints(min_length=1, max_length=100), Field(examples=["Ada Lovelace"])]


class Member(Row):
    id: str = Field(examples=["wm_k1x0b3c9q2m8w7e5r4t6y1u0"])
    workshop_id: str = Field(examples=["ws_k1x0b3c9q2m8w7e5r4t6y1u0"])
    email: str = Field(examples=["ada@example.com"])
    display_name: str = Field(examples=["Ada Lovelace"])
    role: MemberRole
    joined_at: datetime


class MemberCreate(Body):
    email: Email
    display_name: DisplayName
    role: MemberRole = Field(default="participant", description="Only participants count against capacity.")


class MemberUpdate(Body):
    """A merge patch: absent fields stay; every field is required, so `null` is a 422."""

    email: Email | None = None
    display_name: DisplayName | None = None
    role: MemberRole | None = None
